"""Public Open Badges documents at stable URLs on the territory's host.

Read by verifiers, wallets and backpacks anywhere: JSON(-LD), open to cross-origin
reads, no session needed. Nothing here carries an email in clear or any key material.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from shared_apps.guardians.selectors import is_restricted_recipient
from tenant_apps.badges import baking, documents, identity
from tenant_apps.badges.images import svg_embedding_png
from tenant_apps.badges.models import Award, Issuer, IssuerKey, StatusList
from tenant_apps.badges.selectors import award_by_uuid, badge_by_uuid
from tenants.types import TerritoryRequest

# Even sanitised, an SVG opened directly must not run or fetch anything.
SVG_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _territory(request: TerritoryRequest) -> Any:
    if request.territory is None:
        raise Http404
    return request.territory


def _published_award(award_uuid: str) -> Award:
    """The hosted assertion, credential and baked files are how a badge is shown to
    others: none of them exist while the recipient is a minor without consent."""
    award = award_by_uuid(award_uuid)
    if is_restricted_recipient(award.recipient_user_id, award.recipient_email):
        raise Http404
    return award


def json_response(
    document: dict[str, Any], *, status: int = 200, content_type: str = "application/ld+json"
) -> JsonResponse:
    response = JsonResponse(
        document, status=status, content_type=content_type, json_dumps_params={"indent": 2}
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _wants_html(request: TerritoryRequest) -> bool:
    preferred = request.get_preferred_type(["application/ld+json", "application/json", "text/html"])
    return preferred == "text/html"


@require_GET
def did_document(request: TerritoryRequest, slug: str | None = None) -> JsonResponse:
    territory = _territory(request)
    if slug is None:
        issuer = get_object_or_404(Issuer, kind=Issuer.Kind.TERRITORY)
    else:
        issuer = get_object_or_404(Issuer, kind=Issuer.Kind.PROVIDER, slug=slug)
    keys = list(IssuerKey.objects.filter(issuer=issuer).order_by("number"))
    return json_response(
        documents.did_document(territory, issuer, keys), content_type="application/did+json"
    )


@require_GET
def ob2_issuer(request: TerritoryRequest, slug: str) -> JsonResponse:
    issuer = get_object_or_404(Issuer, slug=slug)
    return json_response(documents.ob2_issuer(_territory(request), issuer))


@require_GET
def ob3_issuer(request: TerritoryRequest, slug: str) -> JsonResponse:
    territory = _territory(request)
    issuer = get_object_or_404(Issuer, slug=slug)
    profile = documents.ob3_issuer(territory, issuer)
    return json_response({"@context": documents.CREDENTIAL_CONTEXT, **profile})


@require_GET
def ob2_badge_class(request: TerritoryRequest, badge_uuid: str) -> HttpResponse:
    territory = _territory(request)
    badge = badge_by_uuid(badge_uuid)
    if _wants_html(request):
        return HttpResponseRedirect(identity.badge_page_url(territory, badge))
    return json_response(documents.ob2_badge_class(territory, badge))


@require_GET
def ob3_achievement(request: TerritoryRequest, badge_uuid: str) -> HttpResponse:
    territory = _territory(request)
    badge = badge_by_uuid(badge_uuid)
    if _wants_html(request):
        return HttpResponseRedirect(identity.badge_page_url(territory, badge))
    document = documents.ob3_achievement(territory, badge)
    return json_response({"@context": documents.CREDENTIAL_CONTEXT, **document})


@require_GET
def badge_image(request: TerritoryRequest, badge_uuid: str, extension: str) -> HttpResponse:
    badge = badge_by_uuid(badge_uuid)
    if extension == "svg":
        if not badge.is_svg:
            raise Http404
        with badge.image.open("rb") as handle:
            data = handle.read()
        content_type = "image/svg+xml"
    else:
        with badge.image_png.open("rb") as handle:
            data = handle.read()
        content_type = "image/png"
    response = HttpResponse(data, content_type=content_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Content-Security-Policy"] = SVG_CSP
    return response


@require_GET
def ob2_assertion(request: TerritoryRequest, award_uuid: str) -> HttpResponse:
    territory = _territory(request)
    award = _published_award(award_uuid)
    if _wants_html(request):
        return HttpResponseRedirect(identity.award_page_url(territory, award))
    if award.is_revoked:
        # OB 2.0 hosted verification: a revoked assertion answers 410 Gone.
        return json_response(documents.ob2_revoked_assertion(territory, award), status=410)
    return json_response(documents.ob2_assertion(territory, award))


@require_GET
def ob3_credential(request: TerritoryRequest, award_uuid: str) -> HttpResponse:
    territory = _territory(request)
    award = _published_award(award_uuid)
    if _wants_html(request):
        return HttpResponseRedirect(identity.award_page_url(territory, award))
    # Served even when revoked: the credential stays what was signed; its status list
    # entry says it is revoked (that is how OB 3.0 verifiers learn it).
    return json_response(award.credential, content_type="application/vc+ld+json")


@require_GET
def status_list(request: TerritoryRequest, slug: str, number: int) -> JsonResponse:
    status = get_object_or_404(
        StatusList.objects.select_related("issuer"), issuer__slug=slug, number=number
    )
    response = json_response(status.credential, content_type="application/vc+ld+json")
    # Revocations must reach verifiers quickly.
    response.headers["Cache-Control"] = "public, max-age=30"
    return response


DOWNLOADS = {"ob2.png", "ob2.svg", "ob3.png", "ob3.json"}


@require_GET
def download(request: TerritoryRequest, award_uuid: str, kind: str) -> HttpResponse:
    """Baked images and the credential file. Award ids are random and unlisted; what
    they reveal is what the public assertion already says (no email in clear)."""
    territory = _territory(request)
    if kind not in DOWNLOADS:
        raise Http404
    award = _published_award(award_uuid)
    if award.is_revoked:
        return HttpResponse(status=410)
    badge = award.badge_class
    name = f"{badge.slug}-{str(award.uuid)[:8]}"
    if kind == "ob3.json":
        body = json.dumps(award.credential, indent=2, ensure_ascii=False).encode("utf-8")
        content_type = "application/vc+ld+json"
        filename = f"{name}.credential.json"
    else:
        with badge.image_png.open("rb") as handle:
            png = handle.read()
        if kind == "ob2.png":
            body = baking.bake_png(png, json.dumps(documents.ob2_assertion(territory, award)))
            content_type, filename = "image/png", f"{name}.png"
        elif kind == "ob3.png":
            body = baking.bake_png(
                png, json.dumps(award.credential, ensure_ascii=False), baking.OB3_KEYWORD
            )
            content_type, filename = "image/png", f"{name}.ob3.png"
        else:
            if badge.is_svg:
                with badge.image.open("rb") as handle:
                    svg = handle.read()
            else:
                svg = svg_embedding_png(png)
            body = baking.bake_svg(
                svg,
                json.dumps(documents.ob2_assertion(territory, award)),
                identity.ob2_assertion_url(territory, award),
            )
            content_type, filename = "image/svg+xml", f"{name}.svg"
    response = HttpResponse(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    if content_type == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_CSP
    return response
