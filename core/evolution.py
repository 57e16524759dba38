"""Month-to-month figures from the history: the tablero de control.

Every figure between two months compares their accounts by key. An account
with a balance last month and none now (paid, or gone from the cartera) is
"sin saldo o retirado"; one with a balance now and none before is "nuevo".
Both months' accounts are placed in the segments of atraso in force for the
month of the dashboard, from their stored días, so that a change of the
rules between months does not invent movements. An account without días in
either month cannot be placed: it is left out of the transition matrices
and counted in `transiciones_sin_dato`.

`build_dashboard` puts together every table of the tablero: the headline
comparison and the trends (`core.trends`), the transitions, roll rates and
recovery (here) and the cohorts of new morosos (`core.cohorts`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from core.atomic import atomic_path
from core.cohorts import cohort_table
from core.errors import HistoryError
from core.export_json import _table as table_to_dict
from core.formatting import centavos_to_pesos, round_half_up, share
from core.history import HistoryStore, StoredMonth, stored_accounts, stored_month
from core.model import ColumnKind, MonthResult, Table
from core.rules import SIN_DATO, segment_labels
from core.trends import (
    add_months,
    comparison_table,
    comuna_key,
    comuna_trend_tables,
    segment_trend_tables,
    trend_table,
)

logger = logging.getLogger(__name__)

NEW = "nuevo"
GONE = "sin saldo o retirado"
DEFAULT_EDGES = [30, 60, 120]
MOVEMENTS = ("Mejoraron", "Se mantuvieron", "Empeoraron", "Sin dato de días",
             "Nuevos")
PAIR_COLUMNS = ["cuenta", "segmento", "dias", "deuda", "moroso", "comuna"]

# Spanish headings of the tablero's columns, for screens and the report.
COLUMN_TITLES = {
    "periodo": "Periodo",
    "usuarios_activos": "Usuarios activos",
    "usuarios_morosos": "Usuarios morosos",
    "cartera_morosa": "Cartera morosa",
    "porcentaje_morosos": "% de morosos",
    "indicador": "Indicador",
    "este_mes": "Este mes",
    "mes_anterior": "Mes anterior",
    "variacion": "Variación",
    "variacion_porcentual": "Variación %",
    "hace_un_anio": "Hace un año",
    "variacion_anual": "Variación anual",
    "variacion_anual_porcentual": "Variación anual %",
    "desde": "Desde",
    "hacia": "Hacia",
    "movimiento": "Movimiento",
    "cuentas": "Cuentas",
    "deuda": "Deuda",
    "cuentas_mes_anterior": "Cuentas del mes anterior",
    "pasaron": "Pasaron",
    "porcentaje": "%",
    "segmento": "Segmento (días)",
    "comuna": "Comuna",
    "morosos_mes_anterior": "Morosos del mes anterior",
    "deuda_mes_anterior": "Deuda del mes anterior",
    "recuperado": "Recuperado",
    "porcentaje_recuperado": "% recuperado",
    "cohorte": "Cohorte",
    "meses_despues": "Meses después",
    "nuevos_morosos": "Nuevos morosos",
    "porcentaje_curadas": "% curadas",
    "porcentaje_siguen_morosas": "% siguen morosas",
    "porcentaje_empeoraron": "% empeoraron",
    "porcentaje_sin_dato": "% sin dato",
    GONE: "Sin saldo o retirado",
    SIN_DATO: "Sin dato",
}
COMUNA_TABLES = frozenset(
    {"tendencia_comunas", "tendencia_comunas_deuda", "tendencia_comunas_tasa"}
)


@dataclass
class Dashboard:
    """The month-to-month tables of one month against an earlier one.

    `tablas` holds, in reading order: comparacion_mensual, tendencia,
    tendencia_segmentos, tendencia_segmentos_deuda, tendencia_comunas,
    tendencia_comunas_deuda, tendencia_comunas_tasa, transiciones,
    transiciones_deuda, transiciones_sin_dato (only when some account has no
    días), transiciones_resumen, tasas_de_rodamiento, recuperacion,
    recuperacion_por_comuna and cohortes_morosos.
    """

    periodo: str
    periodo_anterior: str
    tablas: dict[str, Table]
    periodo_hace_un_anio: str | None = None
    periodos: list[str] = field(default_factory=list)  # the months it reads


def column_titles(table: Table) -> dict[str, str]:
    """Return the Spanish heading of each column of a tablero's table."""
    titles = {}
    for column in table.columnas:
        if table.id in COMUNA_TABLES and column != "periodo":
            titles[column] = f"Comuna {column}" if column.isdigit() else column
        else:
            titles[column] = COLUMN_TITLES.get(column, column)
    return titles


# --- pairing two months' accounts ------------------------------------------------


def edges_of(labels: Sequence[str]) -> list[int]:
    """Return the day edges of segment labels: `[30, 60, 120]` for the defaults."""
    return [int(label.split("-")[1]) for label in labels[:-1]]


def place(accounts: pd.DataFrame, labels: Sequence[str]) -> pd.Series:
    """Return each account's segment under `labels`, from its días.

    Accounts without a balance get NA; with a balance and no días, «sin dato».
    """
    edges = [-1, *edges_of(labels), float("inf")]
    days = accounts["dias"].astype("Float64").astype(float)
    placed = pd.cut(days, bins=edges, labels=list(labels)).astype("string")
    placed = placed.where(days.notna(), SIN_DATO)
    return placed.where(accounts["deuda"] > 0)


def pair_accounts(
    previous: pd.DataFrame, current: pd.DataFrame, labels: Sequence[str]
) -> pd.DataFrame:
    """Return one row per account with a balance in either month.

    Columns: cuenta, desde (last month's segment or "nuevo"), hacia (this
    month's segment or "sin saldo o retirado"), deuda_ant and deuda_act
    (centavos, 0 when absent), moroso_ant and comuna_ant.
    """
    before = previous.reindex(columns=PAIR_COLUMNS).assign(
        segmento=place(previous, labels))
    now = current.reindex(columns=PAIR_COLUMNS).assign(
        segmento=place(current, labels))
    merged = before.merge(now[["cuenta", "segmento", "deuda"]], on="cuenta",
                          how="outer", suffixes=("_ant", "_act"))

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


def _without_days(pairs: pd.DataFrame) -> pd.Series:
    return (pairs["desde"] == SIN_DATO) | (pairs["hacia"] == SIN_DATO)


# --- transitions -----------------------------------------------------------------


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


def transition_tables(pairs: pd.DataFrame, labels: Sequence[str]) -> list[Table]:
    """Return the segment transition matrix in accounts and in pesos.

    Rows: last month's segments and «nuevo»; columns: this month's segments
    and «sin saldo o retirado». Accounts without días in either month are
    left out (see `days_missing_table`).
    """
    placed = pairs[~_without_days(pairs)]
    axes = ([*labels, NEW], [*labels, GONE])
    counts = _matrix(placed, *axes, pd.Series(1, index=placed.index))
    debts = _matrix(placed, *axes, _debt_weights(placed))
    left_out = int(_without_days(pairs).sum())
    note = (f" {_accounts_text(left_out)} sin días de mora en alguno de los dos "
            "meses no entran en la matriz." if left_out else "")

    accounts = _matrix_table(
        "transiciones",
        "Cuentas por segmento: mes anterior (filas) y este mes (columnas)",
        counts, axes, money=False,
    )
    accounts.nota = ("«nuevo»: cuentas con saldo este mes y sin saldo el anterior; "
                     "«sin saldo o retirado»: cuentas que ya no tienen saldo." + note)
    pesos = _matrix_table(
        "transiciones_deuda",
        "Deuda por segmento: mes anterior (filas) y este mes (columnas)",
        debts, axes, money=True,
    )
    pesos.nota = ("Deuda del mes anterior de cada cuenta; para las nuevas, la de "
                  "este mes." + note)
    return [accounts, pesos]


def _accounts_text(count: int) -> str:
    return "1 cuenta" if count == 1 else f"{count} cuentas"


def days_missing_table(
    pairs: pd.DataFrame, labels: Sequence[str]
) -> Table | None:
    """Return the moves of accounts without días in either month, if any."""
    chosen = pairs[_without_days(pairs)]
    if chosen.empty:
        return None
    weights = _debt_weights(chosen)
    groups = pd.DataFrame({"n": 1, "deuda": weights}).groupby(
        [chosen["desde"], chosen["hacia"]]).sum()
    order = [*labels, SIN_DATO, NEW, GONE]
    keys = sorted(groups.index, key=lambda k: (order.index(k[0]), order.index(k[1])))
    filas = [[desde, hacia, int(groups.loc[(desde, hacia), "n"]),
              centavos_to_pesos(int(groups.loc[(desde, hacia), "deuda"]))]
             for desde, hacia in keys]
    return Table(
        id="transiciones_sin_dato",
        titulo="Cuentas sin días de mora en alguno de los dos meses",
        columnas=["desde", "hacia", "cuentas", "deuda"],
        tipos=["texto", "texto", "conteo", "pesos"],
        filas=filas,
        total=["TOTAL", "", len(chosen), centavos_to_pesos(int(weights.sum()))],
        nota=("Sin días de mora no se sabe su segmento; no están en la matriz de "
              "transiciones. Deuda del mes anterior; para las nuevas, la de este "
              "mes."),
    )


def _movement(desde: str, hacia: str, labels: Sequence[str]) -> str:
    if desde == NEW:
        return MOVEMENTS[4]
    if desde not in labels or hacia not in [*labels, GONE]:
        return MOVEMENTS[3]
    if hacia == GONE:
        return MOVEMENTS[0]
    step = labels.index(hacia) - labels.index(desde)
    return MOVEMENTS[1 if step == 0 else 0 if step < 0 else 2]


def movement_table(pairs: pd.DataFrame, labels: Sequence[str]) -> Table:
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


def roll_rate_table(pairs: pd.DataFrame, labels: Sequence[str]) -> Table:
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
        nota=("Porcentaje de las cuentas de cada segmento el mes anterior que este "
              "mes están en el segmento siguiente, más viejo."),
    )


# --- recovery --------------------------------------------------------------------


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
        groups.index, key=comuna_key)
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


def compare_months(
    previous: pd.DataFrame, current: pd.DataFrame, labels: Sequence[str]
) -> dict[str, Table]:
    """Return the month-to-month tables between two months' accounts."""
    labels = list(labels)
    pairs = pair_accounts(previous, current, labels)
    missing = days_missing_table(pairs, labels)
    tables = [
        *transition_tables(pairs, labels),
        *([missing] if missing is not None else []),
        movement_table(pairs, labels),
        roll_rate_table(pairs, labels),
        recovery_table(pairs, "segmento", [*labels, SIN_DATO]),
        recovery_table(pairs, "comuna"),
    ]
    return {table.id: table for table in tables}


# --- the months a dashboard reads --------------------------------------------------


class MonthsView:
    """The history's months, plus a month in memory that is not saved (yet).

    The month in memory, when given, takes the place of a saved month of the
    same period. Each month's accounts are read once.
    """

    def __init__(
        self, store: HistoryStore, actual: MonthResult | None = None
    ) -> None:
        self.store = store
        self.actual = actual
        self._accounts: dict[str, pd.DataFrame] = {}

    def periods(self) -> list[str]:
        periods = set(self.store.periods())
        if self.actual is not None:
            periods.add(self.actual.periodo)
        return sorted(periods)

    def month(self, periodo: str) -> StoredMonth:
        if self.actual is not None and periodo == self.actual.periodo:
            return stored_month(self.actual)
        return self.store.month(periodo)

    def accounts(self, periodo: str) -> pd.DataFrame:
        if periodo not in self._accounts:
            if self.actual is not None and periodo == self.actual.periodo:
                self._accounts[periodo] = stored_accounts(self.actual)
            else:
                self._accounts[periodo] = self.store.accounts(periodo)
        return self._accounts[periodo]


def _labels(month: StoredMonth) -> list[str]:
    return segment_labels(month.reglas.get("segmentos_dias") or DEFAULT_EDGES)


def _chosen_periods(
    view: MonthsView, store: HistoryStore, periodo: str | None, anterior: str | None
) -> tuple[list[str], str, str]:
    """Return the periods up to the dashboard's month, the month and the other."""
    periods = view.periods()
    if len(periods) < 2:
        detail = "un solo mes" if periods else "ningún mes"
        raise HistoryError(store.path, "pocos_meses", detail=detail)
    periodo = periodo or periods[-1]
    if periodo not in periods:
        raise HistoryError(store.path, "no_existe", periodo)
    if anterior is None:
        earlier = [p for p in periods if p < periodo]
        if not earlier:
            raise HistoryError(store.path, "pocos_meses",
                               detail=f"ningún mes anterior a {periodo}")
        anterior = earlier[-1]
    elif anterior not in periods:
        raise HistoryError(store.path, "no_existe", anterior)
    elif anterior >= periodo:
        raise ValueError(f"{anterior} no es anterior a {periodo}")
    return [p for p in periods if p <= periodo], periodo, anterior


def build_dashboard(
    store: HistoryStore,
    periodo: str | None = None,
    anterior: str | None = None,
    *,
    actual: MonthResult | None = None,
) -> Dashboard:
    """Compare a month with an earlier one and follow every month up to it.

    `periodo` defaults to `actual`'s period, or else the last saved month;
    `anterior` to the saved month before it. `actual` is a month in memory
    (not saved, or saved with other files) that stands in for its period.
    Trends and cohorts read the months up to `periodo` only, so a month's
    tablero reads the same after later months are saved. The history is
    never written.
    """
    view = MonthsView(store, actual)
    if periodo is None and actual is not None:
        periodo = actual.periodo
    periods, periodo, anterior = _chosen_periods(view, store, periodo, anterior)
    months = {p: view.month(p) for p in periods}
    labels = _labels(months[periodo])
    year = add_months(periodo, -12)
    year_month = months.get(year)

    tables = {"comparacion_mensual": comparison_table(
        months[periodo], months[anterior], year_month)}
    series = list(months.values())
    for table in [trend_table(series), *segment_trend_tables(series, labels),
                  *comuna_trend_tables(series)]:
        tables[table.id] = table
    tables.update(compare_months(
        view.accounts(anterior), view.accounts(periodo), labels))
    tables["cohortes_morosos"] = cohort_table(periods, view.accounts,
                                              edges_of(labels))

    logger.info("tablero: %s frente a %s, %d meses", periodo, anterior,
                len(periods))
    return Dashboard(periodo, anterior, tables,
                     year if year_month is not None else None, periods)


def dashboard_to_dict(dashboard: Dashboard) -> dict[str, Any]:
    """Return the dashboard as plain JSON-ready data (section-5 table shape)."""
    return {
        "periodo": dashboard.periodo,
        "periodo_anterior": dashboard.periodo_anterior,
        "periodo_hace_un_anio": dashboard.periodo_hace_un_anio,
        "tablas": {key: table_to_dict(t) for key, t in dashboard.tablas.items()},
    }


def write_dashboard_json(dashboard: Dashboard, path: Path | str) -> None:
    """Write the dashboard's JSON atomically."""
    data = dashboard_to_dict(dashboard)
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
