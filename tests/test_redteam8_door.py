"""The door's attacks of the eighth red-team pass (docs/security.md, "Red-team pass, eighth
session", letter R8): against the real hooks installed by deploy/install-hooks, pushing as
an unprivileged user (deploy_site.py). Each got through before the fix (checked).
"""

from __future__ import annotations

import re

from deploy_site import (
    DATA_FILE,
    Site,
    published,  # noqa: F401 (fixture)
    run,
    site,  # noqa: F401 (fixture)
)

WINDOWS_NAMES = ["data/2023/aux.yaml", "data/2023/CON.yaml", "data/2023/com1.yaml",
                 "data/2023/a:b.yaml", "data/2023/why?.yaml", "data/2023./x.yaml",
                 "content/pages/nul.md"]  # fmt: skip


def _other_project(s: Site, suffix: str) -> str:
    text = (s.work / DATA_FILE).read_text(encoding="utf-8")
    return re.sub(r"^name: (.*)$", rf"name: \1{suffix}", text, count=1, flags=re.M)


def test_a_name_windows_cannot_hold_is_refused(site: Site) -> None:  # noqa: F811
    """`aux.yaml`, `CON.yaml`, `com1.yaml` (devices), `a:b.yaml` (an NTFS stream of `a`),
    `why?.yaml`, a folder `2023.` (Windows drops the dot): all were published. An editor's
    clone on Windows cannot check them out, and their next commit there changes or deletes
    another file than the one they see."""
    for number, rel in enumerate(WINDOWS_NAMES):
        if rel.endswith(".md"):
            site.write(rel, "Title: 设备名\nSlug: device\n\n正文\n")
        else:
            site.write(rel, _other_project(site, f"其{number}"))
    site.commit("Windows 不能用的文件名")
    before = site.main()
    result = site.push(check=False)
    assert result.returncode != 0, result.stderr
    for rel in WINDOWS_NAMES:
        assert f"{rel}: " in result.stderr, (rel, result.stderr)
    assert "Windows" in result.stderr and site.main() == before
    # Names that only start like a device are ordinary.
    site.git("reset", "-q", "--hard", "origin/main")
    site.write("data/2023/auxiliary.yaml", _other_project(site, "辅助"))
    site.write("data/2023/console-1.yaml", _other_project(site, "控制台"))
    site.commit("普通的名称")
    assert site.push(check=False).returncode == 0


def test_a_ref_git_reads_in_place_of_another_is_refused(site: Site) -> None:  # noqa: F811
    """A tag `main`: every editor's `git log main`, `git diff main` and `git merge main` read
    the tag (git tries refs/tags/ before refs/heads/: "refname 'main' is ambiguous"), so a
    pusher could show editors another history than the published branch's. `refs/heads/HEAD`
    and remote-tracking refs pushed into the server's repository likewise. All accepted."""
    site.git("checkout", "-q", "-b", "evil")
    text = (site.work / DATA_FILE).read_text(encoding="utf-8")
    site.write(DATA_FILE, text.replace("name:", "# 另一段历史\nname:", 1))
    site.commit("另一段历史")
    for ref in ("refs/tags/main", "refs/heads/HEAD", "refs/heads/refs/heads/main",
                "refs/remotes/origin/main", "refs/tags/@"):  # fmt: skip
        result = site.push(f"evil:{ref}", check=False)
        assert result.returncode != 0 and f"{ref}: " in result.stderr, (ref, result.stderr)
    shown = run("git", "--git-dir", site.bare, "rev-parse", "main", check=False)
    assert "ambiguous" not in shown.stderr and shown.stdout.strip() == site.main()
    # Ordinary branch and tag names still go in.
    assert (
        site.push("evil:refs/heads/review-2024", "evil:refs/tags/v2024", check=False).returncode
        == 0
    )
