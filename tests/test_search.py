"""Search: the Pagefind index built with the site, and a real Chromium searching it in Chinese."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from disclosures.export.search import plan_bundles
from playwright.sync_api import expect
from support import MINIMAL_PROJECT, REPO, build_args, run_cli, soup, write_project


def project_pages(site: Path) -> list[Path]:
    return sorted(site.glob("[0-9]*/*/*/index.html"))


def years_of(site: Path) -> list[str]:
    return sorted({p.relative_to(site).parts[0] for p in project_pages(site)}, reverse=True)


def test_one_pagefind_bundle_per_year(site: Path) -> None:
    years = years_of(site)
    assert len(years) >= 2  # the bundled data has projects in 2020, 2021 and 2023
    listing = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
    assert listing == {"bundles": [f"{year}/" for year in years]}  # newest first
    for year in years:
        bundle = site / "pagefind" / year
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["version"] == "1.5.2"  # requirements.txt pins pagefind-bin-extended==1.5.2
        (language,) = entry["languages"].items()
        assert language[0] == "zh-cn"
        assert language[1]["page_count"] == len(list(site.glob(f"{year}/*/*/index.html")))
        assert (bundle / "pagefind.js").is_file()
    # The UI the search page loads, at the top, and no bundle of its own there.
    for asset in ("pagefind-ui.js", "pagefind-ui.css"):
        assert (site / "pagefind" / asset).is_file()
    assert not (site / "pagefind" / "pagefind-entry.json").exists()


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
        if word in _indexed_text(p)
    }


def _indexed_text(page: Path) -> str:
    """The article's text as Pagefind indexes it (parts marked data-pagefind-ignore left out)."""
    article = soup(page).find("article")
    for ignored in article.select("[data-pagefind-ignore]"):
        ignored.decompose()
    return article.get_text()


def test_chinese_word_finds_projects(browser_page, server: str, site: Path) -> None:
    page, errors = browser_page
    found = search(page, server, "满意")
    expected = projects_mentioning(site, "满意")
    assert expected and set(found) == expected
    # One result list from several years' bundles.
    assert len({path.split("/")[1] for path in found}) >= 2
    assert errors == []


def test_unit_name_finds_its_project(browser_page, server: str, site: Path) -> None:
    """湘潭 is in the 2023 bundle only: the other years' bundles, which would ignore a word
    they have no page for, must not list their pages with the name's other words."""
    page, errors = browser_page
    xiangtan = next(p for p in project_pages(site) if "湘潭市环境卫生管理处" in p.read_text())
    found = search(page, server, "湘潭市环境卫生管理处")
    assert found[0] == "/" + xiangtan.parent.relative_to(site).as_posix() + "/"
    assert set(found) == projects_mentioning(site, "湘潭市环境卫生管理处")
    page.locator(RESULT).first.click()
    page.wait_for_url("**" + found[0])
    assert page.locator("h1").inner_text() == soup(xiangtan).find("h1").get_text()


def test_the_start_of_a_project_name_finds_it(browser_page, server: str, site: Path) -> None:
    """A citizen types the first words of a project's name. The browser splits 特困家庭 as
    特 / 困 / 家庭 while the index holds 特困: the year's bundle knows every word, and must
    not be taken for one that lacks a word (it was: no result at all)."""
    page, errors = browser_page
    project = next(p for p in project_pages(site) if "特困家庭再扶助" in soup(p).h1.get_text())
    found = search(page, server, "特困家庭")
    assert found and found[0] == "/" + project.parent.relative_to(site).as_posix() + "/", found
    assert set(found) == projects_mentioning(site, "特困家庭")
    assert errors == []


@pytest.mark.parametrize(
    "words", ["精准帮扶", "帮扶", "忠县涂井乡龙滩村农村移民安置区精准帮扶项目", "移民安置区"]
)
def test_words_the_index_holds_whole_are_found(
    browser_page, server: str, site: Path, words: str
) -> None:
    """The index holds 帮扶 as one word while the browser splits the search 帮 / 扶, and a
    word of a search must start a word of the index: 精准帮扶, 帮扶 and the project's whole
    name found nothing. The fallback looks the words up alone and keeps the pages whose text
    holds the search as typed, and lists them first (before Pagefind's own matches of 帮…
    and 扶…, such as a page with 帮助 and 扶持)."""
    page, errors = browser_page
    expected = projects_mentioning(site, words)
    assert any("精准帮扶" in soup(p).h1.get_text() for p in project_pages(site))
    assert expected
    found = search(page, server, words)
    assert set(found[: len(expected)]) == expected, found
    assert errors == []


def test_filters_are_offered(browser_page, server: str, site: Path) -> None:
    page, errors = browser_page
    found = search(page, server, "满意")
    # (No wait_for_function: evaluating strings is blocked by the site's CSP, as it should be.)
    expect(page.locator(".pagefind-ui__filter-name")).to_have_count(3)
    filters = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert {"年度", "单位", "一级指标"} <= {f.strip() for f in filters}
    # Choosing a year keeps only that year's projects.
    assert any(not path.startswith("/2023/") for path in found)
    page.locator("summary.pagefind-ui__filter-name", has_text="年度").click()
    # The year filter offers every year, each from its own bundle.
    for year in years_of(site):
        expect(page.locator(f"label[for='年度-{year}']")).to_be_visible()
    page.locator("label[for='年度-2023']").click()
    # The list is re-rendered after the click: wait for a 2023 result before counting others
    # (count() does not wait, and an empty list in mid-render would pass the first check).
    expect(page.locator(RESULT + "[href^='/2023/']").first).to_be_visible()
    expect(page.locator(RESULT + ":not([href^='/2023/'])")).to_have_count(0)
    assert errors == []


# --- per-year bundles: reuse, equality with a cold build, no projects -----------------------

SEED = "2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"
WORD = "platypus"  # in no project: the edit adds it to one 2020 project


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def bundle_files(site: Path) -> dict[str, os.stat_result]:
    root = site / "pagefind"
    return {p.relative_to(root).as_posix(): p.stat() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`disclosures build -o live` twice, one 2020 project edited in between, and a cold build
    of the edited data: the inodes and bytes of the live bundles before and after."""
    tmp = tmp_path_factory.mktemp("search-edit")
    data = tmp / "data"
    shutil.copytree(REPO / "data", data)
    env = {"DISCLOSURES_CACHE_PATH": str(tmp / "cache")}
    live, cold = tmp / "live", tmp / "cold"

    def build(output: Path) -> None:
        result = run_cli(*build_args(output, data), env=env)
        assert result.returncode == 0, result.stdout + result.stderr

    build(live)
    before = {
        name: (st.st_ino, (live / "pagefind" / name).read_bytes())
        for name, st in bundle_files(live).items()
    }
    project = data / SEED
    text = project.read_text(encoding="utf-8")
    assert "院士风采墙延伸项目" in text and WORD not in text
    project.write_text(
        text.replace("院士风采墙延伸项目", f"院士风采墙延伸项目（{WORD}）", 1), "utf-8"
    )
    build(live)
    build(cold)
    return {"live": live, "cold": cold, "before": before}


def test_unchanged_years_are_linked_not_indexed_again(edited: dict) -> None:
    live, before = edited["live"], edited["before"]
    after = bundle_files(live)
    for year in ("2021", "2023"):  # untouched: the same files, hard links to the old ones
        names = sorted(n for n in before if n.startswith(f"{year}/"))
        assert names and names == sorted(n for n in after if n.startswith(f"{year}/"))
        for name in names:
            assert after[name].st_ino == before[name][0], name
    changed = [
        n
        for n in after
        if n.startswith("2020/")
        and (n not in before or before[n][1] != (live / "pagefind" / n).read_bytes())
    ]
    assert "2020/pagefind-entry.json" in changed  # its page count is the same: the hashes
    assert any(n.startswith("2020/fragment/") for n in changed)  # the edited page's text
    for name in (n for n in after if n.startswith("2020/")):
        assert name not in before or after[name].st_ino != before[name][0], name


def test_incremental_bundles_equal_a_cold_build(edited: dict) -> None:
    def contents(site: Path) -> dict[str, bytes]:
        return {n: (site / "pagefind" / n).read_bytes() for n in sorted(bundle_files(site))}

    assert contents(edited["live"]) == contents(edited["cold"])


def test_edited_text_is_found_with_the_other_years(edited: dict, browser) -> None:
    live = edited["live"]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        with serving(live) as url:
            found = search(page, url, WORD)
            assert found == [
                "/" + p.parent.relative_to(live).as_posix() + "/"
                for p in project_pages(live)
                if WORD in p.read_text(encoding="utf-8")
            ]
            assert found[0].startswith("/2020/")
            # The reused bundles answer too.
            everywhere = search(page, url, "满意")
            assert {path.split("/")[1] for path in everywhere} >= {"2020", "2021", "2023"}
    finally:
        page.close()
    assert errors == []


def test_no_projects_no_bundle_and_a_message(tmp_path: Path, data_dir: Path, browser) -> None:
    site = tmp_path / "site"
    result = run_cli(*build_args(site, data_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    listing = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
    assert listing == {"bundles": []}
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        with serving(site) as url:
            page.goto(url + "search/?q=" + urllib.parse.quote("满意"))
            expect(page.locator("#search .search-status")).to_have_text(
                "目前还没有可以搜索的项目。"
            )
    finally:
        page.close()
    assert [e for e in errors if "favicon" not in e and "404" not in e] == []


def test_a_big_year_is_split_by_unit(
    tmp_path: Path, seed_copy: Path, browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More project pages in a year than one bundle takes (DISCLOSURES_SEARCH_BUNDLE_PAGES,
    1,500 by default): that year's units are shared out over several bundles, and the search
    still finds every project."""
    for letter in "甲乙":
        write_project(
            seed_copy / "2020" / f"ceshi-{ord(letter)}",
            text=MINIMAL_PROJECT.replace("测试单位", f"测试单位{letter}").replace(
                "测试项目", f"测试项目{letter}"
            ),
        )
    monkeypatch.setenv("DISCLOSURES_SEARCH_BUNDLE_PAGES", "2")
    site = tmp_path / "site"
    result = run_cli(*build_args(site, seed_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    listing = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
    pages = [
        (p.relative_to(site).as_posix(), p.parent.parent.parent.name, p.parent.parent.name)
        for p in project_pages(site)
    ]
    bundles = plan_bundles(pages)  # 2020: 5 pages of 4 units, in 3 parts by unit
    assert listing["bundles"] == [f"{bundle.name}/" for bundle in bundles]
    parts = [bundle for bundle in bundles if bundle.year == "2020"]
    assert len(parts) >= 2 and all(bundle.name.startswith("2020-") for bundle in parts)
    assert any(len(bundle.units or ()) >= 2 for bundle in parts)  # a {unit,unit} glob
    for bundle in parts:
        entry = json.loads((site / "pagefind" / bundle.name / "pagefind-entry.json").read_text())
        assert entry["languages"]["zh-cn"]["page_count"] == len(bundle.pages)
    assert sum(len(bundle.pages) for bundle in parts) == 5
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        with serving(site) as url:
            assert set(search(page, url, "满意")) == projects_mentioning(site, "满意")
            found = search(page, url, "测试单位")
            assert len(found) == 2 and all(path.startswith("/2020/") for path in found)
    finally:
        page.close()
    assert errors == []


def test_results_show_unit_year_and_budget(browser_page, server: str, site: Path) -> None:
    """Issue 16: each result names its unit, year and budget (Pagefind metadata shown as tags)
    and its excerpt is the project's own words, not help links or labels run together."""
    page, errors = browser_page
    xiangtan = next(p for p in project_pages(site) if "湘潭市环境卫生管理处" in p.read_text())
    html = soup(xiangtan)
    meta = {s["data-pagefind-meta"]: s.get_text() for s in html.select("[data-pagefind-meta]")}
    assert set(meta) == {"年度", "单位", "预算"}
    found = search(page, server, "雾炮车")
    path = "/" + xiangtan.parent.relative_to(site).as_posix() + "/"
    assert path in found
    result = page.locator("li.pagefind-ui__result", has=page.locator(f"a[href='{path}']"))
    tags = result.locator(".pagefind-ui__result-tag").all_inner_texts()
    shown = " ".join(tags)
    for key, value in meta.items():
        assert key in shown and value in shown, (key, value, tags)
    assert "2,500,000 元" in shown  # the budget as the page states it
    excerpt = result.locator(".pagefind-ui__result-excerpt").first.inner_text()
    assert "雾炮车" in excerpt
    for noise in ("什么是", "?", "data-", "下载数据"):  # help links, markup, download list
        assert noise not in excerpt, excerpt
    assert errors == []
