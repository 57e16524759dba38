"""The sample month, loaded through the window, shows core's figures on
every tab: each cell of each table, the headline cards and the quality list.

Expected values come from `core.export_json.result_to_dict` of the month the
window received; the GUI must show them, formatted, and compute nothing.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.export_excel import column_title
from core.export_json import result_to_dict
from core.formatting import fmt_int, fmt_pct, fmt_pesos, fmt_value
from gui.models import RAW_ROLE
from gui.widgets.table_panel import ComponentPage

CARD_FORMATS = {
    "usuarios_activos": fmt_int,
    "usuarios_morosos": fmt_int,
    "porcentaje_morosos": fmt_pct,
    "cartera_morosa": fmt_pesos,
    "deuda_promedio": fmt_pesos,
    "cuentas_con_saldo": fmt_int,
    "cartera_total": fmt_pesos,
    "saldo_a_favor": fmt_pesos,
}


@pytest.fixture(scope="module")
def window(loaded_sample):
    return loaded_sample.window


@pytest.fixture(scope="module")
def expected(window):
    return result_to_dict(window.result)


def _page_of(window, table_id) -> ComponentPage:
    for page in window.tabs.pages.values():
        if table_id in page.table_ids:
            return page
    raise AssertionError(f"no tab shows {table_id}")


def test_every_table_of_the_month_has_a_tab(window, expected):
    shown = {t for page in window.tabs.pages.values() for t in page.available_ids()}
    assert set(expected["tablas"]) <= shown


def test_each_table_shows_cores_cells_formatted(window, expected):
    for table_id, data in expected["tablas"].items():
        page = _page_of(window, table_id)
        window.tabs.setCurrentWidget(page)
        page.show_table(table_id)
        model = page.panel.model
        kinds = window.result.tablas[table_id].tipos

        rows = data["filas"] + ([data["total"]] if data["total"] else [])
        assert model.rowCount() == len(rows), table_id
        assert [model.column_title(c) for c in range(model.columnCount())] == [
            column_title(c) for c in data["columnas"]
        ]
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                index = model.index(r, c)
                shown = model.data(index)
                if value is None and r == len(data["filas"]):
                    assert shown == "", (table_id, r, c)
                    continue
                assert shown == fmt_value(value, kinds[c]), (table_id, r, c)
                assert model.data(index, RAW_ROLE) == value, (table_id, r, c)


def test_total_row_is_last_and_stays_last_when_sorted(window, expected):
    page = _page_of(window, "morosos_por_comuna")
    window.tabs.setCurrentWidget(page)
    page.show_table("morosos_por_comuna")
    view, model = page.panel.view, page.panel.model
    last = model.rowCount() - 1
    assert model.is_total_row(last)

    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    debts = [model.data(model.index(r, 2), RAW_ROLE) for r in range(last)]
    assert debts == sorted(debts, reverse=True)
    assert model.data(model.index(last, 0)) == "TOTAL"


def test_chart_beside_each_table_draws_that_same_table(window):
    for page in window.tabs.pages.values():
        for table_id in page.available_ids():
            page.show_table(table_id)
            assert page.panel.chart.table is window.result.tablas[table_id]


def test_summary_cards_show_the_headline_figures(window, expected):
    cards = window.tabs.summary.cards
    for key, fmt in CARD_FORMATS.items():
        assert cards[key].value.text() == fmt(expected["resumen"][key]), key


def test_quality_panel_lists_every_item_with_count_and_amount(window, expected):
    model = window.tabs.summary.quality.model
    assert model.rowCount() == len(expected["calidad"])
    for row, item in enumerate(expected["calidad"]):
        assert model.data(model.index(row, 0)) == item["mensaje"]
        assert model.data(model.index(row, 1)) == fmt_int(item["cantidad"])
        assert model.data(model.index(row, 2)) == fmt_pesos(item["valor"])


def test_survey_tab_shows_its_tables_when_a_survey_was_loaded(window):
    page = window.tabs.pages["encuesta"]
    assert page.stack.currentWidget() is page.panel
    assert page.available_ids() == [
        "encuesta", "encuesta_distribucion", "encuesta_por_comuna", "encuesta_por_estrato",
    ]


def test_the_window_kept_processing_events_while_loading(loaded_sample):
    # A 20 ms timer on the GUI thread ticked all along the load, and the
    # progress bar moved forward through reading, validating and computing.
    assert loaded_sample.ticks >= 10
    assert len(set(loaded_sample.progress)) >= 3
    assert loaded_sample.progress == sorted(loaded_sample.progress)
