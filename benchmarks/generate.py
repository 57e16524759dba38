"""Generate the benchmark's months: a guía and a cartera of any size.

The months look like the bundled sample month (tools/generate_sample.py,
whose helpers this reuses): the same columns, title rows, a two-row cartera
header repeated every 60 lines, subtotals by estrato, a TOTAL GENERAL,
codes with and without zeros, Colombian text amounts, accounts split over
several lines, saldos a favor, and morosos that are not in the guía. Users
are spread over comunas and estratos in the sample's proportions, and the
cartera keeps its proportions too (about 0.3 lines per account).

Each month also gets `esperado.json`: its headline figures, counted while
generating, which the product and the baseline must both reproduce.

Usage: python benchmarks/generate.py 67k benchmarks/datos/67k
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import logging
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import xlsx_writer as xw  # noqa: E402
from benchmarks.months import EXPECTED, OFFICE_ACCOUNTS, SIZES, Month  # noqa: E402
from tools import generate_sample as gs  # noqa: E402

logger = logging.getLogger(__name__)

SEED = 20250731
SOURCES = ("benchmarks/generate.py", "benchmarks/xlsx_writer.py",
           "tools/generate_sample.py")
CSV_ENCODING = "cp1252"  # what Excel and the commercial system use in Colombia
MONTH_SHARES = {  # of the accounts, as in the sample month
    "corriente": gs.CURRENT_ACCOUNTS / OFFICE_ACCOUNTS,
    "favor": gs.SALDO_A_FAVOR_ACCOUNTS / OFFICE_ACCOUNTS,
    "cero": 2 / OFFICE_ACCOUNTS,
}
MIN_DEBT_CENTS = 1_000 * 100
# Brings the average debt of a moroso near the sample's (1,5 million pesos).
DEBT_SCALE = 0.55


def sources_digest() -> str:
    """Return a digest of the code that shapes the files (to reuse them)."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def ensure_month(name: str, folder: Path) -> Month:
    """Return the month `name`, generating it unless an identical one exists."""
    if OFFICE_ACCOUNTS != gs.TOTAL_USERS:
        raise ValueError("the office's month changed: update benchmarks/months.py")
    month = Month(name, folder)
    stamp = folder / EXPECTED
    if stamp.exists() and month.guia.exists() and month.cartera.exists():
        if month.expected().get("version") == sources_digest():
            return month
    folder.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    started = time.perf_counter()
    expected = generate(month)
    expected["version"] = sources_digest()
    stamp.write_text(json.dumps(expected, indent=1), encoding="utf-8")
    logger.info("mes %s generado en %.0f s", name, time.perf_counter() - started)
    return month


# --- who the users are --------------------------------------------------


def scaled_guia(accounts: int, rng: np.random.Generator) -> pd.DataFrame:
    """Return `accounts` users spread like the sample's over comuna x estrato."""
    cells = [(c, e) for c in gs.COMUNAS for e in gs.ESTRATOS]
    weights = [gs.USERS[c][gs.ESTRATOS.index(e)] for c, e in cells]
    counts = gs.largest_remainder_counts(weights, accounts)
    base = gs.barrio_base_weights(rng)
    parts = []
    for (comuna, estrato), n in zip(cells, counts, strict=True):
        probs = gs.cell_barrio_probs(comuna, estrato, base[comuna])
        idx = rng.choice(len(probs), size=n, p=probs)
        parts.append(pd.DataFrame({"comuna": comuna, "estrato": estrato,
                                   "barrio_idx": idx}))
    guia = pd.concat(parts, ignore_index=True)
    guia["barrio"] = [gs.BARRIOS[c][i] for c, i in
                      zip(guia["comuna"], guia["barrio_idx"], strict=True)]
    guia["uso"] = guia["estrato"].map(gs.USO_BY_ESTRATO)
    informal = {b: gs.is_informal(b) for b in guia["barrio"].unique()}
    guia["informal"] = guia["barrio"].map(informal)

    guia = gs.assign_routes(guia, rng)
    numbers = rng.choice(np.arange(1_000, 1_000 + 4 * accounts), replace=False,
                         size=accounts + orphans_for(accounts))
    guia["matricula"] = numbers[:accounts]
    guia.attrs["orphans"] = numbers[accounts:].tolist()
    guia.attrs["orphan_matricula"] = int(numbers[accounts])
    guia = gs.person_fields(guia, rng)
    guia = gs.property_fields(guia, rng)
    guia["bill"] = [gs.monthly_bill(e, c) for e, c in
                    zip(guia["estrato"], guia["consumo"], strict=True)]
    return guia


def orphans_for(accounts: int) -> int:
    """Morosos in the cartera but not in the guía: one per office's month."""
    return max(1, round(accounts / OFFICE_ACCOUNTS))


# --- who owes what ------------------------------------------------------


def assign_roles(guia: pd.DataFrame, rng: np.random.Generator) -> None:
    """Mark morosos with the sample's propensity by comuna and estrato,
    then current accounts, saldos a favor and net-zero accounts."""
    propensity = {
        (c, e): gs.MOROSOS[c][i] / gs.USERS[c][i]
        for c in gs.COMUNAS for i, e in enumerate(gs.ESTRATOS)
    }
    p = np.array([propensity[k] for k in zip(guia["comuna"], guia["estrato"],
                                             strict=True)])
    role = np.where(rng.random(len(guia)) < p, "moroso", "").astype(object)
    free = np.flatnonzero(role == "")
    sizes = {k: round(share * len(guia)) for k, share in MONTH_SHARES.items()}
    chosen = rng.choice(free, size=sum(sizes.values()), replace=False)
    start = 0
    for kind, size in sizes.items():
        role[chosen[start:start + size]] = kind
        start += size
    guia["role"] = role


def moroso_frame(guia: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Give each moroso an edad bucket, días and a debt that grows with them."""
    mor = guia[guia["role"] == "moroso"][["comuna", "estrato", "bill"]].copy()
    weights = np.array([gs.BUCKET_WEIGHTS[e] for e in mor["estrato"]])
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    draws = rng.random(len(mor))[:, None]
    mor["bucket"] = np.minimum((draws > cumulative).sum(axis=1), 2)
    mor["dias"] = gs.draw_moroso_days(mor["bucket"].to_numpy(), rng)

    months = (mor["dias"].to_numpy() - 1) // 30
    pesos = mor["bill"].to_numpy() * (months + 1) * (1 + 0.012 * months)
    pesos = pesos * DEBT_SCALE * rng.lognormal(0, 0.45, size=len(mor))
    cents = np.rint(pesos).astype(np.int64) * 100
    mor["cents"] = np.clip(cents, MIN_DEBT_CENTS, gs.MAX_DEBT_PESOS * 100)
    return mor


def current_frame(guia: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Accounts not yet in mora: días 0-30, about one or two bills."""
    cur = guia[guia["role"] == "corriente"][["bill"]].copy()
    n = len(cur)
    days = np.where(rng.random(n) < 0.45, 0, rng.integers(1, 30, size=n))
    days[rng.choice(np.flatnonzero(days > 0), size=3, replace=False)] = 30
    pesos = cur["bill"].to_numpy() * rng.lognormal(0, 0.35, size=n)
    pesos *= np.where(days > 0, 1.8, 1.0)
    cur["dias"] = days
    cur["cents"] = np.maximum(np.rint(pesos).astype(np.int64), 1) * 100
    return cur


def orphan_info(guia: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """The cartera's own data of the morosos absent from the guía."""
    info = {}
    for n, matricula in enumerate(guia.attrs["orphans"]):
        info[-1 - n] = {
            "matricula": int(matricula),
            "nombre": "ARDILA  SERRANO LUZ DARY",
            "direccion": f"CR 53 # 31-{12 + n % 80}",
            "barrio": gs.ORPHAN.barrio,
            "comuna": gs.ORPHAN.comuna,
            "ciclo": 10,
            "uso": gs.ORPHAN.uso,
            "estrato": gs.ORPHAN.estrato,
            "bill": 0,
            "servicios": "ACU-ALC",
            "estado": gs.ORPHAN.estado,
        }
    return info


def build_month(accounts: int, rng: np.random.Generator) -> tuple[Any, ...]:
    """Return the guía frame, the cartera lines, the account info and the
    expected headline figures."""
    guia = scaled_guia(accounts, rng)
    assign_roles(guia, rng)
    mor = moroso_frame(guia, rng)
    guia["edad"] = ""
    guia.loc[mor.index, "edad"] = [gs.EDADES[b] for b in mor["bucket"]]
    gs.assign_estado(guia, rng)
    frames = {"moroso": mor, "corriente": current_frame(guia, rng),
              "favor": gs.build_favor(guia, rng)}
    lines = gs.balance_lines(guia, frames, rng)

    info = gs.account_info(guia, rng)
    info.update(orphan_info(guia))
    orphan_cents = gs.ORPHAN.pesos * 100
    lines += [gs.Line(acc, orphan_cents, gs.ORPHAN.dias)
              for acc in info if acc < 0]
    orphans = sum(1 for acc in info if acc < 0)
    morosa = int(mor["cents"].sum()) + orphans * orphan_cents
    expected = {
        "cuentas": accounts,
        "lineas_cartera": len(lines),
        "usuarios_activos": accounts,
        "usuarios_morosos": len(mor) + orphans,
        "cartera_morosa": str(Decimal(morosa) / 100),
    }
    return guia, lines, info, expected


# --- rows as the files print them -----------------------------------------


def guia_title_rows(accounts: int) -> list[list[Any]]:
    return [
        [gs.COMPANY],
        ["GUIA DE USUARIOS ACTIVOS"],
        ["PERIODO FACTURACION: 202507   FECHA CORTE: 31/07/2025"],
        ["Generado: 04/08/2025 07:45:12  Usuario: SCOMERCIAL01"],
        [],
    ]


def guia_total_rows(accounts: int) -> list[list[Any]]:
    return [[], [], ["TOTAL REGISTROS:", gs.colombian_number(accounts * 100)]]


def cartera_rows(
    lines: list[Any], info: dict[int, dict[str, Any]], rng: np.random.Generator
) -> Iterator[tuple[str, list[Any]]]:
    """Yield every row of the cartera sheet with its kind (streaming
    version of the sample generator's `cartera_rows`)."""
    yield from [
        ("titulo", [gs.COMPANY]),
        ("texto", ["CONCILIACION DE CARTERA SIN FINANCIAR"]),
        ("texto", ["CORTE: 31/07/2025"]),
        ("texto", ["VALORES EN PESOS"]),
        ("vacia", []),
        ("grupos", []),
        ("encabezado", list(gs.CARTERA_HEADERS)),
    ]
    grand = np.zeros(len(gs.AMOUNT_COLUMNS), dtype=np.int64)
    written = 0
    for estrato, block in gs.estrato_blocks(lines, info):
        sums = np.zeros(len(gs.AMOUNT_COLUMNS), dtype=np.int64)
        for line in block:
            if written and written % gs.HEADER_EVERY == 0:
                yield "grupos", []
                yield "encabezado", list(gs.CARTERA_HEADERS)
            fields, amounts = gs.cartera_line(line, info[line.account], rng)
            draws = rng.random(len(amounts)).tolist()
            messy = [gs.messy_amount(c, u) for c, u in zip(amounts, draws,
                                                          strict=True)]
            yield "linea", fields + messy
            sums += np.array(amounts, dtype=np.int64)
            written += 1
        yield "total", [f"SUBTOTAL ESTRATO {estrato}", *sums.tolist()]
        grand += sums
    yield "vacia", []
    yield "total", ["TOTAL GENERAL", *grand.tolist()]


FIRST_AMOUNT = gs.CARTERA_HEADERS.index(gs.AMOUNT_COLUMNS[0])


def group_cells() -> list[Any]:
    """The first header row: group titles over the ages and the concepts."""
    values: list[Any] = [None] * len(gs.CARTERA_HEADERS)
    for label, columns in gs.CARTERA_GROUPS:
        values[gs.CARTERA_HEADERS.index(columns[0])] = label
    return values


def total_cells(values: list[Any]) -> list[Any]:
    gap = [None] * (FIRST_AMOUNT - 1)
    return [values[0], *gap, *(gs.excel_amount(c) for c in values[1:])]


# --- writing .xlsx ----------------------------------------------------------


def write_guia_xlsx(path: Path, rows: list[list[Any]], accounts: int) -> None:
    width = len(gs.GUIA_HEADERS)
    with xw.SheetWriter(path, "GUIA") as sheet:
        titles = guia_title_rows(accounts)
        sheet.append(titles[0], [xw.BOLD])
        sheet.merge("A", "Y")
        for values in titles[1:]:
            sheet.append(values)
        sheet.append(gs.GUIA_HEADERS, [xw.BOLD] * width)
        for values in rows:
            sheet.append(values)
        for values in guia_total_rows(accounts):
            sheet.append(values)


def write_cartera_xlsx(path: Path, rows: Iterator[tuple[str, list[Any]]]) -> None:
    width = len(gs.CARTERA_HEADERS)
    line_styles = [xw.PLAIN] * FIRST_AMOUNT + [xw.AMOUNT] * (width - FIRST_AMOUNT)
    line_styles[FIRST_AMOUNT - 1] = xw.DATE
    total_styles = [xw.BOLD] + [xw.BOLD_AMOUNT] * (width - 1)
    letters = xw.column_letters(width)
    with xw.SheetWriter(path, "CARTERA") as sheet:
        for kind, values in rows:
            if kind in ("titulo", "encabezado"):
                sheet.append(values, [xw.BOLD] * len(values))
            elif kind == "grupos":
                sheet.append(group_cells(), [xw.BOLD_CENTER] * width)
                for _, columns in gs.CARTERA_GROUPS:
                    first = gs.CARTERA_HEADERS.index(columns[0])
                    last = gs.CARTERA_HEADERS.index(columns[-1])
                    sheet.merge(letters[first], letters[last])
            elif kind == "linea":
                sheet.append(values, line_styles)
            elif kind == "total":
                sheet.append(total_cells(values), total_styles)
            else:
                sheet.append(values)


# --- writing .csv -------------------------------------------------------------


def csv_value(value: Any) -> Any:
    """A cell as a Colombian CSV export prints it: dd/mm/yyyy, decimal comma."""
    if value is None or value != value:  # NaN: blank
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return value


def _csv_writer(path: Path) -> tuple[Any, Any]:
    handle = open(path, "w", encoding=CSV_ENCODING, errors="replace", newline="")
    return handle, csv.writer(handle, delimiter=";", lineterminator="\r\n")


def write_guia_csv(path: Path, rows: list[list[Any]], accounts: int) -> None:
    handle, writer = _csv_writer(path)
    with handle:
        writer.writerows(guia_title_rows(accounts))
        writer.writerow(gs.GUIA_HEADERS)
        writer.writerows([csv_value(v) for v in row] for row in rows)
        writer.writerows(guia_total_rows(accounts))


def write_cartera_csv(path: Path, rows: Iterator[tuple[str, list[Any]]]) -> None:
    handle, writer = _csv_writer(path)
    with handle:
        for kind, values in rows:
            if kind == "grupos":
                values = group_cells()
            elif kind == "total":
                values = total_cells(values)
            writer.writerow([csv_value(v) for v in values])


def generate(month: Month) -> dict[str, Any]:
    """Write the month's guía and cartera; return its expected figures."""
    rng = np.random.default_rng(SEED + month.accounts)
    guia, lines, info, expected = build_month(month.accounts, rng)
    logger.info("%s: %d cuentas y %d líneas de cartera; escribiendo",
                month.name, month.accounts, len(lines))
    rows = gs.guia_rows(guia, rng)
    if month.fmt == "xlsx":
        write_guia_xlsx(month.guia, rows, month.accounts)
    else:
        write_guia_csv(month.guia, rows, month.accounts)
    del rows
    cartera = cartera_rows(lines, info, rng)
    if month.fmt == "xlsx":
        write_cartera_xlsx(month.cartera, cartera)
    else:
        write_cartera_csv(month.cartera, cartera)
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    month = ensure_month(args.size, args.folder)
    print(json.dumps(month.expected(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
