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
from .text import fold, shorten

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"
EMPTY = "empty"
# A bare number such as 44561 where a date is meant (an Excel date serial, often with the
# number repeated in the unit column "44,561"): kept as written, flagged, never a quantity.
DATE_SERIAL = "date_serial"

KIND_LABELS = {
    QUANTITATIVE: "定量",
    QUALITATIVE: "定性",
    EMPTY: "空白",
    DATE_SERIAL: "日期序号（待核）",
}
KINDS = (QUANTITATIVE, QUALITATIVE, EMPTY, DATE_SERIAL)
# Excel serials of 2000-01-01 .. 2060-12-31: the years a budget table's deadline falls in.
_SERIAL_RANGE = (36_526, 58_806)
_DATE_WORDS = re.compile(r"(时间|日期|时限|期限|时效|截止|完成期|到位期)")

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


@quick_pickle(shared=("kind", "operator", "unit"))
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

    @property
    def serial_date(self) -> str:
        """The date an Excel serial would stand for (shown as a question, never as the value)."""
        if self.kind != DATE_SERIAL or self.number is None:
            return ""
        from datetime import date, timedelta

        return (date(1899, 12, 30) + timedelta(days=int(self.number))).isoformat()

    def normalised(self) -> str:
        """A canonical text used to group equal targets: '≥95%', '=10辆', '健全', ''."""
        if self.kind == DATE_SERIAL:
            # Ends on a digit, not a bracket: pages set the kind after it with a space.
            return f"{format_number(self.number)}，疑为 Excel 日期序号 {self.serial_date}"
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


def _is_number_text(text: str) -> bool:
    return bool(re.fullmatch(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", text))


def parse_target(written: str | None, unit_column: str | None = None, about: str = "") -> Target:
    """Understand a target. `unit_column` is the separate 计量单位 cell, when the form has one;
    `about` is the row's indicator name and levels (a date word there tells a date serial)."""
    if written is None or not written.strip():
        return Target(written or "", EMPTY)
    column = fold(unit_column or "").strip()
    if column and _is_number_text(column):
        unit_column = None  # a number is no unit (44,561 beside 44561: the date again)
    serial = _date_serial(written, column, about)
    if serial is not None:
        return serial
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
            f"目标值“{shorten(written)}”以运算符开头，但后面不是数字",
            f"target {shorten(written)!r} starts with an operator but no number follows",
        )
    return Target(written, QUALITATIVE, value=text)


def _date_serial(written: str, column: str, about: str) -> Target | None:
    """`= 44561` with `44,561` in the unit column, or a bare 44561 for a 完成时间: an Excel
    date serial that the table's export left as a number."""
    operator, rest = _split_operator(fold(written).strip())
    if not re.fullmatch(r"\d{2},?\d{3}", rest):
        return None
    number = int(rest.replace(",", ""))
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return None
    echoed = bool(column) and column.replace(",", "") == str(number)
    if not (echoed or (not column and _DATE_WORDS.search(about))):
        return None
    return Target(written, DATE_SERIAL, operator, Decimal(number), "")
