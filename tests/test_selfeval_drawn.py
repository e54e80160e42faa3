"""Self-evaluation import: a PDF's text in drawing order (tests/corpus_selfeval s13's layout),
where the value cells of the indicator rows come together, row after row, and the level labels
and names come apart from them, a wrapped name's last characters after the values. Each test
uses a table written for it in that layout (constructed, not a published table)."""

from __future__ import annotations

from plugins.disclosures.importer.selfeval import parse_selfeval
from plugins.disclosures.importer.source import from_source

HEAD = (
    "项目支出绩效自评表\n(2023年度)\n"
    "项目名称 测试河道保洁经费 主管部门 测试县水务局 实施单位 测试县河道管理所 项目资金 (万元) "
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额 40 40 38 10 95% 9.5 "
    "预期目标 完成河道保洁。 实际完成情况 已完成河道保洁。 "
)
# The table's cells as a PDF draws them: headings and the first name's first line, then the
# five rows' values (年度指标值 实际完成值 分值 得分) and the total's, then the rest of the labels
# and names top to bottom, with the wrapped names' last characters (度, 率) apart.
DRAWN = HEAD + (
    "一级指标 二级指标 数量指标 三级指标 保洁河道长 年度 指标值 实际 完成值 分值 得分 "
    "≥12公里 12公里 20 20 ≥95% 93% 20 18 及时 及时 10 10 ≥90% 96% 20 20 ≥85% 90% 20 20 "
    "100 97.5 度 产出指标 质量指标 绩 效 指 标 时效指标 效益指标 生态效益指标 保洁合格率 "
    "保洁完成及时性 河面漂浮物清除 率 满意度指标 服务对象满意度指标 沿河群众满意度 总分 "
    "偏差原因分析及 改进措施\n"
)


def rows(text: str) -> list[tuple[str, ...]]:
    result = parse_selfeval(from_source(text))
    return [
        (r.level1, r.level2, r.name, r.target, r.actual, r.points, r.score) for r in result.rows
    ]


def test_value_rows_drawn_apart_from_their_names_are_paired_in_order() -> None:
    result = parse_selfeval(from_source(DRAWN))
    assert rows(DRAWN) == [
        ("产出指标", "数量指标", "保洁河道长度", "≥12公里", "12公里", "20", "20"),
        ("产出指标", "质量指标", "保洁合格率", "≥95%", "93%", "20", "18"),
        ("产出指标", "时效指标", "保洁完成及时性", "及时", "及时", "10", "10"),
        ("效益指标", "生态效益指标", "河面漂浮物清除率", "≥90%", "96%", "20", "20"),
        ("满意度指标", "服务对象满意度指标", "沿河群众满意度", "≥85%", "90%", "20", "20"),
    ]
    assert result.total == "97.5"
    assert all(r.line == 3 for r in result.rows)  # the source's line, not the rebuilt table's


def test_names_that_do_not_pair_one_to_one_with_the_value_rows_are_listed_not_guessed() -> None:
    """Four names for five value rows (one name lost): which row lost it cannot be told, so no
    row is written and the values and names are listed with their line."""
    text = DRAWN.replace("保洁合格率 ", "")
    result = parse_selfeval(from_source(text))
    assert result.rows == []
    listed = " ".join(text for _, text in result.unplaced)
    for value in ("≥12公里", "≥95% 93% 20 18", "保洁河道长度", "沿河群众满意度"):
        assert value in listed
    assert all(line == 3 for line, _ in result.unplaced if "沿河群众满意度" in _)


# The header, funds block and goals as the same PDF draws them: a wrapped name and unit before
# their labels, the total's and the first line's values before their labels, the rate (a cell
# merged over both rows) drawn among the goals' labels, the 预期目标 cell blank.
DRAWN_HEAD = (
    "项目支出绩效自评表 (2023 年度) 测试河道保洁与巡查 经费 项目名称 主管部门 测试县水务局 "
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分 40 40 38 10 9.5 40 40 38 — "
    "上年结转资金 0 0 — 其他资金 0 0 — 年度资金总额 项目资金 (万元) 测试县河道 管理所 实施单位 "
    "其中:当年财政拨款 预期目标 年度 总体 目标 95% 实际完成情况 已完成河道保洁。 "
)


def test_header_funds_and_goals_drawn_before_their_labels_are_put_back_beside_them() -> None:
    text = DRAWN.replace(HEAD, DRAWN_HEAD)
    result = parse_selfeval(from_source(text))
    assert (result.name, result.department, result.unit) == (
        "测试河道保洁与巡查经费",
        "测试县水务局",
        "测试县河道管理所",
    )
    assert result.funds_unit == "万元"
    funds = {k: v for k, v in result.funds.items() if k != "lines"}
    assert funds == {
        "initial": "40",
        "budget": "40",
        "executed": "38",
        "points": "10",
        "rate": "95%",
        "score": "9.5",
    }
    lines = result.funds["lines"]
    assert lines[0] == {
        "label": "其中:当年财政拨款",
        "initial": "40",
        "budget": "40",
        "executed": "38",
    }
    assert [line["label"] for line in lines[1:]] == ["上年结转资金", "其他资金"]
    assert (result.expected, result.achieved) == ("", "已完成河道保洁。")
    assert result.total == "97.5"
    assert result.tail == {}  # 改进措施 drawn after the total is the heading's, not the tail's
    assert len(result.rows) == 5


def test_a_rate_drawn_apart_that_is_not_the_totals_execution_rate_is_not_moved() -> None:
    text = DRAWN.replace(HEAD, DRAWN_HEAD.replace(" 95% ", " 80% "))
    result = parse_selfeval(from_source(text))
    assert "rate" not in result.funds
    assert result.funds["executed"] == "38"


def test_a_long_run_of_value_cells_is_searched_once_not_from_every_cell(monkeypatch) -> None:
    """Hostile or huge text (3,000 rows of bare numbers): the run of value rows is found in one
    pass over the cells (the row shape tried once per cell), not restarted from every cell (that
    took 179 s for this text: quadratic). Counted, not timed."""
    from plugins.disclosures.importer import selfeval_drawn

    calls = 0
    row_at = selfeval_drawn._row_at

    def counted(*args):
        nonlocal calls
        calls += 1
        return row_at(*args)

    monkeypatch.setattr(selfeval_drawn, "_row_at", counted)
    cells = 4 * 3000
    text = " ".join(["一级指标", *["10 10 10 10"] * 3000, "总分"])
    result = parse_selfeval(from_source(text))
    assert calls <= cells + 1
    assert result.rows == []  # 3,000 value rows and no names: listed, not paired
    assert any("10 10 10 10" in text for _, text in result.unplaced)
