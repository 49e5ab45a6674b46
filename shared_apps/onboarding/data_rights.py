"""What the sign-up wizard holds about an account, for the data-rights registry
(shared_apps.accounts.data_rights), and when it refuses an account's deletion:
registered in OnboardingConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shared_apps.accounts import data_rights
from shared_apps.onboarding.models import AgreementAcceptance, Signup


def erase_onboarding(user: Any) -> None:
    """Sign-up wizards the person ran keep the territory they created, not the
    person's typed details."""
    emails = data_rights.account_emails(user)
    for signup in Signup.objects.filter(account=user):
        signup.data = {k: v for k, v in signup.data.items() if k != "administrator"}
        signup.account = None
        signup.save(update_fields=["data", "account", "updated_at"])
    for signup in Signup.objects.filter(territory__isnull=True):
        typed = str(signup.step_data("administrator").get("email", "")).lower()
        if typed and typed in emails:
            signup.delete()


def refuse_contract_signatory(user: Any) -> str | None:
    if AgreementAcceptance.objects.filter(user=user).exists():
        return str(
            _(
                "You accepted a territory's terms on its behalf. Ask the platform team "
                "to transfer them before deleting your account."
            )
        )
    return None


def register() -> None:
    data_rights.register("onboarding", scope=data_rights.PUBLIC, eraser=erase_onboarding)
    data_rights.register_refusal(refuse_contract_signatory)
