"""The door's attacks of the ninth red-team pass (docs/security.md, "Red-team pass, ninth
session", R9): names pushed before the hooks were installed, which the door (it checks what
a push adds) never looked at again. Each got through before the fix (checked)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from deploy_site import (
    DATA_FILE,
    install,
    make_operator_checkout,
    pusher,
    run,
    world_tmp,
)

ROOT = Path(__file__).resolve().parent.parent
PUSHCHECK = ROOT / "deploy" / "pushcheck.py"


def _repository_with_old_names(root: Path) -> Path:
    """A bare repository whose main holds a Windows device name, an NTFS stream name, two
    names one on Windows, a page the build never reads, and refs that shadow main: all pushed
    before any hook was there."""
    operator = make_operator_checkout(root / "operator")
    work = root / "old"
    run("git", "clone", "-q", operator, work)
    text = (work / DATA_FILE).read_text(encoding="utf-8")
    folder = (work / DATA_FILE).parent
    for number, name in enumerate(["aux.yaml", "a:b.yaml", "Twin.yaml", "twin.yaml"]):
        (folder / name).write_text(
            re.sub(r"^name: (.*)$", rf"name: \1旧{number}", text, count=1, flags=re.M),
            encoding="utf-8",
        )
    run("git", "add", "-A", cwd=work)
    run("git", "commit", "-q", "-m", "装钩子之前 / before the hooks", cwd=work)
    bare = root / "site.git"
    run("git", "init", "-q", "--bare", "-b", "main", bare)
    run("git", "push", "-q", bare, "main", cwd=work)
    for ref in ("refs/tags/main", "refs/heads/HEAD"):
        run("git", "--git-dir", bare, "update-ref", ref, "refs/heads/main")
    return bare


def _audit(bare: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", PUSHCHECK, "audit", "--git-dir", bare, "--branch", "main"],
        capture_output=True,
        text=True,
    )


def test_names_already_in_the_repository_are_named(tmp_path: Path) -> None:
    """The eighth pass refused these names in a push; the same names already in the
    repository were not looked for (D9)."""
    bare = _repository_with_old_names(tmp_path)
    result = _audit(bare)
    assert result.returncode == 1, result.stderr
    for name in ("aux.yaml", "a:b.yaml", "Twin.yaml", "refs/tags/main", "refs/heads/HEAD"):
        assert name in result.stderr, (name, result.stderr)
    assert "already holds" in result.stderr and "装上钩子之前" in result.stderr
    # Control: the operator's own repository holds none.
    clean = tmp_path / "clean.git"
    run("git", "clone", "-q", "--bare", tmp_path / "operator", clean)
    assert _audit(clean).returncode == 0, _audit(clean).stderr


def test_install_hooks_names_what_the_door_would_refuse_already_there() -> None:
    """The operator installs the hooks on a repository that has been in use: install-hooks
    says what to rename (and installs the hooks: refusing would leave the door open)."""
    user = pusher()
    root = world_tmp()
    try:
        bare = _repository_with_old_names(root)
        user.own(bare)
        result = install(root / "operator", bare, root / "www" / "live")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "aux.yaml" in result.stderr and "refs/tags/main" in result.stderr, result.stderr
        assert "rename or delete them in a push" in result.stderr
        assert (bare / "hooks" / "pre-receive").is_file()
    finally:
        shutil.rmtree(root, ignore_errors=True)
