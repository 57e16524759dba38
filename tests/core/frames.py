"""Build small loaded files by hand, without the loader, for rule tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from core.model import CARTERA_FIELDS, GUIA_FIELDS, LoadedFile

INT_FIELDS = ("deuda", "dias", "meses", "facturas", "edades_suma")


def frame_of(
    records: list[dict[str, Any]], fields: tuple[str, ...]
) -> pd.DataFrame:
    """Return a loaded-file frame of `fields` (+ fila) with the loader's dtypes."""
    rows = []
    for i, record in enumerate(records):
        row = {f: record.get(f) for f in fields}
        row["cuenta_texto"] = record.get("cuenta_texto", record.get("cuenta"))
        row["fila"] = i + 2
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[*fields, "fila"])
    for column in fields:
        if column in INT_FIELDS:
            frame[column] = frame[column].astype("Int64")
        elif column == "consumo":
            frame[column] = frame[column].astype("float")
        else:
            frame[column] = frame[column].astype("string")
    return frame


def guia(records: list[dict[str, Any]], **kwargs: Any) -> LoadedFile:
    """A guía: records need cuenta, estrato, comuna; estado defaults to ACTIVO."""
    for record in records:
        record.setdefault("estado", "ACTIVO")
    return LoadedFile(
        role="usuarios",
        path=Path("guia.xlsx"),
        sheet="GUIA",
        header_row=1,
        frame=frame_of(records, GUIA_FIELDS),
        rows_read=len(records),
        **kwargs,
    )


def cartera(records: list[dict[str, Any]], **kwargs: Any) -> LoadedFile:
    """A cartera: `deuda` in pesos is converted to centavos here."""
    for record in records:
        if record.get("deuda") is not None:
            record["deuda"] = round(record["deuda"] * 100)
    return LoadedFile(
        role="cartera",
        path=Path("cartera.xlsx"),
        sheet="CARTERA",
        header_row=1,
        frame=frame_of(records, CARTERA_FIELDS),
        rows_read=len(records),
        **kwargs,
    )
