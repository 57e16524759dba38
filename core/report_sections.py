"""The report's text sections: contents, templates, conclusions, annexes, firmas.

`core.report_pdf` lays out the figures; this module holds the prose around
them. Template texts come from the settings; conclusions come from
`core.conclusions`. Every function takes the report's paragraph styles and
returns flowables.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from core.conclusions import conclusions
from core.formatting import DASH, fmt_date, fmt_int, fmt_month
from core.model import MonthResult
from core.settings import Settings

if TYPE_CHECKING:
    from core.evolution import Dashboard

logger = logging.getLogger(__name__)

Styles = dict[str, ParagraphStyle]

RULE = colors.HexColor("#c9d3dd")
INK = colors.HexColor("#222222")
NBSP_PESO = "$\u00a0"  # keeps "$" with its figure when a line wraps
SIGNATURE_SPACE = 36  # points left above each signature line, to sign on
ROLE_TITLES = {
    "usuarios": "Guía de usuarios",
    "cartera": "Conciliación de cartera",
    "encuesta": "Encuesta de percepción",
}


class ReportDocTemplate(BaseDocTemplate):
    """A document that lists its headings in the contents and the outline."""

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab)
        level = getattr(flowable, "toc_level", None)
        if level is None or not isinstance(flowable, Paragraph):
            return
        text = flowable.getPlainText()
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, text, self.page, key))


def heading(text: str, style: ParagraphStyle, level: int) -> Paragraph:
    """Return a heading that goes in the contents at `level` (0 or 1)."""
    paragraph = para(text, style)
    paragraph.toc_level = level  # type: ignore[attr-defined]
    return paragraph


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """Return a Paragraph of plain text (`&` and `<` are not markup)."""
    return Paragraph(escape(str(text)), style)


def template_text(text: str, styles: Styles) -> list[Flowable]:
    """Turn a template text into paragraphs; lines starting «- » are bullets."""
    story: list[Flowable] = []
    for block in text.split("\n\n"):
        lines = [" ".join(line.split()) for line in block.splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            story += [
                Paragraph(escape(line[2:]), styles["bullet"], bulletText="•")
                for line in lines
            ]
        else:
            story.append(para(" ".join(lines), styles["body"]))
    return story


# --- front matter --------------------------------------------------------------


def contents(styles: Styles) -> list[Flowable]:
    """Return the table of contents (filled in by the document's second pass)."""
    body = styles["body"]
    toc = TableOfContents(dotsMinLevel=0)
    toc.tableStyle = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), body.fontName),  # else Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ])
    toc.levelStyles = [
        ParagraphStyle(
            "toc0", parent=body, fontName=styles["h2"].fontName, leftIndent=0,
            firstLineIndent=0, spaceBefore=4,
        ),
        ParagraphStyle(
            "toc1", parent=body, leftIndent=16, firstLineIndent=0, spaceAfter=0,
        ),
    ]
    return [para("Contenido", styles["h1"]), toc]


def introduction(settings: Settings, number: int, styles: Styles) -> list[Flowable]:
    text = settings.textos.get("introduccion", "")
    return [heading(f"{number}. Introducción", styles["h1"], 0),
            *template_text(text, styles)]


def objectives(settings: Settings, number: int, styles: Styles) -> list[Flowable]:
    textos = settings.textos
    return [
        heading(f"{number}. Objetivos", styles["h1"], 0),
        para("Objetivo general", styles["h2"]),
        *template_text(textos.get("objetivo_general", ""), styles),
        para("Objetivos específicos", styles["h2"]),
        *template_text(textos.get("objetivos_especificos", ""), styles),
    ]


def scope(result: MonthResult, number: int, styles: Styles) -> list[Flowable]:
    """Say what the report covers: period, fecha de corte, files and rows."""
    summary = result.resumen
    corte = fmt_date(result.fecha_corte) if result.fecha_corte else "sin fecha"
    roles = [ROLE_TITLES.get(f.role, f.role).lower() for f in result.fuentes]
    text = (
        f"El informe caracteriza a los usuarios del periodo "
        f"{fmt_month(result.periodo)}, con fecha de corte {corte}, a partir de "
        f"{_join(roles) or 'los archivos del mes'} exportados del sistema "
        f"comercial. Cuenta {fmt_int(summary.usuarios_activos)} usuarios activos "
        f"y {fmt_int(summary.cuentas_con_saldo)} cuentas con saldo, de las "
        f"cuales {fmt_int(summary.usuarios_morosos)} están en mora."
    )
    return [
        heading(f"{number}. Alcance y fuentes", styles["h1"], 0),
        para(text, styles["body"]),
    ]


# --- conclusions and recommendations ----------------------------------------------


def conclusions_section(
    result: MonthResult, number: int, styles: Styles,
    tablero: Dashboard | None = None,
) -> list[Flowable]:
    """Return the numbered conclusions, with the comparison when there is a tablero."""
    story: list[Flowable] = [heading(f"{number}. Conclusiones", styles["h1"], 0)]
    found = conclusions(result, tablero)
    if not found:
        story.append(para("No hay cifras suficientes para concluir.", styles["body"]))
    for index, conclusion in enumerate(found, start=1):
        text = escape(conclusion.texto).replace("$ ", NBSP_PESO)
        story.append(Paragraph(text, styles["bullet"], bulletText=f"{index}."))
    return story


def recommendations(
    settings: Settings, number: int, styles: Styles
) -> list[Flowable]:
    text = settings.textos.get("recomendaciones", "")
    return [heading(f"{number}. Recomendaciones", styles["h1"], 0),
            *template_text(text, styles)]


# --- annexes and signatures -----------------------------------------------------


def catalogs(
    settings: Settings, title: str, styles: Styles, width: float
) -> list[Flowable]:
    """Return the code catalogs of uso and estrato, side by side."""
    story: list[Flowable] = [heading(title, styles["h1"], 0)]
    story.append(para(
        "Descripción de cada código, según los catálogos vigentes. Un código que "
        "no esté aquí se cuenta con su propio código y «sin descripción».",
        styles["body"],
    ))
    half = (width - 12) / 2
    grids = [
        _catalog_grid(name, settings.catalog(key), styles, half)
        for key, name in (("uso", "Uso"), ("estrato", "Estrato"))
    ]
    pair = Table([grids], colWidths=[half + 12, half], hAlign="LEFT")
    pair.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles["cell"].fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    story.append(pair)
    return story


def _catalog_grid(
    name: str, catalog: dict[str, str], styles: Styles, width: float
) -> Table:
    head = styles["head"]
    rows: list[list[Any]] = [[para("Código", head), para(name, head)]]
    for code in sorted(catalog, key=lambda c: (len(c), c)):
        rows.append([code, para(catalog[code], styles["cell"])])
    grid = Table(rows, colWidths=[52, width - 52], repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles["cell"].fontName),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return grid


def signatures(settings: Settings, styles: Styles, width: float) -> list[Flowable]:
    """Return the Proyectó / Revisó / Aprobó block, kept on one page."""
    return [KeepTogether([
        Spacer(1, 18),
        para("Firmas", styles["h2"]),
        Spacer(1, SIGNATURE_SPACE),
        _signature_grid(settings.firmas, styles, width),
    ])]


def _signature_grid(firmas: Sequence[Any], styles: Styles, width: float) -> Table:
    """Lay out one column per signatory, with a gap column between them."""
    gap = 18.0
    column = (width - gap * (len(firmas) - 1)) / len(firmas)
    rows: list[list[Any]] = [[], [], []]
    for i, firma in enumerate(firmas):
        if i:
            for row in rows:
                row.append("")
        rows[0].append(para(firma.rol, styles["note"]))
        rows[1].append(para(firma.nombre or DASH, styles["cell_bold"]))
        rows[2].append(para(firma.cargo, styles["cell"]))
    widths = [column if i % 2 == 0 else gap for i in range(len(rows[0]))]

    grid = Table(rows, colWidths=widths, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), styles["cell"].fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for i in range(0, len(widths), 2):
        commands.append(("LINEABOVE", (i, 0), (i, 0), 0.6, INK))
    grid.setStyle(TableStyle(commands))
    return grid


def _join(items: Sequence[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} y {items[-1]}"
