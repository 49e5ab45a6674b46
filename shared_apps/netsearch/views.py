from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from shared_apps.netsearch.selectors import network_search
from tenants.models import Territory

DISTANCES = [(25, "25 km"), (50, "50 km"), (100, "100 km"), (250, "250 km")]


class NetworkSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    km = forms.TypedChoiceField(
        label=_("Local activities within"),
        choices=DISTANCES,
        coerce=int,
        initial=50,
        required=False,
    )


def search(request: HttpRequest) -> HttpResponse:
    """On a territory's host: widen a search to the whole network."""
    here: Territory | None = getattr(request, "territory", None)
    if here is None:
        raise Http404
    form = NetworkSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = network_search(
            text=form.cleaned_data["q"],
            near=here.map_center,
            km=form.cleaned_data["km"] or 50,
            exclude=here,
        )
    return render(request, "netsearch/search.html", {"form": form, "results": results})
