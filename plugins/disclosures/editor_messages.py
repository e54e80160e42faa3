"""The validator's problems in the words of the form, for the browser editor.

`disclosures validate` prints `path:line:column: field: 中文 / English`; an editor working in
the browser sees neither the file nor the keys, so the same problem is said with the labels
of fields.py: "绩效指标 第 2 行 · 指标目标值 / 指标值（文件第 31 行）：……".
"""

from __future__ import annotations

import re

from . import fields as F
from .problems import Problem, cut_message
from .textpolicy import escape

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_words(dotted: str) -> str:
    """`indicators[1].target` → `绩效指标 第 2 行 · 指标目标值 / 指标值`."""
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
        words.append(spec.label)
        specs = spec.children
    return " · ".join(words)


def for_editors(problem: Problem) -> str:
    where = cut_message(escape(field_words(problem.field))) if problem.field else "文件"
    level = "提醒" if not problem.is_error else "错误"
    # Escaped and cut as `Problem.format` does: the text quotes keys and values of the file.
    return f"{level}：{where}（文件第 {problem.line} 行）：{cut_message(escape(problem.zh))}"
