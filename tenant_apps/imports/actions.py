"""Every write of an import: the job's life (upload, mapping, confirmation, run) and the
catalogue rows, written through the catalogue's actions.

A confirmed import is all or nothing: the rows are checked and written in one
transaction, and if any row has an error nothing stays (the errors are reported).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.ops.outbox import send_task_on_commit
from tenant_apps.catalogue.actions import (
    ImportedActivity,
    save_imported_activities,
    save_imported_providers,
    save_imported_venues,
)
from tenant_apps.catalogue.models import Provider, Venue
from tenant_apps.imports.models import ColumnMapping, ImportJob, Kind
from tenant_apps.imports.readers import ImportFileError, Table, check_upload, open_table
from tenant_apps.imports.rows import ActivityChecker, ProviderChecker, RowOutcome, targets
from tenants.models import Territory

logger = logging.getLogger(__name__)

BATCH = 1000
# Errors kept for the admin to read (the count is always exact).
MAX_ERRORS_KEPT = 200
PREVIEW_ROWS = 20
# Small files are checked entirely when previewed; larger ones when confirmed.
PREVIEW_CHECK_ROWS = 1000


def progress_key(job: ImportJob) -> str:
    return f"imports:progress:{job.pk}"


@dataclass
class RowError:
    row: int
    messages: list[str]


@dataclass
class Result:
    checked: int = 0
    created: int = 0
    updated: int = 0
    providers_created: int = 0
    venues_created: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[RowOutcome] = field(default_factory=list)
    written: bool = False


def clean_source(source: str) -> str:
    cleaned = "".join(c for c in source.strip().lower() if c.isalnum() or c in "-_.:")[:40]
    return cleaned or "import"


def _count_rows(table: Table) -> int:
    return sum(1 for _row in table.rows)


@transaction.atomic
def start_import(
    *, territory: Territory, acting_user: User, upload: UploadedFile, kind: str, source: str
) -> ImportJob:
    """Keep an uploaded file (private storage) after checking its size and type and
    that it can be read; nothing of the catalogue is touched yet."""
    name = (upload.name or "upload").rsplit("/", 1)[-1][:200]
    file_format = check_upload(upload, name, upload.size or 0)
    count = _count_rows(open_table(upload, file_format))
    if count == 0:
        raise ImportFileError(_("The file has no rows below its header."))
    upload.seek(0)
    job = ImportJob(
        kind=kind if kind in Kind.values else Kind.ACTIVITIES,
        file_format=file_format,
        original_name=name,
        source=clean_source(source),
        language=translation.get_language() or territory.default_language,
        total_rows=count,
        created_by_id=acting_user.pk,
    )
    job.file.save(f"import.{file_format}", upload, save=False)
    job.save()
    return job


def saved_columns(kind: str) -> dict[str, str]:
    mapping = ColumnMapping.objects.filter(kind=kind).first()
    return dict(mapping.columns) if mapping else {}


def clean_columns(
    kind: str, columns: Mapping[str, str], file_columns: Iterable[str]
) -> dict[str, str]:
    """Only real file columns, only known fields, each field from one column."""
    names = {t.name for t in targets(kind)}
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for column in file_columns:
        name = columns.get(column, "")
        if name in names:
            if name in used:
                raise ValidationError(_("Each field can come from one column only."))
            used.add(name)
            chosen[column] = name
    if not chosen:
        raise ValidationError(_("Choose a field for at least one column."))
    return chosen


def save_mapping(*, kind: str, columns: Mapping[str, str], acting_user: User) -> ColumnMapping:
    """Remember the admin's choices: offered for the next file of this kind. Columns
    not in this file keep what was saved for them before."""
    mapping, _created = ColumnMapping.objects.get_or_create(kind=kind)
    mapping.columns = {**mapping.columns, **columns}
    mapping.updated_by_id = acting_user.pk
    mapping.save()
    return mapping


def _table(job: ImportJob) -> Table:
    job.file.open("rb")
    return open_table(job.file, job.file_format)


def preview_import(*, job: ImportJob, territory: Territory) -> Result:
    """Check the first rows (all of a small file) as they would be written. Writes
    nothing: not the catalogue, not the job."""
    try:
        return execute(
            territory=territory,
            kind=job.kind,
            source=job.source,
            columns=job.columns,
            table=_table(job),
            acting_user=None,
            dry_run=True,
            limit=PREVIEW_CHECK_ROWS,
        )
    finally:
        job.file.close()


@transaction.atomic
def confirm_import(
    *, job: ImportJob, territory: Territory, acting_user: User, columns: Mapping[str, str]
) -> ImportJob:
    """The admin confirms: the mapping is saved for next time and the import runs in
    the background (a task; in-process when there is no broker)."""
    if job.status != ImportJob.Status.UPLOADED:
        raise ValidationError(_("This import was already confirmed."))
    job.columns = dict(columns)
    job.status = ImportJob.Status.QUEUED
    job.language = translation.get_language() or job.language
    job.save(update_fields=["columns", "status", "language"])
    save_mapping(kind=job.kind, columns=columns, acting_user=acting_user)
    from tenant_apps.imports.tasks import (
        run_import_task,  # cycle: tenant_apps.imports.tasks imports this module at load
    )

    send_task_on_commit(run_import_task, args=[str(job.pk)])
    return job


def run_import(*, job_id: str, territory: Territory) -> ImportJob | None:
    """The background run of a confirmed job. Idempotent: only a queued job runs."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not claimed:
        return job
    acting_user = User.objects.filter(pk=job.created_by_id).first()
    try:
        with translation.override(job.language):
            result = execute(
                territory=territory,
                kind=job.kind,
                source=job.source,
                columns=job.columns,
                table=_table(job),
                acting_user=acting_user,
                progress=progress_key(job),
                job=job,
            )
    except ImportFileError as error:
        result = Result(error_count=1, errors=[RowError(0, [str(error)])])
    except DatabaseError:
        # A batch the database refused (the rows passed every check): the import's
        # transaction is rolled back, nothing stays; the admin reads why it failed,
        # the details (which may quote row values) go to the log only.
        logger.exception("import %s: writing the rows failed", job.pk)
        with translation.override(job.language):
            message = _("The database refused the rows, so nothing was imported. Try again.")
        result = Result(error_count=1, errors=[RowError(0, [message])])
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now()
        )
        raise
    finally:
        job.file.close()
    job.status = ImportJob.Status.DONE if result.written else ImportJob.Status.FAILED
    job.processed_rows = result.checked
    job.created_count, job.updated_count = result.created, result.updated
    job.providers_created, job.venues_created = result.providers_created, result.venues_created
    job.error_count = result.error_count
    job.errors = [{"row": e.row, "messages": e.messages} for e in result.errors]
    job.finished_at = timezone.now()
    job.save()
    # The file is not needed any more (rows may name contact people): least data.
    job.file.delete(save=True)
    cache.delete(progress_key(job))
    return job


class _Rollback(Exception):
    pass


def execute(
    *,
    territory: Territory,
    kind: str,
    source: str,
    columns: Mapping[str, str],
    table: Table,
    acting_user: User | None,
    dry_run: bool = False,
    limit: int | None = None,
    progress: str = "",
    job: ImportJob | None = None,
) -> Result:
    """Check every row and, unless ``dry_run``, write them in batches of BATCH, all in
    one transaction that is rolled back if any row has an error."""
    result = Result()
    try:
        with transaction.atomic():
            if kind == Kind.PROVIDERS:
                _providers(territory, source, columns, table, result, dry_run, limit)
            else:
                _activities(territory, source, columns, table, result, dry_run, limit, progress)
            if dry_run or result.error_count:
                raise _Rollback
            record(
                actor=acting_user,
                action=AuditEvent.CATALOGUE_IMPORTED,
                territory=territory,
                target=job,
                details={
                    "kind": kind,
                    "source": source,
                    "rows": result.checked,
                    "created": result.created,
                    "updated": result.updated,
                    "providers_created": result.providers_created,
                    "venues_created": result.venues_created,
                },
            )
            result.written = True
    except _Rollback:
        result.written = False
    return result


def _keep_error(result: Result, outcome: RowOutcome) -> None:
    result.error_count += 1
    if len(result.errors) < MAX_ERRORS_KEPT:
        result.errors.append(RowError(outcome.number, outcome.errors))


def _activities(
    territory: Territory,
    source: str,
    columns: Mapping[str, str],
    table: Table,
    result: Result,
    dry_run: bool,
    limit: int | None,
    progress: str,
) -> None:
    checker = ActivityChecker(territory=territory, source=source, columns=columns)
    batch: list[ImportedActivity] = []
    with BatchWriter(territory, result) as writer:
        for index, raw in enumerate(table.rows):
            if limit is not None and index >= limit:
                break
            outcome = checker.check(index + 2, raw)
            result.checked += 1
            if len(result.preview) < PREVIEW_ROWS:
                result.preview.append(outcome)
            if outcome.errors:
                _keep_error(result, outcome)
            elif not dry_run and not result.error_count and outcome.plan is not None:
                batch.append(outcome.plan)
                if len(batch) >= BATCH:
                    writer.write(batch)
                    batch = []
            if progress and result.checked % 500 == 0:
                cache.set(progress, result.checked, 3600)
        if batch and not dry_run and not result.error_count:
            writer.write(batch)


class BatchWriter:
    """Writes the batches of an import in a thread while the caller checks the next
    batch: PostgreSQL writes batch N while Python checks batch N+1 (on 2 cores the
    import takes about the larger of the two costs, not their sum).

    The thread uses the caller's own connection, so every batch is written in the
    import's one transaction, on the territory's schema: all or nothing, as before.
    A second connection would see neither. A connection must not be used by two
    threads at once, so one batch at most is in flight, and while it is, a query from
    any other thread raises (the checker queries nothing per row; this keeps it so).
    An error of a write is raised in the caller at its next ``write`` or at the end,
    after the thread has stopped using the connection: the transaction then rolls
    everything back."""

    def __init__(self, territory: Territory, result: Result) -> None:
        self.territory = territory
        self.result = result
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.pool: ThreadPoolExecutor | None = None
        self.pending: Future[_Written] | None = None
        self.writer_thread = 0
        self.guarded = ExitStack()

    def __enter__(self) -> BatchWriter:
        self.guarded.enter_context(self.connection.execute_wrapper(self._guard))
        return self

    def _guard(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if self.pending is not None and threading.get_ident() != self.writer_thread:
            raise RuntimeError("a query while the import's writer thread uses the connection")
        return execute(sql, params, many, context)

    def _run(self, batch: list[ImportedActivity], language: str) -> _Written:
        self.writer_thread = threading.get_ident()
        # Django's connections are per thread: this thread takes the import's own.
        connections[DEFAULT_DB_ALIAS] = self.connection
        with translation.override(language):
            return _write_activities(self.territory, batch)

    def wait(self) -> None:
        """Wait for the batch in flight; count it, or raise its error."""
        if self.pending is None:
            return
        try:
            written = self.pending.result()
        finally:
            self.pending = None
        self.result.created += written.created
        self.result.updated += written.updated
        self.result.providers_created += written.providers
        self.result.venues_created += written.venues

    def write(self, batch: list[ImportedActivity]) -> None:
        self.wait()
        if self.pool is None:
            self.connection.inc_thread_sharing()
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self.pending = self.pool.submit(self._run, batch, translation.get_language() or "en")

    def __exit__(self, error_type: type[BaseException] | None, *_args: object) -> None:
        try:
            if error_type is None:
                self.wait()
            elif self.pending is not None:
                # Already failing: the write in flight must end before the rollback
                # uses the connection; its own outcome no longer matters.
                wait_futures([self.pending])
                self.pending = None
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True)
                self.connection.dec_thread_sharing()
                self.pool = None
            self.guarded.close()


@dataclass
class _Written:
    created: int = 0
    updated: int = 0
    providers: int = 0
    venues: int = 0


def _write_activities(territory: Territory, batch: list[ImportedActivity]) -> _Written:
    written = _Written()
    providers: dict[int, Provider] = {}
    venues: dict[int, Venue] = {}
    for plan in batch:
        activity = plan.activity
        if activity.provider.pk is None:
            providers[id(activity.provider)] = activity.provider
        if activity.venue is not None and activity.venue.pk is None:
            venues[id(activity.venue)] = activity.venue
    if providers:
        save_imported_providers(territory=territory, providers=list(providers.values()))
        written.providers = len(providers)
    if venues:
        for plan in batch:
            venue = plan.activity.venue
            if venue is not None and venue.pk is None:
                venue.provider = plan.activity.provider
        save_imported_venues(territory=territory, venues=list(venues.values()))
        written.venues = len(venues)
    for plan in batch:
        # The provider and venue may have been saved just now: take their ids.
        plan.activity.provider = plan.activity.provider
        plan.activity.venue = plan.activity.venue
    written.created, written.updated = save_imported_activities(territory=territory, rows=batch)
    return written


def _providers(
    territory: Territory,
    source: str,
    columns: Mapping[str, str],
    table: Table,
    result: Result,
    dry_run: bool,
    limit: int | None,
) -> None:
    checker = ProviderChecker(territory=territory, source=source, columns=columns)
    planned: list[Provider] = []
    for index, raw in enumerate(table.rows):
        if limit is not None and index >= limit:
            break
        outcome, provider = checker.check(index + 2, raw)
        result.checked += 1
        if len(result.preview) < PREVIEW_ROWS:
            result.preview.append(outcome)
        if outcome.errors:
            _keep_error(result, outcome)
        elif provider is not None:
            planned.append(provider)
            if outcome.action == "create":
                result.providers_created += 1
            else:
                result.updated += 1
    if planned and not dry_run and not result.error_count:
        save_imported_providers(territory=territory, providers=planned)


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, percent) of a job, the running count coming from the cache."""
    if job.is_finished:
        return job.total_rows, 100
    done = max(job.processed_rows, int(cache.get(progress_key(job)) or 0))
    total = max(job.total_rows, 1)
    return done, min(99, done * 100 // total)


def job_errors_text(errors: Iterable[Mapping[str, Any]]) -> list[str]:
    return [
        (_("Row %(row)s") % {"row": e["row"]} + ": " if e.get("row") else "")
        + "; ".join(e.get("messages") or [])
        for e in errors
    ]
