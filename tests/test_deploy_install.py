"""The default install path of `deploy/install-hooks` (no `--venv`): the trusted environment
is made by pip from PyPI, from `deploy/requirements-server.txt`, every package pinned and
hashed, with `--require-hashes`. The other deploy tests reuse the test venv's packages
(`--venv`) to stay fast; this one pays the download (about a minute) so that the path an
operator takes is tested too. PyPI unreachable is a failure, never a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploy_site import (
    ROOT,
    git_env,
    make_operator_checkout,
    pusher,
    run,
    world_python,
    world_tmp,
)

SERVER_REQUIREMENTS = ROOT / "deploy" / "requirements-server.txt"


def _pins(text: str) -> dict[str, str]:
    """name → version of every `name==version` line (names normalised as pip does)."""
    return {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in re.findall(r"(?m)^([A-Za-z0-9._-]+)==([^\s\\;]+)", text)
    }


def _install(operator: Path, bare: Path, live: Path, *options: str) -> subprocess.CompletedProcess:
    """install-hooks as an operator runs it: pip from PyPI, not this machine's wheel folders."""
    env = {k: v for k, v in git_env(operator).items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run(
        # The public address is required (issue 16: a production build needs an absolute
        # SITEURL); later options win.
        [
            str(operator / "deploy" / "install-hooks"),
            str(bare),
            str(live),
            "--site-url",
            "https://gongkai.example.org/yusuan",
            *options,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


@pytest.fixture(scope="module")
def installed() -> Iterator[tuple[Path, Path, Path, Path]]:
    """(root, operator checkout, bare repository, live link), installed the default way."""
    user = pusher()
    root = world_tmp()
    try:
        operator = make_operator_checkout(root / "operator")
        bare, live = root / "site.git", root / "www" / "live"
        run("git", "init", "-q", "--bare", "-b", "main", bare)
        user.own(bare)
        result = _install(
            operator, bare, live, "--python", world_python(), "--site-url", "https://example.org/"
        )
        assert result.returncode == 0, result.stdout + result.stderr[-4000:]
        assert "published" in result.stderr, result.stderr[-4000:]
        yield root, operator, bare, live
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _trusted(bare: Path) -> Path:
    return Path(run("git", "--git-dir", bare, "config", "disclosures.trusted").stdout.strip())


def test_the_shipped_requirements_are_pinned_hashed_and_agree_with_the_tested_ones() -> None:
    text = SERVER_REQUIREMENTS.read_text(encoding="utf-8")
    pins = _pins(text)
    requirement_lines = [
        line for line in text.splitlines() if line and not line.startswith((" ", "#"))
    ]
    assert len(requirement_lines) == len(pins) >= 30, requirement_lines
    for block in re.split(r"(?m)^(?=[A-Za-z0-9])", text)[1:]:
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), block[:200]
    # The server runs the versions the tests run: the same pins as requirements.txt.
    tested = _pins((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    source = _pins((ROOT / "deploy" / "requirements-server.in").read_text(encoding="utf-8"))
    assert source and all(tested[name] == version for name, version in source.items())
    assert all(pins[name] == version for name, version in source.items())
    assert "pytest" not in pins and "playwright" not in pins  # no test tools on the server


def test_default_install_builds_the_trusted_environment_from_hashed_pins(
    installed: tuple[Path, Path, Path, Path],
) -> None:
    _, _, bare, live = installed
    assert (Path(os.readlink(live)) / "index.html").is_file()  # built with that environment
    trusted = _trusted(bare)
    frozen = _pins((trusted / "pip-freeze.txt").read_text(encoding="utf-8"))
    assert frozen == _pins(SERVER_REQUIREMENTS.read_text(encoding="utf-8"))
    python = trusted / "venv" / "bin" / "python"
    assert subprocess.run([python, "-I", "-c", "import pytest"], capture_output=True).returncode
    assert (trusted / "venv").stat().st_uid == os.geteuid()  # the operator's, not the pusher's


def test_a_package_whose_hash_differs_is_refused_and_the_trusted_copy_stays(
    installed: tuple[Path, Path, Path, Path],
) -> None:
    """A package replaced on the index (or a mirror, or in transit): pip refuses it; the
    hooks keep the previous trusted copy and the live site is unchanged."""
    root, operator, bare, live = installed
    before, live_before = _trusted(bare), os.readlink(live)
    (operator / "README.md").write_text("升级 / upgrade\n", encoding="utf-8")
    run("git", "commit", "-q", "-am", "升级 / upgrade", cwd=operator)
    tampered = root / "tampered.txt"
    text = SERVER_REQUIREMENTS.read_text(encoding="utf-8")
    block = re.search(r"(?ms)^pyyaml==.*?(?=^\S)", text)
    assert block is not None
    forged = re.sub(r"sha256:[0-9a-f]{64}", "sha256:" + "0" * 64, block.group())
    tampered.write_text(text.replace(block.group(), forged), encoding="utf-8")
    result = _install(
        operator, bare, live, "--python", world_python(), "--requirements", str(tampered)
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert "pip could not install" in result.stderr
    assert re.search(r"Expected\s+(sha256|or) 0{64}", result.stderr), result.stderr[-2000:]
    assert _trusted(bare) == before and os.readlink(live) == live_before
    head = run("git", "rev-parse", "HEAD", cwd=operator).stdout.strip()
    assert not (bare / "disclosures-trusted" / head).exists()

    # Pinned but not hashed: refused before pip runs, unless the operator says so.
    loose = root / "pinned-only.txt"
    loose.write_text("".join(f"{n}=={v}\n" for n, v in _pins(text).items()), encoding="utf-8")
    result = _install(operator, bare, live, "--requirements", str(loose), "--no-publish")
    assert result.returncode != 0 and "has no --hash= lines" in result.stderr
    assert _trusted(bare) == before
