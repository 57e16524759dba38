"""The table model: Qt's contract, Colombian formats, pandas sorting."""

from __future__ import annotations

import time
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from core.model import Table
from gui.models import (
    IS_TOTAL_ROLE,
    RAW_ROLE,
    ResultTableModel,
    _NaturalKeys,
    frame_kinds,
)
from tests.gui.months import small_month

MONTH = small_month()
ROWS_67K = 67_325


def _sortable_columns(model):
    return range(model.columnCount())


@pytest.mark.parametrize("table_id", sorted(MONTH.tablas))
def test_every_result_table_model_passes_qtmodeltester(qtmodeltester, table_id):
    model = ResultTableModel.from_table(MONTH.tablas[table_id])
    qtmodeltester.check(model, force_py=True)
    for column in _sortable_columns(model):
        model.sort(column, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)


@pytest.mark.parametrize("item", [i for i in MONTH.calidad if not i.filas.empty],
                         ids=lambda item: item.codigo)
def test_quality_rows_model_passes_qtmodeltester(qtmodeltester, item):
    model = ResultTableModel(item.filas)
    qtmodeltester.check(model, force_py=True)


def test_an_empty_model_passes_qtmodeltester(qtmodeltester):
    qtmodeltester.check(ResultTableModel(), force_py=True)


def test_cells_are_formatted_by_column_kind_with_the_raw_value_apart():
    table = Table(
        id="prueba",
        titulo="Prueba",
        columnas=["comuna", "usuarios", "deuda", "porcentaje_deuda", "consumo"],
        tipos=["texto", "conteo", "pesos", "porcentaje", "decimal"],
        filas=[["1", 67325, Decimal("14912156524.50"), Decimal("37.45"),
                Decimal("23.25")]],
        total=["TOTAL", 67325, Decimal("14912156524.50"), Decimal("100.0"), None],
    )
    model = ResultTableModel.from_table(table)
    shown = [model.data(model.index(0, c)) for c in range(5)]
    assert shown == ["1", "67.325", "$ 14.912.156.525", "37,5 %", "23,3"]
    assert model.data(model.index(0, 2), RAW_ROLE) == 14912156524.5
    assert model.data(model.index(1, 4)) == ""
    assert model.data(model.index(1, 0), IS_TOTAL_ROLE) is True
    assert model.data(model.index(1, 0), Qt.ItemDataRole.FontRole).bold()
    right = model.data(model.index(0, 2), Qt.ItemDataRole.TextAlignmentRole)
    assert right & Qt.AlignmentFlag.AlignRight


def test_text_sorts_naturally_and_the_total_stays_last():
    table = Table(
        id="t", titulo="t", columnas=["comuna", "usuarios"],
        tipos=["texto", "conteo"],
        filas=[["10", 1], ["2", 5], ["EL LLANITO", 3], ["1", 2]],
        total=["TOTAL", 11],
    )
    model = ResultTableModel.from_table(table)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(r, 0)) for r in range(5)] == [
        "1", "2", "10", "EL LLANITO", "TOTAL",
    ]
    model.sort(-1)
    assert [model.data(model.index(r, 0)) for r in range(4)] == [
        "10", "2", "EL LLANITO", "1",
    ]


@pytest.mark.parametrize("kind", ["texto", "conteo"])
def test_missing_values_sort_last_and_ties_keep_their_order(kind):
    values = ["b", None, "a", "b", "a"] if kind == "texto" else [2, None, 1, 2, 1]
    frame = pd.DataFrame({"valor": values, "fila": [0, 1, 2, 3, 4]})
    model = ResultTableModel(frame, [kind, "texto"])

    def rows():
        return [model.raw_value(r, 1) for r in range(model.rowCount())]

    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert rows() == [2, 4, 0, 3, 1]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert rows() == [0, 3, 2, 4, 1]


def test_text_sort_ignores_case_and_reads_numbers_by_value():
    frame = pd.DataFrame({"direccion": ["cl 10", "CL 9", "Cl 9A", "CL 100", pd.NA]})
    model = ResultTableModel(frame, ["texto"])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    shown = [model.raw_value(r, 0) for r in range(model.rowCount())]
    assert shown == ["CL 9", "Cl 9A", "cl 10", "CL 100", None]


def test_text_keys_go_in_short_steps_and_equal_texts_share_a_rank():
    values = pd.Series(["Calle 2", "CALLE 2", "calle 10", None, "b", "Calle 2"])
    keys = _NaturalKeys(values)
    steps = 1
    while not keys.advance(1):  # one value keyed a step, then sort, then rank
        steps += 1
    assert steps == 4 + 2  # four distinct values
    # b < calle 2 (either case) < calle 10; the missing value has no rank
    assert keys.ranks().tolist() == pytest.approx(
        [1, 1, 2, np.nan, 0, 1], nan_ok=True
    )


def test_long_lists_get_their_text_keys_while_idle_and_sort_the_same(qtbot):
    frame = _big_frame(30_000)
    frame["direccion"] = [f"CL {n % 997} # {n % 89}-{n % 13}" for n in range(30_000)]
    kinds = ["texto", "texto", "pesos", "conteo", "texto"]
    idle = ResultTableModel(frame, kinds)
    qtbot.waitUntil(lambda: not idle._idle_timer.isActive(), timeout=10_000)
    assert set(idle._sort_keys) == {0, 1, 4}

    at_once = ResultTableModel(frame, kinds)
    at_once._idle_timer.stop()
    for column in (0, 1, 4):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            idle.sort(column, order)
            at_once.sort(column, order)
            assert (idle._order == at_once._order).all()


def _big_frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    debts = rng.integers(0, 900_000_000, rows)
    return pd.DataFrame({
        "cuenta": [f"{n:08d}" for n in rng.permutation(rows)],
        "barrio": rng.choice(["EL LLANITO", "LA PAZ", "Barrio 12", "barrio 2"], rows),
        "deuda": [Decimal(int(d)).scaleb(-2) for d in debts],
        "dias": rng.integers(0, 3000, rows),
    })


def test_sorting_67k_rows_takes_well_under_a_second(qtbot):
    model = ResultTableModel(_big_frame(ROWS_67K))
    assert model.rowCount() == ROWS_67K

    for column, order in [(2, Qt.SortOrder.DescendingOrder),
                          (1, Qt.SortOrder.AscendingOrder),
                          (0, Qt.SortOrder.AscendingOrder),
                          (3, Qt.SortOrder.DescendingOrder)]:
        started = time.perf_counter()
        model.sort(column, order)
        elapsed = time.perf_counter() - started
        assert elapsed < 1.0, (column, elapsed)

    values = [model.data(model.index(r, 3), RAW_ROLE) for r in range(200)]
    assert values == sorted(values, reverse=True)


def test_a_67k_model_in_a_view_sorts_by_header_click_quickly(qtbot):
    from gui.widgets.table_view import ResultTableView

    model = ResultTableModel(_big_frame(ROWS_67K))
    view = ResultTableView()
    qtbot.addWidget(view)
    started = time.perf_counter()
    view.setModel(model)
    view.show()
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    qtbot.waitExposed(view)
    assert time.perf_counter() - started < 1.0
    top = model.raw_value(0, 2)
    assert top == max(model.raw_value(r, 2) for r in range(ROWS_67K))


def test_plain_frames_get_kinds_from_their_values():
    frame = pd.DataFrame({
        "archivo": ["a.xlsx"], "fila": [12345], "cuenta": ["0001"],
        "deuda": [Decimal("10.50")], "cuentas": [3], "consumo": [1.5],
    })
    assert frame_kinds(frame) == [
        "texto", "texto", "texto", "pesos", "conteo", "decimal",
    ]
