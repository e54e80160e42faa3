"""A real self-hosting set-up for the deploy tests (test_deploy.py, test_deploy_attacks.py).

- The operator's checkout: a copy of this working tree, committed (the trusted commit).
- The bare repository, owned by an unprivileged user (`disclosures-pusher`, created with
  useradd when the tests run as root), with the hooks and the trusted copy installed by
  root from the operator's checkout (`deploy/install-hooks --venv`: the packages of the venv
  these tests run in, so no PyPI at test time).
- An editor's clone, owned by that user; every `git` command in it, `git push` included,
  runs as that user, so the hooks run as that user too, as they would over SSH.
Without root (a developer's machine) everything runs as the current user; in CI (CI set)
that is a failure, not a skip.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support import files_under, project_files

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
PUSHER = "disclosures-pusher"
DATA_FILE = "data/2023/xiangtan-huanwei-guanlichu/wupaoche-jiangchen-yichen-fuwu.yaml"


@dataclass(frozen=True)
class Pusher:
    uid: int
    gid: int
    separate: bool  # a user of its own, not the one running the tests

    def kwargs(self) -> dict[str, Any]:
        """subprocess arguments that run a command as this user."""
        if not self.separate:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def own(self, path: Path) -> None:
        if self.separate:
            subprocess.run(["chown", "-R", "-h", f"{self.uid}:{self.gid}", str(path)], check=True)


def pusher() -> Pusher:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the deploy tests must run as root in CI, to push as a separate user")
        return Pusher(os.getuid(), os.getgid(), False)
    try:
        entry = pwd.getpwnam(PUSHER)
    except KeyError:
        result = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PUSHER],
            capture_output=True,
            text=True,
        )
        if result.returncode not in (0, 9):  # 9: made meanwhile by a parallel run
            pytest.fail(f"useradd {PUSHER} failed: {result.stderr}")
        entry = pwd.getpwnam(PUSHER)
    return Pusher(entry.pw_uid, entry.pw_gid, True)


def world_python() -> str:
    """An interpreter of this Python's version that every user can run (this venv's may
    live under /root)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (
        os.path.realpath(sys.executable),
        f"/usr/bin/{version}",
        f"/usr/local/bin/{version}",
    ):
        path = Path(candidate)
        if path.is_file() and all(os.stat(p).st_mode & 0o001 for p in path.parents):
            return str(path)
    pytest.fail(f"no {version} that an unprivileged user can run")
    raise AssertionError  # not reached


def git_env(home: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="编辑",
        GIT_AUTHOR_EMAIL="editor@example.org",
        GIT_COMMITTER_NAME="编辑",
        GIT_COMMITTER_EMAIL="editor@example.org",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        LC_ALL="C.UTF-8",
    )
    if home is not None:
        env["HOME"] = str(home)
    return env


def run(
    *args: str | Path,
    cwd: Path | None = None,
    check: bool = True,
    timeout: float = 300,
    as_user: Pusher | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**git_env(cwd), **(env or {})},
        text=True,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        **(as_user.kwargs() if as_user else {}),
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def world_tmp() -> Path:
    """A temporary folder the pusher can reach (pytest's own are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="disclosures-deploy-"))
    path.chmod(0o755)
    return path


def copy_project(dest: Path) -> None:
    for rel in project_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)


@dataclass
class Site:
    bare: Path
    live: Path
    work: Path  # an editor's clone, owned by the pusher
    operator: Path  # the operator's checkout the trusted copy came from
    user: Pusher

    def git(
        self, *args: str, check: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run("git", *args, cwd=self.work, check=check, as_user=self.user, env=env)

    def commit(self, message: str) -> str:
        self.user.own(self.work)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").stdout.strip()

    def push(
        self, *args: str, check: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self.git("push", "origin", *(args or ("main",)), check=check, env=env)

    def config(self, key: str, value: str) -> None:
        run("git", "--git-dir", self.bare, "config", key, value)

    def main(self) -> str:
        return run("git", "--git-dir", self.bare, "rev-parse", "refs/heads/main").stdout.strip()

    def release(self) -> Path:
        """The release folder the live symlink points to."""
        assert self.live.is_symlink(), f"{self.live} is not a symlink"
        return Path(os.readlink(self.live))

    def releases(self) -> list[str]:
        return sorted(
            p.name for p in (self.bare / "releases").iterdir() if not p.name.startswith(".")
        )

    def write(self, rel: str, text: str) -> None:
        path = self.work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def add_page(self, slug: str, body: str) -> None:
        self.write(f"content/pages/{slug}.md", f"Title: {body}\nSlug: {slug}\n\n{body}\n")

    def trusted(self) -> Path:
        return Path(
            run("git", "--git-dir", self.bare, "config", "disclosures.trusted").stdout.strip()
        )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a release, through its links into the release store."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in files_under(folder) if p.is_file()}


def make_operator_checkout(dest: Path) -> Path:
    dest.mkdir(parents=True)
    copy_project(dest)
    run("git", "init", "-q", "-b", "main", cwd=dest)
    run("git", "add", "-A", cwd=dest)
    run("git", "commit", "-q", "-m", "可信版本 / trusted", cwd=dest)
    return dest


def install(operator: Path, bare: Path, live: Path, *options: str) -> subprocess.CompletedProcess:
    return run(
        operator / "deploy" / "install-hooks",
        bare,
        live,
        "--venv",
        sys.prefix,
        "--python",
        world_python(),
        # The public address: a production build without one refuses (issue 16).
        "--site-url",
        "https://gongkai.example.org/yusuan",
        *options,
        check=False,
    )


@pytest.fixture(scope="module")
def published() -> Iterator[tuple[Path, Pusher]]:
    """A bare repository with the hooks and the trusted copy, published once, and an
    editor's clone of it."""
    user = pusher()
    root = world_tmp()
    try:
        operator = make_operator_checkout(root / "operator")
        bare, live, work = root / "site.git", root / "www" / "live", root / "work"
        run("git", "init", "-q", "--bare", "-b", "main", bare)
        user.own(bare)
        result = install(operator, bare, live)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "published" in result.stderr, result.stderr
        assert (Path(os.readlink(live)) / "index.html").is_file()
        work.mkdir()
        user.own(work)
        run("git", "clone", "-q", bare, work, as_user=user)
        yield root, user
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def site(published: tuple[Path, Pusher]) -> Iterator[Site]:
    """A copy of the published set-up in a folder of its own (the trusted copy is shared:
    it stays where install-hooks put it, root's and read-only)."""
    source, user = published
    root = world_tmp()
    try:
        copy = root / "copy"
        shutil.copytree(
            source, copy, symlinks=True, ignore=shutil.ignore_patterns("disclosures-trusted")
        )
        user.own(copy)
        s = Site(copy / "site.git", copy / "www" / "live", copy / "work", copy / "operator", user)
        s.config("disclosures.liveDir", str(s.live))
        s.git("remote", "set-url", "origin", str(s.bare))
        release = s.bare / "releases" / Path(os.readlink(source / "www" / "live")).name
        s.live.unlink()
        s.live.symlink_to(release)
        os.lchown(s.live, user.uid, user.gid) if user.separate else None
        assert (s.release() / "index.html").is_file()
        yield s
    finally:
        shutil.rmtree(root, ignore_errors=True)
