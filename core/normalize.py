"""Normalization of the values found in the exports: keys, codes, money, text.

Each rule exists as a function of one value (for tests and odd cases) and,
where the files are large, as a vectorized function over a pandas Series
that takes a fast path for plain numbers and parses each distinct string
only once.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import pandas as pd

CodeKind = Literal["estrato", "uso", "comuna"]

TEXT = pd.StringDtype()

_SPACES = re.compile(r"\s+")
_MOJIBAKE_MARKS = ("Ã", "Â", "â€")
_MOJIBAKE_CHAR = re.compile("[ÃÂâ]")  # an item with one of these is repaired
_SEPARATOR = "\x1f"  # ASCII unit separator: never in the exports' text
# Whitespace that `str.split()` splits on, other than the plain space.
_ODD_SPACES = tuple(
    c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \x1f"
)
_ASCII_ODD_SPACES = tuple(c for c in _ODD_SPACES if c.isascii())
_DIGITS_KEY = re.compile(r"\d+(?:[.,]0+)?")
_CODE_PREFIX = {
    "estrato": r"(?:ESTRATO|ESTR?\.?)",
    "uso": r"(?:USO|CLASE DE USO)",
    "comuna": r"(?:COMUNA|COM\.?)",
}
_NUMBER_TYPES = [int, float, np.int64, np.float64]
_APOSTROPHES = ("\u2019", "\u00b4", "`")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+")
_MONEY_CHARS = re.compile(r"[\d.,]+")
# Ten trillion pesos (in centavos): no account owes that much, so a larger
# cell is a misread (an ID in the amount column); it is reported instead.
MAX_CENTAVOS = 10**15
# Excel's serial day numbers of 1990-01-01 and 2100-01-01.
SERIAL_DAYS = (32874, 73051)
EXCEL_EPOCH = dt.date(1899, 12, 30)


class UnreadableValueError(ValueError):
    """A cell that holds something, but not a number the rules can use."""


# --- text ---------------------------------------------------------------


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text decoded as Windows-1252 (`MUÃ‘OZ` -> `MUÑOZ`).

    Text without the telltale characters, or that does not round-trip,
    comes back unchanged.
    """
    if not any(mark in text for mark in _MOJIBAKE_MARKS):
        return text
    raw = bytearray()
    for char in text:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            try:
                raw += char.encode("latin-1")
            except UnicodeEncodeError:
                return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def strip_accents(text: str) -> str:
    """Drop accents but keep the ñ (`Jiménez` -> `Jimenez`, `Muñoz` kept)."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for i, char in enumerate(decomposed):
        if unicodedata.combining(char):
            base = decomposed[i - 1] if i else ""
            if char == "\u0303" and base in "nN":
                kept.append(char)
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def header_key(text: Any) -> str:
    """Return the form of a header used to match aliases.

    Case, accents, spaces (also non-breaking), dots, underscores and a
    trailing colon do not count: `No. Cuenta` and `NO CUENTA` are equal.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _header_key(str(text))


@functools.lru_cache(maxsize=4096)
def _header_key(text: str) -> str:
    # Cached: repeated header rows are compared cell by cell with it.
    value = fix_mojibake(text).replace("°", "o").replace("º", "o")
    value = unicodedata.normalize("NFKD", value.lower())
    value = "".join(c for c in value if not unicodedata.combining(c))
    value = _SPACES.sub("", value).replace(".", "").replace("_", "")
    return value.rstrip(":")


def clean_text(value: Any) -> str | None:
    """Return a cell as tidy text: repaired, single-spaced, None if blank."""
    if type(value) is str:
        text = " ".join(value.split())
        if "Ã" in text or "Â" in text or "â" in text:
            text = " ".join(fix_mojibake(text).split())
        return text or None
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_text(str(value))


def text_series(values: pd.Series, upper: bool = False) -> pd.Series:
    """Vectorized `clean_text`: a string Series with NA for blanks."""
    array = values.to_numpy(dtype=object)
    if _mostly_distinct(array) and _all_text(array):
        filled = np.where(pd.isna(array), "", array)
        texts = _tidy_strings(filled.tolist(), upper)
        return pd.Series([t or None for t in texts], index=values.index, dtype=TEXT)

    codes, uniques = pd.factorize(array)
    if _all_text(uniques):
        texts = _tidy_strings(list(uniques), upper)
    else:
        texts = [clean_text(u) or "" for u in uniques]
        texts = [t.upper() for t in texts] if upper else texts
    mapped = np.array([t or None for t in texts] + [None], dtype=object)[codes]
    return pd.Series(mapped, index=values.index, dtype=TEXT)


def _mostly_distinct(array: np.ndarray) -> bool:
    """Tell names and addresses (few repeats) from codes and states."""
    sample = array[:2000]
    return len(sample) > 100 and len(pd.unique(sample)) * 2 > len(sample)


def _all_text(array: Any) -> bool:
    return pd.api.types.infer_dtype(array, skipna=True) in ("string", "empty")


def _tidy_strings(texts: list[str], upper: bool = False) -> list[str]:
    """Apply `clean_text` to many strings at once, on one joined string."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        tidy = [clean_text(t) or "" for t in texts]
        return [t.upper() for t in tidy] if upper else tidy
    if not joined.isascii() or any(c in joined for c in _ASCII_ODD_SPACES):
        for odd in _ODD_SPACES:
            if odd in joined:
                joined = joined.replace(odd, " ")
    while "  " in joined:
        joined = joined.replace("  ", " ")
    joined = joined.replace(" " + _SEPARATOR, _SEPARATOR)
    joined = joined.replace(_SEPARATOR + " ", _SEPARATOR).strip(" ")
    if any(mark in joined for mark in _MOJIBAKE_MARKS):
        joined = _repaired_items(joined)
    if upper:
        joined = joined.upper()
    return joined.split(_SEPARATOR)


def _repaired_items(joined: str) -> str:
    """`clean_text` of the joined items that may be mojibake, the rest as is
    (a few hundred names in a month, found without visiting every item)."""
    parts, done = [], 0
    for match in _MOJIBAKE_CHAR.finditer(joined):
        if match.start() < done:
            continue  # in an item already repaired
        start = joined.rfind(_SEPARATOR, 0, match.start()) + 1
        end = joined.find(_SEPARATOR, match.start())
        end = len(joined) if end < 0 else end
        parts += [joined[done:start], clean_text(joined[start:end]) or ""]
        done = end
    parts.append(joined[done:])
    return "".join(parts)


# --- account keys ---------------------------------------------------------


def account_key(value: Any) -> str | None:
    """Return the key accounts are matched on.

    Numeric accounts lose spaces and leading zeros (`"0012345"`, `12345`
    and `"12345.0"` are all `"12345"`); other accounts are upper-cased
    without spaces. Blank gives None.
    """
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = _SPACES.sub("", str(value).replace("\xa0", ""))
    if not text:
        return None
    if _DIGITS_KEY.fullmatch(text):
        return str(int(re.split(r"[.,]", text)[0]))
    return text.upper()


def account_keys(values: pd.Series) -> pd.Series:
    """Vectorized `account_key`: a string Series with NA for blanks."""
    out = [
        # `str(int(value))` of plain digits, without the conversions.
        (value.lstrip("0") or "0")
        if type(value) is str and value.isdigit() and value.isascii()
        else account_key(value)
        for value in values.tolist()
    ]
    return pd.Series(out, index=values.index, dtype=TEXT)


def account_text(value: Any) -> str | None:
    """Return an account as the file prints it (`12345.0` -> `12345`)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.strip() or None
    return clean_text(value)


def account_texts(values: pd.Series) -> pd.Series:
    """Vectorized `account_text`."""
    out = [
        (value.strip() or None) if type(value) is str else account_text(value)
        for value in values.tolist()
    ]
    return pd.Series(out, index=values.index, dtype=TEXT)


# --- codes ----------------------------------------------------------------


def code(value: Any, kind: CodeKind) -> str | None:
    """Return the canonical code of an estrato, uso or comuna.

    Estrato and uso are two-digit strings (`1`, `"01 "`, `1.0` -> `"01"`;
    `"10"` stays `"10"`). A comuna is its number (`"COMUNA 01"` -> `"1"`)
    or, when it has no number, its name in upper case without accents.
    """
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        return _number_code(int(value), kind)

    text = strip_accents(_SPACES.sub(" ", fix_mojibake(str(value)))).strip()
    text = text.upper()
    if not text:
        return None
    pattern = rf"(?:{_CODE_PREFIX[kind]}\s*)?(\d+)(?:[.,]0+)?(?:\s*[-:]\s*\D.*)?"
    match = re.fullmatch(pattern, text)
    if match:
        return _number_code(int(match.group(1)), kind)
    return text


def codes(values: pd.Series, kind: CodeKind) -> pd.Series:
    """Vectorized `code`."""
    return _map_unique(values, lambda v: code(v, kind)).astype(TEXT)


def _number_code(number: int, kind: CodeKind) -> str:
    return str(number) if kind == "comuna" else f"{number:02d}"


# --- money and counts -----------------------------------------------------


def parse_money(value: Any) -> int | None:
    """Return an amount in integer centavos; None when the cell is blank.

    Reads numbers and Colombian text: `1.234.567,89`, `$ 1.234.567`,
    `1.500` (one thousand five hundred), `1'234.567` (apostrophe for
    millions), `(1.234)` and `-1.234` (negatives), `$ -` and `-` (zero).

    Raises:
        UnreadableValueError: the cell holds something that is not an
            amount (`abc`, `12,34,56`).
    """
    if is_blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise UnreadableValueError(value)
    if isinstance(value, int):
        centavos: int | None = value * 100
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise UnreadableValueError(value)
        centavos = int(round(value * 100))
    else:
        centavos = _parse_money_text(value)
    if centavos is not None and abs(centavos) >= MAX_CENTAVOS:
        raise UnreadableValueError(value)
    return centavos


def parse_count(value: Any) -> int | None:
    """Return a whole number (días, meses, facturas); None when blank.

    Raises:
        UnreadableValueError: not a whole number.
    """
    centavos = parse_money(value)
    if centavos is None:
        return None
    if centavos % 100:
        raise UnreadableValueError(value)
    return centavos // 100


def money_series(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorized `parse_money`: (Int64 centavos, mask of unreadable cells)."""
    return _parse_series(values, parse_money, whole=False)


def count_series(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorized `parse_count`: (Int64 numbers, mask of unreadable cells)."""
    return _parse_series(values, parse_count, whole=True)


def float_series(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (Float64 numbers, mask of unreadable) read like money."""
    centavos, bad = money_series(values)
    return centavos.astype("Float64") / 100, bad


def _parse_money_text(text: str) -> int | None:
    raw = _SPACES.sub("", text).upper().replace("COP", "")
    if not raw:
        return None
    raw = raw.replace("$", "")
    for mark in _APOSTROPHES:
        raw = raw.replace(mark, "'")
    if not raw.strip("-"):
        return 0  # `$ -` and `-` are how accounting formats print zero

    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1]
    if raw.startswith("-") or raw.endswith("-"):
        negative, raw = not negative, raw.strip("-")
    raw = raw.lstrip("+")
    if not raw or not _MONEY_CHARS.fullmatch(raw.replace("'", ".")):
        raise UnreadableValueError(text)

    centavos = _digits_to_centavos(raw, text)
    return -centavos if negative else centavos


def _digits_to_centavos(raw: str, original: str) -> int:
    """Read `1.234.567,89` (and the US `1,234,567.89`) into centavos."""
    integer, decimals = raw, ""
    last_dot, last_comma = raw.rfind("."), raw.rfind(",")
    if "'" in raw:
        integer = raw.replace("'", ".")
        if last_comma > -1:
            integer, decimals = integer.rsplit(",", 1)
        return _join_centavos(integer, decimals, ".", original)
    if last_dot > -1 and last_comma > -1:
        decimal_mark = "," if last_comma > last_dot else "."
        integer, decimals = raw.rsplit(decimal_mark, 1)
        thousands = "." if decimal_mark == "," else ","
        return _join_centavos(integer, decimals, thousands, original)
    for mark, grouped in ((".", _THOUSANDS), (",", _THOUSANDS_COMMA)):
        if mark in raw:
            if grouped.fullmatch(raw):
                return int(raw.replace(mark, "")) * 100
            if raw.count(mark) == 1:
                integer, decimals = raw.split(mark)
                return _join_centavos(integer, decimals, "", original)
            raise UnreadableValueError(original)
    return int(raw) * 100


def _join_centavos(integer: str, decimals: str, thousands: str, original: str) -> int:
    if thousands and thousands in integer:
        grouped = _THOUSANDS if thousands == "." else _THOUSANDS_COMMA
        if not grouped.fullmatch(integer):
            raise UnreadableValueError(original)
        integer = integer.replace(thousands, "")
    if integer and not integer.isdigit():
        raise UnreadableValueError(original)
    if decimals and not decimals.strip("0"):
        decimals = ""
    if decimals and (not decimals.isdigit() or len(decimals) > 2):
        raise UnreadableValueError(original)
    if not integer and not decimals:
        raise UnreadableValueError(original)
    return int(integer or "0") * 100 + int(decimals.ljust(2, "0") or "0")


def _parse_series(
    values: pd.Series, parse: Callable[[Any], int | None], whole: bool
) -> tuple[pd.Series, pd.Series]:
    parsed = np.zeros(len(values), dtype="int64")
    missing = np.ones(len(values), dtype=bool)
    bad = np.zeros(len(values), dtype=bool)
    kinds = values.map(type)

    numeric = kinds.isin(_NUMBER_TYPES).to_numpy()
    if numeric.any():
        numbers = values.to_numpy()[numeric].astype(float)
        cents = np.round(numbers * 100)
        wrong = ~np.isfinite(cents) | (np.abs(np.nan_to_num(cents)) >= MAX_CENTAVOS)
        if whole:
            wrong |= np.fmod(np.nan_to_num(cents), 100) != 0
        where = np.flatnonzero(numeric)
        bad[where[wrong]] = True
        good = cents[~wrong].astype("int64")
        parsed[where[~wrong]] = good // 100 if whole else good
        missing[where[~wrong]] = False

    others = np.flatnonzero(~numeric & ~values.isna().to_numpy())
    cache: dict[Any, int | None | UnreadableValueError] = {}
    raw = values.to_numpy()
    for position in others:
        result = _cached_parse(raw[position], parse, cache)
        if isinstance(result, UnreadableValueError):
            bad[position] = True
        elif result is not None:
            parsed[position] = result
            missing[position] = False

    series = pd.Series(
        pd.arrays.IntegerArray(parsed, missing), index=values.index, dtype="Int64"
    )
    return series, pd.Series(bad, index=values.index)


def _cached_parse(
    value: Any,
    parse: Callable[[Any], int | None],
    cache: dict[Any, int | None | UnreadableValueError],
) -> int | None | UnreadableValueError:
    key: tuple[type, Any] | None = (type(value), value)
    try:
        return cache[key]
    except KeyError:
        pass
    except TypeError:  # unhashable cell
        key = None
    try:
        parsed: int | None | UnreadableValueError = parse(value)
    except UnreadableValueError as exc:
        parsed = exc
    if key is not None:
        cache[key] = parsed
    return parsed


# --- helpers --------------------------------------------------------------


def excel_serial_date(days: float) -> dt.date | None:
    """Return the date of an Excel serial day number (45869 -> 2025-07-31).

    Only numbers from 1990 to 2099 are taken as dates: others are not.
    """
    if not SERIAL_DAYS[0] <= days < SERIAL_DAYS[1]:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(days))


def date_text(value: Any) -> str | None:
    """Return a date cell as `dd/mm/aaaa`, from a date or its serial number.

    Any other text comes back cleaned, as it was written.
    """
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    number: float | None = None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{5}(?:[.,]0+)?\s*", value):
        number = float(value.strip().replace(",", "."))
    if number is not None and not math.isnan(number):
        date = excel_serial_date(number)
        if date is not None and number == int(number):
            return date.strftime("%d/%m/%Y")
    return clean_text(value)


def date_texts(values: pd.Series) -> pd.Series:
    """Vectorized `date_text` (each distinct value is read once)."""
    return _map_unique(values, date_text).astype(TEXT)


def is_blank(value: Any) -> bool:
    """Tell whether a cell is empty: None, NaN, NA or only spaces."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return False


def _map_unique(values: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """Apply `func` once per distinct value (the columns repeat a lot)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    mapped = np.array([func(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)
