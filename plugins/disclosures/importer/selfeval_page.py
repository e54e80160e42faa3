"""A page holding self-evaluations, cut into its tables (issue 14).

部门决算 pages print a project's 项目支出绩效目标表 and its 项目支出绩效自评表 in either order,
or several projects' self-evaluations one after another. The page is cut at each table's
header: its 项目名称 row (专项(项目)名称, 专项资金名称 on transfer forms) and the title lines
just above it (附件2, 项目支出绩效自评表, (2022年度)). Each part is then a self-evaluation (it has
the columns only a self-evaluation has, `is_selfeval`) or a target table; text that is
neither (the page's head, a narrative) goes with the table after it. Consecutive target
tables stay together, to be drafted as any target table is; each self-evaluation is its own
part, to be written into the project file it answers (by name). Every part keeps the page's
line numbers, so that messages name the line of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import fold
from .draft import Draft, Piece
from .selfeval import Part, is_selfeval
from .source import Text

# The first row of a table: its project's name (the labels of the national, transfer and
# 专项 forms). 一级/二级项目名称 rows (甘肃's form) are inside a table, not its start.
_HEADER = re.compile(r"^(项目名称|专项\(项目\)名称|专项名称|专项资金名称)")
# Title lines printed above that row: the table's title, its year, the attachment number,
# the unit's stamp line.
_TITLE_WORDS = ("附件", "单位", "填报", "申报单位", "金额单位", "项目负责人", "项目责任人")
_YEAR_ONLY = re.compile(r"[(]?(?:19|20)\d{2}年度?[)]?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLE_LINES = 6  # how far above the 项目名称 row a title is looked for
_INDICATOR_WORDS = ("一级指标", "三级指标", "指标值")


@dataclass
class Page:
    """The page's target tables (runs of consecutive ones) and its self-evaluations."""

    targets: list[Part] = field(default_factory=list)
    results: list[Part] = field(default_factory=list)


def _squash(line: str) -> str:
    return re.sub(r"\s+", "", fold(line)).strip("|")


def _is_title(line: str) -> bool:
    squashed = _squash(line).replace("|", "")
    return (
        bool(squashed)
        and len(squashed) <= 40
        and (
            "表" in squashed
            or bool(_YEAR_ONLY.fullmatch(squashed))
            or squashed.startswith(_TITLE_WORDS)
        )
    )


def _table_starts(lines: list[str]) -> list[int]:
    """The first line (0-based) of every table: its title lines, else its 项目名称 row."""
    starts: list[int] = []
    for k, line in enumerate(lines):
        if not _HEADER.match(_squash(line)):
            continue
        floor = starts[-1] + 1 if starts else 0
        start = k
        j = k - 1
        while j >= max(floor, k - _TITLE_LINES):
            if _is_title(lines[j]):
                start = j
            elif _squash(lines[j]):
                break
            j -= 1
        starts.append(start)
    return starts


def _has_heading(text: str) -> bool:
    """An indicator table's heading row (一级指标 then 二级 or 三级指标): rows follow it."""
    return bool(
        re.search(r"一级指标[^\n]{0,12}\n?[^\n]{0,12}[二三]级指标", re.sub(r"[ \t|]", "", text))
    )


def _has_rows(text: str) -> bool:
    squashed = re.sub(r"\s+", "", text)
    return any(word in squashed for word in _INDICATOR_WORDS)


def _kind(text: str) -> str:
    if is_selfeval(text):
        return "results"
    return "targets" if _has_rows(text) else "other"


def split_page(t: Text) -> Page:
    """Cut a page recognised as holding a self-evaluation into its tables (see the module)."""
    lines = t.text.split("\n")
    starts = _table_starts(lines)
    bounds = sorted({0, *starts}) + [len(lines)]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    parts: list[tuple[str, int, int]] = []  # (kind, first line, end line), 0-based
    orphans: list[tuple[int, str]] = []
    pending = 0  # where the next part begins: text of no table goes with the table after it
    for first, end in zip(bounds, bounds[1:], strict=False):
        if first == end:
            continue
        # The page's head, before the first table, is no table even when it names columns.
        kind = _kind("\n".join(lines[first:end])) if first in starts else "other"
        if kind == "other":
            continue
        if parts and parts[-1][0] == kind == "targets":
            parts[-1] = (kind, parts[-1][1], end)  # one run of target tables
        elif not parts and kind == "results" and _has_heading("\n".join(lines[:first])):
            # Rows before the first 项目名称: the end of a table the page cut (a page of several
            # self-evaluations stored from the middle). Not this table's: listed with it.
            orphan = next(k for k in range(first) if _squash(lines[k]))
            parts.append((kind, first, end))
            orphans.append((t.line_of(offsets[orphan]), lines[orphan].strip()))
        else:
            parts.append((kind, min(pending, first), end))
        pending = end
    if not parts:
        return Page(results=[_part(t, lines, offsets, 0, len(lines), "")])
    if pending < len(lines):  # trailing text of no table: the last table's
        kind, first, _ = parts[-1]
        parts[-1] = (kind, first, len(lines))
    page = Page()
    for kind, first, end in parts:
        before = _YEAR.findall(t.text[: offsets[first]])
        part = _part(t, lines, offsets, first, end, before[0] if before else "")
        (page.results if kind == "results" else page.targets).append(part)
    if orphans:
        page.results[0].orphans = orphans
    return page


def _part(t: Text, lines: list[str], offsets: list[int], first: int, end: int, year: str) -> Part:
    text = "\n".join(lines[first:end])
    return Part(text, t.source_url, first_line=t.line_of(offsets[first]), page_year=year)


def plain(part: Text) -> Text:
    """The part's text numbered from 1 (for the target-table importer, which may rebuild the
    text, e.g. folded from traditional script); `shift_lines` puts the page's lines back."""
    return Text(part.text, part.source_url)


def shift_lines(drafts: list[Draft], part: Text) -> list[Draft]:
    """Drafts of `plain(part)` with the page's line numbers."""
    by = getattr(part, "first_line", 1) - 1
    if by:
        for draft in drafts:
            draft.first_line += by
            for pieces in (draft.unplaced, draft.outside, draft.personal):
                pieces[:] = [Piece(p.line + by, p.text) for p in pieces]
    return drafts
