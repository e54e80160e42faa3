"""Self-evaluation results as open data: the `selfeval` part of project.json and the results
table (downloads/results.csv, a sheet of each year's workbook, a resource of datapackage.json),
declared once like the other tables (export/tables.py)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..model import Project
from ..results.model import SelfEvaluation
from ..results.pages import ResultRow, result_rows
from ..results.status import STATUS_LABELS
from .tables import INTEGER, NUMBER, STRING, Column, Table, project_key


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def selfeval_record(evaluation: SelfEvaluation | None) -> dict[str, Any] | None:
    """The self-evaluation in project.json: numbers as printed (strings), statuses derived."""
    if evaluation is None:
        return None
    funds = evaluation.funds
    return {
        "source": evaluation.source_url,
        "published": None if evaluation.published is None else evaluation.published.iso(),
        "targets_from_selfeval": evaluation.targets_from_selfeval,
        "funds": None
        if funds is None
        else {
            "unit": funds.unit,
            "initial": _number(funds.initial),
            "budget": _number(funds.budget),
            "executed": _number(funds.executed),
            "points": _number(funds.points),
            "rate": funds.rate or None,
            "rate_computed": None if funds.computed_rate is None else f"{funds.computed_rate}%",
            "score": _number(funds.score),
            "lines": [
                {
                    "label": line.label,
                    "initial": _number(line.initial),
                    "budget": _number(line.budget),
                    "executed": _number(line.executed),
                    "rate": line.rate or None,
                }
                for line in funds.lines
            ],
        },
        "expected": evaluation.expected,
        "achieved": evaluation.achieved,
        "results": [
            {
                "target_row": None if r.target_row is None else r.target_row + 1,
                "level1": r.level1,
                "level2": r.level2,
                "name": r.name,
                "target": r.target.written,
                "printed_target": r.printed_target,
                "actual": r.actual,
                "points": _number(r.points),
                "score": _number(r.score),
                "reason": r.reason,
                "status": r.status.code,
                "status_label": r.status.label,
                "status_why": r.status.why,
            }
            for r in evaluation.results
        ],
        "unanswered_target_rows": [row + 1 for row in evaluation.unanswered],
        "total": _number(evaluation.total),
        "grade": evaluation.grade,
        "grade_from_total": evaluation.derived_grade,
        "conclusion": evaluation.conclusion,
        "problems": evaluation.problems,
        "measures": evaluation.measures,
    }


def _get(attribute: str):
    def get(p: Project, n: int, row: ResultRow) -> Any:
        r = row.result
        return None if r is None else getattr(r, attribute)

    return get


RESULTS = Table(
    "results",
    "自评结果",
    (
        Column(
            "project_key",
            "项目键",
            STRING,
            "项目（对应 projects.project_key） / project (projects.project_key)",
            lambda p, n, row: project_key(p),
            {"required": True},
        ),
        Column(
            "row",
            "行号",
            INTEGER,
            "自评结果表的行号，从 1 起 / row of the results table, from 1",
            lambda p, n, row: n,
            {"required": True, "minimum": 1},
        ),
        Column("year", "年度", INTEGER, "预算年度 / fiscal year", lambda p, n, row: p.year),
        Column(
            "unit",
            "单位",
            STRING,
            "单位，照原表 / budget unit as written",
            lambda p, n, row: p.unit,
        ),
        Column(
            "project_name", "项目名称", STRING, "项目名称 / project name", lambda p, n, row: p.name
        ),
        Column(
            "level1",
            "一级指标",
            STRING,
            "一级指标，照原表 / level 1 as written",
            lambda p, n, row: row.level1,
        ),
        Column(
            "level2",
            "二级指标",
            STRING,
            "二级指标，照原表 / level 2 as written",
            lambda p, n, row: row.level2,
        ),
        Column(
            "name",
            "三级指标",
            STRING,
            "三级指标，照原表 / the indicator as written",
            lambda p, n, row: row.name,
        ),
        Column(
            "target",
            "年度指标值",
            STRING,
            "目标表中的年度指标值，照原表（目标表无此行时取自评表） / the target as written "
            "in the target table (or the self-evaluation when the table lacks the row)",
            lambda p, n, row: row.target_shown,
        ),
        Column(
            "actual",
            "实际完成值",
            STRING,
            "实际完成值，照原表；自评表未写时为空 / "
            "the actual value as printed; blank when none is given",
            lambda p, n, row: None if row.result is None else row.result.actual,
        ),
        Column(
            "status",
            "达成情况",
            STRING,
            "达成、未达成或无法判断，由本站按目标和实际值推出；"
            "无自评结果时为空 / met, not met or cannot tell, derived by this site; "
            "blank: no result",
            lambda p, n, row: None if row.result is None else row.result.status.label,
            {"enum": list(STATUS_LABELS.values())},
        ),
        Column(
            "status_why",
            "判断说明",
            STRING,
            "无法判断的原因或判断依据 / why the status could not be told, or how it was read",
            lambda p, n, row: None if row.result is None else row.result.status.why,
        ),
        Column("points", "分值", NUMBER, "分值，照原表 / points as printed", _get("points")),
        Column("score", "得分", NUMBER, "得分，照原表 / score as printed", _get("score")),
        Column(
            "reason",
            "偏差原因分析及改进措施",
            STRING,
            "偏差原因分析及改进措施，照原表 / reason for the gap and remedy, as printed",
            _get("reason"),
        ),
        Column(
            "in_target_table",
            "目标表有此行",
            STRING,
            "目标表有此行为“是”，只有自评表有为“否” / "
            "是: the row is in the target table; 否: only in the self-evaluation",
            lambda p, n, row: "是" if row.in_target_table else "否",
            {"enum": ["是", "否"]},
        ),
    ),
    ("project_key", "row"),
)


def results_table_rows(projects: Iterable[Project]) -> list[list[Any]]:
    """One row per target (and per result the target table lacks) of every evaluated project."""
    rows = []
    for project in projects:
        for n, row in enumerate(result_rows(project), start=1):
            rows.append([column.get(project, n, row) for column in RESULTS.columns])
    return rows
