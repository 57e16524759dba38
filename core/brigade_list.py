"""The printed debtor lists: brigade lists and segment lists as PDF (reportlab).

Landscape Carta or Oficio. Every page carries the list's title (comuna,
barrio, segment), period, fecha de corte, list id and version, the column
header, "Página X de Y" and the personal-data footer. Rows are grouped by
barrio with a subtotal each and a total at the end, all sums of the rows'
exact amounts. Long names and addresses wrap inside their cell.

Three layouts: `campo` (brigades: boxes for the field result), `contacto`
(the Normalización list: phone and e-mail) and `juridica` (ranked by amount
with the cumulative share and the alerts).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from core.atomic import atomic_path
from core.debtor_lists import DebtorList, summary_sentence
from core.errors import NotPrintableError
from core.formatting import (
    centavos_to_pesos,
    fmt_date,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_pesos,
)
from core.report_pdf import (
    BRAND,
    BRAND_LIGHT,
    FONT,
    FONT_BOLD,
    INK,
    MUTED,
    RULE,
    ZEBRA,
    register_fonts,
)
from core.settings import Settings, load_settings

logger = logging.getLogger(__name__)

Paper = Literal["carta", "oficio"]

PAPERS: dict[str, tuple[float, float]] = {
    "carta": landscape(letter),  # 279 x 216 mm
    "oficio": landscape((216 * mm, 330 * mm)),  # oficio as sold in Colombia
}
MARGIN = 1.2 * cm
TITLE_HEIGHT = 1.05 * cm  # the title lines at the top of every page
FOOTER_HEIGHT = 0.75 * cm
BLOCK_ROWS = 100  # rows per table block (even: the zebra stays in step)
FOOTER = "Uso interno. Contiene datos personales (Ley 1581 de 2012)"
BOX = "\u2610"  # ☐, a box to tick in the field
FONT_SIZE = 7.0
LEADING = 8.5
HEAD_SIZE = 7.0
CELL_PAD = 3.0
FIELD_PAD = 4.0
MIN_WRITING = 12.0  # field rows are at least this plus padding: room to write

SIN_DATO = "—"


@dataclass(frozen=True)
class Column:
    """One column of a printed list: heading, width and how to fill it."""

    title: str
    width: float  # points on Carta; flexible columns grow on Oficio
    value: Callable[[dict[str, Any]], str]
    flex: bool = False
    align: Literal["LEFT", "RIGHT", "CENTER"] = "LEFT"
    blank: bool = False  # filled by hand in the field: drawn as a box
    min_width: float = 0.0  # a flexible column never narrower than this


def write_list_pdf(
    lista: DebtorList,
    path: Path | str,
    *,
    papel: Paper = "carta",
    salto_por_barrio: bool = False,
    settings: Settings | None = None,
    fecha_emision: dt.date | None = None,
) -> int:
    """Write `lista` as a PDF to `path`, atomically; return its page count."""
    if not lista.imprimible:
        raise NotPrintableError(lista.nombre, lista.segmento or "")
    started = time.perf_counter()
    settings = settings or load_settings()
    register_fonts()
    page = PAPERS[papel]
    columns = _fitted(_columns(lista), page[0] - 2 * MARGIN)
    styles = _styles()

    chrome = _PageChrome(
        lista, settings, page, fecha_emision or dt.date.today(),
        _header_table(columns, styles), _opening(lista, styles),
    )
    story = _body(lista, columns, styles, salto_por_barrio)
    try:
        with atomic_path(path) as tmp:
            chrome.document(tmp).build(story, canvasmaker=chrome.canvas_class())
    finally:
        _fits.cache_clear()  # it holds names: keep them no longer than needed

    logger.info(
        "lista %s en PDF (%s): %d filas, %d páginas en %.1f s", lista.id, papel,
        len(lista.filas), chrome.pages, time.perf_counter() - started,
    )
    return chrome.pages


# --- columns ---------------------------------------------------------------------


def _columns(lista: DebtorList) -> list[Column]:
    """Return the layout's columns at their Carta widths (they fill 720 pt)."""
    if lista.layout == "juridica":
        return _ranked_columns(lista)
    if lista.layout == "contacto":
        return _contact_columns(lista)
    return _field_columns(lista)


def _field_columns(lista: DebtorList) -> list[Column]:
    return [
        Column("Matrícula", 44, lambda r: _text(r["cuenta_texto"])),
        Column("Nombre", 80, lambda r: _text(r["nombre"]), flex=True),
        Column("Dirección", 68, lambda r: _text(r["direccion"]), flex=True),
        *_place_columns(lista, 58),
        Column("Estrato / uso", 36, _estrato_uso, align="CENTER"),
        Column("Días / edad (meses)", 48, _days_age, align="RIGHT"),
        _debt_column(lista),
        _action_column(lista),
        _box("Visitado", 40),
        _box("Acuerdo de pago", 40),
        _box("No ubicado", 38),
        _blank("Observación", 80),
        _blank("Firma", 60),
    ]


def _contact_columns(lista: DebtorList) -> list[Column]:
    return [
        Column("Matrícula", 44, lambda r: _text(r["cuenta_texto"])),
        Column("Nombre", 90, lambda r: _text(r["nombre"]), flex=True),
        Column("Teléfono", 52, lambda r: _text(r["telefono"])),
        Column("Correo", 90, lambda r: _text(r["correo"]), flex=True),
        Column("Dirección", 72, lambda r: _text(r["direccion"]), flex=True),
        *_place_columns(lista, 60),
        Column("Días", 30, lambda r: _count(r["dias"]), align="RIGHT"),
        _debt_column(lista),
        _box("Contactado", 48),
        _box("Acuerdo de pago", 40),
        _blank("Observación", 80),
    ]


def _ranked_columns(lista: DebtorList) -> list[Column]:
    return [
        Column("Puesto", 32, lambda r: fmt_int(r["puesto"]), align="RIGHT"),
        Column("Matrícula", 44, lambda r: _text(r["cuenta_texto"])),
        Column("Nombre", 100, lambda r: _text(r["nombre"]), flex=True),
        Column("Dirección", 84, lambda r: _text(r["direccion"]), flex=True),
        *_place_columns(lista, 70),
        Column("Estrato / uso", 36, _estrato_uso, align="CENTER"),
        Column("Días / edad (meses)", 48, _days_age, align="RIGHT"),
        _debt_column(lista),
        Column("% acumulado", 48, lambda r: fmt_pct(r["porcentaje_acumulado"]),
               align="RIGHT"),
        Column("Alertas", 110, lambda r: _text(r["alertas"], ""), flex=True),
    ]


def _action_column(lista: DebtorList) -> Column:
    """The segment's action; wide enough that no action's word is broken."""
    names = lista.filas["accion"].dropna().unique()
    words = [word for name in names for word in str(name).split()]
    widest = max((stringWidth(w, FONT, FONT_SIZE) for w in words), default=0)
    return Column("Acción", 57, lambda r: _text(r["accion"]), flex=True,
                  min_width=widest + 2 * CELL_PAD + 1)


def _box(title: str, width: float) -> Column:
    """A column of boxes to tick in the field."""
    return Column(title, width, lambda _row: BOX, align="CENTER", blank=True)


def _blank(title: str, width: float) -> Column:
    """An empty column to write in by hand; it takes part of any spare width."""
    return Column(title, width, lambda _row: "", flex=True, blank=True)


def _place_columns(lista: DebtorList, width: float) -> list[Column]:
    """Barrio, preceded by the comuna when the list spans several."""
    barrio = Column("Barrio", width, lambda r: _text(r["barrio"]), flex=True)
    if not lista.varias_comunas:
        return [barrio]
    comuna = Column("Comuna", 38, lambda r: _text(r["comuna"]))
    return [comuna, barrio]


def _debt_column(lista: DebtorList) -> Column:
    """The amount column, as wide as the list's total in bold needs."""
    total = fmt_pesos(lista.resumen.deuda)
    width = max(stringWidth(total, FONT_BOLD, FONT_SIZE) + 2 * CELL_PAD + 1, 52)
    return Column(
        "Deuda", width, lambda r: fmt_pesos(centavos_to_pesos(r["deuda"])),
        align="RIGHT",
    )


def _fitted(columns: list[Column], width: float) -> list[Column]:
    """Shrink or stretch the flexible columns so the table spans `width`."""
    columns = [
        dataclasses.replace(c, width=max(c.width, _header_width(c.title)))
        for c in columns
    ]
    fitted = _stretched(columns, width)
    floor = [c.width < c.min_width for c in fitted]
    if any(floor):  # hold those at their minimum, share the rest again
        held = [
            dataclasses.replace(c, width=c.min_width, flex=False) if low else c
            for c, low in zip(columns, floor, strict=True)
        ]
        fitted = [
            dataclasses.replace(c, flex=old.flex)
            for c, old in zip(_stretched(held, width), columns, strict=True)
        ]
    narrow = [c.title for c in fitted if c.width < _header_width(c.title)]
    if narrow or sum(c.width for c in fitted) > width + 0.5:
        raise ValueError(f"las columnas no caben en {width:.0f} pt: {narrow}")
    return fitted


def _stretched(columns: list[Column], width: float) -> list[Column]:
    fixed = sum(c.width for c in columns if not c.flex)
    flexible = sum(c.width for c in columns if c.flex)
    scale = (width - fixed) / flexible if flexible else 1.0
    return [
        dataclasses.replace(c, width=c.width * scale) if c.flex else c
        for c in columns
    ]


def _header_width(title: str) -> float:
    """The width a heading needs so that no word of it is broken."""
    longest = max(stringWidth(w, FONT_BOLD, HEAD_SIZE) for w in title.split())
    return float(longest) + 2 * CELL_PAD + 1


def _text(value: Any, missing: str = SIN_DATO) -> str:
    if value is None or value is pd.NA or str(value).strip() == "":
        return missing
    return str(value)


def _count(value: Any) -> str:
    return SIN_DATO if value is None or value is pd.NA else fmt_int(int(value))


def _estrato_uso(row: dict[str, Any]) -> str:
    return f"{_text(row['estrato'])} / {_text(row['uso'])}"


def _days_age(row: dict[str, Any]) -> str:
    return f"{_count(row['dias'])} / {_count(row['edad_meses'])}"


# --- styles and cells ----------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    cell = ParagraphStyle(
        "cell", fontName=FONT, fontSize=FONT_SIZE, leading=LEADING, textColor=INK
    )
    head = ParagraphStyle(
        "head", parent=cell, fontName=FONT_BOLD, fontSize=HEAD_SIZE, leading=8.5,
        textColor=colors.white,
    )
    return {
        "cell": cell,
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        "cell_center": ParagraphStyle(
            "cell_center", parent=cell, alignment=TA_CENTER
        ),
        "bold": ParagraphStyle("bold", parent=cell, fontName=FONT_BOLD),
        "head": head,
        "head_right": ParagraphStyle("head_right", parent=head, alignment=TA_RIGHT),
        "head_center": ParagraphStyle(
            "head_center", parent=head, alignment=TA_CENTER
        ),
        "body": ParagraphStyle(
            "body", parent=cell, fontSize=8.5, leading=11.5, spaceAfter=3
        ),
        "note": ParagraphStyle(
            "note", parent=cell, fontSize=7.5, leading=9.5, textColor=MUTED,
            spaceAfter=2,
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """Return a Paragraph of plain text (escaped: `&` and `<` are not markup)."""
    return Paragraph(escape(text), style)


def _cell(text: str, column: Column, styles: dict[str, ParagraphStyle]) -> Any:
    """Return plain text when it fits on one line, else a wrapping Paragraph."""
    if column.blank or _fits(text, column.width, FONT):
        return text
    name = {"RIGHT": "cell_right", "CENTER": "cell_center"}.get(column.align, "cell")
    return _p(text, styles[name])


@functools.lru_cache(maxsize=20_000)
def _fits(text: str, width: float, font: str) -> bool:
    return bool(stringWidth(text, font, FONT_SIZE) <= width - 2 * CELL_PAD)


def _head_cell(column: Column, styles: dict[str, ParagraphStyle]) -> Paragraph:
    name = {"RIGHT": "head_right", "CENTER": "head_center"}.get(column.align, "head")
    return _p(column.title, styles[name])


# --- the story ---------------------------------------------------------------------


def _opening(lista: DebtorList, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The first page's lines above the table: figures, actions, blanks to fill."""
    nbsp = "\u00a0"
    story: list[Flowable] = [
        _p(summary_sentence(lista).replace("$ ", f"${nbsp}"), styles["body"])
    ]
    if lista.frase:
        story.append(_p(lista.frase, styles["body"]))
    if lista.sin_contacto:
        story.append(_p(
            f"{fmt_int(lista.sin_contacto)} cuentas del segmento no tienen teléfono "
            "ni correo y no están en la lista.", styles["note"],
        ))
    for name, action in lista.acciones.items():
        story.append(_p(f"{name}: {action}.", styles["note"]))
    if lista.layout == "campo":
        blanks = "_" * 28
        story.append(_p(
            f"Brigada: {blanks}   Fecha de visita: {blanks}   Responsable: {blanks}",
            styles["body"],
        ))
    story.append(Spacer(1, 4))
    return story


def _header_table(
    columns: list[Column], styles: dict[str, ParagraphStyle]
) -> LongTable:
    """The column header, drawn at the top of every page by the page chrome."""
    header = LongTable(
        [[_head_cell(c, styles) for c in columns]],
        colWidths=[c.width for c in columns], hAlign="LEFT",
    )
    header.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), BRAND),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]))
    return header


Group = list[dict[str, Any]]


def _body(
    lista: DebtorList,
    columns: list[Column],
    styles: dict[str, ParagraphStyle],
    page_per_group: bool,
) -> list[Flowable]:
    """The rows as stacked blocks: one band and subtotal per barrio, a total."""
    records = lista.filas.to_dict("records")
    grouped = lista.layout != "juridica"
    groups = list(_groups(records)) if grouped else [records]

    story: list[Flowable] = []
    for i, group in enumerate(groups):
        if page_per_group and i > 0:
            story.append(PageBreak())
        story += _group_blocks(lista, group, columns, styles, grouped)
    story.append(_total_block(lista, columns, styles))
    return story


def _groups(records: list[dict[str, Any]]) -> Iterator[Group]:
    """Yield runs of consecutive rows of the same comuna and barrio."""
    key: tuple[str, str] | None = None
    run: Group = []
    for record in records:
        here = (str(record["comuna"]), str(record["barrio_clave"]))
        if here != key and run:
            yield run
            run = []
        key = here
        run.append(record)
    if run:
        yield run


def _group_blocks(
    lista: DebtorList,
    group: Group,
    columns: list[Column],
    styles: dict[str, ParagraphStyle],
    grouped: bool,
) -> list[Flowable]:
    """Lay out a group in tables of at most BLOCK_ROWS rows.

    reportlab's table split costs grow with the square of a table's rows;
    short tables stacked without gaps read as one and build in linear time.
    """
    blocks: list[Flowable] = []
    for start in range(0, len(group), BLOCK_ROWS):
        block = _Block(lista, columns, styles)
        if grouped and start == 0:
            block.band(group)
        block.rows(group[start:start + BLOCK_ROWS])
        if grouped and start + BLOCK_ROWS >= len(group):
            block.subtotal(group)
        blocks.append(block.table())
    return blocks


def _total_block(
    lista: DebtorList, columns: list[Column], styles: dict[str, ParagraphStyle]
) -> Flowable:
    block = _Block(lista, columns, styles)
    where = f" comuna {lista.comuna}" if lista.comuna else ""
    debt = int(lista.filas["deuda"].sum())
    block.sum_row(f"Total{where}: {_accounts(len(lista.filas))}", debt, total=True)
    return block.table()


class _Block:
    """Collect one table's rows and the style commands of its special rows."""

    def __init__(
        self,
        lista: DebtorList,
        columns: list[Column],
        styles: dict[str, ParagraphStyle],
    ) -> None:
        self.lista = lista
        self.columns = columns
        self.styles = styles
        self.debt_col = next(i for i, c in enumerate(columns) if c.title == "Deuda")
        self.data: list[list[Any]] = []
        self.commands: list[tuple[Any, ...]] = []

    def band(self, group: Group) -> None:
        first = group[0]
        label = f"{_text(first['barrio'])} · comuna {_text(first['comuna'])}"
        row = len(self.data)
        cells: list[Any] = [""] * len(self.columns)
        cells[0] = _p(f"{label} · {_accounts(len(group))}", self.styles["bold"])
        self.data.append(cells)
        self.commands += [
            ("SPAN", (0, row), (-1, row)),
            ("BACKGROUND", (0, row), (-1, row), BRAND_LIGHT),
            ("NOSPLIT", (0, row), (-1, row + 1)),  # never alone at a page's foot
        ]

    def rows(self, records: Group) -> None:
        first = len(self.data)
        blanks = [i for i, c in enumerate(self.columns) if c.blank]
        for record in records:
            cells = [_cell(c.value(record), c, self.styles) for c in self.columns]
            if blanks:
                cells[blanks[-1]] = _WRITING_ROOM
            self.data.append(cells)
        last = len(self.data) - 1
        pad = FIELD_PAD if self.lista.layout != "juridica" else CELL_PAD
        self.commands += [
            ("BOX", (i, first), (i, last), 0.25, RULE) for i in blanks
        ]
        self.commands += [
            ("ROWBACKGROUNDS", (0, first), (-1, last), [colors.white, ZEBRA]),
            ("LINEBELOW", (0, first), (-1, last), 0.25, RULE),
            ("TOPPADDING", (0, first), (-1, last), pad),
            ("BOTTOMPADDING", (0, first), (-1, last), pad),
        ]

    def subtotal(self, group: Group) -> None:
        debt = sum(int(r["deuda"]) for r in group)
        label = f"Subtotal {_text(group[0]['barrio'])}: {_accounts(len(group))}"
        self.sum_row(label, debt, total=False)

    def sum_row(self, label: str, centavos: int, total: bool) -> None:
        row = len(self.data)
        cells: list[Any] = [""] * len(self.columns)
        cells[0] = _p(label, self.styles["bold"])
        cells[self.debt_col] = fmt_pesos(centavos_to_pesos(centavos))
        self.data.append(cells)
        self.commands += [
            ("SPAN", (0, row), (self.debt_col - 1, row)),
            ("FONTNAME", (0, row), (-1, row), FONT_BOLD),
            ("LINEABOVE", (0, row), (-1, row), 0.8 if total else 0.5, BRAND),
            ("BACKGROUND", (0, row), (-1, row), BRAND_LIGHT if total else colors.white),
        ]
        if row > 0:  # the sum stays with the last row above it
            self.commands.append(("NOSPLIT", (0, row - 1), (-1, row)))

    def table(self) -> LongTable:
        widths = [c.width for c in self.columns]
        grid = LongTable(self.data, colWidths=widths, hAlign="LEFT")
        grid.setStyle(TableStyle(self._base_style() + self.commands))
        return grid

    def _base_style(self) -> list[tuple[Any, ...]]:
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
            ("LEADING", (0, 0), (-1, -1), LEADING),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ]
        for i, column in enumerate(self.columns):
            if column.align != "LEFT":
                commands.append(("ALIGN", (i, 0), (i, -1), column.align))
        return commands


_WRITING_ROOM = Spacer(1, MIN_WRITING)  # an empty cell that keeps rows tall


def _accounts(n: int) -> str:
    return "1 cuenta" if n == 1 else f"{fmt_int(n)} cuentas"


# --- pages -------------------------------------------------------------------------


class _PageChrome:
    """What every page carries around the rows: titles, column header, footer.

    The column header is drawn by the page, not repeated by a table, so the
    rows can be laid out in short blocks. The first page also carries the
    opening lines (figures, actions) between the titles and the header.
    """

    def __init__(
        self,
        lista: DebtorList,
        settings: Settings,
        page: tuple[float, float],
        issued: dt.date,
        header: LongTable,
        opening: list[Flowable],
    ) -> None:
        self.lista = lista
        self.settings = settings
        self.page = page
        self.issued = issued
        self.header = header
        self.opening = opening
        self.width = page[0] - 2 * MARGIN
        self.top = page[1] - MARGIN - TITLE_HEIGHT  # where the content starts
        self.header_height = header.wrap(self.width, page[1])[1]
        self.opening_height = sum(_height(f, self.width) for f in opening)
        self.pages = 0

    def document(self, target: Path) -> BaseDocTemplate:
        bottom = MARGIN + FOOTER_HEIGHT
        first_top = self.top - self.opening_height - self.header_height
        later_top = self.top - self.header_height
        doc = BaseDocTemplate(
            str(target),
            pagesize=self.page,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=bottom,
            title=f"{self.lista.titulo} · {self.lista.id}",
            author=self.settings.entidad.get("nombre", ""),
            subject="Lista de deudores (uso interno, Ley 1581 de 2012)",
            creator="Caracterización de usuarios",
            initialFontName=FONT,  # else pages declare Helvetica, not embedded
            initialFontSize=FONT_SIZE,
        )
        doc.addPageTemplates([
            PageTemplate(
                id="primera", frames=[self._frame(bottom, first_top)],
                onPage=self._first_page, autoNextPageTemplate="siguientes",
            ),
            PageTemplate(
                id="siguientes", frames=[self._frame(bottom, later_top)],
                onPage=self._later_page,
            ),
        ])
        return doc

    def _frame(self, bottom: float, top: float) -> Frame:
        return Frame(
            MARGIN, bottom, self.width, top - bottom, leftPadding=0,
            rightPadding=0, topPadding=0, bottomPadding=0,
        )

    def _first_page(self, canvas: Canvas, _doc: Any) -> None:
        self._titles(canvas)
        y = self.top
        for flowable in self.opening:
            y -= flowable.getSpaceBefore()
            height = flowable.wrap(self.width, y)[1]
            y -= height
            flowable.drawOn(canvas, MARGIN, y)
            y -= flowable.getSpaceAfter()
        self.header.drawOn(canvas, MARGIN, y - self.header_height)

    def _later_page(self, canvas: Canvas, _doc: Any) -> None:
        self._titles(canvas)
        self.header.drawOn(canvas, MARGIN, self.top - self.header_height)

    def _titles(self, canvas: Canvas) -> None:
        width, height = self.page
        version = "completa" if self.lista.completo else "enmascarada"
        facts = (
            f"Periodo: {fmt_month(self.lista.periodo)} · Fecha de corte: "
            f"{fmt_date(self.lista.fecha_corte)} · Lista {self.lista.id} · "
            f"Versión {version} · Emitida el {fmt_date(self.issued)}"
        )
        entity = self.settings.entidad.get("nombre", "")
        room = self.width - stringWidth(entity, FONT, 7.5) - 12
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.setFont(FONT_BOLD, _fitting_size(self.lista.titulo, room, 10.5))
        canvas.drawString(MARGIN, height - MARGIN - 10, self.lista.titulo)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 7.5)
        canvas.drawRightString(width - MARGIN, height - MARGIN - 10, entity)
        canvas.setFont(FONT, _fitting_size(facts, self.width, 7.5, FONT))
        canvas.drawString(MARGIN, height - MARGIN - 22, facts)
        canvas.restoreState()

    def canvas_class(self) -> type[Canvas]:
        """Return a canvas class that writes the footer once Y in X de Y is known."""
        chrome = self

        class ListCanvas(Canvas):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._states: list[dict[str, Any]] = []

            def showPage(self) -> None:  # noqa: N802 (reportlab's name)
                self._states.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                chrome.pages = len(self._states)
                for state in self._states:
                    self.__dict__.update(state)
                    chrome.footer(self, self._pageNumber)
                    super().showPage()
                super().save()

        return ListCanvas

    def footer(self, canvas: Canvas, number: int) -> None:
        width = self.page[0]
        y = MARGIN
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + 10, width - MARGIN, y + 10)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, y, FOOTER)
        canvas.drawRightString(width - MARGIN, y,
                               f"Página {number} de {self.pages}")
        canvas.restoreState()


def _fitting_size(
    text: str, room: float, size: float, font: str = FONT_BOLD
) -> float:
    """Return `size`, or the smaller size at which `text` fits in `room`."""
    width = float(stringWidth(text, font, size))
    return size if width <= room else max(5.0, size * room / width)


def _height(flowable: Flowable, width: float) -> float:
    height = float(flowable.wrap(width, 10_000)[1])
    space = float(flowable.getSpaceBefore()) + float(flowable.getSpaceAfter())
    return height + space
