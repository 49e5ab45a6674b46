from django_tenants.utils import tenant_context

from tenant_apps.demand.actions import log_interest, log_search
from tenant_apps.demand.cells import cell_for


def test_search_log_keeps_a_coarse_cell_never_the_point(territory_a):
    with tenant_context(territory_a):
        event = log_search(
            terms="  Robotika ",
            filters={"age": 14},
            result_count=0,
            point=(54.687161, 25.279651),
            language="lt",
        )
        event.refresh_from_db()
    assert event.terms == "robotika"
    assert event.result_count == 0
    assert event.cell == cell_for(54.687161, 25.279651)
    # Neighbours within ~100 m share the cell; the log cannot tell them apart.
    assert cell_for(54.6875, 25.2800) == event.cell
    assert "54.68" not in str(event.filters)


def test_interest_clicks_are_anonymous(territory_a):
    with tenant_context(territory_a):
        event = log_interest(
            activity_id=7, interest_slugs=["music", "arts"], point=None, activity_point=(54.7, 25.3)
        )
    assert event.interest_slugs == ["arts", "music"]
    assert event.cell == ""
    assert event.activity_cell == cell_for(54.7, 25.3)
