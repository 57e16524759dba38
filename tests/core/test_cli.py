"""The `caracterizacion informe` command: outputs, exit status and messages."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from core.cli import main


def _xlsx(path, rows, title_rows=()):
    book = Workbook()
    sheet = book.active
    for row in title_rows:
        sheet.append(list(row))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def month_files(tmp_path):
    guia = _xlsx(
        tmp_path / "guia.xlsx",
        [
            ("MATRICULA", "ESTRATO", "COMUNA", "USO", "ESTADO"),
            ("0000001", "01", "COMUNA 1", "01", "ACTIVO"),
            ("0000002", "02", "2", "01", "ACTIVO"),
            ("0000003", "10", "2", "03", "RETIRADO"),
            ("0000004", "02", "1", "01", "SUSPENDIDO"),
        ],
        title_rows=[("GUIA DE USUARIOS ACTIVOS",), ("FECHA CORTE: 31/03/2025",), ()],
    )
    cartera = _xlsx(
        tmp_path / "cartera.xlsx",
        [
            ("MATRICULA", "DIAS MORA", "SALDO TOTAL"),
            (1, 45, "1.500.000"),
            (2, 10, 20000),
            (3, 200, 300000.5),
            ("TOTAL GENERAL", None, 1820000.5),
        ],
    )
    return guia, cartera


def _run(guia, cartera, *extra):
    return main(["informe", "--usuarios", str(guia), "--cartera", str(cartera),
                 *extra])


def test_informe_writes_json_with_hand_computed_figures(month_files, tmp_path, capsys):
    guia, cartera = month_files
    out = tmp_path / "t.json"
    assert _run(guia, cartera, "--json", str(out), "--periodo", "2025-03") == 0

    data = json.loads(out.read_text("utf-8"))
    assert data["periodo"] == "2025-03"
    s = data["resumen"]
    assert s["usuarios_activos"] == 3
    assert s["usuarios_morosos"] == 2
    assert s["cartera_morosa"] == 1800000.5
    assert s["deuda_promedio"] == 900000.25
    assert s["porcentaje_morosos"] == 66.7
    assert s["cuentas_con_saldo"] == 3
    assert s["cartera_total"] == 1820000.5
    assert "66,7 %" in capsys.readouterr().out


def test_period_is_read_from_the_title_rows(month_files, tmp_path):
    guia, cartera = month_files
    out = tmp_path / "t.json"
    assert _run(guia, cartera, "--json", str(out)) == 0
    assert json.loads(out.read_text("utf-8"))["periodo"] == "2025-03"


def test_config_overrides_the_rules(month_files, tmp_path):
    guia, cartera = month_files
    config = tmp_path / "ajustes.toml"
    config.write_text("[reglas]\ndias_moroso = 61\n", encoding="utf-8")
    out = tmp_path / "t.json"
    assert _run(guia, cartera, "--json", str(out), "--config", str(config)) == 0
    assert json.loads(out.read_text("utf-8"))["resumen"]["usuarios_morosos"] == 1


def test_unusable_input_exits_2_with_one_spanish_line(month_files, tmp_path, capsys):
    guia, _ = month_files
    fake = tmp_path / "cartera.xlsx"
    fake.write_bytes(b"%PDF-1.4 esto no es una hoja de calculo")
    assert _run(guia, fake) == 2
    err = capsys.readouterr().err
    assert "cartera.xlsx" in err
    assert "Traceback" not in err
    assert err.startswith("Error: ")


def test_missing_file_exits_2(month_files, tmp_path, capsys):
    guia, _ = month_files
    assert _run(guia, tmp_path / "no-existe.xlsx") == 2
    assert "no-existe.xlsx" in capsys.readouterr().err


def test_bad_config_exits_2(month_files, tmp_path, capsys):
    guia, cartera = month_files
    config = tmp_path / "ajustes.toml"
    config.write_text("[reglas\n", encoding="utf-8")
    assert _run(guia, cartera, "--config", str(config)) == 2
    assert "ajustes.toml" in capsys.readouterr().err


def test_missing_required_option_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["informe", "--usuarios", "guia.xlsx"])
    assert exit_info.value.code == 2
    assert "faltan" in capsys.readouterr().err


def test_internal_error_exits_1_with_the_log_path(month_files, monkeypatch, capsys):
    guia, cartera = month_files

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("core.cli.process_month", explode)
    assert _run(guia, cartera) == 1
    err = capsys.readouterr().err
    assert "caracterizacion.log" in err
    assert "boom" not in err


@pytest.mark.parametrize("period", ["julio", "2025-13", "2025-00", "25-07"])
def test_a_bad_period_exits_2_before_reading(month_files, period, capsys):
    guia, cartera = month_files
    with pytest.raises(SystemExit) as exit_info:
        _run(guia, cartera, "--periodo", period)
    assert exit_info.value.code == 2
    assert "no es un periodo AAAA-MM" in capsys.readouterr().err


def test_an_output_never_overwrites_an_input(month_files, capsys):
    guia, cartera = month_files
    before = guia.read_bytes()
    assert _run(guia, cartera, "--excel", str(guia)) == 2
    assert guia.read_bytes() == before
    assert "archivos de entrada" in capsys.readouterr().err


def test_an_output_through_a_symlink_writes_its_target(month_files, tmp_path):
    guia, cartera = month_files
    target = tmp_path / "real.json"
    target.write_text("{}", encoding="utf-8")
    link = tmp_path / "enlace.json"
    link.symlink_to(target)
    assert _run(guia, cartera, "--json", str(link)) == 0
    assert link.is_symlink()
    assert json.loads(target.read_text("utf-8"))["resumen"]["usuarios_activos"] == 3


def test_an_output_that_is_a_folder_exits_2(month_files, tmp_path, capsys):
    guia, cartera = month_files
    assert _run(guia, cartera, "--json", str(tmp_path)) == 2
    assert "no es un archivo normal" in capsys.readouterr().err


def test_a_cartera_without_data_rows_exits_2(month_files, tmp_path, capsys):
    guia, _ = month_files
    empty = _xlsx(tmp_path / "vacia.xlsx", [("MATRICULA", "DIAS MORA", "SALDO TOTAL")])
    assert _run(guia, empty) == 2
    assert "no tiene filas de datos" in capsys.readouterr().err
