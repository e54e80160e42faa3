"""The long-lived builder (commands/builder.py): what it publishes is byte for byte what a cold
build of the same inputs publishes, after an edit, a setting, git history alone; publishing
pages first leaves no page linking to a missing file and says in /status.json which parts
trail; the catch-up switches the live symlink in one step, or not at all.

Builds run in this process (the builder is a Python object), as in `disclosures builder`."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from disclosures.cli import make_parser
from disclosures.commands.builder import Builder
from disclosures.status import DOWNLOADS, PAGES, SEARCH
from support import BIN, REPO, build_args, build_site, run_cli, settings_file, tree_digests
from test_incremental import SEED, _git

EDITED_PAGE = "2020/shang-hai-ke-xue-hui-tang/ke-xie-da-yuan-ri-chang-yun-xing-yu-wei-hu/index.html"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISCLOSURES_CACHE_PATH", str(tmp_path / "cache"))
    monkeypatch.delenv("DISCLOSURES_COMMIT", raising=False)
    monkeypatch.chdir(REPO)
    return tmp_path


def args_for(output: Path, data: Path, settings: str = "pelicanconf.py", previous=None):
    """The Namespace `disclosures build` parses from these arguments."""
    argv = build_args(output, data, settings, REPO / "content")
    if previous is not None:
        argv += ["--previous", str(previous)]
    return make_parser().parse_args(argv)


def edit(data: Path, old: str = '"=100%"', new: str = '"=99%"', path: str | Path = SEED) -> None:
    project = data / path
    text = project.read_text(encoding="utf-8")
    assert old in text
    project.write_text(text.replace(old, new, 1), encoding="utf-8")


def cold(env: Path, data: Path, settings: str = "pelicanconf.py", **variables: str) -> dict:
    folder = env / "cold"
    shutil.rmtree(folder, ignore_errors=True)
    result = run_cli(
        *build_args(folder, data, settings, REPO / "content"),
        env={"DISCLOSURES_CACHE_PATH": str(env / "cold-cache"), **variables},
    )
    assert result.returncode == 0, result.stderr
    return tree_digests(folder)


def test_an_edit_reads_one_file_and_equals_a_cold_build(env: Path, seed_copy: Path) -> None:
    builder, live = Builder(REPO), env / "live"
    first = builder.build(args_for(live, seed_copy))
    assert first.status == 0 and first.report.cache.kept == 0
    edit(seed_copy)
    second = builder.build(args_for(live, seed_copy))
    assert second.status == 0
    files = len(list(seed_copy.rglob("[!_]*.yaml")))
    # The other files were not even read again: their stat signatures were unchanged.
    assert (second.report.cache.parsed, second.report.cache.kept) == (1, files - 1)
    assert "=99%" in (live / EDITED_PAGE).read_text(encoding="utf-8")
    assert tree_digests(live) == cold(env, seed_copy)


def test_the_builder_keeps_no_earlier_build(env: Path, seed_copy: Path) -> None:
    """A long-lived builder keeps the loaded files between builds, not a build's index:
    Pelican's memo of each page's content held every build's context (and its site index)
    for good."""
    import gc

    from disclosures.index import SiteIndex

    builder = Builder(REPO)
    for number in range(3):
        previous = env / f"r{number - 1}" if number else None
        outcome = builder.build(args_for(env / f"r{number}", seed_copy, previous=previous))
        assert outcome.status == 0
        edit(
            seed_copy,
            '"=100%"' if number % 2 == 0 else '"=99%"',
            '"=99%"' if number % 2 == 0 else '"=100%"',
        )
    gc.collect()
    # Only the index it updates per changed project (reindex.py), none of an earlier build.
    # (and the patterns page's one-project example, a page of the kept plan).
    alive = [o for o in gc.get_objects() if isinstance(o, SiteIndex)]
    example = ["patterns-example.yaml"]
    others = [o for o in alive if [p.source for p in o.projects] != example]
    assert others == [builder.memory.index.site] and len(alive) <= 2


def test_the_kept_index_gives_a_cold_build_after_each_kind_of_edit(
    env: Path, seed_copy: Path
) -> None:
    """The builder updates its index per changed project (reindex.py); each release equals a
    cold build: a target and a unit's name, a year and an added project, a deleted project
    and one moved to another unit."""
    builder, live = Builder(REPO), env / "live"
    assert builder.build(args_for(live, seed_copy)).status == 0
    kept = builder.memory.index
    fog = seed_copy / "2023/xiangtan-huanwei-guanlichu/wupaoche-jiangchen-yichen-fuwu.yaml"
    steps = [
        [
            lambda: edit(seed_copy),
            lambda: edit(
                seed_copy,
                "unit: 濉溪县民政局",
                "unit: 濉溪县民政局社会救助中心",
                "2019/sui-xi-xian-min-zheng-ju/lin-shi-jiu-zhu.yaml",
            ),
        ],
        [
            lambda: shutil.copy(fog, fog.with_name("added.yaml")),
            lambda: edit(
                seed_copy,
                "name: 雾炮车",
                "name: 洒水车",
                fog.with_name("added.yaml").relative_to(seed_copy),
            ),
            lambda: edit(seed_copy, 'year: "2023"', 'year: "2024"', fog.relative_to(seed_copy)),
        ],
        [
            lambda: (seed_copy / "2021/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml").unlink(),
            lambda: edit(seed_copy, "unit: 上海科学会堂", "unit: 武汉市青山区教育局"),
        ],
    ]
    for number, step in enumerate(steps):
        for change in step:
            change()
        outcome = builder.build(args_for(live, seed_copy))
        assert outcome.status == 0, number
        assert builder.memory.index is kept, number  # updated, not indexed again
        assert tree_digests(live) == cold(env, seed_copy), number
    assert any("洒水车" in page.read_text("utf-8") for page in live.rglob("*.html"))


def test_a_setting_change_equals_a_cold_build(env: Path, seed_copy: Path) -> None:
    builder, live = Builder(REPO), env / "live"
    assert builder.build(args_for(live, seed_copy, settings_file(env, SITENAME="甲"))).status == 0
    (env / "b").mkdir()
    second = settings_file(env / "b", SITENAME="乙")
    assert builder.build(args_for(live, seed_copy, second)).status == 0
    assert "乙" in (live / "index.html").read_text(encoding="utf-8")
    assert tree_digests(live) == cold(env, seed_copy, second)


def test_git_history_alone_equals_a_cold_build(env: Path, seed_copy: Path) -> None:
    _git(seed_copy, "init", "-q")
    _git(seed_copy, "add", ".")
    _git(seed_copy, "commit", "-q", "-m", "录入")
    builder, live = Builder(REPO), env / "live"
    assert builder.build(args_for(live, seed_copy)).status == 0
    _git(seed_copy, "commit", "-q", "--amend", "-m", "录入六张表")
    again = builder.build(args_for(live, seed_copy))
    assert again.status == 0 and again.report.cache.parsed == 0
    assert "录入六张表" in (live / EDITED_PAGE).read_text(encoding="utf-8")
    assert tree_digests(live) == cold(env, seed_copy)


def _inodes(folder: Path) -> dict[str, tuple[int, str]]:
    return {
        p.relative_to(folder).as_posix(): (
            p.stat().st_ino,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("one_go", [True, False], ids=["cp-al", "file-by-file"])
def test_a_release_beside_the_live_one_shares_its_unchanged_files_and_never_writes_into_it(
    env: Path, seed_copy: Path, monkeypatch: pytest.MonkeyPatch, one_go: bool
) -> None:
    """A new release built beside the live one starts as hard links to every live file made
    in one `cp -al` (publish.Seed), or file by file when `cp` cannot run: either way the
    live release keeps its bytes and inodes, the new one equals a cold build, unchanged
    outputs share the live inodes and every file written (a changed page, Pelican's own
    pages and theme files, the sitemap) is a new file."""
    builder = Builder(REPO)
    first, second = env / "first", env / "second"
    assert builder.build(args_for(first, seed_copy)).status == 0
    before = _inodes(first)
    edit(seed_copy)
    removed = sorted(seed_copy.glob("2021/*/*.yaml"))[0]  # its page folder must go too
    removed.unlink()
    if not one_go:  # a PATH with git alone: no cp, no find
        tools = env / "tools"
        tools.mkdir()
        (tools / "git").symlink_to(shutil.which("git"))
        monkeypatch.setenv("PATH", str(tools))
    assert builder.build(args_for(second, seed_copy, previous=first)).status == 0
    assert _inodes(first) == before
    after = _inodes(second)
    assert {name: digest for name, (_, digest) in after.items()} == cold(env, seed_copy)
    shared = {name for name in after if name in before and after[name][0] == before[name][0]}
    assert EDITED_PAGE not in shared and "sitemap.xml" not in shared
    assert not any(name.startswith(("theme/", "pages/")) for name in shared)
    assert len(shared) > len(after) // 2, (len(shared), len(after))
    assert not [f for f in second.rglob("*") if f.is_dir() and not any(f.iterdir())]


def test_the_sitemap_is_an_output_of_the_plan(env: Path, seed_copy: Path) -> None:
    """sitemap.xml is one output of the plan (sitemap.py), not pelican-sitemap's list of
    every announced file: a release where no page is added, removed or renamed shares the
    live one's sitemap (the same inode, not made again) and unchanged files are not
    announced one by one; after a project is added, renamed or deleted the sitemap lists
    exactly the pages, byte for byte a cold build's."""
    from pelican import signals

    announced: list[str] = []

    def listen(sender, **_) -> None:
        announced.append(sender)

    signals.content_written.connect(listen)
    try:
        builder = Builder(REPO)
        releases = [env / f"r{n}" for n in range(5)]
        assert builder.build(args_for(releases[0], seed_copy)).status == 0
        edit(seed_copy)  # an edit that adds, removes or renames no page
        announced.clear()
        assert builder.build(args_for(releases[1], seed_copy, previous=releases[0])).status == 0
        files = _inodes(releases[1])
        assert files["sitemap.xml"] == _inodes(releases[0])["sitemap.xml"]
        assert len(announced) < len(files) // 4, (len(announced), len(files))
        assert {name: digest for name, (_, digest) in files.items()} == cold(env, seed_copy)
        unit = seed_copy / SEED
        added = seed_copy / "2021/shanghai-kexue-huitang/next.yaml"
        added.parent.mkdir(parents=True)
        text = unit.read_text(encoding="utf-8").replace('year: "2020"', 'year: "2021"')
        added.write_text(text, encoding="utf-8")
        renamed = unit.read_text(encoding="utf-8").replace(
            "name: 科协大院日常运行与维护", "name: 科协大院运行维护"
        )
        changes = [
            lambda: None,  # added (above)
            lambda: unit.write_text(renamed, encoding="utf-8"),  # a new address
            lambda: added.unlink(),  # deleted
        ]
        for number, change in enumerate(changes, start=2):
            change()
            previous, release = releases[number - 1], releases[number]
            assert builder.build(args_for(release, seed_copy, previous=previous)).status == 0
            sitemap = (release / "sitemap.xml").read_bytes()
            assert sitemap != (previous / "sitemap.xml").read_bytes(), number
            assert tree_digests(release) == cold(env, seed_copy), number
        assert "2021/shang-hai-ke-xue-hui-tang/" in (releases[2] / "sitemap.xml").read_text()
        assert "/ke-xie-da-yuan-yun-xing-wei-hu/" in (releases[3] / "sitemap.xml").read_text()
    finally:
        signals.content_written.disconnect(listen)


# --- pages first, then the search index and the downloads: two atomic steps ---------------


def internal_links(site: Path) -> list[tuple[str, str]]:
    """(page, target file) for every relative link and asset of every HTML page."""
    found = []
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0] == "admin":
            continue
        text = page.read_text(encoding="utf-8")
        for value in re.findall(r'(?:href|src)="([^"#?]+)', text):
            if urlsplit(value).scheme or value.startswith(("//", "mailto:")):
                continue
            target = (site / value.lstrip("/")) if value.startswith("/") else page.parent / value
            target = Path(os.path.normpath(unquote(str(target))))
            if target.is_dir():
                target = target / "index.html"
            found.append((page.relative_to(site).as_posix(), str(target)))
    return found


def switch(live: Path, release: Path) -> None:
    temporary = live.with_name(".live.new")
    temporary.symlink_to(release)
    os.replace(temporary, live)


@pytest.fixture
def deployed(env: Path, seed_copy: Path, monkeypatch: pytest.MonkeyPatch):
    """Releases as the deploy hooks keep them: a live symlink to the first release."""
    releases = env / "releases"
    releases.mkdir()
    live, lock = env / "live", env / "disclosures.lock"
    lock.touch()
    monkeypatch.setenv("DISCLOSURES_COMMIT", "a" * 40)
    builder = Builder(REPO)
    first = releases / "20261201T000000.000000000Z-aaaaaaaaaaaa"
    assert builder.build(args_for(first, seed_copy), trail=True).status == 0
    switch(live, first)
    # The next push: the data edited, built pages first on top of the live release.
    monkeypatch.setenv("DISCLOSURES_COMMIT", "b" * 40)
    edit(seed_copy)
    events: list[tuple[str, dict]] = []
    builder.on_event = lambda name, details: events.append((name, details))
    second = releases / "20261201T000100.000000000Z-bbbbbbbbbbbb"
    outcome = builder.build(args_for(second, seed_copy, previous=live), trail=True)
    assert outcome.status == 0
    switch(live, second)
    return builder, first, second, live, lock, events, outcome


def test_pages_first_link_nothing_missing_and_say_what_trails(deployed, env, seed_copy) -> None:
    builder, first, second, live, lock, events, outcome = deployed
    assert set(outcome.report.trailing) == {SEARCH, DOWNLOADS}
    assert [name for name, _ in events] == ["pages"]
    status = json.loads((second / "status.json").read_text(encoding="utf-8"))
    assert status["release"] == "b" * 12
    assert status["parts"][PAGES] == {"release": "b" * 12, "current": True}
    for part in (SEARCH, DOWNLOADS):
        assert status["parts"][part] == {"release": "a" * 12, "current": False}
    # Every page is the new data's, byte for byte; the trailing parts are the first
    # release's files, unchanged (the same inodes), so nothing any page links to is missing.
    complete = cold(env, seed_copy, DISCLOSURES_COMMIT="b" * 40)
    mine = tree_digests(second)
    pages = [p for p in complete if p.endswith(".html") and not p.startswith("pagefind/")]
    assert "=99%" in (second / EDITED_PAGE).read_text(encoding="utf-8")
    assert {p: mine.get(p) for p in pages} == {p: complete[p] for p in pages}
    for name in ("downloads/projects.csv", "downloads/SHA256SUMS"):
        assert (second / name).stat().st_ino == (first / name).stat().st_ino
    bundles = [p for p in (first / "pagefind").rglob("*") if p.is_file()]
    assert bundles and all(
        (second / p.relative_to(first)).stat().st_ino == p.stat().st_ino for p in bundles
    )
    missing = [
        (page, target) for page, target in internal_links(second) if not Path(target).exists()
    ]
    assert not missing, missing[:5]


def test_the_catch_up_switches_in_one_step_to_a_complete_release(deployed, env, seed_copy) -> None:
    builder, first, second, live, lock, events, _ = deployed
    seen: dict[str, object] = {}

    def at_switch(name: str, details: dict) -> None:
        events.append((name, details))
        if name == "switching":  # the instant before rename(2): the old release is whole
            seen["live"] = live.resolve()
            seen["new"] = json.loads((Path(details["release"]) / "status.json").read_bytes())

    builder.on_event = at_switch
    assert builder.catch_up(second, live, lock)
    assert [name for name, _ in events] == ["pages", "switching", "caught-up"]
    assert seen["live"] == second.resolve()
    assert all(part["current"] for part in seen["new"]["parts"].values())
    third = live.resolve()
    assert third.parent == second.parent and third.name.endswith("-bbbbbbbbbbbb")
    assert tree_digests(third) == cold(env, seed_copy, DISCLOSURES_COMMIT="b" * 40)
    assert not builder.catch_up(third, live, lock)  # nothing trails any more


def test_the_catch_up_never_switches_over_another_publish(deployed, env) -> None:
    builder, first, second, live, lock, events, _ = deployed
    with open(lock, "a") as held:  # a push being published holds the lock
        fcntl.flock(held, fcntl.LOCK_EX)
        assert not builder.catch_up(second, live, lock)
    assert live.resolve() == second.resolve()
    assert events[-1][0] == "dropped" and "another publish" in events[-1][1]["reason"]
    assert not list(second.parent.glob(".staging-*"))
    events.clear()
    assert not builder.catch_up(second, live, lock)  # asked once: nothing pending now
    assert events == []


def test_a_rollback_meanwhile_drops_the_catch_up(deployed, env) -> None:
    builder, first, second, live, lock, events, _ = deployed
    switch(live, first)
    assert not builder.catch_up(second, live, lock)
    assert live.resolve() == first.resolve()
    assert "published meanwhile" in events[-1][1]["reason"]


def test_nothing_trails_when_a_page_would_link_to_a_missing_file(deployed, env, seed_copy):
    """A new year: its workbook and search bundle are not in the live release, and its year
    page links to the workbook. Then nothing trails: the release is complete at once."""
    builder, first, second, live, lock, events, _ = deployed
    text = (seed_copy / SEED).read_text(encoding="utf-8").replace('year: "2020"', 'year: "2031"')
    added = seed_copy / "2031/shanghai-kexue-huitang/next.yaml"
    added.parent.mkdir(parents=True)
    added.write_text(text, encoding="utf-8")
    third = second.parent / "20261201T000200.000000000Z-bbbbbbbbbbbb"
    outcome = builder.build(args_for(third, seed_copy, previous=live), trail=True)
    assert outcome.status == 0 and outcome.report.trailing == {}
    assert builder.pending is None
    assert (third / "downloads").is_dir()
    missing = [(p, t) for p, t in internal_links(third) if not Path(t).exists()]
    assert not missing, missing[:5]
    assert tree_digests(third) == cold(env, seed_copy, DISCLOSURES_COMMIT="b" * 40)


# --- the process: `disclosures builder` on a socket, `disclosures build --builder` --------


def test_build_through_the_builder_process_and_without_it(env: Path, seed_copy: Path) -> None:
    sock = env / "builder.sock"
    live = env / "live"
    # No builder running: the command builds in its own process, as it always did.
    alone = run_cli(*build_args(live, seed_copy), "--builder", str(sock))
    assert alone.returncode == 0 and "building here" in alone.stderr
    shutil.rmtree(live)
    server = subprocess.Popen(
        [str(BIN / "disclosures"), "builder", "--socket", str(sock)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DISCLOSURES_CACHE_PATH": str(env / "cache")},
    )
    try:
        assert "ready" in server.stderr.readline()  # an event: it listens from now on
        assert oct(sock.stat().st_mode & 0o777) == "0o600"
        first = run_cli(*build_args(live, seed_copy), "--builder", str(sock))
        assert first.returncode == 0 and "building here" not in first.stderr, first.stderr
        edit(seed_copy)
        second = run_cli(*build_args(live, seed_copy), "--builder", str(sock))
        assert second.returncode == 0, second.stderr
        assert "kept in memory" in second.stderr
        assert tree_digests(live) == cold(env, seed_copy)
        # Data errors are the build's, reported to the caller; the live site is untouched.
        before = tree_digests(live)
        edit(seed_copy, '"=99%"', "[")
        broken = run_cli(*build_args(live, seed_copy), "--builder", str(sock))
        assert broken.returncode == 1 and "left untouched" in broken.stderr
        assert tree_digests(live) == before
        # The next good build is whole again (the sitemap plugin's state included).
        edit(seed_copy, "[", '"=98%"')
        fixed = run_cli(*build_args(live, seed_copy), "--builder", str(sock))
        assert fixed.returncode == 0, fixed.stderr
        assert tree_digests(live) == cold(env, seed_copy)
        assert run_cli("builder", "--socket", str(sock), "--wait").returncode == 0
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_status_json_of_a_complete_build(env: Path, seed_copy: Path) -> None:
    live = env / "live"
    build_site(live, data=seed_copy)
    status = json.loads((live / "status.json").read_text(encoding="utf-8"))
    assert status["release"].startswith("data-")
    assert status["parts"] == {
        part: {"release": status["release"], "current": True} for part in (PAGES, SEARCH, DOWNLOADS)
    }
    # The data names the release: a comment changes it, another folder does not.
    elsewhere = env / "elsewhere"
    shutil.copytree(seed_copy, elsewhere)
    build_site(env / "other", data=elsewhere)
    assert (env / "other" / "status.json").read_bytes() == (live / "status.json").read_bytes()
    project = elsewhere / SEED
    project.write_text(project.read_text(encoding="utf-8") + "# 注释\n", encoding="utf-8")
    build_site(env / "other", data=elsewhere)
    changed = json.loads((env / "other" / "status.json").read_text(encoding="utf-8"))
    assert changed["release"] != status["release"]
