"""Month-to-month figures from the history: transitions, roll rates, recovery, trend.

Every figure compares the accounts of two months by their key. An account
with a balance last month and none now (paid, or gone from the cartera) is
"sin saldo o retirado"; one with a balance now and none before is "nuevo".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from core.atomic import atomic_path
from core.errors import HistoryError
from core.export_json import _table as table_to_dict
from core.formatting import centavos_to_pesos, round_half_up, share
from core.history import HistoryStore, StoredMonth
from core.model import ColumnKind, Table
from core.rules import SIN_DATO, segment_labels

logger = logging.getLogger(__name__)

NEW = "nuevo"
GONE = "sin saldo o retirado"
DEFAULT_EDGES = [30, 60, 120]
MOVEMENTS = ("Mejoraron", "Se mantuvieron", "Empeoraron", "Sin dato de días",
             "Nuevos")


@dataclass
class Dashboard:
    """The month-to-month tables of one month against an earlier one."""

    periodo: str
    periodo_anterior: str
    tablas: dict[str, Table]


def pair_accounts(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Return one row per account with a balance in either month.

    Columns: cuenta, desde (last month's segment or "nuevo"), hacia (this
    month's segment or "sin saldo o retirado"), deuda_ant and deuda_act
    (centavos, 0 when absent), moroso_ant and comuna_ant.
    """
    before = previous[["cuenta", "segmento", "deuda", "moroso", "comuna"]]
    now = current[["cuenta", "segmento", "deuda"]]
    merged = before.merge(now, on="cuenta", how="outer", suffixes=("_ant", "_act"))

    debt_before = merged["deuda_ant"].fillna(0).astype("int64")
    debt_now = merged["deuda_act"].fillna(0).astype("int64")
    pairs = pd.DataFrame({
        "cuenta": merged["cuenta"],
        "desde": merged["segmento_ant"].astype("string").where(debt_before > 0, NEW),
        "hacia": merged["segmento_act"].astype("string").where(debt_now > 0, GONE),
        "deuda_ant": debt_before.clip(lower=0),
        "deuda_act": debt_now.clip(lower=0),
        "moroso_ant": merged["moroso"].fillna(False).astype(bool),
        "comuna_ant": merged["comuna"].astype("string"),
    })
    return pairs[(debt_before > 0) | (debt_now > 0)].reset_index(drop=True)


def _orders(pairs: pd.DataFrame, labels: list[str]) -> tuple[list[str], list[str]]:
    """Rows (last month) and columns (this month), with «sin dato» when present."""
    seen = set(pairs["desde"]) | set(pairs["hacia"])
    # Segments of other edges (settings changed between months) go last.
    extra = sorted(seen - {*labels, SIN_DATO, NEW, GONE})
    segments = [*labels, *extra, *([SIN_DATO] if SIN_DATO in seen else [])]
    return [*segments, NEW], [*segments, GONE]


def _matrix(
    pairs: pd.DataFrame, rows: list[str], columns: list[str], weights: pd.Series
) -> dict[tuple[str, str], int]:
    cells = {(r, c): 0 for r in rows for c in columns}
    sums = weights.groupby([pairs["desde"], pairs["hacia"]]).sum()
    for (row, column), value in sums.items():
        cells[(row, column)] += int(value)
    return cells


def _debt_weights(pairs: pd.DataFrame) -> pd.Series:
    """Last month's debt, or this month's for new accounts (centavos)."""
    return pairs["deuda_ant"].where(pairs["desde"] != NEW, pairs["deuda_act"])


def _matrix_table(
    id_: str,
    titulo: str,
    cells: dict[tuple[str, str], int],
    axes: tuple[list[str], list[str]],
    money: bool,
) -> Table:
    rows, columns = axes
    value: Callable[[int], Any] = centavos_to_pesos if money else int
    kinds: list[ColumnKind] = ["pesos" if money else "conteo"] * len(columns)
    filas = [[r, *(value(cells[(r, c)]) for c in columns)] for r in rows]
    total = [value(sum(cells[(r, c)] for r in rows)) for c in columns]
    return Table(id=id_, titulo=titulo, columnas=["desde", *columns],
                 tipos=["texto", *kinds], filas=filas, total=["TOTAL", *total])


def transition_tables(pairs: pd.DataFrame, labels: list[str]) -> list[Table]:
    """Return the segment transition matrix in accounts and in pesos."""
    axes = _orders(pairs, labels)
    counts = _matrix(pairs, *axes, pd.Series(1, index=pairs.index))
    debts = _matrix(pairs, *axes, _debt_weights(pairs))

    accounts = _matrix_table(
        "transiciones",
        "Cuentas por segmento: mes anterior (filas) y este mes (columnas)",
        counts, axes, money=False,
    )
    accounts.nota = ("«nuevo»: cuentas con saldo este mes y sin saldo el anterior; "
                     "«sin saldo o retirado»: cuentas que ya no tienen saldo.")
    pesos = _matrix_table(
        "transiciones_deuda",
        "Deuda por segmento: mes anterior (filas) y este mes (columnas)",
        debts, axes, money=True,
    )
    pesos.nota = ("Deuda del mes anterior de cada cuenta; para las nuevas, la de "
                  "este mes.")
    return [accounts, pesos]


def _movement(desde: str, hacia: str, labels: list[str]) -> str:
    if desde == NEW:
        return MOVEMENTS[4]
    if desde not in labels or hacia not in [*labels, GONE]:
        return MOVEMENTS[3]
    if hacia == GONE:
        return MOVEMENTS[0]
    step = labels.index(hacia) - labels.index(desde)
    return MOVEMENTS[1 if step == 0 else 0 if step < 0 else 2]


def movement_table(pairs: pd.DataFrame, labels: list[str]) -> Table:
    """Return how many accounts improved, stayed or worsened, and their debt."""
    kinds = pd.Series(
        [_movement(d, h, labels) for d, h in zip(pairs["desde"], pairs["hacia"])],
        index=pairs.index, dtype="object",
    )
    weights = _debt_weights(pairs)
    filas = []
    for kind in MOVEMENTS:
        chosen = kinds == kind
        if kind == MOVEMENTS[3] and not chosen.any():
            continue
        filas.append([kind, int(chosen.sum()),
                      centavos_to_pesos(int(weights[chosen].sum()))])
    return Table(
        id="transiciones_resumen",
        titulo="Cuentas que mejoraron, se mantuvieron o empeoraron",
        columnas=["movimiento", "cuentas", "deuda"],
        tipos=["texto", "conteo", "pesos"],
        filas=filas,
        total=["TOTAL", len(pairs), centavos_to_pesos(int(weights.sum()))],
        nota=("Mejoraron: pasaron a un segmento más joven o quedaron sin saldo. "
              "Deuda del mes anterior; para las nuevas, la de este mes."),
    )


def _rate(part: int, whole: int) -> Decimal | None:
    exact = share(part, whole)
    return None if exact is None else round_half_up(exact, 1)


def roll_rate_table(pairs: pd.DataFrame, labels: list[str]) -> Table:
    """Return the share of each segment's accounts now in the next, older one."""
    filas = []
    for younger, older in zip(labels, labels[1:]):
        base = pairs["desde"] == younger
        rolled = base & (pairs["hacia"] == older)
        filas.append([younger, older, int(base.sum()), int(rolled.sum()),
                      _rate(int(rolled.sum()), int(base.sum()))])
    return Table(
        id="tasas_de_rodamiento",
        titulo="Tasas de rodamiento: cuentas que pasaron al segmento siguiente",
        columnas=["desde", "hacia", "cuentas_mes_anterior", "pasaron", "porcentaje"],
        tipos=["texto", "texto", "conteo", "conteo", "porcentaje"],
        filas=filas,
    )


def _comuna_key(comuna: str) -> tuple[int, int, str]:
    return (0, int(comuna), "") if comuna.isdigit() else (1, 0, comuna)


def recovery_table(
    pairs: pd.DataFrame, by: str, order: Sequence[str] | None = None
) -> Table:
    """Return what last month's morosos reduced their debt by, per group.

    `by` is "segmento" or "comuna" (last month's). An increase counts as
    zero; an account without a balance now, as paid in full.
    """
    morosos = pairs[pairs["moroso_ant"]]
    recovered = (morosos["deuda_ant"] - morosos["deuda_act"]).clip(lower=0)
    column = "desde" if by == "segmento" else "comuna_ant"
    keys = morosos[column].fillna(SIN_DATO).astype(str)

    groups = pd.DataFrame({"n": 1, "deuda": morosos["deuda_ant"],
                           "recuperado": recovered}).groupby(keys).sum()
    names = [k for k in order if k in groups.index] if order else sorted(
        groups.index, key=_comuna_key)
    filas = [_recovery_row(name, groups.loc[name]) for name in names]
    total = _recovery_row("TOTAL", groups.sum()) if len(groups) else [
        "TOTAL", 0, Decimal("0.00"), Decimal("0.00"), None]
    return Table(
        id="recuperacion" if by == "segmento" else f"recuperacion_por_{by}",
        titulo=f"Recuperación de la deuda de los morosos del mes anterior, por {by}",
        columnas=[by, "morosos_mes_anterior", "deuda_mes_anterior", "recuperado",
                  "porcentaje_recuperado"],
        tipos=["texto", "conteo", "pesos", "pesos", "porcentaje"],
        filas=filas,
        total=total,
        nota=("Lo que bajó la deuda de cada cuenta; un aumento cuenta como cero y "
              "una cuenta sin saldo este mes, como pagada del todo."),
    )


def _recovery_row(name: str, group: pd.Series) -> list[Any]:
    debt, recovered = int(group["deuda"]), int(group["recuperado"])
    return [name, int(group["n"]), centavos_to_pesos(debt),
            centavos_to_pesos(recovered), _rate(recovered, debt)]


def trend_table(months: Sequence[StoredMonth]) -> Table:
    """Return one row per saved month with its users, morosos and cartera."""
    filas = []
    for month in months:
        summary = month.resumen
        filas.append([
            month.periodo,
            summary["usuarios_activos"],
            summary["usuarios_morosos"],
            Decimal(summary["cartera_morosa"]).quantize(Decimal("0.01")),
            summary["porcentaje_morosos"],
        ])
    return Table(
        id="tendencia",
        titulo="Tendencia mensual de la morosidad",
        columnas=["periodo", "usuarios_activos", "usuarios_morosos",
                  "cartera_morosa", "porcentaje_morosos"],
        tipos=["texto", "conteo", "conteo", "pesos", "porcentaje"],
        filas=filas,
    )


def compare_months(
    previous: pd.DataFrame, current: pd.DataFrame, labels: list[str]
) -> dict[str, Table]:
    """Return the month-to-month tables between two months' accounts."""
    pairs = pair_accounts(previous, current)
    tables = [
        *transition_tables(pairs, labels),
        movement_table(pairs, labels),
        roll_rate_table(pairs, labels),
        recovery_table(pairs, "segmento", [*labels, SIN_DATO]),
        recovery_table(pairs, "comuna"),
    ]
    return {table.id: table for table in tables}


def _labels(month: StoredMonth) -> list[str]:
    return segment_labels(month.reglas.get("segmentos_dias") or DEFAULT_EDGES)


def build_dashboard(
    store: HistoryStore, periodo: str | None = None, anterior: str | None = None
) -> Dashboard:
    """Compare a month (the last by default) with an earlier one (the one before)."""
    periods = store.periods()
    if len(periods) < 2:
        detail = "un solo mes" if periods else "ningún mes"
        raise HistoryError(store.path, "pocos_meses", detail=detail)
    periodo = periodo or periods[-1]
    if anterior is None:
        earlier = [p for p in periods if p < periodo]
        if not earlier:
            raise HistoryError(store.path, "pocos_meses",
                               detail=f"ningún mes anterior a {periodo}")
        anterior = earlier[-1]

    tables = compare_months(
        store.accounts(anterior), store.accounts(periodo),
        _labels(store.month(periodo)),
    )
    tables["tendencia"] = trend_table(store.months())
    logger.info("tablero: %s frente a %s", periodo, anterior)
    return Dashboard(periodo, anterior, tables)


def dashboard_to_dict(dashboard: Dashboard) -> dict[str, Any]:
    """Return the dashboard as plain JSON-ready data (section-5 table shape)."""
    return {
        "periodo": dashboard.periodo,
        "periodo_anterior": dashboard.periodo_anterior,
        "tablas": {key: table_to_dict(t) for key, t in dashboard.tablas.items()},
    }


def write_dashboard_json(dashboard: Dashboard, path: Path | str) -> None:
    """Write the dashboard's JSON atomically."""
    data = dashboard_to_dict(dashboard)
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
