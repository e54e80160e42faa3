"""Cell values for spreadsheets: formula-injection neutralised text and plain numbers.

A text cell that begins with = + - @ (or a tab or carriage return) is read as a formula
by Excel and LibreOffice. Such text cells get a leading apostrophe ' in CSV and XLSX,
never in JSON. Numbers are typed cells and are written as they are.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """'=100%' → \"'=100%\"; other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # pragma: no cover - no boolean columns today
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return neutralise(str(value))
