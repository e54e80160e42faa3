"""Self-evaluation results (issue 14): the format's checks with their exact messages, and the
status of each indicator on every operator. Checks run through the real `disclosures validate`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from support import run_cli

from plugins.disclosures.results.status import MET, NOT_MET, UNKNOWN, derive_status, parse_range
from plugins.disclosures.targets import parse_target

HEAD = """\
form: national
year: "2021"
name: 测试项目
unit: 测试单位
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 建设数量
    target: "≥2个"
  - level1: 产出指标
    level2: 质量指标
    name: 验收合格率
    target: "=100%"
  - level1: 满意度指标
    level2: 服务对象满意度指标
    name: 群众满意度
    target: "≥90%"
"""

# A consistent self-evaluation: 10 + 40 + 30 + 20 = 100 points, scores add to the total.
CLEAN = """\
selfeval:
  funds:
    initial: "100"
    budget: "100"
    executed: "86.19"
    points: "10"
    rate: "86.19%"
    score: "8.62"
  indicators:
    - level1: 产出指标(70分)
      level2: 数量指标
      name: 建设数量
      actual: 3个
      points: "40"
      score: "40"
    - level1: 产出指标(70分)
      level2: 质量指标
      name: 验收合格率
      actual: "100%"
      points: "30"
      score: "30"
    - level1: 满意度指标
      level2: 服务对象满意度指标
      name: 群众满意度
      actual: "85%"
      points: "20"
      score: "18.89"
      reason: 部分群众对工期不满意
  total: "97.51"
  grade: 优
"""


def validate(tmp_path: Path, text: str) -> tuple[int, list[str]]:
    path = tmp_path / "2021" / "p.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path))
    return result.returncode, result.stdout.splitlines()


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing `marker`."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    return hits[occurrence - 1]


def where(tmp_path: Path, text: str, marker: str, column: int, occurrence: int = 1) -> str:
    return f"{tmp_path / '2021' / 'p.yaml'}:{line_of(text, marker, occurrence)}:{column}"


def test_clean_self_evaluation_has_no_problem(tmp_path):
    code, lines = validate(tmp_path, HEAD + CLEAN)
    assert code == 0 and lines == [], lines


def test_result_with_no_target_row_is_an_error_with_a_hint(tmp_path):
    text = HEAD + CLEAN.replace("name: 验收合格率", "name: 验收合格", 1)
    code, lines = validate(tmp_path, text)
    assert code == 1
    assert (
        f"{where(tmp_path, text, 'name: 验收合格', 13, 2)}: selfeval.indicators[1].name: "
        "目标表中没有指标“验收合格”，是不是“验收合格率”？（自评结果须对应目标表的一行；"
        "目标表确实没有这一行时，请照录自评表的年度指标值 target） / no target row named "
        "'验收合格'; did you mean '验收合格率'? (a result answers a row of the target table; "
        "if the table lacks it, write the printed target)"
    ) in lines


def test_result_the_target_table_lacks_is_published_with_its_printed_target(tmp_path):
    text = HEAD + CLEAN.replace(
        "name: 验收合格率\n      actual", 'name: 资料归档率\n      target: "100%"\n      actual'
    )
    code, lines = validate(tmp_path, text)
    assert code == 0
    assert (
        f"{where(tmp_path, text, 'name: 资料归档率', 13)}: selfeval.indicators[1].name: "
        "警告 warning: 目标表中没有指标“资料归档率”；按自评表印出的年度指标值发布 / the target "
        "table has no indicator '资料归档率'; published with the target the self-evaluation prints"
    ) in lines
    # … and the target row it left unanswered is reported at that row
    assert (
        f"{where(tmp_path, text, '- level1: 产出指标', 5, 2)}: indicators[1]: 警告 warning: "
        "目标表的指标“验收合格率”在自评表中没有结果 / target row '验收合格率' has no result in "
        "the self-evaluation"
    ) in lines


def test_two_results_for_one_target_row_is_an_error(tmp_path):
    text = HEAD + CLEAN.replace("name: 群众满意度\n      actual", "name: 验收合格率\n      actual")
    code, lines = validate(tmp_path, text)
    assert code == 1
    assert (
        f"{where(tmp_path, text, 'name: 验收合格率', 13, 3)}: selfeval.indicators[2].name: "
        "目标表的指标“验收合格率”已由自评表第 2 行回答 / target row '验收合格率' is already "
        "answered by result 2"
    ) in lines


def test_score_above_points(tmp_path):
    text = HEAD + CLEAN.replace('score: "30"', 'score: "31"').replace("97.51", "98.51")
    code, lines = validate(tmp_path, text)
    assert code == 0
    at = where(tmp_path, text, 'score: "31"', 14)
    assert lines == [
        f"{at}: selfeval.indicators[1].score: "
        "警告 warning: 得分 31 高于分值 30 / score 31 is above its points 30"
    ]


def test_points_not_adding_up_to_100(tmp_path):
    text = HEAD + CLEAN.replace('points: "20"', 'points: "30"')
    code, lines = validate(tmp_path, text)
    assert code == 0
    assert lines == [
        f"{where(tmp_path, text, 'indicators:', 3, 2)}: selfeval.indicators: 警告 warning: "
        "分值合计 110，不是 100 / the points add up to 110, not 100"
    ]


def test_scores_not_adding_up_to_the_printed_total(tmp_path):
    text = HEAD + CLEAN.replace('total: "97.51"', 'total: "99"')
    code, lines = validate(tmp_path, text)
    assert lines == [
        f"{where(tmp_path, text, 'total:', 10)}: selfeval.total: 警告 warning: "
        "各项得分合计 97.51，与总分 99 不符 / the scores add up to 97.51, not the total 99"
    ]


def test_execution_score_not_points_times_rate(tmp_path):
    text = HEAD + CLEAN.replace('score: "8.62"', 'score: "9.5"').replace("97.51", "98.39")
    code, lines = validate(tmp_path, text)
    at = where(tmp_path, text, 'score: "9.5"', 12)
    assert lines == [
        f"{at}: selfeval.funds.score: 警告 warning: "
        "预算执行率得分 9.5 与 分值×min(B/A,1) = 10×86.19% = 8.62 不符 / execution score 9.5 "
        "is not points × min(B/A, 1) = 8.62"
    ]


def test_execution_score_within_rounding_is_accepted(tmp_path):
    # 10 × 86.19 % = 8.619: printed 8.6 (one decimal) is within its rounding.
    text = HEAD + CLEAN.replace('score: "8.62"', 'score: "8.6"').replace("97.51", "97.49")
    assert validate(tmp_path, text) == (0, [])


def test_execution_rate_not_b_over_a(tmp_path):
    text = HEAD + CLEAN.replace('rate: "86.19%"', 'rate: "88%"')
    code, lines = validate(tmp_path, text)
    assert lines == [
        f"{where(tmp_path, text, 'rate:', 11)}: selfeval.funds.rate: 警告 warning: "
        "执行率 88% 与 B/A = 86.19/100 = 86.19% 不符 / execution rate 88% is not B/A = 86.19%"
    ]


def test_funds_lines_not_adding_up_to_the_total(tmp_path):
    # As printed by 池州市贵池区棠溪镇 (2022): 年度资金总额 0 beside 当年财政拨款 90.
    text = HEAD + CLEAN.replace(
        '    score: "8.62"\n',
        '    score: "8.62"\n    lines:\n      - label: 其中：当年财政拨款\n        budget: "90"\n',
    )
    code, lines = validate(tmp_path, text)
    at = where(tmp_path, text, 'budget: "100"', 13)
    assert lines == [
        f"{at}: selfeval.funds.budget: 警告 warning: "
        "资金明细的全年预算数合计 90 与年度资金总额 100 不符 / the lines' budget add up to 90, "
        "not the total 100"
    ]


def test_grade_that_does_not_follow_from_the_total(tmp_path):
    text = HEAD + CLEAN.replace("grade: 优", "grade: 良")
    code, lines = validate(tmp_path, text)
    assert lines == [
        f"{where(tmp_path, text, 'grade:', 10)}: selfeval.grade: 警告 warning: "
        "等级“良”与总分 97.51 不符（优 ≥ 90，良 80–90，中 60–80，差 < 60：应为“优”） / "
        "grade '良' does not follow from the total 97.51 (expected '优')"
    ]


def test_repeated_target_that_differs(tmp_path):
    text = HEAD + CLEAN.replace(
        "name: 群众满意度\n      actual", 'name: 群众满意度\n      target: "≥95%"\n      actual'
    )
    code, lines = validate(tmp_path, text)
    at = where(tmp_path, text, 'target: "≥95%"', 15)
    assert lines == [
        f"{at}: selfeval.indicators[2].target: "
        "警告 warning: 自评表的年度指标值“≥95%”与目标表的“≥90%”不同（照录发布） / the "
        "self-evaluation's target '≥95%' differs from the target table's '≥90%' (published as "
        "printed)"
    ]


def test_amount_finer_than_a_fen_is_an_error(tmp_path):
    """86.123456 万元 is 861,234.56 元 (exact to the 分: accepted); one decimal more is not."""
    fine = HEAD + CLEAN.replace('executed: "86.19"', 'executed: "86.123456"').replace(
        'rate: "86.19%"', 'rate: "86.12%"'
    ).replace('score: "8.62"', 'score: "8.61"').replace('total: "97.51"', 'total: "97.50"')
    code, lines = validate(tmp_path, fine)
    assert (code, lines) == (0, [])
    text = HEAD + CLEAN.replace('executed: "86.19"', 'executed: "86.1234567"')
    code, lines = validate(tmp_path, text)
    assert code == 1
    assert (
        f"{where(tmp_path, text, 'executed:', 15)}: selfeval.funds.executed: "
        "金额 86.1234567万元（861234.567 元） 比 1 分还细：金额最多精确到分（元最多两位小数，"
        "万元最多六位小数） / amount 86.1234567 万元 is finer than 1 fen (861234.567 yuan): "
        "amounts are exact to the fen at most (2 decimals of 元, 6 of 万元)"
    ) in lines


def test_a_thousandth_of_a_yuan_is_refused(tmp_path):
    """`disclosures validate` refuses 0.001 元 in the funds block (and in a line), exit 1."""
    text = HEAD + CLEAN.replace("  funds:\n", "  funds:\n    unit: 元\n", 1).replace(
        'executed: "86.19"',
        'executed: "0.001"\n    lines:\n      - label: 其中：当年财政拨款\n'
        '        executed: "215,457.601"',
    )
    code, lines = validate(tmp_path, text)
    assert code == 1
    assert (
        f"{where(tmp_path, text, '0.001', 15)}: selfeval.funds.executed: "
        "金额 0.001元 比 1 分还细：金额最多精确到分（元最多两位小数，万元最多六位小数） / amount "
        "0.001 元 is finer than 1 fen (0.001 yuan): amounts are exact to the fen at most "
        "(2 decimals of 元, 6 of 万元)"
    ) in lines
    assert any(
        line.startswith(f"{where(tmp_path, text, '215,457.601', 19)}: ")
        and "selfeval.funds.lines[0].executed: 金额 215457.601元 比 1 分还细" in line
        for line in lines
    ), lines


# -- status ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("target", "actual", "direction", "expected"),
    [
        ("≥95%", "96%", None, MET),
        ("≥95%", "95%", None, MET),
        ("≥95%", "94.9%", None, NOT_MET),
        (">=95%", "95.5%", None, MET),
        (">95%", "95%", None, NOT_MET),
        (">95%", "95.1%", None, MET),
        ("≤620万/月", "600万/月", None, MET),
        ("≤5%", "5.1%", None, NOT_MET),
        ("<5天", "5天", None, NOT_MET),
        ("<5天", "4天", None, MET),
        ("=100%", "100%", None, MET),
        ("=100%", "98%", None, UNKNOWN),  # no direction: is less better?
        ("=100%", "98%", "positive", NOT_MET),
        ("=10辆", "12辆", "positive", MET),
        ("10辆", "10辆", None, MET),
        ("10辆", "12辆", None, UNKNOWN),
        ("5%", "3%", "negative", MET),  # 反向指标: lower is better
        ("5%", "7%", "negative", NOT_MET),
        ("90%-100%", "95%", None, MET),
        ("90%-100%", "100%", None, MET),
        ("90%-100%", "89%", None, NOT_MET),
        ("5~10天", "12天", None, NOT_MET),
        ("≥50个", "50", None, MET),  # an actual with no unit is read in the target's unit
        ("≥50个", "50人", None, UNKNOWN),  # units differ
        ("≥100百分比", "100%", None, MET),  # 百分比 is %
        ("≥95%", "≥96%", None, MET),  # an actual written as a bound wholly inside
        ("≥95%", "≥90%", None, UNKNOWN),  # partly inside
        ("≥95%", "≤90%", None, NOT_MET),
        ("健全", "健全", None, MET),  # word for word
        ("效果明显", "达成预期指标", None, UNKNOWN),  # qualitative
        ("≥95%", "", None, UNKNOWN),  # missing
        ("≥95%", "较好", None, UNKNOWN),
        ("", "100%", None, UNKNOWN),  # no target
    ],
)
def test_status_on_every_operator(target, actual, direction, expected):
    assert derive_status(parse_target(target), actual, direction).code == expected


def test_status_says_why_it_cannot_tell():
    assert derive_status(parse_target("≥50个"), "50人").why == "单位不同（个 与 人）"
    assert derive_status(parse_target("效果明显"), "明显").why == "定性指标"
    assert derive_status(parse_target("≥95%"), None).why == "未填实际完成值"


def test_ranges():
    assert parse_range("90%-100%") == (Decimal(90), Decimal(100), "%")
    assert parse_range("90-100%") == (Decimal(90), Decimal(100), "%")
    assert parse_range("5~10天") == (Decimal(5), Decimal(10), "天")
    assert parse_range("100-90") is None  # not a range
    assert parse_range("健全") is None


def test_negative_indicator_from_the_nature_column(tmp_path):
    text = HEAD.replace('    target: "≥90%"\n', '    target: "5%"\n    nature: 反向\n') + (
        CLEAN.replace('actual: "85%"', 'actual: "3%"')
    )
    code, lines = validate(tmp_path, text)
    assert code == 0  # the status shows on the page; here: no problem from a negative indicator


@pytest.mark.parametrize("written", ["١٠", "1" * 30, "१.५"])
def test_self_evaluation_numbers_are_ascii_and_whole(written: str) -> None:
    """Points and rates are numbers in ASCII digits, matched whole (as money is)."""
    from disclosures.problems import ValueProblem
    from disclosures.results.values import parse_number, parse_rate

    with pytest.raises(ValueProblem):
        parse_number(written)
    with pytest.raises(ValueProblem):
        parse_rate(written + "%")


def test_execution_score_above_its_points(tmp_path):
    text = HEAD + CLEAN.replace('score: "8.62"', 'score: "11"').replace("97.51", "99.89")
    code, lines = validate(tmp_path, text)
    assert code == 0
    at = where(tmp_path, text, 'score: "11"', 12)
    assert (
        f"{at}: selfeval.funds.score: 警告 warning: 预算执行率得分 11 高于分值 10 / execution "
        "score 11 is above its points 10"
    ) in lines


def test_a_level_that_differs_from_the_target_rows(tmp_path):
    """A result is linked to its target row by name; a level written otherwise is reported
    (points in the label, 产出指标(70分), are not a difference)."""
    text = HEAD + CLEAN.replace("      level2: 质量指标\n", "      level2: 时效指标\n", 1)
    code, lines = validate(tmp_path, text)
    assert code == 0
    at = where(tmp_path, text, "level2: 时效指标", 15)
    assert lines == [
        f"{at}: selfeval.indicators[1].level2: 警告 warning: 二级指标“时效指标”与目标表的"
        "“质量指标”不同 / level2 '时效指标' differs from the target table's '质量指标'"
    ]


def test_a_target_row_with_no_result(tmp_path):
    text = HEAD + CLEAN.replace(
        CLEAN[CLEAN.index("    - level1: 满意度指标") : CLEAN.index("  total:")], ""
    ).replace('"97.51"', '"78.62"').replace("grade: 优", "grade: 中")
    code, lines = validate(tmp_path, text)
    assert code == 0
    assert (
        f"{where(tmp_path, text, '- level1: 满意度指标', 5)}: indicators[2]: 警告 warning: "
        "目标表的指标“群众满意度”在自评表中没有结果 / target row '群众满意度' has no result in "
        "the self-evaluation"
    ) in lines


def test_an_unknown_grade(tmp_path):
    text = HEAD + CLEAN.replace("grade: 优", "grade: 甲")
    code, lines = validate(tmp_path, text)
    assert lines == [
        f"{where(tmp_path, text, 'grade:', 10)}: selfeval.grade: 警告 warning: "
        "无法识别的等级“甲”（应为 优、良、中、差） / unknown grade '甲' (expected 优, 良, 中 or 差)"
    ]


@pytest.mark.parametrize(
    ("total", "grade"),
    [("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差")],
)
def test_grade_bands_at_their_edges(total, grade):
    from plugins.disclosures.results.model import grade_for

    assert grade_for(Decimal(total)) == grade


def test_a_core_indicator_star_does_not_keep_a_result_from_its_target_row(tmp_path):
    """衔接资金 forms mark core indicators with ★ (三颗星为必填的核心绩效指标), printed in one
    table and not the other: the marker is the form's, not the name's, so the result links to
    its row; a name that differs in anything else still does not."""
    text = HEAD.replace("name: 建设数量", "name: ★建设数量") + CLEAN.replace(
        "name: 群众满意度", "name: ★★★群众满意度"
    )
    code, lines = validate(tmp_path, text)
    assert code == 0 and lines == [], lines
    text = HEAD.replace("name: 建设数量", "name: ★建设数量量") + CLEAN
    code, lines = validate(tmp_path, text)
    assert code == 1
    assert any("目标表中没有指标“建设数量”" in line for line in lines), lines
