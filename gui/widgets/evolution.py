"""The Evolución tab: the month shown against an earlier one of the history.

Every table comes from `core.evolution`'s dashboard, each beside its chart
as on the other tabs; the tab only picks which earlier month to compare
with and says, in words, why there is nothing to compare when that is so.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.evolution import column_titles
from core.formatting import fmt_date, fmt_month
from core.model import Table
from gui.history_worker import EvolutionState
from gui.widgets.feedback import PROGRESS_STEPS
from gui.widgets.table_panel import ComponentPage, TableChartPanel

logger = logging.getLogger(__name__)

# The dashboard's tables in the order the picker offers them; tables not
# named here follow, in the dashboard's own order, under their own title.
TABLE_ORDER = (
    "comparacion_mensual",
    "tendencia",
    "tendencia_segmentos",
    "tendencia_segmentos_deuda",
    "tendencia_comunas",
    "tendencia_comunas_deuda",
    "tendencia_comunas_tasa",
    "transiciones",
    "transiciones_deuda",
    "transiciones_sin_dato",
    "transiciones_resumen",
    "tasas_de_rodamiento",
    "recuperacion",
    "recuperacion_por_comuna",
    "cohortes_morosos",
)
SHORT_LABELS = {
    "comparacion_mensual": "Cifras principales",
    "tendencia": "Tendencia",
    "tendencia_segmentos": "Morosos por segmento",
    "tendencia_segmentos_deuda": "Deuda por segmento",
    "tendencia_comunas": "Morosos por comuna",
    "tendencia_comunas_deuda": "Deuda por comuna",
    "tendencia_comunas_tasa": "% de morosos por comuna",
    "transiciones": "Cambios de segmento",
    "transiciones_deuda": "Cambios en pesos",
    "transiciones_sin_dato": "Sin dato de días",
    "transiciones_resumen": "Mejoraron o empeoraron",
    "tasas_de_rodamiento": "Rodamiento",
    "recuperacion": "Recuperación por segmento",
    "recuperacion_por_comuna": "Recuperación por comuna",
    "cohortes_morosos": "Nuevos morosos",
}


def ordered_ids(tables: Mapping[str, Table]) -> list[str]:
    """The tables' ids: the known ones in `TABLE_ORDER`, then the rest."""
    known = [t for t in TABLE_ORDER if t in tables]
    return [*known, *(t for t in tables if t not in TABLE_ORDER)]


def saved_at(guardado: str) -> str:
    """`2025-08-03T10:15:00` -> `03/08/2025 10:15`."""
    try:
        moment = dt.datetime.fromisoformat(guardado)
    except ValueError:
        return guardado
    return f"{fmt_date(moment.date())} {moment:%H:%M}"


def months_list(periods: list[str]) -> str:
    """`junio de 2025, julio de 2025 y agosto de 2025`."""
    names = [fmt_month(p) for p in periods]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} y {names[-1]}"


def state_message(state: EvolutionState) -> str:
    """Why the tab has no dashboard for this state, in words ("" if it has)."""
    if state.error:
        return state.error
    if state.dashboard is not None:
        return ""
    month = fmt_month(state.periodo)
    others = [p for p in state.periods if p != state.periodo]
    if not others:
        return (
            f"El historial tiene un solo mes: {month}.\n\nLa evolución compara "
            "un mes con otro anterior: al cargar otros meses aquí verá la "
            "evolución (cada mes que se abre queda guardado en el historial)."
        )
    return (
        f"El historial no tiene meses anteriores a {month} (tiene "
        f"{months_list(others)}).\n\nAbra los archivos de un mes anterior "
        "para ver la evolución."
    )


class EvolutionWidget(QWidget):
    """The month shown against an earlier saved month, table by table."""

    comparison_changed = Signal(str)  # the earlier month chosen (AAAA-MM)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state: EvolutionState | None = None
        self.heading = QLabel(self)
        self.heading.setObjectName("sectionTitle")
        self.compare = QComboBox(self)
        self.compare.setToolTip("El mes guardado con el que se compara")
        self.compare.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToContents
        )
        self.compare.currentIndexChanged.connect(self._on_compare_index_changed)
        self.note = QLabel(self)
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)

        self.page = ComponentPage(
            parent=self, labels=SHORT_LABELS, titles=column_titles,
            hide_empty_columns=True,
        )
        self.message = QLabel(self)
        self.message.setObjectName("emptyMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(360)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.page)
        self.stack.addWidget(self._message_page())

        self._build_layout()
        self.show_message("Cargue un mes para ver su evolución.")

    def _message_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _build_layout(self) -> None:
        header = QHBoxLayout()
        header.setContentsMargins(8, 8, 8, 0)
        header.setSpacing(6)
        header.addWidget(self.heading)
        header.addWidget(self.compare)
        header.addSpacing(12)
        header.addWidget(self.note, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

    # --- what the window tells it ---------------------------------------------

    @property
    def panel(self) -> TableChartPanel:
        return self.page.panel

    @property
    def dashboard_shown(self) -> bool:
        return self.stack.currentWidget() is self.page

    def show_waiting(self, text: str, fraction: float | None = None) -> None:
        """Say what is being prepared; a fraction shows how far it got."""
        self.show_message(text)
        self.progress.setVisible(True)
        self.set_progress(fraction, "")

    def set_progress(self, fraction: float | None, text: str) -> None:
        if fraction is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, PROGRESS_STEPS)
            fraction = max(0.0, min(1.0, fraction))
            self.progress.setValue(int(fraction * PROGRESS_STEPS))
        if text and not self.dashboard_shown:
            self.message.setText(text)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.progress.setVisible(False)
        self.compare.setVisible(False)
        self.heading.setText("Evolución")
        self.note.clear()
        self.stack.setCurrentIndex(1)

    def show_state(self, state: EvolutionState, note: str = "") -> None:
        """Show the dashboard of `state`, or why there is none."""
        self.state = state
        message = state_message(state)
        if message:
            self.page.set_tables(None)
            self.show_message(message)
            self.note.setText(note)
            return

        dashboard = state.dashboard
        assert dashboard is not None
        self.heading.setText(f"{fmt_month(state.periodo).capitalize()} frente a")
        self._fill_compare(state.earlier(), dashboard.periodo_anterior)
        self.note.setText(note or self._saved_note(state))
        tables = dashboard.tablas
        labels = {t: SHORT_LABELS.get(t, tables[t].titulo) for t in tables}
        self.page.set_table_ids(ordered_ids(tables), labels)
        self.page.set_tables(tables)
        self.stack.setCurrentWidget(self.page)

    def current_table(self) -> Table | None:
        return self.page.current_table() if self.dashboard_shown else None

    def _saved_note(self, state: EvolutionState) -> str:
        month = fmt_month(state.periodo)
        if not state.guardado:
            return f"{month.capitalize()} no está guardado en el historial."
        return f"{month.capitalize()} se guardó el {saved_at(state.guardado)}."

    def _fill_compare(self, earlier: list[str], chosen: str) -> None:
        self.compare.blockSignals(True)
        self.compare.clear()
        for periodo in earlier:
            self.compare.addItem(fmt_month(periodo), periodo)
        self.compare.setCurrentIndex(max(self.compare.findData(chosen), 0))
        self.compare.blockSignals(False)
        self.compare.setVisible(True)

    def _on_compare_index_changed(self, index: int) -> None:
        periodo = self.compare.itemData(index)
        if periodo:
            self.comparison_changed.emit(str(periodo))
