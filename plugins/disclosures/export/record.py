"""project.json: one project's full record, parsed targets included (not neutralised: JSON is
not a spreadsheet)."""

from __future__ import annotations

import json
from typing import Any

from ..frameworks import Framework
from ..history import Change
from ..model import Project
from ..names import normalise_name
from ..targets import KIND_LABELS
from . import results as results_export
from .tables import FORM_LABELS, project_key


def _date(value) -> dict[str, str] | None:
    return None if value is None else {"iso": value.iso(), "written": value.written}


def project_record(
    project: Project, changes: list[Change], page: str, framework: Framework | None = None
) -> dict[str, Any]:
    """`page`: the project page's URL (urls.Urls.project)."""
    framework = framework or Framework()
    return {
        "project_key": project_key(project),
        "form": project.form,
        "form_label": FORM_LABELS[project.form],
        "year": project.year,
        "name": project.name,
        "unit": project.unit,
        "unit_id": project.unit_slug,
        "project_id": project.slug,
        "page": "/" + page,
        "header": [{"key": k, "label": label, "value": v} for k, label, v in project.header],
        "start": _date(project.start),
        "end": _date(project.end),
        "period": project.period,
        "published": _date(project.published),
        "source": project.source_url,
        "sections": [{"key": s.key, "label": s.label, "text": s.text} for s in project.sections],
        "budget": [
            {"key": line.key, "label": line.label, "yuan": line.yuan} for line in project.budget
        ],
        "amount": project.amount,
        "indicators": [
            {
                "row": i.row + 1,
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                # As the indicator index groups it (issue 16): the name's key, the levels in
                # the national framework, the target's canonical text and kind in Chinese.
                "name_key": normalise_name(i.name).key if i.name.strip() else None,
                "national": _national(framework, i.level1, i.level2),
                "target": {
                    **i.target.as_dict(),
                    "kind_label": KIND_LABELS[i.target.kind],
                    "normalised": i.target.normalised(),
                },
                "columns": [
                    {"key": k, "label": label, "text": text} for k, label, text in i.columns
                ],
            }
            for i in project.indicators
        ],
        "extra": [{"label": label, "value": value} for label, value in project.extra],
        "notes": project.notes,
        "data_file": project.source,
        "changes": [change.as_dict() for change in changes],
        "selfeval": results_export.selfeval_record(project.selfeval),  # issue 14
    }


def _national(framework: Framework, level1: str, level2: str) -> dict[str, Any]:
    mapped = framework.map(level1, level2)
    return {"level1": mapped.level1, "level2": mapped.level2, "mapped": mapped.mapped}


def project_json(
    project: Project, changes: list[Change], page: str, framework: Framework | None = None
) -> bytes:
    record = project_record(project, changes, page, framework)
    # Compact: `indent` makes json use its pure-Python encoder, 10,000 files took ~8 s.
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
