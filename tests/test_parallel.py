"""Pages rendered on two cores (parallel.py) are the pages one process renders."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from support import REPO, build_site, settings_file


def tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def counts(stderr: str) -> tuple[str, int]:
    match = re.search(r"built (\d+ projects, \d+ files) .* in [\d.]+ s \((\d+) written", stderr)
    assert match, stderr
    aside = re.search(r"; (\d+) pages by a second process", stderr)
    return f"{match.group(1)}, {match.group(2)} written", int(aside.group(1)) if aside else 0


def test_two_processes_build_the_same_site(tmp_path: Path) -> None:
    one = settings_file(tmp_path, DISCLOSURES_PARALLEL_PAGES=0, DISCLOSURES_SEARCH=False)
    (tmp_path / "two").mkdir()
    two = settings_file(tmp_path / "two", DISCLOSURES_PARALLEL_PAGES=1, DISCLOSURES_SEARCH=False)
    first = build_site(tmp_path / "one", settings=one, content=REPO / "content")
    second = build_site(tmp_path / "out2", settings=two, content=REPO / "content")
    (files_one, aside_one), (files_two, aside_two) = counts(first.stderr), counts(second.stderr)
    assert aside_one == 0 and aside_two > 10  # every other page, in the second process
    assert files_one == files_two  # the parent counted the child's files as its own
    assert tree(tmp_path / "one") == tree(tmp_path / "out2")  # sitemap included


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
