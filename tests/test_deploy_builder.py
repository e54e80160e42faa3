"""The deploy hooks with the long-lived builder (deploy/README.md, "The long-lived builder"):
install-hooks writes its systemd unit; with the builder running (started here as the unit
starts it: as the repository's owner, in the hooks' build folder), a push publishes the pages
first and the search index and whole-site downloads in a second atomic switch; the complete
release is byte for byte the one the hooks build without the builder."""

from __future__ import annotations

import json
import os
import pwd
import re
import socket
import subprocess
from pathlib import Path

from deploy_site import (  # noqa: F401 (fixtures)
    DEPLOY,
    Site,
    published,
    run,
    site,
)
from support import tree_digests

EDITED = "data/2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"


def test_install_hooks_writes_the_builders_unit(site: Site) -> None:
    units = list(site.bare.glob("disclosures-builder-*.service"))
    assert [u.name for u in units] == ["disclosures-builder-site.service"]
    text = units[0].read_text(encoding="utf-8")
    sock = site.bare / "disclosures-builder.sock"
    # The unit names the original repository (this is a copy): compare by name.
    owner = pwd.getpwuid(site.user.uid).pw_name
    assert f"User={owner}\n" in text
    assert re.search(
        r"^ExecStart=\S+/disclosures-trusted/[0-9a-f]{40}/venv/bin/disclosures builder "
        r"--socket \S+/site\.git/disclosures-builder\.sock$",
        text,
        re.M,
    ), text
    assert re.search(r"^WorkingDirectory=\S+/site\.git/disclosures-build$", text, re.M)
    assert "Restart=on-failure" in text and "[Install]" in text
    assert not sock.exists()  # nothing runs it here (no systemd): the hooks build as before


def start_builder(site: Site) -> subprocess.Popen:
    """As the unit starts it."""
    server = subprocess.Popen(
        [
            str(site.trusted() / "venv" / "bin" / "disclosures"),
            "builder",
            "--socket",
            str(site.bare / "disclosures-builder.sock"),
        ],
        cwd=site.bare / "disclosures-build",
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(site.bare),
            "DISCLOSURES_CACHE_PATH": str(site.bare / "disclosures-cache"),
        },
        stderr=subprocess.PIPE,
        text=True,
        **site.user.kwargs(),
    )
    assert server.stderr is not None
    assert "ready" in server.stderr.readline()  # it listens from here on
    return server


def edit(site: Site, new: str) -> str:
    text = (site.work / EDITED).read_text(encoding="utf-8")
    site.write(EDITED, re.sub(r'"=\d+%"', f'"={new}"', text, count=1))
    return site.commit(f"目标值改为 {new}")


def test_a_push_through_the_builder_publishes_pages_then_the_rest(site: Site) -> None:
    server = start_builder(site)
    sock = site.bare / "disclosures-builder.sock"
    try:
        # This copy's first build through the builder makes everything (the live release's
        # manifest belongs to the original folder): nothing trails.
        sha = edit(site, "99%")
        result = site.push()
        assert f"published {sha[:12]}" in result.stderr, result.stderr
        sha = edit(site, "98%")
        result = site.push()
        assert f"published {sha[:12]}" in result.stderr, result.stderr
        assert "/status.json" in result.stderr  # the pusher is told the rest follows
        name = re.search(r"published \w+ as (\S+) in", result.stderr).group(1)
        pages_first = site.bare / "releases" / name
        status = json.loads((pages_first / "status.json").read_text(encoding="utf-8"))
        assert status["parts"]["pages"] == {"release": sha[:12], "current": True}
        assert status["parts"]["search"]["current"] is False
        assert status["parts"]["search"]["release"] != sha[:12]
        page = next(pages_first.glob("2020/shang-hai-ke-xue-hui-tang/ke-xie-*/index.html"))
        assert "=98%" in page.read_text(encoding="utf-8")
        # The catch-up: `--wait` returns once the builder's queue is empty (no polling).
        run(
            site.trusted() / "venv" / "bin" / "disclosures",
            "builder",
            "--socket",
            sock,
            "--wait",
            as_user=site.user,
        )
        complete = site.release()
        assert complete != pages_first and complete.name.endswith(sha[:12])
        status = json.loads((complete / "status.json").read_text(encoding="utf-8"))
        assert all(
            part == {"release": sha[:12], "current": True} for part in status["parts"].values()
        )
        log = (site.bare / "disclosures-deploy.log").read_text(encoding="utf-8")
        assert f"caught up {name}" in log
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Without the builder the hooks build the same commit themselves: the same bytes.
    rebuilt = run(DEPLOY / "publish", site.bare, "--force")
    assert f"published {sha[:12]}" in rebuilt.stderr, rebuilt.stderr
    assert site.release() != complete
    assert tree_digests(site.release()) == tree_digests(complete)


def test_a_stale_socket_falls_back_to_building_in_the_hook(site: Site) -> None:
    server = start_builder(site)
    server.terminate()
    server.wait(timeout=30)
    sock = site.bare / "disclosures-builder.sock"
    if not sock.exists():  # a killed builder may leave its socket behind: make sure it does
        with socket.socket(socket.AF_UNIX) as stale:
            stale.bind(str(sock))
    sha = edit(site, "97%")
    result = site.push()
    assert f"published {sha[:12]}" in result.stderr, result.stderr
    page = next(Path(site.release()).glob("2020/shang-hai-ke-xue-hui-tang/ke-xie-*/index.html"))
    assert "=97%" in page.read_text(encoding="utf-8")
