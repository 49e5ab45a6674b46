from django import template

from tenant_apps.manage.links import manage_links

register = template.Library()


@register.filter
def masked_email(email: str) -> str:
    """j••••@example.org: enough to recognise, not enough to contact."""
    local, _sep, domain = (email or "").partition("@")
    return f"{local[:1]}••••@{domain}" if domain else "••••"


@register.simple_tag(takes_context=True)
def extra_manage_links(context: template.Context) -> list[dict[str, str]]:
    """Links other apps add to the admin area's menu (tenant_apps.manage.links)."""
    request = context.get("request")
    membership = context.get("membership")
    return manage_links(
        is_admin=bool(membership is not None and membership.is_admin),
        urlconf=getattr(request, "urlconf", None),
    )
