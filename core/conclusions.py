"""The report's conclusions, written from the month's figures.

Each function reads a `MonthResult` (or the tablero de control of the month,
when the history has earlier months) and returns one `Conclusion`: a
Spanish sentence and the numbers it states, so that tests can check every
sentence against figures computed by hand. A conclusion whose figures are
missing (no survey, no accounts, no earlier month) is left out, never
guessed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core.formatting import (
    fmt_decimal,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_pesos,
    round_half_up,
)
from core.model import MonthResult
from core.model import Table as ResultTable
from core.rules import segment_labels
from core.tables import rate

if TYPE_CHECKING:
    from core.evolution import Dashboard

logger = logging.getLogger(__name__)

TOP_SHARES = (1, 10)  # the concentration of the debt: top 1 % and 10 %
CRITICAL_SEGMENTS = 2  # the last segments of atraso: 61-120 and 121+ días


@dataclass(frozen=True)
class Conclusion:
    """One sentence of the conclusions and the figures it states."""

    id: str
    texto: str
    cifras: dict[str, Any] = field(default_factory=dict)


def conclusions(
    result: MonthResult, tablero: Dashboard | None = None
) -> list[Conclusion]:
    """Return every conclusion the month's figures support, in reading order.

    With the month's `tablero`, the comparison with the month before (and
    the same month a year before) follows the general morosidad.
    """
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
    if tablero is not None:
        compared = [comparacion_mes_anterior(tablero), comparacion_anual(tablero)]
        at = 1 if found and found[0].id == "morosidad_general" else 0
        found[at:at] = [c for c in compared if c is not None]
    logger.debug("conclusiones: %d", len(found))
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


# --- against earlier months (the tablero de control) ----------------------------

MOROSOS_ROW = "Usuarios morosos"
CARTERA_ROW = "Cartera morosa"
RATE_ROW = "Porcentaje de morosos"


def comparacion_mes_anterior(tablero: Dashboard) -> Conclusion | None:
    """Say how morosos and cartera morosa changed since the month compared."""
    return _comparison(tablero, tablero.periodo_anterior, 2, "comparacion_mes")


def comparacion_anual(tablero: Dashboard) -> Conclusion | None:
    """Say how morosos and cartera morosa changed since a year before."""
    if tablero.periodo_hace_un_anio is None:
        return None
    return _comparison(tablero, tablero.periodo_hace_un_anio, 5, "comparacion_anual")


def _comparison(
    tablero: Dashboard, periodo: str, column: int, id_: str
) -> Conclusion | None:
    """Build the sentence from the comparison table's columns `column` onward.

    Columns from `column`: the other month's value, the variation and the
    variation in percent.
    """
    table = tablero.tablas.get("comparacion_mensual")
    if table is None:
        return None
    rows = {str(row[0]): row for row in table.filas}
    if any(rows.get(name, [None] * 8)[column] is None
           for name in (MOROSOS_ROW, CARTERA_ROW)):
        return None

    morosos, cartera = rows[MOROSOS_ROW], rows[CARTERA_ROW]
    change, percent = column + 1, column + 2
    morosos_text = _change(morosos[change], morosos[percent], morosos[1],
                           plural=True, money=False)
    cartera_text = _change(cartera[change], cartera[percent], cartera[1],
                           plural=False)
    text = (f"Frente a {fmt_month(periodo)}, los morosos {morosos_text} y la "
            f"cartera morosa {cartera_text}")
    rate_row = rows.get(RATE_ROW)
    if rate_row is not None and None not in (rate_row[1], rate_row[column]):
        text += (f"; el porcentaje de morosos pasó de {fmt_pct(rate_row[column])} "
                 f"a {fmt_pct(rate_row[1])}")
    return Conclusion(id_, text + ".", {
        "periodo": periodo,
        "morosos": morosos[1], "morosos_antes": morosos[column],
        "variacion_morosos": morosos[change],
        "variacion_morosos_porcentual": morosos[percent],
        "cartera_morosa": cartera[1], "cartera_morosa_antes": cartera[column],
        "variacion_cartera": cartera[change],
        "variacion_cartera_porcentual": cartera[percent],
    })


def _change(
    change: Any, percent: Any, now: Any, plural: bool, money: bool = True
) -> str:
    """`aumentaron en 123 (1,2 %)`, `disminuyó en $ 45.678 (0,3 %)`, …"""
    amount = fmt_pesos if money else fmt_int
    if round_half_up(abs(change)) == 0:
        verb = "se mantuvieron en" if plural else "se mantuvo en"
        return f"{verb} {amount(now)}"
    if change > 0:
        verb = "aumentaron en" if plural else "aumentó en"
    else:
        verb = "disminuyeron en" if plural else "disminuyó en"
    share = f" ({fmt_pct(abs(percent))})" if percent is not None else ""
    return f"{verb} {amount(abs(change))}{share}"


MOVEMENT_VERBS = (
    ("Mejoraron", ("mejoró", "mejoraron")),
    ("Se mantuvieron", ("se mantuvo en su segmento", "se mantuvieron en su segmento")),
    ("Empeoraron", ("empeoró", "empeoraron")),
    ("Sin dato de días", ("no tiene días de mora en alguno de los dos meses",
                          "no tienen días de mora en alguno de los dos meses")),
    ("Nuevos", ("es nueva", "son nuevas")),
)


def _verb(count: int, singular: str, plural: str) -> str:
    return f"{fmt_int(count)} {singular if count == 1 else plural}"


def evolucion_movimientos(tablero: Dashboard) -> Conclusion | None:
    """Say how many accounts improved, stayed, worsened or are new."""
    table = tablero.tablas.get("transiciones_resumen")
    if table is None or not table.total or not table.total[1]:
        return None
    counts = {str(row[0]): int(row[1]) for row in table.filas}
    parts = [
        _verb(counts.get(kind, 0), *verbs) for kind, verbs in MOVEMENT_VERBS
        if kind != "Sin dato de días" or counts.get(kind)
    ]
    text = (
        f"De las {fmt_int(table.total[1])} cuentas con saldo en "
        f"{fmt_month(tablero.periodo_anterior)} o en {fmt_month(tablero.periodo)}, "
        f"{_join(parts)}."
    )
    return Conclusion("evolucion_movimientos", text, {"cuentas": table.total[1],
                                                       **counts})


def evolucion_rodamiento(tablero: Dashboard) -> Conclusion | None:
    """State each roll rate with the accounts behind it."""
    table = tablero.tablas.get("tasas_de_rodamiento")
    rows = [row for row in (table.filas if table else []) if row[2]]
    if not rows:
        return None
    parts = [
        f"de {desde} a {hacia} días pasó el {fmt_pct(share)} ({fmt_int(rolled)} de "
        f"{fmt_int(base)})"
        for desde, hacia, base, rolled, share in rows
    ]
    text = (f"Entre {fmt_month(tablero.periodo_anterior)} y "
            f"{fmt_month(tablero.periodo)}, {_join(parts)}.")
    cifras = {f"{row[0]}>{row[1]}": row[4] for row in rows}
    return Conclusion("evolucion_rodamiento", text, cifras)


def evolucion_recuperacion(tablero: Dashboard) -> Conclusion | None:
    """Say what last month's morosos reduced their debt by."""
    table = tablero.tablas.get("recuperacion")
    if table is None or not table.total or not table.total[1]:
        return None
    _name, morosos, debt, recovered, share = table.total
    text = (
        f"Los {fmt_int(morosos)} morosos de {fmt_month(tablero.periodo_anterior)} "
        f"redujeron su deuda en {fmt_pesos(recovered)}, el {fmt_pct(share)} de los "
        f"{fmt_pesos(debt)} que debían."
    )
    if morosos == 1:
        text = (f"El moroso de {fmt_month(tablero.periodo_anterior)} redujo su "
                f"deuda en {fmt_pesos(recovered)}, el {fmt_pct(share)} de los "
                f"{fmt_pesos(debt)} que debía.")
    return Conclusion("evolucion_recuperacion", text, {
        "morosos": morosos, "deuda": debt, "recuperado": recovered,
        "porcentaje": share,
    })


def evolucion_cohortes(tablero: Dashboard) -> Conclusion | None:
    """Follow the latest cohort of new morosos with a month of data after it."""
    table = tablero.tablas.get("cohortes_morosos")
    rows = [row for row in (table.filas if table else [])
            if row[1] == 1 and row[3] is not None]
    if not rows:
        return None
    cohort, _after, count, cured, stayed, worse, _no_days = rows[-1]
    who = ("del nuevo moroso" if count == 1
           else f"de los {fmt_int(count)} nuevos morosos")
    text = (
        f"Un mes después, {who} de {fmt_month(cohort)} el {fmt_pct(cured)} ya "
        f"no estaba en mora, el {fmt_pct(stayed)} seguía en mora en su segmento "
        f"o uno más joven y el {fmt_pct(worse)} había pasado a un segmento más "
        f"viejo."
    )
    return Conclusion("evolucion_cohortes", text, {
        "cohorte": cohort, "nuevos_morosos": count, "curadas": cured,
        "siguen_morosas": stayed, "empeoraron": worse,
    })


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
