"""A real Pelican build of the bundled data, read back with an HTML parser."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from disclosures.load import load_file
from disclosures.slugs import slugify
from support import (
    MINIMAL_PROJECT,
    PELICAN,
    REPO,
    build_args,
    build_site,
    run_cli,
    settings_file,
    soup,
    write_project,
)

SEED_FILES = sorted((REPO / "data" / "2020" / "shanghai-kexue-huitang").glob("*.yaml"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def project_page(site: Path, data: dict) -> Path:
    url = (
        f"{data['year']}/{data.get('unit_id') or slugify(data['unit'])}/"
        f"{data.get('id') or slugify(data['name'])}/index.html"
    )
    return site / url


def indicator_rows(table) -> list[list[str]]:
    """The table's body rows with rowspans expanded, as the form reads."""
    rows: list[list[str]] = []
    carry: dict[int, list] = {}  # column → [text, rows left]
    for tr in table.tbody.find_all("tr"):
        cells = iter(tr.find_all(["th", "td"], recursive=False))
        row: list[str] = []
        column = 0
        while True:
            if column in carry and carry[column][1] > 0:
                row.append(carry[column][0])
                carry[column][1] -= 1
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = cell.get_text(strip=True)
            span = int(cell.get("rowspan", 1))
            if span > 1:
                carry[column] = [text, span - 1]
            row.append(text)
            column += 1
        rows.append(row)
    return rows


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_every_seed_value_is_on_its_page(site, path):
    doc, problems = load_file(path)
    assert doc is not None and not problems
    data = doc.data
    page = soup(project_page(site, data))
    for help_link in page.select("a.help"):  # glossary "?" links are not part of the labels
        help_link.decompose()
    assert page.html["lang"] == "zh-CN"
    assert page.h1.get_text(strip=True) == data["name"]

    fields = {
        tr.th.get_text(strip=True): tr.td.get_text(strip=True)
        for tr in page.select("table.fields tr")
    }
    assert fields["年度"] == data["year"]
    assert fields["申报单位名称"] == data["unit"]
    assert fields["项目名称"] == data["name"]
    assert fields["项目类别"] == data["category"]
    assert fields["计划开始日期"] == data["start"]
    assert fields["计划完成日期"] == data["end"]
    assert fields["是否含有政府购买服务"] == data["gov_purchase"]
    assert fields["绩效类型"] == data["performance_type"]

    labels = {
        "overview": "项目概况",
        "basis": "立项依据",
        "necessity": "项目设立的必要性",
        "safeguards": "保证项目实施的制度、措施",
        "plan": "项目实施计划",
        "goals": "总目标及阶段性目标",
    }
    assert set(data["sections"]) == set(labels)
    for key, text in data["sections"].items():
        section = page.find("section", attrs={"aria-labelledby": f"s-{key}"})
        assert section.h2.get_text(strip=True) == labels[key]
        shown = squash(section.get_text()).removeprefix(labels[key])
        assert shown == squash(text), f"{path.name}: sections.{key} differs"

    money = {
        tr.th.get_text(strip=True): tr.find_all("td")[0].get_text(strip=True)
        for tr in page.select("table.money tbody tr")
    }
    budget = data["budget"]
    assert money["项目总预算"] == f"{int(budget['total']):,}"  # the Shanghai form's own labels
    assert money["项目当年预算"] == f"{int(budget['current_year']):,}"
    for key, label in (
        ("previous_year", "同名项目上年预算额"),
        ("previous_year_executed", "同名项目上年预算执行数"),
    ):
        expected = f"{int(budget[key]):,}" if budget.get(key) else "—"
        assert money[label] == expected  # blank is shown as "—", never 0

    rows = indicator_rows(page.select_one("table.indicators"))
    written = [
        [i["level1"], i.get("level2") or "", i.get("name") or "", i.get("target") or "—"]
        for i in data["indicators"]
    ]
    assert [row[:4] for row in rows] == written


def test_seed_first_project_figures(site):
    page = soup(
        site / "2020/shang-hai-ke-xue-hui-tang/ke-xie-da-yuan-ri-chang-yun-xing-yu-wei-hu"
        "/index.html"
    )
    text = page.select_one("section.budget").get_text(" ", strip=True)
    assert "9,900,000" in text and "990.00" in text and "8,900,042" in text
    assert "+11.2%" in text  # 当年 9,900,000 against 上年 8,900,042
    assert "100.0%" in text  # 上年执行率
    table = page.select_one("table.indicators")
    assert table.caption is not None
    assert table.select("th[scope=col]") and table.select("th[scope=row]")
    assert table.select_one("th[rowspan]")["scope"] == "rowgroup"


def test_new_project_has_no_previous_year_figures(site):
    page = soup(
        site
        / "2020/shang-hai-ke-xue-hui-tang"
        / slugify("上海科学会堂公共信息云服务平台一期(运维)")
        / "index.html"
    )
    text = page.select_one("section.budget").get_text(" ", strip=True)
    assert "148,050" in text and "14.81" in text
    assert "上年预算执行率" not in text and "%" not in text


def test_listing_pages(site):
    home = soup(site / "index.html")
    text = home.get_text(" ", strip=True)
    assert "2020年度" in text and "上海科学会堂" in text and "武汉市青山区教育局" in text
    year = soup(site / "2020/index.html")
    assert len(year.select("table.listing")[-1].tbody.find_all("tr")) == 3
    unit = soup(site / "units/shang-hai-ke-xue-hui-tang/index.html")
    assert unit.h1.get_text(strip=True) == "上海科学会堂"
    assert len(unit.select("table.listing tbody tr")) == 2
    assert (site / "2020/shang-hai-ke-xue-hui-tang/index.html").is_file()
    index = soup(site / "indicators/index.html")
    assert "预算执行率" in index.get_text() and "满意度指标" in index.get_text()
    for name in ("about", "how-to-read"):
        assert (site / "pages" / name / "index.html").is_file()


def test_every_link_resolves(site):
    # Every page, the pattern page too: its invented example projects are shown unlinked
    # (issue 16: two of its example links were broken).
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        for tag in soup(page).find_all(["a", "link", "script", "img"]):
            url = tag.get("href") or tag.get("src")
            if not url or url.startswith(("#", "mailto:")):
                continue
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https"):
                assert tag.name == "a", f"{page}: external asset {url}"
                continue
            # Root-relative links (the 404 page, served at any address) start at the site.
            base = site if parsed.path.startswith("/") else page.parent
            target = (base / unquote(parsed.path).lstrip("/")).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)}: broken link {url}"


def test_no_external_assets(site):
    for path in list(site.rglob("*.html")) + list(site.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        assert (
            not re.search(r"""(src|href)=["']?(https?:)?//(?!www\.example)""", text)
            or path.suffix == ".html"
        ), path
        assert "@import" not in text and "fonts.googleapis" not in text


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_invalid_data_fails_build_and_keeps_output(tmp_path, seed_copy):
    output = tmp_path / "output"
    build_site(output, data=seed_copy)
    before = _tree_hash(output)
    write_project(seed_copy, "2020/bad.yaml", MINIMAL_PROJECT.replace("total: 100", "total: x"))
    result = build_site(output, data=seed_copy, check=False)
    assert result.returncode != 0
    assert "bad.yaml:6:10: budget.total:" in result.stderr
    assert _tree_hash(output) == before
    assert not list(tmp_path.glob(".output.building-*"))


def test_a_missing_previous_site_is_refused_and_keeps_output(tmp_path, seed_copy):
    output = tmp_path / "output"
    build_site(output, data=seed_copy)
    before = _tree_hash(output)
    result = run_cli(*build_args(output, seed_copy), "--previous", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "--previous" in result.stderr and "not a folder" in result.stderr
    assert _tree_hash(output) == before


def _plain_pelican(output: Path, data: Path) -> subprocess.CompletedProcess:
    """`pelican content -s pelicanconf.py -o OUT -e DISCLOSURES_DATA_PATH=…` (the contract)."""
    return subprocess.run(
        [PELICAN, "content", "-s", "pelicanconf.py", "-o", str(output),
         "-e", f'DISCLOSURES_DATA_PATH="{data}"'],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "400"},  # Pelican's log handler wraps at the terminal width
    )  # fmt: skip


def test_plain_pelican_with_data_path_setting(tmp_path, data_dir):
    write_project(data_dir, "x/p.yaml")
    output = tmp_path / "out"
    result = _plain_pelican(output, data_dir)
    assert result.returncode == 0, result.stderr
    assert (output / "2020/ce-shi-dan-wei/ce-shi-xiang-mu/index.html").is_file()

    write_project(data_dir, "x/q.yaml", MINIMAL_PROJECT.replace("name: 测试项目", "name: [1]"))
    output2 = tmp_path / "out2"
    result = _plain_pelican(output2, data_dir)
    assert result.returncode != 0
    assert "q.yaml:3:7: name:" in result.stdout + result.stderr
    assert not (output2 / "index.html").exists()


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_hostile_text_is_shown_as_text(tmp_path, data_dir):
    text = f"""\
form: national
year: "2021"
name: "{HOSTILE}"
unit: "{HOSTILE}"
department: "{HOSTILE}"
category: "{HOSTILE}"
source: "javascript:alert(3)"
sections:
  annual_goal: "{HOSTILE} [x](javascript:alert(4))"
budget:
  lines:
    - label: "{HOSTILE}"
      amount: 5
indicators:
  - level1: "{HOSTILE}"
    level2: "{HOSTILE}"
    name: "{HOSTILE}"
    target: "合格{HOSTILE}"
    note: "{HOSTILE}"
extra:
  - label: "{HOSTILE}"
    value: "{HOSTILE}"
notes: "{HOSTILE}"
"""
    write_project(data_dir, "h.yaml", text)
    output = tmp_path / "out"
    build_site(output, data=data_dir)
    pages = list(output.rglob("*.html"))
    project = next(p for p in pages if p.parent.parent.parent.name == "2021")
    page = soup(project)
    assert HOSTILE in page.get_text()
    for path in pages:
        parsed = soup(path)
        for script in parsed.find_all("script"):  # only the theme's own files, never inline
            assert script.get("src") and not script.string and "//" not in script["src"], path
        assert not parsed.find("img"), path
        assert not any(
            attr.startswith("on") for tag in parsed.find_all(True) for attr in tag.attrs
        ), path
        assert not parsed.find("a", href=re.compile(r"^\s*javascript:", re.I)), path


def test_big_sites_list_projects_on_year_pages_not_the_home_page(tmp_path, seed_copy):
    settings = settings_file(tmp_path, DISCLOSURES_HOME_PROJECTS=2)
    output = tmp_path / "out"
    build_site(output, data=seed_copy, settings=settings, content=REPO / "content")
    home = soup(output / "index.html")
    section_text = home.find(id="all-projects").find_next("p").get_text()
    count = sum(1 for p in seed_copy.rglob("*.yaml") if not p.name.startswith("_"))
    assert f"共 {count} 个项目" in section_text
    links = {a["href"] for a in home.find(id="all-projects").find_next("p").find_all("a")}
    assert {"./2023/", "./2021/", "./2020/"} <= links
    assert "全部项目（按年度、单位排列）" not in home.get_text()
    # A year with more projects than that lists them on its unit pages, which it links.
    one = settings_file(tmp_path, DISCLOSURES_HOME_PROJECTS=1)
    build_site(output, data=seed_copy, settings=one, content=REPO / "content")
    year_page = soup(output / "2021" / "index.html")
    in_2021 = [p for p in (seed_copy / "2021").rglob("*.yaml") if not p.name.startswith("_")]
    assert f"共 {len(in_2021)} 个项目" in year_page.get_text()
    assert not year_page.find("caption", string=re.compile("全部项目"))
    assert "请在上面的单位表中选择单位" in year_page.get_text()
    units = year_page.select("table.listing tbody th a")
    assert len(units) == len({p.parent for p in in_2021})
    for link in units:
        unit_page = soup((output / "2021" / link["href"]).resolve() / "index.html")
        assert unit_page.select("table.listing tbody tr")  # the unit's projects are listed
    # At or below the threshold, a year page lists its projects.
    for page in output.glob("[0-9][0-9][0-9][0-9]/index.html"):
        parsed = soup(page)
        count = int(parsed.select_one("dl.totals dd").get_text())
        assert bool(parsed.find("caption", string=re.compile("全部项目"))) == (count <= 1), page
