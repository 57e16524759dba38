"""The history of processed months: an embedded SQLite database.

Each month keeps, per cartera account, its key, classification, segment,
edad and debt (no names, documents, addresses nor phones), and the month's
summary and tables as JSON. One month is written in one transaction, so an
interruption leaves the database as it was. A store opened read-only never
changes its file, not even to bring an older schema up to date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from core.applog import data_dir
from core.atomic import atomic_path
from core.errors import HistoryError
from core.export_json import result_to_dict
from core.model import MonthResult

logger = logging.getLogger(__name__)

HISTORY_FILE = "historial.sqlite"
ACCOUNT_FIELDS = (
    "cuenta", "estrato", "uso", "comuna", "barrio", "segmento", "dias",
    "edad_meses", "deuda", "moroso",
)

# Each entry brings the schema from version i to i + 1 (PRAGMA user_version).
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meses (
        periodo TEXT PRIMARY KEY,
        fecha_corte TEXT,
        guardado TEXT NOT NULL,
        resumen TEXT NOT NULL,
        tablas TEXT NOT NULL,
        reglas TEXT NOT NULL
    );
    CREATE TABLE cuentas (
        periodo TEXT NOT NULL REFERENCES meses (periodo),
        cuenta TEXT NOT NULL,
        estrato TEXT,
        uso TEXT,
        comuna TEXT,
        barrio TEXT,
        segmento TEXT,
        dias INTEGER,
        edad_meses INTEGER,
        deuda INTEGER NOT NULL,
        moroso INTEGER NOT NULL,
        PRIMARY KEY (periodo, cuenta)
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
INSERT_ACCOUNT = (
    f"INSERT INTO cuentas (periodo, {', '.join(ACCOUNT_FIELDS)}) "
    f"VALUES (?{', ?' * len(ACCOUNT_FIELDS)})"
)


def default_history_path() -> Path:
    """Return the history in the user's data folder."""
    return data_dir() / HISTORY_FILE


@dataclass
class StoredMonth:
    """A month as the history keeps it (without its accounts)."""

    periodo: str
    fecha_corte: dt.date | None
    guardado: str
    resumen: dict[str, Any]  # amounts as Decimal
    tablas: dict[str, Any]  # the JSON shape of export_json
    reglas: dict[str, Any]


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """Open in autocommit mode: transactions are explicit (BEGIN ... COMMIT)."""
    try:
        if read_only:
            uri = f"{path.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise HistoryError(path, "no_se_abre", detail=str(exc)) from exc
    try:
        conn.execute("PRAGMA user_version").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise HistoryError(path, "no_es_historial", detail=str(exc)) from exc
    return conn


def _schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


class HistoryStore:
    """The months saved so far, in one SQLite file.

    With `read_only`, the file must exist and is never written: a history of
    an older schema is copied into memory and brought up to date there.
    """

    def __init__(
        self, path: Path | str | None = None, *, read_only: bool = False
    ) -> None:
        self.path = Path(path) if path is not None else default_history_path()
        self.read_only = read_only
        self._conn = _connect(self.path, read_only)
        try:
            if read_only:
                self._conn = self._current_copy(self._conn)
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _current_copy(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        """Return `conn`, or an in-memory copy of it when it needs migrating."""
        try:
            version = _schema_version(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise HistoryError(self.path, "no_es_historial") from exc
        if version >= SCHEMA_VERSION:
            return conn
        memory = sqlite3.connect(":memory:", isolation_level=None)
        try:
            conn.backup(memory)
        finally:
            conn.close()
        return memory

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Schema

    def _migrate(self) -> None:
        try:
            version = _schema_version(self._conn)
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self.path, "no_es_historial") from exc
        if version > SCHEMA_VERSION:
            raise HistoryError(self.path, "version")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            try:
                self._conn.executescript(
                    f"BEGIN; {script} PRAGMA user_version = {number}; COMMIT;"
                )
            except sqlite3.DatabaseError as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise HistoryError(self.path, "no_es_historial") from exc
            logger.info("historial: esquema en la versión %d", number)

    @contextlib.contextmanager
    def _transaction(self, periodo: str) -> Iterator[sqlite3.Connection]:
        """Run a block in one transaction: all of it is written, or none."""
        self._check_writable()
        try:
            self._conn.execute("BEGIN IMMEDIATE")  # waits for another writer
        except sqlite3.Error as exc:
            raise HistoryError(self.path, "escritura", periodo, str(exc)) from exc

        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise HistoryError(self.path, "escritura", periodo, str(exc)) from exc
        except BaseException:
            self._rollback()
            raise

    def _check_writable(self) -> None:
        if self.read_only:
            raise RuntimeError("historial abierto solo para lectura")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    # Months

    def has_month(self, periodo: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM meses WHERE periodo = ?", (periodo,)
        ).fetchone()
        return row is not None

    def add_month(self, result: MonthResult, replace: bool = False) -> int:
        """Save the month; replace one already there only when asked.

        Returns the number of accounts saved.
        """
        started = time.perf_counter()
        periodo = result.periodo
        record = _month_record(result, _now())
        rows = _account_rows(periodo, result.cuentas)

        with self._transaction(periodo) as conn:
            if self.has_month(periodo):
                if not replace:
                    raise HistoryError(self.path, "existe", periodo)
                self._delete(conn, periodo)
            conn.execute("INSERT INTO meses VALUES (?, ?, ?, ?, ?, ?)", record)
            conn.executemany(INSERT_ACCOUNT, rows)

        count = len(result.cuentas)
        logger.info("historial: mes %s guardado, %d cuentas en %.1f s",
                    periodo, count, time.perf_counter() - started)
        return count

    def delete_month(self, periodo: str) -> None:
        """Remove a month and its accounts."""
        with self._transaction(periodo) as conn:
            if not self.has_month(periodo):
                raise HistoryError(self.path, "no_existe", periodo)
            self._delete(conn, periodo)
        logger.info("historial: mes %s borrado", periodo)

    @staticmethod
    def _delete(conn: sqlite3.Connection, periodo: str) -> None:
        conn.execute("DELETE FROM cuentas WHERE periodo = ?", (periodo,))
        conn.execute("DELETE FROM meses WHERE periodo = ?", (periodo,))

    def periods(self) -> list[str]:
        """Return the saved periods, oldest first."""
        rows = self._conn.execute("SELECT periodo FROM meses ORDER BY periodo")
        return [row[0] for row in rows]

    def months(self) -> list[StoredMonth]:
        """Return every saved month (without accounts), oldest first."""
        rows = self._conn.execute(
            "SELECT periodo, fecha_corte, guardado, resumen, tablas, reglas "
            "FROM meses ORDER BY periodo"
        )
        return [_stored_month(row) for row in rows]

    def month(self, periodo: str) -> StoredMonth:
        row = self._conn.execute(
            "SELECT periodo, fecha_corte, guardado, resumen, tablas, reglas "
            "FROM meses WHERE periodo = ?", (periodo,),
        ).fetchone()
        if row is None:
            raise HistoryError(self.path, "no_existe", periodo)
        return _stored_month(row)

    def accounts(self, periodo: str) -> pd.DataFrame:
        """Return the month's accounts: one row each, debt in centavos."""
        if not self.has_month(periodo):
            raise HistoryError(self.path, "no_existe", periodo)
        cursor = self._conn.execute(
            f"SELECT {', '.join(ACCOUNT_FIELDS)} FROM cuentas WHERE periodo = ? "
            "ORDER BY cuenta", (periodo,),
        )
        return _accounts_frame(cursor.fetchall())

    # Backup

    def export_to(self, target: Path | str) -> None:
        """Copy the whole history to `target` (SQLite backup API)."""
        with atomic_path(target) as tmp:
            copy = sqlite3.connect(tmp)
            try:
                self._conn.backup(copy)
            finally:
                copy.close()
        logger.info("historial exportado: %d meses", len(self.periods()))

    def import_from(self, source: Path | str) -> None:
        """Replace the whole history with a copy exported before."""
        self._check_writable()
        source = Path(source)
        if not source.is_file():
            raise HistoryError(source, "no_es_historial")
        backup = _connect(source)
        try:
            _check_backup(backup, source)
            backup.backup(self._conn)
        finally:
            backup.close()
        self._migrate()
        logger.info("historial importado: %d meses", len(self.periods()))


def stored_month(result: MonthResult) -> StoredMonth:
    """Return a month not saved yet exactly as the history would give it back."""
    row = _month_record(result, guardado="")
    return _stored_month(row)


def stored_accounts(result: MonthResult) -> pd.DataFrame:
    """Return a month's accounts exactly as `HistoryStore.accounts` would."""
    rows = [row[1:] for row in _account_rows(result.periodo, result.cuentas)]
    frame = _accounts_frame(rows)
    return frame.sort_values("cuenta", kind="stable").reset_index(drop=True)


def _month_record(result: MonthResult, guardado: str) -> tuple[Any, ...]:
    """Return the `meses` row of a month: its summary, tables and rules as JSON."""
    data = result_to_dict(result)
    return (
        result.periodo,
        data["fecha_corte"],
        guardado,
        json.dumps(data["resumen"]),
        json.dumps(data["tablas"], ensure_ascii=False),
        json.dumps(result.reglas, default=str),
    )


def _accounts_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(ACCOUNT_FIELDS))
    for column in ("cuenta", "estrato", "uso", "comuna", "barrio", "segmento"):
        frame[column] = frame[column].astype("string")
    for column in ("dias", "edad_meses"):
        frame[column] = frame[column].astype("Int64")
    frame["deuda"] = frame["deuda"].astype("int64")
    frame["moroso"] = frame["moroso"].astype(bool)
    return frame


def _check_backup(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not a history this version can read."""
    try:
        version = _schema_version(conn)
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )}
    except sqlite3.DatabaseError as exc:
        raise HistoryError(path, "no_es_historial") from exc
    if version > SCHEMA_VERSION:
        raise HistoryError(path, "version")
    if version < 1 or not {"meses", "cuentas"} <= tables:
        raise HistoryError(path, "no_es_historial")


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _account_rows(periodo: str, cuentas: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """Yield the accounts' rows to insert, NA as NULL, in ACCOUNT_FIELDS order."""
    frame = cuentas.reindex(columns=list(ACCOUNT_FIELDS))
    for record in frame.itertuples(index=False, name=None):
        values = [_plain(v) for v in record]
        values[-1] = int(bool(values[-1]))  # moroso
        yield (periodo, *values)


def _stored_month(row: tuple[Any, ...]) -> StoredMonth:
    periodo, fecha, guardado, resumen, tablas, reglas = row
    return StoredMonth(
        periodo=periodo,
        fecha_corte=dt.date.fromisoformat(fecha) if fecha else None,
        guardado=guardado,
        resumen=json.loads(resumen, parse_float=Decimal),
        tablas=json.loads(tablas),
        reglas=json.loads(reglas),
    )
