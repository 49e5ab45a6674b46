"""A printable PDF certificate of an award (A4 landscape), drawn with ReportLab.

The text is set in DejaVu (Debian's fonts-dejavu-core, scripts/apt/base.txt), which
covers every letter of the languages we ship (ą č ę ė į š ų ū ž, č š ž, ä ö å...): the
PDF's built-in Helvetica has none of the Baltic ones. A QR code leads to the award's
page, where the badge can be checked with its issuer.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tenant_apps.badges.qr import qr_png

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


def _register_fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    for name in (REGULAR, BOLD):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))


@dataclass(frozen=True)
class CertificateText:
    """Everything printed, already translated and formatted by the caller."""

    heading: str  # "Certificate"
    badge_name: str
    earner_line: str  # "Awarded to Ada Lovelace" or "" (minors: no name)
    issuer_line: str  # "Issued by Vilnius"
    date_line: str  # "Awarded on 6 December 2026"
    criteria_heading: str
    criteria: str
    check_line: str  # "Check this badge at:"
    page_url: str
    status_line: str = ""  # "Valid until ..." / "Expired on ..."


def render(text: CertificateText, badge_png: bytes) -> bytes:
    _register_fonts()
    out = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"{text.badge_name} · {text.heading}")
    pdf.setAuthor(text.issuer_line)
    pdf.setCreator("Cities of Learning")

    margin = 15 * mm
    pdf.setLineWidth(1.5)
    pdf.setStrokeColorRGB(0.2, 0.3, 0.45)
    pdf.rect(margin, margin, width - 2 * margin, height - 2 * margin)

    image_size = 55 * mm
    pdf.drawImage(
        ImageReader(io.BytesIO(badge_png)),
        (width - image_size) / 2,
        height - margin - 12 * mm - image_size,
        image_size,
        image_size,
        mask="auto",
        preserveAspectRatio=True,
    )
    y = height - margin - 22 * mm - image_size
    pdf.setFillColorRGB(0.1, 0.1, 0.15)
    pdf.setFont(REGULAR, 14)
    pdf.drawCentredString(width / 2, y, text.heading.upper())
    y -= 14 * mm
    pdf.setFont(BOLD, 26)
    for line in simpleSplit(text.badge_name, BOLD, 26, width - 4 * margin)[:2]:
        pdf.drawCentredString(width / 2, y, line)
        y -= 11 * mm
    pdf.setFont(REGULAR, 14)
    for line in (text.earner_line, text.issuer_line, text.date_line, text.status_line):
        if line:
            pdf.drawCentredString(width / 2, y, line)
            y -= 7 * mm

    if text.criteria:
        y -= 2 * mm
        pdf.setFont(BOLD, 10)
        pdf.drawString(2 * margin, y, text.criteria_heading)
        y -= 5 * mm
        pdf.setFont(REGULAR, 9)
        lines = simpleSplit(" ".join(text.criteria.split()), REGULAR, 9, width - 6 * margin)
        for line in lines[:4]:
            pdf.drawString(2 * margin, y, line)
            y -= 4.2 * mm

    qr_size = 24 * mm
    pdf.drawImage(
        ImageReader(io.BytesIO(qr_png(text.page_url))),
        width - margin - 5 * mm - qr_size,
        margin + 5 * mm,
        qr_size,
        qr_size,
    )
    pdf.setFont(REGULAR, 8)
    pdf.drawString(2 * margin, margin + 12 * mm, text.check_line)
    pdf.drawString(2 * margin, margin + 8 * mm, text.page_url)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
