"""The data-quality panel (items of `result.calidad`) and the checks list."""

from __future__ import annotations

import logging

import pandas as pd
from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.model import Check, QualityItem
from gui.models import ResultTableModel
from gui.widgets.table_view import ResultTableView

logger = logging.getLogger(__name__)

QUALITY_TITLES = {"mensaje": "Aviso", "cantidad": "Cantidad", "valor": "Valor"}
CHECK_TITLES = {
    "descripcion": "Comprobación",
    "esperado": "Esperado",
    "obtenido": "Obtenido",
    "cuadra": "¿Cuadra?",
}


class QualityPanel(QWidget):
    """One line per quality item; its rows open in a table on demand."""

    item_opened = Signal(object)  # QualityItem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[QualityItem] = []
        self.model = ResultTableModel(parent=self)
        self.view = ResultTableView(self)
        self.view.setSortingEnabled(False)
        self.view.setModel(self.model)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.selectionModel().currentRowChanged.connect(
            self._on_view_current_changed
        )

        self.open_button = QPushButton("Ver filas…", self)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.hint = QLabel(
            "Elija un aviso y pulse «Ver filas…» (o haga doble clic) para ver "
            "las filas de los archivos que lo explican.",
            self,
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def set_items(self, items: list[QualityItem]) -> None:
        self.items = list(items)
        frame = pd.DataFrame(
            [[i.mensaje, i.cantidad, i.valor] for i in self.items],
            columns=list(QUALITY_TITLES),
        )
        self.model.set_frame(
            frame, ["texto", "conteo", "pesos"], titles=QUALITY_TITLES
        )
        self.view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.open_button.setEnabled(False)

    def open_item(self, row: int) -> None:
        """Ask to show the rows behind item `row` (when it has any)."""
        if 0 <= row < len(self.items) and has_rows(self.items[row]):
            self.item_opened.emit(self.items[row])

    def _on_view_current_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        row = current.row()
        self.open_button.setEnabled(
            0 <= row < len(self.items) and has_rows(self.items[row])
        )

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        self.open_item(index.row())

    def _on_open_button_clicked(self) -> None:
        self.open_item(self.view.currentIndex().row())


class ChecksWidget(QWidget):
    """The reconciliation checks and whether each one holds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ResultTableModel(parent=self)
        self.view = ResultTableView(self)
        self.view.setSortingEnabled(False)
        self.view.setModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_checks(self, checks: list[Check]) -> None:
        frame = pd.DataFrame(
            [
                [c.descripcion, c.esperado, c.obtenido, "Sí" if c.cuadra else "No"]
                for c in checks
            ],
            columns=list(CHECK_TITLES),
        )
        self.model.set_frame(
            frame, ["texto", "pesos", "pesos", "texto"], titles=CHECK_TITLES
        )
        self.view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )


def has_rows(item: QualityItem) -> bool:
    return item.filas is not None and not item.filas.empty
