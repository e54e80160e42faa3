"""Change history of the data files, from git: one `git log` for the whole data folder.

`git log --follow` follows renames but takes one path per call; a site may have 10,000
files, so we read the log of the data folder once, with rename detection, and follow each
file back through its renames ourselves. Outside a git repository (or without git) every
file simply has no history.
"""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

_COMMIT = "\x1e"  # record separator before each commit header
_FORMAT = f"{_COMMIT}%H%x1f%aI%x1f%s"


@dataclass(frozen=True, slots=True)
class Change:
    commit: str  # full hash
    date: str  # author date, ISO 8601 with offset: '2026-11-28T03:19:45+00:00'
    subject: str  # first line of the commit message

    @property
    def day(self) -> str:
        return self.date[:10]

    def as_dict(self) -> dict[str, str]:
        return {"commit": self.commit, "date": self.date, "subject": self.subject}


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except OSError:  # git not installed
        return None
    return result.stdout if result.returncode == 0 else None


def file_histories(root: Path, sources: list[str]) -> dict[str, list[Change]]:
    """Commits touching each file (newest first), by path relative to `root` ('/'-separated)."""
    histories: dict[str, list[Change]] = {source: [] for source in sources}
    prefix = _git(root, "rev-parse", "--show-prefix")
    if prefix is None:
        return histories
    log = _git(root, "log", "--no-merges", "--name-status", "-M", f"--format={_FORMAT}", "--", ".")
    if log is None:
        return histories
    prefix = prefix.strip()
    # Path in the repository at the point of history being read → the file it became.
    names = {prefix + source: source for source in sources}
    for record in log.split(_COMMIT)[1:]:
        header, _, body = record.partition("\n")
        commit, date, subject = header.split("\x1f", 2)
        change = Change(commit, date, subject)
        for line in body.splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status, paths = parts[0], parts[1:]
            path = paths[-1]  # for a rename: old, new
            source = names.get(path)
            if source is None:
                continue
            if not histories[source] or histories[source][-1].commit != commit:
                histories[source].append(change)
            del names[path]
            if status.startswith(("R", "C")) and len(paths) == 2:
                names[paths[0]] = source  # older commits know the file by its old name
            elif not status.startswith("A"):
                names[path] = source  # an added file has no history before this commit
    return histories
