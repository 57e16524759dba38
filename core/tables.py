"""The result tables (DESIGN.md section 5) and the headline summary."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from core.formatting import centavos_to_pesos, largest_remainder, round_half_up, share
from core.model import ColumnKind, Summary, Table
from core.rules import SIN_DATO, Accounts, Users, cartera_age_labels, segment_labels
from core.settings import Settings

SIN_DESCRIPCION = "sin descripción"
SIN_BARRIO = "SIN BARRIO"
SIN_CODIGO = "sin código"


def rate(part: int | Decimal, whole: int | Decimal, places: int = 1) -> Decimal | None:
    """Return a stand-alone percentage, rounded half up, or None without a whole."""
    value = share(part, whole)
    return None if value is None else round_half_up(value, places)


def _code_order(code: str) -> tuple[int, float, str]:
    text = str(code)
    if text.isdigit():
        return (0, float(text), text)
    return (1, 0.0, text)


def _describe(code: str, catalog: dict[str, str]) -> str:
    return catalog.get(code, SIN_DESCRIPCION)


def _keys(series: pd.Series, missing: str) -> pd.Series:
    return series.astype("string").fillna(missing)


def _users_table(
    table_id: str,
    titulo: str,
    keys: pd.Series,
    catalog: dict[str, str] | None,
    key_column: str = "codigo",
) -> Table:
    counts = keys.value_counts()
    codes = sorted(counts.index, key=_code_order)
    values = [int(counts[c]) for c in codes]
    shares = largest_remainder(values)

    rows: list[list[Any]] = []
    for code, value, pct in zip(codes, values, shares, strict=True):
        row: list[Any] = [code]
        if catalog is not None:
            row.append(_describe(code, catalog))
        rows.append([*row, value, pct])

    columns = [key_column] + (["descripcion"] if catalog is not None else [])
    kinds: list[ColumnKind] = ["texto"] * len(columns)
    total = ["TOTAL"] + [""] * (len(columns) - 1) + [sum(values), Decimal("100.0")]
    return Table(
        id=table_id,
        titulo=titulo,
        columnas=[*columns, "usuarios", "porcentaje"],
        tipos=[*kinds, "conteo", "porcentaje"],
        filas=rows,
        total=total,
    )


def _debt_groups(
    morosos: pd.DataFrame, by: Sequence[str], order: Callable[[Any], Any]
) -> list[tuple[Any, int, int]]:
    grouped = morosos.groupby(list(by), sort=False, dropna=False)["deuda"]
    counts, debts = grouped.size(), grouped.sum()
    groups = [
        (key, int(n), int(debt))
        for key, n, debt in zip(counts.index, counts.to_numpy(), debts.to_numpy(),
                                strict=True)
    ]
    return sorted(groups, key=lambda group: order(group[0]))


def _debt_table(
    table_id: str,
    titulo: str,
    key_columns: list[str],
    groups: list[tuple[Any, int, int]],
    describe: Callable[[Any], list[Any]],
) -> Table:
    shares = largest_remainder([d for _, _, d in groups])
    rows = [
        [*describe(key), n, centavos_to_pesos(debt), pct]
        for (key, n, debt), pct in zip(groups, shares, strict=True)
    ]
    total_n = sum(n for _, n, _ in groups)
    total_debt = centavos_to_pesos(sum(d for _, _, d in groups))
    blanks = [""] * (len(key_columns) - 1)
    return Table(
        id=table_id,
        titulo=titulo,
        columnas=[*key_columns, "usuarios", "deuda", "porcentaje_deuda"],
        tipos=["texto"] * len(key_columns) + ["conteo", "pesos", "porcentaje"],
        filas=rows,
        total=["TOTAL", *blanks, total_n, total_debt, Decimal("100.0")],
    )


def _copy(table: Table) -> Table:
    """A table whose rows can be changed without touching `table`'s."""
    return dataclasses.replace(
        table,
        columnas=list(table.columnas),
        tipos=list(table.tipos),
        filas=[list(row) for row in table.filas],
        total=None if table.total is None else list(table.total),
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.upper().replace(".", " ").split())


def _barrio_names(barrio: pd.Series) -> tuple[pd.Series, dict[str, str]]:
    """Return a folded key per barrio and the most common spelling of each key."""
    names = barrio.astype("string").str.strip().str.upper().fillna(SIN_BARRIO)
    folded = {name: _fold(name) for name in names.unique()}
    keys = names.map(folded)
    counts = pd.DataFrame({"key": keys, "name": names}).value_counts()
    spelling: dict[str, str] = {}
    for (key, name), _ in counts.items():  # most common first
        spelling.setdefault(key, name)
    return keys, spelling


class TableBuilder:
    """Build every result table of a month from its users and accounts."""

    def __init__(self, users: Users, accounts: Accounts, settings: Settings) -> None:
        self.settings = settings
        self.active = users.active
        self.accounts = accounts.frame
        self.morosos = self.accounts[self.accounts["moroso"]].copy()
        self.uso_catalog = settings.catalog("uso")
        self.estrato_catalog = settings.catalog("estrato")
        self._barrios: Table | None = None

    def summary(self) -> Summary:
        deuda = self.accounts["deuda"]
        usuarios = len(self.active)
        morosos = len(self.morosos)
        cartera_morosa = centavos_to_pesos(int(self.morosos["deuda"].sum()))
        average = None
        if morosos:
            average = round_half_up(cartera_morosa / morosos, 2)
        return Summary(
            usuarios_activos=usuarios,
            usuarios_morosos=morosos,
            porcentaje_morosos=rate(morosos, usuarios),
            cartera_morosa=cartera_morosa,
            deuda_promedio=average,
            cuentas_con_saldo=int((deuda > 0).sum()),
            cartera_total=centavos_to_pesos(int(deuda[deuda > 0].sum())),
            saldo_a_favor=centavos_to_pesos(int(-deuda[deuda < 0].sum())),
        )

    def all(self) -> dict[str, Table]:
        tables = [
            self.usuarios_por_uso(),
            self.usuarios_por_estrato(),
            self.usuarios_por_comuna(),
            self.usuarios_por_tipo_persona(),
            self.consumo("estrato", self.estrato_catalog),
            self.consumo("uso", self.uso_catalog),
            self.morosos_por_codigo("estrato", self.estrato_catalog),
            self.morosos_por_codigo("uso", self.uso_catalog),
            self.morosos_por_comuna(),
            self.morosos_por_barrio(),
            self.barrios_mas_morosos(),
            self.barrios_mas_deuda(),
            self.cartera_por_edades(),
            self.segmentos_por_atraso(),
            self.oferta_institucional(),
        ]
        return {table.id: table for table in tables}

    # Users (the guía's active accounts)

    def usuarios_por_uso(self) -> Table:
        return _users_table(
            "usuarios_por_uso",
            "Usuarios activos por uso",
            _keys(self.active["uso"], SIN_CODIGO),
            self.uso_catalog,
        )

    def usuarios_por_estrato(self) -> Table:
        return _users_table(
            "usuarios_por_estrato",
            "Usuarios activos por estrato",
            _keys(self.active["estrato"], SIN_CODIGO),
            self.estrato_catalog,
        )

    def usuarios_por_comuna(self) -> Table:
        return _users_table(
            "usuarios_por_comuna",
            "Usuarios activos por comuna",
            _keys(self.active["comuna"], SIN_CODIGO),
            None,
            key_column="comuna",
        )

    def usuarios_por_tipo_persona(self) -> Table:
        labels = {"NATURAL": "Natural", "JURIDICA": "Jurídica"}
        keys = _keys(self.active["tipo_persona"], SIN_DATO)
        keys = keys.map({k: labels.get(k, k) for k in keys.unique()})
        return _users_table(
            "usuarios_por_tipo_persona",
            "Usuarios activos por tipo de persona",
            keys,
            None,
            key_column="tipo_persona",
        )

    def consumo(self, field: str, catalog: dict[str, str]) -> Table:
        data = self.active[[field, "consumo"]].copy()
        data[field] = _keys(data[field], SIN_CODIGO)
        data["consumo"] = pd.to_numeric(data["consumo"], errors="coerce")
        grouped = data.dropna(subset=["consumo"]).groupby(field)["consumo"]
        rows = []
        for code in sorted(grouped.groups, key=_code_order):
            values = grouped.get_group(code)
            rows.append([
                code,
                _describe(code, catalog),
                int(values.size),
                round_half_up(float(values.mean()), 1),
                round_half_up(float(values.median()), 1),
            ])
        measured = data["consumo"].dropna()
        total = None
        if len(measured):
            total = [
                "TOTAL",
                "",
                int(measured.size),
                round_half_up(float(measured.mean()), 1),
                round_half_up(float(measured.median()), 1),
            ]
        return Table(
            id=f"consumo_por_{field}",
            titulo=f"Consumo promedio y mediano (m³) por {field}",
            columnas=["codigo", "descripcion", "usuarios", "consumo_promedio",
                      "consumo_mediana"],
            tipos=["texto", "texto", "conteo", "decimal", "decimal"],
            filas=rows,
            total=total,
            nota="Usuarios activos con consumo promedio registrado en la guía.",
        )

    # Morosos (the cartera's accounts with deuda > 0 and días ≥ 31)

    def morosos_por_codigo(self, field: str, catalog: dict[str, str]) -> Table:
        keys = _keys(self.morosos[field], SIN_CODIGO)
        keyed = self.morosos.assign(**{field: keys})
        groups = _debt_groups(keyed, [field], _code_order)
        return _debt_table(
            f"morosos_por_{field}",
            f"Usuarios morosos y deuda por {field}",
            ["codigo", "descripcion"],
            groups,
            lambda code: [code, _describe(code, catalog)],
        )

    def morosos_por_comuna(self) -> Table:
        keys = _keys(self.morosos["comuna"], SIN_CODIGO)
        groups = _debt_groups(self.morosos.assign(comuna=keys), ["comuna"], _code_order)
        table = _debt_table(
            "morosos_por_comuna",
            "Usuarios morosos, deuda y tasa de morosidad por comuna",
            ["comuna"],
            groups,
            lambda code: [code],
        )
        users = _keys(self.active["comuna"], SIN_CODIGO).value_counts()
        for row in table.filas:
            row.append(rate(row[1], int(users.get(row[0], 0))))
        assert table.total is not None
        table.total.append(rate(len(self.morosos), len(self.active)))
        table.columnas.append("tasa_morosidad")
        table.tipos.append("porcentaje")
        table.nota = (
            "Tasa de morosidad: morosos de la comuna / usuarios activos de la "
            "comuna; «—» donde la comuna no tiene usuarios activos."
        )
        return table

    def morosos_por_barrio(self) -> Table:
        if self._barrios is None:  # the top-10 tables derive from it too
            self._barrios = self._morosos_por_barrio()
        return _copy(self._barrios)

    def _morosos_por_barrio(self) -> Table:
        keys, spelling = _barrio_names(self.morosos["barrio"])
        data = self.morosos.assign(
            comuna=_keys(self.morosos["comuna"], SIN_CODIGO), barrio_key=keys
        )
        groups = _debt_groups(
            data,
            ["comuna", "barrio_key"],
            lambda k: (_code_order(k[0]), k[1]),
        )
        return _debt_table(
            "morosos_por_barrio",
            "Usuarios morosos y deuda por barrio",
            ["comuna", "barrio"],
            groups,
            lambda key: [key[0], spelling[key[1]]],
        )

    def barrios_mas_morosos(self) -> Table:
        return top_barrios(self.morosos_por_barrio(), "barrios_mas_morosos")

    def barrios_mas_deuda(self) -> Table:
        return top_barrios(self.morosos_por_barrio(), "barrios_mas_deuda")

    def cartera_por_edades(self) -> Table:
        labels = cartera_age_labels(self.settings)
        groups = _debt_groups(self.morosos, ["edad_cartera"], labels.index)
        return _debt_table(
            "cartera_por_edades",
            "Cartera morosa por edad (meses)",
            ["edad"],
            groups,
            lambda label: [label],
        )

    def _segment_order(self) -> list[str]:
        return [*segment_labels(self.settings.segmentos_dias), SIN_DATO]

    def segmentos_por_atraso(self) -> Table:
        with_debt = self.accounts[self.accounts["deuda"] > 0]
        order = self._segment_order()
        groups = _debt_groups(with_debt, ["segmento"], order.index)
        table = _debt_table(
            "segmentos_por_atraso",
            "Cuentas con saldo por segmento de atraso (días)",
            ["segmento"],
            groups,
            lambda label: [label],
        )
        table.nota = "Todas las cuentas con deuda mayor que cero."
        return table

    def oferta_institucional(self) -> Table:
        segments = self.settings.segmentos
        labels = segment_labels(self.settings.segmentos_dias)
        by_label = {row[0]: row for row in self.segmentos_por_atraso().filas}
        rows = []
        for i, label in enumerate(labels):
            n, debt, pct = by_label.get(label, [label, 0, Decimal(0), None])[1:]
            rows.append([
                label,
                segments["nombres"][i],
                segments["necesidades"][i],
                segments["acciones"][i],
                segments["herramientas"][i],
                n,
                debt,
                pct,
            ])
        return Table(
            id="oferta_institucional",
            titulo="Segmentos y oferta institucional",
            columnas=["segmento", "nombre", "necesidad", "oferta", "herramienta",
                      "usuarios", "deuda", "porcentaje_deuda"],
            tipos=["texto"] * 5 + ["conteo", "pesos", "porcentaje"],
            filas=rows,
        )


# Top barrios, derived from `morosos_por_barrio` so that they read exactly
# like it. They are not in `TableBuilder.all()` yet: the app has no place for
# them; the report derives them itself.

TOP_BARRIOS = 10
TOP_BARRIO_TABLES = {
    "barrios_mas_morosos": ("usuarios", "Los {n} barrios con más usuarios morosos"),
    "barrios_mas_deuda": ("deuda", "Los {n} barrios con mayor deuda morosa"),
}


def top_barrios(barrios: Table, table_id: str, n: int = TOP_BARRIOS) -> Table:
    """Return the `n` barrios of `barrios` with the most morosos or debt.

    Ties keep the order of `barrios` (by comuna and name). Shares stay those
    of the whole cartera morosa, so the rows read as in the full table.
    """
    column, title = TOP_BARRIO_TABLES[table_id]
    key = barrios.columnas.index(column)
    other = barrios.columnas.index("deuda" if column == "usuarios" else "usuarios")
    rows = sorted(
        barrios.filas, key=lambda row: (-(row[key] or 0), -(row[other] or 0))
    )
    return Table(
        id=table_id,
        titulo=title.format(n=min(n, len(rows))),
        columnas=list(barrios.columnas),
        tipos=list(barrios.tipos),
        filas=[list(row) for row in rows[:n]],
        nota="% de la deuda: parte de la cartera morosa total.",
    )

