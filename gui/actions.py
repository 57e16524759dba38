"""The window's actions (menu and toolbar entries) and their shortcuts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget


@dataclass
class Actions:
    open_month: QAction
    open_sample: QAction
    go_home: QAction
    export_pdf: QAction
    export_excel: QAction
    print_table: QAction
    settings: QAction
    history_months: QAction
    history_export: QAction
    history_import: QAction
    quit: QAction
    help: QAction
    about: QAction

    def needing_month(self) -> list[QAction]:
        """Actions that only make sense with a month on screen."""
        return [self.export_pdf, self.export_excel, self.print_table]

    def blocked_while_busy(self) -> list[QAction]:
        return [
            self.open_month, self.open_sample, self.export_pdf, self.export_excel,
            self.settings,
        ]


def create_actions(window: QWidget) -> Actions:
    style = window.style()
    icon = style.standardIcon
    pixmap = QStyle.StandardPixmap

    def make(text: str, shortcut: str | None, tip: str, icon_kind=None) -> QAction:
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            tip = f"{tip} ({shortcut})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if icon_kind is not None:
            action.setIcon(icon(icon_kind))
        return action

    return Actions(
        open_month=make(
            "&Abrir archivos del mes…", "Ctrl+O",
            "Abrir la guía, la cartera y la encuesta del mes",
            pixmap.SP_DialogOpenButton,
        ),
        open_sample=make(
            "Abrir datos de &ejemplo", None, "Cargar el mes de muestra"
        ),
        go_home=make(
            "&Inicio", None, "Volver a la pantalla de inicio (meses recientes)",
            pixmap.SP_DirHomeIcon,
        ),
        export_pdf=make(
            "Informe &PDF…", "Ctrl+E", "Exportar el informe para el comité",
            pixmap.SP_FileIcon,
        ),
        export_excel=make(
            "Tablas en E&xcel…", "Ctrl+Shift+E",
            "Exportar todas las tablas a un libro de Excel",
            pixmap.SP_FileDialogDetailedView,
        ),
        print_table=make(
            "&Imprimir la tabla actual…", "Ctrl+P", "Imprimir la tabla en pantalla",
            pixmap.SP_FileDialogContentsView,
        ),
        settings=make(
            "Aj&ustes…", "Ctrl+,",
            "Entidad, firmas, textos del informe, reglas, catálogos y encuesta",
        ),
        history_months=make(
            "&Meses guardados…", "Ctrl+H",
            "Los meses guardados en el historial: verlos, borrar uno",
        ),
        history_export=make(
            "&Exportar copia del historial…", None,
            "Guardar una copia de todo el historial en un archivo",
        ),
        history_import=make(
            "&Importar copia…", None,
            "Reemplazar el historial con una copia exportada antes",
        ),
        quit=make("&Salir", "Ctrl+Q", "Cerrar el programa"),
        help=make(
            "A&yuda", "F1", "Cómo usar el programa",
            pixmap.SP_DialogHelpButton,
        ),
        about=make("&Acerca de", None, "Versión del programa"),
    )
