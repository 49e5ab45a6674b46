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


def test_queued_searches_are_written_in_one_batch_per_territory(territory_a, territory_b):
    from tenant_apps.demand import actions
    from tenant_apps.demand.models import SearchEvent

    for territory, terms in ((territory_a, "robot"), (territory_b, "dance"), (territory_a, "art")):
        with tenant_context(territory):
            actions.queue_search(
                terms=terms, filters={}, result_count=1, point=(54.6871, 25.2796), language="en"
            )
    with tenant_context(territory_a):
        assert not SearchEvent.objects.exists()  # nothing written in the request
    actions._flush_when_due()  # not due yet: neither full nor old
    with tenant_context(territory_a):
        assert not SearchEvent.objects.exists()
    actions._oldest -= actions.BATCH_SECONDS  # the oldest is now due
    actions._flush_when_due()
    with tenant_context(territory_a):
        assert sorted(SearchEvent.objects.values_list("terms", flat=True)) == ["art", "robot"]
        assert "54.68" not in str(list(SearchEvent.objects.values()))
    with tenant_context(territory_b):
        assert list(SearchEvent.objects.values_list("terms", flat=True)) == ["dance"]
    assert actions.flush_search_log() == 0


def test_a_full_batch_is_written_when_due(territory_a):
    from tenant_apps.demand import actions
    from tenant_apps.demand.models import SearchEvent

    with tenant_context(territory_a):
        for _ in range(actions.BATCH_SIZE):
            actions.queue_search(terms="x", filters={}, result_count=0, point=None)
    actions._flush_when_due()
    with tenant_context(territory_a):
        assert SearchEvent.objects.count() == actions.BATCH_SIZE
