"""The lean theme: light pages, no web fonts, nothing fetched from elsewhere, numbers aligned."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from bs4 import BeautifulSoup

BUDGET = 60 * 1024  # bytes of HTML + CSS, gzip-compressed, for one project page


def _gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def _stylesheets(site: Path, html: str) -> list[Path]:
    hrefs = [
        link["href"] for link in BeautifulSoup(html, "html.parser").select("link[rel~=stylesheet]")
    ]
    return [site / re.sub(r"^(\.\./)+|^/", "", href) for href in hrefs]


def test_every_project_page_weighs_under_60_kb_compressed(site: Path):
    pages = sorted(site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html"))
    assert pages, "no project pages built"
    weights = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        sheets = _stylesheets(site, html)
        assert sheets and all(s.is_file() for s in sheets), f"{page}: stylesheet missing"
        weights[page.parent.name] = _gzipped(html.encode()) + sum(
            _gzipped(s.read_bytes()) for s in sheets
        )
    heaviest = max(weights, key=weights.get)
    assert weights[heaviest] < BUDGET, f"{heaviest}: {weights[heaviest]} bytes gzipped"


def test_no_web_fonts_and_system_chinese_fonts_first(site: Path):
    css = (site / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    assert "@font-face" not in css and "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), "CSS loads something remote"
    assert re.search(r"font-family:[^;]*\"PingFang SC\"[^;]*\"Noto Sans CJK SC\"", css)
    assert "tabular-nums" in css


def test_no_page_loads_anything_from_another_site(site: Path):
    remote = re.compile(r"^(https?:)?//")
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("iframe", "src"),
            ("source", "src"),
        ):
            for element in soup.find_all(tag):
                value = element.get(attr) or ""
                if tag == "link" and not {"stylesheet", "preload", "icon"} & set(
                    element.get("rel") or []
                ):
                    continue  # canonical/alternate links name pages, they load nothing
                assert not remote.match(value), f"{page}: <{tag} {attr}={value}>"


def test_no_inline_style_or_script_in_charts(site: Path):
    """Charts are drawn at build time with presentation attributes (the CSP forbids inline
    style and script)."""
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    svgs = home.select("figure.chart svg")
    assert len(svgs) == 2
    for svg in svgs:
        assert svg.find("title") and svg.find("desc") and svg.get("role") == "img"
        assert not svg.select("[style], script, style")


def test_money_columns_are_right_aligned_in_the_browser(open_page, page_paths):
    page = open_page(page_paths["project-shanghai"])
    aligns = page.eval_on_selector_all(
        "table.money td.num", "cells => cells.map(c => getComputedStyle(c).textAlign)"
    )
    numbers = page.eval_on_selector_all(
        "table.money td.num", "cells => cells.map(c => getComputedStyle(c).fontVariantNumeric)"
    )
    assert aligns and set(aligns) == {"right"}
    assert set(numbers) == {"tabular-nums"}
