"""Tables that hold several projects side by side: one project per column.

A 专项 notice often prints one 绩效目标表 for all the projects it funds: the indicator rows
once, then a value column per project (西坪镇尧山村 | 桃舟乡吾培村 | …), usually after an
allocation list (安排表: 序号 | 乡镇名称 | 项目名称 | 金额) that names each project and its
money. Each column becomes a project of its own: the shared rows with that column's value as
the target, and its name, unit and amount from the allocation row it matches. What belongs to
the whole 专项 (its name, totals, goal) is kept in each draft's `extra`, never dropped.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from .draft import Draft, Piece
from .source import Text
from .textutil import squash
from .values import amount_in_yuan, target_score

PROJECT = "project"  # the column role of a project's value column
WIDE_KEY = "_wide"  # an indicator's values per project column, until the draft is split

_NAME_HEADS = ("项目名称", "项目")
_PLACE_HEADS = (
    "乡镇名称",
    "乡镇",
    "乡镇(街道)",
    "属地",
    "县区",
    "县(市、区)",
    "县(市,区)",
    "地区",
    "单位名称",
    "单位",
    "实施单位",
    "项目单位",
)
_AMOUNT_HEADS = (
    "金额",
    "资金",
    "安排金额",
    "下达金额",
    "分配金额",
    "补助金额",
    "资金金额",
    "安排资金",
    "下达资金",
    "预算数",
)
_OTHER_HEADS = ("序号", "备注", "建设内容", "主要建设内容")
_UNIT_IN_HEAD = re.compile(r"[(（](万元|元)[)）]")
_TOTAL_ROW = ("合计", "总计", "小计")
_SHORT = 16  # a project column's heading: a place and a village, a town, a short name


@dataclass(frozen=True)
class Allocation:
    """One row of an allocation list."""

    place: str
    name: str
    amount: int | None  # 元
    written: str  # the amount as printed, with its unit when the list gives one
    line: int


@dataclass(frozen=True)
class AllocationList:
    rows: tuple[Allocation, ...]
    start: int
    end: int  # offset after the list's last row (its 合计 row included)


def _head_kind(text: str) -> str | None:
    key = _UNIT_IN_HEAD.sub("", squash(text).replace("（", "(").replace("）", ")"))
    if key in _NAME_HEADS:
        return "name"
    if key in _PLACE_HEADS:
        return "place"
    if key in _AMOUNT_HEADS or key.endswith("金额"):
        return "amount"
    if key in _OTHER_HEADS:
        return "other"
    return None


def _pipe_cells(t: Text, start: int, end: int) -> list[tuple[str, int, int]]:
    """(text, offset, line) of every cell of `|`-separated text; '' for an empty cell."""
    out: list[tuple[str, int, int]] = []
    offset = start
    for line in t.text[start:end].split("\n"):
        col = offset
        parts = line.split("|")
        closed = parts[:-1] if len(parts) > 1 else parts
        for part in closed:
            out.append((part.strip(), col, t.line_of(col)))
            col += len(part) + 1
        if len(parts) > 1 and parts[-1].strip():
            out.append((parts[-1].strip(), col, t.line_of(col)))
        offset += len(line) + 1
    return out


def find_allocation(t: Text, start: int, end: int, scale_wan: bool) -> AllocationList | None:
    """An allocation list in text[start:end] (pipe-separated cells): a heading row naming a
    project-name column and an amount column, then one row per project up to 合计."""
    cells = _pipe_cells(t, start, end)
    filled = [c for c in cells if c[0]]
    for i, (text, _offset, _line) in enumerate(filled):
        if _head_kind(text) is None:
            continue
        heads = []
        j = i
        while j < len(filled) and _head_kind(filled[j][0]) is not None:
            heads.append(_head_kind(filled[j][0]))
            j += 1
        if "name" not in heads or "amount" not in heads or len(heads) < 3:
            continue
        # 金额（万元）in a heading, or the list's 单位：万元 line above it
        wan = scale_wan or any("万元" in filled[k][0] for k in range(i, j))
        return _rows(cells, filled[j - 1][1], heads, wan, t, start=filled[i][1])
    return None


def _rows(
    cells: list[tuple[str, int, int]],
    after: int,
    heads: list[str | None],
    wan: bool,
    t: Text,
    start: int,
) -> AllocationList | None:
    """The rows after the heading: len(heads) cells each (an empty 备注 counts), to 合计."""
    stream = [c for c in cells if c[1] > after]
    # The heading's own trailing empty cells (a `|` line) belong to it, not to the first row.
    while stream and not stream[0][0]:
        stream.pop(0)
    rows: list[Allocation] = []
    width = len(heads)
    pos = 0
    end = after
    while pos < len(stream):
        first = stream[pos][0]
        if squash(first) in _TOTAL_ROW:  # 合计 | 100: the total row closes the list
            last = stream[min(pos + 1, len(stream) - 1)]
            end = last[1] + len(last[0])
            break
        row = stream[pos : pos + width]
        if len(row) < width or not row[0][0]:
            break
        values = dict(zip(heads, (c[0] for c in row), strict=False))
        name = values.get("name", "")
        written = values.get("amount", "")
        amount = amount_in_yuan(written, wan)
        if not name or amount is None:
            break
        if re.search(r"(万元|万|元)$", squash(written)):
            shown = written
        else:
            shown = f"{written}万元" if wan else f"{written}元"
        rows.append(Allocation(values.get("place", ""), name, amount, shown, row[0][2]))
        pos += width
        end = row[-1][1] + len(row[-1][0])
        while pos < len(stream) and not stream[pos][0]:  # padding between flattened rows
            pos += 1
    if len(rows) < 2:
        return None
    text_end = t.text.find("\n", end)
    return AllocationList(tuple(rows), start, text_end + 1 if text_end >= 0 else end)


def project_headings(cells: list[str]) -> int:
    """How many of the leading `cells` are project columns' headings: short texts that name
    no known column (the caller checked); at least two make a wide table."""
    count = 0
    for text in cells:
        key = squash(text)
        if not key or len(key) > _SHORT or target_score(text) >= 3:
            break  # a number, an operator, 及时, 优良 …: a row's value, not a heading
        count += 1
    return count if count >= 2 else 0


def _match(label: str, rows: tuple[Allocation, ...]) -> Allocation | None:
    """The allocation row a column heading names: 西坪镇尧山村 → place 西坪镇 + a name that
    starts with 尧山村; or the heading is the place (笏石街道办) or the name itself."""
    key = squash(label)
    best: tuple[int, Allocation | None] = (0, None)
    for row in rows:
        place, name = squash(row.place), squash(row.name)
        score = 0
        if key == name or key == place:
            score = 100
        elif place and key.startswith(place):
            rest = key[len(place) :]
            score = 50 + _common_prefix(rest, name)
        elif key in name:
            score = 40
        if score > best[0]:
            best = (score, row)
    return best[1] if best[0] >= 50 or best[0] == 40 else None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


_SHARED_BUDGET = {"total": "资金总额", "fiscal": "其中：财政拨款", "other": "其他资金"}


def split(draft: Draft, labels: list[str], allocation: AllocationList | None) -> list[Draft]:
    """One draft per project column of a wide table."""
    rows = allocation.rows if allocation else ()
    matched = [_match(label, rows) for label in labels]
    if rows and len(rows) == len(labels) and not any(matched):
        matched = list(rows)  # same count, no heading names its row: the page's order
    drafts = []
    for label, row in zip(labels, matched, strict=True):
        drafts.append(_one(draft, label, row))
    return drafts


def _one(draft: Draft, label: str, row: Allocation | None) -> Draft:
    out = Draft(draft.form, first_line=draft.first_line)
    data = copy.deepcopy(draft.data)
    out.comments = copy.deepcopy(draft.comments)
    out.unplaced = list(draft.unplaced)
    out.outside = list(draft.outside)
    out.personal = list(draft.personal)
    indicators = []
    for item in data.pop("indicators", []) or []:
        values = item.pop(WIDE_KEY, {})
        if values.get(label):
            item["target"] = values[label]
        indicators.append(item)
    shared: list[dict[str, str]] = []
    fund_name = data.pop("name", "")
    if fund_name:
        shared.append({"label": "专项名称", "value": str(fund_name)})
    goal = (data.get("sections") or {}).pop("annual_goal", None)
    if goal:
        shared.append({"label": "专项总体目标", "value": str(goal)})
    budget = data.pop("budget", {}) or {}
    for key, printed in _SHARED_BUDGET.items():
        if budget.get(key) not in (None, ""):
            shared.append({"label": f"专项{printed}（元）", "value": str(budget[key])})
    if not data.get("sections"):
        data.pop("sections", None)
    out.comments = {
        path: lines
        for path, lines in out.comments.items()
        if path[:1] not in (("budget",), ("name",)) and path[:2] != ("sections", "annual_goal")
    }
    if row is not None:
        data["name"] = row.name
        if row.place:
            data["unit"] = row.place
            out.comment(("unit",), f"单位：据资金安排表的“{row.place}”")
        data["budget"] = {"total": str(row.amount)}
        out.comment(("budget", "total"), f"资金安排表 {row.written}")
        out.comment(("name",), f"宽表中“{label}”一栏的项目，名称据资金安排表第 {row.line} 行")
    else:
        data["name"] = f"{fund_name}（{label}）" if fund_name else label
        out.comment(("name",), f"宽表中“{label}”一栏：请核对项目名称和单位")
        out.unplaced.append(Piece(draft.first_line, f"宽表“{label}”一栏：没有找到它的资金安排行"))
    if indicators:
        data["indicators"] = indicators
    labels = {k: v for k, v in (data.pop("labels", None) or {}).items() if _kept(data, k)}
    if labels:
        data["labels"] = labels
    data["extra"] = [*data.get("extra", []), *shared]
    out.data = {k: data[k] for k in _order(data)}
    return out


def _kept(data: dict, key: str) -> bool:
    """A printed label stays only for a field the project still has."""
    return key in data or key in (data.get("sections") or {}) or key in (data.get("budget") or {})


def _order(data: dict) -> list[str]:
    first = ["form", "year", "name", "unit", "region", "unit_code", "department"]
    return [k for k in first if k in data] + [k for k in data if k not in first]
