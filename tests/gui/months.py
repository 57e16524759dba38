"""Small months built in memory (no files, no loader) for GUI tests.

They go through `core.pipeline.compute_month`, so every figure is core's.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from core.model import CARTERA_FIELDS, GUIA_FIELDS, LoadedFile, MonthResult
from core.pipeline import compute_month
from tests.core.frames import frame_of

ESTRATOS = ("01", "02", "03", "04", "10", "90")
BARRIOS = ("EL LLANITO", "LA PAZ", "SAN JOSÉ", "MUÑOZ & HIJOS", "CENTRO")
ANSWERS = {
    "p1": ("Muy satisfecho", "Satisfecho", "Insatisfecho", "3"),
    "p2": ("Excelente", "Buena", "Regular", "Mala"),
    "p4": ("Buena", "Mala", "Muy mala", "Regular"),
    "p6": ("Sí", "No"),
    "p7": ("Sí, siempre", "No, nunca"),
}


def _loaded(role: str, name: str, frame: pd.DataFrame, **kwargs) -> LoadedFile:
    return LoadedFile(
        role=role,  # type: ignore[arg-type]
        path=Path(name),
        sheet="Hoja1",
        header_row=1,
        frame=frame,
        rows_read=len(frame),
        **kwargs,
    )


def small_month(
    accounts: int = 300, seed: int = 7, survey: bool = True, periodo="2025-06"
) -> MonthResult:
    """A month of `accounts` users, a third of them with debt."""
    rng = random.Random(seed)
    guia, cartera = [], []
    for n in range(1, accounts + 1):
        code = f"{n:07d}"
        guia.append({
            "cuenta": str(n), "cuenta_texto": code,
            "estrato": rng.choice(ESTRATOS), "comuna": str(rng.randint(1, 7)),
            "barrio": rng.choice(BARRIOS), "estado": "ACTIVO",
            "consumo": float(rng.randint(5, 40)),
            "tipo_persona": rng.choice(("NATURAL", "NATURAL", "JURIDICA")),
        })
        if n % 3 == 0:
            cartera.append({
                "cuenta": str(n), "cuenta_texto": code,
                "deuda": rng.randint(10_000, 5_000_000) * 100,
                "dias": rng.choice((0, 15, 45, 90, 200, 2000)),
            })
    cartera.append({"cuenta": "9999999", "deuda": -500_000, "dias": 0})
    encuesta = _survey(rng) if survey else None
    return compute_month(
        _loaded("usuarios", "guia_prueba.xlsx", frame_of(guia, GUIA_FIELDS)),
        _loaded("cartera", "cartera_prueba.xlsx", frame_of(cartera, CARTERA_FIELDS)),
        encuesta,
        periodo=periodo,
    )


def _survey(rng: random.Random) -> LoadedFile:
    rows = {q: [rng.choice(a) for _ in range(120)] for q, a in ANSWERS.items()}
    frame = pd.DataFrame(rows).astype("string")
    frame["fila"] = range(2, len(frame) + 2)
    questions = {
        "p1": "1. ¿Qué tan satisfecho está con el servicio?",
        "p2": "2. ¿Cómo califica la cordialidad de la atención?",
        "p4": "4. ¿Cómo califica el mantenimiento del alcantarillado?",
        "p6": "6. ¿Conoce los canales de pago electrónico?",
        "p7": "7. ¿Ha pagado por un canal electrónico?",
    }
    return _loaded("encuesta", "encuesta_prueba.xlsx", frame, preguntas=questions)
