"""The frozen app (make bundle): installed in a folder with accents, ñ and
spaces, run by a user whose folders have them too, `--autoprueba` loads the
sample month, writes the PDF report and exits 0.

`make test` builds the bundle first and names it in CARACTERIZACION_PAQUETE;
without that variable (a plain `pytest`) these tests are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

BUNDLE_VARIABLE = "CARACTERIZACION_PAQUETE"
FROZEN = os.environ.get(BUNDLE_VARIABLE)
SELF_TEST_TIMEOUT_S = 300

pytestmark = pytest.mark.skipif(
    not FROZEN, reason=f"{BUNDLE_VARIABLE} no está definida (make test la define)"
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A copy of the bundle's folder under an accented install folder."""
    program = Path(FROZEN)
    assert program.is_file(), f"no existe el programa empaquetado {program}"
    target = tmp_path_factory.mktemp("paquete") / "Programas – Año Peñalosa"
    shutil.copytree(program.parent, target / program.parent.name, symlinks=True)
    return target / program.parent.name / program.name


def _run(program: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TMPDIR": str(home / "temporal ñ"),
    }
    (home / "temporal ñ").mkdir(parents=True)
    return subprocess.run(
        [str(program), "--autoprueba"], env=env, capture_output=True, text=True,
        timeout=SELF_TEST_TIMEOUT_S, cwd=home,
    )


def test_the_frozen_app_passes_its_self_test(installed, tmp_path):
    home = tmp_path / "José Peñalosa Núñez"
    done = _run(installed, home)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert done.stdout.startswith("Autoprueba correcta")

    log = home / ".local" / "state" / "caracterizacion-usuarios" / "log"
    text = (log / "caracterizacion.log").read_text(encoding="utf-8")
    assert "informe PDF de 2025-07 escrito" in text
    assert list((home / "temporal ñ").iterdir()) == []


def test_the_frozen_app_ships_its_resources(installed):
    internal = installed.parent / "_internal" / "resources"
    for part in ("config/ajustes.toml", "config/columnas.toml",
                 "sample/guia_usuarios_2025-07.xlsx", "ayuda/guia.html",
                 "ayuda/capturas/01-resumen.png", "fonts/DejaVuSans.ttf",
                 "fonts/DejaVuSans-Bold.ttf", "icons/caracterizacion.png"):
        assert (internal / part).stat().st_size > 0, part
