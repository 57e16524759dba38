"""The bundled sample's six months, read with the product for the tests."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from core.history import HistoryStore
from core.model import MonthResult
from core.pipeline import MonthSources, process_month
from core.resources import resource_path

SAMPLE_PERIODS = ("2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07")


@dataclasses.dataclass
class SampleMonth:
    """One sample month as the product reads it, its files' frames dropped."""

    result: MonthResult  # cuentas keeps a few columns, indexed by cuenta
    guia: pd.DataFrame  # estado of each guía account, indexed by cuenta


@dataclasses.dataclass
class SampleHistory:
    """The six sample months, and a history database holding all of them."""

    months: dict[str, SampleMonth]
    database: Path


def sample_files(periodo: str) -> tuple[Path, Path]:
    """Return the guía and the cartera of one sample month."""
    folder = resource_path("sample")
    return folder / f"guia_usuarios_{periodo}.xlsx", folder / f"cartera_{periodo}.xlsx"


def _slim(result: MonthResult) -> SampleMonth:
    """Keep what the tests read: six months of frames would take ~1 GB."""
    guia = result.fuentes[0].frame[["cuenta", "estado"]]
    guia = guia.drop_duplicates("cuenta").set_index("cuenta")
    columns = ["cuenta", "deuda", "dias", "lineas", "segmento", "moroso"]
    result.cuentas = result.cuentas[columns].set_index("cuenta")
    result.fuentes = [
        dataclasses.replace(f, frame=pd.DataFrame()) for f in result.fuentes
    ]
    return SampleMonth(result, guia)


def read_sample_history(database: Path) -> SampleHistory:
    """Process the six sample months and save them in a new history."""
    months = {}
    with HistoryStore(database) as store:
        for periodo in SAMPLE_PERIODS:
            result = process_month(MonthSources(*sample_files(periodo)))
            store.add_month(result)
            months[periodo] = _slim(result)
    return SampleHistory(months, database)
