"""The history of months: saving, replacing, deleting, backups and the CLI."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from core import history
from core.cli import main
from core.errors import HistoryError
from core.history import SCHEMA_VERSION, HistoryStore
from tests.core.test_evolution import july, june

D = Decimal


@pytest.fixture
def store(tmp_path):
    with HistoryStore(tmp_path / "historial.sqlite") as opened:
        yield opened


def _snapshot(path):
    """Every row of both tables, to compare the database before and after."""
    conn = sqlite3.connect(path)
    try:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("meses", "cuentas")
        ]
    finally:
        conn.close()


def test_a_new_history_has_the_current_schema_version(store):
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert store.periods() == []


def test_a_month_keeps_its_accounts_and_tables(store):
    assert store.add_month(june()) == 7
    accounts = store.accounts("2025-06").set_index("cuenta")
    assert list(accounts.index) == ["1", "2", "3", "4", "5", "6", "7"]
    assert accounts.loc["2", "deuda"] == 20_000_000  # centavos
    assert accounts.loc["2", "segmento"] == "31-60"
    assert accounts.loc["2", "edad_meses"] == 1
    assert bool(accounts.loc["2", "moroso"])
    assert accounts.loc["3", "comuna"] == "2"
    assert accounts.loc["3", "estrato"] == "01"
    assert accounts.loc["6", "deuda"] == -1_000_000
    assert accounts["segmento"].isna().sum() == 1  # 6: a saldo a favor
    assert "nombre" not in accounts.columns

    month = store.month("2025-06")
    assert month.resumen["cartera_morosa"] == D("950000.0")
    assert month.resumen["usuarios_morosos"] == 4
    segments = month.tablas["segmentos_por_atraso"]
    assert segments["columnas"][0] == "segmento"


def test_an_existing_month_is_replaced_only_when_asked(store):
    store.add_month(june())
    other = july()
    other.periodo = "2025-06"
    with pytest.raises(HistoryError) as error:
        store.add_month(other)
    assert "ya tiene junio de 2025" in error.value.mensaje()
    assert store.accounts("2025-06")["cuenta"].tolist()[-1] == "7"

    store.add_month(other, replace=True)
    assert store.periods() == ["2025-06"]
    assert store.accounts("2025-06")["cuenta"].tolist()[-1] == "8"


def test_months_are_listed_in_order_and_deleted(store):
    store.add_month(july())
    store.add_month(june())
    assert store.periods() == ["2025-06", "2025-07"]

    store.delete_month("2025-06")
    assert store.periods() == ["2025-07"]
    with pytest.raises(HistoryError, match="no tiene junio de 2025"):
        store.accounts("2025-06")
    with pytest.raises(HistoryError, match="no tiene junio de 2025"):
        store.delete_month("2025-06")


def test_an_interrupted_save_leaves_the_database_as_it_was(store, monkeypatch):
    store.add_month(june())
    before = _snapshot(store.path)
    real_rows = history._account_rows

    def failing_rows(periodo, cuentas):
        for number, row in enumerate(real_rows(periodo, cuentas)):
            if number == 3:
                raise KeyboardInterrupt  # the user pressed Ctrl+C mid-save
            yield row

    monkeypatch.setattr(history, "_account_rows", failing_rows)
    with pytest.raises(KeyboardInterrupt):
        store.add_month(june(), replace=True)
    with pytest.raises(KeyboardInterrupt):
        store.add_month(july())

    assert _snapshot(store.path) == before
    assert store.periods() == ["2025-06"]


KILLED_SAVE = """
import sys, time
from core import history
from core.history import HistoryStore
from tests.core.test_evolution import july

real_rows = history._account_rows

def rows_then_hang(periodo, cuentas):
    for number, row in enumerate(real_rows(periodo, cuentas)):
        if number == 3:
            print("a medio guardar", flush=True)
            time.sleep(60)
        yield row

history._account_rows = rows_then_hang
with HistoryStore(sys.argv[1]) as store:
    store.add_month(july())
"""


def test_a_killed_process_mid_save_leaves_the_database_as_it_was(store):
    """The program dies (power cut, task manager) in the middle of a month."""
    store.add_month(june())
    before = _snapshot(store.path)
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_SAVE, str(store.path)],
        cwd=root, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "a medio guardar"
    finally:
        child.kill()
        child.wait(timeout=30)

    with HistoryStore(store.path) as reopened:
        assert reopened.periods() == ["2025-06"]
    assert _snapshot(store.path) == before


def test_a_failed_insert_is_reported_and_rolled_back(store):
    store.add_month(june())
    before = _snapshot(store.path)
    broken = july()
    broken.cuentas = broken.cuentas.copy()
    broken.cuentas.loc[len(broken.cuentas)] = broken.cuentas.iloc[0]  # repeated key

    with pytest.raises(HistoryError, match="quedó como estaba"):
        store.add_month(broken)
    assert _snapshot(store.path) == before


def test_export_and_import_round_trip(store, tmp_path):
    store.add_month(june())
    store.add_month(july())
    before = _snapshot(store.path)
    backup = tmp_path / "copia" / "respaldo.sqlite"
    store.export_to(backup)

    store.delete_month("2025-06")
    store.import_from(backup)
    assert _snapshot(store.path) == before

    with HistoryStore(tmp_path / "otro.sqlite") as other:
        other.import_from(backup)
        assert other.periods() == ["2025-06", "2025-07"]
        assert other.accounts("2025-07").equals(store.accounts("2025-07"))


def test_a_file_that_is_not_a_history_is_refused(store, tmp_path):
    text = tmp_path / "notas.sqlite"
    text.write_text("no soy una base de datos " * 100, encoding="utf-8")
    with pytest.raises(HistoryError, match="no es un historial"):
        store.import_from(text)
    with pytest.raises(HistoryError, match="no es un historial"):
        HistoryStore(text)

    other = tmp_path / "otra.sqlite"
    sqlite3.connect(other).close()
    with pytest.raises(HistoryError, match="no es un historial"):
        store.import_from(other)


def test_a_history_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "nueva.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(HistoryError, match="versión más nueva"):
        HistoryStore(path)


def test_read_only_never_writes_the_file(store):
    store.add_month(june())
    before = store.path.read_bytes()

    with HistoryStore(store.path, read_only=True) as reader:
        assert reader.periods() == ["2025-06"]
        assert len(reader.accounts("2025-06")) == 7
        with pytest.raises(RuntimeError):
            reader.add_month(july())
        with pytest.raises(RuntimeError):
            reader.delete_month("2025-06")
    assert store.path.read_bytes() == before


def test_read_only_brings_an_older_schema_up_to_date_in_memory(tmp_path):
    path = tmp_path / "vieja.sqlite"
    sqlite3.connect(path).close()  # version 0: before the first migration
    before = path.read_bytes()
    with HistoryStore(path, read_only=True) as reader:
        assert reader.periods() == []
    assert path.read_bytes() == before


def test_a_month_not_saved_reads_as_if_it_were(store):
    store.add_month(july())
    saved, in_memory = store.month("2025-07"), history.stored_month(july())
    assert in_memory.resumen == saved.resumen
    assert in_memory.tablas == saved.tablas
    assert in_memory.reglas == saved.reglas
    assert history.stored_accounts(july()).equals(store.accounts("2025-07"))


# The command line


def _xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return str(path)


@pytest.fixture
def month_args(tmp_path):
    """`historial agregar` options for June and July (the months above, smaller)."""
    guia = _xlsx(tmp_path / "guia.xlsx", [
        ("MATRICULA", "ESTRATO", "COMUNA", "ESTADO"),
        (1, "01", "1", "ACTIVO"), (2, "01", "1", "ACTIVO"),
        (3, "01", "2", "ACTIVO"),
    ])
    june_file = _xlsx(tmp_path / "cartera_06.xlsx", [
        ("MATRICULA", "DIAS MORA", "SALDO TOTAL"),
        (1, 10, 1000), (2, 45, 2000), (3, 90, 3000),
    ])
    july_file = _xlsx(tmp_path / "cartera_07.xlsx", [
        ("MATRICULA", "DIAS MORA", "SALDO TOTAL"),
        (1, 40, 1000), (2, 75, 500),
    ])
    return {
        "2025-06": ["--usuarios", guia, "--cartera", june_file, "--periodo",
                    "2025-06"],
        "2025-07": ["--usuarios", guia, "--cartera", july_file, "--periodo",
                    "2025-07"],
    }


def test_cli_adds_lists_and_deletes_months(month_args, tmp_path, capsys):
    base = ["--historial", str(tmp_path / "h.sqlite")]
    assert main(["historial", "agregar", *month_args["2025-06"], *base]) == 0
    assert "guardado en el historial con 3 cuentas" in capsys.readouterr().out

    assert main(["historial", "agregar", *month_args["2025-06"], *base]) == 2
    assert "--reemplazar" in capsys.readouterr().err
    assert main(["historial", "agregar", *month_args["2025-06"], *base,
                 "--reemplazar"]) == 0
    assert main(["historial", "agregar", *month_args["2025-07"], *base]) == 0

    capsys.readouterr()
    assert main(["historial", "listar", *base]) == 0
    listed = capsys.readouterr().out
    assert "2 meses" in listed
    assert "2025-06  3 usuarios activos, 2 morosos" in listed

    assert main(["historial", "borrar", "2025-06", *base]) == 0
    assert main(["historial", "borrar", "2025-06", *base]) == 2
    assert "no tiene junio de 2025" in capsys.readouterr().err


def test_cli_dashboard_writes_the_tables(month_args, tmp_path, capsys):
    base = ["--historial", str(tmp_path / "h.sqlite")]
    for periodo in ("2025-06", "2025-07"):
        assert main(["historial", "agregar", *month_args[periodo], *base]) == 0
    out = tmp_path / "tablero.json"

    assert main(["historial", "tablero", *base, "--json", str(out)]) == 0
    data = json.loads(out.read_text("utf-8"))
    assert data["periodo"] == "2025-07"
    assert data["periodo_anterior"] == "2025-06"
    tables = data["tablas"]
    assert {"transiciones", "recuperacion", "tendencia"} <= set(tables)
    for table in tables.values():
        assert set(table) == {"titulo", "columnas", "filas", "total"}

    transitions = tables["transiciones"]
    assert transitions["columnas"] == [
        "desde", "0-30", "31-60", "61-120", "121+", "sin saldo o retirado",
    ]
    assert transitions["filas"] == [
        ["0-30", 0, 1, 0, 0, 0],
        ["31-60", 0, 0, 1, 0, 0],
        ["61-120", 0, 0, 0, 0, 1],
        ["121+", 0, 0, 0, 0, 0],
        ["nuevo", 0, 0, 0, 0, 0],
    ]
    # Morosos of June: 2 (31-60) paid 1.500; 3 (61-120) left: 3.000.
    assert tables["recuperacion"]["filas"] == [
        ["31-60", 1, 2000.0, 1500.0, 75.0],
        ["61-120", 1, 3000.0, 3000.0, 100.0],
    ]
    assert tables["tendencia"]["columnas"][:4] == [
        "periodo", "usuarios_activos", "usuarios_morosos", "cartera_morosa",
    ]
    assert tables["tendencia"]["filas"] == [
        ["2025-06", 3, 2, 5000.0, 66.7],
        ["2025-07", 3, 2, 1500.0, 66.7],
    ]
    assert tables["recuperacion"]["columnas"] == [
        "segmento", "morosos_mes_anterior", "deuda_mes_anterior", "recuperado",
        "porcentaje_recuperado",
    ]
    out = capsys.readouterr().out
    assert "Recuperado de los morosos del mes anterior: $ 4.500" in out
    # Morosos 2 and 2; cartera morosa 5.000 -> 1.500.
    assert ("Frente a junio de 2025, los morosos se mantuvieron en 2 y la cartera "
            "morosa disminuyó en $ 3.500 (70,0 %)") in out


def test_cli_dashboard_carries_comparison_trends_and_cohorts(month_args, tmp_path):
    base = ["--historial", str(tmp_path / "h.sqlite")]
    for periodo in ("2025-06", "2025-07"):
        assert main(["historial", "agregar", *month_args[periodo], *base]) == 0
    out = tmp_path / "tablero.json"
    assert main(["historial", "tablero", *base, "--json", str(out)]) == 0
    data = json.loads(out.read_text("utf-8"))
    tables = data["tablas"]

    assert data["periodo_hace_un_anio"] is None
    rows = {row[0]: row for row in tables["comparacion_mensual"]["filas"]}
    assert rows["Cartera morosa"] == ["Cartera morosa", 1500.0, 5000.0, -3500.0,
                                      -70.0, None, None, None]
    assert rows["Usuarios morosos"][1:5] == [2, 2, 0, 0.0]
    assert tables["tendencia_segmentos"]["columnas"] == [
        "periodo", "0-30", "31-60", "61-120", "121+"]
    assert tables["tendencia_segmentos"]["filas"] == [
        ["2025-06", 1, 1, 1, 0], ["2025-07", 0, 1, 1, 0]]
    # Comuna 1: accounts 1 and 2; comuna 2: account 3.
    assert tables["tendencia_comunas"]["filas"] == [
        ["2025-06", 1, 1], ["2025-07", 2, 0]]
    assert tables["tendencia_comunas_tasa"]["filas"] == [
        ["2025-06", 50.0, 100.0], ["2025-07", 100.0, 0.0]]
    # July's new moroso is account 1 (0-30 in June); no month after July yet.
    assert tables["cohortes_morosos"]["filas"] == [
        ["2025-07", k, 1, None, None, None, None] for k in (1, 2, 3)]


def test_informe_takes_the_evolution_from_the_history_and_never_writes_it(
    month_args, tmp_path, capsys
):
    from pypdf import PdfReader

    history_file = tmp_path / "h.sqlite"
    base = ["--historial", str(history_file)]
    assert main(["historial", "agregar", *month_args["2025-06"], *base]) == 0
    before = history_file.read_bytes()
    stamp = history_file.stat().st_mtime_ns
    pdf = tmp_path / "informe.pdf"

    # July is not in the history: the report compares the files' July.
    assert main(["informe", *month_args["2025-07"], *base, "--pdf", str(pdf)]) == 0
    assert history_file.read_bytes() == before
    assert history_file.stat().st_mtime_ns == stamp
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "7. Evolución mensual" in text and "8. Conclusiones" in text
    assert ("Frente a junio de 2025, los morosos se mantuvieron en 2 y la cartera "
            "morosa disminuyó en $ 3.500 (70,0 %)") in text


def test_informe_excel_carries_the_tablero_after_the_months_tables(
    month_args, tmp_path, capsys
):
    from openpyxl import load_workbook

    history_file = tmp_path / "h.sqlite"
    base = ["--historial", str(history_file)]
    assert main(["historial", "agregar", *month_args["2025-06"], *base]) == 0
    with_history, without = tmp_path / "con.xlsx", tmp_path / "sin.xlsx"

    assert main(["informe", *month_args["2025-07"], *base, "--excel",
                 str(with_history)]) == 0
    assert main(["informe", *month_args["2025-07"], "--excel", str(without)]) == 0

    book, plain = load_workbook(with_history), load_workbook(without)
    evolution = [n for n in book.sheetnames if n not in plain.sheetnames]
    assert evolution[:3] == ["comparacion_mensual", "tendencia", "tendencia_segmentos"]
    assert "transiciones" in evolution and "cohortes_morosos" in evolution
    # After the month's tables, before the checks and the quality report.
    assert book.sheetnames[-2:] == plain.sheetnames[-2:]
    assert book.sheetnames.index("comparacion_mensual") == len(plain.sheetnames) - 2

    rows = list(book["recuperacion"].iter_rows(values_only=True))
    assert rows[2] == ("Segmento (días)", "Morosos del mes anterior",
                       "Deuda del mes anterior", "Recuperado", "% recuperado")
    # Morosos of June: 2 (31-60) paid 1.500 of 2.000; 3 (61-120) left: 3.000.
    assert rows[3] == ("31-60", 1, 2000, 1500, 0.75)
    assert rows[4] == ("61-120", 1, 3000, 3000, 1.0)
    rows = list(book["tendencia_comunas_tasa"].iter_rows(values_only=True))
    assert rows[2][1:] == ("Comuna 1", "Comuna 2")
    assert rows[3:5] == [("2025-06", 0.5, 1.0), ("2025-07", 1.0, 0.0)]


def test_informe_without_an_earlier_month_goes_without_evolution(
    month_args, tmp_path, capsys
):
    base = ["--historial", str(tmp_path / "h.sqlite")]
    assert main(["historial", "agregar", *month_args["2025-07"], *base]) == 0
    pdf = tmp_path / "informe.pdf"
    capsys.readouterr()

    assert main(["informe", *month_args["2025-06"], *base, "--pdf", str(pdf)]) == 0
    assert "sin la sección Evolución" in capsys.readouterr().err
    assert pdf.exists()


def test_informe_with_a_missing_history_exits_2(month_args, tmp_path, capsys):
    missing = tmp_path / "no-existe.sqlite"
    code = main(["informe", *month_args["2025-07"], "--historial", str(missing),
                 "--pdf", str(tmp_path / "i.pdf")])
    assert code == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "No hay historial" in err
    assert out == ""  # refused before reading the month
    assert not missing.exists() and not (tmp_path / "i.pdf").exists()


def test_no_output_may_overwrite_the_history(month_args, tmp_path, capsys):
    history_file = tmp_path / "h.sqlite"
    base = ["--historial", str(history_file)]
    for periodo in ("2025-06", "2025-07"):
        assert main(["historial", "agregar", *month_args[periodo], *base]) == 0
    before = history_file.read_bytes()

    assert main(["historial", "tablero", *base, "--json", str(history_file)]) == 2
    assert main(["informe", *month_args["2025-07"], *base, "--pdf",
                 str(history_file)]) == 2
    assert history_file.read_bytes() == before


def test_cli_dashboard_needs_two_months(month_args, tmp_path, capsys):
    base = ["--historial", str(tmp_path / "h.sqlite")]
    assert main(["historial", "tablero", *base]) == 2
    assert "No hay historial" in capsys.readouterr().err
    assert main(["historial", "listar", *base]) == 0
    assert "vacío" in capsys.readouterr().out
    assert not (tmp_path / "h.sqlite").exists()

    assert main(["historial", "agregar", *month_args["2025-06"], *base]) == 0
    assert main(["historial", "tablero", *base]) == 2
    assert "un solo mes" in capsys.readouterr().err


def test_cli_history_defaults_to_the_data_folder(month_args, tmp_path,
                                                 monkeypatch):
    monkeypatch.setenv("CARACTERIZACION_DATOS", str(tmp_path / "datos"))
    # Keep the run's log where it is: no handler left on a temporary folder.
    monkeypatch.setattr("core.cli.configure_logging", lambda: tmp_path / "log")
    assert main(["informe", *month_args["2025-06"]]) == 0
    assert not (tmp_path / "datos" / "historial.sqlite").exists()

    assert main(["historial", "agregar", *month_args["2025-06"]]) == 0
    assert (tmp_path / "datos" / "historial.sqlite").exists()


def test_a_history_that_cannot_be_opened_is_reported(tmp_path):
    folder = tmp_path / "carpeta.sqlite"
    folder.mkdir()
    with pytest.raises(HistoryError, match="No se pudo abrir el historial"):
        HistoryStore(folder)


@pytest.mark.parametrize(
    ("reason", "detail", "expected"),
    [
        ("escritura", "database is locked",
         "No se pudo guardar en el historial «h.sqlite»: otro programa lo está "
         "usando; ciérrelo y vuelva a intentar; quedó como estaba."),
        ("escritura", "database or disk is full",
         "No se pudo guardar en el historial «h.sqlite»: el disco está lleno; "
         "quedó como estaba."),
        ("no_se_abre", "unable to open database file",
         "No se pudo abrir el historial «h.sqlite»: la carpeta no existe o no hay "
         "permiso para abrirla."),
        ("no_se_abre", "", "No se pudo abrir el historial «h.sqlite»."),
    ],
)
def test_history_errors_word_sqlite_messages_in_spanish(reason, detail, expected):
    error = HistoryError(Path("/tmp/h.sqlite"), reason, "2025-07", detail)

    assert error.mensaje() == expected
