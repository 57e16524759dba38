"""The app's dialogs: open the month, the rows behind a quality item, the
drill-down list of a comuna, barrio or segment and unexpected errors
(the Help menu's dialogs are in gui.help_dialog)."""

from __future__ import annotations

import logging
from html import escape
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import CaracterizacionError
from core.formatting import fmt_int
from core.model import MonthResult, QualityItem
from core.pipeline import MonthSources
from core.settings import Settings
from gui.models import ResultTableModel
from gui.widgets.debtor_list import DebtorListWidget, ListScope
from gui.widgets.table_view import ResultTableView
from gui.workers import Task

logger = logging.getLogger(__name__)

Detector = Callable[[Path], str | None]

ROLE_CHOICES = (
    ("usuarios", "Guía de usuarios"),
    ("cartera", "Conciliación de cartera"),
    ("encuesta", "Encuesta de percepción (opcional)"),
    ("", "No usar este archivo"),
)
SPREADSHEET_FILTER = (
    "Hojas de cálculo y CSV (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;"
    "Todos los archivos (*)"
)


def detect_role(path: Path) -> str | None:
    """Recognize a file's role from its content (None when unsure)."""
    from core.loading import detect_role as core_detect_role

    return core_detect_role(path)


def choose_month_files(parent: QWidget | None, folder: str) -> list[Path]:
    """Ask for the month's files in one dialog; return them (maybe none)."""
    names, _filter = QFileDialog.getOpenFileNames(
        parent,
        "Abrir archivos del mes: guía, cartera y encuesta (opcional)",
        folder,
        SPREADSHEET_FILTER,
    )
    return [Path(name) for name in names]


class _FileRow:
    """The widgets of one file in the open-month dialog."""

    def __init__(self, path: Path, parent: QWidget) -> None:
        self.path = path
        self.name = QLabel(path.name, parent)
        self.name.setToolTip(str(path))
        self.role = QComboBox(parent)
        for role, label in ROLE_CHOICES:
            self.role.addItem(label, role)
        self.role.setEnabled(False)
        self.status = QLabel("Reconociendo el archivo…", parent)
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.remove = QToolButton(parent)
        self.remove.setText("Quitar")
        self.remove.setToolTip("Quitar este archivo de la lista")
        self.recognized = False

    def chosen_role(self) -> str:
        return str(self.role.currentData() or "")

    def set_role(self, role: str | None) -> None:
        index = self.role.findData(role or "")
        self.role.setCurrentIndex(max(index, 0))

    def widgets(self) -> list[QWidget]:
        return [self.name, self.role, self.status, self.remove]


class OpenMonthDialog(QDialog):
    """Shows each chosen file with the role read from its content.

    The officer can correct a role before loading; the month loads only with
    one guía and one cartera (the survey is optional).
    """

    detection_finished = Signal()

    def __init__(
        self,
        paths: Sequence[Path],
        folder: str = "",
        detector: Detector = detect_role,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Abrir los archivos del mes")
        self.setMinimumWidth(760)
        self.folder = folder
        self._detector = detector
        self._rows: list[_FileRow] = []
        self._tasks: dict[int, Task] = {}

        intro = QLabel(
            "Revise qué es cada archivo. El tipo se reconoció por su "
            "contenido; si no es correcto, cámbielo.",
            self,
        )
        intro.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(2, 1)
        for column, text in enumerate(("Archivo", "Es…", "Estado")):
            header = QLabel(f"<b>{text}</b>", self)
            self.grid.addWidget(header, 0, column)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)

        self.add_button = QPushButton("Agregar archivos…", self)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.buttons = QDialogButtonBox(self)
        self.load_button = self.buttons.addButton(
            "Cargar el mes", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.load_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.grid)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.add_files(paths)

    # --- files -----------------------------------------------------------

    def add_files(self, paths: Sequence[Path]) -> None:
        from core.loading import is_excel_lock_file

        known = {row.path for row in self._rows}
        for path in paths:
            if is_excel_lock_file(path):
                continue  # Excel's "~$" lock file of an open workbook
            if Path(path) not in known:
                self._add_row(Path(path))
        self._validate()

    def _add_row(self, path: Path) -> None:
        row = _FileRow(path, self)
        self._rows.append(row)
        line = self.grid.rowCount()
        for column, widget in enumerate(row.widgets()):
            self.grid.addWidget(widget, line, column)
        row.role.currentIndexChanged.connect(lambda _index: self._validate())
        row.remove.clicked.connect(lambda: self._remove_row(row))
        self._detect(row)

    def _remove_row(self, row: _FileRow) -> None:
        for widget in row.widgets():
            widget.hide()
            widget.deleteLater()
        self._rows.remove(row)
        self._validate()

    # --- role detection (off the GUI thread: it opens the file) -----------

    def _detect(self, row: _FileRow) -> None:
        detector, path = self._detector, row.path
        task = Task(lambda _progress, _cancelled: detector(path), "reconocer")
        self._tasks[id(task)] = task
        task.signals.succeeded.connect(
            lambda role, row=row: self._on_detect_succeeded(row, role)
        )
        task.signals.failed.connect(
            lambda error, _details, row=row: self._on_detect_failed(row, error)
        )
        task.signals.finished.connect(lambda key=id(task): self._on_detect_done(key))
        task.start()

    def _on_detect_succeeded(self, row: _FileRow, role: str | None) -> None:
        if row not in self._rows:
            return
        row.role.setEnabled(True)
        row.recognized = bool(role)
        row.set_role(role)
        if role:
            row.status.setText("Reconocido por su contenido.")
        else:
            row.status.setText("No se reconoció: indique qué archivo es.")
        self._validate()

    def _on_detect_failed(self, row: _FileRow, error: Exception) -> None:
        if row not in self._rows:
            return
        row.role.setEnabled(True)
        row.recognized = False
        row.set_role("")
        if isinstance(error, CaracterizacionError):
            row.status.setText(error.mensaje())
        else:
            logger.warning("no se pudo reconocer un archivo: %s", type(error).__name__)
            row.status.setText("No se pudo abrir para reconocerlo.")
        self._validate()

    def _on_detect_done(self, key: int) -> None:
        self._tasks.pop(key, None)
        if not self._tasks:
            self._guess_last_role()
        self._validate()
        if not self._tasks:
            self.detection_finished.emit()

    def is_detecting(self) -> bool:
        return bool(self._tasks)

    def _guess_last_role(self) -> None:
        """One file not recognized and one required role missing: pair them."""
        unknown = [
            row for row in self._rows if not row.recognized and not row.chosen_role()
        ]
        taken = {row.chosen_role() for row in self._rows}
        missing = [r for r in ("usuarios", "cartera") if r not in taken]
        if len(unknown) == 1 and len(missing) == 1:
            unknown[0].set_role(missing[0])

    # --- validation and result --------------------------------------------

    def _validate(self) -> None:
        problem = "" if not self._tasks else "Reconociendo los archivos…"
        if not problem:
            problem = self._problem()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.load_button.setEnabled(not problem)

    def _problem(self) -> str:
        roles = [row.chosen_role() for row in self._rows]
        for role, label in ROLE_CHOICES[:3]:
            if roles.count(role) > 1:
                return f"Hay más de un archivo marcado como «{label}»."
        if "usuarios" not in roles:
            return "Falta la guía de usuarios."
        if "cartera" not in roles:
            return "Falta la conciliación de cartera."
        return ""

    def roles(self) -> dict[str, Path]:
        return {
            row.chosen_role(): row.path for row in self._rows if row.chosen_role()
        }

    def sources(self) -> MonthSources:
        roles = self.roles()
        return MonthSources(
            usuarios=roles["usuarios"],
            cartera=roles["cartera"],
            encuesta=roles.get("encuesta"),
        )

    def _on_add_button_clicked(self) -> None:
        paths = choose_month_files(self, self.folder)
        if paths:
            self.folder = str(paths[0].parent)
            self.add_files(paths)

    def done(self, result: int) -> None:
        for task in self._tasks.values():
            task.cancel()
        super().done(result)


class QualityRowsDialog(QDialog):
    """The rows of the files behind one data-quality item."""

    def __init__(self, item: QualityItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Filas del aviso de calidad")
        self.resize(900, 520)
        message = QLabel(item.mensaje, self)
        message.setWordWrap(True)
        message.setObjectName("panelTitle")
        count = QLabel(f"{fmt_int(len(item.filas))} filas", self)
        count.setObjectName("hint")
        self.model = ResultTableModel(item.filas, parent=self)
        self.view = ResultTableView(self)
        self.view.setModel(self.model)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(count)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)


class DebtorListDialog(QDialog):
    """A window over the accounts of one comuna, barrio or segment."""

    def __init__(
        self,
        result: MonthResult,
        scope: ListScope,
        folder: str = "",
        parent: QWidget | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(scope.title())
        self.resize(1200, 720)
        self.list = DebtorListWidget(
            result, scope, folder, settings=settings, parent=self
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def done(self, result: int) -> None:
        self.list.close_outputs()
        super().done(result)


def error_box(
    parent: QWidget | None, message: str, details: str, log_path: Path | None
) -> QMessageBox:
    """An error dialog: a short message, the details on demand, the log."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Error inesperado")
    box.setText(escape(message))
    where = ""
    if log_path is not None:
        where = (
            "<br>El detalle quedó en el registro:<br>"
            f"<tt>{escape(str(log_path))}</tt>"
        )
    box.setInformativeText(
        "El programa puede seguir funcionando, pero conviene revisar el "
        f"resultado.{where}"
    )
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box
