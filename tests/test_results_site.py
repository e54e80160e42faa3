"""Self-evaluation results on the built site (issue 14): real builds of data/ and of small
folders, read back from HTML, CSV and JSON; the import of a real published self-evaluation."""

from __future__ import annotations

import csv
import json
import shutil
import time
import urllib.parse
from pathlib import Path

import pytest
from support import MINIMAL_PROJECT, REPO, build_args, run_cli, soup, write_project

TANGXI = "2022/chi-zhou-shi-gui-chi-qu-tang-xi-zhen-ren-min-zheng-fu/wei-tuo-ye-wu-xiang-mu"
TUJING = "2021/zhongxian-tujingxiang/longtancun-yimin-anzhiqu-jingzhun-bangfu"
REAL_TEXT = REPO / "tests" / "data" / "selfeval" / "chizhou_tangxi_2022_weituo_yewu.txt"


def results_table(page: Path) -> list[dict[str, str]]:
    table = soup(page).select_one("table.selfeval-results")
    heads = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    return [
        dict(zip(heads, (c.get_text(strip=True) for c in tr.find_all(["th", "td"])), strict=True))
        for tr in table.tbody.find_all("tr", recursive=False)
    ]


def test_project_page_shows_each_target_beside_its_result(site: Path) -> None:
    rows = results_table(site / TANGXI / "index.html")
    assert len(rows) == 9
    first = rows[0]
    assert (first["三级指标"], first["年度指标值"], first["实际完成值"]) == (
        "基建工程委托业务项目数量",
        "≥50个",
        "50",
    )
    assert (first["达成情况"], first["分值"], first["得分"]) == ("达成", "8", "8")
    assert rows[1]["年度指标值"] == "≥100百分比" and rows[1]["达成情况"] == "达成"
    assert rows[2]["达成情况"] == "无法判断（定性指标）"
    cost = next(r for r in rows if r["三级指标"] == "项目总成本")
    assert (cost["年度指标值"], cost["实际完成值"], cost["达成情况"]) == ("≤90万元", "90", "达成")
    summary = soup(site / TANGXI / "index.html").select_one("section#results dl.totals")
    assert "3 项达成 · 0 项未达成 · 6 项无法判断" in summary.get_text()
    assert "原表未印总分" in summary.get_text()  # the copy lacks the 总分 row: no sum is shown


def test_funds_block_with_execution_rate(site: Path) -> None:
    table = soup(site / TUJING / "index.html").select_one("table.selfeval-funds")
    cells = [c.get_text(strip=True) for c in table.tbody.tr.find_all(["th", "td"])]
    assert cells[0] == "年度资金总额" and cells[2:4] == ["372.29", "372.29"]
    assert cells[5] == "100%（B/A = 100.00%）"
    assert "（万元）" in table.caption.get_text()


def test_two_rows_with_one_name_are_linked_by_their_levels(site: Path) -> None:
    rows = results_table(site / TUJING / "index.html")
    same = [r for r in rows if r["三级指标"] == "道路交通设施"]
    assert [(r["二级指标"], r["年度指标值"], r["实际完成值"]) for r in same] == [
        ("成本指标", "713万元", "713万元"),
        ("经济效益指标", "降低村民出行和农产品运输成本", "降低村民出行和农产品运输成本"),
    ]


def test_page_says_when_no_self_evaluation_is_published(site: Path) -> None:
    page = next((site / "2020").glob("*/*/index.html"))
    text = soup(page).select_one("section#results").get_text()
    assert "绩效自评表尚未公开" in text


def test_year_and_unit_pages_summarise_the_results(site: Path) -> None:
    year = soup(site / "2022" / "index.html")
    summary = year.select_one("section.results-summary").get_text(" ", strip=True)
    assert "已公开自评 1 / 1 个项目" in summary
    assert "指标达成率 33.3%" in summary  # 3 of 9
    assert "9 项有自评结果的指标中，3 项达成，0 项未达成，6 项无法判断" in summary
    grades = {tr.th.get_text(): tr.td.get_text() for tr in year.select("table.grades tbody tr")}
    assert grades == {"优": "0", "良": "0", "中": "0", "差": "0", "未印等级": "1"}
    unit = soup(site / "units" / TANGXI.split("/")[1] / "index.html")
    assert "已公开自评 1 / 1 个项目" in unit.select_one("section.results-summary").get_text(
        " ", strip=True
    )
    none = soup(site / "2020" / "index.html").select_one("section.results-summary").get_text()
    assert "都还没有公开的绩效自评结果" in none


def test_chart_of_targets_met_per_unit_is_accessible(site: Path) -> None:
    page = soup(site / "2021" / "index.html")
    figure = page.select_one("figure[aria-labelledby='chart-met-by-unit-caption']")
    svg = figure.select_one("svg[role='img']")
    assert svg.title.get_text() == "各单位达成的绩效指标"
    assert "忠县涂井乡人民政府：8 / 8 项达成（100.0%）" in svg.desc.get_text()
    rows = [tr.get_text(" ", strip=True) for tr in figure.select("table.chart-data tbody tr")]
    assert rows == ["忠县涂井乡人民政府 8 / 8 项达成（100.0%）"]


def test_indicator_page_counts_how_often_it_was_met(site: Path) -> None:
    found = [
        p
        for p in (site / "indicators").glob("*/index.html")
        if soup(p).h1 and soup(p).h1.get_text().startswith("基建工程委托业务项目数量")
    ]
    assert len(found) == 1
    text = soup(found[0]).select_one("section[aria-labelledby='h-indicator-results']").get_text()
    assert "1 个有自评结果的项目中，1 个达成，0 个未达成，0 个无法判断（达成率 100.0%）" in text


def test_results_csv_and_data_package(site: Path) -> None:
    with (site / "downloads" / "results.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 9 + 8 + 9  # data/: 棠溪镇 2022, 忠县涂井乡 2021, 濉溪县 2019
    statuses = [r["达成情况"] for r in rows]
    assert statuses.count("达成") == 3 + 8 + 7 and statuses.count("无法判断") == 6
    assert statuses.count("未达成") == 2
    package = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    results = next(r for r in package["resources"] if r["name"] == "results")
    assert results["path"] == "results.csv" and results["schema"]["foreignKeys"]
    sums = (site / "downloads" / "SHA256SUMS").read_text(encoding="utf-8")
    assert "  results.csv\n" in sums


def test_import_real_self_evaluation_without_a_target_table(tmp_path: Path) -> None:
    """The published text (a .doc on one line, truncated in the stored copy) becomes a project
    file whose targets come from 年度指标值; it builds and shows target beside result."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "_mapping.yaml", data)
    result = run_cli("import", str(REAL_TEXT), "--out", str(data))
    assert result.returncode == 3, result.stderr  # 3: written, with text it could not place
    assert f"{REAL_TEXT}:3: 公众满" in result.stderr  # the cut-off row is listed, not dropped
    written = next(data.glob("2022/*/*.yaml"))
    text = written.read_text(encoding="utf-8")
    assert "targets_from_selfeval: 是" in text and 'target: "≥50个"' in text
    out = tmp_path / "out"
    built = run_cli(*build_args(out, data))
    assert built.returncode == 0, built.stderr
    page = next(out.glob("2022/*/*/index.html"))
    rows = results_table(page)
    assert [r["年度指标值"] for r in rows][:2] == ["≥50个", "≥100百分比"]
    assert "取自绩效自评表" in soup(page).select_one("section#results").get_text()


def test_import_links_results_to_an_existing_target_table(tmp_path: Path) -> None:
    """With the target table already in data/, the results go into that file: rows whose
    target matches are written without repeating it, a changed target is kept and reported,
    a row the target table lacks is listed and kept with its printed target."""
    data = tmp_path / "data"
    folder = data / "2022" / "tangxi"
    folder.mkdir(parents=True)
    shutil.copy(REPO / "data" / "_mapping.yaml", data)
    target_file = folder / "weituo.yaml"
    # A target table written for this test (no real one was found): two rows as the
    # self-evaluation prints them, one with another target, one missing.
    target_file.write_text(
        "form: national\nyear: '2022'\nname: 委托业务项目\nunit: 池州市贵池区棠溪镇人民政府\n"
        "indicators:\n"
        "  - {level1: 产出指标, level2: 数量指标, name: 基建工程委托业务项目数量, target: ≥50个}\n"
        "  - {level1: 产出指标, level2: 质量指标, name: 委托业务报告合格率, target: ≥95%}\n"
        "  - {level1: 产出指标, level2: 成本指标, name: 项目总成本, target: ≤90万元}\n"
        "  - {level1: 效益指标, level2: 社会效益指标, name: 对维护基建市场公平的影响程度,"
        " target: 效果明显}\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(REAL_TEXT), "--out", str(data))
    assert result.returncode == 3, result.stderr
    assert "对应到已有的目标表" in result.stderr
    assert "目标表中没有对应行的自评结果（5 行" in result.stderr
    assert f"{REAL_TEXT}:3: 产出指标(50分) › 质量指标 › 经费支出合规性（严格执行相关制度规定）" in (
        result.stderr
    )
    text = target_file.read_text(encoding="utf-8")
    assert text.startswith("form: national")  # the editor's file is kept, the block appended
    block = text.split("selfeval:", 1)[1]
    first = block.split("- level1", 2)[1]
    assert "target:" not in first  # same target: not repeated
    second = block.split("- level1", 3)[2]
    assert 'target: "≥100百分比"' in second  # differs: kept as printed, and reported
    assert "自评表的年度指标值“≥100百分比”与目标表的“≥95%”不同" in result.stderr
    out = tmp_path / "out"
    assert run_cli(*build_args(out, data)).returncode == 0
    rows = results_table(next(out.glob("2022/*/*/index.html")))
    assert rows[1]["年度指标值"] == "≥95%（自评表印作“≥100百分比”）"
    assert rows[1]["达成情况"] == "达成"  # actual 100 against the target table's ≥95%
    extra = [r for r in rows if r["三级指标"].endswith("（目标表无此行）")]
    assert len(extra) == 5


def test_import_refuses_to_overwrite_a_self_evaluation(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "_mapping.yaml", data)
    assert run_cli("import", str(REAL_TEXT), "--out", str(data)).returncode == 3
    again = run_cli("import", str(REAL_TEXT), "--out", str(data))
    assert again.returncode == 2 and "已有 selfeval" in again.stderr


# -- search: a real Chromium finds a project by a word of its results ----------------------
RESULT = "li.pagefind-ui__result > div > .pagefind-ui__result-title > .pagefind-ui__result-link"


@pytest.fixture(scope="module")
def search_page(browser):
    page = browser.new_page()
    yield page
    page.close()


def test_search_finds_results(search_page, server: str) -> None:
    page = search_page
    page.goto(server + "search/?q=" + urllib.parse.quote("达成预期指标"))
    page.wait_for_selector(RESULT, timeout=15000)
    time.sleep(1)
    found = [
        urllib.parse.urlsplit(a.get_attribute("href")).path for a in page.query_selector_all(RESULT)
    ]
    assert f"/{TANGXI}/" in found


def test_results_sit_next_to_the_next_years_targets(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = MINIMAL_PROJECT + (
        "selfeval:\n  indicators:\n    - level1: 产出目标\n      level2: 数量\n"
        "      name: 完成率\n      actual: 96%\n      reason: 部分工程延期\n"
    )
    write_project(data / "2020", "p.yaml", first)
    write_project(
        data / "2021",
        "p.yaml",
        MINIMAL_PROJECT.replace('"2020"', '"2021"').replace('"=100%"', '"≥98%"'),
    )
    out = tmp_path / "out"
    built = run_cli(*build_args(out, data))
    assert built.returncode == 0, built.stderr
    rows = results_table(next(out.glob("2020/*/*/index.html")))
    assert rows == [
        {
            "一级指标": "产出目标",
            "二级指标": "数量",
            "三级指标": "完成率",
            "年度指标值": "=100%",
            "实际完成值": "96%",
            "达成情况": "无法判断（目标未写运算符或写作“=”，也未注明正向/反向）",
            "分值": "—",
            "得分": "—",
            "偏差原因分析及改进措施": "部分工程延期",
            "2021年度目标": "≥98%",
        }
    ]


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of one project in 2020, with its self-evaluation, and again in 2021."""
    data = tmp_path_factory.mktemp("two-years") / "data"
    first = MINIMAL_PROJECT + (
        'selfeval:\n  total: "88"\n  grade: 良\n  indicators:\n    - level1: 产出目标\n'
        "      level2: 数量\n      name: 完成率\n      actual: 96%\n      reason: 部分工程延期\n"
    )
    write_project(data / "2020", "p.yaml", first)
    write_project(
        data / "2021",
        "p.yaml",
        MINIMAL_PROJECT.replace('"2020"', '"2021"').replace('"=100%"', '"≥98%"'),
    )
    out = data.parent / "out"
    built = run_cli(*build_args(out, data))
    assert built.returncode == 0, built.stderr
    return out


def test_next_years_page_shows_this_years_results(two_years: Path) -> None:
    """Year N+1's page shows what year N's self-evaluation of the same project reported,
    each result beside this year's target, linked to year N's page; a year with no earlier
    self-evaluation shows no such section."""
    out = two_years
    page = soup(next(out.glob("2021/*/*/index.html")))
    section = page.select_one("section#previous-results")
    assert section.h2.get_text(strip=True) == "2020 年度的绩效自评结果"
    link = section.select_one("p a")
    earlier = next(out.glob("2020/*/*/index.html")).parent.relative_to(out).as_posix()
    assert link["href"].endswith(f"{earlier}/#results") and link.get_text() == "2020 年度"
    assert "总分 88，自评等级 良；0 项达成 · 0 项未达成 · 1 项无法判断" in section.get_text()
    table = section.select_one("table.selfeval-previous")
    heads = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    cells = [c.get_text(strip=True) for c in table.tbody.tr.find_all(["th", "td"])]
    assert dict(zip(heads, cells, strict=True)) == {
        "一级指标": "产出目标",
        "二级指标": "数量",
        "三级指标": "完成率",
        "2020年度指标值": "=100%",
        "实际完成值": "96%",
        "达成情况": "无法判断（目标未写运算符或写作“=”，也未注明正向/反向）",
        "偏差原因分析及改进措施": "部分工程延期",
        "2021年度目标": "≥98%",
    }
    assert soup(next(out.glob("2020/*/*/index.html"))).select_one("#previous-results") is None


def test_previous_results_pass_axe_in_chromium(browser, two_years: Path) -> None:
    """The section is accessible as the rest of the page is (axe-core, WCAG 2.1 A/AA)."""
    axe = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.is_file(), "axe-core missing: run `make browser-deps`"
    context = browser.new_context(bypass_csp=True, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(next(two_years.glob("2021/*/*/index.html")).as_uri())
        page.add_script_tag(path=str(axe))
        result = page.evaluate(
            """() => axe.run({include: [['#previous-results']]},
                {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
    finally:
        context.close()
    assert result["passes"], "axe checked nothing in the section"
    assert result["violations"] == [], [(v["id"], v["help"]) for v in result["violations"]]


def test_import_reads_the_sichuan_layout(tmp_path: Path) -> None:
    """Separate 指标性质 / 指标值 / 度量单位 cells make one target; 权重 are the points; the
    rate comes before the points in the funds row; a missed target shows as 未达成."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "_mapping.yaml", data)
    source = REPO / "tests" / "data" / "selfeval" / "sichuan_layout_example.txt"
    result = run_cli("import", str(source), "--out", str(data))
    assert result.returncode == 0, result.stderr
    assert "警告" not in result.stderr  # points add up to 100, scores to the total 98
    text = next(data.glob("2023/*/*.yaml")).read_text(encoding="utf-8")
    # the 度量单位 column stays apart, as the target-table importer writes split columns
    assert 'target: "≥95"\n    unit: "%"' in text and 'points: "10"\n    rate: 100.00%' in text
    out = tmp_path / "out"
    assert run_cli(*build_args(out, data)).returncode == 0
    rows = results_table(next(out.glob("2023/*/*/index.html")))
    assert [(r["年度指标值"], r["实际完成值"], r["达成情况"]) for r in rows] == [
        ("≥1次", "1", "达成"),
        ("≥95%", "90", "未达成"),
        ("≥90%", "95", "达成"),
    ]
    assert rows[1]["偏差原因分析及改进措施"] == "个别地块补植未完成"
    # results.csv prints the target as the table does, its unit column included
    with (out / "downloads" / "results.csv").open(encoding="utf-8-sig", newline="") as handle:
        targets = [row["年度指标值"] for row in csv.DictReader(handle)]
    assert targets == ["≥1次", "≥95%", "≥90%"]


SUIXI = "2019/sui-xi-xian-min-zheng-ju/lin-shi-jiu-zhu"


def test_real_suixi_page_shows_misses_the_table_scored_in_full(site: Path) -> None:
    """The published table gives full points to two rows whose actual misses the target
    (4604 of ≥4754 人; 5830 against ≤5300 元/户): the page says 未达成 beside the printed score."""
    rows = {r["三级指标"]: r for r in results_table(site / SUIXI / "index.html")}
    assert len(rows) == 9
    missed = {
        name: (r["实际完成值"], r["得分"]) for name, r in rows.items() if r["达成情况"] == "未达成"
    }
    assert missed == {
        "★★★特困人员救助供养人数(按月平均)(≥**人)": ("4604人", "5"),
        "扶贫临时救助标准(<**元/户·年)——一户年最高5300元": ("5830元/户", "10"),
    }
    assert rows["★农村低保标准(≥**元/人·月)"]["达成情况"] == "达成"
    assert sum(r["达成情况"] == "达成" for r in rows.values()) == 7


def test_funds_printed_to_the_fen_validate_and_show_exactly(tmp_path: Path) -> None:
    """A 决算 funds block in 元 with 角/分, as s13 (普陀, 215,457.6 元) and s10 (永德,
    387664.62 元) print it: it validates, the page shows each amount with its printed decimals
    and B/A computed from the exact values (215457.6 / 250000 = 86.18304 %, not a float's)."""
    data = tmp_path / "data"
    text = MINIMAL_PROJECT + (
        "selfeval:\n  funds:\n    unit: 元\n"
        '    initial: "250000.00"\n    budget: "250000.00"\n    executed: "215,457.6"\n'
        '    points: "10"\n    rate: "86.18%"\n    score: "8.62"\n'
        "    lines:\n"
        '      - {label: 其中：当年财政拨款, budget: "137664.62", executed: "137664.62"}\n'
        '      - {label: 其他资金, budget: "112335.38", executed: "77792.98"}\n'
        "  indicators:\n    - level1: 产出目标\n      level2: 数量\n      name: 完成率\n"
        "      actual: 100%\n"
    )
    path = write_project(data / "2020", "p.yaml", text)
    checked = run_cli("validate", str(path))
    assert checked.returncode == 0 and checked.stdout.count("警告") == 0, checked.stdout
    out = tmp_path / "out"
    built = run_cli(*build_args(out, data))
    assert built.returncode == 0, built.stderr
    table = soup(next(out.glob("2020/*/*/index.html"))).select_one("table.selfeval-funds")
    rows = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in table.tbody.find_all("tr")
    ]
    assert rows[0] == [
        "年度资金总额",
        "250,000.00",
        "250,000.00",
        "215,457.6",
        "10",
        "86.18%（B/A = 86.18%）",
        "8.62",
    ]
    assert rows[1][2:4] == ["137,664.62", "137,664.62"]
    assert rows[2][2:4] == ["112,335.38", "77,792.98"]
    assert "（元）" in table.caption.get_text()
