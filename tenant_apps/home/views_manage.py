"""The territory admin's page for the home page: which sections it shows and, in each
of the site's languages, its headline, introduction and section titles (with a
preview before saving)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_apps.accounts.access import territory_admin_required
from tenant_apps.home import actions, selectors
from tenant_apps.home.forms import HomeSectionsForm, HomeTextsForm
from tenant_apps.home.sections import registered_sections
from tenants.types import StaffRequest


@require_http_methods(["GET", "POST"])
@territory_admin_required
def manage_home(request: StaffRequest) -> HttpResponse:
    territory = request.territory
    sections = registered_sections()
    names = dict(settings.LANGUAGES)
    saved = selectors.home_settings()
    posted = request.POST.get("language", "") if request.method == "POST" else ""
    if request.method == "POST" and posted not in territory.languages and posted != "*":
        return render(request, "400.html", status=400)
    preview = None
    status = 200

    sections_form = HomeSectionsForm(
        request.POST if posted == "*" else None,
        sections=sections,
        initial={"shown": [s.key for s in sections if s.key not in saved["hidden"]]},
    )
    if posted == "*" and sections_form.is_valid():
        try:
            actions.save_home_sections(
                territory=territory,
                acting_user=request.user,
                shown=sections_form.cleaned_data["shown"],
            )
        except ValidationError as error:
            sections_form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("home:manage")

    language_forms = []
    for language in territory.languages:
        texts = selectors.home_texts(language)
        initial = {"headline": texts["headline"], "intro": texts["intro"]}
        initial |= {f"title_{key}": title for key, title in texts["titles"].items()}
        form = HomeTextsForm(
            request.POST if posted == language else None,
            sections=sections,
            initial=initial,
            prefix=language,
        )
        if posted == language and form.is_valid():
            if "preview" in request.POST:
                preview = {"language": language, **form.cleaned_data}
            else:
                try:
                    actions.save_home_texts(
                        territory=territory,
                        acting_user=request.user,
                        language=language,
                        headline=form.cleaned_data["headline"],
                        intro=form.cleaned_data["intro"],
                        titles=form.titles(),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("home:manage")
        if form.errors:
            status = 400
        language_forms.append(
            {"code": language, "name": names.get(language, language), "form": form}
        )
    if sections_form.errors:
        status = 400
    return render(
        request,
        "home/manage.html",
        {"sections_form": sections_form, "language_forms": language_forms, "preview": preview},
        status=status,
    )
