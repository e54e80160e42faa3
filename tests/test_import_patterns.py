"""`disclosures import` on layouts of real published tables that yielded no draft before.

Each test runs the real command on a real published text (tests/corpus/sources) or on a table
written here in the same layout, and checks the draft, its comments and the exit status:
traditional script with the pinyin readings mirror sites leave, a page cut before its
indicator table, labels glued to their values, a tree printed one cell per line.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml
from disclosures.importer.script import fold_script, restore
from support import REPO, build_site, run_cli

CORPUS = REPO / "tests" / "corpus" / "sources"


def source(prefix: str) -> Path:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path


def import_all(path: Path, out: Path) -> tuple[int, str, list[dict[str, Any]]]:
    result = run_cli("import", str(path), "--out", str(out))
    drafts = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("*.yaml"))]
    return result.returncode, result.stderr, drafts


TRADITIONAL = """\
項目支出績效目標(biāo)表
(2021年度)
| 項目名稱 | 學(xué)生資助補助經(jīng)費 |
| 預算單位 | 樂昌市教育局 |
| 主管部門 | 樂昌市財政局 |
| 資金總額(萬元) | 12.5 |
| 年度目標(biāo) | 資助政策按規(guī)定得到落實 |
| 一級指標(biāo) | 二級指標(biāo) | 三級指標(biāo) | 指標(biāo)值 |
| 產(chǎn)出指標(biāo) | 數(shù)量指標(biāo) | 受助學(xué)生數(shù) | ≥300人 |
| 效益指標(biāo) | 社會效益指標(biāo) | 教育公平顯著提升 | 顯著 |
| 滿意度指標(biāo) | 服務對象滿意度指標(biāo) | 學(xué)生滿意度 | ≥90% |
"""


def test_traditional_script_is_read_and_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text(TRADITIONAL, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 0, stderr
    # Labels were matched in simplified form; every value is the text as written.
    assert draft["name"] == "學(xué)生資助補助經(jīng)費"
    assert draft["unit"] == "樂昌市教育局"
    assert draft["department"] == "樂昌市財政局"
    assert draft["year"] == "2021"
    assert draft["budget"] == {"total": 125000}
    assert draft["sections"] == {"annual_goal": "資助政策按規(guī)定得到落實"}
    assert [row["level1"] for row in draft["indicators"]] == [
        "產(chǎn)出指標(biāo)",
        "效益指標(biāo)",
        "滿意度指標(biāo)",
    ]
    assert draft["indicators"][0]["target"] == "≥300人"
    build_site(tmp_path / "site", data=tmp_path / "drafts")


def test_real_traditional_mirror_page(tmp_path: Path) -> None:
    """乐昌 2018, as a mirror site published it: 專項名稱, 中央主管部門 … in traditional script."""
    status, stderr, (draft,) = import_all(source("038"), tmp_path)
    assert status == 3  # the page names no unit: the draft says so
    assert "缺少 missing: unit" in stderr
    assert draft["name"].startswith("學(xué)生資助補助經(jīng)費(中等職業(yè)學(xué)校")
    assert {"label": "中央主管部門", "value": "財政部、教育部、人力資源社會保障部"} in draft[
        "extra"
    ]
    names = [row["name"] for row in draft["indicators"]]
    assert "中職免學(xué)費應(yīng)受助學(xué)生數(shù)" in names


def test_simplified_text_is_not_folded() -> None:
    assert fold_script("项目名称 | 乾县农村公路养护 |\n一级指标 | 二级指标 |") is None
    folded = fold_script("項目名稱 | 學(xué)生資助 |\n項目名稱 | 學生 |\n指標(biāo) | 目標(biāo) |")
    assert folded is not None
    assert folded.text.splitlines()[0] == "项目名称 | 学生资助 |"
    # A value read from the folded text maps back to the text as written, readings and all.
    assert restore("学生资助", folded) == "學(xué)生資助"
    assert restore("125000", folded) == "125000"


def test_page_cut_before_its_indicator_table_still_gives_a_draft(tmp_path: Path) -> None:
    """鄂州 2020: header and 立项依据 stored, the indicator table cut off by the page."""
    status, stderr, (draft,) = import_all(source("009"), tmp_path)
    assert status == 3, stderr
    assert draft["name"] == "图书馆资源购置和信息共享等专项经费"
    assert draft["unit"] == "鄂州市图书馆"
    assert draft["category"] == "运行维护类"
    assert draft["year"] == "2020"
    assert draft["sections"]["basis"].startswith("1、《公共图书馆服务规范》")


def test_labels_glued_to_their_values_and_tick_boxes(tmp_path: Path) -> None:
    """上海 2019 from a document-sharing site: 项目名称党外人才…, 开始时间2019/1/1结束时间…,
    a 项目类型 whose options wrap onto the next line with the ticked one there."""
    status, stderr, (draft,) = import_all(source("007"), tmp_path)
    assert status == 3  # cut before its indicators: the draft says they are missing
    assert "缺少 missing: indicators" in stderr
    assert draft["form"] == "shanghai"
    assert draft["name"] == "党外人才专项服务工作经费"
    assert draft["unit"] == "上海市同舟服务中心"
    assert (draft["start"], draft["end"]) == ("2019/1/1", "2019/12/31")
    assert draft["category"] == "经常性专项业务费"  # the ticked one of five options
    assert {"label": "资金用途", "value": "其他事业专业类"} in draft["extra"]
    assert draft["sections"]["basis"].startswith("按照沪编[2015]581号")


TICKS = """\
项目支出绩效目标表（2022年度）
| 项目名称 | 乡村道路养护 |
| 实施单位 | 某县交通运输局 |
| 项目属性 | □ 新增项目 ☑ 延续项目 |
| 资金用途 | □ 基本建设类 □ 政策补贴类 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 养护里程 | ≥120公里 |
"""


def test_tick_box_cells_give_the_ticked_option(tmp_path: Path) -> None:
    path = tmp_path / "ticks.txt"
    path.write_text(TICKS, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert draft["category"] == "延续项目"
    # Nothing ticked is the blank form: not data, but listed for the editor, never dropped.
    assert "资金用途" not in str(draft.get("extra"))
    assert status == 3
    assert "资金用途 □ 基本建设类 □ 政策补贴类（表上未勾选 / nothing ticked）" in stderr


def test_outline_printed_one_cell_per_line(tmp_path: Path) -> None:
    """石嘴山 2020: unit, project, 一级, 二级 and indicator shown only by leading spaces, each
    target on the line below its indicator, the amount under 绩效金额 with 单位:元."""
    status, stderr, (draft,) = import_all(source("070"), tmp_path)
    assert status == 0, stderr
    assert draft["unit"] == "石嘴山市疾病预防控制中心"
    assert draft["name"] == "狂犬、乙肝、流感等疫苗及美沙酮药物"
    assert draft["budget"] == {"total": 3000000}  # 元, not 万元
    assert "labels" not in draft  # the outline prints no labels of its own
    rows = draft["indicators"]
    assert len(rows) == 13
    assert rows[2] == {
        "level1": "产出指标",
        "level2": "时效指标(必填)",
        "name": "疫苗提供及时率",
        "target": "100%",
    }
    assert rows[8]["level1"] == "满意度指标"
    assert rows[9]["name"] == "通过注射疫苗,可以有效降低疫苗针对传染病的发生"
    assert rows[9]["target"] == "40%"
    build_site(tmp_path / "site", data=tmp_path)


def test_whole_table_on_one_line_of_ocr_text(tmp_path: Path) -> None:
    """嘉峪关 2023, OCR text of a PDF: the header and every indicator row of the table run on
    one line. Each row is cut out and keeps the source's line number."""
    status, stderr, drafts = import_all(source("005"), tmp_path)
    assert status == 3
    first = next(d for d in drafts if d.get("indicators"))
    rows = first["indicators"]
    assert rows[0] == {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "免费开放天数",
        "target": "=300天",
    }
    assert {"level1": "效益指标", "level2": "社会效益指标"}.items() <= rows[7].items()
    assert rows[7]["name"] == "免费开放接待观众人数"
    assert rows[7]["target"] == "=30000人次"
    # Unplaced cells of the cut rows still point at the source's own lines (5 and 6).
    assert {int(n) for n in re.findall(r"\.txt:(\d+): ", stderr)} <= {5, 6, 7, 8}


def test_split_rows_keep_source_line_numbers() -> None:
    from disclosures.importer.runs import separated
    from disclosures.importer.source import Text

    text = (
        "标题\n一级指标二级指标三级指标指标值产出指标数量指标补助人数≥100人质量指标合格率100%\n尾"
    )
    t = separated(Text(text))
    lines = t.text.split("\n")
    assert len(lines) > 3  # the one table line became several rows
    assert "| 产出指标 | 数量指标 | 补助人数 | ≥100人 |" in lines
    assert "| 质量指标 | 合格率 | 100% |" in lines
    row = t.text.index("| 质量指标")
    assert t.line_of(row) == 2  # still the source's line 2
    assert t.line_of(t.text.index("尾")) == 3


PROSE_ONE_LINE = """\
关于2024年某县农村饮水安全巩固提升项目绩效目标的公示
发布机构：某县水利局
项目主要内容：新建集中供水点3处，改造管网12公里。项目总体绩效目标是：保障农村居民饮水安全。\
资金总额：120万元，其中中央补助80万元。
现将绩效目标公示如下：
1.产出指标：数量指标：新建集中供水点≥3处，改造供水管网≥12公里；质量指标：水质达标率≥95%。\
时效指标：完工时间：2024年11月底前。
2.效益指标：社会效益指标：受益人口≥5000人。可持续影响指标：工程设计使用年限≥20年。
3.满意度指标：服务对象满意度指标：受益群众满意度≥90%。
某县水利局
2024年3月1日
"""


def test_targets_written_as_numbered_prose(tmp_path: Path) -> None:
    """No table: 一级 numbered, 二级 as `label：`, indicators cut at `；。` and at a comma after a
    target; the project from the sentences above, the unit from the signature."""
    path = tmp_path / "prose.txt"
    path.write_text(PROSE_ONE_LINE, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 0, stderr
    assert draft["name"] == "2024年某县农村饮水安全巩固提升项目"
    assert (draft["unit"], draft["year"]) == ("某县水利局", "2024")
    assert draft["budget"] == {"total": 1200000}  # the 总额, not the 其中 line
    assert draft["sections"] == {
        "overview": "新建集中供水点3处，改造管网12公里。",
        "annual_goal": "保障农村居民饮水安全。",
    }
    rows = [
        tuple(row.get(k) for k in ("level1", "level2", "name", "target"))
        for row in draft["indicators"]
    ]
    assert rows == [
        ("产出指标", "数量指标", "新建集中供水点", "≥3处"),
        ("产出指标", "数量指标", "改造供水管网", "≥12公里"),
        ("产出指标", "质量指标", "水质达标率", "≥95%"),
        ("产出指标", "时效指标", "完工时间", "2024年11月底前"),
        ("效益指标", "社会效益指标", "受益人口", "≥5000人"),
        ("效益指标", "可持续影响指标", "工程设计使用年限", "≥20年"),
        ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%"),
    ]
    build_site(tmp_path / "site", data=tmp_path / "drafts")


PROSE_HEADINGS = """\
某镇2023年庭院经济奖补项目绩效目标
一、产出指标
数量指标：奖补农户数量（≥**户）>=120户，新建小菜园面积≥300亩；时效指标，资金拨付及时率≥100%。
成本指标：户均奖补标准≤2000元/户。
二、效益指标
经济效益目标：带动农户增收≥60万元。生态效益指标：村庄环境明显改善。
三、满意度指标
服务对象满意度指标，受益农户满意度≥95%，受益
"""


def test_prose_targets_under_level_headings(tmp_path: Path) -> None:
    """Headings on lines of their own; 成本指标 under 产出指标 is a 二级 (only a numbered
    heading makes it a 一级); a 二级 spelled 目标; the page cut mid-clause: the fragment is
    listed as unplaced with its line, never made an indicator nor dropped."""
    path = tmp_path / "prose.txt"
    path.write_text(PROSE_HEADINGS, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 3
    assert "prose.txt:8: 受益（原文在此处中断 / the text stops here）" in stderr
    assert "缺少 missing: unit" in stderr
    assert draft["name"] == "某镇2023年庭院经济奖补项目"
    rows = [
        tuple(row.get(k) for k in ("level1", "level2", "name", "target"))
        for row in draft["indicators"]
    ]
    assert rows == [
        ("产出指标", "数量指标", "奖补农户数量（≥**户）", ">=120户"),
        ("产出指标", "数量指标", "新建小菜园面积", "≥300亩"),
        ("产出指标", "时效指标", "资金拨付及时率", "≥100%"),
        ("产出指标", "成本指标", "户均奖补标准", "≤2000元/户"),
        ("效益指标", "经济效益目标", "带动农户增收", "≥60万元"),
        ("效益指标", "生态效益指标", "村庄环境明显改善", None),
        ("满意度指标", "服务对象满意度指标", "受益农户满意度", "≥95%"),
    ]


TSV_BLANK_LED = (
    "项目支出绩效目标表\n"
    "项目名称\t农村公益性公墓建设补助\t\t\n"
    "主管部门\t某县民政局\t实施单位\t某县殡葬管理所\n"
    "年度\t2025\t\t\n"
    "一级指标\t二级指标\t三级指标\t指标值\n"
    "产出指标\t数量指标\t新建公益性公墓\t≥4个\n"
    "\t\t新增墓穴\t≥800个\n"
    "\t质量指标\t验收合格率\t100%\n"
    "效益指标\t社会效益指标\t乱埋乱葬现象\t明显减少\n"
    "\t\t满意度\t≥90%\n"
)


def test_tab_separated_rows_keep_blank_cells_and_carry_levels_down(tmp_path: Path) -> None:
    """A table copied from a spreadsheet: a merged level cell is blank below its first row.
    Each tab is a cell boundary, so `<TAB><TAB>满意度<TAB>≥90%` keeps its columns: 满意度 is the
    name under the levels carried down, not a 二级 read by its meaning; `年度<TAB>2025` is read."""
    path = tmp_path / "copied.txt"
    path.write_text(TSV_BLANK_LED, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 0, stderr
    assert (draft["year"], draft["unit"]) == ("2025", "某县殡葬管理所")
    rows = [
        tuple(row.get(k) for k in ("level1", "level2", "name", "target"))
        for row in draft["indicators"]
    ]
    assert rows == [
        ("产出指标", "数量指标", "新建公益性公墓", "≥4个"),
        ("产出指标", "数量指标", "新增墓穴", "≥800个"),
        ("产出指标", "质量指标", "验收合格率", "100%"),
        ("效益指标", "社会效益指标", "乱埋乱葬现象", "明显减少"),
        ("效益指标", "社会效益指标", "满意度", "≥90%"),
    ]
    build_site(tmp_path / "site", data=tmp_path / "drafts")


BRACKETED_LABELS = """\
项目支出绩效目标表
（2023年度）
| 项目(专项)名称 | 城区公厕提升改造 |
| 主管部门(单位)名称 | 某市城市管理局 |
| 具体实施单位 | 某市环境卫生服务中心 |
| 项目总体目标 | 三年内完成城区公厕提升改造。 |
| 项目年度目标 | 本年改造公厕12座。 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 改造公厕数量 | ≥12座 |
"""


def test_label_with_a_bracketed_word_and_overall_then_annual_goal(tmp_path: Path) -> None:
    """`项目(专项)名称` is the name label with an alternative word inside; an overall goal
    followed by the year's goal is the longer-term goal (alone it would be the year's)."""
    path = tmp_path / "table.txt"
    path.write_text(BRACKETED_LABELS, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 0, stderr
    assert draft["name"] == "城区公厕提升改造"
    assert draft["department"] == "某市城市管理局"
    assert draft["unit"] == "某市环境卫生服务中心"
    assert draft["sections"] == {
        "midterm_goal": "三年内完成城区公厕提升改造。",
        "annual_goal": "本年改造公厕12座。",
    }
    build_site(tmp_path / "site", data=tmp_path / "drafts")


SPACED_FORM = """\
2021年度某市职业病防治经费项目支出绩效目标申报表
申报单位名称:(盖章)
    项目名称 职业病防治经费
起始日期:2021年 1 月 1日 结束日期: 2021 年 12 月 31日
项目总预算(万元) 40.00      项目当年预算(万元) 40.00
项目资金来源情况(万元) 其中:上级财政补助资金 其中:同级财政资金 其他
10.00  30.00  0.00
同名项目上年预算额 同名项目上年预算执行数
项目绩效目标(含项目概况、立项依据、必要性及预期目标) 项目概况:开展重点职业病监测。    \
项目立项依据:《中华人民共和国职业病防治法》    \
必要性:项目设立的必要性:接触职业病危害的劳动者多。    \
预期目标:完成监测任务，及时发现风险。[…gap…]
"""


def test_form_laid_out_with_spaces(tmp_path: Path) -> None:
    """A Shanghai-family form copied as text with spaces: a label first on its line takes the
    value after it without a colon; money headings over a row of amounts are paired from the
    right; a heading's bracketed note is no goal; sub-labels inside one cell (必要性, 预期目标)
    split it; a field that names itself again keeps that as written; dates lose the blanks."""
    path = tmp_path / "form.txt"
    path.write_text(SPACED_FORM, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 3  # no unit, no indicators: the draft says which
    assert "缺少 missing: unit" in stderr and "缺少 missing: indicators" in stderr
    assert draft["form"] == "shanghai"
    assert draft["name"] == "职业病防治经费"
    assert (draft["start"], draft["end"]) == ("2021年1月1日", "2021年12月31日")
    assert draft["budget"] == {
        "total": 400000,
        "current_year": 400000,
        "lines": [
            {"label": "上级财政补助资金", "amount": 100000},
            {"label": "同级财政资金", "amount": 300000},
            {"label": "其他", "amount": 0},
        ],
    }
    assert draft["sections"] == {
        "overview": "开展重点职业病监测。",
        "basis": "《中华人民共和国职业病防治法》",
        "necessity": "项目设立的必要性:接触职业病危害的劳动者多。",
        "goals": "完成监测任务，及时发现风险。",  # the collector's gap mark is listed, not kept
    }
    assert "sections.goals：原文此后缺失" in stderr


APPROVAL_FORM = """\
2024年某镇污水管网延伸项目支出绩效目标审批表
(   2024年度)
预算单位: 某县某镇人民政府

金额单位:万元
项目名称 2024年某镇污水管网延伸项目 项目分类 资产资源类--构筑物类
建设周期 2024年3月-2024年11月 业务主管部门 县住建委
实施单位 某镇建设环保办 项目负责人 张三 联系电话 13800000000
项目审批 县发展改革委《关于某镇污水管网延伸项目的批复》
项目总体概况 新建污水管网3.2公里。
年度主要目标     和成果 完成管网铺设并通水。
项目总预算 120 财政资金预算分类 一般公共预算
当年年度预算 120
其中:财政资金 100
其中:其它资金 20
年度绩效目标(90分) 一级指标 二级指标 三级指标 指标值 分值 指标解释
成本指标(0-20)分 经济成本指标 管网建设成本 ≤120万元 10
产出指标(40-50)分 数量指标 新建管网长度 ≥3.2公里 30
"""


def test_approval_form_one_row_per_line(tmp_path: Path) -> None:
    """Chongqing's 审批表, one table row per line: 预算单位 above 项目名称 is the unit and the
    实施单位 beside it is kept as printed; 其中 lines under this year's budget are its parts;
    a 一级 carries its score range `(0-20)分`; `年度绩效目标(90分)` is a heading, not a goal;
    `金额单位:万元` below a field is the unit of the amounts, not part of the unit's name."""
    path = tmp_path / "form.txt"
    path.write_text(APPROVAL_FORM, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert draft["unit"] == "某县某镇人民政府"
    assert {"label": "实施单位", "value": "某镇建设环保办"} in draft["extra"]
    assert (draft["period"], draft["department"]) == ("2024年3月-2024年11月", "县住建委")
    assert draft["sections"] == {
        "overview": "新建污水管网3.2公里。",
        "basis": "县发展改革委《关于某镇污水管网延伸项目的批复》",
        "annual_goal": "完成管网铺设并通水。",
    }
    assert draft["budget"] == {
        "total": 1200000,
        "current_year": 1200000,
        "current_year_fiscal": 1000000,
        "current_year_other": 200000,
    }
    rows = [
        tuple(row.get(k) for k in ("level1", "level2", "name", "target"))
        for row in draft["indicators"]
    ]
    assert rows == [
        ("成本指标(0-20)分", "经济成本指标", "管网建设成本", "≤120万元"),
        ("产出指标(40-50)分", "数量指标", "新建管网长度", "≥3.2公里"),
    ]
    assert status == 0, stderr  # 项目负责人 and 联系电话 are personal: listed, not imported
    build_site(tmp_path / "site", data=tmp_path / "drafts")


LABEL_STREAM = """\
金额单位:元 |
二级项目名称 |
2023年乡村医生培训补助资金 |
二级项目编码 |
440000230000000012345 |
挂接一级项目名称 |
|
存续状态 |
阶段性 |
项目金额(单位:元) |
1,200,000.00 |
当年金额 |
1,200,000.00 |
资金主管部门 |
省卫生健康委 |
申报单位 |
某市卫生健康局 |
申报属性 |
新增项目 |
是否基建项目 |
否 |
设立依据及申报理由 |
根据《乡村医生从业管理条例》
和本省基层卫生人才培养规划设立。 |
一级指标 |
二级指标 |
三级指标 |
指标值 |
产出指标 |
数量指标 |
培训乡村医生人数 |
≥600人 |
"""


def test_budget_system_sheet_one_cell_per_line(tmp_path: Path) -> None:
    """A budget system's sheet saved as a web page: each label and each value a cell of its
    own line. Labels the vocabulary does not know keep their value as printed (extra); a
    label over a blank cell is the blank form; a cell that wraps onto a line without `|`
    goes on there; `(单位:元)` after a money label is its unit."""
    path = tmp_path / "sheet.txt"
    path.write_text(LABEL_STREAM, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 0, stderr
    assert draft["name"] == "2023年乡村医生培训补助资金"
    assert (draft["unit"], draft["department"]) == ("某市卫生健康局", "省卫生健康委")
    assert draft["category"] == "新增项目"
    assert draft["budget"] == {"total": 1200000, "current_year": 1200000}
    assert draft["extra"] == [
        {"label": "二级项目编码", "value": "440000230000000012345"},
        {"label": "存续状态", "value": "阶段性"},
        {"label": "是否基建项目", "value": "否"},
    ]
    assert draft["sections"] == {
        "basis": "根据《乡村医生从业管理条例》和本省基层卫生人才培养规划设立。"
    }
    assert draft["indicators"] == [
        {"level1": "产出指标", "level2": "数量指标", "name": "培训乡村医生人数", "target": "≥600人"}
    ]
    build_site(tmp_path / "site", data=tmp_path / "drafts")


WRAPPED_HEADING = """\
项目支出绩效目标表
（2024年度）
项目名称 老年人助餐服务补贴
主管部门 某区民政局 实施单位 某区养老服务中心
一级
指标
二级指标 三级指标 指标值
产出指标 数量指标 助餐服务人次 ≥30000人次
服务站点数量 =12个
满意度指标 服务对象满意度指标 老年人满意度 ≥90%
"""


def test_row_table_whose_first_heading_wraps(tmp_path: Path) -> None:
    """`一级` / `指标` on lines of their own above `二级指标 三级指标 指标值`: the narrow first
    column wrapped its heading; the table is still one row per line."""
    path = tmp_path / "table.txt"
    path.write_text(WRAPPED_HEADING, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 0, stderr
    rows = [
        tuple(row.get(k) for k in ("level1", "level2", "name", "target"))
        for row in draft["indicators"]
    ]
    assert rows == [
        ("产出指标", "数量指标", "助餐服务人次", "≥30000人次"),
        ("产出指标", "数量指标", "服务站点数量", "=12个"),
        ("满意度指标", "服务对象满意度指标", "老年人满意度", "≥90%"),
    ]


SPECIAL_FUND_WORDING = """\
| 专项资金绩效目标申报表 |
| (2024年度) |
| 专项名称 | 农村危房改造补助 |
| 主管部门 | 某县住房和城乡建设局 |
| 实施单位 | 某县住房和城乡建设局 |
| 专项概况 | 对农村低收入群体危房实施改造。 |
| 专项立项 依据 | 《农村危房改造补助资金管理办法》 |
| 中长期绩效 目标 | 三年内完成存量危房改造。 |
| 本年度绩效 目标 | 改造危房120户。 |
| 专项年度绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 改造危房户数 | ≥120户 |
"""


def test_labels_in_the_special_fund_wording(tmp_path: Path) -> None:
    """专项 for 项目 (专项立项依据), 绩效 before 目标 (中长期绩效目标) and a group heading
    named for the 专项 (专项年度绩效指标) are the labels the vocabulary knows, so each
    narrative cell ends where the next label starts."""
    path = tmp_path / "table.txt"
    path.write_text(SPECIAL_FUND_WORDING, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 0, stderr
    assert draft["sections"] == {
        "overview": "对农村低收入群体危房实施改造。",
        "basis": "《农村危房改造补助资金管理办法》",
        "midterm_goal": "三年内完成存量危房改造。",
        "annual_goal": "改造危房120户。",
    }
    assert draft["indicators"][0]["name"] == "改造危房户数"


def test_unit_named_without_a_place_takes_its_departments(tmp_path: Path) -> None:
    """农田建设服务中心 names no place: its region is its supervising department's, with a note;
    a unit that names its own place keeps none."""
    table = (
        "项目支出绩效目标表（2022年度）\n"
        "| 项目名称 | 高标准农田建设 |\n| 主管部门 | 某某县农业农村局 |\n"
        "| 实施单位 | {unit} |\n| 一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "| 产出指标 | 数量指标 | 新建高标准农田面积 | ≥2万亩 |\n"
    )
    for unit, region in (("农田建设服务中心", "某某县"), ("某某县农田建设服务中心", None)):
        path = tmp_path / f"{unit}.txt"
        path.write_text(table.format(unit=unit), encoding="utf-8")
        status, stderr, (draft,) = import_all(path, tmp_path / unit)
        assert status == 0, stderr
        assert (draft["unit"], draft.get("region")) == (unit, region)


OUTER_LEVEL = """\
中央预算内投资计划绩效目标表
专项名称 |
污水处理设施建设专项 |
下达地方或单位 |
某县人民政府 |
下达中央预算内投资(万元) |
800 |
总 体 目 标 |
新增污水处理能力。 |
一级指标 |
二级指标 |
三级指标 |
指标值 |
实施效果指标 |
产出指标 |
新建污水处理厂座数 |
2 |
管网建设长度 |
≥15公里 |
效益指标 |
污水集中收集率 |
≥85% |
"""


def test_outer_heading_in_the_level1_column(tmp_path: Path) -> None:
    """The investment plan's form prints 实施效果指标 in the 一级 column and 产出指标/效益指标
    in the 二级 column: the usual 一级 names are that table's 二级."""
    path = tmp_path / "plan.txt"
    path.write_text(OUTER_LEVEL, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert (draft["unit"], draft["budget"]) == ("某县人民政府", {"current_year": 8000000})
    rows = [
        tuple(row.get(k) for k in ("level1", "level2", "name", "target"))
        for row in draft["indicators"]
    ]
    assert rows == [
        ("实施效果指标", "产出指标", "新建污水处理厂座数", "2"),
        ("实施效果指标", "产出指标", "管网建设长度", "≥15公里"),
        ("实施效果指标", "效益指标", "污水集中收集率", "≥85%"),
    ]
    assert "缺少 missing: year" in stderr and status == 3  # no year printed anywhere


TRANSFER_OFFICES = """\
专项资金绩效目标表（2023年度）
资金名称 |
耕地地力保护补贴 |
省级主管部门 |
某省农业农村厅 |
区县主管部门 |
某县农业农村局 |
一级指标 |
二级指标 |
三级指标 |
指标值 |
产出指标 |
数量指标 |
补贴发放面积 |
≥50万亩 |
"""


def test_transfer_form_without_unit_takes_the_local_office(tmp_path: Path) -> None:
    """The transfer-payment form names an office per level and no 实施单位: the lowest office
    (区县主管部门) is the unit, with a note; the others stay as printed."""
    path = tmp_path / "transfer.txt"
    path.write_text(TRANSFER_OFFICES, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert status == 0, stderr
    assert draft["unit"] == "某县农业农村局"
    assert draft["extra"] == [{"label": "省级主管部门", "value": "某省农业农村厅"}]


# One cell per line (a web table flattened), with indicator names that open with a number:
# the number is part of the name (`3 岁以下…率`), not a target.
NAMES_WITH_NUMBERS = (
    "\n|\n".join(
        [
            "项目支出绩效目标表",
            "项目名称",
            "儿童健康服务补助",
            "主管部门",
            "某某县卫生健康委员会",
            "实施单位",
            "某某县卫生健康委员会",
            "项目资金 (元)",
            "年度资金总额",
            "500000",
            "年度目标",
            "为辖区儿童提供健康管理服务。",
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "产出指标",
            "数量指标",
            "3 岁以下儿童系统管理率",
            "≥90%",
            "0-6 岁儿童视力筛查覆盖率",
            "≥85%",
        ]
    )
    + "\n|\n"
)


def test_indicator_names_that_open_with_a_number(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text(NAMES_WITH_NUMBERS, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert [(row["name"], row["target"]) for row in draft["indicators"]] == [
        ("3 岁以下儿童系统管理率", "≥90%"),
        ("0-6 岁儿童视力筛查覆盖率", "≥85%"),
    ], stderr


# PDF text where each name and each target is a line of its own: a short name after a long
# one is a new indicator when a target follows it; a short line followed by a whole row is
# the rest of a wrapped name.
OWN_LINES = """\
项目支出绩效目标表
（2024年度）
项目名称 儿童免疫接种服务
主管部门 某县卫生健康委员会
实施单位 某县疾病预防控制中心
年度资金总额（万元） 30
年度目标 完成辖区适龄儿童免疫接种。
一级指标 二级指标 三级指标 指标值
产出指标 数量指标 适龄儿童国家免疫规划疫苗接种率
≥90%
服务儿童人数
1200人
为辖区内流动儿童提供补种
≥300人次
服务
质量指标 接种差错发生率 ≤0.1%
效益指标 社会效益指标 儿童传染病发病率
下降
接种点数
12个
"""


def test_short_name_after_a_long_one_on_lines_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "own_lines.txt"
    path.write_text(OWN_LINES, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    rows = [(row.get("level2"), row.get("name"), row.get("target")) for row in draft["indicators"]]
    assert rows == [
        ("数量指标", "适龄儿童国家免疫规划疫苗接种率", "≥90%"),
        ("数量指标", "服务儿童人数", "1200人"),
        ("数量指标", "为辖区内流动儿童提供补种服务", "≥300人次"),
        ("质量指标", "接种差错发生率", "≤0.1%"),
        ("社会效益指标", "儿童传染病发病率", "下降"),
        ("社会效益指标", "接种点数", "12个"),
    ], stderr
    assert status == 0, stderr


# A scanned form read by OCR, every cell run together: the project filed under a parent
# (一级项目 / 二级项目, with an OCR's stray mark), offices around the unit, money lines
# running on after the total, the form's title holding a label word (绩效目标表).
PARENT_PROJECT_RUN_ON = """\
部门预算项目支出绩效目标表(2024年度)一*级项目名称农业产业发展专项二级项目名称蔬菜基地灌溉设施改造项目类型新增项目主管部门某县农业农村局项目开始日期2024-01-01项目完成日期2024-12-31项目总投资36万元中央补助安排10省级财政安排6其他资金20万元组织实施单位某市农业农村局监督管理单位某县财政局项目实施单位某县农业技术推广中心年度绩效目标改造灌溉设施，保障蔬菜基地生产
一级指标二级指标三级指标指标目标值产出指标数量指标改造灌溉渠道长度=1200米质量指标工程验收合格率=100%满意度指标服务对象满意度指标种植户满意度≥90%
"""


def test_run_together_form_with_a_parent_project(tmp_path: Path) -> None:
    path = tmp_path / "ocr.txt"
    path.write_text(PARENT_PROJECT_RUN_ON, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert draft["name"] == "蔬菜基地灌溉设施改造", stderr
    assert draft["unit"] == "某县农业技术推广中心"
    extra = {e["label"]: e["value"] for e in draft["extra"]}
    assert extra["一*级项目名称"] == "农业产业发展专项"
    assert (extra["组织实施单位"], extra["监督管理单位"]) == ("某市农业农村局", "某县财政局")
    assert draft["budget"]["total"] == 360000
    assert {"label": "中央补助安排", "amount": 100000} in draft["budget"]["lines"]
    assert {"label": "省级财政安排", "amount": 60000} in draft["budget"]["lines"]
    assert draft["sections"]["annual_goal"] == "改造灌溉设施，保障蔬菜基地生产"
    assert [(row["name"], row["target"]) for row in draft["indicators"]] == [
        ("改造灌溉渠道长度", "=1200米"),
        ("工程验收合格率", "=100%"),
        ("种植户满意度", "≥90%"),
    ]


# A budget system's form as a pipe table: fields around the project two to a row, none of
# them the project's own (its parent project, functional account, procurement, who drew up
# the targets), and the content under a heading that joins two fields.
BUDGET_SYSTEM_FIELDS = """\
项目支出绩效目标表
绩效编制单位: | 某县园林绿化服务中心 | |
项目名称 | 公园设施维护经费 | 项目期限: | 2024年 |
对应一级项目 | 城市基础设施维护 | 项目功能科目 | 其他城市公用事业支出 |
归口业务科室 | 园林科 | 是否政府采购 | 是 |
实施单位 | 某县园林绿化服务中心 | 主管部门 | 某县住房和城乡建设局 |
项目主要内容、立项依据 | 立项依据 | 公园设施维护管理办法 |
主要内容 | 全县12个公园的设施维护和保洁 |
年度资金总额(万元) | 48 |
年度目标 | 公园设施完好率保持在95%以上 |
一级指标 | 二级指标 | 三级指标 | 指标值 |
产出指标 | 数量指标 | 维护公园数量 | 12个 |
满意度指标 | 服务对象满意度指标 | 游园群众满意度 | ≥90% |
"""


def test_budget_system_fields_two_to_a_row(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_text(BUDGET_SYSTEM_FIELDS, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert (draft["name"], draft["unit"]) == ("公园设施维护经费", "某县园林绿化服务中心"), stderr
    extra = {e["label"].rstrip(":"): e["value"] for e in draft["extra"]}
    assert extra == {
        "绩效编制单位": "某县园林绿化服务中心",
        "对应一级项目": "城市基础设施维护",
        "项目功能科目": "其他城市公用事业支出",
        "归口业务科室": "园林科",
        "是否政府采购": "是",
    }
    assert draft["sections"]["basis"] == "公园设施维护管理办法"
    assert draft["sections"]["overview"] == "全县12个公园的设施维护和保洁"
    assert len(draft["indicators"]) == 2


# The 专项 form's money block: headings on two rows over one row of amounts; the heading
# with sub-headings (财政资金, funded by the levels of government) has no amount of its own.
MONEY_GRID = """\
| 专项资金绩效目标申报表 | | | | | |
| (2024年度) | | | | | |
| 专项名称 | 村级道路养护补助 | | | | |
| 主管部门 | 某县交通运输局 | 实施单位 | 某县公路养护中心 | | |
| 专项资金情况 | 本年度预计投入(万元) | 财政资金(万元) | 其他 | | |
| 中央 | 省级 | 市级资金 | 本级 | | |
| 30 | 10 | 12 | 0 | 6 | 2 |
| 单位已有的保证专项实施的制度、措施 | 村道养护考核办法 | | | | |
| 一级指标 | 二级指标 | 三级指标 | 指标值 | | |
| 产出指标 | 数量指标 | 养护村道里程 | ≥80公里 | | |
"""


def test_money_headings_on_two_rows_over_one_row_of_amounts(tmp_path: Path) -> None:
    path = tmp_path / "grid.txt"
    path.write_text(MONEY_GRID, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert draft["budget"] == {
        "current_year": 300000,
        "other": 20000,
        "lines": [
            {"label": "中央", "amount": 100000},
            {"label": "省级", "amount": 120000},
            {"label": "市级资金", "amount": 0},
            {"label": "本级", "amount": 60000},
        ],
    }, stderr
    assert draft["sections"]["safeguards"] == "村道养护考核办法"
    assert draft["indicators"][0]["target"] == "≥80公里"


PAGE_TOP = (
    "项目支出绩效目标表\n项目名称 | 乡村道路养护 |\n"
    "实施单位 | 某县交通运输局 |\n年度资金总额(万元) | 20 |\n"
)
TABLE_BELOW = (
    "一级指标 | 二级指标 | 三级指标 | 指标值 |\n产出指标 | 数量指标 | 养护里程 | ≥50公里 |\n"
)


def test_page_date_in_the_furniture_above_the_table(tmp_path: Path) -> None:
    """The page's date, however its furniture printed it: run on after the source, labelled
    only 时间, or on the source's line; an approval form's own 日期 is not the page's."""
    cases = {
        "浏览次数:信息来源:某县交通运输局发布时间:2024-02-07 09:33\n": "2024-02-07",
        "时间:2021-04-22\n": "2021-04-22",
        "来源:某县交通运输局   2022-05-16\n": "2022-05-16",
        "日期:2022-12-30\n": None,
    }
    for i, (furniture, date) in enumerate(cases.items()):
        path = tmp_path / f"page{i}.txt"
        path.write_text("某县政府信息公开\n" + furniture + PAGE_TOP + TABLE_BELOW, encoding="utf-8")
        status, stderr, (draft,) = import_all(path, tmp_path / f"drafts{i}")
        assert draft.get("published") == date, (furniture, stderr)


SCHEDULE_UNDER_OVERVIEW = """\
项目绩效目标表(2024年度)
项目名称
公交站台维修
实施单位
某市公共交通服务中心
项目概况
维修全市破损公交站台40座。
项目实施进度计划
项目实施内容
开始时间
完成时间
站台维修
2024年3月
2024年10月
年度目标
完成40座站台维修。
"""


def test_schedule_heading_ends_the_overview(tmp_path: Path) -> None:
    """项目实施进度计划 heads the schedule under the overview: the overview ends there."""
    path = tmp_path / "page.txt"
    path.write_text(SCHEDULE_UNDER_OVERVIEW, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert draft["sections"]["overview"] == "维修全市破损公交站台40座。", stderr
    assert draft["sections"]["annual_goal"] == "完成40座站台维修。"


# The indicator headings printed twice (the 中期 and 年度 halves of the national form) with no
# 中期/年度 word to tell the halves apart: both halves' columns share one key. A row whose two
# cells both land in name columns used to keep the later and lose the earlier without a word.
HEADINGS_TWICE = """\
项目支出绩效目标申报表
(2023年度)
| 项目名称 | 城区道路养护 |
| 实施单位 | 某县城市管理局 |
| 年度资金总额(万元) | 120.00 |
| 年度目标 | 城区道路完好 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 养护道路里程 | ≥12公里 | 数量指标 | 养护道路里程 | ≥12公里 |
| 路面巡查频次 | 每周巡查道路 |
"""


def test_a_heading_set_printed_twice_drops_no_cell(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text(HEADINGS_TWICE, encoding="utf-8")
    status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    text = next((tmp_path / "drafts").rglob("*.yaml")).read_text(encoding="utf-8")
    # Every word of the source is in the draft: in a field or in the unplaced block.
    assert "路面巡查频次" in text and "每周巡查道路" in text
    # The halves are told apart (中期 first): the 中期 half's cell is listed with its half.
    assert re.search(r"第 9 行 / line 9: 长期/中期栏 name: 路面巡查频次", text)
    assert status == 3, stderr
    assert draft["indicators"][0]["name"] == "养护道路里程"


# A label that also asks for the unit's code: 主管部门(单位)名称及部门预算编码 (福建),
# 主管部门及编码
# (the national form). The words before 编码/代码 vary; a one-cell-per-line page wraps the
# label after 及. The value, code included, is the department as written.
CODE_LABEL_ONE_LINE = """\
项目支出绩效目标表
（2024年度）
| 项目名称 | 森林防火专项 |
| 主管部门(单位)名称及单位代码 | 512001某市林业局 |
| 实施单位 | 某市林业局 |
| 资金总额(万元) | 30 |
| 年度目标 | 全年无重大森林火灾 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 巡护里程 | ≥500公里 |
"""
CODE_LABEL_WRAPPED = """\
项目支出绩效目标表
（2024年度）

项目名称

森林防火专项

主管部门(单位)名称及

预算单位编码

512001某市林业局

资金情况(万元)

资金总额:

30
"""


def test_a_label_asking_for_name_and_code(tmp_path: Path) -> None:
    for i, table in enumerate((CODE_LABEL_ONE_LINE, CODE_LABEL_WRAPPED)):
        path = tmp_path / f"table{i}.txt"
        path.write_text(table, encoding="utf-8")
        _status, stderr, (draft,) = import_all(path, tmp_path / f"drafts{i}")
        assert draft["department"] == "512001某市林业局", (i, stderr)
        assert draft["labels"]["department"].startswith("主管部门名称及")


# Jiangsu's project target form as its pages print it: one cell per line with blank lines
# between; 实施部门 over the 预算单位; 项目负责人/联系电话 in one cell; …说明 headings; money
# 收入 (财政拨款 | 小计 | amount) then 支出; every value twice, 半年(程) and 全年(程); the 一级
# of the evaluation framework printed bare (决策 | 过程 | 产出 | 效益), 绩效目标 a 二级 under 决策.
JIANGSU_CELLS = """\
2023年度南通市图书馆数字阅读推广经费项目绩效公开
2023年度
项目名称
数字阅读推广经费
实施部门
南通市文化广电和旅游局
项目类型
一次性项目
项目级次
市本级
开始时间
2023年
完成时间
2023年
预算单位
南通市图书馆
项目负责人/ 联系电话
张某/ 0513-81234567
项目必要性说明
全市读者数字阅读需求逐年增长,需要扩充数字资源。
项目可行性说明
《江苏省公共图书馆条例》
项目概述
采购电子图书与数据库,开展线上阅读推广活动。
项目资金 (万元)
收入
全年(程) 预算数
资金总额
50
财政拨款
小计
45
一般公共预算资金
45
政府性基金
上年结转资金
5
其他资金
支出
半年(程) 计划执行数
全年(程) 预算数
数字资源采购
20
50
中长期目标
提升全市数字阅读服务能力。
一级指标
二级指标
三级指标
半年(程) 指标值
全年(程) 指标值
决策
项目立项
立项依据充分性
充分
充分
绩效目标
绩效目标合理性
合理
合理
过程
资金管理
资金到位率
100%
100%
产出
产出数量
数字资源采购数量
≥5个
≥10个
效益
项目效益
读者满意度
≥85%
≥90%
"""


def test_jiangsu_form_half_and_whole_year(tmp_path: Path) -> None:
    path = tmp_path / "jiangsu.txt"
    path.write_text("\n\n".join(JIANGSU_CELLS.splitlines()) + "\n", encoding="utf-8")
    _status, stderr, drafts = import_all(path, tmp_path / "drafts")
    assert len(drafts) == 1, stderr  # one project, not a wide table of 决策 | 项目立项 | …
    (draft,) = drafts
    text = next((tmp_path / "drafts").rglob("*.yaml")).read_text(encoding="utf-8")
    assert draft["name"] == "数字阅读推广经费"
    assert draft["unit"] == "南通市图书馆"
    assert draft["department"] == "南通市文化广电和旅游局"
    assert draft["category"] == "一次性项目"
    assert draft["sections"]["necessity"] == "全市读者数字阅读需求逐年增长,需要扩充数字资源。"
    assert draft["sections"]["overview"] == "采购电子图书与数据库,开展线上阅读推广活动。"
    assert {"label": "项目级次", "value": "市本级"} in draft["extra"]
    assert {"label": "项目可行性说明", "value": "《江苏省公共图书馆条例》"} in draft["extra"]
    assert "0513" not in yaml.safe_dump(draft, allow_unicode=True)  # personal: not data
    budget = draft["budget"]
    assert (budget["total"], budget["fiscal"], budget["carried_over"]) == (500000, 450000, 50000)
    assert budget["lines"] == [{"label": "一般公共预算资金", "amount": 450000}]
    # The spending half is no source of money: listed for the editor, not dropped.
    unplaced = text.split("\nform:")[0]
    assert "支出" in unplaced and "数字资源采购" in unplaced
    rows = [(r["level1"], r["level2"], r["name"], r["target"]) for r in draft["indicators"]]
    assert rows == [
        ("决策", "项目立项", "立项依据充分性", "充分"),
        ("决策", "绩效目标", "绩效目标合理性", "合理"),
        ("过程", "资金管理", "资金到位率", "100%"),
        ("产出", "产出数量", "数字资源采购数量", "≥10个"),
        ("效益", "项目效益", "读者满意度", "≥90%"),
    ]
    # The half year's values that differ are shown, not lost.
    assert "半年栏 target: ≥5个" in unplaced and "半年栏 target: ≥85%" in unplaced


JIANGSU_PIPES = """\
| 项目名称 | 数字阅读推广经费 | 实施部门 | 南通市文化广电和旅游局 |
| 项目类型 | 一次性项目 | 项目级次 | 市本级 |
| 预算单位 | 南通市图书馆 | 项目负责人/ 联系电话 | |
| 项目必要性说明 | 全市读者数字阅读需求逐年增长。 |
| 项目资金 (万元) | 收入 | 全年(程) 预算数 |
| | 资金总额 | 50 |
| | 财政拨款 | 小计 | 45 |
| | | 一般公共预算资金 | 45 |
| | 上年结转资金 | 5 |
| 中长期目标 | 提升全市数字阅读服务能力。 |
| 一级指标 | 二级指标 | 三级指标 | 半年(程) 指标值 | 全年(程) 指标值 |
| 决策 | 项目立项 | 立项依据充分性 | 充分 | 充分 |
| | 绩效目标 | 绩效目标合理性 | 合理 | 合理 |
| 过程 | 资金管理 | 资金到位率 | 100% | 100% |
| 产出 | 产出数量 | 数字资源采购数量 | ≥5个 | ≥10个 |
| 效益 | 项目效益 | 读者满意度 | ≥85% | ≥90% |
"""


def test_jiangsu_form_as_a_pipe_table(tmp_path: Path) -> None:
    """The same form saved as a table (rows of cells): 绩效目标 under 决策 is still a 二级."""
    path = tmp_path / "jiangsu.txt"
    path.write_text(JIANGSU_PIPES, encoding="utf-8")
    _status, stderr, drafts = import_all(path, tmp_path / "drafts")
    assert len(drafts) == 1, stderr
    (draft,) = drafts
    budget = draft["budget"]
    assert (budget["total"], budget["fiscal"], budget["carried_over"]) == (500000, 450000, 50000)
    rows = [(r["level1"], r["level2"], r["target"]) for r in draft["indicators"]]
    assert rows == [
        ("决策", "项目立项", "充分"),
        ("决策", "绩效目标", "合理"),
        ("过程", "资金管理", "100%"),
        ("产出", "产出数量", "≥10个"),
        ("效益", "项目效益", "≥90%"),
    ]


# Transfer-payment target forms as document-sharing mirrors store them: every cell run into the
# next on one line. A fund's name ends in 专项资金 (also a group heading of other forms); the
# label asking for the department and its code; 资金额度 in 万; 补助项目/区域.
RUN_TOGETHER_FUND = (
    "附件2 2024年省级乡村振兴衔接专项资金(第一批)区域绩效目标表资金名称省级乡村振兴衔接专项资金"
    "(产业发展、基础设施)主管部门某县农业农村局资金额度120万总体目标支持产业发展,改善农村基础设施"
    "一级指标二级指标三级指标指标值产出指标数量指标支持产业项目数≥5个\n"
)
RUN_TOGETHER_CODE = (
    "附件2中央财政强制免疫补助资金绩效目标表(2025年度)项目名称强制免疫补助主管部门(单位)名称及"
    "部门预算编码215某市农业农村局补助项目/区域项目相关乡镇资金情况(万元)资金总额:20其中:财政拨款"
    ":20其他资金:总体目标:完成重大动物疫病强制免疫一级指标二级指标三级指标指标值产出指标数量指标"
    "免疫密度≥90%\n"
)


def test_run_together_transfer_forms(tmp_path: Path) -> None:
    path = tmp_path / "fund.txt"
    path.write_text(RUN_TOGETHER_FUND, encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "fund")
    # 专项资金 ends the fund's name here: the next cell is a field's label, not amounts.
    assert draft["name"] == "省级乡村振兴衔接专项资金(产业发展、基础设施)", stderr
    assert draft["department"] == "某县农业农村局"
    assert draft["budget"]["total"] == 1200000
    path = tmp_path / "code.txt"
    path.write_text(RUN_TOGETHER_CODE, encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "code")
    assert draft["department"] == "215某市农业农村局", stderr  # code as printed, one label
    assert {"label": "补助项目/区域", "value": "项目相关乡镇"} in draft["extra"]
    assert (draft["budget"]["total"], draft["budget"]["fiscal"]) == (200000, 200000)


# Guangdong's 2024 form, one cell per line: 用款单位 and no 实施单位, 实施期限 over 起始年度 /
# 到期年度, 预算金额 over 总金额 / 当年度金额, 总体绩效目标 over 当年度目标.
GUANGDONG_2024 = """\
项目名称
社区养老服务培训
主管部门
某市民政局
项目类型
延续性项目
项目等级
二级项目
用款单位
某市养老服务指导中心
实施期限
起始年度
2025
到期年度
2026
预算金额
总金额
30万元
当年度金额
20万元
项目概述
为社区养老服务人员开展技能培训。
总体绩效目标
当年度目标
完成养老护理员培训,提升社区养老服务水平。
绩效指标
一级指标
二级指标
三级指标
当年度指标值
产出指标
数量指标
培训人次
≥300人次
"""

# 东莞's approval form (批复表) as a pipe table: its money labels, a row of goal headings (one
# with its period in brackets) over a row of goals, 预期产出指标 as the 一级, a 二级 with a note
# inside (预算(或投资规模)控制指标).
DONGGUAN_APPROVAL = "\n".join(
    [
        "东莞市财政项目支出绩效目标批复表 |",
        "( 2020 年度) |",
        "预算单位:东莞市某某局 |",
        "项目名称 | 村级公共服务站点建设 | 中期市财政预算(万元) | 1200.00 | "
        "本年度申请市财政预算资金(万元) | 400.00 |",
        "总体目标 | 中期滚动目标(2020年--2022年) | 年度目标 |",
        "建成公共服务站点60个。 | 建成公共服务站点20个。 |",
        "绩效指标 | 一级 指标 | 二级 指标 | 三级 指标 | 指标值(或计划水平) |",
        "预期产出指标 | 数量指标 | 建成站点数 | 20个 |",
        "| 预算(或投资规模)控制指标 | 年度预算执行率 | ≥90% |",
        "效果指标 | 社会效益指标 | 群众办事便利度 | 提高 |",
    ]
)


def test_guangdong_2024_form_one_cell_per_line(tmp_path: Path) -> None:
    path = tmp_path / "gd.txt"
    path.write_text("\n\n".join(GUANGDONG_2024.splitlines()) + "\n", encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert draft["unit"] == "某市养老服务指导中心", stderr  # the 用款单位: no other unit printed
    assert str(draft["start"]) == "2025" and str(draft["end"]) == "2026"
    assert (draft["budget"]["total"], draft["budget"]["current_year"]) == (300000, 200000)
    assert draft["sections"]["annual_goal"] == "完成养老护理员培训,提升社区养老服务水平。"
    assert {"label": "项目等级", "value": "二级项目"} in draft["extra"]
    assert draft["indicators"] == [
        {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥300人次"}
    ]


def test_dongguan_approval_form(tmp_path: Path) -> None:
    path = tmp_path / "dg.txt"
    path.write_text(DONGGUAN_APPROVAL, encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert (draft["budget"]["total"], draft["budget"]["current_year"]) == (12000000, 4000000)
    assert draft["sections"]["midterm_goal"] == "建成公共服务站点60个。", stderr
    assert draft["sections"]["annual_goal"] == "建成公共服务站点20个。"
    rows = [(r["level1"], r["level2"], r["name"]) for r in draft["indicators"]]
    assert rows == [
        ("预期产出指标", "数量指标", "建成站点数"),
        ("预期产出指标", "预算(或投资规模)控制指标", "年度预算执行率"),
        ("效果指标", "社会效益指标", "群众办事便利度"),
    ]


# Hunan's form: a schedule grid under the overview, its own 开始时间 | 完成时间 headings over
# rows of tasks; and the same heading over the project's own two dates.
SCHEDULE_GRID = """\
项目名称
乡村道路养护
项目实施单位
某镇人民政府
项目概况
养护镇域内乡村道路。
项目实施进度计划
项目实施内容
开始时间
完成时间
路面修补
20243
20246
边沟清理
20247
202410
项目绩效目标
年度目标
完成乡村道路养护。
一级指标
二级指标
三级指标
指标值
产出指标
数量指标
养护里程
≥20公里
"""


def test_schedule_grid_is_not_the_projects_dates(tmp_path: Path) -> None:
    path = tmp_path / "grid.txt"
    path.write_text("\n\n".join(SCHEDULE_GRID.splitlines()) + "\n", encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "grid")
    assert "start" not in draft and "end" not in draft, stderr
    schedule = next(e for e in draft["extra"] if e["label"] == "项目实施进度计划")
    assert schedule["value"].split("\n") == [
        "项目实施内容 | 开始时间 | 完成时间",
        "路面修补 | 20243 | 20246",
        "边沟清理 | 20247 | 202410",
    ]
    assert draft["sections"]["annual_goal"] == "完成乡村道路养护。"
    # The heading over the project's own dates: those are its start and end.
    dated = SCHEDULE_GRID.replace(
        "项目实施内容\n开始时间\n完成时间\n路面修补\n20243\n20246\n边沟清理\n20247\n202410\n",
        "开始时间\n2024-03\n完成时间\n2024-10\n",
    )
    path.write_text("\n\n".join(dated.splitlines()) + "\n", encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "dated")
    assert (str(draft["start"]), str(draft["end"])) == ("2024-03", "2024-10"), stderr


DISTRICT_OFFICES = """\
专项资金绩效目标表(2021年度)
| 项目名称 | 农村饮水安全维修养护 |
| 市级财政部门 | 某市财政局 |
| 市级主管部门 | 某市水利局 |
| 区级财政部门 | 某区财政局 |
| 区级主管部门 | 某区水利局 |
| 资金总额(万元) | 80 |
| 年度目标 | 完成农村饮水工程维修养护。 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 维修养护工程处数 | ≥12处 |
"""


def test_district_office_is_the_unit_when_none_is_printed(tmp_path: Path) -> None:
    path = tmp_path / "offices.txt"
    path.write_text(DISTRICT_OFFICES, encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert draft["unit"] == "某区水利局", stderr  # the lowest office: no 实施单位 printed
    assert {"label": "区级财政部门", "value": "某区财政局"} in draft["extra"]
    assert {"label": "市级主管部门", "value": "某市水利局"} in draft["extra"]


# A sheet saved as one cell per line: the merged vertical heading 绩效指标 left only its first
# character, in a cell of its own between the year's goal and the table's headings.
HEADING_FRAGMENT = """\
项目名称 |
果园道路建设 |
主管部门 |
某县交通运输局 |
年度目标 |
建设果园道路2公里 |
绩 |
一级指标 |
二级指标 |
三级指标 |
指标值 |
产出指标 |
数量指标 |
建设里程 |
2公里 |
"""


def test_heading_fragment_is_not_part_of_the_goal(tmp_path: Path) -> None:
    path = tmp_path / "fragment.txt"
    path.write_text(HEADING_FRAGMENT, encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert draft["sections"]["annual_goal"] == "建设果园道路2公里", stderr
    assert draft["indicators"][0]["name"] == "建设里程"
    text = next((tmp_path / "drafts").rglob("*.yaml")).read_text(encoding="utf-8")
    assert re.search(r"#\s+第 7 行 / line 7: 绩\n", text)  # kept for the editor, outside


# Terms printed as a year alone: 项目期 of one year, 实施期限 over 起始年度 / 到期年度 years.
ONE_YEAR_TERM = """\
项目支出绩效目标表
| 项目名称 | 乡村道路养护 |
| 实施单位 | 某县交通运输局 |
| 主管部门 | 某县人民政府 |
| 项目期 | 2024年度 |
| 资金总额(万元) | 30 |
| 年度目标 | 完成乡村道路养护。 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 养护里程 | ≥20公里 |
"""

YEARS_TERM = """\
项目支出绩效目标表
| 项目名称 | 村级文化广场建设 |
| 实施单位 | 某县文化和旅游局 |
| 主管部门 | 某县人民政府 |
| 实施期限 | 起始年度 | 2024年 | 到期年度 | 2026年 |
| 资金总额(万元) | 90 |
| 年度目标 | 建成村级文化广场3处。 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 建成广场数 | =3处 |
"""


def test_terms_written_as_years_validate_and_build(tmp_path: Path) -> None:
    """A year is kept as a year: `2024年度` is the term, start and end 2024 in the downloads,
    never a made-up 2024-01-01; the drafts validate (exit 0) and build."""
    for name, text in (("one", ONE_YEAR_TERM), ("years", YEARS_TERM)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        status, stderr, _drafts = import_all(tmp_path / f"{name}.txt", tmp_path / "drafts" / name)
        assert status == 0, stderr
    one, years = (
        yaml.safe_load(next((tmp_path / "drafts" / n).rglob("*.yaml")).read_text("utf-8"))
        for n in ("one", "years")
    )
    assert one["period"] == "2024年度" and one["year"] == "2024"
    assert (years["start"], years["end"]) == ("2024年", "2026年")
    build_site(tmp_path / "site", data=tmp_path / "drafts")
    rows = {
        row["项目名称"]: (row["计划开始日期"], row["计划完成日期"])
        for row in csv.DictReader(
            io.StringIO((tmp_path / "site" / "downloads" / "projects.csv").read_text("utf-8-sig"))
        )
    }
    assert rows == {"乡村道路养护": ("2024", "2024"), "村级文化广场建设": ("2024", "2026")}
    pages = [p.read_text("utf-8") for p in (tmp_path / "site").rglob("index.html")]
    page = next(p for p in pages if "村级文化广场建设</h1>" in p)
    assert "2024年" in page and "2026年" in page and "2024-01-01" not in page
    one_page = next(p for p in pages if "乡村道路养护</h1>" in p)
    parsed = re.search(r'<span class="parsed">(.*?)</span>', one_page)
    assert parsed and parsed[1] == "（2024）", parsed  # one year, read once (not 2024 至 2024)


def test_a_one_year_term_beside_the_forms_own_end_date(tmp_path: Path) -> None:
    """项目期：2022年 and 完成时间 on one form: the dates are the fields (a project has either
    a term or dates), the term is kept as printed in `extra`, and the draft validates."""
    text = ONE_YEAR_TERM.replace(
        "| 项目期 | 2024年度 |", "| 项目期 | 2022年 |\n| 完成时间 | 2022-12-31 |"
    )
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    status, stderr, (draft,) = import_all(tmp_path / "t.txt", tmp_path / "drafts")
    assert status == 0, stderr
    assert "period" not in draft and draft["end"] == "2022-12-31"
    assert {"label": "项目期", "value": "2022年"} in draft["extra"]


# A transfer-payment form with one 主管部门 per level of government and no 实施单位.
OFFICE_LEVELS = """\
中央对地方转移支付区域绩效目标表(2023年度)
| 专项名称 | 农村公路养护补助资金 |
| 中央主管部门 | 交通运输部 |
| 省级财政部门 | 某省财政厅 |
| 省级主管部门 | 某省交通运输厅 |
| 市级主管部门 | {city} |
| 资金总额(万元) | 120 |
| 年度目标 | 完成农村公路养护。 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 养护里程 | ≥300公里 |
"""


def test_the_lowest_office_is_the_unit_when_it_names_one(tmp_path: Path) -> None:
    """One rule for every level: no unit printed, the lowest 主管部门 is the unit as printed
    (here 市级; 省级 and 中央 stay in extra; several offices named are the unit as printed) —
    unless its cell is the form's generic wording (`市(州、盟)交通运输部门`, the 县级 row of a
    provincial form): then the unit stays missing."""
    cases = {
        "named": "(330102)某市交通运输局",
        "several": "某市交通运输局、某市公路事业发展中心",
        "generic": "市(州、盟)交通运输部门",
    }
    drafts = {}
    for key, city in cases.items():
        (tmp_path / f"{key}.txt").write_text(OFFICE_LEVELS.format(city=city), encoding="utf-8")
        status, stderr, (draft,) = import_all(tmp_path / f"{key}.txt", tmp_path / key)
        drafts[key] = (status, stderr, draft)
    _status, stderr, named = drafts["named"]
    assert (named["unit"], named["unit_code"]) == ("某市交通运输局", "330102"), stderr
    assert {"label": "省级主管部门", "value": "某省交通运输厅"} in named["extra"]
    assert not any(e["label"] == "市级主管部门" for e in named["extra"])
    assert drafts["several"][2]["unit"] == cases["several"]
    status, stderr, generic = drafts["generic"]
    assert status == 3 and "缺少 missing: unit" in stderr and "unit" not in generic
    assert {"label": "市级主管部门", "value": cases["generic"]} in generic["extra"]


# A 专项转移支付绩效目标表 with one target column per county (the 区域 list names them), its
# cells run together as a mirror site stores it (the layout of corpus source 088; counties,
# names and values written for the test). 3142 under four columns is one digit each; 100% and
# >=90% are printed four times; 1203045060 and >=85% printed three times have no certain cut.
WIDE_RUN_TOGETHER = (
    "附件2\n"
    "专项转移支付绩效目标表(2024年度)部门(单位)名称某市农业农村局部门预算编码410002"
    "项目名称农机购置补助区域甲川县、乙河县、丙山区、丁水市资金情况(万元)资金总额:40"
    "其中:财政拨款40其他资金总体目标为推进农业机械化,提升农机装备水平,"
    "绩效指标一级指标二级指标三级指标指标解释区域目标值甲川县乙河县丙山区丁水市"
    "产出指标数量指标补助乡镇数量反映补助乡镇数量情况3142补助农户数量反映补助农户数量情况1203045060"
    "质量指标补助资金发放准确率反映补助资金发放准确情况100%100%100%100%"
    "时效指标资金拨付及时率反映资金拨付及时情况>=90%>=90%>=90%>=90%"
    "效益指标满意度指标农户满意度反映农户满意程度>=85%>=85%>=85%\n"
)


def test_a_wide_table_whose_values_ran_together_is_cut_only_where_certain(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_text(WIDE_RUN_TOGETHER, encoding="utf-8")
    code, err, drafts = import_all(path, tmp_path / "out")
    assert code == 3, err  # the unit is not printed; the uncut rows are listed
    assert len(drafts) == 4, err
    by_county = {}
    for draft in drafts:
        county = re.search(r"（(.+)）$", draft["name"]).group(1)
        by_county[county] = {i["name"]: i.get("target") for i in draft["indicators"]}
    assert sorted(by_county) == ["丁水市", "丙山区", "乙河县", "甲川县"]
    assert [by_county[c]["补助乡镇数量"] for c in ("甲川县", "乙河县", "丙山区", "丁水市")] == [
        "3",
        "1",
        "4",
        "2",
    ]
    for targets in by_county.values():
        assert targets["补助资金发放准确率"] == "100%"
        assert targets["资金拨付及时率"] == ">=90%"
        # no certain cut: no column is given a guessed value
        assert targets["补助农户数量"] is None
        assert targets["农户满意度"] is None
    rows = {i["name"]: i for i in drafts[0]["indicators"]}
    assert rows["补助农户数量"]["explanation"].endswith("1203045060")  # kept as printed
    assert rows["补助乡镇数量"]["explanation"] == "反映补助乡镇数量情况"
    listed = "wide.txt:2: 宽表各栏没有读到目标值，原文：补助农户数量 反映补助农户数量情况1203045060"
    assert listed in err
    assert "农户满意度 反映农户满意程度>=85%>=85%>=85%" in err


# The national form's twin indicator halves printed with no 中期/年度 word over them: the
# heading row holds 二级 | 三级 | 指标值 twice, each row the 中期 values then the 年度 ones (the
# goals above say which comes first: 中期目标 | 年度目标). One indicator per row, the 年度 target
# kept, a 中期 value that differs listed with its half — not a row per cell, targets as names.
# Laid out as web pages flatten it: each cell on its lines, its closing `|` on the line after,
# the 一级 heading wrapped in its cell (`一级` / `指标`), the 一级 label printed vertically.
TWIN_HALVES_CELLS = """\
项目支出绩效目标表
|
(2024年度)
|
|
项目名称
|
乡村道路养护
|
|
实施单位
|
某县交通运输局
|
|
总体目标
|
中期目标(2024年—2026年)
|
年度目标
|
|
三年内养护乡村道路300公里
|
年内养护乡村道路100公里
|
|
一级
指标
|
二级指标
|
三级指标
|
指标值
|
二级指标
|
三级指标
|
指标值
|
|
产
出
指
标
|
数量指标
|
养护里程
|
≥300公里
|
数量指标
|
养护里程
|
≥100公里
|
|
质量指标
|
路面完好率
|
≥90%
|
质量指标
|
路面完好率
|
≥90%
|
|
满意度指标
|
服务对象满意度指标
|
群众满意度
|
≥85%
|
服务对象满意度指标
|
群众满意度
|
≥85%
|
|
"""
TWIN_HALVES_ROWS = """\
项目支出绩效目标表
(2024年度)
| 项目名称 | 乡村道路养护 |
| 实施单位 | 某县交通运输局 |
| 中期目标 | 三年内养护乡村道路300公里 | 年度目标 | 年内养护乡村道路100公里 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 养护里程 | ≥300公里 | 数量指标 | 养护里程 | ≥100公里 |
| 质量指标 | 路面完好率 | ≥90% | 质量指标 | 路面完好率 | ≥90% |
| 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥85% | 服务对象满意度指标 | 群众满意度 | ≥85% |
"""


def test_twin_indicator_halves_without_a_heading_over_them(tmp_path: Path) -> None:
    for i, table in enumerate((TWIN_HALVES_CELLS, TWIN_HALVES_ROWS)):
        path = tmp_path / f"twin{i}.txt"
        path.write_text(table, encoding="utf-8")
        _status, stderr, (draft,) = import_all(path, tmp_path / f"drafts{i}")
        text = next((tmp_path / f"drafts{i}").rglob("*.yaml")).read_text(encoding="utf-8")
        rows = [
            (r.get("level1"), r.get("level2"), r.get("name"), r.get("target"))
            for r in draft["indicators"]
        ]
        assert rows == [
            ("产出指标", "数量指标", "养护里程", "≥100公里"),
            ("产出指标", "质量指标", "路面完好率", "≥90%"),
            ("满意度指标", "服务对象满意度指标", "群众满意度", "≥85%"),
        ], (i, stderr)
        # The 中期 half's target that differs is shown, with its half, not dropped.
        unplaced = text.split("\nform:")[0]
        assert re.search(r"长期/中期栏 target: ≥300公里", unplaced), (i, unplaced)


# A cover printed before the form (编报单位(印章)：…, 编报时间：…, a signature line left blank),
# the form naming its unit without the place (区文旅局); and the last 二级 label, a merged cell
# wrapped around its one row, flattened half before the row's cells and half after them.
COVER_THEN_FORM = """\
某区部门专项(绩效目标)申报表2022年度

申 报 项 目 名 称:全民健身赛事经费

编报单位(印章) :湖北省某市某某区文化和旅游局

部门负责人(签字):

编   报   时   间    :  2022年2月10日

(2022年度)

项目名称

全民健身赛事经费

实施单位

区文旅局

总体目标

年度目标

举办全民健身赛事12场。

一级指标

二级指标

指标内容

指标值

产出指标

数量指标

举办赛事场次

12场

效益指标

社会效益指标

参与群众人次

≥5000人次

满意度指标

社会公众或服务

参赛群众满意度

≥90%

对象满意度指标
"""


def test_cover_before_the_form_and_a_level_label_around_its_row(tmp_path: Path) -> None:
    path = tmp_path / "cover.txt"
    path.write_text(COVER_THEN_FORM, encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    text = next((tmp_path / "drafts").rglob("*.yaml")).read_text(encoding="utf-8")
    assert draft["unit"] == "区文旅局", stderr
    # the cover names the unit in full: its place is the unit's region
    assert draft["region"] == "湖北省某市某某区"
    assert {"label": "编报单位(印章)", "value": "湖北省某市某某区文化和旅游局"} in draft["extra"]
    assert {"label": "编报时间", "value": "2022年2月10日"} in draft["extra"]
    assert "部门负责人" not in text.split("\nform:")[0]  # a blank signature line: not unplaced
    rows = [
        (r.get("level1"), r.get("level2"), r.get("name"), r.get("target"))
        for r in draft["indicators"]
    ]
    assert rows[-1] == ("满意度指标", "社会公众或服务对象满意度指标", "参赛群众满意度", "≥90%"), (
        rows
    )
    assert len(rows) == 3


# The same cover where the form prints no unit at all: the unit that drew the form up is it.
COVER_NO_UNIT = """\
项目支出绩效目标表
填报单位(盖章):某县畜牧兽医水产局
| 项目名称 | 动物疫病防控 |
| 资金总额(万元) | 50 |
| 年度目标 | 重大动物疫病不发生 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 免疫数量 | ≥10万头 |
"""


def test_cover_unit_is_the_unit_when_the_form_names_none(tmp_path: Path) -> None:
    path = tmp_path / "cover.txt"
    path.write_text(COVER_NO_UNIT, encoding="utf-8")
    _status, stderr, (draft,) = import_all(path, tmp_path / "drafts")
    assert draft["unit"] == "某县畜牧兽医水产局", stderr
    assert not any(str(e.get("label", "")).startswith("填报单位") for e in draft.get("extra", []))


# A notice that hands out a fund, its allocation table (whose heading row has a 项目名称
# column), then the target form under its own title — cut by the page after the form's first
# label. What the form states is a draft (the name, the year of the title, the page's date);
# what it lacks is named (缺少 …, no indicator table), never "no table found".
NOTICE_ALLOCATION_CUT_FORM = """\
关于下达2024年农村公路养护补助资金的通知
发布时间:2024-03-05 10:20
各乡镇人民政府:
  根据上级文件精神,现下达2024年农村公路养护补助资金30万元(详见附件1),请严格按照规定使用,做好绩效管理。
  附件:1.2024年农村公路养护补助资金分配表
        2.2024年农村公路养护补助资金绩效目标表
                                某县交通运输局   某县财政局
                                        2024年3月1日
附件1
2024年农村公路养护补助资金分配表
序号 乡镇 项目名称 补助金额(万元)
1 东镇 东镇公路养护 10
2 西镇 西镇公路养护 20
合计   30
附件2
2024年农村公路养护补助资金绩效目标表
项目名称 2024年农村公路养护补助资金
"""
NOTICE_ALLOCATION_CUT_FORM_CELLS = """\
关于下达2024年农村公路养护补助资金的通知
各乡镇人民政府:根据上级文件精神,现下达2024年农村公路养护补助资金30万元(详见附件1),请严格按照规定使用。
附件1
2024年农村公路养护补助资金分配表
序号 |
乡镇 |
补助资金(万元) |
1 |
东镇 |
10 |
2 |
西镇 |
20 |
合计 |
30 |
|
附件2
2024年农村公路养护补助资金绩效目标表
项目名称 |
2024年农村公路养护补助资金 |
"""


def test_form_cut_after_its_first_label_is_a_draft_of_what_it_states(tmp_path: Path) -> None:
    for i, page in enumerate((NOTICE_ALLOCATION_CUT_FORM, NOTICE_ALLOCATION_CUT_FORM_CELLS)):
        path = tmp_path / f"notice{i}.txt"
        path.write_text(page, encoding="utf-8")
        status, stderr, drafts = import_all(path, tmp_path / f"drafts{i}")
        assert status == 3, (i, stderr)  # a draft with gaps, not 1 (no table found)
        assert "没有找到" not in stderr
        (draft,) = drafts  # the allocation table is no project of its own
        assert draft["name"] == "2024年农村公路养护补助资金", (i, stderr)
        assert draft["year"] == "2024"
        # what the form does not state is named, in the draft and on the terminal
        assert "缺少 missing: unit" in stderr
        assert "indicators" in stderr and "指标" in stderr
        text = next((tmp_path / f"drafts{i}").rglob("*.yaml")).read_text(encoding="utf-8")
        assert "缺少 missing: unit" in text.split("\nform:")[0]
    assert "published" in yaml.safe_load(
        next((tmp_path / "drafts0").rglob("*.yaml")).read_text(encoding="utf-8")
    )
