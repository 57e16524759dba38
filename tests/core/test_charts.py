"""Charts show their table's numbers, in Colombian formats, on a reused figure."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from matplotlib.colors import to_hex
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure

from core.charts import (
    SEGMENT_COLORS,
    chart_png_bytes,
    draw_chart,
    new_figure,
)
from core.model import MonthResult, Table
from tests.core.conftest import TRICKY_BARRIO, build_offer_table


def _texts(figure: Figure) -> list[str]:
    """Every text drawn in the figure: value labels, ticks, axis labels."""
    figure.canvas.draw()
    texts = []
    for ax in figure.axes:
        texts += [t.get_text() for t in ax.texts]
        texts += [t.get_text() for t in ax.get_xticklabels()]
        texts += [t.get_text() for t in ax.get_yticklabels()]
        texts.append(ax.get_title(loc="left"))
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return texts


def _drawn(table: Table) -> Figure:
    figure = new_figure()
    draw_chart(table, figure)
    return figure


def test_redrawing_a_figure_reuses_it_without_adding_axes(
    reference_month: MonthResult,
) -> None:
    figure = new_figure()
    ids = ["usuarios_por_uso", "morosos_por_barrio", "encuesta"]

    for table in [reference_month.tablas[i] for i in ids] * 2:
        draw_chart(table, figure)
        assert len(figure.axes) == 1

    assert figure.get_layout_engine() is not None


def test_users_chart_labels_each_bar_with_count_and_share(
    reference_month: MonthResult,
) -> None:
    texts = " | ".join(_texts(_drawn(reference_month.tablas["usuarios_por_uso"])))

    for expected in ("63.155", "3.716", "454", "93,8 %", "5,5 %", "0,7 %"):
        assert expected in texts
    assert "01 RESIDENCIAL" in texts


def test_debt_chart_labels_read_like_the_table(reference_month: MonthResult) -> None:
    figure = _drawn(reference_month.tablas["morosos_por_comuna"])
    labels = " | ".join(t.get_text() for t in figure.axes[0].texts)

    # 1.933.660.500,74 rounds half up to the peso, as in the table.
    for expected in ("$ 1.933.660.501", "$ 367.786.803", "$ 3.001.262.691",
                     "13,0 %", "20,1 %", "18,8 %"):
        assert expected in labels


def test_peso_axis_reads_in_millions(reference_month: MonthResult) -> None:
    figure = _drawn(reference_month.tablas["morosos_por_comuna"])
    ticks = [t for t in _value_ticks(figure, "x") if t != "$ 0"]

    assert ticks
    assert all(re.fullmatch(r"\$ \d{1,3}(\.\d{3})* M", t) for t in ticks), ticks
    assert "$ 1.000 M" in ticks


def test_count_axis_uses_thousands_dots(reference_month: MonthResult) -> None:
    figure = _drawn(reference_month.tablas["usuarios_por_uso"])
    ticks = _value_ticks(figure, "y")

    assert "60.000" in ticks
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*", t) for t in ticks), ticks


def _value_ticks(figure: Figure, which: str) -> list[str]:
    """The tick labels drawn on one axis (those inside its view)."""
    figure.canvas.draw()
    axis = getattr(figure.axes[0], f"{which}axis")
    low, high = sorted(axis.get_view_interval())
    pairs = zip(axis.get_majorticklocs(), axis.get_majorticklabels())
    return [label.get_text() for loc, label in pairs if low <= loc <= high]


def test_barrio_chart_shows_the_top_ten_by_debt(reference_month: MonthResult) -> None:
    table = reference_month.tablas["morosos_por_barrio"]
    figure = _drawn(table)
    ax = figure.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]

    assert len(ax.patches) == 10
    assert names[0].startswith(TRICKY_BARRIO)
    assert "La Tora (comuna\u00a03)" in names and "La Tora (comuna\u00a05)" in names
    assert not any(n.startswith("Barrio 23") for n in names)


@pytest.mark.parametrize("table_id", ["segmentos_por_atraso", "oferta_institucional"])
def test_each_segment_keeps_its_color(
    reference_month: MonthResult, table_id: str
) -> None:
    table = build_offer_table() if table_id == "oferta_institucional" else (
        reference_month.tablas[table_id]
    )
    figure = _drawn(table)
    colors = [to_hex(bar.get_facecolor()) for bar in figure.axes[0].patches]

    assert colors == [to_hex(c) for c in SEGMENT_COLORS]


def test_survey_chart_has_whiskers_and_margins(reference_month: MonthResult) -> None:
    figure = _drawn(reference_month.tablas["encuesta"])
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.texts]

    assert "90,0 % (± 3,0; n = 384)" in labels
    assert "58,3 % (± 4,9; n = 384)" in labels
    assert len(ax.patches) == 4
    assert any(isinstance(c, ErrorbarContainer) for c in ax.containers)


@pytest.mark.parametrize("width_in", [6.4, 4.4, 3.4])
def test_survey_percent_ticks_never_overlap(
    reference_month: MonthResult, width_in: float
) -> None:
    figure = new_figure(width_in, 3.6)
    draw_chart(reference_month.tablas["encuesta"], figure)
    figure.canvas.draw()
    ax = figure.axes[0]
    ticks = [t for t in ax.get_xticklabels() if t.get_text()]
    boxes = sorted((t.get_window_extent() for t in ticks), key=lambda b: b.x0)

    assert ticks[0].get_text() == "0 %" and ticks[-1].get_text() == "100 %"
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))
    if width_in == 6.4:  # the app's usual size keeps every 20 points
        assert [t.get_text() for t in ticks] == [
            "0 %", "20 %", "40 %", "60 %", "80 %", "100 %"
        ]


def test_unknown_table_gets_bars_of_its_first_figure() -> None:
    table = Table(
        id="reclamos_por_canal",
        titulo="Reclamos por canal",
        columnas=["canal", "reclamos", "porcentaje"],
        tipos=["texto", "conteo", "porcentaje"],
        filas=[["Presencial", 1250, D("62.5")], ["Telefónico", 750, D("37.5")]],
    )
    figure = _drawn(table)
    texts = " | ".join(_texts(figure))

    assert len(figure.axes[0].patches) == 2
    for expected in ("Presencial", "1.250", "62,5 %", "750", "37,5 %"):
        assert expected in texts


def test_empty_table_says_so() -> None:
    table = Table(id="usuarios_por_uso", titulo="", columnas=["codigo"],
                  tipos=["texto"], filas=[])
    assert "Sin datos para graficar" in _texts(_drawn(table))


def test_nothing_is_drawn_outside_the_figure(reference_month: MonthResult) -> None:
    for table in [*reference_month.tablas.values(), build_offer_table()]:
        figure = _drawn(table)
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        drawn = figure.get_tightbbox(renderer)  # inches, visible artists only
        width, height = figure.get_size_inches()
        tolerance = 0.02
        assert drawn.x0 >= -tolerance and drawn.y0 >= -tolerance, table.id
        assert drawn.x1 <= width + tolerance, table.id
        assert drawn.y1 <= height + tolerance, table.id


def test_chart_png_writes_a_png(reference_month: MonthResult) -> None:
    png = chart_png_bytes(reference_month.tablas["cartera_por_edades"], dpi=60)
    assert png.startswith(b"\x89PNG")


def test_survey_distribution_is_one_stacked_bar_per_question_with_n() -> None:
    table = Table(
        id="encuesta_distribucion",
        titulo="Distribución de respuestas por pregunta",
        columnas=["pregunta", "respuesta", "respuestas", "porcentaje"],
        tipos=["texto", "texto", "conteo", "porcentaje"],
        filas=[
            ["6. ¿Conoce los canales de pago electrónico?", "Sí", 160, D("41.7")],
            ["6. ¿Conoce los canales de pago electrónico?", "No", 224, D("58.3")],
            ["¿Recomendaría la empresa?", "Sí", 300, D("100.0")],
        ],
    )
    figure = _drawn(table)
    texts = _texts(figure)

    assert len(figure.axes) == 2  # one per question
    assert "6. ¿Conoce los canales de pago electrónico? (n = 384)" in texts
    assert "¿Recomendaría la empresa? (n = 300)" in texts
    assert {"Sí: 41,7 % (160)", "No: 58,3 % (224)", "Sí: 100,0 % (300)"} <= set(texts)
    widths = [patch.get_width() for patch in figure.axes[0].patches]
    assert widths == [41.7, 58.3]


def test_long_answers_and_questions_stay_inside_the_figure() -> None:
    answer = "Por medio de la aplicación bancaria del teléfono o la billetera digital"
    question = "8. ¿Por qué medio paga habitualmente su factura? " * 3
    table = Table(
        id="encuesta_distribucion",
        titulo="Distribución",
        columnas=["pregunta", "respuesta", "respuestas", "porcentaje"],
        tipos=["texto", "texto", "conteo", "porcentaje"],
        filas=[[question, f"{answer} {i}", 10, D("20.0")] for i in range(5)],
    )

    _assert_inside(_drawn(table))


def test_long_names_stay_inside_the_figure(reference_month: MonthResult) -> None:
    table = reference_month.tablas["morosos_por_estrato"]
    table.filas[0][1] = "USUARIOS DE ESTRATO BAJO-BAJO CON SUBSIDIO " * 3

    _assert_inside(_drawn(table))


def _assert_inside(figure: Figure) -> None:
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    drawn = figure.get_tightbbox(renderer)  # inches, visible artists only
    width, height = figure.get_size_inches()
    tolerance = 0.02
    assert drawn.x0 >= -tolerance and drawn.y0 >= -tolerance
    assert drawn.x1 <= width + tolerance and drawn.y1 <= height + tolerance


def test_consumption_chart_reads_in_cubic_metres() -> None:
    table = Table(
        id="consumo_por_estrato",
        titulo="Consumo promedio y mediano (m³) por estrato",
        columnas=["codigo", "descripcion", "usuarios", "consumo_promedio",
                  "consumo_mediana"],
        tipos=["texto", "texto", "conteo", "decimal", "decimal"],
        filas=[["01", "BAJO-BAJO", 25000, D("14.2"), D("13.0")],
               ["02", "BAJO", 19800, D("15.1"), None]],
    )
    labels = [t.get_text() for t in _drawn(table).axes[0].texts]

    assert labels == ["14,2 m³\nmediana 13,0 m³", "15,1 m³"]


def test_small_counts_have_whole_ticks() -> None:
    table = Table(
        id="usuarios_por_comuna", titulo="Usuarios activos por comuna",
        columnas=["comuna", "usuarios", "porcentaje"],
        tipos=["texto", "conteo", "porcentaje"],
        filas=[["1", 1, D("33.3")], ["2", 2, D("66.7")]],
    )
    figure = _drawn(table)
    figure.canvas.draw()
    ax = figure.axes[0]
    axis = ax.yaxis if ax.get_xticklabels()[0].get_text() == "Comuna 1" else ax.xaxis
    ticks = [(tick, label.get_text())
             for tick, label in zip(axis.get_ticklocs(), axis.get_ticklabels())]

    assert ticks and all(float(tick).is_integer() for tick, _text in ticks)
