"""Incremental builds: project pages whose inputs did not change are not rendered again, and
the result is byte-identical to a cold build of the same inputs, whatever changed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import PELICAN, REPO, build_site, settings_file, tree_digests

SEED = "2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"


def reused(result) -> int:
    match = re.search(r"(\d+) of them not re-rendered", result.stderr)
    assert match, result.stderr
    return int(match.group(1))


# Pages made from a set of projects (render.Page.inputs): project, year, unit and indicator
# pages; and pages made from none (glossary, patterns, search). The home page and the
# indicator index show site-wide figures: made again after any change to any project.
_FROM_PROJECTS = re.compile(
    r"^(\d{4}/|\d{4}/[^/]+/|\d{4}/[^/]+/[^/]+/|units/[^/]+/|glossary/|patterns/|search/"
    r"|indicators/(?!as-written/)[^/]+/(\d+/)?|compare/[^/]+/(\d{4}/)?)index\.html$"
)


def plugin_pages(site: Path) -> set[str]:
    """Every page of the plugin (not Pelican's own pages/, nor the web editor's admin/,
    whose index.html is a file output, not a rendered page)."""
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if (path.name == "index.html" or path.parent == site)  # 404.html is rendered too
        and not path.relative_to(site).as_posix().startswith(("pages/", "pagefind/", "admin/"))
    }


def pages_from_projects(site: Path) -> set[str]:
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("index.html")
        if _FROM_PROJECTS.match(path.relative_to(site).as_posix())
    }


_INDICATOR_PAGE = re.compile(r"^indicators/(?!as-written/)[^/]+/(\d+/)?index\.html$")


def indicator_texts(live: Path) -> dict[str, str]:
    """The indicator pages' text (to compare after a build: `expected_reuse`)."""
    return {
        page: (live / page).read_text(encoding="utf-8")
        for page in pages_from_projects(live)
        if _INDICATOR_PAGE.match(page)
    }


def expected_reuse(
    before: set[str], live: Path, changed: str, also: str = "", old: dict[str, str] | None = None
) -> int:
    """Pages that existed before and neither are nor list the changed project (URL
    `changed`), nor are `also`: every other page's inputs are unchanged, so it is reused.
    An indicator page shows one row of each project it lists (render.indicator_rows): one
    that lists the changed project is reused too when it reads as before (`old`)."""
    old = old or {}

    def kept(page: str) -> bool:
        text = (live / page).read_text(encoding="utf-8")
        return changed not in text or old.get(page) == text

    return sum(
        1
        for page in before & pages_from_projects(live)
        if page not in (f"{changed}index.html", also) and kept(page)
    )


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISCLOSURES_CACHE_PATH", str(tmp_path / "cache"))
    return tmp_path


def assert_same_as_cold(tmp_path: Path, live: Path, data: Path, settings: str) -> None:
    cold = tmp_path / "cold"
    build_site(cold, data=data, settings=settings, content=REPO / "content")
    assert tree_digests(live) == tree_digests(cold)


def test_one_edit_renders_one_project_page(env: Path, seed_copy: Path) -> None:
    live = env / "live"
    first = build_site(live, data=seed_copy)
    assert reused(first) == 0
    project = seed_copy / SEED
    project.write_text(
        project.read_text(encoding="utf-8").replace('"=100%"', '"=99%"', 1), encoding="utf-8"
    )
    before, old = pages_from_projects(live), indicator_texts(live)
    second = build_site(live, data=seed_copy)
    # Six projects, one edited: the 5 other project pages, 8 of the 10 unit pages (not the
    # edited project's unit, in 2020 and in all years), the other years' pages and the pages
    # of the indicators the edited project does not set come from the live site; so do the
    # pages of its other indicators: their rows of this project read as before.
    edited = "2020/shang-hai-ke-xue-hui-tang/ke-xie-da-yuan-ri-chang-yun-xing-yu-wei-hu/"
    expected = expected_reuse(before, live, edited, old=old)
    assert expected > 5 + 8 + 10  # indicator pages are reused too
    listing = [p for p in old if edited in old[p]]
    remade = [p for p in listing if old[p] != (live / p).read_text(encoding="utf-8")]
    assert len(remade) == 1 and len(listing) > 5  # the edited target's indicator only
    assert reused(second) == expected
    assert "=99%" in (live / "2020/shang-hai-ke-xue-hui-tang").joinpath(
        "ke-xie-da-yuan-ri-chang-yun-xing-yu-wei-hu/index.html"
    ).read_text(encoding="utf-8")
    assert_same_as_cold(env, live, seed_copy, "pelicanconf.py")


def test_a_new_year_re_renders_the_years_before(env: Path, seed_copy: Path) -> None:
    live = env / "live"
    build_site(live, data=seed_copy)
    text = (seed_copy / SEED).read_text(encoding="utf-8").replace('year: "2020"', 'year: "2021"')
    assert 'year: "2021"' in text
    (seed_copy / "2021/shanghai-kexue-huitang").mkdir(parents=True)
    (seed_copy / "2021/shanghai-kexue-huitang/next.yaml").write_text(text, encoding="utf-8")
    before, old = pages_from_projects(live), indicator_texts(live)
    second = build_site(live, data=seed_copy)
    # The 2020 project page now links to 2021, the unit's pages and the pages of the
    # indicators it sets list one more project: rendered again. The other units' 8 pages,
    # 5 project pages and the other indicators' pages are reused. The unit's 2020 page also
    # shows the unit's figures over all years.
    added, unit_2020 = "2021/shang-hai-ke-xue-hui-tang/", "2020/shang-hai-ke-xue-hui-tang/"
    assert reused(second) == expected_reuse(before, live, added, f"{unit_2020}index.html", old) > 13
    assert_same_as_cold(env, live, seed_copy, "pelicanconf.py")


def test_glossary_change_renders_every_project_page(env: Path, seed_copy: Path) -> None:
    live = env / "live"
    build_site(live, data=seed_copy)
    glossary = seed_copy / "_glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    assert "承诺达到哪些可检查的目标" in text  # shown in the "?" help of every project page
    glossary.write_text(text.replace("承诺达到哪些可检查的目标", "承诺达到哪些目标"), "utf-8")
    assert reused(build_site(live, data=seed_copy)) == 0
    assert_same_as_cold(env, live, seed_copy, "pelicanconf.py")


def test_template_change_renders_every_project_page(env: Path, seed_copy: Path) -> None:
    theme = env / "theme"
    shutil.copytree(REPO / "themes" / "budget", theme)
    settings = settings_file(env, THEME=str(theme))
    live = env / "live"
    build_site(live, data=seed_copy, settings=settings, content=REPO / "content")
    macros = theme / "templates" / "_macros.html"
    macros.write_text(macros.read_text(encoding="utf-8").replace("指标总数", "指标数"), "utf-8")
    again = build_site(live, data=seed_copy, settings=settings, content=REPO / "content")
    assert reused(again) == 0
    assert_same_as_cold(env, live, seed_copy, settings)


def test_an_edit_to_a_projects_text_makes_no_indicator_page(env: Path, seed_copy: Path) -> None:
    """With one project per indicator page, an edit to a project's text leaves each of its
    indicators' totals and rows alone: no indicator page is made again (render.indicator_rows);
    a new name is in each of its rows: every page holding one is made again."""
    settings = settings_file(env, DISCLOSURES_PAGE_SIZE=1)
    live = env / "live"
    build_site(live, data=seed_copy, settings=settings, content=REPO / "content")
    before = pages_from_projects(live)
    paginated = [p for p in before if re.match(r"indicators/[^/]+/2/index\.html$", p)]
    assert paginated, "the seed data should have indicators set by several projects"
    project = seed_copy / SEED
    text = project.read_text(encoding="utf-8")
    assert "科协大院的综合物业管理" in text
    project.write_text(text.replace("科协大院的综合物业管理", "科协大院综合物业管理"), "utf-8")
    again = build_site(live, data=seed_copy, settings=settings, content=REPO / "content")
    edited = "2020/shang-hai-ke-xue-hui-tang/ke-xie-da-yuan-ri-chang-yun-xing-yu-wei-hu/"
    sharing = [p for p in before if _INDICATOR_PAGE.match(p) and edited in (live / p).read_text()]
    assert len(sharing) > 5 and reused(again) == expected_reuse(before, live, edited) + len(sharing)
    assert_same_as_cold(env, live, seed_copy, settings)
    # The project's name (its slug set apart, so that its address stays): in every row.
    text = project.read_text(encoding="utf-8")
    name = re.search(r'^name: "?([^"\n]+)"?$', text, re.M)
    assert name and "\nid:" not in text
    slug = edited.rstrip("/").rsplit("/", 1)[1]
    renamed = text.replace(name.group(0), f'name: "{name.group(1)}（调整）"\nid: "{slug}"', 1)
    project.write_text(renamed, encoding="utf-8")
    third = build_site(live, data=seed_copy, settings=settings, content=REPO / "content")
    assert all("（调整）" in (live / p).read_text(encoding="utf-8") for p in sharing)
    assert reused(third) == expected_reuse(before, live, edited)
    assert_same_as_cold(env, live, seed_copy, settings)


def test_the_same_inputs_spelt_another_way_reuse_every_page(env: Path, seed_copy: Path) -> None:
    """A relative or absolute data path is where the data is, not what it is."""
    live = env / "live"
    build_site(live, data=seed_copy)
    before = plugin_pages(live)
    relative = Path(os.path.relpath(seed_copy, REPO))  # another command line: a real build
    again = build_site(live, data=relative)
    assert reused(again) == len(before)


# --- changes to inputs a fingerprint could forget: each build equals a cold build ---------


def _git(folder: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "编辑",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "编辑",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_AUTHOR_DATE": "2024-03-01T10:00:00+08:00",
        "GIT_COMMITTER_DATE": "2024-03-01T10:00:00+08:00",
    }
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


def test_git_history_alone(env: Path, seed_copy: Path) -> None:
    """The same bytes, another commit message: the project page and its project.json list
    the history, so they are made again; nothing else is."""
    _git(seed_copy, "init", "-q")
    _git(seed_copy, "add", ".")
    _git(seed_copy, "commit", "-q", "-m", "录入")
    live = env / "live"
    build_site(live, data=seed_copy)
    page = live / "2020/shang-hai-ke-xue-hui-tang/ke-xie-da-yuan-ri-chang-yun-xing-yu-wei-hu"
    assert "录入" in (page / "index.html").read_text(encoding="utf-8")
    _git(seed_copy, "commit", "-q", "--amend", "-m", "录入六张表")
    again = build_site(live, data=seed_copy)
    assert "录入六张表" in (page / "index.html").read_text(encoding="utf-8")
    assert "录入六张表" in (page / "project.json").read_text(encoding="utf-8")
    assert 0 < reused(again) < len(plugin_pages(live))
    assert_same_as_cold(env, live, seed_copy, "pelicanconf.py")


def test_indicator_totals_on_a_paginated_indicator_page(env: Path, seed_copy: Path) -> None:
    """An edit that changes an indicator's totals changes every page of that indicator,
    also the pages that do not hold the edited project's row."""
    settings = settings_file(env, DISCLOSURES_PAGE_SIZE=1)
    live = env / "live"
    build_site(live, data=seed_copy, settings=settings, content=REPO / "content")
    project = seed_copy / SEED
    text = project.read_text(encoding="utf-8")
    assert '"=100%"' in text
    project.write_text(text.replace('"=100%"', '"≥90%"', 1), "utf-8")
    build_site(live, data=seed_copy, settings=settings, content=REPO / "content")
    assert_same_as_cold(env, live, seed_copy, settings)


def test_a_setting(env: Path, seed_copy: Path) -> None:
    live = env / "live"
    first = settings_file(env, SITENAME="第一个名称")
    build_site(live, data=seed_copy, settings=first, content=REPO / "content")
    (env / "second").mkdir()
    second = settings_file(env / "second", SITENAME="第二个名称")
    again = build_site(live, data=seed_copy, settings=second, content=REPO / "content")
    assert reused(again) == 0
    assert "第二个名称" in (live / "downloads/datapackage.json").read_text(encoding="utf-8")
    assert_same_as_cold(env, live, seed_copy, second)


def test_a_site_wide_data_file(env: Path, seed_copy: Path) -> None:
    """data/_mapping.yaml decides the national view of every indicator."""
    live = env / "live"
    build_site(live, data=seed_copy)
    mapping = seed_copy / "_mapping.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text + "\n# 注释也是改动 / a comment is a change too\n", "utf-8")
    again = build_site(live, data=seed_copy)
    assert reused(again) == 0
    assert_same_as_cold(env, live, seed_copy, "pelicanconf.py")


def test_deleted_project_leaves_nothing_behind(env: Path, seed_copy: Path) -> None:
    live = env / "live"
    build_site(live, data=seed_copy)
    (seed_copy / SEED).unlink()
    build_site(live, data=seed_copy)
    assert_same_as_cold(env, live, seed_copy, "pelicanconf.py")
    assert not [f for f in live.rglob("*") if f.is_dir() and not any(f.iterdir())]


# --- plain `pelican`, building in place, shares the plan, the manifest and the no-change stop


def test_plain_pelican_in_place(env: Path, seed_copy: Path) -> None:
    settings = settings_file(env, DISCLOSURES_DATA_PATH=str(seed_copy))
    live = env / "live"

    def run(*extra: str) -> str:
        result = subprocess.run(
            [PELICAN, str(REPO / "content"), "-s", settings, "-o", str(live), "-v", *extra],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    assert "nothing changed" not in run()
    stats = {p: p.stat() for p in live.rglob("*") if p.is_file()}
    # No change: the plugin stops before loading; its files are not touched (Pelican's own
    # pages, theme files and the sitemap are Pelican's to rewrite).
    assert "nothing changed" in run()
    for path, before in stats.items():
        relative = path.relative_to(live).as_posix()
        # admin/ is an output of the plan like the rest: untouched too.
        if relative != "sitemap.xml" and not relative.startswith(("pages/", "theme/")):
            after = path.stat()
            assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), path
    # An edit, then a deleted project: each time the folder equals a cold build's.
    project = seed_copy / SEED
    project.write_text(
        project.read_text(encoding="utf-8").replace('"=100%"', '"=99%"', 1), encoding="utf-8"
    )
    assert "nothing changed" not in run()
    assert_same_as_cold(env, live, seed_copy, settings)
    project.unlink()
    run()
    shutil.rmtree(env / "cold")
    assert_same_as_cold(env, live, seed_copy, settings)
    assert not [f for f in live.rglob("*") if f.is_dir() and not any(f.iterdir())]


def test_no_change_stops_before_loading_and_any_change_does_not(env: Path, seed_copy: Path) -> None:
    live = env / "live"
    build_site(live, data=seed_copy)
    again = build_site(live, data=seed_copy)
    assert "nothing changed" in again.stderr
    (seed_copy / "_glossary.yaml").touch()  # a site-wide data file, rewritten as it was
    third = build_site(live, data=seed_copy)
    assert "nothing changed" not in third.stderr and reused(third) == len(plugin_pages(live))
    assert "nothing changed" in build_site(live, data=seed_copy).stderr


def test_a_bundle_whose_pages_read_the_same_is_linked_not_made(env: Path, seed_copy: Path) -> None:
    """A comment added to a 2021 file: the project's digest, so its page's fingerprint and
    its year's search bundle's, change, but the page's bytes do not. The bundle, compared
    by the bytes it reads (publish.content_key), is linked from the live site: Pagefind
    does not run. The site still equals a cold build."""
    live = env / "live"
    build_site(live, data=seed_copy)
    bundle = live / "pagefind" / "2021"

    def inodes() -> dict[str, int]:
        files = (p for p in bundle.rglob("*") if p.is_file())
        return {p.relative_to(live).as_posix(): p.stat().st_ino for p in files}

    before = inodes()
    assert len(before) > 10
    project = next((seed_copy / "2021").rglob("*.yaml"))
    text = project.read_text(encoding="utf-8")
    project.write_text(text + "# 注释：不改变任何页面\n", encoding="utf-8")
    second = build_site(live, data=seed_copy)
    assert "1 parsed" in second.stdout + second.stderr  # the edit was seen
    assert inodes() == before  # the same files, linked: not made again
    assert_same_as_cold(env, live, seed_copy, "pelicanconf.py")
