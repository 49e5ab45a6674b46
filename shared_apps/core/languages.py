"""Which languages a site offers and which one a request gets."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language_info


def site_languages(request: HttpRequest) -> list[str]:
    """The territory's enabled languages (default first), or all on the network site."""
    territory = getattr(request, "territory", None)
    if territory is None:
        return [code for code, _name in settings.LANGUAGES]
    others = [code for code in territory.languages if code != territory.default_language]
    return [territory.default_language, *others]


def pick_language(request: HttpRequest) -> str:
    offered = site_languages(request)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in offered:
        return str(chosen)
    user = getattr(request, "user", None)
    preferred = getattr(user, "preferred_language", "") if user is not None else ""
    if preferred in offered:
        return str(preferred)
    territory = getattr(request, "territory", None)
    if territory is not None:
        return str(territory.default_language)
    from_browser = translation.get_language_from_request(request)
    return from_browser if from_browser in offered else settings.LANGUAGE_CODE


def language_choices(codes: list[str]) -> list[dict[str, str]]:
    """Code, name in its own language and in the current one, for switchers."""
    return [
        {
            "code": code,
            "name_local": get_language_info(code)["name_local"],
            "name": str(get_language_info(code)["name_translated"]),
        }
        for code in codes
    ]
