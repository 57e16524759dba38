"""The app's look: one style sheet over the platform style."""

from __future__ import annotations

STYLE_SHEET = """
QLabel#startTitle { font-size: 20pt; font-weight: bold; color: #1f4e79; }
QLabel#startIntro { font-size: 11pt; }
QFrame#startCard { background: #ffffff; border: 1px solid #d6dde6;
                   border-radius: 8px; }
QLabel#sectionTitle { font-size: 11pt; font-weight: bold; color: #1f4e79; }
QLabel#hint { color: #5f6b73; }
QLabel#problem { color: #a12a1b; }
QPushButton#primaryButton { background: #1f4e79; color: #ffffff;
                            font-weight: bold; padding: 8px 16px;
                            border-radius: 4px; border: none; }
QPushButton#primaryButton:hover { background: #2b6a99; }
QListWidget#recentList { font-size: 10pt; }
QListWidget#recentList::item { padding: 6px; }

QLabel#monthHeading { font-size: 14pt; font-weight: bold; color: #1f4e79; }
QLabel#sourcesLine { color: #5f6b73; }
QFrame#summaryCard { background: #ffffff; border: 1px solid #d6dde6;
                     border-left: 4px solid #2b6a99; border-radius: 4px; }
QLabel#cardCaption { color: #5f6b73; }
QLabel#cardValue { font-size: 16pt; font-weight: bold; color: #1f2d3a; }

QLabel#panelTitle { font-size: 12pt; font-weight: bold; color: #1f4e79; }
QLabel#panelNote { color: #5f6b73; }
QLabel#emptyMessage { font-size: 12pt; color: #5f6b73; }
QPushButton#tablePicker { padding: 4px 10px; }
QPushButton#tablePicker:checked { background: #1f4e79; color: #ffffff;
                                  border: 1px solid #1f4e79; border-radius: 3px; }

QFrame#messageBar[kind="error"] { background: #fbe3e0; border: 1px solid #e0a39a; }
QFrame#messageBar[kind="info"] { background: #fdf3d8; border: 1px solid #e6cf8f; }
QFrame#messageBar[kind="done"] { background: #e2f1e5; border: 1px solid #9fcca9; }
QFrame#progressStrip { background: #eef3f8; border: 1px solid #c9d6e3; }
"""
