"""The tabs' charts are drawn ahead: while the officer reads one tab, the
others' charts are drawn at the size they will be shown at, so that going to
a tab only paints it. A chart is drawn again only for a new table or size."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.widgets import chart as chart_module
from gui.widgets.chart import ChartWidget

WAIT_MS = 20_000


@pytest.fixture(scope="module")
def window(loaded_sample):
    return loaded_sample.window


@pytest.fixture
def draws(monkeypatch):
    """Every chart laid out (`draw_chart`) and rendered (Agg) from now on."""
    seen: dict[str, list[str]] = {"layout": [], "render": []}
    draw_chart = chart_module.draw_chart
    render = FigureCanvasAgg.draw

    def counted_draw_chart(table, figure):
        seen["layout"].append(table.id)
        draw_chart(table, figure)

    def counted_render(canvas):
        seen["render"].append(type(canvas).__name__)
        render(canvas)

    monkeypatch.setattr(chart_module, "draw_chart", counted_draw_chart)
    monkeypatch.setattr(FigureCanvasAgg, "draw", counted_render)
    return seen


def _chart_pages(tabs):
    return [p for p in tabs.pages.values() if p.stack.currentWidget() is p.panel]


def _visit_every_tab(qtbot, tabs) -> None:
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.wait(5)
    tabs.setCurrentIndex(0)


def _wait_until_drawn(qtbot, tabs) -> None:
    pages = _chart_pages(tabs)
    qtbot.waitUntil(
        lambda: not tabs.drawing_ahead()
        and not any(p.panel.chart.needs_drawing() for p in pages),
        timeout=WAIT_MS,
    )
    qtbot.wait(50)  # the last chart renders on the next turn of the loop


def test_a_new_month_leaves_every_hidden_chart_to_draw(window):
    tabs = window.tabs
    tabs.setCurrentIndex(0)
    tabs.set_result(window.result)
    assert tabs.drawing_ahead()

    pages = _chart_pages(tabs)
    assert len(pages) >= 4  # geográfico, demográfico, comportamiento, segmentos
    assert all(p.panel.chart.needs_drawing() for p in pages)


def test_hidden_tabs_are_drawn_while_the_officer_reads_resumen(
    window, qtbot, draws
):
    tabs = window.tabs
    tabs.setCurrentIndex(0)
    _wait_until_drawn(qtbot, tabs)
    draws["layout"].clear()
    draws["render"].clear()
    tabs.set_result(window.result)
    _wait_until_drawn(qtbot, tabs)
    pages = _chart_pages(tabs)
    assert sorted(draws["layout"]) == sorted(p.current_id for p in pages)
    assert len(draws["render"]) == len(pages)

    draws["layout"].clear()
    draws["render"].clear()
    _visit_every_tab(qtbot, tabs)

    assert draws == {"layout": [], "render": []}


def test_after_the_window_is_resized_the_hidden_tabs_are_drawn_again(
    window, qtbot, draws
):
    tabs = window.tabs
    tabs.setCurrentIndex(0)
    _wait_until_drawn(qtbot, tabs)
    size = window.size()
    try:
        window.resize(1100, 700)
        _wait_until_drawn(qtbot, tabs)
        assert len(draws["layout"]) == len(_chart_pages(tabs))
        draws["layout"].clear()
        draws["render"].clear()
        _visit_every_tab(qtbot, tabs)
        assert draws == {"layout": [], "render": []}
        for page in _chart_pages(tabs):
            canvas = page.panel.chart.canvas
            width, height = canvas.get_width_height()
            assert (width, height) == (canvas.width(), canvas.height())
    finally:
        window.resize(size)
        _wait_until_drawn(qtbot, tabs)


def test_a_tab_left_before_its_chart_settled_is_not_drawn_again(
    window, qtbot, draws
):
    tabs = window.tabs
    page = tabs.pages["comportamiento"]
    tabs.setCurrentWidget(page)
    qtbot.wait(20)
    chart = page.panel.chart
    chart._timer.start()  # a resize's delayed redraw, still waiting
    tabs.setCurrentIndex(0)
    qtbot.wait(chart_module.RESIZE_DELAY_MS + 100)
    draws["layout"].clear()

    tabs.setCurrentWidget(page)
    qtbot.wait(20)
    tabs.setCurrentIndex(0)

    assert draws["layout"] == []


def test_a_chart_is_drawn_again_when_shown_at_another_size(
    window, qtbot, draws
):
    host = QWidget()
    QVBoxLayout(host).addWidget(chart := ChartWidget(host))
    qtbot.addWidget(host)
    chart.set_table(window.result.tablas["usuarios_por_estrato"])
    host.resize(640, 400)
    host.show()
    qtbot.waitUntil(lambda: not chart.needs_drawing(), timeout=WAIT_MS)
    draws["layout"].clear()

    chart.hide()
    host.resize(800, 500)
    chart.show()
    qtbot.wait(20)

    assert draws["layout"] == ["usuarios_por_estrato"]
    assert not chart.needs_drawing()


def test_charts_wait_while_another_window_is_in_use(window, qtbot, draws):
    tabs = window.tabs
    tabs.setCurrentIndex(0)
    _wait_until_drawn(qtbot, tabs)
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=WAIT_MS)
    draws["layout"].clear()

    tabs.set_result(window.result)
    qtbot.wait(300)
    assert draws["layout"] == []
    assert all(p.panel.chart.needs_drawing() for p in _chart_pages(tabs))

    other.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    _wait_until_drawn(qtbot, tabs)
    assert len(draws["layout"]) == len(_chart_pages(tabs))
