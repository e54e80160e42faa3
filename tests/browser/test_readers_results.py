"""Readers and the self-evaluation results (issues 14 and 16), in Chromium: a journalist
comparing 满意度 targets across units sees each project's result and status beside its target,
on a phone as on a desktop. The site is built from a small data folder written here (the
bundled data has no 满意度 result)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_support import REPO, SCREENSHOTS
from support import MINIMAL_PROJECT, build_args, run_cli, write_project

SATISFIED = MINIMAL_PROJECT.replace("测试单位", "甲单位") + (
    "  - level1: 效益目标\n    level2: 满意度\n    name: 服务对象满意度\n"
    '    target: "≥90%"\n'
    "selfeval:\n  indicators:\n"
    "    - level1: 效益目标\n      level2: 满意度\n      name: 服务对象满意度\n"
    "      actual: 96%\n      points: 10\n      score: 10\n"
)
NOT_EVALUATED = (
    MINIMAL_PROJECT.replace("测试单位", "乙单位")
    .replace("测试项目", "乙项目")
    .replace(
        "  - level1: 产出目标",
        "  - level1: 效益目标\n    level2: 满意度\n    name: 群众满意度\n"
        '    target: "≥95%"\n  - level1: 产出目标',
    )
)


@pytest.fixture(scope="module")
def results_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("satisfaction") / "data"
    for name in ("_comparisons.yaml", "_mapping.yaml"):
        data.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "data" / name, data / name)
    write_project(data / "2021", "jia.yaml", SATISFIED)
    write_project(data / "2021", "yi.yaml", NOT_EVALUATED)
    out = data.parent / "out"
    built = run_cli(*build_args(out, data))
    assert built.returncode == 0, built.stdout + built.stderr
    return out


def _rows(page) -> list[dict[str, str]]:
    return page.evaluate(
        """() => {
          const table = document.querySelector('#compare-table');
          const heads = [...table.tHead.rows[0].cells].map(c => c.textContent.trim());
          return [...table.tBodies[0].rows].map(row => Object.fromEntries(
            [...row.cells].map((c, n) => [heads[n], c.textContent.trim()])));
        }"""
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_satisfaction_comparison_shows_result_beside_target(browser, results_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto((results_site / "compare" / "satisfaction" / "index.html").as_uri())
        rows = {row["单位"]: row for row in _rows(page)}
        assert rows["甲单位"]["目标值（照原表）"] == "≥90%"
        assert rows["甲单位"]["实际完成值"] == "96%"
        assert rows["甲单位"]["达成情况"] == "达成"
        assert rows["乙单位"]["实际完成值"] == "未公开自评"
        assert "1 个项目已公开绩效自评" in page.locator("p.compare-results").inner_text()
        # The actual links to the project's results; on a phone every cell is on screen
        # and says which column it is.
        link = page.locator("#compare-table td.actual a")
        assert link.get_attribute("href").endswith("#results")
        cells = page.evaluate(
            """width => [...document.querySelectorAll('#compare-table tbody td')]
              .filter(c => c.getClientRects().length && c.textContent.trim())
              .map(c => ({label: c.dataset.label, right: c.getBoundingClientRect().right}))""",
            width,
        )
        assert all(c["label"] and c["right"] <= width for c in cells), cells
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"compare-results-{width}.png"), full_page=True)
    finally:
        context.close()
