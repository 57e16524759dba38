"""Tests of the loader: one crafted file per kind of mess of the real exports.

Every file is written into tmp_path by the fixtures below; the expected
values are worked out by hand from the rows written.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import pytest

from core.errors import (
    AmbiguousColumnError,
    CancelledError,
    MissingFieldError,
    ReadError,
    WrongRoleError,
)
from core.loading import XlsxPeek, detect_role, load_file
from core.normalize import clean_text
from core.model import CARTERA_FIELDS, ENCUESTA_FIELDS, GUIA_FIELDS

TITLES = [
    ["AGUAS DE BARRANCABERMEJA S.A. E.S.P."],
    ["GUIA DE USUARIOS ACTIVOS"],
    ["PERIODO FACTURACION: 202507   FECHA CORTE: 31/07/2025"],
    ["Generado: 04/08/2025 07:45:12  Usuario: SCOMERCIAL01"],
    [],
]
GUIA_HEADER = [
    "MATRICULA", "NOMBRE DEL SUSCRIPTOR", "TIPO ID", "IDENTIFICACION",
    "BARRIO", "COMUNA", "USO", "ESTRATO", "ESTADO", "CONS. PROM. (M3)",
]
GUIA_ROWS = [
    ["0012345", "MUÃ‘OZ  PEREZ ANA", "CC", "99.123.456", "PRIMERO DE MAYO",
     "COMUNA 5", "01", "1", "ACTIVO", 18],
    [12346, "INVERSIONES EL PUERTO S.A.S.", "NIT", "900123456-7", "Colombia",
     "01", "3", "10", "suspendido", 40.5],
    ["0012347", "GÓMEZ & CÍA <LTDA>", "CC", "123", "La Tora", 3, 1, 2.0,
     "ACTIVO", None],
]


def write_xlsx(
    path: Path,
    sheets: dict[str, list[list]],
    hidden: tuple[str, ...] = (),
    merges: dict[str, list[str]] | None = None,
) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def hide_every_sheet(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    workbook = parts["xl/workbook.xml"].decode()
    workbook = workbook.replace('state="visible"', "")
    workbook = re.sub(r"<sheet (?![^>]*state=)", '<sheet state="hidden" ', workbook)
    parts["xl/workbook.xml"] = workbook.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def set_dimension(path: Path, ref: str) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def write_csv(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


@pytest.fixture
def guia_xlsx(tmp_path: Path) -> Path:
    rows = TITLES + [GUIA_HEADER] + GUIA_ROWS + [[], [], ["TOTAL REGISTROS:", "3"]]
    return write_xlsx(tmp_path / "guia.xlsx", {"GUIA": rows})


# The cartera of the real exports: four title rows, a two-row header whose
# upper row holds merged group titles (and the names merged down both rows),
# subtotals per estrato, repeated headers, blank rows and a final total.
CARTERA_UPPER = [
    "MATRICULA", "NOMBRE", "ESTRATO", "DIAS MORA", "SALDO ANTERIOR",
    "EDADES DE CARTERA (DIAS)", None, None, "CONCEPTOS", None, "SALDO TOTAL",
]
CARTERA_LOWER = [
    None, None, None, None, None,
    "0 - 30", "31 - 60", "MAS DE 60", "CAPITAL ACUEDUCTO", "INTERESES MORA", None,
]
CARTERA_MERGES = [
    "A6:A7", "B6:B7", "C6:C7", "D6:D7", "E6:E7", "F6:H6", "I6:J6", "K6:K7",
]


def cartera_rows() -> list[list]:
    return [
        ["AGUAS DE BARRANCABERMEJA S.A. E.S.P."],
        ["CONCILIACION DE CARTERA SIN FINANCIAR"],
        ["CORTE: 31/07/2025"],
        ["VALORES EN PESOS"],
        [],
        CARTERA_UPPER,
        CARTERA_LOWER,
        # row 8
        ["0012345", "ANA", "01", 45, 100000, 0, 150000, 0, 140000, 10000, 150000],
        # row 9: amounts as Colombian text
        ["0012346", "LUIS", "01", 10, 0, "1.234,50", "$ -", 0, "1.234,50", 0,
         "$ 1.234,50"],
        # row 10
        ["SUBTOTAL ESTRATO 01", None, None, None, 100000, "1.234,50", 150000,
         0, "141.234,50", 10000, "151.234,50"],
        # rows 11-12: the header again, both rows
        CARTERA_UPPER,
        CARTERA_LOWER,
        # row 13: blank
        [],
        # row 14
        [12350, "PEDRO", "02", 400, 0, 0, 0, 250000.75, 200000, 50000.75,
         250000.75],
        # row 15: a saldo a favor
        ["0012351", "ROSA", 2, 0, 0, 0, 0, 0, "(500)", 0, "(500)"],
        # row 16
        ["TOTAL GENERAL", None, None, None, 100000, "1.234,50", 150000,
         250000.75, "340.734,50", 60000.75, "400.735,25"],
    ]


@pytest.fixture
def cartera_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "cartera.xlsx",
        {"CARTERA": cartera_rows()},
        merges={"CARTERA": CARTERA_MERGES},
    )


ENCUESTA_HEADER = [
    "Marca temporal", "N° encuesta", "Canal de aplicación", "Matrícula (opcional)",
    "Comuna", "Estrato", "Tipo de usuario",
    "1. En general, ¿qué tan satisfecho(a) está con los servicios?",
    "2. ¿Cómo califica la cordialidad del personal?",
    "P3 Tiempo de espera",
    "¿Recibe su factura a tiempo?",
    "Observaciones",
]


@pytest.fixture
def encuesta_xlsx(tmp_path: Path) -> Path:
    rows = [
        ENCUESTA_HEADER,
        ["14/03/2025 9:41:07", 1, "Presencial oficina", None, "Comuna 1", "1",
         "Residencial", "Muy satisfecho", "Excelente", 4, "Sí", "bien"],
        [],
        ["14/03/2025 9:50:00", 2, "Telefónica", None, "Corregimiento", "No sabe",
         "Comercial", "satisfecho ", None, "3", "No", None],
    ]
    return write_xlsx(
        tmp_path / "encuesta.xlsx", {"Respuestas de formulario 1": rows}
    )


def texts(row: list) -> list[str]:
    """A row as the header search sees it: text, without trailing blanks."""
    cells = [clean_text(c) or "" for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def records(loaded, column: str) -> list:
    return loaded.frame[column].tolist()


# --- layout of the sheet --------------------------------------------------


def test_title_rows_above_the_header_are_skipped(guia_xlsx):
    loaded = load_file(guia_xlsx, "usuarios")

    assert loaded.sheet == "GUIA"
    assert loaded.header_row == 6
    assert loaded.rows_read == 3
    assert records(loaded, "fila") == [7, 8, 9]
    assert records(loaded, "cuenta") == ["12345", "12346", "12347"]


def test_title_rows_give_periodo_and_fecha_de_corte(guia_xlsx, cartera_xlsx):
    guia = load_file(guia_xlsx, "usuarios")
    cartera = load_file(cartera_xlsx, "cartera")

    assert guia.periodo == "2025-07"
    assert guia.fecha_corte == dt.date(2025, 7, 31)
    assert cartera.periodo is None
    assert cartera.fecha_corte == dt.date(2025, 7, 31)


def test_two_row_header_with_merged_group_titles(cartera_xlsx):
    loaded = load_file(cartera_xlsx, "cartera")

    assert loaded.header_row == 7
    assert loaded.mapping["cuenta"] == "MATRICULA"
    assert loaded.mapping["deuda"] == "SALDO TOTAL"
    assert loaded.mapping["dias"] == "DIAS MORA"
    assert loaded.mapping["edades"] == "0 - 30 | 31 - 60 | MAS DE 60"
    # 0 + 150.000 + 0; 1.234,50 + 0 + 0; 0 + 0 + 250.000,75; 0
    assert records(loaded, "edades_suma") == [15_000_000, 123_450, 25_000_075, 0]


def test_repeated_header_and_blank_rows_are_not_records(cartera_xlsx):
    loaded = load_file(cartera_xlsx, "cartera")

    assert records(loaded, "fila") == [8, 9, 14, 15]
    assert records(loaded, "cuenta") == ["12345", "12346", "12350", "12351"]


def test_blank_rows_between_blocks_are_dropped(tmp_path):
    rows = [GUIA_HEADER, GUIA_ROWS[0], [], [None] * 5, GUIA_ROWS[1], [], GUIA_ROWS[2]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    loaded = load_file(path, "usuarios")

    assert records(loaded, "fila") == [2, 5, 7]


def test_subtotal_and_total_rows_become_file_totals(cartera_xlsx):
    loaded = load_file(cartera_xlsx, "cartera")

    labels = [(t.etiqueta, t.fila, t.valor, t.general) for t in loaded.totals]
    assert labels == [
        ("SUBTOTAL ESTRATO 01", 10, 15_123_450, False),
        ("TOTAL GENERAL", 16, 40_073_525, True),
    ]
    # 150.000 + 1.234,50 + 250.000,75 - 500 = 400.735,25 (the file's total)
    assert loaded.frame["deuda"].sum() == 40_073_525


def test_total_row_with_a_count(guia_xlsx):
    loaded = load_file(guia_xlsx, "usuarios")

    [total] = loaded.totals
    assert (total.etiqueta, total.fila, total.cantidad) == ("TOTAL REGISTROS:", 12, 3)
    assert total.valor is None and total.general


def test_total_label_in_the_same_cell(tmp_path):
    rows = [GUIA_HEADER, GUIA_ROWS[0], ["TOTAL REGISTROS: 1"]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    [total] = load_file(path, "usuarios").totals

    assert total.cantidad == 1


def test_notes_and_rows_without_account(tmp_path):
    rows = [
        ["MATRICULA", "ESTRATO", "COMUNA"],
        ["0012345", "01", "1"],
        [None, "02", "3"],  # row 3: data but no account
        ["Fin del reporte"],
        ["Generado por: SCOMERCIAL01"],
    ]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    loaded = load_file(path, "usuarios")

    assert records(loaded, "cuenta") == ["12345"]
    [issue] = loaded.issues
    assert (issue.codigo, issue.cantidad) == ("fila_sin_cuenta", 1)
    assert issue.filas["fila"].tolist() == [3]


def test_text_accounts_with_repeated_headers_and_totals(tmp_path):
    header = ["CUENTA", "ESTRATO", "COMUNA"]
    rows = [header, ["AB-001", "1", "1"], header, ["ab-002", "2", "2"],
            ["TOTAL", None, None]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    loaded = load_file(path, "usuarios")

    assert records(loaded, "cuenta") == ["AB-001", "AB-002"]
    assert records(loaded, "cuenta_texto") == ["AB-001", "ab-002"]
    assert [t.etiqueta for t in loaded.totals] == ["TOTAL"]


def test_wrong_used_range_and_formatted_empty_rows(tmp_path):
    rows = [["MATRICULA", "ESTRATO", "COMUNA"], ["1", "1", "1"], ["2", "2", "2"]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})
    book = openpyxl.load_workbook(path)
    book["G"].cell(row=200_000, column=1).number_format = "0.00"  # empty
    book.save(path)
    set_dimension(path, "A1")  # producers that only declare A1

    loaded = load_file(path, "usuarios")

    assert records(loaded, "cuenta") == ["1", "2"]


def test_data_on_the_second_sheet_with_a_hidden_first_sheet(tmp_path):
    decoy = [GUIA_HEADER, ["0099999", "OCULTO", "CC", "1", "X", "1", "01", "01",
                           "ACTIVO", 1]]
    path = write_xlsx(
        tmp_path / "g.xlsx",
        {"Oculta": decoy, "Notas": [["Exportado del sistema comercial"]],
         "GUIA": [GUIA_HEADER] + GUIA_ROWS},
        hidden=("Oculta",),
    )

    loaded = load_file(path, "usuarios")

    assert loaded.sheet == "GUIA"
    assert "99999" not in records(loaded, "cuenta")


def test_hidden_sheet_is_read_when_named(tmp_path):
    decoy = [GUIA_HEADER, ["0099999", "OCULTO", "CC", "1", "X", "1", "01", "01",
                           "ACTIVO", 1]]
    path = write_xlsx(
        tmp_path / "g.xlsx",
        {"Oculta": decoy, "GUIA": [GUIA_HEADER] + GUIA_ROWS},
        hidden=("Oculta",),
    )

    loaded = load_file(path, "usuarios", sheet="Oculta")

    assert records(loaded, "cuenta") == ["99999"]


def test_only_hidden_sheets(tmp_path):
    path = write_xlsx(
        tmp_path / "g.xlsx",
        {"A": [GUIA_HEADER], "B": [GUIA_HEADER] + GUIA_ROWS},
        hidden=("B",),
    )
    hide_every_sheet(path)  # openpyxl refuses to write such a book

    with pytest.raises(ReadError) as error:
        load_file(path, "usuarios")

    assert error.value.reason == "solo_ocultas"


def test_missing_sheet_name(guia_xlsx):
    with pytest.raises(ReadError) as error:
        load_file(guia_xlsx, "usuarios", sheet="No existe")

    assert error.value.reason == "sin_hoja"


# --- headers and values -----------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["Matrícula", "Estrato", "Comuna"],
        ["No.\u00a0Cuenta", "ESTRATO.", "comuna "],
        ["N° CUENTA", "Estrato", "COMUNA"],
        ["Código Suscriptor", "Cód. Estrato", "Cód. Comuna"],
        ["NUID", "estrato", "Comuna"],
    ],
)
def test_header_aliases_ignore_case_accents_dots_and_nbsp(tmp_path, header):
    path = write_xlsx(tmp_path / "g.xlsx", {"G": [header, ["0012345", "1", "2"]]})

    loaded = load_file(path, "usuarios")

    assert records(loaded, "cuenta") == ["12345"]
    assert records(loaded, "estrato") == ["01"]
    assert records(loaded, "comuna") == ["2"]


def test_codes_with_and_without_zeros(guia_xlsx):
    loaded = load_file(guia_xlsx, "usuarios")

    assert records(loaded, "estrato") == ["01", "10", "02"]
    assert records(loaded, "uso") == ["01", "03", "01"]
    assert records(loaded, "comuna") == ["5", "1", "3"]


def test_comuna_outside_the_urban_comunas_keeps_its_name(tmp_path):
    rows = [["MATRICULA", "ESTRATO", "COMUNA"], ["1", "1", "Corregimiento El Llanito"],
            ["2", "1", "Comuna 01"]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    loaded = load_file(path, "usuarios")

    assert records(loaded, "comuna") == ["CORREGIMIENTO EL LLANITO", "1"]


def test_account_keys_from_numbers_and_zero_padded_text(tmp_path):
    rows = [["MATRICULA", "ESTRATO", "COMUNA"], [123.0, 1, 1], ["0000123", 1, 1],
            ["0000009", 1, 1], [" 00 45 ", 1, 1]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    loaded = load_file(path, "usuarios")

    assert records(loaded, "cuenta") == ["123", "123", "9", "45"]
    assert records(loaded, "cuenta_texto") == ["123", "0000123", "0000009", "00 45"]


def test_names_with_mojibake_are_repaired(guia_xlsx):
    loaded = load_file(guia_xlsx, "usuarios")

    assert records(loaded, "nombre") == [
        "MUÑOZ PEREZ ANA", "INVERSIONES EL PUERTO S.A.S.", "GÓMEZ & CÍA <LTDA>",
    ]


def test_frame_has_exactly_the_role_fields_and_types(guia_xlsx, cartera_xlsx):
    guia = load_file(guia_xlsx, "usuarios").frame
    cartera = load_file(cartera_xlsx, "cartera").frame

    assert list(guia.columns) == [*GUIA_FIELDS, "fila"]
    assert list(cartera.columns) == [*CARTERA_FIELDS, "fila"]
    assert guia["consumo"].tolist()[:2] == [18.0, 40.5]
    assert pd.isna(guia["consumo"].iloc[2])
    assert guia["estado"].tolist() == ["ACTIVO", "SUSPENDIDO", "ACTIVO"]
    assert guia["tipo_persona"].isna().all()
    assert guia["zona"].isna().all()
    for name in ("deuda", "edades_suma", "dias", "meses", "facturas"):
        assert cartera[name].dtype == "Int64"
    assert cartera["meses"].isna().all()


def test_tipo_persona_only_from_its_column(tmp_path):
    rows = [["MATRICULA", "ESTRATO", "COMUNA", "TIPO DE PERSONA"],
            ["1", 1, 1, "Natural"], ["2", 3, 1, "JURÍDICA"], ["3", 3, 1, None]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    loaded = load_file(path, "usuarios")

    assert records(loaded, "tipo_persona") == ["NATURAL", "JURIDICA", pd.NA]


# --- the debt column ------------------------------------------------------


CARTERA_FLAT = ["MATRICULA", "DIAS DE MORA", "CAPITAL", "INTERESES", "OTROS CONCEPTOS"]


def test_total_column_beats_components(tmp_path):
    rows = [CARTERA_FLAT + ["SALDO TOTAL"], ["1", 40, 100, 20, 5, 500]]
    path = write_xlsx(tmp_path / "c.xlsx", {"C": rows})

    loaded = load_file(path, "cartera")

    assert records(loaded, "deuda") == [50_000]


def test_components_are_summed_when_there_is_no_total(tmp_path):
    rows = [CARTERA_FLAT, ["1", 40, 100, 20, "5,50"], ["2", 0, None, None, None]]
    path = write_xlsx(tmp_path / "c.xlsx", {"C": rows})

    loaded = load_file(path, "cartera")

    assert records(loaded, "deuda") == [12_550, pd.NA]
    assert loaded.mapping["componentes"] == "CAPITAL | INTERESES | OTROS CONCEPTOS"


def test_movement_columns_are_never_the_debt(tmp_path):
    header = ["MATRICULA", "DIAS MORA", "SALDO ANTERIOR", "FACTURACION MES",
              "RECAUDO MES", "NOTAS/AJUSTES", "CAPITAL"]
    path = write_xlsx(tmp_path / "c.xlsx", {"C": [header, ["1", 40, 9, 8, 7, 6, 300]]})

    loaded = load_file(path, "cartera")

    assert records(loaded, "deuda") == [30_000]
    assert loaded.mapping["ignorar"] == (
        "SALDO ANTERIOR | FACTURACION MES | RECAUDO MES | NOTAS/AJUSTES"
    )


def test_movements_alone_are_not_a_debt_column(tmp_path):
    header = ["MATRICULA", "DIAS MORA", "SALDO ANTERIOR", "RECAUDO DEL MES"]
    path = write_xlsx(tmp_path / "c.xlsx", {"C": [header, ["1", 40, 9, 8]]})

    with pytest.raises(MissingFieldError) as error:
        load_file(path, "cartera")

    assert error.value.missing == ["deuda"]


def test_debt_aliases_follow_their_precedence(tmp_path):
    header = ["MATRICULA", "DIAS MORA", "SALDO", "VALOR DEUDA", "SALDO TOTAL"]
    path = write_xlsx(tmp_path / "c.xlsx", {"C": [header, ["1", 40, 1, 2, 3]]})

    loaded = load_file(path, "cartera")

    assert loaded.mapping["deuda"] == "SALDO TOTAL"
    assert records(loaded, "deuda") == [300]


def test_unreadable_amount_is_reported_with_its_row(tmp_path):
    header = ["MATRICULA", "DIAS MORA", "SALDO TOTAL"]
    rows = [["CARTERA"], [], header, ["1", 40, "1.000"], ["2", "x", "abc"],
            ["3", 10, "12,34,56"], ["4", 5, None]]
    path = write_xlsx(tmp_path / "c.xlsx", {"C": rows})

    loaded = load_file(path, "cartera")

    assert records(loaded, "deuda") == [100_000, pd.NA, pd.NA, pd.NA]
    assert records(loaded, "dias") == [40, pd.NA, 10, 5]
    [issue] = loaded.issues
    assert issue.codigo == "valor_ilegible"
    assert issue.cantidad == 3
    assert issue.filas.to_dict("records") == [
        {"archivo": "c.xlsx", "hoja": "C", "fila": 5, "columna": "DIAS MORA",
         "valor": "x"},
        {"archivo": "c.xlsx", "hoja": "C", "fila": 5, "columna": "SALDO TOTAL",
         "valor": "abc"},
        {"archivo": "c.xlsx", "hoja": "C", "fila": 6, "columna": "SALDO TOTAL",
         "valor": "12,34,56"},
    ]


def test_colombian_money_texts_in_a_cartera(tmp_path):
    texts = ["1.234.567,89", "$ 1.234.567", "1.500", "1'234.567", "(1.234)",
             "-1.234", "$ -", 2500.5]
    rows = [["MATRICULA", "EDAD EN MESES", "DEUDA TOTAL"]]
    rows += [[str(i), 1, text] for i, text in enumerate(texts, start=1)]
    path = write_xlsx(tmp_path / "c.xlsx", {"C": rows})

    loaded = load_file(path, "cartera")

    assert records(loaded, "deuda") == [
        123_456_789, 123_456_700, 150_000, 123_456_700, -123_400, -123_400,
        0, 250_050,
    ]
    assert records(loaded, "meses") == [1] * 8


# --- formats ----------------------------------------------------------------


def test_csv_with_semicolons_in_windows_1252(tmp_path):
    lines = [
        "CONCILIACION DE CARTERA;;;",
        "CORTE: 31/07/2025;;;",
        "MATRÍCULA;NOMBRE;DÍAS DE MORA;SALDO TOTAL",
        "0012345;NUÑEZ PEÑA;45;1.234.567,89",
        ";;;",
        "0012346;GÓMEZ;0;$ -",
    ]
    path = write_csv(tmp_path / "cartera.csv", lines, "cp1252")

    loaded = load_file(path, "cartera")

    assert loaded.sheet == ""
    assert loaded.header_row == 3
    assert records(loaded, "fila") == [4, 6]
    assert records(loaded, "nombre") == ["NUÑEZ PEÑA", "GÓMEZ"]
    assert records(loaded, "deuda") == [123_456_789, 0]
    assert records(loaded, "cuenta_texto") == ["0012345", "0012346"]
    assert loaded.fecha_corte == dt.date(2025, 7, 31)


def test_csv_with_commas_in_utf8_with_bom(tmp_path):
    lines = [
        "Matrícula,Nombre,Estrato,Comuna",
        '0012345,"MUÑOZ, ANA",01,Comuna 3',
        "12346,LÓPEZ,2,4",
    ]
    path = write_csv(tmp_path / "guia.csv", lines, "utf-8-sig")

    loaded = load_file(path, "usuarios")

    assert records(loaded, "nombre") == ["MUÑOZ, ANA", "LÓPEZ"]
    assert records(loaded, "estrato") == ["01", "02"]
    assert records(loaded, "comuna") == ["3", "4"]
    assert records(loaded, "cuenta") == ["12345", "12346"]


def test_real_xls_file(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("GUIA")
    rows = [["GUIA DE USUARIOS"], [], ["MATRICULA", "ESTRATO", "COMUNA"],
            ["0012345", "01", "COMUNA 1"], [678, 2, 3]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "guia.xls"
    book.save(str(path))

    loaded = load_file(path, "usuarios")

    assert loaded.header_row == 3
    assert records(loaded, "cuenta") == ["12345", "678"]
    assert records(loaded, "cuenta_texto") == ["0012345", "678"]
    assert records(loaded, "estrato") == ["01", "02"]
    assert records(loaded, "fila") == [4, 5]


def write_ods(path: Path, name: str, rows: list[list]) -> Path:
    """Write a minimal OpenDocument spreadsheet (no odfpy needed)."""

    def cell(value) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" '
                    f'office:value="{value}"><text:p>{value}</text:p>'
                    "</table:table-cell>")
        return ('<table:table-cell office:value-type="string"><text:p>'
                f"{escape(value)}</text:p></table:table-cell>")

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{name}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        mimetype = "application/vnd.oasis.opendocument.spreadsheet"
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def test_ods_file(tmp_path):
    rows = [["MATRICULA", "ESTRATO", "COMUNA"], ["0012345", "01", "COMUNA 1"],
            [678, 2, 3]]
    path = write_ods(tmp_path / "guia.ods", "GUIA", rows)

    loaded = load_file(path, "usuarios")

    assert records(loaded, "cuenta") == ["12345", "678"]
    assert records(loaded, "comuna") == ["1", "3"]


def test_format_is_detected_by_content_not_extension(tmp_path, guia_xlsx):
    renamed = tmp_path / "guia.csv"
    renamed.write_bytes(guia_xlsx.read_bytes())
    csv_named_xls = write_csv(
        tmp_path / "guia2.xls", ["MATRICULA;ESTRATO;COMUNA", "1;1;1"], "utf-8"
    )

    assert load_file(renamed, "usuarios").rows_read == 3
    assert load_file(csv_named_xls, "usuarios").rows_read == 1


# --- files that cannot be used -------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("informe.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "no_es_hoja"),
        ("foto.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "no_es_hoja"),
        ("basura.xls", bytes(range(256)) * 4, "no_es_hoja"),
        ("vacio.xlsx", b"", "vacio"),
        ("~$guia.xlsx", b"\x05ANA  " + b"\x00" * 150, "archivo_temporal"),
        ("roto.xlsx", b"PK\x03\x04" + b"\x14\x00" * 40, "danado"),
        ("pagina.xls", b"<html><body><p>Sin datos</p></body></html>", "html"),
        (
            "clave.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
            + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100,
            "contrasena",
        ),
    ],
)
def test_unusable_files_raise_read_error(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(ReadError) as error:
        load_file(path, "usuarios")

    assert error.value.reason == reason
    assert path.name in error.value.mensaje()


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(ReadError) as error:
        load_file(path, "usuarios")

    assert error.value.reason == "no_es_hoja"


def test_file_open_in_another_program(tmp_path, guia_xlsx, monkeypatch):
    def locked(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", locked)

    with pytest.raises(ReadError) as error:
        load_file(guia_xlsx, "usuarios")

    assert error.value.reason == "bloqueado"


def test_missing_file(tmp_path):
    with pytest.raises(ReadError) as error:
        load_file(tmp_path / "no.xlsx", "usuarios")

    assert error.value.reason == "no_existe"


def test_missing_field_error_names_file_field_and_headers(tmp_path):
    rows = [["MATRICULA", "NOMBRE", "ESTRATO"], ["1", "ANA", "01"]]
    path = write_xlsx(tmp_path / "guia_julio.xlsx", {"Hoja1": rows})

    with pytest.raises(MissingFieldError) as error:
        load_file(path, "usuarios")

    assert error.value.missing == ["comuna"]
    assert error.value.sheet == "Hoja1"
    message = error.value.mensaje()
    assert "«guia_julio.xlsx»" in message
    assert "«comuna»" in message
    assert "«MATRICULA», «NOMBRE», «ESTRATO»" in message


def test_sheet_without_any_known_header(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", {"Hoja1": [["a", "b"], [1, 2]]})

    with pytest.raises(MissingFieldError) as error:
        load_file(path, "cartera")

    assert "No se encontró ninguna fila de encabezados" in error.value.mensaje()


def test_two_columns_for_one_field_is_a_question(tmp_path):
    rows = [["MATRICULA", "CODIGO", "ESTRATO", "COMUNA"], ["1", "2", "01", "1"]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    with pytest.raises(AmbiguousColumnError) as error:
        load_file(path, "usuarios")

    assert error.value.field == "cuenta"
    assert error.value.candidates == ["MATRICULA", "CODIGO"]


def test_phone_column_beats_mobile_column(tmp_path):
    rows = [["MATRICULA", "ESTRATO", "COMUNA", "CELULAR", "TELEFONO"],
            ["1", "01", "1", 3001234567, "6076021234"]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    loaded = load_file(path, "usuarios")

    assert records(loaded, "telefono") == ["6076021234"]


def test_mapping_answers_the_question(tmp_path):
    rows = [["MATRICULA", "CODIGO", "ESTRATO", "COMUNA"], ["1", "2", "01", "1"]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    loaded = load_file(path, "usuarios", mapping={"cuenta": "Código"})

    assert records(loaded, "cuenta") == ["2"]
    assert loaded.mapping["cuenta"] == "CODIGO"


def test_mapping_names_an_unknown_header(tmp_path):
    rows = [["ID PREDIO", "EST", "COM"], ["7", "3", "2"]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    loaded = load_file(
        path, "usuarios",
        mapping={"cuenta": "ID PREDIO", "estrato": "EST", "comuna": "COM"},
    )

    assert records(loaded, "cuenta") == ["7"]
    assert records(loaded, "estrato") == ["03"]


def test_guia_given_as_cartera_is_the_wrong_file(guia_xlsx):
    with pytest.raises(WrongRoleError) as error:
        load_file(guia_xlsx, "cartera")

    assert (error.value.expected, error.value.found) == ("cartera", "usuarios")


def test_cartera_given_as_guia_is_the_wrong_file(tmp_path):
    rows = [["MATRICULA", "ESTRATO", "COMUNA", "DIAS MORA", "SALDO TOTAL",
             "SALDO ANTERIOR"], ["1", "01", "1", 40, 100, 50]]
    path = write_xlsx(tmp_path / "c.xlsx", {"C": rows})

    with pytest.raises(WrongRoleError) as error:
        load_file(path, "usuarios")

    assert error.value.found == "cartera"


# --- the survey -----------------------------------------------------------


def test_survey_questions_are_named_by_their_number(encuesta_xlsx):
    loaded = load_file(encuesta_xlsx, "encuesta")

    assert loaded.preguntas == {
        "p1": ENCUESTA_HEADER[7],
        "p2": ENCUESTA_HEADER[8],
        "p3": "P3 Tiempo de espera",
        "p4": "¿Recibe su factura a tiempo?",
    }
    assert list(loaded.frame.columns) == [
        *ENCUESTA_FIELDS, "p1", "p2", "p3", "p4", "fila",
    ]


def test_survey_answers_are_kept_raw(encuesta_xlsx):
    loaded = load_file(encuesta_xlsx, "encuesta")

    assert records(loaded, "fila") == [2, 4]
    assert records(loaded, "p1") == ["Muy satisfecho", "satisfecho"]
    assert records(loaded, "p2") == ["Excelente", pd.NA]
    assert records(loaded, "p3") == ["4", "3"]
    assert records(loaded, "comuna") == ["1", "CORREGIMIENTO"]
    assert records(loaded, "estrato") == ["01", "NO SABE"]
    assert records(loaded, "canal") == ["Presencial oficina", "Telefónica"]
    assert records(loaded, "fecha") == ["14/03/2025 9:41:07", "14/03/2025 9:50:00"]


def test_unnumbered_questions_are_numbered_in_order(tmp_path):
    rows = [["Comuna", "¿Le gusta el servicio?", "¿Paga en línea?"],
            ["Comuna 2", "Sí", "No"]]
    path = write_xlsx(tmp_path / "e.xlsx", {"E": rows})

    loaded = load_file(path, "encuesta")

    assert loaded.preguntas == {
        "p1": "¿Le gusta el servicio?",
        "p2": "¿Paga en línea?",
    }


# --- detection, progress, logging -----------------------------------------


def test_detect_role(guia_xlsx, cartera_xlsx, encuesta_xlsx, tmp_path):
    other = write_xlsx(tmp_path / "x.xlsx", {"H": [["a", "b"], [1, 2]]})
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")

    assert detect_role(guia_xlsx) == "usuarios"
    assert detect_role(cartera_xlsx) == "cartera"
    assert detect_role(encuesta_xlsx) == "encuesta"
    assert detect_role(other) is None
    assert detect_role(pdf) is None


def test_quick_look_at_xlsx_heads_agrees_with_calamine(cartera_xlsx):
    from python_calamine import CalamineWorkbook

    peek = XlsxPeek.open(cartera_xlsx.read_bytes())
    quick = peek.head("CARTERA", 12)
    full = CalamineWorkbook.from_path(cartera_xlsx).get_sheet_by_name("CARTERA")
    slow = full.to_python(skip_empty_area=False, nrows=12)

    assert [texts(row) for row in quick] == [texts(row) for row in slow]


def test_a_wrong_quick_look_is_corrected_by_the_full_read(guia_xlsx, monkeypatch):
    def shifted(self, sheet, nrows):
        return [[]] + [[c for c in row] for row in TITLES + [GUIA_HEADER]]

    monkeypatch.setattr(XlsxPeek, "head", shifted)

    loaded = load_file(guia_xlsx, "usuarios")

    assert loaded.header_row == 6
    assert records(loaded, "cuenta") == ["12345", "12346", "12347"]


def test_progress_is_reported_up_to_one(guia_xlsx):
    seen: list[float] = []

    load_file(guia_xlsx, "usuarios", progress=lambda f, text: seen.append(f))

    assert seen == sorted(seen)
    assert seen[0] == 0.0 and seen[-1] == 1.0


def test_cancel_stops_the_load(guia_xlsx):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(CancelledError):
        load_file(guia_xlsx, "usuarios", cancelled=cancelled)


def test_one_info_line_without_personal_data(guia_xlsx, caplog):
    caplog.set_level(logging.INFO, logger="core.loading")

    load_file(guia_xlsx, "usuarios")

    [line] = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert line.startswith("guía leída: 3 cuentas de 'guia.xlsx' en ")
    assert "MUÑOZ" not in caplog.text and "99.123.456" not in caplog.text


# --- odd formats: web pages saved as .xls, serial dates, big files ------------


def test_an_xls_that_is_really_an_html_table(tmp_path):
    page = (
        "<html><head><meta charset='utf-8'><style>td {x: 1}</style></head><body>"
        "<table><tr><td colspan='3'>GUÍA DE USUARIOS &amp; CARTERA</td></tr>"
        "<tr><th>Matr&iacute;cula</th><th>Estrato</th><th>Comuna</th>"
        "<th>Nombre</th></tr>"
        "<tr><td>0012345</td><td>01</td><td>COMUNA 1</td>"
        "<td>MU&Ntilde;OZ<br>ANA</td></tr>"
        "<tr><td>678</td><td>2</td><td>3</td><td>GÓMEZ &lt;LTDA&gt;</td></tr>"
        "</table></body></html>"
    )
    path = tmp_path / "guia.xls"
    path.write_text(page, encoding="utf-8")

    loaded = load_file(path, "usuarios")

    assert loaded.sheet == "Tabla 1"
    assert loaded.header_row == 2
    assert records(loaded, "cuenta_texto") == ["0012345", "678"]
    assert records(loaded, "comuna") == ["1", "3"]
    assert records(loaded, "nombre") == ["MUÑOZ ANA", "GÓMEZ <LTDA>"]


def test_an_html_table_in_windows_1252_with_colombian_amounts(tmp_path):
    page = (
        "<table><tr><td>MATRICULA</td><td>DIAS MORA</td><td>SALDO TOTAL</td>"
        "</tr><tr><td>1</td><td>45</td><td>$ 1.234.567,89</td></tr></table>"
    )
    path = tmp_path / "cartera.xls"
    path.write_bytes(page.encode("cp1252"))

    loaded = load_file(path, "cartera")

    assert records(loaded, "deuda") == [123456789]


def test_fecha_de_corte_as_an_excel_serial_number(tmp_path):
    rows = [["FECHA DE CORTE:", 45869], ["MATRICULA", "ESTRATO", "COMUNA"],
            ["1", "01", "1"]]
    path = write_xlsx(tmp_path / "guia.xlsx", {"G": rows})

    loaded = load_file(path, "usuarios")

    assert loaded.fecha_corte == dt.date(2025, 7, 31)


def test_periodo_written_as_a_date(tmp_path):
    lines = ["PERIODO: 01/06/2025", "MATRICULA;ESTRATO;COMUNA", "1;01;1"]
    path = write_csv(tmp_path / "guia.csv", lines, "utf-8")

    assert load_file(path, "usuarios").periodo == "2025-06"


def test_survey_dates_as_serial_numbers_and_date_cells(tmp_path):
    rows = [["FECHA", "COMUNA", "1. ¿Cómo califica el servicio?"],
            [45869, "1", "Bueno"], [dt.datetime(2025, 7, 1), "2", "Malo"],
            ["julio", "3", "Bueno"]]
    path = write_xlsx(tmp_path / "encuesta.xlsx", {"E": rows})

    loaded = load_file(path, "encuesta")

    assert records(loaded, "fecha") == ["31/07/2025", "01/07/2025", "julio"]


def test_a_large_csv_reports_progress_while_reading_and_can_be_cancelled(
    tmp_path,
):
    lines = ["MATRICULA;ESTRATO;COMUNA"] + [
        f"{n};{n % 6 + 1:02d};{n % 9 + 1}" for n in range(1, 100_001)
    ]
    path = write_csv(tmp_path / "guia.csv", lines, "utf-8")
    seen: list[float] = []

    loaded = load_file(path, "usuarios", progress=lambda f, _t: seen.append(f))

    reading = [f for f in seen if 0.2 < f < 0.6]
    assert loaded.rows_read == 100_000
    assert len(reading) >= 3  # one every 20.000 rows
    assert seen == sorted(seen)

    calls = iter(range(10_000))
    with pytest.raises(CancelledError):
        load_file(path, "usuarios", cancelled=lambda: next(calls) > 3)


@pytest.mark.parametrize("before", [1, 25_000])
def test_csv_rows_keep_their_line_when_a_field_spans_lines(tmp_path, before):
    lines = ["MATRICULA;ESTRATO;COMUNA;NOMBRE"]
    lines += [f"{n};01;1;UNO" for n in range(1, before + 1)]
    lines += ['90001;02;2;"DOS\r\nLINEAS"', "90002;03;3;TRES"]
    path = write_csv(tmp_path / "guia.csv", lines, "utf-8")

    loaded = load_file(path, "usuarios")

    assert records(loaded, "fila")[-3:] == [before + 1, before + 2, before + 4]
    assert records(loaded, "nombre")[-2] == "DOS LINEAS"


def test_a_file_far_larger_than_a_month_is_refused_before_reading(
    tmp_path, monkeypatch
):
    import core.loading as loading

    path = write_csv(tmp_path / "guia.csv", ["MATRICULA;ESTRATO;COMUNA"] +
                     ["1;01;1"] * 400, "utf-8")
    monkeypatch.setattr(loading, "MAX_FILE_BYTES", 1_000)
    read = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self))

    with pytest.raises(ReadError) as error:
        load_file(path, "usuarios")

    assert error.value.reason == "muy_grande"
    assert read == []
    assert "mucho más grande de lo esperado" in error.value.mensaje()


def test_running_out_of_memory_is_explained(tmp_path, guia_xlsx, monkeypatch):
    def no_memory(self):
        raise MemoryError

    monkeypatch.setattr(Path, "read_bytes", no_memory)

    with pytest.raises(ReadError) as error:
        load_file(guia_xlsx, "usuarios")

    assert error.value.reason == "memoria"


def test_a_workbook_without_any_cell_is_empty(tmp_path):
    path = write_xlsx(tmp_path / "guia.xlsx", {"Hoja1": []})

    with pytest.raises(ReadError) as error:
        load_file(path, "usuarios")

    assert error.value.reason == "vacio"


# --- what a mapping question carries ------------------------------------------


def test_a_missing_field_carries_headers_preview_and_questions(tmp_path):
    rows = [["INFORME"], ["ID PREDIO", "EST", "COM", ""],
            ["7", "3", "2", "x"], [], ["8", "1", "4", ""]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    with pytest.raises(MissingFieldError) as error:
        load_file(path, "usuarios")

    assert error.value.all_headers == ["ID PREDIO", "EST", "COM", ""]
    assert error.value.preview == [["7", "3", "2", "x"], ["8", "1", "4", ""]]
    assert error.value.questions == {"cuenta": [], "estrato": [], "comuna": []}
    assert error.value.layout.startswith("usuarios:")


def test_an_ambiguous_field_asks_among_its_candidates(tmp_path):
    rows = [["MATRICULA", "CODIGO", "ESTRATO", "COMUNA"], ["1", "2", "01", "1"]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    with pytest.raises(AmbiguousColumnError) as error:
        load_file(path, "usuarios")

    assert error.value.questions == {"cuenta": ["MATRICULA", "CODIGO"]}
    assert error.value.preview == [["1", "2", "01", "1"]]


def test_a_remembered_mapping_is_used_for_the_same_layout_only(tmp_path):
    from core.columns import layout_key

    header = ["ID PREDIO", "EST", "COM"]
    same = write_xlsx(tmp_path / "a.xlsx", {"G": [
        ["Id. Predio", "est.", "COM", ""], ["7", "3", "2"]]})
    other = write_xlsx(tmp_path / "b.xlsx", {"G": [
        header + ["BARRIO"], ["7", "3", "2", "CENTRO"]]})
    answer = {"cuenta": "ID PREDIO", "estrato": "EST", "comuna": "COM"}
    layouts = {layout_key("usuarios", header): answer}

    loaded = load_file(same, "usuarios", layouts=layouts)

    assert records(loaded, "cuenta") == ["7"]
    assert records(loaded, "estrato") == ["03"]
    with pytest.raises(MissingFieldError):
        load_file(other, "usuarios", layouts=layouts)


def test_a_mapping_naming_a_header_the_file_lacks(tmp_path):
    from core.errors import UnknownHeaderError

    rows = [["MATRICULA", "ESTRATO", "COMUNA"], ["1", "01", "1"]]
    path = write_xlsx(tmp_path / "g.xlsx", {"G": rows})

    with pytest.raises(UnknownHeaderError) as error:
        load_file(path, "usuarios", mapping={"barrio": "SECTOR"})

    assert (error.value.field, error.value.header) == ("barrio", "SECTOR")
    assert "Columnas del archivo: «MATRICULA», «ESTRATO», «COMUNA»" in (
        error.value.mensaje()
    )


def test_the_layout_key_ignores_case_accents_order_and_blank_columns():
    from core.columns import layout_key

    key = layout_key("cartera", ["Matrícula", "Saldo Total", ""])

    assert key == layout_key("cartera", ["SALDO TOTAL", "MATRICULA"])
    assert key != layout_key("usuarios", ["SALDO TOTAL", "MATRICULA"])
    assert key != layout_key("cartera", ["SALDO", "MATRICULA"])


def test_remembered_mappings_survive_a_restart_and_a_damaged_file(tmp_path):
    from core.columns import remember_mapping, remembered_mappings

    path = tmp_path / "mapas.json"
    remember_mapping("usuarios:abc", {"cuenta": "ID"}, ["ID", "X"], path=path)
    remember_mapping("cartera:def", {"deuda": "VALOR"}, path=path)

    assert remembered_mappings(path) == {
        "usuarios:abc": {"cuenta": "ID"}, "cartera:def": {"deuda": "VALOR"},
    }
    path.write_text("{no es json", encoding="utf-8")
    assert remembered_mappings(path) == {}
    assert remembered_mappings(tmp_path / "no_existe.json") == {}


def test_an_absurdly_large_amount_is_unreadable_not_a_debt(tmp_path):
    rows = [["MATRICULA", "DIAS MORA", "SALDO TOTAL"], ["1", 45, 9.3e16],
            ["2", 45, "99.999.999.999.999.999"], ["3", 45, 1_000_000]]
    path = write_xlsx(tmp_path / "c.xlsx", {"C": rows})

    loaded = load_file(path, "cartera")

    assert records(loaded, "deuda")[2] == 100_000_000
    assert loaded.frame["deuda"].isna().tolist() == [True, True, False]
    [issue] = [i for i in loaded.issues if i.codigo == "valor_ilegible"]
    assert issue.filas["fila"].tolist() == [2, 3]


def test_a_csv_that_csv_cannot_split_is_worded_in_spanish(tmp_path):
    path = tmp_path / "guia.csv"
    path.write_text('MATRICULA;ESTRATO\n"' + "x" * 200_000 + '";1\n', "utf-8")

    with pytest.raises(ReadError) as error:
        load_file(path, "usuarios")

    assert error.value.reason == "no_es_hoja"
    assert "field" not in error.value.mensaje()
