"""Indicator rows that ran into one another: `办公大楼日常维修维护次数反映办公大楼全年维修维护
情况2280次大楼安检巡察次数反映大楼保卫巡检情况200次`. Document-sharing copies of a PDF or Word
file (and OCR) lose every cell boundary; runs.py puts a boundary back around the form's labels,
so a row of such text still begins at its level label, but the rows under one level stay one
run. What is left to cut at is the target that ends each row: an optional operator, a number
and a unit of measure, followed by the next row's name.

Each piece becomes a row of its own (name, the 指标解释 that national forms open with 反映…,
target), under the level cells of the run, repeated as a merged level cell is.
"""

from __future__ import annotations

import re

from . import vocab

# Units a target's number is measured in (longest first when matched). A unit is what tells
# where a target ends and the next name begins: `2280次大楼安检…` is 2280次 | 大楼安检….
_UNITS = (
    "平方米",
    "立方米",
    "万立方米",
    "万平方米",
    "人次",
    "户次",
    "种次",
    "场次",
    "批次",
    "车次",
    "万元",
    "元/人",
    "公里",
    "公顷",
    "万亩",
    "小时",
    "工作日",
    "个月",
    "次",
    "人",
    "户",
    "个",
    "元",
    "亩",
    "米",
    "天",
    "日",
    "月",
    "年",
    "所",
    "辆",
    "台",
    "套",
    "家",
    "场",
    "期",
    "篇",
    "件",
    "株",
    "头",
    "只",
    "吨",
    "座",
    "处",
    "项",
    "册",
    "批",
    "名",
    "条",
    "份",
    "张",
    "本",
    "间",
    "栋",
    "棵",
    "%",
    "％",
    "‰",
)
_OPERATOR = r"(?:[=＝≥≤><≧≦]=?|大于等于|小于等于|不低于|不少于|不超过|不高于)"
_UNIT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
# A target that ends a row and is followed by the next row's name (or the end of the run):
# preceded by the end of a name (a Chinese character or a closing bracket), never by a digit.
_ROW_END = re.compile(
    rf"(?<=[\u4e00-\u9fff）)])(?P<target>{_OPERATOR}?\s*\d[\d,.]*\s*(?:{_UNIT}))"
    rf"(?=[\u4e00-\u9fff]|\s*$)"
)
_EXPLANATION = re.compile(r"(?<=[\u4e00-\u9fff）)])(?=反映)")  # 反映…情况: the explanation column
_MIN_NAME = 2  # Chinese characters a row's name has at least


def split_rows(cells: list[str]) -> list[list[str]]:
    """One row of cells whose data cells hold several indicator rows → those rows, each
    `level cells + [name, (explanation,) target]`; `[cells]` when the run holds one row."""
    first = 0  # the level cells (一级, 二级) the run opens with
    while first < min(2, len(cells) - 1) and _is_level(cells[first]):
        first += 1
    levels, run = cells[:first], "".join(cells[first:])
    pieces = _pieces(run)
    if len(pieces) < 2:
        return [cells]
    rows = []
    for piece, target in pieces:
        parts = [p for p in _EXPLANATION.split(piece) if p]
        name = parts[0].strip()
        rows.append([*levels, name, *(p.strip() for p in parts[1:2]), target.strip()])
    return rows


def _pieces(run: str) -> list[tuple[str, str]]:
    """(name and explanation, target) of each row in the run; [] when the run does not end in
    a target or a piece has no name."""
    pieces: list[tuple[str, str]] = []
    start = 0
    for match in _ROW_END.finditer(run):
        before = run[start : match.start()]
        if len(re.findall(r"[\u4e00-\u9fff]", before)) < _MIN_NAME:
            continue  # a number inside a name (C25, 第2批): not a row's end
        pieces.append((before, match["target"]))
        start = match.end()
    if run[start:].strip():  # text after the last target: the run is not rows of targets
        return []
    return pieces


def _is_level(cell: str) -> bool:
    return bool(vocab.level1_score(cell, vocab.NATIONAL) or vocab.is_level2(cell))


# The marks a budget system prints beside the fields it requires (`一级指标*`, `★指标值`):
# no cell of their own once the cells ran together.
_REQUIRED_MARK = "*＊★※"


def unmarked(cells: list[str]) -> list[str]:
    """The cells without the required-field marks at their edges; cells of marks only dropped."""
    out = [c.strip().strip(_REQUIRED_MARK).strip() for c in cells]
    return [c for c in out if c]


_NOTICE = 100  # characters before the title that make a notice (and tables), not a title line


def form_start(line: str, headings: list[re.Match[str]]) -> int:
    """Where the form begins in a line that ran together a notice, its allocation table and the
    form: just after the last form title (…绩效目标表) before the indicator headings
    (`附件2项目绩效目标表主管部门:省商务厅…一级指标…`). The notice's words before it are no header
    fields of the form (`…拨付申报单位`, `对照有关绩效目标`). 0 when no title comes first, or only a
    few words (`附件3:样例项目支出绩效目标申报表项目名称…`: the form's own first line)."""
    first_heading = headings[0].start() if headings else len(line)
    titles = list(vocab.TITLE.finditer(line, 0, first_heading))
    if not titles or titles[-1].end() < _NOTICE:  # a title and a few words: the form's own line
        return 0
    return titles[-1].end()


# What each column after the indicator's name holds, when the row's cells ran together: the
# split-target forms (operator, value, unit, weight, direction in columns of their own).
_OPERATOR = r">=|<=|==|[=＝≥≤≧≦<>]"
_COLUMN = {
    "operator": rf"(?P<operator>{_OPERATOR})",
    "nature": rf"(?P<nature>{_OPERATOR}|定量|定性)",  # 指标性质 holds the operator on these forms
    "target": r"(?P<target>\d[\d,]*(?:\.\d+)?)",
    "unit": r"(?P<unit>[%％‰]|[\u4e00-\u9fffA-Za-z/·]{1,4}?)",
    "weight": r"(?P<weight>\d+(?:\.\d+)?[%％]?)",
    "direction": r"(?P<direction>正向指标|反向指标|中性指标|正向|反向|中性)",
}


def split_columns(row: list[str], roles: list[str]) -> list[str]:
    """A data row whose name cell ran on into the split columns after it, under headings
    `一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 | 指标方向性` →
    `… | 全年实现会展业综合收入 | ≥ | 280 | 亿元 | 30% | 正向指标`. The row as it is when the
    headings name another column, the row has its cells already, or the text does not read so."""
    if "name" not in roles or len(row) != roles.index("name") + 1:
        return row
    tail = roles[roles.index("name") + 1 :]
    if "target" not in tail or any(role not in _COLUMN for role in tail):
        return row
    optional = {"operator", "nature", "unit", "weight", "direction"}
    body = "".join(f"(?:{_COLUMN[r]})?" if r in optional else _COLUMN[r] for r in tail)
    match = re.fullmatch(rf"(?P<name>.*?[\u4e00-\u9fff)）])\s*{body}", row[-1].strip())
    if not match or len(re.findall(r"[\u4e00-\u9fff]", match["name"])) < _MIN_NAME:
        return row
    return [*row[:-1], match["name"], *(match[r] or "" for r in tail)]


def split_explanation(row: list[str], roles: list[str]) -> list[str]:
    """Under a 指标解释 heading, a row's name cell that ran on into its explanation
    (`开展修复工程(个)反映防洪水利设施水毁修复项目开展情况`) → name | 反映…. The row as it is
    when the headings have no explanation column or the row has its explanation already."""
    if "explanation" not in roles or any(c.startswith("反映") for c in row):
        return row
    for i, cell in enumerate(row):
        parts = _EXPLANATION.split(cell, maxsplit=1)
        if len(parts) == 2 and len(re.findall(r"[\u4e00-\u9fff]", parts[0])) >= _MIN_NAME:
            return [*row[:i], parts[0], parts[1], *row[i + 1 :]]
    return row
