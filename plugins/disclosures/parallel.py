"""Render pages on both cores: a forked child renders every other page.

Jinja renders in one thread, and a cold build of 10,000 projects spends most of its time
there. The child is forked once the site is indexed, so it shares the loaded projects and
the templates without pickling them; it writes its pages through its copy of the writer
(same staging folder, other files) and keeps a journal of the files it wrote, which the
parent adopts into its writer (Pelican's bookkeeping and `content_written` signals, the
build's counts). If the child fails, the parent renders the child's pages itself, so any
template error is reported exactly as in a one-process build. Where `fork` is missing, or
there are few pages, everything is rendered in this process.
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

P = TypeVar("P")


def render_all(pages: list[P], render: Callable[[P], None], writer, minimum: int = 200) -> int:
    """Render `pages`; how many of them the second process rendered. `minimum`: fewer pages
    than this (or 0) are rendered here: forking and adopting would cost more than they save
    (DISCLOSURES_PARALLEL_PAGES)."""
    if (
        minimum <= 0
        or len(pages) < minimum
        or (os.cpu_count() or 1) < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or not hasattr(writer, "adopt")
    ):
        for page in pages:
            render(page)
        return 0
    ours, theirs = pages[0::2], pages[1::2]  # interleaved: page costs vary by kind
    folder = Path(tempfile.mkdtemp(prefix="disclosures-render-"))
    journal_path = folder / "journal.json"
    context = multiprocessing.get_context("fork")
    child = context.Process(
        target=_child, args=(theirs, render, writer, journal_path, os.getpid()), daemon=True
    )
    child.start()
    try:
        for page in ours:
            render(page)
        child.join()
        journal = (
            json.loads(journal_path.read_text(encoding="utf-8"))
            if child.exitcode == 0 and journal_path.is_file()
            else None
        )
    finally:
        if child.is_alive():
            child.kill()
            child.join()
        shutil.rmtree(folder, ignore_errors=True)
    if journal is None:
        for page in theirs:
            render(page)
        return 0
    writer.adopt(journal)
    return len(theirs)


def die_with_parent(parent: int) -> None:
    """In a helper forked by process `parent`: end when the build process ends, even if it
    is killed outright (Linux; elsewhere the helper finishes its share and exits)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


def _child(pages: list, render: Callable, writer, journal_path: Path, parent: int) -> None:
    die_with_parent(parent)
    writer.report = None  # the parent counts and shows progress
    writer.journal = []
    try:
        for page in pages:
            render(page)
        temporary = journal_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(writer.journal), encoding="utf-8")
        os.replace(temporary, journal_path)
    except BaseException:  # noqa: BLE001 - the parent renders these pages again and reports
        os._exit(1)
    os._exit(0)  # no atexit handlers or flushing of the parent's inherited state
