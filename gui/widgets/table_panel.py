"""A tab of result tables: pick a table, see it beside its chart.

Both sides show the same `core` table: the view formats its cells, the
chart is `core.charts`'s drawing of it. The page never computes a figure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.charts import BARRIO_TOP
from core.model import MonthResult, Table
from gui.models import ResultTableModel
from gui.widgets.chart import ChartWidget
from gui.widgets.debtor_list import DRILLABLE_TABLES, ListScope
from gui.widgets.flow_layout import FlowLayout
from gui.widgets.table_view import ResultTableView

logger = logging.getLogger(__name__)

BARRIO_TABLES = ("morosos_por_barrio", "barrios_mas_morosos", "barrios_mas_deuda")
WIDE_TEXT_COLUMNS = 4  # a table with this many text columns goes above its chart
TitlesOf = Callable[[Table], dict[str, str]]  # a table's Spanish column headings

# Short labels for the table picker; the table's own title heads the panel.
SHORT_TITLES = {
    "usuarios_por_comuna": "Usuarios por comuna",
    "morosos_por_comuna": "Morosos por comuna",
    "morosos_por_barrio": "Morosos por barrio",
    "barrios_mas_morosos": "10 barrios con más morosos",
    "barrios_mas_deuda": "10 barrios con más deuda",
    "usuarios_por_uso": "Usuarios por uso",
    "usuarios_por_estrato": "Usuarios por estrato",
    "usuarios_por_tipo_persona": "Tipo de persona",
    "consumo_por_estrato": "Consumo por estrato",
    "consumo_por_uso": "Consumo por uso",
    "morosos_por_estrato": "Morosos por estrato",
    "morosos_por_uso": "Morosos por uso",
    "cartera_por_edades": "Edades de cartera",
    "segmentos_por_atraso": "Segmentos de atraso",
    "encuesta": "Indicadores",
    "encuesta_distribucion": "Distribución de respuestas",
    "encuesta_por_comuna": "Por comuna",
    "encuesta_por_estrato": "Por estrato",
    "oferta_institucional": "Segmentos y oferta",
}


class TableChartPanel(QWidget):
    """One table: its title and note above, the table beside its chart.

    Double-clicking a comuna, barrio or segment (its row or its bar) asks
    for the list of its accounts.
    """

    drill_requested = Signal(object)  # ListScope

    def __init__(
        self,
        parent: QWidget | None = None,
        titles: TitlesOf | None = None,
        hide_empty_columns: bool = False,
    ) -> None:
        super().__init__(parent)
        self.table: Table | None = None
        self._titles_of = titles
        self.hide_empty_columns = hide_empty_columns
        self.model = ResultTableModel(parent=self)
        self.view = ResultTableView(self)
        self.view.setModel(self.model)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.chart = ChartWidget(self)
        self.chart.bar_double_clicked.connect(self._on_chart_bar_double_clicked)

        self.title = QLabel(self)
        self.title.setObjectName("panelTitle")
        self.title.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setObjectName("panelNote")
        self.note.setWordWrap(True)

        self.chart_caption = QLabel(self)
        self.chart_caption.setObjectName("hint")
        self.chart_caption.setWordWrap(True)
        self.chart_caption.hide()
        chart_side = QWidget(self)
        chart_layout = QVBoxLayout(chart_side)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart, 1)
        chart_layout.addWidget(self.chart_caption)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(chart_side)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.splitter, 1)

    def set_table(self, table: Table | None) -> None:
        self.table = table
        titles = self._titles_of(table) if table and self._titles_of else None
        self.model.set_table(table, titles)
        self._hide_empty_columns()
        self.title.setText(table.titulo if table else "")
        self.note.setText(table.nota if table else "")
        self.note.setVisible(bool(table and table.nota))
        self.chart.set_table(table)
        self._set_chart_caption(table)
        self._set_drill_hint(table)
        self._arrange()

    def _hide_empty_columns(self) -> None:
        """Hide columns without a single value (a comparison with a year
        before that the history lacks); the table's note says why."""
        model = self.model
        for column in range(model.columnCount()):
            empty = self.hide_empty_columns and all(
                model.raw_value(row, column) is None
                for row in range(model.rowCount())
            )
            self.view.setColumnHidden(column, empty)

    def row_scope(self, row: int) -> ListScope | None:
        """The list behind a row of the table as sorted on screen."""
        if self.table is None or self.model.is_total_row(row):
            return None
        values = {
            name: self.model.raw_value(row, column)
            for column, name in enumerate(self.table.columnas)
        }
        return ListScope.from_row(self.table.id, values)

    def bar_scope(self, position: int) -> ListScope | None:
        """The list behind a bar; barrio charts (their bars are not in the
        table's order) are left to their tables."""
        table = self.table
        if table is None or table.id in BARRIO_TABLES:
            return None
        if not 0 <= position < len(table.filas):
            return None
        values: dict[str, Any] = dict(
            zip(table.columnas, table.filas[position], strict=False)
        )
        return ListScope.from_row(table.id, values)

    def _set_drill_hint(self, table: Table | None) -> None:
        drillable = table is not None and table.id in DRILLABLE_TABLES
        hint = "Doble clic en una fila para ver la lista de sus cuentas."
        self.view.setToolTip(hint if drillable else "")

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        scope = self.row_scope(index.row())
        if scope is not None:
            self.drill_requested.emit(scope)

    def _on_chart_bar_double_clicked(self, position: int) -> None:
        scope = self.bar_scope(position)
        if scope is not None:
            self.drill_requested.emit(scope)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """Table beside its chart at the table's own width; a table of long
        texts (the institutional offer) goes above its chart instead."""
        if self.table is None:
            return
        texts = sum(1 for kind in self.table.tipos if kind == "texto")
        vertical = texts >= WIDE_TEXT_COLUMNS
        self.splitter.setOrientation(
            Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal
        )
        frame = 2 * self.view.frameWidth() + 4
        if vertical:
            total = max(self.splitter.height(), 400)
            natural = (
                self.view.horizontalHeader().height()
                + self.view.verticalHeader().length()
                + self.view.horizontalScrollBar().sizeHint().height()
                + frame
            )
            first = min(natural, int(total * 0.55))
        else:
            total = max(self.splitter.width(), 800)
            natural = (
                self.view.horizontalHeader().length()
                + self.view.verticalScrollBar().sizeHint().width()
                + frame
            )
            first = max(min(natural, int(total * 0.6)), int(total * 0.25))
        self.splitter.setSizes([first, max(total - first, 1)])

    def _set_chart_caption(self, table: Table | None) -> None:
        shown = table is not None and table.id == "morosos_por_barrio" and (
            len(table.filas) > BARRIO_TOP
        )
        self.chart_caption.setVisible(shown)
        if shown:
            self.chart_caption.setText(
                f"El gráfico muestra los {BARRIO_TOP} barrios con más deuda; "
                "la tabla los tiene todos."
            )


class ComponentPage(QWidget):
    """A tab of one component: a picker of its tables and the chosen panel.

    The tables come from a month (`set_result`) or any dict of `core` tables
    (`set_tables`, e.g. the month-to-month dashboard). Tables missing from
    what is shown (the survey's, when none was loaded) are replaced by
    `empty_text`. The picker names a table by `labels`, `SHORT_TITLES` or,
    failing both, its own title; `titles` gives a table's column headings
    when they are not the usual ones, and `hide_empty_columns` hides the
    columns without any value.
    """

    table_changed = Signal(str)
    drill_requested = Signal(object)  # ListScope

    def __init__(
        self,
        table_ids: Sequence[str] = (),
        empty_text: str = "Este mes no tiene datos para esta sección.",
        parent: QWidget | None = None,
        labels: Mapping[str, str] | None = None,
        titles: TitlesOf | None = None,
        hide_empty_columns: bool = False,
    ) -> None:
        super().__init__(parent)
        self.table_ids: list[str] = []
        self.labels = dict(labels or {})
        self.result: MonthResult | None = None
        self.tables: dict[str, Table] = {}
        self.current_id: str | None = None

        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        self.buttons.buttonClicked.connect(self._on_buttons_clicked)
        self.picker = QWidget(self)
        self._picker_layout = FlowLayout(self.picker)
        self._picker_layout.setContentsMargins(0, 0, 0, 0)
        self.set_table_ids(table_ids)

        self.panel = TableChartPanel(self, titles, hide_empty_columns)
        self.panel.drill_requested.connect(self.drill_requested)
        self.empty = QLabel(empty_text, self)
        self.empty.setObjectName("emptyMessage")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.panel)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.picker)
        layout.addWidget(self.stack, 1)

    def set_table_ids(
        self, table_ids: Sequence[str], labels: Mapping[str, str] | None = None
    ) -> None:
        """Offer these tables in the picker, in this order."""
        self.labels.update(labels or {})
        for button in self.buttons.buttons():
            self.buttons.removeButton(button)
            self._picker_layout.removeWidget(button)
            button.deleteLater()

        self.table_ids = list(table_ids)
        for table_id in self.table_ids:
            button = QPushButton(self.label(table_id), self.picker)
            button.setCheckable(True)
            button.setObjectName("tablePicker")
            button.setProperty("table_id", table_id)
            self.buttons.addButton(button)
            self._picker_layout.addWidget(button)

        if self.current_id not in self.table_ids:
            self.current_id = self.table_ids[0] if self.table_ids else None
        self._check_button(self.current_id)
        self.picker.setVisible(len(self.table_ids) > 1)

    def label(self, table_id: str) -> str:
        """The picker's short name of a table."""
        if table_id in self.labels:
            return self.labels[table_id]
        if table_id in SHORT_TITLES:
            return SHORT_TITLES[table_id]
        table = self.tables.get(table_id)
        return table.titulo if table is not None else table_id

    def set_result(self, result: MonthResult | None) -> None:
        self.result = result
        self.set_tables(result.tablas if result is not None else None)

    def set_tables(self, tables: Mapping[str, Table] | None) -> None:
        """Show these tables (those of `table_ids` present); None: none."""
        self.tables = dict(tables or {})
        available = self.available_ids()
        self.picker.setVisible(len(available) > 1)
        for button in self.buttons.buttons():
            button.setVisible(button.property("table_id") in available)
        if available:
            self.stack.setCurrentWidget(self.panel)
            if self.current_id not in available:
                self.current_id = available[0]
            self.show_table(self.current_id)
        else:
            self.panel.set_table(None)
            self.stack.setCurrentWidget(self.empty)

    def available_ids(self) -> list[str]:
        return [t for t in self.table_ids if t in self.tables]

    def show_table(self, table_id: str) -> None:
        """Show the table `table_id` beside its chart."""
        if table_id not in self.tables:
            return
        self.current_id = table_id
        self._check_button(table_id)
        self.panel.set_table(self.tables[table_id])
        self.table_changed.emit(table_id)

    def current_table(self) -> Table | None:
        return self.panel.table

    def _check_button(self, table_id: str | None) -> None:
        for button in self.buttons.buttons():
            button.setChecked(button.property("table_id") == table_id)

    def _on_buttons_clicked(self, button: QPushButton) -> None:
        self.show_table(str(button.property("table_id")))
