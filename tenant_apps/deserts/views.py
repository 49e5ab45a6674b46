"""Territory admin pages of the desert analytics: read stored runs only.

The territory is request.territory (resolved and checked at the edge); every query
runs in its schema.
"""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

import h3
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_admin_required
from shared_apps.console.selectors import console_territories
from shared_apps.console.views import console_required
from tenant_apps.catalogue.maplayer import map_settings
from tenant_apps.deserts import actions, population, selectors
from tenant_apps.deserts.forms import PopulationUploadForm
from tenant_apps.deserts.models import DESERT_RATIO, PopulationArea
from tenants.models import Territory
from tenants.types import StaffRequest

SORTS = ("index", "-index", "searches")
MAX_TABLE_ROWS = 600
CSV_COLUMNS = (
    "cell",
    "lat",
    "lon",
    "population",
    "supply",
    "reachable_supply",
    "index",
    "ratio",
    "searches",
    "zero_result_searches",
    "interest_clicks",
    "suppressed",
)


def _resolution(request: HttpRequest) -> int:
    return 9 if request.GET.get("res") == "9" else 8


def _table_params(request: HttpRequest) -> tuple[str, str, list[Any]]:
    interests = list(selectors.interests())
    interest = request.GET.get("interest", "")
    if interest not in {i.slug for i in interests}:
        interest = ""
    order = request.GET.get("sort", "index")
    if order not in SORTS:
        order = "index"
    return interest, order, interests


@territory_admin_required
def overview(request: StaffRequest) -> HttpResponse:
    run = selectors.latest_run()
    interest, order, interests = _table_params(request)
    previous = selectors.previous_run(run) if run else None
    resolution = _resolution(request)
    rows = (
        selectors.cell_rows(
            run, interest=interest, order=order, previous=previous, resolution=resolution
        )
        if run
        else []
    )
    query = urlencode({"interest": interest, "res": resolution})
    legend = [
        (selectors.PALETTE[0], _("desert: below half the median")),
        (selectors.PALETTE[1], "50-80 %"),
        (selectors.PALETTE[2], "80-125 %"),
        (selectors.PALETTE[3], "125-200 %"),
        (selectors.PALETTE[4], _("twice the median or more")),
    ]
    return render(
        request,
        "deserts/overview.html",
        {
            "run": run,
            "pending": selectors.pending_run(),
            # The whole list is in the downloads; the page stays light.
            "rows": rows[:MAX_TABLE_ROWS],
            "total_rows": len(rows),
            "resolution": resolution,
            "query": query,
            "interest": interest,
            "interests": interests,
            "order": order,
            "legend": legend,
            "bins": [
                {**counted, "label": label}
                for counted, (_colour, label) in zip(
                    selectors.bin_counts(rows), legend, strict=True
                )
            ],
            "previous": previous,
            "trend": selectors.monthly_runs(),
            "population": selectors.population_summary(),
            "map": map_settings(request.territory),
            "desert_ratio": DESERT_RATIO,
        },
    )


@require_POST
@territory_admin_required
def run_now(request: StaffRequest) -> HttpResponse:
    actions.request_run(request.territory, acting_user=request.user)
    messages.success(request, _("The computation is queued; results appear when it is done."))
    return redirect("deserts:overview")


def _feature(row: selectors.CellRow) -> dict[str, Any]:
    # GeoJSON rings are closed and (lon, lat).
    ring = [[lon, lat] for lat, lon in h3.cell_to_boundary(row.cell)]
    ring.append(ring[0])
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {
            **{name: getattr(row, name) for name in CSV_COLUMNS if name not in ("lat", "lon")},
            "colour": row.colour,
        },
    }


@territory_admin_required
def export(request: StaffRequest, fmt: str) -> HttpResponse:
    run = selectors.latest_run()
    if run is None or fmt not in ("csv", "geojson"):
        raise Http404
    interest, order, _interests = _table_params(request)
    resolution = _resolution(request)
    rows = selectors.cell_rows(run, interest=interest, order=order, resolution=resolution)
    name = f"deserts-{request.territory.slug}-{run.month:%Y-%m}-r{resolution}"
    if interest:
        name += f"-{interest}"
    if fmt == "geojson":
        geojson = JsonResponse(
            {"type": "FeatureCollection", "features": [_feature(row) for row in rows]}
        )
        geojson["Content-Type"] = "application/geo+json"
        if request.GET.get("download"):
            geojson["Content-Disposition"] = f'attachment; filename="{name}.geojson"'
        return geojson
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(["" if getattr(row, c) is None else getattr(row, c) for c in CSV_COLUMNS])
    return response


@territory_admin_required
def population_upload(request: StaffRequest) -> HttpResponse:
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.name.lower().endswith((".geojson", ".json")):
                areas = population.parse_geojson(upload)
            else:
                polygon_codes = set(
                    PopulationArea.objects.filter(polygon__isnull=False).values_list(
                        "code", flat=True
                    )
                )
                areas = population.parse_csv(upload, polygon_codes=polygon_codes)
            count = actions.replace_population(
                request.territory,
                areas=areas,
                acting_user=request.user,
                keep_others=not form.cleaned_data["replace"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _("%(count)s areas saved.") % {"count": count})
            return redirect("deserts:population")
    return render(
        request,
        "deserts/population.html",
        {
            "form": form,
            "areas": list(PopulationArea.objects.values("code", "name", "young_people")[:500]),
            "population": selectors.population_summary(),
        },
    )


# ---- network site (public schema): coordinators compare their territories ----------


@console_required
def network_comparison(request: HttpRequest) -> HttpResponse:
    """Coordinators see the territories assigned to them (all of them when so set),
    platform staff every territory: the console's own scoping."""
    territories = list(
        console_territories(request.user)
        .filter(status__in=Territory.LIVE_STATUSES)
        .order_by("name")
    )
    return render(
        request,
        "deserts/network.html",
        {"rows": selectors.network_comparison(territories), "desert_ratio": DESERT_RATIO},
    )
