from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenant_apps.home.sections import registered_sections


def index(request: HttpRequest) -> HttpResponse:
    """The territory's home page: what there is to learn here, section by section."""
    sections = [
        {"key": s.key, "title": s.title, "template": s.template, **s.context(request)}
        for s in registered_sections()
    ]
    return render(request, "home/index.html", {"sections": sections})
