"""The tablero's charts show their tables' numbers, Colombian-formatted, inside."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from matplotlib.figure import Figure

from core.charts import chart_size, draw_chart, new_figure
from core.evolution import build_dashboard
from core.history import HistoryStore
from core.model import Table
from tests.core.test_evolution import july, june, year_before


@pytest.fixture(scope="module")
def tablas(tmp_path_factory):
    path = tmp_path_factory.mktemp("graficos") / "h.sqlite"
    with HistoryStore(path) as store:
        for month in (year_before(), june(), july()):
            store.add_month(month)
        return build_dashboard(store).tablas


def _drawn(table: Table) -> Figure:
    figure = new_figure(*chart_size(table))
    draw_chart(table, figure)
    figure.canvas.draw()
    return figure


def _texts(figure: Figure) -> list[str]:
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


def test_every_tablero_chart_stays_inside_its_figure(tablas):
    for table in tablas.values():
        figure = _drawn(table)
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        drawn = figure.get_tightbbox(renderer)
        width, height = figure.get_size_inches()
        assert drawn.x0 >= -0.02 and drawn.y0 >= -0.02, table.id
        assert drawn.x1 <= width + 0.02 and drawn.y1 <= height + 0.02, table.id
        assert "Sin datos para graficar" not in _texts(figure), table.id


def test_trend_has_a_panel_per_figure_over_the_months(tablas):
    figure = _drawn(tablas["tendencia"])
    texts = _texts(figure)

    assert len(figure.axes) == 3
    assert ["Usuarios morosos", "Cartera morosa", "% de morosos"] == [
        ax.get_title(loc="left") for ax in figure.axes]
    for expected in ("2", "4", "5", "$ 200.000", "$ 950.000", "$ 770.000",
                     "25,0 %", "50,0 %", "62,5 %", "jul 2024", "jun 2025",
                     "jul 2025"):
        assert expected in texts


def test_redrawing_after_the_trend_leaves_one_axes(tablas):
    figure = new_figure()
    draw_chart(tablas["tendencia"], figure)
    draw_chart(tablas["recuperacion"], figure)
    assert len(figure.axes) == 1


@pytest.mark.parametrize(("table_id", "row", "expected"), [
    ("transiciones", 1, ["1", "0", "1", "0", "0"]),  # 31-60: 5 cured, 2 worse
    ("transiciones_deuda", 4, ["$ 60.000", "$ 80.000", "$ 0", "$ 0", "$ 0"]),
])
def test_transition_heat_map_shows_each_cell(tablas, table_id, row, expected):
    ax = _drawn(tablas[table_id]).axes[0]
    cells = [t.get_text() for t in ax.texts]
    assert cells[row * 5:(row + 1) * 5] == expected
    columns = [t.get_text() for t in ax.get_xticklabels()]
    assert columns == ["0-30\ndías", "31-60\ndías", "61-120\ndías", "121+\ndías",
                       "Sin saldo\no retirado"]
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "Nuevo"


def test_recovery_bars_read_share_and_pesos(tablas):
    texts = _texts(_drawn(tablas["recuperacion"]))
    for expected in ("68,0 % · $ 170.000", "100,0 % · $ 300.000",
                     "0,0 % · $ 0", "31-60 días", "121+ días"):
        assert expected in texts
    comunas = _texts(_drawn(tablas["recuperacion_por_comuna"]))
    assert "Comuna 1" in comunas and "42,9 % · $ 300.000" in comunas


def test_roll_rates_read_share_and_accounts(tablas):
    texts = _texts(_drawn(tablas["tasas_de_rodamiento"]))
    for expected in ("100,0 % (2 de 2)", "50,0 % (1 de 2)", "0,0 % (0 de 1)",
                     "De 0-30 a 31-60 días"):
        assert expected in texts


def test_comparison_shows_signed_variations_of_both_months(tablas):
    texts = _texts(_drawn(tablas["comparacion_mensual"]))
    for expected in ("+25,0 %", "-18,9 %", "+150,0 %", "Frente al mes anterior",
                     "Frente a hace un año", "Cartera morosa"):
        assert expected in texts
    assert "Porcentaje de morosos" not in texts  # it varies in points


def test_cohort_bars_stack_the_shares():
    table = Table(
        "cohortes_morosos", "", ["cohorte", "meses_despues", "nuevos_morosos",
                                 "porcentaje_curadas", "porcentaje_siguen_morosas",
                                 "porcentaje_empeoraron", "porcentaje_sin_dato"],
        ["texto", "conteo", "conteo", "porcentaje", "porcentaje", "porcentaje",
         "porcentaje"],
        [["2025-04", 1, 1234, D("50.0"), D("25.0"), D("25.0"), D("0.0")],
         ["2025-04", 2, 1234, None, None, None, None]],
    )
    figure = _drawn(table)
    ax = figure.axes[0]
    first = sorted((p.get_x(), p.get_width()) for p in ax.patches
                   if p.get_y() < 0.5 and p.get_width() > 0)
    texts = _texts(figure)

    assert first == [(0.0, 50.0), (50.0, 25.0), (75.0, 25.0)]
    assert "abr 2025 (1.234), a 1 mes" in texts
    assert "abr 2025 (1.234), a 2 meses" in texts
    assert "todavía sin datos" in texts
    assert {"Curadas", "Siguen morosas", "Empeoraron", "Sin dato"} <= set(texts)


def test_comuna_lines_are_named_in_the_legend(tablas):
    figure = _drawn(tablas["tendencia_comunas_tasa"])
    assert {"Comuna 1", "Comuna 2"} <= set(_texts(figure))
    ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert ticks and all(tick.endswith(" %") for tick in ticks)
    assert len(figure.axes[0].get_lines()) == 2


def _ticks(labels) -> list[str]:
    return [t.get_text() for t in labels if t.get_text()]


def test_small_counts_get_whole_ticks_that_read_true(tablas):
    """Counts of 0 to 3: no tick at 1,5 printed as «2»."""
    ax = _drawn(tablas["tendencia_segmentos"]).axes[0]
    ticks = [(tick, label.get_text())
             for tick, label in zip(ax.get_yticks(), ax.get_yticklabels())]
    assert ticks and all(float(tick).is_integer() for tick, _text in ticks)
    assert all(text == str(int(tick)) for tick, text in ticks if text)


def test_percent_ticks_between_whole_percents_keep_their_decimal():
    table = Table("tendencia_comunas_tasa", "", ["periodo", "1"],
                  ["texto", "porcentaje"],
                  [["2025-06", D("1.0")], ["2025-07", D("3.5")]])
    ax = _drawn(table).axes[0]
    ticks = _ticks(ax.get_yticklabels())
    assert len(set(ticks)) == len(ticks)
    assert all(t.endswith(" %") for t in ticks)


def test_a_tablero_without_morosos_draws_every_chart(tmp_path):
    """June has only a saldo a favor, July one account in 0-30 días."""
    from core.pipeline import compute_month
    from tests.core import frames

    guia = frames.guia([{"cuenta": "1", "estrato": "01", "comuna": "1"}])
    months = [
        compute_month(guia, frames.cartera(lines), periodo=periodo)
        for periodo, lines in (
            ("2025-06", [{"cuenta": "1", "deuda": -500, "dias": 0}]),
            ("2025-07", [{"cuenta": "1", "deuda": 100, "dias": 5}]),
        )
    ]
    with HistoryStore(tmp_path / "h.sqlite") as store:
        store.add_month(months[0])
        tablas = build_dashboard(store, actual=months[1]).tablas

    assert tablas["tendencia_comunas"].columnas == ["periodo"]
    assert tablas["recuperacion"].filas == [] and tablas["cohortes_morosos"].filas == []
    for table in tablas.values():
        _drawn(table)  # warnings from core fail the test
    assert "Sin datos para graficar" in _texts(_drawn(tablas["tendencia_comunas"]))


def test_ticks_of_a_flat_trend_read_true(tmp_path):
    table = Table("tendencia", "", ["periodo", "usuarios_activos", "usuarios_morosos",
                                    "cartera_morosa", "porcentaje_morosos"],
                  ["texto", "conteo", "conteo", "pesos", "porcentaje"],
                  [["2025-06", 3, 0, D("0.00"), D("0.0")],
                   ["2025-07", 3, 0, D("0.00"), D("0.0")]])
    figure = _drawn(table)
    for ax in figure.axes:
        for tick, label in zip(ax.get_yticks(), ax.get_yticklabels()):
            text = label.get_text()
            if text:  # each tick reads its exact value, Colombian-formatted
                number = text.replace("$", "").replace("%", "").replace(".", "")
                assert float(number.replace(",", ".")) == pytest.approx(tick), text
