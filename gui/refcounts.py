"""Guard the interpreter against PySide6's lost references to None and True.

WORKAROUND: PySide6/shiboken6 6.12.0 (abi3 wheels) returns `None` from
every void method (`setText`, `hide`, `beginResetModel`...) and `True` from
`Signal.emit` without adding a reference. From Python 3.12 on these objects
are immortal and nothing happens; on 3.10 and 3.11 each call takes one
reference away, and after enough calls the interpreter aborts with "Fatal
Python error: none_dealloc" (or bool_dealloc), often at exit. Measured here
with `sys.getrefcount(None)` before and after 100 `QLabel.setText` calls. No
upstream report found yet. Remove once the app runs on Python >= 3.12 or on
a fixed PySide6.
"""

from __future__ import annotations

import ctypes
import sys

# Enough references for any session (a call costs one) while staying far
# from the limit of the reference count field.
EXTRA_REFERENCES = 1 << 40


def pin_singletons() -> bool:
    """Give None, True and False a huge reference count on Python < 3.12.

    Returns whether anything was done.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for singleton in (None, True, False):
        # CPython keeps the reference count as the object's first field.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < EXTRA_REFERENCES:
            count.value += EXTRA_REFERENCES
    return True
