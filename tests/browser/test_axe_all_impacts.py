"""axe in Chromium at every impact, moderate and minor included, on what the bundled pages do
not all show: a project with earlier years (its history and year-on-year tables inside
labelled sections), a level printed with no indicator under it (an empty row header), and
every project page of the bundled site. WCAG and best-practice rules, phone and desktop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_support import REPO, project_paths
from support import MINIMAL_PROJECT, build_args, run_cli, write_project

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# The same project in 2020 and 2021 (history, year-on-year changes); 2021 prints a level with
# no indicator under it (as Xiangtan's 2023 table does) and has a self-evaluation.
EARLIER = MINIMAL_PROJECT.replace("测试单位", "甲单位")
LATER = (
    MINIMAL_PROJECT.replace("测试单位", "甲单位")
    .replace('year: "2020"', 'year: "2021"')
    .replace('target: "=100%"', 'target: "≥98%"')
    + "  - level1: 效益指标\n    level2: 经济效益指标\n"
    + "  - level1: 效益指标\n    level2: 满意度\n    name: 服务对象满意度\n"
    '    target: "≥90%"\n'
    "selfeval:\n  indicators:\n"
    "    - level1: 效益指标\n      level2: 满意度\n      name: 服务对象满意度\n"
    "      actual: 96%\n      points: 10\n      score: 10\n"
)


@pytest.fixture(scope="module")
def years_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("years") / "data"
    data.mkdir()
    for name in ("_comparisons.yaml", "_mapping.yaml"):
        shutil.copy(REPO / "data" / name, data / name)
    write_project(data / "2020", "p.yaml", EARLIER)
    write_project(data / "2021", "p.yaml", LATER)
    out = data.parent / "out"
    built = run_cli(*build_args(out, data))
    assert built.returncode == 0, built.stdout + built.stderr
    return out


def _violations(browser, url: str, width: int) -> list[str]:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
    )
    try:
        page = context.new_page()
        page.goto(url)
        page.add_script_tag(path=str(REPO / "tests/browser/node_modules/axe-core/axe.min.js"))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
        )
        assert result["passes"], "axe ran no check at all"
        return [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
        ]
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_a_project_with_earlier_years_and_a_blank_row_has_no_axe_finding(
    browser, years_site, width
):
    pages = sorted(years_site.glob("2021/*/*/index.html"))
    assert len(pages) == 1
    html = pages[0].read_text(encoding="utf-8")
    # The page has what this test is about: both tables in labelled sections, a blank name.
    assert 'id="h-history"' in html and 'id="h-previous"' in html and "selfeval-results" in html
    found = {
        path: _violations(browser, (years_site / path).as_uri(), width)
        for path in (
            pages[0].relative_to(years_site).as_posix(),
            "indicators/index.html",
            "indicators/as-written/index.html",
        )
    }
    assert all(v == [] for v in found.values()), found


def test_every_bundled_project_page_has_no_axe_finding(browser, site, server):
    found = {path: _violations(browser, server + path, 360) for path in project_paths(site)}
    assert len(found) >= 9
    assert all(v == [] for v in found.values()), {k: v for k, v in found.items() if v}
