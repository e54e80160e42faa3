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
- what a commit changed is said from the data, not the message: the file's blobs before and
  after (ids from the same `git log --raw`) are compared by datadiff.py, which names only
  keys of the format, so no text of a commit or a file reaches the page through it.

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

from . import datadiff
from .textpolicy import scan

logger = logging.getLogger(__name__)

_HASH = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
# `git log --raw --no-abbrev`: ":OLDMODE NEWMODE OLDBLOB NEWBLOB STATUS", then the path(s).
_OID = r"([0-9a-f]{40}(?:[0-9a-f]{24})?)"
_RAW = re.compile(rf":[0-7]{{6}} [0-7]{{6}} {_OID} {_OID} ([ACDMRTUXB][0-9]*)")
_BLOBS_PER_CALL = 2000  # objects per `git cat-file --batch`: bounds the memory it takes
_IDENT_DATE = re.compile(rb" (-?[0-9]{1,20}) ([+-])([0-9]{2})([0-9]{2})$")
_LATIN_ONLY = re.compile(r"[\x20-\x7e\u2018\u2019\u201c\u201d\u2026\u2013\u2014]*")
_LETTER = re.compile(r"[A-Za-z]")
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
    # What the commit did to this file, from the data (datadiff.py): readers see this first,
    # the editor's subject only beside it.
    action: str = datadiff.UNKNOWN
    parts: tuple[datadiff.Part, ...] = ()

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def subject_lang(self) -> str:
        """'en' for a subject in Latin letters only (so a screen reader says it in English)."""
        return "en" if _LATIN_ONLY.fullmatch(self.subject) and _LETTER.search(self.subject) else ""

    @property
    def words(self) -> str:
        """What changed, in Chinese ('' when not known)."""
        return datadiff.words(self.action, self.parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "commit": self.commit,
            "date": self.date,
            "subject": self.subject,
            "action": self.action,
            "parts": [part.as_dict() for part in self.parts],
        }

    @classmethod
    def from_dict(cls, value: dict) -> Change:
        """An entry of a history file; what it does not state well is left unknown."""
        action = value.get("action", datadiff.UNKNOWN)
        raw_parts = value.get("parts", [])
        parts = (
            tuple(datadiff.Part.from_dict(p) for p in raw_parts)
            if isinstance(raw_parts, list)
            else (None,)
        )
        if action not in datadiff.ACTIONS or None in parts:
            action, parts = datadiff.UNKNOWN, ()
        return cls(
            str(value["commit"]),
            str(value["date"]),
            neutralise(str(value["subject"])),
            action,
            tuple(p for p in parts if p is not None),
        )


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


def _read_objects(
    git: list[str], cwd: Path | None, ids: Iterable[str], kind: bytes = b"commit"
) -> dict[str, bytes]:
    """The raw objects of type `kind` among `ids`, by id (missing or other types left out)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    out = _git(cwd, [*git, "cat-file", "--batch"], "".join(c + "\n" for c in wanted).encode())
    objects: dict[str, bytes] = {}
    if out is None:
        return objects
    pos = 0
    for oid in wanted:
        end = out.index(b"\n", pos)
        fields = out[pos:end].split(b" ")
        pos = end + 1
        if len(fields) != 3:  # "<sha> missing" and the like
            continue
        size = int(fields[2])
        if fields[1] == kind:
            objects[oid] = out[pos : pos + size]
        pos += size + 1
    return objects


@dataclass(frozen=True, slots=True)
class _Entry:
    """One path of one commit in `git log --raw`."""

    status: str
    paths: list[str]  # for a rename or copy: old, new
    old: str  # blob ids; all zeros where there is none
    new: str


def _parse_log(log: bytes) -> list[tuple[str, list[_Entry]]]:
    """`git log -z --raw --no-abbrev --format=%H` → [(commit, entries)], newest first."""
    tokens = log.decode("utf-8", "surrogateescape").split("\0")
    records: list[tuple[str, list[_Entry]]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        i += 1
        if _HASH.fullmatch(token):
            records.append((token, []))
        elif records and (raw := _RAW.fullmatch(token)):
            old, new, status = raw.groups()
            count = 2 if status[0] in "RC" else 1
            records[-1][1].append(_Entry(status, tokens[i : i + count], old, new))
            i += count
        elif token:
            raise ValueError(f"unexpected git log output near {token!r}")
    return records


@dataclass(frozen=True, slots=True)
class _Step:
    """A commit as one file saw it: what to read to say what changed."""

    commit: str
    date: str
    subject: str
    added: bool  # the file appears here (added or copied)
    old: str
    new: str


def _follow(
    records: list[tuple[str, list[_Entry]]],
    names: dict[str, str],
    dates: dict[str, tuple[str | None, str]],
) -> dict[str, list[_Step]]:
    """Each file's commits (newest first), following renames. `names`: path in the newest
    commit → the key it is reported under."""
    histories: dict[str, list[_Step]] = {key: [] for key in names.values()}
    names = dict(names)
    for commit, entries in records:
        date, subject = dates.get(commit, (None, ""))
        if date is None:
            logger.warning(
                "[disclosures] commit %s: no readable date, left out of the history", commit[:12]
            )
        for entry in entries:
            if not entry.paths:
                continue
            path = entry.paths[-1]  # for a rename: old, new
            key = names.get(path)
            if key is None:
                continue
            added = entry.status.startswith(("A", "C"))
            if date and (not histories[key] or histories[key][-1].commit != commit):
                histories[key].append(_Step(commit, date, subject, added, entry.old, entry.new))
            del names[path]
            if entry.status.startswith("R") and len(entry.paths) == 2:
                names[entry.paths[0]] = key  # older commits know the file by its old name
            elif not added:
                names[path] = key  # an added (or copied) file has no history before this
    return histories


def _said(
    git: list[str], cwd: Path | None, histories: dict[str, list[_Step]]
) -> dict[str, list[Change]]:
    """Each step with what it changed in the data (datadiff.py), reading the file's two
    versions; files are taken in batches so at most _BLOBS_PER_CALL versions are in memory."""
    said: dict[str, list[Change]] = {}
    batch: list[str] = []
    size = 0

    def flush() -> None:
        ids = [s.old for k in batch for s in histories[k] if not s.added]
        ids += [s.new for k in batch for s in histories[k] if not s.added]
        blobs = _read_objects(git, cwd, ids, b"blob")
        for key in batch:
            said[key] = [_change(step, blobs) for step in histories[key]]
        batch.clear()

    for key, steps in histories.items():
        batch.append(key)
        size += 2 * sum(not step.added for step in steps)  # an added file needs no blob
        if size >= _BLOBS_PER_CALL:
            flush()
            size = 0
    flush()
    return said


def _change(step: _Step, blobs: dict[str, bytes]) -> Change:
    if step.added:
        action, parts = datadiff.ADDED, ()
    elif step.old in blobs and step.new in blobs:
        before, after = (blobs[b].decode("utf-8", "replace") for b in (step.old, step.new))
        action, parts = datadiff.compare(before, after)
    else:  # a version git cannot give (a partial clone): say nothing rather than guess
        action, parts = datadiff.UNKNOWN, ()
    return Change(step.commit, step.date, step.subject, action, parts)


def _log(git: list[str], cwd: Path | None, rev: str, pathspec: str) -> bytes | None:
    return _git(
        cwd,
        [
            *git,
            "log",
            "-z",
            "--no-merges",
            "--raw",
            "--no-abbrev",
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
    objects = _read_objects(git, cwd, (commit for commit, _ in records))
    dates = {commit: parse_commit(raw) for commit, raw in objects.items()}
    return _said(git, cwd, _follow(records, names, dates))


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
        return {source: [Change.from_dict(c) for c in files.get(source, [])] for source in sources}
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
