"""The territory URLconf plus a bare view, for bench/bench_pages_ratio.py only.

The bare view answers a fixed HttpResponse through the whole middleware stack (host
resolution, session, locale, ...): the ceiling a page's requests per second is compared
with. Selected by TERRITORY_URLCONF=bench.urls_bench in the bench's gunicorn, never in
production.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from learning_platform.urls_territory import urlpatterns as territory_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/bare/", bare, name="bench-bare"),
    *territory_urlpatterns,
]
