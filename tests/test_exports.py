"""Open-data downloads: built with the real site, read back with the tools readers use."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from disclosures.export.results import RESULTS
from disclosures.export.tables import BUDGET_LINES, COMPARISON, INDICATORS, PROJECTS
from disclosures.pipeline import load_projects
from disclosures.targets import KIND_LABELS
from disclosures.urls import Urls
from support import BIN, MINIMAL_PROJECT, REPO, build_site, soup, write_project

URLS = Urls()  # the default URL settings (pelicanconf.py sets none)

MONEY_KEYS = (
    "total",
    "current_year",
    "previous_year",
    "previous_year_executed",
    "fiscal",
    "other",
    "current_year_fiscal",
    "current_year_other",
    "carried_over",
)


@pytest.fixture(scope="module")
def projects():
    result = load_projects([REPO / "data"], data_root=REPO / "data")
    assert not result.errors
    return result.projects


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path} has no UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _by_key(table) -> dict[str, str]:
    return {c.key: c.title for c in table.columns}


def test_projects_csv_matches_the_data(site: Path, projects) -> None:
    rows = read_csv(site / "downloads" / "projects.csv")
    titles = _by_key(PROJECTS)
    assert list(rows[0].keys()) == PROJECTS.header()
    assert titles["name"] == "项目名称" and "项目名称" in rows[0]
    assert len(rows) == len(projects)
    for key in (*MONEY_KEYS, "amount"):
        column = [row[titles[key]] for row in rows]
        expected = sum((p.amount if key == "amount" else p.money(key)) or 0 for p in projects)
        assert sum(int(value) for value in column if value) == expected, key
    # blank is not zero: a new project's previous-year budget stays empty
    assert any(row[titles["previous_year"]] == "" for row in rows) == any(
        p.form == "shanghai" and p.money("previous_year") is None for p in projects
    )
    assert {row[titles["name"]] for row in rows} == {p.name for p in projects}


def test_indicators_csv_matches_the_data(site: Path, projects) -> None:
    rows = read_csv(site / "downloads" / "indicators.csv")
    titles = _by_key(INDICATORS)
    assert len(rows) == sum(len(p.indicators) for p in projects)
    parsed = [i.target for p in projects for i in p.indicators]
    numbers = sorted(t.number for t in parsed if t.number is not None)
    assert sorted(Decimal(r[titles["number"]]) for r in rows if r[titles["number"]]) == numbers
    kinds = {r[titles["kind_key"]] for r in rows}
    assert kinds <= {"quantitative", "qualitative", "empty", "date_serial"}
    # The Chinese word readers see, beside the English key programs match.
    chinese = {"quantitative": "定量", "qualitative": "定性", "empty": "空白"}
    chinese["date_serial"] = "日期序号（待核）"
    assert all(r[titles["kind"]] == chinese[r[titles["kind_key"]]] for r in rows)
    assert {r["表式"]: r["表式键"] for r in read_csv(site / "downloads" / "projects.csv")} == {
        "上海市表式": "shanghai",
        "全国通行表式": "national",
    }
    project_keys = {r["项目键"] for r in read_csv(site / "downloads" / "projects.csv")}
    assert {r[titles["project_key"]] for r in rows} == project_keys


def test_per_project_files(site: Path, projects) -> None:
    for project in projects:
        folder = site / URLS.project(project)
        record = json.loads((folder / "project.json").read_text(encoding="utf-8"))
        assert record["name"] == project.name and record["year"] == project.year
        assert len(record["indicators"]) == len(project.indicators)
        for written, indicator in zip(record["indicators"], project.indicators, strict=True):
            target = indicator.target
            assert written["target"] == {
                **target.as_dict(),
                "kind_label": KIND_LABELS[target.kind],
                "normalised": target.normalised(),
            }
        # The index's grouping, as in indicators.csv.
        csv_rows = read_csv(folder / "indicators.csv")
        for written, row in zip(record["indicators"], csv_rows, strict=True):
            assert (written["name_key"] or "") == row["指标名称（归一）"]
            national = written["national"]
            if row["指标名称（归一）"]:
                assert (national["level1"], national["level2"]) == (
                    row["一级指标（全国框架）"],
                    row["二级指标（全国框架）"],
                )
                assert national["mapped"] == (row["已对应全国框架"] == "是")
        assert record["amount"] == project.amount
        assert [line["yuan"] for line in record["budget"]] == [b.yuan for b in project.budget]
        rows = read_csv(folder / "indicators.csv")
        assert len(rows) == len(project.indicators)


def test_json_keeps_targets_exactly_as_written(site: Path, projects) -> None:
    project = next(
        p for p in projects if any(i.target.written.startswith("=") for i in p.indicators)
    )
    record = json.loads((site / URLS.project(project) / "project.json").read_text(encoding="utf-8"))
    assert any(i["target"]["written"].startswith("=") for i in record["indicators"])


def test_one_typed_workbook_per_year(site: Path, projects) -> None:
    years = sorted({p.year for p in projects})
    workbooks = sorted((site / "downloads").glob("disclosures-[0-9]*.xlsx"))
    assert [w.name for w in workbooks] == [f"disclosures-{y}.xlsx" for y in years]
    for year_number, path in zip(years, workbooks, strict=True):
        in_year = [p for p in projects if p.year == year_number]
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["项目", "指标", "资金明细", "自评结果", "字段说明"]
        sheet = book["项目"]
        header = [c.value for c in sheet[1]]
        assert header == PROJECTS.header()
        amount = header.index("列表金额（元）") + 1
        year = header.index("年度") + 1
        cells = [row[0] for row in sheet.iter_rows(min_row=2, min_col=amount, max_col=amount)]
        assert all(
            c.value is None or (isinstance(c.value, int) and c.data_type == "n") for c in cells
        )
        assert sum(c.value or 0 for c in cells) == sum(p.amount or 0 for p in in_year)
        assert [r[0].value for r in sheet.iter_rows(min_row=2, min_col=year, max_col=year)] == [
            year_number
        ] * len(in_year)
        indicators = book["指标"]
        header = [c.value for c in indicators[1]]
        number = header.index("数值") + 1
        values = [
            r[0].value for r in indicators.iter_rows(min_row=2, min_col=number, max_col=number)
        ]
        assert indicators.max_row - 1 == sum(len(p.indicators) for p in in_year)
        assert all(v is None or isinstance(v, int | float) for v in values)
        assert not any(c.data_type == "f" for row in indicators.iter_rows() for c in row)
        keys = {row[2] for row in book["字段说明"].iter_rows(min_row=2, values_only=True)}
        assert {c.key for c in PROJECTS.columns + INDICATORS.columns} <= keys


def test_year_pages_link_their_workbook(site: Path, projects) -> None:
    for year in {p.year for p in projects}:
        links = [a["href"] for a in soup(site / str(year) / "index.html").select(".downloads a")]
        assert [h for h in links if h.endswith(".xlsx")] == [
            f"../downloads/disclosures-{year}.xlsx"
        ]
        target = site / "downloads" / f"disclosures-{year}.xlsx"
        assert target.is_file()
    home = [a["href"] for a in soup(site / "index.html").select(".downloads a")]
    # Each year's workbook, and (a small site) every year in one.
    assert len([h for h in home if h.endswith(".xlsx")]) == len({p.year for p in projects}) + 1
    assert any(h.endswith("downloads/disclosures-all.xlsx") for h in home)


def test_site_indicators_csv_is_the_projects_files_joined(site: Path, projects) -> None:
    whole = read_csv(site / "downloads" / "indicators.csv")
    parts = [row for p in projects for row in read_csv(site / URLS.project(p) / "indicators.csv")]
    assert sorted(map(str, whole)) == sorted(map(str, parts))
    assert len(whole) == sum(len(p.indicators) for p in projects)


def test_datapackage_validates_with_frictionless(site: Path) -> None:
    result = subprocess.run(
        [
            str(BIN / "frictionless"),
            "validate",
            "--json",
            str(site / "downloads" / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["valid"], result.stdout[:3000]
    assert result.returncode == 0
    package = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    indicators = next(r for r in package["resources"] if r["name"] == "indicators")
    assert indicators["schema"]["foreignKeys"][0]["reference"]["resource"] == "projects"
    assert {f["title"] for f in indicators["schema"]["fields"]} == {
        c.key for c in INDICATORS.columns
    }


def test_frictionless_catches_a_broken_foreign_key(site: Path, tmp_path: Path) -> None:
    """The package's foreign key really is checked (so the passing test above means something)."""
    copy = tmp_path / "downloads"
    shutil.copytree(site / "downloads", copy)
    path = copy / "indicators.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines[1] = "1999/nowhere/nothing" + lines[1][lines[1].index(",") :]
    path.write_text("\ufeff" + "".join(lines), encoding="utf-8")
    result = subprocess.run(
        [str(BIN / "frictionless"), "validate", "--json", str(copy / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "foreign-key" in result.stdout


def test_sha256sums_cover_every_download(site: Path) -> None:
    downloads = site / "downloads"
    lines = (downloads / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    assert {"projects.csv", "indicators.csv", "datapackage.json"} <= set(names)
    assert any(name.startswith("disclosures-") and name.endswith(".xlsx") for name in names)
    assert sum(name.endswith("project.json") for name in names) == len(
        list(site.glob("*/*/*/project.json"))
    )
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((downloads / name).read_bytes()).hexdigest() == digest, name


HOSTILE = (
    MINIMAL_PROJECT.replace("name: 测试项目", 'name: "=HYPERLINK(\\"http://x\\")"')
    .replace("unit: 测试单位", 'unit: "@SUM(A1)"')
    .replace("name: 完成率", 'name: "+cmd|calc"')
    .replace('target: "=100%"', 'target: "-5"')
)


def test_formula_injection_is_neutralised(tmp_path: Path, data_dir: Path) -> None:
    write_project(data_dir, "hostile.yaml", HOSTILE)
    output = tmp_path / "out"
    build_site(output, data=data_dir)
    projects = read_csv(output / "downloads" / "projects.csv")
    assert projects[0]["项目名称"] == '\'=HYPERLINK("http://x")'
    assert projects[0]["单位"] == "'@SUM(A1)"
    indicators = read_csv(output / "downloads" / "indicators.csv")
    assert indicators[0]["三级指标"] == "'+cmd|calc"
    assert indicators[0]["指标值（原文）"] == "-5"  # a number is not a formula: as written
    assert indicators[0]["数值"] == "-5"  # a number cell stays a number
    # XLSX: text cells hold the text as written, with no guard (a text cell is never a
    # formula); every workbook, the year's and the all-years one.
    workbooks = sorted((output / "downloads").glob("disclosures-*.xlsx"))
    assert len(workbooks) == 2
    for workbook in workbooks:
        book = openpyxl.load_workbook(workbook)
        name = book["项目"].cell(row=2, column=PROJECTS.header().index("项目名称") + 1)
        assert name.value == '=HYPERLINK("http://x")' and name.data_type == "s"
        number = book["指标"].cell(row=2, column=INDICATORS.header().index("数值") + 1)
        assert number.value == -5 and number.data_type == "n"
        guarded = [
            (sheet.title, cell.coordinate, cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and cell.value.startswith("'")
        ]
        assert guarded == [], guarded
    (record_path,) = output.glob("*/*/*/project.json")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    assert record["name"] == '=HYPERLINK("http://x")'  # JSON is not a spreadsheet
    assert record["indicators"][0]["target"]["written"] == "-5"


def test_two_builds_are_identical(tmp_path: Path) -> None:
    """Reproducible: no timestamps, stable order (Pagefind's index excepted, see open-data.md)."""
    first, second = tmp_path / "a", tmp_path / "b"
    build_site(first)
    build_site(second)

    def files(root: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] != "pagefind"
        }

    a, b = files(first), files(second)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_download_links_on_every_data_page(site: Path, projects) -> None:
    pages = [
        site / "index.html",
        *site.glob("[0-9]*/index.html"),
        *site.glob("[0-9]*/*/index.html"),
        *site.glob("units/*/index.html"),
        *(site / URLS.project(p) / "index.html" for p in projects),
    ]
    for page in pages:
        links = soup(page).select("aside.downloads a[href]")
        assert links, page
        for link in links:
            target = (page.parent / link["href"]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), (page, link["href"])
    project = projects[0]
    hrefs = [
        a["href"]
        for a in soup(site / URLS.project(project) / "index.html").select("aside.downloads a")
    ]
    assert any(h.endswith("project.json") for h in hrefs)
    assert any(h.endswith(f"{project.slug}/indicators.csv") for h in hrefs)


def test_open_data_page_documents_every_column(site: Path) -> None:
    page = soup(site / "pages" / "open-data" / "index.html")
    text = page.get_text()
    shown = {
        tuple(cell.get_text(strip=True) for cell in tr.find_all(["td", "th"]))
        for tr in page.select("tr")
    }
    tables = (PROJECTS, INDICATORS, BUDGET_LINES, COMPARISON, RESULTS)
    for column in (column for table in tables for column in table.columns):
        # As declared (tools/open_data_columns.py prints the rows): header, key, type and
        # the Chinese part of the description.
        chinese = column.description.split(" / ", 1)[0]
        assert (column.title, column.key, column.type, chinese) in shown, column.key
    assert "CC BY 4.0" in text and "'=100%" in text and "BOM" in text


def _guard_section(site: Path):
    page = soup(site / "pages" / "open-data" / "index.html")
    heading = next(h for h in page.find_all("h2") if h.get_text(strip=True) == "公式注入的防护")
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling)
    return parts


def test_open_data_page_states_the_guard_the_code_applies(site: Path) -> None:
    """The page's sentence on the formula guard matches export/cells.py: the signs it lists
    are exactly those the guard fires on, and every example is treated as the page says."""
    import string

    from disclosures.export.cells import is_formula, neutralise

    parts = _guard_section(site)
    first = parts[0]
    listed = {c.get_text() for c in first.find_all("code") if len(c.get_text()) == 1}
    candidates = string.punctuation + "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    assert listed - {"'"} == {c for c in candidates if is_formula(c + "1a")}
    words = first.get_text()
    assert "制表符" in words and "回车" in words and is_formula("\tx") and is_formula("\rx")
    assert "空格" in words and is_formula(" =1") and is_formula("\u3000=1")
    items = [li for part in parts for li in part.find_all("li")]
    guarded = next(li for li in items if li.get_text().startswith("加单引号"))
    codes = [c.get_text() for c in guarded.find_all("code")]
    pairs = list(zip(codes[::2], codes[1::2], strict=True))
    assert len(pairs) >= 3
    for written, csv_text in pairs:
        assert neutralise(written) == csv_text, written
    plain = next(li for li in items if li.get_text().startswith("不加"))
    numbers = [c.get_text() for c in plain.find_all("code")]
    assert len(numbers) >= 3
    for number in numbers:
        assert number[0] in "+-" and neutralise(number) == number, number
    assert any("XLSX" in li.get_text() and "不加" in li.get_text() for li in items)
