"""Pages rendered on two cores (parallel.py) are the pages one process renders."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from support import REPO, build_site, settings_file, tree_digests


def counts(stderr: str) -> tuple[str, int]:
    match = re.search(r"built (\d+ projects, \d+ files) .* in [\d.]+ s \((\d+) written", stderr)
    assert match, stderr
    aside = re.search(r"; (\d+) made by other processes", stderr)
    return f"{match.group(1)}, {match.group(2)} written", int(aside.group(1)) if aside else 0


def test_two_processes_build_the_same_site(tmp_path: Path) -> None:
    one = settings_file(tmp_path, DISCLOSURES_PARALLEL_PAGES=0, DISCLOSURES_SEARCH=False)
    (tmp_path / "two").mkdir()
    two = settings_file(tmp_path / "two", DISCLOSURES_PARALLEL_PAGES=1, DISCLOSURES_SEARCH=False)
    first = build_site(tmp_path / "one", settings=one, content=REPO / "content")
    second = build_site(tmp_path / "out2", settings=two, content=REPO / "content")
    (files_one, aside_one), (files_two, aside_two) = counts(first.stderr), counts(second.stderr)
    assert aside_one == 0 and aside_two > 10  # about half the outputs, in the second process
    assert files_one == files_two  # the parent counted the child's files as its own
    assert tree_digests(tmp_path / "one") == tree_digests(tmp_path / "out2")  # sitemap included


def test_a_template_error_in_either_process_fails_the_build(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "themes" / "budget", theme)
    indicator = theme / "templates" / "indicator.html"
    indicator.write_text(
        indicator.read_text(encoding="utf-8").replace("{{ group.key }}", "{{ group.key|nope }}", 1),
        encoding="utf-8",
    )
    settings = settings_file(
        tmp_path, THEME=str(theme), DISCLOSURES_PARALLEL_PAGES=1, DISCLOSURES_SEARCH=False
    )
    result = build_site(tmp_path / "out", settings=settings, content=REPO / "content", check=False)
    assert result.returncode != 0
    assert "indicator.html" in result.stderr and "nope" in result.stderr
    assert not (tmp_path / "out").exists()


def test_helpers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    """A build killed outright (OOM killer, kill -9) takes its forked helpers with it."""
    script = (
        "import os, time\n"
        "from disclosures.parallel import Job, run_jobs\n"
        "class Writer:\n"
        "    def adopt(self, journal): pass\n"
        "def slow(): os.write(1, f'{os.getpid()}\\n'.encode()); time.sleep(120)\n"
        "run_jobs([Job(slow), Job(slow)], Writer(), workers=2, minimum=1)\n"
    )
    build = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "plugins")},
    )
    pids = {int(build.stdout.readline()), int(build.stdout.readline())}
    (helper,) = pids - {build.pid}  # one job in the build, one in its forked worker
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    for _ in range(100):
        try:  # gone, or a zombie nobody has reaped yet
            if Path(f"/proc/{helper}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return
        except FileNotFoundError:
            return
        time.sleep(0.05)
    os.kill(helper, signal.SIGKILL)
    raise AssertionError("the helper outlived the killed build")


def test_jobs_needing_much_memory_run_after_the_workers_have_exited(tmp_path: Path) -> None:
    """Pagefind (an `alone` job, ~0.7 GiB) never runs beside a forked worker's copy of the
    builder: it and what reads it run last, in the build's own process, with no child."""
    from disclosures.parallel import Job, run_jobs

    class Writer:
        def adopt(self, journal) -> None:
            pass

    parent = os.getpid()
    seen: list[tuple[str, int, int]] = []  # (job, its process, live children of run_jobs then)

    def children() -> set[str]:
        return set(Path(f"/proc/{parent}/task/{parent}/children").read_text().split())

    # The test process may have children of its own (a pytest-xdist worker keeps what earlier
    # tests started): only the ones run_jobs forks count.
    before = children()

    def note(name: str) -> None:
        seen.append((name, os.getpid(), len(children() - before)))

    pages = [Job(lambda: time.sleep(0.001)) for _ in range(40)]
    index = Job(lambda: note("index"), after=(0, 1, 2), alone=True)
    reader = Job(lambda: note("reader"), after=(40,))  # reads the index: after it
    later = [Job(lambda: time.sleep(0.001)) for _ in range(40)]
    made = run_jobs([*pages, index, reader, *later], Writer(), workers=2, minimum=1)
    assert made > 0  # a worker did run the others
    assert seen == [("index", parent, 0), ("reader", parent, 0)]
    # Without fork (or few jobs) the same order: everything else first.
    seen.clear()
    run_jobs([*pages, index, reader, *later], Writer(), workers=2, minimum=0)
    assert seen == [("index", parent, 0), ("reader", parent, 0)]
