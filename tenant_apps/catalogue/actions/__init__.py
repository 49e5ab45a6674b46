"""Every change to providers, venues and activities: atomic, audited where privileged,
with visibility changes announced through ``publishing`` once committed.

The territory is always passed in (resolved from the host at the edge); the rows
touched live in its schema, which the connection is already in.

One module per topic; every public name is re-exported here, so callers import
from ``tenant_apps.catalogue.actions`` as before.
"""

from __future__ import annotations

from tenant_apps.catalogue.actions.activities import (
    ACTIVITY_FIELDS,
    apply_schedule,
    autosave_activity,
    create_activity,
    discard_autosave,
    save_activity_translations,
    update_activity,
)
from tenant_apps.catalogue.actions.imports import (
    IMPORTED_ACTIVITY_COLUMNS,
    ImportedActivity,
    prepare_imported_activity,
    save_imported_activities,
    save_imported_providers,
    save_imported_venues,
)
from tenant_apps.catalogue.actions.interests import (
    adopt_interests,
    save_interest,
)
from tenant_apps.catalogue.actions.learners import (
    forget_saved,
    mark_interested,
    save_for_later,
    withdraw_interest,
)
from tenant_apps.catalogue.actions.providers import (
    register_provider,
    set_provider_trusted,
    suspend_provider,
    sync_staff_role,
    unique_slug,
    update_provider,
    verify_provider,
)
from tenant_apps.catalogue.actions.staff import (
    CLOSED_INVITATION_KEEP_DAYS,
    MAX_OPEN_INVITATIONS,
    RESEND_INTERVAL,
    accept_staff_invitation,
    invite_provider,
    invite_provider_staff,
    purge_closed_invitations,
    remove_provider_staff,
    revoke_staff_invitation,
)
from tenant_apps.catalogue.actions.venues import (
    MAX_VENUE_DISTANCE_KM,
    VENUE_FIELDS,
    check_venue_point,
    delete_venue,
    distance_km,
    save_venue,
)
from tenant_apps.catalogue.actions.workflow import (
    approve_activity,
    archive_activity,
    delete_activity,
    publication_problems,
    return_activity,
    submit_activity,
    withdraw_activity,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "CLOSED_INVITATION_KEEP_DAYS",
    "IMPORTED_ACTIVITY_COLUMNS",
    "MAX_OPEN_INVITATIONS",
    "MAX_VENUE_DISTANCE_KM",
    "RESEND_INTERVAL",
    "VENUE_FIELDS",
    "ImportedActivity",
    "accept_staff_invitation",
    "adopt_interests",
    "apply_schedule",
    "approve_activity",
    "archive_activity",
    "autosave_activity",
    "check_venue_point",
    "create_activity",
    "delete_activity",
    "delete_venue",
    "discard_autosave",
    "distance_km",
    "forget_saved",
    "invite_provider",
    "invite_provider_staff",
    "mark_interested",
    "prepare_imported_activity",
    "publication_problems",
    "purge_closed_invitations",
    "register_provider",
    "remove_provider_staff",
    "return_activity",
    "revoke_staff_invitation",
    "save_activity_translations",
    "save_for_later",
    "save_imported_activities",
    "save_imported_providers",
    "save_imported_venues",
    "save_interest",
    "save_venue",
    "set_provider_trusted",
    "submit_activity",
    "suspend_provider",
    "sync_staff_role",
    "unique_slug",
    "update_activity",
    "update_provider",
    "verify_provider",
    "withdraw_activity",
    "withdraw_interest",
]
