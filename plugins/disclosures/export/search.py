"""Static full-text search: Pagefind (extended build, which segments Chinese) indexes the
project pages into one bundle per year (more for a big year), and the search page merges them.

Each bundle is an output of the plan (plan.py) made after its pages: unchanged pages, an
unchanged bundle, linked from the live site like any other output (publish.py). Pagefind
holds about 0.5 MB per page (1,453 pages: 0.75 GiB peak; 2,608: 1.3 GiB), so a year of more
than `bundle_pages()` projects is split by unit into as many bundles as needed, and the
publisher never runs two at once. Layout (docs/search.md):

    /pagefind/bundles.json            {"bundles": ["2023/", "2021-1/", "2021-2/", ...]}
    /pagefind/pagefind-ui.js, .css    the UI (the first bundle's copies)
    /pagefind/2023/                   a whole Pagefind bundle, canonicalised
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import os
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import cbor2

logger = logging.getLogger(__name__)

BUNDLE = "pagefind"  # output sub-folder: /pagefind/bundles.json, /pagefind/2023/pagefind.js ...
BUNDLES_LIST = "bundles.json"
UI_ASSETS = ("pagefind-ui.js", "pagefind-ui.css")
# An input of every bundle (plan.py): change it when the command line, the canonicalisation
# or the layout of a bundle changes, and every bundle is indexed again.
INDEX_VERSION = "disclosures-search-3"
BUNDLE_PAGES = 1500  # at most ≈ 0.8 GiB of Pagefind; DISCLOSURES_SEARCH_BUNDLE_PAGES overrides


class SearchIndexError(RuntimeError):
    exitcode = 1


def pagefind_executable() -> Path:
    # The pinned `pagefind-bin-extended` wheel ships the binary inside the package.
    from pagefind_bin_extended import get_executable

    return get_executable()


def pagefind_version() -> str:
    return metadata.version("pagefind-bin-extended")


def bundle_pages() -> int:
    """The most project pages in one bundle (one Pagefind run)."""
    return max(1, int(os.environ.get("DISCLOSURES_SEARCH_BUNDLE_PAGES") or BUNDLE_PAGES))


@dataclass(frozen=True)
class Bundle:
    """The project pages of one year, or of some of its units: one Pagefind run."""

    name: str  # the folder under /pagefind/: "2023", or "2021-1", "2021-2" for a split year
    year: str
    units: tuple[str, ...] | None  # None: every unit of the year
    pages: tuple[str, ...]  # the pages' paths in the site


ProjectPage = tuple[str, str, str]  # (path in the site, year, unit key)


def plan_bundles(project_pages: list[ProjectPage]) -> list[Bundle]:
    """The bundles of the site's project pages, newest year first. A year of more than
    `bundle_pages()` pages is split by unit, each unit by the hash of its key, so that an
    edit re-indexes one part and adding a project moves no other unit."""
    by_year: dict[str, list[ProjectPage]] = {}
    for page in project_pages:
        by_year.setdefault(page[1], []).append(page)
    bundles = []
    for year in sorted(by_year, reverse=True):
        pages = sorted(by_year[year])
        parts = math.ceil(len(pages) / bundle_pages())
        if parts <= 1:
            bundles.append(Bundle(year, year, None, tuple(path for path, _, _ in pages)))
            continue
        split: list[list[ProjectPage]] = [[] for _ in range(parts)]
        for page in pages:
            split[int(hashlib.sha256(page[2].encode()).hexdigest(), 16) % parts].append(page)
        for number, part in enumerate(split, 1):
            if part:
                units = tuple(sorted({unit for _, _, unit in part}))
                paths = tuple(path for path, _, _ in part)
                bundles.append(Bundle(f"{year}-{number}", year, units, paths))
    return bundles


def make_bundle(bundle: Bundle, read) -> dict[str, bytes]:
    """Index the bundle's pages with Pagefind; its files by name. Pagefind reads a folder:
    it gets a private one holding only these pages, at their paths in the site (so their
    URLs are the site's), and writes the bundle into another; canonicalised, then read."""
    with tempfile.TemporaryDirectory(prefix="disclosures-search-") as folder:
        pages, out = Path(folder) / "site", Path(folder) / "bundle"
        for path in bundle.pages:
            target = pages / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(read(path))
        command = [
            str(pagefind_executable()),
            "--site",
            str(pages),
            "--output-path",
            str(out),
            "--glob",
            "**/*.html",
            "--quiet",
        ]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise SearchIndexError(
                f"搜索索引生成失败 / pagefind failed for {bundle.name} "
                f"({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
            )
        canonicalise(out)
        return {
            file.relative_to(out).as_posix(): file.read_bytes()
            for file in sorted(out.rglob("*"))
            if file.is_file()
        }


def bundles_list(names: tuple[str, ...], read=None) -> bytes:
    """/pagefind/bundles.json: the bundles the search page merges, newest year first."""
    return (json.dumps({"bundles": [f"{name}/" for name in names]}) + "\n").encode()


def ui_asset(asset: str, first_bundle: str | None, read) -> bytes:
    """The search UI's script or style: the same in every bundle, taken from the first; with
    no project yet, a file that does nothing."""
    if first_bundle is None:
        return "/* 暂无项目，没有搜索索引 / no projects, no search index */\n".encode()
    return read(f"{first_bundle}{asset}")


# --- reproducible bundle ------------------------------------------------------------------
# Pagefind 1.5 writes each filter's values, and so the filter files' names and the metadata
# file naming them, in a run-dependent order (its issue #638). The values are sorted here,
# the files renamed by their content and the references rewritten, so that the same site
# always gives the same bundle. Pagefind's JS loads files by the names the metadata gives.
_SIGNATURE = b"pagefind_dcd"


def _read_pf(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"unexpected Pagefind file format: {path.name}")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _pf_bytes(value: Any) -> bytes:
    return _SIGNATURE + cbor2.dumps(value)


def _write_pf(folder: Path, prefix: str, digits: int, suffix: str, payload: bytes) -> str:
    name = f"{prefix}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(payload, mtime=0))
    return name


def _replace(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_replace(item, names) for item in value]
    return value


def canonicalise(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        names: dict[str, str] = {}
        for path in sorted((bundle / "filter").glob(f"{language}_*.pf_filter")):
            name, values = _read_pf(path)
            payload = _pf_bytes([name, sorted(values, key=lambda v: str(v[0]))])
            path.unlink()
            names[path.name.removesuffix(".pf_filter")] = _write_pf(
                bundle / "filter", language, 7, ".pf_filter", payload
            )
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _replace(_read_pf(meta_path), names)
        renamed = set(names.values())
        meta = [  # the list of (filter name, file) pairs, in a run-dependent order too
            sorted(part)
            if isinstance(part, list)
            and part
            and all(isinstance(p, list) and len(p) == 2 and p[1] in renamed for p in part)
            else part
            for part in meta
        ]
        meta_path.unlink()
        info["hash"] = _write_pf(bundle, f"pagefind.{language}", 13, ".pf_meta", _pf_bytes(meta))
        info["hash"] = info["hash"].removeprefix("pagefind.")
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
