"""Every sentence of the conclusions against figures computed by hand.

The small month: ten active users, five morosos, one survey of four answers.

    cuenta estrato comuna  deuda      días  segment  moroso
    1      01      1       800.000    400   121+     yes
    2      01      2       500.000     90   61-120   yes
    3      01      3       100.000     45   31-60    yes
    5      02      3       200.000    200   121+     yes
    7      03      4        50.000     10   0-30     no
    9      10      5       150.000     35   31-60    yes

Users per estrato: 01 four, 02 two, 03, 04, 10 and 90 one each.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from core.conclusions import (
    comparacion_anual,
    comparacion_mes_anterior,
    comunas_con_mas_cartera,
    concentracion_de_la_deuda,
    conclusions,
    estratos_con_mas_cartera,
    estratos_con_mas_usuarios,
    evolucion_cohortes,
    evolucion_movimientos,
    evolucion_recuperacion,
    evolucion_rodamiento,
    indicadores_encuesta,
    morosidad_general,
    segmentos_criticos,
)
from core.evolution import Dashboard, build_dashboard
from core.history import HistoryStore, StoredMonth
from core.model import ENCUESTA_FIELDS, LoadedFile, MonthResult
from core.pipeline import compute_month
from core.settings import load_settings
from core.survey import indicators_by, survey_file
from core.trends import comparison_table
from tests.core import frames

D = Decimal

GUIA = [
    ("1", "01", "1"), ("2", "01", "2"), ("3", "01", "3"), ("4", "01", "1"),
    ("5", "02", "3"), ("6", "02", "4"), ("7", "03", "4"), ("8", "04", "5"),
    ("9", "10", "5"), ("10", "90", "6"),
]
CARTERA = [
    ("1", 800_000, 400), ("2", 500_000, 90), ("3", 100_000, 45),
    ("5", 200_000, 200), ("7", 50_000, 10), ("9", 150_000, 35),
]
# Question 1, satisfaction: 5 and 4 are the two best answers.
SURVEY = [("1", "01", "5"), ("1", "01", "4"), ("2", "02", "2"),
          ("2", "10", "Muy satisfecho")]


def _encuesta() -> LoadedFile:
    records = [
        {"comuna": c, "estrato": e, "p1": answer} for c, e, answer in SURVEY
    ]
    frame = pd.DataFrame(records, columns=[*ENCUESTA_FIELDS, "p1"]).astype("string")
    frame["fila"] = range(2, 2 + len(frame))
    return LoadedFile(
        role="encuesta", path=Path("encuesta.xlsx"), sheet="Hoja", header_row=1,
        frame=frame, rows_read=len(frame),
        preguntas={"p1": "1. ¿Qué tan satisfecho está con el servicio?"},
    )


@pytest.fixture(scope="module")
def month() -> MonthResult:
    guia = frames.guia([
        {"cuenta": c, "estrato": e, "comuna": k} for c, e, k in GUIA
    ])
    cartera = frames.cartera([
        {"cuenta": c, "deuda": d, "dias": days} for c, d, days in CARTERA
    ])
    return compute_month(guia, cartera, _encuesta(), periodo="2025-07")


def test_general_morosidad(month: MonthResult) -> None:
    conclusion = morosidad_general(month)

    assert conclusion is not None
    assert conclusion.cifras["morosos"] == 5
    assert conclusion.cifras["porcentaje"] == D("50.0")
    assert conclusion.texto == (
        "5 de los 10 usuarios activos (50,0 %) están en mora, con una cartera "
        "morosa de $ 1.750.000 y una deuda promedio de $ 350.000 por usuario "
        "moroso."
    )


def test_fewest_estratos_with_more_than_half_of_the_users(month: MonthResult) -> None:
    # 01 alone has 4 of 10 (not more than half); 01 and 02 have 6.
    conclusion = estratos_con_mas_usuarios(month)

    assert conclusion is not None
    assert conclusion.cifras["codigos"] == ["01", "02"]
    assert conclusion.cifras["usuarios"] == 6
    assert conclusion.texto == (
        "Los estratos 01 y 02 reúnen 6 de los 10 usuarios activos (60,0 %)."
    )


def test_estrato_with_most_of_the_cartera_morosa(month: MonthResult) -> None:
    # 01: 800.000 + 500.000 + 100.000 = 1.400.000 of 1.750.000 = 80 %.
    conclusion = estratos_con_mas_cartera(month)

    assert conclusion is not None
    assert conclusion.cifras["deuda"] == D("1400000.00")
    assert conclusion.texto == (
        "El estrato 01 concentra el 80,0 % de la cartera morosa: $ 1.400.000 de "
        "$ 1.750.000."
    )


def test_fewest_comunas_with_more_than_half_of_the_cartera(
    month: MonthResult,
) -> None:
    # Comuna 1 owes 800.000 (45,7 %); with comuna 2 (500.000), 1.300.000:
    # 1.300.000 / 1.750.000 = 74,2857... %.
    conclusion = comunas_con_mas_cartera(month)

    assert conclusion is not None
    assert conclusion.cifras["codigos"] == ["1", "2"]
    assert conclusion.texto == (
        "Las comunas 1 y 2 concentran el 74,3 % de la cartera morosa: "
        "$ 1.300.000 de $ 1.750.000."
    )


def test_concentration_of_the_debt(month: MonthResult) -> None:
    # 1 % and 10 % of 5 morosos round up to one account: 800.000 / 1.750.000.
    conclusion = concentracion_de_la_deuda(month)

    assert conclusion is not None
    assert conclusion.cifras["top_1"] == {"cuentas": 1, "porcentaje": D("45.7")}
    assert conclusion.cifras["top_10"] == {"cuentas": 1, "porcentaje": D("45.7")}
    assert conclusion.texto == (
        "La deuda está concentrada: el moroso de mayor deuda (el 1 %) debe el "
        "45,7 % de la cartera morosa, y el moroso de mayor deuda (el 10 %), el "
        "45,7 %."
    )


def test_concentration_counts_one_percent_of_many_morosos() -> None:
    # 250 morosos owing 1..250 pesos: the top 3 (ceil 2,5) owe 250+249+248;
    # the top 25 owe 250+...+226. The whole is 250·251/2 = 31.375.
    guia = frames.guia([{"cuenta": str(i), "estrato": "01", "comuna": "1"}
                        for i in range(1, 251)])
    cartera = frames.cartera([{"cuenta": str(i), "deuda": i, "dias": 60}
                              for i in range(1, 251)])
    month = compute_month(guia, cartera, periodo="2025-07")

    conclusion = concentracion_de_la_deuda(month)

    assert conclusion is not None
    assert conclusion.cifras["top_1"]["cuentas"] == 3
    assert conclusion.cifras["top_10"]["cuentas"] == 25
    assert "(el 1 %) deben el 2,4 %" in conclusion.texto  # 747 / 31.375 = 2,38
    assert "(el 10 %), el 19,0 %" in conclusion.texto  # 5.950 / 31.375 = 18,96


def test_share_of_the_debt_in_the_last_segments(month: MonthResult) -> None:
    # 61-120: 500.000; 121+: 800.000 + 200.000; all with debt: 1.800.000.
    conclusion = segmentos_criticos(month)

    assert conclusion is not None
    assert conclusion.cifras["segmentos"] == ["61-120", "121+"]
    assert conclusion.texto == (
        "Los segmentos de 61-120 y 121+ días de atraso reúnen el 83,3 % de la "
        "deuda de las cuentas con saldo ($ 1.500.000 de $ 1.800.000)."
    )


def test_survey_indicator_with_its_margin(month: MonthResult) -> None:
    # 3 of 4 satisfied; margin 1,96·√(0,75·0,25/4)·√((10−4)/(10−1)).
    margin = 1.96 * math.sqrt(0.75 * 0.25 / 4) * math.sqrt(6 / 9)
    assert f"{margin * 100:.1f}" == "34.6"

    conclusion = indicadores_encuesta(month)

    assert conclusion is not None
    assert conclusion.texto == (
        "En la encuesta de percepción: satisfacción general, 75,0 % "
        "(± 34,6 puntos; n = 4)."
    )


def test_indicators_by_comuna_have_their_own_margin(month: MonthResult) -> None:
    # Comuna 1: both satisfied. Comuna 2: one of two, 1,96·√(0,25/2) = 69,3.
    loaded = survey_file(month.fuentes)
    assert loaded is not None

    table = indicators_by(loaded, load_settings(), 10, "comuna")

    assert table is not None
    rows = {(r[0], r[1]): r[2:] for r in table.filas}
    assert rows[("1", "Satisfacción general")] == [2, D("100.0"), D("0.0")]
    assert rows[("2", "Satisfacción general")] == [2, D("50.0"), D("69.3")]


def test_every_conclusion_in_reading_order(month: MonthResult) -> None:
    ids = [c.id for c in conclusions(month)]

    assert ids == [
        "morosidad_general",
        "estratos_usuarios",
        "estratos_cartera",
        "comunas_cartera",
        "concentracion_deuda",
        "segmentos_criticos",
        "indicadores_encuesta",
    ]


def test_missing_figures_leave_their_conclusion_out(month: MonthResult) -> None:
    bare = MonthResult(
        periodo=month.periodo, fecha_corte=None, fuentes=[], resumen=month.resumen,
        tablas={}, calidad=[], conciliacion=[], cuentas=pd.DataFrame(), reglas={},
    )

    assert [c.id for c in conclusions(bare)] == ["morosidad_general"]


# --- against earlier months: the tablero of the small months of test_evolution


@pytest.fixture(scope="module")
def tablero(tmp_path_factory):
    from tests.core.test_evolution import july, june, year_before

    path = tmp_path_factory.mktemp("conclusiones") / "h.sqlite"
    with HistoryStore(path) as store:
        for saved in (year_before(), june(), july()):
            store.add_month(saved)
        return build_dashboard(store)


def test_comparison_with_the_month_before(tablero) -> None:
    # Morosos 4 -> 5 (+25 %); cartera morosa 950.000 -> 770.000 (-18,947 %).
    found = comparacion_mes_anterior(tablero)
    assert found.texto == (
        "Frente a junio de 2025, los morosos aumentaron en 1 (25,0 %) y la cartera "
        "morosa disminuyó en $ 180.000 (18,9 %); el porcentaje de morosos pasó de "
        "50,0 % a 62,5 %."
    )
    assert found.cifras["variacion_cartera"] == D("-180000.00")
    assert found.cifras["variacion_morosos_porcentual"] == D("25.0")


def test_comparison_with_a_year_before(tablero) -> None:
    # Morosos 2 -> 5 (+150 %); cartera morosa 200.000 -> 770.000 (+285 %).
    assert comparacion_anual(tablero).texto == (
        "Frente a julio de 2024, los morosos aumentaron en 3 (150,0 %) y la cartera "
        "morosa aumentó en $ 570.000 (285,0 %); el porcentaje de morosos pasó de "
        "25,0 % a 62,5 %."
    )


def _tablero_of(now: dict, before: dict) -> Dashboard:
    months = [StoredMonth(p, None, "", r, {}, {})
              for p, r in (("2025-07", now), ("2025-06", before))]
    table = comparison_table(*months)
    return Dashboard("2025-07", "2025-06", {table.id: table})


def test_unchanged_figures_and_a_month_without_morosos_before() -> None:
    now = {"usuarios_morosos": 4, "cartera_morosa": D("1000.4"),
           "porcentaje_morosos": D("40.0")}
    same = dict(now, cartera_morosa=D("1000.00"))
    assert comparacion_mes_anterior(_tablero_of(now, same)).texto == (
        "Frente a junio de 2025, los morosos se mantuvieron en 4 y la cartera "
        "morosa se mantuvo en $ 1.000; el porcentaje de morosos pasó de 40,0 % a "
        "40,0 %."
    )
    none_before = {"usuarios_morosos": 0, "cartera_morosa": D("0"),
                   "porcentaje_morosos": D("0.0")}
    assert comparacion_mes_anterior(_tablero_of(now, none_before)).texto == (
        "Frente a junio de 2025, los morosos aumentaron en 4 y la cartera morosa "
        "aumentó en $ 1.000; el porcentaje de morosos pasó de 0,0 % a 40,0 %."
    )


def test_the_comparison_follows_the_general_morosidad(month, tablero) -> None:
    found = conclusions(month, tablero)
    assert [c.id for c in found[:3]] == [
        "morosidad_general", "comparacion_mes", "comparacion_anual",
    ]
    assert len(found) == len(conclusions(month)) + 2


def test_movements_roll_rates_and_recovery_sentences(tablero) -> None:
    assert evolucion_movimientos(tablero).texto == (
        "De las 8 cuentas con saldo en junio de 2025 o en julio de 2025, 2 "
        "mejoraron, 1 se mantuvo en su segmento, 3 empeoraron y 2 son nuevas."
    )
    assert evolucion_rodamiento(tablero).texto == (
        "Entre junio de 2025 y julio de 2025, de 0-30 a 31-60 días pasó el "
        "100,0 % (2 de 2), de 31-60 a 61-120 días pasó el 50,0 % (1 de 2) y de "
        "61-120 a 121+ días pasó el 0,0 % (0 de 1)."
    )
    assert evolucion_recuperacion(tablero).texto == (
        "Los 4 morosos de junio de 2025 redujeron su deuda en $ 470.000, el 49,5 % "
        "de los $ 950.000 que debían."
    )
    assert evolucion_cohortes(tablero) is None  # no cohort has a month after


def test_the_cohort_sentence_follows_the_latest_cohort(tmp_path) -> None:
    from tests.core.test_cohorts import _month

    with HistoryStore(tmp_path / "h.sqlite") as store:
        for periodo in ("2025-03", "2025-04", "2025-05"):
            store.add_month(_month(periodo))
        found = evolucion_cohortes(build_dashboard(store))
    # April's 4 new morosos in May: 11 and 14 cured, 13 stays, 12 worse.
    assert found.texto == (
        "Un mes después, de los 4 nuevos morosos de abril de 2025 el 50,0 % ya no "
        "estaba en mora, el 25,0 % seguía en mora en su segmento o uno más joven y "
        "el 25,0 % había pasado a un segmento más viejo."
    )
