"""Change history of the data files, from git: one `git log` for the whole data folder.

`git log --follow` follows renames but takes one path per call; a site may have 10,000
files, so we read the log of the data folder once, with rename detection, and follow each
file back through its renames ourselves.

Git metadata is written by whoever pushes, so it is read as hostile input:
- the log's structure (commit ids, statuses, paths) comes from `git log -z --format=%H`:
  NUL-separated, with no free text in it, so no commit message can fake a separator;
- dates and subjects are read from the raw commit objects (`git cat-file --batch`, which
  states each object's length), dates parsed defensively, subjects put through
  `neutralise` (no control or format character reaches a page, a feed or a terminal).

Where the build runs decides where the history comes from: in a git checkout, `git log`
there; the self-hosting hooks build from an export without `.git`, so they write the
history from the bare repository into a JSON file first (`python -m disclosures.history`)
and pass it as DISCLOSURES_HISTORY_FILE. A build that can see no history (no git, not a
repository, a shallow clone) says so in a warning instead of silently showing none.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .textpolicy import scan

logger = logging.getLogger(__name__)

_HASH = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_STATUS = re.compile(r"[ACDMRTUXB][0-9]*")
_IDENT_DATE = re.compile(rb" (-?[0-9]{1,20}) ([+-])([0-9]{2})([0-9]{2})$")
_MAX_SUBJECT = 300  # characters shown of a subject
_HISTORY_FORMAT = 1


def neutralise(text: str) -> str:
    """`text` with every character the text policy refuses in a one-line text (controls,
    format characters, line breaks, separators) replaced by U+FFFD."""
    if scan(text, multiline=False) is None:
        return text
    return "".join(
        "\ufffd" if (f := scan(c, multiline=False)) is not None and f.is_error else c for c in text
    )


@dataclass(frozen=True, slots=True)
class Change:
    commit: str  # full hash
    date: str  # author date, ISO 8601 with offset: '2026-11-28T03:19:45+00:00'
    subject: str  # first paragraph of the commit message, neutralised

    @property
    def day(self) -> str:
        return self.date[:10]

    def as_dict(self) -> dict[str, str]:
        return {"commit": self.commit, "date": self.date, "subject": self.subject}


def _git(cwd: Path | None, args: Sequence[str], stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
        )
    except OSError:  # git not installed
        return None
    return result.stdout if result.returncode == 0 else None


def _ident_date(line: bytes) -> str | None:
    """The date of an `author NAME <EMAIL> SECONDS +HHMM` line as ISO 8601, or None."""
    match = _IDENT_DATE.search(line)
    if match is None:
        return None
    seconds, sign, hours, minutes = match.groups()
    offset = dt.timedelta(hours=int(hours), minutes=int(minutes))
    if offset > dt.timedelta(hours=14) or int(minutes) >= 60:
        return None
    zone = dt.timezone(-offset if sign == b"-" else offset)
    try:
        when = dt.datetime.fromtimestamp(int(seconds), zone)
    except (OverflowError, OSError, ValueError):
        return None
    if not 1970 <= when.year <= 9999:
        return None
    return when.isoformat()


def parse_commit(raw: bytes) -> tuple[str | None, str]:
    """(author date, subject) of a raw commit object; the date None when unreadable."""
    header, _, message = raw.partition(b"\n\n")
    date = committer = None
    encoding = "utf-8"
    for line in header.split(b"\n"):
        if line.startswith(b"author ") and date is None:
            date = _ident_date(line)
        elif line.startswith(b"committer ") and committer is None:
            committer = _ident_date(line)
        elif line.startswith(b"encoding "):
            encoding = line[9:].decode("ascii", "replace").strip()
    try:
        text = message.decode(encoding, "replace")
    except LookupError:  # an encoding Python does not know
        text = message.decode("utf-8", "replace")
    # git's %s: the first paragraph, its lines joined by spaces.
    paragraph = text.strip("\n").split("\n\n", 1)[0]
    subject = neutralise(" ".join(line.strip() for line in paragraph.split("\n")))
    return date or committer, subject[:_MAX_SUBJECT]


def _read_commits(git: list[str], cwd: Path | None, commits: Iterable[str]) -> dict[str, bytes]:
    wanted = list(dict.fromkeys(commits))
    if not wanted:
        return {}
    out = _git(cwd, [*git, "cat-file", "--batch"], "".join(c + "\n" for c in wanted).encode())
    objects: dict[str, bytes] = {}
    if out is None:
        return objects
    pos = 0
    for commit in wanted:
        end = out.index(b"\n", pos)
        fields = out[pos:end].split(b" ")
        pos = end + 1
        if len(fields) != 3 or fields[1] != b"commit":  # "<sha> missing" and the like
            continue
        size = int(fields[2])
        objects[commit] = out[pos : pos + size]
        pos += size + 1
    return objects


def _parse_log(log: bytes) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """`git log -z --name-status --format=%H` → [(commit, [(status, paths)])], newest first."""
    tokens = log.decode("utf-8", "surrogateescape").split("\0")
    records: list[tuple[str, list[tuple[str, list[str]]]]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        i += 1
        if _HASH.fullmatch(token):
            records.append((token, []))
        elif records and _STATUS.fullmatch(token):
            count = 2 if token[0] in "RC" else 1
            records[-1][1].append((token, tokens[i : i + count]))
            i += count
        elif token:
            raise ValueError(f"unexpected git log output near {token!r}")
    return records


def _follow(
    records: list[tuple[str, list[tuple[str, list[str]]]]],
    names: dict[str, str],
    dates: dict[str, tuple[str | None, str]],
) -> dict[str, list[Change]]:
    """Each file's commits (newest first), following renames. `names`: path in the newest
    commit → the key it is reported under."""
    histories: dict[str, list[Change]] = {key: [] for key in names.values()}
    names = dict(names)
    for commit, entries in records:
        date, subject = dates.get(commit, (None, ""))
        if date is None:
            logger.warning(
                "[disclosures] commit %s: no readable date, left out of the history", commit[:12]
            )
        change = Change(commit, date, subject) if date else None
        for status, paths in entries:
            if not paths:
                continue
            path = paths[-1]  # for a rename: old, new
            key = names.get(path)
            if key is None:
                continue
            if change and (not histories[key] or histories[key][-1].commit != commit):
                histories[key].append(change)
            del names[path]
            if status.startswith(("R", "C")) and len(paths) == 2:
                names[paths[0]] = key  # older commits know the file by its old name
            elif not status.startswith("A"):
                names[path] = key  # an added file has no history before this commit
    return histories


def _log(git: list[str], cwd: Path | None, rev: str, pathspec: str) -> bytes | None:
    return _git(
        cwd,
        [
            *git,
            "log",
            "-z",
            "--no-merges",
            "--name-status",
            "-M",
            "--format=%H",
            rev,
            "--",
            pathspec,
        ],
    )


def _histories(
    git: list[str], cwd: Path | None, rev: str, pathspec: str, names: dict[str, str]
) -> dict[str, list[Change]] | None:
    log = _log(git, cwd, rev, pathspec)
    if log is None:
        return None
    records = _parse_log(log)
    objects = _read_commits(git, cwd, (commit for commit, _ in records))
    dates = {commit: parse_commit(raw) for commit, raw in objects.items()}
    return _follow(records, names, dates)


def _no_history(reason: str) -> None:
    logger.warning(
        "[disclosures] 看不到 git 历史（%s），修改记录和订阅的更新日期将为空 / no git history "
        "(%s): the change history (修改记录) and the feeds' update dates will be empty",
        reason,
        reason,
    )


def file_histories(
    root: Path, sources: list[str], history_file: str | Path | None = None
) -> dict[str, list[Change]]:
    """Commits touching each file (newest first), by path relative to `root` ('/'-separated).

    From `history_file` (written by `python -m disclosures.history`) when given, else from
    `git log` in the repository `root` lies in."""
    empty: dict[str, list[Change]] = {source: [] for source in sources}
    if history_file:
        try:
            stored = json.loads(Path(history_file).read_text(encoding="utf-8"))
            files = stored["files"] if stored.get("format") == _HISTORY_FORMAT else None
        except (OSError, ValueError, KeyError, AttributeError) as exc:
            _no_history(f"{history_file}: {exc}")
            return empty
        if not isinstance(files, dict):
            _no_history(f"{history_file}: not a history file")
            return empty
        return {
            source: [
                Change(str(c["commit"]), str(c["date"]), neutralise(str(c["subject"])))
                for c in files.get(source, [])
            ]
            for source in sources
        }
    prefix = _git(root, ["rev-parse", "--show-prefix"])
    if prefix is None:
        _no_history(f"{root} is not in a git repository")
        return empty
    if (_git(root, ["rev-parse", "--is-shallow-repository"]) or b"").strip() == b"true":
        _no_history("a shallow clone: fetch the whole history, e.g. fetch-depth: 0")
    base = prefix.decode("utf-8", "surrogateescape").rstrip("\n")
    names = {base + source: source for source in sources}
    found = _histories([], root, "HEAD", ".", names)
    return found if found is not None else empty


def write_history(git_dir: Path, rev: str, data: str, output: Path) -> int:
    """Write the history of every file under `data` at `rev` of the repository `git_dir`
    to `output`, for a build from an export without `.git`. Returns the number of files."""
    git = ["--git-dir", str(git_dir)]
    prefix = data.strip("/") + "/"
    resolved = _git(None, [*git, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}"])
    if resolved is None:
        raise SystemExit(f"history: {rev} is not a commit")
    rev = resolved.decode("ascii").strip()
    listing = _git(
        None, [*git, "ls-tree", "-r", "-z", "--name-only", "--full-tree", rev, "--", prefix]
    )
    if listing is None:
        raise SystemExit(f"history: cannot list {prefix} of {rev}")
    paths = [p for p in listing.decode("utf-8", "surrogateescape").split("\0") if p]
    names = {path: path[len(prefix) :] for path in paths}
    found = _histories(git, None, rev, prefix, names)
    if found is None:
        raise SystemExit(f"history: cannot read the log of {rev}")
    files = {key: [c.as_dict() for c in changes] for key, changes in found.items() if changes}
    output.write_text(
        json.dumps(
            {"format": _HISTORY_FORMAT, "commit": rev, "files": files},
            ensure_ascii=False,
            sort_keys=True,
        ),
        encoding="utf-8",
    )
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m disclosures.history",
        description="Write the change history of the data files of a commit to a JSON file.",
    )
    parser.add_argument("--git-dir", type=Path, required=True)
    parser.add_argument("--rev", required=True)
    parser.add_argument("--data", default="data", help="the data folder inside the commit")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    write_history(args.git_dir, args.rev, args.data, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
