"""Plain data passed between reading, rules, exports and the GUI.

Amounts inside frames are integer centavos (exact); amounts inside result
tables are `Decimal` pesos with at most two decimals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pandas as pd

Role = Literal["usuarios", "cartera", "encuesta"]
ColumnKind = Literal["texto", "conteo", "pesos", "porcentaje", "decimal"]

# Canonical fields of each file role. Every loaded frame has all of them
# (missing optional ones are all-NA) plus `fila`, the 1-based row of the
# spreadsheet (or line of the CSV) the record came from.
GUIA_FIELDS = (
    "cuenta",  # normalized key: digits without leading zeros, or upper text
    "cuenta_texto",  # as the guía prints it
    "estrato",  # canonical code: "01", "10", "90"
    "uso",  # canonical code: "01", "03" (NA when the file has no uso)
    "comuna",  # "1".."7", or the name outside the urban comunas
    "barrio",
    "nombre",
    "tipo_documento",
    "documento",
    "tipo_persona",  # "NATURAL" / "JURIDICA" when the file says it, else NA
    "direccion",
    "estado",  # upper text
    "servicios",
    "consumo",  # float m3, NA when blank
    "telefono",
    "correo",
    "ciclo",
    "ruta",
    "zona",
)
CARTERA_FIELDS = (
    "cuenta",
    "cuenta_texto",
    "deuda",  # Int64 centavos: the total column, or the sum of components
    "dias",  # Int64 días de mora, NA when the file has none for the line
    "meses",  # Int64 edad en meses, NA when absent
    "facturas",  # Int64 facturas vencidas, NA when absent
    "edades_suma",  # Int64 centavos: sum of amount-by-age columns, NA if none
    "estrato",
    "uso",
    "comuna",
    "barrio",
    "nombre",
    "direccion",
    "estado",
    "telefono",
    "correo",
    "ciclo",
    "ruta",
)
ENCUESTA_FIELDS = ("comuna", "estrato", "tipo_usuario", "canal", "fecha")


@dataclass
class QualityItem:
    """One line of the data-quality report, with the rows behind it."""

    codigo: str
    mensaje: str
    cantidad: int
    valor: Decimal | None = None
    filas: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class FileTotal:
    """A total or subtotal row found in a file (never counted as a record)."""

    etiqueta: str
    fila: int
    valor: int | None = None  # centavos
    cantidad: int | None = None
    general: bool = True  # False for subtotals (SUBTOTAL ESTRATO 01 ...)


@dataclass
class LoadedFile:
    """One input file read into a frame of canonical fields."""

    role: Role
    path: Path
    sheet: str
    header_row: int
    frame: pd.DataFrame
    rows_read: int
    mapping: dict[str, str] = field(default_factory=dict)
    totals: list[FileTotal] = field(default_factory=list)
    issues: list[QualityItem] = field(default_factory=list)
    periodo: str | None = None  # "AAAA-MM" when the file says it
    fecha_corte: dt.date | None = None
    preguntas: dict[str, str] = field(default_factory=dict)  # encuesta: p1 -> header


@dataclass
class Table:
    """A result table: what JSON, Excel, the PDF and the GUI all show."""

    id: str
    titulo: str
    columnas: list[str]
    tipos: list[ColumnKind]
    filas: list[list[Any]]
    total: list[Any] | None = None
    nota: str = ""
    # A table of mixed indicators (counts, pesos and rates in one column)
    # gives each row's cell kinds here; `tipos` is then only the fallback.
    tipos_celdas: list[list[ColumnKind]] | None = None

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.filas, columns=self.columnas)

    def tipo(self, fila: int, columna: int) -> ColumnKind:
        """Return the kind of one cell of the data rows (not the total row)."""
        if self.tipos_celdas is not None and fila < len(self.tipos_celdas):
            return self.tipos_celdas[fila][columna]
        return self.tipos[columna]


@dataclass
class Check:
    """One reconciliation check: two amounts that must be equal."""

    descripcion: str
    esperado: Decimal
    obtenido: Decimal

    @property
    def cuadra(self) -> bool:
        return self.esperado == self.obtenido

    @property
    def diferencia(self) -> Decimal:
        return self.obtenido - self.esperado


@dataclass
class Summary:
    usuarios_activos: int
    usuarios_morosos: int
    porcentaje_morosos: Decimal | None
    cartera_morosa: Decimal
    deuda_promedio: Decimal | None
    cuentas_con_saldo: int
    cartera_total: Decimal
    saldo_a_favor: Decimal


@dataclass
class MonthResult:
    """Everything computed for one month."""

    periodo: str
    fecha_corte: dt.date | None
    fuentes: list[LoadedFile]
    resumen: Summary
    tablas: dict[str, Table]
    calidad: list[QualityItem]
    conciliacion: list[Check]
    cuentas: pd.DataFrame  # one row per account with a balance (drill-down)
    reglas: dict[str, Any] = field(default_factory=dict)  # values in force
