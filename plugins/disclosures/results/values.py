"""Numbers as a self-evaluation prints them: points, scores, amounts, rates.

Kept as Decimal (never float): `8.62` must stay 8.62 when compared with 10 × 86.19 %.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..problems import ValueProblem
from ..text import fold

# Whole match, ASCII digits only (fold() has made full-width digits ASCII already), and as
# long as money.py allows: other scripts' digits and 10^6-digit strings are not numbers here.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3}){1,7}|\d{1,24})(?:\.\d{1,12})?", re.ASCII)


def parse_number(written: str) -> Decimal:
    """`10`, `8.62`, `1,234.5`, full-width digits → Decimal."""
    text = fold(written).replace(" ", "")
    if not _NUMBER.fullmatch(text):
        raise ValueProblem(
            f"应为数字（如 10、8.62），而不是“{written}”",
            f"must be a number such as 10 or 8.62, not {written!r}",
        )
    return Decimal(text.replace(",", ""))


def parse_rate(written: str) -> Decimal:
    """`86.19%`, `100%`, `100` → the percentage as a Decimal (86.19)."""
    text = fold(written).replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    if not _NUMBER.fullmatch(text):
        raise ValueProblem(
            f"执行率应为百分数（如 86.19%），而不是“{written}”",
            f"rate must be a percentage such as 86.19%, not {written!r}",
        )
    return Decimal(text.replace(",", ""))
