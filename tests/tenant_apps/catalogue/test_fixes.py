"""Issue 16's catalogue fixes: a price on a free activity, the voucher label and the
time format of cards."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import tenant_context

from tenant_apps.catalogue import actions
from tenant_apps.catalogue.cards import facts
from tenant_apps.catalogue.models import Activity
from tests.tenant_apps.catalogue.factories import make_activity
from tests.tenant_apps.catalogue.test_workflow import form_data


def test_a_price_typed_while_free_is_ticked_is_an_error_not_dropped(
    territory_a, provider_a, user, english
):
    activity = make_activity(territory_a, provider_a, status=Activity.Status.DRAFT)
    alan = english(territory_a, user("alan"))
    url = f"/studio/{provider_a.pk}/activities/{activity.pk}/"
    response = alan.post(url, form_data(territory_a, is_free="on", price="15"))
    assert response.status_code == 400
    assert "A free activity has no price" in response.content.decode()
    with tenant_context(territory_a):
        activity.refresh_from_db()
    assert activity.price is None
    # Either choice on its own is fine.
    assert alan.post(url, form_data(territory_a, is_free="", price="15")).status_code == 302
    with tenant_context(territory_a):
        activity.refresh_from_db()
    assert (activity.is_free, activity.price) == (False, Decimal("15.00"))


def test_every_write_path_refuses_a_free_activity_with_a_price(territory_a, provider_a):
    activity = make_activity(territory_a, provider_a, status=Activity.Status.DRAFT)
    activity.is_free, activity.price = True, Decimal(15)
    with pytest.raises(ValidationError) as refused:
        activity.clean()
    assert "price" in refused.value.message_dict


def test_voucher_is_translated_on_cards(territory_a, provider_a):
    activity = make_activity(
        territory_a, provider_a, is_free=False, price=Decimal(20), voucher=True
    )
    with translation.override("lt"):
        labels = facts(activity, "EUR")
    assert not any("voucher" in label for label in labels), labels
    assert any("krepšelis" in label for label in labels), labels


def test_times_follow_the_language_format_everywhere(territory_a, provider_a):
    activity = make_activity(territory_a, provider_a)
    activity.next_date = datetime.date(2026, 9, 1)
    with translation.override("en"):
        english = facts(activity, "EUR")[0]
    with translation.override("lt"):
        lithuanian = facts(activity, "EUR")[0]
    # English cards used "16:00" while the activity page said "4 p.m.": one format
    # per language now, from Django's locale formats.
    assert english.endswith("4 p.m."), english
    assert lithuanian.endswith("16:00"), lithuanian


def test_the_activity_review_names_who_sent_it(territory_a, provider_a, venue_a, user, english):
    activity = make_activity(territory_a, provider_a, venue=venue_a, status=Activity.Status.DRAFT)
    alan = user("alan")
    alan.display_name = "Alan Provider"
    alan.save()
    with tenant_context(territory_a):
        actions.submit_activity(activity=activity, territory=territory_a, acting_user=alan)
    page = english(territory_a, user("anna")).get(f"/manage/review/activities/{activity.pk}/")
    assert page.status_code == 200
    assert "sent by Alan Provider" in page.content.decode()
