"""The month's tabs: Resumen, one page per group of tables, and Evolución."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTabWidget, QWidget

from core.model import MonthResult, Table
from gui.widgets.evolution import EvolutionWidget
from gui.widgets.summary import SummaryWidget
from gui.widgets.table_panel import ComponentPage

logger = logging.getLogger(__name__)

# After the window's size settles, the hidden tabs' charts are drawn anew.
PREPARE_AFTER_RESIZE_MS = 300

# (key, tab label, table ids, text when the month has none of them)
PAGES = (
    (
        "geografico",
        "Geográfico",
        (
            "usuarios_por_comuna",
            "morosos_por_comuna",
            "morosos_por_barrio",
            "barrios_mas_morosos",
            "barrios_mas_deuda",
        ),
        "",
    ),
    (
        "demografico",
        "Demográfico",
        ("usuarios_por_uso", "usuarios_por_estrato", "usuarios_por_tipo_persona"),
        "",
    ),
    (
        "comportamiento",
        "Comportamiento",
        (
            "consumo_por_estrato",
            "consumo_por_uso",
            "morosos_por_estrato",
            "morosos_por_uso",
            "cartera_por_edades",
            "segmentos_por_atraso",
        ),
        "",
    ),
    (
        "encuesta",
        "Encuesta",
        (
            "encuesta",
            "encuesta_distribucion",
            "encuesta_por_comuna",
            "encuesta_por_estrato",
        ),
        "Este mes se cargó sin encuesta de percepción, así que no hay "
        "indicadores de la encuesta.\n\nPara verlos, abra de nuevo los "
        "archivos del mes e incluya el archivo de la encuesta.",
    ),
    (
        "segmentos",
        "Segmentos y oferta institucional",
        ("oferta_institucional",),
        "",
    ),
)


class ResultTabs(QTabWidget):
    """Every view of one month; the month shown changes all tabs at once.

    While the officer reads one tab, the charts of the others are drawn, one
    per turn of the event loop, at the size they will be shown at: going to
    another tab then only paints it.
    """

    drill_requested = Signal(object)  # ListScope of a double-clicked row or bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.result: MonthResult | None = None
        self.summary = SummaryWidget(self)
        self.addTab(self.summary, "Resumen")
        self.pages: dict[str, ComponentPage] = {}
        for key, label, table_ids, empty_text in PAGES:
            page = ComponentPage(table_ids, empty_text or _NO_DATA, self)
            page.drill_requested.connect(self.drill_requested)
            self.pages[key] = page
            self.addTab(page, label)
        # The window fills it from the history (it is not the month's own).
        self.evolution = EvolutionWidget(self)
        self.addTab(self.evolution, "Evolución")
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.timeout.connect(self._prepare_next)

    def set_result(self, result: MonthResult | None) -> None:
        self.result = result
        self.summary.set_result(result)
        for page in self.pages.values():
            page.set_result(result)
        self._prepare_timer.start(0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._prepare_timer.start(PREPARE_AFTER_RESIZE_MS)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            self._prepare_timer.start(0)  # back in this window: go on
        return super().event(event)

    def drawing_ahead(self) -> bool:
        """Whether hidden tabs' charts are still to be drawn ahead."""
        return self._prepare_timer.isActive()

    def _prepare_next(self) -> None:
        """Draw the chart of one hidden page; come back for the next.

        Only while the officer is in this window: the idle time of another
        (a list of debtors just opened) is that window's.
        """
        shown = self.currentWidget()
        if not self.isVisible() or shown is None or not self.isActiveWindow():
            return
        for page in self.pages.values():
            if page is shown or page.stack.currentWidget() is not page.panel:
                continue
            page.setGeometry(shown.geometry())
            lay_out_hidden(page)
            if page.panel.chart.prepare():
                self._prepare_timer.start(0)
                return

    def current_table(self) -> Table | None:
        """The table on screen, or None on Resumen or an Evolución without one."""
        page = self.currentWidget()
        if isinstance(page, ComponentPage | EvolutionWidget):
            return page.current_table()
        return None

    def current_page(self) -> QWidget:
        return self.currentWidget()

    def tab_keys(self) -> list[str]:
        return ["resumen", *self.pages, "evolucion"]

    def flush_charts(self) -> None:
        """Draw any pending chart of the visible page (for screenshots)."""
        page = self.currentWidget()
        if isinstance(page, ComponentPage | EvolutionWidget):
            page.panel.chart.flush()


def lay_out_hidden(widget: QWidget) -> None:
    """Give a hidden widget's children the geometry they will be shown with.

    Qt holds back the resize events of hidden widgets until they are shown,
    so their layouts (and splitters) do not place their children before.
    This delivers them now, parents first, as showing would.
    """
    if widget.testAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent):
        widget.setAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent, False)
        QCoreApplication.sendEvent(widget, QResizeEvent(widget.size(), QSize()))
    for child in widget.findChildren(
        QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
    ):
        if not child.isWindow() and not child.isHidden():
            lay_out_hidden(child)


_NO_DATA = "Este mes no tiene datos para esta sección."
