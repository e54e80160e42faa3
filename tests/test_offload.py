"""Workbooks made in a forked process while pages render (export/offload.py)."""

from __future__ import annotations

import os
import time

from disclosures.export import workbook_jobs
from disclosures.export.offload import Offloaded
from disclosures.index import build_index
from disclosures.pipeline import load_projects
from support import REPO


def test_offloaded_workbooks_equal_the_ones_made_in_line() -> None:
    site = build_index(load_projects([REPO / "data"], data_root=REPO / "data").projects)
    jobs = workbook_jobs(site.years)
    offloaded = Offloaded(jobs)
    assert offloaded.process is not None and offloaded.process.pid != os.getpid()
    results = offloaded.results()
    assert results.keys() == jobs.keys() and len(jobs) == len(site.years)
    for path, make in jobs.items():
        assert results[path] == make(), path
    assert offloaded.folder is not None and not offloaded.folder.exists()  # cleaned up


def _fails() -> bytes:
    raise RuntimeError("a broken maker")


def test_a_failing_child_gives_nothing_and_the_caller_makes_the_files() -> None:
    offloaded = Offloaded({"downloads/a.xlsx": lambda: b"a", "downloads/b.xlsx": _fails})
    assert offloaded.results() == {}


def test_close_stops_the_child() -> None:
    offloaded = Offloaded({"slow": lambda: time.sleep(60) or b""})
    process = offloaded.process
    offloaded.close()
    assert process is not None and not process.is_alive()
