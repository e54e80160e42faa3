"""Every page type in Chromium: axe-core (WCAG 2.1 A/AA), no sideways scrolling at 375 px,
keyboard access to the main content, content without JavaScript; screenshots kept as artefacts."""

from __future__ import annotations

import json

import pytest
from browser_support import PAGE_NAMES, SCREENSHOTS

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = 375
DESKTOP = 1280

pytestmark = pytest.mark.parametrize("page_type", PAGE_NAMES)


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def _screenshot(page, page_type: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{page_type}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_axe_finds_no_wcag_violation(open_page, axe_source, page_type, page_path, width):
    page = open_page(page_path, width=width, inject=True)
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert result["passes"], "axe ran no check at all"
    _screenshot(page, page_type, width)
    assert result["violations"] == [], f"/{page_path} at {width}px:\n" + _describe(
        result["violations"]
    )


@pytest.mark.parametrize("screen", [360, PHONE, 768])
def test_no_sideways_scroll_on_a_phone(open_page, page_type, page_path, screen):
    page = open_page(page_path, width=screen)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > screen:
        wide = page.evaluate(
            """limit => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit && !e.closest('.table-scroll'))
            .slice(0, 5).map(e => e.tagName + '.' + (e.getAttribute('class') || ''))""",
            screen,
        )
        pytest.fail(f"/{page_path} is {width}px wide at {screen}px; too wide: {json.dumps(wide)}")


@pytest.mark.parametrize("width", [360, DESKTOP])
def test_axe_finds_nothing_best_practices_included(
    open_page, axe_source, page_type, page_path, width
):
    """Beyond WCAG: axe's best-practice rules too, and every impact (moderate and minor
    included: two landmarks of one name, an empty row header), on a 360 px phone and on a
    desktop (where the tables are tables, not stacked rows), after the page's scripts have
    drawn what they draw (the search box)."""
    page = open_page(page_path, width=width, inject=True)
    if page_type == "search":
        page.wait_for_selector("input.pagefind-ui__search-input")
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        [*WCAG_TAGS, "best-practice"],
    )
    assert result["passes"], "axe ran no check at all"
    assert result["violations"] == [], f"/{page_path} at {width}px:\n" + _describe(
        result["violations"]
    )


def test_skip_link_is_first_and_moves_focus_to_main(open_page, page_type, page_path):
    page = open_page(page_path, width=PHONE)
    page.keyboard.press("Tab")
    first = page.evaluate(
        "({cls: document.activeElement.className,"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert first == {"cls": "skip-link", "href": "#main"}
    # The focused skip link is on screen, with a visible focus indicator.
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "focused skip link shows no outline"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues after the skip target, not back in the header and navigation.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "!document.activeElement.closest('.site-header')"
        " && !document.activeElement.classList.contains('skip-link')"
    )


def test_focus_is_visible_on_links(open_page, page_type, page_path):
    page = open_page(page_path, width=DESKTOP)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the site name link, after the skip link
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {tag: document.activeElement.tagName, outline: s.outlineStyle,
                width: parseFloat(s.outlineWidth)}; }""")
    assert style["tag"] == "A"
    assert style["outline"] != "none" and style["width"] >= 2, style


def test_content_is_there_without_javascript(open_page, page_type, page_path):
    page = open_page(page_path, width=PHONE, javascript=False)
    heading = page.locator("main h1")
    assert heading.count() == 1 and heading.is_visible()
    assert heading.inner_text().strip()
    if page_type.startswith("project"):
        table = page.locator("table.indicators")
        assert table.is_visible() and table.locator("tbody tr").count() > 0
