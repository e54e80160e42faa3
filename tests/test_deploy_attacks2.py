"""More attacks on the publishing door (docs/security.md, "The publishing door", letter DB):
the fifth session's red-team pass. Each runs against the real hooks installed by
deploy/install-hooks, pushing as an unprivileged user (deploy_site.py), and each failed
(got through) before the defence it names.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from deploy_site import (
    DATA_FILE,
    DEPLOY,
    Site,
    install,
    published,  # noqa: F401 (fixture)
    run,
    site,  # noqa: F401 (fixture)
    snapshot,
)


def refs(site: Site) -> list[str]:
    out = run("git", "--git-dir", site.bare, "for-each-ref", "--format=%(refname)").stdout
    return out.splitlines()


@pytest.mark.parametrize(
    "ref,said",
    [
        # A branch drawn as `main` in every editor's `git fetch` (an override reorders it).
        ("refs/heads/ma\u202ein", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        # A tag that reads as v1 and is another.
        ("refs/tags/\u200bv1", "U+200B ZERO WIDTH SPACE"),
        # `mаin` with a Cyrillic а: git takes it, every terminal draws it as main.
        ("refs/heads/m\u0430in", "Cyrillic"),
        # Full-width letters among half-width ones.
        ("refs/heads/ｍain", "full-width"),
        ("refs/heads/" + "x" * 240, "longer than 200 characters"),
    ],
    ids=["bidi-branch", "zero-width-tag", "cyrillic-branch", "full-width-branch", "long"],
)
def test_ref_names_that_read_as_another_are_refused(site: Site, ref: str, said: str) -> None:
    before = refs(site)
    result = site.push(f"HEAD:{ref}", check=False)
    assert result.returncode != 0 and "pre-receive hook declined" in result.stderr, result.stderr
    assert said in result.stderr, result.stderr
    assert refs(site) == before


def test_ordinary_branch_names_in_chinese_are_accepted(site: Site) -> None:
    result = site.push("HEAD:refs/heads/草稿-2024", check=False)
    assert result.returncode == 0, result.stderr
    assert "refs/heads/草稿-2024" in refs(site)


def test_a_push_of_more_refs_than_the_limit_is_refused(site: Site) -> None:
    site.config("disclosures.maxRefsPerPush", "3")
    names = [f"side-{i}" for i in range(4)]
    for name in names:
        site.git("branch", name)
    result = site.push(*names, check=False)
    assert result.returncode != 0 and "4 refs in one push, more than 3" in result.stderr
    assert not [r for r in refs(site) if "side-" in r]
    assert site.push(*names[:3], check=False).returncode == 0


def test_the_check_time_limit_is_the_whole_pushs(site: Site) -> None:
    """disclosures.checkTimeout bounds one push's checks, all its refs together: a push of
    many branches, each with other data, used to get the whole time once per branch (so
    1,000 refs held the server for 1,000 times the limit)."""
    site.config("disclosures.checkTimeout", "8")
    site.config("disclosures.maxRefsPerPush", "100")
    names = []
    for i in range(16):
        name = f"many-{i}"
        site.git("checkout", "-q", "-b", name, "main")
        with open(site.work / DATA_FILE, "a", encoding="utf-8") as f:
            f.write(f"# {i}\n")
        site.commit(f"第{i}个分支")
        names.append(name)
    site.git("checkout", "-q", "main")
    started = time.monotonic()
    result = site.push(*names, check=False)
    took = time.monotonic() - started
    assert result.returncode != 0, result.stderr
    assert "took longer than 8s" in result.stderr, result.stderr
    assert took < 8 + 15 + 10, took  # the budget, one kill grace, start-up
    assert not [r for r in refs(site) if "many-" in r]


def test_a_huge_file_in_a_small_push_is_refused_unread(site: Site) -> None:
    """receive.maxInputSize counts the compressed pack: 200 MB of zeros is a 200 KB push.
    The door refuses a file over disclosures.maxFileBytes from its size alone: it is never
    written out for the check (it used to be, and stayed on the server's disk)."""
    zeros = run(
        "sh", "-c", "head -c 200000000 /dev/zero | git hash-object -w --stdin",
        cwd=site.work, as_user=site.user,
    ).stdout.strip()  # fmt: skip
    site.git("update-index", "--add", "--cacheinfo", f"100644,{zeros},data/2023/zeros.yaml")
    site.git("commit", "-q", "-m", "很大的文件")
    result = site.push(check=False)
    assert result.returncode != 0, result.stderr
    assert "data/2023/zeros.yaml" in result.stderr, result.stderr
    assert "is 200000000 bytes, more than the limit of 2097152" in result.stderr
    assert "Traceback" not in result.stderr
    big = [p for p in site.bare.rglob("*") if p.is_file() and p.stat().st_size > 10_000_000]
    assert big == []


def test_a_large_page_alone_is_refused(site: Site) -> None:
    """A push that changes only content/ was not checked at all before post-receive."""
    live = snapshot(site.live)
    site.write("content/pages/big.md", "Title: 大\nSlug: big\n\n" + "很长的一段话。" * 400_000)
    site.commit("很大的页面")
    result = site.push(check=False)
    assert result.returncode != 0, result.stderr
    assert "content/pages/big.md" in result.stderr and "more than the limit" in result.stderr
    assert snapshot(site.live) == live


@pytest.mark.parametrize(
    "title,body,where,said",
    [
        ("通知\u202e001%", "正文", "content/pages/hidden.md:1:10", "U+202E"),
        ("通知", "预算\u200b增长", "content/pages/hidden.md:4:3", "U+200B"),
        ("通知", "完成\x1b[2J率", "content/pages/hidden.md:4:3", "U+001B"),
    ],
    ids=["bidi-title", "zero-width-body", "escape-body"],
)
def test_pages_are_held_to_the_text_policy_at_the_door(
    site: Site, title: str, body: str, where: str, said: str
) -> None:
    """An editorial page's title is in every page's menu: a bidi override there reorders
    what every reader sees. Pages used to skip the text policy (and the door's check)."""
    main, files = site.main(), snapshot(site.live)
    site.write("content/pages/hidden.md", f"Title: {title}\nSlug: hidden\n\n{body}\n")
    site.commit("有隐藏字符的页面")
    result = site.push(check=False)
    assert result.returncode != 0 and "pre-receive hook declined" in result.stderr, result.stderr
    assert where in result.stderr and said in result.stderr, result.stderr
    assert site.main() == main and snapshot(site.live) == files


def test_a_page_with_windows_line_ends_is_published(site: Site) -> None:
    (site.work / "content/pages").mkdir(parents=True, exist_ok=True)
    (site.work / "content/pages/crlf.md").write_bytes(
        "Title: 换行\r\nSlug: crlf\r\n\r\n用 Windows 记事本写的页面。\r\n".encode()
    )
    sha = site.commit("Windows 换行的页面")
    result = site.push(check=False)
    assert result.returncode == 0 and f"published {sha[:12]}" in result.stderr, result.stderr
    assert "记事本" in (site.live / "pages/crlf/index.html").read_text(encoding="utf-8")


def test_a_source_address_that_goes_elsewhere_is_refused_at_the_door(site: Site) -> None:
    main = site.main()
    path = site.work / DATA_FILE
    text = path.read_text(encoding="utf-8")
    assert "\nsource: " in text
    start = text.index("\nsource: ") + len("\nsource: ")
    end = text.index("\n", start)
    path.write_text(
        text[:start] + '"https://www.xiangtan.gov.cn@evil.example/a.html"' + text[end:],
        encoding="utf-8",
    )
    site.commit("来源网址")
    result = site.push(check=False)
    assert result.returncode != 0, result.stderr
    assert "the link goes to evil.example" in result.stderr, result.stderr
    assert site.main() == main
    assert os.path.isdir(site.live)


def test_a_tree_thousands_of_folders_deep_is_refused_with_a_message(site: Site) -> None:
    """Git stores a path 2,100 folders deep; writing it out for the check failed with a
    Python traceback shown to the pusher."""
    blob = run(
        "git", "hash-object", "-w", "--stdin", cwd=site.work, as_user=site.user, stdin="a: 1\n"
    ).stdout.strip()
    deep = "data/" + "/".join(["a"] * 2100) + "/x.yaml"
    site.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{deep}")
    site.git("commit", "-q", "-m", "很深的目录")
    result = site.push(check=False)
    assert result.returncode != 0, result.stderr
    assert "path too long or too deep" in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


def test_the_doors_own_messages_are_capped(site: Site) -> None:
    for i in range(150):
        site.write(f"data/2023/x\u202e{i}.yaml", "a: 1\n")
    site.commit("很多坏文件名")
    result = site.push(check=False)
    assert result.returncode != 0
    assert "and 50 more problems" in result.stderr, result.stderr[-2000:]
    assert len(result.stderr.splitlines()) < 120


def test_a_tag_of_a_tag_is_held_to_the_text_policy(site: Site) -> None:
    """Only the outer tag's text was checked; `git show` prints the inner one's too."""
    commit = site.git("rev-parse", "HEAD").stdout.strip()
    inner = run(
        "git", "mktag", cwd=site.work, as_user=site.user,
        stdin=f"object {commit}\ntype commit\ntag inner\ntagger 编辑 <e@example.org> "
        "1764500000 +0800\n\n说明 \u202etxt.exe\n",
    ).stdout.strip()  # fmt: skip
    outer = run(
        "git", "mktag", cwd=site.work, as_user=site.user,
        stdin=f"object {inner}\ntype tag\ntag outer\ntagger 编辑 <e@example.org> "
        "1764500000 +0800\n\n正常的说明\n",
    ).stdout.strip()  # fmt: skip
    site.git("update-ref", "refs/tags/outer", outer)
    result = site.push("refs/tags/outer", check=False)
    assert result.returncode != 0 and "pre-receive hook declined" in result.stderr, result.stderr
    assert f"tag {inner[:12]}" in result.stderr and "U+202E" in result.stderr, result.stderr
    assert "refs/tags/outer" not in refs(site)


def test_a_page_the_build_cannot_read_is_refused_at_the_door(site: Site) -> None:
    """`Date: notadate` in a page's header: the door let it in, then every build of the
    branch failed ("publish FAILED") until someone pushed a fix."""
    main = site.main()
    site.write("content/pages/dated.md", "Title: 通知\nSlug: dated\nDate: notadate\n\n正文\n")
    site.commit("日期写错的页面")
    result = site.push(check=False)
    assert result.returncode != 0 and "pre-receive hook declined" in result.stderr, result.stderr
    assert "content/pages/dated.md:3:1" in result.stderr, result.stderr
    assert "not a valid date" in result.stderr
    assert site.main() == main


@pytest.mark.parametrize(
    "first,second",
    [("Notice.md", "notice.md"), ("caf\u00e9.md", "cafe\u0301.md")],
    ids=["case", "nfc-nfd"],
)
def test_names_that_are_one_file_on_windows_or_macos_are_refused(
    site: Site, first: str, second: str
) -> None:
    """Two pages whose names differ only in case or in Unicode composition: one file in an
    editor's checkout on Windows or macOS, so their next commit changes the other one."""
    main = site.main()
    site.write(f"content/pages/{first}", "Title: 一\nSlug: yi\n\n第一页\n")
    site.write(f"content/pages/{second}", "Title: 二\nSlug: er\n\n第二页\n")
    site.commit("两个只差大小写的文件")
    result = site.push(check=False)
    assert result.returncode != 0 and "pre-receive hook declined" in result.stderr, result.stderr
    assert "one file on Windows and macOS" in result.stderr, result.stderr
    assert site.main() == main


# --- Sixth session: root never runs what the repository's owner wrote.


def _marker_hook(marker: Path) -> str:
    return f'#!/bin/sh\nid -u >> "{marker}"\n'


@pytest.mark.parametrize("script", ["rollback", "publish"])
def test_root_sources_nothing_the_repositorys_owner_wrote(site: Site, script: str) -> None:
    """deploy/rollback and deploy/publish, run by root, sourced BARE/hooks/disclosures-lib.sh
    before dropping root: the hooks folder is the repository owner's (git-shell's user), so
    whoever could write there as that user ran code as root at the operator's next rollback.
    Now root becomes the owner before anything in the repository is read or run."""
    if not site.user.separate:
        pytest.skip("needs root and a separate user (CI runs as root)")
    marker = site.bare.parent / "ran-as"
    lib = site.bare / "hooks" / "disclosures-lib.sh"
    real = lib.with_name("real-lib.sh")
    lib.rename(real)
    lib.write_text(f'id -u >> "{marker}"\n. "{real}"\n')
    site.user.own(site.bare / "hooks")
    site.bare.parent.chmod(0o777)
    args = ["--list"] if script == "rollback" else []
    result = run(DEPLOY / script, site.bare, *args, check=False)
    ran = marker.read_text().split() if marker.exists() else []
    assert "0" not in ran, f"ran as root: {ran}\n{result.stderr}"
    assert ran == [str(site.user.uid)], result.stderr  # the owner's library, as the owner
    assert result.returncode == 0, result.stderr


def test_install_hooks_runs_no_hook_and_follows_no_link_of_the_owner(
    site: Site,
    published: tuple[Path, object],  # noqa: F811 (fixture)
) -> None:
    """install-hooks runs as root in a repository its owner can change: when the branch was
    missing, its `git fetch` ran the owner's reference-transaction hook as root; a
    disclosures-trusted the owner made as a symlink had root chmod 755 the folder it
    pointed to (a private one of root's) and write the trusted copy there."""
    if not site.user.separate:
        pytest.skip("needs root and a separate user (CI runs as root)")
    operator = published[0] / "operator"  # root's (the copy's is the owner's)
    marker = site.bare.parent / "ran-as"
    site.bare.parent.chmod(0o777)
    hook = site.bare / "hooks" / "reference-transaction"
    hook.write_text(_marker_hook(marker))
    hook.chmod(0o755)
    site.user.own(hook)
    run("git", "--git-dir", site.bare, "update-ref", "-d", "refs/heads/main", as_user=site.user)
    marker.unlink()  # the owner's own update-ref ran it, as the owner
    result = install(operator, site.bare, site.live, "--no-publish")
    assert not marker.exists(), f"ran as {marker.read_text().split()}"
    assert result.returncode == 0, result.stdout + result.stderr
    assert site.main()  # the branch starts at the trusted commit again

    private = site.bare.parent / "roots-own"
    private.mkdir(mode=0o700)
    trusted_root = site.bare / "disclosures-trusted"
    shutil.rmtree(trusted_root, ignore_errors=True)
    trusted_root.symlink_to(private)
    os.lchown(trusted_root, site.user.uid, site.user.gid)
    result = install(operator, site.bare, site.live, "--no-publish")
    assert result.returncode != 0 and "not made by install-hooks" in result.stderr, result.stderr
    assert private.stat().st_mode & 0o777 == 0o700 and not list(private.iterdir())
