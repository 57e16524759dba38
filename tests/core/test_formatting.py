"""Colombian formats and the half-up rounding, against hand-made values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from core.formatting import (
    fmt_date, fmt_int, fmt_month, fmt_pct, fmt_pesos, largest_remainder,
    round_half_up,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("14912156524.06"), "$ 14.912.156.524"),
        (D("0.5"), "$ 1"),
        (D("1.5"), "$ 2"),
        (D("2.5"), "$ 3"),  # Python's round would give 2
        (D("1493306.28"), "$ 1.493.306"),
        (D("-1234.5"), "-$ 1.235"),
        (0, "$ 0"),
        (None, "—"),
    ],
)
def test_pesos_round_half_up(value, expected):
    assert fmt_pesos(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("14.85"), "14,9 %"), (D("14.75"), "14,8 %"), (D("37.5"), "37,5 %"),
     (D("0.05"), "0,1 %"), (None, "—")],
)
def test_percent_round_half_up(value, expected):
    assert fmt_pct(value) == expected


def test_counts_dates_and_months():
    assert fmt_int(67325) == "67.325"
    assert fmt_int(1234567) == "1.234.567"
    assert fmt_date(dt.date(2025, 7, 31)) == "31/07/2025"
    assert fmt_month("2025-07") == "julio de 2025"
    assert fmt_month("2025-12") == "diciembre de 2025"


def test_round_half_up_on_floats_uses_their_shortest_repr():
    assert round_half_up(2.675, 2) == D("2.68")
    assert round_half_up(0.125, 2) == D("0.13")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # The reference report's Tabla 2 rounded to 94 + 6 + 1 = 101.
        ([63155, 3716, 454], ["93.8", "5.5", "0.7"]),
        ([1, 1, 1], ["33.4", "33.3", "33.3"]),
        ([1, 0], ["100.0", "0.0"]),
        ([0, 0], ["0.0", "0.0"]),
    ],
)
def test_largest_remainder_adds_to_100(values, expected):
    shares = largest_remainder(values)
    assert shares == [D(e) for e in expected]
    if sum(values):
        assert sum(shares) == D("100.0")


def test_largest_remainder_keeps_each_share_within_a_tenth():
    values = [25235, 19916, 8066, 9331, 607, 3447, 210, 59, 232, 222]
    total = sum(values)
    shares = largest_remainder(values)
    assert sum(shares) == D("100.0")
    for value, pct in zip(values, shares):
        assert abs(D(value) * 100 / total - pct) < D("0.1")
