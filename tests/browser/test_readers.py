"""Readers first (issue 16), in Chromium at 375 px and 1280 px: the figures at the top of
every project page, an indicator table that fits a phone, the large-text mode, and the three
reader tasks (each at most two clicks from the home page, each done by clicking)."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from browser_support import PAGE_NAMES, SCREENSHOTS, project_paths

PHONE = {"width": 375, "height": 812}
SMALL_PHONE = {"width": 375, "height": 667}  # iPhone SE / 8: the shortest common first screen
SMALLEST_PHONE = {"width": 320, "height": 568}  # iPhone SE (1st) / 5: the smallest still in use
DESKTOP = {"width": 1280, "height": 800}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def visit(browser, server: str):
    """Open a site path in a fresh context of the given viewport."""
    contexts = []

    def _visit(path: str, viewport: dict, javascript: bool = True, inject: bool = False):
        context = browser.new_context(
            viewport=viewport,
            java_script_enabled=javascript,
            locale="zh-CN",
            bypass_csp=inject,
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        response = page.goto(server + path, wait_until="load")
        assert response is not None and response.ok, f"GET /{path}"
        return page

    yield _visit
    for context in contexts:
        context.close()


def _shot(page, name: str, full: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full)


def _slug(path: str) -> str:
    return path.strip("/").split("/")[-1][:40] or "home"


@pytest.mark.parametrize(
    ("viewport", "javascript"),
    [
        (SMALLEST_PHONE, True),
        (SMALLEST_PHONE, False),
        (SMALL_PHONE, True),
        (SMALL_PHONE, False),
        (PHONE, True),
        (DESKTOP, True),
    ],
    ids=["320x568", "320x568-no-js", "375x667", "375x667-no-js", "375x812", "1280"],
)
def test_budget_and_first_target_are_on_the_first_screen(visit, site, viewport, javascript):
    """Also without JavaScript: the phone menu folds with CSS alone (it took three rows, and
    the first target ended at 700-810 px). At 320x568 the whole summary stays, set tighter
    (the first target ended at 617-752 px before; 455-561 px after)."""
    paths = project_paths(site)
    # Projects with a self-evaluation (its status line in the summary) and without.
    with_results = set(_pages_with_results(site))
    assert with_results and set(paths) - with_results
    for path in paths:
        page = visit(path, viewport, javascript=javascript)
        budget = page.locator(".summary .fact-budget dd").bounding_box()
        target = page.locator("table.indicators td.target").first.bounding_box()
        assert budget and target, f"/{path}: no budget or target shown"
        for name, box in (("budget", budget), ("first target", target)):
            assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], (
                f"/{path} at {viewport['width']}px: the {name} ends at "
                f"{box['y'] + box['height']:.0f}px, below the first screen "
                f"({viewport['height']}px)"
            )
        _shot(page, f"first-screen-{_slug(path)}-{viewport['width']}")


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, DESKTOP], ids=["360", "1280"])
def test_the_summary_says_whether_it_was_done(visit, site, viewport):
    """A citizen's question, answered on the first screen: the summary gives the results'
    status (counts linked to the results section) or says no self-evaluation is published."""
    with_results = set(_pages_with_results(site))
    for path in project_paths(site):
        page = visit(path, viewport)
        fact = page.locator(".summary .fact-results")
        text = fact.inner_text()
        box = fact.bounding_box()
        assert box and box["y"] + box["height"] <= viewport["height"], (
            f"/{path} at {viewport['width']}px: the results status is below the first screen"
        )
        if path in with_results:
            counts = page.locator("section.results dl.totals").inner_text()
            assert "项达成" in text and text.split("绩效自评")[-1].split("；")[0].strip() in counts
            assert fact.locator("a").get_attribute("href") == "#results"
        else:
            assert "尚未公开" in text, f"/{path}: {text!r}"


def test_no_indicator_cell_is_outside_the_viewport_on_a_phone(visit, site):
    for path in project_paths(site):
        page = visit(path, PHONE)
        outside = page.evaluate(
            """width => [...document.querySelectorAll('table.indicators tbody th, '
                + 'table.indicators tbody td')]
              .filter(c => c.getClientRects().length)
              .map(c => [c.getAttribute('data-label'), c.getBoundingClientRect()])
              .filter(([, r]) => r.left < 0 || r.right > width)
              .map(([label, r]) => label + ' ' + Math.round(r.left) + '..'
                + Math.round(r.right))""",
            PHONE["width"],
        )
        assert outside == [], f"/{path}: cells outside the 375px viewport: {outside[:5]}"
        # Every visible cell says which column it is: the target and its unit keep labels.
        labels = page.evaluate(
            """() => [...document.querySelectorAll('table.indicators tbody td')]
              .filter(c => c.getClientRects().length)
              .map(c => getComputedStyle(c, '::before').content)"""
        )
        assert labels and all(label not in ("none", "normal", '""') for label in labels)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


RESULT_TABLES = "table.selfeval-results, table.selfeval-funds, table.selfeval-previous"


def _pages_with_results(site) -> list[str]:
    return [
        path
        for path in project_paths(site)
        if "selfeval-results" in (site / path / "index.html").read_text(encoding="utf-8")
    ]


@pytest.mark.parametrize("width", [360, 375, 768])
def test_every_result_cell_is_on_screen_and_labelled(visit, site, width):
    """Issue 14 beside issue 16: target, actual, status, points, score and reason of every
    indicator are on screen without sideways scrolling on phones and tablets, each cell saying
    which column it is (its header's words), so "was it done" never hides off the right edge."""
    paths = _pages_with_results(site)
    assert paths, "the bundled data has no project with a self-evaluation"
    for path in paths:
        page = visit(path, {"width": width, "height": 740})
        cells = page.evaluate(
            """selector => [...document.querySelectorAll(selector)].flatMap(table => {
                const heads = [...table.tHead.rows[0].cells].map(c => c.textContent.trim());
                return [...table.tBodies[0].rows].flatMap(row => [...row.cells]
                  .map((cell, n) => ({cell, head: heads[n]}))
                  .filter(({cell}) => cell.getClientRects().length && cell.textContent.trim())
                  .map(({cell, head}) => {
                    const r = cell.getBoundingClientRect();
                    const shown = getComputedStyle(cell, '::before').content;
                    return {head, left: r.left, right: r.right, text: cell.textContent.trim(),
                            rowHeader: cell.tagName === 'TH' && !cell.dataset.label,
                            label: cell.dataset.label || null, shown,
                            stacked: getComputedStyle(table).display === 'block'};
                  }));
              })""",
            RESULT_TABLES,
        )
        assert cells, f"/{path}: no result cell shown"
        outside = [c for c in cells if c["left"] < 0 or c["right"] > width]
        assert not outside, f"/{path} at {width}px: result cells off screen: " + "; ".join(
            f"{c['head']}={c['text'][:12]} ..{c['right']:.0f}px" for c in outside[:6]
        )
        for c in cells:
            if c["rowHeader"]:  # the funds row's own name (年度资金总额…) heads its record
                continue
            assert c["label"] == c["head"], f"/{path}: cell {c['text'][:12]!r} labelled {c}"
            if c["stacked"]:  # the label is on screen, before the value
                assert c["shown"] not in ("none", "normal"), f"/{path} {width}px: {c}"
        shown_heads = {c["head"] for c in cells}
        for head in ("年度指标值", "实际完成值", "达成情况", "分值", "得分"):
            assert head in shown_heads, f"/{path} at {width}px: no {head} cell shown"
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("section.results").screenshot(
            path=str(SCREENSHOTS / f"results-{_slug(path)}-{width}.png")
        )


def test_the_desktop_results_table_is_a_real_table(visit, site):
    page = visit(_pages_with_results(site)[0], DESKTOP)
    assert page.evaluate(
        "getComputedStyle(document.querySelector('table.selfeval-results')).display"
    ) == ("table")
    assert page.locator("table.selfeval-results thead th[scope=col]").first.is_visible()


# The pattern page is left out: its samples hold hostile 200-character strings on purpose.
@pytest.mark.parametrize("width", [360, 768])
@pytest.mark.parametrize("page_type", [n for n in PAGE_NAMES if n != "patterns"])
def test_no_table_hides_columns_in_a_sideways_scroller(visit, page_paths, page_type, width):
    """Readers on phones and tablets find no column off the right edge: every table fits
    (narrow ones) or turns into labelled stacks (wide ones)."""
    path = page_paths[page_type]
    assert path is not None, f"page type {page_type} missing from the built site"
    page = visit(path, {"width": width, "height": 740})
    scrolling = page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll')]
          .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1)
          .map(e => (e.querySelector('caption') || e).textContent.trim().slice(0, 30)
                    + ' ' + e.scrollWidth + '>' + e.clientWidth)"""
    )
    assert scrolling == [], f"/{path} at {width}px: tables scroll sideways: {scrolling}"


# What a finger can hit: 44 x 44 CSS px (WCAG 2.5.5, 适老化), probed with elementFromPoint so a
# small mark with a larger invisible target (the "?" help links) counts by its target. Links
# inside running text and table cells are exempt, as WCAG exempts them.
TAP_TARGETS = """() => {
  const small = [];
  const controls = document.querySelectorAll('a[href], button, input, select, summary');
  for (const el of controls) {
    if (!el.getClientRects().length || el.closest('.visually-hidden, .skip-link')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (style.display === 'inline' && !el.closest('nav')
        && el.closest('p, li, dd, td, th, caption, figcaption')) continue;
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    if (r.width >= 44 && r.height >= 44) continue;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hits = [[x - 21, y], [x + 21, y], [x, y - 21], [x, y + 21]].every(([px, py]) => {
      const hit = document.elementFromPoint(px, py);
      return hit && (hit === el || el.contains(hit));
    });
    if (!hits) small.push(el.tagName + ' ' + (el.textContent || el.value || '').trim().slice(0, 16)
                          + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return small;
}"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("page_type", PAGE_NAMES)
def test_every_tap_target_is_44_px(visit, page_paths, page_type, width):
    path = page_paths[page_type]
    if path is None:
        pytest.fail(f"page type {page_type} missing from the built site")
    page = visit(path, {"width": width, "height": 740})
    small = page.evaluate(TAP_TARGETS)
    assert small == [], f"/{path} at {width}px: targets under 44 px: {small[:8]}"


def test_the_desktop_indicator_table_is_a_real_table(visit, page_paths):
    page = visit(page_paths["project-national"], DESKTOP)
    assert page.evaluate(
        "getComputedStyle(document.querySelector('table.indicators')).display"
    ) == ("table")
    headers = page.locator("table.indicators thead th[scope=col]")
    assert headers.count() >= 4 and headers.first.is_visible()


# --- large text and higher contrast (适老化)


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("page_type", PAGE_NAMES)
def test_large_text_mode_has_no_axe_violation_and_fits(
    visit, axe_source, page_paths, page_type, width
):
    path = page_paths.get(page_type)
    if path is None:
        pytest.skip(f"{page_type} is not built")
    page = visit(path + "#large-text", {"width": width, "height": 900}, inject=True)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    _shot(page, f"large-text-{page_type}-{width}", full=True)
    assert result["violations"] == [], json.dumps(
        [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]],
        ensure_ascii=False,
    )
    if width == 375:
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width


def test_large_text_works_without_javascript(visit):
    page = visit("", PHONE, javascript=False)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
    page.get_by_role("link", name="大字模式").click()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    page.get_by_role("link", name="标准字号").click()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"


def test_large_text_is_remembered_across_pages_with_javascript(visit):
    page = visit("", DESKTOP)
    page.get_by_role("link", name="大字模式").click()
    page.locator("nav[aria-label=主导航] a", has_text="指标索引").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/indicators/")
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    page.get_by_role("link", name="标准字号").click()
    page.reload()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"


# --- the three reader tasks, each at most two clicks from the home page


def test_the_phone_menu_opens_from_its_button_and_shows_without_javascript(visit):
    """Phones fold the menu and the search box behind 菜单 (the project's figures keep the
    first screen); the button says whether it is open; without JavaScript the menu shows."""
    page = visit("", SMALL_PHONE)
    menu = page.locator("nav[aria-label=主导航]")
    button = page.get_by_role("button", name="菜单")
    assert not menu.is_visible() and not page.locator(".site-search").is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    header = page.locator(".site-header").bounding_box()
    assert header and header["height"] <= 60, header
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="指标索引").is_visible()
    assert page.locator(".site-search input").is_visible()
    button.click()
    assert not menu.is_visible() and button.get_attribute("aria-expanded") == "false"
    # Desktop: no button, the menu and the box always there.
    page = visit("", DESKTOP)
    assert not page.get_by_role("button", name="菜单").is_visible()
    assert page.locator("nav[aria-label=主导航]").is_visible()
    # No JavaScript: no button that would do nothing; the same fold with CSS alone (below).
    page = visit("", SMALL_PHONE, javascript=False)
    assert not page.locator(".menu-toggle").is_visible()
    assert not page.locator("nav[aria-label=主导航]").is_visible()


@pytest.mark.parametrize("width", [320, 375, 414])
def test_the_phone_layout_works_without_javascript(visit, site, width):
    """Phones where JavaScript is off: the header is one row, its 菜单 (a checkbox's label)
    opens the menu with CSS alone, by finger and by keyboard, and every project page's
    indicator rows are stacked inside the screen."""
    viewport = {"width": width, "height": 667}
    page = visit("", viewport, javascript=False)
    menu = page.locator("nav[aria-label=主导航]")
    header = page.locator(".site-header").bounding_box()
    assert header and header["height"] <= 60, f"{width}px: header {header}"
    assert not menu.is_visible()
    switch = page.get_by_role("checkbox", name="菜单")
    label = page.locator("label.menu-label")
    box = label.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44
    label.click()
    assert switch.is_checked() and menu.get_by_role("link", name="指标索引").is_visible()
    switch.focus()
    page.keyboard.press("Space")
    assert not switch.is_checked() and not menu.is_visible()
    page.keyboard.press("Space")
    menu.get_by_role("link", name="指标索引").click()
    page.wait_for_url("**/indicators/")
    # Large text (适老化): still one row, the site's name wrapping in its own box (at 375 px
    # 标准字号 fell to a second row: a 136 px header).
    page = visit("#large-text", viewport, javascript=False)
    middle = [
        box["y"] + box["height"] / 2
        for box in (
            page.locator("label.menu-label").bounding_box(),
            page.get_by_role("link", name="标准字号").bounding_box(),
            page.locator(".site-name").bounding_box(),
        )
    ]
    assert max(middle) - min(middle) < 10, f"{width}px, large text: rows at {middle}"
    for path in project_paths(site):
        page = visit(path, viewport, javascript=False)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width, f"/{path}"
        assert page.locator(".site-header").bounding_box()["height"] <= 60, f"/{path}"
        rows = page.evaluate(
            """width => [...document.querySelectorAll('table.indicators tbody td')]
              .filter(c => c.getClientRects().length)
              .map(c => [getComputedStyle(c).display, c.getBoundingClientRect()])
              .map(([display, r]) => [display, r.left >= 0 && r.right <= width])""",
            width,
        )
        assert rows and all(display == "block" and inside for display, inside in rows), f"/{path}"


def test_citizen_searches_from_the_home_page_on_a_phone(visit):
    """With the header's box behind 菜单, a phone's home page has its own search box on the
    first screen; its words reach the search page, which finds the project."""
    page = visit("", SMALL_PHONE)
    box = page.get_by_role("search", name="查找项目").get_by_role("searchbox")
    area = box.bounding_box()
    assert area and area["y"] + area["height"] <= SMALL_PHONE["height"], area
    box.fill("特困家庭")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    result = page.locator(".pagefind-ui__result-link", has_text="特困家庭再扶助").first
    result.wait_for(timeout=20000)
    result.click()
    page.wait_for_load_state("load")
    assert page.locator("main h1").inner_text() == "特困家庭再扶助(独生子女死亡再扶助)"
    # Wider screens keep the header's box and show no second one.
    page = visit("", DESKTOP)
    assert not page.locator("form.home-search").is_visible()
    assert page.locator(".site-header .site-search input").is_visible()


def test_citizen_finds_one_project_in_two_clicks(visit):
    page = visit("", PHONE)
    page.locator("#by-unit ~ .table-scroll a", has_text="区卫生健康局").first.click()  # 1
    page.get_by_role("link", name="特困家庭再扶助(独生子女死亡再扶助)").first.click()  # 2
    page.wait_for_load_state("load")
    assert page.locator("main h1").inner_text() == "特困家庭再扶助(独生子女死亡再扶助)"
    summary = page.locator(".summary").inner_text()
    assert "区卫生健康局" in summary and "2021" in summary and "63,000" in summary
    _shot(page, "task-citizen-375")


def test_journalist_compares_satisfaction_targets_in_two_clicks(visit):
    page = visit("", DESKTOP)
    page.locator("#compare ~ .compare-list a", has_text="满意度").click()  # 1
    page.wait_for_load_state("load")
    rows = page.locator("#compare-table tbody tr")
    texts = [rows.nth(n).inner_text() for n in range(rows.count())]
    # 社会评价 (良好) under 效果目标 › 满意度 counts, and every row names its unit and year.
    assert any("社会评价" in t and "良好" in t for t in texts), texts
    units = {rows.nth(n).locator("td[data-label=单位]").inner_text() for n in range(len(texts))}
    assert {"上海科学会堂", "区卫生健康局"} <= units
    _shot(page, "task-journalist-1280", full=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载全部").click()  # 2
    text = download.value.path().read_text(encoding="utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(texts)
    assert {"社会评价", "受益群众满意度"} <= {r["三级指标"] for r in table}


def test_researcher_downloads_everything_in_two_clicks(visit, site):
    page = visit("", DESKTOP)
    page.get_by_role("link", name="下载全部数据").click()  # 1
    with page.expect_download() as download:
        page.get_by_role("link", name="全部年度的全部项目、指标和资金明细").click()  # 2
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    projects = list(book["项目"].iter_rows(min_row=2, values_only=True))
    assert len(projects) == len(project_paths(site))
    assert {"项目", "指标", "资金明细", "字段说明"} <= set(book.sheetnames)
