from django import template

register = template.Library()


@register.filter
def masked_email(email: str) -> str:
    """j••••@example.org: enough to recognise, not enough to contact."""
    local, _sep, domain = (email or "").partition("@")
    return f"{local[:1]}••••@{domain}" if domain else "••••"
