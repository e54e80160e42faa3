"""Level labels a PDF wrapped in their narrow cells, one text span a line: `可持续影` / `响指标`,
`满意度指` / `标`, `服务对象` / `满意度指` / `标`, `生态环境` / `成本指标`. Joined back into the
label they are, only where the join is a standard level name of the national framework and
not every piece is one already (`效益指标` / `社会效益指标` are two cells). Each joined line
remembers its first source line, so messages still point at the source.
"""

from __future__ import annotations

import re

from . import vocab
from .runs import LEVEL_NAMES, LinedText
from .source import Text

_MAX_PIECES = 3  # 服务对象 / 满意度指 / 标
_PIECE = re.compile(r"[\u4e00-\u9fff]{1,8}")  # a plain span: no cell border, digits or spaces


def join_wrapped_levels(t: Text) -> Text:
    """`t` with wrapped level labels on one line each (t itself when there are none)."""
    lines = t.text.split("\n")
    origin = []
    offset = 0
    for line in lines:
        origin.append(t.line_of(offset))  # the source's line, also of an already cut text
        offset += len(line) + 1
    out: list[str] = []
    numbers: list[int] = []
    i = 0
    changed = False
    while i < len(lines):
        k = _wrapped_at(lines, i)
        around = None if k else _around_row(lines, i)
        if around:
            k, row_at, row = around
            out.append(row)
            numbers.append(origin[row_at])
            changed = True
            i += k
            continue
        if k:
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            out.append(indent + "".join(ln.strip() for ln in lines[i : i + k]))
            changed = True
        else:
            k = 1
            out.append(lines[i])
        numbers.append(origin[i])
        i += k
    if not changed:
        return t
    return LinedText("\n".join(out), t.source_url, origin=tuple(numbers))


def _wrapped_at(lines: list[str], i: int) -> int:
    """How many lines from `i` on make one wrapped level label (0: none)."""
    for k in range(_MAX_PIECES, 1, -1):
        pieces = [ln.strip() for ln in lines[i : i + k]]
        if len(pieces) < k or not all(_PIECE.fullmatch(p) for p in pieces):
            continue
        if "".join(pieces) in LEVEL_NAMES and not all(p in LEVEL_NAMES for p in pieces):
            return k
    return 0


def _is_row(line: str) -> bool:
    """A table row a line-keeping PDF reader printed: several words on one line."""
    return len(line.split()) >= 2


def _around_row(lines: list[str], i: int) -> tuple[int, int, str] | None:
    """A level label a line-keeping PDF reader wrapped around its row: the cell's text is
    centred on the row, so its first piece(s) print on the line(s) above the row and the
    rest below (`生态环境` / `文明施工情况 可控` / `成本指标`), or the cell's first line shares
    the row's line and its rest is below (`满意度指 居民群众满意度 ≥90.00(%)` / `标`).
    Returns (lines used, index of the row, the row with the label as its cell) or None."""
    for above in (2, 1, 0):
        at = i + above
        if at >= len(lines) or not _is_row(lines[at]):
            continue
        pieces = [ln.strip() for ln in lines[i:at]]
        if not all(_PIECE.fullmatch(p) for p in pieces):
            continue
        words = lines[at].split()
        for below in (2, 1):
            after = [ln.strip() for ln in lines[at + 1 : at + 1 + below]]
            if len(after) < below or not all(_PIECE.fullmatch(p) for p in after):
                continue
            used = above + 1 + below
            own = _own_rest(words, lines[i + used] if above and i + used < len(lines) else "")
            if own:  # the row's own first cell wrapped below too (满意度指 … / 标)
                words, used = [own, *words[1:]], used + 1
            row = _with_label(words, pieces, after)
            if row is not None:
                indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
                return used, at, indent + row
            words = lines[at].split()
    return None


def _own_rest(words: list[str], line: str) -> str:
    """The row's first word and the lone piece on `line` make one level label: that label."""
    piece = line.strip()
    if not _PIECE.fullmatch(piece) or words[0] in LEVEL_NAMES or not _PIECE.fullmatch(words[0]):
        return ""
    return words[0] + piece if words[0] + piece in LEVEL_NAMES else ""


def _with_label(words: list[str], above: list[str], below: list[str]) -> str | None:
    """The row's words with the wrapped label put back as its cell, or None."""
    if above:
        label = "".join(above + below)
        if label not in LEVEL_NAMES or all(p in LEVEL_NAMES for p in above + below):
            return None
        if (
            words[0] in LEVEL_NAMES
            and vocab.level1_score(words[0], vocab.NATIONAL)
            and not vocab.level1_score(label, vocab.NATIONAL)
        ):
            return " ".join([words[0], label, *words[1:]])  # 满意度指标 | 服务对象满意度指标
        return " ".join([label, *words])
    if len(below) != 1 or words[0] in LEVEL_NAMES or not _PIECE.fullmatch(words[0]):
        return None
    label = words[0] + below[0]
    if label not in LEVEL_NAMES:
        return None
    return " ".join([label, *words[1:]])
