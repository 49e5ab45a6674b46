"""One account per person across the whole network, and what it may do where.

Accounts live in the public schema. A Membership gives an account a role in one
territory; network roles (coordinator, platform staff) are network-wide.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from tenants.models import Territory


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Deliberately little: an email to sign in, optionally a display name.

    ``is_staff`` marks platform staff (Django admin on the network site).
    """

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        _("platform staff"), default=False, help_text=_("May use the platform's admin site.")
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of every session's check (get_session_auth_hash): a new value ends the
    # account's sessions on every host at once, each in its own schema ("sign out
    # everywhere", shared_apps.accounts.sso). Empty: the plain password-based hash.
    session_stamp = models.CharField(max_length=32, blank=True, default="", editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        # Never the email: this string ends up in logs and admin history.
        return self.display_name or f"account #{self.pk}"

    def get_session_auth_hash(self) -> str:
        return self._stamped(super().get_session_auth_hash())

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        # Sessions made under a SECRET_KEY_FALLBACKS key end with the stamp too.
        for fallback in super().get_session_auth_fallback_hash():
            yield self._stamped(fallback)

    def _stamped(self, session_hash: str) -> str:
        if not self.session_stamp:
            return session_hash
        return salted_hmac(
            "accounts.User.session_stamp",
            f"{session_hash}:{self.session_stamp}",
            algorithm="sha256",
        ).hexdigest()


class Membership(models.Model):
    """An account's role in one territory."""

    class Role(models.TextChoices):
        LEARNER = "learner", _("Learner")
        PROVIDER_STAFF = "provider_staff", _("Provider staff")
        TERRITORY_ADMIN = "territory_admin", _("Territory admin")

    STAFF_ROLES: ClassVar[tuple[str, ...]] = (Role.PROVIDER_STAFF, Role.TERRITORY_ADMIN)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEARNER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "territory"], name="accounts_membership_unique"
            ),
        ]
        indexes = [models.Index(fields=["territory", "role"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.territory.slug}: {self.role}"

    @property
    def is_staff(self) -> bool:
        return self.role in self.STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.TERRITORY_ADMIN


class SignOnTokenUse(models.Model):
    """A single sign-on token that was used: a second use of the same token (a replay)
    breaks the unique constraint. Rows older than the tokens' lifetime are useless and
    deleted as new ones come (shared_apps.accounts.sso)."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"sign-on token {self.pk}"


class Footprint(models.Model):
    """The account has (or had) rows in this territory's schema: per-person work (data
    export, deletion, consent withdrawal) visits only these territories
    (shared_apps.accounts.footprints)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="accounts_footprint_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.territory_id}"


class Coordinator(models.Model):
    """A network coordinator, looking after some territories or all of them."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="coordinator")
    all_territories = models.BooleanField(_("all territories"), default=False)
    territories = models.ManyToManyField(Territory, blank=True, related_name="coordinators")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network coordinator")
        verbose_name_plural = _("network coordinators")

    def __str__(self) -> str:
        return f"coordinator {self.user}"
