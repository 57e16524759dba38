"""Debtor lists on a small month computed by hand: selection, order, figures.

`hand_month()` is the month the list tests share (PDF, Excel, audit):

| cuenta | comuna | barrio  | deuda ($)    | días | segmento | note                    |
|--------|--------|---------|--------------|------|----------|-------------------------|
| 101    | 7      | La Tora | 100.000,50   | 45   | 31-60    | ciclo 18, ruta 10       |
| 102    | 7      | LA TORA | 250.000,25   | 100  | 61-120   | ciclo 18, ruta 2        |
| 108    | 7      | La Tora | 10.000       | 35   | 31-60    | ciclo 18, ruta 10, CL 30|
| 103    | 7      | Ñapanga | 1.000.000    | 1900 | 121+     | 63 months: prescription |
| 104    | 7      | ñapanga | 50.000       | 200  | 121+     |                         |
| 105    | 7      | (none)  | 300.000      | 400  | 121+     | estrato 90: oficial     |
| 106    | 3      | Centro  | 70.000       | 60   | 31-60    |                         |
| 107    | 7      | La Tora | 20.000       | 10   | 0-30     | not moroso              |
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
import pytest

from core.debtor_lists import (
    accounts_to_reach,
    brigade_list,
    brigade_order,
    fold,
    list_summary,
    morosos_of,
    natural_key,
    pareto,
    pareto_sentence,
    segment_list,
)
from core.errors import EmptyListError
from core.masking import mask_name, mask_names
from core.model import MonthResult
from core.pipeline import compute_month
from tests.core import frames

D = Decimal

TRICKY = "GÓMEZ & HIJOS <LTDA>"


def hand_month() -> MonthResult:
    """The month of the module docstring, as `compute_month` computes it."""
    people = [
        ("101", "01", "7", "La Tora", "RODRÍGUEZ PEÑA MARÍA", "CL 10 5-20",
         "18", "10", "3001234567", None),
        ("102", "02", "7", "LA TORA", TRICKY, "CL 9 1-01", "18", "2", None,
         "gomez@correo.co"),
        ("108", "01", "7", "La Tora", "CASTRO LUZ", "CL 30 2-2", "18", "10",
         None, None),
        ("103", "01", "7", "Ñapanga", "MUÑOZ ÁLVAREZ JOSÉ", "CR 3 4-5", None,
         None, "=1+1", None),
        ("104", "01", "7", "ñapanga", "PÉREZ LUIS", "CR 10 1-1", None, None,
         None, None),
        ("105", "90", "7", None, "ALCALDÍA MUNICIPAL", "CL 1 1-1", "1", "1",
         None, None),
        ("106", "01", "3", "Centro", "ZAPATA ANA", "CL 2 2-2", "5", "1", None,
         "zapata@correo.co"),
        ("107", "01", "7", "La Tora", "NIÑO ANA", "CL 5 5-5", "18", "1",
         "6071234567", None),
    ]
    keys = ("cuenta", "estrato", "comuna", "barrio", "nombre", "direccion",
            "ciclo", "ruta", "telefono", "correo")
    guia = [dict(zip(keys, person, strict=True)) for person in people]
    for record in guia:
        record["cuenta_texto"] = record["cuenta"].zfill(7)
    debts = [
        ("101", 100000.50, 45), ("102", 250000.25, 100), ("108", 10000, 35),
        ("103", 1000000, 1900), ("104", 50000, 200), ("105", 300000, 400),
        ("106", 70000, 60), ("107", 20000, 10),
    ]
    cartera = [{"cuenta": c, "deuda": d, "dias": n} for c, d, n in debts]
    return compute_month(frames.guia(guia), frames.cartera(cartera),
                         periodo="2025-07")


@pytest.fixture(scope="module")
def month() -> MonthResult:
    return hand_month()


# --- masking -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "masked"), [
    ("RODRIGUEZ PEREZ MARIA", "RODRIGUEZ P*** M***"),
    ("RODRÍGUEZ  PEÑA   MARÍA", "RODRÍGUEZ P*** M***"),
    ("ÁLVAREZ ÑUSTES", "ÁLVAREZ Ñ***"),
    ("GÓMEZ & HIJOS <LTDA>", "GÓMEZ & H*** <***"),
    ("CASTRO", "CASTRO"),
    ("", ""),
    (None, ""),
])
def test_mask_name_keeps_first_word_and_initials(name, masked):
    assert mask_name(name) == masked


def test_mask_names_handles_missing_values():
    names = pd.Series(["PEREZ LUIS", pd.NA, "PEREZ LUIS"], dtype="string")
    assert mask_names(names).tolist() == ["PEREZ L***", "", "PEREZ L***"]


def test_mask_names_masks_each_name_as_mask_name_does():
    names = ["RODRIGUEZ PEREZ MARIA", "A & B", "X - Y", "_A _b", "TAB\tSEP",
             "NBSP\xa0AQUI", "   ", "(JUAN) [PEDRO]", "1A 2B", "emoji 😀 ok",
             "__ ..", "MUÃ‘OZ PEÃ‘A", None, float("nan"), 12345]
    masked = mask_names(pd.Series(names, dtype=object)).tolist()
    assert masked == [mask_name(name) for name in names]


# --- selection ---------------------------------------------------------------


def _accounts(frame: pd.DataFrame) -> list[str]:
    return frame["cuenta"].tolist()


def test_morosos_of_a_comuna_whatever_way_it_is_typed(month):
    for typed in ("7", "07", "Comuna 7", 7):
        assert sorted(_accounts(morosos_of(month, comuna=typed))) == [
            "101", "102", "103", "104", "105", "108",
        ]


def test_barrio_matches_without_case_or_accents(month):
    assert sorted(_accounts(morosos_of(month, comuna="7", barrio="la torá"))) == [
        "101", "102", "108",
    ]
    assert sorted(_accounts(morosos_of(month, barrio="NAPANGA"))) == ["103", "104"]


def test_filters_by_segment_edad_amount_and_text(month):
    assert sorted(_accounts(morosos_of(month, segmento="31-60"))) == [
        "101", "106", "108",
    ]
    assert _accounts(morosos_of(month, edad="61+")) == ["103"]
    assert sorted(_accounts(morosos_of(month, min_deuda=250000))) == [
        "102", "103", "105",
    ]
    assert _accounts(morosos_of(month, text="alvarez")) == ["103"]
    assert _accounts(morosos_of(month, text="0000106")) == ["106"]


def test_non_morosos_are_never_in_morosos_of(month):
    assert "107" not in _accounts(morosos_of(month, comuna="7"))


def test_list_summary_shares_by_hand(month):
    summary = list_summary(morosos_of(month, comuna="7"), month)
    assert summary.cuentas == 6
    assert summary.deuda == D("1710000.75")
    assert summary.base == "cartera morosa"
    assert summary.porcentaje_comuna == 100
    # 1.710.000,75 of the 1.780.000,75 of all morosos
    assert summary.porcentaje_total == D("1710000.75") * 100 / D("1780000.75")


def test_list_summary_of_a_barrio_against_its_comuna(month):
    summary = list_summary(morosos_of(month, barrio="La Tora"), month)
    assert summary.deuda == D("360000.75")
    assert summary.porcentaje_comuna == D("360000.75") * 100 / D("1710000.75")


# --- order ----------------------------------------------------------------------


def test_natural_key_orders_numbers_by_value():
    addresses = ["CL 10 5-20", "CL 9 1-01", "cl 9 1-1", "CR 3", "CL 100"]
    assert sorted(addresses, key=natural_key) == [
        "CL 9 1-01", "cl 9 1-1", "CL 10 5-20", "CL 100", "CR 3",
    ]


def test_brigade_order_barrio_then_route_then_address(month):
    ordered = brigade_order(morosos_of(month, comuna="7"))
    # La Tora: ruta 2 before ruta 10; same ruta by address (CL 10 < CL 30).
    # Ñapanga has no route: by address (CR 3 < CR 10). No barrio goes last.
    assert _accounts(ordered) == ["102", "101", "108", "103", "104", "105"]


def test_fold_drops_case_accents_dots_and_spaces():
    assert fold("  Urb.  Ñapanga  ") == "URB NAPANGA"
    assert fold(None) == ""


# --- brigade lists -----------------------------------------------------------------


def test_brigade_list_masks_names_and_keeps_no_contact_data(month):
    lista = brigade_list(month, "7")
    assert lista.filas["nombre"].tolist() == [
        "GÓMEZ & H*** <***", "RODRÍGUEZ P*** M***", "CASTRO L***",
        "MUÑOZ Á*** J***", "PÉREZ L***", "ALCALDÍA M***",
    ]
    assert not {"telefono", "correo", "documento"} & set(lista.filas.columns)
    assert lista.layout == "campo"
    assert not lista.completo


def test_complete_brigade_list_has_full_names(month):
    lista = brigade_list(month, "7", completo=True)
    assert TRICKY in lista.filas["nombre"].tolist()
    assert lista.completo


def test_brigade_list_uses_one_spelling_per_barrio(month):
    lista = brigade_list(month, "7")
    assert lista.filas["barrio"].dropna().unique().tolist() == [
        "La Tora", "Ñapanga", "SIN BARRIO",
    ]


def test_brigade_list_of_a_barrio_and_a_segment(month):
    lista = brigade_list(month, "7", barrio="la tora", segmento="31-60")
    assert _accounts(lista.filas) == ["101", "108"]
    assert lista.barrio == "La Tora"
    assert lista.titulo == "Lista de brigada · Comuna 7 · Barrio La Tora · 31-60 días"
    assert lista.filas["accion"].unique().tolist() == ["Normalización"]


def test_list_id_names_kind_period_and_comuna_and_is_stable(month):
    first = brigade_list(month, "7")
    assert re.fullmatch(r"BRG-2025-07-C7-[0-9A-F]{6}", first.id)
    assert brigade_list(month, "7", completo=True).id == first.id
    assert brigade_list(month, "7", segmento="121+").id != first.id


def test_comuna_without_morosos_names_those_with(month):
    with pytest.raises(EmptyListError) as error:
        brigade_list(month, "9")
    assert error.value.mensaje() == (
        "La comuna 9 no tiene morosos en julio de 2025. "
        "Comunas con morosos: 3 y 7."
    )


def test_unknown_barrio_names_the_comunas_barrios(month):
    with pytest.raises(EmptyListError) as error:
        brigade_list(month, "7", barrio="El Centro")
    message = error.value.mensaje()
    assert "«El Centro»" in message
    assert message.endswith(
        "Barrios con morosos en la comuna 7: La Tora, Ñapanga y SIN BARRIO."
    )


def test_segment_without_morosos_in_the_comuna(month):
    with pytest.raises(EmptyListError) as error:
        brigade_list(month, "3", segmento="121+")
    assert "del segmento 121+ días" in error.value.mensaje()


# --- segment lists --------------------------------------------------------------


def test_prevention_list_has_contacts_and_is_not_printable(month):
    lista = segment_list(month, "0-30")
    assert _accounts(lista.filas) == ["107"]
    assert lista.filas["telefono"].tolist() == ["6071234567"]
    assert lista.layout == "contacto"
    assert not lista.imprimible
    assert lista.resumen.base == "cartera con saldo"


def test_normalization_list_leaves_out_accounts_without_contact(month):
    lista = segment_list(month, "31-60")
    assert sorted(_accounts(lista.filas)) == ["101", "106"]
    assert lista.sin_contacto == 1  # 108 has neither phone nor e-mail
    assert lista.imprimible


def test_recovery_list_is_ordered_for_brigades(month):
    lista = segment_list(month, "61-120")
    assert _accounts(lista.filas) == ["102"]
    assert lista.layout == "campo"


def test_legal_list_ranked_with_alerts(month):
    lista = segment_list(month, "121+", comuna="7")
    rows = lista.filas
    assert _accounts(rows) == ["103", "105", "104"]
    assert rows["puesto"].tolist() == [1, 2, 3]
    assert rows["alertas"].tolist() == [
        "Riesgo de prescripción", "Oficial: no suspender sin revisión", "",
    ]
    assert lista.id.startswith("JUR-2025-07-C7-")
    # 1.000.000 of 1.350.000 = 74,07 %; 1.300.000 = 96,30 %
    assert lista.frase == (
        "La primera cuenta (de 3) suma el 74,1 % de la deuda del segmento en "
        "la comuna 7; las 2 primeras, el 96,3 %."
    )


def test_unknown_segment_under_the_settings(month):
    with pytest.raises(EmptyListError) as error:
        segment_list(month, "0-45")
    assert "Segmentos: 0-30, 31-60, 61-120 y 121+." in error.value.mensaje()


# --- Pareto -----------------------------------------------------------------------


@pytest.fixture
def ranked() -> pd.DataFrame:
    pesos = [5, 40, 10, 30, 10, 5]  # 100 in all
    frame = pd.DataFrame({
        "cuenta": [f"{i}" for i in range(1, 7)],
        "deuda": [p * 100 for p in pesos],
    })
    return pareto(frame)


def test_pareto_cumulative_shares_by_hand(ranked):
    assert ranked["deuda"].tolist() == [4000, 3000, 1000, 1000, 500, 500]
    assert ranked["cuenta"].tolist() == ["2", "4", "3", "5", "1", "6"]
    assert ranked["porcentaje_acumulado"].tolist() == [40, 70, 80, 90, 95, 100]


def test_accounts_to_reach_counts_the_first_that_reach_the_share(ranked):
    assert accounts_to_reach(ranked, 50) == 2  # 40 % is short; 70 % reaches it
    assert accounts_to_reach(ranked, 80) == 3  # exactly 80 % reaches it


def test_pareto_sentence_by_hand(ranked):
    assert pareto_sentence(ranked) == (
        "Las 2 primeras cuentas (de 6) suman el 70,0 % de la deuda de la lista; "
        "las 3 primeras, el 80,0 %."
    )
