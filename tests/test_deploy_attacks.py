"""Attacks on the publishing door (docs/security.md, "The publishing door"): each test is an
attack by someone who can push, run against the real hooks as an unprivileged user
(deploy_site.py), and fails if the defence it names is removed.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from deploy_site import (
    DATA_FILE,
    DEPLOY,
    Site,
    copy_project,
    published,  # noqa: F401 (fixture)
    run,
    site,  # noqa: F401 (fixture)
    snapshot,
)
from support import files_under, run_cli

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PAGE = (
    "2023/xiang-tan-shi-huan-jing-wei-sheng-guan-li-chu/wu-pao-che-jiang-chen-yi-chen-fu-wu"
)


def markers(site: Site) -> Path:
    """A folder anyone may write to, where the payloads below would leave their marks."""
    folder = site.bare.parent / "markers"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o777)
    return folder


def plant_code(site: Site) -> list[str]:
    """Change code, settings, requirements, scripts and attributes so that running any of
    them leaves a file in markers(site). Returns the paths changed."""
    m = markers(site)
    payload = "\nopen({!r}, 'w').close()\n"
    for rel in ("plugins/disclosures/__init__.py", "pelicanconf.py", "publishconf.py"):
        path = site.work / rel
        name = rel.replace("/", "_")
        path.write_text(path.read_text(encoding="utf-8") + payload.format(f"{m}/{name}"))
    # A package whose installation runs code: pip would build it from requirements.txt.
    package = m.parent / "evil-package"
    package.mkdir(exist_ok=True)
    (package / "setup.py").write_text(
        f"open({str(m / 'requirements')!r}, 'w').close()\n"
        "from setuptools import setup\nsetup(name='evil-package', version='1')\n"
    )
    package.chmod(0o755)
    (package / "setup.py").chmod(0o644)
    with open(site.work / "requirements.txt", "a", encoding="utf-8") as f:
        f.write(f"evil-package @ file://{package}\n")
    # A console script named like ours, pointing at a module of the push.
    (site.work / "plugins" / "evil.py").write_text(
        f"def main():\n    open({str(m / 'script')!r}, 'w').close()\n"
    )
    pyproject = site.work / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            'disclosures = "disclosures.cli:main"', 'disclosures = "evil:main"'
        ),
        encoding="utf-8",
    )
    # A filter the server knows (git-lfs is one), asked for by the push's .gitattributes.
    site.config("filter.marker.smudge", f"sh -c 'touch {m}/filter; cat'")
    (site.work / ".gitattributes").write_text("* filter=marker\n")
    # A template is code too (Jinja reaches Python objects): a visible change.
    base = site.work / "themes/budget/templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "PUSHED-TEMPLATE</body>"))
    return [
        ".gitattributes",
        "plugins/disclosures/__init__.py",
        "plugins/evil.py",
        "pelicanconf.py",
        "publishconf.py",
        "pyproject.toml",
        "requirements.txt",
        "themes/budget/templates/base.html",
    ]


def no_markers(site: Site) -> None:
    assert sorted(p.name for p in markers(site).iterdir()) == []


def test_a_push_of_code_is_refused_and_none_of_it_runs(site: Site) -> None:
    main, release, files = site.main(), site.release(), snapshot(site.live)
    paths = plant_code(site)
    site.add_page("with-code", "带代码的推送")
    site.commit("改了程序")
    result = site.push(check=False)
    assert result.returncode != 0 and "pre-receive hook declined" in result.stderr
    assert "editors may change only files under data/ content/" in result.stderr
    assert "编辑只能修改" in result.stderr
    for path in paths:
        assert path in result.stderr, path
    assert "content/pages/with-code.md" not in result.stderr  # that part was allowed
    no_markers(site)
    assert site.main() == main and site.release() == release and snapshot(site.live) == files


def test_a_maintainers_code_push_is_built_with_the_trusted_code(site: Site) -> None:
    site.config("disclosures.allowCodePushes", "true")
    site.config("disclosures.maintainers", "weihu")
    plant_code(site)
    site.add_page("maintainer", "维护人员的推送")
    sha = site.commit("维护人员改了程序")
    # Someone else with the same rights as the maintainer's key, but not listed: refused.
    refused = site.push(check=False, env={"DISCLOSURES_PUSHER": "bianji"})
    assert refused.returncode != 0 and "may change only" in refused.stderr
    result = site.push(env={"DISCLOSURES_PUSHER": "weihu"})
    assert "maintainer weihu may push code" in result.stderr
    assert f"published {sha[:12]}" in result.stderr, result.stderr
    page = (site.live / "pages/maintainer/index.html").read_text(encoding="utf-8")
    assert "维护人员的推送" in page  # the content of the push is published ...
    assert "PUSHED-TEMPLATE" not in page  # ... with the trusted theme,
    no_markers(site)  # ... code, settings, requirements, scripts and no filter


def test_every_ref_is_checked(site: Site) -> None:
    """Tags, notes and other branches are held to the same rules as main."""
    main = site.main()
    site.git("checkout", "-q", "-b", "side")
    site.write("pelicanconf.py", "# 改了设置\n")
    code = site.commit("改设置")
    site.git("checkout", "-q", "main")
    site.git("tag", "light", code)
    site.git("tag", "-a", "-m", "带说明的标签", "annotated", code)
    site.git("notes", "add", "-m", "注释", "HEAD")
    site.git("tag", "tree-tag", "HEAD^{tree}")
    for ref in ("side", "refs/tags/light", "refs/tags/annotated", "refs/notes/commits"):
        result = site.push(ref, check=False)
        assert result.returncode != 0 and "may change only" in result.stderr, (ref, result.stderr)
    result = site.push("refs/tags/tree-tag", check=False)
    assert result.returncode != 0 and "a ref must point at a commit" in result.stderr
    refs = run("git", "--git-dir", site.bare, "for-each-ref", "--format=%(refname)").stdout
    assert refs.split() == ["refs/heads/main"] and site.main() == main


@pytest.mark.parametrize("kind", ["symlink", "submodule", "symlink-elsewhere"])
def test_only_regular_files_are_accepted(site: Site, kind: str) -> None:
    release = site.release()
    if kind == "symlink":  # a data file that is a link out of the repository
        (site.work / "data/2023/leak.yaml").symlink_to("/etc/passwd")
    elif kind == "symlink-elsewhere":  # a page that links to the server's files
        (site.work / "content/pages/leak.md").symlink_to("/etc/hostname")
    else:
        site.git("update-index", "--add", "--cacheinfo", f"160000,{site.main()},data/2023/sub")
    if kind == "submodule":  # `git add -A` would drop the gitlink (no folder behind it)
        site.git("commit", "-q", "-m", "特殊文件")
    else:
        site.commit("特殊文件")
    result = site.push(check=False)
    assert result.returncode != 0, result.stderr
    expected = "a submodule (gitlink)" if kind == "submodule" else "a symbolic link"
    assert expected in result.stderr and "only regular files" in result.stderr
    assert site.release() == release


LEAKY_PAGES = {
    # reStructuredText: a server file pulled in, raw HTML let through.
    "content/pages/leak.rst": "泄露\n####\n\n:slug: leak\n\n.. include:: /etc/hostname\n\n"
    ".. raw:: html\n\n   <script>rstraw9137()</script>\n",
    # Pelican's HTML reader passes the body through.
    "content/pages/raw.html": '<html><head><title>h</title><meta name="slug" content="raw">'
    "</head><body><script>htmlraw9137()</script></body></html>",
}


def test_content_is_markdown_only_at_the_door(site: Site) -> None:
    for rel, text in LEAKY_PAGES.items():
        site.write(rel, text)
    site.commit("别的格式的页面")
    result = site.push(check=False)
    assert result.returncode != 0 and "only Markdown pages (.md)" in result.stderr
    for rel in LEAKY_PAGES:
        assert rel in result.stderr


def test_the_build_reads_no_page_but_markdown(tmp_path: Path) -> None:
    """The settings' side of the same defence (a build that is not behind the door: a local
    one, or a maintainer's): no reStructuredText or HTML reader runs, and since the eighth
    red-team pass such a page is no longer left out without a word: the build fails naming
    it (pagecheck.unread_files), before any reader could read it."""
    copy_project(tmp_path)
    for rel, text in LEAKY_PAGES.items():
        (tmp_path / rel).write_text(text, encoding="utf-8")
    result = run_cli("build", "--settings", "pelicanconf.py", "--output", "out", cwd=tmp_path)
    assert result.returncode != 0, result.stderr
    for rel in LEAKY_PAGES:
        assert f"{rel}:1:1: 不会发布" in result.stdout + result.stderr, result.stderr
    assert not (tmp_path / "out").exists()
    hostname = Path("/etc/hostname").read_text().strip()
    for page in tmp_path.rglob("*.html"):
        if "content" in page.parts:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        assert "rstraw9137" not in text and "htmlraw9137" not in text, page
        assert not hostname or f"<p>{hostname}</p>" not in text, page


def test_gitattributes_change_nothing_that_is_published(site: Site) -> None:
    """export-subst, export-ignore and filters apply to `git archive` and checkouts; the hooks
    read blobs as committed, so none of them changes what is checked or published."""
    m = markers(site)
    site.config("filter.marker.smudge", f"sh -c 'touch {m}/filter; sed s/原文/被改/'")
    (site.work / "content/.gitattributes").write_text(
        "* filter=marker export-subst\npages/hidden.md export-ignore\n"
    )
    (site.work / "data/.gitattributes").write_text("*.yaml filter=marker export-ignore\n")
    site.add_page("attrs", "原文 $Format:%H$")
    site.add_page("hidden", "不应被忽略")
    sha = site.commit("属性文件")
    result = site.push()
    assert f"published {sha[:12]}" in result.stderr
    page = (site.live / "pages/attrs/index.html").read_text(encoding="utf-8")
    assert "原文 $Format:%H$" in page and sha not in page
    assert (site.live / "pages/hidden/index.html").is_file()
    assert (site.live / PROJECT_PAGE).is_dir()  # data files were not export-ignored
    no_markers(site)


@pytest.mark.parametrize(
    ("message", "named"),
    [
        ("终端 \x1b[31m红色\x1b[0m", "U+001B"),
        ("从右到左 \u202e%001=", "U+202E"),
        ("假分隔符\x1e0000000000000000000000000000000000000000\x1f2020-01-01\x1f伪造", "U+001E"),
        ("零宽\u200b字符", "U+200B"),
    ],
)
def test_commit_text_with_control_characters_is_refused(
    site: Site, message: str, named: str
) -> None:
    site.add_page("message", "提交说明")
    site.commit(message)
    result = site.push(check=False)
    assert result.returncode != 0 and named in result.stderr, result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


def test_a_crafted_commit_object_is_refused(site: Site) -> None:
    """A commit written byte by byte (NUL in the message, a date git cannot read): what
    `git commit` would never make."""
    site.add_page("crafted", "伪造的提交")
    site.git("add", "-A")
    tree = site.git("write-tree").stdout.strip()
    raw = (
        f"tree {tree}\nparent {site.main()}\n"
        "author 编辑 <editor@example.org> 1700000000 +0800\n"
        "committer 编辑 <editor@example.org> 1700000000 +0800\n\n"
        "说明\x00藏起来的部分\n"
    )
    result = run(
        "git",
        "hash-object",
        "-t",
        "commit",
        "-w",
        "--literally",
        "--stdin",
        cwd=site.work,
        as_user=site.user,
        stdin=raw,
    )
    crafted = result.stdout.strip()
    site.git("update-ref", "refs/heads/main", crafted)
    result = site.push(check=False)
    assert result.returncode != 0 and "NUL" in result.stderr, result.stderr


def test_annotation_and_markup_in_a_subject_are_shown_as_text(site: Site) -> None:
    """What the text policy lets through (no control characters) is shown as written, on
    the page's change history, and forges nothing."""
    path = site.work / DATA_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("2023", "2023", 1) + "\n")
    subject = "::error file=data/x.yaml::假的错误 <script>alert(1)</script> %x00 | 2020-01-01"
    site.commit(subject)
    result = site.push()
    assert "published" in result.stderr
    html = files_under(site.live / PROJECT_PAGE, "index.html")
    pages = [p.read_text(encoding="utf-8") for p in html]
    shown = [p for p in pages if "::error file=data/x.yaml::" in p]
    assert shown, "the change history shows the subject"
    assert "<script>alert(1)</script>" not in shown[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown[0]


def test_the_history_is_published_from_the_hooks(site: Site) -> None:
    """The hooks build from an export without .git: the history comes from the bare
    repository (issue 16: not silently empty)."""
    path = site.work / DATA_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    site.commit("修改记录测试")
    site.push()
    page = next(
        p
        for p in files_under(site.live / PROJECT_PAGE, "index.html")
        if "修改记录测试" in p.read_text(encoding="utf-8")
    )
    assert "可信版本 / trusted" in page.read_text(encoding="utf-8")  # the older commit too


def test_a_future_dated_commit_is_refused(site: Site) -> None:
    site.add_page("future", "未来")
    site.user.own(site.work)
    site.git("add", "-A")
    site.git("commit", "-q", "-m", "来自未来", env={"GIT_COMMITTER_DATE": "2099-01-01T00:00:00"})
    result = site.push(check=False)
    assert result.returncode != 0 and "dated in the future" in result.stderr


def test_a_file_name_with_control_characters_is_refused(site: Site) -> None:
    site.add_page("ok", "正常")
    (site.work / "content/pages/a\x1b[2Jb.md").write_text("Title: x\n\nx\n", encoding="utf-8")
    site.commit("文件名")
    result = site.push(check=False)
    assert result.returncode != 0 and "a file name with control characters" in result.stderr
    assert "\x1b" not in result.stderr


def test_the_published_branch_cannot_be_rewritten_or_deleted(site: Site) -> None:
    main = site.main()
    site.add_page("one", "一")
    site.commit("一")
    site.push()
    site.git("reset", "-q", "--hard", main)
    site.add_page("two", "二")
    site.commit("二")
    result = site.push("+main", check=False)
    assert result.returncode != 0 and "cannot be rewritten" in result.stderr
    result = site.push(":main", check=False)
    assert result.returncode != 0 and "cannot be deleted" in result.stderr


def test_too_many_commits_in_one_push_are_refused(site: Site) -> None:
    site.config("disclosures.maxCommitsPerPush", "2")
    for i in range(3):
        site.add_page(f"many-{i}", f"第{i}个")
        site.commit(f"第{i}个")
    result = site.push(check=False)
    assert result.returncode != 0 and "more than 2 new commits" in result.stderr


def test_a_push_larger_than_the_limit_is_refused_before_any_hook(site: Site) -> None:
    """A pack of gigabytes would fill the disk before pre-receive could say no: git refuses
    it while receiving (`receive.maxInputSize`, set by install-hooks)."""
    config = run("git", "--git-dir", site.bare, "config", "receive.maxInputSize").stdout
    assert config.strip() == "100m"  # install-hooks' default
    site.config("receive.maxInputSize", "1m")
    live = os.readlink(site.live)
    (site.work / "data" / "big.yaml").write_bytes(
        b"# " + os.urandom(3 * 1024 * 1024).hex().encode()
    )
    site.commit("很大的推送")
    result = site.push(check=False)
    assert result.returncode != 0 and "exceeds maximum allowed size" in result.stderr, result.stderr
    assert os.readlink(site.live) == live
    assert not run(
        "git", "--git-dir", site.bare, "log", "--oneline", "-1", "--", "data/big.yaml"
    ).stdout


def test_validator_messages_are_capped_and_escaped(site: Site) -> None:
    path = site.work / DATA_FILE
    path.write_text(
        path.read_text(encoding="utf-8") + "".join(f"bogus_{i}: x\n" for i in range(30)),
        encoding="utf-8",
    )
    # A key that would clear the screen and retitle the terminal if printed as it is.
    other = site.work / "data/2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"
    other.write_text(
        other.read_text(encoding="utf-8") + '"\\e[2J\\e]0;pwned\\a": x\n', encoding="utf-8"
    )
    site.commit("很多错误")
    result = site.push(check=False)
    assert result.returncode != 0
    assert len(re.findall(re.escape(DATA_FILE) + r":\d+", result.stderr)) == 20
    assert "10 more not shown" in result.stderr
    assert "kexie-dayuan-yunxing-weihu.yaml:" in result.stderr  # the other file's line
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_checks_and_builds_run_under_limits(site: Site) -> None:
    lib = DEPLOY / "hooks" / "disclosures-lib.sh"
    started = time.monotonic()
    result = subprocess.run(
        ["bash", "-c", f'. "{lib}"; dl_limited 1 1024 sleep 30'], capture_output=True
    )
    assert result.returncode == 124 and time.monotonic() - started < 20
    result = subprocess.run(
        ["bash", "-c", f'. "{lib}"; dl_limited 60 200 python3 -c "x = bytearray(400 << 20)"'],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "MemoryError" in result.stderr
    # A check held to 64 MiB cannot finish: the push is refused, not waved through.
    site.config("disclosures.checkMemoryMB", "64")
    path = site.work / DATA_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    site.commit("内存限制")
    result = site.push(check=False)
    assert result.returncode != 0 and "pre-receive hook declined" in result.stderr
    # A build held to 64 MiB fails; the live site stays as it was.
    site.config("disclosures.checkMemoryMB", "2048")
    site.config("disclosures.buildMemoryMB", "64")
    release = site.release()
    result = site.push()
    assert "publish FAILED" in result.stderr and site.release() == release


def test_a_failed_switch_is_a_failure_and_the_site_stays(site: Site) -> None:
    release, files = site.release(), snapshot(site.live)
    site.add_page("switch", "切换失败")
    sha = site.commit("切换")
    site.live.parent.chmod(0o555)  # the symlink cannot be replaced
    try:
        result = site.push()
    finally:
        site.live.parent.chmod(0o755)
    assert "publish FAILED" in result.stderr and "(switch)" in result.stderr
    assert f"published {sha[:12]}" not in result.stderr
    assert site.release() == release and snapshot(site.live) == files
    assert site.releases() == [release.name]


@pytest.mark.parametrize(
    "name",
    [
        "..",
        ".",
        "/etc",
        "../releases",
        ".staging-x",
        "fake",
        "LINK",
        "20261130T000000.000000000Z-0123456789ab/..",
    ],
)
def test_rollback_refuses_what_is_not_a_release(site: Site, name: str) -> None:
    releases = site.bare / "releases"
    release = site.release()
    # A symlink named like a release, pointing out of the releases folder.
    link = releases / "20261130T000000.000000000Z-0123456789ab"
    link.symlink_to("/etc")
    (releases / ".staging-x").mkdir()
    (releases / "fake").mkdir()
    target = link.name if name == "LINK" else name
    result = run(DEPLOY / "rollback", site.bare, target, check=False)
    assert result.returncode != 0, result.stderr
    assert site.release() == release


def test_the_live_symlink_is_only_ever_switched_to_a_release(site: Site) -> None:
    lib = site.bare / "hooks" / "disclosures-lib.sh"
    release = site.release()
    for target in (site.bare / "releases", Path("/etc"), site.bare / "releases" / ".."):
        result = subprocess.run(
            [
                "bash",
                "-c",
                f'. "{lib}"; dl_init "$1"; dl_switch "$2"',
                "-",
                str(site.bare),
                str(target),
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0 and "not a release folder" in result.stderr
        assert site.release() == release


def test_the_trusted_copy_is_not_the_pushers(site: Site) -> None:
    if not site.user.separate:
        pytest.skip("needs root to install as root and push as another user")  # CI: root
    trusted = site.trusted()
    for path in [trusted, *trusted.rglob("*")]:
        st = path.lstat()
        assert st.st_uid == 0, path
        assert path.is_symlink() or not st.st_mode & 0o022, path  # a link's mode means nothing
    probe = subprocess.run(
        ["touch", str(trusted / "src" / "probe")], **site.user.kwargs(), capture_output=True
    )
    assert probe.returncode != 0
