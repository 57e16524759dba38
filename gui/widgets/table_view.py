"""A read-only table view over `ResultTableModel`, sized from a sample."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from gui.models import ResultTableModel

logger = logging.getLogger(__name__)

SAMPLE_ROWS = 60
MAX_COLUMN_WIDTH = 320
CELL_PADDING = 24
ROW_PADDING = 6


class ResultTableView(QTableView):
    """Sortable by clicking a header (third click restores the table's order)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setDefaultAlignment(
            Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter
        )
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        self.setSortingEnabled(True)

    def setModel(self, model: ResultTableModel) -> None:  # type: ignore[override]
        super().setModel(model)
        model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        model.modelReset.connect(self.fit_columns)
        self.fit_columns()

    def _on_model_about_to_be_reset(self) -> None:
        # Rows sized to contents would measure every row of a long list on
        # reset (seconds for 8,000 rows); `fit_columns` chooses again after.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def fit_columns(self) -> None:
        """Size columns from the header and a sample of rows, never all rows."""
        model = self.model()
        if not isinstance(model, ResultTableModel):
            return
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        body = self.fontMetrics()
        bold = self.horizontalHeader().fontMetrics()
        rows = _sample_rows(model.rowCount())
        for column in range(model.columnCount()):
            widths = [bold.horizontalAdvance(model.column_title(column)) + 28]
            widths += [
                body.horizontalAdvance(model.display_text(row, column))
                + CELL_PADDING
                for row in rows
            ]
            self.setColumnWidth(column, min(max(widths), MAX_COLUMN_WIDTH))
        self._fit_rows(model.rowCount())

    def _fit_rows(self, count: int) -> None:
        """Small tables: rows as tall as their wrapped text, kept so as
        columns change. Long lists: one line per row (measuring every row
        would cost seconds)."""
        rows = self.verticalHeader()
        rows.setDefaultSectionSize(self.fontMetrics().height() + ROW_PADDING)
        if count <= SAMPLE_ROWS:
            rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        else:
            rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)


def _sample_rows(count: int) -> list[int]:
    """The first rows, a spread of the rest and the last (the total)."""
    if count <= SAMPLE_ROWS:
        return list(range(count))
    step = max(count // SAMPLE_ROWS, 1)
    head = list(range(SAMPLE_ROWS // 2))
    spread = list(range(SAMPLE_ROWS // 2, count, step))[: SAMPLE_ROWS // 2]
    return [*head, *spread, count - 1]
