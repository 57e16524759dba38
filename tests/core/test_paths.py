"""Folders and files with accents, ñ and spaces: the month's files, the
outputs, the user's data folder (as platformdirs finds it) and the log."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core import applog
from core.cli import main
from core.loading import detect_role
from core.resources import sample_month

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "tests" / "data" / "referencia.json").read_text("utf-8"))
CLI_TIMEOUT_S = 240
NAMES = {
    "usuarios": "guía de usuarios – julio.xlsx",
    "cartera": "cartera año 2025 (conciliación).xlsx",
    "encuesta": "encuesta de percepción ñ.xlsx",
}


@pytest.fixture
def month_folder(tmp_path: Path) -> Path:
    files = sample_month()
    if not all(path.exists() for path in files.values()):
        pytest.skip("sample month not generated yet")
    folder = tmp_path / "Año 2025 – Peñalosa" / "datos del mes"
    folder.mkdir(parents=True)
    for role, name in NAMES.items():
        shutil.copyfile(files[role], folder / name)
    return folder


def test_the_loader_recognizes_each_file_in_an_accented_folder(month_folder):
    for role, name in NAMES.items():
        assert detect_role(month_folder / name) == role


def test_the_cli_reads_and_writes_in_accented_folders(month_folder, tmp_path):
    out = month_folder.parent / "salida del informe ñ"
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "CARACTERIZACION_DATOS": str(tmp_path / "Datos de José")}
    done = subprocess.run(
        [sys.executable, "-m", "core.cli", "informe",
         "--usuarios", NAMES["usuarios"], "--cartera", NAMES["cartera"],
         "--encuesta", NAMES["encuesta"],
         "--json", str(out / "tablas – julio.json"),
         "--pdf", str(out / "informe año.pdf")],
        cwd=month_folder, env=env, capture_output=True, text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr[-2000:]

    data = json.loads((out / "tablas – julio.json").read_text("utf-8"))
    summary = data["resumen"]
    assert data["periodo"] == REFERENCE["periodo"]
    assert summary["usuarios_activos"] == REFERENCE["usuarios_por_uso"]["total"]
    assert summary["usuarios_morosos"] == 9986
    pdf = (out / "informe año.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000


@pytest.fixture
def accented_home(monkeypatch, tmp_path) -> Path:
    """The user's folders as platformdirs finds them, without the tests'
    CARACTERIZACION_DATOS override, under an accented user name."""
    home = tmp_path / "home" / "José Peñalosa Núñez"
    monkeypatch.delenv(applog.DATA_FOLDER_VARIABLE, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    if sys.platform != "linux":
        pytest.skip("XDG folders are the Linux layout of platformdirs")
    return home


def test_the_data_folder_follows_an_accented_user_name(accented_home):
    expected = accented_home / ".local" / "share" / "caracterizacion-usuarios"
    assert applog.data_dir() == expected
    assert applog.log_file() == (
        accented_home / ".local" / "state" / "caracterizacion-usuarios" / "log"
        / "caracterizacion.log"
    )


def test_history_and_log_are_written_under_an_accented_user_name(
    accented_home, month_folder, capsys
):
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        log = applog.configure_logging()
        status = main([
            "historial", "agregar",
            "--usuarios", str(month_folder / NAMES["usuarios"]),
            "--cartera", str(month_folder / NAMES["cartera"]),
        ])
        assert status == 0
        assert main(["historial", "listar"]) == 0
    finally:
        for handler in set(root.handlers) - set(before):
            root.removeHandler(handler)
            handler.close()

    data = accented_home / ".local" / "share" / "caracterizacion-usuarios"
    assert (data / "historial.sqlite").stat().st_size > 0
    assert f"Historial {data / 'historial.sqlite'}: 1 mes" in capsys.readouterr().out
    assert log.is_file() and str(accented_home) in str(log)
