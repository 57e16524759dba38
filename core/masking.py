"""Masking of personal names in debtor lists (Ley 1581 de 2012).

A masked name keeps its first word whole and only the initial of every other
word: `RODRIGUEZ PEREZ MARIA` reads `RODRIGUEZ P*** M***`. That is enough
for a field brigade to confirm whom it is talking to, and not enough to
identify a person from a lost sheet of paper.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HIDDEN = "***"


def mask_name(name: object) -> str:
    """Return `name` with every word after the first reduced to its initial."""
    if name is None or name is pd.NA or (isinstance(name, float) and name != name):
        return ""
    words = str(name).split()
    if not words:
        return ""
    return " ".join([words[0], *[_mask_word(word) for word in words[1:]]])


def _mask_word(word: str) -> str:
    # Punctuation such as "&" or "-" says nothing about a person: keep it.
    if word.isalnum() or any(char.isalnum() for char in word):
        return word[0] + HIDDEN
    return word


def mask_names(names: pd.Series) -> pd.Series:
    """Vectorized `mask_name`: masks each distinct name once."""
    text = names.astype("string").to_numpy(dtype=object, na_value=None)
    codes, distinct = pd.factorize(text)
    masked = np.array([mask_name(name) for name in distinct] + [""], dtype=object)
    return pd.Series(masked[codes], index=names.index, dtype="string")
