"""The data model's edges, read from a real build as a reader (and a program) reads it.

One site is built from projects made to tell a right answer from a plausible wrong one:
- money only in line items (财政拨款 63,000 元): no invented total, never "0 元"; the
  unit, year and home pages and the CSV agree on what the totals count and leave out;
- a target that is an Excel date serial (= 44,561 beside the unit "44,561"): not
  `=4456144,561`, not a quantity, flagged by the validator;
- labels as each form (and each table) prints them;
- two same-named units of two places: two unit pages; a code before a name: unit_code;
- derived figures: execution rate and year-on-year change (budget ≠ executed, a rounding
  tie), the history of a project across years from files listed newest first, target
  profiles with ≥100% beside 100% and an indicator repeated in one project, one of two
  dates given.
Expected values are written out here, never read back from the code that makes them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from support import build_site, run_cli, soup

SHANGHAI_2021 = """\
form: shanghai
year: "2021"
name: 科技馆运行维护
unit: 上海科学会堂
start: "2021-01-01"
budget:
  total: "8,800,000"
  current_year: "8,800,000"
  previous_year: "8,000,000"
  previous_year_executed: "7,996,000"
indicators:
  - level1: 产出目标
    level2: 数量
    name: 接待人次
    target: "=100%"
  - level1: 产出目标
    level2: 质量
    name: 设备完好率
    target: "≥100%"
  - level1: 产出目标
    level2: 质量
    name: 设备完好率
    target: "100%"
  - level1: 效果目标
    level2: 满意度
    name: 满意度
    target: ">=95%"
"""
# The same project a year before and a year after: listed under folders that sort the
# newer years first, the page must still show the history oldest first.
SHANGHAI_2020 = (
    SHANGHAI_2021.replace('year: "2021"', 'year: "2020"')
    .replace('start: "2021-01-01"', 'end: "2020-12-31"')
    .replace('current_year: "8,800,000"', 'current_year: "8,000,000"')
)
SHANGHAI_2022 = SHANGHAI_2021.replace('year: "2021"', 'year: "2022"').replace(
    'current_year: "8,800,000"', 'current_year: "9,000,000"'
)
LINES_ONLY = """\
form: national
year: "2021"
name: 特困家庭再扶助
unit: 区卫生健康局
region: 广元市昭化区
labels:
  unit: 预算单位
budget:
  lines:
    - label: (一)财政拨款小计
      amount: "63,000"
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 扶助人数
    target: "≥30人"
"""
SAME_NAME = """\
form: national
year: "2021"
name: 家庭医生签约服务
unit: 区卫生健康局
region: 成都市青羊区
budget:
  total: "1,000,000"
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 签约人数
    target: "≥1000人"
"""
CODED = """\
form: national
year: "2021"
name: 再生资源回收市场管理经费
unit: 乌海市供销合作社联合社
unit_code: "433001"
labels:
  current_year: 年度本级预算金额
  unit: 预算部门
budget:
  current_year: "3万元"
indicators:
  - level1: 产出指标
    level2: 时效指标
    name: 工作计划按时完成时间
    nature: 正向
    target: "= 44,561"
    unit: "44,561"
  - level1: 产出指标
    level2: 数量指标
    name: 出差人数
    target: "= 8"
"""
FILES = {
    "a/2022.yaml": SHANGHAI_2022,
    "b/2021.yaml": SHANGHAI_2021,
    "c/2020.yaml": SHANGHAI_2020,
    "d/lines.yaml": LINES_ONLY,
    "e/same.yaml": SAME_NAME,
    "f/coded.yaml": CODED,
}
# The downloads' project columns, fixed here: a reader's program depends on them.
PROJECT_COLUMNS = [
    "项目键",
    "年度",
    "单位",
    "行政区划",
    "单位编码",
    "单位标识",
    "项目标识",
    "项目名称",
    "表式",
    "表式键",
    "主管部门及编码",
    "项目类别",
    "计划开始日期",
    "计划完成日期",
    "项目起止时间（原文）",
    "发布日期",
    "项目总预算（元）",
    "当年预算（元）",
    "同名项目上年预算额（元）",
    "同名项目上年预算执行数（元）",
    "财政拨款（元）",
    "其他资金（元）",
    "当年财政拨款（元）",
    "当年其他资金（元）",
    "上年结转（元）",
    "列表金额（元）",
    "指标数",
    "来源",
    "数据文件",
    "网页",
    "完整记录（JSON）",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("model")
    data = root / "data"
    for name, text in FILES.items():
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    out = root / "output"
    build_site(out, data=data)
    return out


def text(node) -> str:  # noqa: ANN001 - a bs4 node
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True)) if node else ""


def totals(page: Path) -> str:
    for div in soup(page).select("dl.totals div"):
        if text(div.dt) == "预算合计":
            return text(div.dd)
    raise AssertionError(f"no 预算合计 on {page}")


def project_page(site: Path, name: str, year: int) -> Path:
    for path in site.glob(f"{year}/*/*/index.html"):
        if soup(path).h1 and text(soup(path).h1) == name:
            return path
    raise AssertionError(f"no page for {name} {year}")


def unit_pages(site: Path, unit: str) -> list[Path]:
    return [p for p in site.glob("units/*/index.html") if text(soup(p).h1).startswith(unit)]


def projects_csv(site: Path) -> list[dict[str, str]]:
    with (site / "downloads" / "projects.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


# -- money totals are never invented ---------------------------------------------------------
def test_lines_only_unit_shows_no_invented_total(built: Path) -> None:
    (page,) = [p for p in unit_pages(built, "区卫生健康局") if "广元市昭化区" in text(soup(p).h1)]
    assert totals(page).startswith("—")
    assert "0 元" not in totals(page)
    note = soup(page).select_one("p.left-out")
    assert note is not None and "特困家庭再扶助" in text(note) and "1 个" in text(note)
    # The unit's own year page says the same.
    year_unit = built / "2021" / page.parent.name / "index.html"
    assert totals(year_unit).startswith("—")


def test_year_and_home_totals_count_stated_amounts_and_name_the_rest(built: Path) -> None:
    # 2021: 8,800,000 (current year) + 1,000,000 (total only) + 30,000 (3万元); the
    # line-items-only project is left out, not added as 63,000 nor as 0.
    assert totals(built / "2021" / "index.html").startswith("9,830,000 元")
    note = text(soup(built / "2021" / "index.html").select_one("p.left-out"))
    assert "特困家庭再扶助" in note
    # Home: 2020 (8,000,000) + 2021 (9,830,000) + 2022 (9,000,000).
    assert totals(built / "index.html").startswith("26,830,000 元")
    assert "特困家庭再扶助" in text(soup(built / "index.html").select_one("p.left-out"))
    # The year table on the home page and the unit table on the year page: no 0.
    home_rows = {
        text(tr.th): [text(td) for td in tr.find_all("td")]
        for tr in soup(built / "index.html").select("table.listing tbody tr")
    }
    row = next(v for k, v in home_rows.items() if k.startswith("区卫生健康局（广元市昭化区）"))
    assert row[-2:] == ["—", "—"]


def test_csv_agrees_with_the_pages(built: Path) -> None:
    rows = projects_csv(built)
    assert list(rows[0].keys()) == PROJECT_COLUMNS
    by_name = {r["项目名称"]: r for r in rows if r["年度"] == "2021"}
    assert by_name["特困家庭再扶助"]["列表金额（元）"] == ""
    assert by_name["特困家庭再扶助"]["项目总预算（元）"] == ""
    listed = sum(int(r["列表金额（元）"]) for r in by_name.values() if r["列表金额（元）"])
    assert listed == 9_830_000  # the 2021 page's 预算合计
    every = sum(int(r["列表金额（元）"]) for r in rows if r["列表金额（元）"])
    assert every == 26_830_000  # the home page's 预算合计


# -- Excel date serials in targets --------------------------------------------------------------
def test_date_serial_target_is_flagged_not_a_quantity(built: Path, tmp_path: Path) -> None:
    page = soup(project_page(built, "再生资源回收市场管理经费", 2021))
    shown = text(page.select_one("table.indicators"))
    # The row shows both cells as printed (= 44,561 | 44,561) and reads them as a date serial.
    assert "4456144,561" not in shown and "定量：= 44561" not in shown
    assert "日期序号（待核）" in shown
    profile = {text(d.dt): text(d.dd) for d in page.select("dl.profile div")}
    assert profile["定量"] == "1" and profile["日期序号（待核）"] == "1"
    index = "".join(
        p.read_text(encoding="utf-8") for p in (built / "indicators").rglob("index.html")
    )
    assert "=4456144,561" not in index and "4456144" not in index
    with (built / "downloads" / "indicators.csv").open(encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["三级指标"] == "工作计划按时完成时间"]
    assert [(r["目标类型键"], r["数值"]) for r in rows] == [("date_serial", "44561")]
    data = tmp_path / "data"
    data.mkdir()
    (data / "coded.yaml").write_text(CODED, encoding="utf-8")
    result = run_cli("validate", str(data))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "indicators[0].target" in result.stdout and "Excel" in result.stdout


# -- labels as the form prints them -------------------------------------------------------------
def header_labels(page: Path) -> list[str]:
    return [
        text(tr.th).split(" ")[0] for tr in soup(page).select("table.fields tr") if tr.th and tr.td
    ]


def money_labels(page: Path) -> list[str]:
    return [text(tr.th).split(" ")[0] for tr in soup(page).select("table.money tbody tr")]


def test_each_form_and_table_shows_its_own_labels(built: Path) -> None:
    shanghai = project_page(built, "科技馆运行维护", 2021)
    assert "申报单位名称" in header_labels(shanghai)
    assert money_labels(shanghai)[:2] == ["项目总预算", "项目当年预算"]
    national = project_page(built, "家庭医生签约服务", 2021)
    assert "实施单位" in header_labels(national) and "申报单位名称" not in header_labels(national)
    assert "资金总额" in money_labels(national)
    coded = project_page(built, "再生资源回收市场管理经费", 2021)
    assert "预算部门" in header_labels(coded) and "实施单位" not in header_labels(coded)
    assert money_labels(coded) == ["年度本级预算金额"]
    lines = project_page(built, "特困家庭再扶助", 2021)
    assert "预算单位" in header_labels(lines)


# -- a unit's identity ---------------------------------------------------------------------------
def test_same_named_units_of_two_places_keep_two_pages(built: Path) -> None:
    pages = unit_pages(built, "区卫生健康局")
    titles = sorted(text(soup(p).h1) for p in pages)
    assert titles == ["区卫生健康局（广元市昭化区）", "区卫生健康局（成都市青羊区）"]
    assert len({p.parent.name for p in pages}) == 2
    rows = projects_csv(built)
    units = {(r["行政区划"], r["单位"], r["单位标识"]) for r in rows if r["单位"] == "区卫生健康局"}
    assert len(units) == 2


def test_unit_code_is_a_field_not_part_of_the_name(built: Path, tmp_path: Path) -> None:
    (row,) = [r for r in projects_csv(built) if r["项目名称"] == "再生资源回收市场管理经费"]
    assert (row["单位"], row["单位编码"]) == ("乌海市供销合作社联合社", "433001")
    page = project_page(built, "再生资源回收市场管理经费", 2021)
    cells = {text(tr.th).split(" ")[0]: text(tr.td) for tr in soup(page).select("table.fields tr")}
    assert cells["单位编码"] == "433001"
    data = tmp_path / "data"
    data.mkdir()
    coded_name = CODED.replace(
        "unit: 乌海市供销合作社联合社", "unit: (433001)乌海市供销合作社联合社"
    )
    (data / "p.yaml").write_text(coded_name.replace('unit_code: "433001"\n', ""), "utf-8")
    result = run_cli("validate", str(data))
    assert "unit_code" in result.stdout and "433001" in result.stdout


def test_placeless_unit_without_region_is_warned(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "p.yaml").write_text(LINES_ONLY.replace("region: 广元市昭化区\n", ""), "utf-8")
    result = run_cli("validate", str(data))
    assert result.returncode == 0
    assert ": unit: " in result.stdout and "region" in result.stdout


# -- derived figures ----------------------------------------------------------------------------
def test_execution_rate_and_change_on_last_year(built: Path) -> None:
    facts = text(soup(project_page(built, "科技馆运行维护", 2021)).select_one("ul.facts"))
    # 8,800,000 against 8,000,000: +10.0% (not the executed 7,996,000: +10.1%).
    assert "+10.0%" in facts
    # 7,996,000 / 8,000,000 = 99.95 %: a tie, rounded half up to 100.0% (not 99.9%).
    assert "100.0%" in facts and "99.9%" not in facts


def test_history_is_oldest_first_whatever_the_file_order(built: Path) -> None:
    page = soup(project_page(built, "科技馆运行维护", 2021))
    rows = page.select("section[aria-labelledby=h-history] tbody tr")
    years = [text(tr.th)[:4] for tr in rows]
    assert years == ["2020", "2021", "2022"]
    current = [text(tr.find_all("td")[0]) for tr in rows]
    assert current == ["8,000,000", "8,800,000", "9,000,000"]


def test_target_profile_counts(built: Path) -> None:
    page = soup(project_page(built, "科技馆运行维护", 2021))
    profile = {text(d.dt): text(d.dd) for d in page.select("dl.profile div")}
    # =100%, ≥100% and 100% are full-percent targets; >=95% is not.
    assert profile == {
        "指标总数": "4",
        "定量": "4",
        "定性": "0",
        "空白": "0",
        "目标为 100%": "3",
    }


def test_repeated_indicator_counts_its_project_once(built: Path) -> None:
    pages = [
        p
        for p in (built / "indicators").rglob("index.html")
        if soup(p).h1 and text(soup(p).h1).startswith("设备完好率")
    ]
    assert pages
    shown = text(soup(pages[0]).select_one("ul.distribution"))
    # Three projects (2020, 2021, 2022), each with the indicator twice (≥100% and 100%).
    assert "3 个项目" in shown and "6 个项目" not in shown


def test_one_of_two_dates_given(built: Path) -> None:
    rows = {(r["年度"], r["项目名称"]): r for r in projects_csv(built)}
    assert rows[("2021", "科技馆运行维护")]["计划开始日期"] == "2021-01-01"
    assert rows[("2021", "科技馆运行维护")]["计划完成日期"] == ""
    assert rows[("2020", "科技馆运行维护")]["计划开始日期"] == ""
    assert rows[("2020", "科技馆运行维护")]["计划完成日期"] == "2020-12-31"
    labels = header_labels(project_page(built, "科技馆运行维护", 2021))
    assert "计划开始日期" in labels and "计划完成日期" not in labels
