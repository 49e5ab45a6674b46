import pytest
from django.core.exceptions import ValidationError

from tenants.validation import (
    confusable_skeleton,
    schema_name_for,
    validate_new_slug,
    validate_slug_format,
)


def codes(slug: str, conflict: str | None = None) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validate_new_slug(slug, conflict=conflict)
    return excinfo.value.code or ""


@pytest.mark.parametrize("slug", ["vilnius", "abc", "san-sebastian", "a" * 40, "region-12"])
def test_valid_slugs(slug: str) -> None:
    validate_new_slug(slug, conflict=None)


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("ab", "length"),
        ("a" * 41, "length"),
        ("Vilnius", "characters"),
        ("vil_nius", "characters"),
        ("-vilnius", "characters"),
        ("vilnius-", "characters"),
        ("vil nius", "characters"),
        ("vilnius.lt", "characters"),
        ("xn--vilnius", "hyphens"),
        ("www", "reserved"),
        ("admin", "reserved"),
        ("adm1n", "reserved"),  # confusable with a reserved name
        ("static", "reserved"),
        ("network", "reserved"),
    ],
)
def test_refused_slugs_say_why(slug: str, code: str) -> None:
    assert codes(slug) == code


def test_taken_and_confusable() -> None:
    assert codes("vilnius", conflict="vilnius") == "taken"
    assert codes("vi1nius", conflict="vilnius") == "confusable"


def test_confusable_skeleton() -> None:
    assert confusable_skeleton("vi1nius") == confusable_skeleton("vilnius")
    assert confusable_skeleton("vil-nius") == confusable_skeleton("vilnius")
    assert confusable_skeleton("rnikkeli") == confusable_skeleton("mikkeli")
    assert confusable_skeleton("cagliari") != confusable_skeleton("vilnius")


def test_message_names_the_limit() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_slug_format("ab")
    assert "3 to 40" in excinfo.value.messages[0]


def test_schema_name_is_separate_from_slug() -> None:
    assert schema_name_for("san-sebastian") == "t_san_sebastian"


def test_different_numbers_are_not_confusable() -> None:
    assert confusable_skeleton("region-6") != confusable_skeleton("region-8")
    assert confusable_skeleton("filler-0006") != confusable_skeleton("filler-0008")
