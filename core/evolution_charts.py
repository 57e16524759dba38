"""Charts of the tablero de control: trends, transitions, recovery, cohorts.

`core.charts.draw_chart` hands the tablero's tables here by id. Each chart
shows its table's numbers in Colombian formats: lines over the months for
trends, a heat map for the transition matrices, bars for rates and recovery
and stacked bars for the cohorts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import FuncFormatter

from core import charts
from core.formatting import LOCALE, fmt_count, fmt_int, fmt_pct, fmt_pesos, fmt_value
from core.model import Table

logger = logging.getLogger(__name__)

FONT_SIZE = charts.FONT_SIZE
TEXT = charts.TEXT_COLOR
GRID = charts.GRID_COLOR
PREVIOUS_COLOR = charts.COUNT_COLOR
YEAR_COLOR = "#9e9e9e"
MOVEMENT_COLORS = {
    "Mejoraron": "#4c9a5b",
    "Se mantuvieron": "#e3b23c",
    "Empeoraron": "#c0392b",
    "Sin dato de días": charts.NO_DATA_COLOR,
    "Nuevos": charts.COUNT_COLOR,
}
COHORT_STATES = (
    ("porcentaje_curadas", "Curadas", "#4c9a5b"),
    ("porcentaje_siguen_morosas", "Siguen morosas", "#e3b23c"),
    ("porcentaje_empeoraron", "Empeoraron", "#c0392b"),
    ("porcentaje_sin_dato", "Sin dato", charts.NO_DATA_COLOR),
)
# Distinct line colors for comunas (colorblind-friendly first).
LINE_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
               "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
HEAT = LinearSegmentedColormap.from_list("calor", ["#f4f7fa", "#1f4e79"])
MOST_LABELLED_POINTS = 13  # lines with more points label only the last one


def month_label(periodo: str) -> str:
    """`2025-07` -> `jul 2025`."""
    year, month = (int(part) for part in str(periodo).split("-"))
    return format_date(dt.date(year, month, 1), format="MMM yyyy", locale=LOCALE)


# --- sizes ---------------------------------------------------------------------


def chart_size(table: Table, width_in: float) -> tuple[float, float] | None:
    """Return the figure size of a tablero's chart, or None for other tables."""
    rows = len(table.filas)
    if table.id == "tendencia":
        return width_in, 5.2
    if table.id.startswith("tendencia_"):
        return width_in, 2.35
    if table.id in ("transiciones", "transiciones_deuda"):
        return width_in, 0.9 + 0.34 * rows
    if table.id == "cohortes_morosos":
        return width_in, max(2.0, 1.0 + 0.24 * rows)
    if table.id == "comparacion_mensual":
        return width_in, 2.5
    if table.id in DRAWERS:
        return width_in, max(2.2, 0.9 + 0.34 * rows)
    return None


# --- trends: lines over the months ------------------------------------------------


def _draw_trend(table: Table, ax: Axes) -> None:
    """Three panels sharing the months: morosos, cartera morosa, % de morosos."""
    figure = ax.figure
    figure.clear()
    axes = figure.subplots(3, 1, sharex=True)
    periods = [str(row[0]) for row in table.filas]
    panels = (
        ("usuarios_morosos", "Usuarios morosos", "conteo", charts.COUNT_COLOR),
        ("cartera_morosa", "Cartera morosa", "pesos", charts.DEBT_COLOR),
        ("porcentaje_morosos", "% de morosos", "porcentaje", "#7a5195"),
    )
    for panel_ax, (column, title, kind, color) in zip(axes, panels):
        values = _column(table, column)
        _line(panel_ax, periods, values, kind, color, label=None)
        panel_ax.set_title(title, fontsize=FONT_SIZE, color=TEXT, loc="left")
        _style(panel_ax, kind)
    _month_axis(axes[-1], periods)


def _draw_lines(table: Table, ax: Axes) -> None:
    """One line per column (segment or comuna) over the months."""
    if len(table.columnas) < 2:  # no comuna has had a moroso yet
        charts._draw_empty(ax)
        return
    periods = [str(row[0]) for row in table.filas]
    kind = table.tipos[1] if len(table.tipos) > 1 else "conteo"
    segments = table.id.startswith("tendencia_segmentos")
    for i, column in enumerate(table.columnas[1:]):
        color = (charts.segment_color(column, i) if segments
                 else LINE_COLORS[i % len(LINE_COLORS)])
        name = f"{column} días" if segments and column[:1].isdigit() else (
            f"Comuna {column}" if column.isdigit() else _capital(column))
        _line(ax, periods, _column(table, column), kind, color, label=name)
    _style(ax, kind)
    ax.set_ylim(bottom=0)
    _month_axis(ax, periods)
    ax.set_ylabel(_axis_title(table.id), fontsize=FONT_SIZE, color=TEXT)
    ax.legend(fontsize=FONT_SIZE - 1, frameon=False, loc="upper left",
              bbox_to_anchor=(1.0, 1.0), handlelength=1.5)


def _axis_title(table_id: str) -> str:
    return {
        "tendencia_segmentos": "Cuentas con saldo",
        "tendencia_segmentos_deuda": "Deuda",
        "tendencia_comunas": "Usuarios morosos",
        "tendencia_comunas_deuda": "Cartera morosa",
        "tendencia_comunas_tasa": "Tasa de morosidad",
    }.get(table_id, "")


def _line(
    ax: Axes, periods: list[str], values: list[Any], kind: str, color: str,
    label: str | None,
) -> None:
    """Draw one line; label its points (or only the last, when there are many)."""
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if not points:
        return
    xs, ys = zip(*points)
    ax.plot(xs, ys, marker="o", markersize=3.5, linewidth=1.6, color=color,
            label=label)
    if label is not None:
        return  # several lines: the legend and the axis read them
    texts = {x: fmt_value(values[x], kind) for x, _y in points}
    shown = _labelled(ax, points, texts)
    align = "center" if len(shown) == len(points) else "right"
    for x, y in shown:
        ax.annotate(texts[x], (x, y), xytext=(0, 5),
                    textcoords="offset points", ha=align, va="bottom",
                    fontsize=FONT_SIZE - 1.5, color=TEXT)
    top = max(ys)
    ax.set_ylim(min(0.0, min(ys)), top * 1.25 if top > 0 else 1.0)


def _labelled(
    ax: Axes, points: list[tuple[int, float]], texts: dict[int, str]
) -> list[tuple[int, float]]:
    """Return the points whose labels fit side by side: all, or the last ones."""
    room = ax.figure.get_figwidth() * 72 * 0.85 / max(len(points), 1)
    widest = max(len(text) for text in texts.values()) * 0.62 * (FONT_SIZE - 1.5)
    if widest < room * 0.95 and len(points) <= MOST_LABELLED_POINTS:
        return points
    return points[-1:]


def _month_axis(ax: Axes, periods: list[str]) -> None:
    step = max(1, (len(periods) + 11) // 12)  # at most about 12 labels
    positions = list(range(0, len(periods), step))
    ax.set_xticks(positions, [month_label(periods[i]) for i in positions])
    ax.set_xlim(-0.5, len(periods) - 0.5)
    room = ax.figure.get_figwidth() * 72 * 0.7 / max(len(positions), 1)
    if room < 8 * 0.62 * FONT_SIZE * 1.3:  # «sep 2025» would touch its neighbors
        for label in ax.get_xticklabels():
            label.set_rotation(45)
            label.set_ha("right")


def _style(ax: Axes, kind: str) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(charts._tick_formatter(kind)))
    ax.yaxis.set_major_locator(charts.value_locator(kind, nbins=4))
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=FONT_SIZE, colors=TEXT, length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")


# --- the headline comparison ---------------------------------------------------------


def _draw_comparison(table: Table, ax: Axes) -> None:
    """Variation in percent of each figure: against last month and a year before."""
    rows = [r for r in _records(table) if r["variacion_porcentual"] is not None
            or r["variacion_anual_porcentual"] is not None]
    names = [str(r["indicador"]) for r in rows]
    has_year = any(r["hace_un_anio"] is not None for r in rows)
    series = [("variacion_porcentual", "Frente al mes anterior", PREVIOUS_COLOR)]
    if has_year:
        series.append(("variacion_anual_porcentual", "Frente a hace un año",
                       YEAR_COLOR))

    height = 0.8 / len(series)
    texts, ends = [], []
    for n, (column, label, color) in enumerate(series):
        positions = [i + (n - (len(series) - 1) / 2) * height for i in range(len(rows))]
        values = [_number(r[column]) for r in rows]
        bars = ax.barh(positions, values, height=height * 0.92, color=color,
                       label=label)
        labels = [_signed_pct(r[column]) for r in rows]
        texts += ax.bar_label(bars, labels=labels, padding=3,
                              fontsize=FONT_SIZE - 1, color=TEXT)
        ends += values
    ax.set_yticks(range(len(rows)), names)
    ax.invert_yaxis()
    ax.axvline(0, color="#666666", linewidth=0.8)
    _style_horizontal(ax, "porcentaje", "Variación (%)")
    _symmetric_room(ax, ends)
    ax.legend(fontsize=FONT_SIZE - 1, frameon=False, loc="lower right",
              bbox_to_anchor=(1.0, 1.0), ncol=2)


def _signed_pct(value: Any) -> str:
    if value is None:
        return "—"
    text = fmt_pct(value)
    return f"+{text}" if Decimal(value) > 0 else text


def _symmetric_room(ax: Axes, values: Sequence[float]) -> None:
    """Leave room on both sides of zero for the bars' labels."""
    low, high = min([*values, 0.0]), max([*values, 0.0])
    span = (high - low) or 20.0  # nothing changed: a scale of ± 1 %
    ax.set_xlim(low - 0.35 * span if low < 0 else -0.05 * span,
                high + 0.35 * span if high > 0 else 0.05 * span)


def _style_horizontal(ax: Axes, kind: str, title: str) -> None:
    ax.xaxis.set_major_formatter(FuncFormatter(charts._tick_formatter(kind)))
    ax.xaxis.set_major_locator(charts.value_locator(kind))
    ax.set_xlabel(title, fontsize=FONT_SIZE, color=TEXT)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=FONT_SIZE, colors=TEXT, length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")


# --- transitions: a heat map ---------------------------------------------------------


def _draw_matrix(table: Table, ax: Axes) -> None:
    """Cells shaded by their share of the row; each cell shows its figure."""
    rows = [str(row[0]) for row in table.filas]
    columns = table.columnas[1:]
    kind = table.tipos[1]
    values = [[_number(v) for v in row[1:]] for row in table.filas]
    shares = [[v / (sum(row) or 1.0) for v in row] for row in values]

    ax.imshow(shares, cmap=HEAT, vmin=0, vmax=1, aspect="auto")
    for r, row in enumerate(table.filas):
        for c, value in enumerate(row[1:]):
            color = "white" if shares[r][c] > 0.55 else TEXT
            ax.text(c, r, _cell_text(value, kind), ha="center", va="center",
                    fontsize=FONT_SIZE - 1, color=color)
    ax.set_xticks(range(len(columns)), [_wrap_label(c) for c in columns])
    ax.set_yticks(range(len(rows)), [_capital(r) for r in rows])
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel("Este mes", fontsize=FONT_SIZE, color=TEXT)
    ax.set_ylabel("Mes anterior", fontsize=FONT_SIZE, color=TEXT)
    ax.tick_params(labelsize=FONT_SIZE, colors=TEXT, length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _cell_text(value: Any, kind: str) -> str:
    if not value:
        return "0" if kind == "conteo" else "$ 0"
    return fmt_value(value, kind)


def _wrap_label(column: str) -> str:
    if column == "sin saldo o retirado":
        return "Sin saldo\no retirado"
    return f"{column}\ndías" if column[:1].isdigit() else _capital(column)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- bars: movements, roll rates, recovery --------------------------------------------


def _draw_movements(table: Table, ax: Axes) -> None:
    rows = _records(table)
    bars = charts._Bars(
        categories=[str(r["movimiento"]) for r in rows],
        values=[_number(r["cuentas"]) for r in rows],
        labels=[[fmt_count(int(r["cuentas"]), "cuenta", "cuentas"),
                 fmt_pesos(r["deuda"])] for r in rows],
        kind="conteo",
        axis_label="Cuentas",
        colors=[MOVEMENT_COLORS.get(str(r["movimiento"]), charts.COUNT_COLOR)
                for r in rows],
        horizontal=True,
    )
    charts._draw_bars(ax, bars)


def _draw_roll_rates(table: Table, ax: Axes) -> None:
    rows = _records(table)
    bars = charts._Bars(
        categories=[f"De {r['desde']} a {r['hacia']} días" for r in rows],
        values=[_number(r["porcentaje"]) for r in rows],
        labels=[[f"{fmt_pct(r['porcentaje'])} ({fmt_int(r['pasaron'])} de "
                 f"{fmt_int(r['cuentas_mes_anterior'])})"] for r in rows],
        kind="porcentaje",
        axis_label="Pasaron al segmento siguiente",
        colors=[charts.segment_color(str(r["hacia"]), i + 1)
                for i, r in enumerate(rows)],
        horizontal=True,
    )
    charts._draw_bars(ax, bars)
    _whole_scale(ax)


def _whole_scale(ax: Axes) -> None:
    """Show shares of a whole on a scale up to 100 % at least."""
    low, high = ax.get_xlim()
    ax.set_xlim(low, max(high, 100.0))


def _draw_recovery(table: Table, ax: Axes) -> None:
    rows = _records(table)
    by = table.columnas[0]
    bars = charts._Bars(
        categories=[_group_name(by, r[by]) for r in rows],
        values=[_number(r["porcentaje_recuperado"]) for r in rows],
        labels=[[f"{fmt_pct(r['porcentaje_recuperado'])} · "
                 f"{fmt_pesos(r['recuperado'])}"] for r in rows],
        kind="porcentaje",
        axis_label="Deuda recuperada (% de la del mes anterior)",
        colors=[charts.segment_color(str(r[by]), i) if by == "segmento"
                else "#3d7f5a" for i, r in enumerate(rows)],
        horizontal=True,
    )
    charts._draw_bars(ax, bars)
    _whole_scale(ax)


def _group_name(by: str, value: Any) -> str:
    text = str(value)
    if by == "segmento":
        return f"{text} días" if text[:1].isdigit() else _capital(text)
    return f"Comuna {text}" if text.isdigit() else text


def _draw_days_missing(table: Table, ax: Axes) -> None:
    rows = _records(table)
    bars = charts._Bars(
        categories=[f"{_capital(str(r['desde']))} → {r['hacia']}" for r in rows],
        values=[_number(r["cuentas"]) for r in rows],
        labels=[[fmt_count(int(r["cuentas"]), "cuenta", "cuentas"),
                 fmt_pesos(r["deuda"])] for r in rows],
        kind="conteo",
        axis_label="Cuentas",
        colors=[charts.NO_DATA_COLOR] * len(rows),
        horizontal=True,
    )
    charts._draw_bars(ax, bars)


# --- cohorts: stacked bars ----------------------------------------------------------


def _draw_cohorts(table: Table, ax: Axes) -> None:
    """One 100 % bar per cohort and month after it; months without data say so."""
    rows = _records(table)
    positions = list(range(len(rows)))
    for column, label, color in COHORT_STATES:
        left = [sum(_number(r[c]) for c, _l, _k in _before(column)) for r in rows]
        values = [_number(r[column]) for r in rows]
        ax.barh(positions, values, left=left, color=color, height=0.75, label=label)
        for pos, start, value in zip(positions, left, values):
            if value >= charts.INSIDE_LABEL_MIN:
                ax.text(start + value / 2, pos, fmt_pct(value), ha="center",
                        va="center", fontsize=FONT_SIZE - 1.5,
                        color=charts._ink_on(color))
    for pos, row in zip(positions, rows):
        if row["porcentaje_curadas"] is None:
            ax.text(1, pos, "todavía sin datos", va="center",
                    fontsize=FONT_SIZE - 1.5, color="#777777")
    ax.set_yticks(positions, [_cohort_name(r) for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    _style_horizontal(ax, "porcentaje", "Porcentaje de los nuevos morosos")
    ax.legend(fontsize=FONT_SIZE - 1, frameon=False, loc="lower left",
              bbox_to_anchor=(0.0, 1.0), ncol=4, handlelength=1)


def _before(column: str) -> list[tuple[str, str, str]]:
    names = [state[0] for state in COHORT_STATES]
    return list(COHORT_STATES[:names.index(column)])


def _cohort_name(row: dict[str, Any]) -> str:
    after = int(row["meses_despues"])
    months = "1 mes" if after == 1 else f"{after} meses"
    return (f"{month_label(row['cohorte'])} ({fmt_int(row['nuevos_morosos'])}), "
            f"a {months}")


# --- helpers ----------------------------------------------------------------------


def _records(table: Table) -> list[dict[str, Any]]:
    return [dict(zip(table.columnas, row)) for row in table.filas]


def _column(table: Table, column: str) -> list[Any]:
    index = table.columnas.index(column)
    return [row[index] for row in table.filas]


def _number(value: Any) -> float:
    return 0.0 if value is None else float(value)


DRAWERS: dict[str, Callable[[Table, Axes], None]] = {
    "comparacion_mensual": _draw_comparison,
    "tendencia": _draw_trend,
    "tendencia_segmentos": _draw_lines,
    "tendencia_segmentos_deuda": _draw_lines,
    "tendencia_comunas": _draw_lines,
    "tendencia_comunas_deuda": _draw_lines,
    "tendencia_comunas_tasa": _draw_lines,
    "transiciones": _draw_matrix,
    "transiciones_deuda": _draw_matrix,
    "transiciones_sin_dato": _draw_days_missing,
    "transiciones_resumen": _draw_movements,
    "tasas_de_rodamiento": _draw_roll_rates,
    "recuperacion": _draw_recovery,
    "recuperacion_por_comuna": _draw_recovery,
    "cohortes_morosos": _draw_cohorts,
}
