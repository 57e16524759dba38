"""The drill-down list: the accounts behind a comuna, barrio or segment row.

Every selection and figure comes from `core.debtor_lists`: the filters are
passed to `morosos_of` / `accounts_of`, the summary is `list_summary`, and
the printed or exported list is `brigade_list` / `segment_list` written by
`core.list_export.export_list` (which adds the audit line). Names are shown
masked (`core.masking`) unless the officer ticks "Mostrar nombres completos".

Printing: PySide6-Essentials has no QtPdf to print a PDF from Qt, and a
QTextDocument rendering would lose the brigade sheet's layout (barrio
bands, boxes to tick, the Ley 1581 footer). So "Imprimir lista de brigada…"
writes the brigade PDF on the chosen paper to a temporary folder, records
the print in the audit file and opens the PDF in the system's viewer, from
which it is printed on that same paper.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import QThreadPool, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import debtor_lists
from core.debtor_lists import DebtorList, ListSummary
from core.errors import CaracterizacionError
from core.formatting import centavos_to_pesos, fmt_int, fmt_month, fmt_pct, fmt_pesos
from core.masking import mask_names
from core.model import MonthResult
from core.rules import segment_labels
from core.settings import Settings, load_settings
from gui.models import ResultTableModel
from gui.widgets.feedback import MessageBar, ProgressStrip
from gui.widgets.table_view import ResultTableView
from gui.workers import Task

logger = logging.getLogger(__name__)

ANY = "Todos"
TEXT_DELAY_MS = 300
UrlOpener = Callable[[QUrl], bool]

# (column of result.cuentas, title, kind) of the table on screen; the debt
# comes early so it shows without scrolling sideways.
COLUMNS = (
    ("cuenta_texto", "Matrícula", "texto"),
    ("nombre", "Nombre", "texto"),
    ("direccion", "Dirección", "texto"),
    ("barrio", "Barrio", "texto"),
    ("deuda", "Deuda", "pesos"),
    ("dias", "Días de mora", "conteo"),
    ("edad_meses", "Edad (meses)", "conteo"),
    ("segmento", "Segmento (días)", "texto"),
    ("estrato", "Estrato", "texto"),
    ("uso", "Uso", "texto"),
    ("comuna", "Comuna", "texto"),
)
PAPERS = (("carta", "Carta"), ("oficio", "Oficio"))
FORMATS = {
    "pdf": ("PDF", "Documento PDF (*.pdf)", ".pdf"),
    "excel": ("Excel", "Libro de Excel (*.xlsx)", ".xlsx"),
    "csv": ("CSV", "Texto separado por punto y coma (*.csv)", ".csv"),
}


@dataclass(frozen=True)
class ListScope:
    """Which accounts a drill-down shows before the officer's filters."""

    comuna: str | None = None
    barrio: str | None = None
    segmento: str | None = None

    @property
    def morosos(self) -> bool:
        """Comuna and barrio lists hold morosos; segments every debt."""
        return self.segmento is None

    def title(self) -> str:
        if self.segmento is not None:
            return f"Cuentas del segmento {self.segmento} días"
        if self.barrio is not None:
            return f"Morosos del barrio {self.barrio} (comuna {self.comuna})"
        return f"Morosos de la comuna {self.comuna}"

    @classmethod
    def from_row(cls, table_id: str, row: dict[str, Any]) -> ListScope | None:
        """The scope behind a row of a result table (None if none)."""
        if table_id in ("usuarios_por_comuna", "morosos_por_comuna"):
            return cls(comuna=_text(row.get("comuna")))
        if table_id in ("morosos_por_barrio", "barrios_mas_morosos",
                        "barrios_mas_deuda"):
            return cls(comuna=_text(row.get("comuna")),
                       barrio=_text(row.get("barrio")))
        if table_id in ("segmentos_por_atraso", "oferta_institucional"):
            return cls(segmento=_text(row.get("segmento")))
        return None


DRILLABLE_TABLES = (
    "usuarios_por_comuna", "morosos_por_comuna", "morosos_por_barrio",
    "barrios_mas_morosos", "barrios_mas_deuda",
    "segmentos_por_atraso", "oferta_institucional",
)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass
class ListFilters:
    """The officer's filters on top of the scope (None means any)."""

    barrio: str | None = None
    segmento: str | None = None
    edad: str | None = None
    min_deuda: int | None = None  # pesos
    text: str | None = None


class DebtorListWidget(QWidget):
    """Filter, sort, print and export the accounts of one scope."""

    filters_applied = Signal(int)  # accounts shown
    export_finished = Signal(str)  # path written
    print_opened = Signal(str)  # the PDF handed to the viewer
    task_finished = Signal()

    def __init__(
        self,
        result: MonthResult,
        scope: ListScope,
        folder: str = "",
        settings: Settings | None = None,
        pool: QThreadPool | None = None,
        open_url: UrlOpener = QDesktopServices.openUrl,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.result = result
        self.scope = scope
        self.folder = folder
        self.settings = settings or load_settings()
        self.frame = pd.DataFrame()
        self.summary: ListSummary | None = None
        self._pool = pool or QThreadPool.globalInstance()
        self._open_url = open_url
        self._task: Task | None = None
        self._started = 0.0
        self._print_dir = tempfile.TemporaryDirectory(
            prefix="caracterizacion-impresion-", ignore_cleanup_errors=True
        )

        self._build_filters()
        self._build_summary()
        self._build_table()
        self._build_outputs()
        self._lay_out()
        self.apply_filters()

    # --- layout ------------------------------------------------------------

    def _build_filters(self) -> None:
        scope_rows = self._scope_frame()
        self.barrio = self._combo(_barrio_choices(scope_rows))
        self.segmento = self._combo(self._segment_choices(scope_rows))
        self.edad = self._combo(self._age_choices(scope_rows))
        self.min_deuda = QLineEdit(self)
        self.min_deuda.setPlaceholderText("$ 0")
        self.min_deuda.setClearButtonEnabled(True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Matrícula, nombre o dirección")
        self.search.setClearButtonEnabled(True)
        self.full_names = QCheckBox("Mostrar nombres completos", self)
        self.full_names.setToolTip(
            "Los nombres se muestran enmascarados (Ley 1581 de 2012). Marque "
            "esta casilla solo si necesita la versión completa: también se "
            "imprime y exporta completa, y así queda en la auditoría."
        )

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self.apply_filters)
        for combo in (self.barrio, self.segmento, self.edad):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.min_deuda.textChanged.connect(self._on_search_text_changed)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.full_names.toggled.connect(self._on_full_names_toggled)

    def _combo(self, choices: list[tuple[str, str | None]]) -> QComboBox:
        combo = QComboBox(self)
        for label, value in choices:
            combo.addItem(label, value)
        return combo

    def _build_summary(self) -> None:
        self.title = QLabel(self.scope.title(), self)
        self.title.setObjectName("panelTitle")
        self.period = QLabel(f"Periodo: {fmt_month(self.result.periodo)}", self)
        self.period.setObjectName("hint")
        self.cuentas = QLabel(self)
        self.deuda = QLabel(self)
        self.share_comuna = QLabel(self)
        self.share_total = QLabel(self)
        self.cuentas_caption = QLabel(self)
        self.deuda_caption = QLabel("Deuda", self)
        self.share_comuna_caption = QLabel(self)
        self.share_total_caption = QLabel(self)
        for caption in (self.cuentas_caption, self.deuda_caption,
                        self.share_comuna_caption, self.share_total_caption):
            caption.setObjectName("hint")
        for label in (self.cuentas, self.deuda, self.share_comuna, self.share_total):
            label.setObjectName("cardValue")

    def _build_table(self) -> None:
        self.model = ResultTableModel(parent=self)
        self.view = ResultTableView(self)
        self.view.setModel(self.model)

    def _build_outputs(self) -> None:
        self.paper = QComboBox(self)
        for value, label in PAPERS:
            self.paper.addItem(label, value)
        self.page_per_barrio = QCheckBox("Salto de página por barrio", self)
        self.print_button = QPushButton(
            "Imprimir lista de brigada…" if self.scope.morosos
            else "Imprimir lista…",
            self,
        )
        self.pdf_button = QPushButton("Exportar PDF…", self)
        self.excel_button = QPushButton("Exportar Excel…", self)
        self.csv_button = QPushButton("Exportar CSV…", self)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.pdf_button.clicked.connect(lambda: self.ask_export("pdf"))
        self.excel_button.clicked.connect(lambda: self.ask_export("excel"))
        self.csv_button.clicked.connect(lambda: self.ask_export("csv"))
        self.screen_only = QLabel(self)
        self.screen_only.setObjectName("hint")
        self.screen_only.setWordWrap(True)
        self.not_printable = self._reminder_list()
        self.message_bar = MessageBar(self)
        self.progress = ProgressStrip(self)
        self._update_buttons()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addLayout(self._filters_layout(), 1)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.period)
        heading.addLayout(self._figures_layout())
        heading.addStretch(1)
        top.addLayout(heading, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.progress)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.screen_only)
        layout.addLayout(self._outputs_layout())

    def _filters_layout(self) -> QFormLayout:
        filters = QFormLayout()
        # A scope of one barrio or segment has nothing to choose there.
        self.barrio.setVisible(self.scope.barrio is None)
        self.segmento.setVisible(self.scope.segmento is None)
        if self.scope.barrio is None:
            filters.addRow("Barrio:", self.barrio)
        if self.scope.segmento is None:
            filters.addRow("Segmento de atraso:", self.segmento)
        filters.addRow("Edad de cartera:", self.edad)
        filters.addRow("Deuda mínima ($):", self.min_deuda)
        filters.addRow("Buscar:", self.search)
        filters.addRow("", self.full_names)
        return filters

    def _figures_layout(self) -> QGridLayout:
        figures = QGridLayout()
        figures.setHorizontalSpacing(28)
        pairs = (
            (self.cuentas_caption, self.cuentas),
            (self.deuda_caption, self.deuda),
            (self.share_comuna_caption, self.share_comuna),
            (self.share_total_caption, self.share_total),
        )
        for column, (caption, value) in enumerate(pairs):
            figures.addWidget(caption, 0, column)
            figures.addWidget(value, 1, column)
        figures.setColumnStretch(len(pairs), 1)
        return figures

    def _outputs_layout(self) -> QHBoxLayout:
        outputs = QHBoxLayout()
        outputs.addWidget(QLabel("Papel:", self))
        outputs.addWidget(self.paper)
        outputs.addWidget(self.page_per_barrio)
        outputs.addStretch(1)
        for button in (self.print_button, self.pdf_button, self.excel_button,
                       self.csv_button):
            outputs.addWidget(button)
        return outputs

    # --- selection ---------------------------------------------------------

    def filters(self) -> ListFilters:
        """The filters as the controls say them."""
        text = self.search.text().strip()
        return ListFilters(
            barrio=self.scope.barrio or self.barrio.currentData(),
            segmento=self.scope.segmento or self.segmento.currentData(),
            edad=self.edad.currentData(),
            min_deuda=_pesos_typed(self.min_deuda.text()),
            text=text or None,
        )

    def apply_filters(self) -> None:
        """Select the accounts with core and show them with their summary."""
        self._text_timer.stop()
        started = time.perf_counter()
        f = self.filters()
        select = debtor_lists.morosos_of if self.scope.morosos else (
            debtor_lists.accounts_of)
        self.frame = select(
            self.result, self.scope.comuna, f.barrio, f.segmento, f.edad,
            f.min_deuda, f.text,
        )
        self.summary = debtor_lists.list_summary(self.frame, self.result)
        self._show_rows()
        self._show_summary(self.summary)
        self._show_screen_only(f)
        logger.info(
            "lista en pantalla: %d cuentas en %.2f s", len(self.frame),
            time.perf_counter() - started,
        )
        self.filters_applied.emit(len(self.frame))

    def _scope_frame(self) -> pd.DataFrame:
        select = debtor_lists.morosos_of if self.scope.morosos else (
            debtor_lists.accounts_of)
        s = self.scope
        return select(self.result, s.comuna, s.barrio, s.segmento)

    def _show_rows(self) -> None:
        shown = self.frame[[name for name, _title, _kind in COLUMNS]].copy()
        if not self.full_names.isChecked():
            shown["nombre"] = mask_names(shown["nombre"])
        shown["deuda"] = shown["deuda"].map(centavos_to_pesos)
        self.model.set_frame(
            shown,
            [kind for _name, _title, kind in COLUMNS],
            titles={name: title for name, title, _kind in COLUMNS},
        )

    def _show_summary(self, summary: ListSummary) -> None:
        noun = "cuentas morosas" if summary.base == "cartera morosa" else (
            "cuentas con saldo")
        self.cuentas_caption.setText(noun.capitalize())
        self.cuentas.setText(fmt_int(summary.cuentas))
        self.deuda.setText(fmt_pesos(summary.deuda))
        comuna = summary.porcentaje_comuna is not None and self.scope.morosos
        self.share_comuna_caption.setText(f"De la {summary.base} de la comuna")
        self.share_comuna.setText(fmt_pct(summary.porcentaje_comuna))
        self.share_comuna_caption.setVisible(comuna)
        self.share_comuna.setVisible(comuna)
        self.share_total_caption.setText(f"De la {summary.base} total")
        self.share_total.setText(fmt_pct(summary.porcentaje_total))

    def _show_screen_only(self, f: ListFilters) -> None:
        """Say which filters the printed and exported list leaves out: core's
        lists take the barrio (brigades) and the segment, not the others."""
        names = []
        if not self.scope.morosos and f.barrio:
            names.append("barrio")
        if f.edad:
            names.append("edad")
        if f.min_deuda:
            names.append("deuda mínima")
        if f.text:
            names.append("búsqueda")
        self.screen_only.setVisible(bool(names))
        if names:
            listed = ", ".join(names[:-1]) + (" y " if len(names) > 1 else "")
            self.screen_only.setText(
                f"Los filtros de {listed}{names[-1]} se aplican solo en pantalla: "
                "la lista que se imprime o exporta los deja de lado."
            )

    def displayed_names(self) -> list[str]:
        """The names the table shows (for checks and tests)."""
        column = [name for name, _t, _k in COLUMNS].index("nombre")
        rows = range(self.model.rowCount())
        return [self.model.display_text(row, column) for row in rows]

    # --- the list that leaves the program ----------------------------------

    def list_builder(self) -> Callable[[], DebtorList]:
        """The build of the list to print or export, as the controls say now.

        The controls are read here, on the GUI thread; the returned call
        touches no widget, so it runs on a worker.
        """
        f = self.filters()
        result, scope, settings = self.result, self.scope, self.settings
        complete = self.full_names.isChecked()

        def build() -> DebtorList:
            if scope.morosos:
                return debtor_lists.brigade_list(
                    result, scope.comuna, barrio=f.barrio, segmento=f.segmento,
                    completo=complete, settings=settings,
                )
            return debtor_lists.segment_list(
                result, str(scope.segmento), completo=complete, settings=settings
            )

        return build

    def _reminder_list(self) -> bool:
        """The first segment's list is for reminders: exported, not printed."""
        first = segment_labels(self.settings.segmentos_dias)[0]
        return self.scope.segmento == first

    def ask_export(self, formato: str) -> None:
        """Ask where to save the list, then write it."""
        label, filter_, suffix = FORMATS[formato]
        name = f"{_file_stem(self.scope, self.result.periodo)}{suffix}"
        chosen, _ = QFileDialog.getSaveFileName(
            self, f"Exportar la lista a {label}", str(Path(self.folder) / name),
            filter_,
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self.folder = str(path.parent)
        self.export_to(path, formato)

    def export_to(self, path: Path, formato: str) -> None:
        """Build and write the list on the thread pool (audited by core)."""
        paper, per_barrio = self.paper.currentData(), self.page_per_barrio.isChecked()
        build, settings = self.list_builder(), self.settings

        def job(progress: Any, _cancelled: Any) -> Path:
            from core.list_export import export_list

            progress(0.1, "Armando la lista…")
            lista = build()
            progress(0.4, f"Escribiendo la lista en {FORMATS[formato][0]}…")
            export_list(lista, path, formato, papel=paper,  # type: ignore[arg-type]
                        salto_por_barrio=per_barrio, settings=settings)
            return path

        self._run(job, f"Exportando la lista a {FORMATS[formato][0]}…",
                  self._on_export_succeeded)

    def print_list(self) -> None:
        """Write the brigade PDF to a temporary file, audit it, open it."""
        paper, per_barrio = self.paper.currentData(), self.page_per_barrio.isChecked()
        build, settings = self.list_builder(), self.settings
        folder = Path(self._print_dir.name)

        def job(progress: Any, _cancelled: Any) -> Path:
            from core.audit import record
            from core.brigade_list import write_list_pdf
            from core.list_export import audit_entry

            progress(0.1, "Armando la lista…")
            lista = build()
            path = folder / f"{lista.id}.pdf"
            progress(0.4, "Preparando el PDF para imprimir…")
            write_list_pdf(lista, path, papel=paper, salto_por_barrio=per_barrio,
                           settings=settings)
            record(audit_entry(lista, "impresora", path.name, accion="imprimir"))
            return path

        self._run(job, "Preparando la lista para imprimir…",
                  self._on_print_succeeded)

    # --- running tasks -------------------------------------------------------

    def is_busy(self) -> bool:
        return self._task is not None

    def _run(self, job: Any, text: str, succeeded: Callable[[Path], None]) -> None:
        if self.is_busy():
            return
        task = Task(job, "lista de deudores")
        task.signals.succeeded.connect(succeeded)
        task.signals.failed.connect(self._on_task_failed)
        task.signals.progressed.connect(self.progress.set_progress)
        self._task = task
        self._started = time.perf_counter()
        self.message_bar.clear()
        self.progress.start(text, cancellable=False)
        self._update_buttons()
        task.start(self._pool)

    def _end_task(self) -> None:
        self._task = None
        self.progress.stop()
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self.is_busy()
        for button in (self.excel_button, self.csv_button):
            button.setEnabled(idle)
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(idle and not self.not_printable)
            if self.not_printable:
                button.setToolTip(
                    "La lista de este segmento es para campañas de recordatorio "
                    "y lleva teléfono y correo: se exporta a Excel o CSV, no se "
                    "imprime."
                )

    def _on_export_succeeded(self, path: Path) -> None:
        self._end_task()
        logger.info("lista exportada en %.1f s", time.perf_counter() - self._started)
        self.message_bar.show_done(
            f"Se guardó «{path.name}» en {path.parent}.", "Abrir el archivo",
            lambda: self._open_url(QUrl.fromLocalFile(str(path))),
        )
        self.export_finished.emit(str(path))
        self.task_finished.emit()

    def _on_print_succeeded(self, path: Path) -> None:
        self._end_task()
        if self._open_url(QUrl.fromLocalFile(str(path))):
            self.message_bar.show_info(
                "La lista se abrió en el visor de PDF: imprímala desde allí "
                f"en papel {self.paper.currentText().lower()}."
            )
        else:
            self.message_bar.show_error(
                f"No se pudo abrir el visor de PDF. La lista está en {path}."
            )
        self.print_opened.emit(str(path))
        self.task_finished.emit()

    def _on_task_failed(self, error: Exception, details: str) -> None:
        self._end_task()
        if isinstance(error, CaracterizacionError):
            self.message_bar.show_error(error.mensaje())
        else:
            logger.error("error inesperado con la lista\n%s", details)
            self.message_bar.show_error(
                "No se pudo escribir la lista por un error inesperado; el "
                "detalle quedó en el registro."
            )
        self.task_finished.emit()

    # --- slots ---------------------------------------------------------------

    def _on_filter_changed(self, _index: int) -> None:
        self.apply_filters()

    def _on_search_text_changed(self, _text: str) -> None:
        self._text_timer.start()

    def _on_full_names_toggled(self, checked: bool) -> None:
        logger.info("nombres %s en pantalla",
                    "completos" if checked else "enmascarados")
        self._show_rows()

    def _on_print_button_clicked(self) -> None:
        self.print_list()

    def close_outputs(self) -> None:
        """Remove the temporary PDFs written for printing."""
        self._print_dir.cleanup()

    # --- choices of the filters --------------------------------------------

    def _segment_choices(self, rows: pd.DataFrame) -> list[tuple[str, str | None]]:
        present = set(rows["segmento"].dropna().unique())
        labels = segment_labels(self.settings.segmentos_dias)
        names = dict(zip(labels, self.settings.segmentos["nombres"], strict=True))
        return [(ANY, None)] + [
            (f"{names[label]} ({label} días)", label)
            for label in labels if label in present
        ]

    def _age_choices(self, rows: pd.DataFrame) -> list[tuple[str, str | None]]:
        present = set(rows["edad_cartera"].dropna().unique())
        table = self.result.tablas.get("cartera_por_edades")
        order = [str(row[0]) for row in table.filas] if table else sorted(present)
        return [(ANY, None)] + [
            (f"{label} meses", label) for label in order if label in present
        ]


def _barrio_choices(rows: pd.DataFrame) -> list[tuple[str, str | None]]:
    """One entry per barrio (spellings folded as core folds them)."""
    pairs = pd.DataFrame({
        "key": debtor_lists.barrio_keys(rows["barrio"]),
        "name": rows["barrio"].astype("string").fillna(debtor_lists.SIN_BARRIO),
    }).drop_duplicates("key")  # the first spelling of each barrio
    first = {str(k): str(n) for k, n in zip(pairs["key"], pairs["name"], strict=True)}
    ordered = sorted(first.items(), key=lambda item: debtor_lists.natural_key(item[0]))
    return [(ANY, None)] + [(name, name) for _key, name in ordered]


def _pesos_typed(text: str) -> int | None:
    """`1.500.000` or `$ 1500000` -> 1500000; blank -> None."""
    digits = re.sub(r"[^\d]", "", text.split(",")[0])
    return int(digits) if digits else None


def _file_stem(scope: ListScope, periodo: str) -> str:
    if scope.segmento is not None:
        return f"lista_segmento_{scope.segmento.replace('+', 'mas')}_{periodo}"
    place = f"comuna_{scope.comuna}"
    if scope.barrio is not None:
        place += "_" + re.sub(r"\W+", "_", scope.barrio.lower()).strip("_")
    return f"lista_brigada_{place}_{periodo}"

