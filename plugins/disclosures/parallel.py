"""The build's one way of working in parallel: forked workers taking jobs from one list.

A job makes one output of the plan and writes it through the writer (publish.py). Workers
are forked once the site is indexed, so they share the loaded projects and the templates
without pickling them; each writes through its copy of the writer (same staging folder,
other files) and keeps a journal of the files it wrote, which the parent adopts into its
writer (Pelican's bookkeeping and `content_written` signals, the build's counts).

Jobs are claimed in order from a counter in shared memory, so a slow job (a year's
workbook) does not hold up the others. A job may wait for jobs it reads (`after`): they are
earlier in the list, so already claimed. Jobs marked `alone` (Pagefind, ~0.5 MiB a page,
0.7 GiB for a bundle of 1,500) and the jobs that read them run last, in this process, one
at a time, once the workers have exited and the memory they copied is free again (a worker
and Pagefind at once was a third of the builder's peak), after the heap's freed pages are
given back (`give_back_memory`). If a worker fails, the parent makes every job it did not
make itself, in order, so any error is reported exactly as in a one-process build. Where
`fork` is missing, or there are few jobs, everything runs in this process, in order.
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Job:
    run: Callable[[], None]
    after: tuple[int, ...] = ()  # positions of the jobs whose files this one reads
    alone: bool = False


def run_jobs(jobs: Sequence[Job], writer, workers: int = 2, minimum: int = 200) -> int:
    """Run `jobs` (in an order where `after` comes first); how many other processes ran.
    `minimum`: fewer jobs than this (or 0) run here, in order: forking and adopting would
    cost more than they save (DISCLOSURES_PARALLEL_PAGES)."""
    workers = min(workers, os.cpu_count() or 1)
    if (
        minimum <= 0
        or len(jobs) < minimum
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or not hasattr(writer, "adopt")
    ):
        _run_here(jobs)
        return 0
    late = _late(jobs)
    context = multiprocessing.get_context("fork")
    shared = _Shared(context, len(jobs))
    folder = Path(tempfile.mkdtemp(prefix="disclosures-workers-"))
    children = []
    mine: list[int] = []
    try:
        for number in range(1, workers):
            child = context.Process(
                target=_child,
                args=(jobs, late, shared, writer, folder / f"{number}.json", os.getpid()),
                daemon=True,
            )
            child.start()
            children.append(child)
        try:
            _work(jobs, late, shared, mine, alive=children)
        except _Abandoned:
            pass
        except BaseException:
            shared.failed.value = 1
            raise
        results = []
        for number, child in enumerate(children, 1):
            child.join()
            path = folder / f"{number}.json"
            ok = child.exitcode == 0 and path.is_file()
            results.append(json.loads(path.read_text(encoding="utf-8")) if ok else None)
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()
        shutil.rmtree(folder, ignore_errors=True)
    if any(result is None for result in results) or shared.failed.value:
        done = set(mine)
        for number, job in enumerate(jobs):  # in order: what fails, fails here, as usual
            if number not in done:
                job.run()
        return 0
    made = 0
    for result in results:
        writer.adopt(result["journal"])
        made += len(result["done"])
    _run_late(jobs, late)
    return made


def _run_here(jobs: Sequence[Job]) -> None:
    late = _late(jobs)
    for number, job in enumerate(jobs):
        if number not in late:
            job.run()
    _run_late(jobs, late)


def _run_late(jobs: Sequence[Job], late: set[int]) -> None:
    if late:
        give_back_memory()
    for number in sorted(late):
        jobs[number].run()


def _late(jobs: Sequence[Job]) -> set[int]:
    """The jobs run after the workers: `alone` ones and every job reading one of them."""
    late: set[int] = set()
    for number, job in enumerate(jobs):  # `after` comes first
        if job.alone or any(a in late for a in job.after):
            late.add(number)
    return late


def give_back_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's `malloc_trim`): what a build
    freed stays counted against the process otherwise, while Pagefind needs its own."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _Abandoned(Exception):
    """Another process failed: stop taking jobs."""


class _Shared:
    def __init__(self, context, count: int) -> None:
        self.next = context.Value("q", 0)  # the next normal job to claim
        self.done = context.Array("b", count, lock=False)  # 1: its files are written
        self.failed = context.Value("b", 0, lock=False)


def _work(
    jobs: Sequence[Job], late: set[int], shared: _Shared, mine: list[int], alive: list
) -> None:
    def ready(number: int) -> bool:
        return all(shared.done[a] for a in jobs[number].after)

    while True:
        if shared.failed.value:
            raise _Abandoned
        with shared.next.get_lock():
            number = shared.next.value
            while number < len(jobs) and number in late:
                number += 1
            shared.next.value = number + 1
        if number >= len(jobs):
            return
        while not ready(number):
            if shared.failed.value or any(not c.is_alive() for c in alive):
                raise _Abandoned
            time.sleep(0.002)
        jobs[number].run()
        shared.done[number] = 1
        mine.append(number)


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


def _child(
    jobs: Sequence[Job], late: set[int], shared: _Shared, writer, result: Path, parent: int
) -> None:
    die_with_parent(parent)
    writer.report = None  # the parent counts and shows progress
    writer.journal = []
    mine: list[int] = []
    try:
        _work(jobs, late, shared, mine, alive=[])
        temporary = result.with_suffix(".tmp")
        temporary.write_text(json.dumps({"journal": writer.journal, "done": mine}), "utf-8")
        os.replace(temporary, result)
    except BaseException:  # noqa: BLE001 - the parent makes these outputs again and reports
        shared.failed.value = 1
        os._exit(1)
    os._exit(0)  # no atexit handlers or flushing of the parent's inherited state
