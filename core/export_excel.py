"""The month's tables as an Excel workbook: one sheet per table, real numbers."""

from __future__ import annotations

import logging
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.atomic import atomic_path
from core.evolution import Dashboard, column_titles
from core.formatting import fmt_date, fmt_month
from core.model import MonthResult, Table

logger = logging.getLogger(__name__)

NUMBER_FORMATS = {
    "conteo": "#,##0",
    "pesos": '"$" #,##0',
    "porcentaje": "0.0%",
    "decimal": "#,##0.0",
}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TOTAL_FONT = Font(bold=True)
FORMULA_STARTS = ("=", "+", "-", "@")

COLUMN_TITLES = {
    "codigo": "Código",
    "descripcion": "Descripción",
    "usuarios": "Usuarios",
    "porcentaje": "%",
    "porcentaje_deuda": "% deuda",
    "deuda": "Deuda",
    "comuna": "Comuna",
    "barrio": "Barrio",
    "edad": "Edad (meses)",
    "segmento": "Segmento (días)",
    "tasa_morosidad": "Tasa de morosidad",
    "tipo_persona": "Tipo de persona",
    "consumo_promedio": "Consumo promedio (m³)",
    "consumo_mediana": "Consumo mediano (m³)",
    "indicador": "Indicador",
    "respuestas": "Respuestas",
    "margen_error": "Margen de error (puntos)",
    "pregunta": "Pregunta",
    "respuesta": "Respuesta",
    "nombre": "Segmento",
    "necesidad": "Necesidad",
    "oferta": "Oferta institucional",
    "herramienta": "Herramienta",
}


def column_title(column: str) -> str:
    """Return the Spanish heading of a table column."""
    return COLUMN_TITLES.get(column, column.replace("_", " ").capitalize())


def safe_text(value: str) -> str:
    """Neutralize text that a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell_value(value: Any, kind: str) -> Any:
    """Return the value to store: numbers as numbers, shares as fractions."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        number = float(value)
        return number / 100 if kind == "porcentaje" else number
    if isinstance(value, str):
        return safe_text(value)
    return value


def _write_row(sheet: Worksheet, values: list[Any], kinds: list[str]) -> None:
    sheet.append([cell_value(v, k) for v, k in zip(values, kinds, strict=True)])
    row = sheet.max_row
    for col, kind in enumerate(kinds, start=1):
        if kind in NUMBER_FORMATS:
            sheet.cell(row=row, column=col).number_format = NUMBER_FORMATS[kind]


def _header(sheet: Worksheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _widths(sheet: Worksheet, sample_rows: int = 200) -> None:
    # Within the rows written: openpyxl makes a cell for each one it visits.
    for col_cells in sheet.iter_cols(max_row=min(sample_rows, sheet.max_row)):
        longest = max((len(str(c.value)) for c in col_cells if c.value), default=8)
        letter = get_column_letter(col_cells[0].column)
        sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)


def _table_sheet(
    book: Workbook, table: Table, sheet_name: str, titles: list[str]
) -> None:
    sheet = book.create_sheet(sheet_name)
    sheet.append([table.titulo])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([])
    _header(sheet, titles)
    for row in table.filas:
        _write_row(sheet, row, list(table.tipos))
    if table.total is not None:
        _write_row(sheet, table.total, list(table.tipos))
        for cell in sheet[sheet.max_row]:
            cell.font = TOTAL_FONT
    if table.nota:
        sheet.append([])
        sheet.append([safe_text(table.nota)])
    _widths(sheet)
    sheet.freeze_panes = "A4"


def _summary_sheet(book: Workbook, result: MonthResult) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = "Resumen"
    s = result.resumen
    sheet.append(["Caracterización de usuarios"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(["Periodo", fmt_month(result.periodo)])
    sheet.append(["Fecha de corte", fmt_date(result.fecha_corte)])
    sheet.append([])
    lines = [
        ("Usuarios activos", s.usuarios_activos, "conteo"),
        ("Usuarios morosos", s.usuarios_morosos, "conteo"),
        ("Porcentaje de morosos", s.porcentaje_morosos, "porcentaje"),
        ("Cartera morosa", s.cartera_morosa, "pesos"),
        ("Deuda promedio por moroso", s.deuda_promedio, "pesos"),
        ("Cuentas con saldo", s.cuentas_con_saldo, "conteo"),
        ("Cartera total con saldo", s.cartera_total, "pesos"),
        ("Saldos a favor", s.saldo_a_favor, "pesos"),
    ]
    for label, value, kind in lines:
        _write_row(sheet, [label, value], ["texto", kind])
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 24


def _checks_sheet(book: Workbook, result: MonthResult) -> None:
    sheet = book.create_sheet("Conciliación")
    _header(sheet, ["Verificación", "Esperado", "Obtenido", "Resultado"])
    for check in result.conciliacion:
        verdict = "Cuadra" if check.cuadra else "No cuadra"
        _write_row(
            sheet,
            [check.descripcion, check.esperado, check.obtenido, verdict],
            ["texto", "pesos", "pesos", "texto"],
        )
    _widths(sheet)


def _quality_sheet(book: Workbook, result: MonthResult) -> None:
    sheet = book.create_sheet("Calidad de datos")
    _header(sheet, ["Código", "Descripción", "Cantidad", "Valor"])
    for item in result.calidad:
        _write_row(
            sheet,
            [item.codigo, item.mensaje, item.cantidad, item.valor],
            ["texto", "texto", "conteo", "pesos"],
        )
    _widths(sheet)
    sheet.column_dimensions["B"].width = 90


def sheet_names(tables: list[Table]) -> list[str]:
    """Return unique sheet names of at most 31 characters, one per table."""
    names: list[str] = []
    for table in tables:
        base = table.id[:31]
        name, n = base, 2
        while name in names:
            suffix = f"_{n}"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def write_excel(
    result: MonthResult, path: Path | str, tablero: Dashboard | None = None
) -> None:
    """Write the summary, every table, the month-to-month tables (when a
    tablero is given, as in the report's Evolución section), the checks and
    the quality report."""
    started = time.perf_counter()
    book = Workbook()
    _summary_sheet(book, result)
    tables = list(result.tablas.values())
    evolution = list(tablero.tablas.values()) if tablero is not None else []
    names = sheet_names(tables + evolution)
    for table, name in zip(tables, names, strict=False):
        _table_sheet(book, table, name, [column_title(c) for c in table.columnas])
    for table, name in zip(evolution, names[len(tables):], strict=True):
        headings = column_titles(table)
        _table_sheet(book, table, name, [headings[c] for c in table.columnas])
    _checks_sheet(book, result)
    _quality_sheet(book, result)
    with atomic_path(path) as tmp:
        book.save(tmp)
    logger.info(
        "Excel escrito: %d hojas en %.1f s", len(book.sheetnames),
        time.perf_counter() - started,
    )
