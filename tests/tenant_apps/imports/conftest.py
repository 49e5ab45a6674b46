import csv
import datetime
import io
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shared_apps.accounts.models import User
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.tenant_apps.catalogue.conftest import provider_a, venue_a

__all__ = ["provider_a", "venue_a"]  # the catalogue's fixtures, used here too

# Columns as a city's own spreadsheet might name them (mapped by hand in the tests).
CITY_COLUMNS = [
    "ID",
    "Pavadinimas",
    "Santrauka",
    "Organizatorius",
    "Vieta",
    "Adresas",
    "Platuma",
    "Ilguma",
    "Interesai",
    "Pradžia",
    "Pabaiga",
    "Dienos",
    "Nuo",
    "Iki",
]
CITY_MAPPING = {
    "ID": "external_id",
    "Pavadinimas": "title",
    "Santrauka": "summary",
    "Organizatorius": "provider_name",
    "Vieta": "venue_name",
    "Adresas": "venue_address",
    "Platuma": "venue_latitude",
    "Ilguma": "venue_longitude",
    "Interesai": "interests",
    "Pradžia": "starts_on",
    "Pabaiga": "ends_on",
    "Dienos": "weekdays",
    "Nuo": "start_time",
    "Iki": "end_time",
}


def city_row(n: int, **overrides: Any) -> dict[str, Any]:
    today = datetime.datetime.now(datetime.UTC).date()
    row = {
        "ID": f"v-{n}",
        "Pavadinimas": f"Robotikos būrelis {n}",
        "Santrauka": "Kuriame robotus kartu.",
        "Organizatorius": "Žirmūnų jaunimo centras",
        "Vieta": "Žirmūnų salė",
        "Adresas": "Žirmūnų g. 1",
        "Platuma": "54.7012",
        "Ilguma": "25.3003",
        "Interesai": "robotics",
        "Pradžia": (today - datetime.timedelta(days=7)).isoformat(),
        "Pabaiga": (today + datetime.timedelta(days=90)).isoformat(),
        "Dienos": "1, 3",
        "Nuo": "16:00",
        "Iki": "17:30",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: Sequence[dict[str, Any]], columns: Sequence[str] = CITY_COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(content: bytes, name: str = "katalogas.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def mapping_post(columns: Sequence[str], mapping: dict[str, str], **extra: str) -> dict[str, str]:
    return {f"col_{i}": mapping.get(c, "") for i, c in enumerate(columns)} | extra


@pytest.fixture
def admin_a(
    client_for: ClientFor, territory_a: Territory, user: Callable[[str], User]
) -> HostClient:
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(user("anna"))
    return client
