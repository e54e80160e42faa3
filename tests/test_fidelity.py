"""Fidelity, end to end: every value of every bundled YAML file is on its built page (and in
its project.json download) unchanged.

The YAML is read here with PyYAML's BaseLoader (every scalar a string), independently of
plugins/disclosures/load.py, so a loader bug cannot hide itself. A mismatch names the file,
the field and both values.
"""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from support import REPO, soup

DATA = REPO / "data"
DATA_FILES = sorted(p for p in DATA.rglob("*.yaml") if not p.name.startswith(("_", ".")))

# The label each form prints for a field (a file's own `labels:` overrides it: pages show
# the label its table prints). Written out here, not read from fields.py.
FORM_LABELS = {
    "shanghai": {
        "year": "年度",
        "name": "项目名称",
        "unit": "申报单位名称",
        "category": "项目类别",
        "gov_purchase": "是否含有政府购买服务",
        "performance_type": "绩效类型",
        "start": "计划开始日期",
        "end": "计划完成日期",
        "overview": "项目概况",
        "basis": "立项依据",
        "necessity": "项目设立的必要性",
        "safeguards": "保证项目实施的制度、措施",
        "plan": "项目实施计划",
        "goals": "总目标及阶段性目标",
        "total": "项目总预算",
        "current_year": "项目当年预算",
        "previous_year": "同名项目上年预算额",
        "previous_year_executed": "同名项目上年预算执行数",
    },
    "national": {
        "year": "年度",
        "name": "项目名称",
        "unit": "实施单位",
        "region": "行政区划",
        "unit_code": "单位编码",
        "department": "主管部门及编码",
        "category": "项目属性",
        "start": "计划开始日期",
        "end": "计划完成日期",
        "period": "项目起止时间",
        "midterm_goal": "中期目标",
        "annual_goal": "年度目标",
        "total": "资金总额",
        "current_year": "当年资金总额",
        "fiscal": "其中：财政拨款",
        "other": "其他资金",
        "current_year_fiscal": "其中：当年财政拨款",
        "current_year_other": "当年其他资金",
        "carried_over": "上年结转",
    },
}
HEADER_KEYS = (
    "year",
    "name",
    "unit",
    "region",
    "unit_code",
    "department",
    "category",
    "gov_purchase",
    "performance_type",
    "start",
    "end",
)
FIXED_LABELS = {"published": "发布日期", "source": "来源"}
SECTION_KEYS = (
    "overview",
    "basis",
    "necessity",
    "safeguards",
    "plan",
    "goals",
    "midterm_goal",
    "annual_goal",
)
BUDGET_KEYS = (
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


def label_of(data: dict, key: str) -> str:
    """The label a page must show: the file's own, else its form's."""
    return (data.get("labels") or {}).get(key) or FORM_LABELS[data["form"]][key]


COLUMN_LABELS = {
    "unit": "计量单位",
    "nature": "指标性质",
    "direction": "指标方向",
    "weight": "权重 / 分值",
    "explanation": "指标解释",
    "standard": "评分标准 / 绩效标准",
    "note": "备注",
}
BLANK = "—"


def read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8-sig") as handle:
        return yaml.load(handle, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds no objects


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def yuan(written: str) -> int:
    """An independent reading of a money cell: 9900000, 9,900,000, 250万, 6.30万元."""
    match = re.fullmatch(r"([\d,]+(?:\.\d+)?)\s*(万元|万|元)?", written.strip())
    assert match, f"unreadable amount in the data: {written!r}"
    value = Decimal(match[1].replace(",", "")) * (10_000 if match[2] in ("万", "万元") else 1)
    assert value == int(value)
    return int(value)


def label(cell: Tag) -> str:
    """A header cell's own label, without the glossary help link beside it."""
    return "".join(
        part.get_text() if isinstance(part, Tag) else str(part)
        for part in cell.children
        if not (isinstance(part, Tag) and "help" in part.get("class", []))
    ).strip()


def body(section: Tag) -> str:
    """A section's text without its heading."""
    return "".join(
        child.get_text() if isinstance(child, Tag) else str(child)
        for child in section.children
        if not (isinstance(child, Tag) and child.name in ("h2", "h3"))
    )


def text(cell: Tag) -> str:
    """A cell's text, with a blank marker read as '' (the words it adds for screen readers,
    （原表为空）, are part of the marker, not of the value)."""
    if cell.find(class_="blank") is not None:
        seen = copy.copy(cell)
        for words in seen.select(".blank .visually-hidden"):
            words.decompose()
        if seen.get_text(strip=True) == BLANK:
            return ""
    return cell.get_text()


_LINE_SYNTAX = re.compile(r"^\s*(?:#{1,6}\s|>\s?|[-*+]\s|\d{1,9}[.)]\s)", re.M)
_INLINE_SYNTAX = set("*_`\\[]()!<>#|~")


def markdown_kept(source: str, shown: str) -> str | None:
    """None when every character of `source` appears in `shown` in order, ignoring whitespace
    and Markdown syntax; else a description of the first character missing."""
    src = re.sub(r"\s+", "", _LINE_SYNTAX.sub("", source))
    out = re.sub(r"\s+", "", shown)
    j = 0
    for i, char in enumerate(src):
        found = out.find(char, j, j + 1)
        if found == j:
            j += 1
        elif char not in _INLINE_SYNTAX:
            return (
                f"character {char!r} at {i} (…{src[max(0, i - 15) : i + 15]}…) not shown in order"
            )
    return None


def table_grid(table: Tag) -> tuple[list[str], list[list[Tag]]]:
    """Header ids (`c-l1`, `c-target`, `c-KEY`…) and body rows of `table`, with rowspans
    expanded into every row."""
    heads = [th.get("id", "") for th in table.thead.find_all("th")]
    grid: list[list[Tag]] = []
    carry: dict[int, tuple[Tag, int]] = {}  # column → (cell, rows still covered)
    for tr in table.tbody.find_all("tr", recursive=False):
        row: list[Tag] = []
        cells = iter(tr.find_all(["th", "td"], recursive=False))
        column = 0
        while True:
            if column in carry:
                cell, left = carry[column]
                row.append(cell)
                if left > 1:
                    carry[column] = (cell, left - 1)
                else:
                    del carry[column]
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            span = int(cell.get("rowspan", 1))
            if span > 1:
                carry[column] = (cell, span - 1)
            row.append(cell)
            column += 1
        grid.append(row)
    return heads, grid


@pytest.fixture(scope="module")
def pages_by_source(site: Path) -> dict[str, Path]:
    """Each project page keyed by the data file it names (`2020/unit/file.yaml`)."""
    found: dict[str, Path] = {}
    for page in site.rglob("index.html"):
        html = soup(page)
        code = html.select_one("p.source-file code")
        if code is not None:
            assert code.get_text() not in found, f"two pages claim {code.get_text()}"
            found[code.get_text()] = page
    return found


def _id(path: Path) -> str:
    return path.relative_to(DATA).as_posix()


class Mismatches(list):
    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def check(self, field: str, expected: Any, shown: Any) -> None:
        if expected != shown:
            self.append(f"{self.source}: {field}: YAML {expected!r} ≠ shown {shown!r}")

    def done(self) -> None:
        assert not self, "\n".join(self)


@pytest.mark.parametrize("data_file", DATA_FILES, ids=_id)
def test_page_shows_every_value(data_file: Path, pages_by_source: dict[str, Path]) -> None:
    source = _id(data_file)
    assert source in pages_by_source, f"{source}: no project page names this data file"
    data = read_yaml(data_file)
    html = soup(pages_by_source[source])
    bad = Mismatches(source)
    _check_header(data, html, bad)
    _check_sections(data, html, bad)
    _check_budget(data, html, bad)
    _check_indicators(data, html, bad)
    bad.done()


def _check_header(data: dict, html: BeautifulSoup, bad: Mismatches) -> None:
    rows = [(label(tr.th), tr.td) for tr in html.select("table.fields tr") if tr.th and tr.td]
    for key in (*HEADER_KEYS, *FIXED_LABELS):
        if _blank(data.get(key)):
            continue
        wanted = FIXED_LABELS.get(key) or label_of(data, key)
        shown = [text(td) for name, td in rows if name == wanted]
        bad.check(f"{key} ({wanted})", [data[key]], shown)
    if not _blank(data.get("period")):
        shown = [text(td) for name, td in rows if name == label_of(data, "period")]
        bad.check("period", True, len(shown) == 1 and shown[0].startswith(data["period"]))
    # Extra header fields: each label with its value, in order, after the declared fields.
    extra = [(e["label"], e.get("value") or "") for e in data.get("extra") or []]
    shown_pairs = [(name, text(td)) for name, td in rows]
    for i, pair in enumerate(extra):
        bad.check(f"extra[{i}]", True, pair in shown_pairs)
    if extra:
        positions = [shown_pairs.index(pair) for pair in extra if pair in shown_pairs]
        bad.check("extra (order)", sorted(positions), positions)


def _check_sections(data: dict, html: BeautifulSoup, bad: Mismatches) -> None:
    for key, written in (data.get("sections") or {}).items():
        if _blank(written):
            continue
        section = html.select_one(f'section.narrative[aria-labelledby="s-{key}"]')
        if section is None:
            bad.append(f"{bad.source}: sections.{key}: section missing from the page")
            continue
        bad.check(f"sections.{key} (heading)", label_of(data, key), label(section.h2))
        problem = markdown_kept(written, body(section))
        if problem:
            bad.append(f"{bad.source}: sections.{key}: {problem}")
    if not _blank(data.get("notes")):
        notes = html.select_one("section.provenance dd.notes")
        problem = markdown_kept(data["notes"], body(notes) if notes else "")
        if problem:
            bad.append(f"{bad.source}: notes: {problem}")


def _check_budget(data: dict, html: BeautifulSoup, bad: Mismatches) -> None:
    shown = [(label(tr.th), tr.find("td")) for tr in html.select("table.money tbody tr")]
    cells = [(name, BLANK if text(td) == "" else text(td)) for name, td in shown]
    budget = data.get("budget") or {}
    expected: list[tuple[str, str, str]] = []
    for key in BUDGET_KEYS:
        if key not in budget and key not in FORM_LABELS[data["form"]]:
            continue
        name = label_of(data, key)
        if key in budget:
            expected.append((key, name, budget[key]))
        elif data["form"] == "shanghai" and key in ("previous_year", "previous_year_executed"):
            expected.append((key, name, ""))  # printed on the Shanghai form even when blank
    for i, line in enumerate(budget.get("lines") or []):
        expected.append((f"lines[{i}]", line["label"], line.get("amount") or ""))
    position = 0
    for key, name, written in expected:
        want = BLANK if _blank(written) else f"{yuan(written):,}"
        for k in range(position, len(cells)):
            if cells[k][0] == name:
                bad.check(f"budget.{key} ({name})", want, cells[k][1])
                position = k + 1
                break
        else:
            bad.append(f"{bad.source}: budget.{key}: row “{name}” = {want} missing or out of order")


def _check_indicators(data: dict, html: BeautifulSoup, bad: Mismatches) -> None:
    table = html.select_one("table.indicators")
    heads, grid = table_grid(table)
    col = {name: heads.index(name) for name in heads}
    level1, level2, name, target = col["c-l1"], col["c-l2"], col["c-name"], col["c-target"]
    indicators = data["indicators"]
    bad.check("indicators (row count)", len(indicators), len(grid))
    for i, (row, cells) in enumerate(zip(indicators, grid, strict=False)):
        for key, column in (
            ("level1", level1),
            ("level2", level2),
            ("name", name),
            ("target", target),
        ):
            bad.check(f"indicators[{i}].{key}", row.get(key) or "", text(cells[column]))
        for key in COLUMN_LABELS:
            if key in row:
                shown = text(cells[col[f"c-{key}"]]) if f"c-{key}" in col else None
                bad.check(f"indicators[{i}].{key}", row[key] or "", shown)


def test_fidelity_covers_every_project(pages_by_source: dict[str, Path]) -> None:
    assert DATA_FILES, "no data files found"
    assert sorted(pages_by_source) == [_id(p) for p in DATA_FILES]


def test_markdown_check_is_not_vacuous() -> None:
    assert markdown_kept("1. 第一\n2. **第二**", "第一\n第二") is None
    assert markdown_kept("预算 9,900,000 元", "预算 9,900,00 元") is not None
    assert markdown_kept("甲乙", "乙甲") is not None


# --- the JSON download ----------------------------------------------------------------------


@pytest.mark.parametrize("data_file", DATA_FILES, ids=_id)
def test_json_download_holds_every_value(data_file: Path, pages_by_source: dict[str, Path]) -> None:
    source = _id(data_file)
    path = pages_by_source[source].parent / "project.json"
    if not path.exists():
        pytest.skip(f"no /YEAR/UNIT/PROJECT/project.json in the build (exports not built): {path}")
    record = json.loads(path.read_text(encoding="utf-8"))
    data = read_yaml(data_file)
    bad = Mismatches(f"{source} → project.json")
    bad.check("year", int(data["year"]), record["year"])
    for key in ("form", "name", "unit"):
        bad.check(key, data[key], record[key])
    header = {h["key"]: h["value"] for h in record["header"]}
    for key in (
        "region",
        "unit_code",
        "department",
        "category",
        "gov_purchase",
        "performance_type",
    ):
        if not _blank(data.get(key)):
            bad.check(key, data[key], header.get(key))
    for key in ("start", "end", "published"):
        if not _blank(data.get(key)):
            bad.check(key, data[key], (record.get(key) or {}).get("written"))
    if not _blank(data.get("period")):
        bad.check("period", data["period"], record["period"])
    if not _blank(data.get("source")):
        bad.check("source", data["source"], record["source"])
    sections = {s["key"]: s["text"] for s in record["sections"]}
    for key, written in (data.get("sections") or {}).items():
        if not _blank(written):
            bad.check(f"sections.{key}", written, sections.get(key))
    budget = data.get("budget") or {}
    lines = {line["key"]: line["yuan"] for line in record["budget"] if line["key"]}
    for key in BUDGET_KEYS:
        if key in budget:
            bad.check(
                f"budget.{key}",
                None if _blank(budget[key]) else yuan(budget[key]),
                lines.get(key, "(missing)"),
            )
    free = [(line["label"], line["yuan"]) for line in record["budget"] if not line["key"]]
    bad.check(
        "budget.lines",
        [
            (line["label"], None if _blank(line.get("amount")) else yuan(line["amount"]))
            for line in budget.get("lines") or []
        ],
        free,
    )
    bad.check("indicators (row count)", len(data["indicators"]), len(record["indicators"]))
    for i, (row, got) in enumerate(zip(data["indicators"], record["indicators"], strict=False)):
        for key in ("level1", "level2", "name"):
            bad.check(f"indicators[{i}].{key}", row.get(key) or "", got[key])
        bad.check(f"indicators[{i}].target", row.get("target") or "", got["target"]["written"])
        columns = (
            {c["key"]: c["text"] for c in got["columns"]}
            if got["columns"] and isinstance(got["columns"][0], dict)
            else {c[0]: c[-1] for c in got["columns"]}
        )
        for key in COLUMN_LABELS:
            if key in row:
                bad.check(f"indicators[{i}].{key}", row[key], columns.get(key))
    extra = [(e["label"], e.get("value") or "") for e in data.get("extra") or []]
    bad.check(
        "extra",
        extra,
        [(e["label"], e["value"]) if isinstance(e, dict) else tuple(e) for e in record["extra"]],
    )
    bad.check("notes", None if _blank(data.get("notes")) else data["notes"], record["notes"])
    bad.done()


def test_checks_catch_tampering(pages_by_source: dict[str, Path]) -> None:
    """A changed target, a dropped budget row and a dropped indicator row are all reported."""
    source = "2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"
    data = read_yaml(DATA / source)
    html = soup(pages_by_source[source])
    html.select("td.target")[0].string = "=10%"
    html.select("table.money tbody tr")[2].decompose()
    html.select("table.indicators tbody tr")[-1].decompose()
    bad = Mismatches(source)
    _check_budget(data, html, bad)
    _check_indicators(data, html, bad)
    report = "\n".join(bad)
    assert "budget.previous_year: row “同名项目上年预算额” = 8,900,042 missing" in report
    assert "indicators (row count): YAML 14 ≠ shown 13" in report
    assert f"{source}: indicators[0].target: YAML" in report and "shown '=10%'" in report


# --- self-evaluation results (issue 14): every result value on the page, in project.json and
# in downloads/results.csv, read back independently of the plugin's parsers.
SELFEVAL_FILES = [p for p in DATA_FILES if "selfeval" in read_yaml(p)]
_NUMBER_KEYS = ("points", "score")
_FUNDS_COLUMNS = ("initial", "budget", "executed", "points", "rate", "score")


def _same_number(written: str, shown: str) -> bool:
    """`8.62` and `8.62`, `1,234` and `1234`: the same number as written."""
    try:
        return Decimal(written.replace(",", "").strip()) == Decimal(shown.replace(",", ""))
    except ArithmeticError:
        return False


def _result_rows(html: BeautifulSoup) -> dict[tuple[str, str], Tag]:
    table = html.select_one("table.selfeval-results")
    assert table is not None, "no results table on the page"
    rows = {}
    for tr in table.tbody.find_all("tr", recursive=False):
        cells = tr.find_all(["th", "td"], recursive=False)
        name = cells[2].find(string=True, recursive=False) or ""
        rows[(cells[1].get_text().strip(), str(name).strip())] = tr
    return rows


def check_selfeval_page(data: dict, html: BeautifulSoup, bad: Mismatches) -> None:
    ev = data["selfeval"]
    section = html.select_one("section#results")
    assert section is not None, "no results section"
    shown = section.get_text()
    rows = _result_rows(html)
    for i, row in enumerate(ev.get("indicators") or []):
        key = ((row.get("level2") or "—").strip(), row["name"].strip())
        tr = rows.get(key)
        if tr is None:
            bad.append(f"{bad.source}: selfeval.indicators[{i}]: row {key} not on the page")
            continue
        cells = tr.find_all(["th", "td"], recursive=False)
        bad.check(f"selfeval.indicators[{i}].actual", row.get("actual") or "", cells[4].get_text())
        for key_, n in (("points", 6), ("score", 7)):
            if not _blank(row.get(key_)) and not _same_number(row[key_], cells[n].get_text()):
                bad.check(f"selfeval.indicators[{i}].{key_}", row[key_], cells[n].get_text())
        bad.check(f"selfeval.indicators[{i}].reason", row.get("reason") or "", cells[8].get_text())
        target = cells[3].get_text()
        if not _blank(row.get("target")) and row["target"] not in target:
            bad.check(f"selfeval.indicators[{i}].target", row["target"], target)
        status = cells[5].get_text()
        if not status.startswith(("达成", "未达成", "无法判断")):
            bad.append(f"{bad.source}: selfeval.indicators[{i}]: no status shown ({status!r})")
    funds = ev.get("funds") or {}
    if funds:
        table = section.select_one("table.selfeval-funds")
        body_rows = table.tbody.find_all("tr", recursive=False)
        first = [c.get_text() for c in body_rows[0].find_all("td")]
        for n, key in enumerate(_FUNDS_COLUMNS):
            if _blank(funds.get(key)):
                continue
            cell = first[n].split("（")[0]  # the printed rate, before the computed B/A
            if not (_same_number(funds[key], cell) or funds[key] == cell):
                bad.check(f"selfeval.funds.{key}", funds[key], cell)
        for i, line in enumerate(funds.get("lines") or []):
            cells = body_rows[1 + i].find_all(["th", "td"])
            bad.check(f"selfeval.funds.lines[{i}].label", line["label"], cells[0].get_text())
            for n, key in enumerate(("initial", "budget", "executed"), start=1):
                if not _blank(line.get(key)) and not _same_number(line[key], cells[n].get_text()):
                    bad.check(f"selfeval.funds.lines[{i}].{key}", line[key], cells[n].get_text())
    for key in ("expected", "achieved", "conclusion", "problems", "measures"):
        if not _blank(ev.get(key)):
            block = section.select_one(f'div.selfeval-text[data-key="{key}"]')
            missing = markdown_kept(ev[key], block.get_text()) if block else "not on the page"
            if missing:
                bad.append(f"{bad.source}: selfeval.{key}: {missing}")
    for key in ("total", "grade", "source"):
        if not _blank(ev.get(key)) and ev[key] not in shown:
            bad.append(f"{bad.source}: selfeval.{key}: {ev[key]!r} not on the page")


@pytest.mark.parametrize("data_file", SELFEVAL_FILES, ids=_id)
def test_page_shows_every_result_value(data_file: Path, pages_by_source: dict[str, Path]) -> None:
    source = _id(data_file)
    bad = Mismatches(source)
    check_selfeval_page(read_yaml(data_file), soup(pages_by_source[source]), bad)
    bad.done()


@pytest.mark.parametrize("data_file", SELFEVAL_FILES, ids=_id)
def test_json_and_csv_hold_every_result_value(
    data_file: Path, pages_by_source: dict[str, Path], site: Path
) -> None:
    source = _id(data_file)
    page = pages_by_source[source]
    record = json.loads((page.parent / "project.json").read_text(encoding="utf-8"))["selfeval"]
    ev = read_yaml(data_file)["selfeval"]
    bad = Mismatches(f"{source} → project.json")
    for key in ("expected", "achieved", "total", "grade", "conclusion", "problems", "measures"):
        bad.check(key, None if _blank(ev.get(key)) else ev[key], record[key])
    funds = ev.get("funds") or {}
    for key in _FUNDS_COLUMNS:
        if not _blank(funds.get(key)):
            got = record["funds"][key]
            if not (got == funds[key] or _same_number(funds[key], got or "")):
                bad.check(f"funds.{key}", funds[key], got)
    results = record["results"]
    bad.check("results (row count)", len(ev.get("indicators") or []), len(results))
    for i, (row, got) in enumerate(zip(ev.get("indicators") or [], results, strict=False)):
        for key in ("level1", "name", "actual", "reason"):
            bad.check(f"results[{i}].{key}", row.get(key) or "", got[key])
        bad.check(f"results[{i}].level2", row.get("level2") or "", got["level2"])
        for key in _NUMBER_KEYS:
            if not _blank(row.get(key)) and not _same_number(row[key], got[key] or ""):
                bad.check(f"results[{i}].{key}", row[key], got[key])
    # downloads/results.csv: the project's rows hold every actual, points, score and reason.
    with (site / "downloads" / "results.csv").open(encoding="utf-8-sig", newline="") as handle:
        import csv

        rows = [r for r in csv.DictReader(handle) if r["项目名称"] == read_yaml(data_file)["name"]]
    by_name = {(r["二级指标"], r["三级指标"]): r for r in rows}
    for i, row in enumerate(ev.get("indicators") or []):
        got = by_name.get((row.get("level2") or "", row["name"]))
        if got is None:
            bad.append(f"{source} → results.csv: selfeval.indicators[{i}] {row['name']!r} missing")
            continue
        bad.check(f"results.csv[{i}].实际完成值", row.get("actual") or "", got["实际完成值"])
        bad.check(
            f"results.csv[{i}].偏差原因", row.get("reason") or "", got["偏差原因分析及改进措施"]
        )
        for key, column in (("points", "分值"), ("score", "得分")):
            if not _blank(row.get(key)) and not _same_number(row[key], got[column]):
                bad.check(f"results.csv[{i}].{column}", row[key], got[column])
        if got["达成情况"] not in ("达成", "未达成", "无法判断"):
            bad.append(f"{source} → results.csv: row {i}: status {got['达成情况']!r}")
    bad.done()


def test_result_checks_catch_tampering(pages_by_source: dict[str, Path]) -> None:
    """A changed actual value and a dropped result row are reported."""
    source = _id(SELFEVAL_FILES[0])
    data = read_yaml(SELFEVAL_FILES[0])
    html = soup(pages_by_source[source])
    html.select("table.selfeval-results td.actual")[0].string = "999"
    html.select("table.selfeval-results tbody tr")[-1].decompose()
    bad = Mismatches(source)
    check_selfeval_page(data, html, bad)
    report = "\n".join(bad)
    assert "selfeval.indicators[0].actual: YAML" in report and "shown '999'" in report
    assert "not on the page" in report


def test_selfeval_fidelity_is_not_vacuous() -> None:
    assert len(SELFEVAL_FILES) >= 2
