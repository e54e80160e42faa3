"""What `disclosures build` tells while it works.

- Progress: a line redrawn in place on a terminal, a count every few seconds otherwise
  (CI logs), for the long phases: loading files and writing pages.
- Summary: one line at the end — projects, pages, seconds, cache use.

(Whether anything changed at all is the publisher's to say: publish.input_stamp.)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def summary(report: BuildReport, files: int | None, output: Path, seconds: float) -> str:
    """`files`: how many files the output holds; None when not counted (a long-lived
    builder): the files of the plan's outputs are given instead."""
    stats = report.cache
    projects = stats.hits + stats.parsed
    if files is None:
        planned = len(report.live.files()) if report.live is not None else 0
        counted = f"{planned} files of the plan"
    else:
        counted = f"{files} files"
    return (
        f"生成完成 / built {projects} projects, {counted} into {output} in "
        f"{seconds:.1f} s ({report.written} written, {report.linked} unchanged, "
        f"{report.reused} of them not re-rendered; "
        f"{stats.parsed} parsed, {stats.hits} from cache"
        + (f"; {report.rendered_aside} made by other processes" if report.rendered_aside else "")
        + (f"; {stats.kept} kept in memory" if stats.kept else "")
        + ")"
        + (
            "; 尚待补齐 / trailing the pages: "
            + ", ".join(f"{part} {count}" for part, count in sorted(report.trailing.items()))
            if report.trailing
            else ""
        )
    )
