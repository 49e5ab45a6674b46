"""Learning playlists of one territory: thematic paths through local activities,
online activities of other territories and challenges, with learners' progress.

Everything here lives in the territory's schema. Accounts live in the public schema
and are referenced without a database constraint (see catalogue.models._user_fk).
Completion rules are enforced in ``actions``, never in forms or ``save()``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shared_apps.core.uploads import territory_upload_to
from tenant_apps.badges.models import BadgeClass
from tenant_apps.catalogue.models import Activity, Interest, Provider
from tenant_apps.moderation.status import ModerationStatus


def _user_fk(**kwargs: Any) -> models.ForeignKey[Any, Any]:
    """An account of the public schema, referenced without a cross-schema constraint."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,
    )


def _evidence_storage() -> Storage:
    return storages["private"]


class Playlist(models.Model):
    """A learning path: ordered steps, some required, some optional (N of M)."""

    # One moderation workflow for every published kind (tenant_apps.moderation).
    Status = ModerationStatus

    class Curator(models.TextChoices):
        PROVIDER = "provider", _("Provider")
        TERRITORY = "territory", _("Territory")
        LEARNER = "learner", _("Learner")

    title = models.CharField(_("Title"), max_length=160)
    description = models.TextField(_("Description"), blank=True)
    # The same texts in the site's other languages (shared_apps.core.multilingual).
    translations = models.JSONField(default=dict, blank=True)
    cover = models.ImageField(
        _("Cover image"), upload_to=territory_upload_to("playlists"), blank=True, max_length=255
    )
    interests = models.ManyToManyField(
        Interest, related_name="playlists", blank=True, verbose_name=_("Interests")
    )
    curator = models.CharField(max_length=10, choices=Curator.choices)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="playlists"
    )
    # Personal playlists: the learner who made it (private unless shared by link).
    owner = _user_fk(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(blank=True)
    is_ordered = models.BooleanField(_("Steps in order"), default=False)
    min_optional = models.PositiveSmallIntegerField(
        _("Optional steps needed"), default=0, validators=[MaxValueValidator(50)]
    )
    starts_on = models.DateField(_("Start date"), null=True, blank=True)
    ends_on = models.DateField(_("End date"), null=True, blank=True)
    estimated_hours = models.PositiveSmallIntegerField(
        _("Estimated hours"), null=True, blank=True, validators=[MaxValueValidator(1000)]
    )
    badge_class = models.ForeignKey(
        BadgeClass,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Completion badge"),
    )
    # Set only when the owner of a personal playlist shares it; random, unguessable.
    share_token = models.CharField(max_length=43, null=True, blank=True, unique=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["owner"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(curator="provider", provider__isnull=False, owner__isnull=True)
                    | Q(curator="territory", provider__isnull=True, owner__isnull=True)
                    | Q(curator="learner", provider__isnull=True, owner__isnull=False)
                ),
                name="playlists_curator_consistent",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=models.F("ends_on")),
                name="playlists_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/playlists/{self.pk}/"

    @property
    def is_personal(self) -> bool:
        return self.curator == self.Curator.LEARNER

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Step(models.Model):
    """One step of a playlist: an activity here, an online activity of another
    territory (resolved later by the network layer), or a challenge."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity")
        REMOTE = "remote_activity", _("Online activity in another city")
        CHALLENGE = "challenge", _("Challenge")

    class Completion(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        CHECK_IN = "check_in", _("Check-in by the organiser")

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Kept (not cascaded) when the activity goes: learners' progress stays.
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="playlist_steps"
    )
    remote_territory = models.SlugField(max_length=40, blank=True)
    remote_activity_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=160, blank=True)
    instructions = models.TextField(blank=True)
    is_required = models.BooleanField(default=True)
    completion = models.CharField(
        max_length=10, choices=Completion.choices, default=Completion.EVIDENCE
    )

    class Meta:
        ordering = ["playlist", "position"]
        constraints = [
            # Deferred: swapping two positions happens within one transaction.
            models.UniqueConstraint(
                fields=["playlist", "position"],
                name="playlists_step_position_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    # Set by selectors.steps_of on steps in another city: their network index entry,
    # None while that activity is not public.
    remote: Any = None

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.activity is not None:
            return self.activity.title
        if self.kind == self.Kind.REMOTE:
            return f"{self.remote_territory} #{self.remote_activity_id}"
        # An activity that was deleted since: the step (and its progress) stays.
        return str(self.get_kind_display())


class Enrolment(models.Model):
    """A learner following a playlist. Leaving keeps the progress (re-joining resumes)."""

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="enrolments")
    user = _user_fk()
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["playlist", "user"], name="playlists_enrolment_unique")
        ]
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.playlist_id}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class StepProgress(models.Model):
    """A learner's state on one step, with their evidence and the reviewer's answer."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Done")
        NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")
        REJECTED = "rejected", _("Rejected")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="progress")
    # The enrolment's playlist, copied (it never changes): the review queue filters,
    # counts and pages by playlist on this table's indexes alone, without joins.
    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    evidence_text = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    evidence_file = models.FileField(
        storage=_evidence_storage,
        upload_to=territory_upload_to("playlist-evidence"),
        blank=True,
        max_length=255,
    )
    evidence_content_type = models.CharField(max_length=80, blank=True)
    reviewer_comment = models.TextField(blank=True)
    reviewed_by = _user_fk(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = _user_fk(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "step"], name="playlists_progress_unique")
        ]
        indexes = [
            # The review queue: submitted evidence, oldest first (all playlists, or one).
            models.Index(
                fields=["submitted_at", "id"],
                name="playlists_progress_queue",
                condition=Q(state="submitted"),
            ),
            models.Index(
                fields=["playlist", "state", "submitted_at", "id"],
                name="playlists_progress_by_state",
            ),
            models.Index(fields=["step", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.step_id}: {self.state}"
