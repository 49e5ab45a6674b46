"""Console pages on the network site, the entry link and the audit log on territory
hosts. Views check access, validate and delegate to actions/selectors."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_admin_required
from shared_apps.audit.models import AuditEntry
from shared_apps.console import actions, selectors
from shared_apps.console.entry import SESSION_KEY
from shared_apps.console.forms import AuditFilterForm, EntryForm, LifecycleForm
from shared_apps.core.figures import live_figures
from shared_apps.core.formviews import add_refusal
from tenants.models import Territory

View = Callable[..., HttpResponse]
AUDIT_PAGE = 200


def console_required(view: View) -> View:
    """Network site only; platform staff and network coordinators only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "territory", None) is not None:
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.can_use_console(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _territory_or_404(request: HttpRequest, slug: str) -> Territory:
    territory = selectors.console_territory(request.user, slug)
    if territory is None:
        raise Http404
    return territory


def _csv(filename: str, header: list[str], rows: Iterable[list[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        # Cells starting with = + - @ would be formulas in a spreadsheet.
        writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
    return response


@console_required
def index(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in selectors.SORTS:
        sort = "name"
    rows = selectors.territory_rows(request.user, sort)
    if request.GET.get("format") == "csv":
        return _csv(
            "territories.csv",
            ["slug", "name", "status", "plan", *selectors.FIGURE_COLUMNS, "refreshed_at"],
            (
                [
                    t.slug,
                    t.name,
                    t.status,
                    getattr(getattr(t, "billing", None), "plan", ""),
                    *(
                        getattr(getattr(t, "figures", None), name, "")
                        for name in [*selectors.FIGURE_COLUMNS, "refreshed_at"]
                    ),
                ]
                for t in rows
            ),
        )
    columns = [
        (key, label, sort == key)
        for key, label in [
            ("name", _("Territory")),
            ("status", _("Status")),
            ("plan", _("Plan")),
            ("providers", _("Verified providers")),
            ("activities", _("Published activities")),
            ("learners", _("Learners")),
            ("badges", _("Badges awarded")),
            ("searches", _("Searches (7 days)")),
            ("empty", _("Searches without results (7 days)")),
        ]
    ]
    return render(
        request,
        "console/index.html",
        {
            "rows": rows,
            "totals": selectors.totals(rows),
            "columns": columns,
            "sort": sort,
        },
    )


@console_required
def territory(request: HttpRequest, slug: str) -> HttpResponse:
    return _territory_page(request, _territory_or_404(request, slug))


def _territory_page(
    request: HttpRequest,
    found: Territory,
    *,
    lifecycle_form: LifecycleForm | None = None,
    entry_form: EntryForm | None = None,
) -> HttpResponse:
    """A territory's console page; a form given back with its errors answers 400."""
    return render(
        request,
        "console/territory.html",
        {
            "t": found,
            "figures": getattr(found, "figures", None),
            "live_figures": live_figures(found),
            "lifecycle_form": lifecycle_form
            or LifecycleForm(available=actions.available_transitions(found)),
            "entry_form": entry_form or EntryForm(),
            "entry_minutes": actions.ENTRY_MINUTES,
        },
        status=400 if lifecycle_form is not None or entry_form is not None else 200,
    )


@require_POST
@console_required
def lifecycle(request: HttpRequest, slug: str) -> HttpResponse:
    found = _territory_or_404(request, slug)
    form = LifecycleForm(request.POST, available=actions.available_transitions(found))
    if form.is_valid():
        try:
            actions.change_lifecycle(
                territory=found,
                transition=form.cleaned_data["transition"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The territory's status was changed."))
            return redirect("console:territory", slug=found.slug)
    return _territory_page(request, found, lifecycle_form=form)


@require_POST
@console_required
def enter(request: HttpRequest, slug: str) -> HttpResponse:
    found = _territory_or_404(request, slug)
    form = EntryForm(request.POST)
    if not form.is_valid():
        return _territory_page(request, found, entry_form=form)
    _grant, token = actions.grant_entry(
        user=request.user, territory=found, reason=form.cleaned_data["reason"]
    )
    return redirect(f"{found.url}console-entry/{token}/")


def use_entry(request: HttpRequest, token: str) -> HttpResponse:
    """On the territory's host: spend the one-time link, sign the coordinator in to this
    territory's session, and go to the admin area."""
    here = getattr(request, "territory", None)
    if here is None:
        raise Http404
    try:
        grant = actions.use_entry(token=token, territory=here)
    except PermissionError:
        raise PermissionDenied from None
    login(request, grant.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = grant.pk
    return redirect("manage:dashboard")


# ---------------------------------------------------------------------------
# Audit log
# ---------------------------------------------------------------------------


def _audit_rows(entries: Iterable[AuditEntry]) -> Iterable[list[Any]]:
    for entry in entries:
        yield [
            entry.created_at.isoformat(),
            entry.territory.slug if entry.territory else "",
            str(entry.actor) if entry.actor else "",
            entry.action,
            entry.target_type,
            entry.target_id,
            entry.sentence,
        ]


AUDIT_HEADER = [
    "time",
    "territory",
    "actor",
    "action",
    "target_type",
    "target_id",
    "description",
]


@console_required
def network_audit(request: HttpRequest) -> HttpResponse:
    scope = None if request.user.is_staff else selectors.console_territories(request.user)
    choices = list(
        (scope if scope is not None else Territory.objects.all())
        .order_by("name")
        .values_list("slug", "name")
    )
    form = AuditFilterForm(request.GET or None, territories=choices)
    chosen: Territory | None = None
    action = ""
    if form.is_valid():
        action = form.cleaned_data["action"].strip()
        if form.cleaned_data["territory"]:
            chosen = Territory.objects.get(slug=form.cleaned_data["territory"])
    entries = selectors.audit_entries(territories=scope, territory=chosen, action=action)
    if request.GET.get("format") == "csv":
        return _csv("audit.csv", AUDIT_HEADER, _audit_rows(entries.iterator()))
    return render(
        request,
        "console/audit.html",
        {"entries": entries[:AUDIT_PAGE], "form": form, "show_territory": True},
    )


@territory_admin_required
def territory_audit(request: HttpRequest) -> HttpResponse:
    here: Territory = request.territory  # type: ignore[attr-defined]
    form = AuditFilterForm(request.GET or None, territories=[])
    del form.fields["territory"]
    action = form.cleaned_data["action"].strip() if form.is_valid() else ""
    entries = selectors.audit_entries(territories=None, territory=here, action=action)
    if request.GET.get("format") == "csv":
        return _csv("audit.csv", AUDIT_HEADER, _audit_rows(entries.iterator()))
    return render(
        request,
        "console/territory_audit.html",
        {"entries": entries[:AUDIT_PAGE], "form": form, "show_territory": False},
    )
