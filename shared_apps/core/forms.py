"""Form rendering shared by every page: labels above fields, help text and errors
linked to the field (aria-describedby), and an error summary that links to each field."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
