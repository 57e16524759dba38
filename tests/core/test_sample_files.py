"""Check the bundled sample month against the reference report's figures.

The three files in resources/sample are read with plain pandas (never with
the product's loader) and every figure the sample must reproduce is computed
here from scratch, following the rules of DESIGN.md section 3: an account's
debt is the net of its lines, its días the largest among lines with a
positive balance, moroso means debt > 0 and días >= 31.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
GUIA = SAMPLE / "guia_usuarios_2025-07.xlsx"
CARTERA = SAMPLE / "cartera_2025-07.xlsx"
ENCUESTA = SAMPLE / "encuesta_2025.xlsx"
REFERENCE = ROOT / "tests" / "data" / "referencia.json"
CUTOFF = dt.date(2025, 7, 31)

GUIA_HEADERS = [
    "MATRICULA",
    "CICLO",
    "RUTA",
    "CONSEC.",
    "COD. CATASTRAL",
    "NOMBRE DEL SUSCRIPTOR",
    "TIPO ID",
    "IDENTIFICACION",
    "DIRECCION",
    "BARRIO",
    "COMUNA",
    "USO",
    "DESC. USO",
    "ESTRATO",
    "DESC. ESTRATO",
    "ESTADO",
    "SERVICIOS",
    "MEDIDOR",
    "DIAM.",
    "UNIDADES",
    "CONS. PROM. (M3)",
    "FECHA ALTA",
    "TELEFONO",
    "CORREO ELECTRONICO",
]
MOVEMENTS = ["SALDO ANTERIOR", "FACTURACION MES", "RECAUDO MES", "NOTAS/AJUSTES"]
AGES = ["0 - 30", "31 - 60", "61 - 90", "91 - 180", "181 - 360", "MAS DE 360"]
AGE_FIRST_DAY = [0, 31, 61, 91, 181, 361]
CONCEPTS = [
    "CAPITAL ACUEDUCTO",
    "CAPITAL ALCANTARILLADO",
    "INTERESES MORA",
    "OTROS CONCEPTOS",
]
AMOUNTS = [*MOVEMENTS, *AGES, *CONCEPTS, "SALDO TOTAL"]
CARTERA_HEADERS = [
    "MATRICULA",
    "NOMBRE",
    "DIRECCION",
    "BARRIO",
    "COMUNA",
    "CICLO",
    "USO",
    "ESTRATO",
    "ESTADO SERV.",
    "FACT. VENC.",
    "DIAS MORA",
    "FEC. VENC. MAS ANTIGUA",
    *AMOUNTS,
]
QUESTIONS = [
    (
        "1. En general, ¿qué tan satisfecho(a) está con los servicios de acueducto "
        "y alcantarillado?"
    ),
    "2. ¿Cómo califica la cordialidad y amabilidad del personal que lo atendió?",
    "3. ¿Cómo califica el tiempo de espera para ser atendido?",
    (
        "4. ¿Cómo califica el mantenimiento de las redes de alcantarillado de su "
        "sector (limpieza de sumideros, rebosamientos)?"
    ),
    (
        "5. ¿En los últimos 6 meses ha tenido rebosamientos o taponamientos del "
        "alcantarillado?"
    ),
    (
        "6. ¿Conoce los canales de pago electrónico de la empresa (PSE / botón de "
        "pago, corresponsales, apps)?"
    ),
    "7. ¿Ha pagado su factura por algún canal electrónico?",
    "8. ¿Por qué medio paga habitualmente su factura?",
    "9. ¿Recibe su factura con suficiente anticipación a la fecha límite de pago?",
]
ENCUESTA_HEADERS = [
    "Marca temporal",
    "N° encuesta",
    "Canal de aplicación",
    "Matrícula (opcional)",
    "Comuna",
    "Barrio",
    "Estrato",
    "Tipo de usuario",
    "Tipo de persona",
    "Sexo",
    "Rango de edad",
    "Nivel educativo",
    "Grupo poblacional",
    *QUESTIONS,
    "Observaciones",
]
SATISFACTION = [
    "Muy insatisfecho",
    "Insatisfecho",
    "Ni satisfecho ni insatisfecho",
    "Satisfecho",
    "Muy satisfecho",
]
RATING = ["Muy mala", "Mala", "Regular", "Buena", "Excelente"]
USO_BY_ESTRATO = {
    "01": "01",
    "02": "01",
    "03": "01",
    "04": "01",
    "05": "01",
    "09": "13",
    "10": "03",
    "11": "03",
    "12": "03",
    "90": "08",
    "91": "08",
}
INACTIVE = {"RETIRADO", "INACTIVO", "CANCELADO", "ANULADO"}


# --- Independent normalization -----------------------------------------------


def account_key(value: object) -> str:
    """Return one key for "0012345", 12345, 12345.0 and "12345.0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    text = text.removesuffix(".0")
    return text.lstrip("0") or "0"


def code(value: object) -> str:
    """Estrato or uso as two digits: 1, "1", "01 " -> "01"."""
    if isinstance(value, float):
        value = int(value)
    return str(value).strip().zfill(2)


def comuna(value: object) -> str:
    """5, "05", "COMUNA 5" -> "5"."""
    digits = re.sub(r"\D", "", str(value))
    return str(int(digits))


def centavos(value: object) -> int:
    """A number or Colombian text ("1.234.567,89") in integer centavos."""
    if isinstance(value, str):
        text = value.strip().replace(".", "").replace(",", ".")
        return int(Decimal(text) * 100)
    return round(Decimal(repr(float(value))) * 100)


def pesos(text: str) -> int:
    return int(Decimal(text) * 100)


def blank(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and pd.isna(value))
        or (isinstance(value, str) and not value.strip())
    )


def answer(value: object) -> str:
    """A survey answer without case, accents or extra spaces."""
    if blank(value):
        return ""
    text = unicodedata.normalize("NFKD", str(value).strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text)


def likert(value: object, scale: list[str]) -> str:
    """Digits 1-5 mean the scale's position, worst to best."""
    if isinstance(value, (int, float)) and not blank(value):
        return answer(scale[int(value) - 1])
    return answer(value)


def read_raw(path: Path, sheet: str) -> pd.DataFrame:
    return pd.read_excel(
        path, sheet_name=sheet, header=None, dtype=object, engine="calamine"
    )


# --- Fixtures ----------------------------------------------------------------


@pytest.fixture(scope="module")
def ref() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def guia_raw() -> pd.DataFrame:
    return read_raw(GUIA, "GUIA")


@pytest.fixture(scope="module")
def guia(guia_raw: pd.DataFrame) -> pd.DataFrame:
    """The guía's data rows (header row 6 up to the first blank row)."""
    body = guia_raw.iloc[6:]
    end = body.index[body.isna().all(axis=1)][0]
    rows = guia_raw.iloc[6:end, : len(GUIA_HEADERS)].copy()
    rows.columns = GUIA_HEADERS
    rows["cuenta"] = rows["MATRICULA"].map(account_key)
    rows["estrato"] = rows["ESTRATO"].map(code)
    rows["comuna"] = rows["COMUNA"].map(comuna)
    return rows


@pytest.fixture(scope="module")
def guia_accounts(guia: pd.DataFrame) -> pd.DataFrame:
    active = guia[~guia["ESTADO"].str.strip().str.upper().isin(INACTIVE)]
    return active.drop_duplicates("cuenta").set_index("cuenta")


@pytest.fixture(scope="module")
def cartera_raw() -> pd.DataFrame:
    return read_raw(CARTERA, "CARTERA")


def is_header_row(row: pd.Series) -> bool:
    return row.iloc[0] == "MATRICULA" or (
        blank(row.iloc[0]) and "EDADES DE CARTERA (DIAS)" in row.tolist()
    )


@pytest.fixture(scope="module")
def cartera_rows(cartera_raw: pd.DataFrame) -> pd.DataFrame:
    """Every row after the title rows, labelled by kind."""
    rows = cartera_raw.iloc[5:].copy()
    rows.columns = CARTERA_HEADERS
    first = rows["MATRICULA"].astype(str)
    kind = pd.Series("linea", index=rows.index)
    kind[rows.isna().all(axis=1)] = "vacia"
    kind[rows.apply(is_header_row, axis=1)] = "encabezado"
    kind[first.str.startswith("SUBTOTAL ESTRATO")] = "subtotal"
    kind[first == "TOTAL GENERAL"] = "total"
    rows["tipo"] = kind
    return rows


@pytest.fixture(scope="module")
def lines(cartera_rows: pd.DataFrame) -> pd.DataFrame:
    """The cartera's data lines, amounts in centavos."""
    data = cartera_rows[cartera_rows["tipo"] == "linea"].copy()
    for column in AMOUNTS:
        data[column + "_c"] = data[column].map(centavos)
    data["cuenta"] = data["MATRICULA"].map(account_key)
    data["dias"] = data["DIAS MORA"].astype(int)
    data["estrato"] = data["ESTRATO"].map(code)
    data["comuna"] = data["COMUNA"].map(comuna)
    return data


@pytest.fixture(scope="module")
def accounts(lines: pd.DataFrame, guia_accounts: pd.DataFrame) -> pd.DataFrame:
    """One row per cartera account, classified by the guía when it is there."""
    positive = lines[lines["SALDO TOTAL_c"] > 0]
    by_account = lines.groupby("cuenta")
    acc = pd.DataFrame(
        {
            "deuda": by_account["SALDO TOTAL_c"].sum(),
            "lineas": by_account.size(),
            "dias": positive.groupby("cuenta")["dias"].max(),
            "estrato_cartera": by_account["estrato"].first(),
            "comuna_cartera": by_account["comuna"].first(),
            "estado_cartera": by_account["ESTADO SERV."].first(),
        }
    )
    acc["dias"] = acc["dias"].fillna(0).astype(int)
    acc["en_guia"] = acc.index.isin(guia_accounts.index)
    known = acc.index[acc["en_guia"]]
    acc["estrato"] = acc["estrato_cartera"]
    acc["comuna"] = acc["comuna_cartera"]
    acc.loc[known, "estrato"] = guia_accounts.loc[known, "estrato"]
    acc.loc[known, "comuna"] = guia_accounts.loc[known, "comuna"]
    acc["uso"] = acc["estrato"].map(USO_BY_ESTRATO)
    acc["edad"] = (acc["dias"] - 1).clip(lower=0) // 30
    return acc


@pytest.fixture(scope="module")
def morosos(accounts: pd.DataFrame) -> pd.DataFrame:
    return accounts[(accounts["deuda"] > 0) & (accounts["dias"] >= 31)]


@pytest.fixture(scope="module")
def encuesta() -> pd.DataFrame:
    return pd.read_excel(
        ENCUESTA,
        sheet_name="Respuestas de formulario 1",
        dtype=object,
        engine="calamine",
    )


# --- Guía --------------------------------------------------------------------


def test_guia_title_rows_and_header(guia_raw: pd.DataFrame) -> None:
    assert guia_raw.iloc[0, 0] == "AGUAS DE BARRANCABERMEJA S.A. E.S.P."
    assert guia_raw.iloc[1, 0] == "GUIA DE USUARIOS ACTIVOS"
    assert guia_raw.iloc[2, 0] == (
        "PERIODO FACTURACION: 202507   FECHA CORTE: 31/07/2025"
    )
    assert str(guia_raw.iloc[3, 0]).startswith("Generado: 04/08/2025")
    assert guia_raw.iloc[4].isna().all()
    assert guia_raw.iloc[5, : len(GUIA_HEADERS)].tolist() == GUIA_HEADERS


def test_guia_total_row_counts_distinct_accounts(guia_raw, guia, ref) -> None:
    last = guia_raw.iloc[-1]
    assert last.iloc[0] == "TOTAL REGISTROS:"
    assert last.iloc[1] == "67.325"
    assert guia_raw.iloc[-3:-1].isna().all(axis=None)

    assert len(guia) == ref["usuarios_por_estrato"]["total"] + 3
    assert guia["cuenta"].nunique() == ref["usuarios_por_estrato"]["total"]
    duplicated = guia[guia.duplicated("cuenta", keep=False)]
    assert duplicated.astype(str).duplicated(keep=False).all()


def test_guia_users_by_comuna_and_estrato(guia_accounts, ref) -> None:
    expected = ref["muestra"]["usuarios_comuna_estrato"]
    table = guia_accounts.groupby(["comuna", "estrato"]).size()
    found = {
        c: {e: int(table.get((c, e), 0)) for e in row} for c, row in expected.items()
    }
    assert found == expected
    assert len(guia_accounts) == sum(table)


def test_guia_users_by_estrato_and_uso(guia_accounts, ref) -> None:
    by_estrato = guia_accounts["estrato"].value_counts().to_dict()
    expected = {k: v for k, v in ref["usuarios_por_estrato"].items() if k != "total"}
    assert by_estrato == expected

    by_uso = guia_accounts["estrato"].map(USO_BY_ESTRATO).value_counts().to_dict()
    assert by_uso == {k: v for k, v in ref["usuarios_por_uso"].items() if k != "total"}
    assert (
        guia_accounts["USO"].map(code) == guia_accounts["estrato"].map(USO_BY_ESTRATO)
    ).all()


def test_guia_estados_are_subscribers(guia_accounts) -> None:
    shares = guia_accounts["ESTADO"].value_counts(normalize=True)
    assert set(shares.index) == {"ACTIVO", "SUSPENDIDO"}
    assert 0.92 <= shares["ACTIVO"] <= 0.94


def test_guia_messiness(guia) -> None:
    matricula = guia["MATRICULA"]
    numeric = matricula.map(lambda v: not isinstance(v, str)).mean()
    assert 0.02 <= numeric <= 0.04
    assert matricula[matricula.map(lambda v: isinstance(v, str))].str.len().eq(7).all()

    formats = guia["COMUNA"].astype(str)
    assert formats.str.startswith("COMUNA ").any()
    assert formats.str.fullmatch(r"0\d").any()
    assert formats.str.fullmatch(r"\d").any()
    assert 0.01 <= (guia["ESTRATO"].astype(str).str.len() == 1).mean() <= 0.03
    assert 0.01 <= (guia["USO"].astype(str) == "1").mean() <= 0.03

    barrios = set(guia["BARRIO"])
    assert {"VILLARELYS UNO", "1 DE MAYO", "COVIBA", "EL CAMPÍN"} & barrios
    assert guia["NOMBRE DEL SUSCRIPTOR"].str.contains("Ã").any()
    dates = guia["FECHA ALTA"]
    assert dates.map(lambda v: isinstance(v, str)).any()
    assert dates.map(lambda v: isinstance(v, dt.datetime)).mean() > 0.5


def test_guia_la_tora_and_las_camelias_in_two_comunas(guia) -> None:
    for barrio in ("LA TORA", "LAS CAMELIAS"):
        assert set(guia.loc[guia["BARRIO"] == barrio, "comuna"]) == {"3", "5"}


def test_guia_consumption_by_estrato(guia_accounts) -> None:
    single = guia_accounts[guia_accounts["UNIDADES"] == 1]
    median = single.groupby("estrato")["CONS. PROM. (M3)"].median()
    for estrato in ("01", "02", "03", "04", "05"):
        assert 12 <= median[estrato] <= 30
    assert median["10"] > median["02"] and median["12"] > median["05"]


def test_guia_juridicas_come_from_nit(guia_accounts) -> None:
    nit = guia_accounts["TIPO ID"] == "NIT"
    assert 1_800 <= nit.sum() <= 2_200
    uso = guia_accounts["estrato"].map(USO_BY_ESTRATO)
    assert nit[uso == "08"].all()


# --- Cartera: layout and per-line invariants ---------------------------------


def test_cartera_title_rows_and_two_row_header(cartera_raw) -> None:
    titles = cartera_raw.iloc[:4, 0].tolist()
    assert titles == [
        "AGUAS DE BARRANCABERMEJA S.A. E.S.P.",
        "CONCILIACION DE CARTERA SIN FINANCIAR",
        "CORTE: 31/07/2025",
        "VALORES EN PESOS",
    ]
    groups = cartera_raw.iloc[5].tolist()
    assert groups[CARTERA_HEADERS.index("0 - 30")] == "EDADES DE CARTERA (DIAS)"
    assert groups[CARTERA_HEADERS.index("CAPITAL ACUEDUCTO")] == "CONCEPTOS"
    assert cartera_raw.iloc[6].tolist() == CARTERA_HEADERS

    with zipfile.ZipFile(CARTERA) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    merged = set(re.findall(r'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"', sheet))
    assert {"Q6:V6", "W6:Z6"} <= merged


def test_cartera_header_repeats_every_60_lines(cartera_rows) -> None:
    kinds = cartera_rows["tipo"].tolist()
    run, runs = 0, []
    for kind in kinds:
        if kind == "linea":
            run += 1
        elif kind == "encabezado" and run:
            runs.append(run)
            run = 0
    assert runs and all(r == 60 for r in runs)
    assert kinds.count("encabezado") == 2 * (len(runs) + 1)


def test_cartera_line_amounts_add_up(lines) -> None:
    total = lines["SALDO TOTAL_c"]
    assert (lines[[a + "_c" for a in AGES]].sum(axis=1) == total).all()
    assert (lines[[c + "_c" for c in CONCEPTS]].sum(axis=1) == total).all()
    movement = (
        lines["SALDO ANTERIOR_c"]
        + lines["FACTURACION MES_c"]
        - lines["RECAUDO MES_c"]
        + lines["NOTAS/AJUSTES_c"]
    )
    assert (movement == total).all()


def test_cartera_ages_agree_with_days(lines) -> None:
    debts = lines[lines["SALDO TOTAL_c"] > 0]
    for first_day, column in zip(AGE_FIRST_DAY, AGES):
        beyond = debts["dias"] < first_day
        assert (debts.loc[beyond, column + "_c"] == 0).all(), column

    oldest = debts["dias"].map(
        lambda d: max(i for i, f in enumerate(AGE_FIRST_DAY) if d >= f)
    )
    amounts = debts[[a + "_c" for a in AGES]].to_numpy()
    assert (amounts[range(len(debts)), oldest.to_numpy()] > 0).all()


def test_cartera_due_date_and_overdue_bills_agree_with_days(lines) -> None:
    dias = lines["dias"]
    expected_bills = ((dias - 1) // 30 + 1).where(dias >= 1, 0)
    assert (lines["FACT. VENC."].astype(int) == expected_bills).all()
    due = lines["FEC. VENC. MAS ANTIGUA"].map(lambda v: v.date())
    assert (due == dias.map(lambda d: CUTOFF - dt.timedelta(days=d))).all()


def test_cartera_subtotals_and_total(cartera_rows, lines) -> None:
    kinds = cartera_rows["tipo"]
    block = (kinds == "subtotal").cumsum().shift(fill_value=0)
    per_block = lines.groupby(block[lines.index])
    subtotals = cartera_rows[kinds == "subtotal"]
    assert subtotals["SALDO TOTAL"].map(centavos).tolist() == (
        per_block["SALDO TOTAL_c"].sum().tolist()
    )
    estratos = per_block["estrato"].agg(lambda e: set(e)).tolist()
    labels = subtotals["MATRICULA"].str.removeprefix("SUBTOTAL ESTRATO ").tolist()
    assert estratos == [{label} for label in labels]
    assert labels == sorted(labels, key=int)

    total = cartera_rows[kinds == "total"]
    assert len(total) == 1 and total.index[0] == cartera_rows.index[-1]
    assert centavos(total["SALDO TOTAL"].iloc[0]) == lines["SALDO TOTAL_c"].sum()


def test_cartera_messiness(lines) -> None:
    cells = lines[AMOUNTS].stack()
    text = cells.map(lambda v: isinstance(v, str)).mean()
    assert 0.01 <= text <= 0.03
    numeric = lines["MATRICULA"].map(lambda v: not isinstance(v, str)).mean()
    assert 0.02 <= numeric <= 0.04
    assert lines["COMUNA"].astype(str).str.startswith("COMUNA").any()


# --- Cartera: the report's figures -------------------------------------------


def assert_amount(found: int, expected: str) -> None:
    """Within one peso of the report (its tables round centavos differently)."""
    assert abs(found - pesos(expected)) < 100, (found, expected)


def test_morosos_summary(morosos, ref) -> None:
    summary = ref["resumen_morosidad"]
    assert len(morosos) == summary["usuarios_morosos"]
    assert morosos["deuda"].sum() == pesos(summary["cartera_morosa"])
    assert morosos["deuda"].max() <= 100_000_000 * 100


@pytest.mark.parametrize(
    "table, column",
    [
        ("morosos_por_estrato", "estrato"),
        ("morosos_por_comuna", "comuna"),
        ("morosos_por_uso", "uso"),
    ],
)
def test_morosos_by_group(morosos, ref, table, column) -> None:
    grouped = morosos.groupby(column)["deuda"].agg(["size", "sum"])
    assert set(grouped.index) == set(ref[table])
    for key, (count, amount) in ref[table].items():
        assert grouped.loc[key, "size"] == count, key
        assert_amount(int(grouped.loc[key, "sum"]), amount)


def test_morosos_by_comuna_and_estrato(morosos, ref) -> None:
    expected = ref["muestra"]["morosos_comuna_estrato"]
    table = morosos.groupby(["comuna", "estrato"]).size()
    found = {
        c: {e: int(table.get((c, e), 0)) for e in row} for c, row in expected.items()
    }
    assert found == expected


def test_estrato_01_average_debt(morosos) -> None:
    average = morosos.loc[morosos["estrato"] == "01", "deuda"].mean() / 100
    assert 1_700_000 <= average <= 1_900_000


def test_cartera_by_edad(morosos, ref) -> None:
    buckets = pd.cut(morosos["edad"], [0, 3, 60, 10_000], labels=["1-3", "4-60", "61+"])
    grouped = morosos.groupby(buckets, observed=True)["deuda"].agg(["size", "sum"])
    for key, (count, amount) in ref["cartera_por_edades_meses"].items():
        assert grouped.loc[key, "size"] == count, key
        assert_amount(int(grouped.loc[key, "sum"]), amount)


def test_segment_0_30(accounts, ref) -> None:
    current = accounts[(accounts["deuda"] > 0) & (accounts["dias"] <= 30)]
    count, amount = ref["segmento_0_30"]
    assert len(current) == count
    assert current["deuda"].sum() == pesos(amount)
    assert (current["dias"] == 0).any()


def test_orphan_moroso_is_not_in_guia(morosos, ref) -> None:
    orphan = ref["muestra"]["moroso_huerfano"]
    outside = morosos[~morosos["en_guia"]]
    assert len(outside) == 1
    row = outside.iloc[0]
    assert (row["estrato"], row["uso"], row["comuna"]) == (
        orphan["estrato"],
        orphan["uso"],
        orphan["comuna"],
    )
    assert row["estado_cartera"] == orphan["estado"]
    assert row["deuda"] == pesos(orphan["deuda"])


def test_boundary_days(accounts, morosos, ref) -> None:
    assert (morosos["dias"] == 31).sum() == ref["muestra"]["morosos_dias_31"]
    debts = accounts[accounts["deuda"] > 0]
    assert (debts["dias"] == 30).sum() == ref["muestra"]["corrientes_dias_30"]


def test_accounts_with_several_lines_and_credits(accounts, lines) -> None:
    assert 0.02 <= (accounts["lineas"] > 1).mean() <= 0.04
    assert (accounts["lineas"] == 3).any()
    assert 50 <= (accounts["deuda"] < 0).sum() <= 70
    netting_to_zero = accounts[(accounts["deuda"] == 0) & (accounts["lineas"] > 1)]
    assert len(netting_to_zero) >= 2

    # Credit lines carry días that must not count: the rule is about lines
    # with a positive balance.
    credits = lines[(lines["SALDO TOTAL_c"] < 0) & (lines["dias"] >= 31)]
    assert len(credits) >= 3


def test_every_cartera_account_is_in_guia_but_the_orphan(accounts) -> None:
    assert (~accounts["en_guia"]).sum() == 1
    assert (
        accounts.loc[accounts["en_guia"], "estrato"]
        == accounts.loc[accounts["en_guia"], "estrato_cartera"]
    ).all()


# --- Encuesta ----------------------------------------------------------------


def indicator(column: pd.Series, scale: list[str] | None, counted: set[str]) -> float:
    values = column.map(lambda v: likert(v, scale) if scale else answer(v))
    valid = values[values != ""]
    return 100 * valid.isin({answer(c) for c in counted}).mean()


def test_encuesta_layout(encuesta) -> None:
    assert encuesta.columns.tolist() == ENCUESTA_HEADERS
    assert len(encuesta) == 400
    assert encuesta["N° encuesta"].tolist() == list(range(1, 401))
    assert encuesta["Marca temporal"].duplicated().sum() == 2
    comunas = encuesta["Comuna"].value_counts()
    assert 2 <= comunas["Corregimiento"] <= 6


def test_encuesta_messiness(encuesta) -> None:
    answers = encuesta[QUESTIONS[:4]].stack()
    digits = answers.map(lambda v: isinstance(v, (int, float))).mean()
    assert 0.07 <= digits <= 0.13
    texts = answers[answers.map(lambda v: isinstance(v, str))]
    assert texts.str.endswith(" ").any() and texts.str.islower().any()
    rows_with_blanks = encuesta[QUESTIONS].map(blank).any(axis=1).mean()
    assert 0.02 <= rows_with_blanks <= 0.04


def test_encuesta_indicators(encuesta, ref) -> None:
    expected = ref["encuesta"]
    p1, p2, _, p4, _, p6, p7 = (encuesta[q] for q in QUESTIONS[:7])
    found = {
        "satisfaccion_general": indicator(
            p1, SATISFACTION, {"Muy satisfecho", "Satisfecho"}
        ),
        "cordialidad": indicator(p2, RATING, {"Excelente", "Buena"}),
        "insatisfaccion_mantenimiento_alcantarillado": indicator(
            p4, RATING, {"Muy mala", "Mala"}
        ),
    }
    both = (p6.map(answer) != "") & (p7.map(answer) != "")
    no_use = (p6[both].map(answer) == "no") | (p7[both].map(answer) == "no, nunca")
    found["no_usa_o_no_conoce_pago_electronico"] = 100 * no_use.mean()
    for key, value in expected.items():
        assert abs(found[key] - value) <= 0.1, key


def test_encuesta_valid_answer_counts(encuesta) -> None:
    valid = encuesta[QUESTIONS[:4]].map(lambda v: not blank(v)).sum().tolist()
    assert valid == [390, 400, 398, 393]
    counts = Counter(encuesta[QUESTIONS[5]].map(answer))
    assert set(counts) == {"si", "no", ""}
