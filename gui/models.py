"""The one item model of the app: a result table (or a DataFrame) for views.

Cells are formatted the Colombian way by column kind (`core.formatting`);
`RAW_ROLE` gives the unformatted value. Sorting happens inside the model with
pandas (a proxy comparing row by row is far too slow for 67k rows), and the
table's total row stays pinned at the bottom whatever the order.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont

from core.export_excel import column_title
from core.formatting import fmt_value
from core.model import Table

logger = logging.getLogger(__name__)

RAW_ROLE = Qt.ItemDataRole.UserRole + 1
IS_TOTAL_ROLE = Qt.ItemDataRole.UserRole + 2

NUMERIC_KINDS = ("conteo", "pesos", "porcentaje", "decimal")
TOTAL_BACKGROUND = QColor("#e8eef5")
PESO_COLUMNS = ("deuda", "valor", "saldo", "monto", "cartera", "total")
TEXT_INT_COLUMNS = ("fila", "cuenta", "hoja")
_DIGITS = re.compile(r"\d+")
# Longer lists get their text columns' sort keys while the officer reads
# them, a chunk of distinct values per turn of the event loop, so the first
# click on a header of 100,000 rows answers at once.
IDLE_KEYS_ROWS = 20_000
IDLE_KEYS_CHUNK = 4_000

ModelIndex = QModelIndex | QPersistentModelIndex


def frame_kinds(frame: pd.DataFrame) -> list[str]:
    """Guess the column kinds of a plain DataFrame (rows behind a quality item).

    Amounts are `Decimal` pesos or named like an amount; row numbers and
    account codes stay text so they read as the file prints them.
    """
    kinds = []
    for name in frame.columns:
        column = frame[name]
        sample = column.dropna().head(20).tolist()
        lowered = str(name).lower()
        if any(isinstance(v, Decimal) for v in sample) or (
            lowered.startswith(PESO_COLUMNS) and _all_numbers(sample)
        ):
            kinds.append("pesos")
        elif lowered in TEXT_INT_COLUMNS or not _all_numbers(sample):
            kinds.append("texto")
        elif all(float(v).is_integer() for v in sample):
            kinds.append("conteo")
        else:
            kinds.append("decimal")
    return kinds


def _all_numbers(values: Sequence[Any]) -> bool:
    return bool(values) and all(
        isinstance(v, int | float | Decimal | np.number) and not isinstance(v, bool)
        for v in values
    )


class ResultTableModel(QAbstractTableModel):
    """A read-only table of raw values with formatted display and pandas sort."""

    def __init__(
        self,
        frame: pd.DataFrame | None = None,
        kinds: Sequence[str] | None = None,
        total: Sequence[Any] | None = None,
        titles: dict[str, str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._frame = pd.DataFrame()
        self._kinds: list[str] = []
        self._cell_kinds: list[list[str]] | None = None
        self._total: list[Any] | None = None
        self._titles: dict[str, str] = {}
        self._order = np.arange(0)
        self._sort_keys: dict[int, np.ndarray] = {}
        self._partial_keys: dict[int, _NaturalKeys] = {}
        self._idle_columns: list[int] = []
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(0)
        self._idle_timer.timeout.connect(self._on_idle_timer_timeout)
        self.set_frame(frame, kinds, total, titles)

    @classmethod
    def from_table(cls, table: Table, parent: Any = None) -> ResultTableModel:
        model = cls(parent=parent)
        model.set_table(table)
        return model

    # --- filling -------------------------------------------------------------

    def set_table(
        self, table: Table | None, titles: dict[str, str] | None = None
    ) -> None:
        if table is None:
            self.set_frame(None)
        else:
            self.set_frame(
                table.frame(), table.tipos, table.total, titles, table.tipos_celdas
            )

    def set_frame(
        self,
        frame: pd.DataFrame | None,
        kinds: Sequence[str] | None = None,
        total: Sequence[Any] | None = None,
        titles: dict[str, str] | None = None,
        cell_kinds: Sequence[Sequence[str]] | None = None,
    ) -> None:
        """Replace the whole content (a model reset); `cell_kinds` gives each
        data row's kinds in a table of mixed indicators (count, pesos, rate)."""
        self.beginResetModel()
        frame = pd.DataFrame() if frame is None else frame.reset_index(drop=True)
        self._frame = frame
        self._kinds = list(kinds) if kinds is not None else frame_kinds(frame)
        self._total = list(total) if total is not None else None
        self._titles = dict(titles or {})
        self._cell_kinds = (
            [list(k) for k in cell_kinds] if cell_kinds is not None else None
        )
        self._order = np.arange(len(frame))
        self._sort_keys = {}
        self._partial_keys = {}
        self._idle_columns = []
        if len(frame) >= IDLE_KEYS_ROWS:
            self._idle_columns = [
                c for c in range(len(frame.columns))
                if self.column_kind(c) not in NUMERIC_KINDS
            ]
        if self._idle_columns:
            self._idle_timer.start()
        else:
            self._idle_timer.stop()
        self.endResetModel()

    # --- what views ask ------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._frame) + (1 if self._total is not None else 0)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._frame.columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display_text(row, column)
        if role == RAW_ROLE:
            return _plain(self.raw_value(row, column))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == IS_TOTAL_ROLE:
            return self.is_total_row(row)
        if self.is_total_row(row):
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(TOTAL_BACKGROUND)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._frame.columns):
                return self.column_title(section)
            return None
        if 0 <= section < self.rowCount():
            return "Total" if self.is_total_row(section) else str(section + 1)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- helpers for views, printing and tests -------------------------------

    def column_title(self, column: int) -> str:
        name = str(self._frame.columns[column])
        return self._titles.get(name, column_title(name))

    def column_kind(self, column: int) -> str:
        return self._kinds[column] if column < len(self._kinds) else "texto"

    def is_total_row(self, row: int) -> bool:
        return self._total is not None and row == len(self._frame)

    def raw_value(self, row: int, column: int) -> Any:
        if self.is_total_row(row):
            assert self._total is not None
            return _clean(self._total[column]) if column < len(self._total) else None
        return _clean(self._frame.iat[int(self._order[row]), column])

    def display_text(self, row: int, column: int) -> str:
        value = self.raw_value(row, column)
        if value is None:
            return "" if self.is_total_row(row) else fmt_value(None, "texto")
        return fmt_value(value, self.cell_kind(row, column))

    def cell_kind(self, row: int, column: int) -> str:
        """The kind of one cell: its row's, in a table of mixed indicators."""
        if self._cell_kinds is not None and not self.is_total_row(row):
            kinds = self._cell_kinds[int(self._order[row])]
            if column < len(kinds):
                return kinds[column]
        return self.column_kind(column)

    # --- sorting -------------------------------------------------------------

    def sort(
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:
        """Sort the data rows with pandas; -1 restores the table's own order."""
        if column >= self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_rows = [self._source_row(index.row()) for index in old_persistent]

        self._order = self._sorted_order(column, order)

        position = np.empty(len(self._order), dtype=np.int64)
        position[self._order] = np.arange(len(self._order))
        new_persistent = [
            self.index(
                int(position[source]) if source >= 0 else index.row(),
                index.column(),
            )
            for index, source in zip(old_persistent, old_rows)
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()

    def _source_row(self, row: int) -> int:
        if row < len(self._order):
            return int(self._order[row])
        return -1  # the total row, which never moves

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> np.ndarray:
        """Rows by the column's key, stable, with missing values last."""
        if column < 0 or self._frame.empty:
            return np.arange(len(self._frame))
        key = self._sort_key(column)
        if order != Qt.SortOrder.AscendingOrder:
            key = -key  # NaN stays NaN, so missing values stay last
        return np.argsort(key, kind="stable")

    def _sort_key(self, column: int) -> np.ndarray:
        """A float per row (NaN where missing), computed once per column."""
        if column not in self._sort_keys:
            values = self._frame.iloc[:, column]
            if self.column_kind(column) in NUMERIC_KINDS:
                self._sort_keys[column] = _numeric_key(values)
            else:
                keys = self._partial_keys.pop(column, None) or _NaturalKeys(values)
                self._sort_keys[column] = keys.ranks()
        return self._sort_keys[column]

    def _on_idle_timer_timeout(self) -> None:
        """Key the next chunk of a text column while nothing else happens."""
        while self._idle_columns and self._idle_columns[0] in self._sort_keys:
            self._idle_columns.pop(0)
        if not self._idle_columns:
            self._idle_timer.stop()
            return
        column = self._idle_columns[0]
        keys = self._partial_keys.get(column)
        if keys is None:
            values = self._frame.iloc[:, column]
            keys = self._partial_keys[column] = _NaturalKeys(values)
        elif keys.advance(IDLE_KEYS_CHUNK):
            self._sort_keys[column] = self._partial_keys.pop(column).ranks()

    def _alignment(self, column: int) -> int:
        horizontal = (
            Qt.AlignmentFlag.AlignRight
            if self.column_kind(column) in NUMERIC_KINDS
            else Qt.AlignmentFlag.AlignLeft
        )
        return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


def _numeric_key(values: pd.Series) -> np.ndarray:
    """Numbers (Decimal, int, float, nullable) as floats; NaN where missing."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    try:  # Decimal pesos and None convert in C, without pandas' slow path
        return np.asarray(values.to_numpy(dtype=object), dtype="float64")
    except (TypeError, ValueError):
        return pd.to_numeric(values.map(_number), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )


class _NaturalKeys:
    """Text sort key where `2` comes before `10` and case is ignored.

    Each distinct value is keyed once (long lists repeat barrios, codes,
    segments). The work goes in short steps if asked (keying a chunk of
    values, sorting the keys, ranking the rows), so that the idle time
    that does it never holds a click for long; rows get the rank of their
    key, NaN where missing.
    """

    def __init__(self, values: pd.Series) -> None:
        self.codes, uniques = pd.factorize(values.to_numpy(dtype=object))
        self.uniques = list(uniques)
        self.keys: list[str] = []
        self._sorted: list[str] | None = None
        self._ranks: np.ndarray | None = None

    def advance(self, count: int) -> bool:
        """Do the next step (key up to `count` more values, or sort the
        keys, or rank the rows); tell whether all is done."""
        if len(self.keys) < len(self.uniques):
            start = len(self.keys)
            self.keys += [
                _DIGITS.sub(_padded_number, str(u).casefold())
                for u in self.uniques[start:start + count]
            ]
        elif self._sorted is None:
            self._sorted = sorted(set(self.keys))
        elif self._ranks is None:
            rank_of = {key: rank for rank, key in enumerate(self._sorted)}
            of_unique = np.fromiter(
                map(rank_of.__getitem__, self.keys), dtype="float64",
                count=len(self.keys),
            )
            self._ranks = np.append(of_unique, np.nan)[self.codes]
        return self._ranks is not None

    def ranks(self) -> np.ndarray:
        while not self.advance(len(self.uniques)):
            pass
        assert self._ranks is not None
        return self._ranks


def _padded_number(match: re.Match[str]) -> str:
    return match.group(0).zfill(12)


def _clean(value: Any) -> Any:
    """Turn pandas' missing markers into None and numpy scalars into Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _number(value: Any) -> float | None:
    value = _clean(value)
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _plain(value: Any) -> Any:
    """A raw value Qt can carry: numbers as float or int, the rest as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
