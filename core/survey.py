"""The perception survey: normalized answers, distributions and indicators."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from core.formatting import largest_remainder, round_half_up
from core.model import LoadedFile, Table
from core.settings import Indicator, Settings

Z_95 = 1.96


def fold_answer(value: object) -> str | None:
    """Normalize an answer for comparison: case, accents and spaces."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NA:
        return None
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = " ".join(plain.casefold().split())
    return folded or None


def margin_of_error(p: float, n: int, population: int) -> float | None:
    """Return the 95 % margin of error of a share, with finite-population correction.

    Shares and the result are fractions (0.9, not 90). None without answers.
    """
    if n <= 0:
        return None
    fpc = 1.0
    if population > 1 and population >= n:
        fpc = math.sqrt((population - n) / (population - 1))
    return Z_95 * math.sqrt(p * (1 - p) / n) * fpc


@dataclass
class SurveyResult:
    answers: pd.DataFrame  # one column per question (p1, p2...), folded labels
    labels: dict[str, dict[str, str]]  # question -> folded -> display label
    scaled: set[str]  # questions answered on a scale (shown best first)
    questions: dict[str, str]  # p1 -> header text
    respondents: int
    population: int

    def overall_margin(self) -> float | None:
        return margin_of_error(0.5, self.respondents, self.population)


def _normalize_question(
    raw: pd.Series, scale: list[str] | None
) -> tuple[pd.Series, dict[str, str]]:
    folded = raw.map(fold_answer)
    labels: dict[str, str] = {}
    if scale:
        for position, label in enumerate(scale, start=1):
            key = fold_answer(label)
            assert key is not None
            labels[key] = label
            folded = folded.replace(str(position), key)
    for original, key in zip(raw, folded, strict=True):
        if key is not None and key not in labels:
            labels[key] = " ".join(str(original).split())
    return folded, labels


def read_survey(loaded: LoadedFile, settings: Settings, population: int) -> SurveyResult:
    """Normalize every question column of the loaded survey."""
    scales = settings.escalas
    scale_of = settings.escala_de_pregunta
    answers = {}
    labels = {}
    scaled = set()
    for column in loaded.preguntas:
        number = column.removeprefix("p")
        scale = scales.get(scale_of.get(number, ""))
        answers[column], labels[column] = _normalize_question(
            loaded.frame[column], scale
        )
        if scale:
            scaled.add(column)
    frame = pd.DataFrame(answers, index=loaded.frame.index)
    return SurveyResult(
        answers=frame,
        labels=labels,
        scaled=scaled,
        questions=dict(loaded.preguntas),
        respondents=len(frame),
        population=population,
    )


def indicator_counts(survey: SurveyResult, indicator: Indicator) -> tuple[int, int]:
    """Return (valid answers, answers counted) for one indicator."""
    columns = [f"p{q}" for q in indicator.preguntas]
    if any(c not in survey.answers for c in columns):
        return 0, 0
    data = survey.answers[columns]
    valid = data.notna().all(axis=1)
    hit = pd.Series(False, index=data.index)
    for column, accepted in zip(columns, indicator.respuestas, strict=True):
        wanted = {fold_answer(a) for a in accepted}
        hit |= data[column].isin(wanted)
    return int(valid.sum()), int((hit & valid).sum())


def indicators_table(survey: SurveyResult, settings: Settings) -> Table:
    rows = []
    for indicator in settings.indicadores:
        n, hits = indicator_counts(survey, indicator)
        pct = margin = None
        if n:
            p = hits / n
            pct = round_half_up(Decimal(hits) * 100 / n, 1)
            moe = margin_of_error(p, n, survey.population)
            margin = None if moe is None else round_half_up(moe * 100, 1)
        rows.append([indicator.nombre, n, pct, margin])
    overall = survey.overall_margin()
    note = f"Encuestas: {survey.respondents}."
    if overall is not None:
        shown = str(round_half_up(overall * 100, 1)).replace(".", ",")
        note += f" Margen de error general (95 %, p = 0,5): {shown} puntos."
    return Table(
        id="encuesta",
        titulo="Indicadores de la encuesta de percepción",
        columnas=["indicador", "respuestas", "porcentaje", "margen_error"],
        tipos=["texto", "conteo", "porcentaje", "decimal"],
        filas=rows,
        nota=note + " Margen de error en puntos porcentuales, al 95 % de confianza.",
    )


def distribution_table(survey: SurveyResult) -> Table:
    rows = []
    for column, header in survey.questions.items():
        counts = survey.answers[column].value_counts()
        keys = list(counts.index)
        if column in survey.scaled:  # the scale's own order, best answer first
            order = list(survey.labels[column])
            keys.sort(key=lambda k: -order.index(k) if k in order else 1)
        shares = largest_remainder([int(counts[k]) for k in keys])
        question = header if len(header) <= 60 else header[:57] + "..."
        for key, pct in zip(keys, shares, strict=True):
            label = survey.labels[column].get(key, key)
            rows.append([question, label, int(counts[key]), pct])
    return Table(
        id="encuesta_distribucion",
        titulo="Distribución de respuestas por pregunta",
        columnas=["pregunta", "respuesta", "respuestas", "porcentaje"],
        tipos=["texto", "texto", "conteo", "porcentaje"],
        filas=rows,
        nota="Porcentajes sobre las respuestas válidas de cada pregunta.",
    )


CROSS_FIELDS = {"comuna": "Comuna", "estrato": "Estrato"}
NO_GROUP = "sin dato"


def survey_file(files: list[LoadedFile]) -> LoadedFile | None:
    """Return the loaded survey among a month's files, if there is one."""
    return next((f for f in files if f.role == "encuesta"), None)


def indicators_by(
    loaded: LoadedFile, settings: Settings, population: int, field: str
) -> Table | None:
    """Return the indicators by comuna or estrato, or None without that column.

    Each group's margin of error has no finite-population correction (the
    group's own number of users is not known here), so it errs on the safe
    side.
    """
    frame = loaded.frame
    if field not in frame or frame[field].isna().all():
        return None
    survey = read_survey(loaded, settings, population)
    keys = frame[field].astype("string").str.strip().fillna(NO_GROUP)

    rows = []
    for key in sorted(keys.unique(), key=_group_order):
        group = _subset(survey, keys == key)
        for indicator in settings.indicadores:
            n, hits = indicator_counts(group, indicator)
            rows.append([str(key), indicator.nombre, n, *_share_and_margin(n, hits)])

    return Table(
        id=f"encuesta_por_{field}",
        titulo=f"Indicadores de la encuesta por {field}",
        columnas=[field, "indicador", "respuestas", "porcentaje", "margen_error"],
        tipos=["texto", "texto", "conteo", "porcentaje", "decimal"],
        filas=rows,
        nota=(
            f"{CROSS_FIELDS.get(field, field)} declarada por quien responde. Margen "
            "de error en puntos porcentuales, al 95 %, sin corrección por "
            "población finita."
        ),
    )


def _group_order(key: str) -> tuple[int, float, str]:
    return (0, float(key), key) if key.isdigit() else (1, 0.0, key)


def _subset(survey: SurveyResult, mask: pd.Series) -> SurveyResult:
    answers = survey.answers[mask.to_numpy()]
    return SurveyResult(
        answers=answers,
        labels=survey.labels,
        scaled=survey.scaled,
        questions=survey.questions,
        respondents=len(answers),
        population=0,
    )


def _share_and_margin(n: int, hits: int) -> tuple[Decimal | None, Decimal | None]:
    if not n:
        return None, None
    pct = round_half_up(Decimal(hits) * 100 / n, 1)
    moe = margin_of_error(hits / n, n, 0)
    return pct, None if moe is None else round_half_up(moe * 100, 1)
