"""The dead-letter list for platform staff (network site only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import platform_staff_required
from shared_apps.ops import actions, selectors
from shared_apps.ops.models import FailedTask


@platform_staff_required
def failed_tasks(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", FailedTask.State.FAILED)
    if state not in FailedTask.State.values:
        state = FailedTask.State.FAILED
    page = Paginator(selectors.failed_tasks(state=state), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ops/failed_tasks.html",
        {"page": page, "state": state, "states": FailedTask.State.choices},
    )


@require_POST
@platform_staff_required
def failed_task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    failed = get_object_or_404(FailedTask, pk=pk)
    try:
        if action == "retry":
            actions.retry_failed_task(failed_task=failed, acting_user=request.user)
            messages.success(request, _("The task was sent again."))
        else:
            actions.discard_failed_task(failed_task=failed, acting_user=request.user)
            messages.success(request, _("The task was discarded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(reverse("ops:failed_tasks"))
