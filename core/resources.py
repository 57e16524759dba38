"""Where the shipped resources (configuration, sample month, fonts) live."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the `resources/` folder, in a checkout or in a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_month() -> dict[str, Path]:
    """Return the bundled sample month's files by role."""
    folder = resource_path("sample")
    return {
        "usuarios": folder / "guia_usuarios_2025-07.xlsx",
        "cartera": folder / "cartera_2025-07.xlsx",
        "encuesta": folder / "encuesta_2025.xlsx",
    }
