"""The web editor built for GitHub (Enterprise Server), saving through GitHub's REST API into a
repository guarded by the real publishing door, in Chromium. The host is a STAND-IN
(github_standin.py, modelled on GitHub's documented REST API), not GitHub: none can be run
here (docs/web-editor.md). Real: /admin/ as a build publishes it for the documented GitHub
settings, Decap's own GitHub backend and its login window handshake, our editor.js; behind the
stand-in, a real bare repository with deploy/install-hooks' hooks and trusted copy, so a save
(blobs, a tree, a commit, then the branch moved) ends in a real push through the door, and an
accepted one publishes the site.
Not proven: that GitHub answers exactly as the stand-in does (in particular what it says when
a pre-receive hook declines a REST ref update: the stand-in says only "Reference update
failed").
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from browser_support import SCREENSHOTS
from deploy_site import published, run, site  # noqa: F401 - fixtures
from disclosures import cms
from gitea_standin import OWNER, REPO_NAME
from github_standin import NOT_FAST_FORWARD, REF_UPDATE_FAILED, GitHubStandIn
from test_admin import NEW_NAME, fill_new_project
from test_admin_gitea import (
    FILE,
    _assert_axe,
    _colleague_publishes,
    _log_in,
    _open_first_row,
    _publish,
    _wait_for_save,
    admin_beside,
)

REPO_API = f"/repos/{OWNER}/{REPO_NAME}"


@pytest.fixture
def host(site, request) -> Iterator[tuple[GitHubStandIn, str]]:  # noqa: F811
    """/admin/ built for GitHub Enterprise Server beside the stand-in (helper and API on one
    origin); with `indirect` parametrisation {"check": True}, the site's check before saving;
    {"ci": True}: github.com, no pre-receive hook, CI checks each commit (the stand-in's)."""
    checked = bool(getattr(request, "param", {}).get("check", False))
    ci = bool(getattr(request, "param", {}).get("ci", False))

    def make_host(origin: str) -> GitHubStandIn:
        return GitHubStandIn(site.bare, site.user, origin, ci=ci)

    def backend_for(github: GitHubStandIn, base: str) -> dict:
        # The documented settings (docs/web-editor.md, GitHub Enterprise Server).
        return {"name": "github", "repo": f"{OWNER}/{REPO_NAME}", "branch": "main",
                "base_url": base, "api_root": f"{base}/api/v3"}  # fmt: skip

    with admin_beside(site, make_host, backend_for, checked) as served:
        yield served


def _head(site, path: str = FILE) -> str:  # noqa: F811
    return run("git", "--git-dir", site.bare, "show", f"main:{path}").stdout


def test_one_save_through_github_is_one_commit_through_the_door(browser, site, host):  # noqa: F811
    github, origin = host
    before_head, before = site.main(), _head(site)
    context, page = _log_in(browser, github, origin)
    _open_first_row(page)
    target = page.get_by_label("指标值 (可选)", exact=True).first
    assert target.input_value() == "63人"
    target.fill("65人")
    _publish(page)
    save = _wait_for_save(page, github, 1)
    assert save["status"] == 200, save
    print(f"save through GitHub's git data API, the door and the publication: {save['seconds']} s")
    assert save["request"]["force"] is False  # Decap moves the branch as a fast-forward only
    page.get_by_text("内容已保存").first.wait_for(timeout=30_000)
    commits = run("git", "--git-dir", site.bare, "rev-list", f"{before_head}..main").stdout.split()
    assert len(commits) == 1
    files = run("git", "--git-dir", site.bare, "show", "--name-only", "--format=", "main").stdout
    assert files.split() == [FILE]
    message = run("git", "--git-dir", site.bare, "log", "-1", "--format=%B", "main").stdout
    assert message.strip() == cms.COMMIT_MESSAGES["update"].replace("{{path}}", FILE)
    author = run("git", "--git-dir", site.bare, "log", "-1", "--format=%an <%ae>", "main").stdout
    assert author.strip() == f"{github.full_name} <{github.email}>"
    after = _head(site)
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [('    target: "63人"', '    target: "65人"')]
    pages = [p.read_text(encoding="utf-8") for p in site.release().glob("2021/**/index.html")]
    assert any("65人" in text for text in pages), "the published site does not show the change"
    page.screenshot(path=str(SCREENSHOTS / "admin-github-saved.png"))
    # A second save of the same entry is based on the first (no false "changed meanwhile").
    page.wait_for_timeout(1000)
    target.click()
    target.press("Control+a")
    target.press_sequentially("66人")
    _publish(page)
    save = _wait_for_save(page, github, 2)
    assert save["status"] == 200, save
    assert 'target: "66人"' in _head(site)
    assert page.get_by_role("alertdialog").count() == 0
    assert not page.errors, page.errors
    context.close()


def test_a_project_added_through_github_passes_the_door(browser, site, host):  # noqa: F811
    """A new file (no version to guard): one tree entry at Decap's Chinese path, one commit
    through the door, published."""
    github, origin = host
    before_head = site.main()
    context, page = _log_in(browser, github, origin)
    fill_new_project(page, origin, NEW_NAME, current_year=None)
    _publish(page)
    save = _wait_for_save(page, github, 1)
    assert save["status"] == 200, save
    path = f"data/2024/某某区民政局/{NEW_NAME}.yaml"
    log = run("git", "--git-dir", site.bare, "log", "--format=%s", f"{before_head}..main").stdout
    assert log.splitlines() == [cms.COMMIT_MESSAGES["create"].replace("{{path}}", path)]
    files = run("git", "-c", "core.quotepath=false", "--git-dir", site.bare, "show",
                "--name-only", "--format=", "main").stdout  # fmt: skip
    assert files.splitlines() == [path]
    text = _head(site, path)
    assert text.startswith("# yaml-language-server: $schema=")
    assert "total: 2500000" in text and "原写法 as written: 250万" in text
    pages = [p.read_text(encoding="utf-8") for p in site.release().glob("2024/**/index.html")]
    assert any(NEW_NAME in t and "≥1200人" in t for t in pages), "not on the published site"
    assert not page.errors, page.errors
    context.close()


@pytest.mark.parametrize("host", [{"check": False}, {"check": True}], indirect=True,
                         ids=["door-only", "sites-check"])  # fmt: skip
def test_a_save_the_door_refuses_through_github_is_explained(browser, site, host, axe_source):  # noqa: F811
    """The door refuses (a start date with a period). GitHub's answer to a declined ref update
    carries no reason, so without the site's check the editor learns THAT it was refused; with
    the check (deploy/editorcheck.py, as for Gitea) the editor reads the door's own line and
    nothing reaches the host. Either way branch and site are unchanged."""
    github, origin = host
    checked = hasattr(github, "editor_check")
    before_head, before_release = site.main(), site.release()
    context, page = _log_in(browser, github, origin, axe=axe_source)
    _open_first_row(page)
    page.get_by_label("计划开始日期 (可选)", exact=True).fill("2021-01-01")
    page.get_by_label("项目起止时间 (可选)", exact=True).fill("202101-202112")
    _publish(page)
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for(timeout=60_000)
    text = dialog.inner_text()
    if checked:
        assert "没有保存：数据有错误" in text
        said = f"{FILE}:10:9: 项目起止时间 / 实施期: “项目起止时间 / 实施期”与“计划开始日期”"
        assert said in text and "怎么改：" in text
        assert github.saves == [], "the refused file reached the host"
    else:
        save = _wait_for_save(page, github, 1)
        assert (save["status"], save["answer"]["message"]) == (422, REF_UPDATE_FAILED), save
        assert "推送被拒绝" in github.hook_output[-1]  # the door did refuse, and said why
        assert "没有发布：保存被拒绝" in text and "Reference update failed" in text
        assert "make edit" in text
    assert "仓库和网站都没有改变" in text
    _assert_axe(page, axe_source, "#disclosure-refusal")
    page.screenshot(path=str(SCREENSHOTS / f"admin-github-refused-{int(checked)}.png"))
    dialog.get_by_role("button", name="知道了，去改正").click()
    assert site.main() == before_head and site.release() == before_release
    assert page.get_by_label("项目起止时间 (可选)", exact=True).input_value() == "202101-202112"
    assert set(page.errors) <= {"Object"}, page.errors
    context.close()


@pytest.mark.parametrize("host", [{"ci": True}], indirect=True, ids=["github.com"])
def test_on_github_com_a_failed_check_is_explained_in_the_editor(browser, site, host, axe_source):  # noqa: F811
    """github.com runs no pre-receive hook: the save lands on the branch and CI is the door.
    editor.js follows the commit's check runs and, when the check fails, shows its annotations
    (the door's lines in the form's words, Chinese and English): saved, not published, why.
    Fails without editor.js's followChecks (no dialog: Decap says only 内容已保存)."""
    github, origin = host
    before_head, before_release = site.main(), site.release()
    context, page = _log_in(browser, github, origin, axe=axe_source)
    _open_first_row(page)
    page.get_by_label("计划开始日期 (可选)", exact=True).fill("2021-01-01")
    page.get_by_label("项目起止时间 (可选)", exact=True).fill("202101-202112")
    _publish(page)
    save = _wait_for_save(page, github, 1)
    assert save["status"] == 200, save
    dialog = page.get_by_role("alertdialog", name="已保存，但没有通过检查，网站没有更新")
    dialog.wait_for(timeout=60_000)
    text = dialog.inner_text()
    said = f"{FILE}:10: 项目起止时间 / 实施期: “项目起止时间 / 实施期”与“计划开始日期”"
    assert said in text, text
    assert "(Implementation term)" in text and "怎么改：" in text and "what to do:" in text
    assert "网站没有更新" in text
    (check,) = github.check_runs
    assert check["conclusion"] == "failure" and check["head_sha"] == site.main() != before_head
    assert site.release() == before_release  # not published
    _assert_axe(page, axe_source, "#disclosure-refusal")
    page.screenshot(path=str(SCREENSHOTS / "admin-github-com-check-failed.png"))
    dialog.get_by_role("button", name="知道了，去改正").click()

    # Corrected and saved again: the check passes, and no dialog is shown.
    start = page.get_by_label("计划开始日期 (可选)", exact=True)
    page.wait_for_timeout(1000)
    start.click()
    start.press("Control+a")
    start.press("Delete")
    _publish(page)
    save = _wait_for_save(page, github, 2)
    assert save["status"] == 200, save
    assert _wait_until(lambda: len(github.check_runs) == 2)
    assert github.check_runs[1]["conclusion"] == "success"
    page.wait_for_timeout(2000)  # the poll after the save has answered
    assert not page.get_by_role("alertdialog").is_visible()
    context.close()


def _wait_until(predicate, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_a_colleagues_change_is_not_overwritten_through_github(browser, site, host):  # noqa: F811
    """Decap's GitHub backend builds its tree on the branch as it is when saving, so a change a
    colleague published after the editor opened the project is replaced by the editor's copy
    (GitHub refuses only a branch that moved during the save). editor.js's guard refuses it;
    after reloading, the edit lands on top of the colleague's change."""
    github, origin = host
    context, page = _log_in(browser, github, origin)
    _open_first_row(page)
    target = page.get_by_label("指标值 (可选)", exact=True).first
    assert target.input_value() == "63人"
    theirs = _colleague_publishes(site)
    target.fill("65人")
    _publish(page)
    dialog = page.get_by_role("alertdialog", name="没有保存：别人刚改过这个项目")
    dialog.wait_for(timeout=60_000)
    assert "刷新页面" in dialog.inner_text()
    assert github.saves == [], "the save reached the branch"
    assert site.main() == theirs
    dialog.get_by_role("button", name="知道了，去改正").click()
    page.reload()
    page.get_by_text("项目支出绩效目标表（全国通行表式）").first.wait_for(timeout=90_000)
    _open_first_row(page)
    assert page.get_by_label("发布日期 (可选)", exact=True).first.input_value() == "2022-03-02"
    page.get_by_label("指标值 (可选)", exact=True).first.fill("65人")
    _publish(page)
    save = _wait_for_save(page, github, 1)
    assert save["status"] == 200, save
    after = _head(site)
    assert 'published: "2022-03-02"' in after and 'target: "65人"' in after
    context.close()


def test_the_github_standin_answers_as_its_docstring_says(site, host):  # noqa: F811
    """The stand-in's own refusals (so the browser tests cannot pass by a lax host): a branch
    update that is not a fast-forward, an unknown commit, the helper for another provider."""
    github, _ = host
    old = site.main()

    def call(method: str, path: str, body: dict) -> tuple[int, dict]:
        return github.api(method, REPO_API + path, {}, body)

    status, blob = call("POST", "/git/blobs", {"content": "eDogMQo=", "encoding": "base64"})
    assert status == 201
    assert blob["sha"] == run("git", "hash-object", "--stdin", stdin="x: 1\n").stdout.strip()
    entry = {"path": "x.txt", "mode": "100644", "type": "blob", "sha": blob["sha"]}
    status, tree = call("POST", "/git/trees", {"base_tree": old, "tree": [entry]})
    assert status == 201
    listing = run("git", "--git-dir", site.bare, "ls-tree", "-r", "--name-only", tree["sha"]).stdout
    assert "x.txt" in listing.split() and FILE in listing.split()
    status, _ = call("POST", "/git/commits", {"message": "m", "tree": tree["sha"],
                                              "parents": ["f" * 40]})  # fmt: skip
    assert status == 422  # no such parent
    # A commit that does not descend from the branch's head cannot move it without force.
    status, commit = call("POST", "/git/commits", {"message": "m", "tree": tree["sha"],
                                                   "parents": []})  # fmt: skip
    assert status == 201
    status, answer = call("PATCH", "/git/refs/heads/main", {"sha": commit["sha"], "force": False})
    assert (status, answer["message"]) == (422, NOT_FAST_FORWARD)
    status, answer = call("PATCH", "/git/refs/heads/main", {"sha": "0" * 40, "force": False})
    assert status == 422
    assert site.main() == old
    status, _, _ = github.helper_page({"provider": "gitlab"})
    assert status == 400
