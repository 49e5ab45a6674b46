"""Import jobs and the column mappings a territory's admins saved (territory schema)."""

from __future__ import annotations

import uuid

from django.db import models

from shared_apps.core.storage import private_storage
from shared_apps.core.uploads import territory_upload_to


class Kind(models.TextChoices):
    ACTIVITIES = "activities", "activities"
    PROVIDERS = "providers", "providers"


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSON = "json", "JSON"


class ColumnMapping(models.Model):
    """File column -> field, as the admin last chose it for this kind of import:
    offered again for the next file with the same columns."""

    kind = models.CharField(max_length=12, choices=Kind.choices, unique=True)
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by_id = models.IntegerField(null=True)

    def __str__(self) -> str:
        return f"mapping for {self.kind}"


class ImportJob(models.Model):
    """One uploaded file, from upload to its result. The id is random: a job's address
    says nothing about other jobs, and another territory's id is simply not found."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "uploaded"
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ACTIVITIES)
    file_format = models.CharField(max_length=5, choices=FileFormat.choices)
    file = models.FileField(
        upload_to=territory_upload_to("imports"), storage=private_storage, max_length=255
    )
    original_name = models.CharField(max_length=200)
    # external_source of the rows written: re-importing under the same source updates.
    source = models.CharField(max_length=40)
    columns = models.JSONField(default=dict)
    # Row errors are written in the language of the person who confirmed.
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    providers_created = models.PositiveIntegerField(default=0)
    venues_created = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    created_by_id = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
