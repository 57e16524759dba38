"""The sample month laid out differently still gives the same figures.

The guía is rewritten with other header names, more title rows, codes stored
as numbers and a hidden first sheet holding a decoy table; the cartera as a
CSV with `;` in Windows-1252 that has días but no months, with amounts as
Colombian text. Every figure must equal the one from the original files.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from core.export_json import result_to_dict
from core.formatting import round_half_up
from core.pipeline import MonthSources, process_month
from core.resources import sample_month

GUIA_HEADERS = {
    "MATRICULA": "No. Cuenta",
    "ESTRATO": "Estrato socioeconómico",
    "COMUNA": "Comuna o corregimiento",
    "USO": "Clase de uso",
    "NOMBRE DEL SUSCRIPTOR": "Nombre completo",
    "ESTADO": "Estado del servicio",
}
# Fewer columns than the real guía keep the test quick; all that the figures use.
GUIA_KEPT = ("MATRICULA", "NOMBRE DEL SUSCRIPTOR", "TIPO ID", "BARRIO", "COMUNA",
             "USO", "ESTRATO", "ESTADO")
CARTERA_COLUMNS = {
    "MATRICULA": "Código suscriptor",
    "NOMBRE": "Nombre",
    "COMUNA": "Comuna",
    "ESTRATO": "Estrato",
    "USO": "Uso",
    "DIAS MORA": "Días de mora",
    "SALDO TOTAL": "Valor total",
}


def _rows(path, sheet_index=0):
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(sheet_index).to_python()


def _split(rows, first_header):
    """Return the header row and the record rows (no titles, repeats, totals)."""
    start = next(i for i, r in enumerate(rows) if str(r[0]).strip() == first_header)
    header = [str(c).strip() for c in rows[start]]
    records = []
    for row in rows[start + 1:]:
        first = str(row[0]).strip().upper()
        if not first or first == first_header or "TOTAL" in first:
            continue
        records.append(row)
    return header, records


def _as_number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    digits = re.sub(r"\D", "", str(value))
    return int(digits) if digits else value


def _colombian(value) -> str:
    if isinstance(value, str):
        return value
    amount = round_half_up(Decimal(repr(value)), 2)
    whole, cents = f"{abs(amount):,.2f}".split(".")
    text = whole.replace(",", ".") + ("," + cents if cents != "00" else "")
    return ("-" if amount < 0 else "") + "$ " + text


def _write_guia(source, target):
    header, records = _split(_rows(source), "MATRICULA")
    keep = [header.index(h) for h in GUIA_KEPT]
    header = list(GUIA_KEPT)
    records = [[row[i] for i in keep] for row in records]
    coded = {header.index(h) for h in ("MATRICULA", "ESTRATO", "COMUNA", "USO")}

    book = Workbook(write_only=True)
    decoy = book.create_sheet("Instrucciones")
    decoy.sheet_state = "hidden"
    decoy.append(header)
    decoy.append(["1", "X", "CC", "B", "1", "01", "01", "ACTIVO"])

    sheet = book.create_sheet("Usuarios")
    for line in ("EMPRESA", "GUIA", "REPORTE", "PERIODO 202507", "", "GENERADO", ""):
        sheet.append([line])
    sheet.append([GUIA_HEADERS.get(h, h) for h in header])
    for row in records:
        sheet.append([
            _as_number(v) if i in coded else v for i, v in enumerate(row)
        ])
    book.save(target)


def _write_cartera(source, target):
    rows = _rows(source)
    header, records = _split(rows, "MATRICULA")
    indexes = [header.index(h) for h in CARTERA_COLUMNS]
    amount = header.index("SALDO TOTAL")
    total = next(r for r in rows if str(r[0]).strip().upper() == "TOTAL GENERAL")

    with open(target, "w", encoding="cp1252", errors="replace", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["CONCILIACION DE CARTERA", "CORTE: 31/07/2025"])
        writer.writerow(list(CARTERA_COLUMNS.values()))
        for row in records:
            values = [row[i] for i in indexes]
            values[-1] = _colombian(row[amount])
            values[-2] = _as_number(values[-2])
            writer.writerow(values)
        blanks = [""] * (len(CARTERA_COLUMNS) - 1)
        writer.writerow(["TOTAL GENERAL", *blanks[1:], _colombian(total[amount])])


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("otros")
    files = sample_month()
    guia, cartera = folder / "usuarios.xlsx", folder / "cartera_julio.csv"
    _write_guia(files["usuarios"], guia)
    _write_cartera(files["cartera"], cartera)
    original = process_month(MonthSources(files["usuarios"], files["cartera"]))
    variant = process_month(MonthSources(guia, cartera))
    return result_to_dict(original), result_to_dict(variant), variant


def test_summary_is_the_same(both):
    original, variant, _ = both
    assert variant["periodo"] == "2025-07"
    assert variant["resumen"] == original["resumen"]


@pytest.mark.parametrize(
    "table_id",
    ["usuarios_por_uso", "usuarios_por_estrato", "usuarios_por_comuna",
     "morosos_por_estrato", "morosos_por_uso", "morosos_por_comuna",
     "cartera_por_edades", "segmentos_por_atraso"],
)
def test_tables_are_the_same(both, table_id):
    original, variant, _ = both
    assert variant["tablas"][table_id] == original["tablas"][table_id]


def test_the_hidden_sheet_was_not_read(both):
    _, _, variant = both
    assert variant.fuentes[0].sheet == "Usuarios"


def test_the_csv_total_still_cuadra(both):
    _, variant, _ = both
    assert all(check["cuadra"] for check in variant["conciliacion"])
