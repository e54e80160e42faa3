"""List tables: one table, one row group per project (the budget system's export).

The heading row names the project's own columns (单位名称 | 项目名称 | 预算数 | 年度目标)
before the indicator columns (一级指标 | … | 指标值); a project's cells stand on its first
row only, the rows below it carry its indicators; a department subtotal row (820-某部门 |
8,827,620.53) may stand above the projects. Each project becomes a draft of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lint import split_code
from . import vocab
from .align import Column
from .draft import Draft
from .source import Text
from .table import Cell, IndicatorBuilder, Row
from .textutil import squash
from .values import amount_in_yuan

_UNIT_IN_HEAD = re.compile(r"[(（](万元|元)[)）]")
_LIST_HEADS = {
    "unit": ("单位名称", "预算单位", "单位", "实施单位", "预算单位名称"),
    "name": ("项目名称", "项目"),
    "amount": (
        "预算数",
        "预算金额",
        "项目金额",
        "金额",
        "资金",
        "预算资金",
        "年度预算数",
        "申报数",
    ),
    "goal": ("年度目标", "绩效目标", "年度绩效目标", "项目绩效目标", "总体目标"),
}
_SCALE_LINE = re.compile(r"(金额)?单位\s*[:：]\s*(万元|元)")


def _list_head(text: str) -> str | None:
    key = _UNIT_IN_HEAD.sub("", squash(text))
    for role, heads in _LIST_HEADS.items():
        if key in heads:
            return role
    return None


def list_tables(t: Text, form: str) -> list[Draft]:
    """The projects of a list table in pipe-separated text (one table row per line); [] when
    the text holds none."""
    lines = t.text.split("\n")
    offset = 0
    offsets = []
    for line in lines:
        offsets.append(offset)
        offset += len(line) + 1
    for n, line in enumerate(lines):
        cells = [c.strip() for c in line.split("|") if c.strip()]
        heads = [_list_head(c) for c in cells]
        roles = [vocab.column_role(c) for c in cells]
        if "name" not in heads or sum(1 for h in heads if h) < 3:
            continue
        first_indicator = next((i for i, r in enumerate(roles) if r and r[0] == "level1"), None)
        if first_indicator is None or any(h is None for h in heads[:first_indicator]):
            continue
        project_heads = heads[:first_indicator]
        columns = [
            Column(r[0], r[1]) if r else Column("unknown", "", c)
            for c, r in zip(cells[first_indicator:], roles[first_indicator:], strict=True)
        ]
        above = "\n".join(lines[max(0, n - 4) : n])
        scale = _SCALE_LINE.search(above)
        wan = bool(scale and scale.group(2) == "万元") or "万元" in line
        year = vocab.YEAR_IN_TITLE.search(re.sub(r"\s", "", above))
        found = ListTable(project_heads, columns, wan, form, year.group(1) if year else None)
        return found.read(t, lines[n + 1 :], offsets[n + 1 :])
    return []


@dataclass(frozen=True)
class ListTable:
    heads: list[str | None]  # the project's own columns: unit, name, amount, goal
    columns: list[Column]  # the indicator columns
    wan: bool
    form: str
    year: str | None

    def read(self, t: Text, lines: list[str], offsets: list[int]) -> list[Draft]:
        return _list_rows(t, lines, offsets, self)


def _list_rows(t: Text, lines: list[str], offsets: list[int], table: ListTable) -> list[Draft]:
    heads, columns, wan, form, year = table.heads, table.columns, table.wan, table.form, table.year
    drafts: list[Draft] = []
    builder = None
    department = None
    unit = None
    for text, offset in zip(lines, offsets, strict=True):
        cells = [c.strip() for c in text.split("|") if c.strip()]
        if not cells:
            continue
        line = t.line_of(offset)
        start = next(
            (
                i
                for i, c in enumerate(cells)
                if vocab.level1_score(c, form) == 2 or vocab.is_level2(c)
            ),
            None,
        )
        lead = cells if start is None else cells[:start]
        if lead:
            amount_at = next(
                (i for i, c in enumerate(lead) if re.fullmatch(r"[\d,.]+(万元|元)?", squash(c))),
                None,
            )
            if start is None:
                if amount_at == 1 and len(lead) == 2:  # 820-马踏镇部门 | 8,827,620.53
                    department = lead[0]
                    continue
                if builder is None:
                    continue
                for cell in cells:
                    builder.draft.unplace(line, cell)
                continue
            draft = Draft(form, first_line=line)
            draft.data["form"] = form
            if year:
                draft.data["year"] = year
            named = dict(zip(heads, lead, strict=False)) if len(lead) == len(heads) else {}
            if not named and amount_at is not None:
                named = {"name": lead[amount_at - 1]} if amount_at >= 1 else {}
                if amount_at >= 2:
                    named["unit"] = lead[amount_at - 2]
                named["amount"] = lead[amount_at]
                if amount_at + 1 < len(lead):
                    named["goal"] = lead[amount_at + 1]
            if not named.get("name"):
                for cell in lead:
                    draft.unplace(line, cell)
            else:
                draft.data["name"] = named["name"]
            unit = named.get("unit") or unit
            if unit:
                coded = split_code(unit)
                draft.data["unit"] = coded[1] if coded else unit
                if coded:
                    draft.data["unit_code"] = coded[0]
            if department:
                draft.data["department"] = department
            money = amount_in_yuan(named.get("amount", ""), wan)
            if money is not None:
                written = named["amount"] + ("万元" if wan else "元")
                draft.set(("budget", "current_year"), str(money), comment=f"预算数 {written}")
            if named.get("goal"):
                draft.set(("sections", "annual_goal"), named["goal"])
            drafts.append(draft)
            builder = IndicatorBuilder(draft, columns, form)
        if builder is not None and start is not None:
            builder.add(Row([Cell(c, line) for c in cells[start:]]))
    for draft in drafts:
        draft.data.setdefault("indicators", [])
    return drafts
