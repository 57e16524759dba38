"""Caracterización de usuarios: reading, rules, tables and reports (no Qt here)."""

__version__ = "0.1.0"
