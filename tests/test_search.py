"""Search: the Pagefind index built with the site, and a real Chromium searching it in Chinese."""

from __future__ import annotations

import json
import time
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect
from support import soup


def project_pages(site: Path) -> list[Path]:
    return sorted(site.glob("[0-9]*/*/*/index.html"))


def test_pagefind_bundle_is_built(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == "1.5.2"  # requirements.txt pins pagefind-bin-extended==1.5.2
    (language,) = entry["languages"].items()
    assert language[0] == "zh-cn"
    assert language[1]["page_count"] == len(project_pages(site))
    for asset in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js"):
        assert (site / "pagefind" / asset).is_file()


def test_only_project_pages_are_indexed_with_filters(site: Path) -> None:
    for page in site.rglob("index.html"):
        if page.relative_to(site).parts[0] == "pagefind":
            continue
        body = soup(page).select("[data-pagefind-body]")
        assert len(body) == (1 if page in project_pages(site) else 0), page
    page = soup(project_pages(site)[0])
    filters = {}
    for element in page.select("[data-pagefind-filter]"):
        filters.setdefault(element["data-pagefind-filter"], []).append(element.get_text())
    assert set(filters) == {"年度", "单位", "一级指标"}
    assert len(filters["年度"]) == 1 and len(filters["单位"]) == 1 and filters["一级指标"]


def test_every_page_has_a_search_box_that_works_without_js(site: Path) -> None:
    for page in [
        site / "index.html",
        site / "indicators" / "index.html",
        *project_pages(site)[:2],
        site / "pages" / "open-data" / "index.html",
    ]:
        form = soup(page).find("form", role="search")
        assert form is not None and form["method"] == "get", page
        assert form.find("input", attrs={"name": "q"}) is not None
        target = (page.parent / form["action"]).resolve() / "index.html"
        assert target == (site / "search" / "index.html").resolve()


def test_search_page_uses_only_local_assets(site: Path) -> None:
    page = soup(site / "search" / "index.html")
    sources = [s["src"] for s in page.find_all("script")] + [
        link["href"] for link in page.find_all("link", rel="stylesheet")
    ]
    assert any(s.endswith("pagefind/pagefind-ui.js") for s in sources)
    for source in sources:
        assert not urllib.parse.urlsplit(source).netloc, source
        assert (site / "search" / source).resolve().is_file(), source


@pytest.fixture(scope="module")
def browser_page(browser, server: str):
    errors: list[str] = []
    page = browser.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Chromium asks for /favicon.ico on its own; the site has none (a 404, not our error).
    page.on(
        "console", lambda m: m.type == "error" and "404" not in m.text and errors.append(m.text)
    )
    yield page, errors
    page.close()


RESULT = "li.pagefind-ui__result > div > .pagefind-ui__result-title > .pagefind-ui__result-link"


def _settle(page, seconds: float = 15) -> None:
    """Pagefind's UI adds results one by one as their fragments load: wait until the count
    stops changing (a fixed sleep would be either slow or flaky)."""
    deadline = time.monotonic() + seconds
    last = -1
    while time.monotonic() < deadline:
        count = page.locator(RESULT).count()
        if count == last:
            return
        last = count
        page.wait_for_timeout(400)


def search(page, server: str, words: str) -> list[str]:
    """Type into the header box on the home page, submit, and read every result link."""
    page.goto(server)
    page.fill("#site-search-q", words)
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector(RESULT, timeout=15000)
    _settle(page)
    more = page.locator("button.pagefind-ui__button")
    while more.count() and more.is_visible():
        shown = page.locator(RESULT).count()
        more.click()
        expect(page.locator(RESULT)).not_to_have_count(shown)
        _settle(page)
    return [
        urllib.parse.urlsplit(a.get_attribute("href")).path for a in page.query_selector_all(RESULT)
    ]


def projects_mentioning(site: Path, word: str) -> set[str]:
    return {
        "/" + p.parent.relative_to(site).as_posix() + "/"
        for p in project_pages(site)
        if word in soup(p).find("article").get_text()
    }


def test_chinese_word_finds_projects(browser_page, server: str, site: Path) -> None:
    page, errors = browser_page
    found = search(page, server, "满意")
    expected = projects_mentioning(site, "满意")
    assert expected and set(found) == expected
    assert errors == []


def test_unit_name_finds_its_project(browser_page, server: str, site: Path) -> None:
    page, errors = browser_page
    xiangtan = next(p for p in project_pages(site) if "湘潭市环境卫生管理处" in p.read_text())
    found = search(page, server, "湘潭市环境卫生管理处")
    assert found[0] == "/" + xiangtan.parent.relative_to(site).as_posix() + "/"
    assert set(found) == projects_mentioning(site, "湘潭市环境卫生管理处")
    page.locator(RESULT).first.click()
    page.wait_for_url("**" + found[0])
    assert page.locator("h1").inner_text() == soup(xiangtan).find("h1").get_text()


def test_filters_are_offered(browser_page, server: str) -> None:
    page, errors = browser_page
    found = search(page, server, "满意")
    # (No wait_for_function: evaluating strings is blocked by the site's CSP, as it should be.)
    expect(page.locator(".pagefind-ui__filter-name")).to_have_count(3)
    filters = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert {"年度", "单位", "一级指标"} <= {f.strip() for f in filters}
    # Choosing a year keeps only that year's projects.
    assert any(not path.startswith("/2023/") for path in found)
    page.locator("summary.pagefind-ui__filter-name", has_text="年度").click()
    page.locator("label[for='年度-2023']").click()
    expect(page.locator(RESULT + ":not([href^='/2023/'])")).to_have_count(0)
    assert page.locator(RESULT).count() >= 1
    assert errors == []
