"""The bundled sample's six months, February to July 2025, as a history.

Each month is read with the product (once per session, see conftest) and
saved in one history. The properties below hold for any consistent history
of a cartera, whatever generated it:

- Días de mora count from the oldest unpaid bill to the cutoff, so between
  two cutoffs an account's días grow at most by the calendar days between
  them (31 from June 30 to July 31); they grow by exactly that only when
  nothing was paid, and then the debt grew (a new bill, interest).
- A subscriber's first month has no bill overdue a month; an account that
  leaves the guía was RETIRADO in its last one and owes nothing after.
- The month-to-month tables are the months' own figures regrouped: the
  trend repeats each month's summary, and the transition matrix's rows and
  columns add up to the segments of the two months it compares.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from core.evolution import GONE, NEW, Dashboard, build_dashboard
from core.history import HistoryStore
from tests.core.sample_months import (
    SAMPLE_PERIODS,
    SampleHistory,
    SampleMonth,
    sample_files,
)

CUTOFFS = {
    "2025-02": dt.date(2025, 2, 28),
    "2025-03": dt.date(2025, 3, 31),
    "2025-04": dt.date(2025, 4, 30),
    "2025-05": dt.date(2025, 5, 31),
    "2025-06": dt.date(2025, 6, 30),
    "2025-07": dt.date(2025, 7, 31),
}
EARLIER = SAMPLE_PERIODS[:-1]
PAIRS = list(itertools.pairwise(SAMPLE_PERIODS))
SEGMENTS = ["0-30", "31-60", "61-120", "121+"]
ORPHAN_PESOS = Decimal("611344.00")


def _gap(before: str, after: str) -> int:
    return (CUTOFFS[after] - CUTOFFS[before]).days


def _segments(month: SampleMonth) -> dict[str, tuple[int, Decimal]]:
    """The month's own segmentos_por_atraso: accounts and debt per segment."""
    table = month.result.tablas["segmentos_por_atraso"]
    return {row[0]: (row[1], row[2]) for row in table.filas}


def _owing(month: SampleMonth) -> pd.DataFrame:
    cuentas = month.result.cuentas
    return cuentas[cuentas["deuda"] > 0]


def _cells(dashboard: Dashboard) -> dict[str, dict[str, int]]:
    """The transition matrix in accounts, as cells[desde][hacia]."""
    matrix = dashboard.tablas["transiciones"]
    return {row[0]: dict(zip(matrix.columnas[1:], row[1:])) for row in matrix.filas}


def _alta(value: object) -> dt.date:
    """FECHA ALTA is an Excel date or `dd/mm/yyyy` text."""
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()


def _both(history: SampleHistory, before: str, after: str) -> pd.DataFrame:
    """Accounts with a balance in both months, with both months' figures."""
    return _owing(history.months[before]).merge(
        _owing(history.months[after]),
        left_index=True,
        right_index=True,
        suffixes=("_ant", "_act"),
    )


@pytest.fixture(scope="module")
def dashboards(sample_history: SampleHistory) -> dict[str, Dashboard]:
    """Each month from March on against the month before."""
    with HistoryStore(sample_history.database) as store:
        return {after: build_dashboard(store, after, before) for before, after in PAIRS}


@pytest.fixture(scope="module")
def july_altas() -> pd.Series:
    """FECHA ALTA of each account of July's guía, read with plain pandas."""
    raw = pd.read_excel(
        sample_files("2025-07")[0], header=5, dtype=object, engine="calamine"
    )
    raw = raw[raw["FECHA ALTA"].notna()]
    cuentas = [str(int(v)) for v in raw["MATRICULA"]]  # the product's key
    altas = pd.Series([_alta(v) for v in raw["FECHA ALTA"]], index=cuentas)
    return altas[~altas.index.duplicated()]


# --- Each month on its own ---------------------------------------------------


@pytest.mark.parametrize("periodo", SAMPLE_PERIODS)
def test_each_month_reads_its_own_period_and_cutoff(sample_history, periodo):
    result = sample_history.months[periodo].result
    guia, cartera = result.fuentes

    assert (result.periodo, result.fecha_corte) == (periodo, CUTOFFS[periodo])
    assert (guia.periodo, guia.fecha_corte) == (periodo, CUTOFFS[periodo])
    assert cartera.fecha_corte == CUTOFFS[periodo]
    assert "periodos_distintos" not in {item.codigo for item in result.calidad}


@pytest.mark.parametrize("periodo", EARLIER)
def test_earlier_months_have_julys_kinds_of_mess(sample_history, periodo):
    month = sample_history.months[periodo]
    items = {item.codigo: item for item in month.result.calidad}
    suspended = (month.guia["estado"] == "SUSPENDIDO").mean()

    assert items["duplicados_guia"].cantidad == 3
    assert items["cartera_sin_guia"].cantidad == 1
    assert items["cartera_sin_guia"].valor == ORPHAN_PESOS
    assert 40 <= items["saldo_a_favor"].cantidad <= 80
    assert (month.result.cuentas["lineas"] > 1).sum() >= 300
    assert suspended == pytest.approx(0.07, abs=0.01)


@pytest.mark.parametrize("periodo", SAMPLE_PERIODS)
def test_each_month_reconciles_with_its_file_totals(sample_history, periodo):
    result = sample_history.months[periodo].result
    totals = [i.mensaje for i in result.calidad if i.codigo == "total_archivo"]

    assert all(check.cuadra for check in result.conciliacion)
    assert any("TOTAL GENERAL" in m and " cuadra con la suma" in m for m in totals)
    assert any("cuadra con las cuentas distintas" in m for m in totals)
    assert not any("no cuadra con la suma" in m for m in totals)


@pytest.mark.parametrize("periodo", EARLIER)
def test_earlier_carteras_have_julys_layout(periodo):
    raw = pd.read_excel(
        sample_files(periodo)[1], header=None, dtype=object, engine="calamine"
    )
    first = raw[0].astype(str)
    headers = raw.index[first == "MATRICULA"]
    totals = first.str.startswith("SUBTOTAL ESTRATO") | (first == "TOTAL GENERAL")
    lines = raw[0].notna() & ~totals & (first != "MATRICULA") & (raw.index > 6)
    text_amounts = raw[raw.columns[-1]][lines].map(lambda v: isinstance(v, str))

    assert raw.iloc[2, 0] == f"CORTE: {CUTOFFS[periodo]:%d/%m/%Y}"
    assert raw.iloc[5].tolist().count("EDADES DE CARTERA (DIAS)") == 1
    assert set(np.diff(lines.cumsum()[headers])) == {60}
    assert totals.sum() >= 10
    assert 0.01 < text_amounts.mean() < 0.05


# --- The trend and the transitions agree with each month's report ------------


def test_tendencia_repeats_each_months_summary(sample_history, dashboards):
    trend = dashboards["2025-07"].tablas["tendencia"]
    summaries = {p: m.result.resumen for p, m in sample_history.months.items()}
    expected = [
        [
            p,
            s.usuarios_activos,
            s.usuarios_morosos,
            s.cartera_morosa,
            s.porcentaje_morosos,
        ]
        for p, s in summaries.items()
    ]

    assert trend.filas == expected


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_transitions_add_up_to_both_months_segments(
    sample_history, dashboards, before, after
):
    matrix = dashboards[after].tablas["transiciones"]
    rows = {row[0]: sum(row[1:]) for row in matrix.filas}
    columns = dict(zip(matrix.columnas[1:], matrix.total[1:]))
    ant = _segments(sample_history.months[before])
    act = _segments(sample_history.months[after])
    owing_ant = set(_owing(sample_history.months[before]).index)
    owing_act = set(_owing(sample_history.months[after]).index)

    assert {s: rows[s] for s in SEGMENTS} == {s: ant[s][0] for s in SEGMENTS}
    assert {s: columns[s] for s in SEGMENTS} == {s: act[s][0] for s in SEGMENTS}
    assert rows[NEW] == len(owing_act - owing_ant) > 0
    assert columns[GONE] == len(owing_ant - owing_act) > 0


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_transitions_in_pesos_add_up_to_last_months_segments(
    sample_history, dashboards, before, after
):
    matrix = dashboards[after].tablas["transiciones_deuda"]
    rows = {row[0]: sum(row[1:]) for row in matrix.filas}
    ant = _segments(sample_history.months[before])
    act = _owing(sample_history.months[after])
    new = act.index.difference(_owing(sample_history.months[before]).index)

    assert {s: rows[s] for s in SEGMENTS} == {s: ant[s][1] for s in SEGMENTS}
    assert rows[NEW] == Decimal(int(act.loc[new, "deuda"].sum())) / 100


# --- Accounts move as the calendar allows ------------------------------------


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_debts_never_age_faster_than_the_calendar(sample_history, before, after):
    both = _both(sample_history, before, after)
    growth = both["dias_act"] - both["dias_ant"]

    assert len(both) > 10_000
    assert growth.max() <= _gap(before, after)


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_segment_61_120_came_from_31_or_more_days(sample_history, before, after):
    """Except an account at 30 días in a month followed by one of 31 days."""
    both = _both(sample_history, before, after)
    now = both[both["segmento_act"] == "61-120"]
    from_current = now[now["segmento_ant"] == "0-30"]

    assert len(now) > 500
    assert (from_current["dias_ant"] == 30).all()
    assert (from_current["dias_act"] == 61).all()
    assert from_current.empty or _gap(before, after) == 31


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_young_segments_cannot_reach_121_in_a_month(dashboards, before, after):
    cells = _cells(dashboards[after])

    assert cells["0-30"]["121+"] == 0
    assert cells["31-60"]["121+"] == 0


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_unpaid_debts_grow(sample_history, before, after):
    """Billed accounts owe one more bill; the orphan, retired, owes the same."""
    both = _both(sample_history, before, after)
    unpaid = both[both["dias_act"] - both["dias_ant"] == _gap(before, after)]
    billed = unpaid.index.isin(sample_history.months[after].guia.index)

    assert billed.sum() > 5_000
    assert (unpaid.loc[billed, "deuda_act"] > unpaid.loc[billed, "deuda_ant"]).all()
    assert (unpaid["deuda_act"] >= unpaid["deuda_ant"]).all()


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_most_morosos_stay_morosos(sample_history, before, after):
    ant = sample_history.months[before].result.cuentas
    act = sample_history.months[after].result.cuentas
    morosos = ant.index[ant["moroso"]]
    still = act["moroso"].reindex(morosos, fill_value=False)

    assert 0.8 <= still.mean() < 0.98


# --- Subscribers come and go -------------------------------------------------


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_new_subscribers_owe_nothing_overdue_a_month(sample_history, before, after):
    ant, act = sample_history.months[before], sample_history.months[after]
    new = act.guia.index.difference(ant.guia.index)
    owing = act.result.cuentas.reindex(new).dropna(subset=["deuda"])

    assert 20 <= len(new) <= 300
    assert (owing["dias"] <= 30).all()


@pytest.mark.parametrize("periodo", EARLIER)
def test_july_accounts_absent_earlier_were_connected_later(
    sample_history, july_altas, periodo
):
    absent = sample_history.months["2025-07"].guia.index.difference(
        sample_history.months[periodo].guia.index
    )

    assert len(absent) >= 20
    assert (july_altas.reindex(absent) > CUTOFFS[periodo]).all()


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_accounts_leave_as_retirado(sample_history, before, after):
    ant, act = sample_history.months[before], sample_history.months[after]
    gone = ant.guia.index.difference(act.guia.index)

    assert 20 <= len(gone) <= 300
    assert (ant.guia.loc[gone, "estado"] == "RETIRADO").all()
    assert act.result.cuentas.index.intersection(gone).empty
    assert ant.result.cuentas["moroso"].reindex(gone, fill_value=False).any()


@pytest.mark.parametrize("periodo", SAMPLE_PERIODS)
def test_usuarios_activos_leave_out_the_retired(sample_history, periodo):
    month = sample_history.months[periodo]
    retired = (month.guia["estado"] == "RETIRADO").sum()

    assert month.result.resumen.usuarios_activos == len(month.guia) - retired


# --- The figures move plausibly ----------------------------------------------


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_figures_move_a_little_each_month(sample_history, before, after):
    ant = sample_history.months[before].result.resumen
    act = sample_history.months[after].result.resumen
    growth = act.cartera_morosa / ant.cartera_morosa - 1

    assert 0 < abs(act.usuarios_morosos - ant.usuarios_morosos) <= 600
    assert Decimal("0.005") < growth < Decimal("0.06")
    assert 0 < abs(act.usuarios_activos - ant.usuarios_activos) <= 300
