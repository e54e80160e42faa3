"""Build a project's self-evaluation from its checked data, link each result to its target
row and check the table: one pass, with file:line messages.

Errors (the file contradicts itself in a way the format decides; the build stops):
- a result row that names no target row and prints no 年度指标值 of its own;
- two result rows answering one target row;
- an amount finer than 1 分 (0.001 元; amounts are exact to the 分, as 决算 tables print them).
Warnings (a published table is inconsistent; it is published as printed, the problem shown):
- a target row with no result; a result row the target table lacks (it prints its own target);
- levels that differ from the target row's; a repeated 年度指标值 that differs;
- 得分 > 分值; 分值 not adding up to 100; 得分 not adding up to the printed 总分;
- execution score ≠ 分值 × min(B/A, 1) beyond rounding; 执行率 ≠ B/A beyond rounding;
- the lines of the funds block not adding up to 年度资金总额;
- a grade that does not follow from the total (优 ≥ 90, 良 80–90, 中 60–80, 差 < 60).
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Any

from ..load import Document, FieldPath, dotted
from ..model import Indicator
from ..money import to_fen
from ..names import normalise_level, normalise_name
from ..problems import Problem, Severity, ValueProblem
from ..targets import Target, parse_target
from ..text import fold
from .model import GRADE_WORDS, Funds, FundsLine, Result, SelfEvaluation, grade_for
from .status import derive_status, direction_of

_POINTS_IN_LABEL = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")


def level_key(written: str) -> str:
    """`产出指标(50分)` and `产出指标` are one level: points in the label go."""
    return _POINTS_IN_LABEL.sub("", normalise_level(written))


# The form's marks before a core indicator's name (★, ★★★: 三颗星为必填的核心绩效指标), printed in
# one table and not in the other: not part of the name a result is linked by.
_CORE_MARKS = re.compile(r"^\s*[★☆*＊]+\s*")


def link_key(name: str) -> str:
    """The key a result row and its target row are matched by: the name as normalised for the
    indicator index, without the form's core-indicator marks."""
    return normalise_name(_CORE_MARKS.sub("", name)).key


def _fmt(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def _half_unit(printed: Decimal) -> Decimal:
    """Half a unit of the printed precision: `8.62` → 0.005, `9` → 0.5 (what rounding allows)."""
    exponent = printed.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


class _Builder:
    def __init__(self, doc: Document, indicators: tuple[Indicator, ...]) -> None:
        self.doc = doc
        self.indicators = indicators
        self.problems: list[Problem] = []

    def report(
        self, path: FieldPath, zh: str, en: str, warning: bool = True, at_key: bool = False
    ) -> None:
        line, column = self.doc.where_key(path) if at_key else self.doc.where(path)
        severity = Severity.WARNING if warning else Severity.ERROR
        self.problems.append(Problem(self.doc.path, line, column, dotted(path), zh, en, severity))

    # -- funds -------------------------------------------------------------------------------
    def funds(self, data: dict[str, Any] | None) -> Funds | None:
        if not data:
            return None
        raw = self.doc.data["selfeval"]["funds"]
        lines = tuple(
            FundsLine(
                line["label"],
                line.get("initial"),
                line.get("budget"),
                line.get("executed"),
                str(raw["lines"][i].get("rate") or "").strip() if "rate" in line else "",
            )
            for i, line in enumerate(data.get("lines", []))
        )
        funds = Funds(
            unit=data.get("unit", "万元"),
            initial=data.get("initial"),
            budget=data.get("budget"),
            executed=data.get("executed"),
            points=data.get("points"),
            rate=str(raw.get("rate")).strip() if "rate" in data else "",
            score=data.get("score"),
            lines=lines,
        )
        self.check_amounts(funds)
        self.check_funds(funds, data)
        return funds

    def check_amounts(self, funds: Funds) -> None:
        path = ("selfeval", "funds")
        amounts = [((*path, k), getattr(funds, k)) for k in ("initial", "budget", "executed")]
        for i, line in enumerate(funds.lines):
            amounts += [
                ((*path, "lines", i, k), getattr(line, k))
                for k in ("initial", "budget", "executed")
            ]
        for where, amount in amounts:
            if amount is None:
                continue
            try:
                to_fen(amount, funds.unit)
            except ValueProblem as problem:
                self.report(where, problem.zh, problem.en, warning=False)

    def check_funds(self, funds: Funds, data: dict[str, Any]) -> None:
        path = ("selfeval", "funds")
        a, b = funds.budget, funds.executed
        if funds.points is not None and funds.score is not None and funds.score > funds.points:
            self.report(
                (*path, "score"),
                f"预算执行率得分 {funds.score} 高于分值 {funds.points}",
                f"execution score {funds.score} is above its points {funds.points}",
            )
        if a and b is not None:
            ratio = min(b / a, Decimal(1))
            if funds.points is not None and funds.score is not None:
                expected = funds.points * ratio
                if abs(expected - funds.score) > _half_unit(funds.score) + Decimal("0.0001"):
                    self.report(
                        (*path, "score"),
                        f"预算执行率得分 {funds.score} 与 分值×min(B/A,1) = {funds.points}×"
                        f"{_fmt((ratio * 100).quantize(Decimal('0.01')))}% = "
                        f"{_fmt(expected.quantize(Decimal('0.01')))} 不符",
                        f"execution score {funds.score} is not points × min(B/A, 1) = "
                        f"{_fmt(expected.quantize(Decimal('0.01')))}",
                    )
            if "rate" in data:
                printed = data["rate"]
                computed = b * 100 / a
                if abs(computed - printed) > _half_unit(printed) + Decimal("0.0001"):
                    self.report(
                        (*path, "rate"),
                        f"执行率 {funds.rate} 与 B/A = {b}/{a} = "
                        f"{_fmt(computed.quantize(Decimal('0.01')))}% 不符",
                        f"execution rate {funds.rate} is not B/A = "
                        f"{_fmt(computed.quantize(Decimal('0.01')))}%",
                    )
        for key, label in (
            ("initial", "年初预算数"),
            ("budget", "全年预算数"),
            ("executed", "全年执行数"),
        ):
            total = getattr(funds, key)
            parts = [getattr(line, key) for line in funds.lines]
            printed = [p for p in parts if p is not None]
            if total is None or not printed:
                continue
            added = sum(printed, Decimal(0))
            # Blank lines are not 0: with some blank, only a sum already above the total
            # contradicts it (年度资金总额 0 beside 当年财政拨款 90).
            if added != total if len(printed) == len(parts) else added > total:
                self.report(
                    (*path, key),
                    f"资金明细的{label}合计 {_fmt(added)} 与年度资金总额 {total} 不符",
                    f"the lines' {key} add up to {_fmt(added)}, not the total {total}",
                )

    # -- results -----------------------------------------------------------------------------
    def results(self, rows: list[dict[str, Any]]) -> tuple[tuple[Result, ...], tuple[int, ...]]:
        by_name: dict[str, list[Indicator]] = {}
        for indicator in self.indicators:
            by_name.setdefault(link_key(indicator.name), []).append(indicator)
        taken: dict[int, int] = {}  # target row → result row
        results = []
        for i, row in enumerate(rows):
            path = ("selfeval", "indicators", i)
            target_row = self.link(row, i, by_name, taken)
            printed = row.get("target")
            linked = self.indicators[target_row] if target_row is not None else None
            if linked is not None and printed is not None:
                if fold(printed).replace(" ", "") != fold(linked.target.written).replace(" ", ""):
                    self.report(
                        (*path, "target"),
                        f"自评表的年度指标值“{printed}”与目标表的“{linked.target.written}”不同"
                        "（照录发布）",
                        f"the self-evaluation's target {printed!r} differs from the target "
                        f"table's {linked.target.written!r} (published as printed)",
                    )
            target = linked.target if linked is not None else self.printed_target(printed, path)
            direction = direction_of(
                linked.columns if linked else (), row["level1"], row.get("level2", "")
            )
            points, score = row.get("points"), row.get("score")
            if points is not None and score is not None and score > points:
                self.report(
                    (*path, "score"),
                    f"得分 {score} 高于分值 {points}",
                    f"score {score} is above its points {points}",
                )
            results.append(
                Result(
                    row=i,
                    line=self.doc.where(path)[0],
                    level1=row["level1"],
                    level2=row.get("level2", ""),
                    name=row["name"],
                    target_row=target_row,
                    target=target,
                    printed_target=printed,
                    actual=row.get("actual", ""),
                    points=points,
                    score=score,
                    reason=row.get("reason", ""),
                    status=derive_status(target, row.get("actual"), direction),
                )
            )
        unanswered = tuple(
            n
            for n, indicator in enumerate(self.indicators)
            if n not in taken and indicator.name.strip()
        )
        if rows:
            for n in unanswered:
                indicator = self.indicators[n]
                self.report(
                    ("indicators", n),
                    f"目标表的指标“{indicator.name}”在自评表中没有结果",
                    f"target row {indicator.name!r} has no result in the self-evaluation",
                )
        return tuple(results), unanswered

    def printed_target(self, printed: str | None, path: FieldPath) -> Target:
        try:
            return parse_target(printed)
        except Exception:  # noqa: BLE001 - a ValueProblem: keep the words as printed
            return Target(printed or "", "qualitative", value=fold(printed or ""))

    def link(
        self,
        row: dict[str, Any],
        i: int,
        by_name: dict[str, list[Indicator]],
        taken: dict[int, int],
    ) -> int | None:
        path = ("selfeval", "indicators", i)
        candidates = by_name.get(link_key(row["name"]), [])
        if len(candidates) > 1:
            narrowed = [
                c for c in candidates if level_key(c.level2) == level_key(row.get("level2", ""))
            ] or candidates
            narrowed = [
                c for c in narrowed if level_key(c.level1) == level_key(row["level1"])
            ] or narrowed
            free = [c for c in narrowed if c.row not in taken]
            candidates = free[:1] or narrowed[:1]
        if not candidates:
            if row.get("target") is not None:
                self.report(
                    (*path, "name"),
                    f"目标表中没有指标“{row['name']}”；按自评表印出的年度指标值发布",
                    f"the target table has no indicator {row['name']!r}; published with the "
                    "target the self-evaluation prints",
                )
                return None
            names = [c.name for c in self.indicators if c.name]
            guess = difflib.get_close_matches(row["name"], names, n=1, cutoff=0.5)
            hint_zh = f"，是不是“{guess[0]}”？" if guess else ""
            hint_en = f"; did you mean {guess[0]!r}?" if guess else ""
            self.report(
                (*path, "name"),
                f"目标表中没有指标“{row['name']}”{hint_zh}（自评结果须对应目标表的一行；"
                "目标表确实没有这一行时，请照录自评表的年度指标值 target）",
                f"no target row named {row['name']!r}{hint_en} (a result answers a row of "
                "the target table; if the table lacks it, write the printed target)",
                warning=False,
            )
            return None
        target = candidates[0]
        if target.row in taken:
            self.report(
                (*path, "name"),
                f"目标表的指标“{target.name}”已由自评表第 {taken[target.row] + 1} 行回答",
                f"target row {target.name!r} is already answered by result {taken[target.row] + 1}",
                warning=False,
            )
            return None
        taken[target.row] = i
        for key, label in (("level1", "一级指标"), ("level2", "二级指标")):
            written = row.get(key, "")
            if written and level_key(written) != level_key(getattr(target, key)):
                self.report(
                    (*path, key),
                    f"{label}“{written}”与目标表的“{getattr(target, key)}”不同",
                    f"{key} {written!r} differs from the target table's {getattr(target, key)!r}",
                )
        return target.row

    # -- totals ------------------------------------------------------------------------------
    def totals(self, evaluation: SelfEvaluation, data: dict[str, Any]) -> None:
        points = [r.points for r in evaluation.results]
        scores = [r.score for r in evaluation.results]
        if evaluation.funds is not None:
            points.append(evaluation.funds.points)
            scores.append(evaluation.funds.score)
        if evaluation.results and all(p is not None for p in points):
            added = sum(points, Decimal(0))
            if added != 100:
                self.report(
                    ("selfeval", "indicators"),
                    f"分值合计 {_fmt(added)}，不是 100",
                    f"the points add up to {_fmt(added)}, not 100",
                    at_key=True,
                )
        total = evaluation.total
        if total is not None and evaluation.results and all(s is not None for s in scores):
            added = sum(scores, Decimal(0))
            allowed = _half_unit(total) + Decimal("0.005") * len(scores)
            if abs(added - total) > allowed:
                self.report(
                    ("selfeval", "total"),
                    f"各项得分合计 {_fmt(added)}，与总分 {total} 不符",
                    f"the scores add up to {_fmt(added)}, not the total {total}",
                )
        if evaluation.grade:
            printed = GRADE_WORDS.get(fold(evaluation.grade).rstrip("级等"))
            expected = grade_for(evaluation.score)
            if printed is None:
                self.report(
                    ("selfeval", "grade"),
                    f"无法识别的等级“{evaluation.grade}”（应为 优、良、中、差）",
                    f"unknown grade {evaluation.grade!r} (expected 优, 良, 中 or 差)",
                )
            elif expected is not None and printed != expected:
                self.report(
                    ("selfeval", "grade"),
                    f"等级“{evaluation.grade}”与总分 {evaluation.score} 不符"
                    f"（优 ≥ 90，良 80–90，中 60–80，差 < 60：应为“{expected}”）",
                    f"grade {evaluation.grade!r} does not follow from the total "
                    f"{evaluation.score} (expected {expected!r})",
                )


def build_selfeval(
    doc: Document, checked: dict[str, Any], indicators: tuple[Indicator, ...]
) -> tuple[SelfEvaluation | None, list[Problem]]:
    """The self-evaluation of a checked project (None when it has none) and its problems."""
    data = checked.get("selfeval")
    if not data:
        return None, []
    builder = _Builder(doc, indicators)
    results, unanswered = builder.results(data.get("indicators", []))
    evaluation = SelfEvaluation(
        source_url=data.get("source"),
        published=data.get("published"),
        targets_from_selfeval=data.get("targets_from_selfeval") == "是",
        funds=builder.funds(data.get("funds")),
        expected=data.get("expected"),
        achieved=data.get("achieved"),
        results=results,
        unanswered=unanswered,
        total=data.get("total"),
        grade=data.get("grade"),
        conclusion=data.get("conclusion"),
        problems=data.get("problems"),
        measures=data.get("measures"),
    )
    builder.totals(evaluation, data)
    return evaluation, builder.problems
