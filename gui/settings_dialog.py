"""The settings dialog: entity, signatories, report texts, rules, catalogs, survey.

It edits the values in force (shipped defaults plus the user's changes) and
saves them through `core.user_settings`, which keeps only the differences
and refuses invalid values with a Spanish reason.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import CaracterizacionError, ConfigError
from core.settings import SIGNATURE_ROLES, Settings
from core.user_settings import (
    default_settings,
    load_user_settings,
    rules_differ,
    save_user_settings,
)

logger = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
TEXTS = (
    ("introduccion", "Introducción"),
    ("objetivo_general", "Objetivo general"),
    ("objetivos_especificos", "Objetivos específicos"),
    ("recomendaciones", "Recomendaciones"),
)
LOGO_FILTER = "Imágenes (*.png *.jpg *.jpeg)"
LOGO_PREVIEW = (240, 110)


class TextTableModel(QAbstractTableModel):
    """Rows of text cells, editable, with rows that can be added and removed.

    A row may carry hidden trailing cells (an indicator's id) past the
    visible columns.
    """

    def __init__(
        self,
        headers: list[str],
        rows: list[list[str]] | None = None,
        hidden: int = 0,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.headers = headers
        self._width = len(headers) + hidden
        self._rows: list[list[str]] = []
        self.set_rows(rows or [])

    def set_rows(self, rows: list[list[str]]) -> None:
        self.beginResetModel()
        self._rows = [self._padded(row) for row in rows]
        self.endResetModel()

    def rows(self) -> list[list[str]]:
        return [list(row) for row in self._rows]

    def _padded(self, row: list[str]) -> list[str]:
        cells = [str(cell) for cell in row][: self._width]
        return cells + [""] * (self._width - len(cells))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._rows[index.row()][index.column()]
        return None

    def setData(
        self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        self._rows[index.row()][index.column()] = str(value).strip()
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1)

    def insertRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:
        if parent.isValid() or count < 1 or not 0 <= row <= len(self._rows):
            return False
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        for _ in range(count):
            self._rows.insert(row, [""] * self._width)
        self.endInsertRows()
        return True

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        return True


class _InputError(ValueError):
    """A value typed in the dialog that cannot be read (Spanish message)."""


class TableEditor(QWidget):
    """A table of text rows with «Agregar fila» and «Quitar fila»."""

    def __init__(
        self,
        model: TextTableModel,
        stretch: tuple[int, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QTableView(self)
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        for column in range(model.columnCount()):
            mode = QHeaderView.ResizeMode.ResizeToContents
            if column in stretch:
                mode = QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(column, mode)
        self.add_button = QPushButton("Agregar fila", self)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button = QPushButton("Quitar fila", self)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def _on_add_button_clicked(self) -> None:
        row = self.model.rowCount()
        self.model.insertRows(row, 1)
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def _on_remove_button_clicked(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        for row in reversed(rows):
            self.model.removeRows(row, 1)


class SettingsDialog(QDialog):
    """«Ajustes»: what the reports say and the rules behind every figure."""

    settings_saved = Signal(bool)  # whether the rules (the figures) changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ajustes")
        self.resize(860, 620)
        self.problems: list[str] = []
        self.before = load_user_settings(self.problems.append)
        self.rules_changed = False

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._entity_tab(), "Entidad")
        self.tabs.addTab(self._signatures_tab(), "Firmas")
        self.tabs.addTab(self._texts_tab(), "Textos del informe")
        self.tabs.addTab(self._rules_tab(), "Reglas")
        self.tabs.addTab(self._catalogs_tab(), "Catálogos")
        self.tabs.addTab(self._survey_tab(), "Encuesta")
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self._build_buttons()

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.show_settings(self.before)
        self._show_problem(" ".join(self.problems))

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            "Guardar", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.buttons.addButton("Cancelar", QDialogButtonBox.ButtonRole.RejectRole)
        self.reset_button = self.buttons.addButton(
            "Restablecer valores de fábrica", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.reset_button.setToolTip(
            "Vuelve a poner en el diálogo los valores con que se instaló el "
            "programa; se aplican al guardar."
        )
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    # --- tabs ----------------------------------------------------------------

    def _entity_tab(self) -> QWidget:
        page = QWidget(self)
        self.entity_name = QLineEdit(page)
        self.entity_city = QLineEdit(page)
        self.report_title = QLineEdit(page)
        self.logo_path = QLineEdit(page)
        self.logo_path.setReadOnly(True)
        self.logo_path.setPlaceholderText("Sin logo")
        choose = QPushButton("Elegir…", page)
        choose.clicked.connect(self._on_choose_logo_clicked)
        clear = QPushButton("Quitar", page)
        clear.clicked.connect(self._on_clear_logo_clicked)
        self.logo_preview = QLabel(page)
        self.logo_preview.setFixedSize(*LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFrameShape(QLabel.Shape.StyledPanel)

        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_path, 1)
        logo_row.addWidget(choose)
        logo_row.addWidget(clear)
        form = QFormLayout(page)
        form.addRow("Nombre de la entidad:", self.entity_name)
        form.addRow("Ciudad:", self.entity_city)
        form.addRow("Título del informe:", self.report_title)
        form.addRow("Logo (portada del informe):", logo_row)
        form.addRow("", self.logo_preview)
        return page

    def _signatures_tab(self) -> QWidget:
        page = QWidget(self)
        grid = QGridLayout(page)
        for column, text in enumerate(("Rol", "Nombre", "Cargo")):
            grid.addWidget(QLabel(f"<b>{text}</b>", page), 0, column)
        self.signatures: dict[str, tuple[QLineEdit, QLineEdit]] = {}
        for row, (key, label) in enumerate(SIGNATURE_ROLES, start=1):
            name, position = QLineEdit(page), QLineEdit(page)
            grid.addWidget(QLabel(label, page), row, 0)
            grid.addWidget(name, row, 1)
            grid.addWidget(position, row, 2)
            self.signatures[key] = (name, position)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(SIGNATURE_ROLES) + 1, 1)
        return page

    def _texts_tab(self) -> QWidget:
        page = QWidget(self)
        self.text_list = QListWidget(page)
        self.text_stack = QStackedWidget(page)
        self.texts: dict[str, QPlainTextEdit] = {}
        for key, label in TEXTS:
            self.text_list.addItem(label)
            editor = QPlainTextEdit(page)
            self.text_stack.addWidget(editor)
            self.texts[key] = editor
        self.text_list.setFixedWidth(180)
        self.text_list.setSpacing(3)
        self.text_list.currentRowChanged.connect(self.text_stack.setCurrentIndex)
        self.text_list.setCurrentRow(0)
        hint = _hint(
            "Los párrafos se separan con una línea en blanco; una línea que "
            "empieza con «- » es una viñeta.", page,
        )

        row = QHBoxLayout()
        row.addWidget(self.text_list)
        row.addWidget(self.text_stack, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(row, 1)
        layout.addWidget(hint)
        return page

    def _rules_tab(self) -> QWidget:
        page = QWidget(self)
        self.inactive_states = QLineEdit(page)
        self.days_debtor = _spin(1, 3650, " días", page)
        self.segment_edges = QLineEdit(page)
        self.segment_preview = _hint("", page)
        self.age_edges = QLineEdit(page)
        self.age_preview = _hint("", page)
        self.prescription = _spin(1, 1200, " meses", page)
        self.segment_edges.textChanged.connect(self._on_edges_text_changed)
        self.age_edges.textChanged.connect(self._on_edges_text_changed)

        states_hint = _hint(
            "Separados por comas; las cuentas de la guía con estos estados no "
            "cuentan como usuarios activos.", page,
        )
        form = QFormLayout(page)
        form.addRow("Estados inactivos:", _stacked(self.inactive_states, states_hint))
        form.addRow("Días de mora para ser moroso:", _stacked(self.days_debtor))
        form.addRow(
            "Límites de los segmentos (días):",
            _stacked(self.segment_edges, self.segment_preview),
        )
        form.addRow(
            "Límites de las edades de cartera (meses):",
            _stacked(self.age_edges, self.age_preview),
        )
        form.addRow("Riesgo de prescripción desde:", _stacked(self.prescription))
        return page

    def _catalogs_tab(self) -> QWidget:
        page = QWidget(self)
        self.uso_model = TextTableModel(["Código", "Descripción"], parent=self)
        self.estrato_model = TextTableModel(
            ["Código", "Descripción", "Uso (código)"], parent=self
        )
        self.uso_table = TableEditor(self.uso_model, (1,), page)
        self.estrato_table = TableEditor(self.estrato_model, (1,), page)

        layout = QHBoxLayout(page)
        for title, editor in (("Usos", self.uso_table),
                              ("Estratos", self.estrato_table)):
            box = QGroupBox(title, page)
            QVBoxLayout(box).addWidget(editor)
            layout.addWidget(box, 1)
        return page

    def _survey_tab(self) -> QWidget:
        page = QWidget(self)
        self.indicator_model = TextTableModel(
            ["Indicador", "Preguntas", "Respuestas que cuentan"], hidden=1,
            parent=self,
        )
        self.indicator_table = TableEditor(self.indicator_model, (0, 2), page)
        hint = _hint(
            "Preguntas por número, separadas por comas (6, 7). Respuestas "
            "separadas con «;» y, si hay varias preguntas, las de cada pregunta "
            "separadas con «|» (No | No, nunca).", page,
        )

        layout = QVBoxLayout(page)
        layout.addWidget(self.indicator_table, 1)
        layout.addWidget(hint)
        return page

    # --- from settings to widgets and back ---------------------------------------

    def show_settings(self, settings: Settings) -> None:
        """Put `settings` in every field."""
        raw = settings.raw
        entidad, informe = raw["entidad"], raw.get("informe", {})
        self.entity_name.setText(entidad.get("nombre", ""))
        self.entity_city.setText(entidad.get("ciudad", ""))
        self.report_title.setText(entidad.get("titulo_informe", ""))
        self._set_logo(str(informe.get("logo", "")))
        for signatory, (key, _label) in zip(settings.firmas, SIGNATURE_ROLES):
            name, position = self.signatures[key]
            name.setText(signatory.nombre)
            position.setText(signatory.cargo)
        for key, editor in self.texts.items():
            editor.setPlainText(settings.textos.get(key, ""))

        self._show_rules(settings)
        uso = settings.catalog("uso")
        self.uso_model.set_rows(sorted([code, text] for code, text in uso.items()))
        by_estrato = settings.catalog("uso_por_estrato")
        self.estrato_model.set_rows(sorted(
            [code, text, by_estrato.get(code, "")]
            for code, text in settings.catalog("estrato").items()
        ))
        self.indicator_model.set_rows([
            [i.nombre, ", ".join(i.preguntas),
             " | ".join("; ".join(r) for r in i.respuestas), i.id]
            for i in settings.indicadores
        ])

    def _show_rules(self, settings: Settings) -> None:
        estados = settings.raw["reglas"]["estados_inactivos"]
        self.inactive_states.setText(", ".join(estados))
        self.days_debtor.setValue(settings.dias_moroso)
        self.segment_edges.setText(", ".join(map(str, settings.segmentos_dias)))
        self.age_edges.setText(", ".join(map(str, settings.edades_meses)))
        self.prescription.setValue(settings.meses_prescripcion)

    def changes(self) -> dict[str, Any]:
        """Return every value the dialog edits, as the settings' sections."""
        firmas = {
            key: {"nombre": name.text().strip(), "cargo": position.text().strip()}
            for key, (name, position) in self.signatures.items()
        }
        textos = {key: editor.toPlainText() for key, editor in self.texts.items()}
        return {
            "entidad": {
                "nombre": self.entity_name.text().strip(),
                "ciudad": self.entity_city.text().strip(),
                "titulo_informe": self.report_title.text().strip(),
            },
            "informe": {"logo": self.logo_path.text(), "firmas": firmas,
                        "textos": textos},
            "reglas": self._rules(),
            "catalogos": self._catalogs(),
            "encuesta": {"indicadores": self._indicators()},
        }

    def _rules(self) -> dict[str, Any]:
        estados = [s.strip().upper() for s in self.inactive_states.text().split(",")]
        return {
            "estados_inactivos": [s for s in estados if s],
            "dias_moroso": self.days_debtor.value(),
            "segmentos_dias": _edges(self.segment_edges.text(), "los segmentos"),
            "edades_meses": _edges(self.age_edges.text(), "las edades de cartera"),
            "meses_prescripcion": self.prescription.value(),
        }

    def _catalogs(self) -> dict[str, Any]:
        uso = _codes(self.uso_model.rows(), "uso")
        estrato = _codes(self.estrato_model.rows(), "estrato")
        by_estrato = {
            row[0]: row[2] for row in self.estrato_model.rows() if row[0] and row[2]
        }
        return {"uso": uso, "estrato": estrato, "uso_por_estrato": by_estrato}

    def _indicators(self) -> list[dict[str, Any]]:
        indicators = []
        for nombre, preguntas, respuestas, ident in self.indicator_model.rows():
            if not (nombre or preguntas or respuestas):
                continue
            indicators.append({
                "id": ident or _slug(nombre),
                "nombre": nombre,
                "preguntas": [p.strip() for p in preguntas.split(",") if p.strip()],
                "respuestas": [
                    [a.strip() for a in part.split(";") if a.strip()]
                    for part in respuestas.split("|")
                ],
            })
        return indicators

    # --- actions -----------------------------------------------------------------

    def save(self) -> bool:
        """Save the fields; on a bad value show why and save nothing."""
        try:
            save_user_settings(self.changes())
        except _InputError as exc:
            self._show_problem(f"No se guardaron los ajustes: {exc}")
            return False
        except ConfigError as exc:
            self._show_problem(f"No se guardaron los ajustes: {exc.detail}")
            return False
        except CaracterizacionError as exc:
            self._show_problem(exc.mensaje())
            return False
        self._show_problem("")
        self.rules_changed = rules_differ(self.before, load_user_settings())
        logger.info("ajustes guardados (reglas cambiadas: %s)", self.rules_changed)
        self.settings_saved.emit(self.rules_changed)
        return True

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()

    def _on_reset_button_clicked(self) -> None:
        self.show_settings(default_settings())
        self._show_problem("")

    def _on_choose_logo_clicked(self) -> None:
        current = self.logo_path.text()
        folder = str(Path(current).parent) if current else ""
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Elegir el logo de la entidad", folder, LOGO_FILTER
        )
        if chosen:
            self._set_logo(chosen)

    def _on_clear_logo_clicked(self) -> None:
        self._set_logo("")

    def _on_edges_text_changed(self) -> None:
        self.segment_preview.setText(_ranges(self.segment_edges.text(), "días", 0))
        self.age_preview.setText(_ranges(self.age_edges.text(), "meses", 1))

    def _set_logo(self, path: str) -> None:
        self.logo_path.setText(path)
        pixmap = QPixmap(path) if path else QPixmap()
        if pixmap.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No se puede mostrar" if path else "Sin logo")
            return
        self.logo_preview.setPixmap(pixmap.scaled(
            *LOGO_PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        ))

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


# --- reading what was typed ---------------------------------------------------------


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def _stacked(field: QWidget, hint: QLabel | None = None) -> QVBoxLayout:
    """A field with its hint right below; a spin box keeps its own width."""
    layout = QVBoxLayout()
    layout.setSpacing(2)
    if isinstance(field, QSpinBox):
        field.setMinimumWidth(140)
        layout.addWidget(field, 0, Qt.AlignmentFlag.AlignLeft)
    else:
        layout.addWidget(field)
    if hint is not None:
        layout.addWidget(hint)
    return layout


def _spin(low: int, high: int, suffix: str, parent: QWidget) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    return spin


def _edges(text: str, what: str) -> list[int]:
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise _InputError(
            f"los límites de {what} deben ser números enteros separados por "
            "comas, por ejemplo 30, 60, 120."
        )
    return [int(p) for p in parts]


def _ranges(text: str, unit: str, first: int) -> str:
    """How the edges read as ranges: 0-30, 31-60, 61+ días."""
    try:
        edges = _edges(text, "")
    except _InputError:
        return "Escriba números enteros separados por comas."
    if edges != sorted(set(edges)):
        return "Los límites deben ir de menor a mayor."
    starts = [first] + [e + 1 for e in edges]
    parts = [f"{s}-{e}" for s, e in zip(starts, edges)] + [f"{starts[-1]}+"]
    return f"Quedan: {', '.join(parts)} {unit}."


def _codes(rows: list[list[str]], what: str) -> dict[str, str]:
    codes: dict[str, str] = {}
    for row in rows:
        code, text = row[0], row[1]
        if not code and not text:
            continue
        if code in codes:
            raise _InputError(f"el código {code} de {what} está repetido.")
        codes[code] = text
    return codes


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_") or "indicador"
