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
