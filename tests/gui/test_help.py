"""The Help menu: the shipped Spanish guide with its screenshots (F1), found
in a checkout and in a frozen bundle, and the «Acerca de» box."""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence, QTextDocument

from gui import help_dialog
from gui.help_dialog import AboutDialog, HelpDialog

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "resources" / "ayuda" / "guia.html"


def _image_sources() -> list[str]:
    return re.findall(r'<img src="([^"]+)"', GUIDE.read_text(encoding="utf-8"))


def _loaded_images(dialog: HelpDialog) -> list[tuple[str, bool]]:
    document = dialog.browser.document()
    kind = QTextDocument.ResourceType.ImageResource
    loaded = []
    for source in _image_sources():
        image = document.resource(kind, QUrl(source))
        loaded.append((source, image is not None and not image.isNull()))
    return loaded


def test_the_guide_has_screenshots_that_exist():
    sources = _image_sources()
    assert len(sources) >= 3
    for source in sources:
        assert (GUIDE.parent / source).stat().st_size > 1000, source


def test_f1_opens_the_shipped_guide_with_its_screenshots(window, monkeypatch):
    assert window.actions.help.shortcut() == QKeySequence("F1")
    opened = []
    monkeypatch.setattr(HelpDialog, "exec", lambda self: opened.append(self))
    window.actions.help.trigger()

    [dialog] = opened
    text = dialog.browser.toPlainText()
    for words in ("Abrir archivos del mes", "cancelar", "Ctrl+O", "Ctrl+E",
                  "Ctrl+Shift+E", "Ctrl+P", "F1", "Acerca de"):
        assert words in text
    assert dialog.browser.source().toLocalFile() == str(GUIDE)
    assert all(ok for _, ok in _loaded_images(dialog)), _loaded_images(dialog)


def test_the_frozen_guide_is_found_under_an_accented_install_folder(
    qtbot, monkeypatch, tmp_path
):
    bundle = tmp_path / "Programas – Año Peñalosa" / "_internal"
    shutil.copytree(GUIDE.parent, bundle / "resources" / "ayuda")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)

    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    expected = bundle / "resources" / "ayuda" / "guia.html"
    assert dialog.browser.source().toLocalFile() == str(expected)
    assert "Ctrl+Shift+E" in dialog.browser.toPlainText()
    assert all(ok for _, ok in _loaded_images(dialog)), _loaded_images(dialog)


def test_a_missing_guide_says_so_in_spanish(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(help_dialog, "guide_path", lambda: tmp_path / "no.html")
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    assert "No se encontró la guía de uso" in dialog.browser.toPlainText()


def test_about_tells_version_license_and_the_user_folders(
    qtbot, monkeypatch, tmp_path
):
    folder = tmp_path / "Datos de Peñalosa – año"
    monkeypatch.setenv("CARACTERIZACION_DATOS", str(folder))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.label.text()
    assert f"Versión {project['project']['version']}" in text
    assert project["project"]["license"] == "MIT"
    assert "licencia MIT" in text
    assert dialog.data_folder == folder
    assert dialog.log_folder == folder / "log"
    assert str(folder) in text and str(folder / "log") in text


def test_the_help_menu_has_the_guide_and_about(window):
    [menu] = [m for m in window.menuBar().actions() if m.text() == "A&yuda"]
    texts = [action.text() for action in menu.menu().actions()]
    assert texts == ["A&yuda", "&Acerca de"]


def test_the_app_has_its_icon(qapp):
    from gui.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert icon.pixmap(256, 256).width() == 256
