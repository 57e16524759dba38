"""The floor: the least any reader of a month's files must do.

For an .xlsx that is unzipping each worksheet (and the shared strings, if
any) and running its XML through expat with no handlers: every byte is
inflated and parsed, nothing is kept. For a CSV it is reading the bytes,
decoding them and splitting them into fields with the csv module. No
reader that returns the cells can be faster than this in Python.

Usage: python benchmarks/floor.py FILE [FILE ...]
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


def main(argv: list[str]) -> int:
    total = 0
    for name in argv[1:]:
        path = Path(name)
        total += csv_floor(path) if path.suffix == ".csv" else xlsx_floor(path)
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
