"""The settings dialog: saving only what changed, reset, refusals, recomputing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from core.pipeline import compute_month
from core.settings import Settings, load_settings
from core.user_settings import merge, user_settings_file
from gui.settings_dialog import SettingsDialog, TextTableModel
from tests.gui.months import small_month

WAIT_MS = 60_000


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "datos"
    monkeypatch.setenv("CARACTERIZACION_DATOS", str(folder))
    return folder


@pytest.fixture
def dialog(qtbot) -> SettingsDialog:
    shown = SettingsDialog()
    qtbot.addWidget(shown)
    shown.show()
    return shown


def saved() -> dict:
    with open(user_settings_file(), "rb") as handle:
        return tomllib.load(handle)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_entity_and_a_signatory_are_saved_alone(dialog, qtbot) -> None:
    dialog.entity_name.setText("ACUEDUCTO DE PRUEBA S.A. E.S.P.")
    dialog.signatures["reviso"][0].setText("Ana María Pérez")

    click(qtbot, dialog.save_button)

    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert saved() == {
        "entidad": {"nombre": "ACUEDUCTO DE PRUEBA S.A. E.S.P."},
        "informe": {"firmas": {"reviso": {"nombre": "Ana María Pérez"}}},
    }
    assert not dialog.rules_changed


def test_reopening_shows_the_saved_values(dialog, qtbot) -> None:
    dialog.entity_name.setText("ACUEDUCTO DE PRUEBA")
    dialog.signatures["aprobo"][1].setText("Gerente")
    assert dialog.save()

    again = SettingsDialog()
    qtbot.addWidget(again)

    assert again.entity_name.text() == "ACUEDUCTO DE PRUEBA"
    assert again.signatures["aprobo"][1].text() == "Gerente"
    assert again.signatures["aprobo"][0].text() == "Subgerente comercial"


def test_reset_puts_back_the_shipped_values(dialog, qtbot) -> None:
    dialog.entity_name.setText("OTRA")
    dialog.days_debtor.setValue(91)
    dialog.texts["recomendaciones"].setPlainText("Nada.")
    dialog.uso_model.removeRows(1, 1)  # 02 INDUSTRIAL, used by no estrato
    assert dialog.save()

    again = SettingsDialog()
    qtbot.addWidget(again)
    click(qtbot, again.reset_button)

    defaults = load_settings()
    assert again.entity_name.text() == defaults.entidad["nombre"]
    assert again.days_debtor.value() == 31
    assert again.uso_model.rowCount() == len(defaults.catalog("uso"))
    assert again.save()
    assert saved() == {}


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda d: d.segment_edges.setText("60, 30, 120"), "crecientes"),
        (lambda d: d.segment_edges.setText("30, sesenta"), "números enteros"),
        (lambda d: d.segment_edges.setText("30, 60"), "escriba 3 límites"),
        (lambda d: d.age_edges.setText(""), "edades de cartera"),
        (lambda d: d.entity_name.setText(" "), "nombre de la entidad"),
        (lambda d: d.uso_model.setData(d.uso_model.index(1, 0), "01"), "repetido"),
        (lambda d: d.uso_model.setData(d.uso_model.index(0, 1), ""), "descripción"),
        (lambda d: d.uso_model.removeRows(0, 1), "no está en el catálogo"),
        (lambda d: d.indicator_model.setData(
            d.indicator_model.index(3, 2), "No"), "«|»"),
    ],
    ids=["decreasing", "not a number", "too few", "empty", "no name",
         "repeated code", "no description", "uso still used by an estrato",
         "answers per question"],
)
def test_an_invalid_value_is_explained_and_nothing_is_saved(
    dialog, qtbot, edit, words
) -> None:
    edit(dialog)

    click(qtbot, dialog.save_button)

    assert dialog.isVisible()
    assert not dialog.problem.isHidden()
    assert dialog.problem.text().startswith("No se guardaron los ajustes:")
    assert words in dialog.problem.text()
    assert not user_settings_file().exists()


def test_catalog_rows_can_be_added_and_removed(dialog, qtbot) -> None:
    editor = dialog.uso_table
    editor.view.selectRow(1)  # 02 INDUSTRIAL
    click(qtbot, editor.remove_button)
    click(qtbot, editor.add_button)
    last = dialog.uso_model.rowCount() - 1
    dialog.uso_model.setData(dialog.uso_model.index(last, 0), "14")
    dialog.uso_model.setData(dialog.uso_model.index(last, 1), "BOMBEROS")

    assert dialog.save()

    uso = saved()["catalogos"]["uso"]
    assert "02" not in uso and uso["14"] == "BOMBEROS"
    assert len(uso) == len(load_settings().catalog("uso"))


def test_a_new_survey_indicator_is_saved(dialog) -> None:
    model = dialog.indicator_model
    model.insertRows(model.rowCount(), 1)
    row = model.rowCount() - 1
    for column, text in enumerate(("Calificación del agua", "3", "Excelente; Buena")):
        model.setData(model.index(row, column), text)

    assert dialog.save()

    added = saved()["encuesta"]["indicadores"][-1]
    assert added == {
        "id": "calificacion_del_agua", "nombre": "Calificación del agua",
        "preguntas": ["3"], "respuestas": [["Excelente", "Buena"]],
    }


def test_a_broken_file_opens_with_the_defaults_and_says_so(
    data_folder, qtbot
) -> None:
    data_folder.mkdir(parents=True, exist_ok=True)
    user_settings_file().write_text("[reglas\n", encoding="utf-8")

    broken = SettingsDialog()
    qtbot.addWidget(broken)

    assert broken.days_debtor.value() == 31
    assert "valores de fábrica" in broken.problem.text()


def test_the_window_offers_the_settings_in_the_file_menu(window) -> None:
    action = window.actions.settings
    assert action.shortcut() == QKeySequence("Ctrl+,")
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    assert action.text().replace("&", "") == "Ajustes…"


def test_a_broken_file_is_reported_when_the_window_opens(
    data_folder, qtbot, store
) -> None:
    from gui.main_window import MainWindow

    data_folder.mkdir(parents=True, exist_ok=True)
    user_settings_file().write_text("[entidad]\nnombre = ''\n", encoding="utf-8")

    window = MainWindow(store=store, remember_geometry=False)
    qtbot.addWidget(window)

    assert window.message_bar.kind == "error"
    assert "nombre de la entidad" in window.message_bar.text.text()


def _morosos_by_hand(month, dias: int) -> int:
    cartera = next(f for f in month.fuentes if f.role == "cartera").frame
    owing = cartera[(cartera["deuda"] > 0) & (cartera["dias"] >= dias)]
    return owing["cuenta"].nunique()


def test_days_for_a_debtor_recompute_the_month_shown(
    window, qtbot, monkeypatch
) -> None:
    month = small_month()
    window.show_result(month)
    settings = window.make_settings_dialog()
    qtbot.addWidget(settings)
    settings.days_debtor.setValue(61)
    assert settings.save() and settings.rules_changed
    asked = []
    monkeypatch.setattr(window, "ask_recompute", lambda: asked.append(1) or True)

    with qtbot.waitSignal(window.task_finished, timeout=WAIT_MS):
        window.apply_saved_settings(settings.rules_changed)

    expected = compute_month(
        *month.fuentes[:2], None, Settings(merge(
            load_settings().raw, {"reglas": {"dias_moroso": 61}}
        )), month.periodo,
    )
    morosos = window.result.resumen.usuarios_morosos
    assert asked == [1]
    assert window.result is not month
    assert morosos == expected.resumen.usuarios_morosos == _morosos_by_hand(month, 61)
    assert morosos < month.resumen.usuarios_morosos == _morosos_by_hand(month, 31)
    assert window.result.reglas["dias_moroso"] == 61
    assert f"{morosos} morosos" in window.statusBar().currentMessage()
    assert window.message_bar.text.text() == (
        "Se recalculó junio de 2025 con los ajustes nuevos."
    )


def test_saving_texts_only_does_not_ask_to_recompute(window, monkeypatch) -> None:
    window.show_result(small_month(survey=False))
    monkeypatch.setattr(
        window, "ask_recompute", lambda: pytest.fail("no debía preguntar")
    )

    window.apply_saved_settings(rules_changed=False)

    assert not window.is_busy()
    assert window.message_bar.kind == "info"


def test_the_pdf_is_written_with_the_users_settings(
    window, qtbot, tmp_path, monkeypatch
) -> None:
    window.show_result(small_month(survey=False))
    settings = window.make_settings_dialog()
    qtbot.addWidget(settings)
    settings.entity_name.setText("ACUEDUCTO DE PRUEBA")
    assert settings.save()
    used = []

    def fake_report(result, path, settings, progress=None, tablero=None):
        used.append(settings.entidad["nombre"])
        Path(path).write_bytes(b"%PDF-1.4 prueba")

    monkeypatch.setattr("core.report_pdf.write_report", fake_report)
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS):
        window.run_export(tmp_path / "informe.pdf", "pdf")

    assert used == ["ACUEDUCTO DE PRUEBA"]


def test_the_table_model_passes_the_model_tester(qtmodeltester) -> None:
    model = TextTableModel(
        ["Código", "Descripción"], [["01", "RESIDENCIAL"], ["03", "COMERCIAL"]]
    )
    qtmodeltester.check(model)

    assert model.insertRows(1, 2)
    assert model.setData(model.index(1, 1), "  OFICIAL ")
    assert model.removeRows(2, 1)
    qtmodeltester.check(model)
    assert model.rows() == [["01", "RESIDENCIAL"], ["", "OFICIAL"], ["03", "COMERCIAL"]]
    assert not model.removeRows(3, 1)
