"""The web editor built for a self-managed GitLab, saving through GitLab's API into a
repository guarded by the real publishing door, in Chromium. The host is a STAND-IN
(gitlab_standin.py, modelled on GitLab's documented API), not GitLab: none can be installed
here (docs/web-editor.md). Real: /admin/ as a build publishes it for the documented GitLab
settings, Decap's own GitLab backend and PKCE login, our editor.js; behind the stand-in, a real
bare repository with deploy/install-hooks' hooks and trusted copy, the door wrapped in the
documented GL-HOOK-ERR wrapper (GitLab shows a hook's lines only with that prefix), so each save
is a real `git push` through the door, and an accepted one publishes the site.
Not proven: that a real GitLab answers exactly as the stand-in does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import SCREENSHOTS
from deploy_site import published, run, site  # noqa: F401 - fixtures
from disclosures import cms
from gitea_standin import OWNER, REPO_NAME
from gitlab_standin import EXPOSED, PAGINATION_ONLY, GitLabStandIn
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
from test_admin_hosts import _snippet


def _wrap_the_door(site) -> None:  # noqa: F811
    """The repository's pre-receive as docs/web-editor.md has the operator install it on
    GitLab: the door moved aside, the documented wrapper prefixing its lines GL-HOOK-ERR."""
    hooks = site.bare / "hooks"
    (hooks / "pre-receive").rename(hooks / "pre-receive-disclosures")
    wrapper = _snippet("GL-HOOK-ERR").replace(
        "/path/to/hooks/pre-receive-disclosures", str(hooks / "pre-receive-disclosures")
    )
    (hooks / "pre-receive").write_text(wrapper, encoding="utf-8")
    (hooks / "pre-receive").chmod(0o755)


@pytest.fixture
def host(site, request) -> Iterator[tuple[GitLabStandIn, str]]:  # noqa: F811
    """/admin/ built for GitLab beside the stand-in host, the door behind its wrapper; with
    `indirect` parametrisation, the headers its CORS exposes to the page."""
    _wrap_the_door(site)
    exposed = getattr(request, "param", EXPOSED)

    def make_host(origin: str) -> GitLabStandIn:
        gitlab = GitLabStandIn(site.bare, site.user, origin, redirect_uri=f"{origin}/admin/")
        gitlab.expose_headers = exposed
        return gitlab

    def backend_for(gitlab: GitLabStandIn, base: str) -> dict:
        # The documented settings (docs/web-editor.md), with the stand-in's address.
        return {
            "name": "gitlab", "repo": f"{OWNER}/{REPO_NAME}", "branch": "main",
            "auth_type": "pkce", "app_id": gitlab.client_id, "base_url": base,
            "api_root": f"{base}/api/v4", "auth_endpoint": "oauth/authorize",
        }  # fmt: skip

    with admin_beside(site, make_host, backend_for) as served:
        yield served


def test_one_save_through_gitlab_is_one_commit_through_the_door(browser, site, host):  # noqa: F811
    gitlab, origin = host
    before_head = site.main()
    before = run("git", "--git-dir", site.bare, "show", f"main:{FILE}").stdout
    context, page = _log_in(browser, gitlab, origin)
    _open_first_row(page)
    target = page.get_by_label("指标值 (可选)", exact=True).first
    assert target.input_value() == "63人"
    target.fill("65人")
    _publish(page)
    save = _wait_for_save(page, gitlab, 1)
    assert save["status"] == 201, save
    print(f"save through GitLab's API, the door and the publication: {save['seconds']} s")
    # One commit action, an update carrying the file's last commit (editor.js's guard).
    [action] = save["request"]["actions"]
    assert action["action"] == "update" and action["file_path"] == FILE
    assert (
        action["last_commit_id"]
        == run(
            "git", "--git-dir", site.bare, "log", "-1", "--format=%H", before_head, "--", FILE
        ).stdout.strip()
    )
    page.get_by_text("内容已保存").first.wait_for(timeout=30_000)
    commits = run("git", "--git-dir", site.bare, "rev-list", f"{before_head}..main").stdout.split()
    assert len(commits) == 1
    files = run("git", "--git-dir", site.bare, "show", "--name-only", "--format=", "main").stdout
    assert files.split() == [FILE]
    message = run("git", "--git-dir", site.bare, "log", "-1", "--format=%B", "main").stdout
    assert message.strip() == cms.COMMIT_MESSAGES["update"].replace("{{path}}", FILE)
    after = run("git", "--git-dir", site.bare, "show", f"main:{FILE}").stdout
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [('    target: "63人"', '    target: "65人"')]
    pages = [p.read_text(encoding="utf-8") for p in site.release().glob("2021/**/index.html")]
    assert any("65人" in text for text in pages), "the published site does not show the change"
    # A second save of the same entry is based on the first (no false "changed meanwhile").
    page.wait_for_timeout(1000)
    target.click()
    target.press("Control+a")
    target.press_sequentially("66人")
    _publish(page)
    save = _wait_for_save(page, gitlab, 2)
    assert save["status"] == 201, save
    assert 'target: "66人"' in run("git", "--git-dir", site.bare, "show", f"main:{FILE}").stdout
    assert page.get_by_role("alertdialog").count() == 0
    assert not page.errors, page.errors
    context.close()


def test_a_project_added_through_gitlab_passes_the_door(browser, site, host):  # noqa: F811
    gitlab, origin = host
    before_head = site.main()
    context, page = _log_in(browser, gitlab, origin)
    fill_new_project(page, origin, NEW_NAME, current_year=None)
    _publish(page)
    save = _wait_for_save(page, gitlab, 1)
    assert save["status"] == 201, save
    path = f"data/2024/某某区民政局/{NEW_NAME}.yaml"
    assert [(a["action"], a["file_path"]) for a in save["request"]["actions"]] == [("create", path)]
    log = run("git", "--git-dir", site.bare, "log", "--format=%s", f"{before_head}..main").stdout
    assert log.splitlines() == [cms.COMMIT_MESSAGES["create"].replace("{{path}}", path)]
    text = run("git", "--git-dir", site.bare, "show", f"main:{path}").stdout
    assert text.startswith("# yaml-language-server: $schema=")
    assert "total: 2500000" in text and "原写法 as written: 250万" in text
    pages = [p.read_text(encoding="utf-8") for p in site.release().glob("2024/**/index.html")]
    assert any(NEW_NAME in t and "≥1200人" in t for t in pages), "not on the published site"
    assert not page.errors, page.errors
    context.close()


def test_a_save_the_door_refuses_through_gitlab_is_explained(browser, site, host, axe_source):  # noqa: F811
    """GitLab passes a hook's GL-HOOK-ERR lines on to every user (joined by <br>): the editor
    reads the door's own line in the form's words; nothing changes."""
    gitlab, origin = host
    before_head, before_release = site.main(), site.release()
    context, page = _log_in(browser, gitlab, origin, axe=axe_source)
    _open_first_row(page)
    page.get_by_label("计划开始日期 (可选)", exact=True).fill("2021-01-01")
    page.get_by_label("项目起止时间 (可选)", exact=True).fill("202101-202112")
    _publish(page)
    save = _wait_for_save(page, gitlab, 1)
    assert save["status"] == 400, save
    assert "<br>" in save["answer"]["message"] and "GL-HOOK-ERR" not in save["answer"]["message"]
    dialog = page.get_by_role("alertdialog", name="没有发布：发布关口拒绝了这次保存")
    dialog.wait_for(timeout=30_000)
    text = dialog.inner_text()
    assert "推送被拒绝：数据有误" in text
    said = f"{FILE}:10:9: 项目起止时间 / 实施期: “项目起止时间 / 实施期”与“计划开始日期”"
    assert said in text and "怎么改：" in text
    # The English half names the fields in English too (fields.LABELS_EN).
    english = "write either “项目起止时间 / 实施期” (Implementation term) or “计划开始日期” ("
    assert english in text, text
    assert "警告 warning" not in text and "<br>" not in text
    page.screenshot(path=str(SCREENSHOTS / "admin-gitlab-refused.png"))
    _assert_axe(page, axe_source, "#disclosure-refusal")
    dialog.get_by_role("button", name="知道了，去改正").click()
    assert site.main() == before_head and site.release() == before_release
    assert page.get_by_label("项目起止时间 (可选)", exact=True).input_value() == "202101-202112"
    assert set(page.errors) <= {"Object"}, page.errors
    context.close()


@pytest.mark.parametrize("host", [EXPOSED, PAGINATION_ONLY], indirect=True,
                         ids=["gitlab-cors", "x-gitlab-headers-hidden"])  # fmt: skip
def test_a_colleagues_change_is_not_overwritten_through_gitlab(browser, site, host):  # noqa: F811
    """Decap's GitLab backend sends `update` without `last_commit_id`, so GitLab would write over
    a colleague's change published after the editor opened the project (seen here without the
    guard: the colleague's line was gone). The save is refused; after reloading it lands on top.
    Also where CORS does not expose the X-Gitlab-* headers (a proxy's own policy): the guard
    then reads the same values from the file's JSON."""
    gitlab, origin = host
    context, page = _log_in(browser, gitlab, origin)
    _open_first_row(page)
    target = page.get_by_label("指标值 (可选)", exact=True).first
    assert target.input_value() == "63人"
    theirs = _colleague_publishes(site)
    target.fill("65人")
    _publish(page)
    dialog = page.get_by_role(
        "alertdialog", name=re.compile("没有保存：(别人刚改过这个项目|文件已被改动)")
    )
    dialog.wait_for(timeout=60_000)
    assert "刷新页面" in dialog.inner_text()
    assert [s["status"] for s in gitlab.saves if s["status"] == 201] == []
    assert site.main() == theirs
    dialog.get_by_role("button", name="知道了，去改正").click()
    page.reload()
    page.get_by_text("项目支出绩效目标表（全国通行表式）").first.wait_for(timeout=90_000)
    _open_first_row(page)
    assert page.get_by_label("发布日期 (可选)", exact=True).first.input_value() == "2022-03-02"
    page.get_by_label("指标值 (可选)", exact=True).first.fill("65人")
    _publish(page)
    for _ in range(1500):
        if any(s["status"] == 201 for s in gitlab.saves):
            break
        page.wait_for_timeout(200)
    after = run("git", "--git-dir", site.bare, "show", f"main:{FILE}").stdout
    assert 'published: "2022-03-02"' in after and 'target: "65人"' in after
    [saved] = [s for s in gitlab.saves if s["status"] == 201]
    assert saved["request"]["actions"][0]["last_commit_id"] == theirs  # GitLab's own check too
    context.close()


def test_the_gitlab_standin_answers_as_its_docstring_says(site, host):  # noqa: F811
    """The stand-in's own refusals (so the browser tests cannot pass by a lax host): a stale
    last_commit_id, a create over an existing file, an update of a missing one; the hook's
    unprefixed lines are not passed on."""
    from gitlab_standin import CHANGED, pre_receive_message

    gitlab, _ = host
    project = "/projects/" + f"{OWNER}%2F{REPO_NAME}"

    def commit(*actions: dict) -> tuple[int, dict]:
        status, answer, _ = gitlab.api(
            "POST", project + "/repository/commits", {},
            {"branch": "main", "commit_message": "x", "actions": list(actions)},
        )  # fmt: skip
        return status, answer

    assert commit({"action": "update", "file_path": FILE, "content": "",
                   "last_commit_id": "0" * 40}) == (400, {"message": CHANGED})  # fmt: skip
    assert commit({"action": "create", "file_path": FILE, "content": ""})[0] == 400
    assert commit({"action": "update", "file_path": "data/none.yaml", "content": ""})[0] == 400
    assert pre_receive_message("secret\nGL-HOOK-ERR: 推送被拒绝\nGL-HOOK-ERR: <b>a</b>\n") == (
        "推送被拒绝<br>a"
    )
    status, listing, headers = gitlab.api(
        "GET", project + "/repository/tree", {"path": "data", "recursive": "true", "per_page": "5"},
        None,
    )  # fmt: skip
    assert status == 200 and len(listing) == 5 and 'rel="next"' in headers["Link"]
    assert all(entry["path"].startswith("data/") for entry in listing)
