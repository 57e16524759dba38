"""Drill-down from a comuna, barrio or segment to the list of its accounts.

The sample month is loaded once per module. The comuna 7 figures are the
sample's published ones (2.326 morosos owing $ 2.802.172.516); filtered
counts are compared with `core.debtor_lists` run on the same filters.
"""

from __future__ import annotations

import csv

import pytest
from matplotlib.backend_bases import MouseEvent
from PySide6.QtCore import Qt

from pypdf import PdfReader

from core.audit import audit_file
from core.debtor_lists import accounts_of, morosos_of
from gui.widgets.debtor_list import DebtorListWidget, ListScope

COMUNA = "7"
COMUNA_7_ACCOUNTS = 2326
COMUNA_7_DEBT = "$ 2.802.172.516"
TIMEOUT_MS = 20_000
OFICIO_POINTS = [612, 935]  # 216 x 330 mm, oficio as sold in Colombia


@pytest.fixture(scope="module")
def window(loaded_sample):
    return loaded_sample.window


def _show(window, tab: str, table_id: str):
    page = window.tabs.pages[tab]
    window.tabs.setCurrentWidget(page)
    page.show_table(table_id)
    return page.panel


def _row_of(panel, column: int, value: str) -> int:
    model = panel.model
    for row in range(model.rowCount()):
        if model.raw_value(row, column) == value:
            return row
    raise AssertionError(f"no row with {value!r}")


def _double_click_row(qtbot, window, panel, row: int):
    view = panel.view
    view.scrollTo(panel.model.index(row, 0))
    point = view.visualRect(panel.model.index(row, 0)).center()
    with qtbot.waitSignal(window.list_opened, timeout=TIMEOUT_MS) as opened:
        # A view emits doubleClicked only for the index the press was on.
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture
def comuna_7(qtbot, window):
    """The list opened by double-clicking comuna 7 in Morosos por comuna."""
    panel = _show(window, "geografico", "morosos_por_comuna")
    dialog = _double_click_row(qtbot, window, panel, _row_of(panel, 0, COMUNA))
    return dialog.list  # qtbot closes the dialog, which deletes itself


def _column_titled(model, title: str) -> int:
    titles = [model.column_title(c) for c in range(model.columnCount())]
    return titles.index(title)


def _audit_lines() -> list[list[str]]:
    path = audit_file()
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))[1:]


def test_double_click_on_comuna_7_opens_its_morosos(comuna_7):
    assert comuna_7.title.text() == "Morosos de la comuna 7"
    assert comuna_7.model.rowCount() == COMUNA_7_ACCOUNTS
    assert comuna_7.cuentas.text() == "2.326"
    assert comuna_7.deuda.text() == COMUNA_7_DEBT
    assert comuna_7.share_comuna.text() == "100,0 %"
    assert comuna_7.share_total.text() == "18,8 %"


@pytest.mark.parametrize(
    ("control", "value", "filters"),
    [
        ("edad", "61+", {"edad": "61+"}),
        ("segmento", "121+", {"segmento": "121+"}),
        ("min_deuda", "1.500.000", {"min_deuda": 1_500_000}),
        ("search", "calle", {"text": "calle"}),
    ],
)
def test_filters_narrow_to_the_count_core_selects(
    qtbot, window, comuna_7, control, value, filters
):
    widget = getattr(comuna_7, control)
    if hasattr(widget, "findData"):
        widget.setCurrentIndex(widget.findData(value))
    else:
        widget.setText(value)
        comuna_7.apply_filters()
    expected = morosos_of(window.result, COMUNA, **filters)
    assert 0 < comuna_7.model.rowCount() < COMUNA_7_ACCOUNTS
    assert comuna_7.model.rowCount() == len(expected)
    assert comuna_7.cuentas.text() == f"{len(expected):,}".replace(",", ".")
    # Brigade lists take the segment; the other filters are screen-only.
    assert comuna_7.screen_only.isVisibleTo(comuna_7) == (control != "segmento")


def test_barrio_filter_narrows_to_cores_count(window, comuna_7):
    combo = comuna_7.barrio
    barrio = combo.itemData(1)
    combo.setCurrentIndex(1)
    expected = morosos_of(window.result, COMUNA, barrio=barrio)
    assert comuna_7.model.rowCount() == len(expected) > 0


@pytest.fixture
def barrio_list(window):
    """Comuna 7's list narrowed to one barrio (the model tester is slow on
    thousands of rows); owned here so it outlives the model tester."""
    widget = DebtorListWidget(window.result, ListScope(comuna=COMUNA))
    widget.barrio.setCurrentIndex(1)
    yield widget
    widget.close_outputs()
    widget.deleteLater()


def test_list_model_passes_qtmodeltester_sorted_or_not(barrio_list, qtmodeltester):
    model = barrio_list.model
    assert 0 < model.rowCount() < COMUNA_7_ACCOUNTS
    qtmodeltester.check(model, force_py=True)
    debt = _column_titled(model, "Deuda")
    barrio_list.view.sortByColumn(debt, Qt.SortOrder.DescendingOrder)
    debts = [model.raw_value(r, debt) for r in range(model.rowCount())]
    assert debts == sorted(debts, reverse=True)
    qtmodeltester.check(model, force_py=True)


def test_names_are_masked_until_the_officer_asks(window, comuna_7):
    names = morosos_of(window.result, COMUNA)["nombre"].dropna()
    full = {n for n in names if len(str(n).split()) > 1}
    assert full
    assert not full & set(comuna_7.displayed_names())

    comuna_7.full_names.setChecked(True)
    assert full <= set(comuna_7.displayed_names())


def test_export_to_excel_writes_the_file_and_one_audit_line(
    qtbot, tmp_path, comuna_7
):
    before = _audit_lines()
    path = tmp_path / "comuna_7.xlsx"
    with qtbot.waitSignal(comuna_7.task_finished, timeout=TIMEOUT_MS):
        comuna_7.export_to(path, "excel")

    assert path.stat().st_size > 0
    added = _audit_lines()[len(before):]
    assert len(added) == 1
    line = added[0]
    assert line[2:4] == ["exportar", "brigada"]
    assert line[6] == COMUNA
    assert line[9:13] == ["enmascarada", str(COMUNA_7_ACCOUNTS), "excel", path.name]


def test_a_complete_export_is_audited_as_complete(qtbot, tmp_path, comuna_7):
    comuna_7.full_names.setChecked(True)
    comuna_7.barrio.setCurrentIndex(1)
    before = _audit_lines()
    path = tmp_path / "barrio.csv"
    with qtbot.waitSignal(comuna_7.export_finished, timeout=TIMEOUT_MS):
        comuna_7.export_to(path, "csv")

    added = _audit_lines()[len(before):]
    assert [(a[9], a[10], a[11]) for a in added] == [
        ("completa", str(comuna_7.model.rowCount()), "csv")
    ]
    with open(path, encoding="utf-8-sig") as handle:
        assert comuna_7.displayed_names()[0] in handle.read()


def test_printing_opens_the_brigade_pdf_on_the_chosen_paper_and_audits(
    qtbot, comuna_7
):
    opened = []
    comuna_7._open_url = lambda url: opened.append(url.toLocalFile()) or True
    comuna_7.paper.setCurrentIndex(comuna_7.paper.findData("oficio"))
    comuna_7.barrio.setCurrentIndex(1)  # one barrio: a short PDF
    before = _audit_lines()
    with qtbot.waitSignal(comuna_7.print_opened, timeout=TIMEOUT_MS) as done:
        comuna_7.print_button.click()

    pdf = done.args[0]
    assert opened == [pdf]
    box = PdfReader(pdf).pages[0].mediabox
    assert sorted((round(box.width), round(box.height))) == OFICIO_POINTS
    added = _audit_lines()[len(before):]
    assert [(a[2], a[11]) for a in added] == [("imprimir", "impresora")]
    assert added[0][7] == comuna_7.barrio.currentText()


def test_double_click_on_a_barrio_row_opens_that_barrio(qtbot, window):
    panel = _show(window, "geografico", "morosos_por_barrio")
    row = _row_of(panel, 0, COMUNA)
    barrio = panel.model.raw_value(row, 1)
    dialog = _double_click_row(qtbot, window, panel, row)

    widget: DebtorListWidget = dialog.list
    assert widget.scope == ListScope(comuna=COMUNA, barrio=barrio)
    expected = morosos_of(window.result, COMUNA, barrio=barrio)
    assert widget.model.rowCount() == len(expected) == panel.model.raw_value(row, 2)
    dialog.close()


def test_segment_row_opens_its_accounts_and_reminders_are_not_printed(
    qtbot, window
):
    panel = _show(window, "segmentos", "oferta_institucional")
    dialog = _double_click_row(qtbot, window, panel, _row_of(panel, 0, "0-30"))

    widget = dialog.list
    assert widget.model.rowCount() == len(accounts_of(window.result, segmento="0-30"))
    assert not widget.print_button.isEnabled()
    assert not widget.pdf_button.isEnabled()
    assert widget.excel_button.isEnabled()
    assert not widget.segmento.isVisibleTo(widget)  # nothing to choose there
    dialog.close()


def test_double_click_on_a_comuna_bar_opens_that_comuna(qtbot, window):
    panel = _show(window, "geografico", "morosos_por_comuna")
    panel.chart.flush()
    position = [row[0] for row in panel.table.filas].index(COMUNA)
    ax = panel.chart.figure.axes[0]
    bar = ax.containers[0].patches[position]
    x, y = ax.transData.transform(
        (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2)
    )
    canvas = panel.chart.canvas
    event = MouseEvent("button_press_event", canvas, x, y, button=1, dblclick=True)

    with qtbot.waitSignal(window.list_opened, timeout=TIMEOUT_MS) as opened:
        canvas.callbacks.process("button_press_event", event)
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    assert dialog.list.scope == ListScope(comuna=COMUNA)
    dialog.close()


def test_the_total_row_opens_nothing(window):
    panel = _show(window, "geografico", "morosos_por_comuna")
    assert panel.row_scope(panel.model.rowCount() - 1) is None
