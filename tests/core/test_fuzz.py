"""Random tables through the loader and the rules (hypothesis).

Whatever the layout and the values, loading raises nothing but the
product's own errors, and every split of the cartera adds up to its total.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from decimal import Decimal
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from core.errors import CaracterizacionError
from core.loading import load_file
from core.pipeline import compute_month
from core.settings import load_settings

GUIA_HEADERS = ["MATRICULA", "Matrícula", "CODIGO", "ESTRATO", "Estrato",
                "COMUNA", "USO", "BARRIO", "ESTADO", "NOMBRE", "TELEFONO"]
CARTERA_HEADERS = ["MATRICULA", "DIAS MORA", "SALDO TOTAL", "CAPITAL",
                   "INTERESES", "EDAD MESES", "SALDO ANTERIOR", "ESTRATO",
                   "COMUNA", "USO", "BARRIO", "0 - 30", "31 - 60"]
NOISE = ["TOTAL", "SUBTOTAL ESTRATO 01", "TOTAL REGISTROS: 3", "", " ",
         "Fin del reporte", "PERIODO: 202507", "¿?", "=SUMA(A1)", "MUÃ‘OZ"]

texts = st.one_of(
    st.sampled_from(NOISE + GUIA_HEADERS + CARTERA_HEADERS),
    st.sampled_from(["$ 1.234.567,89", "1.500", "(2.000)", "$ -", "1'234.567",
                     "01", "COMUNA 3", "0012345", "123.0", "N/D", "-0"]),
    st.text(max_size=12),
)
cells = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=400),
    texts,
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)


ACCOUNTS = st.sampled_from(["1", "2", "0003", 4, 5.0, "6 ", "AB-7", "TOTAL"])


@st.composite
def tables(draw, headers: list[str], required: list[str]) -> list[list]:
    """Title rows, then a header (often with the required names, in any
    order, among odd ones) and rows of mixed cells, accounts first."""
    odd = draw(st.lists(st.one_of(st.sampled_from(headers), texts), max_size=4))
    if draw(st.booleans()):
        header = draw(st.permutations(required + odd))
    else:
        header = odd or [draw(texts)]
    width = len(header)
    titles = draw(st.lists(st.lists(cells, max_size=3), max_size=3))
    row = st.lists(cells, min_size=max(0, width - 1), max_size=width + 1)
    rows = draw(st.lists(row, max_size=12))
    if "MATRICULA" in header:
        at = header.index("MATRICULA")
        rows = [[*r[:at], draw(ACCOUNTS), *r[at + 1:]] for r in rows]
    return [*titles, header, *rows]


GUIA_REQUIRED = ["MATRICULA", "ESTRATO", "COMUNA"]
CARTERA_REQUIRED = ["MATRICULA", "DIAS MORA", "SALDO TOTAL"]


def _excel_cell(value):
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        # openpyxl refuses control characters; Excel cannot hold them.
        return "".join(c for c in value if c.isprintable() or c in " \t")
    return value


def _write(rows: list[list], path: Path, as_excel: bool) -> Path:
    if as_excel:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append([_excel_cell(v) for v in row])
        book.save(path)
        return path
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="replace")
    return path


def _load(rows: list[list], folder: Path, name: str, role: str, as_excel: bool):
    path = _write(rows, folder / f"{name}.{'xlsx' if as_excel else 'csv'}",
                  as_excel)
    try:
        return load_file(path, role)
    except CaracterizacionError as error:
        assert error.mensaje()  # every error has its Spanish words
        return None


FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@FUZZ
@given(rows=tables(GUIA_HEADERS, GUIA_REQUIRED), as_excel=st.booleans())
def test_the_loader_raises_only_its_own_errors(tmp_path, rows, as_excel):
    loaded = _load(rows, tmp_path, "guia", "usuarios", as_excel)

    if loaded is not None:
        assert loaded.rows_read == len(loaded.frame)
        assert loaded.frame["fila"].is_unique


SPLITS = ("morosos_por_estrato", "morosos_por_uso", "morosos_por_comuna",
          "morosos_por_barrio", "cartera_por_edades")


def _column(table, name: str) -> list:
    index = table.columnas.index(name)
    return [row[index] for row in table.filas]


def _total(table, name: str):
    return table.total[table.columnas.index(name)]


GOOD_GUIA = [["MATRICULA", "ESTRATO", "COMUNA", "BARRIO"],
             ["1", "01", "1", "CENTRO"], ["2", "02", "COMUNA 2", "LA PAZ"],
             ["3", 3, 2, None]]
GOOD_CARTERA = [["REPORTE DE CARTERA"], ["MATRICULA", "DIAS MORA", "SALDO TOTAL"],
                ["1", 45, "$ 1.234.567,89"], ["2", "200", 300000.5],
                ["3", 10, "(2.000)"], ["9", 90, 1500], ["TOTAL", None, 1532568.39]]


@settings(FUZZ, max_examples=200)
@example(guia=GOOD_GUIA, cartera=GOOD_CARTERA, as_excel=False)
@example(guia=GOOD_GUIA, cartera=GOOD_CARTERA, as_excel=True)
@given(
    guia=tables(GUIA_HEADERS, GUIA_REQUIRED),
    cartera=tables(CARTERA_HEADERS, CARTERA_REQUIRED),
    as_excel=st.booleans(),
)
def test_every_split_of_the_cartera_adds_up_to_its_total(
    tmp_path, guia, cartera, as_excel
):
    guia_file = _load(guia, tmp_path, "guia", "usuarios", as_excel)
    cartera_file = _load(cartera, tmp_path, "cartera", "cartera", as_excel)
    if guia_file is None or cartera_file is None:
        event("archivo no utilizable")
        assert guia is not GOOD_GUIA  # the known month always gets this far
        return
    try:
        result = compute_month(guia_file, cartera_file, None, load_settings(),
                               "2025-07")
    except CaracterizacionError:
        event("mes no calculable")
        return

    event(f"{result.resumen.usuarios_morosos > 0 and 'con' or 'sin'} morosos")
    summary = result.resumen
    if guia is GOOD_GUIA:  # by hand: 1, 2 and 9 owe from 31 días on
        assert summary.usuarios_morosos == 3
        assert summary.cartera_morosa == Decimal("1536068.39")
    for table_id in SPLITS:
        table = result.tablas[table_id]
        assert sum(_column(table, "deuda"), Decimal(0)) == summary.cartera_morosa
        assert _total(table, "deuda") == summary.cartera_morosa
        assert sum(_column(table, "usuarios")) == summary.usuarios_morosos
        if table.filas:
            assert sum(_column(table, "porcentaje_deuda")) == Decimal("100.0")
    segments = result.tablas["segmentos_por_atraso"]
    assert sum(_column(segments, "deuda"), Decimal(0)) == summary.cartera_total
    assert sum(_column(segments, "usuarios")) == summary.cuentas_con_saldo


def _workbooks() -> dict[str, bytes]:
    """A small guía as .xlsx, .xls (Excel 97-2003) and .ods, as bytes."""
    import xlwt

    rows = [["MATRICULA", "ESTRATO", "COMUNA"], ["1", "01", "1"], ["2", 2, 3]]
    xlsx = io.BytesIO()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(xlsx)
    xls = io.BytesIO()
    old = xlwt.Workbook()
    sheet = old.add_sheet("G")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    old.save(xls)
    return {"xlsx": xlsx.getvalue(), "xls": xls.getvalue()}


WORKBOOKS = _workbooks()


@settings(FUZZ, max_examples=150)
@given(
    kind=st.sampled_from(sorted(WORKBOOKS)),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                             st.integers(0, 255)), min_size=1, max_size=12),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_a_damaged_workbook_is_a_read_error_never_a_crash(
    tmp_path, kind, flips, cut
):
    data = bytearray(WORKBOOKS[kind])
    for where, byte in flips:
        data[int(where * len(data))] = byte
    if cut is not None:
        data = data[: int(cut * len(data))]
    path = tmp_path / f"guia.{kind}"
    path.write_bytes(bytes(data))

    try:
        load_file(path, "usuarios")
    except CaracterizacionError as error:
        assert error.mensaje()
