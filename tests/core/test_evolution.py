"""Month-to-month figures on two small months computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.evolution import build_dashboard, compare_months, dashboard_to_dict
from core.history import HistoryStore
from core.pipeline import compute_month
from tests.core import frames

D = Decimal
LABELS = ["0-30", "31-60", "61-120", "121+"]

# Eight accounts: 1, 2, 5 and 7 in comuna 1; 3, 4, 6 and 8 in comuna 2.
COMUNAS = {"1": "1", "2": "1", "3": "2", "4": "2", "5": "1", "6": "2", "7": "1",
           "8": "2"}


def _guia():
    return frames.guia([
        {"cuenta": c, "estrato": "01", "comuna": comuna}
        for c, comuna in COMUNAS.items()
    ])


def june():
    """0-30: 1, 7; 31-60: 2, 5; 61-120: 3; 121+: 4; 6 has a saldo a favor."""
    return compute_month(_guia(), frames.cartera([
        {"cuenta": "1", "deuda": 100000, "dias": 10},
        {"cuenta": "2", "deuda": 200000, "dias": 45},
        {"cuenta": "3", "deuda": 300000, "dias": 90},
        {"cuenta": "4", "deuda": 400000, "dias": 200},
        {"cuenta": "5", "deuda": 50000, "dias": 40},
        {"cuenta": "6", "deuda": -10000, "dias": 0},
        {"cuenta": "7", "deuda": 70000, "dias": 20},
    ]), periodo="2025-06")


def july():
    """3 left the cartera; 6 and 8 are new; 4 grew; 2 and 5 paid part."""
    return compute_month(_guia(), frames.cartera([
        {"cuenta": "1", "deuda": 120000, "dias": 40},
        {"cuenta": "2", "deuda": 50000, "dias": 75},
        {"cuenta": "4", "deuda": 450000, "dias": 230},
        {"cuenta": "5", "deuda": 30000, "dias": 10},
        {"cuenta": "6", "deuda": 60000, "dias": 5},
        {"cuenta": "7", "deuda": 70000, "dias": 50},
        {"cuenta": "8", "deuda": 80000, "dias": 35},
    ]), periodo="2025-07")


@pytest.fixture(scope="module")
def tables():
    return compare_months(june().cuentas, july().cuentas, LABELS)


def test_transition_matrix_in_accounts(tables):
    table = tables["transiciones"]
    assert table.columnas == ["desde", *LABELS, "sin saldo o retirado"]
    assert table.filas == [
        ["0-30", 0, 2, 0, 0, 0],
        ["31-60", 1, 0, 1, 0, 0],
        ["61-120", 0, 0, 0, 0, 1],
        ["121+", 0, 0, 0, 1, 0],
        ["nuevo", 1, 1, 0, 0, 0],
    ]
    assert table.total == ["TOTAL", 2, 3, 1, 1, 1]


def test_transition_matrix_in_pesos(tables):
    rows = {row[0]: row[1:] for row in tables["transiciones_deuda"].filas}
    assert rows["0-30"] == [0, D("170000"), 0, 0, 0]
    assert rows["31-60"] == [D("50000"), 0, D("200000"), 0, 0]
    assert rows["61-120"] == [0, 0, 0, 0, D("300000")]
    assert rows["121+"] == [0, 0, 0, D("400000"), 0]
    assert rows["nuevo"] == [D("60000"), D("80000"), 0, 0, 0]
    assert tables["transiciones_deuda"].total[1:] == [
        D("110000"), D("250000"), D("200000"), D("400000"), D("300000"),
    ]


def test_cured_stayed_and_worsened(tables):
    rows = {row[0]: row[1:] for row in tables["transiciones_resumen"].filas}
    assert rows == {
        "Mejoraron": [2, D("350000")],  # 5 to 0-30, 3 without a balance
        "Se mantuvieron": [1, D("400000")],  # 4
        "Empeoraron": [3, D("370000")],  # 1, 7 and 2
        "Nuevos": [2, D("140000")],  # 6 and 8, at this month's debt
    }
    assert tables["transiciones_resumen"].total == ["TOTAL", 8, D("1260000")]


def test_roll_rates(tables):
    assert tables["tasas_de_rodamiento"].filas == [
        ["0-30", "31-60", 2, 2, D("100.0")],
        ["31-60", "61-120", 2, 1, D("50.0")],
        ["61-120", "121+", 1, 0, D("0.0")],
    ]


def test_recovery_by_segment(tables):
    table = tables["recuperacion"]
    assert table.columnas == ["segmento", "morosos_mes_anterior",
                              "deuda_mes_anterior", "recuperado",
                              "porcentaje_recuperado"]
    assert table.filas == [
        # 2 paid 150.000, 5 paid 20.000
        ["31-60", 2, D("250000"), D("170000"), D("68.0")],
        ["61-120", 1, D("300000"), D("300000"), D("100.0")],  # left: paid in full
        ["121+", 1, D("400000"), D("0"), D("0.0")],  # grew: counts as zero
    ]
    assert table.total == ["TOTAL", 4, D("950000"), D("470000"), D("49.5")]


def test_recovery_by_comuna(tables):
    table = tables["recuperacion_por_comuna"]
    assert table.filas == [
        ["1", 2, D("250000"), D("170000"), D("68.0")],
        ["2", 2, D("700000"), D("300000"), D("42.9")],
    ]


def test_accounts_without_days_have_their_own_row_and_column():
    before = compute_month(_guia(), frames.cartera([
        {"cuenta": "1", "deuda": 1000},
    ]), periodo="2025-06")
    after = compute_month(_guia(), frames.cartera([
        {"cuenta": "1", "deuda": 1000, "dias": 40},
    ]), periodo="2025-07")
    tables = compare_months(before.cuentas, after.cuentas, LABELS)
    rows = {row[0]: row[1:] for row in tables["transiciones"].filas}
    assert rows["sin dato"] == [0, 1, 0, 0, 0, 0]
    movements = {row[0]: row[1] for row in tables["transiciones_resumen"].filas}
    assert movements["Sin dato de días"] == 1


def test_dashboard_compares_the_last_two_months_and_trends_all(tmp_path):
    with HistoryStore(tmp_path / "h.sqlite") as store:
        store.add_month(july())
        store.add_month(june())
        dashboard = build_dashboard(store)

    assert (dashboard.periodo, dashboard.periodo_anterior) == ("2025-07", "2025-06")
    assert dashboard.tablas["tendencia"].filas == [
        ["2025-06", 8, 4, D("950000.00"), D("50.0")],
        ["2025-07", 8, 5, D("770000.00"), D("62.5")],
    ]
    data = dashboard_to_dict(dashboard)
    assert data["tablas"]["transiciones"]["filas"][4] == ["nuevo", 1, 1, 0, 0, 0]
    assert data["tablas"]["recuperacion"]["total"] == [
        "TOTAL", 4, 950000.0, 470000.0, 49.5,
    ]


def test_dashboard_compares_any_two_months(tmp_path, tables):
    may = june()
    may.periodo = "2025-05"
    with HistoryStore(tmp_path / "h.sqlite") as store:
        for month in (may, july()):
            store.add_month(month)
        store.add_month(july(), replace=True)
        august = june()
        august.periodo = "2025-08"
        store.add_month(august)
        dashboard = build_dashboard(store, periodo="2025-07", anterior="2025-05")

    assert dashboard.periodo_anterior == "2025-05"
    assert dashboard.tablas["transiciones"].filas == tables["transiciones"].filas
    assert dashboard.tablas["recuperacion"].filas == tables["recuperacion"].filas
    assert [row[0] for row in dashboard.tablas["tendencia"].filas] == [
        "2025-05", "2025-07", "2025-08",
    ]
