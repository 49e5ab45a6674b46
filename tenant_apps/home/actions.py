"""The territory admin edits the home page: atomic, audited, and every cached copy of
the page (whole pages and fragments, shared_apps.core.pagecache) dropped on commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.pagecache import public_content_changed
from tenant_apps.home.models import HomePage
from tenant_apps.home.sections import registered_sections
from tenants.models import Territory

HEADLINE_MAX = 120
INTRO_MAX = 600
TITLE_MAX = 80


def _locked_page() -> HomePage:
    page, _created = HomePage.objects.select_for_update().get_or_create(pk=1)
    return page


def _clean(text: str) -> str:
    return " ".join(text.split())


@transaction.atomic
def save_home_texts(
    *,
    territory: Territory,
    acting_user: User,
    language: str,
    headline: str,
    intro: str,
    titles: Mapping[str, str],
) -> HomePage:
    """Set the home page's texts in one of the territory's languages (empty: the
    platform's default text). Titles are per section key; unknown keys are refused."""
    if language not in territory.languages:
        raise ValidationError(_("Choose one of the site's languages."))
    known = {section.key for section in registered_sections()}
    if set(titles) - known:
        raise ValidationError(_("Choose one of the listed sections."))
    entry = {
        "headline": _clean(headline),
        "intro": intro.strip(),
        "titles": {key: _clean(title) for key, title in titles.items() if _clean(title)},
    }
    if len(entry["headline"]) > HEADLINE_MAX or len(entry["intro"]) > INTRO_MAX:
        raise ValidationError(_("The text is too long."))
    page = _locked_page()
    texts = dict(page.texts)
    texts[language] = entry
    page.texts = texts
    page.save()
    record(
        actor=acting_user,
        action=AuditEvent.HOME_TEXTS_SAVED,
        territory=territory,
        details={"language": language},
    )
    public_content_changed()
    return page


@transaction.atomic
def save_home_sections(
    *, territory: Territory, acting_user: User, shown: Iterable[str]
) -> HomePage:
    """Choose which sections the home page shows (the others are hidden, in every
    language)."""
    known = [section.key for section in registered_sections()]
    shown_keys = set(shown)
    if shown_keys - set(known):
        raise ValidationError(_("Choose one of the listed sections."))
    page = _locked_page()
    page.hidden_sections = [key for key in known if key not in shown_keys]
    page.save()
    record(
        actor=acting_user,
        action=AuditEvent.HOME_SECTIONS_SAVED,
        territory=territory,
        details={"hidden": page.hidden_sections},
    )
    public_content_changed()
    return page
