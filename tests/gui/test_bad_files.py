"""The folder of bad and odd files in the app: each kind gets its Spanish
message in the window and the month on screen stays, or it loads with the
month's figures (see `tests.core.bad_files`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.pipeline import MonthSources
from gui.column_map_dialog import ColumnMapDialog
from gui.main_window import MainWindow
from tests.core import bad_files
from tests.core.bad_files import KINDS, Kind
from tests.core.test_bad_files import _prepare

WAIT_MS = 30_000


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> dict[str, Path]:
    return bad_files.build_folder(tmp_path_factory.mktemp("archivos_del_mes"))


class _Cancelling(ColumnMapDialog):
    """The officer closes the column question without answering."""

    def exec(self) -> int:
        return ColumnMapDialog.DialogCode.Rejected


@pytest.fixture
def window(qtbot, store, tmp_path, monkeypatch, folder) -> MainWindow:
    monkeypatch.setenv("CARACTERIZACION_DATOS", str(tmp_path / "datos"))
    win = MainWindow(store=store)
    qtbot.addWidget(win)
    win.show()
    win.make_column_map_dialog = lambda error: _Cancelling(error, win)
    _load(qtbot, win, folder["guia"], folder["cartera"], win.month_loaded)
    return win


def _load(qtbot, window: MainWindow, guia: Path, cartera: Path, signal):
    with qtbot.waitSignal(signal, timeout=WAIT_MS) as blocker:
        window.load_month(MonthSources(usuarios=guia, cartera=cartera))
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=WAIT_MS)
    return blocker


def _paths(folder: dict[str, Path], kind: Kind) -> tuple[Path, Path]:
    if kind.role == "usuarios":
        return folder[kind.name], folder["cartera"]
    return folder["guia"], folder[kind.name]


@pytest.mark.parametrize("kind", [k for k in KINDS if not k.loads],
                         ids=lambda k: k.name)
def test_a_bad_file_gets_its_message_and_the_month_stays(
    qtbot, window, folder, kind, monkeypatch
):
    shown = window.result
    _prepare(kind, folder, monkeypatch)

    failed = _load(qtbot, window, *_paths(folder, kind), window.load_failed)

    message = failed.args[0]
    assert kind.message in message
    assert f"«{folder[kind.name].name}»" in message
    assert window.message_bar.isVisible()
    assert window.message_bar.text.text() == message
    assert window.result is shown
    assert window.stack.currentWidget() is window.tabs
    assert window.result.resumen.usuarios_morosos == 2


@pytest.mark.parametrize("kind", [k for k in KINDS if k.loads],
                         ids=lambda k: k.name)
def test_an_odd_file_loads_with_the_months_figures(qtbot, window, folder, kind):
    loaded = _load(qtbot, window, *_paths(folder, kind), window.month_loaded)

    result = loaded.args[0]
    assert result is window.result
    assert result.periodo == "2025-07"
    assert result.resumen.usuarios_activos == 4
    assert result.resumen.usuarios_morosos == 2
    assert str(result.resumen.cartera_morosa) == "400000.50"
    codes = {item.codigo for item in result.calidad}
    assert ("valor_ilegible" in codes) == (kind.name == "valores_ilegibles")
