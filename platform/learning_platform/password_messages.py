"""Django 5.2's password-validator messages, for the languages whose Django catalogues
lag behind them.

Django 5.2 changed these msgids (a typographic apostrophe in "can't", ``%d`` instead of
``%(min_length)d``), but its bundled catalogues for lt, sl, it, fi and nl still hold
the old ones, so the sign-up page showed English password rules on a Lithuanian site.
Listing the current msgids here puts them in the project's catalogue (``make
makemessages`` reads this file; it is in LOCALE_PATHS, which takes precedence over
Django's own catalogues), where gettext finds them for every language we ship, in the
site's own voice (informal "tu" in Lithuanian, like the rest of the interface).
Nothing calls these: Django's validators ask gettext for the same msgids themselves.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

# The apostrophe is U+2019, exactly as in Django's msgids.
HELP_TEXTS = (
    gettext_noop("Your password can’t be too similar to your other personal information."),  # noqa: RUF001
    gettext_noop("Your password can’t be a commonly used password."),  # noqa: RUF001
    gettext_noop("Your password can’t be entirely numeric."),  # noqa: RUF001
)

MINIMUM_LENGTH_HELP = ngettext_lazy(
    "Your password must contain at least %(min_length)d character.",
    "Your password must contain at least %(min_length)d characters.",
    "min_length",
)

TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
