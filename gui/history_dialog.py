"""The Historial menu's dialogs: the months saved (delete one, back the
history up to a file or restore it from one), the file choosers and the
questions before replacing a saved month or the whole history."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pandas as pd
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.formatting import fmt_date, fmt_month
from core.history import StoredMonth
from gui.history_worker import HistoryWorker
from gui.models import ResultTableModel
from gui.widgets.evolution import saved_at
from gui.widgets.table_view import ResultTableView

logger = logging.getLogger(__name__)

HISTORY_FILTER = "Copia del historial (*.sqlite);;Todos los archivos (*)"

COLUMNS = {
    "periodo": ("Periodo", "texto"),
    "mes": ("Mes", "texto"),
    "fecha_corte": ("Fecha de corte", "texto"),
    "guardado": ("Guardado", "texto"),
    "usuarios_activos": ("Usuarios activos", "conteo"),
    "usuarios_morosos": ("Morosos", "conteo"),
    "cartera_morosa": ("Cartera morosa", "pesos"),
}


def months_frame(months: list[StoredMonth]) -> pd.DataFrame:
    """One row per saved month, the latest first, as the history keeps it."""
    rows = [
        {
            "periodo": month.periodo,
            "mes": fmt_month(month.periodo).capitalize(),
            "fecha_corte": fmt_date(month.fecha_corte),
            "guardado": saved_at(month.guardado),
            "usuarios_activos": month.resumen.get("usuarios_activos"),
            "usuarios_morosos": month.resumen.get("usuarios_morosos"),
            "cartera_morosa": month.resumen.get("cartera_morosa"),
        }
        for month in reversed(months)
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


class HistoryDialog(QDialog):
    """The months in one history file; delete one, export or import a copy."""

    def __init__(
        self,
        worker: HistoryWorker,
        path: Path,
        export_action: QAction,
        import_action: QAction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Meses guardados en el historial")
        self.resize(860, 420)
        self.worker = worker
        self.path = path
        self.months: list[StoredMonth] = []

        intro = QLabel(
            "Cada mes que se abre en la aplicación queda guardado aquí, sin "
            "nombres, documentos, direcciones ni teléfonos. La pestaña "
            "Evolución compara estos meses.",
            self,
        )
        intro.setWordWrap(True)
        where = QLabel(f"Archivo: {path}", self)
        where.setObjectName("hint")
        where.setWordWrap(True)
        self.status = QLabel("Leyendo el historial…", self)
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)

        self.model = ResultTableModel(parent=self)
        self.view = ResultTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionMode(
            QAbstractItemView.SelectionMode.SingleSelection
        )
        self.view.selectionModel().selectionChanged.connect(
            self._on_view_selection_changed
        )

        self.delete_button = QPushButton("&Borrar mes…", self)
        self.delete_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_button.setToolTip("Borrar del historial el mes elegido (Supr)")
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.export_button = QPushButton(export_action.text(), self)
        self.export_button.setToolTip(export_action.toolTip())
        self.export_button.clicked.connect(export_action.trigger)
        self.import_button = QPushButton(import_action.text(), self)
        self.import_button.setToolTip(import_action.toolTip())
        self.import_button.clicked.connect(import_action.trigger)
        close = QPushButton("Cerrar", self)
        close.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(where)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        worker.months_listed.connect(self._on_worker_months_listed)
        worker.changed.connect(self._on_worker_changed)
        worker.history_exported.connect(self._on_worker_history_exported)
        worker.failed.connect(self._on_worker_failed)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        """Read the months again (on the history's worker)."""
        self.worker.list_months(self.path)

    def selected_period(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or self.model.is_total_row(rows[0].row()):
            return None
        return str(self.model.raw_value(rows[0].row(), 0))

    def select_period(self, periodo: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.raw_value(row, 0) == periodo:
                self.view.selectRow(row)
                return

    def delete_selected(self) -> None:
        periodo = self.selected_period()
        if periodo is not None and self.confirm_delete(periodo):
            logger.info("borrado de un mes pedido desde el historial")
            self.status.setText(f"Borrando {fmt_month(periodo)}…")
            self.delete_button.setEnabled(False)
            self.worker.delete(self.path, periodo)

    def confirm_delete(self, periodo: str) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Borrar un mes del historial")
        box.setText(f"¿Borrar {fmt_month(periodo)} del historial?")
        box.setInformativeText(
            "Se borran sus cuentas y sus tablas guardadas; los archivos del mes "
            "no se tocan y se puede volver a guardar abriéndolos de nuevo."
        )
        delete = box.addButton("Borrar", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Cancelar", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is delete

    def _on_worker_months_listed(self, months: list[StoredMonth]) -> None:
        self.months = months
        frame = months_frame(months)
        titles = {name: title for name, (title, _kind) in COLUMNS.items()}
        kinds = [kind for _title, kind in COLUMNS.values()]
        self.model.set_frame(frame, kinds, titles=titles)
        self.status.setText(_count_text(len(months)))
        self._update_buttons()

    def _on_worker_changed(self, path: Path) -> None:
        if Path(path) == self.path:
            self.refresh()

    def _on_worker_history_exported(self, target: Path) -> None:
        self.status.setText(f"Se guardó la copia «{Path(target).name}».")

    def _on_worker_failed(self, _kind: str, message: str) -> None:
        self.status.setText(message)
        self._update_buttons()

    def _on_view_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_delete_button_clicked(self) -> None:
        self.delete_selected()

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.selected_period() is not None)


def _count_text(count: int) -> str:
    if count == 0:
        return "El historial no tiene meses todavía."
    if count == 1:
        return "1 mes guardado."
    return f"{count} meses guardados."


def replace_question(
    parent: QWidget | None, periodo: str, guardado: str
) -> QMessageBox:
    """The question before replacing a saved month; Enter keeps the saved one."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("El mes ya está en el historial")
    box.setText(
        f"El historial ya tiene {fmt_month(periodo)} (guardado el "
        f"{saved_at(guardado)}). ¿Reemplazarlo con los archivos que acaba de "
        "abrir?"
    )
    box.setInformativeText(
        "Si no, el historial conserva el guardado y la evolución se calcula "
        "con él."
    )
    box.addButton("Sí, reemplazarlo", QMessageBox.ButtonRole.YesRole)
    keep = box.addButton("No", QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return box


def ask_export_path(parent: QWidget, folder: str) -> Path | None:
    """Where to write a copy of the history (None if the officer cancels)."""
    name = f"historial-caracterizacion-{dt.date.today():%Y-%m-%d}.sqlite"
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Exportar una copia del historial", str(Path(folder) / name),
        HISTORY_FILTER,
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix else path.with_suffix(".sqlite")


def ask_import_path(parent: QWidget, folder: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Importar una copia del historial", folder, HISTORY_FILTER
    )
    return Path(chosen) if chosen else None


def confirm_import(parent: QWidget, source: Path) -> bool:
    """Ask before a copy replaces the whole history; Enter cancels."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Importar una copia del historial")
    box.setText(f"¿Reemplazar todo el historial con la copia «{source.name}»?")
    box.setInformativeText(
        "Los meses guardados ahora que no estén en la copia se pierden. Si "
        "quiere conservarlos, exporte antes una copia del historial."
    )
    replace = box.addButton(
        "Reemplazar el historial", QMessageBox.ButtonRole.DestructiveRole
    )
    cancel = box.addButton("Cancelar", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is replace
