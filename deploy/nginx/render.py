#!/usr/bin/env python3
"""Write the nginx site and its snippets from the templates beside this file.

    deploy/nginx/render.py --out /etc/nginx/conf.d \
        --platform-domain learn.example.org --upstream 127.0.0.1:8000 \
        --tls-cert /etc/letsencrypt/live/learn.example.org/fullchain.pem \
        --tls-key /etc/letsencrypt/live/learn.example.org/privkey.pem

Every placeholder must get a value; the script refuses to write otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = sorted(HERE.glob("*.conf.in"))
DEFAULTS = {
    "UPSTREAM": "127.0.0.1:8000",
    "HTTP_LISTEN": "80",
    "HTTPS_LISTEN": "443",
    "STATIC_ROOT": "/srv/cities-of-learning/staticfiles",
    "MEDIA_ROOT": "/srv/cities-of-learning/media",
    "PRIVATE_MEDIA_ROOT": "/srv/cities-of-learning/private",
    "CUSTOM_CERT_DIR": "/etc/cities-of-learning/custom-domain-certs",
    "ACME_ROOT": "/var/www/acme",
    "LOG_DIR": "/var/log/nginx",
    # nginx geo lines, e.g. "10.0.5.0/24 1;" (none by default).
    "RATE_LIMIT_EXEMPT": "",
}


SITE = "cities-of-learning.conf.in"


def render(values: dict[str, str], out: Path) -> list[Path]:
    """The site goes to ``out``; its snippets to ``out/cities-of-learning.d`` (so a
    conf.d/*.conf include does not load them at the wrong level)."""
    snippets = out / "cities-of-learning.d"
    snippets.mkdir(parents=True, exist_ok=True)
    values = {**DEFAULTS, "CONF_DIR": str(snippets), **values}
    written = []
    for template in TEMPLATES:
        text = template.read_text()
        missing = sorted(set(re.findall(r"@([A-Z_]+)@", text)) - values.keys())
        if missing:
            raise SystemExit(f"{template.name}: no value for {', '.join(missing)}")
        for name, value in values.items():
            text = text.replace(f"@{name}@", value)
        folder = out if template.name == SITE else snippets
        target = folder / template.name.removesuffix(".in")
        target.write_text(text)
        written.append(target)
    return written


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--platform-domain", required=True)
    parser.add_argument("--tls-cert", required=True)
    parser.add_argument("--tls-key", required=True)
    for name in DEFAULTS:
        parser.add_argument("--" + name.lower().replace("_", "-"), default=DEFAULTS[name])
    args = vars(parser.parse_args(argv))
    out = args.pop("out")
    values = {key.upper(): str(value) for key, value in args.items()}
    for path in render(values, out):
        print(path)  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
