import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shared_apps.core.uploads import (
    COVER_RULES,
    LOGO_RULES,
    ImageRules,
    clean_image,
    territory_upload_to,
)
from tenants.models import Territory


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 64), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 40))
    if exif:
        data = Image.Exif()
        data[0x8825] = {2: (54.0, 41.0, 0.0)}  # GPS info
        data[0x010F] = "PhoneMaker"
        image.save(out, fmt, exif=data)
    else:
        image.save(out, fmt)
    return out.getvalue()


def upload(content: bytes, name: str = "logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


DEFAULT_RULES = ImageRules()


def error_code(file: SimpleUploadedFile, rules: ImageRules = DEFAULT_RULES) -> str:
    with pytest.raises(ValidationError) as excinfo:
        clean_image(file, rules)
    return excinfo.value.code or ""


def test_png_is_accepted_and_reencoded() -> None:
    cleaned = clean_image(upload(image_bytes()))
    assert str(cleaned.name).endswith(".png")
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.format == "PNG"


def test_exif_and_gps_are_stripped_from_jpeg() -> None:
    original = image_bytes("JPEG", exif=True)
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif()  # the fixture really carries EXIF
    cleaned = clean_image(upload(original, "photo.jpg"))
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert not image.getexif()


def test_svg_is_refused() -> None:
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert error_code(upload(svg, "logo.svg")) == "svg_refused"


def test_disguised_html_is_refused() -> None:
    assert (
        error_code(upload(b"<html><script>alert(1)</script></html>", "logo.png")) == "svg_refused"
    )


def test_random_bytes_are_refused() -> None:
    assert error_code(upload(b"\x00\x01garbage" * 50, "logo.png")) == "not_an_image"


def test_gif_is_refused_by_format() -> None:
    assert error_code(upload(image_bytes("GIF"), "logo.gif")) == "image_format"


def test_too_big_is_refused_with_sizes() -> None:
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(image_bytes(size=(600, 600))), ImageRules(max_bytes=1000))
    assert excinfo.value.code == "file_too_big"
    assert "1000" in excinfo.value.messages[0] or "KB" in excinfo.value.messages[0]


def test_absurd_dimensions_are_refused() -> None:
    assert (
        error_code(upload(image_bytes(size=(5000, 20))), ImageRules(max_bytes=10**7))
        == "image_dimensions"
    )


def test_upload_path_is_per_territory_and_random(db: None) -> None:
    territory = Territory(schema_name="t_aurora")
    first = territory_upload_to("branding")(territory, "My Face.PNG")
    second = territory_upload_to("branding")(territory, "My Face.PNG")
    assert first.startswith("t_aurora/branding/")
    assert first.endswith(".png")
    assert "Face" not in first
    assert first != second


def test_big_images_are_stored_scaled_down_to_fit() -> None:
    cleaned = clean_image(upload(image_bytes("JPEG", size=(4000, 1500)), "cover.jpg"), COVER_RULES)
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.size == (1920, 720)
    small = clean_image(upload(image_bytes(size=(300, 100))), LOGO_RULES)
    with Image.open(io.BytesIO(small.read())) as image:
        assert image.size == (300, 100)  # never scaled up
