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
