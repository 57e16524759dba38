"""Dialogs: the month's files with their recognized roles, the rows behind
a quality item."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ReadError
from gui.dialogs import (
    OpenMonthDialog,
    QualityRowsDialog,
    detect_role,
)
from tests.gui.months import small_month

WAIT_MS = 10_000


def _files(tmp_path: Path, *names: str) -> list[Path]:
    paths = [tmp_path / name for name in names]
    for path in paths:
        path.write_bytes(b"x")
    return paths


def _dialog(qtbot, paths, detector) -> OpenMonthDialog:
    dialog = OpenMonthDialog(paths, detector=detector)
    qtbot.addWidget(dialog)
    if dialog.is_detecting():
        with qtbot.waitSignal(dialog.detection_finished, timeout=WAIT_MS):
            pass
    return dialog


def test_each_file_shows_the_role_read_from_its_content(qtbot, tmp_path):
    guia, cartera, encuesta = _files(tmp_path, "a.xlsx", "b.xlsx", "c.csv")
    roles = {guia: "usuarios", cartera: "cartera", encuesta: "encuesta"}
    dialog = _dialog(qtbot, [encuesta, cartera, guia], roles.get)

    assert dialog.roles() == {"usuarios": guia, "cartera": cartera,
                              "encuesta": encuesta}
    assert dialog.load_button.isEnabled()
    sources = dialog.sources()
    assert (sources.usuarios, sources.cartera, sources.encuesta) == (
        guia, cartera, encuesta,
    )


def test_the_survey_is_optional(qtbot, tmp_path):
    guia, cartera = _files(tmp_path, "a.xlsx", "b.xlsx")
    roles = {guia: "usuarios", cartera: "cartera"}
    dialog = _dialog(qtbot, [guia, cartera], roles.get)
    assert dialog.load_button.isEnabled()
    assert dialog.sources().encuesta is None


@pytest.mark.parametrize(
    ("roles", "problem"),
    [
        (["usuarios", "usuarios"], "Hay más de un archivo marcado como «Guía"),
        (["cartera", "encuesta"], "Falta la guía de usuarios."),
        (["usuarios", "encuesta"], "Falta la conciliación de cartera."),
    ],
)
def test_loading_waits_for_one_guia_and_one_cartera(qtbot, tmp_path, roles, problem):
    paths = _files(tmp_path, "a.xlsx", "b.xlsx")
    dialog = _dialog(qtbot, paths, dict(zip(paths, roles)).get)
    assert not dialog.load_button.isEnabled()
    assert dialog.problem.text().startswith(problem)


def test_a_file_not_recognized_takes_the_only_missing_role(qtbot, tmp_path):
    guia, other = _files(tmp_path, "a.xlsx", "b.xlsx")
    dialog = _dialog(qtbot, [guia, other], {guia: "usuarios"}.get)
    assert dialog.roles() == {"usuarios": guia, "cartera": other}


def test_the_officer_can_correct_a_role(qtbot, tmp_path):
    a, b = _files(tmp_path, "a.xlsx", "b.xlsx")
    dialog = _dialog(qtbot, [a, b], {a: "cartera", b: "cartera"}.get)
    assert not dialog.load_button.isEnabled()

    row = dialog._rows[0]
    row.role.setCurrentIndex(row.role.findData("usuarios"))
    assert dialog.load_button.isEnabled()
    assert dialog.roles() == {"usuarios": a, "cartera": b}


def test_a_file_that_cannot_be_read_says_why(qtbot, tmp_path):
    good, bad = _files(tmp_path, "a.xlsx", "b.xlsx")

    def detector(path):
        if path == bad:
            raise ReadError(path, "bloqueado")
        return "usuarios"

    dialog = _dialog(qtbot, [good, bad], detector)
    assert dialog._rows[1].status.text() == ReadError(bad, "bloqueado").mensaje()


def test_core_recognizes_no_role_in_a_text_file(qtbot, tmp_path):
    text = tmp_path / "notas.xlsx"
    text.write_text("esto no es una hoja de cálculo\n", encoding="utf-8")
    dialog = _dialog(qtbot, [text], detect_role)
    assert dialog._rows[0].status.text().startswith("No se reconoció")
    assert not dialog.load_button.isEnabled()


def test_quality_rows_open_in_a_sortable_table(qtbot):
    item = next(i for i in small_month().calidad if not i.filas.empty)
    dialog = QualityRowsDialog(item)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == len(item.filas)
    assert dialog.model.columnCount() == len(item.filas.columns)
    assert dialog.view.isSortingEnabled()
