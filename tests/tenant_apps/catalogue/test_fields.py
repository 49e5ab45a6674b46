"""One declaration of an activity's fields (tenant_apps/catalogue/fields.py): the
editor's form, the API's serializers and the editor's save all follow it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django import forms
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from tenant_apps.catalogue import actions
from tenant_apps.catalogue import fields as activity_fields
from tenant_apps.catalogue.api import (
    API_LIST_FIELDS,
    ActivityDetailSerializer,
    ActivitySerializer,
)
from tenant_apps.catalogue.fields import ActivityField, Api, Write
from tenant_apps.catalogue.forms import FORM_CONTROLS, ActivityForm, editor_form_fields
from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.imports.rows import ACTIVITY_FORM_FIELDS
from tenants.models import Territory
from tests.tenant_apps.catalogue.factories import make_activity

# A column of the model that no reader shows today: the field "added to the spec".
ADDED = ActivityField("external_id", write=Write.COPY, api=Api.LIST)


def context(territory: Territory, activity: Activity) -> dict[str, Any]:
    return {
        "territory": territory,
        "interests_by_id": {i.pk: i for i in activity.interests.all()},
    }


def test_the_form_the_serializers_and_the_save_cannot_drift_from_the_spec() -> None:
    assert set(ActivityForm.base_fields) == {*activity_fields.editor_fields(), *FORM_CONTROLS}
    assert ActivitySerializer.Meta.fields == activity_fields.api_fields()
    assert list(ActivitySerializer().fields) == activity_fields.api_fields()
    assert list(ActivityDetailSerializer().fields) == activity_fields.api_fields(detail=True)
    # The detail is the list and more, the list's keys first.
    detail = activity_fields.api_fields(detail=True)
    assert detail[: len(activity_fields.api_fields())] == activity_fields.api_fields()
    # What the save copies is what the editor has, less what is written by its own code.
    assert set(actions.ACTIVITY_FIELDS) == set(activity_fields.copied_fields())
    assert set(activity_fields.copied_fields()) <= set(activity_fields.editor_fields())
    # The list page loads every column it shows (no query per activity).
    assert set(activity_fields.copied_fields()) <= set(API_LIST_FIELDS)
    # An import fills the editor's fields, less files and the venue it resolves itself.
    assert set(ACTIVITY_FORM_FIELDS) == set(activity_fields.editor_fields()) - {"image", "venue"}


def test_the_editor_page_lays_out_every_field_of_the_form() -> None:
    """A field the spec adds must also get its place on the editor's page (the page
    lays fields out by hand, in sections); a field left off the page would be posted
    empty on every save."""
    page = (
        Path(__file__).resolve().parents[3]
        / "tenant_apps/catalogue/templates/catalogue/studio/activity_form.html"
    ).read_text(encoding="utf-8")
    missing = [name for name in ActivityForm.base_fields if f"form.{name}." not in page]
    assert missing == []


def test_the_spec_keeps_the_apis_keys_in_their_published_order() -> None:
    """The JSON's keys and the OpenAPI schema come from this order: it never changes
    for an existing field (a client may read columns by position, e.g. a CSV)."""
    assert activity_fields.api_fields() == [
        "id", "url", "title", "summary", "provider", "venue", "format", "online_url",
        "interests", "skills", "age_min", "age_max", "is_free", "price", "currency",
        "price_note", "voucher", "languages", "schedule", "next_date", "capacity",
        "join_method", "join_url", "join_contact", "image", "image_alt", "published_at",
        "distance_m",
    ]  # fmt: skip
    assert activity_fields.api_fields(detail=True)[-3:] == [
        "description",
        "sessions",
        "venue_detail",
    ]
    assert activity_fields.translated_fields() == ("title", "summary", "description")


def test_a_form_field_the_spec_does_not_know_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    declared = {**ActivityForm.declared_fields, "nickname": forms.CharField()}
    with pytest.raises(ImproperlyConfigured, match="nickname"):
        editor_form_fields(declared)


def test_a_field_added_to_the_spec_is_in_the_form_the_serializer_and_the_save(
    territory_a: Territory,
    provider_a: Provider,
    user: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        activity_fields, "ACTIVITY_FIELDS", (*activity_fields.ACTIVITY_FIELDS, ADDED)
    )
    activity = make_activity(territory_a, provider_a, "Robotics")

    # The form: the model field's own form field, since ActivityForm declares none.
    form_fields = editor_form_fields(ActivityForm.declared_fields)
    assert isinstance(form_fields["external_id"], forms.CharField)
    assert form_fields["external_id"].max_length == 120

    # The serializer: a new key, last of the list's.
    class Serializer(ActivitySerializer):
        class Meta(ActivitySerializer.Meta):
            fields = activity_fields.api_fields()

    with tenant_context(territory_a):
        activity.external_id = "ext-7"
        data = Serializer(activity, context=context(territory_a, activity)).data
    assert list(data)[-1] == "external_id" and data["external_id"] == "ext-7"

    # The save: the editor's value is written.
    ada: User = user("ada")
    with tenant_context(territory_a):
        fresh = Activity.objects.get(pk=activity.pk)
        actions.update_activity(
            activity=fresh,
            territory=territory_a,
            acting_user=ada,
            data={"external_id": "from-the-editor"},
            description="",
            interests=[],
            sessions=[],
            venue=None,
        )
        assert Activity.objects.get(pk=activity.pk).external_id == "from-the-editor"


def test_without_the_added_field_the_save_leaves_that_column_alone(
    territory_a: Territory, provider_a: Provider, user: Any
) -> None:
    """The counterpart of the test above: the save writes only what the spec names."""
    activity = make_activity(territory_a, provider_a, "Robotics", external_id="kept")
    with tenant_context(territory_a):
        actions.update_activity(
            activity=Activity.objects.get(pk=activity.pk),
            territory=territory_a,
            acting_user=user("ada"),
            data={"external_id": "from-the-editor", "title": "Robotics club"},
            description="",
            interests=[],
            sessions=[],
            venue=None,
        )
        saved = Activity.objects.get(pk=activity.pk)
    assert (saved.external_id, saved.title) == ("kept", "Robotics club")
