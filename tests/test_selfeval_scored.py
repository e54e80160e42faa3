"""Self-evaluation import: a scored county form (湖北's 财政预算支出项目绩效目标自评表, the
layout of tests/corpus_selfeval s14) as a PDF's text in drawing order. Two patterns: a level
label drawn in the middle of its rows (a row's name, then the label with its points, then the
row's values), and cells wrapped piece by piece (a value's unit and the name's second half drawn
with the next line's cells). Each test uses a table written for it in that layout (constructed,
not a published table: other names, points and values than s14)."""

from __future__ import annotations

from pathlib import Path

import yaml
from support import run_cli

from plugins.disclosures.importer.selfeval import is_selfeval, parse_selfeval
from plugins.disclosures.importer.source import from_source

HEAD = (
    "测试县财政预算支出项目绩效目标自评表 填报日期:2023 年 3 月 1 日 项目名称 "
    "农村饮水维修项目 项目实施单位 测试县水利局 自评总分: 91 "
)
# 项目决策 (3 分) spans two rows, its label drawn before them; 项目管理 (12 分) spans two rows,
# its label drawn inside the first one, between its name and its values.
SCORED = (
    "项目权重 评价内容 分值 自评分 项目决策 3 分 立项依据 1 1 复核分 评价标准及依据 "
    "有立项文件计 1 分。 目标设定 2 2 目标明确计 2 分。 资金管理 项目管理 12 分 5 4 "
    "资金使用合规计 5 分,违规扣 1 分。 制度执行 7 6 有制度计 4 分;执行到位计 3 分。 — 1 — "
)
# The indicator part: its heading cut piece by piece; the first row's name and values wrapped
# (新建供水 … 管网 / 12 公 … 里), its 数量指标 label wrapped too (数量指 … 标 10 分).
INDICATORS = (
    "一级 指标 二级 指标名称 年初指 年终完 自评 复核 评价标准 指标 (三级指标) 标值 成值 分 分 "
    "新建供水 12 公 11 公 9 按完成比例计分, 管网长度 里 里 数量指 未完成扣分。 标 10 分 "
    "饮水达标率 ≥95% 96% 10 质量指 达标计满分。 标 10 分 产出 指标 20 分 项目 绩效 85 分\n"
)
TEXT = HEAD + SCORED + INDICATORS


def rows(text: str) -> list[tuple[str, ...]]:
    result = parse_selfeval(from_source(text))
    return [
        (r.level1, r.level2, r.name, r.target, r.actual, r.points, r.score) for r in result.rows
    ]


def test_a_self_score_beside_the_points_is_a_self_evaluation() -> None:
    assert is_selfeval(TEXT)  # no 实际完成值 heading survives the drawing order


def test_level_labels_drawn_amid_their_rows_are_given_by_the_rows_points() -> None:
    result = parse_selfeval(from_source(TEXT))
    assert rows(TEXT)[:4] == [
        ("项目决策", "", "立项依据", "", "", "1", "1"),
        ("项目决策", "", "目标设定", "", "", "2", "2"),
        ("项目管理", "", "资金管理", "", "", "5", "4"),
        ("项目管理", "", "制度执行", "", "", "7", "6"),
    ]
    assert result.total == "91"
    listed = " ".join(text for _, text in result.unplaced)
    assert "有立项文件计" in listed and "执行到位计 3 分。" in listed  # the criteria: listed


def test_levels_whose_points_do_not_add_up_are_left_blank_and_listed() -> None:
    """项目管理 printed as 11 分 while its rows carry 5 + 7: which row is outside it cannot be
    told, so no row gets a level from the points and both labels are listed."""
    text = TEXT.replace("项目管理 12 分", "项目管理 11 分")
    result = parse_selfeval(from_source(text))
    assert [r.level1 for r in result.rows[:4]] == ["", "", "", ""]
    listed = " ".join(text for _, text in result.unplaced)
    assert "项目管理 11 分" in listed and "项目决策 3 分" in listed


def test_a_label_drawn_outside_its_block_gives_no_level() -> None:
    """The same points, but 项目管理's label drawn inside 项目决策's rows: not its block."""
    text = TEXT.replace("目标设定 2 2", "目标设定 项目管理 12 分 2 2").replace(
        "资金管理 项目管理 12 分 5 4", "资金管理 5 4"
    )
    assert [r[0] for r in rows(text)[:4]] == ["", "", "", ""]


def test_cells_wrapped_piece_by_piece_are_joined_and_levels_by_where_they_are_drawn() -> None:
    result = rows(TEXT)
    assert result[4:] == [
        ("产出指标", "数量指标", "新建供水管网长度", "12公里", "11公里", "", "9"),
        ("产出指标", "质量指标", "饮水达标率", "≥95%", "96%", "", "10"),
    ]


def test_a_part_label_that_is_no_level_is_listed() -> None:
    result = parse_selfeval(from_source(TEXT))
    listed = " ".join(text for _, text in result.unplaced)
    assert "项目 绩效 85 分" in listed


def test_import_writes_the_scored_rows_and_the_results(tmp_path: Path) -> None:
    source = tmp_path / "hubei.txt"
    source.write_text(TEXT, encoding="utf-8")
    run = run_cli("import", str(source), "--out", str(tmp_path / "data"))
    assert run.returncode == 3, run.stderr  # the criteria text is listed
    [written] = (tmp_path / "data").rglob("*.yaml")
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    names = [row["name"] for row in data["selfeval"]["indicators"]]
    assert names == [
        "立项依据",
        "目标设定",
        "资金管理",
        "制度执行",
        "新建供水管网长度",
        "饮水达标率",
    ]
    assert data["selfeval"]["total"] == "91"
    assert data["indicators"][4]["target"] == "12公里"


def test_a_wrapped_label_beside_a_label_is_no_value() -> None:
    """项目名称's value drawn elsewhere and the next label wrapped (项目主管单 … 位): the name is
    left blank (the validator asks for it), not given the label's first line."""
    text = TEXT.replace(
        "项目名称 农村饮水维修项目 项目实施单位", "项目名称 项目主管单 位 项目实施单位"
    )
    assert parse_selfeval(from_source(text)).name == ""


# The header's funds by source, as s14 draws them: the headings 中央 … 其他 合计 执行数 执行率 (the
# rate's heading cut around the units), then amounts and the rate apart from them (a later
# amount and the rate after the sign-off line), and a figure inside the goal text (12 公里).
FUNDS_HEAD = (
    "测试县财政预算支出项目绩效目标自评表 填报日期:2023 年 3 月 1 项目名称 农村饮水维修项目 "
    "项目实施单位 测试县水利局 自评总分: 91 中央 省、地 本级 其他 合计 执行数 执行 (万元) "
    "(万元) (万元) (万元) (万元) (万元) 率 80 120 来源 项目年度目 标 单位领导审签: 项目资金 "
    "日 40 114 95 % 1.新建供水管网 12 公里; 2. "
)


def test_funds_by_source_are_read_where_the_arithmetic_leaves_one_total() -> None:
    """Amounts 80, 120, 40 and 114 with a rate of 95 % under 中央 … 其他 | 合计 | 执行数 | 执行率:
    only 合计 120 (= 80 + 40) and 执行数 114 (114 / 120 = 95 %) fit, whatever the drawing order;
    the sources' amounts (80, 40) are listed, their columns not guessed. A figure in the goal
    text (12 公里) is no amount. The date's pieces (2023 年 3 月 1) are one value."""
    result = parse_selfeval(from_source(FUNDS_HEAD + SCORED + INDICATORS))
    assert {k: v for k, v in result.funds.items() if k != "lines"} == {
        "budget": "120",
        "executed": "114",
        "rate": "95%",
    }
    assert result.funds_unit == "万元"
    listed = " ".join(text for _, text in result.unplaced)
    assert "80" in listed and "40" in listed and "来源" in listed, listed
    assert {"label": "填报日期", "value": "2023年3月1"} in result.extra


def test_funds_by_source_that_no_reading_fits_are_listed_not_placed() -> None:
    """The sources add up to 合计 and 执行数 / 合计 is the rate: with all amounts placed,
    合计 = (their sum − 执行数) / 2, one value for a rate, so at most one reading fits. With a
    rate of 80 % none does, nor with 80 120 30 114 at 95 % (the rate fits 114 / 120, the sum
    does not): no funds are written, the amounts and the rate are listed."""
    for after, shown in (("40 108 80 %", "80 %"), ("30 114 95 %", "30")):
        # 80 %: no 执行数 / 合计 is the rate; 30: 114 / 120 is 95 %, but 80 + 30 ≠ 120
        text = FUNDS_HEAD.replace("40 114 95 %", after)
        result = parse_selfeval(from_source(text + SCORED + INDICATORS))
        assert not {k: v for k, v in result.funds.items() if k != "lines"}, after
        listed = " ".join(text for _, text in result.unplaced)
        assert shown in listed and "对不上唯一的读法" in listed, listed
