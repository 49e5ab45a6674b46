import datetime

import pytest
from django.utils import translation

from tenant_apps.catalogue import ics
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.actions import apply_schedule
from tenant_apps.catalogue.models import OPEN_END, Activity
from tenants.models import Territory

TZ = "Europe/Vilnius"


def weekly(**kw):
    values = {
        "kind": sched.WEEKLY,
        "timezone": TZ,
        "starts_on": datetime.date(2026, 9, 1),
        "ends_on": datetime.date(2026, 9, 30),
        "weekdays": (1, 3),
        "start_time": datetime.time(16, 0),
        "end_time": datetime.time(17, 30),
        **kw,
    }
    return sched.Schedule(**values)


def test_weekly_recurrence_with_exceptions():
    schedule = weekly(exceptions=(datetime.date(2026, 9, 10),))
    days = sched.occurrence_days(schedule)
    assert days is not None
    assert days[0] == datetime.date(2026, 9, 1)  # a Tuesday
    assert datetime.date(2026, 9, 10) not in days
    assert len(days) == 8
    assert all(d.weekday() in (1, 3) for d in days)
    columns = sched.index_columns(schedule, datetime.date(2026, 9, 2), open_end=OPEN_END)
    assert columns.days == days
    assert (columns.first, columns.last) == (days[0], days[-1])
    assert columns.next == datetime.date(2026, 9, 3)  # the Thursday after
    first = sched.occurrences(schedule, limit=1)[0]
    assert first.starts_at is not None
    assert first.starts_at.utcoffset() == datetime.timedelta(hours=3)  # summer time in Vilnius


def test_weekly_days_are_rrules_own_expansion():
    """The days come from the first day's longest season cut at the last day (cached
    per first day): the same days as dateutil's RRULE until the last day, minus the
    exceptions, for any span, weekdays and exceptions."""
    from dateutil.rrule import WEEKLY, rrule, rruleset

    start = datetime.date(2026, 3, 27)  # spans the change to summer time
    for offset, length, weekdays, skip in [
        (0, 0, (4,), ()),
        (0, 6, (0, 6), ()),
        (3, 30, (1, 3), (2,)),
        (5, 200, (0, 2, 4), (0, 7, 300)),
        (1, sched.MAX_WEEKLY_SPAN_DAYS, (5,), (1, 8)),
        (2, sched.MAX_WEEKLY_SPAN_DAYS + 50, (2,), ()),  # longer than a valid one
    ]:
        first = start + datetime.timedelta(days=offset)
        last = first + datetime.timedelta(days=length)
        exceptions = tuple(first + datetime.timedelta(days=n) for n in skip)
        expected = rruleset()
        expected.rrule(
            rrule(
                WEEKLY,
                dtstart=datetime.datetime.combine(first, datetime.time()),
                until=datetime.datetime.combine(last, datetime.time()),
                byweekday=weekdays,
            )
        )
        for day in exceptions:
            expected.exdate(datetime.datetime.combine(day, datetime.time()))
        schedule = weekly(starts_on=first, ends_on=last, weekdays=weekdays, exceptions=exceptions)
        assert sched.occurrence_days(schedule) == [moment.date() for moment in expected]


def test_range_is_one_block_and_open_is_unbounded():
    camp = sched.Schedule(
        kind=sched.RANGE,
        timezone=TZ,
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 7, 5),
    )
    during = sched.index_columns(camp, datetime.date(2026, 7, 3), open_end=OPEN_END)
    assert (during.days, during.first, during.last) == (
        [],
        datetime.date(2026, 7, 1),
        datetime.date(2026, 7, 5),
    )
    assert during.next == datetime.date(2026, 7, 3)
    after = sched.index_columns(camp, datetime.date(2026, 7, 6), open_end=OPEN_END)
    assert after.next is None
    always = sched.index_columns(
        sched.Schedule(kind=sched.OPEN, timezone=TZ), datetime.date(2026, 1, 1), open_end=OPEN_END
    )
    assert (always.last, always.next) == (OPEN_END, None)


def test_sessions_use_the_local_day():
    tz = sched.ZoneInfo(TZ)
    late = datetime.datetime(2026, 9, 1, 23, 30, tzinfo=tz)  # 20:30 UTC, still 1 Sept here
    schedule = sched.Schedule(kind=sched.SESSIONS, timezone=TZ, sessions=(sched.Session(late),))
    assert sched.occurrence_days(schedule) == [datetime.date(2026, 9, 1)]


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        (sched.Schedule(kind=sched.WEEKLY, timezone=TZ), "starts_on"),
        (weekly(weekdays=()), "weekdays"),
        (
            sched.Schedule(
                kind=sched.WEEKLY,
                timezone=TZ,
                starts_on=datetime.date(2026, 1, 1),
                ends_on=datetime.date(2027, 6, 1),
                weekdays=(0,),
                start_time=datetime.time(10),
            ),
            "ends_on",
        ),
        (weekly(end_time=datetime.time(15, 0)), "end_time"),
        (sched.Schedule(kind=sched.SESSIONS, timezone=TZ), "sessions"),
    ],
)
def test_invalid_schedules(schedule, field):
    with pytest.raises(sched.ScheduleError) as error:
        sched.validate(schedule)
    assert error.value.field == field


def test_drafts_may_be_incomplete_but_not_contradictory():
    sched.validate(sched.Schedule(kind=sched.WEEKLY, timezone=TZ), complete=False)
    with pytest.raises(sched.ScheduleError):
        sched.validate(
            sched.Schedule(
                kind=sched.RANGE,
                timezone=TZ,
                starts_on=datetime.date(2026, 5, 2),
                ends_on=datetime.date(2026, 5, 1),
            ),
            complete=False,
        )


def test_describe_in_the_active_language():
    with translation.override("en"):
        text = sched.describe(weekly(exceptions=(datetime.date(2026, 9, 10),)))
    assert text.startswith("Tuesdays, Thursdays, 4 p.m.")
    assert "except" in text


def test_weekdays_take_each_language_grammatical_form():
    # "Kiekvieną Pirmadienis" was a nominative weekday dropped into "every ...":
    # each recurring weekday is now its own phrase, in the form the language needs.
    with translation.override("lt"):
        text = sched.describe(weekly(weekdays=(0,)))
    assert text.startswith("Pirmadieniais, 16:00")
    assert "Kiekvieną" not in text
    with translation.override("de"):
        assert sched.describe(weekly(weekdays=(0, 2))).startswith("Montags, mittwochs, 16:00")


def test_weekly_without_hours_has_no_empty_slot():
    with translation.override("en"):
        text = sched.describe(weekly(start_time=None, end_time=None))
    assert ", ," not in text
    assert text.startswith("Tuesdays, Thursdays, from ")


def test_ics_folds_and_escapes():
    occurrences = sched.occurrences(weekly())
    body = ics.calendar(
        uid_prefix="t-1",
        host="aurora.localhost",
        title="A, B; C " + "x" * 100,
        description="Line\nbreak",
        location="Hall",
        url="http://aurora.localhost/activities/1/",
        occurrences=occurrences,
        stamp=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    assert body.count("BEGIN:VEVENT") == 9
    assert "DTSTART:20260901T130000Z" in body
    assert "A\\, B\\; C" in body and "Line\\nbreak" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_apply_schedule_gives_each_activity_its_own_days() -> None:
    # The index columns are cached per schedule: equal schedules, equal columns, but
    # never one list shared by two activities.
    territory_a = Territory(timezone="Europe/Vilnius")
    today = datetime.datetime.now(datetime.UTC).date()
    weekly = {
        "schedule_kind": "weekly",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=60),
        "weekdays": [1, 3],
        "start_time": datetime.time(16, 0),
    }
    first, second = Activity(**weekly), Activity(**weekly)
    apply_schedule(first, territory_a, [])
    apply_schedule(second, territory_a, [])
    assert first.days == second.days and len(first.days) >= 16
    assert first.days is not second.days
    first.days.append(today)
    third = Activity(**weekly)
    apply_schedule(third, territory_a, [])
    assert third.days == second.days
    draft = Activity(**(weekly | {"weekdays": []}))
    apply_schedule(draft, territory_a, [])
    assert (draft.days, draft.first_date, draft.last_date, draft.next_date) == (
        [],
        None,
        None,
        None,
    )
