"""A small streaming .xlsx writer for the benchmark's generated months.

It writes one sheet the way openpyxl's write-only mode does (the writer of
the bundled sample month): inline strings, a cell reference on every cell,
a style per cell where it has one, merged cells at the end. Rows go
straight into the zip entry, so a month of 670,000 accounts is written in
seconds and never held as XML in memory. It knows only what the generated
months need: text, whole and decimal numbers, dates, and a few styles.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Deflate level: 1 writes several times faster than the default 6, and
# inflating (what every reader does) costs about the same either way.
COMPRESS_LEVEL = 1

PRESERVE = ' xml:space="preserve"'  # text whose edge spaces count
# Style ids (cellXfs positions in STYLES below).
PLAIN, BOLD, DATE, AMOUNT, BOLD_AMOUNT, BOLD_CENTER = range(6)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/></Relationships>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill/></fill><fill><patternFill '
    'patternType="gray125"/></fill></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="1" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center"/></xf>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
)
SHEET_START = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/><sheetData>'
)


def column_letters(count: int) -> list[str]:
    """Return the letters of the first `count` columns: A, B, ..., AA, ..."""
    letters = []
    for index in range(1, count + 1):
        text = ""
        while index:
            index, rest = divmod(index - 1, 26)
            text = chr(65 + rest) + text
        letters.append(text)
    return letters


def _escape(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


class SheetWriter:
    """Write one sheet of an .xlsx row by row; use as a context manager."""

    def __init__(self, path: Path, sheet_name: str, width: int = 64) -> None:
        self.path = Path(path)
        self.sheet_name = sheet_name
        self.letters = column_letters(width)
        self.merged: list[str] = []
        self.rows = 0
        self._zip = zipfile.ZipFile(
            self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
        )
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w",
                                     force_zip64=True)
        self._buffer: list[str] = [SHEET_START]

    def __enter__(self) -> SheetWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def append(self, values: Iterable[Any], styles: Iterable[int] = ()) -> None:
        """Write the next row; `styles` gives each cell's style (default 0)."""
        self.rows += 1
        number = str(self.rows)
        cells = []
        for letter, value, style in zip(
            self.letters, values, _padded(styles), strict=False
        ):
            if value is None or value == "" or value != value:  # NaN: blank
                continue
            cells.append(_cell(letter + number, value, style))
        self._buffer.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(self._buffer) >= 2000:
            self._flush()

    def merge(self, first: str, last: str) -> None:
        """Merge a range of the current row, from column `first` to `last`."""
        self.merged.append(f"{first}{self.rows}:{last}{self.rows}")

    def close(self) -> None:
        if self._zip.fp is None:
            return
        self._buffer.append("</sheetData>")
        if self.merged:
            refs = "".join(f'<mergeCell ref="{ref}"/>' for ref in self.merged)
            self._buffer.append(
                f'<mergeCells count="{len(self.merged)}">{refs}</mergeCells>'
            )
        self._buffer.append("</worksheet>")
        self._flush()
        self._sheet.close()
        self._zip.writestr("[Content_Types].xml", CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", ROOT_RELS)
        self._zip.writestr("xl/workbook.xml", WORKBOOK.format(name=self.sheet_name))
        self._zip.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", STYLES)
        self._zip.close()

    def _flush(self) -> None:
        self._sheet.write("".join(self._buffer).encode("utf-8"))
        self._buffer.clear()


def _padded(styles: Iterable[int]) -> Iterable[int]:
    yield from styles
    while True:
        yield PLAIN


def _cell(ref: str, value: Any, style: int) -> str:
    styled = f' s="{style}"' if style else ""
    if isinstance(value, str):
        space = PRESERVE if value[0] == " " or value[-1] == " " else ""
        text = f"<t{space}>{_escape(value)}</t>"
        return f'<c r="{ref}"{styled} t="inlineStr"><is>{text}</is></c>'
    if isinstance(value, dt.date):
        serial = (value - EXCEL_EPOCH).days
        return f'<c r="{ref}" s="{style or DATE}" t="n"><v>{serial}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}"{styled} t="n"><v>{value}</v></c>'
