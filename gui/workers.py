"""Run long core operations on Qt's thread pool and report back by signals.

A job is a plain callable `job(progress, cancelled)`: `progress(fraction,
text)` reports how far it got and `cancelled()` tells whether the user asked
to stop. Results, errors and progress reach the GUI thread as queued
signals; no widget is touched from a worker.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.errors import CancelledError

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]
Job = Callable[[Progress, Cancelled], Any]


class TaskSignals(QObject):
    """The signals of one task, living in the thread that created it."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object, str)  # the exception and its traceback text
    cancelled = Signal()
    finished = Signal()  # after any of the three outcomes


class Task(QRunnable):
    """One job on the thread pool; keep a reference until `finished`."""

    def __init__(self, job: Job, name: str = "tarea") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.name = name
        self.signals = TaskSignals()
        self._job = job
        self._stop = threading.Event()

    def start(self, pool: QThreadPool | None = None) -> None:
        """Queue the job; connect to `signals` before calling this."""
        logger.debug("%s iniciada", self.name)
        (pool or QThreadPool.globalInstance()).start(self)

    def cancel(self) -> None:
        """Ask the job to stop at its next check; its result is dropped."""
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        try:
            result = self._job(self._report, self.is_cancelled)
        except CancelledError:
            logger.info("%s cancelada", self.name)
            self.signals.cancelled.emit()
        except Exception as error:  # delivered to the GUI thread
            details = "".join(traceback.format_exception(error))
            self.signals.failed.emit(error, details)
        else:
            if self.is_cancelled():
                logger.info("%s cancelada al terminar", self.name)
                self.signals.cancelled.emit()
            else:
                self.signals.succeeded.emit(result)
        self.signals.finished.emit()

    def _report(self, fraction: float, text: str) -> None:
        self.signals.progressed.emit(float(fraction), text)
