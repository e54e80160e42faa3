"""Printing a Shanghai project page gives the official form on A4: header fields, narrative,
budget block and every indicator row; no navigation, search box or charts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from browser_support import ARTIFACTS, REPO


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext not found: run `make browser-deps` (installs poppler-utils).")
    # -raw: text in content-stream order, so a table row's cells stay on one line.
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _squash(text: str) -> str:
    """PDF text wraps lines and may space out CJK: compare without whitespace."""
    return "".join(text.split())


def test_shanghai_project_prints_as_the_official_form(open_page, page_paths):
    path = page_paths["project-shanghai"]
    assert path, "no Shanghai project page in the built site"
    page = open_page(path)
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "project-shanghai.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    text = _squash(_pdf_text(pdf))

    data = _data_for(path, page.locator("p.source-file code").all_inner_texts())
    # Header fields, as the form prints them.
    for label in (
        "财政项目支出绩效目标表",
        "年度",
        "申报单位名称",
        "项目名称",
        "项目类别",
        "计划开始日期",
        "计划完成日期",
        "是否含有政府购买服务",
        "绩效类型",
    ):
        assert label in text, f"header label {label} missing from the PDF"
    for value in (data["name"], data["unit"], data["category"], data["performance_type"]):
        assert _squash(value) in text, f"header value {value} missing from the PDF"
    # Budget block: heading and every amount the form gives.
    assert "本项目上年度市级财政资金使用情况" in text
    for amount in data["budget"].values():
        assert f"{int(amount):,}" in text, f"budget amount {amount} missing from the PDF"
    # Every indicator row: its name and target, in the form's order.
    position = 0
    for row in data["indicators"]:
        cell = _squash(row["name"])
        found = text.find(cell, position)
        assert found >= 0, f"indicator {row['name']} missing (or out of order) in the PDF"
        position = found + len(cell)
        if row.get("target"):
            assert _squash(row["target"]) in text, f"target {row['target']} missing"
    # No navigation, search box, skip link, footer or charts on paper.
    for absent in (
        "主导航",
        "跳到正文",
        "指标索引",
        "搜索",
        "本站内容照录",
        "下载数据",
        "历年预算：",
    ):
        assert absent not in text, f"{absent!r} is printed but should not be"


def _data_for(path: str, sources: list[str]) -> dict:
    """The YAML file the page was built from, as the page names it."""
    assert len(sources) == 1, f"/{path} does not name its data file"
    text = (REPO / "data" / sources[0].strip()).read_text(encoding="utf-8")
    return yaml.load(text, Loader=yaml.BaseLoader)


def test_the_print_says_where_and_when_without_javascript(open_page, page_paths):
    """Issue 16: the print carries the page's address, its source and a date even when no
    script runs (the date is rendered by the build); with JavaScript the print date is added."""
    import datetime as dt

    path = page_paths["project-shanghai"]
    page = open_page(path, javascript=False)
    page.emulate_media(media="print")
    day = page.locator("time[data-page-date]").get_attribute("datetime")
    assert day and dt.date.fromisoformat(day)  # a real date, from the data's history
    year, month, date = (int(part) for part in day.split("-"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "project-shanghai-no-js.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    text = _squash(_pdf_text(pdf))
    assert f"本页数据日期{year}年{month}月{date}日" in text, text[-600:]
    assert "本页网址" in text and _squash(f"/{path}") in text
    assert "原表来源" in text
    assert "打印日期____年__月__日" in text  # to fill in by hand: no script knows today

    page = open_page(path, javascript=True)
    page.emulate_media(media="print")
    pdf = ARTIFACTS / "project-shanghai-js.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    text = _squash(_pdf_text(pdf))
    days = [dt.date.today() - dt.timedelta(days=n) for n in (0, 1)]  # printed before midnight
    assert any(f"打印日期{d.year}年{d.month}月{d.day}日" in text for d in days), text[-600:]
    assert f"本页数据日期{year}年{month}月{date}日" in text


A4_TEXT_WIDTH = 703  # 210 mm less the 12 mm margins, in CSS pixels (96 per inch)


def test_results_print_after_the_targets_whole_and_once(open_page, page_paths):
    """Issue 14 on paper: the self-evaluation (a second form) prints after the targets it
    answers, every result row with its actual, status, points and score, the table within
    A4's text width; the source address is printed once in 基本信息, not twice."""
    path = page_paths["project-results"]
    page = open_page(path, width=A4_TEXT_WIDTH)
    page.emulate_media(media="print")
    tops = page.evaluate(
        """() => ['section[aria-labelledby="h-indicators"]', 'section.results', '.provenance']
          .map(s => document.querySelector(s).getBoundingClientRect().top)"""
    )
    assert tops == sorted(tops), f"/{path}: targets, results, source print in order {tops}"
    widths = page.evaluate(
        """() => [...document.querySelectorAll('section.results table')]
          .map(t => Math.ceil(t.getBoundingClientRect().width))"""
    )
    assert widths and max(widths) <= A4_TEXT_WIDTH, f"/{path}: result tables {widths} px wide"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "project-results.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    text = _squash(_pdf_text(pdf))

    data = _data_for(path, page.locator("p.source-file code").all_inner_texts())
    position = text.find("绩效自评结果")
    for row in data["selfeval"]["indicators"]:
        cell = _squash(row["name"])
        found = text.find(cell, position)
        assert found >= 0, f"result row {row['name']} missing (or out of order) in the PDF"
        position = found + len(cell)
        for key in ("actual", "points", "score"):
            if row.get(key):
                assert _squash(row[key]) in text[found:], f"{row['name']}: {key} missing"
    source = data.get("source")
    assert source and _squash(f"({source})") not in text, "the source address printed twice"


def _pdf_pages(pdf: Path) -> list[str]:
    """The PDF's text page by page (pdftotext ends each page with a form feed)."""
    return [_squash(page) for page in _pdf_text(pdf).split("\f") if page.strip()]


def test_print_only_rows_stay_off_screen_and_together_on_paper(open_page, page_paths):
    """On screen a reader saw 本页网址 and 打印日期 (today's date) under the source: a
    provenance row's display: grid beat .print-only. On paper, the source block was cut
    between two sheets, and every row with a help mark kept a finger's 44 px though the
    marks are not printed."""
    path = page_paths["project-shanghai"]
    page = open_page(path, width=375)
    for row in page.locator(".print-only").all():
        assert not row.is_visible(), row.inner_text()
    page = open_page(path)
    page.emulate_media(media="print")
    assert page.locator(".provenance-facts .print-only").first.is_visible()
    heights = page.evaluate(
        """() => [...document.querySelectorAll('th, td')]
          .filter(c => c.querySelector(':scope > a.help') && c.getClientRects().length)
          .map(c => c.getBoundingClientRect().height)"""
    )
    assert heights and max(heights) < 40, heights
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "project-shanghai-provenance.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    pages = _pdf_pages(pdf)
    source = [n for n, text in enumerate(pages) if "原表来源" in text]
    assert source and "打印日期" in pages[source[-1]], [p[-200:] for p in pages[-2:]]


def test_results_print_as_a_table_with_the_funds_block_whole(open_page, site):
    """A citizen's print of a self-evaluation: the form's table, one row per indicator under
    one header (on screens narrower than 52rem it is stacked rows, and A4 is narrower: it
    printed as two sheets of labelled stacks), and the funds block's header never on one
    sheet with its rows on the next (it was, on 临时救助 2019)."""
    paths = [
        p.parent.relative_to(site).as_posix() + "/"
        for p in sorted(site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html"))
        if "selfeval-results" in p.read_text(encoding="utf-8")
    ]
    assert paths, "no project page with results"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for path in paths:
        page = open_page(path, width=A4_TEXT_WIDTH)
        page.emulate_media(media="print")
        shown = page.evaluate(
            """() => { const t = document.querySelector('table.selfeval-results');
              return {table: getComputedStyle(t).display,
                      head: getComputedStyle(t.tHead).display,
                      rows: [...t.tBodies[0].rows].map(r => getComputedStyle(r).display)}; }"""
        )
        assert shown["table"] == "table" and shown["head"] == "table-header-group", (path, shown)
        assert set(shown["rows"]) == {"table-row"}, (path, shown)
        pdf = ARTIFACTS / f"results-{path.split('/')[0]}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=False)
        sheets = _pdf_pages(pdf)
        caption = next(i for i, s in enumerate(sheets) if "与预算执行率" in s)
        assert "年度资金总额" in sheets[caption], (
            f"/{path}: the funds rows print a sheet after their header"
        )
