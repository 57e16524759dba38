"""Loading a month: off the GUI thread, cancellable, and a bad file changes
nothing but the message shown."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, Qt

from core.errors import CaracterizacionError, CancelledError
from core.pipeline import MonthSources, process_month
from gui.main_window import MainWindow
from gui.settings_store import RecentMonth
from tests.gui.months import small_month

WAIT_MS = 10_000


@pytest.fixture(scope="module")
def june():
    return small_month(periodo="2025-06")


@pytest.fixture(scope="module")
def july():
    return small_month(accounts=200, seed=11, periodo="2025-07")


def _sources(tmp_path: Path) -> MonthSources:
    guia, cartera = tmp_path / "guia.xlsx", tmp_path / "cartera.xlsx"
    guia.write_bytes(b"guia")
    cartera.write_bytes(b"cartera")
    return MonthSources(usuarios=guia, cartera=cartera)


def _card(window: MainWindow, key: str) -> str:
    return window.tabs.summary.cards[key].value.text()


def test_the_gui_thread_keeps_running_while_a_month_loads(
    qtbot, store, tmp_path, july
):
    ticks = []
    enough = threading.Event()
    gui_thread = threading.get_ident()

    def slow_process(sources, progress=None, cancelled=None):
        assert threading.get_ident() != gui_thread
        progress(0.1, "Leyendo…")
        # Finish only once the GUI thread has ticked five times meanwhile.
        assert enough.wait(WAIT_MS / 1000)
        return july

    def tick():
        ticks.append(1)
        if len(ticks) >= 5:
            enough.set()

    window = MainWindow(store=store, process=slow_process)
    qtbot.addWidget(window)
    timer = QTimer(window)
    timer.timeout.connect(tick)
    timer.start(10)
    with qtbot.waitSignal(window.month_loaded, timeout=WAIT_MS):
        window.load_month(_sources(tmp_path))
        assert window.progress.isVisible() or window.is_busy()
    timer.stop()

    assert len(ticks) >= 5
    assert window.result is july
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=WAIT_MS)


def test_cancel_leaves_the_previous_month_on_screen(qtbot, store, tmp_path, june):
    started, release = threading.Event(), threading.Event()

    def gated_process(sources, progress=None, cancelled=None):
        progress(0.2, "Leyendo la guía de usuarios…")
        started.set()
        assert release.wait(WAIT_MS / 1000)
        if cancelled():
            raise CancelledError()
        return small_month(periodo="2025-08")

    window = MainWindow(store=store, process=gated_process)
    qtbot.addWidget(window)
    window.show()
    window.show_result(june)
    shown = _card(window, "cartera_morosa")

    window.load_month(_sources(tmp_path))
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(window.progress.cancel_button.isVisible, timeout=WAIT_MS)
    with qtbot.waitSignal(window.load_cancelled, timeout=WAIT_MS):
        qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)
        release.set()

    assert window.result is june
    assert window.tabs.result is june
    assert _card(window, "cartera_morosa") == shown
    assert window.message_bar.kind == "info"
    assert "junio de 2025" in window.message_bar.text.text()
    assert not window.progress.isVisible()
    assert store.recent_months() == []


def test_a_bad_file_shows_its_message_and_nothing_else_changes(
    qtbot, store, tmp_path, june
):
    bad = tmp_path / "guia_julio.xlsx"
    bad.write_text("esto no es una hoja de cálculo\n", encoding="utf-8")
    sources = MonthSources(usuarios=bad, cartera=bad)
    with pytest.raises(CaracterizacionError) as raised:
        process_month(sources)
    expected = raised.value.mensaje()

    window = MainWindow(store=store)
    qtbot.addWidget(window)
    window.show()
    window.show_result(june)
    window.tabs.setCurrentIndex(2)
    before = (_card(window, "usuarios_activos"), window.windowTitle())

    with qtbot.waitSignal(window.load_failed, timeout=WAIT_MS) as failed:
        window.load_month(sources)

    assert failed.args == [expected]
    assert window.message_bar.isVisible()
    assert window.message_bar.kind == "error"
    assert window.message_bar.text.text() == expected
    assert window.result is june
    assert window.tabs.currentIndex() == 2
    assert (_card(window, "usuarios_activos"), window.windowTitle()) == before
    assert store.recent_months() == []
    assert window.actions.open_month.isEnabled()


def test_a_loaded_month_is_remembered_with_its_period(qtbot, store, tmp_path, july):
    window = MainWindow(store=store, process=lambda sources, **_: july)
    qtbot.addWidget(window)
    sources = _sources(tmp_path)

    with qtbot.waitSignal(window.month_loaded, timeout=WAIT_MS):
        window.load_month(sources)

    recent = store.recent_months()
    assert [(Path(r.usuarios).name, r.periodo) for r in recent] == [
        ("guia.xlsx", "2025-07")
    ]
    assert window.start.recent_list.count() == 1
    assert "Julio de 2025" in window.start.recent_list.item(0).text()
    assert window.stack.currentWidget() is window.tabs


def test_a_recent_month_whose_files_are_gone_says_so(qtbot, window, tmp_path):
    gone = RecentMonth(str(tmp_path / "no_esta.xlsx"), str(tmp_path / "c.xlsx"))
    window.open_recent(gone)
    assert window.message_bar.kind == "error"
    assert "«no_esta.xlsx»" in window.message_bar.text.text()
    assert not window.is_busy()


def test_actions_wait_for_a_month_and_for_the_running_task(qtbot, store, tmp_path):
    release = threading.Event()

    def gated(sources, progress=None, cancelled=None):
        assert release.wait(WAIT_MS / 1000)
        return small_month()

    window = MainWindow(store=store, process=gated)
    qtbot.addWidget(window)
    assert not window.actions.export_pdf.isEnabled()
    assert not window.actions.print_table.isEnabled()

    window.load_month(_sources(tmp_path))
    assert not window.actions.open_month.isEnabled()
    with qtbot.waitSignal(window.month_loaded, timeout=WAIT_MS):
        release.set()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=WAIT_MS)
    assert window.actions.open_month.isEnabled()
    assert window.actions.export_excel.isEnabled()
