"""`disclosures import` on text whose cells ran together: document-sharing copies of Word or
PDF files, and web pages that kept no cell boundary.

The tables here are written for the patterns seen in real pages of that kind (tests/corpus
095, 093, 094, 097, 098 and the pdf-text family), not copied from them. Each test runs the real
command and checks the draft.
"""

from __future__ import annotations

from pathlib import Path

from support import import_text

# A notice, its allocation table and the first attached form on one line with no cell
# boundary, the page cut inside the form's header (as a news mirror stores such a notice).
NOTICE_THEN_FORM = (
    "各镇人民政府、有关单位:根据《某市财政局关于下达2024年水产养殖发展资金的通知》(某财农指"
    "〔2024〕12号)文件精神,现下达2024年水产养殖发展资金30万元(详见附件1),请按照有关规定管好"
    "用好资金。附件:1.2024年水产养殖发展资金分配表2.2024年池塘标准化改造项目绩效目标表某县财政局"
    "某县海洋与渔业局2024年5月6日附件12024年水产养殖发展资金分配表单位:万元项目单位乡镇合计"
    "东山镇10.010.0西岭镇20.020.0合计30.030.0附件22024年池塘标准化改造项目绩效目标表(2024年度)"
    "项目名称2024年水产养殖发展资金(池塘标准化改造)主管部门(单位)名称及部门预算编码"
    "318002-某县海洋与渔业局\n"
)


def test_a_form_run_on_after_a_notice_and_its_allocation_table(tmp_path: Path) -> None:
    code, err, drafts = import_text(tmp_path, NOTICE_THEN_FORM)
    assert code == 3, err  # a draft, its missing indicators listed
    (draft,) = drafts
    assert draft["name"] == "2024年水产养殖发展资金(池塘标准化改造)"
    assert draft["year"] == "2024"
    assert draft["department"] == "318002-某县海洋与渔业局"
    # the allocation table's heading 项目单位 is no label of the form
    assert draft["unit"] == "某县海洋与渔业局"
    assert "indicators" in err


# Blank form labels above 项目名称 (a signature and a stamp box), one cell per line.
SIGNED_FORM = """\
项目支出绩效目标表 |
(2024年度) |
分管领导: |
|
单位(盖章): |
|
项目名称 |
社区养老服务站运营补助 |
主管部门及代码 |
[203]某区民政局 |
实施单位 |
某区民政局 |
项目资金
(万元) |
年度资金总额: |
40.00 |
其中:财政拨款 |
40.00 |
其他资金 |
0.00 |
年度
目标 |
保障全区社区养老服务站正常运营。 |
一级指标 |
二级指标 |
三级指标 |
指标值 |
产出指标 |
数量指标 |
运营服务站数量 |
≥12个 |
满意度指标 |
服务对象满意度指标 |
老年人满意度 |
≥90% |
"""


def test_blank_form_labels_before_the_project_name_are_the_blank_form(tmp_path: Path) -> None:
    code, err, drafts = import_text(tmp_path, SIGNED_FORM)
    assert code == 0, err  # nothing unplaced: a label with nothing after it is a blank field
    (draft,) = drafts
    assert draft["name"] == "社区养老服务站运营补助"
    assert [i["name"] for i in draft["indicators"]] == ["运营服务站数量", "老年人满意度"]
    text = next((tmp_path / "drafts").rglob("*.yaml")).read_text(encoding="utf-8")
    assert "分管领导:（空 / blank）" in text  # kept aside with the page's other furniture


def test_a_label_with_text_after_it_before_the_name_is_still_reported(tmp_path: Path) -> None:
    signed = SIGNED_FORM.replace("分管领导: |\n|\n", "分管领导: |\n王某某 |\n")
    code, err, _drafts = import_text(tmp_path, signed)
    assert code == 3
    assert "王某某" in err


def test_a_records_systems_generation_date_is_no_publication_date(tmp_path: Path) -> None:
    page = "- 发布机构:某区民政局\n- 公文生成日期:2024-03-02\n" + SIGNED_FORM
    _code, err, drafts = import_text(tmp_path / "generated", page)
    (draft,) = drafts
    assert "published" not in draft, err
    # the page's own date, labelled as such, still is
    page = "- 发布日期:2024-03-05\n- 公文生成日期:2024-03-02\n" + SIGNED_FORM
    _code, err, drafts = import_text(tmp_path / "dated", page)
    (draft,) = drafts
    assert draft["published"] == "2024-03-05", err


# A PDF's text layer, one text span a line: level labels wrapped in their narrow cells.
SPANS = """\
财政项目支出绩效目标申报表
（2025年度）
项目名称
老旧小区雨污分流改造
主管部门
某区住房保障和房屋管理局
实施单位
某区房屋维修中心
项目资金
（元）
年度资金申请总额
3,000,000.00
年度总体目标
完成三个小区雨污分流改造。
一级指标
二级指标
三级指标
年度(/项目)指标值
产出指标
数量指标
改造小区数量
3个
成本指标
生态环境
成本指标
施工扬尘控制情况
可控
效益指标
可持续影
响指标
长效管护机制健全性
健全
满意度指
标
服务对象
满意度指
标
居民满意度
≥90.00(%)
"""


def test_level_labels_wrapped_in_their_cells_are_one_label(tmp_path: Path) -> None:
    _code, err, drafts = import_text(tmp_path, SPANS)
    (draft,) = drafts
    rows = [
        (i.get("level1"), i.get("level2"), i.get("name"), i.get("target"))
        for i in draft["indicators"]
    ]
    assert rows == [
        ("产出指标", "数量指标", "改造小区数量", "3个"),
        ("成本指标", "生态环境成本指标", "施工扬尘控制情况", "可控"),
        ("效益指标", "可持续影响指标", "长效管护机制健全性", "健全"),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90.00(%)"),
    ], err


# A budget publication's page: the project's numbered narrative (一、项目概述 on a line of its
# own), then its form, one text span a line, values wrapped in narrow cells.
NARRATED = """\
老旧小区雨污分流改造项目经费情况说明
 一、项目概述
 对三个老旧小区的雨水、污水管道分流改造，
消除雨污混接。
 二、立项依据
 区政府专题会议纪要〔2024〕18号。
 三、实施主体
 某区房屋维修中心
 四、实施周期
 2025年1月1日至2025年12月31日。
""" + SPANS.replace(
    "老旧小区雨污分流改造\n主管部门\n某区住房保障和房屋管理局\n",
    "老旧小区雨污分流改\n造\n项目性质\n阶段性项\n目\n主管部门\n某区住房保障和房屋管\n理局\n",
)


def test_a_numbered_narrative_and_wrapped_header_values(tmp_path: Path) -> None:
    _code, err, drafts = import_text(tmp_path, NARRATED)
    (draft,) = drafts
    assert draft["name"] == "老旧小区雨污分流改造", err
    assert draft["department"] == "某区住房保障和房屋管理局"
    assert {"label": "项目性质", "value": "阶段性项目"} in draft["extra"]
    assert draft["sections"]["overview"] == "对三个老旧小区的雨水、污水管道分流改造，消除雨污混接。"
    assert draft["sections"]["basis"] == "区政府专题会议纪要〔2024〕18号。"
    assert draft["period"] == "2025年1月1日至2025年12月31日"
    assert {"label": "实施主体", "value": "某区房屋维修中心"} in draft["extra"]


# Two goal cells side by side (项目总目标 | 年度总体目标) that a PDF's text layer printed one
# after the other, one text span a line: the long-term goal's wide column first, then the
# year's narrower one. Each column keeps its own width; the first cell ends a sentence.
TWO_GOALS = SPANS.replace(
    "年度总体目标\n完成三个小区雨污分流改造。\n",
    "项目总目标\n年度总体目标\n"
    "消除辖区老旧小区雨污混接，改善河道水质，提升居民\n"
    "生活环境，建立长效管护机制，形成可复制的改造经验\n"
    "和做法。\n"
    "完成三个小区雨污分流改\n"
    "造，通过竣工验收。\n",
)


def test_two_goals_printed_one_after_the_other_are_two_goals(tmp_path: Path) -> None:
    _code, err, drafts = import_text(tmp_path, TWO_GOALS)
    (draft,) = drafts
    assert draft["sections"]["midterm_goal"] == (
        "消除辖区老旧小区雨污混接，改善河道水质，提升居民生活环境，建立长效管护机制，"
        "形成可复制的改造经验和做法。"
    ), err
    assert draft["sections"]["annual_goal"] == "完成三个小区雨污分流改造，通过竣工验收。"


def test_goals_of_one_column_width_stay_one_text(tmp_path: Path) -> None:
    # Both cells as wide as each other: no cut can be told from a paragraph; nothing is cut.
    same = TWO_GOALS.replace(
        "完成三个小区雨污分流改\n", "完成三个小区雨污分流改造，通过竣工验收，资料整理\n"
    ).replace("造，通过竣工验收。\n", "归档。\n")
    _code, err, drafts = import_text(tmp_path, same)
    (draft,) = drafts
    goals = draft["sections"]
    assert "midterm_goal" not in goals, err
    assert goals["annual_goal"].endswith("完成三个小区雨污分流改造，通过竣工验收，资料整理归档。")
    assert goals["annual_goal"].startswith("消除辖区老旧小区雨污混接")


# The same row as a reader that quotes a cell of several lines whole ("…" over its lines).
QUOTED_GOALS = SPANS.replace(
    "年度总体目标\n完成三个小区雨污分流改造。\n",
    "项目总体目标\n(2025 年-2027 年)\n年度总体目标\n"
    '"1.消除老旧小区雨污混接。\n2.建立长效管护机制。\n"\n'
    '"1.完成三个小区改造。\n2.通过竣\n工验收。"\n',
)


def test_goals_each_quoted_whole_are_two_goals(tmp_path: Path) -> None:
    _code, err, drafts = import_text(tmp_path, QUOTED_GOALS)
    (draft,) = drafts
    goals = draft["sections"]
    assert goals["midterm_goal"] == '"1.消除老旧小区雨污混接。2.建立长效管护机制。"', err
    assert goals["annual_goal"] == '"1.完成三个小区改造。2.通过竣工验收。"'


def test_a_narrated_implementation_plan_is_the_plan(tmp_path: Path) -> None:
    page = NARRATED.replace(
        " 四、实施周期\n", " 四、实施方案\n 分三个小区依次施工。\n 五、实施周期\n"
    )
    _code, err, drafts = import_text(tmp_path, page)
    (draft,) = drafts
    assert draft["sections"]["plan"] == "分三个小区依次施工。", err


# The same kind of form read by a PDF reader that keeps each visual line: a row's cells on
# one line, a merged 一级 printed at the middle of its rows (产出指标 on its second row), and
# level labels wrapped in their cells printed around the row they belong to (the cell's
# text is centred on it: 可持续影 above, 响指标 below; 服务对象满意度 above, 指标 below).
LINE_KEEPING = """\
财政项目支出绩效目标申报表
（2025年度）
项目名称 老旧小区雨污分流改造 项目类别 特定目标类
主管部门 某区住房保障和房屋管理局 实施单位 某区房屋维修中心
年度总体目标 完成三个小区雨污分流改造。
一级指标 二级指标 三级指标 年度(/项目)指标值
成本指标 经济成本指标 单位改造成本控制 合理
数量指标 改造小区数量 3个
产出指标 质量指标 验收合格率 =100.00(%)
时效指标 完工及时性 及时
社会效益指标 居民出行便利度 提升
效益指标 生态效益指标 雨水排放达标情况 达标
可持续影
长效管护机制健全性 健全
响指标
服务对象满意度
满意度指标 居民满意度 ≥90.00(%)
指标
"""


def test_a_line_keeping_readers_levels_printed_mid_group_and_around_rows(tmp_path: Path) -> None:
    _code, err, drafts = import_text(tmp_path, LINE_KEEPING)
    (draft,) = drafts
    rows = [
        (i.get("level1"), i.get("level2"), i.get("name"), i.get("target"))
        for i in draft["indicators"]
    ]
    assert rows == [
        ("成本指标", "经济成本指标", "单位改造成本控制", "合理"),
        ("产出指标", "数量指标", "改造小区数量", "3个"),
        ("产出指标", "质量指标", "验收合格率", "=100.00(%)"),
        ("产出指标", "时效指标", "完工及时性", "及时"),
        ("效益指标", "社会效益指标", "居民出行便利度", "提升"),
        ("效益指标", "生态效益指标", "雨水排放达标情况", "达标"),
        ("效益指标", "可持续影响指标", "长效管护机制健全性", "健全"),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90.00(%)"),
    ], err
