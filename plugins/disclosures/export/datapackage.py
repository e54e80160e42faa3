"""datapackage.json: a Frictionless Data Package describing projects.csv and indicators.csv.

Field `name` is the Chinese column header, because Table Schema matches names to the CSV
header row; the English key is the field's `title` (and is listed on the open-data page).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..urls import Urls
from .cells import neutralise
from .results import RESULTS
from .tables import BUDGET_LINES, COMPARISON, INDICATORS, PROJECTS, Table

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


def _field(column) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.title,
        "title": column.key,
        "type": column.type,
        "description": column.description,
    }
    constraints = dict(column.constraints)
    if "enum" in constraints and column.type == "string":
        # The CSV holds neutralised text ("'=" for "="), so the enum lists what is written.
        constraints["enum"] = [neutralise(value) for value in constraints["enum"]]
    if constraints:
        field["constraints"] = constraints
    return field


def _resource(table: Table, description: str, name: str = "", title: str = "") -> dict[str, Any]:
    titles = {c.key: c.title for c in table.columns}
    schema: dict[str, Any] = {
        "fields": [_field(c) for c in table.columns],
        "primaryKey": [titles[key] for key in table.primary_key],
        "missingValues": [""],
    }
    if table is not PROJECTS:
        key = titles["project_key"]
        schema["foreignKeys"] = [
            {
                "fields": [key],
                "reference": {"resource": PROJECTS.name, "fields": [PROJECTS.columns[0].title]},
            }
        ]
    return {
        "name": name or table.name,
        "title": title or table.title,
        "description": description,
        "path": f"{name or table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": schema,
    }


def datapackage_bytes(
    site_title: str, siteurl: str, urls: Urls, kinds: Iterable[Any] = ()
) -> bytes:
    """`kinds`: the comparison kinds (comparisons.Kind), one CSV each."""
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "project-performance-targets",
        "title": site_title,
        "description": "各预算单位公开的项目支出绩效目标表，逐项目、逐指标整理；金额以元为单位。"
        "列名是中文，每列的英文键写在字段的 title 中；取值固定的列写中文，英文键另成一列。"
        "CSV 中以 = + - @（含全角）或制表符、回车开头的文字单元格前加一个英文单引号，读作数字"
        "的文字（如 -5）不加，说明见网站的开放数据页。 / Project expenditure performance-target "
        "tables published by Chinese budget units, one row per project and one row per "
        "indicator. Money in yuan (元). Headers are Chinese, each field's title is its English "
        "key. CSV text cells a spreadsheet would evaluate (starting with = + - @, full-width "
        "too, tab or CR) carry a leading apostrophe; plain numbers such as -5 do not.",
        "licenses": [LICENSE],
        "resources": [
            _resource(PROJECTS, "每个项目一行：表头各栏和资金 / one row per project"),
            _resource(
                INDICATORS,
                "每个绩效指标一行，含指标索引归并所用的名称、全国通行框架的层级和目标值写法 / "
                "one row per indicator, with the index's grouping name, framework levels and "
                "target",
            ),
            _resource(
                RESULTS,
                "绩效自评结果，每个指标一行：目标、实际完成值、达成情况、分值、得分、原因 / "
                "self-evaluation results, one row per indicator",
            ),
            _resource(BUDGET_LINES, "每个项目资金栏目一行 / one row per line of a budget block"),
            *(
                _resource(
                    COMPARISON,
                    f"“{kind.title}”类目标，每项一行（比较页 /{urls.comparison(kind)}） / "
                    f"targets of the kind {kind.key!r}, one row each",
                    name=f"compare-{kind.key}",
                    title=f"目标比较：{kind.title}",
                )
                for kind in kinds
            ),
        ],
    }
    if siteurl:
        package["homepage"] = f"{siteurl}/{urls.page('open-data')}"
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
