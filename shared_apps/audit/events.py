"""What each audit code means, as a sentence a territory admin can read.

Audit entries store a stable code (``activity.approved``): the code is what filters,
exports and other tools rely on, so it never changes. Every code is a member of
``AuditEvent``: ``record()`` accepts nothing else, so a misspelt or unexplained code is a
type error (mypy), not a row nobody can read. Each member carries the sentence people
read, translated in the reader's language. Codes of every app live here, as plain words:
this module imports no feature app (the layers stay as they are), and one list is what
lets a test prove that each code has a sentence and a translation.

A code stored by an older version and no longer a member is shown as is.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    """What happened: the stored code (value) and its readable sentence (label).

    A ``str`` enum (Django's ``TextChoices``): a member compares and stores as its
    code, so filters and exports keep working on the same strings."""

    ACCESSIBILITY_STATEMENT_SAVED = (
        "accessibility.statement_saved",
        _("Updated the accessibility statement"),
    )
    ACCOUNTS_ACCOUNT_DELETED = "accounts.account_deleted", _("An account was deleted")
    ACTIVITY_APPROVED = "activity.approved", _("Approved an activity")
    ACTIVITY_ARCHIVED = "activity.archived", _("Archived an activity")
    ACTIVITY_DELETED = "activity.deleted", _("Deleted an activity")
    ACTIVITY_PUBLISHED = "activity.published", _("Published an activity")
    ACTIVITY_RETURNED = "activity.returned", _("Returned an activity to its provider")
    ACTIVITY_SUBMITTED = "activity.submitted", _("Submitted an activity for review")
    ACTIVITY_WITHDRAWN = "activity.withdrawn", _("Withdrew an activity")
    BADGES_APPLICATION_APPROVED = "badges.application_approved", _("Approved a badge application")
    BADGES_APPLICATION_CHANGES_REQUESTED = (
        "badges.application_changes_requested",
        _("Asked for improvements to a badge application"),
    )
    BADGES_APPLICATION_REJECTED = (
        "badges.application_rejected",
        _("Turned down a badge application"),
    )
    BADGES_AWARD_REVOKED = "badges.award_revoked", _("Revoked a badge")
    BADGES_AWARDED = "badges.awarded", _("Awarded a badge")
    BADGES_BADGE_ARCHIVED = "badges.badge_archived", _("Archived a badge")
    BADGES_BADGE_CREATED = "badges.badge_created", _("Created a badge")
    BADGES_BADGE_UPDATED = "badges.badge_updated", _("Changed a badge")
    BADGES_CLAIM_CODE_DEACTIVATED = "badges.claim_code_deactivated", _("Switched off a claim code")
    BADGES_CLAIM_CODES_CREATED = "badges.claim_codes_created", _("Created claim codes")
    BADGES_ISSUER_CREATED = "badges.issuer_created", _("Created the badge issuer")
    BADGES_ISSUER_UPDATED = "badges.issuer_updated", _("Changed the badge issuer")
    BADGES_KEY_ROTATED = "badges.key_rotated", _("Replaced the badge signing key")
    BILLING_OPENED = "billing.opened", _("Opened billing")
    BILLING_STATE_CHANGED = "billing.state_changed", _("Billing status changed")
    BILLING_SWITCHED_TO_INVOICE = "billing.switched_to_invoice", _("Switched billing to invoice")
    CATALOGUE_IMPORTED = "catalogue.imported", _("Imported activities or providers from a file")
    CONSOLE_ENTERED = "console.entered", _("A coordinator entered the admin area")
    CONSOLE_ENTRY_GRANTED = (
        "console.entry_granted",
        _("Granted a coordinator entry to the admin area"),
    )
    CONTENT_TRANSLATIONS_SAVED = "content.translations_saved", _("Saved translations")
    DESERTS_POPULATION_UPLOADED = "deserts.population_uploaded", _("Uploaded population figures")
    DESERTS_RUN_REQUESTED = "deserts.run_requested", _("Asked for a learning-desert analysis")
    DOMAIN_ADDED = "domain.added", _("Added a domain")
    DOMAIN_REMOVED = "domain.removed", _("Removed a domain")
    DOMAIN_VERIFIED = "domain.verified", _("Verified a domain")
    GUARDIANS_CODE_CARDS_CREATED = "guardians.code_cards_created", _("Printed code cards")
    GUARDIANS_CONSENT_CONFIRMED = "guardians.consent_confirmed", _("A guardian gave consent")
    GUARDIANS_CONSENT_REQUESTED = "guardians.consent_requested", _("Asked a guardian for consent")
    GUARDIANS_CONSENT_WITHDRAWN = "guardians.consent_withdrawn", _("A guardian withdrew consent")
    HOME_SECTIONS_SAVED = "home.sections_saved", _("Chose the home page's sections")
    HOME_TEXTS_SAVED = "home.texts_saved", _("Changed the home page's texts")
    INTEREST_SAVED = "interest.saved", _("Saved an interest")
    MEMBERSHIP_GRANTED = "membership.granted", _("Gave someone a role")
    MEMBERSHIP_ROLE_CHANGED = "membership.role_changed", _("Changed someone's role")
    NOTIFICATIONS_PREFERENCES_SAVED = (
        "notifications.preferences_saved",
        _("Changed which notifications they get"),
    )
    ONBOARDING_COMPLETED = "onboarding.completed", _("Finished setting up the site")
    ONBOARDING_EMAIL_PROVED = (
        "onboarding.email_proved",
        _("Proved the administrator's email address with a code"),
    )
    OPENDATA_CALENDAR_ADDED = (
        "opendata.calendar_added",
        _("Added a calendar to import activities from"),
    )
    OPENDATA_CALENDAR_REMOVED = "opendata.calendar_removed", _("Removed an imported calendar")
    OPENDATA_LICENCE = "opendata.licence", _("Changed the open data licence")
    OPS_TASK_DISCARDED = "ops.task_discarded", _("Discarded a failed background task")
    OPS_TASK_RETRIED = "ops.task_retried", _("Retried a failed background task")
    PLAYLIST_ARCHIVED = "playlist.archived", _("Archived a playlist")
    PLAYLIST_CHECKED_IN = "playlist.checked_in", _("Checked a learner in to a playlist step")
    PLAYLIST_CREATED = "playlist.created", _("Created a playlist")
    PLAYLIST_DRAFT = "playlist.draft", _("Returned a playlist to draft")
    PLAYLIST_EVIDENCE_APPROVE = "playlist.evidence.approve", _("Approved playlist evidence")
    PLAYLIST_EVIDENCE_IMPROVE = (
        "playlist.evidence.improve",
        _("Asked for improvements to playlist evidence"),
    )
    PLAYLIST_EVIDENCE_REJECT = "playlist.evidence.reject", _("Turned down playlist evidence")
    PLAYLIST_PUBLISHED = "playlist.published", _("Published a playlist")
    PLAYLIST_SUBMITTED = "playlist.submitted", _("Submitted a playlist for review")
    PROVIDER_INVITED = "provider.invited", _("Invited a new provider")
    PROVIDER_PENDING = "provider.pending", _("Set a provider back to waiting for verification")
    PROVIDER_REGISTERED = "provider.registered", _("A provider registered")
    PROVIDER_STAFF_ADDED = "provider.staff_added", _("Added staff to a provider")
    PROVIDER_STAFF_INVITATION_REVOKED = (
        "provider.staff_invitation_revoked",
        _("Revoked an invitation to a provider's staff"),
    )
    PROVIDER_STAFF_INVITED = "provider.staff_invited", _("Invited someone to a provider's staff")
    PROVIDER_STAFF_REMOVED = "provider.staff_removed", _("Removed staff from a provider")
    PROVIDER_SUSPENDED = "provider.suspended", _("Suspended a provider")
    PROVIDER_TRUSTED = "provider.trusted", _("Changed whether a provider is trusted")
    PROVIDER_UNTRUSTED = "provider.untrusted", _("Stopped trusting a provider")
    PROVIDER_VERIFIED = "provider.verified", _("Verified a provider")
    TEMPLATE_ADOPTED = "template.adopted", _("Adopted a network template")
    TEMPLATE_PUBLISHED = "template.published", _("Published a network template")
    TERRITORY_BRANDING_CHANGED = (
        "territory.branding_changed",
        _("Changed the site's name, colours or languages"),
    )
    TERRITORY_PROVISIONED = "territory.provisioned", _("Set up the territory")
    TERRITORY_SCHEMA_BUILT = "territory.schema_built", _("Built the territory's database")
    TERRITORY_STATUS_CHANGED = "territory.status_changed", _("Changed the territory's status")

    @property
    def sentence(self) -> str:
        """The sentence in the active language."""
        return str(self.label)


def describe(code: str) -> str:
    """The sentence for ``code`` in the active language; the code itself if unknown."""
    try:
        return AuditEvent(code).sentence
    except ValueError:
        return code


def known_codes() -> list[str]:
    return sorted(AuditEvent.values)
