from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shared_apps.network.selectors import territory_cards


def home(request: HttpRequest) -> HttpResponse:
    """The network site: what the network is, and every live territory with a link."""
    return render(request, "network/home.html", {"cards": territory_cards(request)})
