"""Example data for the pattern page (/patterns/): every template component, rendered with
realistic and hostile values (markup in names, very long unbroken text, blank money).

The example goes through the same load → validate → model path as a real data file, so the
pattern page shows exactly what a real page would.
"""

from __future__ import annotations

from typing import Any

from .charts import bar_chart, target_kinds
from .index import build_index, profile_of
from .load import load_text
from .model import Project, build_project
from .rows import table_rows
from .validate import check_document

HOSTILE = "<script>alert(1)</script>"
LONG = "超长而且没有任何断点的项目名称" * 4 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 2

EXAMPLE = f"""\
form: shanghai
year: "2020"
name: '示例项目 {HOSTILE} & “引号”'
unit: '示例单位 <b onmouseover="alert(2)">粗体</b>'
category: 其他一次性项目
start: "2020-01-01"
end: "2020-12-31"
gov_purchase: 否
performance_type: 其他类
sections:
  overview: |-
    正文段落，**加粗**，[链接](https://example.org/)。原样的 HTML 不会生效：{HOSTILE}

    1. 第一项
    2. 第二项：{LONG}
  goals: 总目标。
budget:
  total: 9900000
  current_year: 9900000
  previous_year: 8900042
indicators:
  - level1: 投入与管理
    level2: 实施管理
    name: 预算执行率
    target: "=100%"
  - level1: 投入与管理
    level2: 实施管理
    name: '{HOSTILE}'
    target: 规范
  - level1: 产出目标
    level2: 数量
    name: '{LONG}'
    target: ">=95%"
  - level1: 效果目标
    level2: 满意度
    name: 满意度指标
    target: ""
"""


def example_project() -> Project:
    doc, problems = load_text(EXAMPLE, "patterns-example.yaml")
    assert doc is not None, problems
    checked, problems = check_document(doc)
    assert checked is not None, [p.format() for p in problems]
    return build_project(checked, "patterns-example.yaml")


def pattern_variables() -> dict[str, Any]:
    """What patterns.html receives: one example of every component's inputs."""
    project = example_project()
    site = build_index([project])
    chart_rows = [(HOSTILE, 300, "300 万元"), (LONG, 1200, "1,200 万元"), ("零", 0, "0 万元")]
    return {
        "page_kind": "patterns",
        "example": project,
        "example_site": site,
        "example_rows": table_rows(project.indicators),
        "example_profile": profile_of(project.indicators),
        "example_bar_chart": bar_chart(
            "pattern-bars", f"示例图表 {HOSTILE}", chart_rows, "名称", "金额", "金额"
        ),
        "example_kinds_chart": target_kinds(profile_of(project.indicators), "pattern-kinds"),
        "hostile": HOSTILE,
        "long_text": LONG,
    }
