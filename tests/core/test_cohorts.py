"""Cohorts of new morosos on four small months followed by hand.

    cuenta  marzo  abril     mayo   junio
    11      10     40        —      —         new in April at 31-60
    12      20     50        80     110       new in April at 31-60
    13      —      70        50     130       new in April at 61-120
    14      5      35        15     sin días  new in April at 31-60
    15      45     75        10     40        moroso in March; new again in June
    16      —      sin días  —      —         never moroso
    17      —      10        35     65        new in May at 31-60
    18      —      —         —      40        new in June

(días de mora; "—" is no line in the cartera.) July is not in the history.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.cohorts import cohort_table
from core.evolution import build_dashboard
from core.history import HistoryStore
from core.pipeline import compute_month
from tests.core import frames

D = Decimal
EDGES = [30, 60, 120]
NONE4 = [None, None, None, None]

DAYS = {
    "2025-03": {"11": 10, "12": 20, "14": 5, "15": 45},
    "2025-04": {"11": 40, "12": 50, "13": 70, "14": 35, "15": 75, "16": None,
                "17": 10},
    "2025-05": {"12": 80, "13": 50, "14": 15, "15": 10, "17": 35},
    "2025-06": {"12": 110, "13": 130, "14": None, "15": 40, "17": 65, "18": 40},
}


def _month(periodo: str):
    guia = frames.guia([
        {"cuenta": str(c), "estrato": "01", "comuna": "1"} for c in range(11, 19)
    ])
    lines = [
        {"cuenta": cuenta, "deuda": 10000, "dias": days}
        for cuenta, days in DAYS[periodo].items()
    ]
    return compute_month(guia, frames.cartera(lines), periodo=periodo)


@pytest.fixture(scope="module")
def months():
    return {periodo: _month(periodo) for periodo in DAYS}


@pytest.fixture(scope="module")
def table(months):
    return cohort_table(list(months), lambda p: months[p].cuentas, EDGES)


def test_cohort_columns(table):
    assert table.columnas == [
        "cohorte", "meses_despues", "nuevos_morosos", "porcentaje_curadas",
        "porcentaje_siguen_morosas", "porcentaje_empeoraron", "porcentaje_sin_dato",
    ]


def test_april_cohort_one_and_two_months_later(table):
    rows = [row for row in table.filas if row[0] == "2025-04"]
    assert rows == [
        # May: 11 paid and 14 back in 0-30 (cured); 13 is younger (stays);
        # 12 went from 31-60 to 61-120 (worse).
        ["2025-04", 1, 4, D("50.0"), D("25.0"), D("25.0"), D("0.0")],
        # June: 11 still gone; 12 and 13 older than they entered; 14 no días.
        ["2025-04", 2, 4, D("25.0"), D("0.0"), D("50.0"), D("25.0")],
        # July is not in the history yet.
        ["2025-04", 3, 4, *NONE4],
    ]


def test_a_cohort_of_one_and_months_without_data(table):
    rows = [row for row in table.filas if row[0] == "2025-05"]
    assert rows == [
        ["2025-05", 1, 1, D("0.0"), D("0.0"), D("100.0"), D("0.0")],  # 17
        ["2025-05", 2, 1, *NONE4],
        ["2025-05", 3, 1, *NONE4],
    ]


def test_a_moroso_cured_and_back_again_is_new_again(table):
    june = [row for row in table.filas if row[0] == "2025-06"]
    assert [row[:3] for row in june] == [
        ["2025-06", 1, 2], ["2025-06", 2, 2], ["2025-06", 3, 2],  # 15 and 18
    ]
    assert all(row[3:] == NONE4 for row in june)


def test_the_first_month_has_no_cohort(table):
    assert "2025-03" not in {row[0] for row in table.filas}


def test_shares_of_each_cell_add_up_to_one_hundred(table):
    for row in table.filas:
        if row[3] is not None:
            assert sum(row[3:]) == D("100.0")


def test_only_the_last_cohorts_are_followed(months):
    table = cohort_table(list(months), lambda p: months[p].cuentas, EDGES, most=1)
    assert {row[0] for row in table.filas} == {"2025-06"}


def test_a_gap_in_the_history_leaves_the_month_after_without_cohort(months):
    periods = ["2025-03", "2025-05", "2025-06"]  # April missing
    table = cohort_table(periods, lambda p: months[p].cuentas, EDGES)
    assert {row[0] for row in table.filas} == {"2025-06"}


def test_the_dashboard_follows_the_cohorts_up_to_its_month(months, tmp_path):
    with HistoryStore(tmp_path / "h.sqlite") as store:
        for month in months.values():
            store.add_month(month)
        table = build_dashboard(store, periodo="2025-05").tablas["cohortes_morosos"]
    # June is after the tablero's month: April's second month has no figure.
    assert table.filas == [
        ["2025-04", 1, 4, D("50.0"), D("25.0"), D("25.0"), D("0.0")],
        ["2025-04", 2, 4, *NONE4],
        ["2025-04", 3, 4, *NONE4],
        ["2025-05", 1, 1, *NONE4],
        ["2025-05", 2, 1, *NONE4],
        ["2025-05", 3, 1, *NONE4],
    ]
