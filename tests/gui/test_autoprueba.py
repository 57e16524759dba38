"""`--autoprueba`: load the sample month the way the window does, write the
PDF report to a temporary folder and exit 0; otherwise a Spanish message and
a non-zero exit. The frozen app's run is in tests/test_bundle.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gui import app, main_window

ROOT = Path(__file__).resolve().parents[2]
SELF_TEST_TIMEOUT_S = 240


def test_autoprueba_argument():
    assert app.parse_args([]).autoprueba is False
    assert app.parse_args(["--autoprueba"]).autoprueba is True


def test_autoprueba_from_the_source_tree_exits_0(sample_files, tmp_path):
    data = tmp_path / "Datos de Peñalosa – año"
    env = {
        **os.environ,
        "CARACTERIZACION_DATOS": str(data),
        "QT_QPA_PLATFORM": "",  # it goes offscreen by itself
        "TMPDIR": str(tmp_path / "temporal con ñ"),
    }
    env.pop("DISPLAY", None)
    (tmp_path / "temporal con ñ").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "gui.app", "--autoprueba"],
        cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=SELF_TEST_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("Autoprueba correcta")

    log = (data / "log" / "caracterizacion.log").read_text(encoding="utf-8")
    assert "autoprueba correcta" in log
    assert "informe PDF de 2025-07 escrito" in log
    assert list((tmp_path / "temporal con ñ").iterdir()) == []  # cleaned up


def test_a_month_that_cannot_be_read_fails_in_spanish(
    window, monkeypatch, tmp_path, capsys
):
    missing = tmp_path / "no está"
    monkeypatch.setattr(main_window, "sample_month", lambda: {
        "usuarios": missing / "guia.xlsx", "cartera": missing / "cartera.xlsx",
    })
    assert app.run_self_test(window) == 1
    out = capsys.readouterr().out
    assert out.startswith("Autoprueba fallida: no se pudo cargar el mes de ejemplo")


def test_a_report_that_is_not_written_fails_in_spanish(
    window, monkeypatch, capsys
):
    def no_report(result, path, settings, tablero=None):
        return lambda progress, cancelled: path  # "writes" nothing

    monkeypatch.setattr(main_window, "_pdf_job", no_report)
    assert app.run_self_test(window) == 1
    assert capsys.readouterr().out == (
        "Autoprueba fallida: no se escribió el informe PDF (vea el registro).\n"
    )
