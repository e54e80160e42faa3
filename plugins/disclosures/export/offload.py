"""Make slow download files in a second process while the first renders pages.

A build has two cores and renders pages on one. The year workbooks (XlsxWriter is pure
Python: ~6 s for a 2,500-project year) are made meanwhile in a child process forked from
the build, which so sees the loaded projects without copying or pickling them. The child
writes each file into a private temporary folder; the parent reads them when it writes
the downloads. Where `fork` is not available, or the child fails, nothing is offloaded and
the caller makes the files itself: slower, never different.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..parallel import die_with_parent

logger = logging.getLogger(__name__)

Jobs = dict[str, Callable[[], bytes]]  # output path → maker of its bytes


class Offloaded:
    def __init__(self, jobs: Jobs) -> None:
        self.paths = list(jobs)
        self.folder: Path | None = None
        self.process: multiprocessing.process.BaseProcess | None = None
        if not jobs or "fork" not in multiprocessing.get_all_start_methods():
            return
        self.folder = Path(tempfile.mkdtemp(prefix="disclosures-offload-"))
        context = multiprocessing.get_context("fork")
        self.process = context.Process(
            target=_run, args=(jobs, self.folder, os.getpid()), daemon=True
        )
        self.process.start()

    def results(self) -> dict[str, bytes]:
        """Wait for the child; the files it made (all of them, or none if it failed)."""
        if self.process is None or self.folder is None:
            return {}
        try:
            self.process.join()
            if self.process.exitcode != 0:
                logger.warning("[disclosures] offloaded files failed; making them in line")
                return {}
            return {
                path: (self.folder / str(number)).read_bytes()
                for number, path in enumerate(self.paths)
            }
        finally:
            self.close()

    def close(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.process = None


def _run(jobs: Jobs, folder: Path, parent: int) -> None:
    """In the child: no logging (its locks may have been held by another thread at fork)."""
    die_with_parent(parent)
    for number, make in enumerate(jobs.values()):
        data = make()
        temporary = folder / f"{number}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, folder / str(number))
