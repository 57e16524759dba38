"""The benchmark's months: their sizes, files and expected figures.

Kept apart from the generator (which needs numpy, pandas and the sample
generator) so that the benchmark's own process stays small: a process
started from a large one inherits its peak memory in the kernel's count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OFFICE_ACCOUNTS = 67_325  # the office's month (tools/generate_sample.py)
# Name -> (accounts, file format). An .xlsx sheet holds 1,048,576 rows at
# most, so the largest month is a CSV, as a system would export it.
SIZES = {
    "67k": (OFFICE_ACCOUNTS, "xlsx"),
    "670k": (OFFICE_ACCOUNTS * 10, "xlsx"),
    "2M": (OFFICE_ACCOUNTS * 30, "csv"),
}
FILES = {"xlsx": ("guia.xlsx", "cartera.xlsx"), "csv": ("guia.csv", "cartera.csv")}
EXPECTED = "esperado.json"


@dataclass
class Month:
    """A generated month: where its files are and what it must add up to."""

    name: str
    folder: Path

    @property
    def accounts(self) -> int:
        return SIZES[self.name][0]

    @property
    def fmt(self) -> str:
        return SIZES[self.name][1]

    @property
    def guia(self) -> Path:
        return self.folder / FILES[self.fmt][0]

    @property
    def cartera(self) -> Path:
        return self.folder / FILES[self.fmt][1]

    def expected(self) -> dict[str, Any]:
        return json.loads((self.folder / EXPECTED).read_text(encoding="utf-8"))
