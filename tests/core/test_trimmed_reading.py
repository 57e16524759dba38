"""Reading a workbook without holding the cells no field uses.

`core.loading` blanks, while it reads an Excel sheet, the unused cells of
the plain record rows (a digits account, no TOTAL label left of it). These
tests check that it does, and that it changes nothing the load returns:
every file is loaded twice, trimming and not, and both loads must agree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import core.loading as loading
from core.loading import load_file
from tests.core.test_loading import (
    GUIA_HEADER,
    GUIA_ROWS,
    TITLES,
    cartera_rows,
    write_xlsx,
)

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"

# Account in column C, two unmapped columns left of it (REF, NOTA), one
# after it (CANT), and every kind of row the classifier looks at closely.
HEADER = ["REF", "NOTA", "MATRICULA", "BARRIO", "COMUNA", "ESTRATO", "USO",
          "ESTADO", "CANT"]
MESSY_ROWS = [
    ["Z1", "sin novedad", "0012345", "LA TORA", "1", "01", "01", "ACTIVO", 7],
    ["Z1", "medidor", 12346, "COLOMBIA", 3, 2, 1, "ACTIVO", 8],
    ["Z2", None, 12347.0, "EL CERRO", "COMUNA 5", "3", "01", "ACTIVO", None],
    # A subtotal whose label is left of a numeric account.
    ["TOTAL ZONA Z2", None, 99999, None, None, None, None, None, 3],
    ["Z2", "x", -5, "EL CERRO", "5", "3", "01", "ACTIVO", 1],  # not digits
    ["Z3", "y", " 123 ", "EL CERRO", "5", "3", "01", "ACTIVO", 1],
    ["Z3", "z", "AB-12", "EL CERRO", "5", "3", "01", "ACTIVO", 1],
    HEADER,  # a repeated header
    ["Z3", "w", 12348.5, "EL CERRO", "5", "3", "01", "ACTIVO", 1],
    [None, "TOTAL REGISTROS", None, None, None, None, None, None, 9],
]
# The rows the header is looked for in are always read whole: the messy
# rows come after forty plain records.
FILLER = [["Z0", "", 20_000 + n, "LA TORA", "1", "01", "01", "ACTIVO", 1]
          for n in range(40)]
SHEET = TITLES + [HEADER] + FILLER + MESSY_ROWS


def both_ways(path: Path, role: str, monkeypatch) -> tuple:
    trimmed = load_file(path, role)
    with monkeypatch.context() as patch:
        patch.setattr(loading._Trim, "of", classmethod(lambda cls, layout: None))
        whole = load_file(path, role)
    return trimmed, whole


def assert_same_load(trimmed, whole) -> None:
    pd.testing.assert_frame_equal(trimmed.frame, whole.frame)
    assert trimmed.totals == whole.totals
    assert [(i.codigo, i.cantidad) for i in trimmed.issues] == [
        (i.codigo, i.cantidad) for i in whole.issues
    ]
    for mine, theirs in zip(trimmed.issues, whole.issues, strict=True):
        pd.testing.assert_frame_equal(mine.filas, theirs.filas)
    assert (trimmed.periodo, trimmed.fecha_corte, trimmed.header_row) == (
        whole.periodo, whole.fecha_corte, whole.header_row)


def test_plain_records_lose_only_their_unused_cells(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "g.xlsx", {"G": SHEET})
    seen: list[list] = []
    read = loading._trimmed_rows

    def spy(sheet, trim, progress):
        rows = read(sheet, trim, progress)
        seen.extend(rows)
        return rows

    monkeypatch.setattr(loading, "_trimmed_rows", spy)
    load_file(path, "usuarios")

    assert len(seen) == len(SHEET)
    whole = loading.HEADER_SCAN_ROWS + 1
    assert seen[len(TITLES)] == HEADER and seen[whole - 1][0] == "Z0"
    # REF, NOTA and CANT are no field's: blank in the plain records.
    body = seen[len(TITLES) + 1 + len(FILLER):]
    for row in seen[whole:len(TITLES) + 1 + len(FILLER)] + body[:3]:
        assert row[0] is None and row[1] is None and row[8] is None
        assert row[2] not in (None, "") and row[3] not in (None, "")
    # The subtotal (label left of the account), the odd accounts, the
    # repeated header and the count row keep every cell.
    for row, source in zip(body[3:], MESSY_ROWS[3:], strict=True):
        assert [None if v == "" else v for v in row] == source


def test_a_messy_guia_loads_the_same_trimmed(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "g.xlsx", {"G": SHEET})

    trimmed, whole = both_ways(path, "usuarios", monkeypatch)

    assert_same_load(trimmed, whole)
    # Worked out from MESSY_ROWS: three plain records, " 123 ", AB-12 and
    # 12348.5 (-5 is a row without a usable account).
    assert trimmed.frame["cuenta"].tolist()[len(FILLER):] == [
        "12345", "12346", "12347", "123", "AB-12", "12348.5"]
    assert [(t.etiqueta, t.cantidad) for t in trimmed.totals] == [
        ("TOTAL ZONA Z2", None), ("TOTAL REGISTROS", 9)]


def test_the_loader_fixtures_load_the_same_trimmed(tmp_path, monkeypatch):
    guia = write_xlsx(tmp_path / "guia.xlsx", {
        "GUIA": TITLES + [GUIA_HEADER] + GUIA_ROWS
        + [[], [], ["TOTAL REGISTROS:", "3"]]})
    cartera = write_xlsx(tmp_path / "cartera.xlsx", {"C": cartera_rows()})

    for path, role in ((guia, "usuarios"), (cartera, "cartera")):
        assert_same_load(*both_ways(path, role, monkeypatch))


@pytest.mark.parametrize("name, role", [
    ("guia_usuarios_2025-07.xlsx", "usuarios"),
    ("cartera_2025-07.xlsx", "cartera"),
])
def test_the_sample_month_loads_the_same_trimmed(name, role, monkeypatch):
    assert_same_load(*both_ways(SAMPLE / name, role, monkeypatch))


def test_a_sheet_starting_right_of_column_a_is_read_whole(tmp_path):
    path = tmp_path / "g.xlsx"
    rows = [[None, *row] for row in [GUIA_HEADER, *GUIA_ROWS]]
    write_xlsx(path, {"G": rows})

    loaded = load_file(path, "usuarios")

    assert loaded.frame["cuenta"].tolist() == ["12345", "12346", "12347"]
    assert loaded.header_row == 1
