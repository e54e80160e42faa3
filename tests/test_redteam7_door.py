"""The door's attack of the seventh red-team pass (docs/security.md, "Red-team pass, seventh
session", row B18, letter R7): against the real hooks installed by deploy/install-hooks,
pushing as an unprivileged user (deploy_site.py). It failed (got through) before the fix.
"""

from __future__ import annotations

from deploy_site import (
    DATA_FILE,
    Site,
    published,  # noqa: F401 (fixture)
    run,
    site,  # noqa: F401 (fixture)
)
from support import files_under

# --- B. The door: a replace ref publishes a tree the branch does not hold.


def test_a_replace_ref_cannot_change_what_the_branch_publishes(site: Site) -> None:  # noqa: F811
    """`git push origin main evil:refs/replace/<new tip of main>`: every check passed, and
    the hooks' `git rev-parse main^{commit}:data` read the replacement's tree, so the site
    published a project name (`…REPLACED`) that main, as every editor fetches it, never
    held. Now the push is refused, and a replace ref already in the repository is ignored."""
    import re

    text = (site.work / DATA_FILE).read_text(encoding="utf-8")
    replaced = re.sub(r"^name: (.*)$", r"name: \1REPLACED", text, count=1, flags=re.M)
    site.write(DATA_FILE, text.replace("name:", "# 无害的修改\nname:", 1))
    tip = site.commit("无害的修改")
    site.git("checkout", "-q", "-b", "evil", "HEAD~1")
    site.write(DATA_FILE, replaced)
    evil = site.commit("替换")
    site.git("checkout", "-q", "main")
    result = site.push("main", f"evil:refs/replace/{tip}", check=False)
    assert result.returncode != 0 and "refs/replace" in result.stderr, result.stderr
    # Written by someone with a shell on the server (or before this check): ignored. (The
    # refused push left no objects: the replacement comes in as an ordinary branch.)
    assert site.push("evil", check=False).returncode == 0
    run("git", "--git-dir", site.bare, "update-ref", f"refs/replace/{tip}", evil)
    result = site.push("main", check=False)
    assert result.returncode == 0, result.stderr
    assert site.main() == tip
    pages = "".join(p.read_text(encoding="utf-8") for p in files_under(site.release(), "*.html"))
    assert "REPLACED" not in pages
