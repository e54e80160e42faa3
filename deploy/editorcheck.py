"""The web editor's check before it saves: the door's validator, answered over HTTP to the
editor's browser, for git hosts that hide the door's reasons (Gitea and Forgejo show a refused
push's hook lines to site administrators only; an editor reads “API_ERROR”).

    editorcheck.py --git-dir BARE --allow-origin https://SITE [--listen 127.0.0.1:8790] [limits]

Run it with the trusted copy's Python (`python -I`), as its own unprivileged user, on the
loopback address behind the site's web server (deploy/README.md “The editor's check”).

`POST /check`, body: the one file the editor is about to save (what it would commit), as
`text/yaml`; header `X-Disclosures-Entry`: its path in the repository (URL-encoded). Answer
(JSON): `{"valid": bool, "errors": [...], "warnings": N}`, the errors being the lines
`disclosures validate --format editor` prints at the door, in the form's words.

What it is not allowed to do, and how that is held:
- run code from a push: it reads nothing of the repository but `disclosures.trusted` and
  `disclosures.liveDir` in its config (the trusted copy install-hooks installed, re-read per
  request so an upgrade applies) and runs that copy's `disclosures validate --format editor
  --stdin PATH --site LIVE`, with a clean environment; the file is data, read from standard
  input; the live release (pages built by the trusted copy) is only read, for the whole-site
  checks (another project at the same address, another unit under the same address);
- take unbounded input: a declared `Content-Length` is required and at most --max-bytes
  (refused before reading); the whole request, request line, headers and body, must arrive
  within --read-seconds (every read on the connection gets only what is left of that time,
  so a client trickling its headers a byte at a time is cut off as one sending nothing is);
  at most --max-connections connections are open at once, at most --per-client from one
  address (more are answered 503 and closed at once, before anything is read); at most
  --concurrency checks run at once (others get 503 at once), each under --timeout seconds
  (then killed) and --memory-mb of address space. It holds on its own: nginx in front
  (deploy/README.md) buffers requests too, but nothing here relies on it;
- write anything: the check gets the file on standard input, runs with the cache off, no
  bytecode writing and a file-size limit of 0 bytes (RLIMIT_FSIZE), in `/`;
- be used by other sites' pages: a request with an `Origin` other than --allow-origin is
  refused; the body must be `text/yaml` (so a cross-site request needs a preflight, answered
  for the allowed origins only). The answer is a pure function of the request: it changes
  nothing anywhere, so a client without `Origin` (curl) learns only what `validate` says.
Standard library only.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

PATH_LIMIT = 400  # characters of the entry's path
LINES_SHOWN = 50  # error lines returned at most
LINE_CHARS = 2000  # characters of one line at most
WARNING = "警告 warning:"
ENV = {  # the check's whole environment
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "HOME": "/nonexistent",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONIOENCODING": "utf-8",
    "DISCLOSURES_CACHE_PATH": "",  # "": no cache, so nothing is written
}


def entry_path(header: str | None) -> str | None:
    """The entry's path as the door names it (`data/…/x.yaml`), or None when it is not one."""
    if not header:
        return None
    try:
        path = unquote(header, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = path.split("/")
    if (
        len(path) > PATH_LIMIT
        or parts[0] != "data"
        or not re.search(r"\.ya?ml$", path)
        or any(part in ("", ".", "..") for part in parts)
        or "\\" in path
        or any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for c in path)
    ):
        return None
    return path


def trusted_copy(args: argparse.Namespace) -> Path | None:
    if args.trusted:
        folder = Path(args.trusted)
    else:
        found = subprocess.run(
            ["git", "config", "--file", str(Path(args.git_dir) / "config"), "--get",
             "disclosures.trusted"],
            capture_output=True, text=True, env=ENV, check=False,
        )  # fmt: skip
        if found.returncode or not found.stdout.strip():
            return None
        folder = Path(found.stdout.strip())
    ready = (folder / ".ready").is_file() and os.access(folder / "venv/bin/disclosures", os.X_OK)
    return folder if ready else None


def published_site(args: argparse.Namespace) -> Path | None:
    """The live release the whole-site checks compare with: --site, else the repository's
    `disclosures.liveDir` (resolved now: a release folder does not change under a check)."""
    live = args.site
    if live is None and args.git_dir:
        found = subprocess.run(
            ["git", "config", "--file", str(Path(args.git_dir) / "config"), "--get",
             "disclosures.liveDir"],
            capture_output=True, text=True, env=ENV, check=False,
        )  # fmt: skip
        live = found.stdout.strip() or None
    if not live:
        return None
    folder = Path(os.path.realpath(live))
    return folder if folder.is_dir() else None


def check(args: argparse.Namespace, body: bytes, path: str) -> tuple[int, dict]:
    trusted = trusted_copy(args)
    if trusted is None:
        return 503, {"error": "no trusted copy (disclosures.trusted): run deploy/install-hooks"}
    site = published_site(args)
    cpu = int(args.timeout) + 1
    command = [
        # util-linux's prlimit sets the limits on the check alone (no preexec_fn: this server
        # has threads): address space, no byte written to any file, no core file, CPU time.
        "prlimit", f"--as={args.memory_mb * 1024 * 1024}", "--fsize=0", "--core=0",
        f"--cpu={cpu}:{cpu + 1}", "--",
        str(trusted / "venv/bin/disclosures"), "validate", "--format", "editor", "--stdin", path,
        *(["--site", str(site)] if site else []),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        cwd="/", env=ENV, process_group=0, close_fds=True,
    )  # fmt: skip
    try:
        out, _ = process.communicate(body, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        return 504, {"error": f"the check took longer than {args.timeout} s"}
    if process.returncode not in (0, 1):
        return 500, {"error": f"the check did not finish (exit {process.returncode})"}
    lines = out.decode("utf-8", "replace").splitlines()
    errors = [line[:LINE_CHARS] for line in lines if line.strip() and WARNING not in line]
    warnings = sum(1 for line in lines if WARNING in line)
    valid = process.returncode == 0
    if not valid and not errors:  # refused without a line: it failed, it did not judge
        return 500, {"error": "the check did not finish (no message)"}
    return 200, {"valid": valid, "errors": errors[:LINES_SHOWN], "warnings": warnings}


class _DeadlineReader(io.RawIOBase):
    """The connection's bytes, each read given only what is left of the request's time
    (a socket timeout is per read: one byte every few seconds passed it for ever)."""

    def __init__(self, connection: socket.socket, seconds: float) -> None:
        self.connection = connection
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def restart(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


class Server(ThreadingHTTPServer):
    """One thread per connection, with a cap on connections in all and per address: a
    client opening thousands of connections gets 503 on the ones over the cap, closed at
    once, and never holds more than its share of threads and file descriptors."""

    daemon_threads = True
    BUSY = (
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        b"Content-Length: 29\r\nConnection: close\r\n\r\n"
        b'{"error": "busy: try again"}\n'
    )

    def __init__(self, address, handler, max_connections: int, per_client: int) -> None:
        super().__init__(address, handler)
        self.max_connections = max_connections
        self.per_client = per_client
        self.open = collections.Counter()
        self.open_lock = threading.Lock()

    def process_request(self, request, client_address) -> None:
        client = client_address[0]
        with self.open_lock:
            room = (
                sum(self.open.values()) < self.max_connections
                and self.open[client] < self.per_client
            )
            if room:
                self.open[client] += 1
        if not room:
            try:
                request.setblocking(False)
                request.send(self.BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.open_lock:
                self.open[client_address[0]] -= 1
                if self.open[client_address[0]] <= 0:
                    del self.open[client_address[0]]


def handler(args: argparse.Namespace, slots: threading.BoundedSemaphore):
    allowed = set(args.allow_origin)

    class Handler(BaseHTTPRequestHandler):
        timeout = args.read_seconds  # the first read; then _DeadlineReader bounds them all
        server_version = "editorcheck"
        sys_version = ""

        def setup(self) -> None:
            super().setup()
            self.reader = _DeadlineReader(self.connection, args.read_seconds)
            self.rfile = io.BufferedReader(self.reader)

        def handle_one_request(self) -> None:
            # Each request on a kept-alive connection has --read-seconds in all, waiting for
            # its first byte included.
            self.reader.restart()
            super().handle_one_request()

        def log_message(self, format: str, *values) -> None:
            if args.log:
                sys.stderr.write("editorcheck: " + (format % values) + "\n")

        def _answer(self, status: int, payload: dict | None = None) -> None:
            data = json.dumps(payload or {}, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            origin = self.headers.get("Origin")
            if origin in allowed:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Access-Control-Allow-Methods", "POST")
                self.send_header(
                    "Access-Control-Allow-Headers", "Content-Type, X-Disclosures-Entry"
                )
                self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Vary", "Origin")
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _refused_origin(self) -> bool:
            origin = self.headers.get("Origin")
            return origin is not None and origin not in allowed

        def do_OPTIONS(self) -> None:
            if self._refused_origin() or urlsplit(self.path).path != args.path:
                return self._answer(403, {"error": "not allowed"})
            self._answer(204)

        def do_GET(self) -> None:
            self._answer(405, {"error": "POST the file to check"})

        def do_POST(self) -> None:
            self.close_connection = True
            if urlsplit(self.path).path != args.path:
                return self._answer(404, {"error": "not found"})
            if self._refused_origin():
                return self._answer(403, {"error": "origin not allowed"})
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind not in ("text/yaml", "application/yaml", "application/x-yaml"):
                return self._answer(415, {"error": "send the file as text/yaml"})
            if self.headers.get("Transfer-Encoding"):
                return self._answer(411, {"error": "a Content-Length is required"})
            try:
                length = int(self.headers.get("Content-Length") or "")
            except ValueError:
                return self._answer(411, {"error": "a Content-Length is required"})
            if length < 0 or length > args.max_bytes:
                return self._answer(413, {"error": f"at most {args.max_bytes} bytes"})
            path = entry_path(self.headers.get("X-Disclosures-Entry"))
            if path is None:
                return self._answer(400, {"error": "X-Disclosures-Entry: data/….yaml"})
            body = self._body(length)
            if body is None:
                return self._answer(408, {"error": f"send the file within {args.read_seconds} s"})
            # A slot is taken only once the whole body is here: a client trickling its body a
            # byte at a time holds its own connection, never a check's place.
            if not slots.acquire(blocking=False):
                return self._answer(503, {"error": "busy: try again"})
            try:
                self._answer(*check(args, body, path))
            finally:
                slots.release()

        def _body(self, length: int) -> bytes | None:
            """The body, or None when it has not all arrived within --read-seconds of the
            request's start (the reader's deadline)."""
            try:
                body = self.rfile.read(length)
            except (TimeoutError, OSError):
                return None
            return body if len(body) == length else None

    return Handler


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--git-dir", help="the bare repository (its disclosures.trusted)")
    where.add_argument("--trusted", help="a trusted copy made by install-hooks")
    parser.add_argument("--site", help="the published site (default: disclosures.liveDir)")
    parser.add_argument("--listen", default="127.0.0.1:8790", help="HOST:PORT (port 0: any)")
    parser.add_argument("--allow-origin", action="append", required=True,
                        help="the site's origin, https://host (repeat for more)")  # fmt: skip
    parser.add_argument("--path", default="/check", help="the one path answered")
    parser.add_argument("--max-bytes", type=int, default=512 * 1024)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per check")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address space per check")
    parser.add_argument("--concurrency", type=int, default=2, help="checks at once")
    parser.add_argument("--read-seconds", type=float, default=10.0,
                        help="to receive a whole request (line, headers, body)")  # fmt: skip
    parser.add_argument("--max-connections", type=int, default=32, help="open at once, in all")
    parser.add_argument("--per-client", type=int, default=8,
                        help="open at once from one address (behind nginx: all)")  # fmt: skip
    parser.add_argument("--log", action="store_true", help="log each request to stderr")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    host, _, port = args.listen.rpartition(":")
    server = Server(
        (host.strip("[]"), int(port)),
        handler(args, threading.BoundedSemaphore(args.concurrency)),
        max_connections=args.max_connections,
        per_client=args.per_client,
    )
    bound = server.server_address
    # The first line says where it listens (port 0 picks one: the tests read it).
    print(f"editorcheck listening on http://{bound[0]}:{bound[1]}{args.path}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
