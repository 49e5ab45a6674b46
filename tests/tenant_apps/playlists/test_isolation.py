"""Another territory's users and hosts, and other learners, reach nothing: not the
playlists, not the evidence files, not the API, not a personal playlist unshared."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from tenant_apps.playlists import actions
from tenant_apps.playlists.models import Enrolment, Playlist, StepProgress
from tests.tenant_apps.badges.factories import png_bytes
from tests.tenant_apps.playlists.factories import join, make_playlist, steps_of


def _evidence_with_file(territory, playlist, step, learner):
    join(territory, playlist, learner)
    with tenant_context(territory):
        return actions.submit_evidence(
            playlist=playlist,
            step=step,
            territory=territory,
            user=learner,
            text="Secret evidence",
            file=SimpleUploadedFile("p.png", png_bytes()),
            content_type="image/png",
        )


def test_evidence_file_only_for_the_learner_and_reviewers(territory_a, user, english):
    playlist = make_playlist(territory_a, user("anna"))
    first, _ = steps_of(territory_a, playlist)
    progress = _evidence_with_file(territory_a, playlist, first, user("ada"))
    url = f"/playlists/evidence/{progress.pk}/file/"
    ada = english(territory_a, user("ada"))
    response = ada.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # The shared evidence path (shared_apps.core.evidence), as for badge evidence.
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert english(territory_a, user("anna")).get(url).status_code == 200  # reviewer
    # Provider staff who do not curate this playlist, a visitor, another territory.
    assert english(territory_a, user("alan")).get(url).status_code == 404
    assert english(territory_a).get(url).status_code == 302  # to sign in
    bruno = english(territory_b := territory_a.__class__.objects.get(slug="borealis"))
    bruno.sign_in(user("bruno"))
    assert bruno.get(url).status_code == 404
    bruno_on_a = english(territory_a)
    bruno_on_a.sign_in(user("bruno"))
    assert bruno_on_a.get(url).status_code in (302, 403)
    assert territory_b.slug == "borealis"
    # The stored file has no public URL at all.
    with tenant_context(territory_a):
        stored = StepProgress.objects.get(pk=progress.pk).evidence_file
        try:
            stored.url  # noqa: B018
        except NotImplementedError:
            pass
        else:
            raise AssertionError("evidence files must not have a public URL")


def test_another_learner_sees_no_progress_or_evidence(territory_a, user, english):
    playlist = make_playlist(territory_a, user("anna"))
    first, _ = steps_of(territory_a, playlist)
    progress = _evidence_with_file(territory_a, playlist, first, user("ada"))
    alan = english(territory_a, user("alan"))
    # alan has not joined: his progress page sends him to the playlist, without ada's.
    response = alan.get(f"/playlists/{playlist.pk}/progress/")
    assert response.status_code == 302
    assert alan.get(f"/playlists/evidence/{progress.pk}/file/").status_code == 404
    response = alan.get(f"/api/playlists/{playlist.pk}/progress/")
    assert response.status_code == 404
    assert (
        alan.post(f"/playlists/studio/review/{progress.pk}/", {"decision": "approve"}).status_code
        == 404
    )
    with tenant_context(territory_a):
        assert StepProgress.objects.get(pk=progress.pk).state == "submitted"


def test_borealis_cannot_see_or_act_on_aurora_playlists(territory_a, territory_b, user, english):
    playlist = make_playlist(territory_a, user("anna"), "Aurora only path")
    first, _ = steps_of(territory_a, playlist)
    progress = _evidence_with_file(territory_a, playlist, first, user("ada"))
    # On borealis's host, aurora's ids name nothing (or a borealis row).
    bea = english(territory_b, user("bea"))
    for path in [
        f"/playlists/{playlist.pk}/",
        f"/api/playlists/{playlist.pk}/",
        "/playlists/",
        "/api/playlists/",
    ]:
        response = bea.get(path)
        assert "Aurora only path" not in response.content.decode(), path
    bruno = english(territory_b, user("bruno"))
    assert "Secret evidence" not in bruno.get("/playlists/studio/review/").content.decode()
    assert (
        bruno.post(f"/playlists/studio/review/{progress.pk}/", {"decision": "approve"}).status_code
        == 404
    )
    # A borealis account signed in on aurora's host has no membership there.
    bea_on_a = english(territory_a)
    bea_on_a.sign_in(user("bea"))
    assert bea_on_a.post(f"/playlists/{playlist.pk}/join/").status_code in (302, 403)
    response = bea_on_a.post(f"/api/playlists/{playlist.pk}/join/")
    assert response.status_code == 403
    response = bea_on_a.post(
        f"/api/playlists/{playlist.pk}/steps/{first.pk}/evidence/", {"text": "x"}
    )
    assert response.status_code == 403
    bruno_on_a = english(territory_a)
    bruno_on_a.sign_in(user("bruno"))
    assert bruno_on_a.get("/playlists/studio/review/").status_code in (302, 403)
    assert bruno_on_a.get(f"/playlists/studio/{playlist.pk}/").status_code in (302, 403)
    with tenant_context(territory_a):
        assert StepProgress.objects.get(pk=progress.pk).state == "submitted"
        assert Enrolment.objects.filter(playlist=playlist).count() == 1


def test_personal_playlist_private_until_shared(territory_a, user, english):
    mine = make_playlist(territory_a, user("ada"), "Ada own path", personal=True)
    assert mine.curator == Playlist.Curator.LEARNER and mine.share_token is None
    alan = english(territory_a, user("alan"))
    assert alan.get(mine.get_absolute_url()).status_code == 404
    assert alan.get(f"/api/playlists/{mine.pk}/").status_code == 404
    assert alan.post(f"/playlists/{mine.pk}/join/").status_code == 404
    assert alan.get(f"/playlists/studio/{mine.pk}/").status_code == 404
    assert (
        english(territory_a, user("anna")).get(f"/playlists/studio/{mine.pk}/").status_code == 404
    )
    assert "Ada own path" not in english(territory_a).get("/playlists/").content.decode()
    ada = english(territory_a, user("ada"))
    assert ada.get(mine.get_absolute_url()).status_code == 200
    ada.post(f"/playlists/{mine.pk}/share/", {"share": "1"})
    with tenant_context(territory_a):
        mine.refresh_from_db()
    token = mine.share_token
    assert token and len(token) >= 40
    page = english(territory_a).get(f"/playlists/shared/{token}/").content.decode()
    assert "Ada own path" in page and f"/playlists/{mine.pk}/join/" not in page
    # Someone else cannot toggle it; stopping sharing kills the link.
    alan.post(f"/playlists/{mine.pk}/share/", {"share": "0"})
    ada.post(f"/playlists/{mine.pk}/share/", {"share": "0"})
    assert english(territory_a).get(f"/playlists/shared/{token}/").status_code == 404
    # The link is not valid on another territory's host either.
    assert (
        english(territory_a.__class__.objects.get(slug="borealis"))
        .get(f"/playlists/shared/{token}/")
        .status_code
        == 404
    )


def test_personal_playlist_is_completed_on_the_learners_word(territory_a, user):
    mine = make_playlist(territory_a, user("ada"), "Ada own path", personal=True)
    steps = steps_of(territory_a, mine)
    join(territory_a, mine, user("ada"))
    with tenant_context(territory_a):
        for step in steps:
            actions.submit_evidence(
                playlist=mine, step=step, territory=territory_a, user=user("ada"), text="done"
            )
        assert Enrolment.objects.get(playlist=mine).completed_at is not None
