"""The desktop app (PySide6): windows, widgets, item models and workers."""
