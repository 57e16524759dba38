"""Cohorts of new morosos: what became of the accounts that fell into mora.

The cohort of a month m is every account that is moroso in m (deuda > 0 and
días de mora at or above the moroso rule) and was not moroso in the month
before m: it had no balance, was in 0-30 días or without días, or was not
in the cartera at all. A month whose previous calendar month is not in the
history has no cohort (who is new cannot be told).

One, two and three months later (calendar months present in the history),
each account of the cohort is:

- curada: without a balance (paid, or gone from the cartera) or with a
  balance that is no longer moroso;
- sigue morosa: moroso in the segment of atraso it entered in, or a younger
  one;
- empeoró: moroso in an older segment than the one it entered in;
- sin dato: with a balance and without días de mora.

Segments are placed from the stored días with the edges in force for the
dashboard's month, so that every month reads with the same segments.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from core.formatting import largest_remainder
from core.model import Table
from core.trends import add_months

logger = logging.getLogger(__name__)

HORIZON = 3  # months after the cohort's month
STATES = ("curadas", "siguen_morosas", "empeoraron", "sin_dato")
COLUMNS = ["cohorte", "meses_despues", "nuevos_morosos",
           *(f"porcentaje_{state}" for state in STATES)]

Accounts = Callable[[str], pd.DataFrame]


def account_states(accounts: pd.DataFrame, edges: Sequence[int]) -> pd.DataFrame:
    """Return the accounts with a balance, by key: moroso and segment position.

    `posicion` is the segment of atraso by its position (0 for 0-30 días with
    the default edges), NA for an account without días.
    """
    owing = accounts[accounts["deuda"] > 0]
    days = owing["dias"].astype("Float64")
    position = np.searchsorted(np.asarray(edges, dtype=float),
                               days.fillna(0).to_numpy(dtype=float), side="left")
    states = pd.DataFrame({
        "moroso": owing["moroso"].astype(bool).to_numpy(),
        "posicion": pd.array(position, dtype="Int64"),
    }, index=pd.Index(owing["cuenta"].astype(str), name="cuenta"))
    states.loc[days.isna().to_numpy(), "posicion"] = pd.NA
    return states


def new_morosos(previous: pd.DataFrame, current: pd.DataFrame) -> pd.Series:
    """Return the segment position at entry of this month's new morosos."""
    were = previous.index[previous["moroso"]]
    now = current[current["moroso"] & ~current.index.isin(were)]
    return now["posicion"].fillna(0).astype("int64")


def outcome_counts(entry: pd.Series, later: pd.DataFrame) -> list[int]:
    """Count the cohort's accounts curadas, siguen morosas, empeoraron, sin dato."""
    found = later.reindex(entry.index)
    has_balance = found["moroso"].notna()
    no_days = has_balance & found["posicion"].isna()
    moroso = has_balance & found["moroso"].fillna(False).astype(bool)

    position = found["posicion"].fillna(-1).astype("int64")
    worse = moroso & (position > entry)
    stayed = moroso & ~worse
    cured = ~moroso & ~no_days
    return [int(cured.sum()), int(stayed.sum()), int(worse.sum()),
            int(no_days.sum())]


def cohort_table(
    periods: Sequence[str],
    accounts: Accounts,
    edges: Sequence[int],
    most: int | None = 12,
) -> Table:
    """Return the cohorts of new morosos of `periods` (oldest first).

    `accounts(periodo)` gives a saved month's accounts. Only the last `most`
    cohorts are followed. One row per cohort and month after it (1 to 3);
    the shares are null while that month is not in `periods`.
    """
    present = set(periods)
    cohorts = [p for p in periods if add_months(p, -1) in present]
    if most is not None:
        cohorts = cohorts[-most:]
    states = _cached_states(accounts, edges)

    filas = []
    for cohort in cohorts:
        entry = new_morosos(states(add_months(cohort, -1)), states(cohort))
        if entry.empty:
            continue
        for after in range(1, HORIZON + 1):
            later = add_months(cohort, after)
            shares: list[Any] = [None] * len(STATES)
            if later in present:
                shares = largest_remainder(outcome_counts(entry, states(later)))
            filas.append([cohort, after, len(entry), *shares])

    logger.debug("cohortes de nuevos morosos: %d", len(cohorts))
    return Table(
        id="cohortes_morosos",
        titulo="Cohortes de nuevos morosos: qué pasó uno, dos y tres meses después",
        columnas=list(COLUMNS),
        tipos=["texto", "conteo", "conteo", "porcentaje", "porcentaje",
               "porcentaje", "porcentaje"],
        filas=filas,
        nota=COHORT_NOTE,
    )


COHORT_NOTE = (
    "Nuevos morosos del mes: cuentas morosas que el mes anterior no lo eran. "
    "Curadas: sin saldo o de vuelta en 0-30 días; siguen morosas: en su segmento "
    "de entrada o uno más joven; empeoraron: en un segmento más viejo. Sin cifra: "
    "ese mes no está en el historial."
)


def _cached_states(
    accounts: Accounts, edges: Sequence[int]
) -> Callable[[str], pd.DataFrame]:
    """Read each month's accounts once."""
    cache: dict[str, pd.DataFrame] = {}

    def states(periodo: str) -> pd.DataFrame:
        if periodo not in cache:
            cache[periodo] = account_states(accounts(periodo), edges)
        return cache[periodo]

    return states
