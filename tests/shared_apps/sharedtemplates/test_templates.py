"""Network templates: published by coordinators, adopted by territories, new versions
offered and never forced."""

from collections.abc import Callable
from typing import Any

from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from shared_apps.sharedtemplates.models import NetworkTemplate, TemplateAdoption
from tenant_apps.catalogue.models import Interest
from tenants.models import Territory
from tests.conftest import HostClient

V1 = [
    {"slug": "podcasting", "names": {"en": "Podcasting", "lt": "Podkastai"}},
    {"slug": "music", "names": {"en": "Music (network)"}},
]


def network_as(user: User) -> HostClient:
    client = HostClient("localhost")
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def territory_as(territory: Territory, user: User) -> HostClient:
    client = HostClient(territory.host, territory)
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def _rows(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is False:
                continue  # an unticked box is not sent
            data[f"{prefix}-{i}-{key}"] = "on" if value is True else value
    return data


def form_data(kind: str, name: str, payload: Any) -> dict[str, Any]:
    """What a coordinator types in the template's form for this content."""
    if kind == "badge_class":
        return {
            "name": name,
            "badge_name": payload["name"],
            "description": payload["description"],
            "criteria_narrative": payload["criteria_narrative"],
            "criteria_requirements": "\n".join(payload["criteria_requirements"]),
            "tags": ", ".join(payload["tags"]),
        } | _rows("alignments", payload["alignments"])
    if kind == "playlist":
        return {
            "name": name,
            "title": payload["title"],
            "description": payload["description"],
            "estimated_hours": str(payload["estimated_hours"]),
        } | _rows("steps", [{"required": True, **step} for step in payload["steps"]])
    return {"name": name} | _rows(
        "interests",
        [
            {"slug": item.get("slug", "")}
            | {f"name_{code}": text for code, text in item["names"].items()}
            for item in payload
        ],
    )


def publish(
    user: User, payload: object, name: str = "Media interests", kind: str = "interests"
) -> int:
    return (
        network_as(user)
        .post(f"/network-templates/new/{kind}/", form_data(kind, name, payload))
        .status_code
    )


def test_only_coordinators_publish_and_bad_payloads_are_refused(
    db: None, user: Callable[[str], User]
) -> None:
    assert publish(user("anna"), V1) == 403
    # No interest named, a name too long, no template name: field errors, nothing saved.
    assert publish(user("cora"), [{"names": {"en": " "}}]) == 400
    response = network_as(user("cora")).post(
        "/network-templates/new/interests/",
        form_data("interests", "", [{"names": {"en": "x" * 81}}]),
    )
    assert response.status_code == 400
    assert "name" in response.context["editor"].form.errors
    assert "name_en" in response.context["editor"].rows.forms[0].errors
    assert network_as(user("cora")).get("/network-templates/new/nonsense/").status_code == 404
    assert not NetworkTemplate.objects.exists()
    assert publish(user("cora"), V1) == 302
    template = NetworkTemplate.objects.get()
    assert template.version == 1 and template.payload == V1
    assert AuditEntry.objects.filter(action="template.published").exists()


def test_adopt_copies_into_the_territory_and_new_versions_are_offered(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    publish(user("cora"), V1)
    template = NetworkTemplate.objects.get()
    anna = territory_as(territory_a, user("anna"))
    assert "Adopt" in anna.get("/manage/templates/").content.decode()
    assert anna.post(f"/manage/templates/{template.pk}/adopt/").status_code == 302
    with tenant_context(territory_a):
        assert Interest.objects.get(slug="podcasting").names["lt"] == "Podkastai"
        assert Interest.objects.get(slug="music").names["en"] == "Music (network)"
    adoption = TemplateAdoption.objects.get(territory=territory_a)
    assert adoption.version == 1 and adoption.template == template
    # Only aurora got it.
    with tenant_context(territory_b):
        assert not Interest.objects.filter(slug="podcasting").exists()
    # A new version is offered, not forced.
    v2 = [*V1, {"slug": "film", "names": {"en": "Film"}}]
    cora = network_as(user("cora"))
    # The form starts from the current version (names per language, identifiers kept).
    form = cora.get(f"/network-templates/{template.pk}/").content.decode()
    assert 'value="Podkastai"' in form and 'value="podcasting"' in form
    edited = cora.post(
        f"/network-templates/{template.pk}/", form_data("interests", "Media interests", v2)
    )
    assert edited.status_code == 302
    template.refresh_from_db()
    assert template.version == 2
    with tenant_context(territory_a):
        assert not Interest.objects.filter(slug="film").exists()
    assert "Update to version 2" in anna.get("/manage/templates/").content.decode()
    anna.post(f"/manage/templates/{template.pk}/adopt/")
    with tenant_context(territory_a):
        assert Interest.objects.filter(slug="film").exists()
    assert TemplateAdoption.objects.get(territory=territory_a).version == 2


def test_template_pages_are_for_admins_and_creators(
    territory_a: Territory, user: Callable[[str], User]
) -> None:
    publish(user("cora"), V1)
    template = NetworkTemplate.objects.get()
    alan = territory_as(territory_a, user("alan"))
    assert alan.post(f"/manage/templates/{template.pk}/adopt/").status_code == 403
    assert network_as(user("pat")).get(f"/network-templates/{template.pk}/").status_code == 200
    assert network_as(user("ada")).get(f"/network-templates/{template.pk}/").status_code == 403


BADGE = {
    "name": "Young reporter",
    "description": "Reported on a local story.",
    "criteria_narrative": "Publish one story about your neighbourhood.",
    "criteria_requirements": ["Interview someone", "Publish the story"],
    "tags": ["media"],
    "alignments": [
        {
            "framework": "DigComp",
            "name": "Developing digital content",
            "url": "https://example.org/3.1",
        }
    ],
}
PLAYLIST = {
    "title": "Become a young journalist",
    "description": "From a question to a published story.",
    "estimated_hours": 10,
    "steps": [
        {"title": "Find a question", "instructions": "Ask ten people what bothers them."},
        {"title": "Record a podcast", "instructions": "", "required": False},
    ],
}


def test_badge_and_playlist_templates_are_checked_then_copied_where_adopted_only(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    from tenant_apps.badges.models import BadgeClass
    from tenant_apps.playlists.models import Playlist

    assert publish(user("cora"), {**BADGE, "name": ""}, "Reporter", "badge_class") == 400
    response = network_as(user("cora")).post(
        "/network-templates/new/badge_class/",
        form_data("badge_class", "Reporter", {**BADGE, "alignments": [{"framework": "x"}]}),
    )
    assert response.status_code == 400
    assert response.context["editor"].rows.forms[0].non_field_errors()
    assert publish(user("cora"), {**PLAYLIST, "steps": []}, "Journalist", "playlist") == 400
    assert publish(user("cora"), BADGE, "Reporter", "badge_class") == 302
    assert publish(user("cora"), PLAYLIST, "Journalist", "playlist") == 302
    badge_template = NetworkTemplate.objects.get(kind="badge_class")
    playlist_template = NetworkTemplate.objects.get(kind="playlist")

    anna = territory_as(territory_a, user("anna"))
    assert anna.post(f"/manage/templates/{badge_template.pk}/adopt/").status_code == 302
    assert anna.post(f"/manage/templates/{playlist_template.pk}/adopt/").status_code == 302
    with tenant_context(territory_a):
        badge = BadgeClass.objects.get(name="Young reporter")
        assert badge.issuer.kind == "territory"
        assert badge.criteria_requirements == ["Interview someone", "Publish the story"]
        assert badge.alignments[0]["framework"] == "DigComp"
        draft = Playlist.objects.get(title="Become a young journalist")
        assert draft.status == Playlist.Status.DRAFT and draft.curator == "territory"
        steps = list(draft.steps.order_by("position").values_list("kind", "title", "is_required"))
        assert steps == [
            ("challenge", "Find a question", True),
            ("challenge", "Record a podcast", False),
        ]
    with tenant_context(territory_b):  # borealis adopted nothing
        assert not BadgeClass.objects.filter(name="Young reporter").exists()
        assert not Playlist.objects.filter(title="Become a young journalist").exists()

    # A new version is offered; taking it updates the badge's description in place.
    edit = network_as(user("cora")).post(
        f"/network-templates/{badge_template.pk}/",
        form_data("badge_class", "Reporter", {**BADGE, "description": "Told a story."}),
    )
    assert edit.status_code == 302
    assert "Update to version 2" in anna.get("/manage/templates/").content.decode()
    with tenant_context(territory_a):
        assert BadgeClass.objects.get(pk=badge.pk).description == "Reported on a local story."
    anna.post(f"/manage/templates/{badge_template.pk}/adopt/")
    with tenant_context(territory_a):
        assert BadgeClass.objects.get(pk=badge.pk).description == "Told a story."
        assert BadgeClass.objects.filter(name="Young reporter").count() == 1
    # bruno (admin of borealis) cannot adopt into aurora from aurora's host.
    bruno = territory_as(territory_a, user("bruno"))
    assert bruno.post(f"/manage/templates/{playlist_template.pk}/adopt/").status_code in (302, 403)
    with tenant_context(territory_a):
        assert Playlist.objects.filter(title="Become a young journalist").count() == 1


def test_templates_reach_territory_data_through_the_features_own_functions() -> None:
    """Layer rule: shared_apps imports no territory app's models (adoption goes through
    the catalogue's, badges' and playlists' actions and selectors)."""
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parents[3] / "shared_apps" / "sharedtemplates"
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                assert not (parts[0] == "tenant_apps" and parts[-1] == "models"), (
                    f"{path.name} imports {node.module}"
                )
