"""The publishing door's checks, run by the self-hosting hooks (deploy/hooks/) with the trusted
copy's Python (`python -I`), never with anything from a push. Text is held to the site's one
text policy (disclosures.textpolicy, the trusted copy's).

    pushcheck.py policy --git-dir BARE [options] < "old new ref" lines    (pre-receive)
    pushcheck.py export --git-dir BARE --commit SHA --dest DIR [--epoch S] (hooks: data + content)
    pushcheck.py cap --per-file N --total M < validator output           (messages to the pusher)
    pushcheck.py clean < text                                            (text for a terminal)

policy refuses, with a bilingual message naming what and where:
- a change outside the editable paths (unless --code-allowed), in any new commit of any ref;
- anything but a regular file (symlink 120000, submodule 160000) added anywhere;
- a path or commit/tag text (author, committer, message) with a control or format character,
  a commit dated more than a day in the future;
- a ref that does not point at a commit, deleting or rewriting the published branch;
- more new commits than --max-commits, or more refs than --max-refs, in one push;
- a ref name the text policy refuses (bidi override, zero-width, undecodable bytes), that
  mixes look-alike scripts (`mаin` with a Cyrillic а), or longer than MAX_REF characters;
- a file under an editable path larger than --max-file-bytes (the size git's own push limit
  does not see: a 1 MB push can carry a gigabyte of zeros), told from `cat-file --batch-check`
  without reading the file.
export writes the files of a commit exactly as committed (`git ls-tree -z` + `git cat-file
--batch`): no .gitattributes (filter, export-subst, export-ignore, eol) applies, nothing but
regular files is written, and unchanged files are left as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from disclosures import textpolicy

ZERO = re.compile(r"0+")
REGULAR = {"100644", "100755"}
KINDS = {"120000": "符号链接 / a symbolic link", "160000": "子模块 / a submodule (gitlink)"}
SHOWN = 20  # paths listed per problem
SHOWN_PROBLEMS = 100  # problems shown (a push of 100,000 bad names would print them all)
FUTURE = 86400  # a commit may be dated at most a day ahead (clocks differ)
MAX_PATH, MAX_NAME, MAX_DEPTH = 1024, 255, 12  # bytes of a path, of one name; folders deep
MAX_REF = 200  # characters in a ref name (git allows ~4000 bytes; no editor needs that)
IDENT_DATE = re.compile(rb" ([0-9]{1,20}) [+-][0-9]{4}$")


def escape(text: str) -> str:
    """`text` with every control/format character shown as an escape (\\x1b, \\u202e)."""
    return textpolicy.escape(text)


def refused(text: str, multiline: bool) -> textpolicy.Finding | None:
    """The first character of `text` the text policy refuses (scan reports an error before
    any warning, so a warning means nothing is refused)."""
    finding = textpolicy.scan(text, multiline)
    return finding if finding is not None and finding.is_error else None


def say(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


class Git:
    def __init__(self, git_dir: str) -> None:
        self.base = ["git", "--git-dir", git_dir, "-c", "core.quotePath=false"]

    def run(self, *args: str, stdin: bytes | None = None, ok: bool = False) -> bytes | None:
        result = subprocess.run([*self.base, *args], input=stdin, capture_output=True)
        if result.returncode != 0:
            if ok:
                return None
            raise SystemExit(
                f"git {' '.join(args[:3])} failed: {result.stderr.decode('utf-8', 'replace')}"
            )
        return result.stdout

    def objects(self, ids: Iterable[str]) -> dict[str, tuple[str, bytes]]:
        """id → (type, raw bytes), read with `git cat-file --batch` (lengths stated)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", stdin="".join(i + "\n" for i in wanted).encode())
        assert out is not None
        found: dict[str, tuple[str, bytes]] = {}
        pos = 0
        for oid in wanted:
            end = out.index(b"\n", pos)
            fields = out[pos:end].decode("ascii", "replace").split(" ")
            pos = end + 1
            if len(fields) != 3:
                continue
            size = int(fields[2])
            found[oid] = (fields[1], out[pos : pos + size])
            pos += size + 1
        return found


# ---------------------------------------------------------------------------------- policy


def decoded_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def changed_entries(git: Git, commit: str, parents: list[str]) -> dict[str, tuple[str, str]]:
    """Paths a commit changes → their new (mode, object id) ('000000' when deleted). A root
    commit changes every path; a merge, the paths that differ from every parent."""
    if not parents:
        out = git.run("ls-tree", "-r", "-z", "--full-tree", commit) or b""
        entries = {}
        for item in out.split(b"\0"):
            if item:
                meta, _, path = item.partition(b"\t")
                fields = meta.decode().split(" ")
                entries[decoded_path(path)] = (fields[0], fields[2])
        return entries
    result: dict[str, tuple[str, str]] | None = None
    for parent in parents:
        out = git.run("diff-tree", "-r", "-z", "--no-renames", "--raw", parent, commit) or b""
        items = out.split(b"\0")
        entries = {}
        for meta, path in zip(items[0::2], items[1::2], strict=False):
            if meta.startswith(b":"):
                fields = meta[1:].decode().split(" ")
                entries[decoded_path(path)] = (fields[1], fields[3])
        result = entries if result is None else {p: m for p, m in entries.items() if p in result}
    return result or {}


def sizes(git: Git, ids: Iterable[str]) -> dict[str, int]:
    """Object id → size in bytes, from `git cat-file --batch-check` (nothing is read)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    out = git.run("cat-file", "--batch-check", stdin="".join(i + "\n" for i in wanted).encode())
    found = {}
    for line in (out or b"").decode("ascii", "replace").splitlines():
        fields = line.split(" ")
        if len(fields) == 3 and fields[2].isdigit():
            found[fields[0]] = int(fields[2])
    return found


def path_problem(path: str) -> str | None:
    """Why a path cannot be written out for the check (a name longer than the file system
    takes, a tree thousands of folders deep: the export used to fail with a traceback)."""
    parts = path.split("/")
    longest = max(len(part.encode("utf-8", "surrogateescape")) for part in parts)
    if (
        longest > MAX_NAME
        or len(path.encode("utf-8", "surrogateescape")) > MAX_PATH
        or len(parts) > MAX_DEPTH
    ):
        return (
            f"{escape(path)[:120]}……: 路径过长或文件夹层数过多（文件名至多 {MAX_NAME} 字节，"
            f"路径至多 {MAX_PATH} 字节、{MAX_DEPTH} 层）/ path too long or too deep (a name "
            f"at most {MAX_NAME} bytes, a path at most {MAX_PATH} bytes and {MAX_DEPTH} levels)"
        )
    return None


# Names Windows cannot give a file (red-team, eighth session: `aux.yaml`, `CON.yaml`,
# `a:b.yaml`, a folder `2020.`): git stores them, but an editor's clone on Windows cannot check
# them out (or writes `a:b.yaml` as an alternate data stream of `a`, `2020.` as `2020`), and
# their next commit from there deletes or changes another file than they see.
_WINDOWS_DEVICES = re.compile(
    r"(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(?:COM|LPT)[0-9\u00b9\u00b2\u00b3]) *(?:\..*)?",
    re.IGNORECASE,
)
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\\]')


def windows_problem(path: str) -> str | None:
    """Why a path cannot be checked out on Windows, or None."""
    for part in path.split("/"):
        why = ""
        if _WINDOWS_DEVICES.fullmatch(part.rstrip(" ")):
            why = f"“{part}”是 Windows 的设备名 / {part!r} is a Windows device name"
        elif (bad := _WINDOWS_FORBIDDEN.search(part)) is not None:
            why = (
                f"“{bad.group()}”不能用在 Windows 文件名中 / {bad.group()!r} cannot be in a "
                "Windows file name"
            )
        elif part.endswith((" ", ".")):
            why = (
                "名称以空格或句点结尾，Windows 会去掉它 / the name ends in a space or dot, "
                "which Windows drops"
            )
        if why:
            return (
                f"{escape(path)}: {why}；在 Windows 电脑上无法取出这个文件，请改名 / an "
                "editor's clone on Windows cannot hold this file; rename it"
            )
    return None


def tree_paths(git: Git, commit: str, roots: list[str]) -> list[str]:
    if ZERO.fullmatch(commit):
        return []
    out = git.run("ls-tree", "-r", "-z", "--name-only", "--full-tree", commit, "--", *roots)
    return [decoded_path(p) for p in (out or b"").split(b"\0") if p]


def collisions(git: Git, old: str, new: str, editable: list[str], name: str) -> list[str]:
    """Paths of `new` that are one path on Windows and macOS (`A.yaml` and `a.yaml`, a name
    in NFC and in NFD): an editor's checkout there keeps one and their next commit changes
    the other. Only collisions this push brings are refused (old ones would block every
    push)."""
    before = set(tree_paths(git, old, [p.rstrip("/") for p in editable]))
    groups: dict[str, list[str]] = {}
    for path in tree_paths(git, new, [p.rstrip("/") for p in editable]):
        groups.setdefault(unicodedata.normalize("NFC", path).casefold(), []).append(path)
    found = [
        f"{name}: 这些文件名只差大小写或字符组合方式，在 Windows 和 macOS 上是同一个文件，请改名 "
        f"/ these names differ only in case or Unicode composition, one file on Windows and "
        f"macOS; rename one: {', '.join(escape(p) for p in paths[:5])}"
        for paths in groups.values()
        if len(paths) > 1 and not set(paths) <= before
    ]
    return found[:SHOWN]


# What `git rev-parse NAME` tries, in this order (gitrevisions(7)): a tag or a top-level ref
# named like the published branch is read in its place by every editor's `git log main`,
# `git diff main`, `git merge main` (red-team, eighth session: `refs/tags/main`).
_SHORT = re.compile(r"refs/(?:heads/|tags/|remotes/)?(.*)", re.DOTALL)
_SPECIAL = {"HEAD", "FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD",
            "BISECT_HEAD", "AUTO_MERGE", "@"}  # fmt: skip


def shadow_problem(ref: str, branch: str) -> str | None:
    """Why `ref` would be read in place of another ref by git's short names, or None."""
    match = _SHORT.fullmatch(ref)
    short = match.group(1) if match else ref
    name = escape(ref)
    if ref == f"refs/heads/{branch}":
        return None
    if short == branch or short.startswith(("refs/", "heads/", "tags/", "remotes/")):
        return (
            f"{name}: 这个名称在编辑的电脑上会被 git 当成发布分支 {branch} 或另一个分支（git log "
            f"{short} 显示的是它），请改名 / git reads this name in place of the published "
            f"branch {branch} or another ref (`git log {short}` shows it); use another name"
        )
    if short in _SPECIAL or ref.startswith("refs/remotes/"):
        return (
            f"{name}: 这是 git 自己使用的名称，请改名 / git uses this name itself (HEAD, "
            "remote-tracking branches); use another name"
        )
    return None


def ref_problem(ref: str, branch: str = "main") -> str | None:
    """Why the name of a ref a push creates or moves is refused, or None. Git refuses
    control characters in ref names, but not the rest of what the text policy refuses: a
    branch `ma\u202ein` or a tag `\u200bv1` reaches every editor's `git fetch` looking like
    another."""
    name = escape(ref)
    if ref.startswith("refs/replace/"):
        # git shows the commit a replace ref names in place of the one it replaces: with
        # `refs/replace/<tip of main>` the site published another tree than main's, one no
        # editor's clone fetches (red-team, seventh session).
        return (
            f"{name}: 替换引用（refs/replace）会让 git 用另一个提交代替分支上的提交，发布的"
            "就不是分支上的内容，不接受 / a replace ref makes git show another commit in "
            "place of the branch's: the site would publish what the branch does not hold"
        )
    shadow = shadow_problem(ref, branch)
    if shadow is not None:
        return shadow
    finding = refused(ref, multiline=False)  # undecodable bytes are surrogates: caught too
    if finding is not None:
        return (
            f"{name}: 分支或标签名含{finding.kind_zh} {finding.name}，请改名 / the ref name "
            f"contains the {finding.kind_en} {finding.name}; use another name"
        )
    if len(ref) > MAX_REF:
        return (
            f"{name[:60]}……: 分支或标签名超过 {MAX_REF} 个字符 / a ref name longer than "
            f"{MAX_REF} characters"
        )
    lookalike = textpolicy.mixed_scripts(ref)
    if lookalike is not None:
        return f"{name}: 分支或标签名 {lookalike[0]} / ref name: {lookalike[1]}"
    return None


def text_problems(raw: bytes, what: str) -> list[str]:
    """Hidden characters or undecodable bytes in a commit's or tag's header and message."""
    header, _, message = raw.partition(b"\n\n")
    encoding = "utf-8"
    problems = []
    for line in header.split(b"\n"):
        if line.startswith(b"encoding "):
            encoding = line[9:].decode("ascii", "replace").strip()
    for label, part in (("header", header), ("message", message)):
        try:
            text = part.decode(encoding if label == "message" else "utf-8")
        except (UnicodeDecodeError, LookupError):
            problems.append(
                f"{what}: 提交说明或作者不是有效的 UTF-8 文本 / the {label} is not valid UTF-8"
            )
            continue
        if "\0" in text:
            problems.append(f"{what}: 提交信息含 NUL 字符 / the {label} contains NUL")
            continue
        lines = text.split("\n") if label == "header" else [text]
        for line in lines:
            finding = refused(line, multiline=label == "message")
            if finding is not None:
                problems.append(
                    f"{what}: 提交信息含{finding.kind_zh} {finding.name}（如终端控制码、双向文字"
                    f"覆盖），请改写提交说明 / the commit's {label} contains the "
                    f"{finding.kind_en} {finding.name}; reword it (git commit --amend)"
                )
                break
    return problems


def date_problems(raw: bytes, what: str, now: float) -> list[str]:
    header = raw.partition(b"\n\n")[0]
    for line in header.split(b"\n"):
        if line.startswith((b"author ", b"committer ", b"tagger ")):
            match = IDENT_DATE.search(line)
            if match is None:
                return [
                    f"{what}: 提交时间无法读取 / unreadable date in {line.split(b' ')[0].decode()}"
                ]
            if int(match.group(1)) > now + FUTURE:
                return [
                    f"{what}: 提交时间在未来，请检查电脑的时钟 / the commit is dated in the "
                    "future; check your computer's clock"
                ]
    return []


def page_ok(path: str) -> bool:
    """Under content/ the build reads Markdown only; other readers (reStructuredText's
    `.. include::`, raw HTML) would publish what the page names, so nothing else goes in.
    Dot-files (.gitattributes, .gitkeep) are never read."""
    if not path.startswith("content/"):
        return True
    name = path.rsplit("/", 1)[-1]
    return name.startswith(".") or name.endswith((".md", ".markdown"))


def listed(paths: list[str]) -> list[str]:
    lines = [f"        {escape(p)}" for p in paths[:SHOWN]]
    if len(paths) > SHOWN:
        lines.append(f"        ……另有 {len(paths) - SHOWN} 个 / and {len(paths) - SHOWN} more")
    return lines


def policy(args: argparse.Namespace) -> int:
    git = Git(args.git_dir)
    editable = [p.strip("/") + "/" for p in args.editable.split() if p.strip("/")]
    published = f"refs/heads/{args.branch}"
    problems: list[str] = []
    tips: list[str] = []
    tags: list[str] = []
    lines = sys.stdin.buffer.read().decode("utf-8", "surrogateescape").splitlines()
    if len(lines) > args.max_refs:
        problems.append(
            f"一次推送更新了 {len(lines)} 个分支或标签，超过 {args.max_refs} 个，请分批推送 / "
            f"{len(lines)} refs in one push, more than {args.max_refs}; push them in parts"
        )
        lines = []
    for line in lines:
        fields = line.split(" ")
        if len(fields) != 3:
            continue
        old, new, ref = fields
        name = escape(ref)
        if ZERO.fullmatch(new):
            if ref == published:
                problems.append(
                    f"不能删除发布分支 {args.branch} / the published branch {args.branch} "
                    "cannot be deleted"
                )
            continue
        bad_name = ref_problem(ref, args.branch)
        if bad_name is not None:
            problems.append(bad_name)
            continue
        if git.run("rev-parse", "--verify", "-q", f"{new}^{{commit}}", ok=True) is None:
            problems.append(
                f"{name}: 只能指向提交，不能指向文件或目录 / a ref must point at a commit"
            )
            continue
        if git.run("cat-file", "-t", new).strip() == b"tag":  # type: ignore[union-attr]
            tags.append(new)
        if ref == published and not ZERO.fullmatch(old):
            if git.run("merge-base", "--is-ancestor", old, new, ok=True) is None:
                problems.append(
                    f"{name}: 不能改写发布分支的历史（强制推送），请先拉取再推送 / the "
                    "published branch's history cannot be rewritten (force push); pull, then push"
                )
        tips.append(new)
        problems += collisions(git, old, new, editable, name)
    commits: list[tuple[str, list[str]]] = []
    if tips:
        out = git.run(
            "rev-list", "--parents", f"--max-count={args.max_commits + 1}", *tips, "--not", "--all"
        )
        for row in (out or b"").decode().splitlines():
            ids = row.split()
            commits.append((ids[0], ids[1:]))
    if len(commits) > args.max_commits:
        problems.append(
            f"一次推送的新提交超过 {args.max_commits} 个，请分批推送或联系管理员 / more than "
            f"{args.max_commits} new commits in one push; push in parts or ask the operator"
        )
        commits = []
    now = time.time()
    raw = git.objects([c for c, _ in commits] + tags)
    seen: set[str] = set()
    while tags:  # a tag of a tag: `git show` prints every message of the chain
        oid = tags.pop()
        if oid in seen or len(seen) >= args.max_commits:
            continue
        seen.add(oid)
        kind, data = raw[oid] if oid in raw else git.objects([oid]).get(oid, ("", b""))
        if kind != "tag":
            continue
        problems += text_problems(data, f"标签 / tag {oid[:12]}")
        target = re.match(rb"object ([0-9a-f]{40,64})\ntype tag\n", data)
        if target is not None:
            tags.append(target.group(1).decode())
    outside: dict[str, list[str]] = {}
    for commit, parents in commits:
        what = f"提交 / commit {commit[:12]}"
        data = raw.get(commit, ("", b""))[1]
        problems += text_problems(data, what) + date_problems(data, what, now)
        changed = changed_entries(git, commit, parents)
        published_files = {
            oid: path
            for path, (mode, oid) in changed.items()
            if mode in REGULAR and any(path.startswith(p) for p in editable)
        }
        for oid, size in sizes(git, published_files).items():
            if size > args.max_file_bytes:
                problems.append(
                    f"{what}: {escape(published_files[oid])} 有 {size} 字节，超过上限 "
                    f"{args.max_file_bytes} / is {size} bytes, more than the limit of "
                    f"{args.max_file_bytes}"
                )
        for path, (mode, _oid) in sorted(changed.items()):
            if mode in KINDS or (mode not in REGULAR and mode != "000000"):
                kind = KINDS.get(mode, f"特殊文件 / a special entry (mode {mode})")
                problems.append(
                    f"{what}: {escape(path)} 是{kind}；只接受普通文件 / only regular files are "
                    "accepted"
                )
            if refused(path, multiline=False):  # undecodable bytes are surrogates: caught too
                problems.append(
                    f"{what}: 文件名含控制字符或不是 UTF-8 / a file name with control "
                    f"characters or not UTF-8: {escape(path)}"
                )
            if not args.code_allowed and not any(path.startswith(p) for p in editable):
                outside.setdefault(commit, []).append(path)
            too_long = path_problem(path) if mode != "000000" else None
            if too_long is not None:
                problems.append(f"{what}: {too_long}")
            elif mode != "000000" and (windows := windows_problem(path)) is not None:
                problems.append(f"{what}: {windows}")
            if mode != "000000" and not page_ok(path):
                problems.append(
                    f"{what}: content/ 下只能放 Markdown 页面（.md）/ only Markdown pages (.md) "
                    f"may be under content/: {escape(path)}"
                )
    for commit, paths in outside.items():
        problems.append(
            f"提交 / commit {commit[:12]}: 编辑只能修改 {' '.join(editable)} 下的文件，"
            f"以下路径不可修改 / editors may change only files under {' '.join(editable)}; "
            "these paths may not be changed:"
        )
        problems += listed(paths)
    if problems:
        more = len(problems) - SHOWN_PROBLEMS
        say(
            "推送被拒绝 / push rejected:",
            *(f"    {p}" for p in problems[:SHOWN_PROBLEMS]),
            *([f"    ……另有 {more} 个问题 / and {more} more problems"] if more > 0 else []),
        )
        if outside:
            say(
                "    程序、模板和设置只能由管理员在服务器上升级 / code, templates and settings "
                "are changed by the site's operator (deploy/install-hooks), not by a push"
            )
        return 1
    return 0


def audit(args: argparse.Namespace) -> int:
    """What the door would refuse that is in the repository already (red-team, ninth
    session): refs and file names pushed before the hooks were installed, which the door
    never looks at again (it checks what a push adds). `install-hooks` runs this and prints
    what it finds; each is renamed or deleted by an ordinary push."""
    git = Git(args.git_dir)
    editable = [p.strip("/") for p in args.editable.split() if p.strip("/")]
    problems: list[str] = []
    refs = git.run("for-each-ref", "--format=%(refname)") or b""
    for raw in refs.split(b"\n"):
        ref = raw.decode("utf-8", "surrogateescape")
        if ref and (problem := ref_problem(ref, args.branch)) is not None:
            problems.append(problem)
    tip = git.run("rev-parse", "--verify", "-q", f"refs/heads/{args.branch}^{{commit}}", ok=True)
    if tip:
        commit = tip.decode().strip()
        paths = tree_paths(git, commit, editable)
        for path in paths:
            why = (
                path_problem(path)
                or windows_problem(path)
                or (
                    f"{escape(path)}: 文件名含控制字符或不是 UTF-8 / a file name with control "
                    "characters or not UTF-8"
                    if refused(path, multiline=False)
                    else None
                )
                or (
                    None
                    if page_ok(path)
                    else f"{escape(path)}: content/ 下只能放 Markdown 页面（.md）/ only Markdown "
                    "pages (.md) may be under content/"
                )
            )
            if why is not None:
                problems.append(why)
        problems += collisions(git, "0" * 40, commit, [f"{p}/" for p in editable], args.branch)
    if problems:
        more = len(problems) - SHOWN_PROBLEMS
        say(
            "仓库里已有推送检查会拒绝的名称（装上钩子之前推送的）；请改名或删除后推送 / the "
            "repository already holds names the door refuses (pushed before the hooks were "
            "installed); rename or delete them in a push:",
            *(f"    {p}" for p in problems[:SHOWN_PROBLEMS]),
            *([f"    ……另有 {more} 个问题 / and {more} more problems"] if more > 0 else []),
        )
        return 1
    return 0


# ---------------------------------------------------------------------------------- export


def safe_parts(path: str) -> bool:
    parts = path.split("/")
    return all(part not in ("", ".", "..", ".git") for part in parts)


def export(args: argparse.Namespace) -> int:
    git = Git(args.git_dir)
    dest = Path(args.dest)
    roots = [r.strip("/") for r in args.paths]
    out = git.run("ls-tree", "-r", "-z", "--full-tree", args.commit, "--", *roots) or b""
    listing: dict[str, str] = {}
    refused: list[str] = []
    for item in out.split(b"\0"):
        if not item:
            continue
        meta, _, raw_path = item.partition(b"\t")
        mode, kind, oid = meta.decode().split(" ")
        path = decoded_path(raw_path)
        if mode not in REGULAR or kind != "blob" or not safe_parts(path):
            refused.append(f"{escape(path)} ({KINDS.get(mode, 'mode ' + mode)})")
            continue
        listing[path] = oid
    if refused:
        say(
            f"无法发布 {args.commit[:12]}：只接受普通文件 / cannot use {args.commit[:12]}: only "
            "regular files are read, and these are not:",
            *listed(refused),
        )
        return 1
    manifest = dest / ".export-manifest.json"
    try:
        before = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    dest.mkdir(parents=True, exist_ok=True)
    # Whatever is on disk but not in the commit goes, as does anything that is not a plain
    # file or folder (nothing else is ever written here).
    for root in roots:
        top = dest / root
        if top.is_symlink() or (top.exists() and not top.is_dir()):
            top.unlink()
        for folder, dirs, files in os.walk(top, topdown=False):
            for name in files + dirs:
                path = Path(folder, name)
                rel = path.relative_to(dest).as_posix()
                if path.is_symlink() or (not path.is_dir() and rel not in listing):
                    path.unlink()
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
    todo = [p for p, oid in listing.items() if before.get(p) != oid or not (dest / p).is_file()]
    blobs = git.objects(listing[p] for p in todo)
    for path in todo:
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(blobs[listing[path]][1])
        if args.epoch is not None:
            os.utime(target, (args.epoch, args.epoch))
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps(listing, sort_keys=True), encoding="utf-8")
    tmp.replace(manifest)
    return 0


# ------------------------------------------------------------------------------ messages


def cap(args: argparse.Namespace) -> int:
    counts: dict[str, int] = {}
    shown = hidden = 0
    for raw in sys.stdin.buffer:
        line = escape(raw.decode("utf-8", "replace").rstrip("\n"))
        key = line.split(":", 1)[0]
        counts[key] = counts.get(key, 0) + 1
        if counts[key] > args.per_file or shown >= args.total:
            hidden += 1
            continue
        shown += 1
        print(f"    {line}")
    if hidden:
        print(f"    ……另有 {hidden} 条未显示 / {hidden} more not shown")
    return 0


def clean(_args: argparse.Namespace) -> int:
    for raw in sys.stdin.buffer:
        print(escape(raw.decode("utf-8", "replace").rstrip("\n")))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pushcheck.py")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("policy")
    p.add_argument("--git-dir", required=True)
    p.add_argument("--editable", default="data/ content/")
    p.add_argument("--branch", default="main")
    p.add_argument("--code-allowed", action="store_true")
    p.add_argument("--max-commits", type=int, default=1000)
    p.add_argument("--max-refs", type=int, default=50)
    p.add_argument("--max-file-bytes", type=int, default=2 * 1024 * 1024)
    p.set_defaults(run=policy)
    p = sub.add_parser("audit")
    p.add_argument("--git-dir", required=True)
    p.add_argument("--editable", default="data/ content/")
    p.add_argument("--branch", default="main")
    p.set_defaults(run=audit)
    p = sub.add_parser("export")
    p.add_argument("--git-dir", required=True)
    p.add_argument("--commit", required=True)
    p.add_argument("--dest", required=True)
    p.add_argument("--epoch", type=int, default=None)
    p.add_argument("paths", nargs="*", default=["data", "content"])
    p.set_defaults(run=export)
    p = sub.add_parser("cap")
    p.add_argument("--per-file", type=int, default=20)
    p.add_argument("--total", type=int, default=200)
    p.set_defaults(run=cap)
    p = sub.add_parser("clean")
    p.set_defaults(run=clean)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
