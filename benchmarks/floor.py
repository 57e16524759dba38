"""The floor: the least any reader of a month's files must do.

For an .xlsx that is unzipping each worksheet (and the shared strings, if
any) and running its XML through expat with no handlers: every byte is
inflated and parsed, nothing is kept. For a CSV it is reading the bytes,
decoding them and splitting them into fields with the csv module. No
reader that returns the cells can be faster than this in Python.

With `--calamine`, it reads the workbooks with python-calamine instead
(the product's reader, before any of the product's own work): a second
reference, to tell the reader's share of the product's time.

Usage: python benchmarks/floor.py [--calamine] FILE [FILE ...]
"""

from __future__ import annotations

import csv
import io
import sys
import xml.parsers.expat
import zipfile
from pathlib import Path

CSV_ENCODING = "cp1252"


def xlsx_floor(path: Path) -> int:
    """Inflate and parse every sheet part of an .xlsx; return the XML bytes."""
    parsed = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = info.filename
            sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            if sheet or name == "xl/sharedStrings.xml":
                parser = xml.parsers.expat.ParserCreate()
                with archive.open(info) as part:
                    parser.ParseFile(part)
                parsed += info.file_size
    return parsed


def csv_floor(path: Path) -> int:
    """Decode a CSV and split it into fields; return the bytes read."""
    data = path.read_bytes()
    text = data.decode(CSV_ENCODING)
    for _row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
        pass
    return len(data)


def calamine_read(path: Path) -> int:
    """What the product's reader costs at the least: every sheet of the
    workbook parsed by python-calamine and turned into Python rows."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        cells += sum(map(len, rows))
    return cells


def main(argv: list[str]) -> int:
    names = argv[1:]
    read = xlsx_floor
    if names and names[0] == "--calamine":
        names, read = names[1:], calamine_read
    total = 0
    for name in names:
        path = Path(name)
        total += csv_floor(path) if path.suffix == ".csv" else read(path)
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
