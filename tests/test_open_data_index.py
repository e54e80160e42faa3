"""The indicator index can be rebuilt from the download alone (issue 16): indicators.csv
carries each row's grouping name, its levels in the national framework and the target as the
index groups it. The grouping rebuilt from the CSV equals the site's index pages."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from disclosures.export.cells import is_formula
from support import soup

NO_LEVEL2 = "（未填二级）"
EMPTY_TARGET = "（空白）"

Index = dict[tuple[str, bool], dict[str, tuple[int, list[tuple[str, str, int]]]]]


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def unguard(text: str) -> str:
    """The open-data page's rule read backwards: a guarded cell is ' + a formula."""
    return text[1:] if text.startswith("'") and is_formula(text[1:]) else text


def index_from_csv(rows: list[dict[str, str]], national: bool) -> Index:
    """(branch title, mapped) → indicator → (projects, distribution), from the CSV only."""
    projects: dict[tuple, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    targets: dict[tuple, dict[str, dict[tuple[str, str], set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for row in rows:
        name = row["指标名称（归一）"]
        if not name:
            continue  # a level with no indicator under it: not in the index
        if national:
            level1, level2 = row["一级指标（全国框架）"], row["二级指标（全国框架）"]
            mapped = row["已对应全国框架"] == "是"
        else:
            level1, level2, mapped = row["一级指标"], row["二级指标"], True
        branch = (f"{level1} › {level2 or NO_LEVEL2}", mapped)
        projects[branch][name].add(row["项目键"])
        label = (unguard(row["指标值（归一）"]) or EMPTY_TARGET, row["目标类型"])
        targets[branch][name][label].add(row["项目键"])
    index: Index = {}
    for branch, names in projects.items():
        index[branch] = {}
        for name, keys in names.items():
            counts = Counter({label: len(k) for label, k in targets[branch][name].items()})
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            index[branch][name] = (len(keys), [(t, k, n) for (t, k), n in ordered])
    return index


def index_from_page(path: Path) -> Index:
    index: Index = {}
    for table in soup(path).select("table.index-table"):
        heading = table.find_parent("section").find("h2")
        branch = (heading.get_text(strip=True), not heading["id"].startswith("u-"))
        entries = {}
        for tr in table.select("tbody tr"):
            distribution = []
            for li in tr.select("ul.distribution li"):
                count = li.get_text().rsplit("：", 1)[1]
                target = li.select_one(".target").get_text()
                distribution.append((target, li.select_one(".kind").get_text(), int(count)))
            entries[tr.th.get_text(strip=True)] = (int(tr.td.get_text()), distribution)
        assert branch not in index, branch
        index[branch] = entries
    return index


@pytest.mark.parametrize(
    ("page", "national"), [("indicators", True), ("indicators/as-written", False)]
)
def test_the_index_rebuilt_from_indicators_csv_equals_the_index_page(
    site: Path, page: str, national: bool
) -> None:
    rows = read_csv(site / "downloads" / "indicators.csv")
    from_page = index_from_page(site / page / "index.html")
    from_csv = index_from_csv(rows, national)
    assert from_csv == from_page
    # Not trivially equal: several branches, unmapped ones too, and names grouped that are
    # written differently.
    assert len(from_page) > 5 and sum(len(e) for e in from_page.values()) > 50
    if national:
        assert any(not mapped for _, mapped in from_page)
        assert any(mapped for _, mapped in from_page)


def test_the_framework_columns_follow_the_mapping(site: Path) -> None:
    rows = read_csv(site / "downloads" / "indicators.csv")
    # The seed's Shanghai form writes 产出目标 › 数量指标; the national framework says 产出指标.
    renamed = [
        r for r in rows if r["一级指标"] != r["一级指标（全国框架）"] and r["指标名称（归一）"]
    ]
    assert renamed and all(r["已对应全国框架"] == "是" for r in renamed)
    assert {r["已对应全国框架"] for r in rows} <= {"是", "否", ""}
    # The grouping name drops what only differs in writing: a trailing unit in brackets.
    assert any(r["三级指标"] != r["指标名称（归一）"] for r in rows if r["指标名称（归一）"])
