"""The packaging files agree with the project: the bundle's pinned build
environment, the version, the Windows installer script and the icon."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from PIL import Image
from packaging.requirements import Requirement

import core

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def _lines(path: Path) -> list[str]:
    lines = path.read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and line[0] != "#"]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in _lines(path):
        name, version = line.split("==")
        pins[name.lower().replace("_", "-")] = version
    return pins


def test_the_bundle_is_built_from_the_runtime_dependencies_only():
    wanted = {str(Requirement(dep)) for dep in PROJECT["dependencies"]}
    listed = {str(Requirement(line)) for line in _lines(
        PACKAGING / "requirements-bundle.txt"
    )}
    assert listed - wanted == {"pyinstaller>=6.10"}
    assert wanted <= listed


def test_the_bundle_pins_agree_with_requirements_lock():
    bundle = _pins(PACKAGING / "constraints-bundle.txt")
    lock = _pins(ROOT / "requirements.lock")
    shared = set(bundle) & set(lock)
    assert {"pyside6-essentials", "matplotlib", "reportlab", "pandas"} <= shared
    assert {name: bundle[name] for name in shared} == {
        name: lock[name] for name in shared
    }
    assert {"pyinstaller", "pyinstaller-hooks-contrib", "altgraph", "pefile",
            "pywin32-ctypes"} <= set(bundle)


def test_one_version_everywhere():
    iss = (PACKAGING / "caracterizacion.iss").read_text("utf-8-sig")
    [default] = re.findall(r'#define AppVersion "([^"]+)"', iss)
    assert core.__version__ == PROJECT["version"] == default


def test_the_installer_is_spanish_per_user_and_keeps_the_users_data():
    raw = (PACKAGING / "caracterizacion.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: accents read right
    iss = raw.decode("utf-8-sig").replace("\r\n", "\n")
    assert ('Name: "spanish"; MessagesFile: "compiler:Languages\\Spanish.isl"'
            in iss)
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={autopf}\\{#AppName}" in iss
    assert '#define AppName "Caracterización de usuarios"' in iss
    assert re.search(r'^Name: "desktopicon";', iss, re.M)
    assert re.search(r'^Name: "\{autodesktop\}.*Tasks: desktopicon$', iss, re.M)
    assert 'Source: "dist\\Caracterizacion\\*"' in iss

    deleted = iss.split("[UninstallDelete]", 1)[1].split("\n[", 1)[0]
    entries = [line for line in deleted.splitlines() if line.startswith("Type:")]
    assert entries == ['Type: dirifempty; Name: "{app}"']


def test_the_windows_build_script_builds_tests_and_packs():
    raw = (PACKAGING / "build-windows.ps1").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # PowerShell 5 reads UTF-8 with BOM
    script = raw.decode("utf-8-sig")
    steps = ["constraints-bundle.txt", "caracterizacion.spec", "--autoprueba",
             "caracterizacion.iss"]
    positions = [script.index(step) for step in steps]
    assert positions == sorted(positions)


def test_the_icon_has_every_windows_size():
    ico = Image.open(ROOT / "resources" / "icons" / "caracterizacion.ico")
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= ico.info["sizes"]
    png = Image.open(ROOT / "resources" / "icons" / "caracterizacion.png")
    assert png.size == (256, 256)
