"""One month from its files to every figure: read, validate, apply rules, tabulate."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import CancelledError, PeriodError, ReadError
from core.resources import resource_path

from core.model import LoadedFile, MonthResult, Table
from core.quality import QualityReport, period_mismatch, reconciliation
from core.rules import accounts_frame, users_frame
from core.settings import Settings, load_settings
from core.survey import (
    CROSS_FIELDS,
    distribution_table,
    indicators_by,
    indicators_table,
    read_survey,
)
from core.tables import TableBuilder

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]

PERIOD_IN_NAME = re.compile(r"(20\d\d)[-_]?(0[1-9]|1[0-2])")
SAMPLE_GUIA = re.compile(r"^guia_usuarios_(\d{4}-\d{2})\.xlsx$")


@dataclass
class MonthSources:
    """The files of one month and how to read them."""

    usuarios: Path
    cartera: Path
    encuesta: Path | None = None
    periodo: str | None = None
    mapas: dict[str, dict[str, str]] = field(default_factory=dict)
    # Mappings the user gave in the app, by layout key (columns.layout_key).
    formatos: dict[str, dict[str, str]] = field(default_factory=dict)


def sample_months(folder: Path | None = None) -> dict[str, MonthSources]:
    """Return the sample months in resources/sample by period, oldest first.

    A month is a `guia_usuarios_AAAA-MM.xlsx` with its `cartera_AAAA-MM.xlsx`.
    """
    folder = folder or resource_path("sample")
    months: dict[str, MonthSources] = {}
    for guia in sorted(folder.glob("guia_usuarios_*.xlsx")):
        match = SAMPLE_GUIA.match(guia.name)
        cartera = folder / f"cartera_{match.group(1)}.xlsx" if match else None
        if match and cartera is not None and cartera.is_file():
            periodo = match.group(1)
            months[periodo] = MonthSources(
                usuarios=guia, cartera=cartera, periodo=periodo
            )
    return months


def _scaled(progress: Progress | None, start: float, end: float) -> Progress:
    def report(fraction: float, text: str) -> None:
        if progress is not None:
            progress(start + (end - start) * max(0.0, min(1.0, fraction)), text)

    return report


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise CancelledError()


def _period(files: list[LoadedFile]) -> str:
    for loaded in files:
        if loaded.periodo:
            return loaded.periodo
    for loaded in files:
        if loaded.fecha_corte:
            return loaded.fecha_corte.strftime("%Y-%m")
    for loaded in files:
        match = PERIOD_IN_NAME.search(loaded.path.name)
        if match:
            return f"{match.group(1)}-{match.group(2)}"
    raise PeriodError()


def _rules_in_force(settings: Settings) -> dict[str, Any]:
    return {
        "estados_inactivos": sorted(settings.estados_inactivos),
        "dias_moroso": settings.dias_moroso,
        "segmentos_dias": settings.segmentos_dias,
        "edades_meses": settings.edades_meses,
        "meses_prescripcion": settings.meses_prescripcion,
    }


def _load(
    path: Path,
    role: str,
    sources: MonthSources,
    progress: Progress,
    cancelled: Cancelled | None,
) -> LoadedFile:
    from core.loading import load_file

    return load_file(
        path,
        role,  # type: ignore[arg-type]
        mapping=sources.mapas.get(role),
        layouts=sources.formatos,
        progress=progress,
        cancelled=cancelled,
    )


class _Parts:
    """Progress of files read at the same time, as one growing fraction."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.lock = threading.Lock()
        self.fractions: dict[str, float] = {}
        self.weights: dict[str, float] = {}
        self.done = 0.0

    def part(self, name: str, weight: float) -> Progress:
        """Return the callback of one file, worth `weight` of the whole."""
        self.weights[name] = weight

        def report(fraction: float, text: str) -> None:
            with self.lock:
                self.fractions[name] = max(0.0, min(1.0, fraction))
                done = sum(self.weights[n] * f for n, f in self.fractions.items())
                if self.progress is not None and done >= self.done:
                    self.done = done
                    self.progress(done, text)

        return report


def _load_guia_and_cartera(
    sources: MonthSources, progress: Progress | None, cancelled: Cancelled | None
) -> tuple[LoadedFile, LoadedFile]:
    """Read the guía and the cartera at the same time.

    Calamine parses a sheet without holding the GIL, so on two cores the
    cartera is read while the guía is parsed. Errors come out as if the
    files were read in turn: the guía's first.
    """
    parts = _Parts(progress)
    guia_progress = parts.part("usuarios", 0.55)
    cartera_progress = parts.part("cartera", 0.2)
    stop = threading.Event()

    def stopped() -> bool:
        return stop.is_set() or (cancelled is not None and cancelled())

    guia_progress(0.0, "Leyendo la guía de usuarios y la cartera…")
    with ThreadPoolExecutor(1, thread_name_prefix="cartera") as pool:
        cartera = pool.submit(_load, sources.cartera, "cartera", sources,
                              cartera_progress, stopped)
        try:
            guia = _load(sources.usuarios, "usuarios", sources, guia_progress,
                         cancelled)
            _check(cancelled)
        except BaseException:
            stop.set()  # the cartera's read stops at its next step
            raise
        return guia, cartera.result()


def process_month(
    sources: MonthSources,
    settings: Settings | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MonthResult:
    """Read the month's files and compute every table, check and quality item."""
    started = time.perf_counter()
    settings = settings or load_settings()
    report = _scaled(progress, 0.0, 1.0)

    guia, cartera = _load_guia_and_cartera(sources, progress, cancelled)
    _check(cancelled)
    encuesta = None
    if sources.encuesta is not None:
        report(0.75, "Leyendo la encuesta…")
        encuesta = _load(sources.encuesta, "encuesta", sources,
                         _scaled(progress, 0.75, 0.8), cancelled)
        _check(cancelled)
    for loaded in (guia, cartera):
        if loaded.frame.empty:
            raise ReadError(loaded.path, "sin_datos")
    report(0.8, "Validando y aplicando las reglas…")
    from core.loading import gc_paused

    with gc_paused():  # a big month's frames are many objects to walk
        result = compute_month(guia, cartera, encuesta, settings, sources.periodo)
    report(1.0, "Listo")
    summary = result.resumen
    logger.info(
        "mes %s calculado: %d usuarios activos, %d morosos, %d cuentas con saldo "
        "en %.1f s",
        result.periodo, summary.usuarios_activos, summary.usuarios_morosos,
        summary.cuentas_con_saldo, time.perf_counter() - started,
    )
    return result


def compute_month(
    guia: LoadedFile,
    cartera: LoadedFile,
    encuesta: LoadedFile | None = None,
    settings: Settings | None = None,
    periodo: str | None = None,
) -> MonthResult:
    """Apply the rules to loaded files and build every table, check and item."""
    settings = settings or load_settings()
    files = [f for f in (guia, cartera, encuesta) if f is not None]
    users = users_frame(guia.frame, settings)
    accounts = accounts_frame(cartera.frame, users, settings)

    builder = TableBuilder(users, accounts, settings)
    summary = builder.summary()
    tables = builder.all()
    if encuesta is not None:
        survey = read_survey(encuesta, settings, summary.usuarios_activos)
        tables.update(_survey_tables(survey, settings))
        for field in CROSS_FIELDS:
            cross = indicators_by(encuesta, settings, summary.usuarios_activos, field)
            if cross is not None:
                tables[cross.id] = cross
    checks = reconciliation(summary, tables, cartera)
    quality = QualityReport(guia, cartera, users, accounts, settings)
    items = quality.items([encuesta] if encuesta is not None else [])
    periodo = periodo or _period(files)
    items += period_mismatch([guia, cartera], periodo)

    return MonthResult(
        periodo=periodo,
        fecha_corte=next((f.fecha_corte for f in files if f.fecha_corte), None),
        fuentes=files,
        resumen=summary,
        tablas=tables,
        calidad=items,
        conciliacion=checks,
        cuentas=accounts.frame,
        reglas=_rules_in_force(settings),
    )


def _survey_tables(survey: Any, settings: Settings) -> dict[str, Table]:
    tables = [indicators_table(survey, settings), distribution_table(survey)]
    return {table.id: table for table in tables}
