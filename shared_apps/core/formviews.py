"""The form page every app has: GET shows the form, a valid POST runs the action and
redirects, a refused one shows the form again with its errors.

A refused form answers **400**, not 200: assistive tools, tests and monitoring can
tell a refusal from a page shown for the first time. ``render_form`` is that rule in
one place; ``form_view`` is the whole GET/POST cycle for the pages that follow it.
Only Django is imported here, so any layer may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

Context = Mapping[str, object] | Callable[[], Mapping[str, object]] | None


class HasErrors(Protocol):
    """A form, or an editor built of several forms, that knows whether it was refused."""

    @property
    def errors(self) -> object: ...


def render_form(
    request: HttpRequest,
    template_name: str,
    form: HasErrors,
    context: Context = None,
    *,
    form_name: str = "form",
) -> HttpResponse:
    """Render ``template_name`` with ``form`` (as ``form_name``) and ``context``:
    400 when the form carries errors, 200 otherwise. ``context`` may be a callable,
    so that what the page lists is only read when the page is shown."""
    extra = context() if callable(context) else (context or {})
    return render(
        request,
        template_name,
        {form_name: form, **extra},
        status=400 if form.errors else 200,
    )


def add_refusal(form: BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: on the fields it names when the
    form has them, above the form otherwise (an action may name a model field the
    form does not show)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_view(
    request: HttpRequest,
    form: BaseForm,
    template_name: str,
    context: Context = None,
    *,
    on_valid: Callable[[dict[str, Any]], HttpResponse | None],
) -> HttpResponse:
    """The whole cycle. ``on_valid(cleaned_data)`` runs for a valid POST: it calls the
    action and returns the response (a redirect, an htmx fragment). It returns None
    after it put the action's refusal on the form itself; a ValidationError it raises
    is put on the form by ``add_refusal``. Either way the form is shown again (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            response = on_valid(form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if response is not None:
                return response
    return render_form(request, template_name, form, context)
