"""The playlists API: list and detail with steps, the learner's own progress,
evidence (a locked step is a 400 with a message), and the OpenAPI schema."""

from __future__ import annotations

from tests.tenant_apps.playlists.factories import join, make_playlist, steps_of


def test_list_and_detail_with_steps(territory_a, user, english):
    playlist = make_playlist(territory_a, user("anna"), "API path", is_ordered=True)
    make_playlist(territory_a, user("anna"), "Draft path", publish=False)
    client = english(territory_a)
    data = client.get("/api/playlists/").json()
    titles = [p["title"] for p in data["results"]]
    assert "API path" in titles and "Draft path" not in titles
    detail = client.get(f"/api/playlists/{playlist.pk}/").json()
    assert detail["is_ordered"] is True
    assert [s["title"] for s in detail["steps"]] == ["Interview a neighbour", "Write the article"]


def test_progress_and_evidence(territory_a, user, english):
    playlist = make_playlist(territory_a, user("anna"), is_ordered=True)
    first, second = steps_of(territory_a, playlist)
    ada = english(territory_a, user("ada"))
    assert ada.get(f"/api/playlists/{playlist.pk}/progress/").status_code == 404
    assert ada.post(f"/api/playlists/{playlist.pk}/join/").status_code == 201
    progress = ada.get(f"/api/playlists/{playlist.pk}/progress/").json()
    assert [s["state"] for s in progress["steps"]] == ["open", "locked"]
    response = ada.post(
        f"/api/playlists/{playlist.pk}/steps/{second.pk}/evidence/",
        {"text": "Skipping ahead"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "opens when the steps before it are done" in response.json()["detail"]
    response = ada.post(
        f"/api/playlists/{playlist.pk}/steps/{first.pk}/evidence/",
        {"url": "not a link"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "url" in response.json()
    response = ada.post(
        f"/api/playlists/{playlist.pk}/steps/{first.pk}/evidence/",
        {"text": "My interview", "url": "https://example.org/interview"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert [s["state"] for s in response.json()["steps"]] == ["waiting", "locked"]


def test_visitors_cannot_write(territory_a, user, english):
    playlist = make_playlist(territory_a, user("anna"))
    _first, _ = steps_of(territory_a, playlist)
    client = english(territory_a)
    assert client.post(f"/api/playlists/{playlist.pk}/join/").status_code == 403
    assert client.get(f"/api/playlists/{playlist.pk}/progress/").status_code == 403
    join(territory_a, playlist, user("ada"))


def test_schema_lists_the_playlist_endpoints(territory_a, english):
    schema = english(territory_a).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/playlists/",
        "/api/playlists/{id}/",
        "/api/playlists/{id}/progress/",
        "/api/playlists/{id}/steps/{step_id}/evidence/",
    ):
        assert path in schema["paths"], path


def test_evidence_file_through_the_api_is_private(territory_a, user, english):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import tenant_context

    from tenant_apps.playlists.models import StepProgress
    from tests.tenant_apps.badges.factories import png_bytes

    playlist = make_playlist(territory_a, user("anna"))
    first, _ = steps_of(territory_a, playlist)
    join(territory_a, playlist, user("ada"))
    ada = english(territory_a, user("ada"))
    response = ada.post(
        f"/api/playlists/{playlist.pk}/steps/{first.pk}/evidence/",
        {"file": SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")},
    )
    assert response.status_code == 201
    assert "evidence_file" not in response.content.decode()
    with tenant_context(territory_a):
        progress = StepProgress.objects.get(step=first)
        assert progress.evidence_content_type == "image/png"
    assert ada.get(f"/playlists/evidence/{progress.pk}/file/").status_code == 200
    assert (
        english(territory_a, user("alan"))
        .get(f"/playlists/evidence/{progress.pk}/file/")
        .status_code
        == 404
    )
