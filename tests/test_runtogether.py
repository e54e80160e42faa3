"""Indicator rows that ran into one another (importer/runtogether.py): text copied from a
document-sharing site or read by OCR keeps no cell boundary, so the rows under one level label
come as one run, `供养老人人数45人床位数量60张`. Each row ends at its target (a number and a unit
of measure) and the next row's name follows: the run is cut there. The tables here are written
for the pattern (not copied from a corpus file).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from disclosures.importer.runtogether import split_rows
from support import run_cli

# A document-sharing copy: the title on a line, then every cell of the form on one line.
RUN_ON_FORM = (
    "项目支出绩效目标表(2024年度)\n"
    "项目名称乡镇敬老院运行补助主管部门某县民政局实施单位某县中心敬老院一级指标二级指标三级指标"
    "指标值产出指标数量指标供养老人人数45人床位数量60张质量指标院内安全事故发生次数0次"
    "满意度指标服务对象满意度指标入住老人满意度≥90%\n"
)
# The same cells, the indicator headings and each level's run on lines of their own.
RUN_ON_LINES = """\
项目支出绩效目标表(2024年度)
项目名称乡镇敬老院运行补助主管部门某县民政局实施单位某县中心敬老院
一级指标二级指标三级指标指标值
产出指标数量指标供养老人人数45人床位数量60张质量指标院内安全事故发生次数0次
满意度指标服务对象满意度指标入住老人满意度≥90%
"""


def test_rows_that_ran_on_are_cut_at_their_targets(tmp_path: Path) -> None:
    source = tmp_path / "run-on.txt"
    source.write_text(RUN_ON_FORM, encoding="utf-8")
    result = run_cli("import", str(source), "--out", str(tmp_path / "drafts"))
    (draft,) = sorted((tmp_path / "drafts").rglob("*.yaml"))
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert data["name"] == "乡镇敬老院运行补助" and data["unit"] == "某县中心敬老院"
    rows = [(r["level1"], r["level2"], r["name"], r["target"]) for r in data["indicators"]]
    assert rows == [
        ("产出指标", "数量指标", "供养老人人数", "45人"),
        ("产出指标", "数量指标", "床位数量", "60张"),
        ("产出指标", "质量指标", "院内安全事故发生次数", "0次"),
        ("满意度指标", "服务对象满意度指标", "入住老人满意度", "≥90%"),
    ]


def test_heading_line_between_run_on_lines_does_not_crash(tmp_path: Path) -> None:
    """The indicator headings on a line of their own after a run-on header line: the heading
    reader looked at the next line's first word and crashed when that line was empty."""
    source = tmp_path / "run-on-lines.txt"
    source.write_text(RUN_ON_LINES, encoding="utf-8")
    result = run_cli("import", str(source), "--out", str(tmp_path / "drafts"))
    assert result.returncode in (0, 3), result.stderr
    assert "无法读取" not in result.stderr and "Error" not in result.stderr


def test_explanation_column_opens_with_fanying() -> None:
    """National forms explain each indicator in a column whose text opens with 反映…: it is a
    cell of its own between the name and the target."""
    assert split_rows(["数量指标", "维修次数反映全年维修情况120次巡查次数反映巡查情况>200次"]) == [
        ["数量指标", "维修次数", "反映全年维修情况", "120次"],
        ["数量指标", "巡查次数", "反映巡查情况", ">200次"],
    ]


def test_a_single_row_or_a_run_not_ended_by_a_target_is_left_alone() -> None:
    one = ["质量指标", "C25混凝土路面硬化面积1200平方米"]  # one row: a number inside its name
    assert split_rows(one) == [one]
    open_end = ["成本指标", "成本控制率不超预算水电气消耗下降率"]  # no number ends the run
    assert split_rows(open_end) == [open_end]
    numbers_in_name = ["数量指标", "第2批新增床位60张"]  # 2批 is followed by a name: one row
    assert split_rows(numbers_in_name) == [numbers_in_name]


# A notice, its allocation table and the form, all on one line (a mirror site's copy): the form
# prints its required fields with `*`, its headings with 绩效 before them, and operator, value,
# unit, weight and direction in columns of their own.
NOTICE_THEN_FORM = (
    "各有关单位:为支持全市职业技能培训,经研究,现下达你单位2023年职业技能培训补助资金,"
    "请按照有关规定尽快将资金拨付申报单位,并对照有关绩效目标做好绩效监控与绩效评价,"
    "确保年度绩效目标如期实现,附件:1.资金分配表2.项目绩效目标表某市财政局2023年5月8日"
    "附件1资金分配表序号单位名称金额(万元)1某区人社局120合计120附件2项目绩效目标表"
    "主管部门:某市人社局资金总额:120财政拨款:120其他资金:总体目标完成职业技能培训任务"
    "一级指标*二级指标*三级指标*绩效指标性质*绩效指标值*绩效度量单位*权重*指标方向性*"
    "产出指标数量指标职业技能培训人数≥500人20%正向指标"
    "满意度指标服务对象满意度指标培训学员满意度≥95%10%正向指标\n"
)


def test_a_form_after_a_notice_on_one_line_with_marked_headings(tmp_path: Path) -> None:
    source = tmp_path / "notice.txt"
    source.write_text(NOTICE_THEN_FORM, encoding="utf-8")
    run_cli("import", str(source), "--out", str(tmp_path / "drafts"))
    (draft,) = sorted((tmp_path / "drafts").rglob("*.yaml"))
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    # The notice's words (拨付申报单位, 对照有关绩效目标) are no fields of the form.
    assert "unit" not in data and "midterm_goal" not in data.get("sections", {})
    assert data["department"] == "某市人社局"
    assert data["sections"]["annual_goal"] == "完成职业技能培训任务"
    rows = [
        (
            r["level1"],
            r["level2"],
            r["name"],
            r["target"].replace(" ", ""),
            r.get("unit"),
            r.get("weight"),
            r.get("direction"),
        )
        for r in data["indicators"]
    ]
    assert rows == [
        ("产出指标", "数量指标", "职业技能培训人数", "≥500", "人", "20%", "正向指标"),
        ("满意度指标", "服务对象满意度指标", "培训学员满意度", "≥95", "%", "10%", "正向指标"),
    ]


# A form whose cells ran together, with an 指标解释 column; a header label (专项资金) stands
# inside an indicator's name and its explanation.
EXPLAINED_ROWS = (
    "项目支出绩效目标表(2024年度)\n"
    "项目名称村道维修补助主管部门某县交通运输局实施单位某县公路中心"
    "一级指标二级指标三级指标指标解释指标值"
    "产出指标数量指标维修村道里程(公里)反映专项资金支持的村道维修里程12公里"
    "成本指标经济成本指标专项资金投入成本控制率反映专项资金投入成本控制情况≤100%\n"
)


def test_a_label_inside_a_name_cuts_no_cell_and_the_explanation_is_its_own(
    tmp_path: Path,
) -> None:
    source = tmp_path / "explained.txt"
    source.write_text(EXPLAINED_ROWS, encoding="utf-8")
    run_cli("import", str(source), "--out", str(tmp_path / "drafts"))
    (draft,) = sorted((tmp_path / "drafts").rglob("*.yaml"))
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    rows = [
        (r["level1"], r["level2"], r["name"], r.get("explanation"), r["target"])
        for r in data["indicators"]
    ]
    assert rows == [
        ("产出指标", "数量指标", "维修村道里程(公里)", "反映专项资金支持的村道维修里程", "12公里"),
        (
            "成本指标",
            "经济成本指标",
            "专项资金投入成本控制率",
            "反映专项资金投入成本控制情况",
            "≤100%",
        ),
    ]
