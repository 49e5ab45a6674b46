"""Every parameter that sizes the work of a search is bounded (issue 14, item 1):
a date window, open or closed, spans at most MAX_RANGE_DAYS days, dates far from
today are a 400 in the API (a message on the page), and so are oversized pages,
radii and texts."""

import datetime

from tenant_apps.catalogue.filters import MAX_RANGE_DAYS, Filters, date_window
from tests.tenant_apps.catalogue.factories import make_activity


def test_an_open_window_is_capped_at_a_year() -> None:
    today = datetime.date(2026, 12, 6)
    for filters in (
        Filters(when="range", date_to=datetime.date.max),
        Filters(when="range", date_from=datetime.date(9999, 12, 1)),
        Filters(when="range", date_from=today, date_to=datetime.date(9999, 12, 31)),
    ):
        window = date_window(filters, today)
        assert window is not None
        start, end = window
        assert 0 <= (end - start).days <= MAX_RANGE_DAYS, filters


def test_far_or_long_date_windows_are_400_in_the_api(territory_a, provider_a, client_for):
    make_activity(territory_a, provider_a, "Robotics club")
    client = client_for(territory_a)
    today = datetime.date.today()  # noqa: DTZ011 - within a day of the territory's today
    for query, field in [
        ("date_to=9999-12-31", "date_to"),
        ("date_from=9999-12-31", "date_from"),
        ("date_from=0001-01-01", "date_from"),
        ("when=range&date_from=0001-01-01&date_to=0001-12-31", "date_from"),
        (f"date_to={today + datetime.timedelta(days=MAX_RANGE_DAYS + 5)}", "date_to"),
        ("q=" + "robot " * 40, "q"),
        ("page_size=101", "page_size"),
        ("page=501", "page"),
        ("radius=100000", "radius"),
        ("near=54.6,25.2&radius=-1", "radius"),
    ]:
        response = client.get(f"/api/activities/?{query}")
        assert response.status_code == 400, query
        assert field in response.json(), (query, response.json())
    within = today + datetime.timedelta(days=MAX_RANGE_DAYS - 5)
    assert client.get(f"/api/activities/?date_to={within}").status_code == 200
    response = client.get("/api/map/?bbox=10,50,11,51&zoom=10&date_to=9999-12-31")
    assert response.status_code == 400


def test_the_page_reports_a_far_date_and_searches_without_it(territory_a, provider_a, english):
    make_activity(territory_a, provider_a, "Robotics club")
    response = english(territory_a).get("/activities/?date_to=9999-12-31")
    assert response.status_code == 200
    assert "Robotics club" in response.text
    assert "within three years of today" in response.text
