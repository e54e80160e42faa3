"""The validator's problems in the words of the form, for the browser editor.

`disclosures validate` prints `path:line:column: field: 中文 / English`; an editor working in
the browser sees neither the file nor the keys, so the same problem is said with the labels
of fields.py: "绩效指标 第 2 行 · 指标目标值 / 指标值（文件第 31 行）：……", and the keys the
message itself names (`period 与 start/end 只能二选一`) become labels too.
"""

from __future__ import annotations

import re

from . import fields as F
from .problems import Problem, cut_message
from .textpolicy import escape

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _label(spec: F.Field, form: str | None) -> str:
    return spec.label_for(form) if form else spec.label


def field_words(dotted: str, form: str | None = None) -> str:
    """`indicators[1].target` → `绩效指标 第 2 行 · 指标目标值 / 指标值` (with `form`, that
    form's own label only: `绩效指标 第 2 行 · 指标值`)."""
    words: list[str] = []
    specs: tuple[F.Field, ...] = F.PROJECT
    for key, index in _STEP.findall(dotted):
        if index:
            row = f"第 {int(index) + 1} 行"
            words[-1:] = [f"{words[-1]} {row}" if words else row]
            continue
        spec = next((s for s in specs if s.key == key), None)
        if spec is None:
            words.append(key)
            specs = ()
            continue
        words.append(_label(spec, form))
        specs = spec.children
    return " · ".join(words)


def _nearby_fields(dotted: str) -> tuple[F.Field, ...]:
    """The fields a message about `dotted` may name: its siblings and its own children."""
    siblings: tuple[F.Field, ...] = F.PROJECT
    nearby: tuple[F.Field, ...] = F.PROJECT
    for key, index in _STEP.findall(dotted):
        if index:
            continue
        spec = next((s for s in siblings if s.key == key), None)
        if spec is None:
            break
        nearby = (*siblings, *spec.children)
        siblings = spec.children
    return nearby


def message_words(problem: Problem, form: str | None = None) -> str:
    """The message with the keys it names said as labels: `period 与 start/end 只能二选一` →
    `“项目起止时间”与“计划开始日期”/“计划完成日期”只能二选一`; a key followed by its label in
    brackets (`indicators（绩效指标）`) keeps the label only. Unknown keys stay as written
    (they are what the file holds, not a field of the form)."""
    labels = {spec.key: _label(spec, form) for spec in _nearby_fields(problem.field or "")}
    if not labels or "YAML" in problem.zh:  # the parser's own words (`block end`) stay
        return problem.zh
    keys = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
    pattern = re.compile(rf"\s?(?<![A-Za-z0-9_])({keys})(?![A-Za-z0-9_])(（[^（）]*）)?\s?")
    return pattern.sub(lambda m: f"“{labels[m.group(1)]}”", problem.zh)


def for_editors(problem: Problem, form: str | None = None) -> str:
    where = cut_message(escape(field_words(problem.field, form))) if problem.field else "文件"
    level = "提醒" if not problem.is_error else "错误"
    # Escaped and cut as `Problem.format` does: the text quotes keys and values of the file.
    words = cut_message(escape(message_words(problem, form)))
    return f"{level}：{where}（文件第 {problem.line} 行）：{words}"
