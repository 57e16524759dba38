"""The user's folders (data, logs) and the logging set-up of the entry points."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "caracterizacion-usuarios"
# Moves the data folder (preferences, audit, history), e.g. for tests.
DATA_FOLDER_VARIABLE = "CARACTERIZACION_DATOS"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def data_dir() -> Path:
    """Return the user's data folder: never next to the program."""
    override = os.environ.get(DATA_FOLDER_VARIABLE)
    if override:
        return Path(override)
    return user_data_path(APP_NAME, appauthor=False)


def preferences_file() -> Path:
    """Return the file where the app remembers window, folders and months."""
    return data_dir() / "preferencias.ini"


def log_file() -> Path:
    override = os.environ.get(DATA_FOLDER_VARIABLE)
    if override:
        return Path(override) / "log" / "caracterizacion.log"
    return user_log_path(APP_NAME, appauthor=False) / "caracterizacion.log"


def configure_logging(level: int = logging.INFO) -> Path:
    """Send the product's log to a rotating file; return its path."""
    path = log_file()
    root = logging.getLogger()
    root.setLevel(level)
    for existing in root.handlers:
        if getattr(existing, "baseFilename", None) == str(path):
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    return path
