"""Charts of the result tables, drawn with matplotlib's object API (Agg).

Each chart shows the same numbers as its table, formatted the Colombian way
by `core.formatting`. Callers keep one `Figure` per chart area and redraw it
with `draw_chart`, so memory stays flat however many months are loaded.
"""

from __future__ import annotations

import logging
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from core.formatting import DASH, fmt_decimal, fmt_int, fmt_pct, fmt_pesos, fmt_value
from core.model import Table

logger = logging.getLogger(__name__)

FONT_SIZE = 8
COUNT_COLOR = "#2b6a99"
DEBT_COLOR = "#b4562c"
SURVEY_COLOR = "#3d7f5a"
GRID_COLOR = "#d9d9d9"
TEXT_COLOR = "#333333"

# One color per segment of atraso, by position (0-30, 31-60, 61-120, 121+),
# from "al día" to "crítico"; the same colors in every chart and screen.
SEGMENT_COLORS = ("#4c9a5b", "#e3b23c", "#e07b39", "#c0392b")
# Edades de cartera are over the morosos only, so they start where the
# segments leave off (1-3, 4-60, 61+ meses) and end darker.
AGE_COLORS = ("#e07b39", "#c0392b", "#7b1d1d")
NO_DATA_COLOR = "#9e9e9e"

BARRIO_TOP = 10
# Percent axes tick every 20 points, or 25, 50 or 100 when narrow: each tick
# gets this much room (a label such as "100 %" and a gap).
PERCENT_TICK_STEPS = (20, 25, 50, 100)
PERCENT_TICK_ROOM_PT = 34.0
INSIDE_LABEL_MIN = 8.0  # a stacked segment this wide (%) holds its share
NO_DATA_LABELS = ("sin dato", "sin datos", "sin información")
_RANGE_RE = re.compile(r"^\s*\d+\s*(-\s*\d+|\+)\s*$")


@dataclass
class _Bars:
    """What a bar chart shows: one bar per category, each with its labels."""

    categories: list[str]
    values: list[float]
    labels: list[list[str]]  # lines of each bar's value label
    kind: str  # column kind of the values, for the value axis
    axis_label: str
    colors: list[str] = field(default_factory=list)
    horizontal: bool | None = None  # None: upright when the labels fit


def new_figure(width_in: float = 6.4, height_in: float = 3.6) -> Figure:
    """Return an empty Agg figure with constrained layout, ready for charts."""
    figure = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def draw_chart(table: Table, figure: Figure) -> None:
    """Clear `figure` and draw the chart that goes with `table`."""
    figure.clear()
    figure.set_layout_engine("constrained")
    ax = figure.add_subplot()

    if not table.filas:
        _draw_empty(ax)
        return

    draw = _SPECIAL.get(table.id) or _evolution_drawer(table.id)
    if draw is not None:
        draw(table, ax)
        return

    bars = _bars_for(table)
    if bars is None:
        _draw_empty(ax)
        return
    _draw_bars(ax, bars)


def chart_png(
    table: Table,
    target: str | Path | BinaryIO,
    dpi: int = 150,
    size: tuple[float, float] | None = None,
) -> None:
    """Write the chart of `table` as a PNG to a path or a binary buffer."""
    _save_png(table, target, dpi, size, compress_level=6)


def chart_png_bytes(
    table: Table, dpi: int = 150, size: tuple[float, float] | None = None
) -> bytes:
    """Return the chart of `table` as PNG bytes (lightly compressed)."""
    buffer = BytesIO()
    # The PDF re-compresses the pixels anyway: a quick PNG is enough here.
    _save_png(table, buffer, dpi, size, compress_level=1)
    return buffer.getvalue()


def _save_png(
    table: Table,
    target: str | Path | BinaryIO,
    dpi: int,
    size: tuple[float, float] | None,
    compress_level: int,
) -> None:
    width, height = size or chart_size(table)
    figure = new_figure(width, height)
    draw_chart(table, figure)
    figure.savefig(
        target, format="png", dpi=dpi, pil_kwargs={"compress_level": compress_level}
    )


def chart_size(table: Table, width_in: float = 6.4) -> tuple[float, float]:
    """Return a figure size (inches) that fits the chart of `table`."""
    from core import evolution_charts

    size = evolution_charts.chart_size(table, width_in)
    if size is not None:
        return size
    count = len(table.filas)
    if table.id == "encuesta_distribucion":
        questions = len({str(row[0]) for row in table.filas})
        return width_in, max(1.4, min(0.3 + 0.95 * questions, 9.0))
    if table.id == "morosos_por_barrio":
        count = min(count, BARRIO_TOP)
    if table.id == "encuesta" or count > 8:
        height = 0.8 + 0.28 * count
        return width_in, max(2.2, min(height, 9.0))
    return width_in, 2.5


def segment_color(label: str, position: int, ages: bool = False) -> str:
    """Return the fixed color of a segment (or edad) by its position."""
    if label.strip().lower() in NO_DATA_LABELS:
        return NO_DATA_COLOR
    palette = AGE_COLORS if ages else SEGMENT_COLORS
    return palette[min(position, len(palette) - 1)]


# --- building the bars of each kind of table ------------------------------


def _bars_for(table: Table) -> _Bars | None:
    builders: dict[str, Callable[[Table], _Bars | None]] = {
        "usuarios_por_uso": _users_bars,
        "usuarios_por_estrato": _users_bars,
        "usuarios_por_comuna": _users_bars,
        "usuarios_por_tipo_persona": _users_bars,
        "morosos_por_estrato": _debt_bars,
        "morosos_por_uso": _debt_bars,
        "morosos_por_comuna": _debt_bars,
        "morosos_por_barrio": _barrio_bars,
        "barrios_mas_deuda": _debt_bars,
        "barrios_mas_morosos": _barrio_users_bars,
        "cartera_por_edades": _segment_bars,
        "segmentos_por_atraso": _segment_bars,
        "oferta_institucional": _offer_bars,
        "consumo_por_estrato": _consumption_bars,
        "consumo_por_uso": _consumption_bars,
    }
    builder = builders.get(table.id, _default_bars)
    return builder(table)


def _users_bars(table: Table) -> _Bars:
    rows = _records(table)
    return _Bars(
        categories=[_category(table, row) for row in rows],
        values=[_number(row.get("usuarios")) for row in rows],
        labels=[
            [fmt_int(row.get("usuarios")), fmt_pct(row.get("porcentaje"))]
            for row in rows
        ],
        kind="conteo",
        axis_label="Usuarios",
        colors=[COUNT_COLOR] * len(rows),
    )


def _debt_bars(table: Table, rows: list[dict[str, Any]] | None = None) -> _Bars:
    rows = _records(table) if rows is None else rows
    return _Bars(
        categories=[_category(table, row) for row in rows],
        values=[_number(row.get("deuda")) for row in rows],
        labels=[
            [fmt_pesos(row.get("deuda")), fmt_pct(row.get("porcentaje_deuda"))]
            for row in rows
        ],
        kind="pesos",
        axis_label="Deuda",
        colors=[DEBT_COLOR] * len(rows),
    )


def _barrio_bars(table: Table) -> _Bars:
    rows = _records(table)
    rows.sort(key=lambda row: _number(row.get("deuda")), reverse=True)
    return _debt_bars(table, rows[:BARRIO_TOP])


def _barrio_users_bars(table: Table) -> _Bars:
    """Morosos per barrio, each bar labelled with the barrio's debt too."""
    rows = _records(table)
    return _Bars(
        categories=[_category(table, row) for row in rows],
        values=[_number(row.get("usuarios")) for row in rows],
        labels=[
            [f"{fmt_int(row.get('usuarios'))} morosos",
             fmt_pesos(row.get("deuda"))]
            for row in rows
        ],
        kind="conteo",
        axis_label="Usuarios morosos",
        colors=[COUNT_COLOR] * len(rows),
        horizontal=True,
    )


def _segment_bars(table: Table) -> _Bars:
    ages = table.id == "cartera_por_edades"
    bars = _debt_bars(table)
    rows = _records(table)
    unit = "meses" if ages else "días"
    key = table.columnas[0]
    bars.categories = [
        f"{_with_unit(str(row.get(key)), unit)}\n"
        f"{fmt_int(row.get('usuarios'))} usuarios"
        for row in rows
    ]
    bars.colors = [
        segment_color(str(row.get(key)), i, ages=ages) for i, row in enumerate(rows)
    ]
    return bars


def _offer_bars(table: Table) -> _Bars:
    bars = _debt_bars(table)
    rows = _records(table)
    bars.categories = [
        f"{row.get('nombre') or DASH}\n"
        f"({_with_unit(str(row.get('segmento')), 'días')})"
        for row in rows
    ]
    bars.colors = [
        segment_color(str(row.get("segmento")), i) for i, row in enumerate(rows)
    ]
    return bars


def _consumption_bars(table: Table) -> _Bars:
    rows = _records(table)
    return _Bars(
        categories=[_category(table, row) for row in rows],
        values=[_number(row.get("consumo_promedio")) for row in rows],
        labels=[_consumption_label(row) for row in rows],
        kind="decimal",
        axis_label="Consumo promedio (m³)",
        colors=[COUNT_COLOR] * len(rows),
    )


def _consumption_label(row: dict[str, Any]) -> list[str]:
    lines = [f"{fmt_decimal(row.get('consumo_promedio'))} m³"]
    if row.get("consumo_mediana") is not None:
        lines.append(f"mediana {fmt_decimal(row.get('consumo_mediana'))} m³")
    return lines


def _default_bars(table: Table) -> _Bars | None:
    """Bars of the first numeric column by the first text column."""
    figures = ("conteo", "pesos", "decimal")
    numeric = [i for i, kind in enumerate(table.tipos) if kind in figures]
    numeric = numeric or [i for i, k in enumerate(table.tipos) if k == "porcentaje"]
    if not numeric:
        return None
    value_i = numeric[0]
    kind = table.tipos[value_i]
    share_i = next(
        (i for i, k in enumerate(table.tipos) if k == "porcentaje" and i != value_i),
        None,
    )
    rows = _records(table)
    return _Bars(
        categories=[_category(table, row) for row in rows],
        values=[_number(row[table.columnas[value_i]]) for row in rows],
        labels=[
            _default_label(table, row, value_i, share_i) for row in rows
        ],
        kind=kind,
        axis_label=_column_title(table.columnas[value_i]),
        colors=[DEBT_COLOR if kind == "pesos" else COUNT_COLOR] * len(rows),
    )


def _default_label(
    table: Table, row: dict[str, Any], value_i: int, share_i: int | None
) -> list[str]:
    lines = [fmt_value(row[table.columnas[value_i]], table.tipos[value_i])]
    if share_i is not None:
        lines.append(fmt_value(row[table.columnas[share_i]], "porcentaje"))
    return lines


# --- drawing ---------------------------------------------------------------


def _draw_bars(ax: Axes, bars: _Bars) -> None:
    horizontal = bars.horizontal
    if horizontal is None:
        horizontal = not _fits_vertically(ax.figure, bars)
    positions = list(range(len(bars.values)))
    colors = bars.colors or [COUNT_COLOR] * len(positions)
    separator = "  ·  " if horizontal else "\n"
    texts = [separator.join(lines) for lines in bars.labels]

    if horizontal:
        container = ax.barh(positions, bars.values, color=colors, height=0.65)
        ax.set_yticks(positions, [_wrap(c, 34) for c in bars.categories])
        ax.invert_yaxis()
    else:
        container = ax.bar(positions, bars.values, color=colors, width=0.65)
        width = _chars_per_bar(ax.figure, len(positions))
        ax.set_xticks(positions, [_wrap(c, width) for c in bars.categories])

    labels = ax.bar_label(
        container, labels=texts, padding=3, fontsize=FONT_SIZE, color=TEXT_COLOR
    )
    _style_axes(ax, horizontal, bars.kind, bars.axis_label)
    _make_room(ax, labels, bars.values, horizontal)


def _draw_survey(table: Table, ax: Axes) -> None:
    """Indicators as horizontal bars with their margin of error as whiskers."""
    rows = _records(table)
    values = [_number(row.get("porcentaje")) for row in rows]
    margins = [_number(row.get("margen_error")) for row in rows]
    positions = list(range(len(rows)))
    margin_kind = _kind_of(table, "margen_error")

    ax.barh(positions, values, color=SURVEY_COLOR, height=0.6)
    ax.errorbar(
        values, positions, xerr=margins, fmt="none",
        ecolor=TEXT_COLOR, elinewidth=1, capsize=4,
    )
    names = [_wrap(str(row.get("indicador") or DASH), 30) for row in rows]
    ax.set_yticks(positions, names)
    ax.invert_yaxis()

    labels = []
    for pos, value, margin, row in zip(positions, values, margins, rows):
        text = _survey_label(row, margin_kind)
        labels.append(
            ax.annotate(
                text, (value + margin, pos), xytext=(5, 0),
                textcoords="offset points", va="center",
                fontsize=FONT_SIZE, color=TEXT_COLOR,
            )
        )

    _style_axes(ax, True, "porcentaje", "Porcentaje de respuestas (margen al 95 %)")
    ends = [v + m for v, m in zip(values, margins)]
    _make_room(ax, labels, ends, True, floor=100.0)
    _percent_ticks(ax)


def _percent_ticks(ax: Axes) -> None:
    """Ticks from 0 to 100 % along x, every 20 points, or fewer where the
    value labels leave 0-100 % too narrow for that many tick labels."""
    step = PERCENT_TICK_STEPS[0]
    renderer = _renderer(ax.figure)
    if renderer is not None:
        left, right = ax.get_xlim()
        hundred = _axes_span(ax, renderer, True) * 100 / (right - left)
        room = PERCENT_TICK_ROOM_PT * ax.figure.dpi / 72
        for step in PERCENT_TICK_STEPS:
            if hundred * step / 100 >= room:
                break
    ax.set_xticks(range(0, 101, step))


def _survey_label(row: dict[str, Any], margin_kind: str) -> str:
    """`90,0 % (± 3,0; n = 380)`: the indicator as its table shows it."""
    details = []
    if row.get("margen_error") is not None:
        details.append(f"± {fmt_value(row.get('margen_error'), margin_kind)}")
    if row.get("respuestas") is not None:
        details.append(f"n = {fmt_int(row.get('respuestas'))}")
    text = fmt_pct(row.get("porcentaje"))
    return f"{text} ({'; '.join(details)})" if details else text


def _draw_empty(ax: Axes) -> None:
    ax.set_axis_off()
    ax.text(
        0.5, 0.5, "Sin datos para graficar", ha="center", va="center",
        transform=ax.transAxes, fontsize=FONT_SIZE + 2, color=TEXT_COLOR,
    )


def _draw_distribution(table: Table, ax: Axes) -> None:
    """One 100 % stacked bar per question, its answers listed beneath it."""
    figure = ax.figure
    figure.clear()
    questions = _questions(table)
    axes = figure.subplots(len(questions), 1, squeeze=False)[:, 0]
    for question_ax, (question, rows) in zip(axes, questions.items()):
        _draw_stacked_question(question_ax, question, rows)


def _questions(table: Table) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in _records(table):
        grouped.setdefault(str(row.get("pregunta") or DASH), []).append(row)
    return grouped


def _draw_stacked_question(
    ax: Axes, question: str, rows: list[dict[str, Any]]
) -> None:
    colors = _answer_colors(len(rows))
    left = 0.0
    for row, color in zip(rows, colors):
        value = _number(row.get("porcentaje"))
        label = (
            f"{row.get('respuesta') or DASH}: {fmt_pct(row.get('porcentaje'))} "
            f"({fmt_int(row.get('respuestas'))})"
        )
        ax.barh([0], [value], left=left, color=color, height=0.8, label=label)
        if value >= INSIDE_LABEL_MIN:
            ax.text(
                left + value / 2, 0, fmt_pct(row.get("porcentaje")), ha="center",
                va="center", fontsize=FONT_SIZE - 1, color=_ink_on(color),
            )
        left += value

    n = sum(int(_number(row.get("respuestas"))) for row in rows)
    ax.set_title(
        f"{_wrap(question, 95)} (n = {fmt_int(n)})", fontsize=FONT_SIZE,
        color=TEXT_COLOR, loc="left",
    )
    ax.set_xlim(0, 100)
    ax.set_axis_off()
    handles, labels = ax.get_legend_handles_labels()
    columns = _legend_columns(ax.figure, labels)
    order = [i for c in range(columns) for i in range(c, len(rows), columns)]
    ax.legend(
        [handles[i] for i in order], [labels[i] for i in order],
        loc="upper left", bbox_to_anchor=(0, 0), ncol=columns,
        fontsize=FONT_SIZE - 1, frameon=False, handlelength=1, borderaxespad=0.2,
        columnspacing=1.2,
    )


def _legend_columns(figure: Any, labels: list[str]) -> int:
    """Return how many legend columns fit across the figure (3 at most)."""
    chars = figure.get_figwidth() * 72 / ((FONT_SIZE - 1) * 0.62)
    longest = max((len(label) for label in labels), default=1) + 6
    fitting = max(1, int(chars // longest))
    return min(len(labels), 3, fitting)


def _ink_on(color: str) -> str:
    """Return white on dark fills and the text color on light ones."""
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    light = 0.299 * red + 0.587 * green + 0.114 * blue > 150
    return TEXT_COLOR if light else "white"


def _answer_colors(count: int) -> list[str]:
    """Colors of a question's answers in order: dark to light, then grays."""
    palette = ("#1f4e79", "#2b6a99", "#5b93c0", "#9cc0dd", "#cfe0ee")
    extra = ("#b4562c", "#e3b23c", "#7a5195", "#5f6b73", "#3d7f5a")
    colors = [*palette, *extra]
    return [colors[i % len(colors)] for i in range(count)]


_SPECIAL: dict[str, Callable[[Table, Axes], None]] = {
    "encuesta": _draw_survey,
    "encuesta_distribucion": _draw_distribution,
}


def _evolution_drawer(table_id: str) -> Callable[[Table, Axes], None] | None:
    """Return the drawer of a tablero's table (they live in their own module)."""
    from core import evolution_charts  # imports this module: import it late

    return evolution_charts.DRAWERS.get(table_id)


def _style_axes(ax: Axes, horizontal: bool, kind: str, axis_label: str) -> None:
    value_axis = ax.xaxis if horizontal else ax.yaxis
    value_axis.set_major_formatter(FuncFormatter(_tick_formatter(kind)))
    value_axis.set_major_locator(value_locator(kind))
    if horizontal:
        ax.set_xlabel(axis_label, fontsize=FONT_SIZE, color=TEXT_COLOR)
        ax.grid(axis="x", color=GRID_COLOR, linewidth=0.6)
    else:
        ax.set_ylabel(axis_label, fontsize=FONT_SIZE, color=TEXT_COLOR)
        ax.grid(axis="y", color=GRID_COLOR, linewidth=0.6)

    ax.set_axisbelow(True)
    ax.tick_params(labelsize=FONT_SIZE, colors=TEXT_COLOR, length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")


def _make_room(
    ax: Axes,
    labels: Sequence[Text],
    ends: Sequence[float],
    horizontal: bool,
    floor: float = 0.0,
) -> None:
    """Stretch the value axis so every bar's label fits inside the axes."""
    top = max([*ends, floor, 0.0]) or 1.0
    limit = top * 1.3
    renderer = _renderer(ax.figure)

    if renderer is not None and labels:
        span = _axes_span(ax, renderer, horizontal)
        limit = top * 1.04
        pad = 16 * ax.figure.dpi / 72  # bar_label's padding plus a margin
        for end, label in zip(ends, labels):
            extent = label.get_window_extent(renderer)
            need = (extent.width if horizontal else extent.height) + pad
            share = min(need / span, 0.75)
            limit = max(limit, end / (1 - share))

    if horizontal:
        ax.set_xlim(0, limit)
    else:
        ax.set_ylim(0, limit)


def _axes_span(ax: Axes, renderer: Any, horizontal: bool) -> float:
    """Estimate the axes' length (pixels) along the value axis.

    A full layout pass would tell it exactly but doubles the drawing time;
    the figure less the category labels and the paddings is close, and the
    constrained layout still keeps any label that overshoots inside.
    """
    figure = ax.figure
    margins = 0.4 * figure.dpi  # layout and tick paddings, and a margin
    if horizontal:
        ticks = ax.get_yticklabels()
        used = max((t.get_window_extent(renderer).width for t in ticks), default=0)
        return max(figure.get_figwidth() * figure.dpi - used - margins, 1.0)
    ticks = ax.get_xticklabels()
    used = max((t.get_window_extent(renderer).height for t in ticks), default=0)
    return max(figure.get_figheight() * figure.dpi - used - margins, 1.0)


def _renderer(figure: Any) -> Any:
    get_renderer = getattr(figure.canvas, "get_renderer", None)
    return get_renderer() if callable(get_renderer) else None


def _fits_vertically(figure: Any, bars: _Bars) -> bool:
    """Tell whether upright bars leave room for every label under and over."""
    count = len(bars.values)
    if count > 8:
        return False
    budget = _chars_per_bar(figure, count)
    widest_value = max(len(line) for lines in bars.labels for line in lines)
    widest_word = max(
        (len(word) for c in bars.categories for word in c.split()), default=0
    )
    return widest_value <= budget and widest_word <= budget


def _chars_per_bar(figure: Any, count: int) -> int:
    width_pt = figure.get_figwidth() * 72 * 0.82
    # DejaVu Sans averages about 0.62 em a character; keep a margin.
    return max(int(width_pt / max(count, 1) / (0.68 * FONT_SIZE)), 4)


# --- formats -----------------------------------------------------------------


def value_locator(kind: str, nbins: int = 5) -> MaxNLocator:
    """Return the ticks of a value axis: whole counts and whole pesos.

    A tick between whole values would read rounded (two ticks «2»).
    """
    whole = kind in ("conteo", "pesos")
    # Steps of 1, 2 or 5: a percent tick never needs a second decimal.
    return MaxNLocator(nbins=nbins, min_n_ticks=2 if whole else 3, integer=whole,
                       steps=[1, 2, 5, 10])


def _tick_formatter(kind: str) -> Callable[[float, Any], str]:
    if kind == "pesos":
        return _peso_tick
    if kind == "porcentaje":
        return _percent_tick
    if kind == "decimal":
        return lambda value, _pos: _plain_tick(value)
    return lambda value, _pos: fmt_int(_tick_decimal(value))


def _percent_tick(value: float, _pos: Any = None) -> str:
    """`40 %`, and `2,5 %` where a tick falls between whole percents."""
    amount = _tick_decimal(value)
    whole = amount == amount.to_integral_value()
    return fmt_pct(amount, 0 if whole else 1)


def _peso_tick(value: float, _pos: Any = None) -> str:
    """`2e9` -> `$ 2.000 M`; amounts under a million read in full."""
    amount = _tick_decimal(value)
    if amount == 0:
        return "$ 0"
    if abs(amount) < 1_000_000:
        return fmt_pesos(amount)
    millions = amount / 1_000_000
    text = _plain_tick(millions)
    return f"-$ {text[1:]} M" if text.startswith("-") else f"$ {text} M"


def _plain_tick(value: float | Decimal) -> str:
    amount = _tick_decimal(value)
    if amount == amount.to_integral_value():
        return fmt_int(amount)
    return fmt_decimal(amount, 1)


def _tick_decimal(value: float | Decimal) -> Decimal:
    # Ticks are floats such as 2000000000.0000002: trim float noise.
    return Decimal(repr(float(value))).quantize(Decimal("0.000001"))


def _with_unit(label: str, unit: str) -> str:
    return f"{label.strip()} {unit}" if _RANGE_RE.match(label) else label


def _wrap(text: str, width: int) -> str:
    lines = text.split("\n")
    return "\n".join(textwrap.fill(line, width=max(width, 4)) for line in lines)


def _column_title(column: str) -> str:
    return column.replace("_", " ").capitalize()


# --- reading table rows --------------------------------------------------------


def _records(table: Table) -> list[dict[str, Any]]:
    return [dict(zip(table.columnas, row)) for row in table.filas]


def _kind_of(table: Table, column: str) -> str:
    if column in table.columnas:
        return table.tipos[table.columnas.index(column)]
    return "texto"


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _category(table: Table, row: dict[str, Any]) -> str:
    """Label a row by its text columns: `01 BAJO-BAJO`, `Comuna 3`, `La Paz`."""
    if "barrio" in row:
        # A barrio name can repeat across comunas: always say which one.
        comuna = row.get("comuna") or DASH
        return f"{row.get('barrio') or DASH} (comuna\u00a0{comuna})"
    if "codigo" in row:
        code = str(row.get("codigo") or DASH)
        description = row.get("descripcion")
        return f"{code} {description}" if description else code
    if "comuna" in row:
        comuna = str(row.get("comuna") or DASH)
        return f"Comuna {comuna}" if comuna.isdigit() else comuna

    texts = [
        str(row[col])
        for col, kind in zip(table.columnas, table.tipos)
        if kind == "texto" and row.get(col) is not None
    ]
    return texts[0] if texts else DASH
