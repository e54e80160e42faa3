"""Cell values for spreadsheets: formula-injection guard for CSV, plain numbers.

What a spreadsheet program evaluates decides the guard (Excel, LibreOffice Calc and Google
Sheets opening a CSV file):
- a text that starts with = + - @, or their full-width forms ＝ ＋ － ＠ (Excel in Chinese
  locales accepts them as formula signs), also after leading white space (spaces, tabs, CR,
  LF, the ideographic space U+3000: programs trim it before deciding), is a formula;
- a text that starts with a tab or a carriage return is guarded too (some programs drop
  them on import, and what follows may then be a formula);
- but a text that reads as a plain number, `-5`, `+86`, `-1,234.5`, `-5%`, is a number to
  every program, not a formula: it is written as it is (an apostrophe would show in the cell);
- `=100%` is a formula and guarded.
A guarded CSV cell gets a leading apostrophe ', as OWASP recommends. XLSX cells are typed:
text is written as a string cell (XlsxWriter `write_string`), which no program evaluates, so
the workbook holds every text exactly as written, with no guard. JSON is not a spreadsheet.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

# Leading white space, then a formula sign (ASCII or full-width); or a tab/CR at the start.
_FORMULA_START = re.compile(r"[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r]")
_PLAIN_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?%?\s*")


def is_formula(text: str) -> bool:
    """True when a spreadsheet program opening a CSV would evaluate `text` (see above)."""
    return _FORMULA_START.match(text) is not None and _PLAIN_NUMBER.fullmatch(text) is None


def neutralise(text: str) -> str:
    """'=100%' → \"'=100%\"; '＝1+1' and ' =1' too; '-5' and other text unchanged."""
    return "'" + text if is_formula(text) else text


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
