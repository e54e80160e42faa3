"""Typed records of a self-evaluation (绩效自评表), built from checked data.

Numbers stay as printed (Decimal keeps `10.00` as written, never a float); amounts are exact
to the 分 (0.01 元) in the block's unit, as 决算 tables print them (215,457.6 元).
Each result is linked to its target row (link.py) and carries its status (status.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..dates import PartialDate
from ..pickling import quick_pickle
from ..targets import Target
from .status import MET, NOT_MET, UNKNOWN, Status


@quick_pickle
@dataclass(frozen=True, slots=True)
class FundsLine:
    label: str
    initial: Decimal | None
    budget: Decimal | None
    executed: Decimal | None
    rate: str  # as printed ('' when blank)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Funds:
    unit: str  # 万元 or 元, the unit the amounts are printed in
    initial: Decimal | None
    budget: Decimal | None  # A
    executed: Decimal | None  # B
    points: Decimal | None
    rate: str  # 执行率 as printed ('' when blank)
    score: Decimal | None
    lines: tuple[FundsLine, ...]

    @property
    def computed_rate(self) -> Decimal | None:
        """B / A in percent, two decimals (None when A is blank or 0)."""
        if self.budget is None or self.executed is None or not self.budget:
            return None
        return (self.executed * 100 / self.budget).quantize(Decimal("0.01"))


@quick_pickle
@dataclass(frozen=True, slots=True)
class Result:
    row: int  # position in selfeval.indicators
    line: int  # line in the YAML file
    level1: str  # as the self-evaluation prints them
    level2: str
    name: str
    target_row: int | None  # the linked row of project.indicators (None: not in the target table)
    target: Target  # the target it answers: the target table's, else the one printed here
    printed_target: str | None  # 年度指标值 as the self-evaluation prints it, when written
    actual: str  # 实际完成值 as printed ('' when blank)
    points: Decimal | None
    score: Decimal | None
    reason: str
    status: Status


@quick_pickle
@dataclass(frozen=True, slots=True)
class SelfEvaluation:
    source_url: str | None
    published: PartialDate | None
    targets_from_selfeval: bool
    funds: Funds | None
    expected: str | None
    achieved: str | None
    results: tuple[Result, ...]
    unanswered: tuple[int, ...]  # target rows with no result
    total: Decimal | None  # 总分 as printed
    grade: str | None  # as printed
    conclusion: str | None
    problems: str | None
    measures: str | None

    def result_for(self, target_row: int) -> Result | None:
        for result in self.results:
            if result.target_row == target_row:
                return result
        return None

    def count(self, code: str) -> int:
        return sum(1 for r in self.results if r.status.code == code)

    @property
    def met(self) -> int:
        return self.count(MET)

    @property
    def not_met(self) -> int:
        return self.count(NOT_MET)

    @property
    def unknown(self) -> int:
        return self.count(UNKNOWN)

    @property
    def score(self) -> Decimal | None:
        """The total as printed. Never a sum of the rows: a copy that lacks rows (or a table
        whose rows do not add up) would show a total nobody published."""
        return self.total

    @property
    def derived_grade(self) -> str | None:
        return grade_for(self.score)


GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal("-1e9")))
# What tables print for each grade.
GRADE_WORDS = {
    "优": "优",
    "优秀": "优",
    "良": "良",
    "良好": "良",
    "中": "中",
    "中等": "中",
    "合格": "中",
    "差": "差",
    "较差": "差",
    "不合格": "差",
}


def grade_for(total: Decimal | None) -> str | None:
    """优 ≥ 90, 良 80–90, 中 60–80, 差 < 60 (财预〔2020〕10号)."""
    if total is None:
        return None
    for grade, floor in GRADES:
        if total >= floor:
            return grade
    return None  # pragma: no cover - the last floor admits everything


def status_counts(results) -> tuple[int, int, int]:
    met = sum(1 for r in results if r.status.code == MET)
    missed = sum(1 for r in results if r.status.code == NOT_MET)
    return met, missed, len(results) - met - missed
