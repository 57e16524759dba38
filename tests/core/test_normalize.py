"""Tests of the value rules: account keys, codes, money, text repair."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.normalize import (
    UnreadableValueError,
    account_key,
    account_keys,
    account_text,
    clean_text,
    code,
    codes,
    count_series,
    fix_mojibake,
    header_key,
    money_series,
    parse_count,
    parse_money,
    text_series,
)


@pytest.mark.parametrize(
    ("value", "centavos"),
    [
        (1234, 123_400),
        (1234.5, 123_450),
        (1583160.0, 158_316_000),
        (0.07, 7),
        ("1.234.567,89", 123_456_789),
        ("$ 1.234.567", 123_456_700),
        ("$1.234.567,5", 123_456_750),
        ("1.500", 150_000),
        ("1'234.567", 123_456_700),
        ("2'500.000,25", 250_000_025),
        ("(1.234)", -123_400),
        ("$ (1.234,50)", -123_450),
        ("-1.234", -123_400),
        ("$ -1.234", -123_400),
        ("1.234-", -123_400),
        ("$ -", 0),
        ("-", 0),
        ("$\u00a0-\u00a0", 0),
        ("0", 0),
        ("1234,5", 123_450),
        ("1234.5", 123_450),
        ("1,234,567.89", 123_456_789),
        ("  2.000,00 ", 200_000),
        ("1.50", 150),
        ("123.0", 12_300),
        ("14.912.156.524,06", 1_491_215_652_406),
    ],
)
def test_parse_money_reads_numbers_and_colombian_text(value, centavos):
    assert parse_money(value) == centavos


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_parse_money_blank_is_none(value):
    assert parse_money(value) is None


@pytest.mark.parametrize(
    "value",
    ["abc", "12,34,56", "1.2.3", "1.234,567", "12-34", "1E+06", True,
     dt.date(2025, 7, 31), "N/A", "#¡VALOR!"],
)
def test_parse_money_unreadable_raises(value):
    with pytest.raises(UnreadableValueError):
        parse_money(value)


def test_money_series_marks_unreadable_apart_from_blank():
    values = pd.Series([1234.5, "1.234", None, "abc", "", 7, "$ -"], dtype=object)

    parsed, bad = money_series(values)

    assert parsed.dtype == "Int64"
    assert parsed.tolist() == [123_450, 123_400, pd.NA, pd.NA, pd.NA, 700, 0]
    assert bad.tolist() == [False, False, False, True, False, False, False]


@given(st.lists(st.one_of(
    st.integers(-10**9, 10**9),
    st.sampled_from(["1.234", "$ 5.000,50", "(300)", "x", "", "-", "7,5"]),
    st.none(),
)))
def test_money_series_agrees_with_parse_money(values):
    parsed, bad = money_series(pd.Series(values, dtype=object))

    for value, got, unreadable in zip(values, parsed, bad):
        try:
            expected = parse_money(value)
        except UnreadableValueError:
            assert unreadable and got is pd.NA
            continue
        assert not unreadable
        assert (got is pd.NA) if expected is None else got == expected


@pytest.mark.parametrize(
    ("value", "number"),
    [(118, 118), (118.0, 118), ("118", 118), ("1.234", 1234), ("-5", -5),
     (None, None), ("", None)],
)
def test_parse_count(value, number):
    assert parse_count(value) == number


@pytest.mark.parametrize("value", [2.5, "2,5", "cien"])
def test_parse_count_rejects_fractions_and_words(value):
    with pytest.raises(UnreadableValueError):
        parse_count(value)


def test_count_series_flags_fractions():
    parsed, bad = count_series(pd.Series([31, 30.0, 2.5, "x", None], dtype=object))

    assert parsed.tolist() == [31, 30, pd.NA, pd.NA, pd.NA]
    assert bad.tolist() == [False, False, True, True, False]


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("0012345", "12345"),
        (12345, "12345"),
        (12345.0, "12345"),
        ("12345.0", "12345"),
        (" 12 345 ", "12345"),
        ("0000009", "9"),
        ("\u00a00012345\u00a0", "12345"),
        ("ab-12", "AB-12"),
        ("0000000", "0"),
        (None, None),
        ("", None),
    ],
)
def test_account_key(value, key):
    assert account_key(value) == key


def test_account_keys_match_the_scalar_rule():
    values = pd.Series(["0012345", 12345.0, "ab 1", None, "123.0"], dtype=object)

    assert account_keys(values).tolist() == ["12345", "12345", "AB1", pd.NA, "123"]


@pytest.mark.parametrize(
    ("value", "text"),
    [("0012345", "0012345"), (12345.0, "12345"), (" 0000009 ", "0000009")],
)
def test_account_text_keeps_the_printed_form(value, text):
    assert account_text(value) == text


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("1", "estrato", "01"),
        ("01", "estrato", "01"),
        ("01 ", "estrato", "01"),
        (1.0, "estrato", "01"),
        (1, "estrato", "01"),
        ("10", "estrato", "10"),
        (90, "estrato", "90"),
        ("Estrato 3", "estrato", "03"),
        ("No sabe", "estrato", "NO SABE"),
        ("3", "uso", "03"),
        ("13", "uso", "13"),
        ("COMUNA 1", "comuna", "1"),
        ("Comuna 01", "comuna", "1"),
        ("comuna\u00a07", "comuna", "7"),
        ("01", "comuna", "1"),
        (1, "comuna", "1"),
        (5.0, "comuna", "5"),
        ("El Llanito", "comuna", "EL LLANITO"),
        ("  el  llanito ", "comuna", "EL LLANITO"),
        ("Ciénaga", "comuna", "CIENAGA"),
        (None, "comuna", None),
        ("", "estrato", None),
    ],
)
def test_code(value, kind, expected):
    assert code(value, kind) == expected


def test_codes_series():
    values = pd.Series(["5", "05", "COMUNA 5", 5.0, None], dtype=object)

    assert codes(values, "comuna").tolist() == ["5", "5", "5", "5", pd.NA]


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("MUÃ‘OZ", "MUÑOZ"),
        ("JIMÃ‰NEZ", "JIMÉNEZ"),
        ("NARIÃ‘O", "NARIÑO"),
        ("MUÑOZ", "MUÑOZ"),
        ("GÓMEZ & CÍA", "GÓMEZ & CÍA"),
        ("Ã", "Ã"),
    ],
)
def test_fix_mojibake(broken, fixed):
    assert fix_mojibake(broken) == fixed


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("No. Cuenta", "nocuenta"),
        ("NO CUENTA", "nocuenta"),
        ("N° cuenta", "nocuenta"),
        ("MATRÍCULA", "matricula"),
        ("Matrícula\u00a0", "matricula"),
        ("Código\u00a0Suscriptor", "codigosuscriptor"),
        ("CONS. PROM. (M3)", "consprom(m3)"),
        ("0 - 30", "0-30"),
        ("Días de mora:", "diasdemora"),
        ("ESTADO_SERV", "estadoserv"),
    ],
)
def test_header_key(header, key):
    assert header_key(header) == key


def test_clean_text_tidies_spaces_and_encoding():
    assert clean_text("  RODRIGUEZ   PEREZ\u00a0 MARIA ") == "RODRIGUEZ PEREZ MARIA"
    assert clean_text("MUÃ‘OZ  LOPEZ") == "MUÑOZ LOPEZ"
    assert clean_text(3001234567.0) == "3001234567"
    assert clean_text(dt.date(2025, 7, 31)) == "31/07/2025"
    assert clean_text("   ") is None


def test_text_series_keeps_symbols_and_gives_na_for_blank():
    values = pd.Series(["PÉREZ & HIJOS <LTDA>", "", None, "a  b"], dtype=object)

    result = text_series(values, upper=True)

    assert result.tolist() == ["PÉREZ & HIJOS <LTDA>", pd.NA, pd.NA, "A B"]
    assert result.dtype == "string"


@given(st.lists(st.one_of(
    st.lists(
        st.sampled_from(
            ["A", "ñ", " ", "\u00a0", "\t", "\u2003", "Ã‘", "Ã", "&", "1"]
        ),
        max_size=8,
    ).map("".join),
    st.none(),
    st.integers(0, 99),
)))
def test_text_series_agrees_with_clean_text(values):
    result = text_series(pd.Series(values, dtype=object))

    expected = [clean_text(v) for v in values]
    assert [None if v is pd.NA else v for v in result] == expected


def test_text_series_on_many_distinct_values_agrees_with_clean_text():
    values = [
        f"  NOMBRE\u00a0{i}  MUÃ‘OZ\t{'x' * (i % 3)} " if i % 7 else None
        for i in range(500)
    ] + ["", "   ", "ok"]
    series = pd.Series(values, dtype=object)

    result = text_series(series, upper=True)

    expected = [(clean_text(v) or "").upper() or None for v in values]
    assert [None if v is pd.NA else v for v in result] == expected
    assert result.iloc[1] == "NOMBRE 1 MUÑOZ X"
