"""The obvious alternative: an analyst's pandas + openpyxl script.

It computes the characterization tables from the same guía and cartera
files, the way someone who knows pandas would write it in an afternoon:
`read_excel` (openpyxl) or `read_csv` with text columns, a few string
clean-ups, `groupby`, and `to_excel`. It knows the files' layout (where the
header is, the repeated headers, the TOTAL rows) instead of finding it, and
checks nothing. It prints the headline figures as JSON on stdout so the
benchmark can compare them with the product's.

Usage: python benchmarks/baseline_pandas.py GUIA CARTERA SALIDA.xlsx
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

INACTIVE = {"RETIRADO", "INACTIVO", "CANCELADO", "ANULADO"}
USO_BY_ESTRATO = {"01": "01", "02": "01", "03": "01", "04": "01", "05": "01",
                  "06": "01", "10": "03", "11": "03", "12": "03", "90": "08",
                  "91": "08", "09": "13"}
THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")


def read(path: Path, header_row: int) -> pd.DataFrame:
    """Read a sheet or CSV with every column as text (keeps the zeros)."""
    if path.suffix.lower() == ".csv":
        return pd.read_csv(path, sep=";", encoding="cp1252", dtype=str,
                           skiprows=header_row, keep_default_na=False,
                           na_values=[""])
    return pd.read_excel(path, header=header_row, dtype=str, engine="openpyxl")


def account(values: pd.Series) -> pd.Series:
    text = values.str.strip().str.replace(r"\.0$", "", regex=True)
    return text.str.lstrip("0")


def code(values: pd.Series) -> pd.Series:
    digits = values.str.extract(r"(\d+)", expand=False)
    return digits.str.zfill(2)


def comuna(values: pd.Series) -> pd.Series:
    return values.str.extract(r"(\d+)", expand=False).astype(float).astype("Int64")


def money(value: str | float) -> float:
    """Read `1583160`, `1583160.5` or Colombian text `1.583.160,50`."""
    if not isinstance(value, str):
        return 0.0
    text = value.replace("$", "").replace(" ", "")
    if THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def load_guia(path: Path) -> pd.DataFrame:
    guia = read(path, header_row=5)
    guia = guia[guia["MATRICULA"].notna()]
    guia = guia[~guia["MATRICULA"].str.upper().str.startswith("TOTAL")]
    guia["cuenta"] = account(guia["MATRICULA"])
    guia = guia.drop_duplicates("cuenta")
    guia["estrato"] = code(guia["ESTRATO"])
    guia["uso"] = code(guia["USO"]).fillna(guia["estrato"].map(USO_BY_ESTRATO))
    guia["comuna"] = comuna(guia["COMUNA"])
    guia["barrio"] = guia["BARRIO"].str.strip().str.upper()
    return guia[~guia["ESTADO"].str.strip().str.upper().isin(INACTIVE)]


def load_cartera(path: Path) -> pd.DataFrame:
    cartera = read(path, header_row=6)
    first = cartera["MATRICULA"].fillna("").str.upper()
    keep = (first != "") & (first != "MATRICULA") & ~first.str.contains("TOTAL")
    cartera = cartera[keep].copy()
    cartera["cuenta"] = account(cartera["MATRICULA"])
    cartera["deuda"] = cartera["SALDO TOTAL"].map(money)
    cartera["dias"] = cartera["DIAS MORA"].astype(float)
    return cartera


def accounts(cartera: pd.DataFrame, guia: pd.DataFrame) -> pd.DataFrame:
    """One row per account: net debt, días of its positive lines, its data."""
    cartera["dias_positivos"] = cartera["dias"].where(cartera["deuda"] > 0)
    own = cartera.groupby("cuenta").agg(
        deuda=("deuda", "sum"), dias=("dias_positivos", "max"),
        estrato_c=("ESTRATO", "first"), uso_c=("USO", "first"),
        comuna_c=("COMUNA", "first"), barrio_c=("BARRIO", "first"),
    ).reset_index()
    merged = own.merge(guia[["cuenta", "estrato", "uso", "comuna", "barrio"]],
                       on="cuenta", how="left")
    missing = merged["estrato"].isna()
    merged.loc[missing, "estrato"] = code(merged.loc[missing, "estrato_c"])
    merged.loc[missing, "uso"] = code(merged.loc[missing, "uso_c"])
    merged.loc[missing, "comuna"] = comuna(merged.loc[missing, "comuna_c"])
    merged.loc[missing, "barrio"] = merged.loc[missing, "barrio_c"].str.upper()
    merged["deuda"] = merged["deuda"].round(2)
    return merged


def share(table: pd.DataFrame, column: str) -> pd.DataFrame:
    table[f"porcentaje_{column}"] = (100 * table[column] / table[column].sum()).round(1)
    return table


def tables(guia: pd.DataFrame, cuentas: pd.DataFrame) -> dict[str, pd.DataFrame]:
    out = {}
    for field in ("uso", "estrato", "comuna"):
        counts = guia[field].value_counts().sort_index().rename("usuarios")
        out[f"usuarios_por_{field}"] = share(counts.reset_index(), "usuarios")

    morosos = cuentas[(cuentas["deuda"] > 0) & (cuentas["dias"] >= 31)].copy()
    for keys in (["estrato"], ["uso"], ["comuna"], ["comuna", "barrio"]):
        grouped = morosos.groupby(keys).agg(usuarios=("cuenta", "count"),
                                            deuda=("deuda", "sum"))
        name = f"morosos_por_{keys[-1]}"
        out[name] = share(grouped.reset_index(), "deuda")
    rate = out["morosos_por_comuna"].merge(out["usuarios_por_comuna"], on="comuna")
    out["morosos_por_comuna"]["tasa_morosidad"] = (
        100 * rate["usuarios_x"] / rate["usuarios_y"]).round(1)

    months = (morosos["dias"] - 1) // 30
    morosos["edad"] = pd.cut(months, [0, 3, 60, np.inf], labels=["1-3", "4-60", "61+"])
    out["cartera_por_edades"] = by_group(morosos, "edad")

    con_saldo = cuentas[cuentas["deuda"] > 0].copy()
    con_saldo["segmento"] = pd.cut(con_saldo["dias"].fillna(0),
                                   [-1, 30, 60, 120, np.inf],
                                   labels=["0-30", "31-60", "61-120", "121+"])
    out["segmentos_por_atraso"] = by_group(con_saldo, "segmento")
    return out


def by_group(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    grouped = frame.groupby(column, observed=True).agg(
        usuarios=("cuenta", "count"), deuda=("deuda", "sum"))
    return share(grouped.reset_index(), "deuda")


def main(argv: list[str]) -> int:
    guia_path, cartera_path, output = (Path(a) for a in argv[1:4])
    guia = load_guia(guia_path)
    cuentas = accounts(load_cartera(cartera_path), guia)
    result = tables(guia, cuentas)
    with pd.ExcelWriter(output, engine="openpyxl") as writer:
        for name, table in result.items():
            table.to_excel(writer, sheet_name=name[:31], index=False)

    morosos = result["morosos_por_estrato"]
    print(json.dumps({
        "usuarios_activos": len(guia),
        "usuarios_morosos": int(morosos["usuarios"].sum()),
        "cartera_morosa": f"{morosos['deuda'].sum():.2f}",
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
