"""Import pages of the territory admin area, and the public CSV of the catalogue.

The territory is request.territory; jobs live in its schema, so another territory's
job id is simply not found (404)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from shared_apps.accounts.access import territory_admin_required
from shared_apps.core.formviews import form_view
from tenant_apps.imports import actions, exports
from tenant_apps.imports.forms import MappingForm, UploadForm
from tenant_apps.imports.models import ImportJob
from tenant_apps.imports.readers import ImportFileError, open_table
from tenant_apps.imports.rows import suggest_columns, targets
from tenant_apps.imports.selectors import recent_jobs
from tenant_apps.opendata.selectors import licence as open_data_licence
from tenants.types import StaffRequest, TerritoryRequest


def _job(pk: str) -> ImportJob:
    try:
        key = uuid.UUID(pk)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(ImportJob, pk=key)


@territory_admin_required
def start(request: StaffRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)

    def start_job(data: dict[str, Any]) -> HttpResponse | None:
        try:
            job = actions.start_import(
                territory=request.territory,
                acting_user=request.user,
                upload=data["file"],
                kind=data["kind"],
                source=data["source"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
            return None
        return redirect("imports:job", pk=job.pk)

    return form_view(
        request, form, "imports/start.html", lambda: {"jobs": recent_jobs()}, on_valid=start_job
    )


@territory_admin_required
def job_page(request: StaffRequest, pk: str) -> HttpResponse:
    """Map the columns, preview, confirm."""
    job = _job(pk)
    if job.status != ImportJob.Status.UPLOADED:
        return redirect("imports:progress", pk=job.pk)
    try:
        job.file.open("rb")
        columns = open_table(job.file, job.file_format).columns
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("imports:start")
    finally:
        job.file.close()
    fields = targets(job.kind)
    initial = job.columns or suggest_columns(job.kind, columns, actions.saved_columns(job.kind))
    form = MappingForm(
        request.POST or None, columns=columns, targets=fields, initial_columns=initial
    )
    preview = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            chosen = actions.clean_columns(job.kind, form.chosen(), columns)
        except ValidationError as error:
            form.add_error(None, error)
            status = 400
        else:
            if request.POST.get("confirm"):
                try:
                    actions.confirm_import(
                        job=job,
                        territory=request.territory,
                        acting_user=request.user,
                        columns=chosen,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                    status = 400
                else:
                    return redirect("imports:progress", pk=job.pk)
            else:
                job.columns = chosen
                preview = actions.preview_import(job=job, territory=request.territory)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "imports/job.html",
        {
            "job": job,
            "form": form,
            "preview": preview,
            "preview_errors": actions.job_errors_text(
                {"row": e.row, "messages": e.messages} for e in preview.errors
            )
            if preview
            else [],
            "unchecked": max(0, job.total_rows - preview.checked) if preview else 0,
        },
        status=status,
    )


@territory_admin_required
def progress(request: StaffRequest, pk: str) -> HttpResponse:
    """The job's progress; htmx polls the same URL for the bar alone."""
    job = _job(pk)
    done, percent = actions.job_progress(job)
    context = {
        "job": job,
        "done": done,
        "percent": percent,
        "errors": actions.job_errors_text(job.errors),
    }
    template = (
        "imports/_progress.html" if request.headers.get("HX-Request") else "imports/progress.html"
    )
    return render(request, template, context)


@require_GET
def catalogue_csv(request: TerritoryRequest) -> StreamingHttpResponse:
    """The public catalogue as CSV: published activities only, nothing personal."""
    territory = request.territory
    if territory is None:
        raise Http404
    response = StreamingHttpResponse(
        exports.csv_lines(territory), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{territory.slug}-activities.csv"'
    licence = open_data_licence()
    response["Link"] = f'<{licence.url}>; rel="license"'
    response["X-Licence"] = licence.code
    response["X-Content-Type-Options"] = "nosniff"
    return response
