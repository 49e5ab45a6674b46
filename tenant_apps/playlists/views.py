"""Learners' pages: find playlists, join and leave, follow progress, send evidence,
make personal playlists and share them by link. The territory is request.territory,
resolved at the edge; only this territory's schema is ever read."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_member_required
from shared_apps.core.evidence import serve_evidence
from shared_apps.core.formviews import render_form
from tenant_apps.catalogue.maplayer import map_settings
from tenant_apps.catalogue.selectors import active_interests
from tenant_apps.evidence.forms import EvidenceForm
from tenant_apps.playlists import actions, selectors
from tenant_apps.playlists.models import Playlist, Step
from tenants.models import Territory
from tenants.types import StaffRequest, TerritoryRequest


def _territory(request: TerritoryRequest) -> Territory:
    if request.territory is None:
        raise Http404
    return request.territory


def playlist_list(request: TerritoryRequest) -> HttpResponse:
    interest = request.GET.get("interest", "")
    page = Paginator(
        selectors.public_playlists(interest).prefetch_related("interests"), 24
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "playlists/list.html",
        {"page": page, "interest": interest, "interests": active_interests()},
    )


def _map_points(steps: list[Step]) -> str:
    points = []
    for step in steps:
        activity = step.activity
        if activity is not None and activity.venue is not None and activity.is_local:
            points.append([round(activity.venue.point.y, 6), round(activity.venue.point.x, 6)])
    return json.dumps(points)


def _detail(request: TerritoryRequest, playlist: Playlist, *, shared: bool = False) -> HttpResponse:
    territory = _territory(request)
    steps = selectors.steps_of(playlist)
    enrolment = None if shared else selectors.enrolment_of(playlist, request.user)
    active = enrolment is not None and enrolment.is_active
    context = {
        "playlist": playlist,
        "steps": selectors.progress_view(playlist, steps, enrolment if active else None),
        "enrolment": enrolment if active else None,
        "interests": list(playlist.interests.all()),
        "points": _map_points(steps),
        "map": map_settings(territory),
        "shared": shared,
        "is_owner": playlist.is_personal and playlist.owner_id == request.user.pk,
    }
    return render(request, "playlists/detail.html", context)


def playlist_detail(request: TerritoryRequest, pk: int) -> HttpResponse:
    playlist = selectors.playlist_for_viewer(pk, request.user)
    if playlist is None:
        raise Http404
    return _detail(request, playlist)


def shared_playlist(request: TerritoryRequest, token: str) -> HttpResponse:
    playlist = selectors.shared_playlist(token)
    if playlist is None:
        raise Http404
    return _detail(request, playlist, shared=True)


def _viewable(request: StaffRequest, pk: int) -> Playlist:
    playlist = selectors.playlist_for_viewer(pk, request.user)
    if playlist is None:
        raise Http404
    return playlist


@require_POST
@territory_member_required
def join(request: StaffRequest, pk: int) -> HttpResponse:
    playlist = _viewable(request, pk)
    try:
        actions.join_playlist(playlist=playlist, territory=request.territory, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(playlist.get_absolute_url())
    messages.success(request, _("You joined the playlist."))
    return redirect("playlists:progress", pk=playlist.pk)


@require_POST
@territory_member_required
def leave(request: StaffRequest, pk: int) -> HttpResponse:
    playlist = _viewable(request, pk)
    actions.leave_playlist(playlist=playlist, user=request.user)
    messages.success(request, _("You left the playlist. Your progress is kept."))
    return redirect(playlist.get_absolute_url())


@territory_member_required
def progress(request: StaffRequest, pk: int) -> HttpResponse:
    playlist = _viewable(request, pk)
    enrolment = selectors.enrolment_of(playlist, request.user)
    if enrolment is None or not enrolment.is_active:
        return redirect(playlist.get_absolute_url())
    steps = selectors.progress_view(playlist, selectors.steps_of(playlist), enrolment)
    done = sum(1 for s in steps if s.state == "done")
    return render(
        request,
        "playlists/progress.html",
        {"playlist": playlist, "enrolment": enrolment, "steps": steps, "done": done},
    )


@territory_member_required
def evidence(request: StaffRequest, pk: int, step_id: int) -> HttpResponse:
    playlist = _viewable(request, pk)
    step = playlist.steps.filter(pk=step_id).select_related("activity").first()
    enrolment = selectors.enrolment_of(playlist, request.user)
    if step is None or enrolment is None or not enrolment.is_active:
        raise Http404
    current = next(
        v
        for v in selectors.progress_view(playlist, selectors.steps_of(playlist), enrolment)
        if v.step.pk == step.pk
    )
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sent = form.submission()
        try:
            actions.submit_evidence(
                playlist=playlist,
                step=step,
                territory=request.territory,
                user=request.user,
                text=sent.text,
                url=sent.url,
                file=sent.file,
                content_type=sent.content_type,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your evidence was sent."))
            return redirect("playlists:progress", pk=playlist.pk)
    return render_form(
        request,
        "playlists/evidence.html",
        form,
        {"playlist": playlist, "step": step, "current": current},
    )


@territory_member_required
def evidence_file(request: StaffRequest, progress_id: int) -> HttpResponse:
    """Evidence files are private: served to the learner and to reviewers of the
    playlist only, never from a public URL, never cached by proxies."""
    item = selectors.evidence_for_viewer(progress_id, request.user, request.membership)
    if item is None or not item.evidence_file:
        raise Http404
    return serve_evidence(  # type: ignore[return-value]
        request,
        item.evidence_file,
        content_type=item.evidence_content_type,
        download_stem=f"evidence-{item.pk}",
    )


@territory_member_required
def mine(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "playlists/mine.html",
        {
            "enrolments": selectors.my_playlists(request.user),
            "personal": selectors.personal_playlists(request.user),
        },
    )


@require_POST
@territory_member_required
def share(request: StaffRequest, pk: int) -> HttpResponse:
    playlist = _viewable(request, pk)
    try:
        actions.set_sharing(
            playlist=playlist, user=request.user, shared=request.POST.get("share") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(playlist.get_absolute_url())
