"""A comparison page's CSV (downloads/compare-KIND.csv) carries what the page shows: each
target with the self-evaluation's answer to it (实际完成值, 达成情况, 分值, 得分) once a
project has one (issues 14 and 16). Built as a real site and the CSV parsed as a reader's
program would."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from support import MINIMAL_PROJECT, REPO, build_site, soup, write_project

SATISFACTION = (
    '  - level1: 效益目标\n    level2: 满意度\n    name: {name}\n    target: "{target}"\n'
)
# 甲: a 满意度 target and its result (86% for ≥90%: not met); 乙: no self-evaluation;
# 丙: a self-evaluation that answers another row only, so its 满意度 target has no result.
EVALUATED = MINIMAL_PROJECT.replace("测试单位", "甲单位") + (
    SATISFACTION.format(name="服务对象满意度", target="≥90%") + "selfeval:\n  indicators:\n"
    "    - level1: 效益目标\n      level2: 满意度\n      name: 服务对象满意度\n"
    "      actual: 86%\n      points: 10\n      score: 8.5\n"
)
NOT_EVALUATED = MINIMAL_PROJECT.replace("测试单位", "乙单位").replace(
    "测试项目", "乙项目"
) + SATISFACTION.format(name="群众满意度", target="≥95%")
ROW_NOT_ANSWERED = (
    MINIMAL_PROJECT.replace("测试单位", "丙单位").replace("测试项目", "丙项目")
    + SATISFACTION.format(name="居民满意度", target="≥85%")
    + "selfeval:\n  indicators:\n"
    "    - level1: 产出目标\n      level2: 数量\n      name: 完成率\n      actual: 100%\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("compare-csv") / "data"
    data.mkdir()
    for name in ("_comparisons.yaml", "_mapping.yaml"):
        shutil.copy(REPO / "data" / name, data / name)
    write_project(data / "2021", "jia.yaml", EVALUATED)
    write_project(data / "2021", "yi.yaml", NOT_EVALUATED)
    write_project(data / "2021", "bing.yaml", ROW_NOT_ANSWERED)
    out = data.parent / "out"
    build_site(out, data)
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


def test_the_comparison_csv_carries_the_results_the_page_shows(site: Path) -> None:
    rows = {r["单位"]: r for r in _csv(site / "downloads" / "compare-satisfaction.csv")}
    assert set(rows) == {"甲单位", "乙单位", "丙单位"}
    met = rows["甲单位"]
    assert (met["指标值（原文）"], met["已公开自评"]) == ("≥90%", "是")
    assert (met["实际完成值"], met["达成情况"], met["分值"], met["得分"]) == (
        "86%",
        "未达成",
        "10",
        "8.5",
    )
    # No self-evaluation, or one that does not answer this row: said, and the result blank.
    for unit, evaluated in (("乙单位", "否"), ("丙单位", "是")):
        row = rows[unit]
        assert row["已公开自评"] == evaluated
        assert [row[k] for k in ("实际完成值", "达成情况", "分值", "得分")] == [""] * 4

    # The page shows the same: each row's actual and status are in the CSV.
    page = soup(site / "compare" / "satisfaction" / "index.html")
    shown = {
        tr.select_one("td[data-label=单位]").get_text(strip=True): (
            tr.select_one("td[data-label=实际完成值]").get_text(strip=True),
            tr.select_one("td[data-label=达成情况]").get_text(strip=True),
        )
        for tr in page.select("#compare-table tbody tr")
    }
    assert shown["甲单位"] == (met["实际完成值"], met["达成情况"])


def test_the_data_package_declares_every_comparison_column(site: Path) -> None:
    package = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "compare-satisfaction")
    # Fields are named by the CSV's Chinese headers; each one's title is its English key.
    fields = resource["schema"]["fields"]
    header = (site / "downloads" / "compare-satisfaction.csv").read_text(encoding="utf-8-sig")
    assert [f["name"] for f in fields] == header.splitlines()[0].split(",")
    assert {"actual", "status", "points", "score", "selfeval"} <= {f["title"] for f in fields}
