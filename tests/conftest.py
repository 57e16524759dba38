"""Every test run keeps the user's data folder (preferences, audit, logs) apart."""

from __future__ import annotations

import os
import tempfile

_DATA = tempfile.mkdtemp(prefix="caracterizacion-pruebas-")
os.environ["CARACTERIZACION_DATOS"] = _DATA
