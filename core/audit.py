"""The audit file of debtor lists: one line per print or export.

Every list that leaves the program (a PDF, an Excel or CSV file, a printed
page) adds a line to `auditoria.csv` in the user's data folder: when, who
(the computer's user name), which list, masked or complete, how many rows,
and the output file's name. The line never holds personal data: no name,
document, address, phone or e-mail of any subscriber.

The data folder can be moved with the environment variable
CARACTERIZACION_DATOS (see `core.applog`); tests use it, or pass a path, so
they never write into the real user's folder.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import getpass
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from core.applog import data_dir
from core.errors import ExportError

logger = logging.getLogger(__name__)

AUDIT_FILE = "auditoria.csv"
DELIMITER = ";"  # what Excel in Colombia expects in a CSV
COLUMNS = (
    "fecha_hora", "usuario", "accion", "tipo", "lista", "periodo", "comuna",
    "barrio", "segmento", "version", "filas", "formato", "archivo",
)


@dataclass
class AuditEntry:
    """One print or export of a list; every field is free of personal data."""

    tipo: str  # "brigada" or "lista"
    lista: str  # the list's id, e.g. BRG-2025-07-C7-3F2A91
    periodo: str
    filas: int
    completo: bool
    formato: str  # "pdf", "excel", "csv" or "impresora"
    archivo: str = ""  # the output file's name (without its folder)
    comuna: str = ""
    barrio: str = ""
    segmento: str = ""
    accion: str = "exportar"  # "exportar" or "imprimir"
    fecha_hora: str = field(default_factory=lambda: _now())
    usuario: str = field(default_factory=lambda: _user())

    def row(self) -> list[str]:
        values = asdict(self)
        values["version"] = "completa" if self.completo else "enmascarada"
        values["filas"] = str(self.filas)
        return [str(values[column]) for column in COLUMNS]


def audit_file() -> Path:
    """Return the audit file in the user's data folder (or the variable's)."""
    return data_dir() / AUDIT_FILE


def record(entry: AuditEntry, path: Path | str | None = None) -> Path:
    """Append `entry` to the audit file (created with its header); return it."""
    with audit_session(path) as write:
        write(entry)
    return audit_file() if path is None else Path(path)


@contextlib.contextmanager
def audit_session(path: Path | str | None = None) -> Iterator[_Writer]:
    """Open the audit file for appending before an export is written.

    Opening first means a list is never exported when its line cannot be
    recorded: an audit file that cannot be written raises `ExportError`
    before any output exists.
    """
    target = Path(path) if path is not None else audit_file()
    try:
        handle = _open(target)
    except OSError as exc:
        raise ExportError(target, exc.strerror or str(exc)) from exc
    with handle:
        yield _Writer(handle, target)


class _Writer:
    """Write audit lines to an open file, one flushed line at a time."""

    def __init__(self, handle: TextIO, path: Path) -> None:
        self._csv = csv.writer(handle, delimiter=DELIMITER, lineterminator="\r\n")
        self._handle = handle
        self.path = path

    def __call__(self, entry: AuditEntry) -> None:
        self._csv.writerow(entry.row())
        self._handle.flush()
        logger.info(
            "auditoría: %s %s %s (%s, %d filas)", entry.accion, entry.tipo,
            entry.lista, entry.formato, entry.filas,
        )


def _open(target: Path) -> TextIO:
    target.parent.mkdir(parents=True, exist_ok=True)
    new = not target.exists() or target.stat().st_size == 0
    # UTF-8 with a BOM, like the lists' CSV, so Excel reads the accents.
    handle = open(  # noqa: SIM115 (closed by audit_session)
        target, "a", encoding="utf-8-sig" if new else "utf-8", newline=""
    )
    if new:
        csv.writer(handle, delimiter=DELIMITER, lineterminator="\r\n").writerow(
            COLUMNS
        )
    return handle


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment
        return "desconocido"
