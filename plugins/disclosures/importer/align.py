"""Put the cells of one table row into the table's columns.

Rows of real tables lose cells (merged 一级/二级 cells appear once, empty cells vanish when a
row is flattened to text) and split others (a space inside a name). So cells are matched to
columns by what they look like, in order, choosing the assignment that fits best: a small
dynamic programme over (cell, column).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import vocab
from .textutil import squash
from .values import is_nature, is_operator, is_unit, target_score, weight_score


@dataclass(frozen=True)
class Column:
    role: str  # level1, level2, name, target, operator, unit, nature, direction, weight …
    group: str = ""  # "", "mid", "half" or "year" for the twin columns of some tables
    label: str = ""  # the heading as printed, for a column the format has no field for

    @property
    def key(self) -> tuple[str, str]:
        return (self.role, self.label or self.group)


_MERGEABLE = {"name", "target", "explanation", "standard", "note"}
_IMPOSSIBLE = -10_000


def cell_score(text: str, column: Column, form: str) -> int:
    """How well a cell fits a column: 0 means it cannot go there."""
    role = column.role
    if role == "level1":
        return 2 * vocab.level1_score(text, form)
    if role == "level2":
        if squash(text) == vocab.FRAMEWORK_GOAL:
            return 1  # a 二级 only under 决策 (the builder decides; see vocab.FRAMEWORK_GOAL)
        return 4 if vocab.is_level2(text) else 0
    if role == "name":
        if is_operator(text):
            return 0
        return 1 if vocab.level1_score(text, form) == 2 else 2
    if role == "target":
        return target_score(text)
    if role == "operator":
        return 4 if is_operator(text) else 0
    if role in ("nature", "direction"):
        return 4 if is_nature(text) else 0
    if role == "unit":
        return 3 if is_unit(text) else 1
    if role == "weight":
        return weight_score(text)
    if role == "standard":
        return 3 if "标准" in text else 1
    return 1  # explanation, note: any text


def align(cells: list[str], columns: list[Column], form: str) -> list[tuple[tuple[str, str], str]]:
    """The best assignment of `cells` (in order) to `columns` (in order).

    A column may stay empty; a cell that fits nowhere is merged into the text column before
    it (at a cost), so nothing is dropped. Returns (column key, text) in column order: two
    columns can share a key (a heading set printed twice), and the caller decides.
    """
    n, m = len(cells), len(columns)
    scores = [[cell_score(c, col, form) for col in columns] for c in cells]

    @cache
    def best(i: int, j: int) -> tuple[int, tuple[tuple[int, int, int], ...]]:
        """(score, placements (first cell, end cell, column)) for cells[i:] in columns[j:]."""
        if i == n:
            return 0, ()
        if j == m:
            return _IMPOSSIBLE, ()
        choice: tuple[int, tuple[tuple[int, int, int], ...]] = (_IMPOSSIBLE - 1, ())
        if scores[i][j] > 0:
            last = n if columns[j].role in _MERGEABLE else i + 1
            for k in range(i + 1, last + 1):
                rest, placed = best(k, j + 1)
                total = scores[i][j] - 3 * (k - i - 1) + rest
                if total > choice[0]:
                    choice = (total, ((i, k, j), *placed))
        skip = best(i, j + 1)
        # On a tie the earlier column wins: 正向 is the 指标性质 before it is the 指标方向.
        return skip if skip[0] > choice[0] else choice

    score, placements = best(0, 0)
    if score <= _IMPOSSIBLE // 2:  # nothing fits: keep the cells as one name
        return [(("name", ""), " ".join(cells))]
    return [(columns[j].key, " ".join(cells[i:k])) for i, k, j in placements]


def is_group_cell(text: str) -> bool:
    """The vertical heading 绩效指标 that a merged first column repeats into a row."""
    return squash(text).replace("?", "") in (
        "绩效指标",
        "绩效目标",
        "年度绩效指标",
        "本年度绩效指标",
        "产出效益指标",
    )
