"""deploy/editorcheck.py, the web editor's check before saving (issue 18): the door's own
`disclosures validate --format editor`, over HTTP, with its limits. The browser side, through
a Gitea stand-in, is tests/browser/test_admin_gitea.py."""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from deploy_site import (  # noqa: F401 - fixtures
    install,
    make_operator_checkout,
    published,
    site,
)

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "editorcheck.py"
FILE = "data/2021/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml"
SITE = "https://gongkai.example.org"
GOOD = (ROOT / FILE).read_bytes()
# Each allowed by the form; together refused by the validator (period with a start date).
PUBLISHED = b'published: "2022-03-01"\n'
BAD = GOOD.replace(PUBLISHED, PUBLISHED + b'start: "2021-01-01"\nperiod: "202101-202112"\n')


def trusted_copy(folder: Path, script: str | None = None) -> Path:
    """A folder laid out as install-hooks leaves a trusted copy: `.ready`, `venv/bin/disclosures`
    (this venv's, or a stand-in SCRIPT for the limits' tests)."""
    (folder / "venv" / "bin").mkdir(parents=True)
    (folder / ".ready").touch()
    command = folder / "venv" / "bin" / "disclosures"
    if script is None:
        command.symlink_to(Path(sys.prefix) / "bin" / "disclosures")
    else:
        command.write_text(script)
        command.chmod(0o755)
    return folder


class Endpoint:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(SCRIPT), "--listen", "127.0.0.1:0",
             "--allow-origin", SITE, *args],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        first = self.process.stdout.readline()
        assert "listening on" in first, first
        self.url = urlsplit(first.split(" on ")[1].strip())

    def ask(
        self,
        body: bytes = GOOD,
        path: str | None = FILE,
        kind: str = "text/yaml; charset=utf-8",
        origin: str | None = SITE,
        method: str = "POST",
        target: str = "/check",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict, dict]:
        connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)
        sent = {"Content-Type": kind, **(headers or {})}
        if path is not None:
            sent["X-Disclosures-Entry"] = quote(path)
        if origin is not None:
            sent["Origin"] = origin
        connection.request(method, target, body=body, headers=sent)
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        return response.status, json.loads(answer or b"{}"), dict(response.getheaders())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def endpoint(tmp_path) -> Iterator[Endpoint]:
    server = Endpoint("--trusted", str(trusted_copy(tmp_path / "trusted")))
    try:
        yield server
    finally:
        server.stop()


def test_a_file_with_errors_gets_the_doors_own_lines(endpoint, tmp_path):
    status, answer, headers = endpoint.ask(BAD)
    assert status == 200 and answer["valid"] is False
    # The same lines as the door's `disclosures validate --format editor` on that file.
    (tmp_path / FILE).parent.mkdir(parents=True)
    (tmp_path / FILE).write_bytes(BAD)
    door = subprocess.run(
        [Path(sys.prefix) / "bin" / "disclosures", "validate", "--format", "editor", FILE],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert door.returncode == 1
    assert answer["errors"] == door.stdout.splitlines()
    assert answer["errors"][0].startswith(
        f"{FILE}:11:9: 项目起止时间 / 实施期: “项目起止时间 / 实施期”与“计划开始日期”"
    )
    assert "怎么改：" in answer["errors"][0]
    assert headers["Access-Control-Allow-Origin"] == SITE
    assert headers["Cache-Control"] == "no-store"
    status, answer, _ = endpoint.ask(GOOD)
    assert (status, answer) == (200, {"valid": True, "errors": [], "warnings": 0})
    # A new project's path, in Chinese (Decap's), is a path like any other.
    status, answer, _ = endpoint.ask(GOOD, path="data/2024/某某区民政局/社区居家养老服务补助.yaml")
    assert status == 200 and answer["valid"] is True


@pytest.mark.parametrize(
    "path",
    ["../etc/passwd.yaml", "/data/x.yaml", "data/../x.yaml", "data/x.py", "content/x.yaml",
     "data/a\x1b[31m.yaml", "data/a\u202e.yaml", "data//x.yaml", "data\\x.yaml", None,
     "data/" + "长" * 400 + ".yaml"],
)  # fmt: skip
def test_only_a_data_file_path_is_taken(endpoint, path):
    status, answer, _ = endpoint.ask(GOOD, path=path)
    assert status == 400, answer


def test_what_is_not_a_check_from_the_editors_page_is_refused(endpoint):
    assert endpoint.ask(origin="https://other.example")[0] == 403
    assert endpoint.ask(kind="text/plain")[0] == 415  # a cross-site simple request
    assert endpoint.ask(kind="application/x-www-form-urlencoded")[0] == 415
    assert endpoint.ask(method="GET", body=b"")[0] == 405
    assert endpoint.ask(target="/other")[0] == 404
    status, _, headers = endpoint.ask(method="OPTIONS", body=b"")
    assert status == 204 and headers["Access-Control-Allow-Origin"] == SITE
    assert "X-Disclosures-Entry" in headers["Access-Control-Allow-Headers"]
    status, _, headers = endpoint.ask(method="OPTIONS", body=b"", origin="https://other.example")
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    # Without Origin (not a browser): answered; it changes nothing anywhere.
    assert endpoint.ask(origin=None)[0] == 200


def test_input_is_capped_before_it_is_read(endpoint):
    # A declared length over the cap is refused at once, with nothing of the body sent.
    with socket.create_connection((endpoint.url.hostname, endpoint.url.port), timeout=10) as s:
        s.sendall(
            b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: text/yaml\r\n"
            b"X-Disclosures-Entry: data/x.yaml\r\nContent-Length: 1000000000\r\n\r\n"
        )
        started = time.monotonic()
        head = s.recv(200)
        assert head.startswith(b"HTTP/1.0 413") or head.startswith(b"HTTP/1.1 413"), head
        assert time.monotonic() - started < 5
    # No length, or chunked: refused.
    with socket.create_connection((endpoint.url.hostname, endpoint.url.port), timeout=10) as s:
        s.sendall(
            b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: text/yaml\r\n"
            b"X-Disclosures-Entry: data/x.yaml\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        assert b" 411 " in s.recv(200)
    # Just over the default cap (512 KiB): refused by its declared length.
    with socket.create_connection((endpoint.url.hostname, endpoint.url.port), timeout=10) as s:
        s.sendall(
            b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: text/yaml\r\n"
            b"X-Disclosures-Entry: data/x.yaml\r\nContent-Length: 524289\r\n\r\n"
        )
        assert b" 413 " in s.recv(200)
    assert endpoint.ask(GOOD + b"#" * (500 * 1024))[0] == 200  # under it: checked


def test_a_slow_check_is_killed_and_a_busy_endpoint_says_so(tmp_path):
    marker = tmp_path / "started"
    slow = trusted_copy(
        tmp_path / "slow",
        f"#!/bin/sh\ntouch {marker}\nexec sleep 60\n",
    )
    server = Endpoint("--trusted", str(slow), "--timeout", "2", "--concurrency", "1")
    try:
        import threading

        answers: list = []
        first = threading.Thread(target=lambda: answers.append(server.ask()))
        first.start()
        for _ in range(100):
            if marker.exists():
                break
            time.sleep(0.05)
        status, answer, _ = server.ask()  # one check at a time: the second is turned away
        assert status == 503, answer
        first.join(timeout=30)
        assert answers[0][0] == 504
        # The check's whole process group was killed: no sleep left behind.
        left = subprocess.run(["pgrep", "-f", "^sleep 60$"], capture_output=True, text=True)
        ours = [pid for pid in left.stdout.split() if _parent_is(int(pid), server.process.pid)]
        assert not ours
    finally:
        server.stop()


def test_a_body_trickled_in_holds_no_check_place(tmp_path):
    """--read-seconds bounds the whole body, not each read: one byte a second used to keep
    the connection (and, with it, one of the --concurrency places) for as long as the client
    liked, so two such clients turned every editor away with 503 (red-team, fifth session)."""
    quick = trusted_copy(tmp_path / "quick", "#!/bin/sh\ncat >/dev/null\nexit 0\n")
    server = Endpoint("--trusted", str(quick), "--read-seconds", "2", "--concurrency", "1")
    try:
        with socket.create_connection((server.url.hostname, server.url.port), timeout=10) as s:
            s.sendall(
                b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: text/yaml\r\n"
                b"X-Disclosures-Entry: " + FILE.encode() + b"\r\nContent-Length: 100\r\n\r\n"
            )
            started = time.monotonic()
            s.sendall(b"a")
            time.sleep(1)
            assert server.ask()[0] == 200  # the slow client holds no place
            answer = b""
            try:
                for _ in range(8):
                    time.sleep(1)
                    s.sendall(b"a")
            except OSError:
                pass
            try:
                answer = s.recv(200)
            except OSError:
                pass
            assert time.monotonic() - started < 6
            assert answer == b"" or b" 408 " in answer, answer
    finally:
        server.stop()


def _parent_is(pid: int, parent: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return int(stat.rsplit(")", 1)[1].split()[1]) == parent


def test_the_check_writes_nothing_and_is_held_to_its_memory(tmp_path):
    """The check runs with a file-size limit of 0 bytes and an address-space limit: a check
    that tried to write a file gets nothing written; one that took too much memory fails."""
    spot = tmp_path / "written"
    spot.touch()
    spot.chmod(0o666)
    tmp_path.chmod(0o777)
    writer = trusted_copy(
        tmp_path / "writer",
        f"#!{sys.executable}\nf = open({str(spot)!r}, 'w')\nf.write('x' * 100)\nf.flush()\n",
    )
    server = Endpoint("--trusted", str(writer))
    try:
        status, answer, _ = server.ask()
        assert status == 500, answer  # the write failed (EFBIG), so the check did not finish
        assert spot.read_bytes() == b""
    finally:
        server.stop()
    eater = trusted_copy(
        tmp_path / "eater", f"#!{sys.executable}\nx = bytearray(600 * 1024 * 1024)\n"
    )
    server = Endpoint("--trusted", str(eater), "--memory-mb", "300")
    try:
        status, answer, _ = server.ask()
        assert status == 500, answer
    finally:
        server.stop()


def test_the_trusted_copy_is_the_repositorys(tmp_path):
    """With --git-dir it runs the copy `disclosures.trusted` names, read for each request (an
    upgrade applies at once); none installed: 503, nothing run."""
    bare = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", bare], check=True)
    server = Endpoint("--git-dir", str(bare))
    try:
        assert server.ask()[0] == 503
        copy = trusted_copy(tmp_path / "trusted")
        subprocess.run(
            ["git", "--git-dir", bare, "config", "disclosures.trusted", copy], check=True
        )
        status, answer, _ = server.ask(BAD)
        assert status == 200 and answer["valid"] is False
        (copy / ".ready").unlink()  # an incomplete copy is not run
        assert server.ask()[0] == 503
    finally:
        server.stop()


def test_the_editor_is_told_where_the_check_is():
    from disclosures import admin_output

    settings = {
        "DISCLOSURES_ADMIN_BACKEND": {"name": "gitea", "repo": "a/b", "base_url": "https://git.x",
                                      "api_root": "https://git.x/api/v1", "app_id": "id"},
        "DISCLOSURES_ADMIN_CHECK_URL": "https://check.example.org/editor-check",
    }  # fmt: skip
    assert 'window.DISCLOSURE_CHECK_URL = "https://check.example.org/editor-check";' in (
        admin_output.fields_script(settings)
    )
    assert "https://check.example.org" in admin_output.connect_sources(settings)
    settings["DISCLOSURES_ADMIN_CHECK_URL"] = "/editor-check"  # behind the site's own server
    assert admin_output.connect_sources(settings) == [
        "'self'", "blob:", "https://git.x"
    ]  # fmt: skip
    del settings["DISCLOSURES_ADMIN_CHECK_URL"]
    assert "DISCLOSURE_CHECK_URL" not in admin_output.fields_script(settings)
    assert os.path.isfile(SCRIPT)


def _published_page(site: Path, key: tuple, data_file: str, unit: str, region: str) -> None:
    """A project's project.json as the site publishes it (the fields the check reads)."""
    folder = site.joinpath(*map(str, key))
    folder.mkdir(parents=True)
    page = {"project_key": "/".join(map(str, key)), "unit": unit, "data_file": data_file,
            "header": [{"key": "region", "label": "行政区划", "value": region}]}  # fmt: skip
    (folder / "project.json").write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")


def test_a_clash_with_a_published_project_is_found_before_saving(tmp_path):
    """The door's whole-site checks, against the live release: a new file at an address a
    published project has (another data file) is refused with the door's line; the file's own
    published version is no clash; a unit of another name under the same unit address is."""
    from disclosures.pipeline import load_project_bytes

    project, _ = load_project_bytes(GOOD, FILE)
    site = tmp_path / "live"
    _published_page(site, project.key, FILE.removeprefix("data/"), project.unit, project.region)
    server = Endpoint("--trusted", str(trusted_copy(tmp_path / "trusted")), "--site", str(site))
    try:
        assert server.ask(GOOD)[1] == {"valid": True, "errors": [], "warnings": 0}
        new = "data/2021/某区卫健局/特困家庭再扶助.yaml"  # the same project added again
        status, answer, _ = server.ask(GOOD, path=new)
        assert status == 200 and answer["valid"] is False
        [line] = answer["errors"]
        url = "/" + "/".join(map(str, project.key)) + "/"
        assert line.startswith(f"{new}:4:7: 项目网址标识: 网址 {url} 已被 {FILE} 使用")
        # Another unit whose name gives the same unit address (a different name, same slug).
        other = (project.year, project.unit_slug, "ling-yi-ge-xiang-mu")
        _published_page(site, other, "2021/x/other.yaml", project.unit + "（旧称）", project.region)
        status, answer, _ = server.ask(GOOD)
        assert any("网址标识相同" in line for line in answer["errors"]), answer
    finally:
        server.stop()


def test_a_published_project_whose_name_reads_the_same_is_found_before_saving(tmp_path):
    """A published project of the same unit and year whose name differs only by a space (the
    door's look-alike rule, red-team 9) is reported as the door would, with the editor's
    line: the check read a published project's year and name, which it did not keep, and
    answered 500 (final CI of the ninth session)."""
    from disclosures.pipeline import load_project_bytes

    project, _ = load_project_bytes(GOOD, FILE)
    site = tmp_path / "live"
    twin = (project.year, project.unit_slug, "ling-yi-ge-xiang-mu")
    _published_page(site, twin, "2021/x/twin.yaml", project.unit, project.region)
    page = site.joinpath(*map(str, twin)) / "project.json"
    record = json.loads(page.read_text(encoding="utf-8"))
    record["name"] = project.name[:2] + " " + project.name[2:]
    page.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    server = Endpoint("--trusted", str(trusted_copy(tmp_path / "trusted")), "--site", str(site))
    try:
        status, answer, _ = server.ask(GOOD)
        assert status == 200 and answer["valid"] is False, (status, answer)
        assert any(
            line.startswith(f"{FILE}:") and "读者看来是同一个项目" in line
            for line in answer["errors"]
        ), answer
    finally:
        server.stop()


def _closed_within(s: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed (or answered on) S, reading only; None if still open."""
    started = time.monotonic()
    s.settimeout(seconds)
    try:
        s.recv(200)
    except TimeoutError:
        return None
    except OSError:
        pass
    return time.monotonic() - started


def test_headers_trickled_in_are_cut_off_at_the_request_time(tmp_path):
    """--read-seconds bounds the request line and headers too, not each read: a client that
    sent a header byte every half second kept its connection (and a thread) for as long as
    it liked, so a few hundred such clients exhausted the server's threads and descriptors
    without nginx in front (red-team, sixth session)."""
    quick = trusted_copy(tmp_path / "quick", "#!/bin/sh\ncat >/dev/null\nexit 0\n")
    server = Endpoint("--trusted", str(quick), "--read-seconds", "2")
    try:
        with socket.create_connection((server.url.hostname, server.url.port), timeout=10) as s:
            started = time.monotonic()
            s.sendall(b"POST /check HTTP/1.1\r\n")
            cut = None
            for _ in range(16):
                time.sleep(0.5)
                try:
                    s.sendall(b"X")
                except OSError:
                    cut = time.monotonic() - started
                    break
                if _closed_within(s, 0.01) is not None:
                    cut = time.monotonic() - started
                    break
            took = time.monotonic() - started
            assert cut is not None and cut < 4, f"still open after {took:.1f} s"
        assert server.ask()[0] == 200
    finally:
        server.stop()


def test_connections_over_the_caps_are_refused_at_once(tmp_path):
    """--max-connections and --per-client: a client opening connection after connection
    (each idle until --read-seconds) holds at most its share; those over the caps are
    answered 503 and closed at once; the count goes down as connections end."""
    quick = trusted_copy(tmp_path / "quick", "#!/bin/sh\ncat >/dev/null\nexit 0\n")
    server = Endpoint(
        "--trusted", str(quick), "--read-seconds", "30", "--max-connections", "3",
        "--per-client", "2",
    )  # fmt: skip
    address = (server.url.hostname, server.url.port)

    def connect(source: str) -> socket.socket:
        return socket.create_connection(address, timeout=10, source_address=(source, 0))

    held = []
    try:
        held += [connect("127.0.0.1"), connect("127.0.0.1")]
        time.sleep(0.3)
        third = connect("127.0.0.1")  # over the per-address cap
        assert _closed_within(third, 3) is not None
        third.close()
        held.append(connect("127.0.0.2"))  # another address: in
        time.sleep(0.3)
        fourth = connect("127.0.0.3")  # over the cap in all
        fourth.settimeout(3)
        assert b" 503 " in fourth.recv(200)
        fourth.close()
        for s in held[1:]:
            assert _closed_within(s, 0.2) is None  # the ones within the caps stay open
        for s in held:
            s.close()
        held = []
        time.sleep(0.5)
        assert server.ask()[0] == 200
    finally:
        for s in held:
            s.close()
        server.stop()


def test_install_hooks_writes_the_checks_unit_and_it_runs(site):  # noqa: F811
    """`install-hooks --editor-check PORT` writes the check's systemd unit (installed and
    started where systemd runs; here, without systemd, written and printed). Its command, run
    as the unit runs it (systemd's `$$` is a `$`), serves the door's check for the site."""
    operator = make_operator_checkout(site.bare.parent / "operator-upgrade")  # the operator's

    def install_again(*options: str):
        return install(operator, site.bare, site.live, "--no-publish", *options)

    result = install_again("--editor-check", "8791")
    assert result.returncode == 0, result.stdout + result.stderr
    unit = site.bare / "disclosures-editorcheck-site.service"
    text = unit.read_text(encoding="utf-8")
    assert f"cp {unit} /etc/systemd/system/" in result.stdout  # what to do next, exactly
    assert "127.0.0.1:8791/check" in result.stdout
    for line in ("DynamicUser=yes", "ProtectSystem=strict", "IPAddressDeny=any",
                 "NoNewPrivileges=yes", "WantedBy=multi-user.target"):  # fmt: skip
        assert f"\n{line}\n" in text, line
    [command] = re.findall(r"^ExecStart=(.*)$", text, re.M)
    assert "--allow-origin https://gongkai.example.org --listen 127.0.0.1:8791" in command
    assert f"--git-dir {site.bare} " in command and "$t" not in command.replace("$$t", "")
    shell = shlex.split(command.replace("$$", "$").replace("127.0.0.1:8791", "127.0.0.1:0"))
    assert shell[:2] == ["/bin/sh", "-c"]
    process = subprocess.Popen(shell, stdout=subprocess.PIPE, text=True, **site.user.kwargs())
    try:
        first = process.stdout.readline()
        assert "listening on" in first, first
        endpoint = Endpoint.__new__(Endpoint)
        endpoint.process, endpoint.url = process, urlsplit(first.split(" on ")[1].strip())
        status, answer, _ = endpoint.ask(BAD, origin="https://gongkai.example.org")
        assert status == 200 and answer["valid"] is False, answer
        assert any("项目起止时间" in line for line in answer["errors"]), answer
    finally:
        process.terminate()
        process.wait(timeout=10)
    # Re-run without the option: the unit stays (the setting is kept); --no-editor-check drops it.
    again = install_again()
    assert again.returncode == 0 and unit.is_file(), again.stderr
    gone = install_again("--no-editor-check")
    assert gone.returncode == 0 and not unit.exists(), gone.stderr
    refused = install_again("--editor-check", "x")
    assert refused.returncode != 0 and "needs a port number" in refused.stderr
