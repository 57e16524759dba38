"""Debtor lists as Excel or CSV, and the one audited way to print or export them.

Excel carries real numbers with number formats (deuda in pesos, exact to
the centavo, shown to the whole peso); text that a spreadsheet would run as
a formula (`=`, `+`, `-`, `@`) is neutralized with a leading apostrophe.

The CSV is for Excel in Colombia and for campaign tools: `;` between fields,
UTF-8 with a byte-order mark (so Excel reads the accents and the ñ), and
numbers without thousands separators and with a decimal comma
(`2802172516,39`), which Excel in es-CO reads as numbers. Account codes keep
their leading zeros in the file; Excel drops them when it opens a CSV
directly, so the Excel export is the one to look at in Excel.

`export_list` writes any of the three formats and adds the audit line.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.atomic import atomic_path
from core.audit import AuditEntry, audit_session
from core.debtor_lists import DebtorList, summary_sentence
from core.export_excel import (
    HEADER_FILL,
    HEADER_FONT,
    NUMBER_FORMATS,
    TOTAL_FONT,
    safe_text,
)
from core.formatting import centavos_to_pesos, fmt_date, fmt_int, fmt_month
from core.settings import Settings

logger = logging.getLogger(__name__)

Format = Literal["pdf", "excel", "csv"]
Kind = Literal["texto", "conteo", "pesos", "porcentaje", "si_no"]

PERSONAL_DATA_NOTE = "Uso interno. Contiene datos personales (Ley 1581 de 2012)"
CSV_DELIMITER = ";"
YES, NO = "Sí", "No"


@dataclass(frozen=True)
class Field:
    """One column of an exported list: heading, kind and how to read it."""

    title: str
    kind: Kind
    value: Callable[[dict[str, Any]], Any]


@dataclass
class Exported:
    """What an export wrote: where, how many rows, and pages for a PDF."""

    path: Path
    filas: int
    paginas: int | None = None


def _column(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(name)


def _pesos(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: centavos_to_pesos(row[name])


def list_fields(lista: DebtorList) -> list[Field]:
    """Return the exported columns of a list, by its layout."""
    fields = [
        Field("Matrícula", "texto", _column("cuenta_texto")),
        Field("Nombre", "texto", _column("nombre")),
    ]
    if lista.layout == "contacto":
        fields += [
            Field("Teléfono", "texto", _column("telefono")),
            Field("Correo", "texto", _column("correo")),
        ]
    fields += [
        Field("Dirección", "texto", _column("direccion")),
        Field("Comuna", "texto", _column("comuna")),
        Field("Barrio", "texto", _column("barrio")),
        Field("Estrato", "texto", _column("estrato")),
        Field("Uso", "texto", _column("uso")),
        Field("Ciclo", "texto", _column("ciclo")),
        Field("Ruta", "texto", _column("ruta")),
        Field("Días de mora", "conteo", _column("dias")),
        Field("Edad (meses)", "conteo", _column("edad_meses")),
        Field("Segmento (días)", "texto", _column("segmento")),
        Field("Acción", "texto", _column("accion")),
        Field("Deuda", "pesos", _pesos("deuda")),
    ]
    if lista.layout == "juridica":
        fields = [Field("Puesto", "conteo", _column("puesto")), *fields]
        fields += _ranked_fields()
    if lista.layout == "campo":
        fields += [
            Field(title, "texto", lambda _row: None)
            for title in ("Visitado", "Acuerdo de pago", "No ubicado", "Observación")
        ]
    return fields


def _ranked_fields() -> list[Field]:
    return [
        Field("Deuda acumulada", "pesos", _pesos("deuda_acumulada")),
        Field("% acumulado", "porcentaje", _column("porcentaje_acumulado")),
        Field("Riesgo de prescripción", "si_no", _column("prescripcion")),
        Field("Oficial", "si_no", _column("oficial")),
        Field("Alertas", "texto", _column("alertas")),
    ]


def _records(lista: DebtorList) -> list[dict[str, Any]]:
    """The rows as dicts, with pandas' missing values as None."""
    frame = lista.filas.astype(object).where(lista.filas.notna(), None)
    records: list[dict[str, Any]] = frame.to_dict("records")
    return records


# --- Excel ------------------------------------------------------------------------


def write_list_excel(lista: DebtorList, path: Path | str) -> None:
    """Write the list to an Excel workbook: the list, and subtotals by barrio."""
    started = time.perf_counter()
    book = Workbook(write_only=True)  # streams rows: a 10,000-row list in ~1 s
    fields = list_fields(lista)
    records = _records(lista)

    sheet = book.create_sheet("Lista")
    titles = _title_rows(sheet, lista)
    _table(sheet, fields, records, titles)
    _total_row(sheet, lista, fields)
    if lista.layout != "juridica":
        subtotals = barrio_subtotals(lista).to_dict("records")
        barrios = book.create_sheet("Por barrio")
        _table(barrios, SUBTOTAL_FIELDS, subtotals, [])
        _total_row(barrios, lista, SUBTOTAL_FIELDS)
    with atomic_path(path) as tmp:
        book.save(tmp)
    logger.info(
        "lista %s en Excel: %d filas en %.1f s", lista.id, len(lista.filas),
        time.perf_counter() - started,
    )


def _title_rows(sheet: Any, lista: DebtorList) -> list[list[Any]]:
    """Return the rows above the table: title, period, id, figures, a note."""
    version = "completa" if lista.completo else "enmascarada"
    title = WriteOnlyCell(sheet, value=safe_text(lista.titulo))
    title.font = Font(bold=True, size=12)
    rows: list[list[Any]] = [
        [title],
        ["Periodo", fmt_month(lista.periodo), "Fecha de corte",
         fmt_date(lista.fecha_corte)],
        ["Lista", lista.id, "Versión", version],
        [safe_text(summary_sentence(lista))],
    ]
    if lista.frase:
        rows.append([safe_text(lista.frase)])
    rows.append([PERSONAL_DATA_NOTE])
    rows.append([])
    return rows


def _table(
    sheet: Any,
    fields: list[Field],
    records: list[dict[str, Any]],
    above: list[list[Any]],
) -> None:
    """Write the rows `above`, the header and the records, with a filter.

    A write-only sheet takes its widths, filter and frozen rows before its
    first row.
    """
    first = len(above) + 1
    _widths(sheet, fields, records)
    last_col = get_column_letter(len(fields))
    sheet.auto_filter.ref = f"A{first}:{last_col}{first + len(records)}"
    sheet.freeze_panes = f"A{first + 1}"

    for row in above:
        sheet.append(row)
    header = []
    for field in fields:
        cell = WriteOnlyCell(sheet, value=field.title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for record in records:
        sheet.append([_excel_cell(sheet, f, record) for f in fields])


def _excel_cell(sheet: Any, field: Field, record: dict[str, Any]) -> Any:
    value = _excel_value(field.value(record), field.kind)
    number_format = NUMBER_FORMATS.get(field.kind)
    if value is None or number_format is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _excel_value(value: Any, kind: Kind) -> Any:
    if value is None:
        return None
    if kind == "si_no":
        return YES if value else NO
    if kind == "pesos":
        return float(value)  # exact centavos; the format shows whole pesos
    if kind == "porcentaje":
        return float(Decimal(value) / 100)  # a fraction, shown as 50,3 %
    if kind == "conteo":
        return int(value)
    return safe_text(str(value))


def _widths(sheet: Any, fields: list[Field], records: list[dict[str, Any]]) -> None:
    sample = records[:200]
    for col, field in enumerate(fields, start=1):
        texts = [str(field.value(r) or "") for r in sample] + [field.title]
        width = max(len(t) for t in texts) + 2
        if field.kind == "pesos":
            width = max(width, 16)
        sheet.column_dimensions[get_column_letter(col)].width = min(max(9, width), 48)


def _total_row(sheet: Any, lista: DebtorList, fields: list[Field]) -> None:
    debt_col = next(i for i, f in enumerate(fields) if f.title == "Deuda")
    label = WriteOnlyCell(sheet, value=f"Total: {fmt_int(len(lista.filas))} cuentas")
    label.font = TOTAL_FONT
    total = WriteOnlyCell(
        sheet, value=float(centavos_to_pesos(int(lista.filas["deuda"].sum())))
    )
    total.font = TOTAL_FONT
    total.number_format = NUMBER_FORMATS["pesos"]
    row: list[Any] = [None] * len(fields)
    row[0], row[debt_col] = label, total
    sheet.append([])
    sheet.append(row)


def barrio_subtotals(lista: DebtorList) -> pd.DataFrame:
    """Return accounts and debt (centavos) per comuna and barrio, in list order."""
    rows = lista.filas
    grouped = rows.groupby(["comuna", "barrio_clave"], sort=False, dropna=False)
    return grouped.agg(
        barrio=("barrio", "first"), cuentas=("cuenta", "size"), deuda=("deuda", "sum")
    ).reset_index()


SUBTOTAL_FIELDS = [
    Field("Comuna", "texto", _column("comuna")),
    Field("Barrio", "texto", _column("barrio")),
    Field("Cuentas", "conteo", _column("cuentas")),
    Field("Deuda", "pesos", _pesos("deuda")),
]


# --- CSV ------------------------------------------------------------------------------


def write_list_csv(lista: DebtorList, path: Path | str) -> None:
    """Write the list as a CSV that Excel in Colombia opens right (see module doc)."""
    started = time.perf_counter()
    fields = list_fields(lista)
    rows = [[_csv_value(f.value(r), f.kind) for f in fields] for r in _records(lista)]
    with atomic_path(path) as tmp, open(
        tmp, "w", encoding="utf-8-sig", newline=""
    ) as handle:
        writer = csv.writer(handle, delimiter=CSV_DELIMITER, lineterminator="\r\n")
        writer.writerow([f.title for f in fields])
        writer.writerows(rows)
    logger.info(
        "lista %s en CSV: %d filas en %.1f s", lista.id, len(lista.filas),
        time.perf_counter() - started,
    )


def _csv_value(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind == "si_no":
        return YES if value else NO
    if kind == "pesos":
        return f"{Decimal(value):.2f}".replace(".", ",")
    if kind == "porcentaje":
        return f"{Decimal(value):.4f}".replace(".", ",")
    if kind == "conteo":
        return str(int(value))
    return safe_text(str(value))


# --- print or export, audited --------------------------------------------------


def export_list(
    lista: DebtorList,
    path: Path | str,
    formato: Format,
    *,
    papel: str = "carta",
    salto_por_barrio: bool = False,
    settings: Settings | None = None,
    audit_path: Path | str | None = None,
    fecha_emision: dt.date | None = None,
) -> Exported:
    """Write `lista` as PDF, Excel or CSV and add its line to the audit file.

    The audit file is opened first: when it cannot be written, nothing is
    exported (`ExportError`).
    """
    target = Path(path)
    with audit_session(audit_path) as audit:
        pages = None
        if formato == "pdf":
            from core.brigade_list import write_list_pdf

            pages = write_list_pdf(
                lista, target, papel=papel,  # type: ignore[arg-type]
                salto_por_barrio=salto_por_barrio, settings=settings,
                fecha_emision=fecha_emision,
            )
        elif formato == "excel":
            write_list_excel(lista, target)
        else:
            write_list_csv(lista, target)
        audit(audit_entry(lista, formato, target.name))
    return Exported(target, len(lista.filas), pages)


def audit_entry(
    lista: DebtorList, formato: str, archivo: str, accion: str = "exportar"
) -> AuditEntry:
    """Return the audit line of a list: what it is, never whom it names."""
    return AuditEntry(
        tipo=lista.tipo,
        lista=lista.id,
        periodo=lista.periodo,
        filas=len(lista.filas),
        completo=lista.completo,
        formato=formato,
        archivo=archivo,
        comuna=lista.comuna or "",
        barrio=lista.barrio or "",
        segmento=lista.segmento or "",
        accion=accion,
    )
