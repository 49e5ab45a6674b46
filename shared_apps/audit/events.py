"""What each audit code means, as a sentence a territory admin can read.

Audit entries store a stable code (``activity.approved``): the code is what filters,
exports and other tools rely on, so it never changes. People read the sentence
registered here, translated in the reader's language. An app adding a code calls
``register`` from its ``AppConfig.ready()``; a code nobody registered is shown as is.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_sentences: dict[str, str | Promise] = {
    "accessibility.statement_saved": _("Updated the accessibility statement"),
    "accounts.account_deleted": _("An account was deleted"),
    "activity.approved": _("Approved an activity"),
    "activity.archived": _("Archived an activity"),
    "activity.deleted": _("Deleted an activity"),
    "activity.published": _("Published an activity"),
    "activity.returned": _("Returned an activity to its provider"),
    "activity.submitted": _("Submitted an activity for review"),
    "activity.withdrawn": _("Withdrew an activity"),
    "badges.application_approved": _("Approved a badge application"),
    "badges.application_changes_requested": _("Asked for improvements to a badge application"),
    "badges.application_rejected": _("Turned down a badge application"),
    "badges.award_revoked": _("Revoked a badge"),
    "badges.awarded": _("Awarded a badge"),
    "badges.badge_archived": _("Archived a badge"),
    "badges.badge_created": _("Created a badge"),
    "badges.badge_updated": _("Changed a badge"),
    "badges.claim_code_deactivated": _("Switched off a claim code"),
    "badges.claim_codes_created": _("Created claim codes"),
    "badges.issuer_created": _("Created the badge issuer"),
    "badges.issuer_updated": _("Changed the badge issuer"),
    "badges.key_rotated": _("Replaced the badge signing key"),
    "billing.opened": _("Opened billing"),
    "billing.state_changed": _("Billing status changed"),
    "billing.switched_to_invoice": _("Switched billing to invoice"),
    "console.entered": _("A coordinator entered the admin area"),
    "console.entry_granted": _("Granted a coordinator entry to the admin area"),
    "content.translations_saved": _("Saved translations"),
    "deserts.population_uploaded": _("Uploaded population figures"),
    "deserts.run_requested": _("Asked for a learning-desert analysis"),
    "domain.added": _("Added a domain"),
    "domain.removed": _("Removed a domain"),
    "domain.verified": _("Verified a domain"),
    "guardians.code_cards_created": _("Printed code cards"),
    "guardians.consent_confirmed": _("A guardian gave consent"),
    "guardians.consent_requested": _("Asked a guardian for consent"),
    "guardians.consent_withdrawn": _("A guardian withdrew consent"),
    "home.sections_saved": _("Chose the home page's sections"),
    "home.texts_saved": _("Changed the home page's texts"),
    "interest.saved": _("Saved an interest"),
    "membership.granted": _("Gave someone a role"),
    "membership.role_changed": _("Changed someone's role"),
    "onboarding.completed": _("Finished setting up the site"),
    "onboarding.email_proved": _("Proved the administrator's email address with a code"),
    "opendata.calendar_added": _("Added a calendar to import activities from"),
    "opendata.calendar_removed": _("Removed an imported calendar"),
    "opendata.licence": _("Changed the open data licence"),
    "ops.task_discarded": _("Discarded a failed background task"),
    "ops.task_retried": _("Retried a failed background task"),
    "playlist.archived": _("Archived a playlist"),
    "playlist.checked_in": _("Checked a learner in to a playlist step"),
    "playlist.created": _("Created a playlist"),
    "playlist.draft": _("Returned a playlist to draft"),
    "playlist.evidence.approve": _("Approved playlist evidence"),
    "playlist.evidence.improve": _("Asked for improvements to playlist evidence"),
    "playlist.evidence.reject": _("Turned down playlist evidence"),
    "playlist.published": _("Published a playlist"),
    "playlist.submitted": _("Submitted a playlist for review"),
    "provider.invited": _("Invited a new provider"),
    "provider.pending": _("Set a provider back to waiting for verification"),
    "provider.registered": _("A provider registered"),
    "provider.staff_added": _("Added staff to a provider"),
    "provider.staff_invitation_revoked": _("Revoked an invitation to a provider's staff"),
    "provider.staff_invited": _("Invited someone to a provider's staff"),
    "provider.staff_removed": _("Removed staff from a provider"),
    "provider.suspended": _("Suspended a provider"),
    "provider.trusted": _("Changed whether a provider is trusted"),
    "provider.verified": _("Verified a provider"),
    "template.adopted": _("Adopted a network template"),
    "template.published": _("Published a network template"),
    "territory.branding_changed": _("Changed the site's name, colours or languages"),
    "territory.provisioned": _("Set up the territory"),
    "territory.schema_built": _("Built the territory's database"),
    "territory.status_changed": _("Changed the territory's status"),
}


def register(code: str, sentence: str | Promise) -> None:
    """Give an audit code its sentence (call from ``AppConfig.ready()``)."""
    _sentences[code] = sentence


def describe(code: str) -> str:
    """The sentence for ``code`` in the active language; the code itself if unknown."""
    sentence = _sentences.get(code)
    return str(sentence) if sentence is not None else code


def known_codes() -> list[str]:
    return sorted(_sentences)
