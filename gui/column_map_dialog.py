"""The dialog that asks which column of a file is each field.

It opens when the loader cannot place a required field, or finds two
columns that could be the same one. It shows the file's headers and its
first rows, and one choice per field; the answer is remembered for every
file with the same columns (see `core.columns.remember_mapping`).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.errors import FIELD_NAMES, ROLE_NAMES, ColumnMappingError

logger = logging.getLogger(__name__)

NO_CHOICE = "(elija una columna)"
PREVIEW_WIDTH = 160


def field_label(name: str) -> str:
    """Return how a field reads in the dialog: "Cuenta (matrícula)"."""
    text = FIELD_NAMES.get(name, name.replace("_", " "))
    return text[:1].upper() + text[1:]


def can_ask(error: ColumnMappingError) -> bool:
    """Tell whether the dialog has something to ask for this error."""
    return bool(error.questions) and any(error.all_headers)


class ColumnMapDialog(QDialog):
    """Shows a file's headers and first rows; asks for each unplaced field."""

    def __init__(
        self, error: ColumnMappingError, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.error = error
        name = error.path.name if error.path else "el archivo"
        self.setWindowTitle(f"Columnas de «{name}»")
        self.setMinimumWidth(720)
        self.combos: dict[str, QComboBox] = {}

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro(name))
        layout.addLayout(self._choices())
        layout.addWidget(self._preview_label())
        self.preview = self._preview()
        layout.addWidget(self.preview, 1)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addWidget(self._buttons())
        self._validate()

    # --- parts -----------------------------------------------------------

    def _intro(self, name: str) -> QLabel:
        role = ROLE_NAMES.get(self.error.role, self.error.role)
        where = f" (hoja «{self.error.sheet}»)" if self.error.sheet else ""
        text = QLabel(
            f"No se pudo saber qué columna de «{name}»{where} es cada dato "
            f"de la {role}. Elija la columna de cada uno; la respuesta se "
            "recuerda para los archivos que tengan estas mismas columnas.",
            self,
        )
        text.setWordWrap(True)
        return text

    def _choices(self) -> QFormLayout:
        form = QFormLayout()
        headers = [h for h in self.error.all_headers if h]
        for name, candidates in self.error.questions.items():
            combo = QComboBox(self)
            combo.addItem(NO_CHOICE, "")
            for header in candidates or headers:
                combo.addItem(header, header)
            if len(candidates) > 1:
                combo.setToolTip("Estas columnas podrían ser este mismo dato.")
            combo.currentIndexChanged.connect(lambda _i: self._validate())
            self.combos[name] = combo
            form.addRow(f"{field_label(name)}:", combo)
        return form

    def _preview_label(self) -> QLabel:
        if self.error.preview:
            return QLabel("Primeras filas del archivo:", self)
        return QLabel("El archivo no muestra filas debajo de los encabezados.", self)

    def _preview(self) -> QTableView:
        headers = self.error.all_headers
        model = QStandardItemModel(len(self.error.preview), len(headers), self)
        model.setHorizontalHeaderLabels(
            [h or f"(sin título {i + 1})" for i, h in enumerate(headers)]
        )
        for r, row in enumerate(self.error.preview):
            for c, value in enumerate(row[: len(headers)]):
                item = QStandardItem(value)
                item.setEditable(False)
                model.setItem(r, c, item)
        view = QTableView(self)
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.verticalHeader().hide()
        for column in range(len(headers)):
            view.setColumnWidth(column, PREVIEW_WIDTH)
        view.setMinimumHeight(180)
        return view

    def _buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(self)
        self.use_button = self.buttons.addButton(
            "Usar estas columnas", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.use_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    # --- choices ---------------------------------------------------------

    def choose(self, name: str, header: str) -> None:
        """Select `header` for field `name` (as the officer would)."""
        combo = self.combos[name]
        index = combo.findData(header)
        if index < 0:
            raise ValueError(f"{header!r} is not offered for {name!r}")
        combo.setCurrentIndex(index)

    def mapping(self) -> dict[str, str]:
        """Return field -> header for every field with a column chosen."""
        chosen = {name: combo.currentData() for name, combo in self.combos.items()}
        return {name: header for name, header in chosen.items() if header}

    def _validate(self) -> None:
        chosen = self.mapping()
        problem = ""
        if len(chosen) < len(self.combos):
            problem = "Falta elegir la columna de algún dato."
        elif len(set(chosen.values())) < len(chosen):
            problem = "Una misma columna no puede ser dos datos distintos."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.use_button.setEnabled(not problem)
        self._highlight(set(chosen.values()))

    def _highlight(self, headers: set[str]) -> None:
        model = self.preview.model()
        for column, header in enumerate(self.error.all_headers):
            item = model.horizontalHeaderItem(column)
            if item is None:
                continue
            font = item.font()
            font.setBold(bool(header) and header in headers)
            item.setFont(font)
        self.preview.horizontalHeader().viewport().update()
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
