"""The language switcher every host serves: remembers the choice on the account too."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_apps.accounts.actions import set_preferred_language
from shared_apps.core.languages import site_languages


@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """Remember the visitor's language for this site (cookie) and, if signed in, for
    their account; then go back to where they were.

    GET is allowed on purpose: the switcher is a list of plain links (keyboard and
    screen-reader friendly, no CSRF cookie on anonymous pages). The worst a forged
    link can do is change a display language.
    """
    params = request.POST if request.method == "POST" else request.GET
    language = params.get("language", "")
    if language not in site_languages(request):
        return HttpResponseBadRequest(_("This site is not offered in that language."))
    next_url = params.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=False,
    )
    if request.user.is_authenticated:
        set_preferred_language(user=request.user, language=language)
    return response
