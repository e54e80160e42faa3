"""Self-evaluations whose cells ran together (document-sharing sites, news aggregators, OCR):
cut where exactly one reading fits the form's rules (importer/selfeval_runon.py), listed where
none or several do. Every table here is constructed for the pattern, not a published table;
the real ones are held out in tests/corpus_selfeval/ (s03, s04)."""

from __future__ import annotations

from pathlib import Path

import yaml
from support import run_cli

from plugins.disclosures.importer.selfeval import parse_selfeval
from plugins.disclosures.importer.source import from_source

NATIONAL = (
    "附件:2022年项目绩效自评表\n"
    "绩效目标自评表(2022年度)项目名称测试水渠维修项目项目负责人及电话李四0838-1234567"
    "主管部门测试县水利局实施单位测试县灌区服务中心"
    "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分"
    "年度资金总额:1513.51090.00%9其中:当年财政拨款1513.5上年结转资金其他资金"
    "年度总体目标预期目标实际完成情况维修水渠2公里,保障灌溉维修水渠2公里,保障灌溉"
    "绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分偏差原因分析及改进措施"
    "产出指标(50分)数量指标维修水渠长度20≥2公里1.8公里18工期延误"
    "质量指标验收合格率30100%100%30"
    "效益指标(30分)社会效益指标受益农户数30≥200户210户30"
    "满意度指标(10分)服务对象满意度指标农户满意度10≥90%95%10"
    "总分10097注:1.一级指标分值统一设置为:产出指标50分\n"
)


def _rows(result) -> list[tuple[str, ...]]:
    return [
        (r.level1, r.level2, r.name, r.target, r.actual, r.points, r.score, r.reason)
        for r in result.rows
    ]


def test_a_national_form_run_together_is_cut_by_its_headings_and_the_values_forms() -> None:
    """Header labels, funds (amounts split where the rate is executed / budget and the score
    points × rate: 1513.51090.00%9 = 15 | 13.5 | 10 | 90.00% | 9), the two goal cells (the
    second repeats the first), rows (points ≤ 100, score ≤ points, a number before its unit
    never cut from it, a reason at the end of a level's last row) and the total."""
    result = parse_selfeval(from_source(NATIONAL))
    assert (result.year, result.name, result.department, result.unit) == (
        "2022",
        "测试水渠维修项目",
        "测试县水利局",
        "测试县灌区服务中心",
    )
    funds = {k: v for k, v in result.funds.items() if k != "lines"}
    assert funds == {
        "budget": "15",
        "executed": "13.5",
        "points": "10",
        "rate": "90.00%",
        "score": "9",
    }
    assert result.funds["lines"][0] == {
        "label": "其中:当年财政拨款",
        "budget": "15",
        "executed": "13.5",
    }
    assert (result.expected, result.achieved) == ("维修水渠2公里,保障灌溉",) * 2
    assert _rows(result) == [
        ("产出指标(50分)", "数量指标", "维修水渠长度", "≥2公里", "1.8公里", "20", "18", "工期延误"),
        ("产出指标(50分)", "质量指标", "验收合格率", "100%", "100%", "30", "30", ""),
        ("效益指标(30分)", "社会效益指标", "受益农户数", "≥200户", "210户", "30", "30", ""),
        ("满意度指标(10分)", "服务对象满意度指标", "农户满意度", "≥90%", "95%", "10", "10", ""),
    ]
    assert result.total == "97"
    assert {row.line for row in result.rows} == {2}  # the source's line, not the cut table's
    assert result.unplaced == []


def test_a_run_together_form_is_imported_into_a_project_file(tmp_path: Path) -> None:
    source = tmp_path / "runon.txt"
    source.write_text(NATIONAL, encoding="utf-8")
    result = run_cli("import", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    (draft,) = (tmp_path / "out").rglob("*.yaml")
    project = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert [i["target"] for i in project["indicators"]] == ["≥2公里", "100%", "≥200户", "≥90%"]
    assert project["selfeval"]["total"] == "97"


DOC_SHARING = (
    "2021年度县级专项资金绩效目标自评表.docx\n"
    "《2021年度县级专项资金绩效目标自评表.docx》由会员分享,可在线阅读。\n"
    "1、2021年度县级专项资金绩效目标自评表专项资金名称测试农机购置补贴负责人及电话张三"
    "县级主管部门测试县农业农村局实施单位测试县农机服务中心项目资金(万元)全年预算数(A)"
    "全年执行数(B)执行率(B/A)年度资金总额5048.697.2%其中:中央、省、市补助县级资金"
    "5048.697.2%其他资金年度 总体 目标年初设定目标全年实际完成情况补贴农机200台补贴农机200台"
    "绩 效 指 标一级 指标二级 指标三级指标年度指标 值全年 完成值未完成原因和 改进措施"
    "产 出 指 标数量 指标补贴农机数量≥200台203台补贴资金兑付 率100%\n"
    "2、97.2%部分农户未按时提交资料效益 指标社会 效益 指标受益农户满意 度高高\n"
)


def test_a_document_sharing_text_loses_its_page_markers_and_wrapped_spaces() -> None:
    """A form without 分值/得分 as a document-sharing site shows it: its 1、 2、 page markers
    and the spaces where the document wrapped a cell (兑付 率, 产 出 指 标) are no part of the
    table; 100%97.2% and 高高 are target and actual; the reason closes its level's run."""
    result = parse_selfeval(from_source(DOC_SHARING))
    assert (result.year, result.name, result.department) == (
        "2021",
        "测试农机购置补贴",
        "测试县农业农村局",
    )
    assert (result.funds["budget"], result.funds["executed"], result.funds["rate"]) == (
        "50",
        "48.6",
        "97.2%",
    )
    assert [line["label"] for line in result.funds["lines"]] == [
        "其中:中央、省、市补助",
        "县级资金",
        "其他资金",
    ]
    assert _rows(result) == [
        ("产出指标", "数量指标", "补贴农机数量", "≥200台", "203台", "", "", ""),
        (
            "产出指标",
            "数量指标",
            "补贴资金兑付率",
            "100%",
            "97.2%",
            "",
            "",
            "部分农户未按时提交资料",
        ),
        ("效益指标", "社会效益指标", "受益农户满意度", "高", "高", "", "", ""),
    ]
    assert [row.line for row in result.rows] == [3, 3, 4]


def test_a_run_with_more_than_one_reading_is_listed_not_guessed() -> None:
    """受益农户满意度好好好好 is 受益农户满意度 | 好好 | 好好 or 受益农户满意度好好 | 好 | 好: the
    run is listed with its line, not guessed; the runs with one reading are still read."""
    text = DOC_SHARING.replace("受益农户满意 度高高", "受益农户满意度好好好好")
    result = parse_selfeval(from_source(text))
    assert [row.name for row in result.rows] == ["补贴农机数量", "补贴资金兑付率"]
    (listed,) = result.unplaced
    assert listed[0] == 4 and listed[1].startswith("受益农户满意度好好好好（")


def test_a_pipe_table_without_points_or_scores_is_read_row_by_line() -> None:
    """A web table of the 县级专项资金 form (no 分值/得分): each line's cells after its levels are
    三级指标 | 年度指标值 | 全年完成值 [| 原因]."""
    result = parse_selfeval(
        from_source(
            "| 2021年度县级专项资金绩效目标自评表 |\n"
            "| 专项资金名称 | 测试农机购置补贴 | 县级主管部门 | 测试县农业农村局 |\n"
            "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 全年完成值 | 未完成原因和改进措施 |\n"
            "| 产出指标 | 数量指标 | 补贴农机数量 | ≥200台 | 203台 |\n"
            "| 补贴资金兑付率 | 100% | 97.2% | 部分农户未按时提交资料 |\n"
            "| 效益指标 | 社会效益指标 | 受益农户满意度 | 高 | 高 |\n"
        )
    )
    assert result.name == "测试农机购置补贴"
    assert _rows(result) == [
        ("产出指标", "数量指标", "补贴农机数量", "≥200台", "203台", "", "", ""),
        (
            "产出指标",
            "数量指标",
            "补贴资金兑付率",
            "100%",
            "97.2%",
            "",
            "",
            "部分农户未按时提交资料",
        ),
        ("效益指标", "社会效益指标", "受益农户满意度", "高", "高", "", "", ""),
    ]


def test_random_run_together_text_neither_crashes_nor_hangs() -> None:
    """Seeded random mixes of the form's words, numbers, units and signs after run-on headings:
    every one is read or listed, none raises, and none takes long (a run with too many readings
    is listed, not solved)."""
    import random
    import time

    words = [
        "产出指标",
        "数量指标",
        "质量指标",
        "效益指标(30分)",
        "社会效益指标",
        "满意度指标",
        "合格率",
        "人数",
        "高",
        "好",
        "无",
        "完成",
        "≥",
        "≤",
        "=",
        "%",
        "人",
        "万元",
        "次",
        "0",
        "1",
        "10",
        "100",
        "20.5",
        "年度资金总额:",
        "其中:",
        "其他资金",
        "总分",
        "、",
        "(",
        ")",
    ]
    rng = random.Random(14)
    started = time.monotonic()
    for _ in range(60):
        body = "".join(rng.choice(words) for _ in range(rng.randint(5, 60)))
        head = (
            "项目名称测试项目主管部门测试局"
            "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分"
        )
        text = (
            head
            + body
            + "绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分"
            + body
            + "\n"
        )
        parse_selfeval(from_source(text))
    assert time.monotonic() - started < 60


def test_a_run_with_very_many_readings_is_listed_quickly() -> None:
    """高高高… (600 characters) can be cut in a great many ways: the search stops after a bounded
    number of tries and the run is listed (it took 45 s before the bound, under load)."""
    import time

    from plugins.disclosures.importer.selfeval_runon import _rows

    started = time.monotonic()
    assert _rows("高" * 600, ["target", "actual", "reason"]) is None
    assert _rows("1" * 60 + "高" * 540, ["points", "target", "actual", "score"]) is None
    assert time.monotonic() - started < 10


def test_of_two_readings_the_one_scored_by_the_national_rule_is_taken() -> None:
    """=42个4288 reads =42个 | 42 | 8 | 8 (met, full points) or =42个 | 4 | 28 | 8 (missed,
    yet 8 of 28 where the rule gives about 2.7); ≤202.6万元132.91010 reads 132.9 | 10 | 10 or
    132.910 | 1 | 0 (met, yet no points): the reading that follows 财预〔2020〕10号's scoring is
    the usual one. An actual value printed bare beside a target with a unit (=8个 | 8) is usual
    too."""
    from plugins.disclosures.importer.selfeval_runon import _rows

    roles = ["target", "actual", "points", "score", "reason"]
    assert _rows("补助村(社区)数量=8个888保障村干部人数=42个4288", roles) == [
        ["补助村(社区)数量", "=8个", "8", "8", "8", ""],
        ["保障村干部人数", "=42个", "42", "8", "8", ""],
    ]
    assert _rows("项目总成本≤202.6万元132.91010", roles) == [
        ["项目总成本", "≤202.6万元", "132.9", "10", "10", ""]
    ]


YUNNAN = (
    "2022年度项目支出绩效自评表部门:测试县第一中学公开14表项目名称测试学生资助资金"
    "主管部门测试县教育局实施单位测试县第一中学项目资金(元)年初预算数全年预算数全年执行数分值"
    "执行率得分年度资金总额5000.004500.001090%9其中:当年财政拨款5000.004500.00——上年结转资金——"
    "其他资金—————年度总体目标预期目标实际完成情况资助贫困学生资助贫困学生"
    "绩效指标年度指标值实际完成值分值得分偏差原因分析及改进措施一级指标二级指标三级指标指标性质"
    "指标值度量单位产出指标数量指标资助学生人数≧50人次503030效益指标社会效益指标减轻家庭负担"
    "有效有效3030满意度指标服务对象满意度指标等学生满意度≧90%95%3027总分10096优\n"
)


def test_a_run_together_form_with_a_two_row_heading_and_split_targets() -> None:
    """The 云南 公开14表 with its cells run together: the heading's two rows one after the other
    (年度指标值 … then 一级指标 … 指标性质 | 指标值 | 度量单位); 指标值 and 度量单位 cut apart
    (50 | 人次); a word target with no 指标性质 or 度量单位 (有效有效); a blank 年初预算数 left
    out of the total (5000.00 | 4500.00 | 10 | 90% | 9); a line equal to the total with its
    blank 分值/得分 printed as dashes; 服务对象满意度指标等; the grade after the total."""
    result = parse_selfeval(from_source(YUNNAN))
    funds = {k: v for k, v in result.funds.items() if k != "lines"}
    assert funds == {
        "budget": "5000.00",
        "executed": "4500.00",
        "points": "10",
        "rate": "90%",
        "score": "9",
    }
    assert result.funds["lines"][0] == {
        "label": "其中:当年财政拨款",
        "budget": "5000.00",
        "executed": "4500.00",
    }
    rows = [(r.level2, r.name, r.target, r.unit, r.actual, r.points, r.score) for r in result.rows]
    assert rows == [
        ("数量指标", "资助学生人数", "≧50人次", "人次", "50", "30", "30"),
        ("社会效益指标", "减轻家庭负担", "有效", "", "有效", "30", "30"),
        ("服务对象满意度指标等", "学生满意度", "≧90%", "%", "95%", "30", "27"),
    ]
    assert (result.total, result.grade) == ("96", "优")


ANHUI = (
    "项目支出绩效自评表(2023年度)项目名称测试种养补贴项目主管部门测试县农业农村局"
    "实施单位测试镇人民政府资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分"
    "年度资金总额:6.56.510100%10其中:本年财政拨款6.56.510100%10其他资金"
    "年度总体目标完成情况预期目标实际完成情况补贴20户补贴20户"
    "年度绩效指标完成情况一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因"
    "(50分)数量指标★补助种植面积2012亩12亩20其中桃树种植面积2亩2亩其中蔬菜种植面积10亩10亩"
    "质量指标指标1:工程质量合格3030总分10090\n"
)


def test_short_rows_sub_rows_and_a_lost_level_in_a_run_together_form() -> None:
    """其中… sub-rows with only 年度指标值 and 实际完成值 under a scored row (not taken as its
    reason: two values side by side are a row's cells); a row with only 分值 and 得分; (50分)
    alone where the 一级 words were lost; a caption between 绩效指标 and 一级指标; a funds line
    that repeats the total's columns."""
    result = parse_selfeval(from_source(ANHUI))
    assert (result.funds["budget"], result.funds["executed"]) == ("6.5", "6.5")
    assert result.funds["lines"][0]["budget"] == "6.5"
    assert _rows(result) == [
        ("产出指标", "数量指标", "★补助种植面积", "12亩", "12亩", "20", "20", ""),
        ("产出指标", "数量指标", "其中桃树种植面积", "2亩", "2亩", "", "", ""),
        ("产出指标", "数量指标", "其中蔬菜种植面积", "10亩", "10亩", "", "", ""),
        ("产出指标", "质量指标", "工程质量合格", "", "", "30", "30", ""),
    ]
    assert result.total == "90"


SICHUAN = (
    "部门预算项目支出绩效自评表(2023年度)项目名称测试道路养护经费主管部门测试县交通运输局"
    "实施单位测试县公路中心项目基本情况1.项目年度目标完成情况项目年度目标年度目标完成情况"
    "养护道路20公里。养护道路20公里。2.项目实施内容及过程概述"
    "预算执行情况(10分)年度预算数(万元)年初预算调整后预算数预算执行数预算执行率权重得分原因"
    "总额12.0015.0013.5090.00%1091.预算执行率=预算执行数/调整后预算数;2.其他资金包括:社会投入资金."
    "其中:财政资金12.0015.0013.5090.00%//其他资金//"
    "绩效指标(90分)一级指标二级指标三级指标指标性质指标值度量单位完成值权重得分未完成原因分析"
    "产出指标数量指标养护里程≥20公里205045效益指标社会效益指标群众满意度≥90%95%4040合计94"
    "评价结论结合自评情况,说明项目自评总分。(200字以内)\n"
)


def test_a_sichuan_form_run_together_goals_before_funds() -> None:
    """The Sichuan form: 项目基本情况 (the goals) before 预算执行情况(10分); the funds headings
    年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因; the 原因 cell's
    instructions after 总额's amounts are listed, and 其他资金包括 in them is no funds line; 合计
    is the total; a 总分 inside the 评价结论 prompt is no total."""
    result = parse_selfeval(from_source(SICHUAN))
    assert (result.name, result.unit) == ("测试道路养护经费", "测试县公路中心")
    assert result.expected == "养护道路20公里。"
    funds = {k: v for k, v in result.funds.items() if k != "lines"}
    assert funds == {
        "initial": "12.00",
        "budget": "15.00",
        "executed": "13.50",
        "rate": "90.00%",
        "points": "10",
        "score": "9",
    }
    assert [line["label"] for line in result.funds["lines"]] == ["其中:财政资金", "其他资金"]
    assert any("预算执行率=预算执行数" in text for _, text in result.unplaced)
    rows = [(r.name, r.target, r.actual, r.points, r.score) for r in result.rows]
    assert rows == [
        ("养护里程", "≥20公里", "20", "50", "45"),
        ("群众满意度", "≥90%", "95%", "40", "40"),
    ]
    assert result.total == "94"
    assert "conclusion" not in result.tail  # the form's prompt, not a conclusion


def test_a_funds_line_with_its_blank_points_printed_as_a_dash_between_amounts() -> None:
    """其中:当年财政拨款110011001100—100%: the line's blank 分值 printed as — between its
    amounts and its rate (a line has no points or score of its own) is no amount."""
    text = NATIONAL.replace(
        "年度资金总额:1513.51090.00%9其中:当年财政拨款1513.5",
        "年度资金总额:1513.51090.00%9其中:当年财政拨款1513.5—90.00%—",
    )
    result = parse_selfeval(from_source(text))
    assert result.funds["lines"][0] == {
        "label": "其中:当年财政拨款",
        "budget": "15",
        "executed": "13.5",
        "rate": "90.00%",
    }


# A national form run together in which word targets stand beside a different word actual, the
# form's result phrase 达成预期指标 (合规 | 达成预期指标): where the name ends and the word target
# begins cannot be told by any rule. Constructed for the pattern; not a published table.
WORD_RESULTS = (
    "项目支出绩效自评表(2022年度)项目名称测试村级运转经费主管部门测试镇人民政府"
    "实施单位测试镇人民政府项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分"
    "年度资金总额:5050501010100%10"
    "年度总体目标预期目标实际完成情况保障村级组织运转保障村级组织运转"
    "绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"
    "产出指标(50分)数量指标补助村数量=8个8个2020"
    "质量指标补助资格合规性合规达成预期指标1010"
    "时效指标到位及时率≥90%达成预期指标2020"
    "效益指标(30分)社会效益指标对村级组织运行的影响程度效果明显达成预期指标1010"
    "保障村干部人数≥40人42人2020"
    "满意度指标(10分)服务对象满意度指标群众满意度≥90%95%1010总分100100\n"
)


def test_a_word_target_beside_a_different_word_actual_is_listed_never_guessed() -> None:
    """合规达成预期指标1010: the result phrase ends the row's words, but the name and the word
    target before it could be cut anywhere: the row is listed with its line, not read as a
    name ending in 达成预期指标 with target 1, actual 0, points 1 and score 0 (which would show a
    target missed). Rows around it in the same run are still read; a figure target beside the
    result phrase (≥90% | 达成预期指标) is read, its status 无法判断."""
    from plugins.disclosures.results.status import derive_status
    from plugins.disclosures.targets import parse_target

    result = parse_selfeval(from_source(WORD_RESULTS))
    rows = _rows(result)
    assert rows == [
        ("产出指标(50分)", "数量指标", "补助村数量", "=8个", "8个", "20", "20", ""),
        ("产出指标(50分)", "时效指标", "到位及时率", "≥90%", "达成预期指标", "20", "20", ""),
        ("效益指标(30分)", "社会效益指标", "保障村干部人数", "≥40人", "42人", "20", "20", ""),
        ("满意度指标(10分)", "服务对象满意度指标", "群众满意度", "≥90%", "95%", "10", "10", ""),
    ]
    listed = [text for _, text in result.unplaced]
    assert any("补助资格合规性合规达成预期指标" in text for text in listed), listed
    assert any("对村级组织运行的影响程度效果明显达成预期指标" in text for text in listed), listed
    assert all(not r.name.endswith("达成预期指标") for r in result.rows)
    assert derive_status(parse_target("≥90%"), "达成预期指标").label == "无法判断"


# Rows printed short under a row with only 分值/得分, the sub-rows not marked 其中 (the
# parent's parts: 小麦种植面积 5.5亩 5.5亩), run together. Constructed for the pattern; not a
# published table.
UNMARKED_SUB_ROWS = (
    "项目支出绩效自评表(2023年度)项目名称测试种植补贴项目主管部门测试县农业农村局"
    "实施单位测试镇人民政府资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分"
    "年度资金总额:8.48.410100%10其中:本年财政拨款8.48.4其他资金"
    "年度总体目标完成情况预期目标实际完成情况补贴30户补贴30户"
    "年度绩效指标完成情况一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因"
    "产出指标(50分)数量指标★补助粮食作物种植面积2020小麦种植面积5.5亩5.5亩玉米种植面积3亩3亩"
    "★补助家畜养殖数量2020猪养殖数量80头80头"
    "质量指标种植作物成活率10≥85%90%10总分10090\n"
)


def test_sub_rows_not_marked_qizhong_under_a_row_with_only_points() -> None:
    """A sub-row (三级指标 | 年度指标值 | 实际完成值, no 分值/得分) need not say 其中: after a
    scored row, 小麦种植面积5.5亩5.5亩 is read as one; a run's first row is never one (it has no
    row above it to belong to); two bare numbers are 分值 and 得分, not a sub-row's values; a
    name that would swallow rows (5.5亩5.5亩 inside) costs more than the rows it swallows."""
    result = parse_selfeval(from_source(UNMARKED_SUB_ROWS))
    assert _rows(result) == [
        ("产出指标(50分)", "数量指标", "★补助粮食作物种植面积", "", "", "20", "20", ""),
        ("产出指标(50分)", "数量指标", "小麦种植面积", "5.5亩", "5.5亩", "", "", ""),
        ("产出指标(50分)", "数量指标", "玉米种植面积", "3亩", "3亩", "", "", ""),
        ("产出指标(50分)", "数量指标", "★补助家畜养殖数量", "", "", "20", "20", ""),
        ("产出指标(50分)", "数量指标", "猪养殖数量", "80头", "80头", "", "", ""),
        ("产出指标(50分)", "质量指标", "种植作物成活率", "≥85%", "90%", "10", "10", ""),
    ]
    assert result.unplaced == []


def test_a_sichuan_row_left_unfilled_keeps_its_blank_actual_and_score() -> None:
    """The Sichuan form run together where the unit left 完成值 and 得分 blank (权重 is copied
    from the targets, so it is printed): 发放覆盖率=100%60 is operator, 指标值, 度量单位 and 权重,
    its actual and score blank (never 0, never 6 | 0); a filled row beside it is read whole.
    Constructed for the pattern; not a published table."""
    text = SICHUAN.replace(
        "产出指标数量指标养护里程≥20公里205045效益指标社会效益指标群众满意度≥90%95%4040合计94",
        "产出指标数量指标发放覆盖率=100%60效益指标社会效益指标群众满意度≥90%95%3030合计100",
    )
    result = parse_selfeval(from_source(text))
    rows = [(r.name, r.target, r.actual, r.points, r.score) for r in result.rows]
    assert rows == [
        ("发放覆盖率", "=100%", "", "60", ""),
        ("群众满意度", "≥90%", "95%", "30", "30"),
    ]
    assert result.rows[0].unit == "%"


def test_a_run_of_digits_is_not_cut_where_target_and_actual_fall_far_apart() -> None:
    """完工率1001001010 is 100 | 100 | 10 | 10, not 100100 | 10 | 1 | 0 nor 1001001 | 0 | 1 | 0
    (both scored as usual for a target missed); 工程质量合格1010 printed with only 分值 and 得分
    is 10 | 10, not target 1, actual 0, points 1, score 0. A target and its actual value more
    than ten times apart (or one of them 0) is an unusual reading. Constructed; not a published
    table."""
    text = NATIONAL.replace(
        "质量指标验收合格率30100%100%30",
        "质量指标工程完工率1001001010工程质量合格1010",
    ).replace("三级指标分值年度指标值全年实际值得分", "三级指标年度指标值全年实际值分值得分")
    text = text.replace(
        "维修水渠长度20≥2公里1.8公里18工期延误", "维修水渠长度≥2公里1.8公里2018工期延误"
    )
    text = text.replace("受益农户数30≥200户210户30", "受益农户数≥200户210户2020")
    text = text.replace("农户满意度10≥90%95%10", "农户满意度≥90%95%1010")
    rows = [
        (r.name, r.target, r.actual, r.points, r.score)
        for r in parse_selfeval(from_source(text)).rows
    ]
    assert ("工程完工率", "100", "100", "10", "10") in rows, rows
    # the reason after a row on its line is the reason, though a row could start there and
    # run on into the next line's cells (工期延误 | 质量指标 | 工程完工率 | 100 | 100)
    assert parse_selfeval(from_source(text)).rows[0].reason == "工期延误"
    assert ("工程质量合格", "", "", "10", "10") in rows, rows


def test_a_funds_label_inside_the_goals_text_is_no_funds_block() -> None:
    """项目资金 inside a goal's words (…完成项目资金支付。) is no funds label: the funds block is
    where a funds label is followed by the funds headings (or has its 万元 / 分 with it).
    Constructed; not a published table."""
    goal = "养护道路20公里,完成项目资金支付。"
    text = SICHUAN.replace("养护道路20公里。养护道路20公里。", goal * 2)
    result = parse_selfeval(from_source(text))
    assert result.expected == goal
    assert (result.funds.get("budget"), result.funds.get("executed")) == ("15.00", "13.50")


def test_a_rate_written_into_a_short_rows_name_is_not_taken_as_its_target() -> None:
    """资金支付完成率100%1010, the row printed with only 分值 and 得分 and its target written into
    its name: the name is 资金支付完成率100% with 10 | 10, not 资金支付完成率 with target 100%,
    actual 10, points 1 and score 0 (a rate's actual printed bare, ten times below its target:
    the cells are filled only by a reading the form's columns and the row's arithmetic do not
    bear). The rows around it are read as before. Constructed; not a published table."""
    text = NATIONAL.replace(
        "质量指标验收合格率30100%100%30",
        "质量指标工程质量合格1010时效指标资金支付完成率100%1010",
    ).replace("三级指标分值年度指标值全年实际值得分", "三级指标年度指标值全年实际值分值得分")
    text = text.replace(
        "维修水渠长度20≥2公里1.8公里18工期延误", "维修水渠长度≥2公里1.8公里2018工期延误"
    )
    text = text.replace("受益农户数30≥200户210户30", "受益农户数≥200户210户3030")
    text = text.replace("农户满意度10≥90%95%10", "农户满意度≥90%95%1010")
    result = parse_selfeval(from_source(text))
    rows = [(r.level2, r.name, r.target, r.actual, r.points, r.score) for r in result.rows]
    assert rows == [
        ("数量指标", "维修水渠长度", "≥2公里", "1.8公里", "20", "18"),
        ("质量指标", "工程质量合格", "", "", "10", "10"),
        ("时效指标", "资金支付完成率100%", "", "", "10", "10"),
        ("社会效益指标", "受益农户数", "≥200户", "210户", "30", "30"),
        ("服务对象满意度指标", "农户满意度", "≥90%", "95%", "10", "10"),
    ], rows
    assert result.unplaced == []


def test_a_funds_total_printed_without_its_rate_is_listed_when_only_likelihood_cuts_it() -> None:
    """年度资金总额 with its 执行率 cell blank (650 650 650 10 10 run together as
    6506506501010): the form's arithmetic (score = points × B/A, points < 100) also allows
    650650 | 6501 | 0 | 1 | 0 and 6 | 50 | 650650 | 10 | 10; only likelihood (less spent than
    budgeted, budgets of one order) would choose, so the total is listed, not written, and the
    line under it, with no total to read within, is listed too. A total whose rate is printed
    without a % (0001000) is no 100-point block: listed, as before. Constructed."""
    text = NATIONAL.replace(
        "全年预算数(A)全年执行数(B)分值执行率(B/A)得分"
        "年度资金总额:1513.51090.00%9其中:当年财政拨款1513.5",
        "年初预算数全年预算数(A)全年执行数(B)分值执行率(B/A)得分"
        "年度资金总额:6506506501010其中:当年财政拨款650650650--",
    )
    result = parse_selfeval(from_source(text))
    funds = {k: v for k, v in result.funds.items() if k != "lines"}
    assert funds == {}, funds
    assert result.funds["lines"][0] == {"label": "其中:当年财政拨款"}
    listed = [text for _, text in result.unplaced]
    assert any("6506506501010" in text for text in listed), listed
    assert any("650650650" in text and "6506506501010" not in text for text in listed), listed
    rateless = text.replace("6506506501010", "0001000")
    result = parse_selfeval(from_source(rateless))
    assert "points" not in result.funds
    assert any("0001000" in text for _, text in result.unplaced)


def test_the_indicators_heading_after_the_goals_is_not_part_of_the_achieved_goal() -> None:
    """年度绩效指标完成情况 printed before 一级指标 (s05's form) ends the goals: the cut table
    keeps it as heading cells, and they are not appended to 实际完成情况."""
    text = NATIONAL.replace("保障灌溉绩效指标一级指标", "保障灌溉年度绩效指标完成情况一级指标")
    result = parse_selfeval(from_source(text))
    assert (result.expected, result.achieved) == (
        "维修水渠2公里,保障灌溉",
        "维修水渠2公里,保障灌溉",
    )
    assert len(result.rows) == 4


def test_dot_leaders_run_onto_a_goal_are_not_part_of_it() -> None:
    """A .doc's dot leaders filling the 实际完成情况 cell, run onto its text when the cells
    lost their boundaries (tests/corpus_selfeval s09 with its separators removed)."""
    text = NATIONAL.replace(
        "维修水渠2公里,保障灌溉维修水渠2公里,保障灌溉",
        "计划维修水渠2公里。..............已维修水渠1.8公里。",
    )
    result = parse_selfeval(from_source(text))
    assert (result.expected, result.achieved) == ("计划维修水渠2公里。", "已维修水渠1.8公里。")


TRANSFER = (
    "测试项目绩效目标自评表(2022年度)项目总得分96分项目名称测试种苗补助"
    "项目实施单位/项目负责人测试县农技中心/王五自治区主管部门农业农村厅专项实施期2022年3月-2022年11月"
    "市县财政部门测试县财政局市县主管部门测试县农业农村局"
    "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:10810100%10"
    "绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分"
    "产出指标(50分)数量指标发放种苗50≥2万株2万株50"
    "满意度指标(50分)服务对象满意度指标农户满意度50≥90%95%46总分10096\n"
)


def test_a_transfer_forms_header_combined_label_and_levels_of_departments() -> None:
    """宁夏's transfer-payment form run together: 项目实施单位/项目负责人 is one label whose value
    x/y splits at its slash; the 主管部门 of each level (自治区 / 市县) and 市县财政部门,
    专项实施期 are labels, not a value's tail; the department is the most local 主管部门.
    Constructed (the layout of tests/corpus_selfeval s15)."""
    result = parse_selfeval(from_source(TRANSFER))
    assert (result.name, result.unit, result.department) == (
        "测试种苗补助",
        "测试县农技中心",
        "测试县农业农村局",
    )
    assert {"label": "项目负责人", "value": "王五"} in result.extra
    assert len(result.rows) == 2 and result.total == "96"


def test_a_cut_inside_a_run_of_digits_the_row_does_not_bear_out_is_listed_not_written() -> None:
    """资金拨付时限1011月底前拨付100%100%9: the form's columns leave only …拨付 | 10 | 0% |
    100% | 9 (a word target is no figure), a cut inside 100% that nothing in the row bears out
    (0% is not printed again as the actual value, and a target met scores its full 10): the row is
    listed with its reason, not written with 分值 10 and target 0%. Cuts the row bears out are
    still made: 30|100% beside 95% and 28 (the national scoring rule), 20|300亩 beside 300亩
    (the target printed again), 10|9 (分值 | 得分). Constructed; not a published table."""
    text = NATIONAL.replace(
        "质量指标验收合格率30100%100%30",
        "质量指标验收合格率30100%95%28示范面积20300亩300亩20"
        "时效指标资金拨付时限1011月底前拨付100%100%9",
    )
    result = parse_selfeval(from_source(text))
    rows = [(r.level2, r.name, r.target, r.actual, r.points, r.score) for r in result.rows]
    assert [r[1] for r in rows if r[0] == "时效指标"] == [], rows
    assert not [r for r in rows if r[4] == "10" and r[2] == "0%"], rows
    assert ("质量指标", "验收合格率", "100%", "95%", "30", "28") in rows
    assert ("质量指标", "示范面积", "300亩", "300亩", "20", "20") in rows
    (listed,) = result.unplaced
    assert "资金拨付时限1011月底前拨付100%100%9" in listed[1], listed
    assert "nothing else in the row bears out" in listed[1], listed


# The 宁夏 transfer form as a scan's OCR text: a ≥ read as another character (工8%), a row's
# 指标1 run onto its level's 指标 (生态效益指标1…), a yes/no target beside a result word
# (是基本达到). Constructed for the patterns of tests/corpus_selfeval s15 (other names and
# figures); not a published table.
OCR_ROWS = TRANSFER.replace("全年实际值得分", "全年实际值得分未完成原因及改进措施").replace(
    "满意度指标(50分)",
    "效益指标(40分)经济效益指标指标1亩均增收10工8%工8%10"
    "社会效益指标指标1种苗推广覆盖率10工6%工7%9"
    "生态效益指标1农药用量较上年减少103%3%10"
    "可持续影响指标持续推广脱毒种苗10是基本达到8加强技术指导,扩大示范"
    "满意度指标(50分)",
)


def test_ocr_rows_a_value_printed_twice_a_row_number_and_a_yes_no_target() -> None:
    """Three patterns of OCR'd forms, each read only as printed:
    - one cell text printed twice side by side (工8%工8%) is the target and the actual value,
      whatever its first character (a ≥ read as 工): kept verbatim, never read as ≥. Two
      different texts (工6%工7%) are not cut into target and actual, and are listed;
    - a level ending in 指标 followed by one or two digits and a name (生态效益指标1农药…):
      the digits are the row's 指标1, its 指标 run onto the level's, not part of the name;
    - a yes/no target (是) followed by a result word (基本达到): target 是, actual 基本达到."""
    result = parse_selfeval(from_source(OCR_ROWS))
    rows = [
        (r.level2, r.name, r.target, r.actual, r.points, r.score, r.reason) for r in result.rows
    ]
    assert ("经济效益指标", "亩均增收", "工8%", "工8%", "10", "10", "") in rows, rows
    assert ("生态效益指标", "农药用量较上年减少", "3%", "3%", "10", "10", "") in rows, rows
    assert (
        "可持续影响指标",
        "持续推广脱毒种苗",
        "是",
        "基本达到",
        "10",
        "8",
        "加强技术指导,扩大示范",
    ) in rows, rows
    # 工6%工7% is not cut into a target and an actual value: the row keeps only its name, 分值
    # and 得分 (the level's 40 分 = 10 + 10 + 10 + 10 decides its 分值), and the text is listed
    assert [r[1:6] for r in rows if r[0] == "社会效益指标"] == [
        ("种苗推广覆盖率", "", "", "10", "9")
    ], rows
    listed = [text for _, text in result.unplaced]
    assert any(text.startswith("工6%工7%（") for text in listed), listed


# A level's rows whose 年度指标值 and 实际完成值 the scan garbled (^70%, 3=40%): nothing reads
# them, but the row's name, its 分值 (after the name) and 得分 (at its end) can be told apart,
# and the level's printed points (效益指标(26分)) decide which 分值 each row has. Constructed for
# the pattern of tests/corpus_selfeval s15 (other names and figures); not a published table.
GARBLED = TRANSFER.replace(
    "满意度指标(50分)",
    "效益指标(26分)经济效益指标指标1亩均增收10≥5%6%10"
    "社会效益指标指标1种苗推广覆盖率870%^70%7指标2农户认知度853=40%3=40%8"
    "满意度指标(50分)",
)


def test_garbled_values_leave_a_rows_name_points_and_score_when_the_level_adds_up() -> None:
    """种苗推广覆盖率870%^70%7: 分值 8 (目标 70%…) or 87 (目标 0%…), 得分 7; 农户认知度853=40%…8:
    分值 8 or 85, 得分 8. 效益指标(26分) holds 10 (亩均增收) and these two: only 10 + 8 + 8 makes
    26, so each row is written with 分值 8 and its 得分, its 年度指标值 and 实际完成值 blank and
    their text listed. When the level's points decide nothing (效益指标(40分): no choice adds
    up), the rows stay listed whole."""
    result = parse_selfeval(from_source(GARBLED))
    rows = [(r.level2, r.name, r.target, r.actual, r.points, r.score) for r in result.rows]
    assert ("社会效益指标", "种苗推广覆盖率", "", "", "8", "7") in rows, rows
    assert ("社会效益指标", "农户认知度", "", "", "8", "8") in rows, rows
    listed = " ".join(text for _, text in result.unplaced)
    assert "70%^70%" in listed and "3=40%3=40%" in listed, listed
    text = GARBLED.replace("效益指标(26分)", "效益指标(40分)")
    result = parse_selfeval(from_source(text))
    assert not [r for r in result.rows if r.level2 == "社会效益指标"]
    listed = " ".join(text for _, text in result.unplaced)
    assert "种苗推广覆盖率870%^70%7" in listed, listed
