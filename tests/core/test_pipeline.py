"""Reading the guía and the cartera at the same time behaves as in turn."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from core.errors import CancelledError, CaracterizacionError
from core.pipeline import MonthSources, process_month
from core.resources import sample_month


@pytest.fixture
def not_a_sheet(tmp_path: Path) -> Path:
    bad = tmp_path / "no_es_hoja.xlsx"
    bad.write_text("esto no es una hoja de cálculo\n", encoding="utf-8")
    return bad


def test_when_both_files_are_bad_the_guia_is_named(tmp_path, not_a_sheet):
    other = tmp_path / "cartera_mala.xlsx"
    other.write_bytes(not_a_sheet.read_bytes())
    with pytest.raises(CaracterizacionError) as raised:
        process_month(MonthSources(usuarios=not_a_sheet, cartera=other))
    assert raised.value.path == not_a_sheet


def test_a_bad_cartera_is_named_when_the_guia_is_good(not_a_sheet):
    month = sample_month()
    with pytest.raises(CaracterizacionError) as raised:
        process_month(MonthSources(usuarios=month["usuarios"], cartera=not_a_sheet))
    assert raised.value.path == not_a_sheet


def test_progress_only_grows_and_reaches_the_end():
    month = sample_month()
    seen: list[float] = []
    lock = threading.Lock()

    def progress(fraction: float, _text: str) -> None:
        with lock:
            seen.append(fraction)

    process_month(MonthSources(month["usuarios"], month["cartera"]),
                  progress=progress)
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    assert len(set(seen)) >= 5


def test_cancelling_stops_both_reads():
    month = sample_month()
    with pytest.raises(CancelledError):
        process_month(MonthSources(month["usuarios"], month["cartera"]),
                      cancelled=lambda: True)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(not_a_sheet, enabled):
    month = sample_month()
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        process_month(MonthSources(month["usuarios"], month["cartera"]))
        assert gc.isenabled() is enabled
        with pytest.raises(CaracterizacionError):
            process_month(MonthSources(month["usuarios"], not_a_sheet))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
