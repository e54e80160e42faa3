"""The self-hosting hooks in deploy/, tested for real: a bare repository with the hooks and
the trusted copy installed by deploy/install-hooks from an operator's checkout, `git push` from
an editor's clone as an unprivileged user, the live symlink, deploy/rollback and an HTTP
server (set-up: deploy_site.py). The attacks on the publishing door: test_deploy_attacks.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from deploy_site import (
    DATA_FILE,
    DEPLOY,
    Site,
    git_env,
    install,
    make_operator_checkout,
    published,  # noqa: F401 (fixture)
    run,
    site,  # noqa: F401 (fixture)
    snapshot,
    world_tmp,
)

pytestmark = pytest.mark.skipif(
    shutil.which("flock") is None and not os.environ.get("CI"), reason="needs flock (util-linux)"
)


def test_valid_push_publishes_new_page(site: Site) -> None:
    before = site.release()
    site.add_page("deploy-test", "部署测试页面")
    sha = site.commit("新增页面")
    result = site.push()
    assert "数据检查通过 / data valid" in result.stderr  # pages are checked at the door too
    assert f"published {sha[:12]}" in result.stderr
    after = site.release()
    assert after != before and after.name.endswith(sha[:12])
    page = site.live / "pages" / "deploy-test" / "index.html"
    assert "部署测试页面" in page.read_text(encoding="utf-8")
    assert before.is_dir(), "the previous release is kept for rollback"
    assert site.main() == sha


@pytest.mark.parametrize(
    ("line", "bad", "where"),
    [
        # A field error, at the value, named by the form's label (年度), not the key (year).
        (
            3,
            'year: "20x3"',
            r":3:7: 年度: .*（怎么改：在“年度”一栏按表上所写填写或改正（例如 2020）",
        ),
        (5, "name: [未闭合", r":\d+:\d+: "),  # a YAML syntax error, where the parser stops
        # Both a period and a start date: the editor reads the form's words for both fields.
        (
            11,
            'start: "2023-07-01"',
            r":\d+:9: 项目起止时间 / 实施期: “项目起止时间 / 实施期”与“计划开始日期”/“计划完成日期”"
            r"只能二选一 / write either “项目起止时间 / 实施期” \(Implementation term\) or "
            r"“计划开始日期” \(Planned start date\)/“计划完成日期” \(Planned completion date\)",
        ),
    ],
)
def test_invalid_data_is_rejected(site: Site, line: int, bad: str, where: str) -> None:
    main_before, release_before = site.main(), site.release()
    files_before = snapshot(site.live)
    path = site.work / DATA_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = bad + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    site.commit("错误的数据")
    result = site.push(check=False)
    assert result.returncode != 0
    assert "pre-receive hook declined" in result.stderr
    assert "推送被拒绝" in result.stderr and "push rejected" in result.stderr
    # The validator's own line, naming the file and the line, reaches the editor.
    assert re.search(re.escape(DATA_FILE) + where, result.stderr), result.stderr
    # Nothing changed on the server: not the branch, not the live site.
    assert site.main() == main_before
    assert site.release() == release_before
    assert snapshot(site.live) == files_before


def test_failed_build_leaves_live_site_alone_and_recovers(site: Site) -> None:
    release_before = site.release()
    files_before = snapshot(site.live)
    # Valid data, but a page asks for a template the theme does not have: the build fails.
    site.write("content/pages/broken.md", "Title: 坏页面\nSlug: broken\nTemplate: nosuch\n\n坏\n")
    broken = site.commit("页面出错")
    result = site.push()  # data is valid, so the push itself is accepted ...
    assert site.main() == broken
    assert "publish FAILED" in result.stderr and "unchanged" in result.stderr
    assert "published" not in result.stderr.replace("publish FAILED", "")
    # The build's own error message reaches the person who pushed.
    assert "unable to load nosuch" in result.stderr, result.stderr
    # ... and the live site is exactly as it was, with no half-built release left over.
    assert site.release() == release_before
    assert snapshot(site.live) == files_before
    assert site.releases() == [release_before.name]
    assert not [p for p in (site.bare / "releases").iterdir() if p.name.startswith(".staging-")]
    # The next good push publishes.
    (site.work / "content/pages/broken.md").unlink()
    fixed = site.commit("修好页面")
    result = site.push()
    assert f"published {fixed[:12]}" in result.stderr
    assert site.release().name.endswith(fixed[:12])


def test_a_build_needs_the_site_url_or_a_preview(site: Site) -> None:
    """The published site's sitemap and feeds use disclosures.siteUrl; without it the build
    refuses (issue 16) and says why, unless the repository is set to build previews."""
    sitemap = (site.live / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://gongkai.example.org/yusuan/2023/</loc>" in sitemap
    release_before = site.release()
    run("git", "--git-dir", site.bare, "config", "--unset", "disclosures.siteUrl")
    site.add_page("no-address", "没有网址")
    site.commit("没有网址")
    result = site.push()
    assert "publish FAILED" in result.stderr
    assert "SITEURL: 正式发布需要网站的完整地址" in result.stderr, result.stderr
    assert site.release() == release_before
    # A repository set to build previews publishes, with root-relative addresses.
    site.config("disclosures.preview", "true")
    site.add_page("preview", "预览")
    sha = site.commit("预览")
    result = site.push()
    assert f"published {sha[:12]}" in result.stderr, result.stderr
    assert "<loc>/2023/</loc>" in (site.live / "sitemap.xml").read_text(encoding="utf-8")


def test_rollback(site: Site) -> None:
    first = site.release()
    site.add_page("rollback-test", "回滚之前的新页面")
    site.commit("新增页面")
    site.push()
    second = site.release()
    page = site.live / "pages" / "rollback-test" / "index.html"
    assert page.is_file()

    result = run(DEPLOY / "rollback", site.bare)
    assert site.release() == first
    assert not page.exists()
    assert "rolled back" in result.stderr

    listing = run(DEPLOY / "rollback", site.bare, "--list").stdout
    assert f"* {first.name}" in listing and f"  {second.name}" in listing

    # Nothing older than the first release: refused, live unchanged.
    result = run(DEPLOY / "rollback", site.bare, check=False)
    assert result.returncode != 0 and site.release() == first

    # Forward again to a named release.
    run(DEPLOY / "rollback", site.bare, second.name)
    assert site.release() == second and page.is_file()


def test_keeps_the_last_n_releases(site: Site) -> None:
    run("git", "--git-dir", site.bare, "config", "disclosures.keepReleases", "2")
    first = site.release()
    for _ in range(2):  # deploy/publish --force builds main again, as a push would
        run(DEPLOY / "publish", site.bare, "--force")
    names = site.releases()
    assert len(names) == 2 and first.name not in names
    assert site.release().name == names[-1]
    # After a rollback the live release is the older one; the next publish prunes the
    # oldest that is not live, never the live one.
    run(DEPLOY / "rollback", site.bare)
    live = site.release().name
    assert live == names[0]
    result = run(DEPLOY / "publish", site.bare)
    assert "already shows" in result.stderr  # the same commit is live: nothing to do
    run(DEPLOY / "publish", site.bare, "--force")
    assert site.release().name not in names
    assert len(site.releases()) == 2
    assert live not in site.releases() or site.release().name == live


def test_only_main_publishes_but_every_branch_is_checked(site: Site) -> None:
    release_before = site.release()
    site.git("checkout", "-q", "-b", "draft")
    site.add_page("draft", "草稿")
    site.commit("草稿")
    result = site.push("draft")
    assert "only pushes to main publish" in result.stderr
    assert site.release() == release_before

    path = site.work / DATA_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace('year: "2023"', 'year: "二〇二三"'),
        encoding="utf-8",
    )
    site.commit("草稿里的错误")
    result = site.push("draft", check=False)
    assert result.returncode != 0 and f"{DATA_FILE}:3:" in result.stderr

    result = site.push(":main", check=False)  # deleting the published branch
    assert result.returncode != 0 and "cannot be deleted" in result.stderr
    assert site.release() == release_before


def test_concurrent_pushes_are_serialised_and_end_at_the_last_push(site: Site) -> None:
    """Two pushes whose publishing overlaps: both wait for the lock, the site never goes
    back to the older push, and the live folder is never missing or empty meanwhile."""
    start_release = site.release()
    site.add_page("concurrent", "第一次推送")
    first = site.commit("第一次")
    site.add_page("concurrent", "第二次推送")
    second = site.commit("第二次")

    seen: list[Path] = []
    problems: list[str] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                target = Path(os.readlink(site.live))
                if not (target / "index.html").is_file():
                    problems.append(f"{target} has no index.html")
                if not seen or seen[-1] != target:
                    seen.append(target)
            except OSError as exc:
                problems.append(repr(exc))
            time.sleep(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    pushes: list[subprocess.Popen[str]] = []
    try:
        # Hold the publishing lock, as a long build would, so that both pushes are
        # accepted while neither can publish yet.
        with open(site.bare / "disclosures.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            for sha in (first, second):
                pushes.append(
                    subprocess.Popen(
                        ["git", "push", "origin", f"{sha}:refs/heads/main"],
                        cwd=site.work,
                        env=git_env(site.work),
                        text=True,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        **site.user.kwargs(),
                    )
                )
                deadline = time.monotonic() + 120
                while site.main() != sha:  # the ref is updated before post-receive runs
                    assert time.monotonic() < deadline, "push did not update main"
                    assert pushes[-1].poll() is None, pushes[-1].communicate()
                    time.sleep(0.05)
            time.sleep(0.5)
            assert all(p.poll() is None for p in pushes), "publishing must wait for the lock"
            assert site.release() == start_release
            fcntl.flock(lock, fcntl.LOCK_UN)
        outputs = [p.communicate(timeout=300) for p in pushes]
    finally:
        stop.set()
        watcher.join()
        for p in pushes:
            if p.poll() is None:
                p.kill()
    assert all(p.returncode == 0 for p in pushes), outputs
    stderr = "".join(err for _, err in outputs)
    assert "waiting for another publish" in stderr
    assert not problems, problems
    # The live site ends at the last push and never showed the first one after it:
    # whichever hook got the lock first built main as it was then (the second push),
    # the other found it live already.
    assert site.release().name.endswith(second[:12])
    assert seen == [start_release, site.release()]
    assert "第二次推送" in (site.live / "pages/concurrent/index.html").read_text(encoding="utf-8")
    assert "already shows" in stderr


def test_interrupted_push_still_publishes(site: Site) -> None:
    """An editor who presses Ctrl-C (or loses the connection) while the site builds: the push
    was accepted, so the build goes on and the site ends at that push."""
    site.add_page("interrupted", "中断的推送")
    sha = site.commit("中断")
    push = subprocess.Popen(
        ["git", "push", "origin", "main"],
        cwd=site.work,
        env=git_env(site.work),
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **site.user.kwargs(),
    )
    try:
        assert push.stderr is not None
        for line in push.stderr:
            if "building" in line:
                break
        else:
            raise AssertionError("the push ended before building")
        os.killpg(push.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        push.kill()
        push.wait(timeout=30)
    finally:
        if push.poll() is None:
            push.kill()
    assert site.main() == sha
    deadline = time.monotonic() + 300
    while not site.release().name.endswith(sha[:12]):
        assert time.monotonic() < deadline, "the interrupted push was never published"
        time.sleep(0.2)
    assert "中断的推送" in (site.live / "pages/interrupted/index.html").read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def http_server(folder: Path):
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, "http.server exited"
                assert time.monotonic() < deadline, "http.server did not start"
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def test_served_site_follows_pushes_and_rollback(site: Site) -> None:
    """A real HTTP server serving the live symlink shows a push within seconds."""
    with http_server(site.live) as base:
        status, home = fetch(base + "/")
        assert status == 200 and "<html" in home.lower()
        assert fetch(base + "/pages/served/")[0] == 404

        site.add_page("served", "推送后即可访问")
        site.commit("新增页面")
        started = time.monotonic()
        site.push()
        status, page = fetch(base + "/pages/served/")
        took = time.monotonic() - started
        assert status == 200 and "推送后即可访问" in page
        assert took < 60, f"push to live took {took:.1f}s"
        print(f"push to live: {took:.1f}s")

        run(DEPLOY / "rollback", site.bare)
        assert fetch(base + "/pages/served/")[0] == 404
        assert fetch(base + "/")[0] == 200


def test_install_hooks_refuses_what_it_must_not_touch() -> None:
    root = world_tmp()
    try:
        operator = make_operator_checkout(root / "operator")
        not_bare = root / "work"
        run("git", "init", "-q", not_bare)
        result = install(operator, not_bare, root / "live")
        assert result.returncode != 0 and "not a bare git repository" in result.stderr

        bare = root / "site.git"
        run("git", "init", "-q", "--bare", "-b", "main", bare)
        real = root / "www"
        real.mkdir()
        (real / "index.html").write_text("旧网站", encoding="utf-8")
        result = install(operator, bare, real)
        assert result.returncode != 0 and "not a symlink" in result.stderr
        assert (real / "index.html").read_text(encoding="utf-8") == "旧网站"
        assert not (bare / "hooks" / "pre-receive").exists()  # refused before anything

        # The trusted copy is a commit, exactly: uncommitted changes are refused.
        (operator / "pelicanconf.py").write_text("# changed\n", encoding="utf-8")
        result = install(operator, bare, root / "empty-live", "--no-publish")
        assert result.returncode != 0 and "uncommitted changes" in result.stderr
        run("git", "checkout", "--", "pelicanconf.py", cwd=operator)

        # Dependencies are pinned: a requirements file with a range is refused before pip.
        loose = root / "loose.txt"
        loose.write_text("pelican>=4\n", encoding="utf-8")
        result = run(
            operator / "deploy" / "install-hooks",
            bare,
            root / "empty-live",
            "--requirements",
            loose,
            "--preview",
            "--no-publish",
            check=False,
        )
        assert result.returncode != 0 and "must pin one version" in result.stderr
        assert not (bare / "hooks" / "pre-receive").exists()

        # The public address is required (the sitemap and feeds need it), or a preview.
        for url in (None, "gongkai.example.org", "/yusuan"):
            options = ["--site-url", url] if url else []
            result = run(
                operator / "deploy" / "install-hooks",
                bare,
                root / "empty-live",
                *options,
                "--no-publish",
                check=False,
            )
            assert result.returncode != 0, result.stdout
            assert "需要" in result.stderr and "https://" in result.stderr, result.stderr
            assert not (bare / "hooks" / "pre-receive").exists()

        # An existing hook of someone else's is kept aside, not lost.
        (bare / "hooks" / "post-receive").write_text("#!/bin/sh\necho mine\n")
        result = install(
            operator,
            bare,
            root / "empty-live",
            "--keep",
            "3",
            "--site-url",
            "https://example.org/",
            "--no-publish",
        )
        assert result.returncode == 0, result.stderr
        assert (
            bare / "hooks" / "post-receive.before-disclosures"
        ).read_text() == "#!/bin/sh\necho mine\n"
        config = run("git", "--git-dir", bare, "config", "--get-regexp", "^disclosures\\.").stdout
        assert "disclosures.keepreleases 3" in config
        assert "disclosures.siteurl https://example.org/" in config
        assert f"disclosures.livedir {root / 'empty-live'}" in config
        # A new repository starts at the trusted commit.
        head = run("git", "rev-parse", "HEAD", cwd=operator).stdout.strip()
        assert run("git", "--git-dir", bare, "rev-parse", "main").stdout.strip() == head
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_scripts_are_shellcheck_clean() -> None:
    shellcheck = shutil.which("shellcheck")
    # Never skipped: `make test` installs it (tools/ensure-browser).
    assert shellcheck, "shellcheck is not installed: apt-get install shellcheck (make browser-deps)"
    scripts = [
        DEPLOY / "install-hooks",
        DEPLOY / "rollback",
        DEPLOY / "publish",
        DEPLOY / "hooks" / "pre-receive",
        DEPLOY / "hooks" / "post-receive",
        DEPLOY / "hooks" / "disclosures-lib.sh",
    ]
    result = subprocess.run(
        [shellcheck, "-x", *map(str, scripts)], cwd=DEPLOY, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_push_that_changes_one_file_rebuilds_only_what_shows_it(site: Site) -> None:
    """The hook builds in a fixed folder with a kept cache and the live release as
    --previous: the second push parses one file and links every other page."""
    rel = "data/2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"
    text = (site.work / rel).read_text(encoding="utf-8")
    assert '"=100%"' in text
    site.write(rel, text.replace('"=100%"', '"=99%"', 1))
    site.commit("改目标值")
    site.push()  # this copy's first build: its folders are new, so it parses everything
    site.write(rel, text.replace('"=100%"', '"=98%"', 1))
    sha = site.commit("再改目标值")
    result = site.push()
    assert f"published {sha[:12]}" in result.stderr
    summary = re.search(r"(\d+) of them not re-rendered; (\d+) parsed", result.stderr)
    assert summary, result.stderr
    assert int(summary.group(2)) == 1  # only the edited file
    assert int(summary.group(1)) > 40  # the other projects', units', indicators' pages
    page = next(site.live.glob("2020/shang-hai-ke-xue-hui-tang/ke-xie-*/index.html"))
    assert "=98%" in page.read_text(encoding="utf-8")


def test_releases_share_unchanged_folders_through_the_store(site: Site) -> None:
    """A release holds what changed: its other folders are links into releases/.store,
    shared with the release before it, which stays whole; a rollback shows it as it was."""
    before = site.release()
    old = snapshot(before)
    rel = "data/2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"
    text = (site.work / rel).read_text(encoding="utf-8")
    site.write(rel, text.replace('"=100%"', '"=97%"', 1))
    site.commit("改目标值")
    site.push()
    new = site.release()
    store = site.bare / "releases" / ".store"
    links = [path for path in new.iterdir() if path.is_symlink()]
    assert links and all(Path(os.readlink(path)).parent == store for path in links)
    assert not any(path.is_symlink() for path in store.iterdir())
    page = next(site.live.glob("2020/shang-hai-ke-xue-hui-tang/ke-xie-*/index.html"))
    assert "=97%" in page.read_text(encoding="utf-8")
    assert snapshot(before) == old  # nothing was written through a shared folder
    run(DEPLOY / "rollback", site.bare)
    assert site.release() == before and snapshot(site.live) == old
