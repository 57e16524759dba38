"""How the desktop app feels: measured offscreen, as the officer uses it.

Each mode runs in its own process and prints its timings as JSON:

- `ventana`: from process start (the time the parent passes in
  BENCH_T0) to the first paint of the main window, through the app's own
  entry point.
- `pestanas GUIA CARTERA`: loads a month in the window, lets a second go
  by on Resumen (the app draws the other tabs' charts meanwhile) and
  switches to every tab twice, timing each switch until the page and its
  chart are painted. `pestanas-ya` switches the moment the month is shown,
  before the app has drawn anything ahead.
- `lista GUIA CARTERA`: loads a month and opens the list of all its
  morosos; times opening it, then (after a second of reading) sorting by
  each column both ways, as a click on the header does, and scrolling (to
  the end, the middle, page by page), each until painted.
- `pdf GUIA CARTERA [ENCUESTA]`: loads a month and writes the committee
  PDF the way the app's export does (on its worker), timed to the end.

Usage: python benchmarks/app_timing.py MODE [FILES ...]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WINDOW_SIZE = (1366, 768)
# Nobody clicks a header the instant a list appears, or another tab the
# instant a month does: what opened is read for a moment first (the list's
# model keys long text columns, the tabs draw the hidden charts).
READING_SECONDS = 1.0
LOAD_TIMEOUT_MS = 600_000


def first_window() -> dict[str, float]:
    """Run the app's entry point; stop at the main window's first paint."""
    started = float(os.environ.get("BENCH_T0", time.time()))
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from gui import app as gui_app

    painted: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and not painted
                    and isinstance(watched, QWidget)
                    and isinstance(watched.window(), gui_app.MainWindow)):
                painted["segundos"] = time.time() - started
                QTimer.singleShot(0, QApplication.quit)
            return False

    watcher = FirstPaint()
    show = gui_app.MainWindow.show

    def show_and_watch(window: Any) -> None:
        QApplication.instance().installEventFilter(watcher)
        show(window)

    gui_app.MainWindow.show = show_and_watch  # type: ignore[method-assign]
    gui_app.main([])
    return {"primera_ventana": painted["segundos"]}


# --- a window with a month -------------------------------------------------


def _app_and_window() -> tuple[Any, Any]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from gui.settings_store import SettingsStore

    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="bench-app-"))
    # A history of its own: a month another run saved would make the app
    # ask whether to replace it, and the question would wait forever.
    os.environ["CARACTERIZACION_DATOS"] = str(folder)
    store = SettingsStore(QSettings(str(folder / "prefs.ini"),
                                    QSettings.Format.IniFormat))
    window = MainWindow(store=store, remember_geometry=False)
    window.resize(*WINDOW_SIZE)
    window.show()
    app.processEvents()
    return app, window


def _wait_for_task(window: Any, start: Callable[[], None]) -> float:
    """Run `start`, wait for the window's task to end; return its seconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    window.task_finished.connect(loop.quit)
    QTimer.singleShot(LOAD_TIMEOUT_MS, loop.quit)
    began = time.perf_counter()
    start()
    if window.is_busy():
        loop.exec()
    window.task_finished.disconnect(loop.quit)
    return time.perf_counter() - began


def _load(window: Any, files: list[str]) -> float:
    from core.pipeline import MonthSources

    guia, cartera, *rest = (Path(f) for f in files)
    sources = MonthSources(guia, cartera, rest[0] if rest else None)
    seconds = _wait_for_task(window, lambda: window.load_month(sources, False))
    if window.result is None:
        raise SystemExit(f"no se pudo cargar el mes: {window.message_bar.text.text()}")
    return seconds


def _painted(app: Any, widget: Any, action: Callable[[], None]) -> float:
    """Seconds from an action until its effect is painted.

    Events are processed twice: a chart shown by the action asks for its
    drawing on the next turn of the event loop (matplotlib's draw_idle).
    """
    began = time.perf_counter()
    action()
    app.processEvents()
    app.processEvents()
    widget.repaint()
    return time.perf_counter() - began


def tabs(files: list[str], reading: float = READING_SECONDS) -> dict[str, Any]:
    app, window = _app_and_window()
    load = _load(window, files)
    app.processEvents()
    _read_for(app, reading)
    tabs = window.tabs
    times: dict[str, list[float]] = {key: [] for key in tabs.tab_keys()}
    for _round in range(2):
        for index, key in enumerate(tabs.tab_keys()):
            times[key].append(_painted(
                app, tabs, lambda i=index: tabs.setCurrentIndex(i)))
    # The first round started on the Resumen tab already shown: its time
    # is a repaint, not a switch; the second round switches to it.
    times["resumen"] = times["resumen"][1:]
    return {"carga_en_app": load, "pestanas": times}


def debtor_list(files: list[str]) -> dict[str, Any]:
    from PySide6.QtCore import Qt

    from gui.widgets.debtor_list import COLUMNS, ListScope

    app, window = _app_and_window()
    load = _load(window, files)
    dialog: dict[str, Any] = {}

    def open_all() -> None:
        dialog["d"] = window.open_list(ListScope())

    opening = _painted(app, window, open_all)
    _read_for(app, READING_SECONDS)
    view = dialog["d"].list.view
    header = view.horizontalHeader()
    rows = view.model().rowCount()
    sorts = {}
    for column, (name, _title, _kind) in enumerate(COLUMNS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            ascending = order == Qt.SortOrder.AscendingOrder
            label = f"{name} {'asc' if ascending else 'desc'}"
            # What a click on the header does (sortByColumn would sort twice).
            sorts[label] = _painted(
                app, view.viewport(),
                lambda c=column, o=order: header.setSortIndicator(c, o),
            )
    bar = view.verticalScrollBar()
    scrolls = {
        "al final": _painted(app, view.viewport(), view.scrollToBottom),
        "a la mitad": _painted(app, view.viewport(),
                               lambda: bar.setValue(bar.maximum() // 2)),
        "al principio": _painted(app, view.viewport(), view.scrollToTop),
    }
    for page in range(5):
        scrolls[f"página {page + 1}"] = _painted(
            app, view.viewport(),
            lambda: bar.setValue(bar.value() + bar.pageStep()),
        )
    return {"carga_en_app": load, "filas": rows, "abrir": opening,
            "ordenar": sorts, "desplazar": scrolls}


def _read_for(app: Any, seconds: float) -> None:
    """Run the event loop, as while the officer reads what just opened."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def committee_pdf(files: list[str]) -> dict[str, Any]:
    app, window = _app_and_window()
    load = _load(window, files)
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        target = Path(folder) / "informe.pdf"
        seconds = _wait_for_task(window, lambda: window.run_export(target, "pdf"))
        size = target.stat().st_size if target.exists() else 0
    if not size:
        raise SystemExit("no se escribió el PDF")
    return {"carga_en_app": load, "pdf": seconds, "bytes": size}


def tabs_at_once(files: list[str]) -> dict[str, Any]:
    return tabs(files, reading=0.0)


MODES = {"pestanas": tabs, "pestanas-ya": tabs_at_once, "lista": debtor_list,
         "pdf": committee_pdf}


def main(argv: list[str]) -> int:
    mode = argv[1]
    result = first_window() if mode == "ventana" else MODES[mode](argv[2:])
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # skip Qt's and the pools' teardown: nothing is left to save


if __name__ == "__main__":
    sys.exit(main(sys.argv))
