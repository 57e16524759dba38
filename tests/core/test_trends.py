"""Trends and the headline comparison on months written by hand (stored shape)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.history import StoredMonth
from core.trends import (
    add_months,
    comparison_table,
    comuna_trend_tables,
    segment_trend_tables,
    variation_percent,
)

D = Decimal
LABELS = ["0-30", "31-60", "61-120", "121+"]


def _month(periodo, morosos_comuna, usuarios_comuna, segmentos=(), resumen=None):
    """A saved month with only the tables the trends read."""
    return StoredMonth(
        periodo=periodo, fecha_corte=None, guardado="",
        resumen=resumen or {},
        tablas={
            "morosos_por_comuna": {
                "columnas": ["comuna", "usuarios", "deuda", "porcentaje_deuda",
                             "tasa_morosidad"],
                "filas": [list(row) for row in morosos_comuna],
            },
            "usuarios_por_comuna": {
                "columnas": ["comuna", "usuarios", "porcentaje"],
                "filas": [[c, n, 0.0] for c, n in usuarios_comuna],
            },
            "segmentos_por_atraso": {
                "columnas": ["segmento", "usuarios", "deuda", "porcentaje_deuda"],
                "filas": [list(row) for row in segmentos],
            },
        },
        reglas={},
    )


@pytest.mark.parametrize(("periodo", "months", "expected"), [
    ("2025-07", -1, "2025-06"),
    ("2025-01", -1, "2024-12"),
    ("2025-07", -12, "2024-07"),
    ("2024-11", 3, "2025-02"),
])
def test_add_months(periodo, months, expected):
    assert add_months(periodo, months) == expected


@pytest.mark.parametrize(("now", "before", "expected"), [
    (401, 400, D("0.3")),  # 0,25 % rounds half up (half even would give 0,2)
    (399, 400, D("-0.3")),
    (D("1000.50"), D("1000.00"), D("0.1")),  # 0,05 %
    (5, 0, None),
    (None, 4, None),
])
def test_variation_percent_rounds_half_up(now, before, expected):
    assert variation_percent(now, before) == expected


def test_a_comuna_without_morosos_counts_zero_and_its_rate_needs_users():
    may = _month("2025-05", [("1", 2, 3000.5, 100.0, 20.0)],
                 [("1", 10), ("EL LLANITO", 4)])
    june = _month("2025-06", [("1", 1, 1000.0, 50.0, 10.0),
                              ("EL LLANITO", 1, 1000.0, 50.0, 25.0)],
                  [("1", 10), ("EL LLANITO", 4)])
    july = _month("2025-07", [("1", 3, 900.0, 100.0, 30.0)], [("1", 10)])
    morosos, deuda, tasa = comuna_trend_tables([may, june, july])

    assert morosos.columnas == ["periodo", "1", "EL LLANITO"]
    assert morosos.filas == [["2025-05", 2, 0], ["2025-06", 1, 1],
                             ["2025-07", 3, 0]]
    assert deuda.filas == [["2025-05", D("3000.50"), D("0.00")],
                           ["2025-06", D("1000.00"), D("1000.00")],
                           ["2025-07", D("900.00"), D("0.00")]]
    # EL LLANITO has users in May (rate 0) and none in July (no rate).
    assert tasa.filas == [["2025-05", D("20.0"), D("0.0")],
                          ["2025-06", D("10.0"), D("25.0")],
                          ["2025-07", D("30.0"), None]]
    assert [t.tipos for t in (morosos, deuda, tasa)] == [
        ["texto", "conteo", "conteo"], ["texto", "pesos", "pesos"],
        ["texto", "porcentaje", "porcentaje"],
    ]


def test_segments_of_other_rules_and_sin_dato_get_their_own_columns():
    june = _month("2025-06", [], [], segmentos=[
        ("0-30", 2, 100.0, 50.0), ("31-60", 1, 100.0, 50.0),
    ])
    july = _month("2025-07", [], [], segmentos=[
        ("0-45", 1, 10.0, 10.0), ("121+", 1, 80.0, 80.0),
        ("sin dato", 1, 10.0, 10.0),
    ])
    counts, debts = segment_trend_tables([june, july], LABELS)
    assert counts.columnas == ["periodo", *LABELS, "0-45", "sin dato"]
    assert counts.filas == [["2025-06", 2, 1, 0, 0, 0, 0],
                            ["2025-07", 0, 0, 0, 1, 1, 1]]
    assert debts.filas[1] == ["2025-07", D("0.00"), D("0.00"), D("0.00"),
                              D("80.00"), D("10.00"), D("10.00")]


def test_a_summary_without_morosos_compares_with_nulls():
    summary = {"usuarios_activos": 10, "usuarios_morosos": 0,
               "porcentaje_morosos": D("0.0"), "cartera_morosa": D("0"),
               "deuda_promedio": None, "cuentas_con_saldo": 0,
               "cartera_total": D("0"), "saldo_a_favor": D("0")}
    before = dict(summary, usuarios_morosos=2, porcentaje_morosos=D("20.0"),
                  cartera_morosa=D("500.5"), deuda_promedio=D("250.25"))
    table = comparison_table(_month("2025-07", [], [], resumen=summary),
                             _month("2025-06", [], [], resumen=before))
    rows = {row[0]: row[1:5] for row in table.filas}
    assert rows["Usuarios morosos"] == [0, 2, -2, D("-100.0")]
    assert rows["Cartera morosa"] == [D("0.00"), D("500.50"), D("-500.50"),
                                      D("-100.0")]
    assert rows["Deuda promedio por moroso"] == [None, D("250.25"), None, None]
    assert rows["Porcentaje de morosos"] == [D("0.0"), D("20.0"), D("-20.0"), None]
