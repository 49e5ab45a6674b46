"""``{% absolute_url path %}``: a path on the site that answered, at its configured
address (shared_apps/core/hosts.py), never at whatever Host the request named."""

from __future__ import annotations

from typing import Any

from django import template

from shared_apps.core.hosts import absolute_url as build_absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context: dict[str, Any], path: str) -> str:
    if "://" in path:  # already absolute (media on S3 or a CDN)
        return path
    return build_absolute_url(context["request"], path)
