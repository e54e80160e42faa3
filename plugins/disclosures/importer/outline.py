"""Tables printed as an indented outline, one cell per line (绩效目标批复表 of some budget systems):

     石嘴山市疾病预防控制中心            ← unit
      狂犬、乙肝、流感等疫苗及美沙酮药物   ← project
    3000000                            ← its amount, in the table's money unit
       产出指标                         ← 一级
        时效指标(必填)                   ← 二级
         疫苗提供及时率                  ← indicator
    100%                               ← its target

The level of a line shows only in its leading spaces. Such a text is rewritten, line for line
(so line numbers still point at the source), into the `|` rows the parsers read: the project's
name and unit as labelled cells, its amount under 资金总额 with the money unit, and one row
per indicator with its 一级 and 二级 (the lines that only carried a level are then empty, their
text being repeated in every row, as a merged cell is).
"""

from __future__ import annotations

import re
from collections import Counter

from .. import fields as F
from . import vocab
from .textutil import squash

_MONEY_UNIT = re.compile(r"^(?:金额)?单位\s*[:：]\s*(万元|元)\s*$")
_AMOUNT = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
_MIN_LEVELS = 2  # 一级 and 二级 lines each, before a text counts as an outline


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def looks_like_outline(text: str) -> bool:
    return _levels(text.split("\n")) is not None


def _levels(lines: list[str]) -> tuple[int, int, int] | None:
    """(一级 depth, 二级 depth, indicator depth) when the text is an indented outline: the
    surely-一级 lines (产出指标, 效益指标) share one depth, every line there is a 一级, and the
    lines one step deeper are 二级 names (满意度指标 may be either: its depth decides)."""
    by_depth: dict[int, list[str]] = {}
    for line in lines:
        if line.strip() and _depth(line) > 0:
            by_depth.setdefault(_depth(line), []).append(line.strip())
    sure = Counter(
        depth
        for depth, keys in by_depth.items()
        for key in keys
        if vocab.level1_score(key, vocab.NATIONAL) == 2
    )
    if sum(sure.values()) < _MIN_LEVELS:
        return None
    d1 = sure.most_common(1)[0][0]
    deeper = sorted(d for d in by_depth if d > d1)
    if len(deeper) < 2 or not all(vocab.level1_score(k, vocab.NATIONAL) for k in by_depth[d1]):
        return None
    d2 = deeper[0]
    level2 = [k for k in by_depth[d2] if vocab.is_level2(_bare(k))]
    if len(level2) < _MIN_LEVELS or len(level2) < len(by_depth[d2]):
        return None
    return d1, d2, deeper[1]


def _bare(level2: str) -> str:
    """时效指标(必填): the form's hint after a 二级 name does not change its level."""
    return re.sub(r"[（(][^()（）]*[)）]$", "", squash(level2))


def rewrite(text: str) -> str:
    """The outline as `|` rows, line for line; the text unchanged when it is no outline."""
    lines = text.split("\n")
    levels = _levels(lines)
    if levels is None:
        return text
    d1, d2, _ = levels
    out = list(lines)
    money_unit = ""
    unit = ""
    level1 = level2 = ""
    header_due = False
    last_row: int | None = None  # the indicator line waiting for its target
    for i, line in enumerate(lines):
        key = line.strip()
        depth = _depth(line)
        if not key:
            continue
        if found := _MONEY_UNIT.match(squash(key)):
            money_unit = found.group(1)
            continue
        if depth == 0:
            if last_row is not None:  # the target of the indicator above
                out[last_row] = out[last_row] + f" {key} |"
                out[i] = ""
                last_row = None
            continue
        if last_row is not None:  # an indicator printed without a target
            out[last_row] += " |"
            last_row = None
        if depth < d1:
            if _is_project(lines, i, d1):
                project_line = f"| {_label('name')} | {key} |"
                if unit:
                    project_line += f" {_label('unit')} | {unit} |"
                out[i] = project_line
                amount = _next_filled(lines, i)
                if amount is not None and _AMOUNT.match(lines[amount].strip()):
                    total = _label("budget", "total")
                    label = f"{total}（{money_unit}）" if money_unit else total
                    out[amount] = f"| {label} | {lines[amount].strip()} |"
                header_due = True
            else:
                unit = key
                out[i] = ""
        elif depth == d1:
            level1, level2 = key, ""
            out[i] = "| 一级指标 | 二级指标 | 三级指标 | 指标值 |" if header_due else ""
            header_due = False
        elif depth == d2:
            level2 = key
            out[i] = ""
        else:
            out[i] = f"| {level1} | {level2} | {key} |"
            last_row = i
    if last_row is not None:
        out[last_row] += " |"
    return "\n".join(out)


def _label(*path: str) -> str:
    """The national form's own label of a field: the outline prints none, so none is recorded
    as this table's."""
    spec = F.ROOT
    for key in path:
        spec = spec.child(key)  # type: ignore[assignment]
    return spec.label_for(vocab.NATIONAL)


def _next_filled(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].strip():
            return j
    return None


def _is_project(lines: list[str], i: int, d1: int) -> bool:
    """A line above the 一级 depth is a project when the next indented line below it is a
    一级 (perhaps after its amount); otherwise it names the unit the projects below belong to."""
    for j in range(i + 1, len(lines)):
        key = lines[j].strip()
        if not key or _depth(lines[j]) == 0:
            continue
        return _depth(lines[j]) == d1
    return False
