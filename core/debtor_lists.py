"""Debtor lists: which accounts a list holds, in what order, and its figures.

Plain functions over a month's `MonthResult`, shared by the command line
(`brigada`, `lista`) and the GUI's drill-down:

- `morosos_of` and `accounts_of` select accounts by comuna, barrio, segment,
  edad, amount or text; `list_summary` gives the selection's accounts, debt
  and shares;
- `brigade_order` sorts for the field (barrio, then ciclo and ruta, else the
  address) and `pareto` ranks by amount with the cumulative share;
- `brigade_list` and `segment_list` build a complete `DebtorList`, names
  masked unless the complete version is asked for, ready for the PDF and
  the Excel or CSV writers.

Amounts in the frames are integer centavos; shares are exact `Decimal`
percentages, rounded only when displayed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

from core.errors import EmptyListError
from core.formatting import (
    centavos_to_pesos,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_pesos,
    share,
    to_decimal,
)
from core.masking import mask_names
from core.model import MonthResult
from core.normalize import code
from core.rules import segment_labels
from core.settings import Settings, load_settings

logger = logging.getLogger(__name__)

ListKind = Literal["brigada", "lista"]
Layout = Literal["campo", "contacto", "juridica"]

SIN_BARRIO = "SIN BARRIO"
BRIGADE_PREFIX = "BRG"
# Prevención, Normalización, Recuperación (any middle segment), jurídica
SEGMENT_PREFIXES = ("PRV", "NRM", "REC", "JUR")
PARETO_TARGETS = (50, 80)  # "las N primeras cuentas suman el 50 %"
PRESCRIPTION_ALERT = "Riesgo de prescripción"
OFFICIAL_ALERT = "Oficial: no suspender sin revisión"

# The columns each list carries, whatever the layout; contact lists add
# teléfono and correo, the ranked list its rank and cumulative share.
BASE_COLUMNS = (
    "cuenta", "cuenta_texto", "nombre", "direccion", "comuna", "barrio",
    "barrio_clave", "estrato", "uso", "ciclo", "ruta", "dias", "edad_meses",
    "deuda", "segmento", "accion", "moroso", "prescripcion", "oficial",
)
CONTACT_COLUMNS = ("telefono", "correo")
RANK_COLUMNS = ("puesto", "deuda_acumulada", "porcentaje_acumulado", "alertas")

_DIGITS = re.compile(r"(\d+)")


@dataclass
class ListSummary:
    """A list's accounts and debt, and its share of the cartera it belongs to."""

    cuentas: int
    deuda: Decimal  # exact pesos
    base: str  # "cartera morosa" or "cartera con saldo"
    porcentaje_comuna: Decimal | None  # of the comuna's base; None if several
    porcentaje_total: Decimal | None  # of the whole base


@dataclass
class DebtorList:
    """One list ready to print or export: its rows, in order, and its labels."""

    tipo: ListKind
    id: str
    titulo: str
    periodo: str
    fecha_corte: dt.date | None
    filas: pd.DataFrame
    resumen: ListSummary
    completo: bool
    layout: Layout
    comuna: str | None = None
    barrio: str | None = None
    segmento: str | None = None
    acciones: dict[str, str] = field(default_factory=dict)  # name: action
    frase: str = ""  # the Pareto sentence of a ranked list
    sin_contacto: int = 0  # accounts left out for lack of phone and e-mail
    imprimible: bool = True  # False for the Prevención list (export only)
    nombre: str = "Lista de brigada"  # the segment's name for segment lists

    @property
    def varias_comunas(self) -> bool:
        return bool(self.filas["comuna"].nunique(dropna=False) > 1)


# --- selection -----------------------------------------------------------------


def fold(text: object) -> str:
    """Return `text` upper case, without accents, dots or repeated spaces."""
    if text is None or text is pd.NA:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.upper().replace(".", " ").split())


def comuna_code(comuna: object) -> str:
    """Return the canonical comuna of what a user typed (`07`, `Comuna 7` -> `7`)."""
    return code(comuna, "comuna") or ""


def morosos_of(
    result: MonthResult,
    comuna: object = None,
    barrio: str | None = None,
    segmento: str | None = None,
    edad: str | None = None,
    min_deuda: Decimal | int | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """Return the morosos matching every filter given (None means any).

    `barrio` and `text` ignore case and accents; `edad` is an edad de
    cartera label ("1-3", "4-60", "61+"); `min_deuda` is in pesos.
    """
    cuentas = result.cuentas
    return select(
        cuentas[cuentas["moroso"]], comuna, barrio, segmento, edad, min_deuda, text
    )


def accounts_of(
    result: MonthResult,
    comuna: object = None,
    barrio: str | None = None,
    segmento: str | None = None,
    edad: str | None = None,
    min_deuda: Decimal | int | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """Return the accounts with debt (morosas or not) matching every filter."""
    cuentas = result.cuentas
    return select(
        cuentas[cuentas["deuda"] > 0], comuna, barrio, segmento, edad, min_deuda, text
    )


def select(
    frame: pd.DataFrame,
    comuna: object = None,
    barrio: str | None = None,
    segmento: str | None = None,
    edad: str | None = None,
    min_deuda: Decimal | int | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """Return the rows of an accounts frame matching every filter given."""
    keep = pd.Series(True, index=frame.index)
    if comuna is not None:
        keep &= frame["comuna"].eq(comuna_code(comuna)).fillna(False)
    if barrio is not None:
        keep &= barrio_keys(frame["barrio"]).eq(fold(barrio))
    if segmento is not None:
        keep &= frame["segmento"].eq(segmento).fillna(False)
    if edad is not None:
        keep &= frame["edad_cartera"].eq(edad).fillna(False)
    if min_deuda is not None:
        keep &= frame["deuda"] >= int(to_decimal(min_deuda) * 100)
    if text:
        keep &= _text_matches(frame, fold(text))
    return frame[keep].reset_index(drop=True)


def barrio_keys(barrio: pd.Series) -> pd.Series:
    """Return each barrio's folded key (`SIN BARRIO` where it has none)."""
    names = barrio.astype("string").fillna(SIN_BARRIO)
    folded = {name: fold(name) or SIN_BARRIO for name in names.unique()}
    return names.map(folded).astype("string")


def _text_matches(frame: pd.DataFrame, needle: str) -> pd.Series:
    found = pd.Series(False, index=frame.index)
    for column in ("cuenta_texto", "nombre", "direccion", "barrio"):
        values = frame[column].astype("string")
        folded = {v: fold(v) for v in values.dropna().unique()}
        hay = values.map(folded).fillna("")
        found |= hay.str.contains(needle, regex=False).fillna(False)
    return found


# --- figures -------------------------------------------------------------------


def list_summary(frame: pd.DataFrame, result: MonthResult) -> ListSummary:
    """Return accounts, debt and shares of a selection of accounts.

    Shares are of the cartera morosa when every account is moroso, else of
    the cartera con saldo; of the comuna's when all are in one comuna.
    """
    cuentas = result.cuentas
    morosos_only = bool(frame["moroso"].all()) if len(frame) else True
    base = cuentas[cuentas["moroso"]] if morosos_only else cuentas[cuentas["deuda"] > 0]
    debt = int(frame["deuda"].sum())

    comunas = frame["comuna"].dropna().unique()
    by_comuna = None
    if len(comunas) == 1 and frame["comuna"].notna().all():
        comuna_debt = int(base.loc[base["comuna"].eq(comunas[0]).fillna(False),
                                   "deuda"].sum())
        by_comuna = share(debt, comuna_debt)

    return ListSummary(
        cuentas=len(frame),
        deuda=centavos_to_pesos(debt),
        base="cartera morosa" if morosos_only else "cartera con saldo",
        porcentaje_comuna=by_comuna,
        porcentaje_total=share(debt, int(base["deuda"].sum())),
    )


def natural_key(value: object) -> tuple[tuple[int, int, str], ...]:
    """Return a key that sorts `CL 9` before `CL 10` (numbers by value)."""
    if value is None or value is pd.NA:
        return ()
    parts = _DIGITS.split(fold(value))
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in parts
        if part.strip()
    )


def brigade_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort for the field: comuna, barrio, then ciclo and ruta, else the address.

    Within a barrio the accounts with ciclo and ruta come first, in the order
    the meter readers walk; the others follow by address.
    """
    keys = barrio_keys(frame["barrio"]).tolist()
    routed = (frame["ciclo"].notna() & frame["ruta"].notna()).tolist()
    comuna, ciclo, ruta, address, cuenta = (
        _natural_keys(frame[column])
        for column in ("comuna", "ciclo", "ruta", "direccion", "cuenta")
    )

    def row_key(i: int) -> tuple[Any, ...]:
        walk = (ciclo[i], ruta[i]) if routed[i] else ((), ())
        return (
            comuna[i], keys[i] == SIN_BARRIO, keys[i], not routed[i], *walk,
            address[i], cuenta[i],
        )

    order = sorted(range(len(frame)), key=row_key)
    return frame.iloc[order].reset_index(drop=True)


def _natural_keys(values: pd.Series) -> list[tuple[tuple[int, int, str], ...]]:
    """Return `natural_key` of each value, computing each distinct value once."""
    text = values.astype("string")
    keys = {value: natural_key(value) for value in text.dropna().unique()}
    return [keys.get(value, ()) if value is not pd.NA else () for value in text]


def pareto(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank by amount (largest first) with the cumulative debt and its share."""
    ranked = frame.sort_values(
        ["deuda", "cuenta"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    total = int(ranked["deuda"].sum())
    cumulative = ranked["deuda"].cumsum().astype("int64")

    ranked["puesto"] = range(1, len(ranked) + 1)
    ranked["deuda_acumulada"] = cumulative
    ranked["porcentaje_acumulado"] = [share(int(c), total) for c in cumulative]
    return ranked


def accounts_to_reach(ranked: pd.DataFrame, target: int) -> int:
    """Return how many of the first ranked accounts reach `target` % of the debt."""
    total = int(ranked["deuda"].sum())
    if total <= 0:
        return 0
    reached = ranked["deuda_acumulada"].to_numpy() * 100 >= total * target
    return int(reached.argmax()) + 1


def pareto_sentence(ranked: pd.DataFrame, where: str = "de la lista") -> str:
    """Say how few accounts hold half (and 80 %) of the debt of a ranked list."""
    total = len(ranked)
    if total == 0:
        return ""
    parts: list[str] = []
    seen: set[int] = set()
    for target in PARETO_TARGETS:
        n = accounts_to_reach(ranked, target)
        if n in seen:
            continue
        seen.add(n)
        reached = ranked["porcentaje_acumulado"].iat[n - 1]
        pct = fmt_pct(reached)
        if parts:
            parts.append(f"las {fmt_int(n)} primeras, el {pct}")
        else:
            parts.append(f"{_first_accounts(n, total, pct)} de la deuda {where}")
    return "; ".join(parts) + "."


def _first_accounts(n: int, total: int, pct: str) -> str:
    of_total = f"de {fmt_int(total)}"
    if total == 1:
        return f"La única cuenta suma el {pct}"
    if n == total:
        return f"Las {fmt_int(n)} cuentas suman el {pct}"
    if n == 1:
        return f"La primera cuenta ({of_total}) suma el {pct}"
    return f"Las {fmt_int(n)} primeras cuentas ({of_total}) suman el {pct}"


# --- complete lists ---------------------------------------------------------------


def brigade_list(
    result: MonthResult,
    comuna: object,
    barrio: str | None = None,
    segmento: str | None = None,
    completo: bool = False,
    settings: Settings | None = None,
) -> DebtorList:
    """Build the field list of a comuna's morosos (optionally one barrio or segment).

    Raises `EmptyListError` when the comuna, the barrio or the segment has
    no morosos, naming those that have.
    """
    started = time.perf_counter()
    settings = settings or load_settings()
    wanted = comuna_code(comuna)
    morosos = result.cuentas[result.cuentas["moroso"]]
    in_comuna = select(morosos, comuna=wanted)
    if in_comuna.empty:
        raise EmptyListError("comuna", result.periodo, wanted or str(comuna),
                             disponibles=_comunas(morosos))
    if barrio is not None:
        in_comuna = _in_barrio(in_comuna, barrio, result.periodo, wanted)
    rows = select(in_comuna, segmento=segmento)
    if rows.empty:
        what = _what(f"morosos de la comuna {wanted}", barrio, segmento)
        raise EmptyListError("vacia", result.periodo, wanted, what)

    rows = _list_rows(brigade_order(rows), settings, completo, contact=False)
    lista = DebtorList(
        tipo="brigada",
        id=list_id(BRIGADE_PREFIX, result.periodo, wanted, rows, barrio, segmento),
        titulo=_brigade_title(wanted, rows, barrio, segmento),
        periodo=result.periodo,
        fecha_corte=result.fecha_corte,
        filas=rows,
        resumen=list_summary(rows, result),
        completo=completo,
        layout="campo",
        comuna=wanted,
        barrio=rows["barrio"].iat[0] if barrio is not None else None,
        segmento=segmento,
        acciones=_actions_of(rows, settings),
    )
    _log_built(lista, started)
    return lista


def segment_list(
    result: MonthResult,
    segmento: str,
    comuna: object = None,
    completo: bool = False,
    settings: Settings | None = None,
) -> DebtorList:
    """Build the action list of a segment of atraso (optionally one comuna).

    The first two segments keep only the accounts with a phone or an e-mail
    (their purpose is to contact them); the third is ordered for brigades;
    the last is ranked by amount with its cumulative share and alerts.
    """
    started = time.perf_counter()
    settings = settings or load_settings()
    labels = segment_labels(settings.segmentos_dias)
    if segmento not in labels:
        raise EmptyListError("segmento", result.periodo, descripcion=segmento,
                             disponibles=labels)
    position = labels.index(segmento)
    layout = _segment_layout(position, len(labels))
    wanted = comuna_code(comuna) if comuna is not None else None
    rows, missing = _segment_rows(result, segmento, layout, wanted)

    if layout == "juridica":
        rows = _with_alerts(pareto(rows))
    else:
        rows = brigade_order(rows)
    rows = _list_rows(rows, settings, completo, contact=layout == "contacto")
    name = settings.segmentos["nombres"][position]
    lista = DebtorList(
        tipo="lista",
        id=list_id(_segment_prefix(position, layout), result.periodo, wanted, rows,
                   None, segmento),
        titulo=_segment_title(name, segmento, wanted),
        periodo=result.periodo,
        fecha_corte=result.fecha_corte,
        filas=rows,
        resumen=list_summary(rows, result),
        completo=completo,
        layout=layout,
        comuna=wanted,
        segmento=segmento,
        acciones=_actions_of(rows, settings),
        sin_contacto=missing,
        imprimible=position > 0,
        nombre=name,
    )
    if layout == "juridica":
        where = "del segmento" + (f" en la comuna {wanted}" if wanted else "")
        lista.frase = pareto_sentence(rows, where)
    _log_built(lista, started)
    return lista


def _segment_layout(position: int, segments: int) -> Layout:
    """The first two segments are contacted, the last goes to court."""
    if position <= 1:
        return "contacto"
    return "juridica" if position == segments - 1 else "campo"


def _segment_prefix(position: int, layout: Layout) -> str:
    if layout == "contacto":
        return SEGMENT_PREFIXES[position]
    return SEGMENT_PREFIXES[3] if layout == "juridica" else SEGMENT_PREFIXES[2]


def _segment_rows(
    result: MonthResult, segmento: str, layout: Layout, comuna: str | None
) -> tuple[pd.DataFrame, int]:
    """Return the segment's accounts (with contact data where it is the point)
    and how many were left out for lack of it."""
    accounts = accounts_of(result, segmento=segmento)
    rows = select(accounts, comuna=comuna)
    where = f" en la comuna {comuna}" if comuna else ""
    if rows.empty:
        what = f"cuentas del segmento {segmento} días{where}"
        raise EmptyListError("vacia", result.periodo, comuna, what,
                             _comunas(accounts))
    if layout != "contacto":
        return rows, 0

    reachable = has_contact(rows)
    if not reachable.any():
        what = f"cuentas con teléfono o correo del segmento {segmento} días{where}"
        raise EmptyListError("vacia", result.periodo, comuna, what)
    return rows[reachable].reset_index(drop=True), int((~reachable).sum())


def has_contact(frame: pd.DataFrame) -> pd.Series:
    """Tell which accounts have a phone with digits or an e-mail with `@`."""
    phone = frame["telefono"].astype("string").str.contains(r"\d{7}", regex=True)
    mail = frame["correo"].astype("string").str.contains("@", regex=False)
    return (phone.fillna(False) | mail.fillna(False)).astype(bool)


def _with_alerts(ranked: pd.DataFrame) -> pd.DataFrame:
    prescription = ranked["prescripcion"].fillna(False).astype(bool)
    official = ranked["oficial"].fillna(False).astype(bool)
    alerts = [
        "; ".join(
            text for flag, text in ((p, PRESCRIPTION_ALERT), (o, OFFICIAL_ALERT))
            if flag
        )
        for p, o in zip(prescription, official, strict=True)
    ]
    ranked["alertas"] = pd.Series(alerts, index=ranked.index, dtype="string")
    return ranked


def _in_barrio(
    frame: pd.DataFrame, barrio: str, periodo: str, comuna: str
) -> pd.DataFrame:
    rows = select(frame, barrio=barrio)
    if rows.empty:
        names = sorted(_spellings(frame).values(), key=fold)
        raise EmptyListError("barrio", periodo, comuna, barrio, names)
    return rows


def _comunas(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["comuna"].dropna().unique(), key=natural_key)


def _what(base: str, barrio: str | None, segmento: str | None) -> str:
    text = base
    if barrio is not None:
        text += f" en el barrio «{barrio}»"
    if segmento is not None:
        text += f" del segmento {segmento} días"
    return text


def _spellings(frame: pd.DataFrame) -> dict[str, str]:
    """Return the most common spelling of each folded barrio name."""
    names = frame["barrio"].astype("string").str.strip().fillna(SIN_BARRIO)
    keys = barrio_keys(frame["barrio"])
    counts = pd.DataFrame({"key": keys, "name": names}).value_counts()
    spelling: dict[str, str] = {}
    for (key, name), _ in counts.items():  # most common first
        spelling.setdefault(str(key), str(name))
    return spelling


def _list_rows(
    frame: pd.DataFrame, settings: Settings, completo: bool, contact: bool
) -> pd.DataFrame:
    """Keep only the list's columns; mask names; one spelling per barrio."""
    rows = frame.copy()
    rows["barrio_clave"] = barrio_keys(rows["barrio"])
    rows["barrio"] = rows["barrio_clave"].map(_spellings(rows)).astype("string")
    rows["accion"] = rows["segmento"].map(_segment_names(settings)).astype("string")
    if not completo:
        rows["nombre"] = mask_names(rows["nombre"])

    columns = list(BASE_COLUMNS)
    if contact:
        columns += CONTACT_COLUMNS
    columns += [c for c in RANK_COLUMNS if c in rows.columns]
    return rows[columns].reset_index(drop=True)


def _segment_names(settings: Settings) -> dict[str, str]:
    labels = segment_labels(settings.segmentos_dias)
    return dict(zip(labels, settings.segmentos["nombres"], strict=True))


def _actions_of(rows: pd.DataFrame, settings: Settings) -> dict[str, str]:
    """Return the action of each segment present: "Recuperación": "Brigadas…"."""
    labels = segment_labels(settings.segmentos_dias)
    names = settings.segmentos["nombres"]
    actions = settings.segmentos.get("acciones", [""] * len(labels))
    present = set(rows["segmento"].dropna())
    return {
        f"{name} ({label} días)": action
        for label, name, action in zip(labels, names, actions, strict=True)
        if label in present
    }


def list_id(
    prefix: str,
    periodo: str,
    comuna: str | None,
    rows: pd.DataFrame,
    barrio: str | None = None,
    segmento: str | None = None,
) -> str:
    """Return an id like `BRG-2025-07-C7-3F2A91`: the same list, the same id.

    The hash covers the filters and every account with its amount, so two
    lists with the same id hold the same accounts, masked or not.
    """
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"{prefix}|{periodo}|{comuna}|{fold(barrio)}|{segmento}".encode())
    for cuenta, deuda in zip(rows["cuenta"], rows["deuda"], strict=True):
        digest.update(f"|{cuenta}:{deuda}".encode())
    place = f"-C{comuna}" if comuna else ""
    return f"{prefix}-{periodo}{place}-{digest.hexdigest()[:6].upper()}"


def _brigade_title(
    comuna: str, rows: pd.DataFrame, barrio: str | None, segmento: str | None
) -> str:
    title = f"Lista de brigada · Comuna {comuna}"
    if barrio is not None:
        title += f" · Barrio {rows['barrio'].iat[0]}"
    if segmento is not None:
        title += f" · {segmento} días"
    return title


def _segment_title(name: str, segmento: str, comuna: str | None) -> str:
    title = f"{name} · segmento {segmento} días"
    return title + (f" · Comuna {comuna}" if comuna else "")


def _log_built(lista: DebtorList, started: float) -> None:
    logger.info(
        "lista %s armada: %d cuentas, %s, en %.2f s", lista.id,
        lista.resumen.cuentas, "completa" if lista.completo else "enmascarada",
        time.perf_counter() - started,
    )


def summary_sentence(lista: DebtorList) -> str:
    """Return one sentence with the list's accounts, debt and shares."""
    s = lista.resumen
    noun = "cuentas morosas" if s.base == "cartera morosa" else "cuentas con saldo"
    text = f"{fmt_int(s.cuentas)} {noun}, deuda {fmt_pesos(s.deuda)}"
    if s.porcentaje_comuna is not None and lista.comuna:
        text += f", {fmt_pct(s.porcentaje_comuna)} de la {s.base} de la comuna"
    if s.porcentaje_total is not None:
        text += f", {fmt_pct(s.porcentaje_total)} de la {s.base} total"
    return text + "."
