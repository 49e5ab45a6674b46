"""The open data feeds are anonymous public reads: served by the read replica when
there is one (issue 18 B's router, REPLICA_READ_VIEWS), in the territory's schema."""

from __future__ import annotations

from tests.servers import Standby
from tests.tenants.test_replica import (  # noqa: F401 - fixtures
    anonymous,
    replica_alias,
    replica_queries_touch,
    standby,
)


def test_feeds_read_from_the_replica(replica_alias: Standby) -> None:  # noqa: F811
    for path, table in [
        ("/api/open-data/changes/", "opendata_feedentry"),
        ("/api/open-data/activities/", "catalogue_activity"),
        ("/open-data/", "opendata_publication"),
    ]:
        on_replica, on_primary = replica_queries_touch(anonymous("aurora"), path, table)
        assert on_replica and not on_primary, path
