"""The rules of the characterization (DESIGN.md section 3), on loaded frames.

`users_frame` turns the guía into one row per account with its derived
fields; `accounts_frame` turns the cartera's lines into one row per account
with its debt, días, segment and classification. Amounts are integer
centavos throughout.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.settings import Settings

logger = logging.getLogger(__name__)

SIN_DATO = "sin dato"
CLASS_FIELDS = ("estrato", "uso", "comuna", "barrio")
CONTACT_FIELDS = (
    "cuenta_texto", "nombre", "direccion", "telefono", "correo", "ciclo", "ruta",
)


@dataclass
class Users:
    """The guía, one row per account, with the rows that were set aside."""

    frame: pd.DataFrame  # every distinct account, with `activo`
    duplicates: pd.DataFrame  # the guía rows dropped as repeated accounts
    without_key: pd.DataFrame  # guía rows with no account code

    @property
    def active(self) -> pd.DataFrame:
        return self.frame[self.frame["activo"]]


@dataclass
class Accounts:
    """The cartera, one row per account, with what could not be placed."""

    frame: pd.DataFrame
    lines_without_key: pd.DataFrame
    days_disagree: pd.DataFrame  # lines whose días and months disagree
    ages_disagree: pd.DataFrame  # accounts whose amount-by-age columns differ


def segment_labels(edges: list[int]) -> list[str]:
    """Return `["0-30", "31-60", "61-120", "121+"]` for edges `[30, 60, 120]`."""
    labels, low = [], 0
    for edge in edges:
        labels.append(f"{low}-{edge}")
        low = edge + 1
    labels.append(f"{low}+")
    return labels


def age_labels(edges: list[int], first_month: int) -> list[str]:
    """Return `["1-3", "4-60", "61+"]` for edges `[3, 60]` starting at month 1."""
    labels, low = [], first_month
    for edge in edges:
        labels.append(f"{low}-{edge}")
        low = edge + 1
    labels.append(f"{low}+")
    return labels


def cartera_age_labels(settings: Settings) -> list[str]:
    """Return the edad de cartera labels in force, starting at the moroso's month."""
    first = max(1, (settings.dias_moroso - 1) // 30)
    return age_labels(settings.edades_meses, first)


def months_from_days(days: pd.Series) -> pd.Series:
    """Edad en meses = floor((días − 1) / 30) for días ≥ 1, else 0."""
    months = (days - 1) // 30
    return months.where(days.isna() | (days >= 1), 0)


def _derive_uso(estrato: pd.Series, uso: pd.Series, settings: Settings) -> pd.Series:
    by_estrato = estrato.map(settings.catalog("uso_por_estrato"))
    return uso.fillna(by_estrato)


def _stripped_upper(values: pd.Series) -> pd.Series:
    """`str.strip().str.upper()`, worked out once per distinct value (the
    columns it is for hold a handful of states and document types)."""
    text = values.astype("string")
    codes, uniques = pd.factorize(text.to_numpy(dtype=object, na_value=None))
    tidy = np.array([u.strip().upper() for u in uniques] + [None], dtype=object)
    return pd.Series(tidy[codes], index=values.index, dtype="string")


def _derive_tipo_persona(frame: pd.DataFrame, settings: Settings) -> pd.Series:
    doc_type = _stripped_upper(frame["tipo_documento"])
    juridica = doc_type.isin(settings.documentos_juridica).fillna(False)
    derived = pd.Series(
        np.where(juridica, "JURIDICA", "NATURAL"), index=frame.index, dtype="string"
    )
    return frame["tipo_persona"].astype("string").fillna(derived)


def users_frame(guia: pd.DataFrame, settings: Settings) -> Users:
    """Return the guía's distinct accounts with uso, tipo de persona and activo."""
    has_key = guia["cuenta"].notna()
    without_key = guia[~has_key]
    keyed = guia[has_key]

    repeated = keyed.duplicated("cuenta", keep="first")
    duplicates = keyed[repeated]
    frame = keyed[~repeated].copy()

    frame["uso"] = _derive_uso(frame["estrato"], frame["uso"], settings)
    frame["tipo_persona"] = _derive_tipo_persona(frame, settings)
    estado = _stripped_upper(frame["estado"])
    frame["activo"] = ~estado.isin(settings.estados_inactivos).fillna(False)

    logger.debug(
        "guía: %d cuentas, %d filas repetidas, %d sin cuenta",
        len(frame), len(duplicates), len(without_key),
    )
    return Users(frame.reset_index(drop=True), duplicates, without_key)


def _line_days(lines: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return each line's días (días win over months) and where they disagree."""
    days = lines["dias"].astype("Int64").clip(lower=0)
    months = lines["meses"].astype("Int64")
    from_bills = (lines["facturas"].astype("Int64") - 1).clip(lower=0)
    months = months.fillna(from_bills)

    given_months = months.notna()
    disagree = days.notna() & given_months & (months_from_days(days) != months)
    days = days.fillna(months * 30 + 1)
    return days, disagree.fillna(False).astype(bool)


def _first_valid(lines: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    return lines.groupby("cuenta", sort=False)[list(columns)].first()


def accounts_frame(
    cartera: pd.DataFrame, users: Users, settings: Settings
) -> Accounts:
    """Return one row per cartera account: debt, días, segment, classification."""
    readable = cartera[cartera["deuda"].notna()]
    has_key = readable["cuenta"].notna()
    lines_without_key = readable[~has_key]
    lines = readable[has_key].copy()

    lines["dias_efectivos"], disagree = _line_days(lines)
    days_disagree = lines[disagree]
    positive = lines["deuda"] > 0
    lines["dias_positivos"] = lines["dias_efectivos"].where(positive)

    grouped = lines.groupby("cuenta", sort=False)
    frame = pd.DataFrame({
        "deuda": grouped["deuda"].sum().astype("int64"),
        "dias": grouped["dias_positivos"].max().astype("Int64"),
        "lineas": grouped.size(),
        "edades_suma": grouped["edades_suma"].sum(min_count=1),
    })
    own = _first_valid(lines, CLASS_FIELDS + CONTACT_FIELDS + ("estado",))
    frame = frame.join(own.add_suffix("_cartera"))
    frame.index.name = "cuenta"
    frame = frame.reset_index()

    frame = _classify(frame, users, settings)
    frame = _place(frame, settings)
    ages_disagree = frame[
        frame["edades_suma"].notna() & (frame["edades_suma"] != frame["deuda"])
    ]
    return Accounts(frame, lines_without_key, days_disagree, ages_disagree)


def _classify(frame: pd.DataFrame, users: Users, settings: Settings) -> pd.DataFrame:
    """Take the guía's classification when the account is there, else the cartera's."""
    guia = users.frame
    position = pd.Index(guia["cuenta"]).get_indexer(frame["cuenta"])
    found = position >= 0
    frame["en_guia"] = found

    def matched(column: str) -> pd.Series:
        """The guía's value of each cartera account (NA if not there)."""
        if not len(guia):
            return pd.Series(pd.NA, index=frame.index, dtype=object)
        values = guia[column].take(np.where(found, position, 0))
        values.index = frame.index
        return values.where(found)

    for column in CLASS_FIELDS + CONTACT_FIELDS:
        own = frame[f"{column}_cartera"].astype("string")
        frame[column] = matched(column).astype("string").where(found, own)
    frame["uso"] = _derive_uso(frame["estrato"], frame["uso"], settings)

    frame["tipo_persona"] = matched("tipo_persona").astype("string")
    frame["estado"] = matched("estado").astype("string").where(
        frame["en_guia"], frame["estado_cartera"].astype("string")
    )
    frame["activo"] = matched("activo").astype("boolean")
    drop = [c for c in frame.columns if c.endswith("_cartera")]
    return frame.drop(columns=drop)


def _place(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Add segment, moroso flag, edad en meses and edad de cartera."""
    with_debt = frame["deuda"] > 0
    days = frame["dias"]
    known = days.notna()

    edges = settings.segmentos_dias
    labels = segment_labels(edges)
    bins = [-1, *edges, np.inf]
    segment = pd.cut(days.astype("float"), bins=bins, labels=labels)
    frame["segmento"] = segment.astype("string").where(known, SIN_DATO)
    frame["segmento"] = frame["segmento"].where(with_debt)

    frame["edad_meses"] = months_from_days(days).astype("Int64")
    frame["moroso"] = (with_debt & known & (days >= settings.dias_moroso)).astype(bool)

    age_bins = [-1, *settings.edades_meses, np.inf]
    ages = pd.cut(
        frame["edad_meses"].astype("float"),
        bins=age_bins,
        labels=cartera_age_labels(settings),
    )
    frame["edad_cartera"] = ages.astype("string").where(frame["moroso"])
    frame["prescripcion"] = frame["moroso"] & (
        frame["edad_meses"] >= settings.meses_prescripcion
    ).fillna(False)
    frame["oficial"] = frame["uso"].eq("08").fillna(False)
    return frame
