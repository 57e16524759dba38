"""Entry point of the desktop app: arguments, logging, translations, the
hook for unexpected errors, and the window.

    caracterizacion-app [--demo] [--captura CARPETA] [--autoprueba]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QThreadPool,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from core.applog import configure_logging
from core.errors import CaracterizacionError
from core.resources import resource_path
from gui.dialogs import error_box
from gui.main_window import MainWindow
from gui.settings_store import APPLICATION, ORGANIZATION
from gui.theme import STYLE_SHEET

logger = logging.getLogger(__name__)

CAPTURE_SIZE = (1366, 768)
SHUTDOWN_WAIT_MS = 10_000
SELF_TEST_STEP_MS = 300_000  # each step (load, PDF) of --autoprueba
EVOLUTION_WAIT_MS = 900_000  # the first --captura processes every sample month


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="caracterizacion-app",
        description="Caracterización de usuarios y cartera (escritorio).",
    )
    parser.add_argument(
        "--demo", action="store_true", help="abrir con el mes de ejemplo"
    )
    parser.add_argument(
        "--captura",
        metavar="CARPETA",
        type=Path,
        help="guardar una imagen PNG de cada pestaña del mes de ejemplo y salir",
    )
    parser.add_argument(
        "--autoprueba",
        action="store_true",
        help="comprobar la instalación: cargar el mes de ejemplo, escribir el "
        "informe PDF en una carpeta temporal y salir (0 si todo salió bien)",
    )
    return parser.parse_args(argv)


def install_translations(app: QApplication) -> list[QTranslator]:
    """Spanish for Qt's own dialogs and buttons (qtbase_es from PySide6)."""
    QLocale.setDefault(QLocale(QLocale.Language.Spanish, QLocale.Country.Colombia))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translators = []
    for name in ("qtbase_es",):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            translators.append(translator)
        else:
            logger.warning("no se encontró la traducción %s en %s", name, folder)
    return translators


def app_icon() -> QIcon:
    """The app's icon (resources/icons), for its windows and the taskbar."""
    return QIcon(str(resource_path("icons", "caracterizacion.png")))


def install_excepthook(log_path: Path | None) -> None:
    """Show unexpected errors in a dialog (short message, details, log path)."""
    showing = False

    def hook(
        exc_type: type[BaseException],
        error: BaseException,
        tb: TracebackType | None,
    ) -> None:
        nonlocal showing
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, error, tb)
            return
        details = "".join(traceback.format_exception(exc_type, error, tb))
        logger.critical("error inesperado\n%s", details)
        app = QApplication.instance()
        if app is None or showing:
            sys.__excepthook__(exc_type, error, tb)
            return
        showing = True
        try:
            _show_error(error, details, log_path)
        finally:
            showing = False

    sys.excepthook = hook


def _show_error(error: BaseException, details: str, log_path: Path | None) -> None:
    parent = QApplication.activeWindow()
    if isinstance(error, CaracterizacionError):
        QMessageBox.warning(parent, "No se pudo completar", error.mensaje())
        return
    message = "Ocurrió un error inesperado y la última acción no se completó."
    error_box(parent, message, details, log_path).exec()


def load_sample_and_wait(window: MainWindow) -> bool:
    """Load the sample month and wait (events keep flowing) until it is on screen."""
    loop = QEventLoop()
    window.task_finished.connect(loop.quit)
    window.open_sample()
    if window.is_busy():
        loop.exec()
    return window.result is not None


def capture_tabs(window: MainWindow, folder: Path) -> list[Path]:
    """Save a PNG of each tab at the capture size; return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    written = []
    for index, key in enumerate(window.tabs.tab_keys()):
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        window.tabs.flush_charts()
        app.processEvents()
        path = folder / f"{index + 1:02d}-{key}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"no se pudo guardar {path}")
        written.append(path)
    logger.info("capturas guardadas: %d en %s", len(written), folder)
    return written


def wait_for_evolution(window: MainWindow, timeout_ms: int) -> bool:
    """Wait until the Evolución tab of the month shown is ready (the sample
    history filled and the dashboard built); False on time-out."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: loop.exit(1))

    def check(_state: object = None) -> None:
        if not window.evolution_pending():
            loop.quit()

    window.evolution_updated.connect(check)
    timed_out = False
    if window.evolution_pending():
        timer.start(timeout_ms)
        timed_out = loop.exec() == 1
    window.evolution_updated.disconnect(check)
    return not timed_out


def run_capture(window: MainWindow, folder: Path) -> int:
    window.resize(*CAPTURE_SIZE)
    window.show()
    QApplication.processEvents()
    if not load_sample_and_wait(window):
        logger.error("no se pudo cargar el mes de ejemplo para las capturas")
        return 2
    if not wait_for_evolution(window, EVOLUTION_WAIT_MS):
        logger.error("la pestaña Evolución no estuvo lista a tiempo")
        return 1
    window.resize(*CAPTURE_SIZE)
    capture_tabs(window, folder)
    window.close()
    return 0


def wait_for_task(window: MainWindow, start: Callable[[], None]) -> bool:
    """Run `start` and wait until the window's task ends; False on time-out."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: loop.exit(1))
    window.task_finished.connect(loop.quit)
    start()
    if not window.is_busy():
        return True
    timer.start(SELF_TEST_STEP_MS)
    timed_out = loop.exec() == 1
    window.task_finished.disconnect(loop.quit)
    return not timed_out


def run_self_test(window: MainWindow) -> int:
    """Load the sample month and write its PDF report, as the officer would;
    say in Spanish what went wrong, if anything, and return the exit code."""
    with tempfile.TemporaryDirectory(prefix="caracterización-autoprueba-") as tmp:
        target = Path(tmp) / "informe de prueba – año.pdf"
        failure = _self_test_failure(window, target)
    if failure:
        logger.error("autoprueba fallida: %s", failure)
        _say(f"Autoprueba fallida: {failure}")
        return 1
    logger.info("autoprueba correcta")
    _say("Autoprueba correcta: se cargó el mes de ejemplo y se escribió el informe.")
    return 0


def _self_test_failure(window: MainWindow, target: Path) -> str | None:
    messages: list[str] = []
    window.load_failed.connect(messages.append)
    if not wait_for_task(window, window.open_sample):
        return "la carga del mes de ejemplo no terminó a tiempo."
    if window.result is None:
        said = f" ({messages[0]})" if messages else ""
        return f"no se pudo cargar el mes de ejemplo{said}."
    if not wait_for_task(window, lambda: window.run_export(target, "pdf")):
        return "el informe PDF no terminó a tiempo."
    if not target.is_file() or target.stat().st_size == 0:
        return "no se escribió el informe PDF (vea el registro)."
    with target.open("rb") as pdf:
        if pdf.read(5) != b"%PDF-":
            return "el archivo escrito no es un PDF."
    return None


def _say(text: str) -> None:
    """Print for whoever ran the program (no console on Windows: no-op)."""
    if sys.stdout is not None:
        print(text, flush=True)


def has_display() -> bool:
    """Tell whether Qt can open a window here (always on Windows and macOS)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    log_path = configure_logging()
    if args.autoprueba:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window at all
    if args.captura is not None and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # pictures need no screen
    if not has_display():
        print(
            "No hay pantalla disponible (DISPLAY vacío): abra la aplicación desde "
            "el escritorio, o use la línea de comandos «caracterizacion».",
            file=sys.stderr,
        )
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(app_icon())
    install_translations(app)
    app.setStyleSheet(STYLE_SHEET)
    if not args.autoprueba:  # its failures are told, never shown in a dialog
        install_excepthook(log_path)
    logger.info("aplicación iniciada")

    unattended = args.captura is not None or args.autoprueba
    # The self-test checks loading and the PDF; it leaves no month in history.
    window = MainWindow(
        remember_geometry=not unattended, keep_history=not args.autoprueba
    )
    if args.autoprueba:
        status = run_self_test(window)
    elif args.captura is not None:
        status = run_capture(window, args.captura)
    else:
        window.show()
        if args.demo:
            window.open_sample()
        status = app.exec()
    window.cancel_task()
    window.history.cancel_all()
    QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS)
    window.history.wait(SHUTDOWN_WAIT_MS)
    return status


if __name__ == "__main__":
    sys.exit(main())
