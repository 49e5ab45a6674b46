"""The person's notifications (any host: accounts are network-wide) and their choices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shared_apps.notifications import actions, selectors
from shared_apps.notifications.forms import PreferencesForm
from shared_apps.notifications.models import Notification


def _list_url(page: str | None) -> str:
    url = reverse("notifications:list")
    if page and page.isdigit() and page != "1":
        url += "?" + urlencode({"page": page})
    return url


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = selectors.page_of(request.user, request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("notifications:list"))
    if not actions.mark_read(user=request.user, notification_id=pk):
        raise Http404
    if request.htmx:  # type: ignore[attr-defined]
        notification = Notification.objects.select_related("territory").get(pk=pk)
        return render(
            request,
            "notifications/partials/item.html",
            {"notification": notification, "oob_count": True, "page_number": ""},
        )
    return redirect(_list_url(request.POST.get("page")))


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("notifications:list"))
    actions.mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect(_list_url(request.POST.get("page")))


@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go to the thing, on its own territory's host (the link is built
    from configuration, never from the request: no open redirect)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    notification = (
        Notification.objects.select_related("territory")
        .filter(user_id=request.user.pk, pk=pk)
        .first()
    )
    if notification is None:
        raise Http404
    actions.mark_read(user=request.user, notification_id=pk)
    link = actions.link_for(notification.territory, notification.path)
    return HttpResponseRedirect(link or reverse("notifications:list"))


@require_POST
def save_preferences(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("guardians:account"))
    form = PreferencesForm(request.POST)
    form.is_valid()  # checkboxes: every value is valid, a missing one is "off"
    actions.save_preferences(user=request.user, choices=form.choices())
    messages.success(request, _("Your notification choices are saved."))
    return redirect(reverse("guardians:account") + "#notifications")
