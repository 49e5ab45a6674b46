import pytest
from django.core.exceptions import ValidationError

from shared_apps.core.colors import (
    contrast_ratio,
    text_color_on,
    validate_accent_color,
    validate_primary_color,
)


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("color", ["#1f4e79", "#8c1c2b", "#767676", "#000000"])
def test_dark_primary_colours_pass(color: str) -> None:
    validate_primary_color(color)


@pytest.mark.parametrize("color", ["#777777", "#ffff00", "#f2b134", "#ffffff"])
def test_light_primary_colours_are_refused_with_the_ratio(color: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_primary_color(color)
    assert excinfo.value.code == "contrast_white"
    assert ":1" in excinfo.value.messages[0]


def test_accent_must_contrast_with_black() -> None:
    validate_accent_color("#f2b134")
    with pytest.raises(ValidationError) as excinfo:
        validate_accent_color("#1f4e79")
    assert excinfo.value.code == "contrast_black"


@pytest.mark.parametrize("value", ["1f4e79", "#1f4e7", "#gggggg", "red", "", "#1f4e79;}body{"])
def test_malformed_colours(value: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_primary_color(value)
    assert excinfo.value.code == "color_format"


def test_text_color_on() -> None:
    assert text_color_on("#1f4e79") == "#ffffff"
    assert text_color_on("#f2b134") == "#000000"
