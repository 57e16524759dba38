"""The committee's PDF report of one month, built with reportlab's platypus.

The report embeds DejaVu Sans (shipped with matplotlib) so it reads the same
on every computer, formats every figure with `core.formatting`, and is
written to a temporary file that replaces the target only when complete.
Given the month's tablero de control (the history has earlier months), it
adds a section on the month-to-month evolution before the conclusions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from core import charts
from core import conclusions as phrases
from core import report_sections as sections
from core.atomic import atomic_path
from core.evolution import Dashboard, column_titles
from core.evolution_charts import month_label
from core.formatting import (
    DASH,
    fmt_date,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_pesos,
    fmt_value,
)
from core.model import Check, MonthResult, QualityItem, Summary
from core.model import Table as ResultTable
from core.resources import resource_path
from core.settings import Settings
from core.survey import CROSS_FIELDS, indicators_by, survey_file
from core.tables import TOP_BARRIO_TABLES, top_barrios

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

PAGE_SIZE = letter  # Carta, the usual office paper in Colombia
MARGIN = 2 * cm
TOP_MARGIN = 1.8 * cm
FOOTER_Y = 1.0 * cm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
CHART_DPI = 170
BARRIO_ROWS = 20
KEEP_WITH_CHART_ROWS = 14  # tables this short stay on the page of their chart
BESIDE_ROWS = 10  # short, narrow tables of counts sit beside their chart
BESIDE_SHARE = 0.48
GAP = 0.5 * cm
CELL_PAD = 10.0
LOGO_HEIGHT = 3 * cm  # left and right padding of a cell, with a little air

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}

INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#5f6b73")
BRAND = colors.HexColor("#1f4e79")
BRAND_LIGHT = colors.HexColor("#e8eef4")
ZEBRA = colors.HexColor("#f6f8fa")
RULE = colors.HexColor("#c9d3dd")
OK_COLOR = colors.HexColor("#2e7d32")
BAD_COLOR = colors.HexColor("#c62828")

# Results by component, after the methodology's variable groups, with the
# tables each holds; then the segments' offer. Tables not placed go to the
# last annex.
RESULT_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Componente geográfico",
        ("usuarios_por_comuna", "morosos_por_comuna", "barrios_mas_morosos",
         "barrios_mas_deuda"),
    ),
    (
        "Componente demográfico",
        ("usuarios_por_uso", "usuarios_por_estrato", "usuarios_por_tipo_persona"),
    ),
    (
        "Componente intrínseco: encuesta de percepción",
        ("encuesta", "encuesta_distribucion", "encuesta_por_comuna",
         "encuesta_por_estrato"),
    ),
    (
        "Componente de comportamiento: consumo y cartera",
        (
            "consumo_por_estrato",
            "consumo_por_uso",
            "morosos_por_estrato",
            "morosos_por_uso",
            "cartera_por_edades",
            "segmentos_por_atraso",
        ),
    ),
)
# What each component shows, read before its first table.
COMPONENT_TEXTS = {
    "Componente geográfico": (
        "Usuarios activos y morosidad por comuna, y los diez barrios con más "
        "usuarios morosos y con mayor deuda."
    ),
    "Componente demográfico": "Usuarios activos por uso, estrato y tipo de persona.",
    "Componente intrínseco: encuesta de percepción": (
        "Indicadores de la encuesta con su margen de error, distribución de las "
        "respuestas de cada pregunta y cruces por comuna y estrato."
    ),
    "Componente de comportamiento: consumo y cartera": (
        "Consumo promedio y mediano (m³) por estrato y por uso, y cartera morosa "
        "por estrato, uso, edad y segmento de atraso. La cartera por comuna está "
        "en el componente geográfico."
    ),
}
OFFER_TABLES = ("oferta_institucional",)
BARRIO_ANNEX_TABLES = ("morosos_por_barrio",)
# Tables whose chart would repeat another one's figures.
NO_CHART = frozenset(
    {
        "oferta_institucional",
        "encuesta_por_comuna",
        "encuesta_por_estrato",
        "morosos_por_barrio",  # its top ten have their charts in the results
    }
)

COLUMN_TITLES = {
    "codigo": "Código",
    "descripcion": "Descripción",
    "usuarios": "Usuarios",
    "porcentaje": "%",
    "comuna": "Comuna",
    "barrio": "Barrio",
    "tipo_persona": "Tipo de persona",
    "deuda": "Deuda",
    "porcentaje_deuda": "% de la deuda",
    "tasa_morosidad": "Tasa de morosidad",
    "edad": "Edad (meses)",
    "segmento": "Segmento (días)",
    "nombre": "Segmento",
    "necesidad": "Necesidad clave",
    "oferta": "Oferta institucional",
    "herramienta": "Herramienta PSC/MIPG",
    "consumo_promedio": "Consumo promedio (m³)",
    "consumo_mediana": "Consumo mediano (m³)",
    "indicador": "Indicador",
    "respuestas": "Respuestas",
    "margen_error": "Margen de error (±)",
    "pregunta": "Pregunta",
    "estrato": "Estrato",
    "respuesta": "Respuesta",
}
# Tables whose first column groups rows: print it once per group.
GROUPED_TABLES = frozenset(
    {"encuesta_distribucion", "encuesta_por_comuna", "encuesta_por_estrato"}
)

# The Evolución section: its subsections and the tablero's tables each holds.
EVOLUTION_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Cifras principales frente a meses anteriores", ("comparacion_mensual",)),
    (
        "Tendencia de la morosidad",
        ("tendencia", "tendencia_segmentos", "tendencia_segmentos_deuda",
         "tendencia_comunas", "tendencia_comunas_deuda", "tendencia_comunas_tasa"),
    ),
    (
        "Transiciones entre segmentos de atraso",
        ("transiciones", "transiciones_deuda", "transiciones_sin_dato",
         "transiciones_resumen"),
    ),
    ("Tasas de rodamiento", ("tasas_de_rodamiento",)),
    ("Recuperación de la cartera morosa", ("recuperacion", "recuperacion_por_comuna")),
    ("Cohortes de nuevos morosos", ("cohortes_morosos",)),
)
TABLERO_TABLES = frozenset(t for _title, ids in EVOLUTION_SECTIONS for t in ids)
EVOLUTION_MONTHS = 13  # trends show the last year and a month
EVOLUTION_COHORTS = 6
EVOLUTION_TEXTS = {
    "Tendencia de la morosidad": (
        "Una fila por mes guardado en el historial: los morosos, la cartera morosa "
        "y el porcentaje de morosos en total, las cuentas con saldo y su deuda por "
        "segmento de atraso, y los morosos, la cartera morosa y la tasa de "
        "morosidad por comuna."
    ),
    "Transiciones entre segmentos de atraso": (
        "Cada cuenta con saldo en alguno de los dos meses, según su segmento el mes "
        "anterior (filas) y este mes (columnas). «Nuevo»: sin saldo el mes anterior; "
        "«sin saldo o retirado»: sin saldo este mes, porque pagó o salió de la "
        "cartera."
    ),
    "Tasas de rodamiento": (
        "Qué parte de las cuentas de cada segmento el mes anterior pasó este mes al "
        "segmento siguiente, más viejo: la cartera que se está envejeciendo."
    ),
    "Recuperación de la cartera morosa": (
        "Lo que redujeron su deuda los morosos del mes anterior, por segmento y por "
        "comuna. Un aumento de la deuda cuenta como cero y una cuenta que ya no "
        "tiene saldo, como pagada del todo."
    ),
    "Cohortes de nuevos morosos": (
        "Los nuevos morosos de cada mes (cuentas en mora que el mes anterior no lo "
        "estaban) y qué fue de ellos uno, dos y tres meses después: ya no están en "
        "mora (sin saldo o con menos de 31 días), siguen en mora en su segmento de "
        "entrada o uno más joven, o pasaron a un segmento más viejo."
    ),
}
EVOLUTION_PHRASES: dict[str, tuple[Callable[[Dashboard], Any], ...]] = {
    "Cifras principales frente a meses anteriores": (
        phrases.comparacion_mes_anterior, phrases.comparacion_anual,
    ),
    "Transiciones entre segmentos de atraso": (phrases.evolucion_movimientos,),
    "Tasas de rodamiento": (phrases.evolucion_rodamiento,),
    "Recuperación de la cartera morosa": (phrases.evolucion_recuperacion,),
    "Cohortes de nuevos morosos": (phrases.evolucion_cohortes,),
}


def write_report(
    result: MonthResult,
    path: Path | str,
    settings: Settings,
    progress: Progress | None = None,
    *,
    fecha_emision: dt.date | None = None,
    tablero: Dashboard | None = None,
) -> None:
    """Write the committee's PDF report of `result` to `path`, atomically.

    `tablero` is the month's tablero de control (`core.evolution`), for the
    Evolución section and the comparison in the conclusions; without it the
    report covers the month alone.
    """
    started = time.perf_counter()
    report = progress or _no_progress
    if tablero is not None and tablero.periodo != result.periodo:
        raise ValueError(
            f"el tablero es de {tablero.periodo} y el informe de {result.periodo}"
        )
    register_fonts()
    styles = _styles()

    report(0.0, "Preparando el informe…")
    issued = fecha_emision or dt.date.today()
    tables = report_tables(result, settings)
    evolution = len(tablero.tablas) if tablero is not None else 0
    numbering = _Numbering(report, total=len(tables) + evolution)
    story = _cover(result, settings, styles, issued)
    story += [*sections.contents(styles), PageBreak()]
    story += _front_matter(result, settings, styles)
    story += _results(tables, styles, numbering)
    number = 7
    if tablero is not None:
        story += _evolution(tablero, number, styles, numbering)
        number += 1
    story += sections.conclusions_section(result, number, styles, tablero)
    story += sections.recommendations(settings, number + 1, styles)
    story += sections.signatures(settings, styles, CONTENT_WIDTH)
    story += _annexes(result, settings, tables, styles, numbering)

    report(0.9, "Componiendo el PDF…")
    pages: list[int] = []
    footer = _numbered_canvas(_footer_text(result, settings), pages)
    with atomic_path(path) as tmp:
        _document(tmp, result, settings).multiBuild(story, canvasmaker=footer)

    report(1.0, "Informe listo")
    logger.info(
        "informe PDF de %s escrito: %d páginas en %.1f s",
        result.periodo, pages[-1] if pages else 0, time.perf_counter() - started,
    )


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique) with reportlab, once."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = _font_folder()
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    registerFontFamily(
        FONT,
        normal=FONT,
        bold=FONT_BOLD,
        italic="DejaVuSans-Oblique",
        boldItalic="DejaVuSans-BoldOblique",
    )


def _font_folder() -> Path:
    shipped = resource_path("fonts")
    if (shipped / FONT_FILES[FONT]).is_file():
        return shipped
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _no_progress(_fraction: float, _text: str) -> None:
    return None


# --- document and pages --------------------------------------------------------


def _document(target: Path, result: MonthResult, settings: Settings) -> Any:
    frame = Frame(
        MARGIN, TOP_MARGIN, CONTENT_WIDTH, PAGE_SIZE[1] - 2 * TOP_MARGIN,
        id="cuerpo",
    )
    doc = sections.ReportDocTemplate(
        str(target),
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=TOP_MARGIN,
        title=f"{_report_title(settings)} · {fmt_month(result.periodo)}",
        author=settings.entidad.get("nombre", ""),
        subject="Informe de caracterización de usuarios y cartera",
        creator="Caracterización de usuarios",
        initialFontName=FONT,  # else every page declares Helvetica, not embedded
        initialFontSize=9.5,
    )
    doc.addPageTemplates([
        PageTemplate(id="portada", frames=[frame]),
        PageTemplate(id="cuerpo", frames=[frame]),
    ])
    return doc


def _numbered_canvas(footer: str, pages: list[int]) -> type[Canvas]:
    """Return a canvas class that writes "Página X de Y" once Y is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            pages.append(total)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            width = PAGE_SIZE[0]
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, FOOTER_Y + 10, width - MARGIN, FOOTER_Y + 10)
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, FOOTER_Y, footer)
            number = f"Página {self._pageNumber} de {total}"
            self.drawRightString(width - MARGIN, FOOTER_Y, number)
            self.restoreState()

    return NumberedCanvas


def _footer_text(result: MonthResult, settings: Settings) -> str:
    entidad = settings.entidad.get("nombre", "")
    return f"{entidad} · {_report_title(settings)} · {fmt_month(result.periodo)}"


def _report_title(settings: Settings) -> str:
    return settings.entidad.get("titulo_informe") or "Caracterización de usuarios"


# --- styles -------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "base", fontName=FONT, fontSize=9.5, leading=13, textColor=INK,
        bulletFontName=FONT,
    )

    def style(name: str, **kwargs: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kwargs)

    return {
        "body": style("body", spaceAfter=6),
        "bullet": style(
            "bullet", leftIndent=12, bulletIndent=2, bulletFontName=FONT,
            spaceAfter=3,
        ),
        "h1": style(
            "h1", fontName=FONT_BOLD, fontSize=14, leading=18, textColor=BRAND,
            spaceBefore=6, spaceAfter=8,
        ),
        "h1sub": style(
            "h1sub", fontName=FONT_BOLD, fontSize=12, leading=16, textColor=BRAND,
            spaceBefore=8, spaceAfter=4,
        ),
        "h2": style(
            "h2", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=10,
            spaceAfter=3,
        ),
        "note": style("note", fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=4),
        "caption": style(
            "caption", fontSize=8, leading=10, textColor=MUTED, alignment=TA_CENTER,
            spaceBefore=2, spaceAfter=6,
        ),
        "cell": style("cell", fontSize=8, leading=10),
        "cell_bold": style("cell_bold", fontName=FONT_BOLD, fontSize=8, leading=10),
        "head": style(
            "head", fontName=FONT_BOLD, fontSize=8, leading=10, textColor=colors.white
        ),
        "head_right": style(
            "head_right", fontName=FONT_BOLD, fontSize=8, leading=10,
            textColor=colors.white, alignment=TA_RIGHT,
        ),
        "card_label": style("card_label", fontSize=8.5, leading=11, textColor=MUTED),
        "card_value": style(
            "card_value", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=BRAND
        ),
        "card_note": style("card_note", fontSize=7.5, leading=9.5, textColor=MUTED),
        "cover_entity": style(
            "cover_entity", fontName=FONT_BOLD, fontSize=15, leading=20,
            alignment=TA_CENTER, textColor=INK,
        ),
        "cover_title": style(
            "cover_title", fontName=FONT_BOLD, fontSize=26, leading=32,
            alignment=TA_CENTER, textColor=BRAND, spaceBefore=18,
        ),
        "cover_sub": style(
            "cover_sub", fontSize=12, leading=16, alignment=TA_CENTER,
            textColor=MUTED, spaceBefore=8,
        ),
        "cover_field": style(
            "cover_field", fontSize=10.5, leading=14, alignment=TA_LEFT
        ),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    """Return a Paragraph of plain text (escaped: `&` and `<` are not markup)."""
    return Paragraph(escape(str(text)), style)


# --- cover, summary and rules ------------------------------------------------------


def _cover(
    result: MonthResult,
    settings: Settings,
    styles: dict[str, ParagraphStyle],
    issued: dt.date,
) -> list[Flowable]:
    entidad = settings.entidad
    fields = [
        ("Periodo", fmt_month(result.periodo)),
        ("Fecha de corte", fmt_date(result.fecha_corte)),
        ("Fecha de emisión", fmt_date(issued)),
        ("Ciudad", entidad.get("ciudad") or DASH),
    ]
    rows = [
        [_p(label, styles["card_label"]), _p(value, styles["cover_field"])]
        for label, value in fields
    ]
    facts = Table(rows, colWidths=[4.2 * cm, 7 * cm], hAlign="CENTER")
    facts.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))

    logo = _logo(settings)
    return [
        *(logo or [Spacer(1, 4.5 * cm)]),
        _p(entidad.get("nombre", ""), styles["cover_entity"]),
        _p(_report_title(settings), styles["cover_title"]),
        _p(
            "Usuarios, cartera y percepción del servicio. Informe para el comité "
            "institucional de gestión y desempeño",
            styles["cover_sub"],
        ),
        Spacer(1, 2.2 * cm),
        facts,
        NextPageTemplate("cuerpo"),
        PageBreak(),
    ]


def _front_matter(
    result: MonthResult, settings: Settings, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """Return sections 1 to 4: introduction, objectives, scope, methodology."""
    story = sections.introduction(settings, 1, styles)
    story += sections.objectives(settings, 2, styles)
    story += [CondPageBreak(10 * cm), *sections.scope(result, 3, styles)]
    story += _summary_section(result.resumen, styles)
    story += _sources(result, styles)
    story += _rules_section(result, settings, styles)
    return story


def _logo(settings: Settings) -> list[Flowable]:
    """Return the entity's logo, at most 3 cm tall, or nothing without one."""
    path = settings.logo
    if path is None:
        return []
    try:
        width, height = ImageReader(str(path)).getSize()
    except (OSError, ValueError) as exc:
        logger.warning("no se pudo leer el logo del informe: %s", exc)
        return []
    scale = min(LOGO_HEIGHT / height, CONTENT_WIDTH / 2 / width)
    image = Image(str(path), width=width * scale, height=height * scale)
    return [Spacer(1, 1.5 * cm), image, Spacer(1, 1.2 * cm)]


def _summary_section(
    summary: Summary, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    nbsp = "\u00a0"  # keeps "$" with its figure when the line wraps
    cards = [
        ("Usuarios activos", fmt_int(summary.usuarios_activos),
         "Cuentas de la guía de usuarios, sin estados inactivos."),
        ("Usuarios morosos", fmt_int(summary.usuarios_morosos),
         "Cuentas con deuda y 31 días de mora o más."),
        ("Porcentaje de morosos", fmt_pct(summary.porcentaje_morosos),
         "Morosos sobre usuarios activos."),
        ("Cartera morosa", fmt_pesos(summary.cartera_morosa),
         "Deuda de los usuarios morosos."),
        ("Deuda promedio por moroso", fmt_pesos(summary.deuda_promedio),
         "Cartera morosa dividida entre los morosos."),
        ("Cuentas con saldo", fmt_int(summary.cuentas_con_saldo),
         "Cuentas con deuda mayor que cero, en mora o no."),
        ("Cartera total", fmt_pesos(summary.cartera_total),
         "Deuda de todas las cuentas con saldo."),
        ("Saldo a favor", fmt_pesos(summary.saldo_a_favor),
         "Saldos netos negativos; no se restan de la deuda."),
    ]
    text = _summary_sentence(summary).replace("$ ", f"${nbsp}")

    return [
        _p("Cifras principales", styles["h2"]),
        _cards(cards, styles),
        Spacer(1, 10),
        _p(text, styles["body"]),
    ]


def _summary_sentence(summary: Summary) -> str:
    text = f"En el periodo hay {fmt_int(summary.usuarios_activos)} usuarios activos."
    if not summary.usuarios_morosos:
        return text + " Ningún usuario está en mora."
    share = ""
    if summary.porcentaje_morosos is not None:
        share = f" ({fmt_pct(summary.porcentaje_morosos)} de los activos)"
    return (
        f"{text} {fmt_int(summary.usuarios_morosos)} usuarios{share} están en "
        f"mora, con una cartera morosa de {fmt_pesos(summary.cartera_morosa)} y "
        f"una deuda promedio de {fmt_pesos(summary.deuda_promedio)} por usuario "
        f"moroso."
    )


def _cards(
    cards: Sequence[tuple[str, str, str]], styles: dict[str, ParagraphStyle]
) -> Table:
    cells = [
        [
            _p(label, styles["card_label"]),
            _p(value, styles["card_value"]),
            _p(note, styles["card_note"]),
        ]
        for label, value, note in cards
    ]
    rows: list[list[Any]] = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append("")
    gap = 0.4 * cm
    width = (CONTENT_WIDTH - gap) / 2
    grid = Table(rows, colWidths=[width, width], hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, -1), BRAND_LIGHT),
        ("LINEBEFORE", (0, 0), (-1, -1), 3, BRAND),
        ("LINEBELOW", (0, 0), (-1, -1), 4, colors.white),
        ("LINEAFTER", (0, 0), (0, -1), 6, colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    return grid


def _rules_section(
    result: MonthResult, settings: Settings, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [
        CondPageBreak(8 * cm),
        sections.heading("4. Metodología", styles["h1"], 0),
        _p(METHOD_TEXT, styles["body"]),
    ]
    story.append(_p(
        "Las cifras de este informe siguen estas reglas, con los valores vigentes "
        "para el periodo.",
        styles["body"],
    ))
    for text in _rule_texts(result, settings):
        story.append(Paragraph(escape(text), styles["bullet"], bulletText="•"))
    return story


METHOD_TEXT = (
    "La caracterización agrupa las variables en los cuatro componentes de la "
    "Guía de caracterización de ciudadanía y grupos de valor: geográfico "
    "(comuna, barrio), demográfico (uso, estrato, tipo de persona), intrínseco "
    "(la encuesta de percepción) y de comportamiento (consumo y cartera). Cada "
    "cuenta se clasifica con estas reglas."
)


def _rule_texts(result: MonthResult, settings: Settings) -> list[str]:
    rules = result.reglas

    def rule(key: str) -> Any:
        return rules[key] if key in rules else getattr(settings, key)

    estados = ", ".join(sorted(str(e) for e in rule("estados_inactivos")))
    dias = int(rule("dias_moroso"))
    segments = _segment_labels([int(e) for e in rule("segmentos_dias")])
    first_month = max(1, (dias - 1) // 30)
    ages = _age_labels([int(e) for e in rule("edades_meses")], first_month)
    prescription = int(rule("meses_prescripcion"))
    names = settings.segmentos.get("nombres", [])
    segment_text = "; ".join(
        f"{label} días: {names[i]}" if i < len(names) else f"{label} días"
        for i, label in enumerate(segments)
    )

    return [
        f"Usuarios activos: cuentas de la guía de usuarios, cada una contada una "
        f"vez, excepto las de estado {estados}. Las suspendidas y cortadas siguen "
        f"siendo usuarios. El estado no se aplica a la cartera.",
        "Deuda de una cuenta: suma neta de todas sus líneas en la conciliación de "
        "cartera. Un saldo neto negativo es saldo a favor: se informa aparte y no "
        "entra en los totales de deuda, los porcentajes ni los gráficos.",
        "Días de mora de una cuenta: el mayor entre sus líneas con saldo positivo. "
        "Edad en meses = parte entera de (días − 1) / 30. Una cuenta con deuda y "
        "sin días de mora queda en el segmento «sin dato» y no cuenta como morosa.",
        f"Usuario moroso: cuenta con deuda mayor que cero y {dias} días de mora o "
        f"más. Porcentaje de morosos = morosos / usuarios activos; deuda promedio "
        f"= cartera morosa / morosos; tasa de morosidad de un grupo = sus morosos "
        f"/ sus usuarios activos.",
        f"Segmentos de atraso (todas las cuentas con deuda): {segment_text}.",
        f"Edades de cartera (usuarios morosos, en meses): {', '.join(ages)}. Las "
        f"deudas de {prescription} meses o más están en riesgo de prescripción.",
        "Clasificación de un moroso (estrato, uso, comuna, barrio): la de la guía "
        "de usuarios; la de la cartera si la cuenta no está en la guía.",
        "Redondeo: los montos se calculan exactos y se muestran redondeados al "
        "peso (la mitad hacia arriba). Los porcentajes de cada tabla tienen un "
        "decimal y suman exactamente 100,0 (método del mayor residuo).",
    ]


def _segment_labels(edges: list[int]) -> list[str]:
    labels, low = [], 0
    for edge in edges:
        labels.append(f"{low}-{edge}")
        low = edge + 1
    return [*labels, f"{low}+"]


def _age_labels(edges: list[int], first: int) -> list[str]:
    labels, low = [], first
    for edge in edges:
        labels.append(f"{low}-{edge}")
        low = edge + 1
    return [*labels, f"{low}+"]


# --- result tables ------------------------------------------------------------


def report_tables(result: MonthResult, settings: Settings) -> dict[str, ResultTable]:
    """Return the month's tables plus those the report derives from them.

    The report adds the top barrios (from `morosos_por_barrio`) and the
    survey's indicators by comuna and estrato (from the survey file), unless
    the month already carries them.
    """
    tables = dict(result.tablas)
    barrios = tables.get("morosos_por_barrio")
    if barrios is not None and barrios.filas:
        for table_id in TOP_BARRIO_TABLES:
            tables.setdefault(table_id, top_barrios(barrios, table_id))

    loaded = survey_file(result.fuentes)
    if loaded is not None:
        for field in CROSS_FIELDS:
            cross = indicators_by(
                loaded, settings, result.resumen.usuarios_activos, field
            )
            if cross is not None:
                tables.setdefault(cross.id, cross)
    return tables


@dataclass
class _Numbering:
    """Numbers tables and charts across the report and reports progress."""

    report: Progress
    total: int
    done: int = 0

    def next(self, table: ResultTable) -> int:
        self.report(0.05 + 0.85 * self.done / max(self.total, 1),
                    f"Gráfico: {table.titulo}")
        self.done += 1
        return self.done


def _placed_ids() -> list[str]:
    ids = [t for _title, group in RESULT_SECTIONS for t in group]
    return [*ids, *OFFER_TABLES, *BARRIO_ANNEX_TABLES]


def _results(
    tables: dict[str, ResultTable],
    styles: dict[str, ParagraphStyle],
    numbering: _Numbering,
) -> list[Flowable]:
    """Return section 5 (results by component) and 6 (segments and offer)."""
    story: list[Flowable] = [CondPageBreak(9 * cm)]
    lead: list[Flowable] = [
        sections.heading("5. Resultados por componente", styles["h1"], 0)
    ]
    number = 0
    for title, ids in RESULT_SECTIONS:
        present = [tables[i] for i in ids if i in tables]
        if not present:
            continue
        number += 1
        lead.append(sections.heading(f"5.{number}. {title}", styles["h1sub"], 1))
        if title in COMPONENT_TEXTS:
            lead.append(_p(COMPONENT_TEXTS[title], styles["body"]))
        story += _table_group(present, lead, styles, numbering)
        lead = []

    offer = [tables[i] for i in OFFER_TABLES if i in tables]
    heading = sections.heading(
        "6. Segmentación y oferta institucional", styles["h1"], 0
    )
    lead = [heading, _p(OFFER_TEXT, styles["body"])]
    story.append(CondPageBreak(9 * cm))
    story += _table_group(offer, lead, styles, numbering)
    return story


OFFER_TEXT = (
    "Cada segmento de atraso tiene su necesidad, su oferta institucional y su "
    "herramienta de la Política de Servicio al Ciudadano y el MIPG. La tabla "
    "muestra cuántas cuentas con saldo hay en cada segmento, su deuda y su "
    "parte de la deuda total."
)


def _table_group(
    tables: Sequence[ResultTable],
    lead: Sequence[Flowable],
    styles: dict[str, ParagraphStyle],
    numbering: _Numbering,
) -> list[Flowable]:
    """Lay out tables one after another; `lead` travels with the first."""
    story: list[Flowable] = []
    for table in tables:
        story += _table_block(table, numbering.next(table), styles, lead)
        lead = []
    if lead:
        story += list(lead)
    return story


def _annexes(
    result: MonthResult,
    settings: Settings,
    tables: dict[str, ResultTable],
    styles: dict[str, ParagraphStyle],
    numbering: _Numbering,
) -> list[Flowable]:
    """Return the annexes: reconciliation, data quality, catalogs, barrios."""
    story: list[Flowable] = [PageBreak()]
    story += _checks_section(result.conciliacion, "Anexo A. Conciliación", styles)
    story += _quality_section(result, "Anexo B. Calidad de los datos", styles)
    story += [CondPageBreak(10 * cm)]
    story += sections.catalogs(
        settings, "Anexo C. Catálogos de códigos", styles, CONTENT_WIDTH
    )

    placed = set(_placed_ids()) - set(BARRIO_ANNEX_TABLES)
    rest = [t for key, t in tables.items() if key not in placed]
    if rest:
        heading = sections.heading("Anexo D. Tablas complementarias", styles["h1"], 0)
        story += [CondPageBreak(9 * cm)]
        story += _table_group(rest, [heading], styles, numbering)
    return story


def _table_block(
    table: ResultTable,
    number: int,
    styles: dict[str, ParagraphStyle],
    lead: Sequence[Flowable] = (),
    parts: Sequence[ResultTable] | None = None,
) -> list[Flowable]:
    """Lay out a table with its title, notes and chart.

    `parts` are the pieces to print instead of the whole table, one under
    the other (a table too wide for the page); wide tablero tables are cut
    by columns on their own.
    """
    table, trimmed = _recent(table)
    shown, note = _shown_table(table)
    heading = [*lead, _p(f"Tabla {number}. {table.titulo}", styles["h2"])]
    for text in (table.nota, trimmed, note):
        if text:
            heading.append(_p(text, styles["note"]))

    has_chart = table.id not in NO_CHART and bool(table.filas)
    compact = _column_widths(shown, _header(shown, styles), fill=False)
    if parts is None and has_chart and _fits_beside(shown, compact):
        grid = _grid(shown, styles, compact)
        side = _beside(table, grid, sum(compact), number, styles)
        return [KeepTogether([*heading, side]), Spacer(1, 10)]

    pieces = list(parts) if parts is not None else _column_parts(shown, styles)
    grids = _stacked(pieces, styles)
    chart = _chart(table, number, styles) if has_chart else []
    if len(shown.filas) * len(pieces) <= KEEP_WITH_CHART_ROWS:
        return [KeepTogether([*heading, *grids, *chart]), Spacer(1, 10)]
    return [KeepTogether([*heading, *grids[:1]]), *grids[1:], KeepTogether(chart),
            Spacer(1, 10)]


def _stacked(
    parts: Sequence[ResultTable], styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    grids: list[Flowable] = []
    for i, part in enumerate(parts):
        if i:
            grids.append(Spacer(1, 6))
        grids.append(_grid(part, styles))
    return grids


def _fits_beside(table: ResultTable, widths: Sequence[float]) -> bool:
    return (
        "pesos" not in table.tipos
        and table.tipos_celdas is None
        and not table.id.startswith("tendencia")  # lines over months need width
        and len(table.filas) <= BESIDE_ROWS
        and sum(widths) <= CONTENT_WIDTH * BESIDE_SHARE
    )


def _beside(
    table: ResultTable,
    grid: Table,
    table_width: float,
    number: int,
    styles: dict[str, ParagraphStyle],
) -> Table:
    """Put a narrow table on the left and its chart on the right."""
    chart_width = CONTENT_WIDTH - table_width - GAP
    chart = _chart(table, number, styles, width=chart_width, height_in=2.6)
    pair = Table(
        [[grid, chart]], colWidths=[table_width + GAP, chart_width], hAlign="LEFT"
    )
    pair.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return pair


def _chart(
    table: ResultTable,
    number: int,
    styles: dict[str, ParagraphStyle],
    width: float = CONTENT_WIDTH * 0.96,
    height_in: float | None = None,
) -> list[Flowable]:
    width_in, natural_height = charts.chart_size(table, width_in=width / 72)
    height_in = height_in or natural_height
    png = charts.chart_png_bytes(table, dpi=CHART_DPI, size=(width_in, height_in))
    image = Image(BytesIO(png), width=width_in * 72, height=height_in * 72)
    caption = f"Gráfico {number}. {table.titulo}"
    if table.id == "morosos_por_barrio" and len(table.filas) > charts.BARRIO_TOP:
        caption += f" (los {charts.BARRIO_TOP} barrios con mayor deuda)"
    return [Spacer(1, 6), image, _p(caption, styles["caption"])]


def _shown_table(table: ResultTable) -> tuple[ResultTable, str]:
    """Return the table as printed, and a note on what was left out."""
    if table.id == "cohortes_morosos":
        return _grouped(_month_names(table)), ""
    if table.id in TABLERO_TABLES:
        return _month_names(table), ""
    if table.id in GROUPED_TABLES:
        return _grouped(table), ""
    if table.id == "oferta_institucional" and "nombre" in table.columnas:
        return _named_segments(table), ""
    if table.id != "morosos_por_barrio" or len(table.filas) <= BARRIO_ROWS:
        return table, ""
    return _top_barrios(table)


def _grouped(table: ResultTable) -> ResultTable:
    """Blank the first cell of each row that repeats the row above."""
    rows, previous = [], object()
    for row in table.filas:
        rows.append(["" if row[0] == previous else row[0], *row[1:]])
        previous = row[0]
    return dataclasses.replace(table, filas=rows)


def _named_segments(table: ResultTable) -> ResultTable:
    """Print «Prevención (0-30 días)» in one column, as the office writes it."""
    segment, name = table.columnas.index("segmento"), table.columnas.index("nombre")
    keep = [i for i in range(len(table.columnas)) if i != name]
    rows = []
    for row in table.filas:
        merged = list(row)
        merged[segment] = f"{row[name]} ({row[segment]} días)"
        rows.append([merged[i] for i in keep])
    return dataclasses.replace(
        table,
        columnas=[table.columnas[i] for i in keep],
        tipos=[table.tipos[i] for i in keep],
        filas=rows,
        total=None,
    )


def _top_barrios(table: ResultTable) -> tuple[ResultTable, str]:
    """Keep the barrios with the largest debt and sum the rest in one row."""
    debt = table.columnas.index("deuda")
    rows = sorted(table.filas, key=lambda row: row[debt] or 0, reverse=True)
    top, rest = rows[:BARRIO_ROWS], rows[BARRIO_ROWS:]
    other: list[Any] = []
    for i, (column, kind) in enumerate(zip(table.columnas, table.tipos)):
        if column == "barrio":
            other.append(f"Otros {fmt_int(len(rest))} barrios")
        elif kind == "texto":
            other.append("")
        else:
            other.append(sum((row[i] for row in rest if row[i] is not None), 0))
    shown = dataclasses.replace(table, filas=[*top, other], nota="")
    note = (
        f"Se muestran los {BARRIO_ROWS} barrios con mayor deuda, de "
        f"{fmt_int(len(table.filas))}; los demás se suman en una fila. El total "
        f"corresponde a todos los barrios."
    )
    return shown, note


def _grid(
    table: ResultTable,
    styles: dict[str, ParagraphStyle],
    widths: Sequence[float] | None = None,
) -> Table:
    """Lay out a result table: wrapped text, right-aligned figures, total row."""
    numeric = [kind != "texto" for kind in table.tipos]
    header = _header(table, styles)
    body = [
        _cells(row, _row_kinds(table, r), styles["cell"])
        for r, row in enumerate(table.filas)
    ]
    data: list[list[Any]] = [header, *body]
    if table.total is not None:
        data.append(_cells(table.total, table.tipos, styles["cell_bold"]))

    widths = list(widths or _column_widths(table, header))
    grid = LongTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(_grid_style(table, numeric, len(data)))
    return grid


def _header(
    table: ResultTable, styles: dict[str, ParagraphStyle]
) -> list[Paragraph]:
    titles = column_titles(table) if table.id in TABLERO_TABLES else {}
    return [
        _p(
            titles.get(col) or COLUMN_TITLES.get(
                col, col.replace("_", " ").capitalize()),
            styles["head" if kind == "texto" else "head_right"],
        )
        for col, kind in zip(table.columnas, table.tipos)
    ]


def _row_kinds(table: ResultTable, row: int) -> list[str]:
    return [table.tipo(row, column) for column in range(len(table.columnas))]


def _cells(
    row: Sequence[Any], kinds: Sequence[str], style: ParagraphStyle
) -> list[Any]:
    cells: list[Any] = []
    for value, kind in zip(row, kinds):
        if kind == "texto":
            cells.append(_p(DASH if value is None else value, style))
        else:
            cells.append(fmt_value(value, kind))
    return cells


def _grid_style(table: ResultTable, numeric: list[bool], n_rows: int) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), BRAND),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for i, is_num in enumerate(numeric):
        if is_num:
            commands.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    if table.total is not None:
        last = n_rows - 1
        commands += [
            ("FONTNAME", (0, last), (-1, last), FONT_BOLD),
            ("BACKGROUND", (0, last), (-1, last), BRAND_LIGHT),
            ("LINEABOVE", (0, last), (-1, last), 0.8, BRAND),
        ]
    return TableStyle(commands)


def _column_widths(
    table: ResultTable, header: Sequence[Paragraph], fill: bool = True
) -> list[float]:
    """Give figures the width they need and share the rest among text columns.

    With `fill`, the table spans the page; without it, it is as narrow as
    its contents allow.
    """
    widths, text = _column_extents(table, header)
    natural_total = sum(widths) + sum(n for _m, n in text.values())
    if not fill and natural_total <= CONTENT_WIDTH:
        return [text[i][1] if i in text else w for i, w in enumerate(widths)]
    return _share_text_width(widths, text)


def _column_extents(
    table: ResultTable, header: Sequence[Paragraph]
) -> tuple[list[float], dict[int, tuple[float, float]]]:
    """Return the widths of figure columns and the (minimum, natural) of text."""
    kinds = [_row_kinds(table, r) for r in range(len(table.filas))]
    if table.total:
        kinds.append(list(table.tipos))
    rows = [*table.filas, *([table.total] if table.total else [])]
    widths: list[float] = []
    text: dict[int, tuple[float, float]] = {}  # column: (minimum, natural)

    for i, kind in enumerate(table.tipos):
        head = _header_width(header[i].getPlainText())
        if kind == "texto":
            cells = [str(row[i]) for row in rows if row[i] is not None]
            text[i] = _text_extent(cells, head)
            widths.append(0.0)
        else:
            cells = [fmt_value(row[i], k[i]) for row, k in zip(rows, kinds)]
            longest = max((stringWidth(c, FONT_BOLD, 8) for c in cells), default=0)
            widths.append(max(longest + CELL_PAD, head, 42.0))
    return widths, text


def _header_width(title: str) -> float:
    words = title.split() or [""]
    longest = max(stringWidth(w, FONT_BOLD, 8) for w in words)
    two_lines = stringWidth(title, FONT_BOLD, 8) / 2 + 6
    return max(longest, two_lines) + CELL_PAD


def _text_extent(cells: Sequence[str], head: float) -> tuple[float, float]:
    """Return the narrowest width that breaks no word, and the one-line width."""
    words = [w for cell in cells for w in cell.split()]
    minimum = max((stringWidth(w, FONT, 8) for w in words), default=0.0)
    natural = max((stringWidth(c, FONT, 8) for c in cells), default=0.0)
    minimum = max(minimum + CELL_PAD, head, 30.0)
    return minimum, max(natural + CELL_PAD, minimum)


def _share_text_width(
    widths: list[float], text: dict[int, tuple[float, float]]
) -> list[float]:
    left = CONTENT_WIDTH - sum(widths)
    if not text:
        scale = CONTENT_WIDTH / sum(widths)
        return [w * scale for w in widths] if scale < 1 else widths

    minimum = sum(m for m, _n in text.values())
    natural = sum(n for _m, n in text.values())
    for i, (low, high) in text.items():
        if natural <= left:
            widths[i] = high
        elif minimum < left:
            # Every column keeps its longest word whole; the room left is
            # shared by how much more each would need to fit on one line.
            widths[i] = low + (left - minimum) * (high - low) / (natural - minimum)
        else:
            widths[i] = low * left / minimum
    spare = CONTENT_WIDTH - sum(widths)
    if spare > 0:
        widest = max(text, key=lambda i: text[i][1])
        widths[widest] += spare
    return widths


# --- the evolution (tablero de control) ---------------------------------------------


def _evolution(
    tablero: Dashboard,
    number: int,
    styles: dict[str, ParagraphStyle],
    numbering: _Numbering,
) -> list[Flowable]:
    """Return the Evolución section: the tablero's tables, charts and sentences."""
    story: list[Flowable] = [CondPageBreak(9 * cm)]
    lead: list[Flowable] = [
        sections.heading(f"{number}. Evolución mensual", styles["h1"], 0),
        _p(_evolution_intro(tablero), styles["body"]),
    ]
    sub = 0
    for title, ids in EVOLUTION_SECTIONS:
        present = [tablero.tablas[i] for i in ids if i in tablero.tablas]
        if not present:
            continue
        sub += 1
        lead.append(sections.heading(f"{number}.{sub}. {title}", styles["h1sub"], 1))
        lead += [_p(text, styles["body"]) for text in _evolution_texts(title, tablero)]
        for table in present:
            parts = _comparison_parts(table, tablero)
            story += _table_block(table, numbering.next(table), styles, lead, parts)
            lead = []
    return story


def _evolution_intro(tablero: Dashboard) -> str:
    periods = tablero.periodos or [tablero.periodo_anterior, tablero.periodo]
    text = (
        f"Compara {fmt_month(tablero.periodo)} con "
        f"{fmt_month(tablero.periodo_anterior)}"
    )
    if tablero.periodo_hace_un_anio:
        text += f" y con {fmt_month(tablero.periodo_hace_un_anio)}"
    return (
        f"{text}, y sigue la cartera mes a mes con el historial de meses guardados "
        f"({len(periods)} meses, de {fmt_month(periods[0])} a "
        f"{fmt_month(periods[-1])}). Las cuentas se comparan por su matrícula."
    )


def _evolution_texts(title: str, tablero: Dashboard) -> list[str]:
    """Return a subsection's explanation and the sentences computed for it."""
    texts = [EVOLUTION_TEXTS[title]] if title in EVOLUTION_TEXTS else []
    for build in EVOLUTION_PHRASES.get(title, ()):
        found = build(tablero)
        if found is not None:
            texts.append(found.texto.replace("$ ", "$\u00a0"))
    return texts


def _comparison_parts(
    table: ResultTable, tablero: Dashboard
) -> list[ResultTable] | None:
    """Cut the headline comparison in two: against last month, a year before."""
    if table.id != "comparacion_mensual":
        return None
    now = _capital_month(tablero.periodo)
    pieces = [
        ([0, 1, 2, 3, 4], ["Indicador", now, _capital_month(tablero.periodo_anterior),
                           "Variación", "Variación %"]),
    ]
    if tablero.periodo_hace_un_anio:
        pieces.append(([0, 1, 5, 6, 7], [
            "Indicador", now, _capital_month(tablero.periodo_hace_un_anio),
            "Variación anual", "Variación anual %"]))
    return [_columns_of(table, keep, titles) for keep, titles in pieces]


def _capital_month(periodo: str) -> str:
    text = fmt_month(periodo)
    return text[:1].upper() + text[1:]


def _columns_of(
    table: ResultTable, keep: Sequence[int], titles: Sequence[str] | None = None
) -> ResultTable:
    """Return some columns of a table (with their cell kinds), maybe retitled."""
    cells = table.tipos_celdas
    return dataclasses.replace(
        table,
        columnas=list(titles) if titles else [table.columnas[i] for i in keep],
        tipos=[table.tipos[i] for i in keep],
        filas=[[row[i] for i in keep] for row in table.filas],
        total=None if table.total is None else [table.total[i] for i in keep],
        tipos_celdas=None if cells is None else [[k[i] for i in keep] for k in cells],
    )


def _column_parts(
    table: ResultTable, styles: dict[str, ParagraphStyle]
) -> list[ResultTable]:
    """Cut a tablero table too wide for the page into pieces of whole columns.

    Every piece repeats the first column (the month, or the segment).
    """
    if table.id not in TABLERO_TABLES:
        return [table]
    widths, text = _column_extents(table, _header(table, styles))
    natural = [text[i][1] if i in text else w for i, w in enumerate(widths)]
    if sum(natural) <= CONTENT_WIDTH:
        return [table]

    count = len(_greedy_groups(natural))
    columns = list(range(1, len(natural)))
    size = -(-len(columns) // count)  # as even as the pieces can be
    groups = [[0, *columns[i:i + size]] for i in range(0, len(columns), size)]
    if any(sum(natural[j] for j in group) > CONTENT_WIDTH for group in groups):
        groups = _greedy_groups(natural)
    return [_columns_of(table, group) for group in groups]


def _greedy_groups(natural: Sequence[float]) -> list[list[int]]:
    """Fill each piece with as many columns as fit, after the first column."""
    groups: list[list[int]] = [[0]]
    for i in range(1, len(natural)):
        used = sum(natural[j] for j in groups[-1])
        if len(groups[-1]) > 1 and used + natural[i] > CONTENT_WIDTH:
            groups.append([0])
        groups[-1].append(i)
    return groups


def _recent(table: ResultTable) -> tuple[ResultTable, str]:
    """Keep the last months of a trend and the last cohorts, with a note."""
    if table.id.startswith("tendencia") and len(table.filas) > EVOLUTION_MONTHS:
        note = f"Se muestran los últimos {EVOLUTION_MONTHS} meses del historial."
        return dataclasses.replace(table, filas=table.filas[-EVOLUTION_MONTHS:]), note
    if table.id == "cohortes_morosos":
        cohorts = sorted({row[0] for row in table.filas})
        if len(cohorts) > EVOLUTION_COHORTS:
            keep = set(cohorts[-EVOLUTION_COHORTS:])
            rows = [row for row in table.filas if row[0] in keep]
            note = f"Se muestran las últimas {EVOLUTION_COHORTS} cohortes."
            return dataclasses.replace(table, filas=rows), note
    return table, ""


def _month_names(table: ResultTable) -> ResultTable:
    """Print months as `jul 2025` in the tablero's month columns."""
    months = [i for i, c in enumerate(table.columnas) if c in ("periodo", "cohorte")]
    if not months:
        return table
    rows = [
        [month_label(v) if i in months and v else v for i, v in enumerate(row)]
        for row in table.filas
    ]
    return dataclasses.replace(table, filas=rows)


# --- reconciliation and data quality ---------------------------------------------


def _checks_section(
    checks: Sequence[Check], title: str, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [sections.heading(title, styles["h1"], 0)]
    if not checks:
        story.append(_p("No hay verificaciones de conciliación.", styles["body"]))
        return story
    ok = sum(1 for c in checks if c.cuadra)
    story.append(_p(
        f"{ok} de {len(checks)} verificaciones cuadran. Cada una compara dos "
        f"montos que deben ser iguales.",
        styles["body"],
    ))

    header = ["Verificación", "Esperado", "Obtenido", "Diferencia", "Resultado"]
    data: list[list[Any]] = [[
        _p(h, styles["head" if i == 0 else "head_right"]) for i, h in enumerate(header)
    ]]
    for check in checks:
        decimals = 2 if _centavos_matter(check) else 0
        data.append([
            _p(check.descripcion, styles["cell"]),
            fmt_pesos(check.esperado, decimals),
            fmt_pesos(check.obtenido, decimals),
            fmt_pesos(check.diferencia, decimals),
            "Cuadra" if check.cuadra else "No cuadra",
        ])

    figures = [
        max(stringWidth(row[i], FONT_BOLD, 8) for row in data[1:]) + 12
        for i in range(1, 5)
    ]
    figures = [max(w, 62.0) for w in figures]
    widths = [CONTENT_WIDTH - sum(figures), *figures]
    grid = LongTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = _grid_style(_plain_table(5), [False, True, True, True, True], len(data))
    for row, check in enumerate(checks, start=1):
        color = OK_COLOR if check.cuadra else BAD_COLOR
        style.add("TEXTCOLOR", (4, row), (4, row), color)
        style.add("FONTNAME", (4, row), (4, row), FONT_BOLD)
    grid.setStyle(style)
    story.append(grid)
    return story


def _centavos_matter(check: Check) -> bool:
    """Tell whether a failed check would read as equal when shown in pesos."""
    return not check.cuadra and abs(check.diferencia) < 1


def _plain_table(n_columns: int) -> ResultTable:
    return ResultTable(
        id="", titulo="", columnas=[""] * n_columns, tipos=["texto"] * n_columns,
        filas=[],
    )


def _quality_section(
    result: MonthResult, title: str, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [
        Spacer(1, 14),
        CondPageBreak(8 * cm),
        sections.heading(title, styles["h1"], 0),
        _p(QUALITY_TEXT, styles["body"]),
    ]
    story += _quality_items(result.calidad, styles)
    return story


QUALITY_TEXT = (
    "Lo que se excluyó o se marcó al leer los archivos, y por qué: cuentas "
    "repetidas (se cuentan una vez), códigos sin descripción (se cuentan con "
    "su código), valores ilegibles, cuentas de la cartera que no están en la "
    "guía (se cuentan con los datos de la cartera), saldos a favor (se "
    "informan aparte) y cuentas sin días de mora (segmento «sin dato»)."
)


def _sources(result: MonthResult, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if not result.fuentes:
        return []
    roles = sections.ROLE_TITLES
    table = ResultTable(
        id="fuentes",
        titulo="Archivos leídos",
        columnas=["archivo", "nombre", "hoja", "filas"],
        tipos=["texto", "texto", "texto", "conteo"],
        filas=[
            [roles.get(f.role, f.role), f.path.name, f.sheet, f.rows_read]
            for f in result.fuentes
        ],
    )
    titles = {"archivo": "Archivo", "nombre": "Nombre", "hoja": "Hoja",
              "filas": "Filas leídas"}
    grid = _grid(_titled(table, titles), styles)
    return [_p("Archivos leídos", styles["h2"]), grid]


def _quality_items(
    items: Sequence[QualityItem], styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    heading = _p("Observaciones", styles["h2"])
    if not items:
        none = _p("No se encontraron problemas en los datos.", styles["body"])
        return [heading, none]
    table = ResultTable(
        id="calidad",
        titulo="Observaciones",
        columnas=["codigo", "mensaje", "cantidad", "valor"],
        tipos=["texto", "texto", "conteo", "pesos"],
        filas=[[i.codigo, i.mensaje, i.cantidad, i.valor] for i in items],
    )
    titles = {"codigo": "Código", "mensaje": "Observación", "cantidad": "Cantidad",
              "valor": "Valor"}
    note = _p(
        "Cada observación tiene su lista de filas o cuentas en la aplicación.",
        styles["note"],
    )
    return [heading, note, _grid(_titled(table, titles), styles)]


def _titled(table: ResultTable, titles: dict[str, str]) -> ResultTable:
    """Return `table` with display names as column ids (for its header)."""
    return ResultTable(
        id=table.id, titulo=table.titulo,
        columnas=[titles.get(c, c) for c in table.columnas],
        tipos=table.tipos, filas=table.filas, total=table.total,
    )
