"""The entry point: Spanish Qt dialogs, the hook for unexpected errors, and
`--captura`, which saves one PNG per tab (Evolución too, once the sample
history is ready) and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialogButtonBox

from core.errors import ReadError
from gui import app
from gui.widgets.tabs import PAGES

ROOT = Path(__file__).resolve().parents[2]
CAPTURE_TIMEOUT_S = 240


def test_arguments():
    assert app.parse_args([]).demo is False
    args = app.parse_args(["--demo", "--captura", "salida"])
    assert args.demo and args.captura == Path("salida")


def test_qt_own_buttons_speak_spanish(qapp):
    translators = app.install_translations(qapp)
    try:
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Close
        )
        texts = sorted(button.text() for button in box.buttons())
        assert texts == ["Cancelar", "Cerrar"]
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


@pytest.fixture
def hook(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown = []

    class FakeBox:
        def __init__(self, parent, message, details, log_path):
            shown.append((message, details, log_path))

        def exec(self):
            return 0

    monkeypatch.setattr(app, "error_box", FakeBox)
    warnings = []
    monkeypatch.setattr(
        app.QMessageBox, "warning", lambda parent, title, text: warnings.append(text)
    )
    app.install_excepthook(tmp_path / "caracterizacion.log")
    return shown, warnings, tmp_path / "caracterizacion.log"


def _raise_into_hook(error):
    try:
        raise error
    except Exception as raised:  # noqa: BLE001 - handed to the hook
        sys.excepthook(type(raised), raised, raised.__traceback__)


def test_an_unexpected_error_shows_a_short_message_details_and_log(qapp, hook):
    shown, warnings, log = hook
    _raise_into_hook(ZeroDivisionError("división"))
    [(message, details, log_path)] = shown
    assert message.startswith("Ocurrió un error inesperado")
    assert "ZeroDivisionError" in details and "Traceback" in details
    assert log_path == log
    assert warnings == []


def test_an_expected_error_reaching_the_hook_shows_its_spanish_message(qapp, hook):
    shown, warnings, _log = hook
    error = ReadError("guia.xlsx", "bloqueado")
    _raise_into_hook(error)
    assert warnings == [error.mensaje()]
    assert shown == []


def test_the_error_dialog_keeps_details_for_whoever_asks(qapp, tmp_path):
    box = app.error_box(None, "Algo falló <de verdad>", "Traceback ...", tmp_path)
    assert box.detailedText() == "Traceback ..."
    assert str(tmp_path) in box.informativeText()
    assert "&lt;de verdad&gt;" in box.text()


def test_captura_saves_one_png_per_tab_at_1366_by_768(sample_files, tmp_path):
    folder = tmp_path / "capturas"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "MPLBACKEND": "Agg",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "gui.app", "--captura", str(folder)],
        cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=CAPTURE_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr[-2000:]

    pngs = sorted(folder.glob("*.png"))
    assert [p.stem.split("-", 1)[1] for p in pngs] == [
        "resumen", *[key for key, *_rest in PAGES], "evolucion",
    ]
    for png in pngs:
        image = QImage(str(png))
        assert (image.width(), image.height()) == (1366, 768), png.name


def test_without_a_display_the_app_says_so_in_spanish(monkeypatch, capsys):
    from gui import app as app_module

    monkeypatch.setattr(app_module.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert not app_module.has_display()
    assert app_module.main(["--demo"]) == 2
    assert "No hay pantalla disponible" in capsys.readouterr().err
