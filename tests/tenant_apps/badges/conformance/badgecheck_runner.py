"""Runs 1EdTech's Open Badges 2.0 validator (badgecheck) on a list of cases.

Executed by the badgecheck virtualenv's own Python (see Makefile, BADGECHECK), never
imported by the test suite. Reads a JSON list of cases on stdin:
    [{"name": ..., "url": ...} | {"name": ..., "file": path} | {"name": ..., "json": ...},
     optionally "recipient": {"email": ...}]
and writes {name: report} as JSON on stdout, report being badgecheck's own "report".

What it changes around badgecheck, and why:
- Shims for Python 3.11 (collections ABC aliases, inspect.getargspec) that badgecheck's
  2017-era pins expect. The validation logic is untouched.
- The Open Badges 2.0 JSON-LD context (https://w3id.org/openbadges/v2) is answered from
  the copy badgecheck itself ships (openbadges_context.OPENBADGES_CONTEXT_V2_DICT): this
  machine is offline. Any other non-loopback request fails.
- *.localhost resolves to 127.0.0.1 (glibc here does not do it), as a browser would.
"""

import collections
import collections.abc
import inspect
import json
import socket
import sys

for _name in ("Mapping", "MutableMapping", "Iterable", "Sequence", "MutableSequence",
              "Set", "MutableSet", "Callable", "Hashable", "Iterator"):  # fmt: skip
    setattr(collections, _name, getattr(collections.abc, _name))
if not hasattr(inspect, "getargspec"):
    inspect.getargspec = lambda func: inspect.getfullargspec(func)[:4]  # type: ignore

_real_getaddrinfo = socket.getaddrinfo


def _getaddrinfo(host, *args, **kwargs):
    if isinstance(host, str) and (host == "localhost" or host.endswith(".localhost")):
        host = "127.0.0.1"
    elif isinstance(host, str) and host not in ("127.0.0.1", "::1"):
        raise OSError(f"offline: refusing to resolve {host}")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _getaddrinfo

import requests  # noqa: E402
import requests.adapters  # noqa: E402
from openbadges import verify  # noqa: E402
from openbadges.verifier.openbadges_context import (  # noqa: E402
    OPENBADGES_CONTEXT_V2_DICT,
    OPENBADGES_CONTEXT_V2_URI,
)

_real_send = requests.adapters.HTTPAdapter.send


def _send(self, request, *args, **kwargs):
    if request.url.rstrip("/") in (OPENBADGES_CONTEXT_V2_URI, OPENBADGES_CONTEXT_V2_URI + ".json"):
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode("utf-8")
        response.headers["Content-Type"] = "application/ld+json"
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response
    return _real_send(self, request, *args, **kwargs)


requests.adapters.HTTPAdapter.send = _send  # type: ignore[method-assign]


def main() -> None:
    cases = json.load(sys.stdin)
    reports = {}
    for case in cases:
        options = {"use_cache": False}
        try:
            if "file" in case:
                with open(case["file"], "rb") as handle:
                    result = verify(handle, recipient_profile=case.get("recipient"), **options)
            else:
                data = case.get("url") or json.dumps(case["json"])
                result = verify(data, recipient_profile=case.get("recipient"), **options)
        except Exception as error:
            reports[case["name"]] = {
                "valid": False,
                "errorCount": 1,
                "messages": [{"messageLevel": "ERROR", "result": f"raised {error!r}"}],
            }
            continue
        reports[case["name"]] = result["report"]
    json.dump(reports, sys.stdout)


if __name__ == "__main__":
    main()
