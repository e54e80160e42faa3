"""Static full-text search: Pagefind (extended build, which segments Chinese) indexes the
project pages into one bundle per year (more for a big year), and the search page merges them.

The generator starts the job as soon as the pages are written and waits for it after the
downloads are made, so `pelican`, `make html` and `disclosures build` all index the site
(for the CLI, before the staging folder is swapped into place). A bundle whose project pages
are unchanged since the live site was built (same fingerprint, see `Bundle.fingerprint`) is
taken from the live site as hard links; the others are indexed by Pagefind one at a time, in
a thread, while the build goes on. Pagefind holds about 0.5 MB per page (1,453 pages: 0.75 GiB
peak; 2,608: 1.3 GiB), so a year of more than `bundle_pages()` projects is split by unit into
as many bundles as needed. Layout (docs/search.md):

    /pagefind/bundles.json            {"bundles": ["2023/", "2021-1/", "2021-2/", ...]}
    /pagefind/pagefind-ui.js, .css    the UI (links to the first bundle's copies)
    /pagefind/2023/                   a whole Pagefind bundle, canonicalised
    /pagefind/2023/fingerprint.txt    what the bundle was made from (no times, no paths)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import cbor2

logger = logging.getLogger(__name__)

BUNDLE = "pagefind"  # output sub-folder: /pagefind/bundles.json, /pagefind/2023/pagefind.js ...
BUNDLES_LIST = "bundles.json"
FINGERPRINT = "fingerprint.txt"
UI_ASSETS = ("pagefind-ui.js", "pagefind-ui.css")
# Part of every fingerprint: change it when the command line, the canonicalisation or the
# layout of a bundle changes, and every bundle is indexed again.
INDEX_VERSION = "disclosures-search-2"
BUNDLE_PAGES = 1500  # at most ≈ 0.8 GiB of Pagefind; DISCLOSURES_SEARCH_BUNDLE_PAGES overrides
_YEAR = re.compile(r"[0-9]{4}")


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
    pages: tuple[Path, ...]

    @property
    def glob(self) -> str:
        """The bundle's pages, /YEAR/UNIT/PROJECT/ (render.py), as a Pagefind glob."""
        if self.units is None:
            return f"{self.year}/*/*/index.html"
        if len(self.units) == 1:
            return f"{self.year}/{self.units[0]}/*/index.html"
        return f"{self.year}/{{{','.join(self.units)}}}/*/index.html"

    def fingerprint(self, site: Path) -> str:
        """sha256 over what Pagefind reads: every page's path and bytes, the command's glob,
        the Pagefind version and INDEX_VERSION. Equal fingerprints, equal bundles."""
        digest = hashlib.sha256(
            f"{INDEX_VERSION}\0pagefind {pagefind_version()}\0{self.glob}\0".encode()
        )
        for page in self.pages:
            digest.update(page.relative_to(site).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(page.read_bytes()).digest())
        return digest.hexdigest()


def plan_bundles(site: Path) -> list[Bundle]:
    """The bundles of the site's project pages, newest year first. A year of more than
    `bundle_pages()` pages is split by unit, each unit by the hash of its folder name, so that
    an edit re-indexes one part and adding a project moves no other unit."""
    bundles = []
    years = (f for f in site.iterdir() if f.is_dir() and _YEAR.fullmatch(f.name))
    for year in sorted((f.name for f in years), reverse=True):
        pages = sorted(site.glob(f"{year}/*/*/index.html"))
        parts = math.ceil(len(pages) / bundle_pages())
        if parts <= 1:
            if pages:
                bundles.append(Bundle(year, year, None, tuple(pages)))
            continue
        split: list[list[Path]] = [[] for _ in range(parts)]
        for page in pages:
            unit = page.parent.parent.name
            split[int(hashlib.sha256(unit.encode()).hexdigest(), 16) % parts].append(page)
        for number, part in enumerate(split, 1):
            if part:
                units = tuple(sorted({page.parent.parent.name for page in part}))
                bundles.append(Bundle(f"{year}-{number}", year, units, tuple(part)))
    return bundles


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link every file of `source` into `target` (a copy where linking fails)."""
    for folder, _, files in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in files:
            _link(Path(folder) / name, destination / name)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class SearchJob:
    """Indexes the site bundle by bundle in a thread. `kill()` stops it (and the Pagefind
    running), `wait()` waits for it; `finish_search_index` raises what went wrong."""

    def __init__(self, site: Path, previous: Path | None = None) -> None:
        self.site = site
        usable = previous is not None and (previous / BUNDLE).is_dir()
        # Building into the live folder itself (plain `pelican`): nothing to link from.
        self.previous = previous if usable and not _same_folder(previous, site) else None
        self.built: list[str] = []  # bundles indexed by Pagefind
        self.reused: list[str] = []  # bundles linked from the live site
        self.error: BaseException | None = None
        self._lock = threading.Lock()
        self._killed = False
        self._process: subprocess.Popen | None = None
        self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
        self._thread.start()

    def kill(self) -> None:
        with self._lock:
            self._killed = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()

    def wait(self) -> None:
        self._thread.join()

    def _run(self) -> None:
        try:
            self._index()
        except BaseException as error:  # noqa: BLE001 - reported by finish_search_index
            self.error = error

    def _index(self) -> None:
        root = self.site / BUNDLE
        if root.exists():  # an earlier build into this folder: its bundles may be stale
            shutil.rmtree(root)
        root.mkdir(parents=True)
        bundles = plan_bundles(self.site)
        pending = []
        for bundle in bundles:
            fingerprint = bundle.fingerprint(self.site)
            if self._reuse(bundle, fingerprint):
                self.reused.append(bundle.name)
            else:
                pending.append((bundle, fingerprint))
        for bundle, fingerprint in pending:  # one Pagefind at a time: its memory is the peak
            self._pagefind(bundle)
            canonicalise(root / bundle.name)
            # Written last: a bundle with a fingerprint is complete.
            (root / bundle.name / FINGERPRINT).write_text(fingerprint + "\n", encoding="utf-8")
            self.built.append(bundle.name)
        self._write_root([bundle.name for bundle in bundles])

    def _reuse(self, bundle: Bundle, fingerprint: str) -> bool:
        if self.previous is None:
            return False
        old = self.previous / BUNDLE / bundle.name
        try:
            if (old / FINGERPRINT).read_text(encoding="utf-8").strip() != fingerprint:
                return False
            _link_tree(old, self.site / BUNDLE / bundle.name)
        except OSError:  # no such bundle, or the live site changed under us: index it
            shutil.rmtree(self.site / BUNDLE / bundle.name, ignore_errors=True)
            return False
        return True

    def _pagefind(self, bundle: Bundle) -> None:
        command = [
            str(pagefind_executable()),
            "--site",
            str(self.site),
            "--output-subdir",
            f"{BUNDLE}/{bundle.name}",
            # Only project pages carry data-pagefind-body; not parsing the other pages at all
            # saves a quarter of Pagefind's time (1,000 projects: 16.4 → 12.2 CPU s).
            "--glob",
            bundle.glob,
            "--quiet",
        ]
        with self._lock:
            if self._killed:
                raise SearchIndexError("搜索索引已中止 / search index stopped")
            self._process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        stdout, stderr = self._process.communicate()
        if self._process.returncode != 0:
            raise SearchIndexError(
                f"搜索索引生成失败 / pagefind failed for {bundle.name} "
                f"({self._process.returncode}): {stderr.strip() or stdout.strip()}"
            )

    def _write_root(self, names: list[str]) -> None:
        root = self.site / BUNDLE
        for asset in UI_ASSETS:
            if names:
                _link(root / names[0] / asset, root / asset)
            else:  # no project yet: the search page's two files exist and do nothing
                (root / asset).write_text(
                    "/* 暂无项目，没有搜索索引 / no projects, no search index */\n",
                    encoding="utf-8",
                )
        listing = {"bundles": [f"{name}/" for name in names]}
        (root / BUNDLES_LIST).write_text(json.dumps(listing) + "\n", encoding="utf-8")


def start_search_index(site: Path, previous: Path | None = None) -> SearchJob:
    """Start indexing the written project pages; it runs while the downloads are made (both
    cores busy), and `finish_search_index` waits for it. `previous` is the live site, whose
    bundles of unchanged pages are reused."""
    return SearchJob(site, previous)


def finish_search_index(job: SearchJob, site: Path) -> None:
    job.wait()
    if isinstance(job.error, SearchIndexError):
        raise job.error
    if job.error is not None:
        raise SearchIndexError(
            f"搜索索引生成失败 / search index failed: {type(job.error).__name__}: {job.error}"
        ) from job.error
    logger.info(
        "[disclosures] search index written to %s/%s: %d bundle(s) indexed, %d reused",
        site,
        BUNDLE,
        len(job.built),
        len(job.reused),
    )


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
