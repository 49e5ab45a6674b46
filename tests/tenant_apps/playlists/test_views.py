"""Learners' and organisers' pages: join, progress, evidence with field errors,
review queue, check-in, figures, the builder; query counts pinned."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from tenant_apps.playlists import actions
from tenant_apps.playlists.models import Enrolment, Playlist, StepProgress
from tests.tenant_apps.badges.factories import png_bytes
from tests.tenant_apps.catalogue.factories import make_activity
from tests.tenant_apps.playlists.factories import (
    activity_step,
    challenge,
    join,
    make_playlist,
    steps_of,
)


def test_list_filters_by_interest_and_hides_drafts(territory_a, user, english, provider_a):
    with tenant_context(territory_a):
        from tenant_apps.catalogue.models import Interest

        music = Interest.objects.create(slug="music-test", names={"en": "Music test"})
    make_playlist(territory_a, user("anna"), "Sound lab", interests=[music])
    make_playlist(territory_a, user("anna"), "Newsroom")
    make_playlist(territory_a, user("anna"), "Secret draft", publish=False)
    client = english(territory_a)
    page = client.get("/playlists/").content.decode()
    assert "Sound lab" in page and "Newsroom" in page and "Secret draft" not in page
    page = client.get("/playlists/?interest=music-test").content.decode()
    assert "Sound lab" in page and "Newsroom" not in page


def test_playlist_page_shows_local_steps_on_the_map_and_activity_links_back(
    territory_a, user, english, provider_a, venue_a
):
    activity = make_activity(territory_a, provider_a, "Radio workshop", venue=venue_a)
    playlist = make_playlist(
        territory_a, user("anna"), steps=[activity_step(activity), challenge("Record a story")]
    )
    page = english(territory_a).get(playlist.get_absolute_url()).content.decode()
    assert "Radio workshop" in page and "Žirmūnų salė" in page
    assert "place-map" in page and "54.7012" in page
    detail = english(territory_a).get(activity.get_absolute_url()).content.decode()
    assert "Part of these playlists" in detail and playlist.title in detail


def test_join_progress_evidence_and_resubmit(territory_a, user, english):
    playlist = make_playlist(territory_a, user("anna"), is_ordered=True)
    first, second = steps_of(territory_a, playlist)
    ada = english(territory_a, user("ada"))
    response = ada.post(f"/playlists/{playlist.pk}/join/")
    assert response.status_code == 302
    page = ada.get(f"/playlists/{playlist.pk}/progress/").content.decode()
    assert "Locked" in page and "Open" in page and "0 of 2 steps done" in page
    # Field errors: nothing given, then a file that is not an image.
    url = f"/playlists/{playlist.pk}/steps/{first.pk}/evidence/"
    response = ada.post(url, {"text": ""})
    assert response.status_code == 400
    assert "Describe what you did" in response.content.decode()
    fake = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = ada.post(url, {"file": fake})
    assert response.status_code == 400 and "not accepted here" in response.content.decode()
    # The locked step is refused.
    response = ada.post(f"/playlists/{playlist.pk}/steps/{second.pk}/evidence/", {"text": "x"})
    assert response.status_code == 400 and "opens when" in response.content.decode()
    photo = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    assert ada.post(url, {"text": "My interview", "file": photo}).status_code == 302
    page = ada.get(f"/playlists/{playlist.pk}/progress/").content.decode()
    assert "Waiting for review" in page
    with tenant_context(territory_a):
        progress = StepProgress.objects.get(step=first)
        assert progress.evidence_file.name.startswith(f"{territory_a.schema_name}/")
        actions.review_evidence(
            progress=progress,
            territory=territory_a,
            reviewer=user("anna"),
            decision="improve",
            comment="Add the questions you asked.",
        )
    page = ada.get(f"/playlists/{playlist.pk}/progress/").content.decode()
    assert "Add the questions you asked." in page and "Send again" in page
    assert ada.post(url, {"text": "With questions"}).status_code == 302
    with tenant_context(territory_a):
        assert StepProgress.objects.get(step=first).state == "submitted"
    # Leaving keeps the progress.
    ada.post(f"/playlists/{playlist.pk}/leave/")
    with tenant_context(territory_a):
        assert Enrolment.objects.get(playlist=playlist).left_at is not None
        assert StepProgress.objects.filter(step=first).exists()


def test_review_queue_decisions_filters_and_pagination(territory_a, user, english):
    playlist = make_playlist(territory_a, user("anna"))
    other = make_playlist(territory_a, user("anna"), "Other path")
    first, _ = steps_of(territory_a, playlist)
    join(territory_a, playlist, user("ada"))
    join(territory_a, other, user("ada"))
    with tenant_context(territory_a):
        progress = actions.submit_evidence(
            playlist=playlist, step=first, territory=territory_a, user=user("ada"), text="Done!"
        )
        other_step = other.steps.get(position=1)
        actions.submit_evidence(
            playlist=other,
            step=other_step,
            territory=territory_a,
            user=user("ada"),
            text="Other path evidence",
        )
    anna = english(territory_a, user("anna"))
    page = anna.get("/playlists/studio/review/").content.decode()
    assert "Done!" in page and "Other path evidence" in page
    assert "ada@example.org" not in page  # reviewers see no email address
    page = anna.get(f"/playlists/studio/review/?playlist={playlist.pk}").content.decode()
    assert "Done!" in page and "Other path evidence" not in page
    response = anna.post(f"/playlists/studio/review/{progress.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    with tenant_context(territory_a):
        assert StepProgress.objects.get(pk=progress.pk).state == "approved"
    page = anna.get("/playlists/studio/review/?state=approved").content.decode()
    assert "Done!" in page
    # Learners and staff of no provider have no review queue.
    assert english(territory_a, user("ada")).get("/playlists/studio/review/").status_code == 404


def test_provider_staff_review_only_their_providers_playlists(
    territory_a, user, english, provider_a
):
    theirs = make_playlist(territory_a, user("alan"), "Provider path", provider=provider_a)
    territory_path = make_playlist(territory_a, user("anna"), "Territory path")
    for playlist in (theirs, territory_path):
        join(territory_a, playlist, user("ada"))
        with tenant_context(territory_a):
            actions.submit_evidence(
                playlist=playlist,
                step=playlist.steps.get(position=1),
                territory=territory_a,
                user=user("ada"),
                text=f"Evidence for {playlist.title}",
            )
    alan = english(territory_a, user("alan"))
    page = alan.get("/playlists/studio/review/").content.decode()
    assert "Evidence for Provider path" in page
    assert "Evidence for Territory path" not in page
    assert alan.get(f"/playlists/studio/{territory_path.pk}/").status_code == 404
    assert alan.get(f"/playlists/studio/{theirs.pk}/figures/").status_code == 200


def test_review_queue_query_count_does_not_grow(
    territory_a, user, english, django_assert_num_queries
):
    playlist = make_playlist(
        territory_a, user("anna"), steps=[challenge(f"S{i}") for i in range(8)]
    )
    join(territory_a, playlist, user("ada"))
    with tenant_context(territory_a):
        for step in playlist.steps.all():
            actions.submit_evidence(
                playlist=playlist, step=step, territory=territory_a, user=user("ada"), text="x"
            )
    anna = english(territory_a, user("anna"))
    anna.get("/playlists/studio/review/")
    # search_path, session, account, membership, count, the page's ids, the page's
    # rows, the playlists filter (the territory admin needs no provider check), the
    # header's unread notifications.
    with django_assert_num_queries(9):
        assert anna.get("/playlists/studio/review/").status_code == 200


def test_progress_page_query_count_does_not_grow(
    territory_a, user, english, django_assert_num_queries
):
    playlist = make_playlist(
        territory_a, user("anna"), steps=[challenge(f"S{i}") for i in range(12)]
    )
    join(territory_a, playlist, user("ada"))
    with tenant_context(territory_a):
        for step in list(playlist.steps.all())[:6]:
            actions.submit_evidence(
                playlist=playlist, step=step, territory=territory_a, user=user("ada"), text="x"
            )
    ada = english(territory_a, user("ada"))
    url = f"/playlists/{playlist.pk}/progress/"
    ada.get(url)
    # search_path, session, account, membership, playlist, enrolment, steps, progress,
    # the header's unread notifications.
    with django_assert_num_queries(9):
        assert ada.get(url).status_code == 200


def test_builder_adds_moves_and_publishes(territory_a, user, english, provider_a):
    alan = english(territory_a, user("alan"))
    response = alan.post(
        "/playlists/studio/new/",
        {"title": "", "min_optional": 0, "provider": provider_a.pk},
    )
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = alan.post(
        "/playlists/studio/new/",
        {"title": "Young journalist", "min_optional": 0, "provider": provider_a.pk},
    )
    assert response.status_code == 302
    with tenant_context(territory_a):
        playlist = Playlist.objects.get(title="Young journalist")
        assert playlist.provider_id == provider_a.pk
    base = f"/playlists/studio/{playlist.pk}/"
    response = alan.post(f"{base}steps/", {"kind": "challenge", "completion": "evidence"})
    assert response.status_code == 400 and "Give the challenge a title" in response.content.decode()
    for title in ("Interview", "Write"):
        alan.post(
            f"{base}steps/",
            {"kind": "challenge", "title": title, "completion": "evidence", "is_required": "on"},
        )
    _first, second = steps_of(territory_a, playlist)
    alan.post(f"{base}steps/{second.pk}/up/")
    assert [s.title for s in steps_of(territory_a, playlist)] == ["Write", "Interview"]
    alan.post(f"{base}submit/")
    with tenant_context(territory_a):
        playlist.refresh_from_db()
        assert playlist.status == "submitted"  # alan's provider is not trusted
    # Only the territory admin publishes it.
    assert alan.post(f"{base}approve/").status_code == 404
    english(territory_a, user("anna")).post(f"{base}approve/")
    with tenant_context(territory_a):
        playlist.refresh_from_db()
        assert playlist.status == "published"


def test_check_in_and_figures(territory_a, user, english):
    playlist = make_playlist(
        territory_a,
        user("anna"),
        steps=[challenge("Workshop", completion="check_in"), challenge("Article")],
    )
    workshop, _article = steps_of(territory_a, playlist)
    join(territory_a, playlist, user("ada"))
    join(territory_a, playlist, user("alan"))
    anna = english(territory_a, user("anna"))
    url = f"/playlists/studio/{playlist.pk}/steps/{workshop.pk}/check-in/"
    page = anna.get(url).content.decode()
    assert "ada@example.org" not in page
    anna.post(url, {"user": [user("ada").pk]})
    page = anna.get(url).content.decode()
    assert page.count("checked disabled") == 1  # ada is checked in, alan is not
    figures = anna.get(f"/playlists/studio/{playlist.pk}/figures/")
    with tenant_context(territory_a):
        from tenant_apps.playlists.selectors import figures as compute

        result = compute(playlist)
    assert figures.status_code == 200
    assert (result.joined, result.in_progress, result.completed) == (2, 2, 0)
    assert [(row.done, row.drop_off) for row in result.steps] == [(1, 1), (0, 1)]


def test_home_section_lists_published_playlists(territory_a, user, english):
    make_playlist(territory_a, user("anna"), "Home path")
    page = english(territory_a).get("/").content.decode()
    assert "Home path" in page


def test_provider_staff_cannot_attach_the_territorys_badge(territory_a, user, english, provider_a):
    from tests.tenant_apps.badges.factories import make_badge

    with tenant_context(territory_a):
        badge = make_badge(territory_a, "Territory badge")
    alan = english(territory_a, user("alan"))
    response = alan.post(
        "/playlists/studio/new/",
        {"title": "Sneaky", "min_optional": 0, "provider": provider_a.pk, "badge_class": badge.pk},
    )
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    with tenant_context(territory_a):
        assert not Playlist.objects.filter(title="Sneaky").exists()


def test_list_and_playlist_pages_do_not_grow_queries(
    territory_a, user, english, provider_a, venue_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(path: str) -> int:
        client = english(territory_a)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    activity = make_activity(territory_a, provider_a, "Radio workshop", venue=venue_a)
    first = make_playlist(territory_a, user("anna"), steps=[activity_step(activity)])
    few = (count("/playlists/"), count(first.get_absolute_url()))
    for i in range(5):
        other = make_activity(territory_a, provider_a, f"Workshop {i}", venue=venue_a)
        make_playlist(territory_a, user("anna"), f"Path {i}", steps=[activity_step(other)])
    with tenant_context(territory_a):
        first.status = "draft"
        first.save()
        for i in range(5):
            other = make_activity(territory_a, provider_a, f"More {i}", venue=venue_a)
            actions.add_step(playlist=first, kind="activity", activity=other)
        first.status = "published"
        first.save()
    assert (count("/playlists/"), count(first.get_absolute_url())) == few
