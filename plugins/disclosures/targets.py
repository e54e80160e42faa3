"""Indicator targets: understood from the text as written, never typed twice.

`=100%`, `>=95%`, `≧90%`, `≤620万/月`, `10辆`, `1次/月`, `不低于95%` are quantitative:
an operator (or none written), a number and a unit. `健全`, `良好`, `稳步提高` are
qualitative. A blank target is empty. A text that starts with an operator but has no
readable number after it is refused: it is almost always a typing mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .pickling import quick_pickle
from .problems import ValueProblem
from .text import fold

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"
EMPTY = "empty"

KIND_LABELS = {QUANTITATIVE: "定量", QUALITATIVE: "定性", EMPTY: "空白"}

# Symbolic operators, longest first; the canonical form is the second item.
_SYMBOLS = [
    (">=", "≥"),
    ("<=", "≤"),
    ("≥", "≥"),
    ("≤", "≤"),
    ("==", "="),
    ("=", "="),
    (">", ">"),
    ("<", "<"),
]
# Operators in words, as tables write them before the number.
_WORD_PREFIX = [
    ("大于等于", "≥"),
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("不小于", "≥"),
    ("至少", "≥"),
    ("达到", "≥"),
    ("小于等于", "≤"),
    ("不高于", "≤"),
    ("不超过", "≤"),
    ("不大于", "≤"),
    ("低于", "<"),
    ("小于", "<"),
    ("高于", ">"),
    ("大于", ">"),
    ("超过", ">"),
    ("等于", "="),
]
# ... and after it: "95%以上" is ≥ 95 %.
_WORD_SUFFIX = [("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤")]

# ASCII digits only: \d would read ٩٥ (Arabic-Indic) as 95 while the page shows ٩٥.
_NUMBER = re.compile(
    r"^(?P<number>[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(?P<unit>.*)$", re.S
)
# A spreadsheet keeps 15 significant digits of a number: a target number with more digits
# would be published altered (and one with hundreds does not fit a float at all).
MAX_TARGET_DIGITS = 15
# A unit is short and holds no further digits-then-words sentence: "%", "辆", "万/月", "人/次".
_UNIT = re.compile(r"^[^\d\s/]{0,3}(?:/[^\d\s/]{1,3})?$")


@quick_pickle
@dataclass(frozen=True, slots=True)
class Target:
    written: str  # exactly as the editor wrote it ('' when blank)
    kind: str  # QUANTITATIVE, QUALITATIVE or EMPTY
    operator: str | None = None  # '=', '≥', '≤', '>', '<', or None when none is written
    number: Decimal | None = None
    unit: str = ""  # unit of the number ('%', '辆', '万/月'), from the text or the unit column
    value: str = ""  # the qualitative value, folded ('健全')

    @property
    def is_full_percent(self) -> bool:
        """`=100%` (or `100%` with no operator): the most common and least informative target."""
        return (
            self.kind == QUANTITATIVE
            and self.operator in (None, "=", "≥")
            and self.number == 100
            and self.unit == "%"
        )

    def normalised(self) -> str:
        """A canonical text used to group equal targets: '≥95%', '=10辆', '健全', ''."""
        if self.kind == QUANTITATIVE:
            op = self.operator or "="
            return f"{op}{format_number(self.number)}{self.unit}"
        return self.value

    def parsed_label(self) -> str:
        """How the site reads a quantitative target: '≥ 95 %', '（未写运算符） 10 辆'."""
        if self.kind != QUANTITATIVE:
            return self.value
        op = self.operator or "（未写运算符）"
        return " ".join(part for part in (op, format_number(self.number), self.unit) if part)

    def as_dict(self) -> dict[str, str | None]:
        return {
            "written": self.written,
            "kind": self.kind,
            "operator": self.operator,
            "number": None if self.number is None else format_number(self.number),
            "unit": self.unit,
            "value": self.value,
        }


def format_number(number: Decimal | None) -> str:
    if number is None:
        return ""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _split_operator(text: str) -> tuple[str | None, str]:
    for symbol, canonical in _SYMBOLS:
        if text.startswith(symbol):
            return canonical, text[len(symbol) :].lstrip()
    for word, canonical in _WORD_PREFIX:
        if text.startswith(word):
            return canonical, text[len(word) :].lstrip()
    return None, text


def parse_target(written: str | None, unit_column: str | None = None) -> Target:
    """Understand a target. `unit_column` is the separate 计量单位 cell, when the form has one."""
    if written is None or not written.strip():
        return Target(written or "", EMPTY)
    text = fold(written)
    operator, rest = _split_operator(text)
    suffix_operator = None
    for word, canonical in _WORD_SUFFIX:
        if rest.endswith(word):
            suffix_operator, rest = canonical, rest[: -len(word)].rstrip()
            break
    match = _NUMBER.match(rest)
    unit = match["unit"].strip() if match else ""
    if match and (not unit or _UNIT.match(unit)):
        if unit_column and fold(unit_column):
            unit = (unit + " " if unit else "") + fold(unit_column)
        if operator and suffix_operator:
            operator = operator if operator == suffix_operator else None
        digits = sum(char.isdigit() for char in match["number"])
        if digits > MAX_TARGET_DIGITS:
            raise ValueProblem(
                f"目标值的数字有 {digits} 位，上限 {MAX_TARGET_DIGITS} 位"
                "（电子表格只能准确保存 15 位）",
                f"the target's number has {digits} digits; at most {MAX_TARGET_DIGITS} "
                "(a spreadsheet keeps 15 exactly)",
            )
        number = Decimal(match["number"].replace(",", ""))
        return Target(written, QUANTITATIVE, operator or suffix_operator, number, unit)
    if operator and text[:1] in "=<>≥≤":
        raise ValueProblem(
            f"目标值“{written}”以运算符开头，但后面不是数字",
            f"target {written!r} starts with an operator but no number follows",
        )
    return Target(written, QUALITATIVE, value=text)
