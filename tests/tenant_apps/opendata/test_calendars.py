"""Issue 18, A1: a provider's iCalendar feed, fetched from a real HTTP server by the
sync (as the worker runs it), becomes activities through the catalogue's actions."""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from shared_apps.ops.models import OutboundTask
from tenant_apps.catalogue.models import Activity, Interest, ProviderStaff
from tenant_apps.opendata import actions
from tenant_apps.opendata.models import CalendarError, CalendarEvent, CalendarFeed
from tenant_apps.opendata.tasks import sync_calendar_task, sync_calendars_task
from tests.tenant_apps.catalogue.factories import make_provider, make_venue
from tests.tenant_apps.opendata.calserver import calendar_server as serve_calendars

NOW = datetime.datetime.now(datetime.UTC)


def lithuanian(message: str) -> str:
    """What the provider of aurora (a Lithuanian territory) reads in the log."""
    with translation.override("lt"):
        return gettext(message)


def _stamp(moment: datetime.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def vevent(uid: str, summary: str | None, *, days: int = 3, extra: str = "") -> str:
    start = (NOW + datetime.timedelta(days=days)).replace(hour=14, minute=0, second=0)
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_stamp(NOW)}"]
    if summary is not None:
        lines.append(f"SUMMARY:{summary}")
    lines += [
        f"DTSTART:{_stamp(start)}",
        f"DTEND:{_stamp(start + datetime.timedelta(hours=2))}",
    ]
    if extra:
        lines.append(extra)
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def ics(*events: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Calendar//EN", *events]
    return ("\r\n".join([*body, "END:VCALENDAR"]) + "\r\n").encode()


@pytest.fixture
def trusted(territory_a, user):
    provider = make_provider(
        territory_a,
        "Trusted makerspace",
        trusted=True,
        staff=[(user("alan"), ProviderStaff.Role.OWNER)],
    )
    venue = make_venue(territory_a, provider, "Lab")
    return provider, venue


def _calendar(territory, provider, url, *, venue=None, creator) -> CalendarFeed:
    with tenant_context(territory):
        calendar = CalendarFeed.objects.create(
            provider=provider, url=url, venue=venue, created_by=creator
        )
        calendar.interests.set(Interest.objects.filter(slug="robotics"))
    return calendar


def _sync(territory, calendar):
    with tenant_context(territory):
        return actions.sync_calendar(
            calendar=CalendarFeed.objects.get(pk=calendar.pk), territory=territory
        )


def test_trusted_provider_calendar_is_published_and_kept_in_sync(
    territory_a, trusted, user, calendar_server
):
    provider, venue = trusted
    weekly = vevent(
        "weekly-1@example.org",
        "Robotics, every Tuesday",
        days=1,
        extra="RRULE:FREQ=WEEKLY;COUNT=6\r\nDESCRIPTION:Bring a laptop.\\nAll welcome.",
    )
    url = calendar_server.serve(
        "/club.ics",
        ics(
            vevent("single-1@example.org", "Open day", extra="URL:https://example.org/open"),
            weekly,
            vevent("broken@example.org", "No start").replace("DTSTART", "X-NOT-DTSTART"),
        ),
    )
    calendar = _calendar(territory_a, provider, url, venue=venue, creator=user("alan"))

    result = _sync(territory_a, calendar)

    assert (result.created, result.published) == (2, 2)
    assert calendar_server.hits == ["/club.ics"]
    with tenant_context(territory_a):
        activities = {a.title: a for a in Activity.objects.filter(provider=provider)}
        assert set(activities) == {"Open day", "Robotics, every Tuesday"}
        assert all(a.is_public for a in activities.values())
        open_day = activities["Open day"]
        assert open_day.join_url == "https://example.org/open"
        assert open_day.venue_id == venue.pk
        assert activities["Robotics, every Tuesday"].sessions.count() == 6
        assert "Bring a laptop." in activities["Robotics, every Tuesday"].description
        errors = list(CalendarError.objects.filter(calendar=calendar))
        assert [e.uid for e in errors] == ["broken@example.org"]
        assert CalendarFeed.objects.get(pk=calendar.pk).last_ok

    # Unchanged: nothing is written again.
    again = _sync(territory_a, calendar)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    # Renamed, then cancelled / removed: the same activities follow (keyed by UID).
    calendar_server.serve(
        "/club.ics",
        ics(
            vevent("single-1@example.org", "Open day (new hall)"),
        ),
    )
    changed = _sync(territory_a, calendar)
    assert (changed.created, changed.updated, changed.archived) == (0, 1, 1)
    with tenant_context(territory_a):
        assert Activity.objects.get(pk=open_day.pk).title == "Open day (new hall)"
        assert (
            Activity.objects.get(title="Robotics, every Tuesday").status == Activity.Status.ARCHIVED
        )
    calendar_server.serve(
        "/club.ics",
        ics(vevent("single-1@example.org", "Open day (new hall)", extra="STATUS:CANCELLED")),
    )
    _sync(territory_a, calendar)
    with tenant_context(territory_a):
        assert Activity.objects.get(pk=open_day.pk).status == Activity.Status.ARCHIVED
        assert CalendarEvent.objects.filter(calendar=calendar).count() == 2


def test_untrusted_provider_gets_drafts(territory_a, provider_a, venue_a, user, calendar_server):
    url = calendar_server.serve("/c.ics", ics(vevent("a@example.org", "Chess evening")))
    calendar = _calendar(territory_a, provider_a, url, venue=venue_a, creator=user("alan"))

    result = _sync(territory_a, calendar)

    assert (result.created, result.published) == (1, 0)
    with tenant_context(territory_a):
        activity = Activity.objects.get(title="Chess evening")
        assert activity.status == Activity.Status.DRAFT
        assert not activity.is_public


def test_the_worker_task_imports_in_the_territory(territory_a, trusted, user, calendar_server):
    provider, venue = trusted
    url = calendar_server.serve("/t.ics", ics(vevent("t@example.org", "Pottery")))
    calendar = _calendar(territory_a, provider, url, venue=venue, creator=user("alan"))
    with tenant_context(territory_a):
        assert sync_calendar_task.run(calendar.pk).startswith("1 ")
        assert sync_calendar_task.run(calendar.pk + 1000) == "gone"
        assert Activity.objects.get(title="Pottery").is_public
        # Beat's task hands each calendar to a task of its own (through the outbox).
        assert sync_calendars_task.run() == 1
    assert OutboundTask.objects.filter(
        task_name="opendata.sync_calendar", args=[calendar.pk]
    ).exists()


@pytest.mark.parametrize(
    ("path", "body", "status", "headers", "message"),
    [
        ("/page.html", b"<html>hello</html>", 200, {}, "This is not an iCalendar (.ics) file."),
        ("/missing.ics", None, 404, {}, "The calendar's server answered with error %(status)s."),
        (
            "/moved.ics",
            b"",
            302,
            {"Location": "http://10.0.0.1/x.ics"},
            "The address redirects elsewhere: give the calendar's final address.",
        ),
    ],
)
def test_a_calendar_that_cannot_be_read_is_logged_for_the_provider(
    territory_a, provider_a, user, calendar_server, settings, path, body, status, headers, message
):
    if body is not None:
        calendar_server.serve(path, body, status=status, headers=headers)
    calendar = _calendar(
        territory_a, provider_a, f"{calendar_server.base}{path}", creator=user("alan")
    )
    with tenant_context(territory_a):
        count = Activity.objects.count()
    result = _sync(territory_a, calendar)
    with tenant_context(territory_a):
        assert Activity.objects.count() == count
        feed = CalendarFeed.objects.get(pk=calendar.pk)
        assert not feed.last_ok
        error = CalendarError.objects.get(calendar=calendar)
    assert result.problems == [("", error.message)]
    assert error.message == lithuanian(message) % {"status": 404}


def test_size_cap(territory_a, provider_a, user, calendar_server, settings):
    settings.CALENDAR_MAX_BYTES = 100_000
    url = calendar_server.serve(
        "/huge.ics", ics(*[vevent(f"{n}@x", "Long " * 40) for n in range(500)])
    )
    calendar = _calendar(territory_a, provider_a, url, creator=user("alan"))
    result = _sync(territory_a, calendar)
    assert result.problems == [
        ("", lithuanian("The calendar is larger than %(mb)s MB.") % {"mb": 0.1})
    ]


def test_private_addresses_are_refused(territory_a, provider_a, user, calendar_server, settings):
    url = calendar_server.serve("/c.ics", ics(vevent("a@example.org", "Chess evening")))
    settings.CALENDAR_ALLOW_PRIVATE_ADDRESSES = False
    calendar = _calendar(territory_a, provider_a, url, creator=user("alan"))

    result = _sync(territory_a, calendar)

    assert calendar_server.hits == []
    assert result.problems[0][1] == lithuanian("This address is not on the public internet.")
    for address in ("http://localhost:1/x.ics", "http://169.254.169.254/latest", "http://[::1]/"):
        with tenant_context(territory_a):
            CalendarFeed.objects.filter(pk=calendar.pk).update(url=address)
            assert _sync(territory_a, calendar).problems[0][1] == lithuanian(
                "This address is not on the public internet."
            )


def test_the_command_imports_a_territorys_calendars(
    territory_a, trusted, user, calendar_server, capsys
):
    provider, venue = trusted
    url = calendar_server.serve("/cmd.ics", ics(vevent("cmd@example.org", "Weaving")))
    calendar = _calendar(territory_a, provider, url, venue=venue, creator=user("alan"))
    call_command("sync_calendars", "--territory", territory_a.slug, "--reconcile-feed")
    out = capsys.readouterr().out
    assert f"calendar {calendar.pk}: " in out
    assert "changes feed: " in out
    with tenant_context(territory_a):
        assert Activity.objects.get(title="Weaving").is_public
    with pytest.raises(CommandError):
        call_command("sync_calendars", "--territory", "nowhere")
    with pytest.raises(CommandError):
        call_command("sync_calendars", "--territory", territory_a.slug, "--calendar", "999999")


@pytest.fixture
def localhost_certificate(tmp_path):
    """A self-signed certificate for "localhost" (files: certificate, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


def test_https_checks_the_certificate_of_the_host_name(
    territory_a, trusted, user, settings, localhost_certificate
):
    # The fetch connects to the address it checked, yet TLS still verifies the
    # certificate for the host name of the URL.
    settings.CALENDAR_ALLOW_PRIVATE_ADDRESSES = True
    provider, venue = trusted
    with serve_calendars(tls=localhost_certificate) as server:
        url = server.serve("/tls.ics", ics(vevent("tls@example.org", "Encrypted club")))
        calendar = _calendar(territory_a, provider, url, venue=venue, creator=user("alan"))
        # Not signed by an authority this server trusts: refused, nothing read.
        refused = _sync(territory_a, calendar)
        assert refused.problems == [("", lithuanian("The calendar's server could not be reached."))]
        assert server.hits == []
        # Trusted (its own authority): imported.
        settings.CALENDAR_CA_BUNDLE = localhost_certificate[0]
        imported = _sync(territory_a, calendar)
        assert (imported.created, imported.problems) == (1, [])
        assert server.hits == ["/tls.ics"]
