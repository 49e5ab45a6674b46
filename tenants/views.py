"""A territory admin's custom domains (/manage/domains/). Every query is scoped to
request.territory: another territory's domain id is a 404 here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_admin_required
from shared_apps.core.formviews import render_form
from tenants import actions
from tenants.dns_lookup import DnsLookupFailed
from tenants.models import Domain
from tenants.types import StaffRequest


class DomainForm(forms.Form):
    domain = forms.CharField(
        label=gettext_lazy("Your domain"),
        max_length=253,
        help_text=gettext_lazy("For example learn.kaunas.lt. You will add a DNS record next."),
    )


@territory_admin_required
def domains(request: StaffRequest) -> HttpResponse:
    territory = request.territory
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_custom_domain(
                territory=territory, hostname=form.cleaned_data["domain"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_error("domain", error.message_dict.get("domain", error.messages))
        else:
            messages.success(request, _("Domain added. Now publish the DNS record below."))
            return redirect("domains:list")
    rows = [
        {"domain": domain, "record": actions.verification_record(domain)}
        for domain in Domain.objects.filter(tenant=territory).order_by("-is_primary", "domain")
    ]
    return render_form(request, "tenants/domains.html", form, {"rows": rows})


@require_POST
@territory_admin_required
def verify(request: StaffRequest, domain_id: int) -> HttpResponse:
    domain = get_object_or_404(
        Domain, pk=domain_id, tenant=request.territory, kind=Domain.Kind.CUSTOM
    )
    try:
        verified = actions.verify_custom_domain(domain=domain, acting_user=request.user)
    except DnsLookupFailed:
        messages.error(request, _("DNS did not answer. Please try again in a few minutes."))
    except actions.DomainClaimLapsed:
        messages.error(request, _("This claim has lapsed. Remove the domain and add it again."))
    except actions.DomainTaken:
        messages.error(request, _("This domain is already in use."))
    else:
        if verified:
            messages.success(
                request, _("%(domain)s is verified and now shows your site.") % {"domain": domain}
            )
        else:
            messages.error(
                request,
                _(
                    "The DNS record was not found yet. DNS changes can take up to a day to "
                    "spread; try again later."
                ),
            )
    return redirect("domains:list")


@require_POST
@territory_admin_required
def remove(request: StaffRequest, domain_id: int) -> HttpResponse:
    domain = get_object_or_404(
        Domain, pk=domain_id, tenant=request.territory, kind=Domain.Kind.CUSTOM
    )
    actions.remove_custom_domain(domain=domain, acting_user=request.user)
    messages.success(request, _("The domain was removed."))
    return redirect("domains:list")
