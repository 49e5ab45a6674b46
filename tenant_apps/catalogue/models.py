"""A territory's learning opportunities: providers, their venues and their activities.

Everything here lives in the territory's own schema. Accounts are global (public
schema): references to them are plain ids without a database constraint, so deleting
an account never has to reach into every territory's schema within one statement.

Activities carry a few denormalised columns (``is_public`` and the search index).
They are written only by ``tenant_apps.catalogue.indexing`` and
``tenant_apps.catalogue.publishing``, never by forms.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from shared_apps.core.uploads import territory_upload_to
from tenant_apps.catalogue import schedule as sched
from tenant_apps.moderation.status import ModerationStatus

MAX_AGE = 99
FREE_WITH_PRICE = _("A free activity has no price: untick “Free of charge” or clear the price.")
# last_date of activities that never end ("always open"): keeps "has not ended" a
# plain indexable comparison.
OPEN_END = datetime.date(9999, 12, 31)


def _user_fk(**kwargs: Any) -> models.ForeignKey[Any, Any]:
    """An account of the public schema, referenced without a cross-schema constraint."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,
    )


class Interest(models.Model):
    """One entry of the territory's interest taxonomy (arts, music, robotics...).

    Names are kept per language (``{"lt": "Muzika", "en": "Music"}``) because a
    territory's site is offered in several languages.
    """

    slug = models.SlugField("identifier", max_length=50, unique=True)
    names = models.JSONField("names", default=dict)
    position = models.PositiveSmallIntegerField("position", default=0)
    is_active = models.BooleanField("offered", default=True)

    class Meta:
        verbose_name = "interest"
        verbose_name_plural = "interests"
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_in(translation.get_language() or "en")

    def name_in(self, language: str) -> str:
        names = self.names or {}
        return str(
            names.get(language)
            or names.get(language.split("-")[0])
            or names.get("en")
            or next(iter(names.values()), self.slug)
        )


class CatalogueSetup(models.Model):
    """How far the territory has set its catalogue up: facts the welcome checklist
    (shared_apps.onboarding) reads, written by the catalogue's actions when they happen
    (never read back from the audit log). One row per territory: ``current()``."""

    # When the territory first adapted its interest list (saved an interest, or adopted
    # a network template's): the seeded taxonomy counts as reviewed from then on.
    interests_reviewed_at = models.DateTimeField(null=True, blank=True)

    ONE = 1

    def __str__(self) -> str:
        return f"catalogue setup (interests reviewed {self.interests_reviewed_at})"

    @classmethod
    def current(cls) -> CatalogueSetup:
        setup, _created = cls.objects.get_or_create(pk=cls.ONE)
        return setup


class Provider(models.Model):
    """An organisation that offers activities: youth centre, NGO, library, club..."""

    class Kind(models.TextChoices):
        YOUTH_CENTRE = "youth_centre", _("Youth centre")
        NGO = "ngo", _("Non-profit organisation")
        LIBRARY = "library", _("Library")
        SCHOOL = "school", _("School or after-school programme")
        SPORTS_CLUB = "sports_club", _("Sports club")
        CULTURE = "culture", _("Museum, theatre or cultural centre")
        MAKERSPACE = "makerspace", _("Makerspace or lab")
        COMPANY = "company", _("Company")
        PUBLIC_BODY = "public_body", _("Public body")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField("name", max_length=160)
    slug = models.SlugField("address", max_length=80, unique=True)
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.NGO)
    description = models.TextField("description", blank=True)
    logo = models.ImageField(
        "logo", upload_to=territory_upload_to("providers"), blank=True, max_length=255
    )
    website = models.URLField("website", blank=True)
    email = models.EmailField("public email", blank=True)
    phone = models.CharField("public phone", max_length=40, blank=True)
    languages = ArrayField(
        models.CharField(max_length=10), verbose_name="languages", default=list, blank=True
    )
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.PENDING
    )
    status_reason = models.TextField("reason", blank=True)
    # Trusted providers publish without review by the territory.
    trusted = models.BooleanField("trusted", default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Where an imported row came from (tenant_apps.imports): a re-import with the same
    # source and id updates this row instead of adding a second one.
    external_source = models.CharField("import source", max_length=40, blank=True, default="")
    external_id = models.CharField("external id", max_length=120, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "provider"
        verbose_name_plural = "providers"
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                name="catalogue_provider_external_unique",
                condition=~Q(external_id=""),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class ProviderStaff(models.Model):
    """An account working for a provider. Owners also manage the provider's staff."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="staff")
    user = _user_fk()
    role = models.CharField("role", max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "provider staff member"
        verbose_name_plural = "provider staff"
        constraints = [
            models.UniqueConstraint(fields=["provider", "user"], name="catalogue_staff_unique")
        ]
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.provider_id}: {self.role}"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class StaffInvitation(models.Model):
    """An owner asked someone, by email, to join a provider's staff. Nothing is granted
    until that person opens the emailed link (signed, expiring, single use), signed in
    with the invited address, and accepts (tenant_apps.catalogue.invitations).

    The territory admin invites a new provider the same way: ``organisation_name`` is
    set and ``provider`` stays empty until the invited person accepts, which creates the
    (verified) provider with them as its owner. No provider row exists for an
    organisation that never answers."""

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="invitations", null=True, blank=True
    )
    # Set only on the territory's invitations of a new provider (kept after acceptance).
    organisation_name = models.CharField(max_length=160, blank=True, default="")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=ProviderStaff.Role.choices)
    # Part of the signed link; replaced when the link is used, resent or revoked.
    nonce = models.CharField(max_length=32, default=new_nonce)
    invited_by = _user_fk(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the link was last emailed: resending waits a minute (no mail bombing).
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = _user_fk(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["provider", "email"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider__isnull=False) | ~Q(organisation_name=""),
                name="catalogue_invitation_has_provider_or_name",
            )
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk} @ {self.provider_id}"

    @property
    def is_for_new_provider(self) -> bool:
        return bool(self.organisation_name)

    @property
    def organisation(self) -> str:
        """The name the invited person sees: the provider's, or the one to be created."""
        return self.provider.name if self.provider is not None else self.organisation_name

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class Venue(models.Model):
    """A place where a provider's activities happen."""

    ACCESSIBILITY_FEATURES: ClassVar[tuple[str, ...]] = (
        "step_free",
        "accessible_toilet",
        "hearing_loop",
        "quiet_space",
    )

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("Name"), max_length=160)
    address = models.CharField(_("address"), max_length=255)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80, blank=True)
    point = gis_models.PointField("location", srid=4326)
    opening_notes = models.TextField(_("opening hours and how to find it"), blank=True)
    step_free = models.BooleanField(_("Step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("Accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("Hearing loop"), default=False)
    quiet_space = models.BooleanField(_("Quiet space"), default=False)
    accessibility_notes = models.TextField(_("more about accessibility"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "venue"
        verbose_name_plural = "venues"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def accessibility(self) -> list[str]:
        return [f for f in self.ACCESSIBILITY_FEATURES if getattr(self, f)]


class Activity(models.Model):
    """A learning opportunity: a course, club, workshop, camp or open programme."""

    # One moderation workflow for every published kind (tenant_apps.moderation).
    Status = ModerationStatus

    class Format(models.TextChoices):
        LOCAL = "local", _("At a venue")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("At a venue and online")

    class ScheduleKind(models.TextChoices):
        SESSIONS = sched.SESSIONS, _("Single sessions")
        WEEKLY = sched.WEEKLY, _("Every week")
        RANGE = sched.RANGE, _("Every day between two dates")
        OPEN = sched.OPEN, _("Always open")

    class JoinMethod(models.TextChoices):
        LINK = "link", _("Sign up on a website")
        CONTACT = "contact", _("Contact the provider")
        INTERESTED = "interested", _("Press “I'm interested” here")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="activities")
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
        verbose_name="venue",
    )
    title = models.CharField("title", max_length=160)
    summary = models.CharField("summary", max_length=300, blank=True)
    description = models.TextField("description", blank=True)
    # The same texts in the site's other languages (shared_apps.core.multilingual).
    translations = models.JSONField(default=dict, blank=True)
    format = models.CharField("where", max_length=10, choices=Format.choices, default=Format.LOCAL)
    online_url = models.URLField("online link", blank=True)
    interests = models.ManyToManyField(
        Interest, related_name="activities", blank=True, verbose_name="interests"
    )
    skills = ArrayField(
        models.CharField(max_length=40), verbose_name="skills", default=list, blank=True
    )
    age_min = models.PositiveSmallIntegerField(
        "youngest age", default=0, validators=[MaxValueValidator(MAX_AGE)]
    )
    age_max = models.PositiveSmallIntegerField(
        "oldest age", default=MAX_AGE, validators=[MaxValueValidator(MAX_AGE)]
    )
    is_free = models.BooleanField("free", default=True)
    price = models.DecimalField(
        "price",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    price_note = models.CharField("price details", max_length=120, blank=True)
    voucher = models.BooleanField("municipal voucher accepted", default=False)
    languages = ArrayField(
        models.CharField(max_length=10), verbose_name="languages", default=list, blank=True
    )
    schedule_kind = models.CharField(
        "schedule", max_length=10, choices=ScheduleKind.choices, default=ScheduleKind.WEEKLY
    )
    starts_on = models.DateField("first day", null=True, blank=True)
    ends_on = models.DateField("last day", null=True, blank=True)
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(), verbose_name="days", default=list, blank=True
    )
    start_time = models.TimeField("starts at", null=True, blank=True)
    end_time = models.TimeField("ends at", null=True, blank=True)
    exceptions = ArrayField(
        models.DateField(), verbose_name="no session on", default=list, blank=True
    )
    schedule_note = models.CharField("schedule notes", max_length=200, blank=True)
    capacity = models.PositiveIntegerField("places", null=True, blank=True)
    join_method = models.CharField(
        "how to join", max_length=12, choices=JoinMethod.choices, default=JoinMethod.INTERESTED
    )
    join_url = models.URLField("sign-up link", blank=True)
    join_contact = models.CharField("contact", max_length=200, blank=True)
    image = models.ImageField(
        "image", upload_to=territory_upload_to("activities"), blank=True, max_length=255
    )
    image_alt = models.CharField("image description", max_length=200, blank=True)
    # Where an imported row came from (tenant_apps.imports): a re-import with the same
    # source and id updates this row instead of adding a second one.
    external_source = models.CharField("import source", max_length=40, blank=True, default="")
    external_id = models.CharField("external id", max_length=120, blank=True, default="")

    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField("reason", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Who last sent it for review (the reviewer sees their name): kept here, not looked
    # up in the audit log.
    submitted_by = _user_fk(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The editor's form as last typed (raw values), kept until it is saved: a lost
    # connection or a closed tab loses nothing.
    autosave_data = models.JSONField(null=True, blank=True, editable=False)
    autosaved_at = models.DateTimeField(null=True, blank=True, editable=False)

    # ---- search index: written by indexing.refresh / publishing only ------------
    # Published by a verified provider: the only rows anyone but staff ever sees.
    is_public = models.BooleanField(default=False, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # Title and summary only: cheap to rank thousands of matches. Its title words
    # alone (ts_filter(rank_vector, '{a}')) have their own GIN index, cat_act_title_gin
    # (migration 0011): a relevance search ranks the activities whose title matches
    # first (search.relevance_ids).
    rank_vector = SearchVectorField(null=True, editable=False)
    interest_ids = ArrayField(models.IntegerField(), default=list, editable=False)
    accessibility = ArrayField(models.CharField(max_length=20), default=list, editable=False)
    # Only public rows are ever searched by place: the partial cat_act_public_knn_gist
    # is its index; a full one was written by every save and read by no query (issue 18).
    location = gis_models.PointField(geography=True, null=True, editable=False, spatial_index=False)
    # Web Mercator metres of the location: the map layer groups on plain numbers.
    map_x = models.FloatField(null=True, editable=False)
    map_y = models.FloatField(null=True, editable=False)
    # Days with a session (weekly recurrences and single sessions; empty for date
    # ranges and always-open activities, which are matched by first/last date).
    days = ArrayField(models.DateField(), default=list, editable=False)
    first_date = models.DateField(null=True, editable=False)
    last_date = models.DateField(null=True, editable=False)
    # The next day it takes place (kept current once a day: indexing.catch_up_next_dates).
    next_date = models.DateField(null=True, editable=False)

    class Meta:
        verbose_name = "activity"
        verbose_name_plural = "activities"
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["status", "submitted_at"]),
            # fastupdate off: with it, new entries wait in a pending list (up to 4 MB)
            # that every search scans until a vacuum merges it; activities are written
            # a few times a day and searched all the time (issue 17).
            GinIndex(fields=["search_vector"], name="cat_act_search_gin", fastupdate=False),
            GinIndex(fields=["interest_ids"], name="cat_act_interests_gin", fastupdate=False),
            GinIndex(fields=["days"], name="cat_act_days_gin", fastupdate=False),
            GinIndex(fields=["accessibility"], name="cat_act_access_gin", fastupdate=False),
            GinIndex(fields=["languages"], name="cat_act_languages_gin", fastupdate=False),
            # The map's whole-city view reads only this index (index-only scan).
            models.Index(
                fields=["map_x", "map_y", "last_date"],
                name="cat_act_map_idx",
                condition=Q(is_public=True, map_x__isnull=False),
            ),
            # Counting what has not ended reads only this index.
            models.Index(
                fields=["last_date"], name="cat_act_public_last_idx", condition=Q(is_public=True)
            ),
            models.Index(
                fields=["next_date", "id"],
                name="cat_act_public_next_idx",
                condition=Q(is_public=True),
            ),
            # "Newest first" (ORDER BY published_at DESC NULLS LAST, id DESC): the
            # index in exactly that order, so a page is a walk that stops after a
            # page's worth of rows instead of a sort of every match (issue 17).
            models.Index(
                F("published_at").desc(nulls_last=True),
                F("id").desc(),
                name="cat_act_public_new_idx",
                condition=Q(is_public=True),
            ),
            # "Nearest first": ORDER BY location <-> point walks this index from the
            # point outwards (KNN) and stops after a page, instead of sorting every
            # activity within the radius.
            GistIndex(
                fields=["location"], name="cat_act_public_knn_gist", condition=Q(is_public=True)
            ),
            # The always-open activities, which every "when" filter matches
            # (search.soonest_in_window_ids reads them apart from the dated ones).
            models.Index(
                fields=["id"],
                name="cat_act_public_open_idx",
                condition=Q(is_public=True, schedule_kind="open"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__lte=models.F("age_max")), name="catalogue_age_order"
            ),
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                name="catalogue_activity_external_unique",
                condition=~Q(external_id=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/activities/{self.pk}/"

    def clean(self) -> None:
        # Every write path (the editor, imports, future API writes) runs full_clean:
        # a price on a free activity is refused here too, never silently dropped.
        super().clean()
        if self.is_free and self.price:
            raise ValidationError({"price": FREE_WITH_PRICE})

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def is_local(self) -> bool:
        return self.format in (self.Format.LOCAL, self.Format.HYBRID)

    @property
    def all_ages(self) -> bool:
        return self.age_min == 0 and self.age_max == MAX_AGE

    def schedule(
        self, timezone: str, sessions: list[ActivitySession] | None = None
    ) -> sched.Schedule:
        """The schedule as a value object. ``sessions`` avoids a query when prefetched."""
        if sessions is None:
            sessions = list(self.sessions.all()) if self.pk else []
        return sched.Schedule(
            kind=self.schedule_kind,
            timezone=timezone,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            weekdays=tuple(self.weekdays or ()),
            start_time=self.start_time,
            end_time=self.end_time,
            exceptions=tuple(self.exceptions or ()),
            sessions=tuple(sched.Session(s.starts_at, s.ends_at) for s in sessions),
        )


class ActivitySession(models.Model):
    """One dated session of an activity with the "single sessions" schedule."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends", null=True, blank=True)

    class Meta:
        verbose_name = "session"
        verbose_name_plural = "sessions"
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.activity_id} @ {self.starts_at:%Y-%m-%d %H:%M}"


class SavedActivity(models.Model):
    """An activity a learner keeps on their list. Private to the learner."""

    user = _user_fk()
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "activity"], name="catalogue_saved_unique")
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.activity_id}"


class InterestedLearner(models.Model):
    """A learner pressed "I'm interested" on an activity that is joined that way.

    The provider sees how many; a learner's email only when they chose to share it.
    """

    user = _user_fk()
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="interested")
    share_contact = models.BooleanField("share my email address with the provider", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "activity"], name="catalogue_interested_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} interested in {self.activity_id}"


class SearchWord(models.Model):
    """The words of public activities (lower case, without accents): what a misspelt
    search term is corrected to."""

    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        indexes = [
            GistIndex(fields=["word"], name="cat_searchword_trgm", opclasses=["gist_trgm_ops"])
        ]

    def __str__(self) -> str:
        return self.word
