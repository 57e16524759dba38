"""The month's figures as JSON, in the contract of DESIGN.md section 5."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.atomic import atomic_path
from core.model import MonthResult, Table


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def _table(table: Table) -> dict[str, Any]:
    return {
        "titulo": table.titulo,
        "columnas": list(table.columnas),
        "filas": [[_plain(v) for v in row] for row in table.filas],
        "total": None if table.total is None else [_plain(v) for v in table.total],
    }


def result_to_dict(result: MonthResult) -> dict[str, Any]:
    """Return the month as plain JSON-ready data."""
    summary = result.resumen
    return {
        "periodo": result.periodo,
        "fecha_corte": result.fecha_corte.isoformat() if result.fecha_corte else None,
        "resumen": {
            "usuarios_activos": summary.usuarios_activos,
            "usuarios_morosos": summary.usuarios_morosos,
            "porcentaje_morosos": _plain(summary.porcentaje_morosos),
            "cartera_morosa": _plain(summary.cartera_morosa),
            "deuda_promedio": _plain(summary.deuda_promedio),
            "cuentas_con_saldo": summary.cuentas_con_saldo,
            "cartera_total": _plain(summary.cartera_total),
            "saldo_a_favor": _plain(summary.saldo_a_favor),
        },
        "tablas": {table_id: _table(t) for table_id, t in result.tablas.items()},
        "calidad": [
            {
                "codigo": item.codigo,
                "mensaje": item.mensaje,
                "cantidad": item.cantidad,
                "valor": _plain(item.valor),
            }
            for item in result.calidad
        ],
        "conciliacion": [
            {
                "descripcion": check.descripcion,
                "esperado": _plain(check.esperado),
                "obtenido": _plain(check.obtenido),
                "cuadra": check.cuadra,
            }
            for check in result.conciliacion
        ],
    }


def write_json(result: MonthResult, path: Path | str) -> None:
    """Write the month's JSON atomically."""
    data = result_to_dict(result)
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
