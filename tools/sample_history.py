"""Walk the sample month back in time: each account's balance in earlier months.

July 2025 is fixed (it reproduces the reference report). Starting from each
account's July balance and días de mora, this module decides what the
account looked like at each earlier cutoff, one month at a time, back to
February 2025. A step from month m + 1 back to month m follows a few stories:

- A moroso that paid nothing in between was moroso (or, at 31-61 días,
  current) at m: its oldest unpaid bill is the same, so its días were the
  calendar days fewer (31 between June 30 and July 31), and its debt one
  bill less (with interest).
- A moroso that paid its k oldest bills had k × 30 días more at m, and as
  much debt or more.
- A moroso whose payment agreement (convenio) broke at m + 1 had no balance
  at m: the agreed debt was financed, outside this cartera.
- An account current or without balance at m + 1 may have been moroso at m
  (it paid its arrears, or signed an agreement), current, or without
  balance.
- Accounts retired in a month appear in that month's guía as RETIRADO (with
  or without debt) and in no later file; subscribers connected after a
  cutoff (FECHA ALTA) are absent from the files of that cutoff and before.

The number of cured accounts, of accounts in 0-30 and of saldos a favor
follow the plan in PLAN, so that the monthly figures move plausibly.
Everything is drawn from the generator passed in, so the walk is
deterministic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

MONTHS = ("2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07")
CUTOFFS = (
    dt.date(2025, 2, 28),
    dt.date(2025, 3, 31),
    dt.date(2025, 4, 30),
    dt.date(2025, 5, 31),
    dt.date(2025, 6, 30),
    dt.date(2025, 7, 31),
)
JULY = len(MONTHS) - 1

ACTIVO, SUSPENDIDO, RETIRADO = "ACTIVO", "SUSPENDIDO", "RETIRADO"
MOROSO, CORRIENTE, FAVOR, CERO = "moroso", "corriente", "favor", "cero"

INTEREST = 0.012  # simple monthly interest on each unpaid bill
P_PARTIAL = 0.04  # morosos that paid some of their oldest bills
P_BROKEN = 0.004  # morosos over 120 días whose agreement broke
P_STILL_CURRENT = 0.58  # current accounts that were current the month before
P_RETIRED_WITH_DEBT = 0.4
SEGMENT_FLOORS = (31, 61, 121)  # morosos' segments: 31-60, 61-120, 121+


@dataclass(frozen=True)
class MonthPlan:
    """Targets of one earlier month, as the report counts them."""

    morosos: int  # usuarios morosos, with the orphan and retired accounts
    corrientes: int  # accounts in the 0-30 segment
    favor: int  # accounts with a net saldo a favor
    retiros: int  # accounts shown as RETIRADO (gone the next month)


PLAN = {
    "2025-02": MonthPlan(morosos=9_468, corrientes=10_112, favor=57, retiros=58),
    "2025-03": MonthPlan(morosos=9_602, corrientes=10_236, favor=63, retiros=71),
    "2025-04": MonthPlan(morosos=9_571, corrientes=10_190, favor=55, retiros=49),
    "2025-05": MonthPlan(morosos=9_745, corrientes=10_305, favor=61, retiros=66),
    "2025-06": MonthPlan(morosos=9_839, corrientes=10_274, favor=58, retiros=62),
}


@dataclass
class MonthState:
    """Every account of the universe at one cutoff (arrays in universe order)."""

    month: int  # index into MONTHS
    present: np.ndarray  # bool: in the month's guía
    estado: np.ndarray  # ACTIVO, SUSPENDIDO or RETIRADO
    cents: np.ndarray  # net balance; < 0 is a saldo a favor
    dias: np.ndarray  # días de mora of the oldest positive line
    bills: np.ndarray  # unpaid bills behind a positive balance
    unit: np.ndarray  # centavos of one of those bills, interest aside
    role: np.ndarray  # MOROSO, CORRIENTE, FAVOR, CERO or ""

    @property
    def cutoff(self) -> dt.date:
        return CUTOFFS[self.month]

    @property
    def periodo(self) -> str:
        return MONTHS[self.month]


def debt_factor(bills: np.ndarray) -> np.ndarray:
    """Bills owed times their simple interest: the debt of `bills` unit bills."""
    return bills * (1 + INTEREST * (bills - 1))


def bills_for_days(dias: np.ndarray) -> np.ndarray:
    """Unpaid bills behind a balance of `dias` días (one more than its months)."""
    return np.where(dias >= 1, (dias - 1) // 30 + 1, 1)


def whole_pesos(cents: np.ndarray) -> np.ndarray:
    """Centavos rounded to whole pesos."""
    return (np.rint(np.asarray(cents, dtype=float) / 100) * 100).astype(np.int64)


def roles(cents: np.ndarray, dias: np.ndarray, role: np.ndarray) -> np.ndarray:
    """Moroso or corriente from balance and días; favor and cero kept."""
    out = np.where(cents > 0, np.where(dias >= 31, MOROSO, CORRIENTE), "")
    keep = (role == FAVOR) | (role == CERO)
    return np.where(keep, role, out).astype(object)


# --- The universe -----------------------------------------------------------


@dataclass
class Universe:
    """What the walk needs to know about every account, July's and retired."""

    estrato: np.ndarray
    bill: np.ndarray  # whole pesos of a typical monthly bill
    alta: np.ndarray  # datetime64[D] of FECHA ALTA
    cell: np.ndarray  # comuna × estrato, numbered from 0
    first: np.ndarray  # first month in the guía
    last: np.ndarray  # last month in the guía (JULY, or its retirement)
    established: np.ndarray  # connected before February: may have old debt

    def __len__(self) -> int:
        return len(self.bill)

    def age_days(self, month: int) -> np.ndarray:
        """Days from FECHA ALTA to the month's cutoff."""
        cutoff = np.datetime64(CUTOFFS[month], "D")
        return (cutoff - self.alta).astype(np.int64)


def first_months(alta: np.ndarray, debt_days: np.ndarray) -> np.ndarray:
    """The first cutoff after FECHA ALTA; 0 when July's debt is older than that.

    A few July accounts owe bills due before their FECHA ALTA (an inconsistency
    of July's data); they are taken as older subscribers.
    """
    cutoffs = np.array(CUTOFFS, dtype="datetime64[D]")
    first = np.searchsorted(cutoffs, alta, side="left")
    july_age = (cutoffs[JULY] - alta).astype(np.int64)
    return np.where(debt_days > july_age, 0, np.minimum(first, JULY))


# --- One step back ----------------------------------------------------------


@dataclass
class Step:
    """The state of month m being built from month m + 1."""

    later: MonthState
    earlier: MonthState
    locked: np.ndarray  # decided by the later state; not free for the plan

    @property
    def month(self) -> int:
        return self.earlier.month


def empty_state(month: int, size: int) -> MonthState:
    """A month where no account is in the guía nor owes anything."""
    return MonthState(
        month=month,
        present=np.zeros(size, dtype=bool),
        estado=np.full(size, ACTIVO, dtype=object),
        cents=np.zeros(size, dtype=np.int64),
        dias=np.zeros(size, dtype=np.int64),
        bills=np.zeros(size, dtype=np.int64),
        unit=np.zeros(size, dtype=float),
        role=np.full(size, "", dtype=object),
    )


def set_debt(
    state: MonthState,
    idx: np.ndarray,
    dias: np.ndarray | int,
    bills: np.ndarray | int,
    unit: np.ndarray,
) -> None:
    """Give accounts `idx` a debt of `bills` unit bills, the oldest `dias` old."""
    state.dias[idx] = dias
    state.bills[idx] = bills
    state.unit[idx] = unit
    state.cents[idx] = whole_pesos(unit * debt_factor(np.asarray(bills)))


def walk_morosos(step: Step, uni: Universe, rng: np.random.Generator) -> None:
    """Morosos of month m + 1: they accrued, paid part, or broke an agreement."""
    later, earlier = step.later, step.earlier
    gap = (later.cutoff - earlier.cutoff).days
    idx = np.flatnonzero(earlier.present & (later.role == MOROSO))
    step.locked[idx] = True
    u = rng.random(len(idx))
    paid_bills = rng.choice([1, 2, 3], size=len(idx), p=[0.6, 0.3, 0.1])
    older = uni.established[idx]

    broken = older & (later.dias[idx] > 120) & (u < P_BROKEN)
    partial = older & ~broken & (u > 1 - P_PARTIAL)
    partial &= later.dias[idx] - gap + 30 * paid_bills <= uni.age_days(step.month)[idx]
    k = np.where(partial, paid_bills, 0)

    owing = idx[~broken]
    k = k[~broken]
    set_debt(
        earlier,
        owing,
        dias=later.dias[owing] - gap + 30 * k,
        bills=np.maximum(later.bills[owing] - 1 + k, 1),
        unit=later.unit[owing],
    )


def current_days(n: int, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Días of current balances: 45 % not yet due, the rest 1-29; never before alta."""
    days = np.where(rng.random(n) < 0.45, 0, rng.integers(1, 30, size=n))
    return np.clip(days, 0, np.maximum(age, 0))


def give_current(
    step: Step, idx: np.ndarray, uni: Universe, scale: float, rng: np.random.Generator
) -> None:
    """A current balance: about one bill, more when it is already overdue."""
    earlier, later = step.earlier, step.later
    gap = (later.cutoff - earlier.cutoff).days
    days = current_days(len(idx), uni.age_days(step.month)[idx], rng)
    # Days that grew by exactly the calendar would mean no payment; then the
    # balance could not have been larger, so avoid the coincidence.
    same = (later.cents[idx] > 0) & (days == later.dias[idx] - gap)
    days = np.where(same & (days < 29), days + 1, np.where(same, days - 1, days))

    noise = rng.lognormal(0, 0.35, size=len(idx)) * np.where(days > 0, 1.8, 1.0)
    unit = uni.bill[idx] * 100 * scale * noise
    set_debt(earlier, idx, dias=days, bills=1, unit=unit)


def segment_of(dias: np.ndarray) -> np.ndarray:
    """0, 1 and 2 for the morosos' segments 31-60, 61-120 and 121+."""
    return np.searchsorted(SEGMENT_FLOORS, dias, side="right") - 1


def morosos(state: MonthState) -> np.ndarray:
    """The month's accounts that owe with 31 días or more."""
    return state.present & (state.cents > 0) & (state.dias >= 31)


def cell_choice(
    uni: Universe,
    pool: np.ndarray,
    count: int,
    shares: tuple[np.ndarray, np.ndarray],
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw `count` accounts of `pool`, filling the cells furthest below July.

    `shares` holds, per cell, July's accounts of the kind being filled and
    those the month already has; the goal keeps July's mix.
    """
    july, have = shares
    goal = july / july.sum() * (have.sum() + count)
    shortfall = np.clip(goal - have, 0, None) + 0.01
    available = np.bincount(uni.cell[pool], minlength=len(goal))
    weight = shortfall[uni.cell[pool]] / available[uni.cell[pool]]
    return rng.choice(pool, size=count, replace=False, p=weight / weight.sum())


def cure(
    step: Step,
    uni: Universe,
    july: MonthState,
    scales: dict[str, float],
    rng: np.random.Generator,
) -> None:
    """Make accounts without arrears at m + 1 morosos at m, to meet the plan.

    By segment and by comuna × estrato the cured fill what the month lacks
    against July's mix: young debts are mostly estrato 2 and commercial,
    old ones estrato 1.
    """
    earlier, later = step.earlier, step.later
    plan = PLAN[MONTHS[step.month]]
    missing = plan.morosos - 1 - int(morosos(earlier).sum())  # and the orphan
    if missing <= 0:
        return

    free = earlier.present & later.present & ~step.locked & uni.established
    free &= earlier.estado != RETIRADO
    age = uni.age_days(step.month)
    cells = uni.cell.max() + 1
    for segment, count in enumerate(segment_quota(earlier, july, missing)):
        floor = SEGMENT_FLOORS[segment]
        in_july = (july.role == MOROSO) & (segment_of(july.dias) == segment)
        in_month = morosos(earlier) & (segment_of(earlier.dias) == segment)
        shares = (
            np.bincount(uni.cell[in_july], minlength=cells),
            np.bincount(uni.cell[in_month], minlength=cells),
        )
        pool = np.flatnonzero(free & (age >= floor + 30))
        chosen = cell_choice(uni, pool, count, shares, rng)
        free[chosen] = False
        step.locked[chosen] = True

        days = np.minimum(cured_days(floor, count, rng), age[chosen] - 30)
        unit = moroso_unit(chosen, uni, scales, rng)
        set_debt(earlier, chosen, dias=days, bills=bills_for_days(days), unit=unit)


def cured_days(floor: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """Días of debts about to be settled, in the segment starting at `floor`."""
    if floor < 121:
        return rng.integers(floor, 2 * floor - 1, size=count)
    # Old debts are seldom settled: those that are, are a few months old.
    return 121 + np.minimum(rng.exponential(100, size=count), 780).astype(int)


def segment_quota(earlier: MonthState, july: MonthState, total: int) -> list[int]:
    """Split `total` cures among 31-60, 61-120 and 121+ to keep July's mix."""
    owed = morosos(earlier)
    have = np.bincount(segment_of(earlier.dias[owed]), minlength=3)
    july_mix = np.bincount(segment_of(july.dias[july.role == MOROSO]), minlength=3)
    goal = july_mix / july_mix.sum() * (have.sum() + total)
    deficit = np.clip(goal - have, 0, None) + 1e-9
    exact = deficit / deficit.sum() * total
    counts = np.floor(exact).astype(int)
    counts[np.argsort(counts - exact)[: total - counts.sum()]] += 1
    return counts.tolist()


def moroso_unit(
    idx: np.ndarray, uni: Universe, scales: dict[str, float], rng: np.random.Generator
) -> np.ndarray:
    """One bill of a debt, scaled as July's morosos of the same estrato."""
    scale = np.array([scales.get(e, scales[""]) for e in uni.estrato[idx]])
    return uni.bill[idx] * 100 * scale * rng.lognormal(0, 0.45, size=len(idx))


def keep_current(
    step: Step, uni: Universe, scale: float, rng: np.random.Generator
) -> None:
    """Some of m + 1's current accounts were current at m too; others had none."""
    earlier, later = step.earlier, step.later
    idx = np.flatnonzero(earlier.present & ~step.locked & (later.role == CORRIENTE))
    kept = idx[rng.random(len(idx)) < P_STILL_CURRENT]
    give_current(step, kept, uni, scale, rng)
    step.locked[idx] = True


def fill_current(
    step: Step,
    uni: Universe,
    july: MonthState,
    scale: float,
    rng: np.random.Generator,
) -> None:
    """Accounts without balance at m + 1 complete the plan's 0-30 segment."""
    earlier = step.earlier
    plan = PLAN[MONTHS[step.month]]
    have = earlier.present & (earlier.cents > 0) & (earlier.dias <= 30)
    missing = plan.corrientes - int(have.sum())
    if missing <= 0:
        return

    free = np.flatnonzero(
        earlier.present
        & ~step.locked
        & (earlier.estado != RETIRADO)
        & (uni.age_days(step.month) >= 0)
    )
    cells = uni.cell.max() + 1
    shares = (
        np.bincount(uni.cell[july.role == CORRIENTE], minlength=cells),
        np.bincount(uni.cell[have], minlength=cells),
    )
    chosen = cell_choice(uni, free, missing, shares, rng)
    give_current(step, chosen, uni, scale, rng)
    step.locked[chosen] = True


def saldos_a_favor(step: Step, rng: np.random.Generator) -> None:
    """Saldos a favor and two accounts whose lines net to zero."""
    earlier = step.earlier
    plan = PLAN[MONTHS[step.month]]
    free = np.flatnonzero(
        earlier.present
        & ~step.locked
        & (earlier.cents == 0)
        & (earlier.estado != RETIRADO)
    )
    chosen = rng.choice(free, size=plan.favor + 2, replace=False)
    pesos = np.rint(rng.lognormal(np.log(45_000), 0.8, size=plan.favor) / 100) * 100
    earlier.cents[chosen[: plan.favor]] = -pesos.astype(np.int64) * 100
    earlier.role[chosen[: plan.favor]] = FAVOR
    earlier.role[chosen[plan.favor :]] = CERO
    step.locked[chosen] = True


def retire(
    step: Step,
    uni: Universe,
    july: MonthState,
    scales: dict[str, float],
    rng: np.random.Generator,
) -> None:
    """Accounts whose last month is m: RETIRADO, some still owing."""
    earlier = step.earlier
    idx = np.flatnonzero(uni.last == step.month)
    earlier.estado[idx] = RETIRADO
    step.locked[idx] = True

    owing = idx[rng.random(len(idx)) < P_RETIRED_WITH_DEBT]
    july_days = july.dias[july.role == MOROSO]
    age = uni.age_days(step.month)[owing]
    days = np.minimum(rng.choice(july_days, size=len(owing)), age - 30)
    unit = moroso_unit(owing, uni, scales, rng)
    set_debt(earlier, owing, dias=days, bills=bills_for_days(days), unit=unit)


def estados(step: Step, rng: np.random.Generator) -> None:
    """Estado at m: as at m + 1, but suspensions follow the debt."""
    earlier, later = step.earlier, step.later
    moroso_now = (earlier.cents > 0) & (earlier.dias >= 31)
    moroso_later = later.role == MOROSO
    retiring = earlier.estado == RETIRADO
    estado = np.where(later.present, later.estado, ACTIVO).astype(object)
    estado[estado == RETIRADO] = ACTIVO

    # Suspended for the debt that made them morosos after m.
    estado[(estado == SUSPENDIDO) & moroso_later & ~moroso_now] = ACTIVO
    # Old debts paid after m: suspended then, reconnected later.
    old = moroso_now & (earlier.dias > 120) & ~moroso_later
    estado[old & (rng.random(len(estado)) < 0.5)] = SUSPENDIDO
    estado[retiring] = RETIRADO
    earlier.estado = estado


def step_back(
    later: MonthState,
    uni: Universe,
    july: MonthState,
    scales: dict[str, float],
    rng: np.random.Generator,
) -> MonthState:
    """Return the state of the month before `later`."""
    month = later.month - 1
    earlier = empty_state(month, len(uni))
    earlier.present = (uni.first <= month) & (uni.last >= month)
    step = Step(later, earlier, locked=~earlier.present)

    retire(step, uni, july, scales, rng)
    walk_morosos(step, uni, rng)
    cure(step, uni, july, scales, rng)
    keep_current(step, uni, scales["corriente"], rng)
    fill_current(step, uni, july, scales["corriente"], rng)
    saldos_a_favor(step, rng)
    estados(step, rng)
    earlier.role = roles(earlier.cents, earlier.dias, earlier.role)
    return earlier


# --- From July back to February ---------------------------------------------


def july_scales(july: MonthState, uni: Universe) -> dict[str, float]:
    """How July's balances compare with the accounts' bills.

    By estrato for morosos (one bill of their debt over the typical bill),
    under "" for all morosos, and under "corriente" for current balances.
    """
    mor = np.flatnonzero(july.role == MOROSO)
    ratio = july.unit[mor] / (uni.bill[mor] * 100)
    frame = pd.DataFrame({"estrato": uni.estrato[mor], "ratio": ratio})
    scales = frame.groupby("estrato")["ratio"].median().to_dict()
    scales[""] = float(np.median(ratio))

    cur = np.flatnonzero(july.role == CORRIENTE)
    expected = uni.bill[cur] * 100 * np.where(july.dias[cur] > 0, 1.8, 1.0)
    scales["corriente"] = float(
        july.cents[cur].sum() / expected.sum() / np.exp(0.35**2 / 2)
    )
    return scales


def prepare_july(july: MonthState) -> None:
    """Unit bills behind July's positive balances."""
    owing = july.cents > 0
    july.bills = np.where(owing, bills_for_days(july.dias), 0)
    july.unit = np.where(
        owing, july.cents / debt_factor(np.maximum(july.bills, 1)), 0.0
    )


def walk_back(
    july: MonthState, uni: Universe, rng: np.random.Generator
) -> list[MonthState]:
    """Return the states of February to July, oldest first."""
    prepare_july(july)
    scales = july_scales(july, uni)
    states = [july]
    while states[0].month > 0:
        states.insert(0, step_back(states[0], uni, july, scales, rng))
    return states
