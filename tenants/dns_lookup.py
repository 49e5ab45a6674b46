"""DNS look-ups for custom domain verification: the real DNS protocol (dnspython),
against the nameservers in DNS_NAMESERVERS or the system's."""

from __future__ import annotations

import dns.exception
import dns.resolver
from django.conf import settings


class DnsLookupFailed(Exception):
    """No answer could be had (timeout, server failure): try again later."""


def resolver() -> dns.resolver.Resolver:
    if not settings.DNS_NAMESERVERS:
        return dns.resolver.Resolver()
    configured = dns.resolver.Resolver(configure=False)
    configured.nameservers = []
    for entry in settings.DNS_NAMESERVERS:
        host, _sep, port = str(entry).partition(":")
        configured.nameservers.append(host)
        if port:
            configured.port = int(port)
    return configured


def txt_records(name: str) -> list[str]:
    """The TXT strings published at ``name`` ([] when the name or record is absent)."""
    try:
        answer = resolver().resolve(name, "TXT", lifetime=5.0)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException as error:
        raise DnsLookupFailed(str(error)) from error
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]
