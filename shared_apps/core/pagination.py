"""The API's pagination: DRF's page numbers, with next/previous links at the site's
configured address (DRF builds them from the request's Host and scheme)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

from shared_apps.core.hosts import rebase


class PageNumbers(PageNumberPagination):
    def get_next_link(self) -> str | None:
        link = super().get_next_link()
        return None if link is None or self.request is None else rebase(self.request, link)

    def get_previous_link(self) -> str | None:
        link = super().get_previous_link()
        return None if link is None or self.request is None else rebase(self.request, link)
