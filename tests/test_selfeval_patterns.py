"""Self-evaluation import: patterns found in held-out real tables (tests/corpus_selfeval/), each
tested on a short text written for it in that layout (constructed, not a published table), so
that the rule is tested and not the one table it was found in."""

from __future__ import annotations

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
