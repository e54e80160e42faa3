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


def from_source(text: str) -> Text:
    """Provenance notes at the top of a collected file (`# source: URL`) are not table text:
    they are blanked out (keeping line numbers) and the URL kept."""
    lines = text.split("\n")
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
