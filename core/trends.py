"""Month-by-month tables from the saved summaries and tables of each month.

The headline comparison (this month against the one before and the same
month a year before) and the trends in total, by segment of atraso and by
comuna read only what each month stored: its `resumen` and its tables
`segmentos_por_atraso`, `morosos_por_comuna` and `usuarios_por_comuna`.
Percentages are the ones each month displayed; variations in percent are
rounded half up to one decimal.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from core.formatting import fmt_month, round_half_up, share, to_decimal
from core.history import StoredMonth
from core.model import ColumnKind, Table
from core.rules import SIN_DATO

logger = logging.getLogger(__name__)

CENTAVO = Decimal("0.01")

# The headline figures: resumen key, indicator's name, kind of its values.
HEADLINES: tuple[tuple[str, str, ColumnKind], ...] = (
    ("usuarios_activos", "Usuarios activos", "conteo"),
    ("usuarios_morosos", "Usuarios morosos", "conteo"),
    ("porcentaje_morosos", "Porcentaje de morosos", "porcentaje"),
    ("cartera_morosa", "Cartera morosa", "pesos"),
    ("deuda_promedio", "Deuda promedio por moroso", "pesos"),
    ("cuentas_con_saldo", "Cuentas con saldo", "conteo"),
    ("cartera_total", "Cartera total", "pesos"),
)
COMPARISON_COLUMNS = [
    "indicador", "este_mes", "mes_anterior", "variacion", "variacion_porcentual",
    "hace_un_anio", "variacion_anual", "variacion_anual_porcentual",
]
COMUNA_METRICS: tuple[tuple[str, str, ColumnKind, str], ...] = (
    ("tendencia_comunas", "usuarios", "conteo", "Usuarios morosos por comuna"),
    ("tendencia_comunas_deuda", "deuda", "pesos", "Cartera morosa por comuna"),
    ("tendencia_comunas_tasa", "tasa_morosidad", "porcentaje",
     "Tasa de morosidad por comuna"),
)


# --- periods -------------------------------------------------------------------


def add_months(periodo: str, months: int) -> str:
    """Return the period `months` after (or before, if negative) `periodo`."""
    year, month = (int(part) for part in periodo.split("-"))
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# --- the headline comparison -------------------------------------------------------


def _figure(month: StoredMonth | None, key: str, kind: str) -> Any:
    """Return one headline figure of a month: int, Decimal or None."""
    if month is None:
        return None
    value = month.resumen.get(key)
    if value is None:
        return None
    if kind == "conteo":
        return int(value)
    value = to_decimal(value)
    return value.quantize(CENTAVO) if kind == "pesos" else value


def variation_percent(now: Any, before: Any) -> Decimal | None:
    """Return (now − before) / before in percent, half up to one decimal."""
    if now is None or before is None:
        return None
    exact = share(to_decimal(now) - to_decimal(before), before)
    return None if exact is None else round_half_up(exact, 1)


def _difference(now: Any, before: Any) -> Any:
    return None if now is None or before is None else now - before


def _comparison_row(
    name: str, key: str, kind: ColumnKind, months: Sequence[StoredMonth | None]
) -> tuple[list[Any], list[ColumnKind]]:
    now, before, year_ago = (_figure(m, key, kind) for m in months)
    rate = kind == "porcentaje"  # a rate varies in points, not in percent
    row = [
        name, now, before, _difference(now, before),
        None if rate else variation_percent(now, before),
        year_ago, _difference(now, year_ago),
        None if rate else variation_percent(now, year_ago),
    ]
    change: ColumnKind = "decimal" if rate else kind
    kinds: list[ColumnKind] = [
        "texto", kind, kind, change, "porcentaje", kind, change, "porcentaje",
    ]
    return row, kinds


def comparison_table(
    current: StoredMonth,
    previous: StoredMonth,
    year_ago: StoredMonth | None = None,
) -> Table:
    """Return this month's headline figures against two earlier months.

    `previous` is the month compared (usually the one before); `year_ago`
    the same month a year before, or None when the history lacks it (its
    columns are then null). Variations are this month less the other; the
    porcentaje de morosos varies in percentage points and has no variation
    in percent.
    """
    months = (current, previous, year_ago)
    rows, kinds = [], []
    for key, name, kind in HEADLINES:
        row, row_kinds = _comparison_row(name, key, kind, months)
        rows.append(row)
        kinds.append(row_kinds)

    titulo = (f"Cifras principales de {fmt_month(current.periodo)} frente a "
              f"{fmt_month(previous.periodo)}")
    if year_ago is not None:
        titulo += f" y a {fmt_month(year_ago.periodo)}"
    return Table(
        id="comparacion_mensual",
        titulo=titulo,
        columnas=list(COMPARISON_COLUMNS),
        tipos=["texto", "decimal", "decimal", "decimal", "porcentaje", "decimal",
               "decimal", "porcentaje"],
        filas=rows,
        nota=_comparison_note(year_ago is not None),
        tipos_celdas=kinds,
    )


def _comparison_note(has_year: bool) -> str:
    text = ("Variación: este mes menos el otro. El porcentaje de morosos varía en "
            "puntos porcentuales.")
    if not has_year:
        text += " El historial no tiene el mismo mes del año anterior."
    return text


# --- trends ------------------------------------------------------------------


def trend_table(months: Sequence[StoredMonth]) -> Table:
    """Return one row per saved month with its users, morosos and cartera."""
    filas = []
    for month in months:
        filas.append([
            month.periodo,
            _figure(month, "usuarios_activos", "conteo"),
            _figure(month, "usuarios_morosos", "conteo"),
            _figure(month, "cartera_morosa", "pesos"),
            _figure(month, "porcentaje_morosos", "porcentaje"),
        ])
    return Table(
        id="tendencia",
        titulo="Tendencia mensual de la morosidad",
        columnas=["periodo", "usuarios_activos", "usuarios_morosos",
                  "cartera_morosa", "porcentaje_morosos"],
        tipos=["texto", "conteo", "conteo", "pesos", "porcentaje"],
        filas=filas,
    )


def _rows_by(month: StoredMonth, table_id: str, key: str) -> dict[str, dict[str, Any]]:
    """Return a stored table's rows as records keyed by their `key` column."""
    table = month.tablas.get(table_id) or {}
    columns = table.get("columnas") or []
    if key not in columns:
        return {}
    records = [dict(zip(columns, row)) for row in table.get("filas") or []]
    return {str(record[key]): record for record in records}


def _segment_order(seen: set[str], labels: Sequence[str]) -> list[str]:
    """The labels in force, then any other (rules changed), then «sin dato»."""
    others = sorted(seen - {*labels, SIN_DATO})
    return [*labels, *others, *([SIN_DATO] if SIN_DATO in seen else [])]


def segment_trend_tables(
    months: Sequence[StoredMonth], labels: Sequence[str]
) -> list[Table]:
    """Return accounts and debt per segment of atraso, one row per month.

    A segment a month has no accounts in counts zero.
    """
    by_month = [_rows_by(m, "segmentos_por_atraso", "segmento") for m in months]
    order = _segment_order({s for rows in by_month for s in rows}, labels)

    counts, debts = [], []
    for month, rows in zip(months, by_month):
        counts.append([month.periodo, *(
            int(rows[s]["usuarios"]) if s in rows else 0 for s in order)])
        debts.append([month.periodo, *(
            _pesos(rows[s]["deuda"]) if s in rows else Decimal("0.00")
            for s in order)])
    count: ColumnKind = "conteo"
    pesos: ColumnKind = "pesos"
    count_kinds: list[ColumnKind] = ["texto", *[count] * len(order)]
    debt_kinds: list[ColumnKind] = ["texto", *[pesos] * len(order)]
    return [
        Table(id="tendencia_segmentos",
              titulo="Cuentas con saldo por segmento de atraso (días), por mes",
              columnas=["periodo", *order], tipos=count_kinds, filas=counts),
        Table(id="tendencia_segmentos_deuda",
              titulo="Deuda por segmento de atraso (días), por mes",
              columnas=["periodo", *order], tipos=debt_kinds, filas=debts),
    ]


def comuna_key(comuna: str) -> tuple[int, int, str]:
    """Sort comunas by number, then names outside the urban comunas."""
    return (0, int(comuna), "") if comuna.isdigit() else (1, 0, comuna)


def comuna_trend_tables(months: Sequence[StoredMonth]) -> list[Table]:
    """Return morosos, cartera morosa and tasa de morosidad per comuna by month.

    A comuna without morosos in a month counts zero morosos and zero debt;
    its rate is zero when it has active users that month, null otherwise.
    """
    morosos = [_rows_by(m, "morosos_por_comuna", "comuna") for m in months]
    users = [_rows_by(m, "usuarios_por_comuna", "comuna") for m in months]
    comunas = sorted({c for rows in morosos for c in rows}, key=comuna_key)

    tables = []
    for table_id, column, kind, titulo in COMUNA_METRICS:
        filas = [
            [month.periodo, *(
                _comuna_value(rows.get(c), column, kind, c in active)
                for c in comunas)]
            for month, rows, active in zip(months, morosos, users)
        ]
        kinds: list[ColumnKind] = ["texto", *[kind] * len(comunas)]
        tables.append(Table(
            id=table_id, titulo=f"{titulo}, por mes", columnas=["periodo", *comunas],
            tipos=kinds, filas=filas,
        ))
    tables[-1].nota = ("Tasa de morosidad: morosos de la comuna / usuarios activos "
                       "de la comuna.")
    return tables


def _comuna_value(
    record: dict[str, Any] | None, column: str, kind: str, has_users: bool
) -> Any:
    if record is None:
        if kind == "porcentaje":
            return Decimal("0.0") if has_users else None
        return 0 if kind == "conteo" else Decimal("0.00")
    value = record.get(column)
    if value is None:
        return None
    if kind == "conteo":
        return int(value)
    return _pesos(value) if kind == "pesos" else to_decimal(value)


def _pesos(value: Any) -> Decimal:
    return to_decimal(value).quantize(CENTAVO)
