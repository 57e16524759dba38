"""Bad files and odd layouts on the command line: one file of each kind.

Each kind gives exit status 2 with its Spanish message (and no
traceback), or loads with the month's figures counted by hand (see
`tests.core.bad_files`). The month's outputs are written atomically, and
the log keeps no personal data.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
from pathlib import Path

import pytest

from core import cli
from core import loading
from core.applog import configure_logging, log_file
from tests.core import bad_files
from tests.core.bad_files import KINDS, MAPPINGS, Kind

LOADS = [k for k in KINDS if k.loads]
FAILS = [k for k in KINDS if not k.loads]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> dict[str, Path]:
    return bad_files.build_folder(tmp_path_factory.mktemp("archivos_del_mes"))


def _arguments(files: dict[str, Path], kind: Kind, *extra: str) -> list[str]:
    guia, cartera = files["guia"], files["cartera"]
    if kind.role == "usuarios":
        guia = files[kind.name]
    else:
        cartera = files[kind.name]
    return ["informe", "--usuarios", str(guia), "--cartera", str(cartera), *extra]


def _prepare(kind: Kind, files: dict[str, Path], monkeypatch) -> None:
    """Make the two kinds a file alone cannot be on this machine."""
    if kind.name == "bloqueado":
        locked = files["bloqueado"]
        original = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.name == locked.name:
                raise PermissionError(13, "Permission denied", str(self))
            return original(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    if kind.name == "muy_grande":
        monkeypatch.setattr(loading, "MAX_FILE_BYTES", bad_files.SMALL_LIMIT)


@pytest.mark.parametrize("kind", FAILS, ids=lambda k: k.name)
def test_a_file_that_cannot_be_used_exits_2_with_its_message(
    kind, folder, monkeypatch, capsys
):
    _prepare(kind, folder, monkeypatch)

    status = cli.main(_arguments(folder, kind))

    out, err = capsys.readouterr()
    assert status == 2
    assert err.startswith("Error: ")
    assert kind.message in err
    assert f"«{folder[kind.name].name}»" in err
    assert "Traceback" not in err + out
    assert "Periodo" not in out


@pytest.mark.parametrize("kind", LOADS, ids=lambda k: k.name)
def test_a_file_that_loads_gives_the_months_figures(
    kind, folder, tmp_path, capsys
):
    output = tmp_path / "tablas.json"

    status = cli.main(_arguments(folder, kind, "--json", str(output)))

    out, err = capsys.readouterr()
    assert status == 0, err
    assert f"Periodo 2025-07: {bad_files.GOOD_SUMMARY}." in out
    resumen = json.loads(output.read_text(encoding="utf-8"))["resumen"]
    assert resumen["usuarios_activos"] == 4
    assert resumen["usuarios_morosos"] == 2
    assert resumen["cartera_morosa"] == 400000.5
    assert kind.message in err


def test_unreadable_values_are_listed_with_their_rows(folder, capsys):
    kind = next(k for k in KINDS if k.name == "valores_ilegibles")

    cli.main(_arguments(folder, kind))

    err = capsys.readouterr().err
    assert "2 valor(es)" in err
    for row, value in zip(bad_files.UNREADABLE_ROWS, ("cincuenta", "N/D")):
        assert f"fila {row}, columna SALDO TOTAL: «{value}»" in err


@pytest.mark.parametrize("name", sorted(MAPPINGS))
def test_a_column_map_file_loads_the_layouts_the_aliases_cannot(
    name, folder, tmp_path, capsys
):
    kind = next(k for k in KINDS if k.name == name)
    mapa = tmp_path / "mapa.toml"
    lines = ["[usuarios]"] + [f'{k} = "{v}"' for k, v in MAPPINGS[name].items()]
    mapa.write_text("\n".join(lines) + "\n", encoding="utf-8")

    status = cli.main(_arguments(folder, kind, "--mapa-columnas", str(mapa)))

    out, err = capsys.readouterr()
    assert status == 0, err
    assert f"Periodo 2025-07: {bad_files.GOOD_SUMMARY}." in out


# --- --mapa-columnas ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[guia]\ncuenta = 'A'\n", "secciones desconocidas: guia"),
        ("[usuarios]\nmatricula = 'A'\n", "campos desconocidos: matricula"),
        ("[usuarios]\ncuenta = 3\n", "«cuenta» debe ser el texto de un encabezado"),
        ("[usuarios\ncuenta = 'A'\n", "no es TOML válido"),
        ("usuarios = 'A'\n", "[usuarios] debe ser una tabla"),
    ],
)
def test_a_bad_column_map_file_is_explained(
    text, message, folder, tmp_path, capsys
):
    mapa = tmp_path / "mapa.toml"
    mapa.write_text(text, encoding="utf-8")

    status = cli.main(_arguments(folder, KINDS[-1], "--mapa-columnas", str(mapa)))

    err = capsys.readouterr().err
    assert status == 2
    assert "«mapa.toml» no es válido" in err
    assert message in err


def test_a_column_map_lists_the_components_of_the_debt(folder, tmp_path, capsys):
    cartera = bad_files.write_xlsx(tmp_path / "cartera_2025-07.xlsx", [
        ["MATRICULA", "DIAS MORA", "VR A", "VR B"],
        ["1001", 45, 60000, 40000], ["1003", 200, 300000, 0.5],
    ])
    mapa = tmp_path / "mapa.toml"
    mapa.write_text('[cartera]\ncomponentes = ["VR A", "VR B"]\n', encoding="utf-8")

    status = cli.main(["informe", "--usuarios", str(folder["guia"]), "--cartera",
                       str(cartera), "--mapa-columnas", str(mapa)])

    out, err = capsys.readouterr()
    assert status == 0, err
    assert "2 morosos (50,0 %), cartera morosa $ 400.001" in out


def test_a_column_map_naming_a_missing_header_is_explained(
    folder, tmp_path, capsys
):
    mapa = tmp_path / "mapa.toml"
    mapa.write_text('[usuarios]\ncuenta = "CODIGO INTERNO"\n', encoding="utf-8")

    status = cli.main(["informe", "--usuarios", str(folder["guia"]), "--cartera",
                       str(folder["cartera"]), "--mapa-columnas", str(mapa)])

    err = capsys.readouterr().err
    assert status == 2
    assert "indica «CODIGO INTERNO» para «cuenta (matrícula)»" in err
    assert "«guia_2025-07.xlsx» no tiene esa columna" in err


# --- a workbook encrypted here, when msoffcrypto-tool is installed -----------


def test_a_workbook_saved_with_a_password_now_is_refused(tmp_path, capsys):
    pytest.importorskip("msoffcrypto")
    plain = bad_files.good_guia(tmp_path)
    locked = tmp_path / "guia_2025-07_nueva_clave.xlsx"
    bad_files.encrypt_workbook(plain, locked, "otra-clave")
    cartera = bad_files.good_cartera(tmp_path)

    status = cli.main(["informe", "--usuarios", str(locked), "--cartera",
                       str(cartera)])

    assert status == 2
    assert "protegido con contraseña" in capsys.readouterr().err


def test_the_shipped_encrypted_workbook_opens_with_its_password(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    with open(bad_files.ENCRYPTED, "rb") as handle:
        office = msoffcrypto.OfficeFile(handle)
        office.load_key(password=bad_files.ENCRYPTED_PASSWORD)
        plain = tmp_path / "abierta.xlsx"
        with open(plain, "wb") as out:
            office.decrypt(out)

    assert loading.load_file(plain, "usuarios").rows_read == 4


# --- no half-written outputs ------------------------------------------------


def _month(folder: dict[str, Path]):
    from core.pipeline import MonthSources, process_month

    return process_month(MonthSources(folder["guia"], folder["cartera"]))


def _fail(*_args, **_kwargs):
    raise OSError(28, "No space left on device")


def _half_written(target) -> None:
    """Write the start of a file to `target` (a path or a handle), then fail
    as a full disk would."""
    if hasattr(target, "write"):
        target.write('{"periodo": "2025-')
    else:
        Path(target).write_bytes(b"PK\x03\x04 medio archivo")
    _fail()


class _HalfDocument:
    def __init__(self, path, *_args) -> None:
        self.path = path

    def multiBuild(self, *_args, **_kwargs) -> None:  # noqa: N802 - reportlab's
        _half_written(self.path)


@pytest.mark.parametrize("kind", ["json", "excel", "pdf"])
def test_a_failed_export_keeps_the_earlier_file_and_leaves_no_part(
    kind, folder, tmp_path, monkeypatch
):
    from core import export_excel, export_json, report_pdf
    from core.errors import ExportError
    from core.settings import load_settings

    month = _month(folder)
    target = tmp_path / f"informe.{kind}"
    target.write_bytes(b"el informe del mes pasado")
    if kind == "json":
        monkeypatch.setattr(export_json.json, "dump",
                            lambda _data, handle, **_kw: _half_written(handle))
        write = lambda: export_json.write_json(month, target)  # noqa: E731
    elif kind == "excel":
        monkeypatch.setattr(export_excel.Workbook, "save",
                            lambda _book, path: _half_written(path))
        write = lambda: export_excel.write_excel(month, target)  # noqa: E731
    else:
        monkeypatch.setattr(report_pdf, "_document", _HalfDocument)
        write = lambda: report_pdf.write_report(  # noqa: E731
            month, target, load_settings()
        )

    with pytest.raises(ExportError) as error:
        write()

    assert "No space left on device" in error.value.mensaje()
    assert target.read_bytes() == b"el informe del mes pasado"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_failed_csv_list_keeps_the_earlier_file(folder, tmp_path, monkeypatch):
    from core import list_export
    from core.debtor_lists import segment_list
    from core.errors import ExportError

    lista = segment_list(_month(folder), "121+", completo=False)
    target = tmp_path / "lista.csv"
    target.write_text("la lista anterior", encoding="utf-8")
    real_writer = list_export.csv.writer

    class HalfWriter:
        def __init__(self, handle, **kwargs) -> None:
            self.handle = handle
            self.writer = real_writer(handle, **kwargs)

        def writerow(self, row) -> None:
            self.writer.writerow(row)

        def writerows(self, _rows) -> None:
            self.handle.write("1001;ANA")
            _fail()

    monkeypatch.setattr(list_export.csv, "writer", HalfWriter)

    with pytest.raises(ExportError):
        list_export.export_list(lista, target, "csv")

    assert target.read_text(encoding="utf-8") == "la lista anterior"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lista.csv"]


# --- the log ----------------------------------------------------------------


def test_the_log_holds_no_personal_data_after_every_kind(
    folder, tmp_path, monkeypatch, capsys
):
    path = configure_logging()
    logging.getLogger().setLevel(logging.DEBUG)
    start = path.stat().st_size if path.exists() else 0
    for kind in KINDS:
        with monkeypatch.context() as patch:
            _prepare(kind, folder, patch)
            cli.main(_arguments(folder, kind, "--json", str(tmp_path / "t.json")))
    lista = ["lista", "--usuarios", str(folder["guia"]), "--cartera",
             str(folder["cartera"]), "--segmento", "31-60", "--completo",
             "--csv", str(tmp_path / "l.csv")]
    assert cli.main(lista) == 0
    capsys.readouterr()

    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")[start:]
    assert "guía leída" in text  # the log was written...
    for personal in bad_files.PERSONAL:
        assert personal not in text  # ...without the data's people
    assert "1001" not in text


def test_the_log_rotates(tmp_path):
    path = configure_logging()
    [handler] = [
        h for h in logging.getLogger().handlers
        if getattr(h, "baseFilename", None) == str(path)
    ]

    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert 0 < handler.maxBytes <= 5_000_000
    assert handler.backupCount >= 1
    handler.doRollover()
    assert Path(f"{path}.1").exists()
    assert path == log_file()
