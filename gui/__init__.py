"""The desktop app (PySide6): windows, widgets, item models and workers."""

from gui.refcounts import pin_singletons

pin_singletons()
