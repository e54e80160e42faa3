"""Feeds and discovery: Atom feed, sitemap, robots.txt, canonical/OpenGraph meta, git history."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from disclosures.history import file_histories
from support import MINIMAL_PROJECT, REPO, build_site, soup, write_project

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def html_pages(site: Path) -> list[str]:
    """URL paths of every HTML page, as the sitemap should list them."""
    paths = []
    for page in site.rglob("*.html"):
        relative = page.relative_to(site).as_posix()
        # admin/: the web editor, not a page for readers (noindex, not in the sitemap);
        # 404.html: served for missing addresses, not a page of its own.
        if relative.startswith(("pagefind/", "theme/", "admin/")) or relative == "404.html":
            continue
        paths.append(relative.removesuffix("index.html"))
    return sorted(paths)


def sitemap_paths(site: Path, siteurl: str = "") -> list[str]:
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = [url.find(f"{SITEMAP_NS}loc").text for url in root.iter(f"{SITEMAP_NS}url")]
    assert all(loc.startswith(siteurl + "/") for loc in locs)
    return sorted(loc[len(siteurl) + 1 :] for loc in locs)


def git(folder: Path, *args: str, date: str = "2024-03-01T10:00:00+08:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "编辑",
        "GIT_AUTHOR_EMAIL": "e@example.org",
        "GIT_COMMITTER_NAME": "编辑",
        "GIT_COMMITTER_EMAIL": "e@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def git_data(tmp_path: Path) -> Path:
    """A data folder inside a git repository: added, renamed, then corrected."""
    repo = tmp_path / "repo"
    data = repo / "data"
    data.mkdir(parents=True)
    git(repo, "init", "-q")
    write_project(data, "2020/old-name.yaml")
    write_project(data, "2020/other.yaml", MINIMAL_PROJECT.replace("测试项目", "另一个项目"))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "录入两张表", date="2024-01-05T09:00:00+08:00")
    git(repo, "mv", "data/2020/old-name.yaml", "data/2020/ceshi.yaml")
    git(repo, "commit", "-q", "-m", "文件改名", date="2024-02-01T09:00:00+08:00")
    path = data / "2020" / "ceshi.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("100\n", "120\n", 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "更正项目总预算", date="2024-03-01T10:00:00+08:00")
    return data


def test_history_follows_renames_with_one_git_call(git_data: Path) -> None:
    histories = file_histories(git_data, ["2020/ceshi.yaml", "2020/other.yaml", "2020/new.yaml"])
    assert [c.subject for c in histories["2020/ceshi.yaml"]] == [
        "更正项目总预算",
        "文件改名",
        "录入两张表",
    ]
    assert [c.day for c in histories["2020/ceshi.yaml"]] == [
        "2024-03-01",
        "2024-02-01",
        "2024-01-05",
    ]
    assert [c.subject for c in histories["2020/other.yaml"]] == ["录入两张表"]
    assert histories["2020/new.yaml"] == []


def test_history_outside_git_is_empty(data_dir: Path) -> None:
    write_project(data_dir, "p.yaml")
    assert file_histories(data_dir, ["p.yaml"]) == {"p.yaml": []}


def test_project_page_shows_its_change_history(git_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build_site(output, data=git_data)
    (page,) = [p for p in output.glob("2020/*/*/index.html") if "另一个" not in p.read_text()]
    section = soup(page).find("section", attrs={"aria-labelledby": "h-changes"})
    assert section.find("h2").get_text() == "修改记录"
    items = [li.get_text(" ", strip=True) for li in section.find_all("li")]
    # What changed, from the data, in Chinese; the editor's message only as a note after it.
    assert items == [
        "2024年3月1日 修改了项目资金 编辑说明： 更正项目总预算",
        "2024年2月1日 数据文件改名，内容未变 编辑说明： 文件改名",
        "2024年1月5日 录入本表 编辑说明： 录入两张表",
    ]
    feed = feedparser.parse((output / "feeds" / "disclosures.atom.xml").read_bytes())
    assert not feed.bozo
    entry = next(e for e in feed.entries if "另一个" not in e.title)
    assert entry.published.startswith("2024-01-05T09:00:00")
    assert entry.updated.startswith("2024-03-01T10:00:00")
    assert feed.entries[0] is entry  # newest change first
    assert entry.summary.endswith("最近修改：修改了项目资金")
    assert feed.feed.updated.startswith("2024-03-01T10:00:00")


def test_data_outside_git_builds_with_empty_history(data_dir: Path, tmp_path: Path) -> None:
    write_project(data_dir, "p.yaml")
    write_project(
        data_dir,
        "q.yaml",
        MINIMAL_PROJECT.replace("测试项目", "已发布项目").replace(
            "unit:", 'published: "2020-01-20"\nunit:'
        ),
    )
    output = tmp_path / "out"
    build_site(output, data=data_dir)
    pages = list(output.glob("2020/*/*/index.html"))
    assert len(pages) == 2
    for page in pages:
        assert "暂无修改记录" in page.read_text(encoding="utf-8")
    feed = feedparser.parse((output / "feeds" / "disclosures.atom.xml").read_bytes())
    assert not feed.bozo
    # Only the project whose data gives a date is in the feed: no invented dates.
    assert [e.title for e in feed.entries] == ["测试单位：已发布项目（2020年度）"]
    assert feed.entries[0].published.startswith("2020-01-20T00:00:00+08:00")
    assert sitemap_lastmods(output) == {"2020-01-20T00:00:00+08:00"}


def sitemap_lastmods(site: Path) -> set[str]:
    root = ET.parse(site / "sitemap.xml").getroot()
    return {url.find(f"{SITEMAP_NS}lastmod").text for url in root.iter(f"{SITEMAP_NS}url")}


def test_feed_of_the_bundled_site(site: Path) -> None:
    feed = feedparser.parse((site / "feeds" / "disclosures.atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    records = [
        json.loads(p.read_text(encoding="utf-8")) for p in site.glob("[0-9]*/*/*/project.json")
    ]
    histories = file_histories(REPO / "data", [r["data_file"] for r in records])
    dated = [r for r in records if r["published"] or histories[r["data_file"]]]
    assert dated and len(feed.entries) == len(dated)
    newest = max(dt.datetime.fromisoformat(c.date) for h in histories.values() for c in h)
    assert dt.datetime.fromisoformat(feed.feed.updated) >= newest  # from the data, not now
    assert dt.datetime.fromisoformat(feed.feed.updated) == max(
        dt.datetime.fromisoformat(e.updated) for e in feed.entries
    )
    for entry in feed.entries:
        assert entry.link.endswith("/") and entry.id.startswith("urn:x-disclosures:")


def test_sitemap_lists_every_page(site: Path) -> None:
    assert sitemap_paths(site) == html_pages(site)
    assert "search/" in sitemap_paths(site) and "pages/open-data/" in sitemap_paths(site)


def test_robots_points_at_the_sitemap(site: Path) -> None:
    lines = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines and "Sitemap: /sitemap.xml" in lines


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site built with the production settings and an absolute SITEURL."""
    output = tmp_path_factory.mktemp("published") / "output"
    from support import run_cli

    result = run_cli(
        "build",
        "--settings",
        "publishconf.py",
        "--output",
        str(output),
        env={"SITEURL": "https://budget.example.org/"},
    )
    assert result.returncode == 0, result.stderr
    return output


def test_published_pages_have_canonical_and_opengraph(published: Path) -> None:
    siteurl = "https://budget.example.org"
    for path in html_pages(published):
        page = soup(published / path / "index.html")
        canonical = page.find("link", rel="canonical")
        assert canonical is not None and canonical["href"] == f"{siteurl}/{path}", path
        meta = {m.get("property") or m.get("name"): m.get("content") for m in page.find_all("meta")}
        assert meta["og:url"] == f"{siteurl}/{path}"
        assert meta["og:title"] == page.title.get_text()
        assert meta["description"] and meta["og:description"] == meta["description"]
    assert sitemap_paths(published, siteurl) == html_pages(published)
    assert (published / "robots.txt").read_text().endswith(f"Sitemap: {siteurl}/sitemap.xml\n")
    feed = feedparser.parse((published / "feeds" / "disclosures.atom.xml").read_bytes())
    assert not feed.bozo and all(e.link.startswith(siteurl + "/20") for e in feed.entries)


def test_dev_pages_have_no_relative_canonical(site: Path) -> None:
    page = soup(site / "index.html")
    assert page.find("link", rel="canonical") is None  # a canonical URL must be absolute
    assert page.find("meta", property="og:title") is not None
    assert page.find("link", type="application/atom+xml")["href"].endswith(
        "feeds/disclosures.atom.xml"
    )
