"""`disclosures import` for 项目支出绩效自评表: read a published self-evaluation and write it
into the project file it answers (found under --out by year and project name), each result
row linked to its target row. Rows it cannot link are listed, not dropped (they are written
with the 年度指标值 they print). With no project file to answer, a new file is written whose
targets come from the 年度指标值 column, marked `targets_from_selfeval: 是`.

The national form (项目资金 block, 预期目标 / 实际完成情况, 一级/二级/三级指标, 年度指标值,
实际完成值, 分值, 得分, 偏差原因分析及改进措施, 总分) and its variants (全年实际值 / 完成值,
权重, 未完成原因分析, points in the level labels: 产出指标(50分)). Cells are read in order; a
row is recognised by its shape (its points and score are numbers), so blank cells that a
flattened web table drops do not shift the columns of the rows after it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..slugs import slugify
from ..text import fold
from . import selfeval_drawn, selfeval_runon, selfeval_scored
from .draft import Draft, Piece
from .errors import EXIT_BAD_INPUT, EXIT_NOTHING, EXIT_OK, EXIT_UNPLACED, InputRefused
from .source import CELLS, LINES, PIPES, ROWS, Text, layout_of, run_limited
from .textutil import join_wrapped
from .write import schema_reference, write_atomic
from .yamlout import render

# A text is a self-evaluation when it has the title or the columns only it has.
_ACTUAL_COLUMNS = ("实际完成值", "全年实际值", "全年完成值", "完成值", "实际值")
_LEVEL1 = re.compile(
    r"^(产出指标|效益指标|满意度指标|成本指标|效果指标|影响力指标)\s*([(（].*?[)）])?$"
)
_LEVEL2 = re.compile(r"^[^\d≥≤<>=%]{1,14}指标等?$")  # 服务对象满意度指标等: the form's words
# Matched whole (fullmatch), ASCII digits only: fold() has made full-width digits ASCII, and
# other scripts' digits are not numbers on these forms (as in money.py).
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,24})(?:\.[0-9]{1,12})?")
_PERCENT = re.compile(r"[+-]?[0-9]{1,24}(?:\.[0-9]{1,12})?\s*[%％]")
_YEAR = re.compile(r"[（(]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?")
_CODE_PREFIX = re.compile(r"^\[?\d{3,}\]?\s*[-－—]?\s*")
_FUNDS_LINES = ("其中", "当年财政拨款", "本年财政拨款", "上年结转", "县级资金", "其他资金")
_STOP = ("总分", "合计", "评价结论", "自评等级", "评价等级", "存在问题", "改进措施", "项目负责人")


def _one_target(cells: dict[str, str], line: int, unplaced: list[tuple[int, str]]) -> str:
    """Separate 指标性质/计算符号 and 度量单位 cells make one target, as the importer of target
    tables does: operator + value (+ unit). An operator cell that is no operator is listed."""
    operator = cells.get("operator", "")
    if operator and not re.fullmatch(r"[=＝≥≤><]+|[>＞<＜]=?", fold(operator)):
        unplaced.append((line, f"指标性质 {operator}（{cells['name']}）"))
        operator = ""
    return operator + cells.get("target", "") + cells.get("unit", "")


def is_selfeval(text: str) -> bool:
    """The columns only a self-evaluation has: an actual value and the spending or the score
    (a title alone is not enough: guidance documents print a target table under it)."""
    squashed = re.sub(r"\s+", "", text)
    has_actual = any(word in squashed for word in _ACTUAL_COLUMNS)
    if has_actual and any(w in squashed for w in ("全年执行数", "执行率", "得分")):
        return True
    # A self-score beside the points (分值 | 自评分: 湖北's county form), whose 年终完成值 heading
    # a PDF's drawing order can cut apart; no target table has a 自评分 column.
    return "自评分" in squashed and "分值" in squashed


@dataclass
class Part(Text):
    """A slice of a page's text that keeps the page's line numbers (its first line is
    `first_line` of the page); `page_year`: the year the page names before the slice, for a
    table whose own title is not printed with it."""

    first_line: int = 1
    page_year: str = ""
    orphans: list[tuple[int, str]] = field(default_factory=list)  # rows of no table, listed

    def line_of(self, offset: int) -> int:
        return super().line_of(offset) + self.first_line - 1


# A 部门整体支出绩效自评表 answers a department's whole-year targets, not a project's. Written
# 部门（单位）整体支出绩效自评表, 单位整体绩效目标自评表, 部门整体支出绩效评价自评表 …; the 自评
# is required, so that a notice about 部门整体支出绩效评价 work does not refuse a page.
_WHOLE_DEPARTMENT = re.compile(
    r"(部门|单位)([(（](部门|单位)[)）])?整体(支出)?绩效(评价)?(目标)?自评|整体支出绩效(评价)?自评"
)


def refuse_whole_department(path: Path, t: Text) -> int | None:
    """A 部门整体支出绩效自评表 (before any project's 项目名称) is refused with what to do, rather
    than drafted as a project it is not. None: not one."""
    title = _WHOLE_DEPARTMENT.search(re.sub(r"\s+", "", t.text))
    if title is None:
        return None
    squashed = re.sub(r"\s+", "", t.text)
    project = squashed.find("项目名称")
    if project != -1 and project < title.start():
        return None  # a project's self-evaluation first; the department's comes after it
    offset = _offset_of(t.text, title.group())
    line = t.line_of(offset)
    column = offset - t.line_start(offset) + 1
    _say(
        f"错误 error: {path}:{line}:{column}: 表名 / table title: 这是部门整体支出"
        "绩效自评表，不是项目支出绩效自评表，未写入任何文件。本站按项目发布自评结果，每条结果"
        "对应项目绩效目标表的一行；部门整体自评没有项目目标表可对应。请把同一页面上各项目的"
        "“项目支出绩效自评表”分别复制成文件再导入；部门整体自评可作为说明写进该单位的页面。"
        " / this is a whole-department self-evaluation (部门整体支出绩效自评表), not a "
        "project's; nothing written. Results are published per project, each linked to a row of "
        "the project's target table, which a whole-department table does not have: copy each "
        "project's self-evaluation table on the page into its own file and import that."
    )
    return EXIT_NOTHING


def _offset_of(text: str, squashed_word: str) -> int:
    """Where a word found in the whitespace-free text starts in the text as written."""
    pattern = r"\s*".join(map(re.escape, squashed_word))
    match = re.search(pattern, text)
    return match.start() if match else 0


def cells(t: Text) -> list[tuple[str, int]]:
    """Non-empty cells in reading order, each with its line."""
    layout = layout_of(t.text)
    out: list[tuple[str, int]] = []
    offset = 0
    if layout in (PIPES, LINES) or layout not in (CELLS,):
        for number, line in enumerate(t.text.split("\n"), start=t.line_of(0)):
            if layout == PIPES:
                parts = line.split("|")
            elif layout == LINES:
                parts = [line]
            else:  # ROWS: cells separated by spaces
                parts = line.split()
            out += [(p.strip(), number) for p in parts if p.strip()]
        return out
    for block in re.split(r"\n[ \t]*\n", t.text):
        joined = join_wrapped(block.split("\n"))
        if joined:
            lead = len(block) - len(block.lstrip())
            out.append((joined, t.line_of(offset + lead)))
        offset += len(block) + 2
    return out


def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(fold(text)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


@dataclass
class Row:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    points: str
    score: str
    reason: str
    line: int
    unit: str = ""  # a 度量单位 column's cell, also at the end of `target`


@dataclass
class Parsed:
    year: str = ""
    name: str = ""
    department: str = ""
    unit: str = ""
    unit_written: str = ""  # 实施单位 as printed (with its code)
    funds_unit: str = "万元"  # the funds block's amounts: 万元 or 元
    unit_from_department: bool = False  # no 实施单位 printed: the unit is the 主管部门
    funds: dict = field(default_factory=dict)
    expected: str = ""
    achieved: str = ""
    rows: list[Row] = field(default_factory=list)
    total: str = ""
    grade: str = ""
    tail: dict = field(default_factory=dict)  # conclusion, problems, measures
    unplaced: list[tuple[int, str]] = field(default_factory=list)
    extra: list[dict[str, str]] = field(default_factory=list)  # labelled cells kept as printed
    total_row: tuple[str, list[str]] = ("", [])  # the 总分/合计 label and its numbers


def _after(items: list[tuple[str, int]], label: str) -> int | None:
    for i, (text, _) in enumerate(items):
        if _squash(text).startswith(label):
            return i
    return None


_NO_ROWS = "没有识别出指标行 / no rows read"


def parse_selfeval(t: Text) -> Parsed:
    ran_on = selfeval_runon.cut(t)
    if ran_on is not None:  # cells that ran together, cut where one reading fits: as a table
        return _parse_cut(t, ran_on)
    drawn = selfeval_drawn.cut(t)
    if drawn is not None:  # a PDF's text in drawing order: rows' values apart from their names
        return _parse_cut(t, drawn)
    scored = selfeval_scored.cut(t)
    if scored is not None:  # a scored county form in drawing order: labels amid their rows
        return _parse_cut(t, scored)
    items = cells(t)
    parsed = Parsed()
    year = _YEAR.search(t.text[: t.text.find("项目名称") if "项目名称" in t.text else 400])
    parsed.year = year.group(1) if year else getattr(t, "page_year", "")
    for label, attribute in (
        ("项目名称", "name"),
        ("专项(项目)名称", "name"),  # the form for 中央、市级专项转移支付
        ("专项资金名称", "name"),  # 湖南's 县级专项资金绩效目标自评表
        ("主管部门", "department"),
        ("县级主管部门", "department"),
        # Transfer-payment forms: the 主管部门 of each level, the most local first.
        ("区县主管部门", "department"),
        ("市县主管部门", "department"),
        ("市级主管部门", "department"),
        ("自治区主管部门", "department"),
        ("省级主管部门", "department"),
        ("实施单位", "unit"),
        ("项目实施单位", "unit"),
    ):
        i = _after(items, label)
        if getattr(parsed, attribute):
            continue
        if i is not None and i + 1 < len(items):
            rest = _squash(items[i][0])[len(label) :].lstrip(":：")
            rest = _FORM_NOTE.sub("", rest)  # 实施单位 (盖章): the form's note, no value
            value = items[i + 1][0].strip()
            if not rest and _is_header_label(value):
                continue  # a blank cell: the next label is no value (主管部门 实施单位 X)
            setattr(parsed, attribute, rest or value)
    _extras(items, parsed)
    if not parsed.unit and parsed.department:  # forms with only 主管部门 (濉溪县, 2019)
        parsed.unit = parsed.department
        parsed.unit_from_department = True
    if parsed.unit:
        parsed.unit_written = parsed.unit
        parsed.unit = _CODE_PREFIX.sub("", parsed.unit)
    _funds(items, parsed)
    rows_layout = layout_of(t.text) == ROWS
    _goals(items, parsed, rows_layout)
    _tail(items, parsed, _rows(items, parsed, piped=layout_of(t.text) == PIPES))
    if not parsed.rows and rows_layout:  # a form without 分值/得分: rows told by lines
        _rows_by_line(t, parsed)
    if not parsed.rows:  # one cell per line with blank cells kept: rows read by position
        _rows_by_position(t, parsed)
    if parsed.total and _points_total_only(*parsed.total_row, parsed):
        parsed.total = ""
    if not parsed.total:  # 项目总得分 99 分 / 自评总分: 95 printed in the header, not below
        parsed.total = _header_total(
            t.text[: t.text.find("一级指标")] if "一级指标" in t.text else ""
        )
    if not parsed.rows:  # listed, so that the status says something was left behind
        parsed.unplaced.append((items[-1][1] if items else 1, _NO_ROWS))
    for line, text in getattr(t, "orphans", []):
        parsed.unplaced.append((line, f"{text}（{_ORPHAN}）"))
    names = [line for text, line in items if _NAME_CELL.match(_squash(text))]
    if len(names) > 1:  # a second table the page could not be cut at (all on one line)
        parsed.unplaced.append((names[1], _ANOTHER_TABLE))
    return parsed


def _parse_cut(t: Text, ran_on: selfeval_runon.Cut) -> Parsed:
    """A run-together self-evaluation read from its cut table; lines are the source's."""
    table = Part(ran_on.text, t.source_url, page_year=getattr(t, "page_year", ""))
    parsed = parse_selfeval(table)
    blank = selfeval_runon.BLANK_CELL
    for row in parsed.rows:
        row.line = ran_on.line(row.line)
        for name, value in vars(row).items():  # a kept blank never reaches a file
            if isinstance(value, str) and blank in value:
                setattr(row, name, value.replace(blank, ""))
    parsed.expected = parsed.expected.replace(blank, "").strip()
    parsed.achieved = parsed.achieved.replace(blank, "").strip()
    listed = [
        (ran_on.line(line), text.replace(blank, " "))
        for line, text in parsed.unplaced
        if text != _NO_ROWS
    ]
    parsed.unplaced = sorted(ran_on.unplaced + listed, key=lambda item: item[0])
    if ran_on.rows:  # paired by the reader (lines the source's), not by the generic one
        parsed.rows = [Row(reason="", **row) for row in ran_on.rows]
        parsed.total = parsed.total or ran_on.total
    if not parsed.rows:
        parsed.unplaced.append((ran_on.origin[-1] if ran_on.origin else 1, _NO_ROWS))
    for line, text in getattr(t, "orphans", []):
        parsed.unplaced.append((line, f"{text}（{_ORPHAN}）"))
    return parsed


# Labelled cells of the header the format has no field for: kept in `extra` as printed.
_EXTRA_LABELS = (
    "项目负责人及联系电话",
    "项目负责人及电话",
    "负责人及电话",
    "项目负责人",
    "报表编号",
    "项目实施内容及过程概述",
    "填报日期",
)
# A date printed with spaces between its parts (填报日期:2022 年 8 月 10): one value.
_DATE_PIECE = re.compile(r"\d{1,4}|[年月日]")
_NUMBERED = re.compile(r"^\d{1,2}[.、．](?=[\u4e00-\u9fff])")  # 2.项目实施内容…, not 14.7km


def _extras(items: list[tuple[str, int]], parsed: Parsed) -> None:
    """项目负责人及电话, 报表编号, 2.项目实施内容及过程概述 …: label and value as printed (the
    value written after a colon in the same cell, or the next cell), before the indicators."""
    end = _after(items, "一级指标")
    for k, (text, _line) in enumerate(items[: end if end is not None else len(items)]):
        squashed = _NUMBERED.sub("", _squash(text))
        label = next((w for w in _EXTRA_LABELS if squashed.startswith(w)), None)
        if label is None or any(e["label"] == label for e in parsed.extra):
            continue
        value = squashed[len(label) :].lstrip(":：")
        if not value and k + 1 < len(items):
            value = items[k + 1][0].strip()
            squashed_value = _squash(value)
            if (
                _is_header_label(value)
                or squashed_value.startswith(_GOALS_END)
                or _NUMBERED.match(squashed_value)
                or _is_prompt(value)
            ):
                continue  # its cell is blank: the next cell is another heading
        if label == "填报日期" and re.fullmatch(r"\d{4}", value):
            j = k + 1
            while j < len(items) and j <= k + 5 and _DATE_PIECE.fullmatch(_squash(items[j][0])):
                value += _squash(items[j][0])
                j += 1
        if value:
            parsed.extra.append({"label": label, "value": value})
    _dated(items[: end if end is not None else len(items)], parsed)


def _dated(items: list[tuple[str, int]], parsed: Parsed) -> None:
    """填报日期 printed in the title's line (…自评表 填报日期:2022 年 8 月 10): its date."""
    if any(e["label"] == "填报日期" for e in parsed.extra):
        return
    for text, _line in items:
        words = text.split()
        at = next((k for k, w in enumerate(words) if w.startswith("填报日期")), None)
        if at is None or at == 0:
            continue
        value = words[at][len("填报日期") :].lstrip(":：")
        for word in words[at + 1 : at + 6]:
            if not _DATE_PIECE.fullmatch(word):
                break
            value += word
        if re.match(r"\d{4}年", value):
            parsed.extra.append({"label": "填报日期", "value": value})
        return


# Text the form prints for the unit to replace: 对照年度目标,说明……(100字以内).
_PROMPT_NOTE = re.compile(r"[(（]\d+字以内[)）]\s*$")


def _is_prompt(text: str) -> bool:
    return bool(_PROMPT_NOTE.search(_squash(text)))


_FORM_NOTE = re.compile(r"^[(（](盖章|签章|公章|签字)[)）]$")
_HEADER_LABELS = {
    "项目名称",
    "主管部门",
    "县级主管部门",
    "区县主管部门",
    "市县主管部门",
    "市级主管部门",
    "自治区主管部门",
    "省级主管部门",
    "市县财政部门",
    "专项实施期",
    "实施单位",
    "项目实施单位",
    "项目负责人",
    "项目负责人及电话",
    "项目资金",
    "资金情况",
    "项目主管单位",
    "主管单位",
}
_WRAPPED_LABEL = 3  # characters at least of a label's first line (项目主管单 / 位)


def _is_header_label(text: str) -> bool:
    """A label of the header (资金情况（万元）, 实施单位:), not a value."""
    squashed = re.sub(r"[(（][^)）]{0,8}[)）]$", "", _squash(text).rstrip(":："))
    squashed = squashed.rstrip(":：")
    if squashed in _HEADER_LABELS:
        return True
    # A label's first line, the rest wrapped and drawn elsewhere (项目主管单 … 位): no value.
    return len(squashed) >= _WRAPPED_LABEL and any(
        label.startswith(squashed) and len(label) > len(squashed) for label in _HEADER_LABELS
    )


_ORPHAN = (
    "表头（项目名称）之前的指标行，不属于这张自评表，没有读入 / rows before this table's header, "
    "not read"
)
_NAME_CELL = re.compile(r"^(项目名称|专项\(项目\)名称|专项名称|专项资金名称)")
_ANOTHER_TABLE = (
    "另一张表从这里开始，没有读入：请把它存成单独的文件再导入 / another table starts here and "
    "was not read: save it as a file of its own and import that"
)


def _funds(items: list[tuple[str, int]], parsed: Parsed) -> None:
    start = _after(items, "年度资金总额")
    start = _after(items, "年度财政资金总额") if start is None else start  # 湖北/云南 county form
    if start is None:  # Sichuan: 预算执行情况 | 年度预算数(万元) | … then a row 总额 | …
        start = next((i for i, (text, _) in enumerate(items) if _squash(text) == "总额"), None)
    if start is None:
        return
    written: list[str] = []  # units printed beside the amounts
    values, i = _numbers(items, start + 1, written)
    heads = [_squash(text) for text, _ in items[max(0, start - 12) : start]]
    rate_head = next((k for k, h in enumerate(heads) if "执行率" in h), None)
    points_head = next((k for k, h in enumerate(heads) if h in ("分值", "权重")), None)
    # Sichuan prints 预算执行率 before 权重 and 得分; the national form 分值 before 执行率.
    rate_first = rate_head is not None and points_head is not None and rate_head < points_head
    columns = [role for role in map(_funds_column, heads) if role]
    rated = any(_PERCENT.fullmatch(fold(v)) for v in values)
    if len(columns) == len(values) == len(set(columns)) and values:
        parsed.funds = dict(zip(columns, values, strict=True))  # the block's own headings
    elif (
        not rated and "rate" in columns and len(columns) == len(set(columns)) == len(values) + 1
    ):  # one cell short and no value is a rate: the rate is the blank one (only it has a %)
        parsed.funds = dict(zip([c for c in columns if c != "rate"], values, strict=True))
    else:
        parsed.funds = _funds_values(values, rate_first)
    for head in heads:  # 预算执行情况(万元)(20分): the block's points printed in its label
        points = _POINTS_IN_HEADING.search(head) if head.startswith("预算执行") else None
        if points and parsed.funds and "points" not in parsed.funds:
            parsed.funds["points"] = points.group(1)
    lines = []
    if (
        i + 1 < len(items)
        and not _is_funds_line(items[i][0])
        and _is_funds_line(items[i + 1][0])
        and any("原因" in head for head in heads)
    ):  # the block's 原因 cell (Sichuan prints the form's instructions in it): listed
        parsed.unplaced.append((items[i][1], f"预算执行情况 原因: {items[i][0].strip()}"))
        i += 1
    while i < len(items) and _is_funds_line(items[i][0]):
        label = items[i][0].strip()
        values, i = _numbers(items, i + 1, written)
        amounts = [v for v in values if not _PERCENT.fullmatch(fold(v))]
        rates = [v for v in values if _PERCENT.fullmatch(fold(v))]
        line = {"label": label}
        keys = ("initial", "budget", "executed") if len(amounts) == 3 else ("budget", "executed")
        if len(values) == len(columns) == len(set(columns)) and len(values) > 2:
            # The line repeats the total's columns: each value under its own heading; a line
            # has no points or score of its own in the format, so those are listed.
            by_column = dict(zip(columns, values, strict=True))
            line.update({k: v for k, v in by_column.items() if k in _LINE_KEYS})
            left = [
                f"{_FUNDS_HEADINGS[k]} {v}" for k, v in by_column.items() if k not in _LINE_KEYS
            ]
            if left:
                parsed.unplaced.append((items[i - 1][1], f"{label}: {'，'.join(left)}"))
            lines.append(line)
            continue
        if len(amounts) in (2, 3):
            line.update(zip(keys, amounts, strict=True))
        elif amounts:
            parsed.unplaced.append((items[i - 1][1], f"{label}: {' '.join(amounts)}"))
        if rates:
            line["rate"] = rates[0]
        lines.append(line)
    if lines:
        parsed.funds["lines"] = lines
    parsed.funds_unit = _funds_unit(heads, written)
    if len(set(written)) > 1:  # 万元 and 元 in one block: no single unit to write them in
        parsed.unplaced.append((items[start][1], f"资金栏的金额单位不一致：{'、'.join(written)}"))


def _is_funds_line(text: str) -> bool:
    """A line under the total: 其中：当年财政拨款, 上年结转资金, 其他资金, and the Sichuan form's
    财政资金 / 财政专户管理资金 / 单位资金 (a short label ending in 资金)."""
    squashed = _squash(text)
    return squashed.startswith(_FUNDS_LINES) or (
        squashed.endswith("资金") and len(squashed) <= 12 and not _is_number(squashed)
    )


# An amount written with its unit, as some funds blocks print them: 372.29万元.
_AMOUNT_WITH_UNIT = re.compile(r"(?P<number>.+?)\s*(?P<unit>万元|元)")


def _numbers(
    items: list[tuple[str, int]], i: int, units: list[str] | None = None
) -> tuple[list[str], int]:
    """The numbers from cell i on; with `units`, amounts written with their unit (372.29万元)
    count too: the number is kept and the unit added to `units`."""
    values = []
    while i < len(items):
        text = fold(items[i][0]).strip().rstrip(":：")
        with_unit = _AMOUNT_WITH_UNIT.fullmatch(text) if units is not None else None
        if with_unit and _is_number(with_unit["number"]):
            values.append(with_unit["number"])
            units.append(with_unit["unit"])
            i += 1
        elif _is_number(text) or _PERCENT.fullmatch(text) or text in ("—", "-", "/"):
            if text not in ("—", "-", "/"):
                values.append(items[i][0].strip().rstrip(":："))
            i += 1
        else:
            break
    return values, i


def _funds_unit(heads: list[str], written: list[str]) -> str:
    """万元 or 元: as the amounts print it (372.29万元), else as the block's heading says
    (资金情况（万元）/ 项目资金（元）), else 万元 (the national form's)."""
    if written:
        return written[0]
    for head in reversed(heads):
        match = re.search(r"[(（](万元|元)[)）]", head)
        if match:
            return match.group(1)
    return "万元"


_LINE_KEYS = ("initial", "budget", "executed", "rate")
_FUNDS_HEADINGS = {
    "initial": "年初预算数",
    "budget": "全年预算数",
    "executed": "全年执行数",
    "points": "分值",
    "rate": "执行率",
    "score": "得分",
}


_POINTS_IN_HEADING = re.compile(r"\(([0-9]{1,3})分\)$")


def _funds_column(heading: str) -> str | None:
    """The funds block's column a heading names (年初预算数, 全年预算数（A）, 调整后预算数,
    全年执行数（B）, 分值/权重, 执行率（B/A）, 得分), or None."""
    if heading.startswith("得分("):  # 得分(20分*执行率): the score, though it names the rate
        return "score"
    if "执行率" in heading:
        return "rate"
    if heading.startswith("年初预算"):
        return "initial"
    if "执行数" in heading:
        return "executed"
    if heading.startswith(("全年预算", "调整后预算", "预算数")):
        return "budget"
    if heading in ("分值", "权重"):
        return "points"
    if heading == "得分":
        return "score"
    return None


def _funds_values(values: list[str], rate_first: bool = False) -> dict:
    """年初预算数 全年预算数 全年执行数 分值 执行率 得分 (or … 执行率 权重 得分), by the
    position of the rate."""
    rate_at = next((k for k, v in enumerate(values) if _PERCENT.fullmatch(fold(v))), None)
    if rate_first and rate_at is not None:
        out = {"rate": values[rate_at]}
        out.update(zip(("points", "score"), values[rate_at + 1 : rate_at + 3], strict=False))
        amounts = values[:rate_at][-3:]
        out.update(zip(("initial", "budget", "executed")[-len(amounts) :], amounts, strict=True))
        return out
    if len(values) == 6 and rate_at in (4, None):
        keys = ("initial", "budget", "executed", "points", "rate", "score")
        return dict(zip(keys, values, strict=True))
    if rate_at is None or rate_at < 1:
        return {}
    out = {"rate": values[rate_at], "points": values[rate_at - 1]}
    if rate_at + 1 < len(values):
        out["score"] = values[rate_at + 1]
    amounts = values[: rate_at - 1]
    keys = ("initial", "budget", "executed")[-len(amounts) :] if amounts else ()
    out.update(zip(keys, amounts, strict=True))
    return out


_EXPECTED = ("预期目标", "年初设定目标", "项目年度目标")
_ACHIEVED = ("实际完成情况", "全年实际完成情况", "年度总体目标完成情况", "年度目标完成情况")
# Where the goals' cells end when the indicators do not follow them (Sichuan: the funds block
# and 2.项目实施内容及过程概述 come between).
_GOALS_END = ("预算执行情况", "年度预算数", "项目资金", "资金情况")


def _goals(items: list[tuple[str, int]], parsed: Parsed, rows_layout: bool = False) -> None:
    expected = next((i for w in _EXPECTED if (i := _after(items, w)) is not None), None)
    achieved = next((i for w in _ACHIEVED if (i := _after(items, w)) is not None), None)
    if expected is None or achieved is None:
        return
    start = max(expected, achieved) + 1
    texts = []
    for text, line in items[start:]:
        squashed = _squash(text)
        if squashed in ("绩效指标", "一级指标") or squashed.startswith(
            ("一级指标", "年度绩效指标")
        ):
            break  # the indicators' heading (年度绩效指标 / 完成情况 cut apart): not a goal
        if squashed.startswith(_GOALS_END) or _NUMBERED.match(squashed):
            break  # 预算执行情况 …, 2.项目实施内容及过程概述: the goals have ended
        if rows_layout and line != items[start][1]:
            break  # a PDF-like text: the two goals are the one line after their headings
        if _is_prompt(text):  # the form's prompt, left in place of the text: not a goal
            continue
        texts.append(text.strip())
    texts = [text for text in texts if not _FILLER.fullmatch(text)]  # a document's dot leaders
    texts = [_LEADERS.sub("", text) for text in texts]  # … and leaders run onto a goal's text
    if rows_layout and len(texts) > 2:
        texts = _two_goals(texts, parsed, items[start][1])
    if len(texts) == 2:
        parsed.expected, parsed.achieved = texts
    elif texts:
        parsed.expected = texts[0]
        parsed.achieved = "\n\n".join(texts[1:])


_FILLER = re.compile(r"[.。·…．\s]+")
# Dot leaders at either end of a goal's text (a .doc's leaders, run on when cells lost their
# boundaries): three or more; a sentence's own 。 or … is kept.
_LEADERS = re.compile(r"^[.·．]{3,}|[.·．]{3,}$")


def _two_goals(words: list[str], parsed: Parsed, line: int) -> list[str]:
    """The 年初设定目标 and 全年实际完成情况 cells of one line split at spaces: the same text
    twice (halves), or two sentences (split after the one 。 inside); else listed."""
    half = len(words) // 2
    if len(words) % 2 == 0 and words[:half] == words[half:]:
        return [" ".join(words[:half])] * 2
    ends = [k for k, word in enumerate(words[:-1]) if word.endswith("。")]
    if len(ends) == 1:
        return [" ".join(words[: ends[0] + 1]), " ".join(words[ends[0] + 1 :])]
    parsed.unplaced.append((line, " ".join(words)))
    return []


def _rows(items: list[tuple[str, int]], parsed: Parsed, piped: bool = False) -> int:
    """Read the indicator rows; where they end (the tail's labels are looked for after it)."""
    header = _after(items, "一级指标")
    if header is None:  # 一级 / 指标 wrapped onto lines of their own: the heading from 二级指标
        second = _after(items, "二级指标")
        if second is not None and _squash(items[min(second + 1, len(items) - 1)][0]) == "三级指标":
            header = second
    if header is None:
        return len(items)  # no indicator table: no tail either
    shape, i = _shape(items, header)
    # The heading names 分值/得分 columns (not the national shape taken for want of one).
    headings = {_role(_squash(text)) for text, _ in items[header:i]}
    scored = {"name", "score"} <= headings
    # No 分值/得分 columns (县级专项资金 forms): a row is its line's 三级指标 年度指标值 全年完成值
    # [原因], read where cells are marked ("|") and the table prints one row per line.
    unscored = (
        piped and {"name", "target", "actual"} <= headings and not {"points", "score"} & headings
    )
    level1 = level2 = ""
    lost = False  # the current 一级指标 cell's words were lost: (50分) alone
    # A 指标N: name listed for want of values, right before the next 指标N: name (a wrapped
    # piece between): the values after that name may be its (names first, values after, counts
    # that differ), so that row is listed too, never paired.
    waiting = -1  # the index of such a name
    while i < len(items):
        text, line = items[i]
        squashed = _squash(text)
        if squashed.startswith(_STOP):
            break
        if _PLACEHOLDER.fullmatch(squashed):  # the template's empty 指标2: / …… rows
            i += 1
            continue
        wrapped = _wrapped_level(items, i, shape)
        if wrapped:  # 经济效益 / 指标, 满意度指标 / (10分): one label wrapped onto two lines
            label, i = wrapped
            # 满意度 / 指标 before 服务对象满意度指标: a level label follows, so this is level 1.
            nested = (
                (level1 or lost)
                and _LEVEL2.match(_squash(label))
                and not _level_at(items, i, shape)
            )
            if _LEVEL1.match(_squash(label)) and not nested:
                level1, level2, lost = label, "", False
            else:
                level2 = label
            continue
        if _LOST_LEVEL1.fullmatch(squashed) and _alone(items, i):
            # (50分) alone: the 一级指标 cell's words were lost in flattening; the rows under it
            # take their 一级指标 from their 二级指标 (the form's fixed hierarchy).
            level1, level2, lost = "", "", True
            i += 1
            continue
        if _is_level(items, i, shape):
            # 成本指标 is a 一级 heading since 2021, and a 二级 one under 产出指标 before:
            # a level-1 word is level 2 when a level 1 is open and no level 2 follows it.
            nested = (
                (level1 or lost) and _LEVEL2.match(squashed) and not _level_at(items, i + 1, shape)
            )
            if _LEVEL1.match(squashed) and not nested:
                level1, level2, lost = text.strip(), "", False
            else:
                level2 = text.strip()
            i += 1
            continue
        line_row = _line_row(items, i) if unscored else None
        if line_row:
            name, target, actual, reason, i = line_row
            parsed.rows.append(
                Row(
                    level1 or _LEVEL1_OF.get(_squash(level2), ""),
                    level2,
                    _PROMPT.sub("", name),
                    target,
                    actual,
                    "",
                    "",
                    reason,
                    line,
                )
            )
            continue
        queued = _queued_names(items, i, shape)
        if queued is not None:  # 指标24:… 指标25:… then the two rows' values, in order
            names, groups, i = queued
            for name, values in zip(names, groups, strict=True):
                cells = dict(zip(shape[1:], values, strict=True))
                parsed.rows.append(
                    Row(
                        level1 or _LEVEL1_OF.get(_squash(level2), ""),
                        level2,
                        _PROMPT.sub("", name),
                        _one_target(cells, line, parsed.unplaced),
                        cells.get("actual", ""),
                        cells.get("points", ""),
                        cells["score"],
                        "",
                        line,
                    )
                )
            continue
        fits = _fitting_shape(items, i, shape)
        if fits and _PROMPT.match(squashed) and _right_after(items, waiting, i):
            for k in range(len(fits)):
                parsed.unplaced.append((items[i + k][1], f"{items[i + k][0]}（{_NOT_PAIRED}）"))
            i += len(fits)
            continue
        if fits:
            cells = {
                role: items[i + k][0].strip().replace(selfeval_runon.BLANK_CELL, "")
                for k, role in enumerate(fits)
            }
            nxt = i + len(fits)
            reason = ""
            one_line = len({items[i + k][1] for k in range(len(fits))}) == 1
            if (
                nxt < len(items)
                and not (
                    _starts_row(items, nxt, shape)
                    # a row printed on one line is followed on it by its reason, not by a row
                    # that would run on to the next line (工期延误 | 质量指标 | 工程完工率 …)
                    and not (one_line and _runs_past_its_line(items, nxt, shape))
                )
                and not _squash(items[nxt][0]).startswith(_STOP)
                and not (one_line and items[nxt][1] != line)  # a row's reason is on its line
                and not _PLACEHOLDER.fullmatch(_squash(items[nxt][0]))  # the next empty 指标2
                and _is_reason(items[nxt][0])
            ):
                reason = items[nxt][0].strip()
                nxt += 1
            target = _one_target(cells, line, parsed.unplaced)
            row = Row(
                level1 or _LEVEL1_OF.get(_squash(level2), ""),
                level2,
                _PROMPT.sub("", cells["name"]),
                target,
                cells.get("actual", ""),
                cells.get("points", ""),
                cells["score"],
                reason,
                line,
            )
            row.unit = cells.get("unit", "")
            parsed.rows.append(row)
            i = nxt
            continue
        short = _short_row(items, i, shape) if parsed.rows or scored else None
        if short:
            name, values, i = short
            if values.get("unsure"):  # which column it stood in is lost with the blank cell
                parsed.unplaced.append(
                    (line, f"{name}: {values['unsure']}（年度指标值还是实际完成值，无法确定）")
                )
            parsed.rows.append(
                Row(
                    level1 or _LEVEL1_OF.get(_squash(level2), ""),
                    level2,
                    name,
                    values.get("target", ""),
                    values.get("actual", ""),
                    values.get("points", ""),
                    values.get("score", ""),
                    "",
                    line,
                )
            )
            continue
        parsed.unplaced.append((line, text))
        if _PROMPT.match(squashed):
            waiting = i
        i += 1
    return i


def _right_after(items: list[tuple[str, int]], before: int, i: int) -> bool:
    """Item i follows item `before` with nothing but a wrapped name's 1-2 characters between."""
    return 0 <= before < i and all(
        re.fullmatch(r"[\u4e00-\u9fff]{1,2}", _squash(items[k][0])) for k in range(before + 1, i)
    )


_NOT_PAIRED = (
    "前面有没有数值的指标名称，这些数值属于哪一行分不清，没有配对 / a row name with no values "
    "comes before: which row these values belong to cannot be told, not paired"
)


# The template's prompts: an empty 指标2: row, ……; and 指标1: before a name the unit typed.
_PLACEHOLDER = re.compile(r"指标\d+[:：]?|…+|\.{3,}")
# 指标1 typed before the name with no colon (指标1工程完工率) is the numbering too; a name that
# only begins with a number after 指标N is left whole.
_PROMPT = re.compile(r"^指标\d+(?:[:：]\s*|(?=[^\W\d]))")
_LOST_LEVEL1 = re.compile(r"[(（]\d+(\.\d+)?分[)）]")
# The national form's 二级指标 under each 一级指标 (财预〔2020〕10号), for rows whose 一级指标
# cell was lost.
_LEVEL1_OF = {
    **dict.fromkeys(("数量指标", "质量指标", "时效指标", "成本指标"), "产出指标"),
    **dict.fromkeys(("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"), "效益指标"),
    **dict.fromkeys(("服务对象满意度指标", "满意度指标"), "满意度指标"),
}


def _queued_names(
    items: list[tuple[str, int]], i: int, shape: tuple[str, ...]
) -> tuple[list[str], list[list[str]], int] | None:
    """Rows whose names come first, each with the template's 指标N: (the second line of a
    wrapped name, 1-2 characters, after it), then their values, a group a row in the same order
    (指标24:…报告 数 指标25:家庭医生签约率 14例 14例 2 2 24694人 22584人 2 1.7: a sheet's cells in
    a site's order). Paired in order only when the groups that follow are exactly as many as the
    names; None otherwise (the names with no values are then listed, and a row after them is
    not given values that may be theirs: see `_rows`)."""
    names: list[str] = []
    k = i
    while k < len(items) and _PROMPT.match(_squash(items[k][0])) and not _row_at(items, k, shape):
        name = items[k][0].strip()
        k += 1
        piece = _squash(items[k][0]) if k < len(items) else ""
        if re.fullmatch(r"[\u4e00-\u9fff]{1,2}", piece) and not _is_heading_word(piece):
            name += piece
            k += 1
        names.append(name)
    if not names or k >= len(items) or not _PROMPT.match(_squash(items[k][0])):
        return None
    if not _row_at(items, k, shape):
        return None
    names.append(items[k][0].strip())
    width = len(shape) - 1
    groups: list[list[str]] = []
    q = k + 1
    while len(groups) < len(names) and _row_at([("名称", 0), *items[q : q + width]], 0, shape):
        groups.append([text.strip() for text, _ in items[q : q + width]])
        q += width
    if len(groups) != len(names):
        return None
    if q < len(items) and _row_at([("名称", 0), *items[q : q + width]], 0, shape):
        return None  # more groups than names: which belong to them cannot be told
    return names, groups, q


def _line_row(items: list[tuple[str, int]], i: int) -> tuple[str, str, str, str, int] | None:
    """Name, target, actual, reason and the index after them, when the cells from i to the end
    of its line are a row of a table without 分值/得分 (three cells, or four with a reason)."""
    line = items[i][1]
    end = i
    while end < len(items) and items[end][1] == line:
        end += 1
    if end - i not in (3, 4):
        return None
    name, target, actual, *reason = (text.strip() for text, _ in items[i:end])
    if _is_number(_squash(name)) or _LEVEL1.match(_squash(name)) or _LEVEL2.match(_squash(name)):
        return None
    return name, target, actual, reason[0] if reason else "", end


def _runs_past_its_line(items: list[tuple[str, int]], i: int, shape: tuple[str, ...]) -> bool:
    """The cell at i starts no level, and a row read from it would take cells of later lines."""
    if _level_at(items, i, shape):
        return False
    fits = _fitting_shape(items, i, shape)
    return fits is not None and items[i + len(fits) - 1][1] != items[i][1]


def _level_at(items: list[tuple[str, int]], i: int, shape: tuple[str, ...]) -> bool:
    """A level label starts at i, on one line or wrapped onto two (经济效益 / 指标)."""
    return _is_level(items, i, shape) or _wrapped_level(items, i, shape) is not None


def _alone(items: list[tuple[str, int]], i: int) -> bool:
    """The cell is the only one on its line."""
    line = items[i][1]
    return (i == 0 or items[i - 1][1] != line) and (i + 1 >= len(items) or items[i + 1][1] != line)


def _wrapped_level(
    items: list[tuple[str, int]], i: int, shape: tuple[str, ...]
) -> tuple[str, int] | None:
    """A level label wrapped onto two lines, each alone on its line (经济效益 / 指标,
    可持续影 / 响指标, 服务对象 / 满意度指标), or a 一级指标 with its points on the next line
    (满意度指标 / (10分)): the label, and the index after it."""
    if i + 1 >= len(items) or not (_alone(items, i) and _alone(items, i + 1)):
        return None
    first, second = _squash(items[i][0]), _squash(items[i + 1][0])
    if _LEVEL1.match(first) and _LOST_LEVEL1.fullmatch(second):
        return first + second, i + 2
    if _is_level(items, i, shape) or len(first) > 8:  # a wrapped label's halves are short
        return None
    if _LEVEL1.match(first + second) or _LEVEL2.match(first + second):
        return first + second, i + 2
    return None


def _short_row(
    items: list[tuple[str, int]], i: int, shape: tuple[str, ...]
) -> tuple[str, dict[str, str], int] | None:
    """A row printed on a line of its own with fewer cells than the table's: 三级指标 with only
    分值 and 得分 (指标1:工程质量合格 10 10), or a sub-row with only 年度指标值 and 实际完成值
    (其中桃树种植面积 | 1.5亩 | 1.5亩). Only where the table prints one row per line, and only
    when the two values tell which they are: two bare numbers, the second not above the first,
    are points and score; values with a unit, a sign or words are target and actual."""
    line = items[i][1]
    end = i
    while end < len(items) and items[end][1] == line:
        end += 1
    if end - i not in (3, 4) or (
        i > 0 and items[i - 1][1] == line and not _is_level(items, i - 1, shape)
    ):
        return None
    unsure = ""
    if end - i == 4:  # one value beside 分值 and 得分: 年度指标值 or 实际完成值, the other blank
        unsure = items[i + 1][0].strip()
        if not ("points" in shape and _is_number(items[i + 2][0]) and _is_number(items[i + 3][0])):
            return None
        name, first, second = (items[i + k][0].strip() for k in (0, 2, 3))
    else:
        name, first, second = (items[i + k][0].strip() for k in range(3))
    if _is_number(_squash(name)) or _LEVEL1.match(_squash(name)) or _LEVEL2.match(_squash(name)):
        return None
    if _PLACEHOLDER.fullmatch(_squash(name)) or {_squash(first), _squash(second)} <= {"/", "-"}:
        return None
    name = _PROMPT.sub("", name)
    if _PLACEHOLDER.fullmatch(_squash(name)) or _squash(name) in ("/", "-"):
        return None
    if _is_number(first) and _is_number(second):
        if "points" not in shape or float(fold(second)) > float(fold(first)):
            return None
        return name, {"points": first, "score": second, "unsure": unsure}, end
    if unsure or _is_number(first) or _is_number(second):
        return None
    return name, {"target": first, "actual": second}, end


# Column roles after the two level columns, by their printed headings (variants: 分值 before
# 年度指标值; Sichuan's 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析).
_ROLES = (
    (("三级指标", "指标名称"), "name"),
    (("年度指标值", "指标值", "目标值", "年初目标值"), "target"),
    (_ACTUAL_COLUMNS, "actual"),
    (("分值", "权重", "指标权重"), "points"),
    (("得分", "指标得分"), "score"),
    (("指标性质", "计算符号", "运算符号"), "operator"),
    (("度量单位", "计量单位"), "unit"),
    (
        (
            "偏差原因分析及改进措施",
            "未完成原因分析",
            "偏差原因分析",
            "未完成原因和改进措施",
            "说明",
        ),
        "reason",
    ),
)
NATIONAL_SHAPE = ("name", "target", "actual", "points", "score")


def _is_heading_word(text: str) -> bool:
    squashed = re.sub(r"\([A-Z]\)$", "", _squash(text))
    return any(squashed in words for words, _ in _ROLES)


# A reason is words: a measured figure (14种, 24694人) is a value drawn out of its row, and the
# template's 指标24: begins the next row's name. (A bare 0 in the column is kept as printed.)
_FIGURE_CELL = re.compile(r"[<>≤≥=＝]*\d[\d.,]*[^\d\s.,]{1,4}")


def _is_reason(text: str) -> bool:
    squashed = _squash(text)
    return not (_FIGURE_CELL.fullmatch(squashed) or _PLACEHOLDER.match(squashed))


def _role(heading: str) -> str | None:
    heading = re.sub(r"\([A-Z]\)$", "", heading)  # 年初目标值(A), 实际完成值(B)
    for words, role in _ROLES:
        if heading in words:
            return role
    if "原因" in heading:  # 未完成原因及拟采取的改进措施, 偏差原因及改进措施 …
        return "reason"
    return None


def _shape(items: list[tuple[str, int]], header: int) -> tuple[tuple[str, ...], int]:
    """The roles of a row's cells (reason, optional, last, left out) and where rows begin."""
    i, roles = header, []
    while i < len(items):
        squashed = _squash(items[i][0])
        if squashed in ("一级指标", "二级指标"):
            i += 1
            continue
        role = _role(squashed)
        if role is None:
            break
        roles.append(role)
        i += 1
    if "score" not in roles and {"operator", "unit"} & set(roles):
        # The heading on two rows, flattened one after the other: 年度指标值 | 实际完成值 | 分值 |
        # 得分 | 偏差… above, 一级 | 二级 | 三级 | 指标性质 | 指标值 | 度量单位 below (年度指标值
        # spans the three that split it): the columns after 年度指标值 follow the split ones.
        above = _roles_before(items, header)
        if "target" in above:
            roles += [r for r in above[above.index("target") + 1 :] if r not in roles]
    shape = tuple(r for r in roles if r != "reason")
    if "name" not in shape or "score" not in shape:  # (no 分值 column: the score only)
        shape = NATIONAL_SHAPE
    return shape, i


def _roles_before(items: list[tuple[str, int]], header: int) -> list[str]:
    """The column roles of the heading cells printed just before `header`, in their order."""
    roles: list[str] = []
    k = header - 1
    while k >= 0 and (role := _role(_squash(items[k][0]))) is not None:
        roles.insert(0, role)
        k -= 1
    return roles


def _fitting_shape(
    items: list[tuple[str, int]], i: int, shape: tuple[str, ...]
) -> tuple[str, ...] | None:
    """The shape a row at i fits: the table's, or, in a table with 指标性质/度量单位 columns, the
    same without them when a word target left those cells blank and the flattening dropped
    them (减轻家庭经济负担 | 有效 | 有效 | 10 | 10)."""
    if _row_at(items, i, shape):
        return shape
    plain = tuple(r for r in shape if r not in ("operator", "unit"))
    if plain == shape or not _row_at(items, i, plain) or i + 1 >= len(items):
        return None
    target = fold(items[i + 1][0]).strip()
    if re.fullmatch(r"[=＝≥≤><]+", target) or _is_number(target):
        return None  # an operator or a bare number: the cells of a full row, shifted
    return plain


def _row_at(items: list[tuple[str, int]], i: int, shape: tuple[str, ...] = NATIONAL_SHAPE) -> bool:
    """The row's points and score are numbers, its name is not."""
    if i + len(shape) - 1 >= len(items):
        return False
    cells = {role: items[i + k][0] for k, role in enumerate(shape)}
    unfilled = cells["score"] == selfeval_runon.BLANK_CELL and "points" in cells  # (cut rows)
    return (
        not _is_number(_squash(cells["name"]))
        # a column heading is no row's name nor value (分值 | 得分 | 37442人 | 3 | 3: a heading
        # printed amid the values by a site that lost the sheet's order)
        and not any(_is_heading_word(text) for text in cells.values())
        and ("points" not in cells or _is_number(cells["points"]))
        and (_is_number(cells["score"]) or unfilled)
        and not any(_squash(items[i + k][0]).startswith(_STOP) for k in range(1, len(shape)))
    )


def _is_level(
    items: list[tuple[str, int]], i: int, shape: tuple[str, ...] = NATIONAL_SHAPE
) -> bool:
    """A level label, unless it is the name of a row (a row fits here and not after it)."""
    if i >= len(items):
        return False
    squashed = _squash(items[i][0])
    if not (_LEVEL1.match(squashed) or _LEVEL2.match(squashed)):
        return False
    if not _row_at(items, i, shape) or i + 1 >= len(items):
        return True
    return _row_at(items, i + 1, shape) or _is_level(items, i + 1, shape)


def _starts_row(items: list[tuple[str, int]], i: int, shape: tuple[str, ...]) -> bool:
    return _level_at(items, i, shape) or _fitting_shape(items, i, shape) is not None


def _vertical_joined(words: list[str]) -> list[str]:
    """A merged cell printed one character apart (产 出 指 标) is one word."""
    k = 0
    while k < len(words) and len(words[k]) == 1 and "\u4e00" <= words[k] <= "\u9fff":
        k += 1
    return ["".join(words[:k]), *words[k:]] if k >= 2 else words


_HEADING_TAIL = ("改进措施", "及改进措施", "拟采取的改进措施", "原因分析")


def _rows_by_line(t: Text, parsed: Parsed) -> None:
    """Rows of a form with no 分值/得分 columns (忠县's 中央、市级专项转移支付绩效目标自评表),
    one per line: [一级] [二级] 三级指标 年度指标值 全年完成值 [未完成原因和改进措施]. Cells are
    the words of the line; a line that does not split so is listed, not guessed."""
    lines = t.text.split("\n")
    header = next(
        (
            k
            for k, line in enumerate(lines)
            if "指标值" in _squash(line) and any(w in _squash(line) for w in _ACTUAL_COLUMNS)
        ),
        None,
    )
    if header is None:
        return
    heading = _squash(" ".join(lines[header : header + 2]))
    if any(word in heading for word in ("分值", "得分", "权重")):
        return  # rows with points: read (or listed) by `_rows`
    has_reason = "原因" in heading
    level1 = level2 = ""
    rows: list[Row] = []
    left: list[tuple[int, str]] = []
    for k in range(header + 1, len(lines)):
        squashed = _squash(lines[k])
        if not squashed or (not rows and not left and squashed in _HEADING_TAIL):
            continue
        if squashed.startswith(_STOP):
            break
        words = _vertical_joined(lines[k].split())
        while len(words) > 3 and (_LEVEL1.match(words[0]) or _LEVEL2.match(words[0])):
            after_is_level = bool(_LEVEL1.match(words[1]) or _LEVEL2.match(words[1]))
            nested = level1 and _LEVEL2.match(words[0]) and not after_is_level
            if _LEVEL1.match(words[0]) and not nested:
                level1, level2 = words[0], ""
            else:
                level2 = words[0]
            words = words[1:]
        line = t.line_of(sum(len(x) + 1 for x in lines[:k]))
        cells = words if len(words) == 3 else _four_words(words) if has_reason else None
        if cells:
            name, target, actual, reason = (*cells, "")[:4]
            rows.append(Row(level1, level2, name, target, actual, "", "", reason, line))
        else:
            left.append((line, lines[k].strip()))
    if rows:  # what the cell reader listed from these lines is read (or listed) here
        first = rows[0].line
        parsed.unplaced = [u for u in parsed.unplaced if u[0] < first] + left
        parsed.rows = rows


# A value as the rows print one: an optional sign, a number, a short unit (≥90%, 5719m, 120人).
_VALUE_WORD = re.compile(
    r"(?:[≥≤<>=＞＜]=?|不低于|不高于|不少于|不超过)?[0-9]+(?:\.[0-9]+)?\s*[%‰]?[\u4e00-\u9fffA-Za-z/·*²³]{0,6}"
)


def _four_words(words: list[str]) -> list[str] | None:
    """A line of four words on a form with a reason column: 三级指标 年度指标值 全年完成值 原因,
    or a name written with a space (受益 人口数 ≥100人 120人) and no reason. Told apart by
    which two words look like values; when that does not decide, by which two are the same
    (高 高: target and actual); else None (listed, not guessed)."""
    if len(words) != 4:
        return None
    looks = [bool(_VALUE_WORD.fullmatch(fold(w))) for w in words]
    with_reason = looks[1] + looks[2]
    spaced_name = looks[2] + looks[3]
    if with_reason > spaced_name or (with_reason == spaced_name and words[1] == words[2]):
        return words
    if spaced_name > with_reason or words[2] == words[3]:
        return [words[0] + words[1], words[2], words[3]]
    return None


def _blank_kept_cells(t: Text) -> list[tuple[str, int]] | None:
    """Every cell with its line, blank ones too, of a table flattened one cell per line with
    each cell closed by "|" (blank cells as a lone "|"); None for any other layout."""
    out = []
    for number, line in enumerate(t.text.split("\n"), start=t.line_of(0)):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.endswith("|") or stripped.count("|") != 1:
            return None
        out.append((stripped[:-1].strip(), number))
    return out if any(not text for text, _ in out) else None


def _rows_by_position(t: Text, parsed: Parsed) -> None:
    """Rows of a table printed one cell per line with its blank cells kept (a Sichuan form with
    完成值 and 得分 left empty): after the level cells, a row is the name and the next cells, one
    per heading, blank or not; it is read when its 分值/权重 and 得分 are numbers or blank, at
    least one of them a number or a target given. What does not fit is listed."""
    items = _blank_kept_cells(t)
    if items is None:
        return
    header = next((k for k, (text, _) in enumerate(items) if _squash(text) == "一级指标"), None)
    if header is None:
        return
    roles, i = [], header
    while i < len(items):
        squashed = _squash(items[i][0])
        if squashed not in ("一级指标", "二级指标"):
            role = _role(squashed)
            if role is None:
                break
            roles.append(role)
        i += 1
    if "name" not in roles or not ({"points", "score"} & set(roles)):
        return
    level1 = level2 = ""
    rows: list[Row] = []
    left: list[tuple[int, str]] = []
    while i < len(items):
        text, line = items[i]
        squashed = _squash(text)
        if squashed.startswith(_STOP):
            break
        if not squashed:
            i += 1
            continue
        after = next((_squash(c) for c, _ in items[i + 1 :] if _squash(c)), "")
        nested = level1 and _LEVEL2.match(squashed) and not _LEVEL2.match(after)
        if _LEVEL1.match(squashed) and not nested:  # 成本指标: 一级, or a 二级 under 产出指标
            level1, level2 = text.strip(), ""
            i += 1
            continue
        if _LEVEL2.match(squashed):
            level2 = text.strip()
            i += 1
            continue
        cells = {role: cell.strip() for role, (cell, _) in zip(roles, items[i:], strict=False)}
        numbers = [cells.get(k, "") for k in ("points", "score")]
        if (
            len(cells) == len(roles)
            and not _is_number(squashed)
            and all(not v or _is_number(v) for v in numbers)
            and (any(numbers) or cells.get("target"))
        ):
            target = _one_target(cells, line, left)
            row = Row(
                level1 or _LEVEL1_OF.get(_squash(level2), ""),
                level2,
                _PROMPT.sub("", cells["name"]),
                target,
                cells.get("actual", ""),
                cells.get("points", ""),
                cells.get("score", ""),
                cells.get("reason", ""),
                line,
                cells.get("unit", ""),
            )
            rows.append(row)
            i += len(roles)
            continue
        left.append((line, text))
        i += 1
    if rows:  # the cell reader listed these cells; they are read (or listed) here
        first = rows[0].line
        parsed.unplaced = [u for u in parsed.unplaced if u[0] < first] + left
        parsed.rows = rows


def _points_total_only(label: str, values: list[str], parsed: Parsed) -> bool:
    """A 合计 row with one number that adds up the points (权重) while the scores are blank
    (Sichuan prints 合计 under 权重 and 得分): no total score is printed, so none is read."""
    if _squash(label) != "合计" or len(values) != 1 or not parsed.rows:
        return False
    if any(row.score for row in parsed.rows) or parsed.funds.get("score"):
        return False
    points = [row.points for row in parsed.rows] + [parsed.funds.get("points", "")]
    try:
        return abs(sum(float(p) for p in points if p) - float(fold(values[0]))) < 0.005
    except ValueError:
        return False


_GRADES = ("优", "良", "中", "差")


# The total printed above the table (宁夏's 项目总得分99分, 湖北's 自评总分: 95), when no 总分 row
# follows the indicators: the label, then one number (with 分, or the line's end or a space
# after it, so that 99 is not cut from 99.5 nor taken from a longer run of digits).
_HEADER_TOTAL = re.compile(
    r"(?:项目总得分|自评总分|自评总得分|总得分)\s*[:：]?\s*([0-9]{1,3}(?:\.[0-9]{1,2})?)(?=\s*分|\s|$)"
)


def _header_total(head: str) -> str:
    found = _HEADER_TOTAL.findall(fold(head))
    return found[0] if len(found) == 1 and float(found[0]) <= 100 else ""


def _tail(items: list[tuple[str, int]], parsed: Parsed, end: int) -> None:
    """总分, 等级, 评价结论 … after the rows (a heading such as 未完成原因和改进措施 is no tail)."""
    rest = items[end:]
    total = _after(rest, "总分")
    total = _after(rest, "合计") if total is None else total
    if total is not None:
        values, after = _numbers(rest, total + 1)
        if values:
            parsed.total = values[-1]
            parsed.total_row = (rest[total][0], values)
        if (
            values
            and after < len(rest)
            and rest[after][1] == rest[total][1]
            and _squash(rest[after][0]) in _GRADES
        ):  # 总分 | 100 | 96 | 优: the grade printed in the total's row, with no label
            parsed.grade = _squash(rest[after][0])
    for label, key in (
        ("自评等级", "grade"),
        ("评价等级", "grade"),
        ("评价结论", "conclusion"),
        ("存在问题", "problems"),
        ("改进措施", "measures"),
    ):
        i = _after(rest, label)
        if i is None or i + 1 >= len(rest) or (key == "measures" and "偏差" in rest[i][0]):
            continue
        value = rest[i + 1][0].strip()
        if _is_prompt(value):
            continue  # the form's prompt (……(200字以内)), left unfilled
        if key == "grade":
            parsed.grade = parsed.grade or value
        else:
            parsed.tail.setdefault(key, value)


# -- writing ----------------------------------------------------------------------------------
# Through the importer's own YAML writer (yamlout.py): the layout of data/ and of the web
# editor, so that a save in the editor leaves an imported file byte for byte.
_POINTS_IN_LABEL = re.compile(r"\s*[(（]\s*\d+(\.\d+)?\s*分?\s*[)）]\s*$")


def selfeval_data(
    parsed: Parsed, targets: dict[str, str] | None, source: str
) -> tuple[dict, list[Row]]:
    """The `selfeval:` mapping, and the rows no target row answers. `targets`: the target
    table's targets by normalised name (None: the targets are taken from these rows)."""
    from ..results.build import link_key  # the key the site links results by (the model's)

    block: dict = {}
    if source:
        block["source"] = source
    if targets is None:
        block["targets_from_selfeval"] = "是"
    if parsed.funds:
        funds = {"unit": parsed.funds_unit}
        funds.update({k: parsed.funds[k] for k in _FUNDS_KEYS if k in parsed.funds})
        if parsed.funds.get("lines"):
            funds["lines"] = parsed.funds["lines"]
        block["funds"] = funds
    for key in ("expected", "achieved"):
        if getattr(parsed, key):
            block[key] = getattr(parsed, key)
    unmatched = []
    rows = []
    for row in parsed.rows:
        item = {"level1": row.level1}
        if row.level2:
            item["level2"] = row.level2
        item["name"] = row.name
        key = link_key(row.name)
        if targets is not None and key not in targets:
            unmatched.append(row)
        if targets is not None and (
            key not in targets or _squash(targets[key]) != _squash(row.target)
        ):
            item["target"] = row.target
        item["actual"] = row.actual
        item.update({k: v for k, v in (("points", row.points), ("score", row.score)) if v})
        if row.reason:
            item["reason"] = row.reason
        rows.append(item)
    if rows:
        block["indicators"] = rows
    if parsed.total:
        block["total"] = parsed.total
    if parsed.grade:
        block["grade"] = parsed.grade
    for key in ("conclusion", "problems", "measures"):
        if parsed.tail.get(key):
            block[key] = parsed.tail[key]
    return block, unmatched


_FUNDS_KEYS = ("initial", "budget", "executed", "points", "rate", "score")


def selfeval_yaml(block: dict) -> str:
    """The `selfeval:` block alone, to append to an editor's file."""
    text = render(Draft("national", data={"selfeval": block}), "", "")
    return text.split("\n", 2)[2]  # without the schema and origin comment lines


def new_project_yaml(parsed: Parsed, block: dict, schema: str, origin: str, source: str) -> str:
    """A project file whose targets are the self-evaluation's 年度指标值 column."""
    draft = Draft("national")
    draft.data.update(form="national", year=parsed.year, name=parsed.name, unit=parsed.unit)
    if parsed.department:
        draft.data["department"] = parsed.department
    if source:
        draft.data["source"] = source
    draft.data["indicators"] = [
        {
            "level1": _POINTS_IN_LABEL.sub("", row.level1) or row.level1,
            **({"level2": row.level2} if row.level2 else {}),
            "name": row.name,
            **_target_and_unit(row),
        }
        for row in parsed.rows
    ]
    code = re.match(r"\[?(\d{3,})", parsed.unit_written) if parsed.unit_written else None
    if code and parsed.unit_written != parsed.unit:  # 219001-池州市…: the code printed before it
        draft.data["unit_code"] = code.group(1)
    if parsed.extra:
        draft.data["extra"] = list(parsed.extra)
    draft.data["selfeval"] = block
    draft.comment(
        ("indicators",), "没有找到公开的绩效目标表：指标与目标值取自绩效自评表的“年度指标值”栏"
    )
    if parsed.unit_from_department:
        draft.comment(("unit",), "原表没有“实施单位”栏：取自“主管部门”")
    # Text not placed is kept in the file, as the target-table importer keeps it (its comment
    # block at the top): the import page and the editor's form show it beside the draft.
    draft.unplaced.extend(Piece(line, text) for line, text in parsed.unplaced)
    return render(draft, schema, origin)


def _target_and_unit(row: Row) -> dict[str, str]:
    """The target row's 年度指标值, with a 度量单位 printed in a column of its own written in
    `unit`, as the target-table importer writes split columns (= 100, %)."""
    if row.unit and row.target.endswith(row.unit) and row.target != row.unit:
        return {"target": row.target[: -len(row.unit)], "unit": row.unit}
    return {"target": row.target}


def _say(message: str) -> None:
    print(message, file=sys.stderr)


# The worst status wins, as for target tables (command.py): the limits, 2, then 1, then 3.
_WORST = {EXIT_OK: 0, EXIT_UNPLACED: 1, EXIT_NOTHING: 2, EXIT_BAD_INPUT: 3}
_WORST.update({status: status for status in range(4, 8)})  # the input door's limits


# Column headings printed with nothing between them: a table whose cells ran together.
_RUN_ON_HEADINGS = re.compile(r"(一级指标)?二级指标三级指标|全年预算数([(（]A[)）])?全年执行数")


def import_selfevals(
    path: Path, parts: list[Text], out: Path, force: bool = False, into: list[Path] | None = None
) -> int:
    """Each self-evaluation of a page into the project file it answers (see
    `import_selfeval`); the worst status."""
    status = EXIT_OK
    for part in parts:
        answered = import_selfeval(path, part, out, force, into, only=len(parts) == 1)
        status = max(status, answered, key=_WORST.__getitem__)
    return status


def import_selfeval(
    path: Path,
    t: Text,
    out: Path,
    force: bool = False,
    into: list[Path] | None = None,
    only: bool = True,
) -> int:
    """Write the self-evaluation in `t`; exit status as `disclosures import` documents.
    `into`: the files just drafted from the target tables printed on the same page; the
    self-evaluation goes into the one of the same year and name (or the only one, when it is
    the page's only self-evaluation: a table and its self-evaluation, names written apart),
    else into a project file of that year and name already under `out`."""
    from ..pipeline import load_projects, validate_paths  # the whole model, once needed
    from ..results.build import link_key

    try:  # hostile text can be slow to parse: the same time and memory limits as drafts
        parsed = run_limited(path, parse_selfeval, t)
    except InputRefused as refused:
        _say(f"错误 error: {refused.message()}")
        return refused.status
    if not parsed.rows and not parsed.funds:
        _say(
            f"错误 error: {path}：没有识别出自评表的指标行或资金栏 / no self-evaluation rows found"
        )
        run_on = _RUN_ON_HEADINGS.search(t.text)
        if run_on:  # say why, and what would help: the cells cannot be told apart
            line = t.line_of(run_on.start())
            column = run_on.start() - t.line_start(run_on.start()) + 1
            _say(
                f"  {path}:{line}:{column}: 表头 / heading: 表格的格子连在一起、没有分隔"
                f"（“{run_on.group()}”），分不出各栏，没有猜。请从原件（PDF、Word、Excel 或网页）"
                "重新复制或另存，使格子之间有分隔（Tab、“|”或换行）。 / the table's cells run "
                "together with no separator, so its columns cannot be told apart (nothing was "
                "guessed): copy or save the table again from the original file or page so that its "
                "cells are separated (tabs, '|' or line breaks)."
            )
        return EXIT_NOTHING
    source = t.source_url or path.name
    match = None
    if out.is_dir() and parsed.name and parsed.year:
        loaded = load_projects([out], data_root=out, cache_path="")
        want = _squash(parsed.name)
        same_year = [p for p in loaded.projects if str(p.year) == parsed.year]
        named = [p for p in same_year if _squash(p.name) == want]
        candidates = named
        if into is not None:
            drafted = {q.resolve() for q in into}
            from_page = [p for p in same_year if (out / p.source).resolve() in drafted]
            candidates = [p for p in from_page if _squash(p.name) == want]
            if not candidates and only and len(from_page) == 1:
                candidates = from_page
            candidates = candidates or named
        if len(candidates) > 1 and parsed.unit:
            candidates = [p for p in candidates if _squash(p.unit) == _squash(parsed.unit)]
        match = candidates[0] if candidates else None
    if match is not None:
        target_path = out / match.source
        if match.selfeval is not None and not force:
            _say(
                f"错误 error: {target_path} 已有 selfeval，未写入（加 --force 覆盖）/ already has "
                "a self-evaluation; nothing written (use --force)"
            )
            return EXIT_BAD_INPUT
        targets = {link_key(i.name): i.target.written for i in match.indicators}
        block, unmatched = selfeval_data(parsed, targets, source)
        text = target_path.read_text(encoding="utf-8")
        if match.selfeval is not None:
            text = text[: text.index("\nselfeval:") + 1]
        text = text.rstrip("\n") + "\n" + selfeval_yaml(block)
        write_atomic(target_path, text, overwrite=True)
        _say(f"已写入 wrote {target_path}：自评表 {len(parsed.rows)} 行，对应到已有的目标表")
    else:
        unit = slugify(parsed.unit) if parsed.unit else "dan-wei-wei-zhi"
        name = slugify(parsed.name) if parsed.name else slugify(path.stem)
        target_path = out / (parsed.year or "nian-du-wei-zhi") / unit / f"{name}.yaml"
        if target_path.exists() and not force:
            _say(f"错误 error: {target_path} 已存在（加 --force 覆盖）/ exists (use --force)")
            return EXIT_BAD_INPUT
        origin = f"草稿 / draft: disclosures import {path.name}；请对照原表核对 / check it"
        block, unmatched = selfeval_data(parsed, None, source)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        text = new_project_yaml(parsed, block, schema_reference(target_path), origin, t.source_url)
        write_atomic(target_path, text, overwrite=force)
        _say(
            f"已写入 wrote {target_path}：没有找到对应的目标表，目标取自自评表的年度指标值"
            f"（{len(parsed.rows)} 行）/ no target table found: targets taken from the "
            "self-evaluation"
        )
    status = EXIT_OK
    if unmatched:
        status = EXIT_UNPLACED
        _say(
            f"  目标表中没有对应行的自评结果（{len(unmatched)} 行，已照录其年度指标值）/ rows "
            "with no target row (written with their printed target):"
        )
        for row in unmatched:
            _say(f"    {path}:{row.line}: {row.level1} › {row.level2} › {row.name}（{row.target}）")
    if parsed.unplaced:
        status = EXIT_UNPLACED
        _say(f"  未识别 / unplaced（{len(parsed.unplaced)} 处）:")
        for line, text in parsed.unplaced:
            _say(f"    {path}:{line}: {text}")
    for problem in validate_paths([target_path]):
        _say(f"  {problem.format()}")
        if problem.is_error:
            status = EXIT_UNPLACED
    return status
