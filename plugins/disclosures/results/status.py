"""Was a target met? 达成 / 未达成 / 无法判断, from the parsed target and the parsed actual.

Never a guess. A target and an actual are each read as a set of numbers (an interval):
`≥95%` is [95, ∞), `<5天` is (-∞, 5), `90%-100%` is [90, 100], an actual `96%` is [96, 96]
and an actual written `≥95%` is [95, ∞). Then:

- the actual lies wholly inside the target → 达成 (met);
- the actual lies wholly outside it → 未达成 (not met);
- anything else → 无法判断 (cannot tell), with the reason shown beside it.

A target with `=` or no operator (`=10辆`, `10辆`) says nothing about whether more is better:
with 指标性质/指标方向 正向 it reads as ≥, with 反向 (a negative indicator: lower is better)
as ≤; without a direction only an actual equal to it is 达成, and any other actual is 无法判断.
Qualitative targets (健全, 效果明显) are 无法判断 unless the actual repeats the target word for
word. Units must agree (`%` and 百分比 are one unit); an actual with no unit is read in the
target's unit (the 实际完成值 column shares the row's unit). Documented in docs/results.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..pickling import quick_pickle
from ..problems import ValueProblem
from ..targets import EMPTY, QUANTITATIVE, Target, parse_target
from ..text import fold

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"
STATUS_LABELS = {MET: "达成", NOT_MET: "未达成", UNKNOWN: "无法判断"}

_UNIT_SYNONYMS = {"百分比": "%", "％": "%", "个百分点": "%"}
# ASCII digits only, matched whole: other scripts' digits are not numbers on these forms.
_RANGE = re.compile(
    r"(?P<low>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit1>[^0-9\s~～\-—至到]{0,3})\s*(?:-|~|～|—|至|到)\s*"
    r"(?P<high>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit2>[^0-9\s]{0,3})"
)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Status:
    code: str  # MET, NOT_MET or UNKNOWN
    why: str  # a short reason in Chinese, shown beside 无法判断 (and in the CSV)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]


@dataclass(frozen=True)
class Interval:
    low: Decimal | None  # None: unbounded
    low_closed: bool
    high: Decimal | None
    high_closed: bool

    def contains(self, other: Interval) -> bool:
        return _below_or_at(self.low, self.low_closed, other.low, other.low_closed, low=True) and (
            _below_or_at(other.high, other.high_closed, self.high, self.high_closed, low=False)
        )

    def disjoint(self, other: Interval) -> bool:
        return _apart(self.high, self.high_closed, other.low, other.low_closed) or _apart(
            other.high, other.high_closed, self.low, self.low_closed
        )


def _below_or_at(a, a_closed, b, b_closed, low: bool) -> bool:
    """For low=True: does bound a (a lower bound) admit everything above bound b?"""
    if low:
        if a is None:
            return True
        if b is None:
            return False
        return a < b or (a == b and (a_closed or not b_closed))
    # upper bounds: is b (this high) at or above a (other high)?
    if b is None:
        return True
    if a is None:
        return False
    return a < b or (a == b and (b_closed or not a_closed))


def _apart(high, high_closed, low, low_closed) -> bool:
    """Does an interval ending at `high` end before one starting at `low` begins?"""
    if high is None or low is None:
        return False
    return high < low or (high == low and not (high_closed and low_closed))


def _unit(text: str) -> str:
    text = fold(text).replace(" ", "")
    return _UNIT_SYNONYMS.get(text, text)


def parse_range(written: str) -> tuple[Decimal, Decimal, str] | None:
    """`90%-100%`, `90-100%`, `5~10天`, `90%至100%` → (low, high, unit); else None."""
    match = _RANGE.fullmatch(fold(written))
    if not match:
        return None
    unit1, unit2 = _unit(match["unit1"]), _unit(match["unit2"])
    if unit1 and unit2 and unit1 != unit2:
        return None
    low, high = Decimal(match["low"]), Decimal(match["high"])
    if low > high:
        return None
    return low, high, unit2 or unit1


def direction_of(columns: tuple[tuple[str, str, str], ...], *labels: str) -> str | None:
    """'positive', 'negative' or None, from 指标性质 / 指标方向 or a level saying 反向指标."""
    texts = [text for key, _, text in columns if key in ("nature", "direction")] + list(labels)
    for text in texts:
        folded = fold(text)
        if "反向" in folded or folded in ("越小越好", "越低越好"):
            return "negative"
        if "正向" in folded or folded in ("越大越好", "越高越好"):
            return "positive"
    return None


def _point_or_bound(operator: str | None, number: Decimal) -> Interval:
    if operator == "≥":
        return Interval(number, True, None, False)
    if operator == ">":
        return Interval(number, False, None, False)
    if operator == "≤":
        return Interval(None, False, number, True)
    if operator == "<":
        return Interval(None, False, number, False)
    return Interval(number, True, number, True)


def _read(target: Target) -> tuple[Interval, str] | None:
    """The set of numbers a target or an actual states, and its unit; None if qualitative."""
    if target.kind == QUANTITATIVE and target.number is not None:
        return _point_or_bound(target.operator, target.number), _unit(target.unit)
    if target.kind != EMPTY:
        bounds = parse_range(target.written)
        if bounds:
            low, high, unit = bounds
            return Interval(low, True, high, True), unit
    return None


def _parse(written: str) -> Target:
    try:
        return parse_target(written)
    except ValueProblem:  # an operator with no number: read as words
        return Target(written, "qualitative", value=fold(written))


def derive_status(target: Target, actual: str | None, direction: str | None = None) -> Status:
    """The status of one indicator. `direction`: 'positive', 'negative' or None."""
    if actual is None or not actual.strip():
        return Status(UNKNOWN, "未填实际完成值")
    if target.kind == EMPTY:
        return Status(UNKNOWN, "目标表此行没有指标值")
    got = _parse(actual)
    wanted = _read(target)
    if wanted is None:
        if fold(actual) == fold(target.written):
            return Status(MET, "实际完成值与目标相同")
        return Status(UNKNOWN, "定性指标")
    found = _read(got)
    if found is None:
        return Status(UNKNOWN, "实际完成值不是数值")
    (want, want_unit), (have, have_unit) = wanted, found
    if want_unit and have_unit and want_unit != have_unit:
        return Status(UNKNOWN, f"单位不同（{want_unit} 与 {have_unit}）")
    exact = target.kind == QUANTITATIVE and target.operator in (None, "=")
    if exact and direction == "positive":
        want = Interval(want.low, True, None, False)
    elif exact and direction == "negative":
        want = Interval(None, False, want.high, True)
    if want.contains(have):
        return Status(MET, "")
    if exact and direction is None:
        return Status(UNKNOWN, "目标未写运算符或写作“=”，也未注明正向/反向")
    if want.disjoint(have):
        return Status(NOT_MET, "")
    return Status(UNKNOWN, "实际完成值是一个范围，与目标部分重叠")
