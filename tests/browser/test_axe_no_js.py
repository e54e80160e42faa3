"""axe-core on every page type as a reader without JavaScript gets it (issue 16).

axe is itself JavaScript, and Chromium with JavaScript disabled runs none (axe hangs), so
the page is rendered the way a browser without JavaScript renders it: the site's own
scripts are refused by a route (so site.js never marks `<html class="js">`, the search box
is never drawn, the phone menu is the CSS checkbox) and `<noscript>` content, which a
browser with scripting shows, is served as a plain element. The rendering is checked to be
the one a JavaScript-disabled context shows (the same visible text) before axe runs, at
360 px and 1280 px and in the large-text mode, which without JavaScript is `#large-text`.
"""

from __future__ import annotations

import re

import pytest
from browser_support import PAGE_NAMES

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
pytestmark = pytest.mark.parametrize("page_type", PAGE_NAMES)

_NOSCRIPT = re.compile(r"<(/?)noscript\b", re.I)


@pytest.fixture
def without_scripts(browser, server: str):
    """Open a path rendered as without JavaScript, with axe injected; returns the page and
    the site scripts it refused."""
    contexts = []

    def _open(path: str, width: int):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
        )
        contexts.append(context)
        refused: list[str] = []

        def route(route, request) -> None:  # noqa: ANN001
            if request.resource_type == "script":
                refused.append(request.url)
                route.abort()
            elif request.resource_type == "document":
                response = route.fetch()
                html = _NOSCRIPT.sub(r"<\1div data-noscript", response.text())
                route.fulfill(response=response, body=html)
            else:
                route.continue_()

        context.route("**/*", route)
        page = context.new_page()
        response = page.goto(server + path, wait_until="load")
        assert response is not None and response.ok, f"GET /{path}"
        return page, refused

    yield _open
    for context in contexts:
        context.close()


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def _visible_text(page) -> str:  # noqa: ANN001
    return " ".join(page.locator("body").inner_text().split())


@pytest.mark.parametrize(
    ("width", "fragment"),
    [(360, ""), (1280, ""), (360, "#large-text")],
    ids=["360", "1280", "large-text"],
)
def test_axe_finds_nothing_without_javascript(
    open_page, without_scripts, axe_source, page_type, page_path, width, fragment
):
    page, refused = without_scripts(page_path + fragment, width)
    # Nothing of the site's ran: no `js` mark, and every script it asked for was refused.
    assert page.evaluate("!document.documentElement.classList.contains('js')"), refused
    assert all("/theme/" in url or "/pagefind/" in url for url in refused), refused
    if fragment:
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.text-size-off')).display")
            != "none"
        )
    # The same page a JavaScript-disabled browser shows, word for word.
    plain = open_page(page_path + fragment, width=width, javascript=False)
    assert _visible_text(page) == _visible_text(plain), f"/{page_path}: not the no-JS rendering"

    page.add_script_tag(path=str(axe_source))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        [*WCAG_TAGS, "best-practice"],
    )
    assert result["passes"], "axe ran no check at all"
    assert result["violations"] == [], f"/{page_path}{fragment} at {width}px, no JS:\n" + (
        _describe(result["violations"])
    )
