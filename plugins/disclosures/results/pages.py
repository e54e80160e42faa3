"""What the templates show of the self-evaluations: the target-beside-result rows of a project,
figures for a set of projects (a unit, a year), an indicator's record across projects, and the
chart of targets met per unit. Registered as template globals by the generator."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..charts import BarChart, bar_chart
from ..model import Project
from ..names import normalise_name
from ..targets import Target
from .model import GRADE_WORDS, Result
from .status import MET, NOT_MET, UNKNOWN

GRADE_ORDER = ("优", "良", "中", "差")


@dataclass(frozen=True)
class ResultRow:
    """One line of the project page's results table: a target row and its result."""

    level1: str
    level2: str
    name: str
    target: Target
    result: Result | None  # None: the self-evaluation gives no result for this target
    in_target_table: bool  # False: a row only the self-evaluation has
    next_target: str | None  # the same indicator's target the following year, as written
    unit_column: str = ""  # the target row's 计量单位/度量单位 cell, when the form has one

    @property
    def target_shown(self) -> str:
        """The target as the table prints it: its text, then its unit column unless the text
        already ends with that unit (≥95 with % → ≥95%; ≥1次 stays ≥1次)."""
        written = self.target.written
        unit = self.unit_column.strip()
        if not unit or not written or written.replace(" ", "").endswith(unit.replace(" ", "")):
            return written
        return written + unit


def result_rows(project: Project, following: Project | None = None) -> list[ResultRow]:
    """Every target of the table beside its result, in the table's order, then any result
    the target table lacks. `following`: the same project a year later, for its targets."""
    evaluation = project.selfeval
    if evaluation is None:
        return []
    later: dict[str, str] = {}
    if following is not None:
        for indicator in following.indicators:
            later.setdefault(normalise_name(indicator.name).key, indicator.target.written)

    def next_target(name: str) -> str | None:
        return later.get(normalise_name(name).key) if following is not None else None

    by_row = {r.target_row: r for r in evaluation.results if r.target_row is not None}
    rows = [
        ResultRow(
            i.level1,
            i.level2,
            i.name,
            i.target,
            by_row.get(i.row),
            True,
            next_target(i.name),
            next((text for key, _label, text in i.columns if key == "unit"), ""),
        )
        for i in project.indicators
        if i.name.strip() or i.row in by_row
    ]
    rows += [
        ResultRow(r.level1, r.level2, r.name, r.target, r, False, next_target(r.name))
        for r in evaluation.results
        if r.target_row is None
    ]
    return rows


def percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    value = (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"


@dataclass
class ResultStats:
    """Figures over a set of projects: how many were evaluated, their scores and grades, and
    how many indicators were met."""

    projects: int = 0
    evaluated: int = 0
    scored: int = 0
    score_sum: Decimal = Decimal(0)
    grades: Counter = field(default_factory=Counter)  # 优/良/中/差, and 未评等级
    met: int = 0
    not_met: int = 0
    unknown: int = 0

    @property
    def results(self) -> int:
        return self.met + self.not_met + self.unknown

    @property
    def average_score(self) -> str:
        if not self.scored:
            return "—"
        return str((self.score_sum / self.scored).quantize(Decimal("0.01"), ROUND_HALF_UP))

    @property
    def share_met(self) -> str:
        return percent(self.met, self.results)

    def grade_rows(self) -> list[tuple[str, int]]:
        rows = [(grade, self.grades[grade]) for grade in GRADE_ORDER]
        if self.grades["未印等级"]:
            rows.append(("未印等级", self.grades["未印等级"]))
        return rows


def results_stats(projects: list[Project]) -> ResultStats:
    stats = ResultStats(projects=len(projects))
    for project in projects:
        evaluation = project.selfeval
        if evaluation is None:
            continue
        stats.evaluated += 1
        score = evaluation.score
        if score is not None:
            stats.scored += 1
            stats.score_sum += score
        printed = GRADE_WORDS.get((evaluation.grade or "").strip().rstrip("级等"))
        stats.grades[printed or "未印等级"] += 1
        stats.met += evaluation.met
        stats.not_met += evaluation.not_met
        stats.unknown += evaluation.unknown
    return stats


@dataclass(frozen=True)
class IndicatorResult:
    project: Project
    result: Result


@dataclass
class IndicatorRecord:
    """An indicator across projects: how often it was met, and the reasons given for misses."""

    met: int = 0
    not_met: int = 0
    unknown: int = 0
    misses: list[IndicatorResult] = field(default_factory=list)

    @property
    def evaluated(self) -> int:
        return self.met + self.not_met + self.unknown

    @property
    def share_met(self) -> str:
        return percent(self.met, self.evaluated)


def indicator_record(uses) -> IndicatorRecord:
    """`uses`: the IndicatorUse list of an indicator (index.py)."""
    record = IndicatorRecord()
    for use in uses:
        evaluation = use.project.selfeval
        if evaluation is None:
            continue
        result = evaluation.result_for(use.indicator.row)
        if result is None:
            continue
        code = result.status.code
        if code == MET:
            record.met += 1
        elif code == NOT_MET:
            record.not_met += 1
            record.misses.append(IndicatorResult(use.project, result))
        elif code == UNKNOWN:
            record.unknown += 1
    return record


def results_summary(uses) -> str:
    """An indicator's record as text, for the fingerprint of each of its pages (render.py):
    a page must be made again when a result on another of its pages changes the figures."""
    record = indicator_record(uses)
    # Each miss as its row shows it (_results.html: the project's name, unit, year and link,
    # the target, actual and reason): the page does not depend on the projects' whole data.
    misses = [
        (m.project.key, m.project.name, m.project.unit, m.result.target.written)
        + (m.result.actual, m.result.reason)
        for m in record.misses
    ]
    return repr((record.met, record.not_met, record.unknown, misses))


def met_by_unit(units, key: str = "met-by-unit") -> BarChart:
    """Targets met per unit (units with a self-evaluation), most met first."""
    rows = []
    for unit in units:
        stats = results_stats(unit.projects)
        if stats.results:
            shown = f"{stats.met} / {stats.results} 项达成（{stats.share_met}）"
            rows.append((unit.title, stats.met, shown))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return bar_chart(
        key, "各单位达成的绩效指标", rows, "单位", "达成的指标 / 有自评结果的指标", "达成的指标数"
    )


def template_globals() -> dict[str, object]:
    return {
        "result_rows": result_rows,
        "results_stats": results_stats,
        "indicator_record": indicator_record,
        "met_by_unit_chart": met_by_unit,
    }
