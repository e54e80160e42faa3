"""The text of one input, with line numbers for any offset, and its layout."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

PIPES = "pipes"  # web table flattened with "|" between cells
CELLS = "cells"  # web table flattened one cell per paragraph (blank line between cells)
ROWS = "rows"  # one table row per line, cells separated by spaces (PDF text, some web pages)
LINES = "lines"  # web table flattened one cell per line, with no blank line between cells

_PROVENANCE = re.compile(r"^#\s*(source|completeness)\s*:\s*(.*)$")


@dataclass
class Text:
    text: str
    source_url: str = ""  # from a leading "# source:" note of a collected file
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line_start(self, offset: int) -> int:
        return self._starts[self.line_of(offset) - 1]


# Labels of merged cells that a PDF prints vertically, one character per line, beside rows.
VERTICAL = {
    "绩效指标",
    "绩效目标",
    "项目资金",
    "总体目标",
    "年度目标",
    "中期目标",
    "资金",
    "指标",
    "目标",
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    "年度绩效目标",
    "项目绩效目标",
    "投入与管理",
    "产出目标",
    "效果目标",
    "影响力目标",
    "项目完成指标",
    "项目效益指标",
    "绩效指标表",
}
_LEAD_CHAR = re.compile(r"^\s*([\u4e00-\u9fff])(?:\s+|$)")


def unstack_vertical(lines: list[str]) -> list[str]:
    """`绩 一级指标 …` / `效 产出指标 …` / `指 …` / `标 …`: a vertical label's characters lead
    consecutive lines. The label is put back whole at the head of its first line."""
    out = list(lines)
    i = 0
    while i < len(out):
        j = i
        chars = []
        while j < len(out) and (m := _LEAD_CHAR.match(out[j])):
            chars.append(m.group(1))
            j += 1
        label = "".join(chars)
        best = next((k for k in range(len(chars), 1, -1) if "".join(chars[:k]) in VERTICAL), 0)
        if best:
            for k in range(i, i + best):
                rest = _LEAD_CHAR.sub("", out[k], count=1)
                out[k] = f"{label[:best]} {rest}".rstrip() if k == i else rest
            i += best
        else:
            i += 1
    return out


def from_source(text: str) -> Text:
    """Provenance notes at the top of a collected file (`# source: URL`) are not table text:
    they are blanked out (keeping line numbers) and the URL kept."""
    lines = unstack_vertical(text.split("\n"))
    url = ""
    for i, line in enumerate(lines[:5]):
        match = _PROVENANCE.match(line.strip())
        if not match:
            continue
        if match[1] == "source":
            url = match[2].split()[0] if match[2].split() else ""
        lines[i] = ""
    return Text("\n".join(lines), url)


def layout_of(text: str) -> str:
    """How the cells of a table were flattened into lines."""
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    if not filled:
        return ROWS
    piped = sum(1 for line in filled if line.rstrip().endswith("|") or "|" in line)
    if piped / len(filled) > 0.3:
        return PIPES
    blank = sum(1 for line in lines if not line.strip())
    single = sum(len(x.split()) <= 1 for x in filled) / len(filled)
    # One cell per paragraph: about as many blank lines as filled ones, short lines.
    if blank / len(lines) > 0.35 and single > 0.7:
        return CELLS
    return LINES if single > 0.85 and len(filled) >= 8 else ROWS


def table_layout(text: str) -> str:
    """The layout of an indicator table, told by its column headings: on one line (rows), or
    one per line (cells), with or without blank lines between them."""
    if layout_of(text) == PIPES:
        return PIPES
    match = re.search(r"一\s*级\s*(指\s*标|目\s*标)(?P<gap>\s*)二\s*级", text)
    if match and "\n" in match["gap"]:
        return CELLS if re.search(r"\n[ \t]*\n", match["gap"]) else LINES
    return ROWS
