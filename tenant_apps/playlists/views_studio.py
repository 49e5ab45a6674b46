"""Organisers' pages: the playlist builder (keyboard-only reordering: up and down
buttons), publishing, the review queue, check-in and figures.

Organisers are the territory admin and the staff of the curating provider. Learners
use the same builder for their personal playlists. Every view looks the playlist up
among those this account may edit; anything else is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_member_required
from shared_apps.core.formviews import render_form
from tenant_apps.badges.models import BadgeClass
from tenant_apps.catalogue.models import Provider
from tenant_apps.catalogue.selectors import providers_of
from tenant_apps.evidence.forms import ReviewForm
from tenant_apps.evidence.selectors import QueueRow
from tenant_apps.manage.translations import translations_page
from tenant_apps.playlists import actions, selectors
from tenant_apps.playlists.forms import PlaylistForm, ReasonForm, StepForm
from tenant_apps.playlists.models import Playlist, Step, StepProgress
from tenants.types import StaffRequest

REVIEW_PAGE_SIZE = 25
ATTENDEES_PAGE_SIZE = 50


def _editable_playlist(request: StaffRequest, pk: int) -> Playlist:
    playlist = selectors.managed_playlist(pk, request.user, request.membership)
    if playlist is None:
        playlist = Playlist.objects.filter(pk=pk, owner_id=request.user.pk).first()
    if playlist is None:
        raise Http404
    return playlist


PlaylistView = Callable[..., HttpResponse]


def playlist_view(view: PlaylistView) -> PlaylistView:
    @territory_member_required
    @wraps(view)
    def wrapped(request: StaffRequest, pk: int, **kwargs: Any) -> HttpResponse:
        return view(request, _editable_playlist(request, pk), **kwargs)

    return wrapped


def _badges(request: StaffRequest) -> QuerySet[BadgeClass]:
    """Completion badges this account may attach: a provider's staff only their
    providers' own badges, never the territory's."""
    if request.membership.is_admin:
        return BadgeClass.objects.order_by("name")
    ids = list(providers_of(request.user).values_list("pk", flat=True))
    return BadgeClass.objects.filter(issuer__provider_id__in=ids).order_by("name")


def _organiser(request: StaffRequest) -> bool:
    return request.membership.is_admin or providers_of(request.user).exists()


@territory_member_required
def studio(request: StaffRequest) -> HttpResponse:
    if not _organiser(request):
        raise Http404
    playlists = (
        selectors.managed_playlists(request.user, request.membership)
        .select_related("provider")
        .order_by("status", "-updated_at")
    )
    return render(request, "playlists/studio/list.html", {"playlists": playlists})


def _data(form: PlaylistForm) -> actions.PlaylistData:
    data = form.cleaned_data
    return actions.PlaylistData(
        title=data["title"],
        description=data["description"],
        interests=list(data["interests"]),
        is_ordered=data["is_ordered"],
        min_optional=data["min_optional"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        estimated_hours=data["estimated_hours"],
        badge_class=data.get("badge_class"),
        cover=data.get("cover"),
        remove_cover=data.get("remove_cover", False),
    )


@territory_member_required
def new_playlist(request: StaffRequest) -> HttpResponse:
    """``?personal=1``: a learner's own playlist; otherwise for a provider the account
    works for, or (territory admin) for the territory."""
    personal = request.GET.get("personal") == "1"
    providers: list[Provider] = [] if personal else list(providers_of(request.user))
    if not personal and not providers and not request.membership.is_admin:
        raise Http404
    form = PlaylistForm(
        request.POST or None, request.FILES or None, personal=personal, badges=_badges(request)
    )
    if request.method == "POST" and form.is_valid():
        provider = next((p for p in providers if str(p.pk) == request.POST.get("provider")), None)
        if not personal and provider is None and not request.membership.is_admin:
            provider = providers[0]
        try:
            playlist = actions.create_playlist(
                territory=request.territory,
                acting_user=request.user,
                data=_data(form),
                provider=provider,
                personal=personal,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("playlists:edit", pk=playlist.pk)
    return render_form(
        request, "playlists/studio/form.html", form, {"providers": providers, "personal": personal}
    )


@playlist_view
def edit_playlist(request: StaffRequest, playlist: Playlist) -> HttpResponse:
    form = PlaylistForm(
        request.POST or None,
        request.FILES or None,
        instance=playlist,
        personal=playlist.is_personal,
        badges=_badges(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_playlist(
                playlist=playlist,
                territory=request.territory,
                acting_user=request.user,
                data=_data(form),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("playlists:edit", pk=playlist.pk)
    playlist.refresh_from_db()
    return render_form(
        request,
        "playlists/studio/edit.html",
        form,
        {
            "playlist": playlist,
            "steps": selectors.steps_of(playlist),
            "step_form": StepForm(),
            "problems": actions.publication_problems(playlist),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@playlist_view
def add_step(request: StaffRequest, playlist: Playlist) -> HttpResponse:
    form = StepForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_step(
                playlist=playlist,
                kind=data["kind"],
                activity=data["activity"],
                remote_territory=data["remote_territory"],
                remote_activity_id=data["remote_activity_id"],
                title=data["title"],
                instructions=data["instructions"],
                is_required=data["is_required"],
                completion=data["completion"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return render(
            request,
            "playlists/studio/edit.html",
            {
                "playlist": playlist,
                "form": PlaylistForm(
                    instance=playlist, personal=playlist.is_personal, badges=_badges(request)
                ),
                "steps": selectors.steps_of(playlist),
                "step_form": form,
                "problems": actions.publication_problems(playlist),
                "reason_form": ReasonForm(),
            },
            status=400,
        )
    messages.success(request, _("The step was added."))
    return redirect("playlists:edit", pk=playlist.pk)


def _step(playlist: Playlist, step_id: int) -> Step:
    step = playlist.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404
    step.playlist = playlist
    return step


@require_POST
@playlist_view
def change_step(
    request: StaffRequest, playlist: Playlist, step_id: int, change: str
) -> HttpResponse:
    step = _step(playlist, step_id)
    try:
        if change in ("up", "down"):
            actions.move_step(step=step, up=change == "up")
        elif change == "remove":
            actions.remove_step(step=step)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"/playlists/studio/{playlist.pk}/#step-{step_id}")


@require_POST
@playlist_view
def change_status(request: StaffRequest, playlist: Playlist, change: str) -> HttpResponse:
    territory, user, is_admin = request.territory, request.user, request.membership.is_admin
    try:
        if change == "submit":
            actions.submit_playlist(
                playlist=playlist, territory=territory, acting_user=user, is_admin=is_admin
            )
        elif change == "approve" and is_admin:
            actions.approve_playlist(playlist=playlist, territory=territory, acting_user=user)
        elif change == "return" and is_admin:
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            if not reason:
                raise ValidationError(_("Say why, so the provider knows what to fix."))
            actions.return_playlist(
                playlist=playlist, territory=territory, acting_user=user, reason=reason
            )
        elif change == "archive" and not playlist.is_personal:
            actions.archive_playlist(playlist=playlist, territory=territory, acting_user=user)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("playlists:edit", pk=playlist.pk)


@territory_member_required
def review_queue(request: StaffRequest) -> HttpResponse:
    if not _organiser(request):
        raise Http404
    state = request.GET.get("state", "")
    if state not in StepProgress.State.values:
        state = StepProgress.State.SUBMITTED
    try:
        playlist_id = int(request.GET.get("playlist") or 0)
    except ValueError:
        playlist_id = 0
    queryset = selectors.review_queue(
        request.user, request.membership, playlist_id=playlist_id or None, state=state
    )
    page = Paginator(queryset.values_list("id", flat=True), REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "playlists/studio/review.html",
        {
            "page": page,
            "rows": [
                QueueRow(
                    item=item,
                    text=item.evidence_text,
                    url=item.evidence_url,
                    # Built by hand, not reversed per item: the page renders many.
                    file_url=f"/playlists/evidence/{item.pk}/file/" if item.evidence_file else "",
                    decision_url=f"/playlists/studio/review/{item.pk}/",
                )
                for item in selectors.queue_items(list(page.object_list))
            ],
            "review_form": ReviewForm(),
            "state": state,
            "states": StepProgress.State.choices,
            "playlist_id": playlist_id,
            "playlists": list(
                selectors.managed_playlists(request.user, request.membership)
                .exclude(status=Playlist.Status.DRAFT)
                .only("id", "title")
                .order_by("title")
            ),
        },
    )


@require_POST
@territory_member_required
def review_decision(request: StaffRequest, progress_id: int) -> HttpResponse:
    item = selectors.reviewable_progress(progress_id, request.user, request.membership)
    if item is None:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_evidence(
                progress=item,
                territory=request.territory,
                reviewer=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
    elif "decision" in form.errors:
        messages.error(request, _("Choose a decision."))
    else:
        messages.error(request, " ".join(str(error) for error in form.errors.get("comment", [])))
    back = request.POST.get("back", "")
    # Back to the same page and filters of the queue; never anywhere else.
    if not back.startswith("/playlists/studio/review/"):
        back = "/playlists/studio/review/"
    return redirect(back)


@playlist_view
def check_in(request: StaffRequest, playlist: Playlist, step_id: int) -> HttpResponse:
    step = _step(playlist, step_id)
    if playlist.is_personal or step.completion != Step.Completion.CHECK_IN:
        raise Http404
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("user") if v.isdigit()]
        count = actions.check_in(
            step=step, territory=request.territory, acting_user=request.user, user_ids=ids
        )
        messages.success(request, _("%(count)d learners checked in.") % {"count": count})
        return redirect("playlists:check_in", pk=playlist.pk, step_id=step.pk)
    page = Paginator(selectors.attendees(step), ATTENDEES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "playlists/studio/check_in.html",
        {"playlist": playlist, "step": step, "page": page},
    )


@playlist_view
def figures(request: StaffRequest, playlist: Playlist) -> HttpResponse:
    if playlist.is_personal:
        raise Http404
    return render(
        request,
        "playlists/studio/figures.html",
        {"playlist": playlist, "figures": selectors.figures(playlist)},
    )


@playlist_view
def translations(request: StaffRequest, playlist: Playlist) -> HttpResponse:
    return translations_page(
        request,
        obj=playlist,
        fields=("title", "description"),
        back_url=reverse("playlists:edit", args=[playlist.pk]),
        heading=playlist.title,
    )
