"""Month to month in the app: each month loaded is saved in the history
(asking before replacing one), the Evolución tab shows core's dashboard
beside its charts, and the Historial menu lists, deletes, exports and
imports months. The sample month lives in a history of its own.

Two hand-made months with known movements give the expected figures, worked
out by hand below; nothing is taken from the code under test.
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from core.applog import data_dir
from core.evolution import Dashboard, build_dashboard
from core.export_json import result_to_dict
from core.formatting import fmt_decimal, fmt_int, fmt_pct, fmt_pesos, fmt_value
from core.history import HistoryStore
from core.model import Table
from core.pipeline import MonthSources, compute_month, sample_months
from gui import history_worker
from gui.history_dialog import replace_question
from gui.history_worker import (
    EvolutionState,
    fill_sample_history,

)
from gui.main_window import MainWindow
from gui.models import RAW_ROLE, ResultTableModel
from gui.widgets.evolution import SHORT_LABELS, EvolutionWidget, ordered_ids
from tests.core import frames
from tests.gui.months import small_month

WAIT_MS = 20_000
SAMPLE_WAIT_MS = 120_000
SIX_MONTHS_WAIT_MS = 600_000
GONE = "sin saldo o retirado"


# --- two months by hand ------------------------------------------------------
#
# Six accounts, 1-3 in comuna 1 and 4-6 in comuna 2. A moroso owes with 31
# days or more; segments 0-30, 31-60, 61-120, 121+.
#
#   account  May: debt, days (segment)   June: debt, days (segment)
#   1        100.000, 10 (0-30)          150.000, 40 (31-60)   worsened
#   2        200.000, 45 (31-60)         none (sin saldo)      improved, paid
#   3        300.000, 90 (61-120)        300.000, 100 (61-120) stayed
#   4        400.000, 200 (121+)         380.000, 230 (121+)   stayed, -20.000
#   5         50.000, 45 (31-60)          50.000, 10 (0-30)    improved
#   6        none                         70.000, 20 (0-30)    new

COMUNAS = {"1": "1", "2": "1", "3": "1", "4": "2", "5": "2", "6": "2"}
MAY = [("1", 100_000, 10), ("2", 200_000, 45), ("3", 300_000, 90),
       ("4", 400_000, 200), ("5", 50_000, 45)]
JUNE = [("1", 150_000, 40), ("3", 300_000, 100), ("4", 380_000, 230),
        ("5", 50_000, 10), ("6", 70_000, 20)]

TRANSITIONS = {  # (May's segment, June's): accounts; every other cell is 0
    ("0-30", "31-60"): 1,
    ("31-60", GONE): 1,
    ("31-60", "0-30"): 1,
    ("61-120", "61-120"): 1,
    ("121+", "121+"): 1,
    ("nuevo", "0-30"): 1,
}
TRANSITION_PESOS = {  # May's debt (June's for the new account)
    ("0-30", "31-60"): "$ 100.000",
    ("31-60", GONE): "$ 200.000",
    ("31-60", "0-30"): "$ 50.000",
    ("61-120", "61-120"): "$ 300.000",
    ("121+", "121+"): "$ 400.000",
    ("nuevo", "0-30"): "$ 70.000",
}
MOVEMENTS = [  # accounts 2 and 5; 3 and 4; 1; 6
    ["Mejoraron", "2", "$ 250.000"],
    ["Se mantuvieron", "2", "$ 700.000"],
    ["Empeoraron", "1", "$ 100.000"],
    ["Nuevos", "1", "$ 70.000"],
    ["TOTAL", "6", "$ 1.120.000"],
]
RECOVERY = [  # May's morosos (2, 3, 4, 5): debt then, and what came down
    ["31-60", "2", "$ 250.000", "$ 200.000", "80,0 %"],
    ["61-120", "1", "$ 300.000", "$ 0", "0,0 %"],
    ["121+", "1", "$ 400.000", "$ 20.000", "5,0 %"],
    ["TOTAL", "4", "$ 950.000", "$ 220.000", "23,2 %"],
]


def _month(lines: list[tuple[str, int, int]], periodo: str):
    guia = frames.guia([
        {"cuenta": cuenta, "estrato": "01", "comuna": comuna}
        for cuenta, comuna in COMUNAS.items()
    ])
    cartera = frames.cartera([
        {"cuenta": cuenta, "deuda": deuda, "dias": dias}
        for cuenta, deuda, dias in lines
    ])
    return compute_month(guia, cartera, periodo=periodo)


@pytest.fixture(scope="module")
def may():
    return _month(MAY, "2025-05")


@pytest.fixture(scope="module")
def june():
    return _month(JUNE, "2025-06")


# --- helpers -----------------------------------------------------------------


@pytest.fixture
def history(tmp_path) -> Path:
    return tmp_path / "historial" / "historial.sqlite"


def _saved(path: Path, *months) -> None:
    with HistoryStore(path) as store:
        for month in months:
            store.add_month(month)


def _periods(path: Path) -> list[str]:
    with HistoryStore(path) as store:
        return store.periods()


def _sources(tmp_path: Path) -> MonthSources:
    guia, cartera = tmp_path / "guia.xlsx", tmp_path / "cartera.xlsx"
    guia.write_bytes(b"guia")
    cartera.write_bytes(b"cartera")
    return MonthSources(usuarios=guia, cartera=cartera)


def _window(qtbot, store, tmp_path, history, *months) -> MainWindow:
    """A window whose loads return `months` in turn."""
    queue = list(months)
    window = MainWindow(
        store=store,
        process=lambda sources, **_: queue.pop(0),
        history_path=history,
        demo_history=tmp_path / "ejemplo.sqlite",
        remember_geometry=False,
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def _load(qtbot, window: MainWindow, tmp_path: Path):
    """Load the next month and wait for its Evolución tab."""
    with qtbot.waitSignal(window.evolution_updated, timeout=WAIT_MS) as blocker:
        window.load_month(_sources(tmp_path))
    qtbot.waitUntil(lambda: not window.history.is_busy(), timeout=WAIT_MS)
    return blocker.args[0]


def _rows(model: ResultTableModel) -> list[list[str]]:
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _trend_users(window: MainWindow, periodo: str) -> int:
    """Usuarios activos of a month in the trend the window's dashboard has."""
    trend = window.dashboard.tablas["tendencia"]
    row = next(row for row in trend.filas if row[0] == periodo)
    return row[trend.columnas.index("usuarios_activos")]


def _shown(window: MainWindow, table_id: str) -> ResultTableModel:
    evolution = window.tabs.evolution
    window.tabs.setCurrentWidget(evolution)
    evolution.page.show_table(table_id)
    return evolution.panel.model


# --- saving ------------------------------------------------------------------


def test_a_loaded_month_is_saved_in_the_users_history(qtbot, store, tmp_path, may):
    window = MainWindow(store=store, process=lambda sources, **_: may)
    qtbot.addWidget(window)
    _load(qtbot, window, tmp_path)

    assert window.history_path == data_dir() / "historial.sqlite"
    assert _periods(window.history_path) == ["2025-05"]
    assert not window.demo_history_path.exists()


def test_with_one_month_the_tab_says_the_evolution_needs_another(
    qtbot, store, tmp_path, history, may
):
    window = _window(qtbot, store, tmp_path, history, may)
    state = _load(qtbot, window, tmp_path)

    evolution = window.tabs.evolution
    assert state.dashboard is None and window.dashboard is None
    assert not evolution.dashboard_shown
    text = evolution.message.text()
    assert text.startswith("El historial tiene un solo mes: mayo de 2025.")
    assert "al cargar otros meses aquí verá la evolución" in text


def test_the_question_before_replacing_names_the_month_and_when_it_was_saved(
    qtbot,
):
    box = replace_question(None, "2025-07", "2025-08-03T10:15:00")
    qtbot.addWidget(box)
    assert box.text() == (
        "El historial ya tiene julio de 2025 (guardado el 03/08/2025 10:15). "
        "¿Reemplazarlo con los archivos que acaba de abrir?"
    )
    assert box.defaultButton().text() == "No"  # Enter keeps the saved month


def test_the_same_month_again_asks_and_no_keeps_the_saved_one_yes_replaces_it(
    qtbot, store, tmp_path, history, monkeypatch
):
    _saved(history, small_month(accounts=60, seed=3, periodo="2025-05"))
    first = small_month(accounts=90, seed=1, periodo="2025-06")
    second = small_month(accounts=120, seed=2, periodo="2025-06")
    window = _window(qtbot, store, tmp_path, history, first, second, second)
    _load(qtbot, window, tmp_path)
    answers, asked = [False, True], []

    def answer(periodo, guardado):
        asked.append((periodo, guardado))
        return answers.pop(0)

    monkeypatch.setattr(window, "ask_replace_month", answer)

    def stored_users() -> int:
        with HistoryStore(history) as saved:
            return saved.month("2025-06").resumen["usuarios_activos"]

    _load(qtbot, window, tmp_path)
    assert stored_users() == 90
    assert window.result is second  # on screen all the same
    assert "conserva junio de 2025" in window.tabs.evolution.note.text()
    assert _trend_users(window, "2025-06") == 120  # the tab follows the screen
    _load(qtbot, window, tmp_path)
    assert stored_users() == 120
    assert [periodo for periodo, _ in asked] == ["2025-06", "2025-06"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", asked[0][1])
    assert "conserva" not in window.tabs.evolution.note.text()


def test_a_save_that_fails_says_why_and_the_month_stays(
    qtbot, store, tmp_path, may
):
    blocked = tmp_path / "no es un archivo"
    blocked.mkdir()  # a folder where the history file should be
    window = _window(qtbot, store, tmp_path, blocked, may)
    _load(qtbot, window, tmp_path)

    assert window.result is may
    assert window.stack.currentWidget() is window.tabs
    assert window.message_bar.kind == "error"
    assert "historial" in window.message_bar.text.text()


def test_recomputing_the_saved_month_replaces_it_without_asking(
    qtbot, window, tmp_path, monkeypatch, may
):
    # The window of conftest uses the user's (per-test) history.
    monkeypatch.setattr(window, "_process", lambda sources, **_: may)
    monkeypatch.setattr(
        window, "ask_replace_month", lambda *_: pytest.fail("no debía preguntar")
    )
    _load(qtbot, window, tmp_path)
    monkeypatch.setattr(
        "gui.main_window._recomputed",
        lambda result, settings: small_month(accounts=30, periodo="2025-05"),
    )
    with qtbot.waitSignal(window.evolution_updated, timeout=WAIT_MS):
        window.recompute_month()

    with HistoryStore(window.history_path) as saved:
        assert saved.month("2025-05").resumen["usuarios_activos"] == 30


# --- the Evolución tab -------------------------------------------------------


@pytest.fixture
def june_against_may(qtbot, store, tmp_path, history, may, june) -> MainWindow:
    _saved(history, may)
    window = _window(qtbot, store, tmp_path, history, june)
    _load(qtbot, window, tmp_path)
    return window


def test_the_evolution_tab_is_the_last_one(june_against_may):
    tabs = june_against_may.tabs
    assert tabs.tabText(tabs.count() - 1) == "Evolución"
    assert tabs.tab_keys()[-1] == "evolucion"


def test_transitions_between_segments_are_counted_as_by_hand(june_against_may):
    window = june_against_may
    assert window.dashboard.periodo == "2025-06"
    assert window.dashboard.periodo_anterior == "2025-05"
    model = _shown(window, "transiciones")
    columns = [model.column_title(c) for c in range(model.columnCount())]
    assert columns[1:] == ["0-30", "31-60", "61-120", "121+", "Sin saldo o retirado"]

    rows = _rows(model)
    assert [row[0] for row in rows] == [
        "0-30", "31-60", "61-120", "121+", "nuevo", "TOTAL"
    ]
    hacia = ["0-30", "31-60", "61-120", "121+", GONE]
    for row in rows[:-1]:
        expected = [str(TRANSITIONS.get((row[0], h), 0)) for h in hacia]
        assert row[1:] == expected, row[0]
    assert rows[-1][1:] == ["2", "1", "1", "1", "1"]


def test_transitions_in_pesos_carry_last_months_debt(june_against_may):
    rows = _rows(_shown(june_against_may, "transiciones_deuda"))
    hacia = ["0-30", "31-60", "61-120", "121+", GONE]
    for row in rows[:-1]:
        expected = [TRANSITION_PESOS.get((row[0], h), "$ 0") for h in hacia]
        assert row[1:] == expected, row[0]


def test_cured_stayed_worsened_and_recovery_as_by_hand(june_against_may):
    assert _rows(_shown(june_against_may, "transiciones_resumen")) == MOVEMENTS
    assert _rows(_shown(june_against_may, "recuperacion")) == RECOVERY


def test_headline_figures_read_each_row_in_its_own_kind(june_against_may):
    # June has 3 morosos (1, 3, 4) owing 150.000 + 300.000 + 380.000; May 4
    # owing 950.000. Six active users: 50,0 % and 66,7 %. No June 2024.
    rows = {row[0]: row[1:] for row in _rows(
        _shown(june_against_may, "comparacion_mensual"))}
    none = fmt_value(None, "texto")
    assert rows["Usuarios morosos"] == [
        "3", "4", fmt_int(-1), fmt_pct(Decimal("-25.0")), none, none, none
    ]
    assert rows["Cartera morosa"] == [
        "$ 830.000", "$ 950.000", fmt_pesos(Decimal("-120000")),
        fmt_pct(Decimal("-12.6")), none, none, none,
    ]
    assert rows["Porcentaje de morosos"][:4] == [
        "50,0 %", "66,7 %", fmt_decimal(Decimal("-16.7")), none
    ]


def test_the_trend_agrees_with_each_months_own_figures(june_against_may, may, june):
    model = _shown(june_against_may, "tendencia")
    by_period = {
        model.data(model.index(r, 0)): r for r in range(model.rowCount())
    }
    for month in (may, june):
        row = by_period[month.periodo]
        figures = [model.data(model.index(row, c), RAW_ROLE) for c in (1, 2)]
        assert figures == [
            month.resumen.usuarios_activos, month.resumen.usuarios_morosos
        ]


def test_every_dashboard_table_is_shown_with_cores_cells(june_against_may, history):
    window = june_against_may
    with HistoryStore(history) as saved:
        expected = build_dashboard(saved, "2025-06", "2025-05").tablas
    page = window.tabs.evolution.page

    assert page.table_ids == ordered_ids(expected)
    assert set(page.available_ids()) == set(expected)
    for table_id, table in expected.items():
        model = _shown(window, table_id)
        assert window.tabs.evolution.panel.chart.table.id == table_id
        rows = table.filas + ([table.total] if table.total else [])
        assert model.rowCount() == len(rows), table_id
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                index = model.index(r, c)
                if value is None and r == len(table.filas):
                    continue
                kind = table.tipos[c] if r == len(table.filas) else table.tipo(r, c)
                assert model.data(index) == fmt_value(value, kind), (table_id, r, c)
                raw = float(value) if isinstance(value, Decimal) else value
                assert model.data(index, RAW_ROLE) == raw, (table_id, r, c)


def test_the_picker_names_known_tables_briefly_and_others_by_title(qtbot):
    tables = {
        "zeta_nueva": Table("zeta_nueva", "Una tabla que aún no tiene nombre corto",
                            ["a"], ["conteo"], [[1]]),
        "transiciones": Table("transiciones", "Transiciones", ["a"], ["conteo"],
                              [[2]]),
        "tendencia": Table("tendencia", "Tendencia", ["a"], ["conteo"], [[3]]),
    }
    assert ordered_ids(tables) == ["tendencia", "transiciones", "zeta_nueva"]

    widget = EvolutionWidget()
    qtbot.addWidget(widget)
    state = EvolutionState(Path("h.sqlite"), "2025-06", ["2025-05", "2025-06"],
                           Dashboard("2025-06", "2025-05", tables),
                           guardado="2025-07-02T08:00:00")
    widget.show_state(state)
    labels = [b.text() for b in widget.page.buttons.buttons()]
    assert labels == [
        SHORT_LABELS["tendencia"], SHORT_LABELS["transiciones"],
        "Una tabla que aún no tiene nombre corto",
    ]
    assert widget.heading.text() == "Junio de 2025 frente a"
    assert widget.compare.currentText() == "mayo de 2025"


def test_a_picker_of_many_tables_wraps_onto_another_row(qtbot):
    tables = {
        f"tabla_{n}": Table(f"tabla_{n}", f"Tabla número {n} del tablero",
                            ["a"], ["conteo"], [[n]])
        for n in range(12)
    }
    widget = EvolutionWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    state = EvolutionState(Path("h.sqlite"), "2025-06", ["2025-05", "2025-06"],
                           Dashboard("2025-06", "2025-05", tables))
    widget.show_state(state)
    qtbot.waitUntil(lambda: widget.page.picker.height() > 0, timeout=WAIT_MS)

    buttons = widget.page.buttons.buttons()
    assert len({button.y() for button in buttons}) > 1
    assert all(b.geometry().right() <= widget.page.picker.width() for b in buttons)
    assert widget.page.picker.height() >= 2 * buttons[0].height()


def test_every_table_model_passes_the_model_tester(june_against_may, qtmodeltester):
    for table in june_against_may.dashboard.tablas.values():
        qtmodeltester.check(ResultTableModel.from_table(table))
        qtmodeltester.check(_shown(june_against_may, table.id))


def test_another_earlier_month_can_be_chosen(
    qtbot, store, tmp_path, history, may, june
):
    april = small_month(accounts=60, seed=4, periodo="2025-04")
    _saved(history, april, may)
    window = _window(qtbot, store, tmp_path, history, june)
    _load(qtbot, window, tmp_path)
    combo = window.tabs.evolution.compare
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "mayo de 2025", "abril de 2025"
    ]
    assert combo.currentText() == "mayo de 2025"

    with qtbot.waitSignal(window.evolution_updated, timeout=WAIT_MS) as blocker:
        combo.setCurrentIndex(1)
    assert blocker.args[0].dashboard.periodo_anterior == "2025-04"
    assert window.dashboard.periodo_anterior == "2025-04"
    assert window.tabs.evolution.compare.currentText() == "abril de 2025"


def test_the_window_keeps_processing_events_while_the_dashboard_is_built(
    qtbot, store, tmp_path, history, may, june, monkeypatch
):
    _saved(history, may)
    window = _window(qtbot, store, tmp_path, history, june)
    gui_thread = threading.get_ident()
    ticks, enough = [], threading.Event()

    def slow_dashboard(saved, periodo, anterior, **kwargs):
        assert threading.get_ident() != gui_thread
        assert enough.wait(WAIT_MS / 1000)  # five GUI ticks meanwhile
        return build_dashboard(saved, periodo, anterior, **kwargs)

    def tick():
        ticks.append(1)
        if len(ticks) >= 5:
            enough.set()

    monkeypatch.setattr(history_worker, "build_dashboard", slow_dashboard)
    timer = QTimer(window)
    timer.timeout.connect(tick)
    timer.start(10)
    state = _load(qtbot, window, tmp_path)
    timer.stop()

    assert len(ticks) >= 5
    assert state.dashboard is not None


def test_an_evolution_tab_without_tables_has_nothing_to_print(
    qtbot, store, tmp_path, history, may
):
    window = _window(qtbot, store, tmp_path, history, may)
    _load(qtbot, window, tmp_path)
    window.tabs.setCurrentWidget(window.tabs.evolution)
    assert window.printable_html() is None
    window.actions.print_table.trigger()
    assert window.message_bar.text.text() == (
        "Esta pestaña no tiene tablas que imprimir."
    )


def test_printing_an_evolution_table_names_both_months(june_against_may):
    window = june_against_may
    _shown(window, "transiciones_resumen")
    html, _wide = window.printable_html()
    assert "Junio de 2025 frente a mayo de 2025" in html
    assert "Mejoraron" in html


def test_the_pdf_report_gets_the_dashboard_of_the_month_on_screen(
    qtbot, june_against_may, tmp_path, monkeypatch
):
    window = june_against_may
    given = []

    def fake_report(result, path, settings, progress=None, tablero=None):
        given.append((result, tablero))
        Path(path).write_bytes(b"%PDF-1.4 prueba")

    monkeypatch.setattr("core.report_pdf.write_report", fake_report)
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS):
        window.run_export(tmp_path / "informe.pdf", "pdf")
    assert given == [(window.result, window.dashboard)]
    assert window.dashboard.periodo == "2025-06"


def test_the_excel_tables_carry_the_dashboard_of_the_month_on_screen(
    qtbot, june_against_may, tmp_path
):
    from openpyxl import load_workbook

    window = june_against_may
    path = tmp_path / "tablas.xlsx"
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS):
        window.run_export(path, "excel")

    book = load_workbook(path, read_only=True)
    assert "comparacion_mensual" in book.sheetnames
    title = next(book["comparacion_mensual"].iter_rows(values_only=True))[0]
    assert title == window.dashboard.tablas["comparacion_mensual"].titulo
    rows = list(book["transiciones_resumen"].iter_rows(values_only=True))
    table = window.dashboard.tablas["transiciones_resumen"]
    assert [row[0] for row in rows[3:3 + len(table.filas)]] == [
        row[0] for row in table.filas]


# --- the Historial menu ------------------------------------------------------


def test_the_history_menu_and_its_shortcut(window):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    texts = [a.text().replace("&", "") for a in menus["Historial"].actions()
             if not a.isSeparator()]
    assert texts == [
        "Meses guardados…", "Exportar copia del historial…", "Importar copia…"
    ]
    assert window.actions.history_months.shortcut().toString() == "Ctrl+H"


def _dialog(qtbot, window):
    with qtbot.waitSignal(window.history.months_listed, timeout=WAIT_MS):
        dialog = window.make_history_dialog()
    qtbot.addWidget(dialog)
    return dialog


def test_the_saved_months_are_listed_in_colombian_formats(
    qtbot, june_against_may, qtmodeltester
):
    dialog = _dialog(qtbot, june_against_may)
    rows = _rows(dialog.model)
    assert [row[:2] for row in rows] == [
        ["2025-06", "Junio de 2025"], ["2025-05", "Mayo de 2025"]
    ]
    # May: six active users; morosos 2, 3, 4 and 5 owe 950.000.
    assert rows[1][4:] == ["6", "4", "$ 950.000"]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", rows[0][3])
    assert dialog.status.text() == "2 meses guardados."
    qtmodeltester.check(dialog.model)


def test_a_month_deleted_from_the_dialog_leaves_the_history(
    qtbot, june_against_may, history, monkeypatch
):
    window = june_against_may
    dialog = _dialog(qtbot, window)
    assert not dialog.delete_button.isEnabled()
    dialog.select_period("2025-05")
    asked = []
    monkeypatch.setattr(dialog, "confirm_delete", lambda p: asked.append(p) or True)

    with qtbot.waitSignal(window.evolution_updated, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT_MS)

    assert asked == ["2025-05"]
    assert _periods(history) == ["2025-06"]
    assert window.dashboard is None
    assert "un solo mes: junio de 2025" in window.tabs.evolution.message.text()


def test_a_delete_not_confirmed_keeps_the_month(
    qtbot, june_against_may, history, monkeypatch
):
    dialog = _dialog(qtbot, june_against_may)
    dialog.select_period("2025-05")
    monkeypatch.setattr(dialog, "confirm_delete", lambda p: False)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not june_against_may.history.is_busy(), timeout=WAIT_MS)
    assert _periods(history) == ["2025-05", "2025-06"]


def test_export_then_import_brings_the_history_back(
    qtbot, june_against_may, history, tmp_path, monkeypatch
):
    window = june_against_may
    copy = tmp_path / "copias" / "copia del historial.sqlite"
    copy.parent.mkdir()
    monkeypatch.setattr(window, "ask_history_export_path", lambda: copy)
    monkeypatch.setattr(window, "ask_history_import_path", lambda: copy)
    confirmed = []
    monkeypatch.setattr(
        window, "confirm_import", lambda path: confirmed.append(path) or True
    )

    with qtbot.waitSignal(window.history.history_exported, timeout=WAIT_MS):
        window.actions.history_export.trigger()
    assert "copia del historial.sqlite" in window.message_bar.text.text()
    with qtbot.waitSignal(window.evolution_updated, timeout=WAIT_MS):
        window.history.delete(history, "2025-05")  # the tab follows
    assert _periods(history) == ["2025-06"]
    assert window.dashboard is None

    with qtbot.waitSignal(window.evolution_updated, timeout=WAIT_MS):
        window.actions.history_import.trigger()

    assert confirmed == [copy]
    assert _periods(history) == ["2025-05", "2025-06"]
    assert window.dashboard.periodo_anterior == "2025-05"
    assert window.message_bar.text.text() == (
        "Se importó la copia del historial; ahora tiene mayo de 2025 y junio "
        "de 2025."
    )


def test_a_file_that_is_not_a_history_is_refused_and_nothing_changes(
    qtbot, june_against_may, history, tmp_path, monkeypatch
):
    window = june_against_may
    fake = tmp_path / "no es historial.sqlite"
    fake.write_text("hola", encoding="utf-8")
    monkeypatch.setattr(window, "ask_history_import_path", lambda: fake)
    monkeypatch.setattr(window, "confirm_import", lambda path: True)

    with qtbot.waitSignal(window.history.failed, timeout=WAIT_MS):
        window.import_history()

    assert window.message_bar.kind == "error"
    assert "no es un historial" in window.message_bar.text.text()
    assert _periods(history) == ["2025-05", "2025-06"]


# --- the sample history ------------------------------------------------------


def test_sample_months_pair_each_guia_with_its_cartera(tmp_path):
    for name in ("guia_usuarios_2025-05.xlsx", "cartera_2025-05.xlsx",
                 "guia_usuarios_2025-06.xlsx", "encuesta_2025.xlsx",
                 "guia_usuarios_2025-04.xlsx", "cartera_2025-04.xlsx"):
        (tmp_path / name).write_bytes(b"")
    months = sample_months(tmp_path)
    assert list(months) == ["2025-04", "2025-05"]
    assert months["2025-05"].cartera.name == "cartera_2025-05.xlsx"
    assert months["2025-05"].periodo == "2025-05"
    assert "2025-07" in sample_months()


def test_the_sample_history_gets_only_the_months_it_lacks(tmp_path):
    path = tmp_path / "historial-ejemplo.sqlite"
    months = {p: MonthSources(Path("g"), Path("c"), periodo=p)
              for p in ("2025-05", "2025-06")}
    processed, progress = [], []

    def process(sources, settings, report, cancelled):
        processed.append(sources.periodo)
        report(0.5, "Leyendo…")
        return small_month(accounts=30, survey=False, periodo=sources.periodo)

    def fill():
        return fill_sample_history(
            path, months, None, lambda f, t: progress.append((f, t)),
            lambda: False, process,
        )

    assert fill() == ["2025-05", "2025-06"]
    assert fill() == []
    assert processed == ["2025-05", "2025-06"]
    assert _periods(path) == ["2025-05", "2025-06"]
    assert progress[0] == (
        0.25, "Preparando el historial de ejemplo: mayo de 2025 (1 de 2)…"
    )


def test_the_sample_month_goes_to_the_sample_history_not_the_users(
    qtbot, store, sample_files, monkeypatch
):
    monkeypatch.setattr("gui.main_window.sample_months", lambda: {})
    window = MainWindow(store=store, remember_geometry=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.evolution_updated, timeout=SAMPLE_WAIT_MS):
        window.open_sample()

    assert window.demo_history_path == data_dir() / "historial-ejemplo.sqlite"
    assert _periods(window.demo_history_path) == ["2025-07"]
    assert not window.history_path.exists()
    assert "Historial de ejemplo" in window.tabs.evolution.note.text()


SAMPLE_PERIODS = ["2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]


@pytest.fixture
def six_sample_months(qtbot, store, sample_files) -> MainWindow:
    """The sample month opened as the officer would, with the sample history
    filled with every sample month (processed here, in this test's folder)."""
    if list(sample_months()) != SAMPLE_PERIODS:
        pytest.skip("the six sample months are not in resources/sample")
    window = MainWindow(store=store, remember_geometry=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.evolution_updated, timeout=SIX_MONTHS_WAIT_MS):
        window.open_sample()
    return window


def _reports(window: MainWindow) -> dict[str, dict]:
    """Each sample month's own figures: the resumen and tables its report
    has (July's from the month on screen, the others as the history kept
    them when each was processed)."""
    with HistoryStore(window.demo_history_path) as saved:
        months = {m.periodo: {"resumen": m.resumen, "tablas": m.tablas}
                  for m in saved.months()}
    months["2025-07"] = result_to_dict(window.result)
    return months


def test_the_six_sample_months_agree_with_each_months_own_report(
    six_sample_months,
):
    window = six_sample_months
    reports = _reports(window)
    assert list(reports) == SAMPLE_PERIODS
    assert window.dashboard.periodo_anterior == "2025-06"

    trend = _rows(_shown(window, "tendencia"))
    for row, periodo in zip(trend, SAMPLE_PERIODS, strict=True):
        summary = reports[periodo]["resumen"]
        assert row == [
            periodo,
            fmt_int(summary["usuarios_activos"]),
            fmt_int(summary["usuarios_morosos"]),
            fmt_pesos(summary["cartera_morosa"]),
            fmt_pct(summary["porcentaje_morosos"]),
        ], periodo

    by_comuna = _rows(_shown(window, "tendencia_comunas"))
    debt_by_comuna = _rows(_shown(window, "tendencia_comunas_deuda"))
    for count_row, debt_row, periodo in zip(
        by_comuna, debt_by_comuna, SAMPLE_PERIODS, strict=True
    ):
        table = reports[periodo]["tablas"]["morosos_por_comuna"]
        comuna_rows = table["filas"]
        assert count_row[1:] == [fmt_int(r[1]) for r in comuna_rows], periodo
        assert debt_row[1:] == [fmt_pesos(r[2]) for r in comuna_rows], periodo

    headline = {row[0]: row[1:3] for row in _rows(
        _shown(window, "comparacion_mensual"))}
    july, june = reports["2025-07"]["resumen"], reports["2025-06"]["resumen"]
    assert headline["Usuarios morosos"] == [
        fmt_int(july["usuarios_morosos"]), fmt_int(june["usuarios_morosos"])
    ]
    assert headline["Cartera morosa"] == [
        fmt_pesos(july["cartera_morosa"]), fmt_pesos(june["cartera_morosa"])
    ]
