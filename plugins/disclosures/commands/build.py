"""`disclosures build`: build the site into a staging folder, then swap it into place.

A failed build (invalid data, a template error, a full disk) leaves the previous output
folder exactly as it was: nothing is built in place.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import runpy
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Light imports only: a no-change run stops before Pelican, the plan or the publisher load.
from .. import cache, manifest
from .. import store as release_store
from ..report import BuildReport
from . import progress
from .via_builder import request_build

# Set by the deploy hooks: the release store (store.py). The release is built thin: the
# folders it shares with other releases are links into this folder.
STORE_VARIABLE = "DISCLOSURES_RELEASE_STORE"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build",
        help="生成网站 / build the site",
        description="Build the site atomically into --output.",
    )
    parser.add_argument("--settings", "-s", default="pelicanconf.py")
    parser.add_argument("--output", "-o", type=Path, default=Path("output"))
    parser.add_argument("--content", default="content")
    parser.add_argument("--data", default=None, help="data folder (DISCLOSURES_DATA_PATH)")
    parser.add_argument(
        "--previous",
        type=Path,
        default=None,
        help="上次发布的网站（默认 --output）/ the published site whose unchanged pages and "
        "files are reused (default: --output; deploy hooks build each release in a new folder)",
    )
    parser.add_argument(
        "--preview",
        action="store_true",
        help="预览：正式设置（publishconf.py）没有完整 SITEURL 也生成 / a preview: build the "
        "production settings without an absolute SITEURL (DISCLOSURES_PREVIEW)",
    )
    parser.add_argument(
        "--shard",
        default=None,
        help="只生成一个分片（年度，或 site）/ build one shard only: a year, or 'site' for the "
        "outputs of no one year (docs/architecture.md)",
    )
    parser.add_argument(
        "--merge",
        type=Path,
        action="append",
        default=[],
        help="合并分片文件夹（可重复）/ a shard folder to merge (repeat): its outputs are "
        "linked, not made again",
    )
    parser.add_argument(
        "--builder",
        type=Path,
        default=None,
        metavar="SOCKET",
        help="长驻生成进程的套接字：若在运行，由它生成（更快），否则在本进程生成 / the "
        "socket of a long-lived builder (`disclosures builder`): build there when it runs "
        "(faster), here when it does not",
    )
    parser.add_argument(
        "--trail",
        action="store_true",
        help="（配合 --builder）搜索与全站下载可晚于页面发布，见 status.json / with --builder: "
        "the search index and whole-site downloads may trail the pages (status.json); ask "
        "for the catch-up with `disclosures builder --catch-up` once the release is live",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    via = getattr(args, "builder", None)
    if via is not None:
        status = request_build(via, args)
        if status is not None:
            return status
    return run_build(args).status


@dataclass
class Outcome:
    status: int  # the command's exit status
    report: BuildReport
    unchanged: bool = False  # nothing changed: no build, the output as it was


def run_build(
    args: argparse.Namespace, memory: cache.Memory | None = None, trail: bool = False
) -> Outcome:
    """Build (into a staging folder, swapped into place). A long-lived builder passes the
    files it keeps loaded (`memory`) and may let the search index and whole-site downloads
    trail the pages (`trail`: publish.trailing_outputs)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    output = args.output.resolve()
    started = time.perf_counter()
    previous = getattr(args, "previous", None)  # `serve` and tests pass no --previous
    if memory is not None and previous is not None and not output.exists():
        # A builder making a new release beside the live one (the deploy hooks): no stamp
        # to compare with, and nothing builds into this folder again. Its memory knows
        # which data files changed (their stat signatures): no walk over every input here.
        stamp, cache_dir = None, None
    else:
        stamp, cache_dir = input_stamp(args)
    report = BuildReport()
    if stamp is not None and manifest.load_stamps(cache_dir, output).get("build") == stamp:
        print(
            f"无改动 / nothing changed since the last build of {output} "
            f"({time.perf_counter() - started:.2f} s)",
            file=sys.stderr,
        )
        return Outcome(0, report, unchanged=True)
    if previous is not None and not previous.is_dir():
        print(
            f"生成失败，原网站未改动 / build failed, {output} left untouched: "
            f"--previous {previous}: 不是文件夹 / not a folder (the published site to reuse)",
            file=sys.stderr,
        )
        return Outcome(1, report)
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
    extra = _overrides(args) or {}
    if memory is not None:
        extra["DISCLOSURES_MEMORY"] = memory
    if trail:
        extra["DISCLOSURES_TRAIL"] = True
    try:
        reuse_from = previous.resolve() if previous is not None else output
        pages = build(
            args.settings,
            args.content,
            staging,
            args.data,
            reuse_from,
            report,
            extra or None,
            shard=getattr(args, "shard", None),
            merge=[m.resolve() for m in getattr(args, "merge", None) or []],
            count=memory is None,
        )
        store = os.environ.get(STORE_VARIABLE)
        if store and report.live is not None:  # the deploy hooks: a thin release
            release_store.intern(staging, Path(store), set(report.live.files()))
    except Exception as exc:  # noqa: BLE001 - any failure must leave the output untouched
        shutil.rmtree(staging, ignore_errors=True)
        print(
            f"生成失败，原网站未改动 / build failed, {output} left untouched: {_describe(exc)}",
            file=sys.stderr,
        )
        return Outcome(1, report)
    swap_into_place(staging, output)
    if report.live is not None:  # after the swap: the manifest names the live folder
        if stamp is not None and not report.trailing:  # a site with parts trailing is not done
            report.live.stamps["build"] = stamp
        if memory is not None and memory.manifest is None:
            memory.manifest = manifest.KeptManifest()
        kept = memory.manifest if memory is not None else None
        manifest.save_manifest(report.manifest_cache, output, report.live, kept)
    print(progress.summary(report, pages, output, time.perf_counter() - started), file=sys.stderr)
    return Outcome(0, report)


def _overrides(args: argparse.Namespace) -> dict | None:
    """Settings the command line sets: `serve --edit`'s (the web editor), --preview."""
    extra = dict(getattr(args, "settings_override", None) or {})
    if getattr(args, "preview", False):
        extra["DISCLOSURES_PREVIEW"] = True
    return extra or None


def build(
    settings_file: str,
    content: str,
    output: Path,
    data: str | None,
    previous: Path | None = None,
    report: BuildReport | None = None,
    extra: dict | None = None,
    shard: str | None = None,
    merge: list[Path] | None = None,
    count: bool = True,
) -> int | None:
    """Build into `output`; the number of files in it (None without `count`: a long-lived
    builder does not walk a release of 40,000 files to say how many there are)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    report = report or BuildReport()
    override: dict = {
        "OUTPUT_PATH": str(output),
        "PATH": content,
        "DELETE_OUTPUT_DIRECTORY": False,
        # Outputs with unchanged inputs are linked from the live output (publish.py).
        "DISCLOSURES_PREVIOUS_OUTPUT": str(previous) if previous is not None else None,
        "DISCLOSURES_REPORT": report,
    }
    if data is not None:
        override["DISCLOSURES_DATA_PATH"] = data
    if shard:
        override["DISCLOSURES_SHARD"] = shard
    if merge:
        override["DISCLOSURES_MERGE"] = [str(folder) for folder in merge]
    override.update(extra or {})
    settings = read_settings(settings_file, override=override)
    _reset_sitemap()
    try:
        with progress.reporting(report):
            Pelican(settings).run()
    finally:
        _forget_pelican_memo()
    return count_files(output) if count else None


def count_files(output: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(output, followlinks=True))  # store.py


def _reset_sitemap() -> None:
    """pelican-sitemap keeps its queue in module state and resets it only when a build
    finishes: after a failed build in a long-lived process (the builder, `serve`) it would
    never write the sitemap again. Each build starts it afresh."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return
    sitemap.generator._main_pelican = None
    sitemap.generator.page_queue = []


def _forget_pelican_memo() -> None:
    """Pelican memoizes `Content.get_content` by (page, siteurl) in one dict on the class,
    never emptied: in a long-lived process (the builder, `serve`) every build's editorial
    pages stayed in it, each holding the build's context, and with it that build's whole
    site index (every build's, for good: bench/RESULTS.md, fifth session, memory). A build's
    pages are never asked for again once it is done."""
    from pelican.contents import Content

    memo = Content.__dict__.get("get_content")
    if isinstance(getattr(memo, "cache", None), dict):
        memo.cache.clear()


def _settings(path: Path) -> dict:
    try:
        return runpy.run_path(str(path))
    except Exception:  # noqa: BLE001 - Pelican will report it; we just do not skip
        return {}


def input_stamp(args: argparse.Namespace) -> tuple[str | None, Path | None]:
    """(stamp of every input, cache folder) for the no-change check (publish.input_stamp),
    read without starting Pelican; (None, …) when it cannot be known."""
    settings_path = Path(args.settings).resolve()
    settings = _settings(settings_path) if settings_path.is_file() else {}
    here, cwd = settings_path.parent, Path.cwd()

    def resolve(value: str) -> Path:
        path = Path(value)
        return path if path.is_absolute() else (cwd / path)

    cache_setting = os.environ.get("DISCLOSURES_CACHE_PATH", settings.get("DISCLOSURES_CACHE_PATH"))
    cache_dir = cache.directory(cache_setting)
    if not settings or cache_dir is None:
        return None, cache_dir
    # Not `func` (a function's repr holds its address, different in every process).
    options = sorted((k, str(v)) for k, v in vars(args).items() if not callable(v))
    text = repr(options) + "".join(f.read_text("utf-8") for f in sorted(here.glob("*conf.py")))
    data = resolve(args.data or settings.get("DISCLOSURES_DATA_PATH", "data"))
    admin = resolve(settings.get("DISCLOSURES_ADMIN_PATH", "admin"))
    folders = [
        resolve(args.content),
        here / settings.get("THEME", "themes"),
        *(here / p for p in settings.get("PLUGIN_PATHS", [])),
        # The web editor's own scripts and its lock file (not node_modules: too large).
        admin / "src",
    ]
    lock = admin / "package-lock.json"
    text += lock.read_text("utf-8") if lock.is_file() else ""
    # The change history given as a file (deploy hooks) instead of git: its bytes.
    history = os.environ.get("DISCLOSURES_HISTORY_FILE") or settings.get("DISCLOSURES_HISTORY_FILE")
    text += Path(history).read_text("utf-8") if history and Path(history).is_file() else ""
    return manifest.input_stamp(text, data, folders), cache_dir


_STALE_AFTER = 3600  # seconds: a staging folder this old belongs to a build that was killed


def _remove_stale_staging(output: Path) -> None:
    """Staging folders left by killed builds are never live, but they take space."""
    now = time.time()
    for folder in output.parent.glob(f".{output.name}.building-*"):
        try:
            if now - folder.stat().st_mtime > _STALE_AFTER:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _describe(exc: BaseException) -> str:
    """The error, with the template file and line where Jinja knows them."""
    from jinja2 import TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: 模板错误 / template error: {exc.message}"
    return f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)


_RENAME_EXCHANGE = 2


def swap_into_place(staging: Path, output: Path) -> None:
    """Make `staging` the new `output` in one step where the OS allows it."""
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    if output.exists():
        if _exchange(staging, output):
            shutil.rmtree(staging, ignore_errors=True)  # now holds the old site
            return
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        output.rename(old)
        staging.rename(output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(output)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two folders atomically."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
