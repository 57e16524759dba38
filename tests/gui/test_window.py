"""The window around the month: actions and shortcuts, drag and drop,
remembered settings, the survey tab, quality rows, exports and printing."""

from __future__ import annotations

import os

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtPrintSupport import QPrinter

from core.formatting import fmt_int, fmt_pesos
from gui import printing
from gui.dialogs import OpenMonthDialog, QualityRowsDialog
from gui.main_window import MainWindow
from gui.settings_store import RecentMonth, SettingsStore
from tests.gui.months import small_month

WAIT_MS = 10_000


@pytest.fixture(scope="module")
def month():
    return small_month()


@pytest.fixture
def shown(window, month) -> MainWindow:
    window.show_result(month)
    return window


def test_shortcuts_of_the_menu_and_toolbar(window):
    a = window.actions
    shortcuts = {
        action.shortcut().toString(): action.text().replace("&", "")
        for action in (a.open_month, a.export_pdf, a.export_excel, a.print_table,
                       a.help)
    }
    assert shortcuts == {
        "Ctrl+O": "Abrir archivos del mes…",
        "Ctrl+E": "Informe PDF…",
        "Ctrl+Shift+E": "Tablas en Excel…",
        "Ctrl+P": "Imprimir la tabla actual…",
        "F1": "Ayuda",
    }


# PySide marks the only QDragEnterEvent constructor as deprecated.
@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_files_dropped_on_the_window_go_to_the_open_dialog(window, tmp_path):
    paths = [tmp_path / "guia.xlsx", tmp_path / "cartera.xlsx"]
    opened = []
    window.confirm_files = opened.append
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])

    enter = QDragEnterEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)

    assert opened == [paths]
    assert window.store.last_folder() == str(tmp_path)


def test_confirmed_files_are_loaded(window, tmp_path, monkeypatch):
    paths = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]

    class Accepting:
        def exec(self):
            return OpenMonthDialog.DialogCode.Accepted

        def sources(self):
            return "fuentes"

    loaded = []
    monkeypatch.setattr(window, "make_open_dialog", lambda p: Accepting())
    monkeypatch.setattr(window, "load_month", loaded.append)
    window.confirm_files(paths)
    assert loaded == ["fuentes"]


def test_geometry_folder_and_recent_months_are_remembered(qtbot, store, tmp_path):
    first = MainWindow(store=store)
    qtbot.addWidget(first)
    first.resize(700, 500)
    first.show()
    store.set_last_folder(tmp_path)
    for n in range(10):
        store.add_recent_month(RecentMonth(f"g{n}.xlsx", f"c{n}.xlsx", "", "2025-07"))
    first.close()
    assert store.geometry() is not None

    second = MainWindow(store=store)
    qtbot.addWidget(second)
    # The offscreen screen is 800 px wide, so only the height tells the
    # remembered size (700 x 500) from the default one (1280 x 760).
    assert second.height() == 500
    assert second.store.last_folder() == str(tmp_path)
    recent = store.recent_months()
    assert len(recent) == 8
    assert recent[0].usuarios == "g9.xlsx"
    assert second.start.recent_list.count() == 8


def test_recent_months_live_in_the_users_data_folder(qapp):
    store = SettingsStore()
    store.add_recent_month(RecentMonth("g.xlsx", "c.xlsx", "e.xlsx", "2025-07"))
    store.sync()
    path = Path(store._settings.fileName())
    assert path == Path(os.environ["CARACTERIZACION_DATOS"]) / "preferencias.ini"
    assert path.exists()
    assert SettingsStore().recent_months()[0].files() == ("g.xlsx", "c.xlsx", "e.xlsx")


def test_without_survey_the_survey_tab_says_so(window):
    window.show_result(small_month(survey=False))
    page = window.tabs.pages["encuesta"]
    assert page.stack.currentWidget() is page.empty
    assert "sin encuesta" in page.empty.text()
    assert window.tabs.pages["geografico"].stack.currentWidget() is not None


def test_a_quality_item_opens_its_rows(shown, month, qtbot):
    panel = shown.tabs.summary.quality
    row = next(i for i, item in enumerate(month.calidad) if not item.filas.empty)
    panel.view.selectRow(row)
    assert panel.open_button.isEnabled()
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)

    dialogs = [d for d in shown.findChildren(QualityRowsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    assert dialogs[0].model.rowCount() == len(month.calidad[row].filas)
    dialogs[0].close()


def test_printing_renders_the_table_on_screen_as_html(shown, month, tmp_path):
    page = shown.tabs.pages["geografico"]
    shown.tabs.setCurrentWidget(page)
    page.show_table("morosos_por_comuna")
    html, wide = shown.printable_html()

    table = month.tablas["morosos_por_comuna"]
    assert table.titulo in html
    assert "TOTAL" in html
    assert fmt_pesos(table.total[2]) in html
    assert fmt_int(table.filas[0][1]) in html
    assert "junio de 2025" in html

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "tabla.pdf"))
    printing.print_html(html, printer)
    pdf = (tmp_path / "tabla.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) < 300_000  # text, not a raster of the widget


def test_printing_the_summary_includes_cards_and_quality(shown, month):
    shown.tabs.setCurrentIndex(0)
    html, _wide = shown.printable_html()
    assert fmt_int(month.resumen.usuarios_activos) in html
    assert "Calidad de los datos" in html


def test_excel_export_runs_in_the_worker_and_offers_to_open(
    shown, qtbot, tmp_path, monkeypatch
):
    opened = []
    monkeypatch.setattr(
        "gui.main_window.QDesktopServices.openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    path = tmp_path / "tablas.xlsx"
    with qtbot.waitSignal(shown.export_finished, timeout=WAIT_MS):
        shown.run_export(path, "excel")
    qtbot.waitUntil(lambda: not shown.is_busy(), timeout=WAIT_MS)

    assert path.read_bytes().startswith(b"PK")
    assert shown.message_bar.kind == "done"
    qtbot.mouseClick(shown.message_bar.action_button, Qt.MouseButton.LeftButton)
    assert opened == [str(path)]


def test_pdf_export_reports_progress_through_the_worker(
    shown, qtbot, tmp_path, monkeypatch
):
    calls = []

    def fake_report(result, path, settings, progress=None, tablero=None):
        calls.append(result)
        progress(0.5, "Dibujando los gráficos…")
        Path(path).write_bytes(b"%PDF-1.4 prueba")

    monkeypatch.setattr("core.report_pdf.write_report", fake_report)
    texts = []
    shown.progress.bar.valueChanged.connect(texts.append)
    path = tmp_path / "informe.pdf"
    with qtbot.waitSignal(shown.export_finished, timeout=WAIT_MS):
        shown.run_export(path, "pdf")

    assert calls == [shown.result]
    assert path.exists()
    assert 500 in texts


def test_an_export_that_fails_says_why_and_keeps_the_month(shown, qtbot, tmp_path):
    target = tmp_path / "tablas.xlsx"
    target.mkdir()  # a folder where the file should go cannot be replaced
    before = shown.result
    with qtbot.waitSignal(shown.task_finished, timeout=WAIT_MS):
        shown.run_export(target, "excel")
    assert shown.result is before
    assert shown.message_bar.kind == "error"
    assert "tablas.xlsx" in shown.message_bar.text.text()


def test_each_chart_area_reuses_its_figure_from_month_to_month(shown):
    def figures():
        return [page.panel.chart.figure for page in shown.tabs.pages.values()]

    before = figures()
    for seed in (1, 2, 3):
        shown.show_result(small_month(accounts=120, seed=seed))
    assert all(a is b for a, b in zip(before, figures(), strict=True))
