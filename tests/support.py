"""Helpers shared by the tests: run the real CLI, build real sites, parse their HTML.

A module of its own (not conftest.py): tests/browser/ has a conftest too, and two modules
named `conftest` cannot both be imported by name.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
# Debian's Chromium, driven by Playwright; never a browser Playwright downloads itself.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
BIN = Path(sys.executable).parent
DISCLOSURES = str(BIN / "disclosures")
PELICAN = str(BIN / "pelican")


def run_cli(
    *args: str, cwd: Path = REPO, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run the real `disclosures` command."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [DISCLOSURES, *args], cwd=cwd, capture_output=True, text=True, env=full_env, timeout=timeout
    )


def project_files() -> list[str]:
    """The files of this working tree that git would track (committed or not, not ignored)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    return sorted(p for p in out.decode().split("\0") if p and (REPO / p).is_file())


def settings_file(folder: Path, **overrides: object) -> str:
    """A settings file: pelicanconf.py plus `overrides` (e.g. THEME, DISCLOSURES_PAGE_SIZE)."""
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(REPO)!r})",
        "from pelicanconf import *",
        f"PLUGIN_PATHS = [{str(REPO / 'plugins')!r}]",
        f"THEME = {str(REPO / 'themes' / 'budget')!r}",
        *(f"{name} = {value!r}" for name, value in overrides.items()),
    ]
    path = folder / "conf.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def build_args(
    output: Path,
    data: Path | None = None,
    settings: str = "pelicanconf.py",
    content: Path | None = None,
) -> list[str]:
    """The arguments of `disclosures build` (what `make html` runs), for any runner."""
    args = ["build", "--settings", settings, "--output", str(output)]
    if data is not None:
        args += ["--data", str(data)]
    if content is not None:
        args += ["--content", str(content)]
    return args


def build_site(
    output: Path,
    data: Path | None = None,
    settings: str = "pelicanconf.py",
    content: Path | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess:
    """Build a site with `disclosures build` (the command `make html` runs)."""
    result = run_cli(*build_args(output, data, settings, content))
    if check and result.returncode != 0:
        raise AssertionError(f"build failed:\n{result.stdout}\n{result.stderr}")
    return result


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


MINIMAL_PROJECT = """\
form: shanghai
year: "2020"
name: 测试项目
unit: 测试单位
budget:
  total: 100
  current_year: 100
indicators:
  - level1: 产出目标
    level2: 数量
    name: 完成率
    target: "=100%"
"""


def write_project(folder: Path, name: str = "p.yaml", text: str = MINIMAL_PROJECT) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def files_under(folder: Path, name: str = "*") -> list[Path]:
    """The paths under `folder` matching `name` (fnmatch), sorted; unlike Path.rglob on
    Python 3.11, through the links of a release that shares folders with others
    (plugins/disclosures/store.py)."""
    found = []
    for where, folders, files in os.walk(folder, followlinks=True):
        found += [Path(where, n) for n in folders + files if fnmatch.fnmatchcase(n, name)]
    return sorted(found)


def tree_digests(folder: Path) -> dict[str, str]:
    """Every file under `folder` (search bundles included) by its sha256; through the links
    of a release that shares folders with others (plugins/disclosures/store.py)."""
    found = {}
    for where, _, files in os.walk(folder, followlinks=True):
        for name in files:
            path = Path(where, name)
            if path.is_file():
                found[path.relative_to(folder).as_posix()] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return dict(sorted(found.items()))


def import_text(
    tmp_path: Path, text: str, name: str = "table.txt"
) -> tuple[int, str, list[dict[str, Any]]]:
    """`disclosures import` on `text` saved as `name`: exit status, messages and the drafts."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "drafts"
    result = run_cli("import", str(path), "--out", str(out))
    drafts = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("*.yaml"))]
    return result.returncode, result.stderr, drafts
