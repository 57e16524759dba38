"""Reading the month's exports into frames of canonical fields.

Real exports are messy: title rows above the header, two-row headers,
header rows repeated inside the data, blank rows, subtotal and total rows,
data on another sheet, headers spelled many ways, codes with and without
their zeros, money as Colombian text. This module finds the data in all of
that and returns a `LoadedFile` whose frame has exactly the role's fields
(see `core.model`). It never computes a figure.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import html.parser
import io
import itertools
import logging
import re
import threading
import time
import weakref
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetVisibleEnum,
)

from core import normalize as norm
from core.columns import (
    AGE_FIELDS,
    ROLES,
    ColumnMatch,
    layout_key,
    match_columns,
)
from core.errors import (
    AmbiguousColumnError,
    CancelledError,
    CaracterizacionError,
    MappingContext,
    MissingFieldError,
    ReadError,
    UnknownHeaderError,
    WrongRoleError,
)
from core.formatting import fmt_int
from core.model import (
    CARTERA_FIELDS,
    ENCUESTA_FIELDS,
    GUIA_FIELDS,
    FileTotal,
    LoadedFile,
    QualityItem,
)

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]

HEADER_SCAN_ROWS = 30
PREVIEW_ROWS = 8
# A month's file of a utility ten times the office's is about 150 MB; a
# file far larger is not a month's export, and reading it would only hang.
MAX_FILE_BYTES = 600 * 1024 * 1024
LARGE_FILE_BYTES = 40 * 1024 * 1024
CSV_PROGRESS_ROWS = 20_000
ROLE_FIELDS = {
    "usuarios": GUIA_FIELDS,
    "cartera": CARTERA_FIELDS,
    "encuesta": ENCUESTA_FIELDS,
}
UPPER_FIELDS = ("estado", "tipo_documento")
LOG_NAMES = {
    "usuarios": ("guía", "cuentas"),
    "cartera": ("cartera", "líneas"),
    "encuesta": ("encuesta", "respuestas"),
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOT_SHEETS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00",
               b"MM\x00*", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# What a damaged zip (an .xlsx or .ods) raises while it is read.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
               RuntimeError, KeyError, OSError)
_WORD_OLE = "WordDocument".encode("utf-16-le")
# What a non-numeric account may look like once normalized ("AB-1234").
_ACCOUNT_KEY = re.compile(r"[A-Z0-9Ñ][A-Z0-9Ñ./_-]*")
_TOTAL_LABEL = re.compile(r"^\s*(SUB\s*-?\s*TOTAL|TOTAL|GRAN\s+TOTAL)", re.I)
_SUBTOTAL_LABEL = re.compile(
    r"^\s*(SUB|TOTAL\s+(ESTRATO|USO|COMUNA|BARRIO|CICLO|RUTA|ZONA|SECTOR))",
    re.I,
)
_COUNT_WORDS = re.compile(
    r"REGISTROS|CUENTAS|USUARIOS|SUSCRIPTORES|CANTIDAD|NUMERO|LINEAS", re.I
)
_PERIODO = re.compile(
    r"PERIODO(?:\s+DE)?(?:\s+FACTURACION)?\s*:?\s*(\d{4})\s*[-/]?\s*(\d{1,2})\b"
)
_PERIODO_NAME = re.compile(r"PERIODO[^:]*:\s*([A-Z]+)\s+(?:DE\s+)?(\d{4})")
_CORTE = re.compile(r"CORTE\s*:?\s*(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_CORTE_ISO = re.compile(r"CORTE\s*:?\s*(\d{4})-(\d{2})-(\d{2})")
_CORTE_SERIAL = re.compile(r"CORTE\s*:?\s*(\d{5})(?:[.,]0+)?(?!\d)")
_PERIODO_DATE = re.compile(
    r"PERIODO(?:\s+DE)?(?:\s+FACTURACION)?\s*:?\s*\d{1,2}/(\d{1,2})/(\d{4})"
)
MONTHS = ("ENERO", "FEBRERO", "MARZO", "ABRIL", "MAYO", "JUNIO", "JULIO",
          "AGOSTO", "SEPTIEMBRE", "OCTUBRE", "NOVIEMBRE", "DICIEMBRE")


# --- public API ---------------------------------------------------------


def load_file(
    path: Path | str,
    role: str,
    *,
    mapping: Mapping[str, str] | None = None,
    layouts: Mapping[str, Mapping[str, str]] | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> LoadedFile:
    """Read one of the month's files into a frame of the role's fields.

    Args:
        role: "usuarios" (guía), "cartera" or "encuesta".
        mapping: field -> header as printed; the user's choice beats the
            aliases. Fields taking several columns (componentes, edades)
            list their headers separated by "|".
        layouts: remembered mappings by layout key (`columns.layout_key`):
            a header row whose key is here uses that mapping.
        sheet: read this sheet (even a hidden one) instead of choosing.
        progress: called with (fraction, text) as the work advances.
        cancelled: polled between steps; when it returns True the load
            stops with CancelledError.

    Raises:
        ReadError, MissingFieldError, AmbiguousColumnError,
        UnknownHeaderError, WrongRoleError, CancelledError.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    path = Path(path)
    step = _Steps(path, progress, cancelled)
    started = time.perf_counter()
    maps = _Mappings(dict(mapping or {}), dict(layouts or {}))

    step(0.0, f"Abriendo «{path.name}»")
    sheets = _open_sheets(path, sheet)
    step(0.1, "Buscando los encabezados")
    layout = _choose_layout(path, sheets, role, maps)

    with _GC_PAUSE:
        step(0.2, _reading_text(path))
        rows, numbers = _read_rows(path, layout, step)
        if not _same_header(layout, rows):
            logger.debug("%s: header peek disagreed, searching again", path.name)
            layout.sheet.reset_head(rows)
            layout = _choose_layout(path, sheets, role, maps)
            rows, numbers = _read_rows(path, layout, step)
        step(0.6, "Separando totales y encabezados repetidos")
        body = _split_body(path, layout, rows, numbers)
        titles = rows[: layout.top_index]
        rows.clear()  # the body holds the cells; free the row lists (a CSV
        del numbers  # sheet keeps them for re-reads, which are over now)
        step(0.75, "Normalizando los valores")
        loaded = _build(path, role, layout, titles, body)

    _log_loaded(loaded, time.perf_counter() - started)
    step(1.0, "Listo")
    return loaded


def detect_role(path: Path | str) -> str | None:
    """Return the role a file's headers look like, or None.

    Files that cannot be read also give None: loading them says why.
    """
    try:
        sheets = _open_sheets(Path(path), None)
        best: tuple[int, int, str] | None = None
        for order, role in enumerate(ROLES):
            layout = _best_layout(sheets, role, _Mappings())
            if layout is None or layout.match.missing():
                continue
            rank = (layout.match.evidence(), -order, role)
            best = max(best, rank) if best else rank
        return best[2] if best else None
    except CaracterizacionError:
        return None


def is_excel_lock_file(path: Path | str) -> bool:
    """Tell whether a file is Excel's `~$` lock file beside an open workbook."""
    return Path(path).name.startswith("~$")


class _GcPause:
    """Pause the cyclic garbage collector while a file's cells become objects.

    A month's sheet turns into millions of objects, none in a reference
    cycle, and every collection on the way would walk all of them (about a
    tenth of a large load). Loads may run in two threads: the collector is
    back on when the last one ends, if it was on before the first.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._was_enabled:
                gc.enable()


_GC_PAUSE = _GcPause()


def gc_paused() -> _GcPause:
    """The collector's pause around the month's work (shared, re-entrant)."""
    return _GC_PAUSE


# --- progress ------------------------------------------------------------


class _Steps:
    """Report progress and honour cancellation between the load's steps."""

    def __init__(
        self, path: Path, progress: Progress | None, cancelled: Cancelled | None
    ) -> None:
        self.path = path
        self.progress = progress
        self.cancelled = cancelled

    def __call__(self, fraction: float, text: str) -> None:
        if self.cancelled is not None and self.cancelled():
            raise CancelledError(self.path)
        if self.progress is not None:
            self.progress(fraction, text)


def _reading_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size < LARGE_FILE_BYTES:
        return "Leyendo las filas"
    megabytes = fmt_int(round(size / 1024 / 1024))
    return f"Leyendo las filas ({megabytes} MB: puede tardar)"


def _read_rows(
    path: Path, layout: _Layout, step: _Steps
) -> tuple[list[list[Any]], list[int]]:
    """Read every row of the layout's sheet, reporting progress from 0.2
    to 0.6."""
    text = _reading_text(path)

    def report(fraction: float) -> None:
        step(min(0.6, 0.2 + 0.4 * fraction), text)

    try:
        return layout.sheet.read_all(report, _Trim.of(layout))
    except MemoryError:
        raise ReadError(path, "memoria") from None


@dataclass(frozen=True)
class _Trim:
    """The cells of a sheet the load never looks at, let go while reading.

    Of a record row only its fields' columns are read. A row whose account
    is plain digits, with no TOTAL label left of it, is such a record
    (`_suspicious_rows` never flags it); its other cells are blanked as the
    sheet is read, so that a month ten times the office's does not hold
    millions of unread cells. The rows down to the header (and the header
    scan's rows) and every other row keep all their cells.
    """

    whole_rows: int
    account: int
    labels: range  # columns left of the account that may hold a label
    used: frozenset[int]

    @classmethod
    def of(cls, layout: _Layout) -> _Trim | None:
        match = layout.match
        account = match.fields.get("cuenta")
        if account is None:
            return None
        used = set(match.fields.values())
        for columns in match.multi.values():
            used.update(columns)
        return cls(
            whole_rows=max(layout.header_index, HEADER_SCAN_ROWS) + 1,
            account=account,
            labels=range(min(3, account)),
            used=frozenset(used),
        )


@dataclass
class _Mappings:
    """The user's mapping for the role and the remembered ones by layout."""

    given: dict[str, str] = field(default_factory=dict)
    by_layout: dict[str, Mapping[str, str]] = field(default_factory=dict)

    def for_headers(self, role: str, headers: list[str]) -> dict[str, str]:
        remembered = self.by_layout.get(layout_key(role, headers), {})
        return {**remembered, **self.given}


# --- opening files -------------------------------------------------------


@dataclass
class _Sheet:
    """One table of a file: an Excel sheet, or the whole CSV."""

    name: str
    reader: Callable[[int | None], list[list[Any]]]
    line_numbers: list[int] | None = None  # CSV: the line of each row
    _head: list[list[Any]] | None = None
    # Reads every row reporting a fraction done; None: `reader(None)`.
    full_reader: Callable[[Callable[[float], None]], list[list[Any]]] | None = (
        None
    )
    # Reads every row, letting go of the cells `_Trim` says go unread.
    trimmed_reader: (
        Callable[[Callable[[float], None], _Trim], list[list[Any]]] | None
    ) = None

    def head(self) -> list[list[Any]]:
        if self._head is None:
            self._head = self.reader(HEADER_SCAN_ROWS + 1)
        return self._head

    def reset_head(self, rows: list[list[Any]]) -> None:
        """Use these (fully read) rows to look for the header."""
        self._head = rows[: HEADER_SCAN_ROWS + 1]

    def read_all(
        self,
        progress: Callable[[float], None] | None = None,
        trim: _Trim | None = None,
    ) -> tuple[list[list[Any]], list[int]]:
        report = progress or (lambda _fraction: None)
        if trim is not None and self.trimmed_reader is not None:
            rows = self.trimmed_reader(report, trim)
        elif self.full_reader is not None:
            rows = self.full_reader(report)
        else:
            rows = self.reader(None)
        report(1.0)
        numbers = self.line_numbers or list(range(1, len(rows) + 1))
        return rows, numbers


def _open_sheets(path: Path, sheet: str | None) -> list[_Sheet]:
    """Return the sheets to look at: the visible ones, or the named one."""
    if is_excel_lock_file(path):
        raise ReadError(path, "archivo_temporal")
    data = _read_bytes(path)
    kind = _sniff(path, data)
    if kind == "excel":
        sheets = _excel_sheets(path, sheet)
    elif kind == "html":
        sheets = _html_sheets(path, data)
    else:
        sheets = [_csv_sheet(path, data)]
    if all(_is_blank_table(s.head()) for s in sheets):
        raise ReadError(path, "vacio")
    return sheets


def _is_blank_table(rows: list[list[Any]]) -> bool:
    """Tell whether a sheet's first rows are all it has, and all blank."""
    if len(rows) > HEADER_SCAN_ROWS:
        return False
    return all(norm.is_blank(value) for row in rows for value in row)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            megabytes = fmt_int(round(size / 1024 / 1024))
            raise ReadError(path, "muy_grande", f"{megabytes} MB")
        return path.read_bytes()
    except MemoryError:
        raise ReadError(path, "memoria") from None
    except PermissionError:
        raise ReadError(path, "bloqueado") from None
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ReadError(path, "no_existe") from None
    except OSError as exc:
        raise ReadError(path, "no_existe", exc.strerror or "") from None


def _sniff(path: Path, data: bytes) -> str:
    """Tell "excel" from "csv" by content; raise ReadError for the rest."""
    if not data.strip():
        raise ReadError(path, "vacio")
    if data.startswith(b"PK"):
        return _sniff_zip(path, data)
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            raise ReadError(path, "contrasena")
        if _WORD_OLE in data:
            raise ReadError(path, "no_es_hoja")
        return "excel"
    if data.startswith(_NOT_SHEETS):
        raise ReadError(path, "no_es_hoja")
    head = _decode(data[:4096]).lstrip("\ufeff \r\n\t").lower()
    if head.startswith(("<!doctype html", "<html", "<table", "<meta")):
        return "html"
    if head.startswith("<?xml") or "\x00" in head or _looks_binary(head):
        raise ReadError(path, "no_es_hoja")
    return "csv"


def _sniff_zip(path: Path, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except _ZIP_ERRORS:
        raise ReadError(path, "danado") from None
    if any(n.startswith("xl/workbook.") for n in names):
        return "excel"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "excel"
    raise ReadError(path, "no_es_hoja")


def _looks_binary(text: str) -> bool:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t\f")
    return controls > len(text) * 0.02


def _excel_sheets(path: Path, wanted: str | None) -> list[_Sheet]:
    # Both readers take the file from disk, as they need it: a copy of the
    # whole file in memory would be held until the load ends.
    try:
        book = CalamineWorkbook.from_path(str(path))
        metadata = book.sheets_metadata
    except PasswordError:
        raise ReadError(path, "contrasena") from None
    except (CalamineError, ValueError, OSError) as exc:
        raise _calamine_error(path, exc) from None
    except BaseException as exc:
        raise _calamine_panic(path, exc) from None

    if wanted is not None:
        if wanted not in book.sheet_names:
            raise ReadError(path, "sin_hoja", wanted)
        names = [wanted]
    else:
        names = [m.name for m in metadata if m.visible == SheetVisibleEnum.Visible]
    if not names:
        raise ReadError(path, "solo_ocultas")
    peek = XlsxPeek.open(path)
    return [_excel_sheet(path, book, name, peek) for name in names]


def _excel_sheet(
    path: Path, book: CalamineWorkbook, name: str, peek: XlsxPeek | None
) -> _Sheet:
    loaded: dict[str, Any] = {}

    def calamine_sheet() -> CalamineSheet:
        return loaded.pop("sheet", None) or book.get_sheet_by_name(name)

    def reader(nrows: int | None) -> list[list[Any]]:
        if nrows is not None and "sheet" not in loaded and peek is not None:
            head = peek.head(name, nrows)
            if head is not None:
                return head
        with _calamine_errors(path):
            sheet = calamine_sheet()
            rows = sheet.to_python(skip_empty_area=False, nrows=nrows)
            if nrows is not None:
                loaded["sheet"] = sheet  # the whole sheet is read next
            return rows

    def trimmed_reader(
        progress: Callable[[float], None], trim: _Trim
    ) -> list[list[Any]]:
        with _calamine_errors(path):
            sheet = calamine_sheet()
            if (sheet.start or (0, 0))[1] > 0:
                # iter_rows leaves out empty leading columns: read it whole.
                return sheet.to_python(skip_empty_area=False)
            return _trimmed_rows(sheet, trim, progress)

    return _Sheet(name=name, reader=reader, trimmed_reader=trimmed_reader)


class _calamine_errors:  # noqa: N801 (used as a `with` block)
    """Turn what calamine raises on a bad workbook into ReadError."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None,
                 exc: BaseException | None, _tb: object) -> None:
        if exc is None or isinstance(exc, CaracterizacionError):
            return
        if isinstance(exc, PasswordError):
            raise ReadError(self.path, "contrasena") from None
        if isinstance(exc, (CalamineError, ValueError, OSError)):
            raise _calamine_error(self.path, exc) from None
        replacement = _calamine_panic(self.path, exc)
        if replacement is not exc:
            raise replacement from None


def _trimmed_rows(
    sheet: CalamineSheet, trim: _Trim, progress: Callable[[float], None]
) -> list[list[Any]]:
    """Read a sheet's rows, blanking the cells `trim` says go unread.

    The same rows as `to_python(skip_empty_area=False)`, but a month ten
    times the office's never holds the millions of cells no field uses.
    """
    last_row, last_col = sheet.end or (0, 0)  # 0-based, as iter_rows goes
    unused = [c for c in range(last_col + 1) if c not in trim.used]
    account, labels = trim.account, trim.labels
    total = last_row + 1
    rows: list[list[Any]] = []
    for row in sheet.iter_rows():
        if len(rows) >= trim.whole_rows and account < len(row):
            value = row[account]
            kind = type(value)
            if kind is str:
                plain = value.isdigit() and value.isascii()
            elif kind is float:
                plain = value >= 0 and value.is_integer()
            else:
                plain = kind is int and value >= 0
            if plain and not any(
                type(row[c]) is str and "TOTAL" in row[c].upper() for c in labels
            ):
                for col in unused:
                    row[col] = None
        rows.append(row)
        if len(rows) % CSV_PROGRESS_ROWS == 0:
            progress(len(rows) / total)
    return rows


class XlsxPeek:
    """A quick look at the first rows of an .xlsx sheet.

    Calamine parses a whole sheet before giving any row (seconds for the
    guía); finding the header, choosing among sheets and recognizing a
    file's role only need the first rows, which this reads by streaming
    the sheet's XML. Anything unexpected gives None and calamine is used.
    """

    def __init__(self, archive: zipfile.ZipFile, parts: dict[str, str]) -> None:
        self.archive = archive
        self.parts = parts  # sheet name -> part path inside the zip
        self._strings: list[str] = []
        self._strings_done = "xl/sharedStrings.xml" not in archive.namelist()
        self._strings_iter: Any = None

    @classmethod
    def open(cls, source: bytes | Path) -> XlsxPeek | None:
        """Open the workbook's bytes or its file; None if it is no .xlsx."""
        try:
            archive = zipfile.ZipFile(
                io.BytesIO(source) if isinstance(source, bytes) else source
            )
            return cls(archive, _xlsx_sheet_parts(archive))
        except (*_ZIP_ERRORS, ET.ParseError):
            return None

    def head(self, sheet: str, nrows: int) -> list[list[Any]] | None:
        """Return the sheet's first `nrows` rows from A1, or None."""
        try:
            rows = self._rows(self.parts[sheet], nrows)
            return [[self._value(cell) for cell in row] for row in rows]
        except (*_ZIP_ERRORS, ValueError, IndexError, ET.ParseError):
            return None

    def _rows(self, part: str, nrows: int) -> list[list[tuple[str, str]]]:
        rows: list[list[tuple[str, str]]] = []
        with self.archive.open(part) as stream:
            for _, element in ET.iterparse(stream):
                if _local(element.tag) != "row":
                    continue
                number = int(element.get("r") or len(rows) + 1)
                if number > nrows:
                    break
                rows.extend([] for _ in range(number - 1 - len(rows)))
                rows.append(_xlsx_cells(element))
                element.clear()
        return rows

    def _value(self, cell: tuple[str, str]) -> Any:
        kind, text = cell
        if kind == "s":
            return self._shared(int(text))
        if kind == "n":
            return float(text) if text else ""
        return text

    def _shared(self, index: int) -> str:
        if self._strings_iter is None and not self._strings_done:
            stream = self.archive.open("xl/sharedStrings.xml")
            self._strings_iter = ET.iterparse(stream)
        while len(self._strings) <= index and not self._strings_done:
            try:
                _, element = next(self._strings_iter)
            except StopIteration:
                self._strings_done = True
                break
            if _local(element.tag) == "si":
                self._strings.append(_xlsx_text(element))
                element.clear()
        return self._strings[index]


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels if rel.get("Id")
    }
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    parts = {}
    for element in book.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next(v for k, v in element.attrib.items() if _local(k) == "id")
        target = targets[rel_id]
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts[element.get("name", "")] = target
    return parts


def _xlsx_cells(row: ET.Element) -> list[tuple[str, str]]:
    """Return a row's cells as (kind, text), placed by their column."""
    cells: list[tuple[str, str]] = []
    for cell in row:
        ref = cell.get("r")
        column = _column_index(ref) if ref else len(cells)
        cells.extend(("", "") for _ in range(column - len(cells)))
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            cells.append(("str", _xlsx_text(cell)))
            continue
        value = next((c.text or "" for c in cell if _local(c.tag) == "v"), "")
        cells.append((kind if kind in ("s", "n") else "str", value))
    return cells


def _xlsx_text(element: ET.Element) -> str:
    return "".join(
        t.text or "" for t in element.iter() if _local(t.tag) == "t"
    )


def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _calamine_panic(path: Path, exc: BaseException) -> BaseException:
    """Turn a crash inside calamine (Rust's PanicException, which is not an
    Exception) on a damaged file into ReadError; anything else goes on."""
    if type(exc).__name__ != "PanicException":
        return exc
    logger.debug("calamine crashed on %s: %s", path.name, exc)
    return ReadError(path, "danado")


def _calamine_error(path: Path, exc: Exception) -> ReadError:
    text = str(exc)
    if "password" in text.lower() or "encrypt" in text.lower():
        return ReadError(path, "contrasena")
    logger.debug("calamine could not read %s: %s", path.name, text)
    return ReadError(path, "danado")


def _csv_sheet(path: Path, data: bytes) -> _Sheet:
    """Return the CSV as one sheet; its rows are parsed when first needed."""
    text = _decode(data)
    delimiter = _sniff_delimiter(text[:50_000])
    sheet = _Sheet(name="", reader=lambda nrows: [], line_numbers=[])
    # No reference cycle through the closures: the rows (millions of lists
    # in a big month) go as soon as the sheet does, not at the next
    # collection of the garbage collector.
    this = weakref.ref(sheet)
    parsed: list[list[Any]] = []

    def parse(progress: Callable[[float], None] | None) -> list[list[Any]]:
        if parsed or not text:
            return parsed
        numbers = _parse_csv(path, text, delimiter, parsed, progress)
        target = this()
        if target is not None:
            target.line_numbers = numbers
        return parsed

    def read(nrows: int | None) -> list[list[Any]]:
        if nrows is not None and not parsed:
            sample = io.StringIO(text, newline="")
            reader = csv.reader(sample, delimiter=delimiter)
            try:
                return [row for _, row in zip(range(nrows), reader)]
            except csv.Error as exc:
                raise _csv_error(path, exc) from None
        rows = parse(None)
        return rows if nrows is None else rows[:nrows]

    sheet.reader = read
    sheet.full_reader = parse
    return sheet


def _parse_csv(
    path: Path,
    text: str,
    delimiter: str,
    rows: list[list[Any]],
    progress: Callable[[float], None] | None,
) -> list[int]:
    """Fill `rows` with the CSV's rows; return the line where each starts.

    Rows are read a chunk at a time, in C; while every row of a chunk takes
    one line, their lines follow from the count. A field that spans lines
    makes the file be read again row by row, counting lines exactly.
    """
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    numbers: list[int] = []
    try:
        start = 0
        while chunk := list(itertools.islice(reader, CSV_PROGRESS_ROWS)):
            if reader.line_num - start != len(chunk):  # a row took two lines
                rows.clear()
                return _parse_csv_by_row(path, text, delimiter, rows, progress)
            rows.extend(chunk)
            numbers.extend(range(start + 1, reader.line_num + 1))
            start = reader.line_num
            if progress is not None:
                progress(stream.tell() / len(text))
    except csv.Error as exc:
        rows.clear()
        raise _csv_error(path, exc) from None
    return numbers


def _parse_csv_by_row(
    path: Path,
    text: str,
    delimiter: str,
    rows: list[list[Any]],
    progress: Callable[[float], None] | None,
) -> list[int]:
    """`_parse_csv` for files with fields that span lines."""
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    numbers: list[int] = []
    line = 0
    try:
        for row in reader:
            rows.append(row)
            numbers.append(line + 1)
            line = reader.line_num
            if progress is not None and len(rows) % CSV_PROGRESS_ROWS == 0:
                progress(stream.tell() / len(text))
    except csv.Error as exc:
        rows.clear()
        raise _csv_error(path, exc) from None
    return numbers


def _csv_error(path: Path, exc: csv.Error) -> ReadError:
    """Word csv's (English) complaint for the user: a field too long means
    the file is not a table, anything else that it is damaged."""
    logger.debug("csv could not read %s: %s", path.name, exc)
    if "field limit" in str(exc):
        return ReadError(path, "no_es_hoja")
    return ReadError(path, "danado")


def _html_sheets(path: Path, data: bytes) -> list[_Sheet]:
    """Return each <table> of an HTML file (an ".xls" saved as a web page)."""
    parser = _HtmlTables()
    try:
        parser.feed(_decode(data))
        parser.close()
    except (AssertionError, ValueError):
        raise ReadError(path, "danado") from None
    tables = [t for t in parser.tables if any(any(c for c in r) for r in t)]
    if not tables:
        raise ReadError(path, "html")

    def sheet(number: int, rows: list[list[Any]]) -> _Sheet:
        def read(nrows: int | None) -> list[list[Any]]:
            return rows if nrows is None else rows[:nrows]

        return _Sheet(name=f"Tabla {number}", reader=read)

    return [sheet(i + 1, rows) for i, rows in enumerate(tables)]


class _HtmlTables(html.parser.HTMLParser):
    """Collect the text of every cell of every table, rows in order.

    A cell spanning several columns (colspan) is followed by empty cells,
    as Excel shows a merged cell; nested tables are read as their own.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._open: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._finish_cell()
            self._open.append([])
            self.tables.append(self._open[-1])
        elif tag == "tr" and self._open:
            self._finish_cell()
            self._open[-1].append([])
        elif tag in ("td", "th") and self._open:
            self._finish_cell()
            if not self._open[-1]:
                self._open[-1].append([])
            self._cell = []
            self._span = _colspan(dict(attrs).get("colspan"))
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "tr"):
            self._finish_cell()
        elif tag == "table" and self._open:
            self._finish_cell()
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _finish_cell(self) -> None:
        if self._cell is None or not self._open:
            self._cell = None
            return
        text = " ".join("".join(self._cell).split())
        self._open[-1][-1].extend([text] + [""] * (self._span - 1))
        self._cell = None


def _colspan(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 or Windows-1252 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _sniff_delimiter(sample: str) -> str:
    """Pick the delimiter that splits most lines into the same many fields."""
    lines = [ln for ln in sample.splitlines()[:60] if ln.strip()]
    best, best_rank = ",", (0, 0)
    for delimiter in (";", ",", "\t", "|"):
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        mode = max(set(wide), key=wide.count)
        rank = (wide.count(mode), mode)
        if rank > best_rank:
            best, best_rank = delimiter, rank
    return best


# --- finding the header --------------------------------------------------


@dataclass
class _Layout:
    """Where a sheet's header is and which column is which field."""

    sheet: _Sheet
    header_index: int  # 0-based row of the header (the lower row of two)
    top_index: int  # 0-based first header row (the group row, if any)
    match: ColumnMatch
    templates: list[list[str]] = field(default_factory=list)  # header keys
    # The account column's header texts as account keys: a data row whose
    # account reads like this is a repeated header.
    account_labels: set[str] = field(default_factory=set)

    def rank(self) -> tuple[bool, int]:
        return (not self.match.missing(), self.match.score())


def _choose_layout(
    path: Path, sheets: list[_Sheet], role: str, maps: _Mappings
) -> _Layout:
    """Return the best sheet and header for `role`, or raise why not."""
    layout = _best_layout(sheets, role, maps)
    _check_role(path, sheets, role, layout)
    if layout is None:
        guess = _guess_layout(sheets, role)
        context = _context(guess, role) if guess else None
        sheet = guess.sheet.name if guess else None
        raise MissingFieldError(
            path, role, [_first_required(role)], (), sheet or None, context
        )
    sheet_name = layout.sheet.name or None
    _check_mapped_headers(path, role, layout, maps)
    missing = layout.match.missing()
    if missing:
        raise MissingFieldError(
            path, role, missing, layout.match.headers, sheet_name,
            _context(layout, role),
        )
    for name, columns in layout.match.ambiguous.items():
        if name in layout.match.fields or layout.match.multi.get(name):
            continue
        candidates = [layout.match.headers[c] for c in columns]
        raise AmbiguousColumnError(
            path, role, name, candidates, sheet_name, _context(layout, role)
        )
    return layout


def _check_mapped_headers(
    path: Path, role: str, layout: _Layout, maps: _Mappings
) -> None:
    """Raise UnknownHeaderError for a header the given mapping names in vain."""
    keys = {norm.header_key(h) for h in layout.match.headers}
    for name, wanted in maps.given.items():
        for text in str(wanted).split("|"):
            key = norm.header_key(text)
            if key and key not in keys and not _in_two_row_header(layout, key):
                raise UnknownHeaderError(
                    path, role, name, text.strip(), layout.sheet.name or None,
                    _context(layout, role),
                )


def _in_two_row_header(layout: _Layout, key: str) -> bool:
    if layout.top_index == layout.header_index:
        return False
    upper, lower = (layout.sheet.head()[i] for i in (layout.top_index,
                                                      layout.header_index))
    headers, groups = _combine_header([_cell_text(c) for c in upper],
                                      [_cell_text(c) for c in lower])
    return any(norm.header_key(g) + norm.header_key(h) == key
               for h, g in zip(headers, groups))


def _context(layout: _Layout, role: str) -> MappingContext:
    """Describe the layout for a dialog that asks which column is which."""
    match = layout.match
    questions: dict[str, list[str]] = {
        name: [] for name in match.missing() if name not in ("preguntas",)
    }
    for name, columns in match.ambiguous.items():
        if name not in match.fields and not match.multi.get(name):
            questions[name] = [match.headers[c] for c in columns]
    rows = layout.sheet.head()[layout.header_index + 1:]
    preview = [
        [_cell_text(c) for c in row] for row in rows
        if not _is_blank_table([row])
    ][:PREVIEW_ROWS]
    return MappingContext(
        all_headers=match.headers,
        preview=preview,
        questions=questions,
        layout=layout_key(role, match.headers),
    )


def _guess_layout(sheets: list[_Sheet], role: str) -> _Layout | None:
    """Take the first row of mostly text cells as the header of an unknown
    layout, so the user can say which column is which."""
    for sheet in sheets:
        for index, row in enumerate(sheet.head()[:HEADER_SCAN_ROWS]):
            texts = [_cell_text(c) for c in row]
            words = [v for v in row if isinstance(v, str) and v.strip()]
            if len(words) >= 2 and len(words) * 2 >= sum(1 for t in texts if t):
                match = match_columns(texts, role)
                return _Layout(sheet=sheet, header_index=index,
                               top_index=index, match=match)
    return None


def _same_header(layout: _Layout, rows: list[list[Any]]) -> bool:
    """Tell whether the full read shows the header the quick look found."""
    index = layout.header_index
    if index >= len(rows):
        return False
    head = layout.sheet.head()
    for found, full in ((head[index], rows[index]),) + (
        ((head[index - 1], rows[index - 1]),) if layout.top_index < index else ()
    ):
        found_texts = [_cell_text(c) for c in found]
        full_texts = [_cell_text(c) for c in full]
        if _trim(found_texts) != _trim(full_texts):
            return False
    return True


def _trim(texts: list[str]) -> list[str]:
    while texts and not texts[-1]:
        texts = texts[:-1]
    return texts


def _first_required(role: str) -> str:
    return {"usuarios": "cuenta", "cartera": "cuenta"}.get(role, "preguntas")


def _best_layout(
    sheets: list[_Sheet], role: str, maps: _Mappings
) -> _Layout | None:
    best: _Layout | None = None
    for sheet in sheets:
        layout = _find_header(sheet, role, maps)
        if layout is not None and (best is None or layout.rank() > best.rank()):
            best = layout
    return best


def _find_header(
    sheet: _Sheet, role: str, maps: _Mappings
) -> _Layout | None:
    """Scan the first rows for the one that names most of the role's fields."""
    rows = sheet.head()
    best: _Layout | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        lower = [_cell_text(c) for c in row]
        if sum(1 for t in lower if t) < 2:
            continue
        upper = _group_row(rows, index)
        headers, groups = _combine_header(upper, lower)
        mapping = maps.for_headers(role, headers)
        match = match_columns(headers, role, groups, mapping)
        if match.score() == 0:
            continue
        layout = _Layout(
            sheet=sheet,
            header_index=index,
            top_index=index - 1 if upper else index,
            match=match,
            templates=[_keys(lower)] + ([_keys(upper)] if upper else []),
            account_labels=_account_labels(match, [lower, upper or []]),
        )
        if best is None or layout.rank() > best.rank():
            best = layout
    return best


def _group_row(rows: list[list[Any]], index: int) -> list[str] | None:
    """Return the row above a header when it holds group titles."""
    if index == 0:
        return None
    upper = [_cell_text(c) for c in rows[index - 1]]
    filled = [t for t in upper if t]
    if len(filled) < 2 or any(":" in t for t in filled):
        return None
    return upper


def _combine_header(
    upper: list[str] | None, lower: list[str]
) -> tuple[list[str], list[str]]:
    """Merge a two-row header: each column's name and its group title.

    A name merged down both rows sits in the upper row; a group title
    merged across sits in its first column and covers the columns to its
    right until the next title.
    """
    if upper is None:
        return lower, [""] * len(lower)
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    headers, groups = [], []
    current = ""
    for up, low in zip(upper, lower):
        if up and not low:
            current = ""
            headers.append(up)
            groups.append("")
            continue
        if up:
            current = up
        headers.append(low)
        groups.append(current)
    return headers, groups


def _check_role(
    path: Path, sheets: list[_Sheet], role: str, layout: _Layout | None
) -> None:
    """Raise WrongRoleError when the file clearly is another month's file."""
    own_complete = layout is not None and not layout.match.missing()
    own_evidence = layout.match.evidence() if layout else 0
    if own_complete and own_evidence > 0:
        return
    for other in ROLES:
        if other == role:
            continue
        found = _best_layout(sheets, other, _Mappings())
        if found is None or found.match.missing():
            continue
        needed = 2 if own_complete else 1
        if found.match.evidence() >= needed:
            raise WrongRoleError(path, role, other)


def _account_labels(match: ColumnMatch, rows: list[list[str]]) -> set[str]:
    column = match.fields.get("cuenta")
    if column is None:
        return set()
    labels = {norm.account_key(row[column]) for row in rows if column < len(row)}
    return {label for label in labels if label}


def _keys(texts: list[str]) -> list[str]:
    return [norm.header_key(t) for t in texts]


def _cell_text(value: Any) -> str:
    text = norm.clean_text(value)
    return text or ""


# --- separating records from totals and repeated headers ------------------


@dataclass
class _Body:
    """The data rows of a sheet, sorted into records and the rest."""

    values: np.ndarray  # object array: data rows x columns
    numbers: np.ndarray  # spreadsheet row (or CSV line) of each data row
    records: np.ndarray  # bool mask over the data rows
    totals: list[FileTotal] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)  # data without account
    repeated_headers: int = 0
    keys: pd.Series | None = None  # account key of every data row


def _split_body(
    path: Path, layout: _Layout, rows: list[list[Any]], numbers: list[int]
) -> _Body:
    start = layout.header_index + 1
    width = max(len(layout.match.headers), max(map(len, rows), default=0))
    values = _grid(rows[start:], width)
    body = _Body(
        values=values,
        numbers=np.asarray(numbers[start:], dtype="int64"),
        records=np.ones(len(values), dtype=bool),
    )
    account = layout.match.fields.get("cuenta")
    if account is not None:
        body.keys = norm.account_keys(pd.Series(values[:, account]))
    for position in _suspicious_rows(layout, values, body.keys):
        _classify_row(body, layout, position)
    return body


def _grid(rows: list[list[Any]], width: int) -> np.ndarray:
    """Return the rows as a 2-D object array, short rows padded with None."""
    grid = np.empty((len(rows), width), dtype=object)
    if rows and width:
        grid[:] = _padded(rows, width)
    return grid


def _padded(rows: list[list[Any]], width: int) -> list[list[Any]]:
    """Give every row the same length (CSV and HTML rows may be ragged)."""
    if min(map(len, rows), default=width) == width:
        return rows
    return [row + [None] * (width - len(row)) for row in rows]


def _suspicious_rows(
    layout: _Layout, values: np.ndarray, keys: pd.Series | None
) -> list[int]:
    """Return rows that may not be records: no account, or a TOTAL label."""
    account = layout.match.fields.get("cuenta")
    if not len(values) or account is None or keys is None:
        return list(range(len(values)))
    digits = keys.str.isdigit().fillna(False).to_numpy(dtype=bool)
    others = keys[~digits]  # most keys are digits: no pattern to check
    odd = (
        others.isna()
        | others.str.contains("TOTAL", regex=False, na=False)
        | ~others.str.fullmatch(_ACCOUNT_KEY, na=True)
    )
    flags = np.zeros(len(values), dtype=bool)
    flags[np.flatnonzero(~digits)[odd.to_numpy(dtype=bool)]] = True
    flags |= keys.isin(layout.account_labels).to_numpy(dtype=bool)
    notes = [
        type(v) is str and " " in v.strip() for v in values[~digits, account]
    ]
    flags[np.flatnonzero(~digits)[np.asarray(notes, dtype=bool)]] = True
    for col in range(min(3, account)):  # a label left of the account
        flags |= np.fromiter(
            (type(v) is str and "TOTAL" in v.upper() for v in values[:, col]),
            dtype=bool,
            count=len(values),
        )
    return np.flatnonzero(flags).tolist()


def _classify_row(body: _Body, layout: _Layout, position: int) -> None:
    cells = body.values[position]
    filled = [(c, v) for c, v in enumerate(cells) if not norm.is_blank(v)]
    if not filled:
        body.records[position] = False
        return
    if any(_repeats(cells, template) for template in layout.templates):
        body.records[position] = False
        body.repeated_headers += 1
        return

    account = layout.match.fields.get("cuenta")
    key = norm.account_key(cells[account]) if account is not None else None
    label_col, label = next(
        ((c, v) for c, v in filled[:3] if isinstance(v, str)), (-1, None)
    )
    numeric_key = key is not None and key.isdigit()
    if (
        label is not None
        and _TOTAL_LABEL.match(norm.strip_accents(label))
        and (not numeric_key or label_col < (account or 0))
    ):
        body.records[position] = False
        body.totals.append(_file_total(layout, cells, label, body, position))
        return

    if account is None or numeric_key:
        return
    if key is None or len(filled) == 1 or not _ACCOUNT_KEY.fullmatch(key):
        # Notes such as "Fin del reporte" are skipped; data without a
        # usable account is reported.
        body.records[position] = False
        if len(filled) > 1:
            body.orphans.append(int(body.numbers[position]))


def _repeats(cells: np.ndarray, template: list[str]) -> bool:
    """Tell whether a data row is a copy of a header row (given as keys)."""
    wanted = [(c, key) for c, key in enumerate(template) if key]
    if not wanted:
        return False
    same = sum(
        1 for c, key in wanted
        if c < len(cells) and norm.header_key(norm.clean_text(cells[c])) == key
    )
    filled = sum(1 for v in cells if not norm.is_blank(v))
    return same >= max(1, (len(wanted) + 1) // 2) and same * 2 >= filled


def _file_total(
    layout: _Layout, cells: np.ndarray, label: str, body: _Body, position: int
) -> FileTotal:
    text = " ".join(label.split())
    return FileTotal(
        etiqueta=text,
        fila=int(body.numbers[position]),
        valor=_total_amount(layout.match, cells),
        cantidad=_total_count(layout.match, cells, label),
        general=_SUBTOTAL_LABEL.match(norm.strip_accents(text)) is None,
    )


def _total_amount(match: ColumnMatch, cells: np.ndarray) -> int | None:
    """Return a total row's amount in centavos, from the debt column(s)."""
    if match.role != "cartera":
        return None
    columns = (
        [match.fields["deuda"]] if "deuda" in match.fields
        else match.multi.get("componentes", [])
    )
    amounts = []
    for col in columns:
        try:
            amounts.append(norm.parse_money(cells[col]))
        except norm.UnreadableValueError:
            return None
    present = [a for a in amounts if a is not None]
    return sum(present) if present else None


def _total_count(match: ColumnMatch, cells: np.ndarray, label: str) -> int | None:
    """Return the count a total row states (`TOTAL REGISTROS: 67.325`)."""
    inline = re.search(r":\s*([\d.,']+)\s*$", label)
    if inline:
        return _as_count(inline.group(1))
    numeric = {match.fields.get(f) for f in ("deuda", "consumo", *AGE_FIELDS)}
    for name in ("componentes", "edades", "ignorar"):
        numeric.update(match.multi.get(name, []))
    after = False
    for col, value in enumerate(cells):
        if value is label:
            after = True
            continue
        if not after or norm.is_blank(value):
            continue
        counts_here = bool(_COUNT_WORDS.search(label)) or isinstance(value, str)
        if col in numeric or not counts_here:
            return None
        return _as_count(value)
    return None


def _as_count(value: Any) -> int | None:
    try:
        count = norm.parse_count(value)
    except norm.UnreadableValueError:
        return None
    return count if count is not None and count >= 0 else None


# --- building the canonical frame -----------------------------------------


@dataclass
class _Unreadable:
    """Cells that hold something that is not a number."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """Return the cells in sheet order: by row, then by column."""
        table = pd.DataFrame(self.rows).sort_values(["fila", "orden"])
        return table.drop(columns="orden").reset_index(drop=True)

    def add(
        self, path: Path, layout: _Layout, column: int, raw: pd.Series,
        bad: pd.Series, numbers: np.ndarray,
    ) -> None:
        for position in np.flatnonzero(bad.to_numpy()):
            self.rows.append({
                "orden": column,
                "archivo": path.name,
                "hoja": layout.sheet.name,
                "fila": int(numbers[position]),
                "columna": layout.match.headers[column],
                "valor": str(raw.iloc[position]),
            })


def _build(
    path: Path, role: str, layout: _Layout, titles: list[list[Any]], body: _Body
) -> LoadedFile:
    unreadable = _Unreadable()
    frame = _frame(path, role, layout, body, unreadable)
    periodo, corte = _title_info(titles)
    return LoadedFile(
        role=role,  # type: ignore[arg-type]
        path=path,
        sheet=layout.sheet.name,
        header_row=_row_number(layout),
        frame=frame,
        rows_read=len(frame),
        mapping=_mapping_used(layout.match),
        totals=body.totals,
        issues=_issues(path, layout, body, unreadable),
        periodo=periodo,
        fecha_corte=corte,
        preguntas={
            name: layout.match.headers[col]
            for name, col in layout.match.questions.items()
        },
    )


def _frame(
    path: Path, role: str, layout: _Layout, body: _Body, unreadable: _Unreadable
) -> pd.DataFrame:
    """Return the records' canonical fields plus `fila`."""
    cells = body.values if body.records.all() else body.values[body.records]
    values = pd.DataFrame(cells, dtype=object, copy=False)
    numbers = body.numbers[body.records]
    if role == "encuesta":
        frame = _survey_frame(layout.match, values)
        answered = frame.drop(columns=list(ENCUESTA_FIELDS)).notna().any(axis=1)
        frame = frame[answered.to_numpy()].reset_index(drop=True)
        numbers = numbers[answered.to_numpy()]
    else:
        records = _Records(path, layout, values, numbers, unreadable)
        frame = _account_frame(records, role)
        if body.keys is not None:
            frame["cuenta"] = body.keys[body.records].reset_index(drop=True)
    frame["fila"] = pd.Series(numbers, dtype="int64")
    return frame


def _row_number(layout: _Layout) -> int:
    numbers = layout.sheet.line_numbers
    if numbers is not None:
        return numbers[layout.header_index]
    return layout.header_index + 1


@dataclass
class _Records:
    """The record rows of a sheet, read column by column into fields."""

    path: Path
    layout: _Layout
    values: pd.DataFrame  # raw cells of the records, columns as in the sheet
    numbers: np.ndarray  # row (or line) number of each record
    unreadable: _Unreadable

    def raw(self, name: str) -> pd.Series | None:
        col = self.layout.match.fields.get(name)
        return None if col is None else self.values[col]

    def text(self, name: str, upper: bool = False) -> pd.Series:
        raw = self.raw(name)
        if raw is None:
            return self.na(norm.TEXT)
        return norm.text_series(raw, upper)

    def code(self, name: str) -> pd.Series:
        raw = self.raw(name)
        if raw is None:
            return self.na(norm.TEXT)
        return norm.codes(raw, name)  # type: ignore[arg-type]

    def count(self, name: str) -> pd.Series:
        col = self.layout.match.fields.get(name)
        if col is None:
            return self.na("Int64")
        return self._parsed(col, norm.count_series)

    def consumo(self) -> pd.Series:
        col = self.layout.match.fields.get("consumo")
        if col is None:
            return pd.Series(np.nan, index=self.values.index, dtype="float64")
        return self._parsed(col, norm.float_series).astype("float64")

    def amount(self, name: str) -> pd.Series:
        """Return the debt (its total column, or the sum of its components)
        or the sum of the amount-by-age columns; NA where unreadable."""
        match = self.layout.match
        if name == "deuda" and "deuda" in match.fields:
            columns = [match.fields["deuda"]]
        else:
            group = "componentes" if name == "deuda" else "edades"
            columns = match.multi.get(group, [])
        if not columns:
            return self.na("Int64")

        parts, bad = [], np.zeros(len(self.values), dtype=bool)
        for col in columns:
            parsed, unreadable = norm.money_series(self.values[col])
            self.unreadable.add(self.path, self.layout, col, self.values[col],
                                unreadable, self.numbers)
            parts.append(parsed)
            bad |= unreadable.to_numpy()
        total = pd.concat(parts, axis=1).sum(axis=1, min_count=1).astype("Int64")
        total[bad] = pd.NA
        return total

    def _parsed(self, col: int, parse: Callable[..., Any]) -> pd.Series:
        parsed, bad = parse(self.values[col])
        self.unreadable.add(self.path, self.layout, col, self.values[col], bad,
                            self.numbers)
        return parsed

    def na(self, dtype: Any) -> pd.Series:
        return pd.Series(pd.NA, index=self.values.index, dtype=dtype)


def _account_frame(records: _Records, role: str) -> pd.DataFrame:
    """Return the guía's or the cartera's fields (cuenta is filled later)."""
    out: dict[str, pd.Series] = {}
    for name in ROLE_FIELDS[role]:
        if name == "cuenta":
            out[name] = records.na(norm.TEXT)
        elif name == "cuenta_texto":
            raw = records.raw("cuenta")
            out[name] = (
                records.na(norm.TEXT) if raw is None else norm.account_texts(raw)
            )
        elif name in ("estrato", "uso", "comuna"):
            out[name] = records.code(name)
        elif name in AGE_FIELDS:
            out[name] = records.count(name)
        elif name == "consumo":
            out[name] = records.consumo()
        elif name in ("deuda", "edades_suma"):
            out[name] = records.amount(name)
        elif name == "tipo_persona":
            raw = records.raw(name)
            out[name] = records.na(norm.TEXT) if raw is None else _persona(raw)
        else:
            out[name] = records.text(name, upper=name in UPPER_FIELDS)
    return pd.DataFrame(out).reset_index(drop=True)


def _persona(values: pd.Series) -> pd.Series:
    text = norm.text_series(values, upper=True)
    plain = text.map(norm.strip_accents, na_action="ignore")
    result = pd.Series(pd.NA, index=values.index, dtype=norm.TEXT)
    result[plain.str.contains("JURID", na=False)] = "JURIDICA"
    result[plain.str.contains("NATURAL", na=False)] = "NATURAL"
    result[plain.isin(["J", "PJ"])] = "JURIDICA"
    result[plain.isin(["N", "PN"])] = "NATURAL"
    return result


def _survey_frame(match: ColumnMatch, records: pd.DataFrame) -> pd.DataFrame:
    empty = pd.Series([None] * len(records), dtype=object, index=records.index)

    def column(name: str) -> pd.Series:
        col = match.fields.get(name)
        return records[col] if col is not None else empty

    out: dict[str, pd.Series] = {
        "comuna": norm.codes(column("comuna"), "comuna"),
        "estrato": norm.codes(column("estrato"), "estrato"),
        "tipo_usuario": norm.text_series(column("tipo_usuario")),
        "canal": norm.text_series(column("canal")),
        "fecha": norm.date_texts(column("fecha")),
    }
    for name, col in match.questions.items():
        out[name] = norm.text_series(records[col])
    return pd.DataFrame(out).reset_index(drop=True)


def _mapping_used(match: ColumnMatch) -> dict[str, str]:
    names = list(match.fields) + [k for k, v in match.multi.items() if v]
    return {name: match.header(name) for name in names}


def _issues(
    path: Path, layout: _Layout, body: _Body, unreadable: _Unreadable
) -> list[QualityItem]:
    issues = []
    if unreadable.rows:
        count = len(unreadable.rows)
        issues.append(QualityItem(
            codigo="valor_ilegible",
            mensaje=(
                f"{fmt_int(count)} valor(es) de «{path.name}» no se pudieron "
                "leer como número; esas filas quedan sin ese dato."
            ),
            cantidad=count,
            filas=unreadable.frame(),
        ))
        logger.warning("%s: %d valores ilegibles", path.name, count)
    if body.orphans:
        count = len(body.orphans)
        issues.append(QualityItem(
            codigo="fila_sin_cuenta",
            mensaje=(
                f"{fmt_int(count)} fila(s) de «{path.name}» tienen datos pero "
                "no tienen cuenta; no se cuentan."
            ),
            cantidad=count,
            filas=pd.DataFrame({
                "archivo": path.name,
                "hoja": layout.sheet.name,
                "fila": body.orphans,
            }),
        ))
        logger.warning("%s: %d filas sin cuenta", path.name, count)
    return issues


# --- title rows ------------------------------------------------------------


def _title_info(rows: list[list[Any]]) -> tuple[str | None, dt.date | None]:
    """Read the period (AAAA-MM) and the cut-off date from the title rows."""
    text = "  ".join(
        norm.strip_accents(" ".join(_cell_text(c) for c in row)).upper()
        for row in rows
    )
    return _periodo(text), _corte(text)


def _periodo(text: str) -> str | None:
    found = _PERIODO.search(text)
    if found and 1 <= int(found.group(2)) <= 12:
        return f"{found.group(1)}-{int(found.group(2)):02d}"
    named = _PERIODO_NAME.search(text)
    if named and named.group(1) in MONTHS:
        return f"{named.group(2)}-{MONTHS.index(named.group(1)) + 1:02d}"
    dated = _PERIODO_DATE.search(text)
    if dated and 1 <= int(dated.group(1)) <= 12:
        return f"{dated.group(2)}-{int(dated.group(1)):02d}"
    return None


def _corte(text: str) -> dt.date | None:
    found = _CORTE.search(text)
    try:
        if found:
            day, month, year = (int(g) for g in found.groups())
            return dt.date(year, month, day)
        iso = _CORTE_ISO.search(text)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    serial = _CORTE_SERIAL.search(text)
    if serial:
        return norm.excel_serial_date(int(serial.group(1)))
    return None


def _log_loaded(loaded: LoadedFile, seconds: float) -> None:
    noun, records = LOG_NAMES[loaded.role]
    logger.info(
        "%s leída: %s %s de '%s' en %s s",
        noun,
        fmt_int(loaded.rows_read),
        records,
        loaded.path.name,
        f"{seconds:.1f}".replace(".", ","),
    )
