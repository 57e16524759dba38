"""A chart area: one matplotlib figure from `core.charts`, reused across loads.

The figure is made once per area and redrawn with `core.charts.draw_chart`,
so loading month after month keeps memory flat. The chart lays itself out
for the area's size: it is drawn when the area is shown at a size it was not
drawn for, or beforehand, while hidden, once the area has the size it will
be shown at (`prepare`).
"""

from __future__ import annotations

import logging
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QWidget

from core.charts import chart_size, draw_chart, new_figure
from core.model import Table

logger = logging.getLogger(__name__)

RESIZE_DELAY_MS = 150


class ChartCanvas(FigureCanvasQTAgg):
    """The Qt canvas of one reused figure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(new_figure())
        self.setParent(parent)
        self.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding
        )

    def sizeHint(self) -> QSize:
        return QSize(480, 320)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 160)


class ChartWidget(QScrollArea):
    """Shows the chart of one table; tall charts scroll instead of squeezing."""

    bar_double_clicked = Signal(int)  # the bar's position, first bar 0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.canvas = ChartCanvas(self)
        self.canvas.mpl_connect("button_press_event", self._on_canvas_pressed)
        self.setWidget(self.canvas)
        self._table: Table | None = None
        # The canvas's size when the current table was drawn; None: not yet.
        self._drawn_size: QSize | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RESIZE_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def figure(self):  # noqa: ANN201 - matplotlib's Figure
        return self.canvas.figure

    @property
    def table(self) -> Table | None:
        return self._table

    def set_table(self, table: Table | None) -> None:
        """Show `table`'s chart (drawn now if visible, else when shown)."""
        self._table = table
        self._drawn_size = None
        self._fit_height()
        if self.isVisible():
            self.redraw()

    def redraw(self) -> None:
        """Draw the chart now for the current size."""
        self._timer.stop()
        self._drawn_size = self.canvas.size()
        if self._table is None:
            self.figure.clear()
        else:
            draw_chart(self._table, self.figure)
        self.canvas.draw_idle()

    def needs_drawing(self) -> bool:
        """Whether the chart was not drawn yet for this table and size."""
        return self.canvas.size() != self._drawn_size

    def prepare(self) -> bool:
        """Draw a hidden area's chart for the size it has now, so that
        showing it only paints; return whether it drew. The canvas renders
        on the next turn of the event loop."""
        if self.isVisible() or not self.needs_drawing():
            return False
        if self.canvas.width() <= 0 or self.canvas.height() <= 0:
            return False
        self.redraw()
        return True

    def flush(self) -> None:
        """Draw a pending chart right away (before a screenshot)."""
        if self.needs_drawing() or self._timer.isActive():
            self.redraw()
        self.canvas.draw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.needs_drawing():
            self.redraw()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._table is not None and self.isVisible():
            self._timer.start()

    def _fit_height(self) -> None:
        """Give a tall chart (many bars) the height it needs to stay legible."""
        if self._table is None:
            self.canvas.setMinimumHeight(0)
            return
        _width, height_in = chart_size(self._table)
        self.canvas.setMinimumHeight(int(height_in * self.logicalDpiY()))

    def bar_at(self, event: Any) -> int | None:
        """The position of the bar under a matplotlib mouse event, if any."""
        for ax in self.figure.axes:
            for container in ax.containers:
                for position, patch in enumerate(getattr(container, "patches", [])):
                    if patch.contains(event)[0]:
                        return position
        return None

    def _on_canvas_pressed(self, event: Any) -> None:
        if not event.dblclick:
            return
        position = self.bar_at(event)
        if position is not None:
            self.bar_double_clicked.emit(position)

    def _on_timer_timeout(self) -> None:
        # Hidden by now: drawn when shown again, if its size changed.
        if self.isVisible() and self.needs_drawing():
            self.redraw()
