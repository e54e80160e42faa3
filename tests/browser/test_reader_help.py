"""Charts, glossary and pattern page as built (parsed HTML; no browser needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import REPO, build, soup
from disclosures.charts import LONGEST_BAR, bar_chart
from disclosures.glossary import GlossaryError, load_glossary


def test_bar_lengths_are_proportional_and_zero_draws_no_bar():
    chart = bar_chart(
        "k", "标题", [("甲", 200, "200"), ("乙", 50, "50"), ("丙", 0, "0")], "名称", "金额", "金额"
    )
    widths = [bar.width for bar in chart.bars]
    assert widths == [LONGEST_BAR, LONGEST_BAR / 4, 0.0]
    assert [bar.y for bar in chart.bars] == sorted({bar.y for bar in chart.bars})
    assert "最多的是甲（200）" in chart.description and "最少的是丙（0）" in chart.description


def test_long_labels_are_cut_in_the_drawing_only():
    label = "很长的单位名称" * 10
    chart = bar_chart("k", "标题", [(label, 1, "1")], "名称", "金额", "金额")
    assert chart.bars[0].label == label
    assert chart.bars[0].drawn_label.endswith("…") and len(chart.bars[0].drawn_label) < 30


def test_bundled_glossary_has_the_form_terms():
    glossary = load_glossary(REPO / "data")
    lookup = glossary.lookup()
    for term in (
        "预算执行率",
        "绩效类型",
        "一级指标",
        "二级指标",
        "三级指标",
        "同名项目",
        "项目类别",
        "政府购买服务",
        "财政拨款",
        "中期目标",
        "年度目标",
        "指标目标值",
        "一级目标",
        "是否含有政府购买服务",
    ):
        assert term in lookup, term
    slugs = [t.slug for t in glossary.terms]
    assert len(slugs) == len(set(slugs))


def test_a_broken_glossary_stops_the_build(tmp_path: Path, seed_copy: Path):
    (seed_copy / "_glossary.yaml").write_text("terms:\n  - term: 只有术语\n", encoding="utf-8")
    with pytest.raises(GlossaryError):
        load_glossary(seed_copy)
    result = build(tmp_path / "out", seed_copy)
    assert result.returncode == 1
    assert "_glossary.yaml" in result.stdout + result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_glossary_page_lists_every_term_and_help_links_resolve(site: Path):
    glossary = soup(site / "glossary" / "index.html")
    anchors = {div["id"] for div in glossary.select("dl.glossary > div[id]")}
    assert len(anchors) == len(load_glossary(REPO / "data").terms)
    assert all(div.find("dfn") for div in glossary.select("dl.glossary > div"))
    project = next(
        p
        for p in sorted(site.glob("2020/*/*/index.html"))
        if "财政项目支出绩效目标表" in p.read_text(encoding="utf-8")
    )
    links = soup(project).select("a.help")
    targets = {link["href"].rsplit("#", 1)[1] for link in links}
    assert {"yu-suan-zhi-xing-lv", "ji-xiao-lei-xing", "yi-ji-zhi-biao"} <= targets
    assert targets <= anchors
    assert all(link.get("title") and link.select_one(".visually-hidden") for link in links)


def test_pattern_page_escapes_hostile_text_and_is_not_in_the_navigation(site: Path):
    html = (site / "patterns" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "onmouseover=" not in html.replace(
        "onmouseover=&#34;", ""
    ).replace("onmouseover=&quot;", "")
    page = soup(site / "patterns" / "index.html")
    assert "<script>alert(1)</script>" in page.find("h1").find_next("p").get_text()
    # Only the theme's own file (large-text mode, print stamp): nothing from the example data.
    assert [s.get("src") for s in page.select("script")] == ["../theme/js/site.js"]
    for component in (
        "table.listing",
        "dl.profile",
        "dl.totals",
        "figure.chart svg",
        "table.fields",
        "table.indicators",
        "nav.breadcrumbs",
        "a.help",
        ".blank",
    ):
        assert page.select(component), component
    home = soup(site / "index.html")
    assert not home.select('a[href$="patterns/"]')


@pytest.mark.parametrize(
    "path, charts", [("index.html", 2), ("2020/index.html", 1), ("indicators/index.html", 1)]
)
def test_charts_have_title_description_and_data(site: Path, path: str, charts: int):
    page = soup(site / path)
    figures = page.select("figure.chart")
    assert len(figures) == charts
    for figure in figures:
        svg = figure.find("svg")
        title, desc = svg.find("title"), svg.find("desc")
        assert set(svg["aria-labelledby"].split()) == {title["id"], desc["id"]}
        assert title.get_text().strip() and desc.get_text().strip()
        bars = figure.select("text.bar-value")
        # The numbers drawn are the numbers in the table beside (or right below) the chart.
        table = figure.select_one("table") or figure.find_next("table")
        table_text = table.get_text()
        assert bars and all(
            bar.get_text().replace(" 万元", "").replace(" 项", "") in table_text for bar in bars
        )


def test_budget_history_chart_only_when_there_is_history(site: Path):
    with_chart = without = 0
    for page in sorted(site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html")):
        html = soup(page)
        chart = html.select_one("section.budget figure.chart")
        previous = any(
            "上年预算" in th.get_text() and td.get_text().strip() not in ("", "—")
            for th, td in (
                (r.find("th"), r.find("td")) for r in html.select("table.money tbody tr")
            )
        )
        assert (chart is not None) == previous, page
        with_chart += chart is not None
        without += chart is None
    assert with_chart and without


def test_glossary_is_loaded_as_safely_as_project_files(tmp_path: Path):
    (tmp_path / "_glossary.yaml").write_text(
        "terms:\n  - &t {term: 甲, text: 说明}\n  - *t\n", encoding="utf-8"
    )
    with pytest.raises(GlossaryError, match=r"_glossary\.yaml:3:.*aliases are not allowed"):
        load_glossary(tmp_path)
