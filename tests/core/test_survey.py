"""Survey answers, indicators and margins against hand computations."""

from __future__ import annotations

import math
from decimal import Decimal as D
from pathlib import Path

import pandas as pd

from core.model import LoadedFile
from core.settings import load_settings
from core.survey import (
    fold_answer, indicator_counts, indicators_table, margin_of_error, read_survey,
)


def _survey(columns: dict[str, list]) -> LoadedFile:
    frame = pd.DataFrame(columns)
    return LoadedFile(
        role="encuesta", path=Path("encuesta.xlsx"), sheet="Hoja", header_row=1,
        frame=frame, rows_read=len(frame),
        preguntas={c: f"{c[1:]}. Pregunta {c[1:]}?" for c in columns},
    )


def test_fold_answer_ignores_case_accents_and_spaces():
    assert fold_answer("  Muy   SATISFECHO ") == "muy satisfecho"
    assert fold_answer("Sí") == "si"
    assert fold_answer("") is None
    assert fold_answer(None) is None
    assert fold_answer(4.0) == "4"


def test_digits_are_positions_on_the_question_scale():
    loaded = _survey({"p1": ["5", "4", "Satisfecho ", "muy insatisfecho", "1", None]})
    survey = read_survey(loaded, load_settings(), population=1000)
    indicator = load_settings().indicadores[0]  # P1 two best answers
    assert indicator_counts(survey, indicator) == (5, 3)


def test_combined_indicator_counts_either_answer_among_complete_rows():
    loaded = _survey({
        "p6": ["No", "Sí", "Sí", "si", None, "No"],
        "p7": ["No, nunca", "No, nunca", "Sí, algunas veces", "Sí, frecuentemente",
               "No, nunca", None],
    })
    survey = read_survey(loaded, load_settings(), population=1000)
    indicator = load_settings().indicadores[3]
    assert indicator_counts(survey, indicator) == (4, 2)


def test_margin_of_error_with_finite_population_correction():
    # 1,96 * sqrt(0,9 * 0,1 / 390) * sqrt((67325 - 390) / 67324)
    expected = 1.96 * math.sqrt(0.09 / 390) * math.sqrt(66935 / 67324)
    assert math.isclose(margin_of_error(0.9, 390, 67325), expected)
    assert math.isclose(expected, 0.029686, abs_tol=1e-5)
    assert margin_of_error(0.5, 0, 100) is None


def test_indicators_table_shares_and_margins():
    answers = ["Muy satisfecho"] * 9 + ["Insatisfecho"]
    loaded = _survey({"p1": answers})
    survey = read_survey(loaded, load_settings(), population=100)
    table = indicators_table(survey, load_settings())
    row = table.filas[0]
    assert row[1:3] == [10, D("90.0")]
    # 1,96 * sqrt(0,09 / 10) * sqrt(90 / 99) = 0,17737 -> 17,7 points
    assert row[3] == D("17.7")
