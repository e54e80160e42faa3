"""A content-hash cache of loaded projects, and parallel loading of the files it lacks.

Each entry is what `pipeline.load_project` returned for one file — the validated Project
(or None) and its problems — pickled under the sha256 of the file's bytes, its names and
the code version. The version is fields.SCHEMA_VERSION plus a hash of every source file of
the plugin, so changed code never serves data built by older code. A missing, unreadable
or corrupt entry is simply a miss: the file is parsed again and the entry rewritten.

Where: the DISCLOSURES_CACHE_PATH setting (the generator passes it to `load_all`),
overridden by the environment variable of the same name; default `.cache/disclosures`.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import fields
from .report import CacheStats

logger = logging.getLogger(__name__)

DEFAULT_PATH = ".cache/disclosures"
ENV = "DISCLOSURES_CACHE_PATH"
# Below this many files to parse, one process is quicker than starting a pool.
PARALLEL_THRESHOLD = 200
CHUNK = 64

Loaded = tuple[Any, list]  # (Project | None, list[Problem]) as load_project returns it
Loader = Callable[[Path, str, Path | None], Loaded]

Progress = Callable[[int, int], None]  # (files done, files in all)


def directory(setting: str | None = None) -> Path | None:
    """The cache folder, or None when caching is off (an empty value).

    The environment variable wins over the DISCLOSURES_CACHE_PATH setting, which wins over
    the default."""
    chosen = os.environ.get(ENV, setting if setting is not None else DEFAULT_PATH)
    return Path(chosen) if chosen else None


@cache
def code_version() -> str:
    """Schema version + Python + a hash of every plugin source file."""
    digest = hashlib.sha256(f"{fields.SCHEMA_VERSION}:{sys.version}".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def entry_key(raw: bytes, path: Path, display: str, data_root: Path | None) -> str:
    return _key(hashlib.sha256(raw).hexdigest(), path, display, data_root)


def _key(content: str, path: Path, display: str, data_root: Path | None) -> str:
    """The entry's key from the sha256 of the file's bytes (hashed once: it is also the
    file's content digest, which names the data whatever folder it is in)."""
    digest = hashlib.sha256(code_version().encode())
    for part in (str(path), display, str(data_root)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(content.encode())
    return digest.hexdigest()


Signature = tuple[int, int, int, int]  # size, mtime, ctime (ns), inode


def _signature(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class Memory:
    """What a long-lived builder (builder.py, `disclosures serve`) keeps between builds:
    every file it loaded, by path, with the stat signature it had then, its cache key and
    content digest, and what the loader returned. A file whose signature is unchanged is
    not read again (its ctime moves on every write, whatever the mtime says); one whose
    bytes are unchanged is not parsed again. Per builder, never module state."""

    entries: dict[tuple, tuple[Signature, str, str, Any]] = field(default_factory=dict)
    # Compiled templates, by the Jinja options they were compiled with (the generator's:
    # a template is compiled again when its source changes).
    templates: dict[str, Any] = field(default_factory=dict)
    # Each kept project's lint warnings, by the project object (kept as long as its file is
    # unchanged), valid while the framework they were linted against is equal (pipeline.py).
    lints: dict[int, tuple[Any, list]] = field(default_factory=dict)
    linted_with: Any = None
    # The last build's index (reindex.KeptIndex), updated per changed project by the next.
    index: Any = None
    # Its page list (pagelist.KeptPages), made again only where the index changed.
    pages: Any = None
    # And the outputs of its last plan (plan.KeptOutputs), taken where their inputs are equal.
    outputs: Any = None
    # Their fingerprints (publish.KeptPrints), and the manifest it saved last
    # (manifest.KeptManifest): the next build's live site is usually that release.
    prints: Any = None
    manifest: Any = None
    # The data folders' listing (KeptListing, `listed`).
    listing: Any = None


FolderSignature = tuple[int, int, int]  # inode, mtime, ctime (ns)
# A folder changed less than this before a listing is not trusted to show a later change
# (two changes within one tick of the file system's clock leave the same mtime).
TICK_NS = 2 * 10**9


@dataclass
class KeptListing:
    """The files a builder's last listing of the data folders found, and the signature of
    every folder under them then. Adding, removing or renaming an entry changes its
    folder's mtime and ctime (and nothing sets a ctime back): while no folder's signature
    moved, the listing is the same, and the data files' own stat signatures (Memory.entries)
    tell which files changed."""

    roots: tuple[str, ...]
    folders: dict[str, FolderSignature]
    files: tuple
    problems: tuple


def listed(
    paths: Sequence[Path],
    find: Callable[[Sequence[Path]], tuple[list, list]],
    memory: Memory | None,
) -> tuple[list, list]:
    """`find(paths)` (pipeline.find_files: a stat of every entry, its name and type
    checked), or a long-lived builder's last listing while no folder under `paths` changed."""
    if memory is None:
        return find(paths)
    roots = tuple(str(path) for path in paths)
    kept = memory.listing
    if kept is not None and kept.roots == roots and _unchanged(kept.folders):
        return list(kept.files), list(kept.problems)
    memory.listing = None
    started = time.time_ns()
    folders = _folders(paths)  # before the listing: a change meanwhile shows next time
    files, problems = find(paths)
    settled = started - TICK_NS
    if folders is not None and all(
        mtime < settled and ctime < settled for _, mtime, ctime in folders.values()
    ):
        memory.listing = KeptListing(roots, folders, tuple(files), tuple(problems))
    return files, problems


def _folders(paths: Sequence[Path]) -> dict[str, FolderSignature] | None:
    """Every folder under `paths` (not those find_files skips: names starting with a dot),
    with its signature; None when a path is not a folder or one cannot be read."""
    found: dict[str, FolderSignature] = {}
    pending = [str(path) for path in paths]
    try:
        for path in pending:
            st = os.stat(path, follow_symlinks=False)
            if not os.path.isdir(path) or os.path.islink(path):
                return None
            found[path] = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
        while pending:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        found[entry.path] = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
                        pending.append(entry.path)
    except OSError:
        return None
    return found


def _unchanged(folders: dict[str, FolderSignature]) -> bool:
    for path, signature in folders.items():
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:
            return False
        if (st.st_ino, st.st_mtime_ns, st.st_ctime_ns) != signature:
            return False
    return True


def _entry_path(folder: Path, key: str) -> Path:
    return folder / code_version() / key[:2] / f"{key}.pickle"


def _read(folder: Path, key: str) -> Loaded | None:
    try:
        with open(_entry_path(folder, key), "rb") as handle:
            loaded = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a corrupt entry is a miss, never a failure
        logger.info("[disclosures] ignoring unreadable cache entry %s: %s", key[:12], exc)
        return None
    if not (isinstance(loaded, tuple) and len(loaded) == 2 and isinstance(loaded[1], list)):
        return None
    return loaded


def _write(folder: Path, key: str, blob: bytes) -> None:
    """Atomic: a reader sees the old entry, no entry or the whole new one."""
    target = _entry_path(folder, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.replace(temporary, target)
    except OSError as exc:  # a read-only or full disk costs speed, not the build
        logger.info("[disclosures] cannot write cache entry: %s", exc)


def _parse(job: tuple[Path, str, Path | None, str, Path | None], loader: Loader) -> bytes:
    path, display, data_root, key, folder = job
    blob = pickle.dumps(loader(path, display, data_root), protocol=pickle.HIGHEST_PROTOCOL)
    if folder is not None:
        _write(folder, key, blob)
    return blob


def _parse_chunk(jobs: list, loader: Loader) -> list[bytes]:
    return [_parse(job, loader) for job in jobs]


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_all(
    files: Sequence[tuple[Path, str]],
    data_root: Path | None,
    loader: Loader,
    folder: Path | None = None,
    progress: Progress | None = None,
    digests: dict[str, str] | None = None,
    contents: dict[str, str] | None = None,
    memory: Memory | None = None,
) -> tuple[list[Loaded], CacheStats]:
    """`loader(path, display, data_root)` for every file, in order, from the cache in
    `folder` (None: no cache) when the bytes are unchanged; the rest parsed in worker
    processes when there are many. Returns the results and how they were obtained.

    `digests` is filled with each loaded project's content digest (its cache key: file
    bytes, names, code version) by `Project.source`: the build's record of what each
    project was made from (plan.py), kept beside the model, not in it; `contents` with the
    sha256 of its file's bytes (what the data is, wherever it lies: status.json's release).
    `memory` (a long-lived builder's) is consulted first and kept up to date."""
    # Loading builds millions of small objects that all live to the end of the build: the
    # cyclic collector would scan them again and again (a third of the time of a warm load).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_all(files, data_root, loader, folder, progress, digests, contents, memory)
    finally:
        if enabled:
            gc.enable()


def _load_all(
    files: Sequence[tuple[Path, str]],
    data_root: Path | None,
    loader: Loader,
    folder: Path | None,
    progress: Progress | None,
    digests: dict[str, str] | None,
    contents: dict[str, str] | None,
    memory: Memory | None,
) -> tuple[list[Loaded], CacheStats]:
    results: list[Loaded | None] = [None] * len(files)
    jobs: list[tuple[int, tuple]] = []
    stats = CacheStats()
    keys: dict[Path, str] = {}
    sums: dict[Path, str] = {}
    signatures: dict[Path, Signature | None] = {}
    kept = memory.entries if memory is not None else {}
    for number, (path, display) in enumerate(files):
        if memory is not None:
            signature = signatures[path] = _signature(path)
            entry = kept.get((path, display, data_root))
            if signature is not None and entry is not None and entry[0] == signature:
                keys[path], sums[path], results[number] = entry[1], entry[2], entry[3]
                stats.hits += 1
                stats.kept += 1
                continue
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None  # the loader reports it
        content = hashlib.sha256(raw).hexdigest() if raw is not None else ""
        key = _key(content, path, display, data_root) if raw is not None else ""
        keys[path], sums[path] = key, content
        entry = kept.get((path, display, data_root))
        hit = entry[3] if entry is not None and key and entry[1] == key else None
        if hit is None and folder is not None and key:
            hit = _read(folder, key)
        if hit is not None:
            results[number] = hit
            stats.hits += 1
        else:
            jobs.append((number, (path, display, data_root, key, folder if key else None)))
    stats.parsed = len(jobs)
    done = stats.hits
    if progress:
        progress(done, len(files))
    if len(jobs) >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        stats.workers = min(os.cpu_count() or 1, 4)
        with ProcessPoolExecutor(max_workers=stats.workers) as pool:
            batches = list(_chunks(jobs, CHUNK))
            futures = [
                pool.submit(_parse_chunk, [job for _, job in batch], loader) for batch in batches
            ]
            for batch, future in zip(batches, futures, strict=True):
                for (number, _), blob in zip(batch, future.result(), strict=True):
                    results[number] = pickle.loads(blob)
                done += len(batch)
                if progress:
                    progress(done, len(files))
    else:
        for number, (path, display, _, key, target) in jobs:
            loaded = loader(path, display, data_root)
            if target is not None:
                _write(target, key, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
            results[number] = loaded
            done += 1
            if progress and done % 500 == 0:
                progress(done, len(files))
    if folder is not None:
        _write_stats(folder, stats)
        if jobs:
            _prune(folder)
    for (path, _), loaded in zip(files, results, strict=True):
        if loaded is None or loaded[0] is None or not keys.get(path):
            continue
        if digests is not None:
            digests[loaded[0].source] = keys[path]
        if contents is not None:
            contents[loaded[0].source] = sums[path]
    if memory is not None:
        memory.entries = {
            (path, display, data_root): (signatures[path], keys[path], sums[path], loaded)
            for (path, display), loaded in zip(files, results, strict=True)
            if loaded is not None and keys.get(path) and signatures.get(path) is not None
        }
    return [r for r in results if r is not None], stats


def _prune(folder: Path) -> None:
    """Entries written by other versions of the code can never be read again."""
    current = code_version()
    for child in folder.iterdir():
        # Only version folders (16 hex digits): builds/ and pages/ hold other state.
        is_version = len(child.name) == 16 and all(c in "0123456789abcdef" for c in child.name)
        if child.is_dir() and is_version and child.name != current:
            shutil.rmtree(child, ignore_errors=True)


def _write_stats(folder: Path, stats: CacheStats) -> None:
    """The last load's counts, for tests and the build summary."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "stats.json").write_text(json.dumps(stats.__dict__))
    except OSError:
        pass
