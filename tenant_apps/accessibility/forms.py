from django import forms

from tenant_apps.accessibility.models import AccessibilityStatement


class StatementForm(forms.ModelForm):
    class Meta:
        model = AccessibilityStatement
        fields = ["contact_email", "known_issues", "enforcement_body"]
        widgets = {
            "known_issues": forms.Textarea(attrs={"rows": 6}),
            "enforcement_body": forms.Textarea(attrs={"rows": 3}),
        }
