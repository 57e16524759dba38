"""The column-mapping dialog and its place in loading a month."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.columns import REMEMBERED_FILE
from core.errors import AmbiguousColumnError, ColumnMappingError, MissingFieldError
from core.loading import load_file
from core.pipeline import MonthSources
from gui.column_map_dialog import NO_CHOICE, ColumnMapDialog, can_ask
from gui.dialogs import OpenMonthDialog
from gui.main_window import MainWindow
from tests.core import bad_files

WAIT_MS = 30_000


@pytest.fixture
def folder(tmp_path, monkeypatch) -> dict[str, Path]:
    monkeypatch.setenv("CARACTERIZACION_DATOS", str(tmp_path / "datos"))
    return bad_files.build_folder(tmp_path / "mes")


def _error(path: Path) -> ColumnMappingError:
    with pytest.raises(ColumnMappingError) as error:
        load_file(path, "usuarios")
    return error.value


def test_the_dialog_asks_among_the_candidates_and_shows_the_rows(qtbot, folder):
    error = _error(folder["columna_dudosa"])
    assert isinstance(error, AmbiguousColumnError)
    dialog = ColumnMapDialog(error)
    qtbot.addWidget(dialog)

    combo = dialog.combos["cuenta"]
    offered = [combo.itemText(i) for i in range(combo.count())]
    model = dialog.preview.model()

    assert offered == [NO_CHOICE, "MATRICULA", "CODIGO"]
    assert model.columnCount() == len(bad_files.GUIA_HEADER) + 1
    assert model.rowCount() == len(bad_files.GUIA_ROWS)
    assert model.index(0, 1).data() == "C-1001"
    assert model.horizontalHeaderItem(1).text() == "CODIGO"
    assert not dialog.use_button.isEnabled()
    dialog.choose("cuenta", "MATRICULA")
    assert dialog.use_button.isEnabled()
    assert dialog.mapping() == {"cuenta": "MATRICULA"}
    assert "Columnas de «guia_2025-07_dos_cuentas.xlsx»" == dialog.windowTitle()


def test_an_unknown_layout_offers_every_header_and_refuses_one_for_two(
    qtbot, folder, tmp_path
):
    error = _error(folder["formato_desconocido"])
    assert isinstance(error, MissingFieldError)
    dialog = ColumnMapDialog(error)
    qtbot.addWidget(dialog)
    dialog.resize(900, 520)
    dialog.show()

    assert list(dialog.combos) == ["cuenta", "estrato", "comuna"]
    combo = dialog.combos["estrato"]
    assert combo.count() == 1 + len(error.all_headers)
    dialog.choose("cuenta", "ID PREDIO")
    dialog.choose("estrato", "NIVEL")
    dialog.choose("comuna", "NIVEL")
    assert not dialog.use_button.isEnabled()
    assert "misma columna" in dialog.problem.text()
    dialog.choose("comuna", "ZONA URBANA")
    assert dialog.use_button.isEnabled()
    assert dialog.mapping() == bad_files.MAPPINGS["formato_desconocido"]
    assert dialog.grab().save(str(tmp_path / "dialogo_columnas.png"))


def test_nothing_to_ask_when_no_row_looks_like_a_header(tmp_path):
    numbers = bad_files.write_xlsx(tmp_path / "numeros.xlsx", [[1, 2, 3], [4, 5, 6]])

    error = _error(numbers)

    assert error.all_headers == []
    assert not can_ask(error)


class _Answering(ColumnMapDialog):
    """The officer picks the given columns and clicks «Usar estas columnas»."""

    answers: dict[str, str] = {}
    opened: list[str] = []

    def exec(self) -> int:
        _Answering.opened.append(self.error.layout)
        for name, header in self.answers.items():
            self.choose(name, header)
        self.use_button.click()
        return self.result()


class _Cancelling(ColumnMapDialog):
    def exec(self) -> int:
        return ColumnMapDialog.DialogCode.Rejected


class _Unexpected(ColumnMapDialog):
    def exec(self) -> int:
        raise AssertionError("the dialog should not open")


def _window(qtbot, store, dialog_class) -> MainWindow:
    window = MainWindow(store=store)
    qtbot.addWidget(window)
    window.show()
    window.make_column_map_dialog = lambda error: dialog_class(error, window)
    return window


def _load(qtbot, window: MainWindow, guia: Path, cartera: Path, signal) -> None:
    with qtbot.waitSignal(signal, timeout=WAIT_MS):
        window.load_month(MonthSources(usuarios=guia, cartera=cartera))
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=WAIT_MS)


@pytest.mark.parametrize("name", sorted(bad_files.MAPPINGS))
def test_the_app_asks_loads_and_remembers_the_answer_for_the_layout(
    qtbot, store, folder, name
):
    _Answering.answers = bad_files.MAPPINGS[name]
    _Answering.opened = []
    window = _window(qtbot, store, _Answering)

    _load(qtbot, window, folder[name], folder["cartera"], window.month_loaded)

    assert window.result.resumen.usuarios_activos == 4
    assert window.result.resumen.usuarios_morosos == 2
    remembered = json.loads(
        (Path(folder["guia"]).parents[1] / "datos" / REMEMBERED_FILE).read_text(
            encoding="utf-8")
    )["formatos"]
    [layout] = _Answering.opened
    assert remembered[layout]["mapa"] == bad_files.MAPPINGS[name]

    again = _window(qtbot, store, _Cancelling)  # asking again would cancel
    _load(qtbot, again, folder[name], folder["cartera"], again.month_loaded)
    assert again.result.resumen.usuarios_morosos == 2


def test_cancelling_the_question_keeps_the_month_on_screen(qtbot, store, folder):
    window = _window(qtbot, store, _Cancelling)
    _load(qtbot, window, folder["guia"], folder["cartera"], window.month_loaded)
    shown = window.result

    with qtbot.waitSignal(window.load_failed, timeout=WAIT_MS) as failed:
        window.load_month(MonthSources(folder["columna_dudosa"], folder["cartera"]))
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=WAIT_MS)

    assert "podrían ser ambas" in failed.args[0]
    assert window.message_bar.text.text() == failed.args[0]
    assert window.result is shown
    assert window.stack.currentWidget() is window.tabs


def test_excel_lock_files_are_never_offered(qtbot, folder):
    paths = [folder["guia"], folder["temporal_excel"], folder["cartera"]]
    dialog = OpenMonthDialog(paths, detector=lambda path: None)
    qtbot.addWidget(dialog)

    assert [row.path for row in dialog._rows] == [folder["guia"], folder["cartera"]]


def test_a_file_with_nothing_to_ask_shows_its_message_without_a_dialog(
    qtbot, store, folder, tmp_path
):
    numbers = bad_files.write_xlsx(tmp_path / "guia_2025-07_numeros.xlsx",
                                   [[1, 2, 3], [4, 5, 6]])
    window = _window(qtbot, store, _Unexpected)

    _load(qtbot, window, numbers, folder["cartera"], window.load_failed)

    assert "No se encontró ninguna fila de encabezados" in (
        window.message_bar.text.text()
    )


def test_a_second_answer_for_a_layout_keeps_the_first(qtbot, store, folder):
    from core.columns import layout_key, remember_mapping, remembered_mappings

    header = ["ID PREDIO", "TITULAR", "CEDULA", "DIRECCION", "TELEFONO",
              "NIVEL", "ZONA URBANA", "USO", "ESTADO"]
    layout = layout_key("usuarios", header)
    remember_mapping(layout, {"estrato": "NIVEL", "comuna": "ZONA URBANA"})
    _Answering.answers = {"cuenta": "ID PREDIO"}
    _Answering.opened = []
    window = _window(qtbot, store, _Answering)

    _load(qtbot, window, folder["formato_desconocido"], folder["cartera"],
          window.month_loaded)

    assert _Answering.opened == [layout]
    assert window.result.resumen.usuarios_morosos == 2
    assert remembered_mappings()[layout] == bad_files.MAPPINGS["formato_desconocido"]
