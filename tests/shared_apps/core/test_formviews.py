"""The form page helper (shared_apps/core/formviews.py): 200 when shown, 400 with the
errors on the page when refused, the action's response when accepted."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory, override_settings

from shared_apps.core.formviews import form_view, render_form

# A page of its own (the form through the project's form renderer, so errors are shown
# the way every page shows them) and the app templates that renderer needs.
PAGE = "formviews_test/page.html"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {PAGE: "<h1>{{ heading }}</h1>{{ form }}{{ editor.errors }}"},
                ),
                "django.template.loaders.app_directories.Loader",
            ]
        },
    }
]

pytestmark = pytest.mark.usefixtures("page_templates")


@pytest.fixture
def page_templates() -> Any:
    with override_settings(TEMPLATES=TEMPLATES):
        yield


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def get() -> HttpRequest:
    return RequestFactory().get("/form/")


def post(**data: str) -> HttpRequest:
    return RequestFactory().post("/form/", data)


def page(response: HttpResponse) -> str:
    return response.content.decode()


def redirecting_action(calls: list[dict[str, Any]]) -> Callable[[dict[str, Any]], HttpResponse]:
    """An action that records what it was given and redirects, as a page's would."""

    def act(data: dict[str, Any]) -> HttpResponse:
        calls.append(data)
        return redirect("/done/")

    return act


def test_render_form_shows_an_unbound_form_with_200() -> None:
    response = render_form(get(), PAGE, NameForm(), {"heading": "Your name"})

    assert response.status_code == 200
    assert "<h1>Your name</h1>" in page(response)
    assert 'name="name"' in page(response)
    assert "error-summary" not in page(response)


def test_render_form_answers_400_with_the_field_errors_on_the_page() -> None:
    form = NameForm({"name": "x" * 21})
    assert not form.is_valid()

    response = render_form(post(name="x" * 21), PAGE, form, lambda: {"heading": "Again"})

    assert response.status_code == 400
    assert "error-summary" in page(response)
    assert "Ensure this value has at most 20 characters (it has 21)." in page(response)
    assert "<h1>Again</h1>" in page(response)


def test_render_form_takes_an_editor_under_its_own_name() -> None:
    class Editor:
        errors = True

    response = render_form(get(), PAGE, Editor(), form_name="editor")

    assert response.status_code == 400
    assert "True" in page(response)


def test_form_view_get_shows_the_form_and_runs_no_action() -> None:
    calls: list[dict[str, Any]] = []
    act = redirecting_action(calls)
    response = form_view(get(), NameForm(None), PAGE, {"heading": "New"}, on_valid=act)

    assert response.status_code == 200
    assert "<h1>New</h1>" in page(response)
    assert calls == []


def test_form_view_refuses_invalid_input_with_400_and_runs_no_action() -> None:
    calls: list[dict[str, Any]] = []
    act = redirecting_action(calls)
    request = post(name="")
    response = form_view(request, NameForm(request.POST), PAGE, on_valid=act)

    assert response.status_code == 400
    assert "This field is required." in page(response)
    assert calls == []


def test_form_view_runs_the_action_on_valid_input_and_returns_its_redirect() -> None:
    calls: list[dict[str, Any]] = []
    act = redirecting_action(calls)
    request = post(name="Ada")
    response = form_view(request, NameForm(request.POST), PAGE, on_valid=act)

    assert response.status_code == 302
    assert response["Location"] == "/done/"
    assert calls == [{"name": "Ada"}]


def test_form_view_context_is_only_read_when_the_page_is_shown() -> None:
    reads: list[str] = []

    def context() -> dict[str, object]:
        reads.append("read")
        return {"heading": "Listed"}

    request = post(name="Ada")
    form_view(request, NameForm(request.POST), PAGE, context, on_valid=lambda _: redirect("/"))
    assert reads == []

    response = form_view(get(), NameForm(None), PAGE, context, on_valid=lambda _: redirect("/"))
    assert reads == ["read"]
    assert "<h1>Listed</h1>" in page(response)


def test_an_actions_refusal_is_shown_on_the_field_it_names() -> None:
    def act(data: dict[str, Any]) -> HttpResponse:
        raise ValidationError({"name": "That name is taken here."})

    request = post(name="Ada")
    form = NameForm(request.POST)
    response = form_view(request, form, PAGE, on_valid=act)

    assert response.status_code == 400
    assert form.errors == {"name": ["That name is taken here."]}
    assert "That name is taken here." in page(response)


def test_a_refusal_naming_a_field_the_form_lacks_is_shown_above_the_form() -> None:
    def act(data: dict[str, Any]) -> HttpResponse:
        raise ValidationError({"slug": "Taken.", "name": "Too plain."})

    request = post(name="Ada")
    form = NameForm(request.POST)
    response = form_view(request, form, PAGE, on_valid=act)

    assert response.status_code == 400
    assert form.non_field_errors() == ["Taken."]
    assert form.errors["name"] == ["Too plain."]


def test_a_refusal_without_fields_is_shown_above_the_form() -> None:
    def act(data: dict[str, Any]) -> HttpResponse:
        raise ValidationError("Too many invitations today.")

    request = post(name="Ada")
    form = NameForm(request.POST)
    response = form_view(request, form, PAGE, on_valid=act)

    assert response.status_code == 400
    assert form.non_field_errors() == ["Too many invitations today."]
    assert "Too many invitations today." in page(response)


def test_an_action_that_put_its_own_error_on_the_form_gets_the_form_again() -> None:
    request = post(name="Ada")
    form = NameForm(request.POST)

    def act(data: dict[str, Any]) -> None:
        form.add_error("name", "The file could not be read.")

    response = form_view(request, form, PAGE, on_valid=act)

    assert response.status_code == 400
    assert "The file could not be read." in page(response)


def test_no_view_computes_the_refusal_status_by_hand() -> None:
    """One rule for every form page: the 400-or-200 choice lives in formviews only."""
    root = Path(__file__).resolve().parents[3]
    by_hand = re.compile(r"status=400 if \w+\.errors else 200")
    offenders = [
        str(path.relative_to(root))
        for folder in ("shared_apps", "tenant_apps", "tenants", "platform")
        for path in (root / folder).rglob("*.py")
        if path.name != "formviews.py" and by_hand.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
