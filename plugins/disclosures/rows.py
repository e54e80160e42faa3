"""The indicator table as the official form prints it: level cells merged into rowspans.

Its own module so that render.py (the page list) and patterns.py (the pattern page's
examples) both use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .model import Indicator


@dataclass
class Row:
    """One indicator row with the rowspans of its merged level cells (0: cell covered above)."""

    indicator: Indicator
    level1_span: int
    level2_span: int
    level1_id: str
    level2_id: str


def table_rows(indicators: tuple[Indicator, ...]) -> list[Row]:
    """Merge consecutive equal level labels into rowspans, as the official form prints them."""
    rows: list[Row] = []
    position = 0
    for l1_number, (_, l1_group) in enumerate(groupby(indicators, key=lambda i: i.level1)):
        l1_items = list(l1_group)
        l1_id = f"l1-{l1_number}"
        l1_first = True
        for l2_number, (_, l2_group) in enumerate(groupby(l1_items, key=lambda i: i.level2)):
            l2_items = list(l2_group)
            l2_id = f"{l1_id}-{l2_number}"
            for k, indicator in enumerate(l2_items):
                rows.append(
                    Row(
                        indicator,
                        len(l1_items) if l1_first else 0,
                        len(l2_items) if k == 0 else 0,
                        l1_id,
                        l2_id,
                    )
                )
                l1_first = False
                position += 1
    return rows
