"""What the app remembers between runs, in an .ini file in the user's data folder.

Window geometry, the last folder used and the recent months (each a triple
of files: guía, cartera and the optional survey).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from core.applog import preferences_file
from core.formatting import fmt_month

logger = logging.getLogger(__name__)

ORGANIZATION = "Caracterizacion"
APPLICATION = "caracterizacion-usuarios"
MAX_RECENT = 8


@dataclass(frozen=True)
class RecentMonth:
    """The files of a month opened before, and its period once known."""

    usuarios: str
    cartera: str
    encuesta: str = ""
    periodo: str = ""

    def label(self) -> str:
        files = f"{Path(self.usuarios).name} · {Path(self.cartera).name}"
        if self.encuesta:
            files += f" · {Path(self.encuesta).name}"
        if not self.periodo:
            return files
        return f"{fmt_month(self.periodo).capitalize()}   —   {files}"

    def tooltip(self) -> str:
        lines = [self.usuarios, self.cartera]
        if self.encuesta:
            lines.append(self.encuesta)
        return "\n".join(lines)

    def files(self) -> tuple[str, str, str]:
        return (self.usuarios, self.cartera, self.encuesta)

    def missing(self) -> list[str]:
        return [f for f in self.files() if f and not Path(f).exists()]


class SettingsStore:
    """Typed access to the app's QSettings."""

    def __init__(self, settings: QSettings | None = None) -> None:
        if settings is None:
            path = preferences_file()
            settings = QSettings(str(path), QSettings.Format.IniFormat)
        self._settings = settings

    # --- window ----------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        value = self._settings.value("ventana/geometria")
        return value if isinstance(value, QByteArray) and value else None

    def set_geometry(self, geometry: QByteArray) -> None:
        self._settings.setValue("ventana/geometria", geometry)

    # --- folders ---------------------------------------------------------

    def last_folder(self) -> str:
        folder = str(self._settings.value("carpetas/ultima", "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def set_last_folder(self, folder: Path | str) -> None:
        self._settings.setValue("carpetas/ultima", str(folder))

    # --- recent months ---------------------------------------------------

    def recent_months(self) -> list[RecentMonth]:
        raw = self._settings.value("meses/recientes", "[]")
        try:
            records = json.loads(str(raw))
            return [RecentMonth(**record) for record in records][:MAX_RECENT]
        except (TypeError, ValueError):
            logger.warning("lista de meses recientes ilegible; se descarta")
            return []

    def add_recent_month(self, month: RecentMonth) -> list[RecentMonth]:
        """Put `month` first (replacing the same files) and return the list."""
        months = [m for m in self.recent_months() if m.files() != month.files()]
        months = [month, *months][:MAX_RECENT]
        self._save_recent(months)
        return months

    def remove_recent_month(self, month: RecentMonth) -> list[RecentMonth]:
        months = [m for m in self.recent_months() if m.files() != month.files()]
        self._save_recent(months)
        return months

    def _save_recent(self, months: list[RecentMonth]) -> None:
        records = [month.__dict__ for month in months]
        self._settings.setValue("meses/recientes", json.dumps(records))

    def sync(self) -> None:
        self._settings.sync()
