"""What `disclosures build` tells while it works, and how it knows nothing changed.

- Progress: a line redrawn in place on a terminal, a count every few seconds otherwise
  (CI logs), for the long phases: loading files and writing pages.
- Summary: one line at the end — projects, pages, seconds, cache use.
- No-change check: a fingerprint of every input (the size and mtime of each file under the
  data, content, theme and plugin folders; the settings files; the data repository's git
  HEAD, which decides the change history shown on pages). When it equals the fingerprint of
  the last build of the same output folder, and that folder is the one that build made,
  the build is skipped: the output would be byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import runpy
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..cache import code_version
from ..report import BuildReport

INTERVAL = 5.0  # seconds between counts on a non-terminal


class _Reporter:
    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.started = time.perf_counter()
        self.shown = False

    def show(self, phase: str, done: int, total: int | None = None) -> None:
        now = time.perf_counter()
        final = total is not None and done >= total
        if not final and now - self.last < (0.2 if self.tty else INTERVAL):
            return
        self.last = now
        count = f"{done}/{total}" if total else str(done)
        text = f"{phase} {count} ({now - self.started:.0f} s)"
        if self.tty:
            print(f"\r\033[K{text}", end="", file=sys.stderr, flush=True)
            self.shown = True
        elif now - self.started >= INTERVAL:  # short builds print nothing but the summary
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)


@contextmanager
def reporting(report: BuildReport) -> Iterator[None]:
    """Show the build's progress (loading files, writing pages) while it runs."""
    reporter = _Reporter()
    report.on_load = lambda done, total: reporter.show("读取 / loading", done, total)
    report.on_write = lambda done: reporter.show("写出 / writing", done)
    try:
        yield
    finally:
        report.on_load = report.on_write = None
        reporter.close()


def summary(report: BuildReport, files: int, output: Path, seconds: float) -> str:
    stats = report.cache
    projects = stats.hits + stats.parsed
    return (
        f"生成完成 / built {projects} projects, {files} files into {output} in "
        f"{seconds:.1f} s ({report.written} written, {report.linked} unchanged, "
        f"{report.reused} of them not re-rendered; "
        f"{stats.parsed} parsed, {stats.hits} from cache"
        + (f"; {report.rendered_aside} made by other processes" if report.rendered_aside else "")
        + ")"
    )


# --- no-change check ---------------------------------------------------------------------


def _settings(path: Path) -> dict:
    try:
        return runpy.run_path(str(path))
    except Exception:  # noqa: BLE001 - Pelican will report it; we just do not skip
        return {}


def _git_head(folder: Path) -> str:
    for parent in (folder, *folder.parents):
        git = parent / ".git"
        if git.is_dir():
            try:
                head = (git / "HEAD").read_text().strip()
                if head.startswith("ref: "):
                    ref = git / head[5:]
                    packed = git / "packed-refs"
                    head += (
                        ref.read_text()
                        if ref.exists()
                        else (packed.read_text() if packed.exists() else "")
                    )
                return head
            except OSError:
                return "?"
    return ""


def _tree(digest: hashlib._Hash, folder: Path) -> None:
    digest.update(f"\0{folder}\0".encode("utf-8", "surrogateescape"))
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # written by imports
        for name in sorted(files):
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                continue
            digest.update(
                f"{root}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode(
                    "utf-8", "surrogateescape"
                )
            )


def fingerprint(args: argparse.Namespace) -> tuple[str, Path] | None:
    """(fingerprint of all inputs, stamp file), or None when it cannot be known."""
    settings_path = Path(args.settings).resolve()
    if not settings_path.is_file():
        return None
    settings = _settings(settings_path)
    if not settings:
        return None
    here = settings_path.parent
    cwd = Path.cwd()

    def resolve(value: str) -> Path:
        path = Path(value)
        return path if path.is_absolute() else (cwd / path)

    data = resolve(args.data or settings.get("DISCLOSURES_DATA_PATH", "data"))
    # Not `func` (a function's repr holds its address, different in every process).
    options = sorted((k, v) for k, v in vars(args).items() if not callable(v))
    digest = hashlib.sha256(repr(options).encode())
    digest.update(
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("DISCLOSURES_"))).encode()
    )
    for file in sorted(here.glob("*conf.py")):
        digest.update(file.read_bytes())
    for folder in (
        data,
        resolve(args.content),
        here / settings.get("THEME", "themes"),
        *(here / p for p in settings.get("PLUGIN_PATHS", [])),
        # The web editor's own scripts and its lock file (not node_modules: too large).
        resolve(settings.get("DISCLOSURES_ADMIN_PATH", "admin")) / "src",
    ):
        _tree(digest, folder)
    lock = resolve(settings.get("DISCLOSURES_ADMIN_PATH", "admin")) / "package-lock.json"
    digest.update(lock.read_bytes() if lock.is_file() else b"")
    digest.update(_git_head(data).encode())
    # The plugin code that runs, wherever it is imported from (PLUGIN_PATHS may not be it).
    digest.update(code_version().encode())
    cache_dir = resolve(
        os.environ.get("DISCLOSURES_CACHE_PATH")
        or settings.get("DISCLOSURES_CACHE_PATH")
        or ".cache/disclosures"
    )
    name = hashlib.sha256(str(args.output.resolve()).encode()).hexdigest()[:16]
    return digest.hexdigest(), cache_dir / "builds" / f"{name}.json"


def _identity(output: Path) -> str:
    st = output.stat()
    return f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}"


def is_current(stamp: tuple[str, Path] | None, output: Path) -> bool:
    if stamp is None or not output.is_dir():
        return False
    value, path = stamp
    try:
        saved = json.loads(path.read_text())
    except (OSError, ValueError):
        return False
    return saved.get("inputs") == value and saved.get("output") == _identity(output)


def remember(stamp: tuple[str, Path] | None, output: Path) -> None:
    if stamp is None:
        return
    value, path = stamp
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"inputs": value, "output": _identity(output)}))
    except OSError:
        pass
