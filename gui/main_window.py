"""The main window: open a month, show it by component, export and print,
and keep each month in the history for the Evolución tab.

Loading and exports run on the thread pool (`gui.workers`), the history's
jobs on their own worker (`gui.history_worker`); the month on screen stays
until a new one is ready, and a file that cannot be used gets its Spanish
message in the window instead of a crash.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.columns import remember_mapping, remembered_mappings
from core.errors import CaracterizacionError, ColumnMappingError
from core.evolution import Dashboard
from core.formatting import fmt_int, fmt_month
from core.history import default_history_path
from core.model import MonthResult
from core.pipeline import (
    MonthSources,
    compute_month,
    process_month,
    sample_months,
)
from core.resources import sample_month
from core.settings import Settings
from core.user_settings import load_user_settings
from gui import printing
from gui.actions import Actions, create_actions
from gui.column_map_dialog import ColumnMapDialog, can_ask
from gui.dialogs import (
    DebtorListDialog,
    OpenMonthDialog,
    QualityRowsDialog,
    choose_month_files,
)
from gui.help_dialog import AboutDialog, HelpDialog
from gui.history_dialog import (
    HistoryDialog,
    ask_export_path,
    ask_import_path,
    confirm_import,
    replace_question,
)
from gui.history_worker import (
    EvolutionState,
    HistoryWorker,
    SaveOutcome,
    demo_history_path,

)
from gui.settings_dialog import SettingsDialog
from gui.settings_store import RecentMonth, SettingsStore
from gui.widgets.feedback import MessageBar, ProgressStrip
from gui.widgets.debtor_list import ListScope
from gui.widgets.evolution import months_list, saved_at
from gui.widgets.start import StartWidget
from gui.widgets.tabs import ResultTabs
from gui.workers import Task

logger = logging.getLogger(__name__)

APP_TITLE = "Caracterización de usuarios"
DEMO_NOTE = (
    "Historial de ejemplo: los meses de muestra, aparte del historial de la "
    "oficina."
)
DEFAULT_SIZE = (1280, 800)
ProcessMonth = Callable[..., MonthResult]


class MainWindow(QMainWindow):
    """The officer's window over one month at a time."""

    month_loaded = Signal(object)  # MonthResult
    load_failed = Signal(str)  # the Spanish message shown
    load_cancelled = Signal()
    export_finished = Signal(str)  # path written
    task_finished = Signal()
    list_opened = Signal(object)  # the DebtorListDialog of a drill-down
    evolution_updated = Signal(object)  # EvolutionState, None if it failed

    def __init__(
        self,
        store: SettingsStore | None = None,
        process: ProcessMonth | None = None,
        pool: QThreadPool | None = None,
        remember_geometry: bool = True,
        parent: QWidget | None = None,
        history_path: Path | None = None,
        demo_history: Path | None = None,
        keep_history: bool = True,
    ) -> None:
        super().__init__(parent)
        self.store = store or SettingsStore()
        self.remember_geometry = remember_geometry
        self.result: MonthResult | None = None
        self._process = process  # None: core's, with the user's settings
        self._pool = pool or QThreadPool.globalInstance()
        self._task: Task | None = None
        self._task_started = 0.0
        self._pending_recent: RecentMonth | None = None
        self._last_load: tuple[MonthSources, bool] | None = None
        self._init_history(history_path, demo_history, keep_history)

        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.actions = create_actions(self)
        self._build_content()
        self._build_menus()
        self._connect_actions()
        self._connect_history()
        self._update_actions()
        self.start.set_recent(self.store.recent_months())
        self._restore_geometry()
        self.current_settings()

    # --- layout ----------------------------------------------------------

    def _build_content(self) -> None:
        self.message_bar = MessageBar(self)
        self.progress = ProgressStrip(self)
        self.progress.cancel_clicked.connect(self._on_progress_cancel_clicked)

        self.start = StartWidget(self)
        self.start.open_requested.connect(self.open_files)
        self.start.sample_requested.connect(self.open_sample)
        self.start.recent_requested.connect(self.open_recent)
        self.tabs = ResultTabs(self)
        self.tabs.summary.quality_item_opened.connect(
            self._on_summary_quality_item_opened
        )
        self.tabs.drill_requested.connect(self._on_tabs_drill_requested)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.tabs)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.progress)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Abra los archivos del mes para empezar.")

    def _build_menus(self) -> None:
        a = self.actions
        file_menu = self.menuBar().addMenu("&Archivo")
        file_menu.addActions([a.open_month, a.open_sample])
        self.recent_menu = file_menu.addMenu("Meses &recientes")
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        file_menu.addAction(a.go_home)
        file_menu.addSeparator()
        file_menu.addActions([a.export_pdf, a.export_excel, a.print_table])
        file_menu.addSeparator()
        file_menu.addAction(a.settings)
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        history_menu = self.menuBar().addMenu("&Historial")
        history_menu.addAction(a.history_months)
        history_menu.addSeparator()
        history_menu.addActions([a.history_export, a.history_import])
        help_menu = self.menuBar().addMenu("A&yuda")
        help_menu.addActions([a.help, a.about])

        toolbar = QToolBar("Barra de herramientas", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([a.open_month, a.go_home])
        toolbar.addSeparator()
        toolbar.addActions([a.export_pdf, a.export_excel, a.print_table])
        toolbar.addSeparator()
        toolbar.addAction(a.help)
        self.addToolBar(toolbar)

    def _connect_actions(self) -> None:
        a: Actions = self.actions
        a.open_month.triggered.connect(self.open_files)
        a.open_sample.triggered.connect(self.open_sample)
        a.go_home.triggered.connect(self.show_start)
        a.export_pdf.triggered.connect(self.export_pdf)
        a.export_excel.triggered.connect(self.export_excel)
        a.print_table.triggered.connect(self.print_current)
        a.settings.triggered.connect(self.show_settings)
        a.history_months.triggered.connect(self.show_history)
        a.history_export.triggered.connect(self.export_history)
        a.history_import.triggered.connect(self.import_history)
        a.quit.triggered.connect(self.close)
        a.help.triggered.connect(self.show_help)
        a.about.triggered.connect(self.show_about)

    def _update_actions(self) -> None:
        busy = self.is_busy()
        for action in self.actions.needing_month():
            action.setEnabled(self.result is not None)
        for action in self.actions.blocked_while_busy():
            if action in self.actions.needing_month():
                action.setEnabled(self.result is not None and not busy)
            else:
                action.setEnabled(not busy)
        self.actions.go_home.setEnabled(self.result is not None)
        self.start.open_button.setEnabled(not busy)
        self.start.sample_button.setEnabled(not busy)

    # --- opening a month ---------------------------------------------------

    def is_busy(self) -> bool:
        return self._task is not None

    def open_files(self) -> None:
        """Ask for the month's files, then confirm their roles and load."""
        if self.is_busy():
            return
        paths = choose_month_files(self, self.store.last_folder())
        if paths:
            self.store.set_last_folder(paths[0].parent)
            self.confirm_files(paths)

    def confirm_files(self, paths: Sequence[Path]) -> None:
        """Show each file's recognized role; load when the officer agrees."""
        dialog = self.make_open_dialog(paths)
        if dialog.exec() == OpenMonthDialog.DialogCode.Accepted:
            self.load_month(dialog.sources())

    def make_open_dialog(self, paths: Sequence[Path]) -> OpenMonthDialog:
        return OpenMonthDialog(paths, self.store.last_folder(), parent=self)

    def open_sample(self) -> None:
        files = sample_month()
        encuesta = files.get("encuesta")
        self.load_month(
            MonthSources(
                usuarios=files["usuarios"],
                cartera=files["cartera"],
                encuesta=encuesta if encuesta and encuesta.exists() else None,
            ),
            remember=False,
            demo=True,
        )

    def open_recent(self, month: RecentMonth) -> None:
        missing = month.missing()
        if missing:
            names = ", ".join(f"«{Path(m).name}»" for m in missing)
            self.message_bar.show_error(
                f"Ya no se encuentra {names}. Es posible que el archivo se haya "
                "movido o borrado; ábralo de nuevo con «Abrir archivos del mes»."
            )
            return
        self.load_month(
            MonthSources(
                usuarios=Path(month.usuarios),
                cartera=Path(month.cartera),
                encuesta=Path(month.encuesta) if month.encuesta else None,
            )
        )

    def load_month(
        self, sources: MonthSources, remember: bool = True, demo: bool = False
    ) -> None:
        """Read and compute the month off the GUI thread; `demo` keeps it in
        the sample history instead of the office's."""
        if self.is_busy():
            logger.info("carga ignorada: ya hay una tarea en curso")
            return
        self._loading_demo = demo
        self.message_bar.clear()
        if not sources.formatos:
            sources = dataclasses.replace(sources, formatos=remembered_mappings())
        self._last_load = (sources, remember)
        self._pending_recent = _recent_of(sources) if remember else None
        process = self._process
        settings = self.current_settings()

        def job(progress: Any, cancelled: Any) -> MonthResult:
            if process is None:
                return process_month(sources, settings, progress, cancelled)
            return process(sources, progress=progress, cancelled=cancelled)

        task = Task(job, "carga del mes")
        task.signals.succeeded.connect(self._on_load_succeeded)
        task.signals.failed.connect(self._on_load_failed)
        task.signals.cancelled.connect(self._on_load_cancelled)
        self._start(task, "Leyendo los archivos del mes…", cancellable=True)

    def _on_load_succeeded(self, result: MonthResult) -> None:
        self._end_task()
        logger.info(
            "mes %s en pantalla (%.1f s)",
            result.periodo, time.perf_counter() - self._task_started,
        )
        self.show_result(result)
        if self._pending_recent is not None:
            recent = RecentMonth(**{
                **self._pending_recent.__dict__, "periodo": result.periodo,
            })
            self.start.set_recent(self.store.add_recent_month(recent))
        self._keep_in_history(result)
        self.month_loaded.emit(result)
        self.task_finished.emit()

    def _on_load_failed(self, error: Exception, details: str) -> None:
        self._end_task()
        if isinstance(error, ColumnMappingError) and self._retry_mapped(error):
            return
        if isinstance(error, CaracterizacionError):
            logger.warning("no se pudo cargar el mes: %s", type(error).__name__)
            text = error.mensaje()
            self.message_bar.show_error(text)
            self.load_failed.emit(text)
        else:
            logger.error("error inesperado al cargar el mes\n%s", details)
            self.load_failed.emit("Error inesperado")
            sys.excepthook(type(error), error, error.__traceback__)
        self.task_finished.emit()

    def make_column_map_dialog(self, error: ColumnMappingError) -> ColumnMapDialog:
        return ColumnMapDialog(error, parent=self)

    def _retry_mapped(self, error: ColumnMappingError) -> bool:
        """Ask which column is which; load again with the answer, remembered
        for the file's layout. False when there is nothing to ask or the
        officer cancels."""
        if self._last_load is None or not can_ask(error):
            return False
        dialog = self.make_column_map_dialog(error)
        if dialog.exec() != ColumnMapDialog.DialogCode.Accepted:
            return False
        sources, remember = self._last_load
        mapping = {**sources.formatos.get(error.layout, {}), **dialog.mapping()}
        try:
            remember_mapping(error.layout, mapping, error.all_headers)
        except CaracterizacionError as exc:
            logger.warning("no se pudo recordar el mapa de columnas")
            self.message_bar.show_error(exc.mensaje())
        formatos = {**sources.formatos, error.layout: mapping}
        self.load_month(
            dataclasses.replace(sources, formatos=formatos), remember,
            self._loading_demo,
        )
        return True

    def _on_load_cancelled(self) -> None:
        self._end_task()
        if self.result is None:
            text = "Carga cancelada."
        else:
            text = (
                "Carga cancelada. Sigue en pantalla "
                f"{fmt_month(self.result.periodo)}."
            )
        self.message_bar.show_info(text)
        self.load_cancelled.emit()
        self.task_finished.emit()

    def show_result(self, result: MonthResult) -> None:
        """Put `result` on every tab and bring the tabs forward."""
        self.result = result
        self.tabs.set_result(result)
        if self.stack.currentWidget() is not self.tabs:
            self.tabs.setCurrentIndex(0)
        self.stack.setCurrentWidget(self.tabs)
        month = fmt_month(result.periodo)
        self.setWindowTitle(f"{APP_TITLE} — {month}")
        self.statusBar().showMessage(
            f"{month.capitalize()}: "
            f"{fmt_int(result.resumen.usuarios_activos)} usuarios activos, "
            f"{fmt_int(result.resumen.usuarios_morosos)} morosos."
        )
        self._update_actions()

    def show_start(self) -> None:
        self.start.set_recent(self.store.recent_months())
        self.stack.setCurrentWidget(self.start)

    # --- running tasks -----------------------------------------------------

    def _start(self, task: Task, text: str, cancellable: bool, busy=False) -> None:
        """Run `task`; each of its outcome slots calls `_end_task` first and
        emits `task_finished` last, so listeners see the window idle."""
        self._task = task
        self._task_started = time.perf_counter()
        task.signals.progressed.connect(self.progress.set_progress)
        self.progress.start(text, cancellable=cancellable, busy=busy)
        self._update_actions()
        task.start(self._pool)

    def _end_task(self) -> None:
        self._task = None
        self.progress.stop()
        self._update_actions()

    def cancel_task(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _on_progress_cancel_clicked(self) -> None:
        self.cancel_task()

    # --- exports and printing ----------------------------------------------

    def export_pdf(self) -> None:
        if self.result is None or self.is_busy():
            return
        if importlib.util.find_spec("core.report_pdf") is None:
            self.message_bar.show_info(
                "El informe PDF todavía no está disponible en esta versión."
            )
            return
        path = self._ask_save_path(
            "Guardar el informe PDF",
            f"informe_caracterizacion_{self.result.periodo}.pdf",
            "Documento PDF (*.pdf)",
        )
        if path is not None:
            self.run_export(path, "pdf")

    def export_excel(self) -> None:
        if self.result is None or self.is_busy():
            return
        path = self._ask_save_path(
            "Guardar las tablas en Excel",
            f"tablas_caracterizacion_{self.result.periodo}.xlsx",
            "Libro de Excel (*.xlsx)",
        )
        if path is not None:
            self.run_export(path, "excel")

    def _ask_save_path(self, title: str, name: str, filter_: str) -> Path | None:
        folder = Path(self.store.last_folder())
        chosen, _ = QFileDialog.getSaveFileName(
            self, title, str(folder / name), filter_
        )
        if not chosen:
            return None
        path = Path(chosen)
        suffix = ".pdf" if filter_.endswith("(*.pdf)") else ".xlsx"
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self.store.set_last_folder(path.parent)
        return path

    def run_export(self, path: Path, kind: str) -> None:
        """Write the PDF report or the Excel tables on the thread pool."""
        if self.result is None or self.is_busy():
            return
        result = self.result
        if kind == "pdf":
            job = _pdf_job(
                result, path, self.current_settings(), self.report_dashboard()
            )
            text = "Preparando el informe PDF…"
        else:
            job = _excel_job(result, path, self.report_dashboard())
            text = "Escribiendo las tablas en Excel…"
        task = Task(job, f"exportación {kind}")
        task.signals.succeeded.connect(self._on_export_succeeded)
        task.signals.failed.connect(self._on_export_failed)
        task.signals.cancelled.connect(self._on_export_cancelled)
        self.message_bar.clear()
        self._start(task, text, cancellable=False, busy=kind != "pdf")

    def _on_export_succeeded(self, path: Path) -> None:
        self._end_task()
        logger.info(
            "exportación escrita en %.1f s", time.perf_counter() - self._task_started
        )
        self.message_bar.show_done(
            f"Se guardó «{path.name}» en {path.parent}.",
            "Abrir el archivo",
            lambda: self.open_file(path),
        )
        self.export_finished.emit(str(path))
        self.task_finished.emit()

    def _on_export_failed(self, error: Exception, details: str) -> None:
        self._end_task()
        if isinstance(error, CaracterizacionError):
            self.message_bar.show_error(error.mensaje())
        else:
            logger.error("error inesperado al exportar\n%s", details)
            sys.excepthook(type(error), error, error.__traceback__)
        self.task_finished.emit()

    def _on_export_cancelled(self) -> None:
        self._end_task()
        self.task_finished.emit()

    def open_file(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.message_bar.show_error(
                f"No se pudo abrir «{path.name}». Ábralo desde la carpeta "
                f"{path.parent}."
            )

    def printable_html(self) -> tuple[str, bool] | None:
        """The HTML of what Ctrl+P prints, and whether it needs landscape."""
        if self.result is None:
            return None
        subtitle = printing.month_subtitle(self.result)
        table = self.tabs.current_table()
        if self.tabs.currentWidget() is self.tabs.summary:
            return printing.summary_html(self.tabs.summary, subtitle), False
        if table is None:
            return None
        page = self.tabs.current_page()
        if page is self.tabs.evolution and self.dashboard is not None:
            subtitle = (
                f"{fmt_month(self.dashboard.periodo).capitalize()} frente a "
                f"{fmt_month(self.dashboard.periodo_anterior)}"
            )
        model = page.panel.model  # type: ignore[attr-defined]
        html = printing.table_html(model, table.titulo, table.nota, subtitle)
        return html, model.columnCount() > 5

    def print_current(self) -> None:
        printable = self.printable_html()
        if printable is None:
            if self.result is not None:
                self.message_bar.show_info(
                    "Esta pestaña no tiene tablas que imprimir."
                )
            return
        html, wide = printable
        printing.preview_and_print(html, wide, self)

    # --- settings --------------------------------------------------------------

    def current_settings(self) -> Settings:
        """The settings in force: defaults plus the user's, read afresh."""
        return load_user_settings(self.message_bar.show_error)

    def make_settings_dialog(self) -> SettingsDialog:
        return SettingsDialog(self)

    def show_settings(self) -> None:
        """Edit the settings; offer to recompute the month if its rules changed."""
        if self.is_busy():
            return
        dialog = self.make_settings_dialog()
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.apply_saved_settings(dialog.rules_changed)

    def apply_saved_settings(self, rules_changed: bool) -> None:
        """After saving: say so, and recompute the month if the officer agrees."""
        self.message_bar.show_info(
            "Se guardaron los ajustes; se usan desde la próxima carga o exportación."
        )
        if rules_changed and self.result is not None and self.ask_recompute():
            self.recompute_month()

    def ask_recompute(self) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Ajustes guardados")
        box.setText("Los ajustes cambiaron las reglas; ¿recalcular el mes?")
        yes = box.addButton("Recalcular", QMessageBox.ButtonRole.YesRole)
        box.addButton("Ahora no", QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def recompute_month(self) -> None:
        """Apply the settings in force to the month on screen (already read)."""
        if self.result is None or self.is_busy():
            return
        result, settings = self.result, self.current_settings()

        def job(_progress: Any, _cancelled: Any) -> MonthResult:
            return _recomputed(result, settings)

        self._pending_recent = None
        # The same files under new rules: the saved month (if it is this one)
        # follows without asking again; see _keep_in_history.
        self._save_replaces = self._shown_saved
        self._loading_demo = self._showing_demo
        task = Task(job, "recálculo del mes")
        task.signals.succeeded.connect(self._on_recompute_succeeded)
        task.signals.failed.connect(self._on_load_failed)
        task.signals.cancelled.connect(self._on_load_cancelled)
        self.message_bar.clear()
        self._start(
            task, "Recalculando el mes con los ajustes nuevos…",
            cancellable=False, busy=True,
        )

    def _on_recompute_succeeded(self, result: MonthResult) -> None:
        self.message_bar.show_info(
            f"Se recalculó {fmt_month(result.periodo)} con los ajustes nuevos."
        )
        self._on_load_succeeded(result)

    # --- the history -----------------------------------------------------------

    def _init_history(
        self, path: Path | None, demo: Path | None, keep: bool
    ) -> None:
        self.history_path = path or default_history_path()
        self.demo_history_path = demo or demo_history_path()
        self.keep_history = keep
        self.history = HistoryWorker(self)
        # The Evolución tab's dashboard of the month shown (for the PDF too).
        self.dashboard: Dashboard | None = None
        self.shown_history: Path | None = None
        self._loading_demo = False
        self._showing_demo = False
        self._shown_saved = False  # the month shown is the one saved
        self._save_replaces = False  # the next save replaces without asking
        self._kept_note = ""
        self._evolution_request = 0
        self._evolution_pending = False

    def _connect_history(self) -> None:
        h = self.history
        h.month_saved.connect(self._on_history_month_saved)
        h.sample_filled.connect(self._on_history_sample_filled)
        h.evolution_built.connect(self._on_history_evolution_built)
        h.changed.connect(self._on_history_changed)
        h.progressed.connect(self._on_history_progressed)
        h.failed.connect(self._on_history_failed)
        h.history_exported.connect(self._on_history_exported)
        h.history_imported.connect(self._on_history_imported)
        self.tabs.evolution.comparison_changed.connect(
            self._on_evolution_comparison_changed
        )

    def _keep_in_history(self, result: MonthResult) -> None:
        """Save the month just shown in its history, then show its evolution.

        A month already saved is replaced only if the officer agrees
        (`ask_replace_month`), except after recomputing the month that was
        saved from this window (same files, new rules: it follows without
        asking) and in the sample history, which holds only sample months.
        """
        replace = self._save_replaces
        self._save_replaces = False
        self._showing_demo = self._loading_demo
        self._shown_saved = False
        self._kept_note = ""
        self.dashboard = None
        if not self.keep_history:
            self.shown_history = None
            self.tabs.evolution.show_message(
                "La evolución no se calcula en esta sesión."
            )
            return

        demo = self._showing_demo
        if not demo:
            self.history.cancel("ejemplo")  # the office's month goes first
        self.shown_history = self.demo_history_path if demo else self.history_path
        self._evolution_request += 1  # whatever was on its way is stale
        self._evolution_pending = True
        self.tabs.evolution.show_waiting(
            f"Guardando {fmt_month(result.periodo)} en el historial…"
        )
        self.history.save(self.shown_history, result, replace=replace or demo)

    def report_dashboard(self) -> Dashboard | None:
        """The Evolución tab's dashboard for the PDF report, when it is the
        month on screen's (None while it is on its way, or without one)."""
        dashboard, result = self.dashboard, self.result
        if dashboard is None or result is None or self._evolution_pending:
            return None
        return dashboard if dashboard.periodo == result.periodo else None

    def evolution_pending(self) -> bool:
        """Tell whether the Evolución tab is still on its way."""
        return self._evolution_pending

    def ask_replace_month(self, periodo: str, guardado: str) -> bool:
        box = replace_question(self, periodo, guardado)
        box.exec()
        clicked = box.clickedButton()
        yes = QMessageBox.ButtonRole.YesRole
        return clicked is not None and box.buttonRole(clicked) == yes

    def _on_history_month_saved(self, outcome: SaveOutcome) -> None:
        result = outcome.result
        if result is not self.result:
            return  # saved, but another month is on screen by now
        if not outcome.saved:
            if self.ask_replace_month(result.periodo, outcome.guardado):
                self.history.save(outcome.path, result, replace=True)
                return
            logger.info("historial: se conservó el mes ya guardado")
            self._kept_note = (
                f"El historial conserva {fmt_month(result.periodo)} como se "
                f"guardó el {saved_at(outcome.guardado)}; esta pestaña compara "
                "el mes en pantalla."
            )
        else:
            self._shown_saved = True
        if self._showing_demo and outcome.path == self.demo_history_path:
            self._fill_sample_history()
        else:
            self.refresh_evolution()

    def _fill_sample_history(self) -> None:
        """Add the sample months not yet in the sample history, then compare."""
        self.tabs.evolution.show_waiting(
            "Preparando el historial de ejemplo…", 0.0
        )
        self.history.fill_sample(
            self.demo_history_path, sample_months(), self.current_settings()
        )

    def _on_history_sample_filled(self, _outcome: object) -> None:
        if self._showing_demo:
            self.refresh_evolution()

    def refresh_evolution(self, anterior: str | None = None) -> None:
        """Build the dashboard of the month shown against `anterior` (the
        month before it in its history, by default) on the history worker."""
        if self.result is None or self.shown_history is None:
            return
        self._evolution_request += 1
        self._evolution_pending = True
        if anterior is None:
            self.tabs.evolution.show_waiting(
                f"Preparando la evolución de {fmt_month(self.result.periodo)}…"
            )
        else:
            self.tabs.evolution.compare.setEnabled(False)
        self.history.evolution(
            self.shown_history, self.result, anterior, self._evolution_request
        )

    def _on_history_evolution_built(self, state: EvolutionState) -> None:
        if state.request != self._evolution_request:
            return  # an answer to an earlier question
        self._evolution_pending = False
        self.dashboard = state.dashboard
        note = " ".join(
            text for text in (DEMO_NOTE if self._showing_demo else "",
                              self._kept_note) if text
        )
        self.tabs.evolution.compare.setEnabled(True)
        self.tabs.evolution.show_state(state, note)
        self.evolution_updated.emit(state)

    def _on_evolution_comparison_changed(self, anterior: str) -> None:
        self.refresh_evolution(anterior)

    def _on_history_changed(self, path: Path) -> None:
        """A month deleted or a copy imported: compare again, with the same
        earlier month if it is still there."""
        if path == self.shown_history and not self._evolution_pending:
            state = self.tabs.evolution.state
            self.refresh_evolution(state.anterior if state is not None else None)

    def _on_history_progressed(self, fraction: float, text: str) -> None:
        if self._evolution_pending:
            self.tabs.evolution.set_progress(fraction, text)

    def _on_history_failed(self, kind: str, message: str) -> None:
        self.message_bar.show_error(message)
        if kind in ("guardar", "ejemplo"):
            self.refresh_evolution()
        elif kind == "tablero":
            self._evolution_pending = False
            self.tabs.evolution.show_message(message)
            self.evolution_updated.emit(None)

    def make_history_dialog(self) -> HistoryDialog:
        a = self.actions
        return HistoryDialog(
            self.history, self.history_path, a.history_export, a.history_import,
            parent=self,
        )

    def show_history(self) -> None:
        """The months saved in the office's history (never the sample's)."""
        self.make_history_dialog().exec()

    def export_history(self) -> None:
        target = self.ask_history_export_path()
        if target is not None:
            self.history.export(self.history_path, target)

    def ask_history_export_path(self) -> Path | None:
        path = ask_export_path(self.active_parent(), self.store.last_folder())
        if path is not None:
            self.store.set_last_folder(path.parent)
        return path

    def import_history(self) -> None:
        source = self.ask_history_import_path()
        if source is not None and self.confirm_import(source):
            self.history.import_(self.history_path, source)

    def ask_history_import_path(self) -> Path | None:
        return ask_import_path(self.active_parent(), self.store.last_folder())

    def confirm_import(self, source: Path) -> bool:
        return confirm_import(self.active_parent(), source)

    def active_parent(self) -> QWidget:
        """The open dialog (the Historial one) or the window, for questions."""
        modal = QApplication.activeModalWidget()
        return modal if modal is not None else self

    def _on_history_exported(self, path: Path) -> None:
        self.message_bar.show_info(
            f"Se guardó una copia del historial: «{path.name}», en {path.parent}."
        )

    def _on_history_imported(self, outcome: tuple[Path, list[str]]) -> None:
        _path, periods = outcome
        months = months_list(periods) if periods else "ningún mes"
        self.message_bar.show_info(
            f"Se importó la copia del historial; ahora tiene {months}."
        )

    # --- dialogs -------------------------------------------------------------

    def show_help(self) -> None:
        HelpDialog(self).exec()

    def show_about(self) -> None:
        AboutDialog(self).exec()

    def _on_summary_quality_item_opened(self, item: Any) -> None:
        dialog = QualityRowsDialog(item, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def open_list(self, scope: ListScope) -> DebtorListDialog | None:
        """Open the accounts behind a comuna, barrio or segment."""
        if self.result is None:
            return None
        logger.info("lista abierta desde una tabla")
        dialog = DebtorListDialog(
            self.result,
            scope,
            self.store.last_folder(),
            parent=self,
            settings=self.current_settings(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.list_opened.emit(dialog)
        return dialog

    def _on_tabs_drill_requested(self, scope: ListScope) -> None:
        self.open_list(scope)

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        months = self.store.recent_months()
        for month in months:
            action = self.recent_menu.addAction(month.label())
            action.setEnabled(not self.is_busy())
            action.triggered.connect(lambda _=False, m=month: self.open_recent(m))
        if not months:
            self.recent_menu.addAction("(ninguno)").setEnabled(False)

    # --- drag and drop -------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event.mimeData()) and not self.is_busy():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_files(event.mimeData())
        if not paths or self.is_busy():
            event.ignore()
            return
        event.acceptProposedAction()
        self.store.set_last_folder(paths[0].parent)
        self.confirm_files(paths)

    # --- window state --------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.store.geometry() if self.remember_geometry else None
        if geometry is not None and self.restoreGeometry(geometry):
            return
        # First run: most of the screen (the office's are 1366 x 768).
        available = self.screen().availableGeometry()
        width = min(DEFAULT_SIZE[0], int(available.width() * 0.95))
        height = min(DEFAULT_SIZE[1], int(available.height() * 0.95))
        self.resize(width, height)
        self.move(available.center() - self.rect().center())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.remember_geometry:
            self.store.set_geometry(self.saveGeometry())
            self.store.sync()
        self.cancel_task()
        self.history.cancel_all()
        super().closeEvent(event)


def _recent_of(sources: MonthSources) -> RecentMonth:
    return RecentMonth(
        usuarios=str(Path(sources.usuarios).resolve()),
        cartera=str(Path(sources.cartera).resolve()),
        encuesta=str(Path(sources.encuesta).resolve()) if sources.encuesta else "",
        periodo=sources.periodo or "",
    )


def _local_files(mime: Any) -> list[Path]:
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def _pdf_job(
    result: MonthResult,
    path: Path,
    settings: Settings,
    tablero: Dashboard | None,
) -> Callable[..., Path]:
    def job(progress: Any, _cancelled: Any) -> Path:
        from core.report_pdf import write_report

        write_report(result, path, settings, progress=progress, tablero=tablero)
        return path

    return job


def _recomputed(result: MonthResult, settings: Settings) -> MonthResult:
    files = {loaded.role: loaded for loaded in result.fuentes}
    return compute_month(
        files["usuarios"], files["cartera"], files.get("encuesta"), settings,
        result.periodo,
    )


def _excel_job(
    result: MonthResult, path: Path, tablero: Dashboard | None
) -> Callable[..., Path]:
    def job(progress: Any, _cancelled: Any) -> Path:
        from core.export_excel import write_excel

        progress(0.0, "Escribiendo las tablas en Excel…")
        write_excel(result, path, tablero=tablero)
        return path

    return job

