"""The start screen: open the month's files, the sample month or a recent one."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.settings_store import RecentMonth

logger = logging.getLogger(__name__)


class StartWidget(QWidget):
    """What the officer sees before any month is loaded."""

    open_requested = Signal()
    sample_requested = Signal()
    recent_requested = Signal(object)  # RecentMonth

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Caracterización de usuarios", self)
        title.setObjectName("startTitle")
        intro = QLabel(
            "Cargue los archivos del mes: la guía de usuarios, la "
            "conciliación de cartera y, si la tiene, la encuesta de "
            "percepción. El programa reconoce cada archivo por su contenido.",
            self,
        )
        intro.setWordWrap(True)
        intro.setObjectName("startIntro")

        self.open_button = QPushButton("Abrir archivos del mes…", self)
        self.open_button.setObjectName("primaryButton")
        self.open_button.clicked.connect(self.open_requested)
        self.sample_button = QPushButton("Abrir datos de ejemplo", self)
        self.sample_button.clicked.connect(self.sample_requested)
        drop = QLabel(
            "También puede arrastrar los archivos y soltarlos en esta ventana.",
            self,
        )
        drop.setObjectName("hint")
        drop.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)

        recent_title = QLabel("Meses recientes", self)
        recent_title.setObjectName("sectionTitle")
        self.recent_list = QListWidget(self)
        self.recent_list.setObjectName("recentList")
        self.recent_list.itemActivated.connect(self._on_recent_list_activated)
        self.recent_list.itemClicked.connect(self._on_recent_list_activated)
        self.no_recent = QLabel("Todavía no ha abierto ningún mes.", self)
        self.no_recent.setObjectName("hint")

        card = QFrame(self)
        card.setObjectName("startCard")
        card.setMaximumWidth(760)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(12)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addLayout(buttons)
        inner.addWidget(drop)
        inner.addSpacing(12)
        inner.addWidget(recent_title)
        inner.addWidget(self.recent_list, 1)
        inner.addWidget(self.no_recent)

        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 4)
        outer.addStretch(1)

    def set_recent(self, months: list[RecentMonth]) -> None:
        self.recent_list.clear()
        for month in months:
            item = QListWidgetItem(month.label(), self.recent_list)
            item.setToolTip(month.tooltip())
            item.setData(Qt.ItemDataRole.UserRole, month)
        self.recent_list.setVisible(bool(months))
        self.no_recent.setVisible(not months)

    def _on_recent_list_activated(self, item: QListWidgetItem) -> None:
        month = item.data(Qt.ItemDataRole.UserRole)
        if month is not None:
            self.recent_requested.emit(month)
