"""The Help menu: the Spanish user guide shipped with the app (F1) and the
«Acerca de» box (version, license, where the data and the log live)."""

from __future__ import annotations

import logging
import platform
from html import escape
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core import __version__
from core.applog import data_dir, log_file
from core.resources import resource_path

logger = logging.getLogger(__name__)

APP_TITLE = "Caracterización de usuarios"
LICENSE = "MIT"
GUIDE_MISSING = (
    "<h2>Guía de uso</h2><p>No se encontró la guía de uso en la carpeta del "
    "programa ({}). Reinstale el programa o consulte el README.</p>"
)


def guide_path() -> Path:
    """The guide shipped in resources/ (in a checkout and frozen alike)."""
    return resource_path("ayuda", "guia.html")


class HelpDialog(QDialog):
    """The user guide in Spanish, with its screenshots (F1)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ayuda — Guía de uso")
        self.resize(720, 640)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self._show_guide(guide_path())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def _show_guide(self, path: Path) -> None:
        if not path.is_file():
            logger.warning("no se encontró la guía de uso en %s", path)
            self.browser.setHtml(GUIDE_MISSING.format(escape(str(path))))
            return
        # A file source lets the guide's relative image paths resolve.
        self.browser.setSource(QUrl.fromLocalFile(str(path)))


class AboutDialog(QDialog):
    """Version, license and the user's folders, which the officer may need
    to tell the office IT staff."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Acerca de")
        self.data_folder = data_dir()
        self.log_folder = log_file().parent
        self.label = QLabel(about_html(self.data_folder, self.log_folder), self)
        self.label.setWordWrap(True)
        self.label.setOpenExternalLinks(False)
        self.label.setMinimumWidth(460)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_data = QPushButton("Abrir la carpeta de datos", self)
        buttons.addButton(self.open_data, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_data.clicked.connect(self._on_open_data_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)

    def _on_open_data_clicked(self) -> None:
        self.data_folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_folder)))


def about_html(data_folder: Path, log_folder: Path) -> str:
    return (
        f"<h3>{APP_TITLE}</h3>"
        f"<p>Versión {escape(__version__)}</p>"
        "<p>Caracterización de usuarios y cartera para la oficina de atención "
        "al usuario.</p>"
        f"<p>Se distribuye bajo la licencia {LICENSE}: puede usarse, copiarse, "
        "modificarse y distribuirse libremente, sin garantía de ningún tipo.</p>"
        "<p><b>Carpeta de datos</b> (ajustes, auditoría, historial):<br>"
        f"<tt>{escape(str(data_folder))}</tt></p>"
        f"<p><b>Registro del programa</b>:<br><tt>{escape(str(log_folder))}</tt></p>"
        f"<p><small>Python {escape(platform.python_version())} · "
        f"Qt {escape(pyside_version)}</small></p>"
    )
