"""Small labels of the catalogue's pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from tenant_apps.catalogue.models import MAX_AGE

register = template.Library()


@register.simple_tag
def age_label(age_min: int, age_max: int) -> str:
    if age_min == 0 and age_max == MAX_AGE:
        return _("All ages")
    if age_max == MAX_AGE:
        return _("From %(min)d years") % {"min": age_min}
    if age_min == 0:
        return _("Up to %(max)d years") % {"max": age_max}
    return _("%(min)d–%(max)d years") % {"min": age_min, "max": age_max}  # noqa: RUF001


@register.simple_tag
def price_label(is_free: bool, price: Decimal | None, currency: str) -> str:
    if is_free:
        return _("Free")
    if price is None:
        return _("Paid")
    amount = formats.number_format(price, decimal_pos=0 if price == price.to_integral() else 2)
    return f"{amount} {currency}"


@register.filter
def km(distance: Any) -> str:
    if not distance:
        return ""
    meters = float(distance.m)
    if meters < 1000:
        return _("%(m)d m away") % {"m": round(meters, -1)}
    return _("%(km)s km away") % {"km": formats.number_format(meters / 1000, decimal_pos=1)}
