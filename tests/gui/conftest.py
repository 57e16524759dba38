"""Fixtures of the GUI tests: offscreen Qt, isolated settings, loaded months.

The environment is set before anything imports Qt or matplotlib.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["MPLBACKEND"] = "Agg"

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QThreadPool, QTimer  # noqa: E402

from core.applog import DATA_FOLDER_VARIABLE  # noqa: E402
from core.resources import sample_month  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.settings_store import SettingsStore  # noqa: E402

GUI_TESTS = Path(__file__).resolve().parent
LOAD_TIMEOUT_MS = 120_000
SHUTDOWN_WAIT_MS = 30_000
# The offscreen platform says so for every top-level window; it is harmless.
HARMLESS_QT_MESSAGES = ("propagateSizeHints",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Qt warnings fail the GUI tests (pytest-qt captures Qt's messages)."""
    for item in items:
        if GUI_TESTS in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*HARMLESS_QT_MESSAGES))


@pytest.fixture(scope="session", autouse=True)
def isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keep every QSettings of the tests away from the user's own."""
    folder = tmp_path_factory.mktemp("qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def isolated_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A data folder of each test's own: a month loaded in one test is never
    in another test's history, so no window asks to replace it."""
    folder = tmp_path_factory.mktemp("datos")
    monkeypatch.setenv(DATA_FOLDER_VARIABLE, str(folder))
    return folder


@pytest.fixture(autouse=True)
def officer_keeps_saved_months(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading a month the history already has asks before replacing it; a
    modal question would wait forever offscreen, so unless a test answers it
    itself, the answer is No (keep the saved month)."""
    monkeypatch.setattr(
        MainWindow, "ask_replace_month", lambda _self, _periodo, _guardado: False
    )


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    settings = QSettings(str(tmp_path / "ajustes.ini"), QSettings.Format.IniFormat)
    return SettingsStore(settings)


@pytest.fixture
def window(qtbot, store: SettingsStore) -> MainWindow:
    win = MainWindow(store=store)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


@pytest.fixture(scope="session")
def sample_files() -> dict[str, Path]:
    files = sample_month()
    missing = [p.name for p in files.values() if not p.exists()]
    if missing:
        pytest.skip(f"sample month not generated yet: {', '.join(missing)}")
    return files


class LoadedSample:
    """A window that loaded the sample month, and what happened meanwhile."""

    def __init__(self, window: MainWindow, ticks: int, progress: list[float]):
        self.window = window
        self.ticks = ticks
        self.progress = progress


@pytest.fixture(scope="module")
def loaded_sample(
    qapp, sample_files, tmp_path_factory
) -> Iterator[LoadedSample]:
    """Load the sample month once per module through the window's own path,
    counting timer ticks on the GUI thread while it loads."""
    settings = QSettings(
        str(tmp_path_factory.mktemp("muestra") / "ajustes.ini"),
        QSettings.Format.IniFormat,
    )
    win = MainWindow(store=SettingsStore(settings), remember_geometry=False)
    win.resize(1366, 768)
    win.show()

    ticks = 0
    progress: list[float] = []

    def tick() -> None:
        nonlocal ticks
        ticks += 1

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    win.progress.bar.valueChanged.connect(progress.append)
    loop = QEventLoop()
    win.task_finished.connect(loop.quit)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)

    timer.start()
    guard.start(LOAD_TIMEOUT_MS)
    win.open_sample()
    loop.exec()
    guard.stop()
    timer.stop()

    assert win.result is not None, win.message_bar.text.text()
    yield LoadedSample(win, ticks, progress)
    win.close()
    # As the app does on quitting: the history's jobs (filling it with the
    # sample's other months) see the cancel before the process ends.
    QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS)
    win.history.wait(SHUTDOWN_WAIT_MS)
    win.deleteLater()
