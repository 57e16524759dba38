"""The rules of DESIGN.md section 3 on small months computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from core.pipeline import compute_month
from core.rules import months_from_days
from tests.core import frames

D = Decimal


def _guia():
    return frames.guia([
        {"cuenta": "1", "estrato": "01", "comuna": "1"},
        {"cuenta": "2", "estrato": "01", "comuna": "1"},
        {"cuenta": "3", "estrato": "02", "comuna": "2", "estado": "SUSPENDIDO"},
        {"cuenta": "4", "estrato": "10", "comuna": "2", "estado": "RETIRADO"},
        {"cuenta": "5", "estrato": "90", "comuna": "3"},
        {"cuenta": "1", "estrato": "01", "comuna": "1"},  # repeated row
        {"cuenta": "6", "estrato": "99", "comuna": "3"},  # not in the catalog
    ])


def _cartera():
    return frames.cartera([
        {"cuenta": "1", "deuda": 100000, "dias": 31},
        {"cuenta": "2", "deuda": 50000, "dias": 10},
        {"cuenta": "2", "deuda": 20000, "dias": 121},
        {"cuenta": "3", "deuda": 30000, "dias": 30},
        {"cuenta": "4", "deuda": 80000, "dias": 1831},  # inactive, still debt
        {"cuenta": "5", "deuda": 10000, "dias": 400},  # nets to zero
        {"cuenta": "5", "deuda": -10000, "dias": 400},
        {"cuenta": "6", "deuda": -5000, "dias": 0},  # saldo a favor
        {"cuenta": "B1", "deuda": 40000, "dias": 61, "estrato": "09",
         "comuna": "4", "uso": "13"},
        {"cuenta": "B2", "deuda": 25000, "estrato": "01", "comuna": "1"},
        {"cuenta": "B3", "deuda": 15000, "meses": 2, "estrato": "01",
         "comuna": "1"},
        {"cuenta": "B4", "deuda": 12000, "dias": 45, "meses": 3,
         "estrato": "02", "comuna": "2"},
        {"cuenta": "B5", "deuda": 9000, "facturas": 1, "estrato": "01",
         "comuna": "3"},
        {"cuenta": "B6", "deuda": 7000, "dias": -5, "estrato": "01",
         "comuna": "3"},
        {"cuenta": "B7", "deuda": 6000, "dias": 0, "estrato": "01",
         "comuna": "3"},
    ])


@pytest.fixture
def month():
    return compute_month(_guia(), _cartera(), periodo="2025-07")


def _rows(month, table_id):
    return {row[0]: row[1:] for row in month.tablas[table_id].filas}


def test_active_users_count_each_account_once_without_inactive(month):
    assert month.resumen.usuarios_activos == 5
    by_estrato = _rows(month, "usuarios_por_estrato")
    assert {k: v[1] for k, v in by_estrato.items()} == {
        "01": 2, "02": 1, "90": 1, "99": 1,
    }
    assert by_estrato["99"][0] == "sin descripción"


def test_uso_is_derived_from_estrato_when_missing(month):
    by_uso = _rows(month, "usuarios_por_uso")
    assert {k: v[1] for k, v in by_uso.items()} == {
        "01": 3, "08": 1, "sin código": 1,
    }


def test_morosos_and_cartera_morosa(month):
    s = month.resumen
    assert s.usuarios_morosos == 6
    assert s.cartera_morosa == D("317000.00")
    assert s.deuda_promedio == D("52833.33")
    assert s.cuentas_con_saldo == 11
    assert s.cartera_total == D("394000.00")
    assert s.saldo_a_favor == D("5000.00")


def test_morosos_by_estrato_with_largest_remainder_shares(month):
    rows = _rows(month, "morosos_por_estrato")
    assert rows == {
        "01": ["BAJO-BAJO", 3, D("185000.00"), D("58.4")],
        "02": ["BAJO", 1, D("12000.00"), D("3.8")],
        "09": ["TEMPORAL", 1, D("40000.00"), D("12.6")],
        "10": ["ALMACEN-LOCAL-TIENDA", 1, D("80000.00"), D("25.2")],
    }
    total = month.tablas["morosos_por_estrato"].total
    assert total[2:] == [6, D("317000.00"), D("100.0")]


def test_segments_cover_every_account_with_debt(month):
    rows = _rows(month, "segmentos_por_atraso")
    assert rows == {
        "0-30": [4, D("52000.00"), D("13.2")],
        "31-60": [2, D("112000.00"), D("28.4")],
        "61-120": [2, D("55000.00"), D("14.0")],
        "121+": [2, D("150000.00"), D("38.1")],
        "sin dato": [1, D("25000.00"), D("6.3")],
    }


def test_cartera_by_age_in_months(month):
    rows = _rows(month, "cartera_por_edades")
    assert rows == {
        "1-3": [4, D("167000.00"), D("52.7")],
        "4-60": [1, D("70000.00"), D("22.1")],
        "61+": [1, D("80000.00"), D("25.2")],
    }


def test_morosos_by_comuna_with_rate(month):
    rows = _rows(month, "morosos_por_comuna")
    assert rows["1"] == [3, D("185000.00"), D("58.4"), D("150.0")]
    assert rows["2"] == [2, D("92000.00"), D("29.0"), D("200.0")]
    assert rows["4"] == [1, D("40000.00"), D("12.6"), None]


def test_reconciliation_holds(month):
    assert all(check.cuadra for check in month.conciliacion)
    net = [c for c in month.conciliacion if "total neto" in c.descripcion]
    assert net[0].esperado == D("389000.00")


def test_quality_items(month):
    items = {item.codigo: item for item in month.calidad}
    assert items["duplicados_guia"].cantidad == 1
    assert items["cartera_sin_guia"].cantidad == 7
    assert items["cartera_sin_guia"].valor == D("114000.00")
    assert items["saldo_a_favor"].cantidad == 1
    assert items["saldo_a_favor"].valor == D("5000.00")
    assert items["sin_dias"].cantidad == 1
    assert items["sin_dias"].valor == D("25000.00")
    assert items["dias_meses_distintos"].cantidad == 1
    assert items["codigo_desconocido"].cantidad == 1


@pytest.mark.parametrize(
    ("days", "segment", "moroso", "months"),
    [
        (0, "0-30", False, 0),
        (-5, "0-30", False, 0),
        (1, "0-30", False, 0),
        (30, "0-30", False, 0),
        (31, "31-60", True, 1),
        (60, "31-60", True, 1),
        (61, "61-120", True, 2),
        (120, "61-120", True, 3),
        (121, "121+", True, 4),
        (1830, "121+", True, 60),
        (1831, "121+", True, 61),
        (None, "sin dato", False, None),
    ],
)
def test_days_at_the_edges(days, segment, moroso, months):
    result = compute_month(
        frames.guia([{"cuenta": "1", "estrato": "01", "comuna": "1"}]),
        frames.cartera([{"cuenta": "1", "deuda": 1000, "dias": days}]),
        periodo="2025-07",
    )
    account = result.cuentas.iloc[0]
    assert account["segmento"] == segment
    assert bool(account["moroso"]) is moroso
    if months is None:
        assert pd.isna(account["edad_meses"])
    else:
        assert account["edad_meses"] == months


def test_months_from_days_formula():
    days = pd.Series([1, 30, 31, 60, 61, 90, 91, 120, 121], dtype="Int64")
    assert list(months_from_days(days)) == [0, 0, 1, 1, 2, 2, 3, 3, 4]


def test_days_of_an_account_are_the_largest_among_positive_lines():
    result = compute_month(
        frames.guia([{"cuenta": "1", "estrato": "01", "comuna": "1"}]),
        frames.cartera([
            {"cuenta": "1", "deuda": 300, "dias": 20},
            {"cuenta": "1", "deuda": -100, "dias": 400},
        ]),
        periodo="2025-07",
    )
    account = result.cuentas.iloc[0]
    assert account["deuda"] == 20000
    assert account["dias"] == 20
    assert not account["moroso"]


def test_tipo_persona_from_document_type():
    result = compute_month(
        frames.guia([
            {"cuenta": "1", "estrato": "01", "comuna": "1", "tipo_documento": "CC"},
            {"cuenta": "2", "estrato": "10", "comuna": "1", "tipo_documento": "NIT"},
            {"cuenta": "3", "estrato": "10", "comuna": "1", "tipo_documento": "nit"},
        ]),
        frames.cartera([{"cuenta": "1", "deuda": 10, "dias": 1}]),
        periodo="2025-07",
    )
    rows = _rows(result, "usuarios_por_tipo_persona")
    assert rows == {"Jurídica": [2, D("66.7")], "Natural": [1, D("33.3")]}


def test_file_total_row_is_checked_against_the_net_of_the_lines():
    from core.model import FileTotal

    good = frames.cartera(
        [{"cuenta": "1", "deuda": 700, "dias": 40},
         {"cuenta": "2", "deuda": -200, "dias": 0}],
        totals=[FileTotal("TOTAL GENERAL", 10, valor=50000)],
    )
    result = compute_month(
        frames.guia([{"cuenta": "1", "estrato": "01", "comuna": "1"}]), good,
        periodo="2025-07",
    )
    check = [c for c in result.conciliacion if "TOTAL GENERAL" in c.descripcion]
    assert check[0].cuadra
    assert check[0].esperado == D("500.00")


def test_files_of_different_months_are_flagged():
    import datetime as dt

    guia = frames.guia([{"cuenta": "1", "estrato": "01", "comuna": "1"}],
                       periodo="2025-07")
    cartera = frames.cartera([{"cuenta": "1", "deuda": 10, "dias": 40}],
                             fecha_corte=dt.date(2025, 8, 31))
    result = compute_month(guia, cartera)
    items = {item.codigo: item for item in result.calidad}
    assert result.periodo == "2025-07"
    assert "2025-08" in items["periodos_distintos"].mensaje

    same = compute_month(
        frames.guia([{"cuenta": "1", "estrato": "01", "comuna": "1"}],
                    periodo="2025-07"),
        frames.cartera([{"cuenta": "1", "deuda": 10, "dias": 40}],
                       fecha_corte=dt.date(2025, 7, 31)),
    )
    assert "periodos_distintos" not in {item.codigo for item in same.calidad}
