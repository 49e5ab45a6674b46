"""The import's fast checking gives the plain form's answers: every value, every error.

ImportActivityForm remembers the answers of pure fields per input (rows repeat their
ages, days, times). These tests check it row by row, over varied rows good and bad,
against the same form cleaning every field every time (``memoize = False``, Django's
own Form._clean_fields) and against a fresh form per row.
"""

import datetime
import random
from typing import Any

import pytest
from django import forms
from django.db.models.signals import post_init
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.actions import ACTIVITY_FIELDS
from tenant_apps.catalogue.models import Activity, Interest, Provider, Venue
from tenant_apps.imports import rows
from tenant_apps.imports.readers import FORMULA
from tenant_apps.imports.rows import ActivityChecker, ImportActivityForm
from tenants.models import Territory

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime.now(datetime.UTC).date()


def _day(offset: int) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


# Per column: values a city's file may hold, right and wrong (the wrong ones in every
# way the editor's form refuses them).
POOLS: dict[str, list[Any]] = {
    "external_id": ["", "x-1", "x-2", "x-3"],
    "status": ["", "draft", "published", "Published", "gone"],
    "title": ["Robotics club", "", "   ", "Tiny", "t" * 161, "  Padded title  ", FORMULA],
    "summary": ["Build robots together.", "", "s" * 301],
    "description": ["", "<p>Hello <script>x</script></p>", "Plain\n\ntext"],
    "interests": ["robotics", "", "robotics, nonsense", "ROBOTICS; robotics"],
    "skills": ["", "teamwork, soldering", "a, a, b"],
    "format": ["local", "online", "hybrid", "", "space"],
    "online_url": ["", "https://example.org/live", "not a link", "example.org"],
    "age_min": ["6", "", "-1", "abc", "12", "200", 8, 8.0],
    "age_max": ["18", "", "5", "x", 25],
    "is_free": ["yes", "", "no", "maybe", "Taip", True],
    "price": ["", "10", "10.555", "-3", "abc", "12.50", 7.5],
    "price_note": ["", "per month"],
    "voucher": ["", "no", "yes", "perhaps"],
    "languages": ["", "lt", "en, lt", "xx", "EN"],
    "schedule_kind": ["weekly", "weekly", "range", "sessions", "open", "nonsense", ""],
    "starts_on": [_day(-7), _day(-7), "", "2026-13-40", "07/12/2026", _day(500), _day(-300)],
    "ends_on": [_day(90), _day(90), "", "never", _day(-30), _day(30)],
    "weekdays": ["1, 3", "1, 3", "mon, wed", "", "8", "funday", "Tue;Thu"],
    "start_time": ["16:00", "16:00", "", "25:00", "4pm", "16:00:30", "9:05"],
    "end_time": ["17:30", "17:30", "", "15:00", "x"],
    "exceptions": ["", _day(14), "bad", f"{_day(7)}, {_day(21)}"],
    "sessions": [
        "",
        f"{_day(3)} 15:00-16:30; {_day(10)} 10:00",
        "bad",
        f"{_day(4)} 16:00-15:00",
        _day(5),
        f"{_day(-40)} 10:00-11:00",
    ],
    "schedule_note": ["", "Not on holidays"],
    "capacity": ["", "10", "0", "x"],
    "join_method": ["interested", "interested", "link", "contact", "bogus", ""],
    "join_url": ["", "https://example.org/join", "not a url"],
    "join_contact": ["", "Ona, +370 600 00000"],
    "image_alt": ["", "Children with robots"],
    "provider_name": ["Žirmūnų centras", "Antakalnio klubas", ""],
    "venue_name": ["Salė", "", "Kiemas"],
    "venue_address": ["Žirmūnų g. 1"],
    "venue_latitude": ["54.70"],
    "venue_longitude": ["25.30"],
}


def _varied_rows(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    found = []
    names = list(POOLS)
    for _ in range(count):
        # A right row (the first of each pool) with up to four columns drawn at random:
        # every value of every pool comes up, alone and with others.
        row = {name: pool[0] for name, pool in POOLS.items()}
        for name in rng.sample(names, rng.randint(0, 4)):
            row[name] = rng.choice(POOLS[name])
        found.append(row)
    return found


def _form_data(row: dict[str, Any], checker: ActivityChecker) -> MultiValueDict[str, Any]:
    """The form's input for a row, as the checker builds it."""
    data, _errors = rows._form_data(rows.ActivityForm, row, rows.ACTIVITY_FORM_FIELDS)
    interests, _unknown = checker._interests(row)
    data.setlist("interests", [str(pk) for pk in interests])
    if row.get("venue_name"):
        data["venue"] = "1"
    checker._sessions(row, data, rows.RowOutcome(number=0, errors=[]))
    return data


def _form(territory: Territory, interest_ids: list[int], *, memoize: bool) -> ImportActivityForm:
    form = ImportActivityForm(
        interest_ids=interest_ids,
        provider=Provider(pk=0),
        territory_languages=territory.languages,
        timezone=territory.timezone,
    )
    form.memoize = memoize
    return form


def _answer(form: ImportActivityForm) -> tuple[Any, ...]:
    valid = form.is_valid()
    return (
        valid,
        form.errors.get_json_data(),
        form.cleaned_data,
        form.sessions,
        form.session_rows,
    )


@pytest.mark.parametrize("language", ["en", "lt"])
def test_the_remembering_form_answers_as_the_plain_form_row_by_row(
    territory_a: Territory, language: str
) -> None:
    with tenant_context(territory_a), translation.override(language):
        interest_ids = sorted(Interest.objects.values_list("pk", flat=True))
        fast = _form(territory_a, interest_ids, memoize=True)
        checker = ActivityChecker(territory=territory_a, source="city", columns={})
        invalid = 0
        for number, row in enumerate(_varied_rows(400, seed=18)):
            data = _form_data(row, checker)
            complete = number % 3 != 0
            fast.rebind(data, require_complete=complete)
            plain = _form(territory_a, interest_ids, memoize=False)
            plain.rebind(data.copy(), require_complete=complete)
            assert _answer(fast) == _answer(plain), row
            invalid += not fast.is_valid()
        # The rows tried both ways: accepted and refused ones, many of each.
        assert 50 < invalid < 350
        # The remembered answers were used (far fewer distinct inputs than rows).
        plans = fast.__dict__["_clean_plans"][language][1]
        remembered = {step[0]: len(step[-1]) for step in plans if step[-1] is not None}
        assert remembered["age_min"] <= len(POOLS["age_min"]) + 1
        assert "interests" in remembered and "image" not in remembered


def test_errors_are_in_the_language_of_each_run(territory_a: Territory) -> None:
    with tenant_context(territory_a):
        interest_ids = sorted(Interest.objects.values_list("pk", flat=True))
        form = _form(territory_a, interest_ids, memoize=True)
        checker = ActivityChecker(territory=territory_a, source="city", columns={})
        data = _form_data({k: v[0] for k, v in POOLS.items()} | {"age_min": "abc"}, checker)
        messages: dict[str, list[str]] = {}
        for language in ("en", "lt", "en"):
            with translation.override(language):
                form.rebind(data.copy(), require_complete=True)
                assert not form.is_valid()
                messages.setdefault(language, []).append(str(form.errors["age_min"][0]))
        assert messages["en"][0] == messages["en"][1] == "Enter a whole number."
        assert messages["lt"][0] != messages["en"][0]


def test_a_rows_cleaned_lists_are_its_own(territory_a: Territory) -> None:
    with tenant_context(territory_a):
        interest_ids = sorted(Interest.objects.values_list("pk", flat=True))
        form = _form(territory_a, interest_ids, memoize=True)
        checker = ActivityChecker(territory=territory_a, source="city", columns={})
        row = {k: v[0] for k, v in POOLS.items()} | {"languages": "en, lt"}
        form.rebind(_form_data(row, checker), require_complete=True)
        assert form.is_valid(), form.errors
        first = form.cleaned_data["languages"]
        first.append("changed")
        form.rebind(_form_data(row, checker), require_complete=True)
        assert form.is_valid()
        assert form.cleaned_data["languages"] == ["en", "lt"]
        assert form.cleaned_data["languages"] is not first


def _outcome(outcome: rows.RowOutcome) -> tuple[Any, ...]:
    plan = outcome.plan
    if plan is None:
        return (outcome.number, outcome.errors, outcome.action)
    activity = plan.activity
    columns = (*ACTIVITY_FIELDS, "description", "status", "days", "first_date", "last_date")
    return (
        outcome.number,
        outcome.errors,
        outcome.action,
        {name: getattr(activity, name) for name in (*columns, "next_date", "external_id")},
        activity.provider.name,
        activity.venue.name if activity.venue is not None else None,
        plan.interest_ids,
        plan.sessions,
    )


def test_the_checker_gives_the_same_outcomes_with_and_without_remembering(
    territory_a: Territory,
) -> None:
    columns = {name: name for name in POOLS}
    with tenant_context(territory_a), translation.override("en"):
        fast = ActivityChecker(territory=territory_a, source="city", columns=columns)
        plain = ActivityChecker(territory=territory_a, source="city", columns=columns)
        plain.form.memoize = False
        planned = 0
        for number, row in enumerate(_varied_rows(300, seed=7), start=2):
            expected = _outcome(plain.check(number, row))
            assert _outcome(fast.check(number, row)) == expected, row
            planned += len(expected) > 3
        assert 20 < planned < 280


def test_text_of_cells() -> None:
    field = rows.ActivityForm.base_fields
    assert rows._text("  a b  ") == "a b"
    assert rows._text(type("Text", (str,), {})(" sub ")) == "sub"
    assert rows._text(None) == "" and rows._text(True) == "true" and rows._text(3.0) == "3"
    assert (
        rows._text(datetime.datetime(2026, 5, 1, 16, 30, tzinfo=datetime.UTC), field["start_time"])
        == "16:30"
    )
    assert (
        rows._text(datetime.datetime(2026, 5, 1, 16, 30, tzinfo=datetime.UTC), field["starts_on"])
        == "2026-05-01"
    )
    with pytest.raises(rows.ValidationError):
        rows._text(FORMULA)


def _state_free(activity: Activity) -> dict[str, Any]:
    return {k: v for k, v in vars(activity).items() if k != "_state"}


def test_a_new_activity_is_as_the_models_own(territory_a: Territory) -> None:
    with tenant_context(territory_a):
        checker = ActivityChecker(territory=territory_a, source="city", columns={})
        provider, venue = Provider(name="New"), Venue(name="Hall")
        for venue_or_none in (venue, None, venue):
            made = checker.new_activity(provider=provider, venue=venue_or_none)
            expected = Activity(provider=provider, venue=venue_or_none)
            assert _state_free(made) == _state_free(expected)
            assert made.provider is provider and made.venue is venue_or_none
            assert (made._state.adding, made._state.db) == (True, expected._state.db)
            assert made._state.fields_cache == expected._state.fields_cache
        # Each gets its own lists and dicts, never the template's or another's.
        first = checker.new_activity(provider=provider, venue=None)
        second = checker.new_activity(provider=provider, venue=None)
        for name in ("days", "weekdays", "translations", "skills", "languages"):
            assert getattr(first, name) is not getattr(second, name)
        first.days.append(TODAY)
        assert second.days == [] and checker.new_activity(provider=provider, venue=None).days == []


def test_a_listener_to_new_activities_still_hears_of_them(territory_a: Territory) -> None:
    heard = []

    def listener(sender: type[Activity], instance: Activity, **kwargs: Any) -> None:
        heard.append(instance)

    with tenant_context(territory_a):
        checker = ActivityChecker(territory=territory_a, source="city", columns={})
        post_init.connect(listener, sender=Activity)
        try:
            made = checker.new_activity(provider=Provider(name="New"), venue=None)
        finally:
            post_init.disconnect(listener, sender=Activity)
        assert heard == [made]


def test_the_direct_readers_read_as_the_widgets() -> None:
    widgets = [field.widget for field in rows.ActivityForm.base_fields.values()]
    widgets += [
        forms.TextInput(),
        forms.Select(),
        forms.SelectMultiple(),
        forms.RadioSelect(),
        forms.CheckboxSelectMultiple(),
    ]
    stored: list[Any] = [[], ["a"], ["a", "b"], [""], ["x", []], [[]]]
    read = 0
    for widget in widgets:
        quick = rows._quick_reader(widget)
        if quick is None:
            continue
        for values in stored:
            data: MultiValueDict[str, Any] = MultiValueDict()
            data.setlist("there", values)
            for name in ("there", "absent"):
                assert quick(data, name) == widget.value_from_datadict(data, {}, name), (
                    widget,
                    values,
                    name,
                )
                read += 1
    assert read > 200
    assert rows._quick_reader(forms.CheckboxInput()) is None
    assert rows._quick_reader(forms.ClearableFileInput()) is None


def test_the_form_input_of_a_row() -> None:
    row = {"title": " Club ", "weekdays": "Mon; wed 5", "is_free": "Taip", "age_min": 6.0}
    data, errors = rows._form_data(rows.ActivityForm, row, rows.ACTIVITY_FORM_FIELDS)
    assert errors == []
    assert dict(data.lists()) == {
        "title": ["Club"],
        "age_min": ["6"],
        "is_free": ["true"],
        "weekdays": ["0", "2", "5"],
    }
    assert data["title"] == "Club" and data.getlist("weekdays") == ["0", "2", "5"]
    _data, errors = rows._form_data(rows.ActivityForm, {"voucher": "perhaps"}, ["voucher"])
    assert errors == [f"{rows.ActivityForm.base_fields['voucher'].label}: Write yes or no."]
