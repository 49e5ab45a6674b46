"""What a territory adds to its accessibility statement; the rest is the platform's."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessibilityStatement(models.Model):
    """At most one row per territory schema (the statement of the territory's site).

    Until the territory's team saves it, the statement is shown with the platform's
    part only, and feedback goes to the team's admins' address given below it."""

    contact_email = models.EmailField(
        _("contact email for accessibility feedback"),
        help_text=_("Visitors write here when something is not accessible to them."),
    )
    known_issues = models.TextField(
        _("content that is not accessible yet"),
        blank=True,
        help_text=_("What your team knows is not accessible, and the alternatives offered."),
    )
    enforcement_body = models.TextField(
        _("enforcement body"),
        blank=True,
        help_text=_(
            "The national body that handles complaints about accessibility, with its address."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
