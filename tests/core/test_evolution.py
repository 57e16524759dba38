"""Month-to-month figures on two small months computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import HistoryError
from core.evolution import (
    build_dashboard,
    column_titles,
    compare_months,
    dashboard_to_dict,
)
from core.history import HistoryStore
from core.model import Table
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


def test_accounts_without_days_stay_out_of_the_matrix_and_are_listed():
    before = compute_month(_guia(), frames.cartera([
        {"cuenta": "1", "deuda": 1000},  # no días: «sin dato»
        {"cuenta": "2", "deuda": 2000, "dias": 10},
    ]), periodo="2025-06")
    after = compute_month(_guia(), frames.cartera([
        {"cuenta": "1", "deuda": 1000, "dias": 40},
        {"cuenta": "2", "deuda": 2500},  # no días now
        {"cuenta": "3", "deuda": 3000},  # new, without días
    ]), periodo="2025-07")
    tables = compare_months(before.cuentas, after.cuentas, LABELS)

    matrix = tables["transiciones"]
    assert matrix.columnas == ["desde", *LABELS, "sin saldo o retirado"]
    assert [row[0] for row in matrix.filas] == [*LABELS, "nuevo"]
    assert all(sum(row[1:]) == 0 for row in matrix.filas)
    assert "3 cuentas sin días de mora" in matrix.nota
    assert tables["transiciones_deuda"].columnas == matrix.columnas

    assert tables["transiciones_sin_dato"].filas == [
        ["0-30", "sin dato", 1, D("2000")],
        ["sin dato", "31-60", 1, D("1000")],
        ["nuevo", "sin dato", 1, D("3000")],
    ]
    assert tables["transiciones_sin_dato"].total == ["TOTAL", "", 3, D("6000")]
    movements = {row[0]: row[1] for row in tables["transiciones_resumen"].filas}
    assert movements["Sin dato de días"] == 2


def test_the_matrix_has_no_sin_dato_table_when_every_account_has_days(tables):
    assert "transiciones_sin_dato" not in tables


def test_both_months_are_placed_with_the_segments_of_this_month():
    """June saved under other edges: its accounts are placed again from días."""
    june_month = june()
    june_month.cuentas = june_month.cuentas.assign(segmento="0-45")
    tables = compare_months(june_month.cuentas, july().cuentas, LABELS)
    assert tables["transiciones"].filas[0] == ["0-30", 0, 2, 0, 0, 0]
    assert tables["transiciones"].columnas[1:5] == LABELS


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
    # A month's tablero reads the same after later months are saved.
    assert [row[0] for row in dashboard.tablas["tendencia"].filas] == [
        "2025-05", "2025-07",
    ]
    assert dashboard.periodos == ["2025-05", "2025-07"]


# --- the whole tablero ----------------------------------------------------------


def year_before():
    """July 2024: 1 (comuna 1) and 3 (comuna 2) morosos, 100.000 each."""
    return compute_month(_guia(), frames.cartera([
        {"cuenta": "1", "deuda": 100000, "dias": 100},
        {"cuenta": "3", "deuda": 100000, "dias": 35},
    ]), periodo="2024-07")


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    path = tmp_path_factory.mktemp("tablero") / "h.sqlite"
    with HistoryStore(path) as store:
        for month in (year_before(), june(), july()):
            store.add_month(month)
        return build_dashboard(store)


def test_the_tablero_holds_every_table_in_reading_order(dashboard):
    assert list(dashboard.tablas) == [
        "comparacion_mensual", "tendencia", "tendencia_segmentos",
        "tendencia_segmentos_deuda", "tendencia_comunas", "tendencia_comunas_deuda",
        "tendencia_comunas_tasa", "transiciones", "transiciones_deuda",
        "transiciones_resumen", "tasas_de_rodamiento", "recuperacion",
        "recuperacion_por_comuna", "cohortes_morosos",
    ]
    assert dashboard.periodo_hace_un_anio == "2024-07"
    assert dashboard.periodos == ["2024-07", "2025-06", "2025-07"]
    for table in dashboard.tablas.values():
        assert all(len(row) == len(table.columnas) for row in table.filas)


def test_headline_figures_against_last_month_and_a_year_before(dashboard):
    table = dashboard.tablas["comparacion_mensual"]
    assert table.columnas == [
        "indicador", "este_mes", "mes_anterior", "variacion",
        "variacion_porcentual", "hace_un_anio", "variacion_anual",
        "variacion_anual_porcentual",
    ]
    assert table.titulo == ("Cifras principales de julio de 2025 frente a junio "
                            "de 2025 y a julio de 2024")
    # July: morosos 1, 2, 4, 7, 8 (770.000); June: 2, 3, 4, 5 (950.000);
    # July 2024: 1 and 3 (200.000). Eight active users every month.
    assert table.filas == [
        ["Usuarios activos", 8, 8, 0, D("0.0"), 8, 0, D("0.0")],
        ["Usuarios morosos", 5, 4, 1, D("25.0"), 2, 3, D("150.0")],
        ["Porcentaje de morosos", D("62.5"), D("50.0"), D("12.5"), None,
         D("25.0"), D("37.5"), None],
        # -180.000 / 950.000 = -18,947 %
        ["Cartera morosa", D("770000.00"), D("950000.00"), D("-180000.00"),
         D("-18.9"), D("200000.00"), D("570000.00"), D("285.0")],
        # 154.000 against 237.500: -35,157 %
        ["Deuda promedio por moroso", D("154000.00"), D("237500.00"),
         D("-83500.00"), D("-35.2"), D("100000.00"), D("54000.00"), D("54.0")],
        ["Cuentas con saldo", 7, 6, 1, D("16.7"), 2, 5, D("250.0")],
        # 860.000 against 1.120.000 (the saldo a favor is not debt)
        ["Cartera total", D("860000.00"), D("1120000.00"), D("-260000.00"),
         D("-23.2"), D("200000.00"), D("660000.00"), D("330.0")],
    ]


def test_each_headline_row_says_how_its_cells_read(dashboard):
    table = dashboard.tablas["comparacion_mensual"]
    assert table.tipo(0, 1) == "conteo"
    assert table.tipo(3, 1) == "pesos" and table.tipo(3, 3) == "pesos"
    assert table.tipo(2, 1) == "porcentaje"
    assert table.tipo(2, 3) == "decimal"  # points, not percent
    assert all(table.tipo(row, 4) == "porcentaje" for row in range(7))


def test_without_the_year_before_its_columns_are_null(tmp_path):
    with HistoryStore(tmp_path / "h.sqlite") as store:
        store.add_month(june())
        store.add_month(july())
        table = build_dashboard(store).tablas["comparacion_mensual"]
    assert all(row[5:] == [None, None, None] for row in table.filas)
    assert "no tiene el mismo mes del año anterior" in table.nota


def test_trend_by_segment_counts_and_debts(dashboard):
    # June: 0-30 accounts 1, 7; 31-60 2, 5; 61-120 3; 121+ 4.
    # July: 0-30 5, 6; 31-60 1, 7, 8; 61-120 2; 121+ 4.
    counts = dashboard.tablas["tendencia_segmentos"]
    assert counts.columnas == ["periodo", *LABELS]
    assert counts.filas == [
        ["2024-07", 0, 1, 1, 0],
        ["2025-06", 2, 2, 1, 1],
        ["2025-07", 2, 3, 1, 1],
    ]
    debts = dashboard.tablas["tendencia_segmentos_deuda"].filas
    assert debts[1:] == [
        ["2025-06", D("170000"), D("250000"), D("300000"), D("400000")],
        ["2025-07", D("90000"), D("270000"), D("50000"), D("450000")],
    ]


def test_trend_by_comuna_morosos_debt_and_rate(dashboard):
    # Four active users in each comuna.
    assert dashboard.tablas["tendencia_comunas"].filas == [
        ["2024-07", 1, 1], ["2025-06", 2, 2], ["2025-07", 3, 2],
    ]
    assert dashboard.tablas["tendencia_comunas_deuda"].filas[1:] == [
        ["2025-06", D("250000"), D("700000")],
        ["2025-07", D("240000"), D("530000")],
    ]
    assert dashboard.tablas["tendencia_comunas_tasa"].filas == [
        ["2024-07", D("25.0"), D("25.0")],
        ["2025-06", D("50.0"), D("50.0")],
        ["2025-07", D("75.0"), D("50.0")],
    ]
    assert dashboard.tablas["tendencia_comunas"].columnas == ["periodo", "1", "2"]


def test_a_month_in_memory_stands_in_for_its_period(tmp_path, dashboard):
    path = tmp_path / "h.sqlite"
    with HistoryStore(path) as store:
        store.add_month(year_before())
        store.add_month(june())
    before = path.read_bytes()

    with HistoryStore(path, read_only=True) as store:
        in_memory = build_dashboard(store, actual=july())

    assert path.read_bytes() == before
    assert in_memory.periodo == "2025-07"
    assert in_memory.periodo_anterior == "2025-06"
    for key, table in dashboard.tablas.items():
        assert in_memory.tablas[key].filas == table.filas, key


def test_a_month_not_in_the_history_is_refused(tmp_path):
    with HistoryStore(tmp_path / "h.sqlite") as store:
        store.add_month(june())
        store.add_month(july())
        with pytest.raises(HistoryError, match="no tiene mayo de 2025"):
            build_dashboard(store, periodo="2025-05")
        with pytest.raises(HistoryError, match="no tiene abril de 2025"):
            build_dashboard(store, anterior="2025-04")
        with pytest.raises(ValueError, match="no es anterior"):
            build_dashboard(store, periodo="2025-06", anterior="2025-07")


def test_column_titles_are_spanish():
    table = compare_months(june().cuentas, july().cuentas, LABELS)["recuperacion"]
    assert list(column_titles(table).values()) == [
        "Segmento (días)", "Morosos del mes anterior", "Deuda del mes anterior",
        "Recuperado", "% recuperado",
    ]
    comunas = Table("tendencia_comunas", "", ["periodo", "1", "EL LLANITO"],
                    ["texto", "conteo", "conteo"], [])
    assert column_titles(comunas) == {"periodo": "Periodo", "1": "Comuna 1",
                                      "EL LLANITO": "EL LLANITO"}
