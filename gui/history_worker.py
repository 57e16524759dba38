"""The history of months, kept off the GUI thread: saving a month, filling
the sample history, the dashboard of the Evolución tab, listing, deleting,
exporting and importing.

The jobs are plain functions over `core.history` and `core.evolution`; the
`HistoryWorker` runs them one at a time on a private pool of one thread, so
two jobs never write the same SQLite file at once and each result arrives in
the order asked. Each job opens its own connection (SQLite connections
belong to the thread that made them).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from core.applog import data_dir
from core.errors import CancelledError, CaracterizacionError
from core.evolution import Dashboard, build_dashboard
from core.formatting import fmt_month
from core.history import HistoryStore, StoredMonth
from core.model import MonthResult
from core.pipeline import MonthSources, process_month
from core.settings import Settings
from gui.workers import Cancelled, Progress, Task

logger = logging.getLogger(__name__)

DEMO_HISTORY_FILE = "historial-ejemplo.sqlite"
ProcessMonth = Callable[..., MonthResult]


def demo_history_path() -> Path:
    """The history of the sample months: apart from the office's own."""
    return data_dir() / DEMO_HISTORY_FILE


# --- the jobs (plain functions, run on the worker's thread) -----------------


@dataclass
class SaveOutcome:
    """What saving a month did: saved it, or found it there and kept it."""

    path: Path
    result: MonthResult
    saved: bool
    guardado: str  # when the month in the history was saved (ISO)


def save_month(path: Path, result: MonthResult, replace: bool) -> SaveOutcome:
    """Save the month; one already there is kept unless `replace`."""
    with HistoryStore(path) as store:
        if store.has_month(result.periodo) and not replace:
            stored = store.month(result.periodo)
            return SaveOutcome(path, result, False, stored.guardado)
        store.add_month(result, replace=replace)
        return SaveOutcome(path, result, True, store.month(result.periodo).guardado)


def fill_sample_history(
    path: Path,
    months: Mapping[str, MonthSources],
    settings: Settings | None,
    progress: Progress,
    cancelled: Cancelled,
    process: ProcessMonth = process_month,
) -> list[str]:
    """Process and save the sample months not yet in `path`; return them."""
    with HistoryStore(path) as store:
        missing = [p for p in months if not store.has_month(p)]
        for done, periodo in enumerate(missing):
            if cancelled():
                raise CancelledError()
            step = _step(progress, done, len(missing), periodo)
            result = process(months[periodo], settings, step, cancelled)
            store.add_month(result)
    if missing:
        logger.info("historial de ejemplo: %d meses agregados", len(missing))
    return missing


def _step(progress: Progress, done: int, count: int, periodo: str) -> Progress:
    text = (
        f"Preparando el historial de ejemplo: {fmt_month(periodo)} "
        f"({done + 1} de {count})…"
    )

    def report(fraction: float, _text: str) -> None:
        progress((done + max(0.0, min(1.0, fraction))) / count, text)

    return report


@dataclass
class EvolutionState:
    """What the Evolución tab shows for the month on screen and a history."""

    path: Path
    periodo: str  # the month on screen
    periods: list[str]  # the months saved in the history, oldest first
    dashboard: Dashboard | None = None
    guardado: str = ""  # when the month shown was saved; "" if it is not
    error: str = ""  # a history that could not be read, in Spanish
    request: int = 0

    @property
    def anterior(self) -> str | None:
        return self.dashboard.periodo_anterior if self.dashboard else None

    def earlier(self) -> list[str]:
        """The saved months before the one shown, latest first."""
        return sorted((p for p in self.periods if p < self.periodo), reverse=True)


def evolution_state(
    path: Path, result: MonthResult, anterior: str | None = None
) -> EvolutionState:
    """Build the dashboard of the month on screen against `anterior` (the
    saved month before it, by default), with the saved months around it.

    The month on screen stands in for its period even when the history keeps
    another version of it (or could not save it), so the tab always agrees
    with the other tabs. The history is only read.
    """
    state = EvolutionState(path, result.periodo, [])
    if not path.exists():
        return state
    try:
        with HistoryStore(path, read_only=True) as store:
            state.periods = store.periods()
            if result.periodo in state.periods:
                state.guardado = store.month(result.periodo).guardado
            earlier = state.earlier()
            if earlier:
                chosen = anterior if anterior in earlier else earlier[0]
                state.dashboard = build_dashboard(
                    store, result.periodo, chosen, actual=result
                )
    except CaracterizacionError as error:
        logger.warning("tablero no disponible: %s", type(error).__name__)
        state.error = error.mensaje()
    return state


def list_months(path: Path) -> list[StoredMonth]:
    """The months saved in `path`, oldest first (none if there is no file)."""
    if not path.exists():
        return []
    with HistoryStore(path, read_only=True) as store:
        return store.months()


def delete_month(path: Path, periodo: str) -> str:
    with HistoryStore(path) as store:
        store.delete_month(periodo)
    return periodo


def export_history(path: Path, target: Path) -> Path:
    with HistoryStore(path) as store:
        store.export_to(target)
    return target


def import_history(path: Path, source: Path) -> list[str]:
    with HistoryStore(path) as store:
        store.import_from(source)
        return store.periods()


# --- the worker ---------------------------------------------------------------


class HistoryWorker(QObject):
    """Runs the history's jobs in order, one at a time, off the GUI thread.

    Each job's outcome comes back as one of the signals below; a failure as
    `failed`, with the job's kind and a Spanish message.
    """

    month_saved = Signal(object)  # SaveOutcome
    sample_filled = Signal(object)  # (Path, the periods added)
    evolution_built = Signal(object)  # EvolutionState
    months_listed = Signal(object)  # list[StoredMonth]
    month_deleted = Signal(object)  # (Path, periodo)
    history_exported = Signal(object)  # the Path written
    history_imported = Signal(object)  # (Path, the periods now saved)
    changed = Signal(object)  # the Path of a history whose months changed
    progressed = Signal(float, str)
    failed = Signal(str, str)  # the job's kind and the Spanish message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._tasks: dict[QObject, tuple[Task, str]] = {}

    # Asking for work

    def save(self, path: Path, result: MonthResult, replace: bool) -> Task:
        def job(_progress: Progress, _cancelled: Cancelled) -> SaveOutcome:
            return save_month(path, result, replace)

        return self._run(job, "guardar", self._on_saved)

    def fill_sample(
        self,
        path: Path,
        months: Mapping[str, MonthSources],
        settings: Settings | None,
    ) -> Task:
        def job(progress: Progress, cancelled: Cancelled) -> tuple[Path, list[str]]:
            added = fill_sample_history(path, months, settings, progress, cancelled)
            return path, added

        return self._run(job, "ejemplo", self._on_filled)

    def evolution(
        self, path: Path, result: MonthResult, anterior: str | None, request: int
    ) -> Task:
        def job(_progress: Progress, _cancelled: Cancelled) -> EvolutionState:
            state = evolution_state(path, result, anterior)
            state.request = request
            return state

        return self._run(job, "tablero", self.evolution_built)

    def list_months(self, path: Path) -> Task:
        def job(_progress: Progress, _cancelled: Cancelled) -> list[StoredMonth]:
            return list_months(path)

        return self._run(job, "lista", self.months_listed)

    def delete(self, path: Path, periodo: str) -> Task:
        def job(_progress: Progress, _cancelled: Cancelled) -> tuple[Path, str]:
            return path, delete_month(path, periodo)

        return self._run(job, "borrar", self._on_deleted)

    def export(self, path: Path, target: Path) -> Task:
        def job(_progress: Progress, _cancelled: Cancelled) -> Path:
            return export_history(path, target)

        return self._run(job, "exportar", self.history_exported)

    def import_(self, path: Path, source: Path) -> Task:
        def job(_progress: Progress, _cancelled: Cancelled) -> tuple[Path, list]:
            return path, import_history(path, source)

        return self._run(job, "importar", self._on_imported)

    # Running

    def is_busy(self) -> bool:
        return bool(self._tasks)

    def cancel_all(self) -> None:
        """Stop what can stop (processing sample months); saves finish."""
        for task, _kind in self._tasks.values():
            task.cancel()

    def cancel(self, kind: str) -> None:
        """Stop the jobs of one kind ("ejemplo": filling the sample history)."""
        for task, task_kind in self._tasks.values():
            if task_kind == kind:
                task.cancel()

    def wait(self, msecs: int) -> bool:
        return self.pool.waitForDone(msecs)

    def _run(self, job: Callable[..., Any], kind: str, done: Any) -> Task:
        task = Task(job, f"historial: {kind}")
        task.signals.succeeded.connect(done)
        task.signals.failed.connect(self._on_task_failed)
        task.signals.progressed.connect(self.progressed)
        task.signals.finished.connect(self._on_task_finished)
        self._tasks[task.signals] = (task, kind)
        task.start(self.pool)
        return task

    # Outcomes (on the GUI thread)

    def _on_saved(self, outcome: SaveOutcome) -> None:
        if outcome.saved:
            self.changed.emit(outcome.path)
        self.month_saved.emit(outcome)

    def _on_filled(self, outcome: tuple[Path, list[str]]) -> None:
        path, added = outcome
        if added:
            self.changed.emit(path)
        self.sample_filled.emit(outcome)

    def _on_deleted(self, outcome: tuple[Path, str]) -> None:
        self.changed.emit(outcome[0])
        self.month_deleted.emit(outcome)

    def _on_imported(self, outcome: tuple[Path, list[str]]) -> None:
        self.changed.emit(outcome[0])
        self.history_imported.emit(outcome)

    def _on_task_failed(self, error: Exception, details: str) -> None:
        _task, kind = self._tasks.get(self.sender(), (None, ""))
        if isinstance(error, CaracterizacionError):
            logger.warning("historial (%s): %s", kind, type(error).__name__)
            self.failed.emit(kind, error.mensaje())
            return
        logger.error("error inesperado en el historial (%s)\n%s", kind, details)
        self.failed.emit(
            kind,
            "No se pudo completar la operación con el historial (vea el registro).",
        )
        sys.excepthook(type(error), error, error.__traceback__)

    def _on_task_finished(self) -> None:
        self._tasks.pop(self.sender(), None)
