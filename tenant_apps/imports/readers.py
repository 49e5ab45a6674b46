"""Reading an uploaded file into rows: CSV, XLSX or JSON in the territory API's shape.

The content decides the format, not the name: an upload whose bytes are not what its
name says is refused. Spreadsheets are read as stored values; a formula is never
evaluated (openpyxl does not evaluate formulas; a cell holding one is reported).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from tenant_apps.imports.models import FileFormat

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200
# An XLSX is a zip: its unpacked size is what memory sees (zip bombs).
MAX_UNZIPPED_BYTES = 10 * MAX_FILE_BYTES
FORMULA = object()  # marks a spreadsheet cell that holds a formula
# What a spreadsheet would run as a formula, when a text starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why (translated)."""


@dataclass
class Table:
    columns: list[str]
    rows: Iterator[dict[str, Any]]


def sniff_format(head: bytes, name: str) -> str:
    """The format from the first bytes; the name's extension must agree."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    found: FileFormat | None
    if head.startswith(b"PK\x03\x04"):
        found = FileFormat.XLSX
    elif stripped[:1] in (b"[", b"{"):
        found = FileFormat.JSON
    elif b"\x00" in head:
        found = None
    else:
        found = FileFormat.CSV
    expected = {"csv": FileFormat.CSV, "txt": FileFormat.CSV, "xlsx": FileFormat.XLSX}.get(
        extension, FileFormat.JSON if extension == "json" else ""
    )
    if not found or not expected or found != expected:
        raise ImportFileError(
            _("Upload a CSV, XLSX or JSON file. This file's content is not what its name says.")
        )
    return str(found)


def check_upload(file: IO[bytes], name: str, size: int) -> str:
    """Size and type of an upload; returns the format or raises ImportFileError."""
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": MAX_FILE_BYTES // 2**20}
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    file.seek(0)
    head = file.read(4096)
    file.seek(0)
    return sniff_format(head, name)


def open_table(file: IO[bytes], file_format: str) -> Table:
    file.seek(0)
    if file_format == FileFormat.CSV:
        return _csv_table(file)
    if file_format == FileFormat.XLSX:
        return _xlsx_table(file)
    return _json_table(file)


def _unquote(value: str) -> str:
    """Our own export writes a leading apostrophe before text a spreadsheet would
    run as a formula; reading it back removes it again."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def _csv_table(file: IO[bytes]) -> Table:
    raw = file.read(MAX_FILE_BYTES + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1257")  # Baltic Windows exports, the usual other one
        except UnicodeDecodeError:
            raise ImportFileError(_("Save the CSV file as UTF-8 and upload it again.")) from None
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFileError(_("The file has no header row.")) from None
    columns = _columns(header)

    def rows() -> Iterator[dict[str, Any]]:
        try:
            for number, values in enumerate(reader, start=1):
                if number > MAX_ROWS:
                    raise ImportFileError(_("The file has too many rows."))
                if not any(v.strip() for v in values):
                    continue
                # _unquote only where a cell starts with an apostrophe (seldom).
                yield {
                    c: _unquote(v) if v[:1] == "'" else v
                    for c, v in zip(columns, values, strict=False)
                    if c
                }
        except csv.Error:
            raise ImportFileError(_("The CSV file is malformed.")) from None

    return Table(columns, rows())


def _columns(header: list[Any]) -> list[str]:
    columns = [str(h if h is not None else "").strip()[:100] for h in header]
    if not any(columns):
        raise ImportFileError(_("The file has no header row."))
    if len(columns) > MAX_COLUMNS:
        raise ImportFileError(_("The file has too many columns."))
    return columns


def _xlsx_table(file: IO[bytes]) -> Table:
    try:
        with zipfile.ZipFile(file) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise ImportFileError(
                    _("The file is too large (at most %(mb)s MB).")
                    % {"mb": MAX_FILE_BYTES // 2**20}
                )
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        cells = sheet.iter_rows()
        header = [cell.value for cell in next(cells)]
    except ImportFileError:
        raise
    except Exception:
        # openpyxl reports a broken workbook with many exception types (zip, XML, key).
        raise ImportFileError(
            _("The spreadsheet could not be read. Is it a valid XLSX file?")
        ) from None
    columns = _columns(header)

    def rows() -> Iterator[dict[str, Any]]:
        try:
            for number, row in enumerate(cells, start=1):
                if number > MAX_ROWS:
                    raise ImportFileError(_("The file has too many rows."))
                values: dict[str, Any] = {}
                for column, cell in zip(columns, row, strict=False):
                    if not column:
                        continue
                    if getattr(cell, "data_type", None) == "f":
                        values[column] = FORMULA
                    elif isinstance(cell.value, str):
                        values[column] = _unquote(cell.value)
                    else:
                        values[column] = cell.value
                if any(v not in (None, "") for v in values.values()):
                    yield values
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(
                _("The spreadsheet could not be read. Is it a valid XLSX file?")
            ) from None
        finally:
            workbook.close()

    return Table(columns, rows())


def _flatten(value: Any, prefix: str, into: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(value, list):
        if prefix == "sessions":
            into[prefix] = "; ".join(
                _session_text(s) for s in value if isinstance(s, dict) and s.get("starts_at")
            )
        else:
            into[prefix] = ", ".join(str(v) for v in value if not isinstance(v, dict | list))
    else:
        into[prefix] = value


def _session_text(session: dict[str, Any]) -> str:
    """An API session (ISO date-times) as the import's "date start-end" text."""
    try:
        start = datetime.datetime.fromisoformat(str(session["starts_at"]))
        end = session.get("ends_at")
        end_time = datetime.datetime.fromisoformat(str(end)).strftime("%H:%M") if end else ""
    except ValueError:
        return str(session.get("starts_at"))
    text = f"{start.date().isoformat()} {start.strftime('%H:%M')}"
    return f"{text}-{end_time}" if end_time else text


def _json_table(file: IO[bytes]) -> Table:
    try:
        document = json.loads(file.read(MAX_FILE_BYTES + 1).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ImportFileError(_("The JSON file could not be read.")) from None
    items = document.get("results") if isinstance(document, dict) else document
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ImportFileError(
            _("The JSON file must hold a list of objects, as the site's API returns them.")
        )
    if len(items) > MAX_ROWS:
        raise ImportFileError(_("The file has too many rows."))
    flat: list[dict[str, Any]] = []
    for item in items:
        row: dict[str, Any] = {}
        _flatten(item, "", row)
        flat.append(row)
    columns = list(dict.fromkeys(key for row in flat[:200] for key in row))
    if not columns:
        raise ImportFileError(_("The file has no header row."))
    return Table(columns[:MAX_COLUMNS], iter(flat))
