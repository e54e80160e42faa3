"""Cells of one table row that a PDF's text layer printed one after the other, one text span a
line: the goals under `项目总目标 | 年度总体目标` come as the first column's wrapped lines, then
the second's. Where one cell ends is read from how the PDF wrapped them:

- a cell quoted whole (`"1.完成…` … `…目标管理。"`, how some PDF readers keep a cell of several
  lines) ends at the line that closes its quote;
- else each column has its own width: a cell's lines are all about as wide as its first, the
  last one no wider, ending a sentence or visibly shorter; the next column starts after it.

A split is used only when it is the one reading that fits; otherwise the text stays one cell
(nothing is cut on a guess).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Protocol

_SLACK = 2  # half-width units a wrapped line may differ by (a digit is half a Chinese character)
_SENTENCE_END = tuple('。．.！!；;）)”"')


class Line(Protocol):
    text: str
    line: int


def width(text: str) -> int:
    """Display width in half-width units: a Chinese character or full-width sign counts 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text.strip())


def quoted_cells(lines: Sequence[Line]) -> list[list[Line]] | None:
    """Lines grouped into cells each quoted whole; None unless every line is in such a cell."""
    groups: list[list[Line]] = []
    open_quote = False
    for line in lines:
        text = line.text.strip()
        if not open_quote:
            if not text.startswith('"'):
                return None
            groups.append([])
        groups[-1].append(line)
        if text.count('"') % 2:
            open_quote = not open_quote
    return groups if groups and not open_quote else None


def _one_column(lines: Sequence[Line], ends: bool) -> bool:
    """The lines are one cell wrapped in one column; `ends`: its last line must look final."""
    widths = [width(x.text) for x in lines]
    if len(widths) == 1:
        return not ends or lines[0].text.strip().endswith(_SENTENCE_END)
    full = widths[:-1]
    column = max(full)
    if column - min(full) > _SLACK or widths[-1] > column + _SLACK:
        return False
    if not ends:
        return True
    last = lines[-1].text.strip()
    return last.endswith(_SENTENCE_END) or widths[-1] < column - _SLACK


def wrapped_cells(lines: Sequence[Line], n: int) -> list[list[Line]] | None:
    """The lines cut into `n` cells of columns of their own widths, when exactly one cut fits."""
    if n == 1:
        return [list(lines)] if lines and _one_column(lines, ends=False) else None
    fits = []
    for cut in range(1, len(lines) - n + 2):
        head, rest = lines[:cut], lines[cut:]
        if not _one_column(head, ends=True):
            continue
        tail = wrapped_cells(rest, n - 1)
        if tail is not None and _distinct(head, tail[0]):
            fits.append([list(head), *tail])
    return fits[0] if len(fits) == 1 else None


def _distinct(a: Sequence[Line], b: Sequence[Line]) -> bool:
    """Two neighbouring cells of one wrapped column would have been one paragraph: their
    columns must differ in width, unless the first cell is a single line."""
    if len(a) == 1 or len(b) == 1:
        return True
    return abs(max(width(x.text) for x in a) - max(width(x.text) for x in b)) > _SLACK


def side_by_side(lines: Sequence[Line], n: int) -> list[list[Line]] | None:
    """`n` cells printed one after the other: quoted whole, or by their columns' widths."""
    quoted = quoted_cells(lines)
    if quoted is not None:
        return quoted if len(quoted) == n else None
    return wrapped_cells(lines, n)
