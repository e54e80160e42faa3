"""The value parsers: targets, money, dates, slugs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from disclosures.dates import parse_date, parse_period
from disclosures.money import change_percent, format_wan, format_yuan, parse_yuan, ratio_percent
from disclosures.problems import ValueProblem
from disclosures.slugs import SLUG_PATTERN, check_slug, slugify
from disclosures.targets import EMPTY, QUALITATIVE, QUANTITATIVE, parse_target


@pytest.mark.parametrize(
    ("written", "operator", "number", "unit"),
    [
        ("=100%", "=", "100", "%"),
        ("＝100％", "=", "100", "%"),
        ("═100%", "=", "100", "%"),
        (">=20%", "≥", "20", "%"),
        ("≥95%", "≥", "95", "%"),
        ("≧90%", "≥", "90", "%"),
        ("<=5%", "≤", "5", "%"),
        ("≤620万/月", "≤", "620", "万/月"),
        ("10辆", None, "10", "辆"),
        ("1次/月", None, "1", "次/月"),
        ("≥80M", "≥", "80", "M"),
        ("2", None, "2", ""),
        ("63人", None, "63", "人"),
        ("不低于95%", "≥", "95", "%"),
        ("95%以上", "≥", "95", "%"),
        ("１０辆", None, "10", "辆"),
    ],
)
def test_quantitative_targets(written, operator, number, unit):
    target = parse_target(written)
    assert target.kind == QUANTITATIVE
    assert target.written == written
    assert (target.operator, target.number, target.unit) == (operator, Decimal(number), unit)


def test_unit_column_joins_the_number():
    target = parse_target("= 24", "人/次")
    assert (target.operator, target.number, target.unit) == ("=", Decimal(24), "人/次")


@pytest.mark.parametrize(
    "written",
    [
        "健全",
        "规范",
        "持续增长",
        "参照政府采购成本控制",
        "12月底到位",
        "2021年1月-12月",
        "严格按照预算标准1000元/人给补助对象兑付补助",
    ],
)
def test_qualitative_targets(written):
    target = parse_target(written)
    assert target.kind == QUALITATIVE
    assert target.value == written


def test_blank_target_is_empty_not_zero():
    assert parse_target("").kind == EMPTY
    assert parse_target(None).kind == EMPTY
    assert parse_target("  ").number is None


@pytest.mark.parametrize("written", [">=abc", "=", "≥ 很高"])
def test_operator_without_number_is_refused(written):
    with pytest.raises(ValueProblem):
        parse_target(written)


def test_full_percent_and_normalised():
    assert parse_target("=100%").is_full_percent
    assert parse_target("100%").is_full_percent
    assert not parse_target(">=95%").is_full_percent
    assert parse_target("≧95%").normalised() == parse_target(">=95%").normalised() == "≥95%"


@pytest.mark.parametrize(
    ("written", "yuan"),
    [
        ("9900000", 9_900_000),
        ("9,900,000", 9_900_000),
        ("9,900,000元", 9_900_000),
        ("10000万元", 100_000_000),
        ("250万", 2_500_000),
        ("6.30万元", 63_000),
        ("0", 0),
        ("0.0001万元", 1),
    ],
)
def test_money(written, yuan):
    assert parse_yuan(written) == yuan


@pytest.mark.parametrize("written", ["1.5", "0.00001万元", "abc", "-5", "1,00", "9 900 000"])
def test_money_refused(written):
    with pytest.raises(ValueProblem):
        parse_yuan(written)


def test_money_formatting():
    assert format_yuan(9_900_000) == "9,900,000"
    assert format_wan(9_900_000) == "990.00"
    assert format_wan(148_050) == "14.81"
    assert ratio_percent(8_900_042, 8_900_042) == "100.0%"
    assert change_percent(9_900_000, 8_900_042) == "+11.2%"
    assert change_percent(1, 0) is None


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2020-01-01", "2020-01-01"),
        ("2020/1/1", "2020-01-01"),
        ("2020.07", "2020-07"),
        ("202001", "2020-01"),
        ("2020年1月", "2020-01"),
        ("2020年1月5日", "2020-01-05"),
        ("44,561", "2021-12-31"),
        ("44561", "2021-12-31"),
        ("2024 年 1 月 1 日", "2024-01-01"),  # PDF text spaces the characters out
        # A year alone, as forms print 起始年度 or a one-year term: year precision, not 01-01.
        ("2024", "2024"),
        ("2024年", "2024"),
        ("2024年度", "2024"),
    ],
)
def test_dates(written, iso):
    assert parse_date(written).iso() == iso


@pytest.mark.parametrize("written", ["2020-13-01", "2020-02-30", "next year", "1"])
def test_dates_refused(written):
    with pytest.raises(ValueProblem):
        parse_date(written)


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("202001-202012", "2020-01", "2020-12"),
        ("2023.07-2024.01", "2023-07", "2024-01"),
        ("2020-01-01至2020-12-31", "2020-01-01", "2020-12-31"),
        ("2020-01-01-2020-12-31", "2020-01-01", "2020-12-31"),
        ("2021年1月-12月", "2021-01", "2021-12"),
        ("2020年-2022年", "2020", "2022"),
        ("2024-2026", "2024", "2026"),
        ("2022年", "2022", "2022"),  # a one-year term starts and ends in its year
        ("2021年度", "2021", "2021"),
        ("2024年-2024年6月", "2024", "2024-06"),  # a coarse start does not end after a fine end
    ],
)
def test_periods(written, start, end):
    period = parse_period(written)
    assert (period.start.iso(), period.end.iso(), period.written) == (start, end, written)


@pytest.mark.parametrize("written", ["202012-202001", "2024年-2023年", "2024-2023年12月"])
def test_period_backwards_is_refused(written):
    with pytest.raises(ValueProblem):
        parse_period(written)


def test_a_year_is_not_made_a_day():
    year = parse_date("2024年")
    assert (year.year, year.month, year.day, year.zh()) == (2024, None, None, "2024年")
    assert year.first_day().isoformat() == "2024-01-01"  # only for a feed's timestamp
    with pytest.raises(ValueProblem):
        parse_date("1800年")  # the same plausibility check as for full dates


def test_slugs():
    assert slugify("上海科学会堂") == "shang-hai-ke-xue-hui-tang"
    assert (
        slugify("(433001)乌海市供销合作社联合社") == "wu-hai-shi-gong-xiao-he-zuo-she-lian-he-she"
    )
    long = slugify("上海科学会堂公共信息云服务平台一期(运维)")
    assert len(long) <= 60 and SLUG_PATTERN.fullmatch(long)
    assert slugify("上海科学会堂公共信息云服务平台二期(运维)") != long
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("index") == "index-1"
    for hostile in ["", "！！！", "\u202e", "CON"]:
        assert SLUG_PATTERN.fullmatch(slugify(hostile))


@pytest.mark.parametrize("written", ["../x", "/abs", "A-B", "a--b", "index", "a" * 61, "中文"])
def test_explicit_slug_refused(written):
    with pytest.raises(ValueProblem):
        check_slug(written)
