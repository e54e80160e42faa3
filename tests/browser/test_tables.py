"""Sorting and filtering on the indicator index and indicator pages (theme/js/tables.js):
an enhancement that works in Chromium under the site's CSP and is absent without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import expect

INDEX = "indicators/"
BUDGET_RATE = "indicators/yu-suan-zhi-xing-lv/"  # 预算执行率: set by both seed projects


def test_index_filter_keeps_only_matching_rows(open_page) -> None:
    page = open_page(INDEX)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    box = page.get_by_label("筛选指标（输入指标名称或目标值，如 满意、≥95%）")
    expect(box).to_be_visible()
    rows = page.locator("table.index-table tbody tr")
    total = rows.count()
    box.fill("满意")
    visible = page.locator("table.index-table tbody tr:visible")
    shown = visible.all_inner_texts()
    assert shown and len(shown) < total
    assert all("满意" in text for text in shown)
    expect(page.locator(".filter-status")).to_contain_text(f"共 {len(shown)} 行")
    # Sections with no matching row are hidden, the others stay.
    assert page.locator("main section:has(table.index-table):visible").count() >= 1
    box.fill("")
    expect(rows.filter(visible=True)).to_have_count(total)
    assert errors == []


def test_indicator_page_sorts_by_a_column(open_page) -> None:
    page = open_page(BUDGET_RATE)
    header = page.locator("#uses-table thead th").first
    names = page.locator("#uses-table tbody tr th")
    before = names.all_inner_texts()
    assert len(before) >= 2
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = names.all_inner_texts()
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert names.all_inner_texts() == list(reversed(ascending))
    assert sorted(ascending) == sorted(before)  # the same rows, only reordered


def test_without_javascript_there_is_no_dead_control(open_page) -> None:
    for path in (INDEX, BUDGET_RATE):
        page = open_page(path, javascript=False)
        expect(page.locator(".table-filter")).to_be_hidden()
        assert page.locator("button.sort").count() == 0
        assert page.locator("table tbody tr").count() > 0  # the whole table is there


COMPARISON = "compare/satisfaction/"


def _yuan(cell: str) -> int:
    """A budget cell's figure (a total says so after it: 30,000（项目总预算）)."""
    return int(re.match(r"[\d,]+", cell.strip())[0].replace(",", ""))


def test_comparison_page_sorts_by_budget_and_filters_by_unit(open_page) -> None:
    """Issue 16: a comparison page is sortable (budget as a number) and filterable."""
    page = open_page(COMPARISON)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    rows = page.locator("#compare-table tbody tr")
    total = rows.count()
    assert total >= 3
    budget = page.locator("#compare-table thead th", has_text="预算（元）")
    budget.get_by_role("button").click()
    expect(budget).to_have_attribute("aria-sort", "ascending")
    cells = page.locator("#compare-table tbody td[data-label='预算（元）']").all_inner_texts()
    amounts = [_yuan(c) for c in cells if c.strip() not in ("", "—")]
    assert len(amounts) >= 2 and amounts == sorted(amounts), cells
    assert len(set(amounts)) >= 2  # a real reordering, not equal values
    budget.get_by_role("button").click()
    expect(budget).to_have_attribute("aria-sort", "descending")
    cells = page.locator("#compare-table tbody td[data-label='预算（元）']").all_inner_texts()
    amounts = [_yuan(c) for c in cells if c.strip() not in ("", "—")]
    assert amounts == sorted(amounts, reverse=True)
    # Filter by one unit: only its rows stay.
    units = page.locator("#compare-table tbody td[data-label='单位']").all_inner_texts()
    unit = units[0]
    assert len(set(units)) >= 2
    page.get_by_label("筛选（单位、年度、项目、目标值等）").fill(unit)
    visible = page.locator("#compare-table tbody tr:visible")
    expect(visible).to_have_count(units.count(unit))
    assert all(unit in text for text in visible.all_inner_texts())
    assert errors == []


def _number(text: str) -> float:
    """The number of a target or amount as a reader reads it (≥90%, >=95%, 2,500,000)."""
    digits = re.match(r"^[=<>≥≤＝＜＞]{0,2}\s*(-?[\d,]+(?:\.\d+)?)", text)
    assert digits, text
    return float(digits.group(1).replace(",", ""))


def test_comparison_sorts_written_operators_as_numbers_and_blanks_last(open_page) -> None:
    """A journalist sorting 满意度 targets or budgets: >=95% (as Shanghai's forms write ≥)
    sorts as 95 beside ≥90% and 100%; words (良好) after the numbers; a budget the form left
    blank (—) stays at the end whichever way the column is sorted."""
    page = open_page(COMPARISON)
    for label in ("预算（元）", "目标值（照原表）"):
        header = page.locator("#compare-table thead th", has_text=label)
        key = "目标值" if label.startswith("目标值") else label
        for direction in ("ascending", "descending"):
            header.get_by_role("button").click()
            expect(header).to_have_attribute("aria-sort", direction)
            cells = page.locator(f"#compare-table tbody td[data-label='{key}']").all_inner_texts()
            blank = [c.strip() in ("", "—") for c in cells]
            assert blank == sorted(blank), f"{label} {direction}: blanks not last: {cells}"
            words = [
                not re.match(r"^[=<>≥≤＝＜＞]{0,2}\s*-?\d", c.strip())
                for c, b in zip(cells, blank, strict=True)
                if not b
            ]
            assert words == sorted(words), f"{label} {direction}: words among numbers: {cells}"
            numbers = [
                _number(c.strip())
                for c in cells
                if c.strip() not in ("", "—") and re.match(r"^[=<>≥≤＝＜＞]{0,2}\s*-?\d", c.strip())
            ]
            expected = sorted(numbers, reverse=direction == "descending")
            assert numbers == expected, f"{label} {direction}: {cells}"
    assert any(c.startswith(">=") for c in cells)  # the case this is about is on the page
