"""Level labels a PDF wrapped in their narrow cells, one text span a line: `可持续影` / `响指标`,
`满意度指` / `标`, `服务对象` / `满意度指` / `标`, `生态环境` / `成本指标`. Joined back into the
label they are, only where the join is a standard level name of the national framework and
not every piece is one already (`效益指标` / `社会效益指标` are two cells). Each joined line
remembers its first source line, so messages still point at the source.
"""

from __future__ import annotations

import re

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
