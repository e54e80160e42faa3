"""Incremental builds: project pages whose inputs did not change are not rendered again, and
the result is byte-identical to a cold build of the same inputs, whatever changed."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from support import REPO, build_site, settings_file

SEED = "2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"


def tree(folder: Path) -> dict[str, str]:
    """Every file's hash, the search bundle included."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def reused(result) -> int:
    match = re.search(r"(\d+) of them not re-rendered", result.stderr)
    assert match, result.stderr
    return int(match.group(1))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISCLOSURES_CACHE_PATH", str(tmp_path / "cache"))
    return tmp_path


def assert_same_as_cold(tmp_path: Path, live: Path, data: Path, settings: str) -> None:
    cold = tmp_path / "cold"
    build_site(cold, data=data, settings=settings, content=REPO / "content")
    assert tree(live) == tree(cold)


def test_one_edit_renders_one_project_page(env: Path, seed_copy: Path) -> None:
    live = env / "live"
    first = build_site(live, data=seed_copy)
    assert reused(first) == 0
    project = seed_copy / SEED
    project.write_text(
        project.read_text(encoding="utf-8").replace('"=100%"', '"=99%"', 1), encoding="utf-8"
    )
    second = build_site(live, data=seed_copy)
    # Six projects, one edited: 5 project pages, and 8 of the 10 unit pages (not the
    # edited project's unit, in 2020 and in all years) come from the live site.
    assert reused(second) == 5 + 8
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
    second = build_site(live, data=seed_copy)
    # The 2020 project page now links to 2021, and the unit's pages list one more project:
    # rendered again. The other units' 8 pages and 5 project pages are reused.
    assert reused(second) == 5 + 8
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
