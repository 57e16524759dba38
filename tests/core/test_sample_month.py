"""The bundled sample month, through the command line, gives the reference figures.

The reference is the office's July 2025 report (tests/data/referencia.json,
copied from the report with its errata applied): counts must match exactly,
amounts within one peso, table percentages within 0,1 and adding to 100,0.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.cli import main
from core.resources import sample_month

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "data" / "referencia.json").read_text("utf-8")
)
ONE_PESO = Decimal(1)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("informe")
    files = sample_month()
    paths = {kind: folder / f"salida.{kind}" for kind in ("json", "xlsx", "pdf")}
    status = main([
        "informe",
        "--usuarios", str(files["usuarios"]),
        "--cartera", str(files["cartera"]),
        "--encuesta", str(files["encuesta"]),
        "--json", str(paths["json"]),
        "--excel", str(paths["xlsx"]),
        "--pdf", str(paths["pdf"]),
    ])
    assert status == 0
    return paths


@pytest.fixture(scope="module")
def data(outputs):
    return json.loads(outputs["json"].read_text("utf-8"))


def _by_code(data, table_id):
    table = data["tablas"][table_id]
    return {row[0]: dict(zip(table["columnas"], row)) for row in table["filas"]}


def _close(amount, expected):
    return abs(Decimal(str(amount)) - Decimal(expected)) < ONE_PESO


def test_period_and_summary(data):
    ref = REFERENCE["resumen_morosidad"]
    s = data["resumen"]
    assert data["periodo"] == REFERENCE["periodo"]
    assert s["usuarios_activos"] == REFERENCE["usuarios_por_uso"]["total"]
    assert s["usuarios_morosos"] == ref["usuarios_morosos"]
    assert s["porcentaje_morosos"] == ref["porcentaje_morosos"]
    assert _close(s["cartera_morosa"], ref["cartera_morosa"])
    assert Decimal(str(s["deuda_promedio"])) == Decimal(ref["deuda_promedio"])


@pytest.mark.parametrize("table_id", ["usuarios_por_uso", "usuarios_por_estrato"])
def test_users_by_code(data, table_id):
    expected = {k: v for k, v in REFERENCE[table_id].items() if k != "total"}
    rows = _by_code(data, table_id)
    assert {code: row["usuarios"] for code, row in rows.items()} == expected
    assert data["tablas"][table_id]["total"][-2] == REFERENCE[table_id]["total"]


@pytest.mark.parametrize(
    ("table_id", "reference_key"),
    [
        ("morosos_por_estrato", "morosos_por_estrato"),
        ("morosos_por_uso", "morosos_por_uso"),
        ("morosos_por_comuna", "morosos_por_comuna"),
        ("cartera_por_edades", "cartera_por_edades_meses"),
    ],
)
def test_morosos_and_debt(data, table_id, reference_key):
    rows = _by_code(data, table_id)
    expected = REFERENCE[reference_key]
    assert set(rows) == set(expected)
    for code, (count, amount) in expected.items():
        assert rows[code]["usuarios"] == count, code
        assert _close(rows[code]["deuda"], amount), code


def test_segment_0_30(data):
    count, amount = REFERENCE["segmento_0_30"]
    row = _by_code(data, "segmentos_por_atraso")["0-30"]
    assert row["usuarios"] == count
    assert _close(row["deuda"], amount)


def test_survey_indicators(data):
    table = data["tablas"]["encuesta"]
    shares = [row[2] for row in table["filas"]]
    expected = list(REFERENCE["encuesta"].values())
    assert shares == pytest.approx(expected, abs=0.1)


def test_every_table_share_column_adds_to_100(data):
    for table_id, table in data["tablas"].items():
        for column in ("porcentaje", "porcentaje_deuda"):
            if column not in table["columnas"] or table["total"] is None:
                continue
            index = table["columnas"].index(column)
            total = sum(Decimal(str(row[index])) for row in table["filas"])
            assert total == Decimal("100.0"), table_id


def test_reconciliation_holds(data):
    failed = [c["descripcion"] for c in data["conciliacion"] if not c["cuadra"]]
    assert failed == []


def test_quality_report_names_the_known_mess(data):
    codes = {item["codigo"]: item for item in data["calidad"]}
    assert codes["duplicados_guia"]["cantidad"] == 3
    assert codes["cartera_sin_guia"]["cantidad"] >= 1
    assert codes["saldo_a_favor"]["cantidad"] > 0
    totals = [i["mensaje"] for i in data["calidad"] if i["codigo"] == "total_archivo"]
    amount = [m for m in totals if "TOTAL GENERAL" in m]
    assert len(amount) == 1 and "no cuadra" not in amount[0]
    # The guía's TOTAL REGISTROS counts accounts, not its three repeated rows.
    count = [m for m in totals if "67.325" in m and "TOTAL REGISTROS" in m.upper()]
    assert len(count) == 1
    assert "no cuadra con las filas leídas (67.328)" in count[0]
    assert "cuadra con las cuentas distintas (67.325)" in count[0]


def test_excel_has_real_numbers(outputs, data):
    book = load_workbook(outputs["xlsx"], read_only=True)
    assert "Resumen" in book.sheetnames
    assert "Calidad de datos" in book.sheetnames
    sheet = book["morosos_por_estrato"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    first = rows[3]
    assert header[:3] == ("Código", "Descripción", "Usuarios")
    assert first[0] == "01"
    assert first[2] == 7347
    assert isinstance(first[3], float)
    assert _close(first[3], "13393549503.29")


def test_pdf_holds_the_headline_figures(outputs):
    text = " ".join(page.extract_text() for page in PdfReader(outputs["pdf"]).pages)
    text = " ".join(text.split())
    for figure in ("67.325", "9.986", "$ 14.912.156.524", "14,8 %", "julio de 2025"):
        assert figure in text, figure
    assert "$ 1.495.700" not in text  # the report's errata
