"""Shards: each year's outputs built into a folder of its own (as a CI matrix would), then a
merge that links them and makes only the site-wide outputs: byte for byte one build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import REPO, run_cli, tree_digests

# Every year of the bundled data (the test holds whatever years data/ has).
YEARS = tuple(sorted(p.name for p in (REPO / "data").iterdir() if p.name.isdigit()))
assert len(YEARS) >= 2


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISCLOSURES_CACHE_PATH", str(tmp_path / "cache"))
    return tmp_path


def build(output: Path, *options: str) -> str:
    result = run_cli("build", "--output", str(output), *options)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stderr


def test_a_merge_of_year_shards_is_one_build(env: Path) -> None:
    shards = []
    for year in YEARS:
        folder = env / f"shard-{year}"
        build(folder, "--shard", year)
        shards.append(folder)
        made = {p.relative_to(folder).parts[0] for p in folder.glob("[0-9]*/*/*/index.html")}
        assert made == {year}  # a shard makes its own year's project pages only
        assert (folder / "downloads" / f"disclosures-{year}.xlsx").is_file()
        assert not (folder / "index.html").exists()  # the home page is site-wide
    merged = env / "merged"
    summary = build(merged, *(arg for folder in shards for arg in ("--merge", str(folder))))
    linked = int(re.search(r"(\d+) of them not re-rendered", summary).group(1))
    cold = env / "cold"
    build(cold)
    assert tree_digests(merged) == tree_digests(cold)
    # Every page of a year (its projects, its page, its units' pages) came from a shard.
    assert linked == len(list(cold.glob("[0-9][0-9][0-9][0-9]/**/index.html"))) > 10


def test_a_merge_into_the_live_site_links_the_changed_shard(env: Path, seed_copy: Path) -> None:
    """Merging a year's new shard into the live output (the release seeded with the live
    files): the changed year's outputs are the shard's files (the same inodes), not made
    again; the result is byte for byte one build."""
    data = ("--data", str(seed_copy))
    live = env / "live"
    build(live, *data)
    edited = seed_copy / "2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace('"=100%"', '"=99%"', 1), encoding="utf-8")
    shard = env / "shard-2020"
    build(shard, *data, "--shard", "2020")
    build(live, *data, "--merge", str(shard))
    page = "2020/shang-hai-ke-xue-hui-tang/ke-xie-da-yuan-ri-chang-yun-xing-yu-wei-hu/index.html"
    assert "=99%" in (live / page).read_text(encoding="utf-8")
    assert (live / page).stat().st_ino == (shard / page).stat().st_ino
    cold = env / "cold"
    build(cold, *data)
    assert tree_digests(live) == tree_digests(cold)
