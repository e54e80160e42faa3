"""Self-evaluation import: patterns found in held-out real tables (tests/corpus_selfeval/), each
tested on a short text written for it in that layout (constructed, not a published table), so
that the rule is tested and not the one table it was found in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import run_cli

from plugins.disclosures.importer.selfeval import parse_selfeval
from plugins.disclosures.importer.source import from_source


def parsed(text: str):
    return parse_selfeval(from_source(text))


def test_the_sichuan_funds_row_total_and_its_lines_ending_in_zijin() -> None:
    """The Sichuan form heads its funds row 总额 (not 年度资金总额), prints the form's
    instructions in a 原因 cell after it, and names its lines 财政资金 / 财政专户管理资金 /
    单位资金: all read, the 原因 text listed (not dropped)."""
    result = parsed(
        "部门预算项目支出绩效自评表(2022年度)\n"
        "| 项目名称 | 测试道路养护经费 |\n"
        "| 主管部门 | 测试县交通运输局 | 实施单位 | 测试县公路中心 |\n"
        "| 预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 "
        "| 预算执行率 | 权重 | 得分 | 原因 |\n"
        "| 总额 | 12.00 | 15.00 | 13.50 | 90.00% | 10 | 9 | 执行率低于90%的说明原因 |\n"
        "| 其中:财政资金 | 12.00 | 15.00 | 13.50 | 90.00% | / | / |\n"
        "| 财政专户管理资金 | 0.00 | 0.00 | 0.00 | 0.00% | / | / |\n"
        "| 单位资金 | 0.00 | 0.00 | 0.00 | 0.00% | / | / |\n"
        "| 其他资金 | / | / |\n"
    )
    funds = {k: v for k, v in result.funds.items() if k != "lines"}
    assert funds == {
        "initial": "12.00",
        "budget": "15.00",
        "executed": "13.50",
        "rate": "90.00%",
        "points": "10",
        "score": "9",
    }
    lines = result.funds["lines"]
    assert [line["label"] for line in lines] == [
        "其中:财政资金",
        "财政专户管理资金",
        "单位资金",
        "其他资金",
    ]
    assert lines[1] == {
        "label": "财政专户管理资金",
        "initial": "0.00",
        "budget": "0.00",
        "executed": "0.00",
        "rate": "0.00%",
    }
    assert any("执行率低于90%的说明原因" in text for _, text in result.unplaced)


# A self-evaluation printed one table row per line with spaces between cells (a flattened web
# table or PDF text), in which the 一级指标 cells lost their words and wrapped labels stand on
# lines of their own. Constructed in that layout; not a published table.
ROW_PER_LINE = """项目支出绩效自评表
(2021年度)
项目名称 测试防汛物资储备经费
主管部门 实施单位 测试县应急管理局
项目资金
(万元)
年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分
年度资金总额: 50 60 54 10 9
 其中:本年财政拨款 50 60 54 - -
年度总体目标完成情况 预期目标 实际完成情况
 储备防汛物资。 已储备。
年度绩效指标完成情况 一级
指标
二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施


(60分)
数量指标 指标1:储备编织袋数量 ≥2万条 2.1万条 20 20
指标2:
……
质量指标 指标1:物资验收合格 20 18
成本指标 指标1:采购价不高于市场价 20 20


(30分)
社会效益
指标
指标1:汛期物资保障到位 15 15
可持续影
响指标
指标1:物资轮换机制运行 15 15
满意度指标
(10分)
服务对象
满意度指标
指标1:乡镇满意度 90% 95% 10 10
总分 100 98
"""


def test_a_row_per_line_table_with_lost_and_wrapped_level_cells() -> None:
    """一级 / 指标 wrapped above the heading; (60分) alone where the 一级指标 words were lost
    (the rows take 产出指标 / 效益指标 from their 二级指标, 成本指标 staying a 二级 under it);
    二级 labels wrapped onto two lines (社会效益 / 指标); 满意度指标 / (10分); rows with only
    分值 and 得分; the template's 指标1: prompt left out of names, its empty 指标2: / …… rows
    skipped."""
    result = parsed(ROW_PER_LINE)
    rows = [
        (r.level1, r.level2, r.name, r.target, r.actual, r.points, r.score) for r in result.rows
    ]
    assert rows == [
        ("产出指标", "数量指标", "储备编织袋数量", "≥2万条", "2.1万条", "20", "20"),
        ("产出指标", "质量指标", "物资验收合格", "", "", "20", "18"),
        ("产出指标", "成本指标", "采购价不高于市场价", "", "", "20", "20"),
        ("效益指标", "社会效益指标", "汛期物资保障到位", "", "", "15", "15"),
        ("效益指标", "可持续影响指标", "物资轮换机制运行", "", "", "15", "15"),
        ("满意度指标(10分)", "服务对象满意度指标", "乡镇满意度", "90%", "95%", "10", "10"),
    ]
    assert result.total == "98"
    assert result.unplaced == []


def test_a_funds_row_one_cell_short_leaves_the_rate_blank() -> None:
    """年度资金总额 with six headings and five amounts, none of them a percentage: the blank
    cell is the rate (the only column that prints a %), not guessed elsewhere."""
    funds = {k: v for k, v in parsed(ROW_PER_LINE).funds.items() if k != "lines"}
    assert funds == {
        "initial": "50",
        "budget": "60",
        "executed": "54",
        "points": "10",
        "score": "9",
    }


def test_a_blank_header_cell_does_not_take_the_next_label() -> None:
    """主管部门 left blank (主管部门 实施单位 X): the department is empty, not "实施单位"; a
    blank 实施单位 before 资金情况（万元） is not "资金情况（万元）" (the unit then comes from the
    department, as on forms without 实施单位)."""
    result = parsed(ROW_PER_LINE)
    assert result.department == "" and result.unit == "测试县应急管理局"
    blank_unit = parsed(
        "| 项目名称 | 测试项目 |\n| 主管部门 | 测试县林业局 | 实施单位 |\n"
        "| 资金情况（万元） | 全年预算数 | 全年执行数 | 执行率 |\n"
        "| 年度资金总额 | 5 | 5 | 100% |\n"
    )
    assert (blank_unit.department, blank_unit.unit) == ("测试县林业局", "测试县林业局")


def test_sub_rows_without_points_and_reasons_kept_on_their_own_line() -> None:
    """A pipe table that prints, under a scored row, sub-rows of only 三级指标, 年度指标值 and
    实际完成值 (其中……): each is a row without points; the scored row's reason is what its own
    line holds, never the next line's name. Constructed; not a published table."""
    result = parsed(
        "绩效目标自评表 (2022年度) |\n"
        "项目名称 | 测试林下种植补贴 | 主管部门 | 测试县林业局 | 实施单位 | 测试乡人民政府 |\n"
        "资金情况 (万元) | 全年预算数(A) | 全年执行数(B) | 分值 | 执行率(B/A) | 得分 |\n"
        "年度资金总额: | 8 | 8 | 10 | 100% | 10 |\n"
        "一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分 | 未完成原因 |\n"
        "产出指标 | 数量指标 | ★补助种植面积 | 30 | 40亩 | 42亩 | 30 | |\n"
        "其中药材种植面积 | 25亩 | 27亩 | |\n"
        "其中菌菇种植面积 | 15亩 | 15亩 | |\n"
        "质量指标 | 苗木成活率 | 30 | 90% | 85% | 27 | 干旱 |\n"
        "满意度指标 | 服务对象满意度指标 | 农户满意度 | 30 | 90% | 96% | 30 | |\n"
    )
    rows = [
        (r.level2, r.name, r.target, r.actual, r.points, r.score, r.reason) for r in result.rows
    ]
    assert rows == [
        ("数量指标", "★补助种植面积", "40亩", "42亩", "30", "30", ""),
        ("数量指标", "其中药材种植面积", "25亩", "27亩", "", "", ""),
        ("数量指标", "其中菌菇种植面积", "15亩", "15亩", "", "", ""),
        ("质量指标", "苗木成活率", "90%", "85%", "30", "27", "干旱"),
        ("服务对象满意度指标", "农户满意度", "90%", "96%", "30", "30", ""),
    ]


def test_four_words_on_a_form_with_a_reason_column_are_told_apart_by_their_values() -> None:
    """A form with no 分值/得分, one row per line (the 忠县 transfer form), with a reason
    column: four words are 三级指标 年度指标值 全年完成值 原因, unless the values sit in the last
    two words (a name written with a space: 受益 人口数 ≥100人 120人), or only the last two are
    the same (高 高); when neither tells, the line is listed, not guessed. Constructed."""
    result = parsed(
        "中央、市级专项转移支付绩效目标自评表\n"
        "（2022年度）\n"
        "专项(项目)名称 测试村道路硬化项目\n"
        "区县主管部门 测试县交通局 实施单位 测试镇人民政府\n"
        "一级指标 二级指标 三级指标 年度指标值 全年完成值 未完成原因和改进措施\n"
        "产出指标 数量指标 道路硬化里程 ≥5公里 4公里 雨季延误\n"
        "受益 人口数 ≥100人 120人\n"
        "效益指标 社会效益指标 群众 满意度 高 高\n"
        "工程 质量 合格 良好\n"
        "路面宽度 4.5米 4.5米\n"
    )
    rows = [(r.level2, r.name, r.target, r.actual, r.reason) for r in result.rows]
    assert rows == [
        ("数量指标", "道路硬化里程", "≥5公里", "4公里", "雨季延误"),
        ("数量指标", "受益人口数", "≥100人", "120人", ""),
        ("社会效益指标", "群众满意度", "高", "高", ""),
        ("社会效益指标", "路面宽度", "4.5米", "4.5米", ""),
    ]
    assert [text for _, text in result.unplaced] == ["工程 质量 合格 良好"]


# The Sichuan form flattened one cell per line, each cell closed by "|" and blank cells kept
# as a lone "|"; the unit left 完成值 and 得分 empty and the form's prompts in place.
# Constructed in that layout; not a published table.
SICHUAN_CELLS = [
    "报表编号:510000_0099zp", "", "",
    "部门预算项目支出绩效自评表(2022年度)",
    "项目名称", "51000022R000000012345-测试档案数字化经费",
    "主管部门", "测试县档案馆本级",
    "实施单位 (盖章)", "测试县档案馆",
    "项目基本情况", "1.项目年度目标完成情况", "项目年度目标", "年度目标完成情况",
    "完成馆藏档案数字化扫描。",
    "对照年度目标,说明相关任务目标的完成情况(100字以内)",
    "2.项目实施内容及过程概述", "",
    "预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数",
    "预算执行率", "权重", "得分", "原因",
    "总额", "20.00", "20.00", "18.00", "90.00%", "10", "", "按进度付款",
    "其中:财政资金", "20.00", "20.00", "18.00", "90.00%", "/", "/",
    "绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位",
    "完成值", "权重", "得分", "未完成原因分析",
    "产出指标", "数量指标", "扫描页数", "≥", "50", "万页", "", "50", "", "",
    "效益指标", "社会效益指标", "档案查阅便利度", "≥", "90", "%", "", "40", "", "",
    "合计", "100", "", "",
    "评价结论", "结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)",
    "项目负责人:", "财务负责人:", "",
]  # fmt: skip
SICHUAN_TEXT = "".join(f"{cell} |\n" if cell else "|\n" for cell in SICHUAN_CELLS)


def test_one_cell_per_line_rows_with_blank_cells_are_read_by_position() -> None:
    """Blank 完成值/得分 cells kept as lone "|" lines: each row is read cell by cell under its
    heading (权重 60, the rest blank), 效益指标 after a 二级指标 opens a new 一级; 合计 100 adds
    up the 权重 while no score is printed, so no total is read."""
    result = parsed(SICHUAN_TEXT)
    rows = [
        (r.level1, r.level2, r.name, r.target, r.actual, r.points, r.score) for r in result.rows
    ]
    assert rows == [
        ("产出指标", "数量指标", "扫描页数", "≥50万页", "", "50", ""),
        ("效益指标", "社会效益指标", "档案查阅便利度", "≥90%", "", "40", ""),
    ]
    assert result.total == ""


def test_sichuan_header_goals_and_the_forms_prompts() -> None:
    """实施单位 (盖章) takes the next cell; 项目年度目标 / 年度目标完成情况 are the goals, a cell
    that is the form's prompt (……(100字以内)) is not a goal nor a 评价结论; 报表编号 is kept in
    extra, and 2.项目实施内容及过程概述 with a blank cell takes no heading as its value."""
    result = parsed(SICHUAN_TEXT)
    assert (result.department, result.unit) == ("测试县档案馆本级", "测试县档案馆")
    assert (result.expected, result.achieved) == ("完成馆藏档案数字化扫描。", "")
    assert "conclusion" not in result.tail
    assert result.extra == [{"label": "报表编号", "value": "510000_0099zp"}]


def test_a_drafted_target_keeps_its_unit_column_apart(tmp_path: Path) -> None:
    """The project file drafted from the self-evaluation writes 度量单位 in `unit`, as the
    target-table importer writes split columns: target "≥50", unit 万页 (the real CLI)."""
    source = tmp_path / "sichuan.txt"
    source.write_text(SICHUAN_TEXT, encoding="utf-8")
    result = run_cli("import", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 3, result.stderr  # the 原因 cell is listed
    (draft,) = (tmp_path / "out").rglob("*.yaml")
    project = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert [(i["target"], i.get("unit")) for i in project["indicators"]] == [
        ("≥50", "万页"),
        ("≥90", "%"),
    ]
    assert project["unit"] == "测试县档案馆"
    assert project["extra"] == [{"label": "报表编号", "value": "510000_0099zp"}]
    assert "total" not in project["selfeval"]


def test_a_row_with_one_value_beside_its_points_reads_what_is_certain() -> None:
    """A flattened web table that drops blank cells prints a row as 三级指标 | 3 | 9.3 | 9.3:
    the points and score are certain and read; whether the 3 was the 年度指标值 or the
    实际完成值 is lost with the blank cell, so it is listed, not placed. Constructed."""
    result = parsed(
        "项目名称 | 测试冷库建设项目 |\n"
        "主管部门 | 测试县农业农村局 | 实施单位 | 测试公司 |\n"
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 "
        "| 偏差原因分析及改进措施 |\n"
        "产出指标(50分) | 数量指标 | 冷库面积 | ≥800平方米 | 800平方米 | 20 | 20 | |\n"
        "变压器台数 | 2 | 15 | 15 | |\n"
        "时效指标 | 完工时限(月) | 6 | 6 | 15 | 15 | |\n"
    )
    rows = [(r.level2, r.name, r.target, r.actual, r.points, r.score) for r in result.rows]
    assert rows == [
        ("数量指标", "冷库面积", "≥800平方米", "800平方米", "20", "20"),
        ("数量指标", "变压器台数", "", "", "15", "15"),
        ("时效指标", "完工时限(月)", "6", "6", "15", "15"),
    ]
    assert any("变压器台数: 2" in text for _, text in result.unplaced)


def test_a_table_whose_first_rows_print_only_points_and_score() -> None:
    """The heading names 分值 and 得分, and the first row prints only them (★补助面积 10 10),
    its sub-rows only 年度指标值 and 全年实际值: read from the first row on, not only after a
    full row. Constructed, one table row per line."""
    result = parsed(
        "项目名称 测试社区特色种养补贴项目 项目负责人及电话 张三0000-1234567\n"
        "主管部门 县农业农村局 实施单位 测试镇人民政府\n"
        "绩效指标 一级\n"
        "指标\n"
        "二级指标 三级指标 分值 年度指标值 全年实际值 得分 未完成原因及拟采取的改进措施\n"
        "(50分)\n"
        "数量指标 ★补助种植面积 20 20\n"
        "        茶树种植面积 3亩 3亩\n"
        "★补助养殖数量 30 28\n"
        "        鸭养殖数量 200只 180只\n"
    )
    rows = [(r.level1, r.name, r.target, r.actual, r.points, r.score) for r in result.rows]
    assert rows == [
        ("产出指标", "★补助种植面积", "", "", "20", "20"),
        ("产出指标", "茶树种植面积", "3亩", "3亩", "", ""),
        ("产出指标", "★补助养殖数量", "", "", "30", "28"),
        ("产出指标", "鸭养殖数量", "200只", "180只", "", ""),
    ]
    assert result.extra == [{"label": "项目负责人及电话", "value": "张三0000-1234567"}]


def test_a_code_before_the_unit_and_dot_leaders_between_the_goals(tmp_path: Path) -> None:
    """A .doc's text, the whole table on one line: the code printed before the 实施单位
    (219001-…) is written in unit_code, as the target-table importer does; the dot leaders the
    document prints after the 预期目标 are no part of either goal. Constructed; the real CLI."""
    source = tmp_path / "doc.txt"
    source.write_text(
        "项目支出绩效自评表 (2022年度) 项目名称 测试村级运转经费 主管部门 219-测试镇人民政府 "
        "实施单位 219001-测试镇人民政府 项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 "
        "执行率 得分 年度资金总额: 10 10 10 10 100% 10 年度总体目标 预期目标 实际完成情况 "
        "保障村级组织运转。 .. ............ 已保障村级组织运转。 绩效指标 一级指标 二级指标 "
        "三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 产出指标(50分) "
        "数量指标 补助村数量 =8个 8 50 50 总分 100 100\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    (draft,) = (tmp_path / "out").rglob("*.yaml")
    project = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert (project["unit"], project["unit_code"]) == ("测试镇人民政府", "219001")
    assert "extra" not in project
    goals = project["selfeval"]["expected"], project["selfeval"]["achieved"]
    assert goals == ("保障村级组织运转。", "已保障村级组织运转。")


# A self-evaluation as an office file (constructed): the same table as .xlsx cells and as a
# .docx table, imported through the office readers like any input.
OFFICE_ROWS = [
    ["项目名称", "测试乡村道路养护", "", "", "", "", ""],
    ["主管部门", "测试县交通运输局", "", "实施单位", "测试县公路养护中心", "", ""],
    ["项目资金（万元）", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值",
     "执行率（B/A）", "得分"],
    ["年度资金总额", "30", "30", "27", "10", "90%", "9"],
    ["年度总体目标", "预期目标", "", "", "实际完成情况", "", ""],
    ["", "养护农村公路120公里", "", "", "养护农村公路118公里", "", ""],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "养护里程", "≥120公里", "118公里", "40", "39"],
    ["", "质量指标", "路况优良率", "≥85%", "88%", "20", "20"],
    ["满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "93%", "30", "30"],
    ["总分", "", "", "", "", "100", "98"],
]  # fmt: skip


def _office_file(kind: str, folder: Path) -> Path:
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["项目支出绩效自评表（2022年度）"])
        for row in OFFICE_ROWS:
            book.active.append(row)
        path = folder / "selfeval.xlsx"
        book.save(path)
        return path
    import docx

    document = docx.Document()
    document.add_paragraph("项目支出绩效自评表（2022年度）")
    table = document.add_table(rows=len(OFFICE_ROWS), cols=7)
    for i, row in enumerate(OFFICE_ROWS):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    path = folder / "selfeval.docx"
    document.save(path)
    return path


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_self_evaluation_in_an_office_file_is_imported(tmp_path: Path, kind: str) -> None:
    """An .xlsx workbook or a .docx table holding a self-evaluation goes through the office
    readers and the self-evaluation import: funds, goals, rows with their scores, the total."""
    result = run_cli("import", str(_office_file(kind, tmp_path)), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    (draft,) = (tmp_path / "out").rglob("*.yaml")
    project = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert (project["year"], project["unit"]) == ("2022", "测试县公路养护中心")
    evaluation = project["selfeval"]
    assert (evaluation["funds"]["executed"], evaluation["funds"]["rate"]) == ("27", "90%")
    assert evaluation["achieved"] == "养护农村公路118公里"
    rows = [(r["name"], r["actual"], r["points"], r["score"]) for r in evaluation["indicators"]]
    assert rows == [
        ("养护里程", "118公里", "40", "39"),
        ("路况优良率", "88%", "20", "20"),
        ("沿线群众满意度", "93%", "30", "30"),
    ]
    assert evaluation["total"] == "98"
    assert [i["target"] for i in project["indicators"]] == ["≥120公里", "≥85%", "≥90%"]


def test_a_table_whose_cells_ran_together_and_cannot_be_cut_is_refused_with_why(
    tmp_path: Path,
) -> None:
    """Text copied from a document-sharing site with every cell run into the next, where no
    run has a reading (年度资金总额:11110 prints no rate under 执行率; 维修水渠长度二十公里 has
    no value in figures): nothing is guessed or
    written; the message points at the run-on heading (file:line:column) and says how to get
    a text that can be read. (Runs that can be cut are read: tests/test_selfeval_runon.py.)
    Constructed."""
    source = tmp_path / "runon.txt"
    source.write_text(
        "附件:绩效自评表\n"
        "绩效目标自评表(2022年度)项目名称测试水渠维修项目主管部门测试县水利局实施单位测试县水利局"
        "资金情况(万元)全年预算数（A）全年执行数（B）分值执行率(B/A)得分年度资金总额:11110"
        "绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分产出指标(50分)"
        "数量指标维修水渠长度二十公里\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    column = source.read_text(encoding="utf-8").split("\n")[1].index("全年预算数") + 1
    assert f"{source}:2:{column}: 表头 / heading: 表格的格子连在一起、没有分隔" in result.stderr
    assert "the table's cells run together with no separator" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.yaml"))


def test_headings_run_together_without_their_letters_are_named_in_the_refusal(
    tmp_path: Path,
) -> None:
    """The same refusal when the funds headings print no (A)/(B) (全年预算数全年执行数) and the
    level headings run on from 二级指标 (an .xlsx's text drawn out of row order, as
    tests/corpus_selfeval s11 with its separators removed): it says why, not only "no rows".
    Constructed."""
    source = tmp_path / "runon.txt"
    source.write_text(
        "附件:绩效自评表\n"
        "项目支出绩效自评表(2021年度)项目名称测试水渠维修项目主管部门测试县水利局"
        "年初预算数0项目资金(万元)年度资金总额实施单位测试县水利局全年预算数全年执行数分值"
        "执行率得分011110一级指标—维修水渠维修水渠年度实际指标值完成值指标1:水渠长度二十公里"
        "二级指标三级指标分值得分\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    column = source.read_text(encoding="utf-8").split("\n")[1].index("全年预算数") + 1
    assert f"{source}:2:{column}: 表头 / heading: 表格的格子连在一起、没有分隔" in result.stderr


def test_a_two_row_heading_with_the_target_split_into_operator_value_and_unit() -> None:
    """The national form as some provinces print it: 年度指标值 spans 指标性质 | 指标值 | 度量单位
    on the heading's second row, and the flattened page gives the first row (年度指标值 | 实际完成值
    | 分值 | 得分 | 偏差…) before the second (一级 … 度量单位). Columns: the split ones, then those
    after 年度指标值. A word target leaves 指标性质/度量单位 blank and the blanks are dropped
    (减轻家庭负担 | 有效 | 有效 | 10 | 10); 服务对象满意度指标等 is the form's level label; a grade
    printed after the total's numbers with no label is the grade. Constructed."""
    result = parsed(
        "2022年度项目支出绩效自评表 |\n"
        "| 项目名称 | 测试学生资助资金 | 主管部门 | 测试县教育局 | 实施单位 | 测试县第一中学 |\n"
        "| 项目资金 (元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
        "| 年度资金总额 | 5000 | 5000 | 4500 | 10 | 90% | 9 |\n"
        "| 绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 | 一级指标 "
        "| 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 |\n"
        "| 产出指标 | 数量指标 | 资助学生人数 | ≧ | 50 | 人 | 45 | 30 | 27 | 转学5人 |\n"
        "| 效益指标 | 社会效益指标 | 减轻家庭负担 |\n"
        "| 有效 |\n"
        "| 有效 | 30 | 30 |\n"
        "| 满意度指标 | 服务对象满意度指标等 | 学生满意度 | ≧ | 90 | % | 95% | 30 | 30 |\n"
        "| 总分 | 100 | 96 | 优 |\n"
    )
    rows = [
        (r.level1, r.level2, r.name, r.target, r.unit, r.actual, r.points, r.score, r.reason)
        for r in result.rows
    ]
    assert rows == [
        ("产出指标", "数量指标", "资助学生人数", "≧50人", "人", "45", "30", "27", "转学5人"),
        ("效益指标", "社会效益指标", "减轻家庭负担", "有效", "", "有效", "30", "30", ""),
        ("满意度指标", "服务对象满意度指标等", "学生满意度", "≧90%", "%", "95%", "30", "30", ""),
    ]
    assert (result.total, result.grade) == ("96", "优")


def _blocks(*cells: str) -> str:
    """A Word table pasted into a web page: one cell per line, an empty line between cells,
    a blank cell as a line holding one space."""
    return "\n\n".join(cells) + "\n"


def test_cells_in_blocks_with_wrapped_level_labels_and_numbered_prompts() -> None:
    """One cell per block (a Word table pasted into a page): a 一级指标 followed by a wrapped
    二级 label (效益指标, 经济效益 / 指标) opens level 1, and so does a wrapped 一级 label before
    a 二级 one (满意度 / 指标, 服务对象满意度指标); the form's 指标1 numbering typed before a name
    without a colon (指标1工程完工率) is no part of the name; the template's empty 指标2 row is no
    reason of the row before it. Constructed in that layout; not a published table."""
    text = _blocks(
        "项目支出绩效自评表",
        "(2020年度)",
        "项目名称",
        "测试教学楼维修经费",
        "主管部门",
        "测试市教育局",
        "实施单位",
        "测试市职业学校",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度\n指标值",
        "实际\n完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
        "产出指标",
        "质量指标",
        "指标1工程完工率",
        "100",
        "98",
        "40",
        "39",
        "尚有收尾",
        "指标2",
        " ",
        " ",
        " ",
        " ",
        " ",
        "……",
        " ",
        " ",
        " ",
        " ",
        " ",
        "时效指标",
        "指标1按期完成率",
        "100",
        "100",
        "20",
        "20",
        " ",
        "指标2",
        " ",
        " ",
        " ",
        " ",
        " ",
        "效益指标",
        "社会效益",
        "指标",
        "指标1使用年限",
        "10年",
        "10年",
        "20",
        "20",
        " ",
        "满意度",
        "指标",
        "服务对象满意度指标",
        "指标1师生满意度",
        "95%",
        "97%",
        "20",
        "20",
        " ",
    )
    rows = [
        (r.level1, r.level2, r.name, r.target, r.actual, r.points, r.score, r.reason)
        for r in parsed(text).rows
    ]
    assert rows == [
        ("产出指标", "质量指标", "工程完工率", "100", "98", "40", "39", "尚有收尾"),
        ("产出指标", "时效指标", "按期完成率", "100", "100", "20", "20", ""),
        ("效益指标", "社会效益指标", "使用年限", "10年", "10年", "20", "20", ""),
        ("满意度指标", "服务对象满意度指标", "师生满意度", "95%", "97%", "20", "20", ""),
    ]


def test_a_total_printed_in_the_header_is_the_total() -> None:
    """Some forms print the total above the table (项目总得分99分, 自评总分: 95) and no 总分 row
    below it: that number is the total, once, and only when one such label is printed.
    Constructed."""
    table = (
        "绩效目标自评表(2022年度)项目总得分 92分\n"
        "| 项目名称 | 测试水渠维修项目 |\n"
        "| 主管部门 | 测试县水利局 | 实施单位 | 测试县水利局 |\n"
        "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
        "| 产出指标 | 数量指标 | 维修水渠长度 | ≥2公里 | 1.8公里 | 50 | 45 |\n"
        "| 满意度指标 | 服务对象满意度指标 | 农户满意度 | ≥90% | 95% | 50 | 47 |\n"
    )
    assert parse_selfeval(from_source(table)).total == "92"
    twice = table.replace("项目总得分 92分", "项目总得分 92分 自评总分: 90")
    assert parse_selfeval(from_source(twice)).total == ""  # two totals: which one is not guessed
    assert parse_selfeval(from_source(table.replace(" 92分", " 920分"))).total == ""


# A sheet's cells in a document-sharing site's order, space-separated on one line (the layout of
# tests/corpus_selfeval s11): two rows' names, each with the template's 指标N:, the first wrapped
# (…报告 / 数), then the two rows' values; a heading printed amid the values; a value drawn
# after a row where its reason would be; the heading 一级 / 指标 wrapped (so the table is read
# cell by cell, not as a PDF's drawing order). Constructed; not a published table.
SITE_ORDER = (
    "测试县项目支出绩效自评表 (2021年度) 项目名称 测试卫生服务 主管部门 测试县卫生健康局 "
    "实施单位 测试镇卫生院 一级 指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 "
    "偏差原因分析及改进措施 产出指标 数量指标 "
    "指标6:老年人随访数 300人 280人 2 1.8 15人 "
    "分值 得分 3 3 "
    "指标8:慢病报告 数 指标9:签约居民数 12例 12例 2 2 5000人 4600人 2 1.8 "
    "指标10:孕检人数 指标11:随访次数 40人 40人 2 2 总分 100 95\n"
)


def test_names_before_their_values_are_paired_in_order_only_when_the_counts_agree() -> None:
    """指标8:慢病报告 数 指标9:签约居民数 12例 12例 2 2 5000人 4600人 2 1.8: two names (the
    first wrapped), then two groups of values: paired in order. 指标10 and 指标11 are followed
    by one group only: which row it belongs to cannot be told, so neither row is written and
    all of it is listed. A figure after a row (15人) is no reason, and a heading printed amid
    the values (分值 得分 3 3) is no row."""
    result = parsed(SITE_ORDER)
    rows = [(r.name, r.target, r.actual, r.points, r.score, r.reason) for r in result.rows]
    assert rows == [
        ("老年人随访数", "300人", "280人", "2", "1.8", ""),
        ("慢病报告数", "12例", "12例", "2", "2", ""),
        ("签约居民数", "5000人", "4600人", "2", "1.8", ""),
    ], rows
    listed = " ".join(text for _, text in result.unplaced)
    for text in ("15人", "分值", "指标10:孕检人数", "指标11:随访次数", "40人"):
        assert text in listed, (text, listed)
