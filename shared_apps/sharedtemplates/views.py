from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_admin_required
from shared_apps.console.views import console_required
from shared_apps.core.formviews import add_refusal, render_form
from shared_apps.sharedtemplates import actions
from shared_apps.sharedtemplates.forms import TemplateEditor
from shared_apps.sharedtemplates.models import NetworkTemplate, TemplateAdoption
from tenants.models import Territory

KIND_LABELS: dict[str, Any] = {
    NetworkTemplate.Kind.INTERESTS: gettext_lazy("Interest list"),
    NetworkTemplate.Kind.BADGE_CLASS: gettext_lazy("Badge"),
    NetworkTemplate.Kind.PLAYLIST: gettext_lazy("Playlist (its challenges)"),
}


ADOPTED_MESSAGES: dict[str, Any] = {
    NetworkTemplate.Kind.INTERESTS: gettext_lazy("The template was copied into your interests."),
    NetworkTemplate.Kind.BADGE_CLASS: gettext_lazy(
        "The badge is now one of your badges, issued by your territory."
    ),
    NetworkTemplate.Kind.PLAYLIST: gettext_lazy(
        "A draft playlist was made from it: add local activities, then publish it."
    ),
}


def _labelled(templates: Iterable[NetworkTemplate]) -> list[NetworkTemplate]:
    rows = list(templates)
    for template in rows:
        template.kind_label = KIND_LABELS.get(template.kind, template.kind)  # type: ignore[attr-defined]
    return rows


def _published(
    request: HttpRequest, editor: TemplateEditor, template: NetworkTemplate | None = None
) -> bool:
    """Publish from valid fields (a new template, or a new version of ``template``);
    refusals become the form's errors."""
    if request.method != "POST" or not editor.is_valid():
        return False
    try:
        actions.publish_template(
            name=editor.form.cleaned_data["name"],
            payload_text=json.dumps(editor.payload()),
            acting_user=request.user,
            template=template,
            kind=editor.kind,
        )
    except ValidationError as error:
        add_refusal(editor.form, error)
        return False
    messages.success(request, _("The template was published."))
    return True


@console_required
def network_list(request: HttpRequest) -> HttpResponse:
    """Coordinators see the templates and start a new one of each kind."""
    return render(
        request,
        "sharedtemplates/network_list.html",
        {"templates": _labelled(NetworkTemplate.objects.all()), "kinds": list(KIND_LABELS.items())},
    )


@console_required
def network_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KIND_LABELS:
        raise Http404
    editor = TemplateEditor(kind, request.POST or None)
    if _published(request, editor):
        return redirect("network_templates:list")
    return render_form(
        request,
        "sharedtemplates/network_edit.html",
        editor,
        {"kind_label": KIND_LABELS[kind]},
        form_name="editor",
    )


@console_required
def network_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    template = get_object_or_404(NetworkTemplate, pk=template_id)
    if not (request.user.is_staff or template.created_by_id == request.user.pk):
        raise PermissionDenied
    editor = TemplateEditor(template.kind, request.POST or None, template=template)
    if _published(request, editor, template):
        return redirect("network_templates:list")
    return render_form(
        request,
        "sharedtemplates/network_edit.html",
        editor,
        {"template": template, "kind_label": KIND_LABELS[template.kind]},
        form_name="editor",
    )


@territory_admin_required
def territory_list(request: HttpRequest) -> HttpResponse:
    here: Territory = request.territory  # type: ignore[attr-defined]
    adopted = dict(
        TemplateAdoption.objects.filter(territory=here).values_list("template_id", "version")
    )
    rows = [(t, adopted.get(t.pk)) for t in _labelled(NetworkTemplate.objects.all())]
    return render(request, "sharedtemplates/territory_list.html", {"rows": rows})


@require_POST
@territory_admin_required
def territory_adopt(request: HttpRequest, template_id: int) -> HttpResponse:
    here: Territory = request.territory  # type: ignore[attr-defined]
    template = get_object_or_404(NetworkTemplate, pk=template_id)
    actions.adopt_template(template=template, territory=here, acting_user=request.user)
    messages.success(request, str(ADOPTED_MESSAGES[template.kind]))
    return redirect("territory_templates:list")
