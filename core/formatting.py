"""Colombian display formats and the one rounding rule (half up).

Every figure the user reads goes through here, so the same amount reads the
same in a table, a chart, a list and a sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "es_CO"
DASH = "—"


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: Decimal | int | float | str, places: int = 0) -> Decimal:
    """Round to `places` decimals, halves away from zero."""
    quantum = Decimal(1).scaleb(-places)
    return to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def centavos_to_pesos(centavos: int) -> Decimal:
    return Decimal(int(centavos)).scaleb(-2)


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """Return part / whole as an exact percentage, or None without a whole."""
    whole = to_decimal(whole)
    if whole == 0:
        return None
    return to_decimal(part) * 100 / whole


def largest_remainder(
    values: Sequence[Decimal | int], places: int = 1
) -> list[Decimal]:
    """Return percentages of `values` that add up to exactly 100.

    Each is within one unit of the last place of its exact value: the units
    left after flooring go to the largest remainders (ties to the earlier).
    """
    total = sum((to_decimal(v) for v in values), Decimal(0))
    if total == 0:
        return [Decimal(0).scaleb(-places) for _ in values]
    unit = Decimal(1).scaleb(-places)
    exact = [to_decimal(v) * 100 / total for v in values]
    floors = [(e / unit).to_integral_value(rounding="ROUND_FLOOR") for e in exact]
    missing = int(Decimal(100) / unit - sum(floors))
    remainders = [exact[i] / unit - floors[i] for i in range(len(values))]
    order = sorted(range(len(values)), key=lambda i: (-remainders[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return [(f * unit).quantize(unit) for f in floors]


def fmt_int(value: int | Decimal | None) -> str:
    """`67325` -> `67.325`."""
    if value is None:
        return DASH
    return format_decimal(round_half_up(value), format="#,##0", locale=LOCALE)


def fmt_pesos(value: Decimal | int | float | None, decimals: int = 0) -> str:
    """`14912156524.06` -> `$ 14.912.156.524` (half up to the peso)."""
    if value is None:
        return DASH
    rounded = round_half_up(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(abs(rounded), format=pattern, locale=LOCALE)
    return f"-$ {text}" if rounded < 0 else f"$ {text}"


def fmt_pct(value: Decimal | float | None, decimals: int = 1) -> str:
    """`37.5` (already a percentage) -> `37,5 %`."""
    if value is None:
        return DASH
    rounded = round_half_up(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f"{format_decimal(rounded, format=pattern, locale=LOCALE)} %"


def fmt_decimal(value: Decimal | float | None, decimals: int = 1) -> str:
    if value is None:
        return DASH
    rounded = round_half_up(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(rounded, format=pattern, locale=LOCALE)


def fmt_date(value: dt.date | None) -> str:
    """`31/07/2025`."""
    if value is None:
        return DASH
    return format_date(value, format="dd/MM/yyyy", locale=LOCALE)


def fmt_month(periodo: str) -> str:
    """`2025-07` -> `julio de 2025`."""
    year, month = (int(p) for p in periodo.split("-"))
    return format_date(dt.date(year, month, 1), format="MMMM 'de' yyyy", locale=LOCALE)


def fmt_value(value: object, kind: str) -> str:
    """Format a table cell by its column kind."""
    if value is None:
        return DASH
    if kind == "conteo":
        return fmt_int(value)  # type: ignore[arg-type]
    if kind == "pesos":
        return fmt_pesos(value)  # type: ignore[arg-type]
    if kind == "porcentaje":
        return fmt_pct(value)  # type: ignore[arg-type]
    if kind == "decimal":
        return fmt_decimal(value)  # type: ignore[arg-type]
    return str(value)


def fmt_count(value: int, singular: str, plural: str) -> str:
    """`1 cuenta`, `3 cuentas`, `1.234 cuentas`."""
    return f"{fmt_int(value)} {singular if value == 1 else plural}"
