"""The page where staff add an activity's, a playlist's or a badge's texts in the site's
other languages, and the audited action that stores them.

The form and the reading side (shared_apps.core.multilingual) sit in the bottom layer;
saving writes an audit row, so it lives here, above shared_apps.audit, in the staff
area every feature app builds on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.formviews import form_view
from shared_apps.core.multilingual import TranslationsForm, other_languages
from shared_apps.core.text import sanitize_html


def save_translations(
    obj: Any, texts: dict[str, dict[str, str]], *, territory: Any, acting_user: Any
) -> None:
    """Store an object's texts in other languages, with an audit row."""
    obj.translations = texts
    obj.save(update_fields=["translations"])
    record(
        actor=acting_user,
        action=AuditEvent.CONTENT_TRANSLATIONS_SAVED,
        territory=territory,
        target=obj,
        details={"languages": sorted(texts)},
    )


def translations_page(
    request: Any,
    *,
    obj: Any,
    fields: Sequence[str],
    back_url: str,
    heading: str,
    rich_text: Sequence[str] = (),
    save: Callable[..., None] | None = None,
) -> Any:
    """The page where staff add an object's texts in the site's other languages. The
    caller has already checked that the user may edit ``obj`` in this territory."""
    territory = request.territory
    languages = other_languages(territory)
    form = TranslationsForm(
        request.POST or None,
        languages=languages,
        fields=fields,
        initial_translations=obj.translations or {},
    )

    def clean_text(field: str, value: str) -> str:
        return sanitize_html(value) if field in rich_text else value

    def store(data: dict[str, Any]) -> Any:
        # ``save``: an app's own action when more follows from the texts (the
        # catalogue re-indexes an activity for search); same signature.
        (save or save_translations)(
            obj, form.translations(clean_text), territory=territory, acting_user=request.user
        )
        messages.success(request, str(_("The texts in other languages were saved.")))
        return redirect(back_url)

    return form_view(
        request,
        form,
        "core/translations.html",
        {
            "heading": heading,
            "back_url": back_url,
            "languages": languages,
            "original_language": dict(settings.LANGUAGES).get(
                territory.default_language, territory.default_language
            ),
        },
        on_valid=store,
    )
