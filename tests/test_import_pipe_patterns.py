"""`disclosures import` on web tables flattened with `|`: one cell per line (each cell closed
by `|`) or one table row per line.

The tables here are written for the patterns seen in real pages of those layouts (held-out
batch 091–097 of tests/corpus), not copied from them: a cell wrapped in its narrow column over
two lines (the first without its `|`), rows that continue a group with only 三级 | 指标值, the
goal headings of a form on one row with both goals on the next. Each test runs the real
command and checks the draft; the whole ones must validate and build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import yaml
from support import build_site, import_text, run_cli

# A heading and a name wrapped in their narrow cells; two groups whose second row carries
# only 三级 | 指标值 (the merged 一级/二级 cells are printed once, on the group's first row).
ROAD_UPKEEP = """\
项目支出绩效目标表 |
(2024年度) |
项目名称 |
城区道路养护 |
主管部门及代码 |
[118]某县住房和城乡建设局 |
实施单位 |
某县市政设施管护中心 |
项目资金
(万元) |
年度资金总额: |
80.00 |
其中:财政拨款 |
80.00 |
其他资金 |
0.00 |
年度
目标 |
完成城区主次干道日常养护,路面完好率保持在较高水平。 |
绩
效
指
标 |
一级
指标 |
二级指标 |
三级指标 |
指标值 |
产出指标 |
数量指标 |
养护道路里程 |
≥35公里 |
修补人行道及
路缘石破损 |
≥1200平方米 |
质量指标 |
路面完好率 |
≥95% |
验收合格率 |
100% |
效益指标 |
社会效益指标 |
道路通行条件 |
明显改善 |
满意度指标 |
服务对象满意度指标 |
市民满意度 |
≥90% |
"""


def test_wrapped_cells_and_rows_that_continue_a_group(tmp_path: Path) -> None:
    status, stderr, (draft,) = import_text(tmp_path, ROAD_UPKEEP)
    assert status == 0, stderr
    rows = [(r["level1"], r["level2"], r["name"], r["target"]) for r in draft["indicators"]]
    assert rows == [
        ("产出指标", "数量指标", "养护道路里程", "≥35公里"),
        # the name wrapped over two lines is one cell, not a name and a target
        ("产出指标", "数量指标", "修补人行道及路缘石破损", "≥1200平方米"),
        ("产出指标", "质量指标", "路面完好率", "≥95%"),
        # 三级 | 指标值 alone after a full row: the group's levels, the target its own
        ("产出指标", "质量指标", "验收合格率", "100%"),
        ("效益指标", "社会效益指标", "道路通行条件", "明显改善"),
        ("满意度指标", "服务对象满意度指标", "市民满意度", "≥90%"),
    ]
    assert "同名栏" not in stderr  # the wrapped `一级` / `指标` heading is one heading
    build_site(tmp_path / "site", data=tmp_path / "drafts")


def test_a_cell_cut_by_a_gap_mark_is_not_joined_to_it(tmp_path: Path) -> None:
    """A collector's `[…gap…]` after a line with no `|`: the text was cut there, it did not
    wrap; the mark is not part of the name."""
    cut = ROAD_UPKEEP.replace("市民满意度 |\n≥90% |\n", "市民满意度\n[…gap…]\n")
    _status, _stderr, (draft,) = import_text(tmp_path, cut)
    names = [r.get("name") for r in draft["indicators"]]
    assert "市民满意度" in names
    assert not any("gap" in (n or "") for n in names)


# Goal headings side by side on one row, headed by the row's own title cell, and both goals
# on the next row; the year's money asked for printed as 年度资金申请总额.
STORM_DRAINS = """\
2023年度专项资金绩效目标申报表 | ||||||
项目名称 | 老旧小区雨污分流改造 | |||||
主管部门 | 某市住房和城乡建设局 | 实施单位 | 某市排水管理处 | |||
资金情况 (万元) | 项目资金总额: | 600 | 年度资金申请总额 | 300 | ||
其中:财政资金 | 600 | 其中:当年财政拨款 | 300 | |||
项目绩效目标 | 项目总目标 | 年度总体目标 | ||||
两年内完成12个老旧小区雨污分流改造,消除污水直排。 | 当年完成6个小区管网改造并通过验收。 | |||||
绩 效 指 标 | 一级 指标 | 二级指标 | 三级指标 | 年度指标值 | ||
产出指标 | 数量指标 | 改造小区数量 | 6个 | |||
新建雨水管网长度 | ≥3公里 | |||||
效益指标 | 生态效益指标 | 污水直排口 | 全部消除 | |||
满意度指标 | 服务对象满意度指标 | 居民满意度 | ≥90% | |||
"""


def test_goal_headings_on_one_row_and_goals_on_the_next(tmp_path: Path) -> None:
    status, stderr, (draft,) = import_text(tmp_path, STORM_DRAINS)
    assert status == 0, stderr
    assert draft["sections"] == {
        "midterm_goal": "两年内完成12个老旧小区雨污分流改造,消除污水直排。",
        "annual_goal": "当年完成6个小区管网改造并通过验收。",
    }
    assert draft["budget"] == {
        "total": 6000000,
        "current_year": 3000000,  # 年度资金申请总额: the year's money, not a line item
        "fiscal": 6000000,
        "current_year_fiscal": 3000000,
    }
    assert draft["labels"]["midterm_goal"] == "项目总目标"
    assert draft["labels"]["current_year"] == "年度资金申请总额"
    build_site(tmp_path / "site", data=tmp_path / "drafts")


def test_a_single_overall_goal_heading_stays_the_years_goal(tmp_path: Path) -> None:
    """项目总目标 with one text and no 年度 goal beside it: a form with a single goal cell,
    whose goal is the year's (as 总体目标 alone is read)."""
    single = STORM_DRAINS.replace(
        "项目绩效目标 | 项目总目标 | 年度总体目标 | ||||\n"
        "两年内完成12个老旧小区雨污分流改造,消除污水直排。 | "
        "当年完成6个小区管网改造并通过验收。 | |||||\n",
        "项目总目标 | 当年完成6个小区管网改造并通过验收。 | |||||\n",
    )
    status, stderr, (draft,) = import_text(tmp_path, single)
    assert status == 0, stderr
    assert draft["sections"] == {"annual_goal": "当年完成6个小区管网改造并通过验收。"}


# A row whose target cell is blank in the source: the name reads like a target (改善, 提升),
# and only the blank cell tells where it stands.
PARK_GREENING = """\
| 项目支出绩效目标表（2024年度） |
| 项目名称 | 公园绿地养护 |
| 预算部门 | 某区园林绿化服务中心 |
| 主管部门 | 某区城市管理局 |
| 资金总额（万元） | 45 |
| 年度目标 | 完成辖区公园绿地日常养护 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 养护绿地面积 | ≥20万平方米 |
| 效益指标 | 生态效益指标 | 绿化环境改善 |  |
| 满意度指标 | 服务对象满意度指标 | 游客满意度 | ≥90% |
"""


def _blank_target_rows(draft: dict[str, Any]) -> list[dict[str, str]]:
    return [r for r in draft["indicators"] if r.get("level2") == "生态效益指标"]


def test_a_blank_target_cell_keeps_the_name_in_its_column(tmp_path: Path) -> None:
    status, stderr, (draft,) = import_text(tmp_path, PARK_GREENING)
    assert _blank_target_rows(draft) == [
        {"level1": "效益指标", "level2": "生态效益指标", "name": "绿化环境改善"}
    ]
    # the source lacks the target: the draft says so and names the field
    assert status == 3
    assert "target" in stderr


def test_a_blank_target_cell_of_a_workbook(tmp_path: Path) -> None:
    """The same row in an .xlsx (red-team note: `target: 市容改善`, no name)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in PARK_GREENING.splitlines():
        cells = [c.strip() or None for c in line.strip().strip("|").split("|")]
        sheet.append(cells)
    book.save(tmp_path / "table.xlsx")
    out = tmp_path / "drafts"
    result = run_cli("import", str(tmp_path / "table.xlsx"), "--out", str(out))
    (path,) = out.rglob("*.yaml")
    draft = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _blank_target_rows(draft) == [
        {"level1": "效益指标", "level2": "生态效益指标", "name": "绿化环境改善"}
    ]
    assert result.returncode == 3 and "target" in result.stderr


# One table row per line, the page cut right after the 满意度指标 label (its rows lost).
CUT_AFTER_SATISFACTION = """\
项目支出绩效目标申报表
(2023年度) | ||||
项目名称 | 农田灌溉渠道维修 | |||
主管部门及代码 | [121]某县水务局 | |||
年度总体目标 | 维修灌溉渠道12公里。 | |||
绩 效 指 标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |
产出指标 | 数量指标 (必填) | 维修渠道长度(公里) | 12 |
质量指标 (必填) | 工程验收合格率(%) | 100 | |
效益指标 | 社会效益 指标 (必填) | 受益农户(户) | 860 |
可持续影响 指标 (选填) | 改善灌溉条件,保障粮食生产。 | ||
满意度指标 \n"""


def test_a_satisfaction_label_cut_off_after_benefit_rows_is_a_first_level(tmp_path: Path) -> None:
    _code, err, drafts = import_text(tmp_path, CUT_AFTER_SATISFACTION)
    (draft,) = drafts
    assert draft["indicators"][-1] == {"level1": "满意度指标"}, err
    assert draft["indicators"][-2]["level1"] == "效益指标"
    assert draft["indicators"][-2]["level2"] == "可持续影响 指标 (选填)"


def test_a_satisfaction_label_in_its_benefit_row_stays_a_second_level(tmp_path: Path) -> None:
    # An older form: 满意度指标 as a 二级 of 效益指标, printed in its row with its indicator.
    page = CUT_AFTER_SATISFACTION.replace("满意度指标 \n", "满意度指标 | 群众满意度(%) | ≥90 | |\n")
    _code, err, drafts = import_text(tmp_path, page)
    (draft,) = drafts
    last = draft["indicators"][-1]
    assert (last["level1"], last["level2"], last["name"]) == (
        "效益指标",
        "满意度指标",
        "群众满意度(%)",
    ), err
