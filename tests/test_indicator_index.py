"""The indicator index: grouping rules, both frameworks, per-indicator pages, cross-year links
and editor lint — from a fixture site built for real and read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from disclosures.names import normalise_name
from support import REPO, build_site, run_cli, settings_file, soup


@pytest.mark.parametrize(
    ("written", "key", "unit"),
    [
        ("项目计划完成率（%）", "项目计划完成率", "%"),
        ("项目计划完成率(%)", "项目计划完成率", "%"),
        ("项目计划完成率 （ % ）", "项目计划完成率", "%"),
        ("项目计划完成率", "项目计划完成率", ""),
        ("满意度(必填)", "满意度", ""),
        ("保障在职职工人数(人)（必填）", "保障在职职工人数", "人"),
        ("ＡＢＣ 完成率", "ABC完成率", ""),
        ("出差人次(人/次)", "出差人次", "人/次"),
        ("特困家庭再扶助(独生子女死亡再扶助)", "特困家庭再扶助(独生子女死亡再扶助)", ""),
    ],
)
def test_name_normalisation(written, key, unit):
    assert normalise_name(written) == (key, unit) or (
        normalise_name(written).key,
        normalise_name(written).unit,
    ) == (key, unit)


def project(year: int, unit: str, name: str, form: str, rows: list[tuple], extra: str = "") -> str:
    lines = [f"form: {form}", f'year: "{year}"', f"name: {name}", f"unit: {unit}"]
    if form == "shanghai":
        lines += ["budget:", f"  total: {year}00", f"  current_year: {year}00"]
    lines.append("indicators:")
    for level1, level2, indicator, target in rows:
        lines += [
            f"  - level1: {level1}",
            f"    level2: {level2}",
            f"    name: {indicator}",
            f'    target: "{target}"',
        ]
    return "\n".join(lines) + "\n" + extra


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("idx") / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "_mapping.yaml", data / "_mapping.yaml")
    files = {
        "a2020.yaml": project(
            2020,
            "甲单位",
            "设备运维",
            "shanghai",
            [
                ("产出目标", "数量", "项目计划完成率（%）", "=100%"),
                ("效果目标", "满意度", "满意度指标", ">=95%"),
                ("投入与管理", "财务管理", "预算执行率", "=100%"),
                ("产出目标", "质量", "设备完好率", ">=90%"),
            ],
        ),
        "a2021.yaml": project(
            2021,
            "甲单位",
            "设备运维",
            "shanghai",
            [
                ("产出目标", "数量", "项目计划完成率", "=100%"),
                ("效果目标", "满意度", "满意度指标", ">=98%"),
                ("投入与管理", "财务管理", "预算执行率", "=100%"),
                ("效果目标", "社会效益", "服务人次", ">=1000人次"),
            ],
        ),
        "b2021.yaml": project(
            2021,
            "乙单位",
            "学校建设",
            "national",
            [
                ("产出指标", "数量指标", "项目计划完成率 (%)", "≥95%"),
                ("满意度指标", "服务对象满意度指标", "满意度指标", "≥95%"),
                ("项目完成指标", "时效指标", "按期完成率", "良好"),
                ("奇怪指标", "其他", "自定义指标", "健全"),
            ],
        ),
        "c2021.yaml": project(
            2021,
            "丙单位",
            "环卫服务",
            "national",
            [
                ("满意度指标", "社会公众或服务对象满意度指标", "满意度指标", "≥90%"),
                ("产出指标", "质量指标", "达标率", "120%"),
                ("产出指标", "数量指标", "车辆数(辆)", "10台"),
                ("产出指标", "数量指标", "车辆数(辆)", "10辆"),
                ("产出指标", "质量指标", "完成率", "95"),
                ("产出指标", "质量指标", "覆盖人数(人)", "全覆盖"),
            ],
        ),
    }
    for name, text in files.items():
        (data / name).write_text(text, encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def fixture_site(fixture_data, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("idx-site") / "out"
    build_site(output, data=fixture_data)
    return output


def _index_rows(page) -> dict[str, dict]:
    rows = {}
    for section in page.select("main section"):
        heading = section.h2.get_text(strip=True).replace(" ", "")
        for tr in section.select("table.index-table tbody tr"):
            rows[(heading, tr.th.get_text(strip=True))] = {
                "count": int(tr.select_one("td.num").get_text(strip=True)),
                "distribution": [li.get_text("", strip=True) for li in tr.select("li")],
                "href": tr.th.a["href"],
            }
    return rows


def test_index_groups_in_national_framework(fixture_site):
    rows = _index_rows(soup(fixture_site / "indicators/index.html"))
    # 项目计划完成率（%） and 项目计划完成率 (%) and 项目计划完成率 are one indicator
    completion = rows[("产出指标›数量指标", "项目计划完成率")]
    assert completion["count"] == 3
    assert completion["distribution"] == ["=100%定量：2", "≥95%定量：1"]
    # 效果目标 › 满意度 (Shanghai) and the national variants all land in 满意度指标
    satisfaction = rows[("满意度指标›服务对象满意度指标", "满意度指标")]
    assert satisfaction["count"] == 4
    assert satisfaction["distribution"] == ["≥95%定量：2", "≥90%定量：1", "≥98%定量：1"]
    # Sichuan 项目完成指标 is mapped by the 一级 rule, its 二级 kept
    assert ("产出指标›时效指标", "按期完成率") in rows
    # levels without a rule are listed, not hidden
    assert ("投入与管理›财务管理", "预算执行率") in rows
    assert ("奇怪指标›其他", "自定义指标") in rows
    page = soup(fixture_site / "indicators/index.html")
    unmapped = page.find("section", attrs={"aria-labelledby": "unmapped"}).get_text()
    assert "投入与管理" in unmapped and "奇怪指标" in unmapped


def test_index_as_written_keeps_original_levels(fixture_site):
    rows = _index_rows(soup(fixture_site / "indicators/as-written/index.html"))
    assert ("效果目标›满意度", "满意度指标") in rows
    assert ("满意度指标›社会公众或服务对象满意度指标", "满意度指标") in rows
    assert ("项目完成指标›时效指标", "按期完成率") in rows


def test_indicator_page_lists_every_project(fixture_site):
    rows = _index_rows(soup(fixture_site / "indicators/index.html"))
    href = rows[("产出指标›数量指标", "项目计划完成率")]["href"]
    assert href.endswith("/indicators/xiang-mu-ji-hua-wan-cheng-lv/")
    page = soup(fixture_site / "indicators/xiang-mu-ji-hua-wan-cheng-lv/index.html")
    table = page.select_one("main table")
    cells = [
        [td.get_text(strip=True) for td in tr.find_all(["th", "td"])]
        for tr in table.tbody.find_all("tr")
    ]
    assert len(cells) == 3
    by_unit = {row[1]: row for row in cells}
    assert by_unit["乙单位"][4:] == ["项目计划完成率 (%)", "≥95%", "≥", "95", "%"]
    assert by_unit["甲单位"][2] in ("2020", "2021")
    for tr in table.tbody.find_all("tr"):
        link = tr.th.a["href"]
        assert (
            (page_path := (fixture_site / "indicators/xiang-mu-ji-hua-wan-cheng-lv" / link))
            .resolve()
            .joinpath("index.html")
            .is_file()
        ), page_path


def test_target_profile_on_project_and_unit(fixture_site):
    unit = soup(fixture_site / "units/bing-dan-wei/index.html")
    facts = {
        div.dt.get_text(strip=True): div.dd.get_text(strip=True)
        for div in unit.select("dl.profile div")
    }
    assert facts == {"指标总数": "6", "定量": "5", "定性": "1", "空白": "0", "目标为 100%": "0"}
    project_page = soup(fixture_site / "2020/jia-dan-wei/she-bei-yun-wei/index.html")
    facts = {
        div.dt.get_text(strip=True): div.dd.get_text(strip=True)
        for div in project_page.select("dl.profile div")
    }
    assert facts["目标为 100%"] == "2" and facts["定量"] == "4"


def test_same_project_across_years(fixture_site):
    old = soup(fixture_site / "2020/jia-dan-wei/she-bei-yun-wei/index.html")
    new = soup(fixture_site / "2021/jia-dan-wei/she-bei-yun-wei/index.html")
    assert old.select_one("nav.years a[rel=next]")["href"].endswith(
        "/2021/jia-dan-wei/she-bei-yun-wei/"
    )
    assert new.select_one("nav.years a[rel=prev]")["href"].endswith(
        "/2020/jia-dan-wei/she-bei-yun-wei/"
    )
    history = new.find("section", attrs={"aria-labelledby": "h-history"})
    years = [tr.th.get_text(strip=True) for tr in history.select("tbody tr")]
    assert years == ["2020", "2021（本页）"]
    changes = new.find("section", attrs={"aria-labelledby": "h-previous"})  # 与上年相比
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in changes.select("tbody tr")
    }
    assert rows == {
        "满意度指标": ["目标值变化", ">=95%", ">=98%"],
        "服务人次": ["新增", "—", ">=1000人次"],
        "设备完好率": ["取消", ">=90%", "—"],
    }
    assert "2 项不变" in changes.get_text()  # 项目计划完成率（%）= 项目计划完成率, 预算执行率


def test_lint_warnings_in_cli_and_build(fixture_data, tmp_path):
    result = run_cli("validate", str(fixture_data))
    assert result.returncode == 0, result.stdout  # warnings only
    lines = result.stdout.splitlines()

    def has(file: str, line: int, *words: str) -> bool:  # line: the row's first line
        return any(
            f"{file}:{line}:" in text and "警告 warning" in text and all(w in text for w in words)
            for text in lines
        )

    assert has("c2021.yaml", 10, "超过 100%")  # 达标率 120%
    assert has("c2021.yaml", 14, "“辆”", "“台”")  # unit contradicts the name
    assert has("c2021.yaml", 18, "出现两次")  # 车辆数(辆) twice
    assert has("c2021.yaml", 22, "没有 %")  # 完成率 95
    assert has("c2021.yaml", 26, "带计量单位", "全覆盖")  # 覆盖人数(人) 全覆盖
    assert has("b2021.yaml", 18, "不在对应表")  # 奇怪指标 › 其他
    assert not any("投入与管理" in text for text in lines)  # declared unmapped: no warning
    build = build_site(tmp_path / "out", data=fixture_data)
    assert "超过 100%" in build.stderr + build.stdout


def test_bad_mapping_file_is_an_error(fixture_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(fixture_data, data)
    (data / "_mapping.yaml").write_text(
        "national:\n  产出指标: 数量指标\nrules: []\n", encoding="utf-8"
    )
    result = run_cli("validate", str(data))
    assert result.returncode == 1
    assert "_mapping.yaml:2:" in result.stdout


def test_indicator_pages_are_paginated(fixture_data, tmp_path):
    settings = settings_file(tmp_path, DISCLOSURES_PAGE_SIZE=2)
    output = tmp_path / "out"
    build_site(output, data=fixture_data, settings=settings, content=REPO / "content")
    base = output / "indicators/man-yi-du-zhi-biao"  # 满意度指标: set by 4 projects
    first, second = soup(base / "index.html"), soup(base / "2/index.html")
    assert not (base / "3").exists()
    rows = [
        tr.th.get_text(strip=True)
        for page in (first, second)
        for tr in page.select("#uses-table tbody tr")
    ]
    assert len(rows) == 4  # every project once, over two pages
    years = [
        int(tr.find_all("td")[1].get_text())
        for page in (first, second)
        for tr in page.select("#uses-table tbody tr")
    ]
    assert years == sorted(years, reverse=True)
    nav = first.select_one("nav.pagination")
    assert nav.select_one("[aria-current=page]").get_text() == "1"
    assert nav.find("a", string="2")["href"].endswith("/indicators/man-yi-du-zhi-biao/2/")
    assert "第 2 页" in second.title.get_text()
