"""Reproducible builds: the same sources built twice, in different folders, at different times,
in different time zones, with different hash seeds and file orders, and with SOURCE_DATE_EPOCH
unset in one build and set in the other, give byte-identical sites.

The production settings (publishconf.py) are built, as the deploy hooks and CI do.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import project_files

ROOT = Path(__file__).resolve().parent.parent
DISCLOSURES = Path(sys.executable).parent / "disclosures"


def copy_sources(dest: Path, reverse: bool) -> None:
    """Copy without keeping file times (every file gets the time of the copy), in one order or
    the other, so that a build that depends on file times or directory order shows it."""
    for rel in sorted(project_files(), reverse=reverse):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, target)


def commit_time() -> str:
    result = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "1700000000"


def build(src: Path, out: Path, **env: str) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environ.update(SITEURL="https://example.org/gongkai", **env)
    result = subprocess.run(
        [str(DISCLOSURES), "build", "--settings", "publishconf.py", "--output", str(out)],
        cwd=src,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "index.html").is_file()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def describe(name: str, a: bytes, b: bytes) -> str:
    try:
        lines_a, lines_b = a.decode().splitlines(), b.decode().splitlines()
    except UnicodeDecodeError:
        return f"{name}: binary files differ ({len(a)} and {len(b)} bytes)"
    diff = list(
        difflib.unified_diff(lines_a, lines_b, "first/" + name, "second/" + name, n=1, lineterm="")
    )
    return "\n".join(line[:300] for line in diff[:20])


# Pagefind 1.5.2 writes its filter and metadata indexes in a run-dependent order (upstream
# issue 638); export/search.py canonicalises each year's bundle (/pagefind/YEAR/) after every
# run, and its fingerprint.txt holds no time or path. The bundles have their own test so that
# a failure there names the search index.
SEARCH_BUNDLE = "pagefind/"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, Path]:
    if not DISCLOSURES.exists():
        pytest.skip("the project is not installed (make setup)")
    tmp = tmp_path_factory.mktemp("repro")
    first_src, second_src = tmp / "a" / "src", tmp / "second-checkout" / "site"
    copy_sources(first_src, reverse=False)
    build(first_src, tmp / "a" / "public", TZ="Etc/GMT+12", PYTHONHASHSEED="1", LC_ALL="C.UTF-8")
    time.sleep(1.1)
    copy_sources(second_src, reverse=True)
    build(
        second_src,
        tmp / "elsewhere" / "output",
        TZ="Etc/GMT-14",
        PYTHONHASHSEED="2",
        LC_ALL="C.UTF-8",
        SOURCE_DATE_EPOCH=commit_time(),
    )
    return tree(tmp / "a" / "public"), tree(tmp / "elsewhere" / "output"), tmp


def assert_identical(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    assert sorted(first) == sorted(second), (
        f"only in the first build: {sorted(set(first) - set(second))}; "
        f"only in the second: {sorted(set(second) - set(first))}"
    )
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"{len(differing)} file(s) differ:\n" + "\n\n".join(
        describe(name, first[name], second[name]) for name in differing[:5]
    )


def test_same_sources_build_byte_identical(two_builds) -> None:
    first, second, tmp = two_builds
    assert any(name.endswith(".html") for name in first)

    def site(t):
        return {k: v for k, v in t.items() if not k.startswith(SEARCH_BUNDLE)}

    assert_identical(site(first), site(second))
    # No path of the machine that built it leaks into the site.
    for name, data in first.items():
        assert str(tmp).encode() not in data, f"{name} contains a build path"


def test_search_index_is_byte_identical(two_builds) -> None:
    first, second, _ = two_builds

    def bundle(t):
        return {k: v for k, v in t.items() if k.startswith(SEARCH_BUNDLE)}

    assert bundle(first), "no search bundle was built"
    years = {k.split("/")[1] for k in bundle(first) if k.endswith("/pagefind-entry.json")}
    assert len(years) >= 2, f"one bundle per year expected, got {sorted(years)}"
    assert_identical(bundle(first), bundle(second))
