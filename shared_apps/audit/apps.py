from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who did what, where, to what, when: every privileged action is recorded."""

    name = "shared_apps.audit"
    label = "audit"
    verbose_name = _("Audit log")
