"""The short labels of a result card, computed in Python once per card: a results
page renders 20 of them on every filter change, and template tags per fact cost more
than the database does. And the card's HTML itself (render_cards), rendered once per
language and public content version: the same activities come back in many searches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shared_apps.core.pagecache import FRAGMENT_SECONDS, public_version
from shared_apps.core.templatetags.icons import GENERIC, has_icon
from tenant_apps.catalogue.models import Activity, Interest
from tenant_apps.catalogue.templatetags.catalogue_tags import age_label, km, price_label


def facts(activity: Activity, currency: str) -> list[str]:
    found: list[str] = []
    next_date = getattr(activity, "next_date", None)
    if next_date:
        text = _("Next: %(day)s") % {"day": formats.date_format(next_date, "D j M")}
        if activity.start_time:
            # The language's own time format, as on the activity page (12-hour in en).
            text += " " + formats.time_format(activity.start_time, "TIME_FORMAT")
        found.append(text)
    elif activity.schedule_kind == Activity.ScheduleKind.OPEN:
        found.append(_("Open all year"))
    if activity.schedule_kind == Activity.ScheduleKind.WEEKLY and activity.weekdays:
        found.append(", ".join(str(WEEKDAYS_ABBR[d]) for d in sorted(set(activity.weekdays))))
    found.append(age_label(activity.age_min, activity.age_max))
    price = price_label(activity.is_free, activity.price, currency)
    if activity.voucher:
        # Not inside an f-string: makemessages cannot see a msgid there (it stayed
        # English on every site).
        price = _("%(price)s · voucher") % {"price": price}
    found.append(price)
    if activity.format != Activity.Format.LOCAL:
        found.append(str(activity.get_format_display()))
    return found


def picture(activity: Activity, interests_by_id: Mapping[int, Interest]) -> dict[str, str]:
    """What a card shows as its picture: the activity's image (with its description),
    else its provider's logo, else the drawing of its first interest (decorative: the
    card's title says what it is). Reads only fields the card query loaded."""
    if activity.image:
        return {"url": activity.image.url, "alt": activity.image_alt, "kind": "photo"}
    logo = activity.provider.logo
    if logo:
        return {"url": logo.url, "alt": "", "kind": "logo"}
    slugs = [interests_by_id[i].slug for i in (activity.interest_ids or ()) if i in interests_by_id]
    icon = next((slug for slug in slugs if has_icon(slug)), GENERIC)
    return {"icon": icon, "kind": "icon"}


def label_cards(
    activities: Iterable[Activity], *, interests_by_id: Mapping[int, Interest], currency: str
) -> None:
    """Attach ``card_facts``, ``card_interests``, ``card_place`` and ``card_picture``
    to each activity."""
    for activity in activities:
        item: Any = activity
        item.card_picture = picture(activity, interests_by_id)
        item.card_facts = facts(activity, currency)
        item.card_interests = [
            interests_by_id[i].name for i in (activity.interest_ids or ()) if i in interests_by_id
        ]
        place = [activity.provider.name]
        venue = activity.venue if activity.format != Activity.Format.ONLINE else None
        if venue is not None:
            place.append(venue.neighbourhood or venue.name)
        distance = km(getattr(activity, "distance", None))
        if distance:
            place.append(distance)
        item.card_place = " · ".join(place)


# The first cards' pictures load at once; the others when scrolled to.
EAGER_PICTURES = 2


def _card_key(activity: Activity, *, eager: bool, currency: str, prefix: str) -> str:
    """Everything a card shows that is not the activity's public content (which the
    public content version covers): its next day, the search's highlights, the
    distance from the searched point, whether its picture loads at once."""
    parts = (
        activity.pk,
        eager,
        currency,
        getattr(activity, "next_date", None),
        str(getattr(activity, "title_html", "")),
        str(getattr(activity, "summary_html", "")),
        km(getattr(activity, "distance", None)),
    )
    return prefix + hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def render_cards(
    activities: Sequence[Activity], *, interests_by_id: Mapping[int, Interest], currency: str
) -> None:
    """Attach ``card_picture_html`` and ``card_text_html`` to each activity: the card
    but its save button (per visitor; partials/card.html adds it). Cached per territory
    (the key function carries the schema), language and public content version, which
    every publish action bumps, like the whole-page cache: rendering 20 cards was a
    third of a results request's CPU time (issue 17), and a popular activity is in
    many searches' pages. Only the cards not found are labelled and rendered."""
    language = get_language()
    prefix = f"catalogue:card:{language}:{public_version()}:"
    keys = [
        _card_key(activity, eager=index < EAGER_PICTURES, currency=currency, prefix=prefix)
        for index, activity in enumerate(activities)
    ]
    found: dict[str, tuple[str, str]] = cache.get_many(keys)
    missing = [
        (index, activity) for index, activity in enumerate(activities) if keys[index] not in found
    ]
    label_cards(
        [activity for _index, activity in missing],
        interests_by_id=interests_by_id,
        currency=currency,
    )
    fresh = {}
    for index, activity in missing:
        context = {
            "activity": activity,
            "eager": index < EAGER_PICTURES,
            "LANGUAGE_CODE": language,
        }
        fresh[keys[index]] = (
            render_to_string("catalogue/partials/card_picture.html", context),
            render_to_string("catalogue/partials/card_text.html", context),
        )
    if fresh:
        cache.set_many(fresh, FRAGMENT_SECONDS)
        found.update(fresh)
    for activity, key in zip(activities, keys, strict=True):
        item: Any = activity
        picture_html, text_html = found[key]
        # Our own templates' output (escaped as they render), kept as it was rendered.
        item.card_picture_html = mark_safe(picture_html)  # noqa: S308
        item.card_text_html = mark_safe(text_html)  # noqa: S308
