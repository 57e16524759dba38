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
    comunas_con_mas_cartera,
    concentracion_de_la_deuda,
    conclusions,
    estratos_con_mas_cartera,
    estratos_con_mas_usuarios,
    indicadores_encuesta,
    morosidad_general,
    segmentos_criticos,
)
from core.model import ENCUESTA_FIELDS, LoadedFile, MonthResult
from core.pipeline import compute_month
from core.settings import load_settings
from core.survey import indicators_by, survey_file
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
