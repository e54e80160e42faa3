"""Git metadata is input: the change history (plugins/disclosures/history.py) read from
repositories holding crafted commits, written byte by byte as an attacker would (NUL, fake
separators, control and format characters, impossible dates)."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest
from disclosures.history import file_histories, neutralise, parse_commit, write_history

ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "编辑",
    "GIT_AUTHOR_EMAIL": "e@example.org",
    "GIT_COMMITTER_NAME": "编辑",
    "GIT_COMMITTER_EMAIL": "e@example.org",
}


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, env=ENV, input=stdin, capture_output=True, check=True
    )
    return result.stdout.decode().strip()


def crafted(repo: Path, message: bytes, author_date: bytes = b"1700000000 +0800") -> str:
    """A commit of the index with exactly these message bytes, on top of HEAD."""
    tree = git(repo, "write-tree")
    parent = git(repo, "rev-parse", "HEAD")
    raw = (
        f"tree {tree}\nparent {parent}\n".encode()
        + b"author Evil <e@x> "
        + author_date
        + b"\n"
        + b"committer Evil <e@x> 1700000000 +0800\n\n"
        + message
    )
    sha = git(repo, "hash-object", "-t", "commit", "-w", "--literally", "--stdin", stdin=raw)
    git(repo, "update-ref", "HEAD", sha)
    return sha


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "data" / "a.yaml").write_text("a: 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    return repo


FORGERY = (
    b"fake\x1e0123456789012345678901234567890123456789\x1f2020-01-01T00:00:00+00:00"
    b"\x1fforged\x00\nM\x00a.yaml\x00\x1b[31mred\xe2\x80\xae RTL ::error::x\n"
)


def test_a_crafted_message_forges_no_entry_and_shows_no_control_character(repo: Path) -> None:
    (repo / "data" / "a.yaml").write_text("a: 2\n")
    git(repo, "add", "-A")
    evil = crafted(repo, FORGERY)
    histories = file_histories(repo / "data", ["a.yaml"])
    assert [c.commit for c in histories["a.yaml"]] == [evil, git(repo, "rev-parse", "HEAD^")]
    subject = histories["a.yaml"][0].subject
    assert subject.startswith("fake\ufffd0123")
    assert not any(c in subject for c in "\x00\x1b\x1e\x1f\u202e\n")
    assert histories["a.yaml"][0].date == "2023-11-15T06:13:20+08:00"


@pytest.mark.parametrize(
    "date",
    [
        b"99999999999999999999 +0800",
        b"-5 +0000",
        b"1700000000 +9999",
        b"1700000000 +0860",
        b"garbage",
    ],
)
def test_an_impossible_date_leaves_the_entry_out_not_the_build(repo: Path, date: bytes) -> None:
    (repo / "data" / "a.yaml").write_text("a: 3\n")
    git(repo, "add", "-A")
    crafted(repo, b"bad date\n", author_date=date)
    # The author date is unreadable: the committer's is used (a sane one here).
    changes = file_histories(repo / "data", ["a.yaml"])["a.yaml"]
    assert len(changes) == 2 and changes[0].date == "2023-11-15T06:13:20+08:00"


def test_parse_commit_without_any_readable_date() -> None:
    date, subject = parse_commit(
        b"tree x\nauthor A <a> nonsense\ncommitter C <c> 1e9 +0000\n\nhi\n"
    )
    assert date is None and subject == "hi"


def test_neutralise_covers_every_hidden_class() -> None:
    for char in (
        "\x00",
        "\x1b",
        "\x85",
        "\u200b",
        "\u2028",
        "\u2029",
        "\u202e",
        "\u2066",
        "\ufeff",
        "\ufdd0",
        "\U000e0001",
    ):
        assert neutralise(f"a{char}b") == "a\ufffdb", repr(char)
    assert neutralise("预算执行率 ≥ 95%") == "预算执行率 ≥ 95%"
    # The data's policy: private use is warned about, not refused, so it is shown.
    assert neutralise("a\ue000b") == "a\ue000b"


def test_history_file_from_a_bare_repository_matches_git_log(repo: Path, tmp_path: Path) -> None:
    """The hooks' way (an export without .git plus a history file) gives what a checkout's
    git log gives, renames followed."""
    git(repo, "mv", "data/a.yaml", "data/b.yaml")
    git(repo, "commit", "-q", "-m", "rename")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], env=ENV, check=True)
    out = tmp_path / "history.json"
    write_history(bare, "main", "data", out)
    from_file = file_histories(tmp_path / "nowhere", ["b.yaml"], out)
    from_git = file_histories(repo / "data", ["b.yaml"])
    assert from_file == from_git and len(from_file["b.yaml"]) == 2


def warnings_while(call):  # noqa: ANN001, ANN201
    """(what `call()` returns, the warnings history.py logged meanwhile). Own handler: other
    tests' logging set-up (Pelican's) may stop records from reaching pytest's."""
    logger = logging.getLogger("disclosures.history")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    disabled, level = logger.disabled, logger.level
    logger.disabled = False
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        result = call()
    finally:
        logger.removeHandler(handler)
        logger.disabled, logger.level = disabled, level
    return result, " ".join(r.getMessage() for r in records)


def test_no_history_is_said_not_silent(tmp_path: Path) -> None:
    result, said = warnings_while(lambda: file_histories(tmp_path, ["a.yaml"]))
    assert result == {"a.yaml": []}
    assert "no git history" in said


def test_a_shallow_clone_is_said(repo: Path, tmp_path: Path) -> None:
    (repo / "data" / "a.yaml").write_text("a: 4\n")
    git(repo, "commit", "-q", "-am", "second")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], env=ENV, check=True
    )
    result, said = warnings_while(lambda: file_histories(clone / "data", ["a.yaml"]))
    assert len(result["a.yaml"]) == 1 and "shallow" in said
