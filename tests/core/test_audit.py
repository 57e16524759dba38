"""The audit line of every export, and the `brigada` and `lista` commands.

Every test writes its audit file under tmp_path (the variable
CARACTERIZACION_DATOS or an explicit path), never in the user's folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass

import pytest
from openpyxl import Workbook

from core import audit
from core.cli import main
from core.debtor_lists import brigade_list, segment_list
from core.errors import ExportError
from core.list_export import export_list
from tests.core.test_debtor_lists import hand_month

PERSONAL = (
    "RODRÍGUEZ", "PEÑA", "MARÍA", "GÓMEZ", "HIJOS", "MUÑOZ", "ÁLVAREZ",
    "CASTRO", "PÉREZ", "ALCALDÍA", "CL 10 5-20", "CR 3 4-5", "3001234567",
    "6071234567", "gomez@correo.co", "zapata@correo.co",
)


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    folder = tmp_path / "datos"
    monkeypatch.setenv("CARACTERIZACION_DATOS", str(folder))
    return folder


@pytest.fixture(scope="module")
def month():
    return hand_month()


def _lines(path):
    text = path.read_text("utf-8-sig")
    return list(csv.DictReader(text.splitlines(), delimiter=";")), text


def test_audit_file_lives_in_the_data_folder(data_folder):
    assert audit.audit_file() == data_folder / "auditoria.csv"


def test_one_line_per_export_without_personal_data(month, tmp_path, data_folder):
    lista = brigade_list(month, "7", completo=True)
    for formato, name in (("pdf", "b.pdf"), ("excel", "b.xlsx"), ("csv", "b.csv")):
        export_list(lista, tmp_path / name, formato)

    lines, text = _lines(data_folder / "auditoria.csv")
    assert [line["formato"] for line in lines] == ["pdf", "excel", "csv"]
    assert [line["archivo"] for line in lines] == ["b.pdf", "b.xlsx", "b.csv"]
    first = lines[0]
    assert first["tipo"] == "brigada"
    assert first["lista"] == lista.id
    assert (first["periodo"], first["comuna"], first["barrio"]) == ("2025-07", "7", "")
    assert first["version"] == "completa"
    assert first["filas"] == "6"
    assert first["usuario"] == getpass.getuser()
    assert dt.datetime.fromisoformat(first["fecha_hora"]).tzinfo is not None
    for personal in PERSONAL:
        assert personal not in text
    assert str(tmp_path) not in text  # the file's name, not where it is


def test_masked_segment_export_is_recorded_as_such(month, tmp_path, data_folder):
    lista = segment_list(month, "0-30")
    export_list(lista, tmp_path / "p.csv", "csv")
    lines, text = _lines(data_folder / "auditoria.csv")
    assert lines[0]["version"] == "enmascarada"
    assert (lines[0]["tipo"], lines[0]["segmento"]) == ("lista", "0-30")
    assert "6071234567" not in text


def test_explicit_audit_path(month, tmp_path):
    target = tmp_path / "otra" / "auditoria.csv"
    export_list(brigade_list(month, "7"), tmp_path / "b.csv", "csv", audit_path=target)
    lines, _ = _lines(target)
    assert len(lines) == 1


def test_no_export_when_the_audit_cannot_be_written(month, tmp_path):
    blocked = tmp_path / "bloqueo"
    blocked.write_text("un archivo, no una carpeta")
    output = tmp_path / "b.pdf"
    with pytest.raises(ExportError):
        export_list(brigade_list(month, "7"), output, "pdf",
                    audit_path=blocked / "auditoria.csv")
    assert not output.exists()


# --- the commands ---------------------------------------------------------------


def _xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def month_files(tmp_path):
    guia = _xlsx(tmp_path / "guia.xlsx", [
        ("MATRICULA", "ESTRATO", "COMUNA", "BARRIO", "NOMBRE", "DIRECCION",
         "TELEFONO"),
        ("0000001", "01", "COMUNA 7", "La Tora", "RODRÍGUEZ PEÑA MARÍA",
         "CL 10 5-20", "3001234567"),
        ("0000002", "02", "7", "Ñapanga", "GÓMEZ & HIJOS <LTDA>", "CR 3 4-5", ""),
        ("0000003", "01", "3", "Centro", "ZAPATA ANA", "CL 2 2-2", "3109876543"),
    ])
    cartera = _xlsx(tmp_path / "cartera.xlsx", [
        ("MATRICULA", "DIAS MORA", "SALDO TOTAL"),
        ("0000001", 45, "150.000,50"),
        ("0000002", 400, 1000000),
        ("0000003", 10, 20000),
    ])
    return ["--usuarios", str(guia), "--cartera", str(cartera),
            "--periodo", "2025-07"]


def test_brigada_writes_pdf_and_excel_with_two_audit_lines(
    month_files, tmp_path, data_folder, capsys
):
    pdf, excel = tmp_path / "c7.pdf", tmp_path / "c7.xlsx"
    status = main(["brigada", *month_files, "--comuna", "7", "--pdf", str(pdf),
                   "--excel", str(excel), "--papel", "oficio"])
    assert status == 0
    out = capsys.readouterr().out
    assert "2 cuentas morosas, deuda $ 1.150.001" in out
    assert pdf.exists() and excel.exists()
    lines, _ = _lines(data_folder / "auditoria.csv")
    assert [(x["formato"], x["filas"]) for x in lines] == [("pdf", "2"), ("excel", "2")]


def test_comuna_without_morosos_exits_2_naming_the_comunas(month_files, capsys):
    status = main(["brigada", *month_files, "--comuna", "5", "--pdf", "x.pdf"])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: La comuna 5 no tiene morosos en julio de 2025.")
    assert "Comunas con morosos: 7." in err


def test_prevention_list_refuses_pdf_before_reading(tmp_path, data_folder, capsys):
    missing = tmp_path / "no-existe.xlsx"
    status = main(["lista", "--usuarios", str(missing), "--cartera", str(missing),
                   "--segmento", "0-30", "--pdf", str(tmp_path / "p.pdf")])
    assert status == 2
    assert "se exporta a Excel o CSV" in capsys.readouterr().err
    assert not (data_folder / "auditoria.csv").exists()


def test_prevention_list_exports_csv(month_files, tmp_path, data_folder):
    path = tmp_path / "prevencion.csv"
    assert main(["lista", *month_files, "--segmento", "0-30", "--csv", str(path)]) == 0
    rows = path.read_text("utf-8-sig").splitlines()
    assert rows[1].startswith("0000003;ZAPATA A***;3109876543;")
    lines, _ = _lines(data_folder / "auditoria.csv")
    assert lines[0]["formato"] == "csv"


def test_legal_list_prints_its_pareto_sentence(month_files, capsys):
    assert main(["lista", *month_files, "--segmento", "121+", "--comuna", "7"]) == 0
    out = capsys.readouterr().out
    assert (
        "La única cuenta suma el 100,0 % de la deuda del segmento en la comuna 7."
        in out
    )
    assert "Sin archivo de salida" in out


def test_brigada_segment_outside_the_morosos_is_refused(month_files, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["brigada", *month_files, "--comuna", "7", "--segmento", "0-30"])
    assert exit_info.value.code == 2
    assert "opción no válida" in capsys.readouterr().err
