"""Lists as Excel and CSV: real numbers, neutral formulas, what Excel es-CO reads."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.debtor_lists import brigade_list, segment_list
from core.list_export import barrio_subtotals, write_list_csv, write_list_excel
from core.pipeline import compute_month
from tests.core import frames
from tests.core.test_debtor_lists import hand_month

D = Decimal


@pytest.fixture(scope="module")
def month():
    return hand_month()


@pytest.fixture(scope="module")
def formula_month():
    """Two morosos whose texts a spreadsheet would run as formulas."""
    guia = frames.guia([
        {"cuenta": "1", "cuenta_texto": "0001", "estrato": "01", "comuna": "2",
         "barrio": "@Centro", "nombre": "=HYPERLINK(\"http://x\") MAL",
         "direccion": "-CL 1", "telefono": "+573001234567", "correo": "a@b.co"},
        {"cuenta": "2", "cuenta_texto": "0002", "estrato": "01", "comuna": "2",
         "barrio": "@Centro", "nombre": "PEÑA ÑUSTES", "direccion": "+CR 2",
         "telefono": "3001234567"},
    ])
    cartera = frames.cartera([
        {"cuenta": "1", "deuda": 1234.56, "dias": 40},
        {"cuenta": "2", "deuda": 1000.5, "dias": 50},
    ])
    return compute_month(guia, cartera, periodo="2025-07")


def _sheet_rows(path, sheet="Lista"):
    book = load_workbook(path)
    return book[sheet]


def _table(sheet):
    """Return the header and the data rows (cells) of a list sheet."""
    rows = list(sheet.iter_rows())
    start = next(
        i for i, r in enumerate(rows) if r[0].value in ("Matrícula", "Puesto")
    )
    header = [c.value for c in rows[start]]
    body = []
    for row in rows[start + 1:]:
        if row[0].value is None:
            break
        body.append({title: cell for title, cell in zip(header, row, strict=True)})
    return header, body


def test_excel_amounts_are_numbers_with_the_whole_peso_format(month, tmp_path):
    path = tmp_path / "brigada.xlsx"
    write_list_excel(brigade_list(month, "7"), path)
    _, body = _table(_sheet_rows(path))

    debts = {row["Matrícula"].value: row["Deuda"] for row in body}
    assert debts["0000101"].value == pytest.approx(100000.50)
    assert debts["0000102"].value == pytest.approx(250000.25)
    assert all(cell.number_format == '"$" #,##0' for cell in debts.values())
    days = [row["Días de mora"] for row in body]
    assert [c.value for c in days] == [100, 45, 35, 1900, 200, 400]
    assert days[0].number_format == "#,##0"


def test_excel_keeps_codes_as_text_and_a_total_row(month, tmp_path):
    path = tmp_path / "brigada.xlsx"
    write_list_excel(brigade_list(month, "7"), path)
    sheet = _sheet_rows(path)
    _, body = _table(sheet)
    assert [r["Matrícula"].value for r in body][:2] == ["0000102", "0000101"]
    assert body[0]["Estrato"].value == "02"

    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[0] == "Total: 6 cuentas"
    assert D(str(last[13])) == D("1710000.75")
    # title, period, id, figures, personal-data note, blank; header on row 7
    assert sheet.freeze_panes == "A8"
    assert sheet.auto_filter.ref == "A7:R13"


def test_excel_subtotals_by_barrio(month, tmp_path):
    path = tmp_path / "brigada.xlsx"
    write_list_excel(brigade_list(month, "7"), path)
    rows = list(_sheet_rows(path, "Por barrio").iter_rows(values_only=True))
    assert rows[0] == ("Comuna", "Barrio", "Cuentas", "Deuda")
    assert [r[:3] for r in rows[1:4]] == [
        ("7", "La Tora", 3), ("7", "Ñapanga", 2), ("7", "SIN BARRIO", 1),
    ]
    assert [D(str(r[3])) for r in rows[1:4]] == [
        D("360000.75"), D("1050000"), D("300000"),
    ]


def test_barrio_subtotals_add_up_to_the_list(month):
    lista = brigade_list(month, "7")
    subtotals = barrio_subtotals(lista)
    assert subtotals["cuentas"].sum() == 6
    assert subtotals["deuda"].sum() == 171000075


def test_excel_neutralizes_formula_text(formula_month, tmp_path):
    path = tmp_path / "normalizacion.xlsx"
    write_list_excel(segment_list(formula_month, "31-60", completo=True), path)
    _, body = _table(_sheet_rows(path))
    texts = {c.value for row in body for c in row.values() if isinstance(c.value, str)}
    assert "'=HYPERLINK(\"http://x\") MAL" in texts
    assert {"'-CL 1", "'+CR 2", "'@Centro", "'+573001234567", "PEÑA ÑUSTES"} <= texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert all(c.data_type != "f" for row in body for c in row.values())


def test_legal_excel_has_rank_cumulative_share_and_flags(month, tmp_path):
    path = tmp_path / "juridica.xlsx"
    write_list_excel(segment_list(month, "121+"), path)
    header, body = _table(_sheet_rows(path))
    assert header[0] == "Puesto"
    shares = [row["% acumulado"] for row in body]
    # 1.000.000, 1.300.000 and 1.350.000 of 1.350.000
    assert [c.value for c in shares] == pytest.approx([1 / 1.35, 1.3 / 1.35, 1.0])
    assert shares[0].number_format == "0.0%"
    assert [r["Riesgo de prescripción"].value for r in body] == ["Sí", "No", "No"]
    assert [r["Oficial"].value for r in body] == ["No", "Sí", "No"]


def _csv_rows(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the ñ
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(text.splitlines(), delimiter=";"))


def test_csv_for_excel_in_colombia(formula_month, tmp_path):
    path = tmp_path / "normalizacion.csv"
    write_list_csv(segment_list(formula_month, "31-60", completo=True), path)
    rows = _csv_rows(path)
    header = rows[0]
    assert header[:4] == ["Matrícula", "Nombre", "Teléfono", "Correo"]
    by_account = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_account["0001"]["Deuda"] == "1234,56"  # decimal comma, no dots
    assert by_account["0002"]["Deuda"] == "1000,50"
    assert by_account["0001"]["Días de mora"] == "40"
    assert by_account["0001"]["Nombre"] == "'=HYPERLINK(\"http://x\") MAL"
    assert by_account["0001"]["Teléfono"] == "'+573001234567"
    assert by_account["0002"]["Nombre"] == "PEÑA ÑUSTES"
    assert by_account["0002"]["Correo"] == ""


def test_prevention_csv_has_phone_and_masked_names(month, tmp_path):
    path = tmp_path / "prevencion.csv"
    write_list_csv(segment_list(month, "0-30"), path)
    rows = _csv_rows(path)
    assert rows[1][:3] == ["0000107", "NIÑO A***", "6071234567"]
    assert rows[1][rows[0].index("Deuda")] == "20000,00"
