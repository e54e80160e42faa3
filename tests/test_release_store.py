"""Releases that share unchanged folders through the release store (plugins/disclosures/store.py):
a release made from a thin live one is byte-identical to a cold build, leaves the live release
and the store as they were, and holds only what changed; old store folders are collected once
no kept release reaches them."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from disclosures import store
from support import REPO, build_site, run_cli, tree_digests

SEED = "2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"


@pytest.fixture
def releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISCLOSURES_CACHE_PATH", str(tmp_path / "cache"))
    monkeypatch.setenv("DISCLOSURES_RELEASE_STORE", str(tmp_path / "releases" / ".store"))
    (tmp_path / "releases").mkdir()
    return tmp_path / "releases"


def release(releases: Path, previous: Path | None, data: Path, name: str) -> Path:
    """`disclosures build` as the deploy hooks run it (a new folder beside the live one)."""
    args = ["build", "--output", str(releases / name), "--data", str(data)]
    if previous is not None:
        args += ["--previous", str(previous)]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    return releases / name


def store_state(releases: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry of the store: its inode, size and modification time (a write, or a file
    added to or removed from a folder, shows; a hard link to a file changes its ctime only)."""
    state = {}
    for where, folders, files in os.walk(releases / store.STORE):
        for name in folders + files:
            path = os.path.join(where, name)
            info = os.lstat(path)
            state[path] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return state


def own_entries(site: Path) -> int:
    """What a release holds of its own: entries in its folders that are not in the store."""
    return sum(len(folders) + len(files) for _, folders, files in os.walk(site))


def edit(data: Path, old: str, new: str) -> None:
    path = data / SEED
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_a_thin_release_is_a_cold_build_and_leaves_the_live_one_alone(
    releases: Path, seed_copy: Path, tmp_path: Path
) -> None:
    first = release(releases, None, seed_copy, "r1")
    # The first release shares its folders already: its top holds links into the store.
    assert any(entry.is_symlink() for entry in first.iterdir())
    whole = own_entries(first) + sum(len(f) for _, _, f in os.walk(first, followlinks=True))
    live_files, stored = tree_digests(first), store_state(releases)

    edit(seed_copy, '"=100%"', '"=99%"')
    second = release(releases, first, seed_copy, "r2")

    # The live release and every store entry it reaches are as they were (nothing written
    # through a link), and the new one reads as a cold build of the edited data.
    assert tree_digests(first) == live_files
    after = store_state(releases)
    assert {path: after.get(path) for path in stored} == stored
    cold = tmp_path / "cold"
    build_site(cold, data=seed_copy)
    assert tree_digests(second) == tree_digests(cold)
    page = "2020/shang-hai-ke-xue-hui-tang/ke-xie-da-yuan-ri-chang-yun-xing-yu-wei-hu/index.html"
    assert "=99%" in (second / page).read_text(encoding="utf-8")
    assert "=99%" not in (first / page).read_text(encoding="utf-8")
    # Thin: the new release's own entries are a small part of the site.
    assert own_entries(second) * 4 < whole

    # An edit back: made from the thin release, a cold build again, the first one intact.
    edit(seed_copy, '"=99%"', '"=100%"')
    third = release(releases, second, seed_copy, "r3")
    assert tree_digests(third) == live_files
    assert tree_digests(first) == live_files

    # A project deleted: its folder goes from the new release (made its own first), and
    # from no other.
    (seed_copy / SEED).unlink()
    fourth = release(releases, third, seed_copy, "r4")
    shutil.rmtree(cold)
    build_site(cold, data=seed_copy)
    assert tree_digests(fourth) == tree_digests(cold)
    assert not (fourth / page).exists() and (third / page).is_file()
    assert tree_digests(third) == live_files


def test_collect_removes_what_no_kept_release_reaches(releases: Path, seed_copy: Path) -> None:
    first = release(releases, None, seed_copy, "r1")
    edit(seed_copy, '"=100%"', '"=99%"')
    second = release(releases, first, seed_copy, "r2")
    expected = tree_digests(second)
    before = {p.name for p in (releases / store.STORE).iterdir() if p.is_dir()}
    shutil.rmtree(first)  # the deploy hooks' prune: rm -rf of a release never follows links

    # Young store folders are kept: a build outside the publishing lock may have just made them.
    assert store.collect(releases) == (len(before), 0)
    kept, removed = store.collect(releases, now=time.time() + 2 * store.GRACE_SECONDS)
    assert removed > 0 and kept + removed == len(before)
    assert tree_digests(second) == expected  # everything it reaches is still there
    left = {p.name for p in (releases / store.STORE).iterdir()}
    assert all(name.removesuffix(store.REFS) in left for name in left)  # no orphan list

    shutil.rmtree(second)
    assert store.collect(releases, now=time.time() + 2 * store.GRACE_SECONDS) == (0, kept)
    assert list((releases / store.STORE).iterdir()) == []


def test_a_link_that_does_not_lead_into_the_store_is_not_followed(
    releases: Path, seed_copy: Path, tmp_path: Path
) -> None:
    first = release(releases, None, seed_copy, "r1")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x", encoding="utf-8")
    bad = first / "units"
    bad.unlink()
    bad.symlink_to(outside)
    with pytest.raises(store.StoreError):
        store.unshare(str(first), "units/x")
    # A new release made from it does not take the foreign link: it is built file by file.
    edit(seed_copy, '"=100%"', '"=99%"')
    second = release(releases, first, seed_copy, "r2")
    assert "units/secret.txt" not in tree_digests(second)
    assert (outside / "secret.txt").read_text(encoding="utf-8") == "x"
    assert sorted(outside.iterdir()) == [outside / "secret.txt"]


def test_without_a_store_a_release_is_a_whole_tree(
    tmp_path: Path, seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCLOSURES_CACHE_PATH", str(tmp_path / "cache"))
    monkeypatch.delenv("DISCLOSURES_RELEASE_STORE", raising=False)
    site = tmp_path / "site"
    build_site(site, data=seed_copy)
    assert not any(path.is_symlink() for path in site.rglob("*"))
    assert (REPO / "plugins/disclosures/store.py").is_file()
