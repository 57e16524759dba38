"""In-window feedback: the message bar and the progress strip with Cancel."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QWidget,
)

logger = logging.getLogger(__name__)

PROGRESS_STEPS = 1000


class MessageBar(QFrame):
    """A dismissable line above the content: errors, notices, done exports."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setObjectName("messageText")
        self.action_button = QPushButton(self)
        self.action_button.hide()
        self.action_button.clicked.connect(self._on_action_button_clicked)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Cerrar este mensaje")
        close.setAutoRaise(True)
        close.clicked.connect(self.clear)
        self._action: Callable[[], None] | None = None

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
        self.hide()

    @property
    def kind(self) -> str:
        return str(self.property("kind") or "")

    def show_error(self, text: str) -> None:
        self._show("error", text)

    def show_info(self, text: str) -> None:
        self._show("info", text)

    def show_done(
        self, text: str, action_text: str, action: Callable[[], None]
    ) -> None:
        """A success notice with one button (e.g. open the exported file)."""
        self._show("done", text)
        self._action = action
        self.action_button.setText(action_text)
        self.action_button.show()

    def clear(self) -> None:
        self.text.clear()
        self.setProperty("kind", "")
        self._action = None
        self.hide()

    def _show(self, kind: str, text: str) -> None:
        self._action = None
        self.action_button.hide()
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.text.setText(text)
        self.show()

    def _on_action_button_clicked(self) -> None:
        if self._action is not None:
            self._action()


class ProgressStrip(QFrame):
    """What a running task is doing, how far it got, and a Cancel button."""

    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressStrip")
        self.text = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, PROGRESS_STEPS)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(420)
        self.cancel_button = QPushButton("Cancelar", self)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, text: str, cancellable: bool = True, busy: bool = False) -> None:
        """Show the strip; `busy` for a task that reports no fractions."""
        self.text.setText(text)
        self.bar.setRange(0, 0 if busy else PROGRESS_STEPS)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(cancellable)
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.setText("Cancelar")
        self.show()

    def set_progress(self, fraction: float, text: str) -> None:
        if self.bar.maximum() > 0:
            self.bar.setValue(int(max(0.0, min(1.0, fraction)) * PROGRESS_STEPS))
        if text:
            self.text.setText(text)

    def stop(self) -> None:
        self.hide()

    def _on_cancel_button_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelando…")
        self.cancel_clicked.emit()
