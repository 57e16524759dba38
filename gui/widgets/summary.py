"""The Resumen tab: the month's headline figures as cards, its data quality
and its reconciliation checks."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.formatting import fmt_date, fmt_int, fmt_month, fmt_pct, fmt_pesos
from core.model import MonthResult, QualityItem
from gui.widgets.quality import ChecksWidget, QualityPanel

logger = logging.getLogger(__name__)

CARDS = (
    ("usuarios_activos", "Usuarios activos", fmt_int),
    ("usuarios_morosos", "Usuarios morosos", fmt_int),
    ("porcentaje_morosos", "Porcentaje de morosos", fmt_pct),
    ("cartera_morosa", "Cartera morosa", fmt_pesos),
    ("deuda_promedio", "Deuda promedio por moroso", fmt_pesos),
    ("cuentas_con_saldo", "Cuentas con saldo", fmt_int),
    ("cartera_total", "Cartera con saldo", fmt_pesos),
    ("saldo_a_favor", "Saldos a favor", fmt_pesos),
)
CARDS_PER_ROW = 4


class SummaryCard(QFrame):
    """One headline figure: a caption over a large value."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryCard")
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("cardCaption")
        self.value = QLabel("—", self)
        self.value.setObjectName("cardValue")
        self.value.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)


class SummaryWidget(QWidget):
    """Headline cards above the data-quality panel and the checks."""

    quality_item_opened = Signal(object)  # QualityItem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setObjectName("monthHeading")
        self.sources = QLabel(self)
        self.sources.setObjectName("sourcesLine")
        self.sources.setWordWrap(True)

        self.cards: dict[str, SummaryCard] = {}
        grid = QGridLayout()
        grid.setSpacing(10)
        for i, (key, caption, _fmt) in enumerate(CARDS):
            card = SummaryCard(caption, self)
            self.cards[key] = card
            grid.addWidget(card, i // CARDS_PER_ROW, i % CARDS_PER_ROW)

        self.quality = QualityPanel(self)
        self.quality.item_opened.connect(self._on_quality_item_opened)
        self.checks = ChecksWidget(self)
        quality_box = _boxed("Calidad de los datos", self.quality, self)
        checks_box = _boxed("Conciliación", self.checks, self)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(quality_box)
        lower.addWidget(checks_box)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        lower.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.sources)
        layout.addLayout(grid)
        layout.addWidget(lower, 1)

    def set_result(self, result: MonthResult | None) -> None:
        if result is None:
            self.heading.setText("")
            self.sources.setText("")
            for card in self.cards.values():
                card.value.setText("—")
            self.quality.set_items([])
            self.checks.set_checks([])
            return

        self.heading.setText(_heading(result))
        self.sources.setText(_sources_line(result))
        for key, _caption, fmt in CARDS:
            self.cards[key].value.setText(fmt(getattr(result.resumen, key)))
        self.quality.set_items(result.calidad)
        self.checks.set_checks(result.conciliacion)

    def _on_quality_item_opened(self, item: QualityItem) -> None:
        self.quality_item_opened.emit(item)


def _heading(result: MonthResult) -> str:
    text = f"Caracterización de {fmt_month(result.periodo)}"
    if result.fecha_corte is not None:
        text += f" · fecha de corte {fmt_date(result.fecha_corte)}"
    return text


def _sources_line(result: MonthResult) -> str:
    names = {
        "usuarios": "Guía",
        "cartera": "Cartera",
        "encuesta": "Encuesta",
    }
    parts = [
        f"{names.get(f.role, f.role)}: {f.path.name} (hoja «{f.sheet}»)"
        for f in result.fuentes
    ]
    return "   ·   ".join(parts)


def _boxed(title: str, widget: QWidget, parent: QWidget) -> QGroupBox:
    box = QGroupBox(title, parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(widget)
    return box
