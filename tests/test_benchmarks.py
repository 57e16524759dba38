"""The benchmark's pieces on a small month: `make benchmark` must keep working.

The benchmark itself takes minutes and is not part of the suite; this runs
its generator, the product, the pandas baseline and the floor on a month of
2.000 accounts (as .xlsx and as CSV), in the same way `benchmarks/run.py`
does, and checks that all three agree with the generator's own figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from benchmarks import generate, months, run
from gui.widgets.debtor_list import COLUMNS

ACCOUNTS = 2_000
APP_TIMEOUT_S = 180


@pytest.fixture(params=["xlsx", "csv"])
def small_month(request, tmp_path_factory, monkeypatch):
    name = f"prueba-{request.param}"
    monkeypatch.setitem(months.SIZES, name, (ACCOUNTS, request.param))
    folder = tmp_path_factory.mktemp(name)
    return generate.ensure_month(name, folder)


def test_the_generator_counts_what_it_writes(small_month):
    expected = small_month.expected()
    assert expected["cuentas"] == expected["usuarios_activos"] == ACCOUNTS
    assert 0 < expected["usuarios_morosos"] < ACCOUNTS
    assert Decimal(expected["cartera_morosa"]) > 0
    # About 0.3 cartera lines per account, as in the office's month.
    assert 0.25 < expected["lineas_cartera"] / ACCOUNTS < 0.4


def test_the_product_and_the_baseline_agree_with_the_generator(
    small_month, tmp_path
):
    env = run.child_env(tmp_path / "datos")
    result = run.measure_month(small_month, (1, 1), env, tmp_path, warm_up=False)

    assert run.figures_agree(result), result.figures
    assert set(result.figures) == {"generador", "producto", "línea base"}
    for series in (result.product, result.baseline, result.floor):
        assert [r.returncode for r in series.runs] == [0]
        assert series.median > 0 and series.peak_mb > 0
    if small_month.fmt == "xlsx":
        assert result.calamine is not None
        assert [r.returncode for r in result.calamine.runs] == [0]


def test_figures_that_differ_by_a_centavo_disagree(small_month, tmp_path):
    expected = small_month.expected()
    off = dict(expected, cartera_morosa=str(
        Decimal(expected["cartera_morosa"]) + Decimal("0.01")))
    result = run.MonthResult(
        small_month, run.Series(), run.Series(), run.Series(),
        {"generador": expected, "producto": dict(expected), "línea base": off},
    )
    assert not run.figures_agree(result)
    result.figures["línea base"] = dict(expected)
    assert run.figures_agree(result)


def test_the_app_timings_run_twice_on_one_data_folder(small_month, tmp_path):
    """Each app run keeps its own history: a second run of the same month
    must not stop at the app's question about replacing the saved month."""
    if small_month.fmt != "xlsx":
        pytest.skip("the app's timings use the .xlsx months")
    env = run.child_env(tmp_path / "datos")
    files = [str(small_month.guia), str(small_month.cartera)]
    script = [sys.executable, str(run.ROOT / "benchmarks" / "app_timing.py")]

    for _ in range(2):
        listing = json.loads(subprocess.run(
            [*script, "lista", *files], env=env, capture_output=True, text=True,
            check=True, timeout=APP_TIMEOUT_S).stdout)
        assert listing["filas"] == small_month.expected()["usuarios_morosos"]
        assert len(listing["ordenar"]) == 2 * len(COLUMNS)
    tabs = json.loads(subprocess.run(
        [*script, "pestanas", *files], env=env, capture_output=True, text=True,
        check=True, timeout=APP_TIMEOUT_S).stdout)
    assert tabs
