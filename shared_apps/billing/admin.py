from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shared_apps.billing.actions import switch_to_invoice
from shared_apps.billing.models import BillingAccount, StripeEvent
from shared_apps.billing.stripe_api import BillingUnavailable


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    list_display = ["territory", "plan", "method", "state", "pilot_ends_at", "grace_ends_at"]
    list_filter = ["state", "plan", "method"]
    search_fields = ["territory__name", "territory__slug"]
    list_select_related = ["territory"]
    actions = ["switch_to_invoice_billing"]
    # The state follows payments and the actions below; never edited by hand.
    readonly_fields = [
        "territory",
        "plan",
        "method",
        "state",
        "pilot_ends_at",
        "grace_started_at",
        "grace_ends_at",
        "cancelled_at",
        "archive_after",
        "notices_sent",
        "stripe_customer_id",
        "stripe_subscription_id",
        "stripe_state_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Switch to invoice billing (and mark as paid)"))
    def switch_to_invoice_billing(
        self, request: HttpRequest, queryset: QuerySet[BillingAccount]
    ) -> None:
        done = 0
        for account in queryset.select_related("territory"):
            try:
                switch_to_invoice(account=account, acting_user=request.user)
            except BillingUnavailable:
                self.message_user(
                    request,
                    _("%(name)s: its Stripe subscription could not be cancelled; nothing changed.")
                    % {"name": account.territory.name},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d territory now pays by invoice.",
                    "%(count)d territories now pay by invoice.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "created", "territory", "outcome"]
    list_filter = ["type", "outcome"]
    readonly_fields = ["event_id", "type", "created", "received_at", "territory", "outcome"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
