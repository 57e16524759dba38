"""The report's conclusions, written from the month's figures.

Each function reads a `MonthResult` and returns one `Conclusion`: a Spanish
sentence and the numbers it states, so that tests can check every sentence
against figures computed by hand. A conclusion whose figures are missing
(no survey, no accounts) is left out, never guessed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.formatting import fmt_decimal, fmt_int, fmt_pct, fmt_pesos
from core.model import MonthResult
from core.model import Table as ResultTable
from core.rules import segment_labels
from core.tables import rate

logger = logging.getLogger(__name__)

TOP_SHARES = (1, 10)  # the concentration of the debt: top 1 % and 10 %
CRITICAL_SEGMENTS = 2  # the last segments of atraso: 61-120 and 121+ días


@dataclass(frozen=True)
class Conclusion:
    """One sentence of the conclusions and the figures it states."""

    id: str
    texto: str
    cifras: dict[str, Any] = field(default_factory=dict)


def conclusions(result: MonthResult) -> list[Conclusion]:
    """Return every conclusion the month's figures support, in reading order."""
    builders: list[Callable[[MonthResult], Conclusion | None]] = [
        morosidad_general,
        estratos_con_mas_usuarios,
        estratos_con_mas_cartera,
        comunas_con_mas_cartera,
        concentracion_de_la_deuda,
        segmentos_criticos,
        indicadores_encuesta,
    ]
    found = [c for c in (build(result) for build in builders) if c is not None]
    logger.debug("conclusiones: %d de %d", len(found), len(builders))
    return found


def morosidad_general(result: MonthResult) -> Conclusion | None:
    """Say how many active users are morosos and what they owe."""
    summary = result.resumen
    if not summary.usuarios_activos:
        return None
    text = (
        f"{fmt_int(summary.usuarios_morosos)} de los "
        f"{fmt_int(summary.usuarios_activos)} usuarios activos "
        f"({fmt_pct(summary.porcentaje_morosos)}) están en mora, con una cartera "
        f"morosa de {fmt_pesos(summary.cartera_morosa)} y una deuda promedio de "
        f"{fmt_pesos(summary.deuda_promedio)} por usuario moroso."
    )
    return Conclusion("morosidad_general", text, {
        "morosos": summary.usuarios_morosos,
        "usuarios": summary.usuarios_activos,
        "porcentaje": summary.porcentaje_morosos,
        "cartera_morosa": summary.cartera_morosa,
        "deuda_promedio": summary.deuda_promedio,
    })


def estratos_con_mas_usuarios(result: MonthResult) -> Conclusion | None:
    """Name the fewest estratos that hold more than half of the users."""
    table = result.tablas.get("usuarios_por_estrato")
    if table is None:
        return None
    codes, users, everyone = _majority(table, "codigo", "usuarios")
    if not codes:
        return None
    part, whole = int(users), int(everyone)
    share = rate(part, whole)
    verb = "reúnen" if len(codes) > 1 else "reúne"
    text = (
        f"{_group_name('estrato', codes)} {verb} {fmt_int(part)} de los "
        f"{fmt_int(whole)} usuarios activos ({fmt_pct(share)})."
    )
    return Conclusion("estratos_usuarios", text, {
        "codigos": codes, "usuarios": part, "total": whole, "porcentaje": share,
    })


def estratos_con_mas_cartera(result: MonthResult) -> Conclusion | None:
    """Name the fewest estratos that hold more than half of the cartera morosa."""
    return _debt_majority(result, "morosos_por_estrato", "codigo", "estrato")


def comunas_con_mas_cartera(result: MonthResult) -> Conclusion | None:
    """Name the fewest comunas that hold more than half of the cartera morosa."""
    return _debt_majority(result, "morosos_por_comuna", "comuna", "comuna")


def _debt_majority(
    result: MonthResult, table_id: str, key: str, noun: str
) -> Conclusion | None:
    table = result.tablas.get(table_id)
    if table is None:
        return None
    codes, part, whole = _majority(table, key, "deuda")
    if not codes:
        return None

    share = rate(part, whole)
    verb = "concentran" if len(codes) > 1 else "concentra"
    text = (
        f"{_group_name(noun, codes)} {verb} el {fmt_pct(share)} de la cartera "
        f"morosa: {fmt_pesos(part)} de {fmt_pesos(whole)}."
    )
    return Conclusion(f"{noun}s_cartera", text, {
        "codigos": codes, "deuda": part, "total": whole, "porcentaje": share,
    })


def concentracion_de_la_deuda(result: MonthResult) -> Conclusion | None:
    """State the share of the cartera morosa held by the top 1 % and 10 %."""
    accounts = result.cuentas
    if accounts.empty or "moroso" not in accounts:
        return None
    debts = sorted(
        (int(d) for d in accounts.loc[accounts["moroso"], "deuda"]), reverse=True
    )
    if not debts:
        return None

    total = sum(debts)
    cifras: dict[str, Any] = {"morosos": len(debts)}
    for top in TOP_SHARES:
        count = math.ceil(len(debts) * top / 100)
        share = rate(sum(debts[:count]), total)
        cifras[f"top_{top}"] = {"cuentas": count, "porcentaje": share}

    first, second = (cifras[f"top_{top}"] for top in TOP_SHARES)
    text = (
        f"La deuda está concentrada: {_top_part(first, TOP_SHARES[0])} "
        f"{'debe' if first['cuentas'] == 1 else 'deben'} el "
        f"{fmt_pct(first['porcentaje'])} de la cartera morosa, y "
        f"{_top_part(second, TOP_SHARES[1])}, el {fmt_pct(second['porcentaje'])}."
    )
    return Conclusion("concentracion_deuda", text, cifras)


def segmentos_criticos(result: MonthResult) -> Conclusion | None:
    """State the share of the debt in the last segments of atraso."""
    table = result.tablas.get("segmentos_por_atraso")
    edges = result.reglas.get("segmentos_dias")
    if table is None or not edges or not table.filas:
        return None
    labels = segment_labels([int(e) for e in edges])[-CRITICAL_SEGMENTS:]
    debt = _by_key(table, "segmento", "deuda")

    part = sum((debt.get(label, Decimal(0)) for label in labels), Decimal(0))
    whole = sum(debt.values(), Decimal(0))
    share = rate(part, whole)
    text = (
        f"Los segmentos de {_join(labels)} días de atraso reúnen el "
        f"{fmt_pct(share)} de la deuda de las cuentas con saldo "
        f"({fmt_pesos(part)} de {fmt_pesos(whole)})."
    )
    return Conclusion("segmentos_criticos", text, {
        "segmentos": labels, "deuda": part, "total": whole, "porcentaje": share,
    })


def indicadores_encuesta(result: MonthResult) -> Conclusion | None:
    """List the survey's indicators with their margins of error."""
    table = result.tablas.get("encuesta")
    if table is None or not table.filas:
        return None
    columns = table.columnas
    parts, cifras = [], {}
    for row in table.filas:
        values = dict(zip(columns, row))
        if values["porcentaje"] is None:
            continue
        name = str(values["indicador"])
        cifras[name] = {
            "porcentaje": values["porcentaje"],
            "margen_error": values["margen_error"],
            "respuestas": values["respuestas"],
        }
        parts.append(
            f"{name[:1].lower()}{name[1:]}, {fmt_pct(values['porcentaje'])} "
            f"(± {fmt_decimal(values['margen_error'])} puntos; "
            f"n = {fmt_int(values['respuestas'])})"
        )
    if not parts:
        return None
    text = "En la encuesta de percepción: " + "; ".join(parts) + "."
    return Conclusion("indicadores_encuesta", text, cifras)


# --- helpers -----------------------------------------------------------------


def _majority(
    table: ResultTable, key: str, value: str
) -> tuple[list[str], Decimal, Decimal]:
    """Return the fewest groups holding more than half, their part and the whole.

    Groups are taken from the largest down; ties keep the table's order.
    """
    figures = _by_key(table, key, value)
    whole = sum(figures.values(), Decimal(0))
    if whole <= 0:
        return [], Decimal(0), whole
    ranked = sorted(figures, key=lambda code: -figures[code])

    codes: list[str] = []
    part = Decimal(0)
    for code in ranked:
        codes.append(code)
        part += figures[code]
        if part * 2 > whole:
            break
    return codes, part, whole


def _by_key(table: ResultTable, key: str, value: str) -> dict[str, Decimal]:
    k, v = table.columnas.index(key), table.columnas.index(value)
    return {
        str(row[k]): Decimal(row[v] or 0) for row in table.filas
    }


def _group_name(noun: str, codes: Sequence[str]) -> str:
    if len(codes) == 1:
        return f"{'La' if noun == 'comuna' else 'El'} {noun} {codes[0]}"
    article = "Las" if noun == "comuna" else "Los"
    return f"{article} {noun}s {_join(codes)}"


def _join(items: Sequence[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} y {items[-1]}"


def _top_part(top: dict[str, Any], percent: int) -> str:
    count = top["cuentas"]
    who = "el moroso" if count == 1 else f"los {fmt_int(count)} morosos"
    return f"{who} de mayor deuda (el {percent} %)"
