"""The Django admin's territory page works under the Content-Security-Policy: the map
centre is plain text, not GeoDjango's inline-script map widget loading a CDN."""

from __future__ import annotations

import re
from collections.abc import Callable

from shared_apps.accounts.models import User
from tenants.models import Territory
from tests.conftest import HostClient


def test_territory_change_page_has_no_inline_script(
    territory_a: Territory, user: Callable[[str], User]
) -> None:
    staff = HostClient("localhost")
    staff.force_login(user("pat"))
    response = staff.get(f"/admin/tenants/territory/{territory_a.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert [tag for tag in re.findall(r"<script\b[^>]*>", page) if "src=" not in tag] == []
    assert "cdn." not in page
    field = re.search(r'<input[^>]*name="map_center"[^>]*>', page)
    assert field is not None and "POINT" in field.group(0)
