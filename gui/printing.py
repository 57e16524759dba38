"""Print the table on screen as an HTML document (never a widget raster).

The document takes the rows in the order the officer sorted them, with the
same Colombian formats, and the total row last and in bold.
"""

from __future__ import annotations

import logging
from html import escape

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from core.formatting import fmt_date, fmt_month
from core.model import MonthResult
from gui.models import NUMERIC_KINDS, ResultTableModel
from gui.widgets.summary import SummaryWidget

logger = logging.getLogger(__name__)

STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; }
h1 { font-size: 13pt; margin-bottom: 2pt; }
h2 { font-size: 11pt; margin-top: 10pt; }
p.sub { color: #555555; margin-top: 0; }
table { border-collapse: collapse; }
th { background-color: #1f4e79; color: #ffffff; }
td { border-bottom: 1px solid #cccccc; }
td.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; background-color: #e8eef5; }
p.note { color: #555555; font-size: 8pt; }
"""


def table_html(
    model: ResultTableModel, title: str, note: str = "", subtitle: str = ""
) -> str:
    """Return the model's rows as an HTML page, in the order shown."""
    parts = [f"<h1>{escape(title)}</h1>"]
    if subtitle:
        parts.append(f'<p class="sub">{escape(subtitle)}</p>')
    parts.append(table_fragment(model))
    if note:
        parts.append(f'<p class="note">{escape(note)}</p>')
    return _page(parts)


def summary_html(summary: SummaryWidget, subtitle: str = "") -> str:
    """The Resumen tab as a page: headline figures, quality and checks."""
    figures = "".join(
        f"<tr><td>{escape(card.caption.text())}</td>"
        f'<td class="num">{escape(card.value.text())}</td></tr>'
        for card in summary.cards.values()
    )
    parts = [
        f"<h1>{escape(summary.heading.text())}</h1>",
        f'<p class="sub">{escape(subtitle)}</p>' if subtitle else "",
        f'<table cellspacing="0" cellpadding="3">{figures}</table>',
        "<h2>Calidad de los datos</h2>",
        table_fragment(summary.quality.model),
        "<h2>Conciliación</h2>",
        table_fragment(summary.checks.model),
    ]
    return _page(parts)


def table_fragment(model: ResultTableModel) -> str:
    """An HTML table of every row of `model`, the total row last and bold."""
    columns = range(model.columnCount())
    header = "".join(f"<th>{escape(model.column_title(c))}</th>" for c in columns)
    body = [f"<tr>{header}</tr>"]
    for row in range(model.rowCount()):
        cells = "".join(_cell(model, row, c) for c in columns)
        css = ' class="total"' if model.is_total_row(row) else ""
        body.append(f"<tr{css}>{cells}</tr>")
    table = '<table width="100%" cellspacing="0" cellpadding="3">'
    return table + "".join(body) + "</table>"


def _page(parts: list[str]) -> str:
    return f"<html><body>{''.join(parts)}</body></html>"


def month_subtitle(result: MonthResult | None) -> str:
    if result is None:
        return ""
    text = f"Periodo: {fmt_month(result.periodo)}"
    if result.fecha_corte is not None:
        text += f" · fecha de corte {fmt_date(result.fecha_corte)}"
    return text


def _cell(model: ResultTableModel, row: int, column: int) -> str:
    css = ' class="num"' if model.column_kind(column) in NUMERIC_KINDS else ""
    return f"<td{css}>{escape(model.display_text(row, column))}</td>"


def document(html: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml(html)
    return doc


def print_html(html: str, printer: QPrinter) -> None:
    """Print on the paper chosen in the dialog (the document adapts to it)."""
    document(html).print_(printer)


def new_printer(wide: bool = False) -> QPrinter:
    """A printer on letter paper, landscape for wide tables."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    orientation = (
        QPageLayout.Orientation.Landscape if wide
        else QPageLayout.Orientation.Portrait
    )
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            orientation,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    return printer


def preview_and_print(html: str, wide: bool, parent: QWidget | None) -> None:
    """Open Qt's print preview (with its print button) on the document."""
    printer = new_printer(wide)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Vista previa de impresión")
    dialog.paintRequested.connect(lambda target: print_html(html, target))
    dialog.exec()
