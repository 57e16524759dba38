"""The window's building blocks: start screen, cards, table and chart panels."""
