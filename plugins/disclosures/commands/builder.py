"""`disclosures builder`: the long-lived builder (docs/architecture.md, deploy/README.md).

One process that keeps, between builds, every data file it has loaded (cache.Memory: a file
whose stat signature is unchanged is not even read again). A build request runs the same
build as `disclosures build` (same plan, same publisher, same bytes), only quicker. A
request may let the search index and the whole-site downloads trail the pages
(publish.trailing_outputs): the release it makes then has every page and project file of
the new data, the live site's search and downloads, and a status.json that says so. Once
the caller has made that release live, a catch-up request makes them in a complete build
on top of it, and switches the live symlink to that second release atomically, unless
something else was published meanwhile.

    disclosures builder --socket PATH            serve requests (systemd: deploy/install-hooks)
    disclosures build --builder PATH ...         build there when it runs, here otherwise
    disclosures builder --socket PATH --catch-up RELEASE --live LINK --lock FILE [--log FILE]
    disclosures builder --socket PATH --wait     return when the builder is idle

Requests are JSON lines over a Unix socket only its owner can open (mode 0600); builds run
one at a time, in the builder's own folder (the deploy hooks' build folder) only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import io
import json
import logging
import os
import queue
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import cache
from . import build as build_command
from .via_builder import ask, request_names

Event = Callable[[str, dict], None]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "builder",
        help="长驻生成进程 / the long-lived builder (serve build requests on a socket)",
        description="Keep the loaded data in memory and build on request (docs/architecture.md).",
    )
    parser.add_argument("--socket", type=Path, required=True, help="Unix socket path")
    parser.add_argument(
        "--catch-up",
        type=Path,
        default=None,
        metavar="RELEASE",
        help="请求补齐：RELEASE 已上线，其搜索与下载待补 / ask for the catch-up of RELEASE (live, "
        "with trailing parts): a complete release on top of it, switched in if still live",
    )
    parser.add_argument("--live", type=Path, default=None, help="the live symlink (--catch-up)")
    parser.add_argument("--lock", type=Path, default=None, help="the publishing lock file")
    parser.add_argument("--log", type=Path, default=None, help="the deploy log to append to")
    parser.add_argument("--wait", action="store_true", help="wait until the builder is idle")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.catch_up is not None:
        if args.live is None or args.lock is None:
            print("builder: --catch-up needs --live and --lock", file=sys.stderr)
            return 2
        request = {
            "op": "catch-up",
            "release": str(args.catch_up.absolute()),
            "live": str(args.live.absolute()),
            "lock": str(args.lock.resolve()),
            "log": str(args.log.resolve()) if args.log else None,
        }
        answer = ask(args.socket, request)
        return 0 if answer is not None and answer.get("status") == 0 else 1
    if args.wait:
        answer = ask(args.socket, {"op": "wait"})
        return 0 if answer is not None else 1
    serve(args.socket, Builder(Path.cwd()))
    return 0


# --- the builder ------------------------------------------------------------------------


@dataclass
class Pending:
    """The last build that left parts trailing: what to build again to catch up."""

    args: argparse.Namespace
    env: dict[str, str] | None


@dataclass
class Builder:
    """Builds in `folder` (its working folder), keeping loaded files between builds."""

    folder: Path
    memory: cache.Memory = field(default_factory=cache.Memory)
    pending: Pending | None = None
    # ("pages" | "switching" | "caught-up" | "dropped", details): for tests and logs.
    on_event: Event | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def build(
        self, args: argparse.Namespace, env: dict[str, str] | None = None, trail: bool = False
    ) -> build_command.Outcome:
        """One build, as `disclosures build` with these arguments would make it; with the
        request's `env` (its variables replace the builder's own), or the process's."""
        with self.lock, _environment(env):
            outcome = build_command.run_build(args, self.memory, trail=trail)
        if outcome.status == 0 and outcome.report.trailing:
            self.pending = Pending(args, None if env is None else dict(env))
            self._event("pages", {"output": str(args.output), "trailing": outcome.report.trailing})
        elif outcome.status == 0 and not outcome.unchanged:
            self.pending = None
        return outcome

    def catch_up(self, release: Path, live: Path, lock: Path, log: Path | None = None) -> bool:
        """Make the trailing parts of `release` (live now) in a complete build on top of it,
        and switch `live` to that build, atomically, if `release` is still what it shows
        and nobody holds the publishing `lock`. True when switched."""
        pending, self.pending = self.pending, None
        if pending is None:
            return False
        started = time.perf_counter()
        name = f"{_now()}-{release.name.rsplit('-', 1)[-1]}"
        final = release.parent / name
        where = {"release": str(final), "live": str(live)}
        staging = release.parent / f".staging-{name}"
        args = argparse.Namespace(**vars(pending.args))
        args.output, args.previous = staging, release
        with self.lock, _environment(pending.env):
            outcome = build_command.run_build(args, self.memory)
        # Every page must have been linked from `release`: if one was made, the inputs have
        # changed under the build (another push is being staged), so it is not this release.
        reason = None
        if outcome.status != 0:
            reason = "the build failed"
        elif outcome.report.made_pages:
            reason = f"{outcome.report.made_pages} pages differ from {release.name}"
        else:
            reason = _switch(
                staging, final, release, live, lock, lambda: self._event("switching", where)
            )
        if reason is not None:
            shutil.rmtree(staging, ignore_errors=True)
            self._event("dropped", {"release": str(release), "reason": reason})
            _log(log, f"补齐放弃 / catch-up of {release.name} dropped: {reason}")
            return False
        took = time.perf_counter() - started
        self._event("caught-up", {"release": str(final)})
        _log(log, f"已补齐 / caught up {release.name} as {name} in {took:.1f}s -> {live}")
        return True

    def _event(self, name: str, details: dict) -> None:
        if self.on_event is not None:
            self.on_event(name, details)


def _switch(
    staging: Path,
    final: Path,
    release: Path,
    live: Path,
    lock: Path,
    before: Callable[[], None] = lambda: None,
) -> str | None:
    """Rename `staging` to `final` and point `live` at it, under the publishing lock, if
    `live` still points at `release`. None when done, else why not. `before` is called just
    before the one rename(2) that switches (the "switching" event, for tests)."""
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return "another publish is running"
        try:
            if not live.is_symlink() or live.resolve() != release.resolve():
                return "something else was published meanwhile"
            staging.rename(final)
            temporary = live.with_name(f".{live.name}.new.{os.getpid()}")
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(final)
            before()
            os.replace(temporary, live)  # rename(2): readers see one site or the other
            return None
        except OSError as error:
            return f"switch failed: {error}"
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _now() -> str:
    """The release name's time, as the deploy hooks write it (date -u +%Y%m%dT%H%M%S.%NZ)."""
    now = time.time_ns()
    stamp = dt.datetime.fromtimestamp(now // 10**9, dt.UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}.{now % 10**9:09d}Z"


def _log(log: Path | None, message: str) -> None:
    print(message, file=sys.stderr, flush=True)
    if log is not None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with contextlib.suppress(OSError), open(log, "a", encoding="utf-8") as out:
            out.write(f"{stamp} [builder] {message}\n")


@contextlib.contextmanager
def _environment(env: dict[str, str] | None) -> Iterator[None]:
    """The request's variables for one build (builds run one at a time)."""
    if env is None:
        yield
        return
    saved = {name: os.environ.get(name) for name in request_names(os.environ) | set(env)}
    for name in saved:
        os.environ.pop(name, None)
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# --- the socket -------------------------------------------------------------------------


def serve(path: Path, builder: Builder, ready: threading.Event | None = None) -> None:
    """Answer requests on the Unix socket `path` until killed. Builds run one at a time on
    one worker thread; a catch-up waits behind any build requested meanwhile."""
    work: queue.PriorityQueue = queue.PriorityQueue()
    path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket: its owner only
    try:
        server.bind(str(path))
    finally:
        os.umask(old)
    server.listen(8)
    threading.Thread(target=_worker, args=(builder, work), daemon=True).start()
    print(f"builder: ready on {path} in {builder.folder}", file=sys.stderr, flush=True)
    if ready is not None:
        ready.set()
    number = 0
    while True:
        connection, _ = server.accept()
        number += 1
        threading.Thread(target=_accept, args=(connection, work, number), daemon=True).start()


def _accept(connection: socket.socket, work: queue.PriorityQueue, number: int) -> None:
    with connection:
        try:
            request = json.loads(connection.makefile("rb").readline())
        except ValueError:
            return
        op = request.get("op")
        if op == "catch-up":
            work.put((1, number, request, None))  # behind every build request
            _send(connection, {"status": 0, "queued": True})
            return
        done: queue.Queue = queue.Queue()
        work.put((0 if op == "build" else 2, number, request, done))
        _send(connection, done.get())


def _worker(builder: Builder, work: queue.PriorityQueue) -> None:
    while True:
        _, _, request, done = work.get()
        try:
            answer = _handle(builder, request)
        except Exception as error:  # noqa: BLE001 - one bad request never stops the builder
            answer = {"status": 1, "log": f"builder: {type(error).__name__}: {error}\n"}
        if done is not None:
            done.put(answer)


def _handle(builder: Builder, request: dict) -> dict:
    op = request.get("op")
    if op == "wait":
        return {"status": 0}
    if op == "catch-up":
        log = Path(request["log"]) if request.get("log") else None
        builder.catch_up(
            Path(request["release"]), Path(request["live"]), Path(request["lock"]), log
        )
        return {"status": 0}
    if op != "build":
        return {"status": 2, "log": f"builder: unknown request {op!r}\n"}
    if request.get("code") != cache.code_version():
        # The operator upgraded the code and the builder still runs the old one: the
        # caller builds with its own (and the builder should be restarted).
        return {"status": None, "log": "builder: runs other code than the caller\n"}
    if Path(request.get("cwd", "")).resolve() != builder.folder.resolve():
        return {
            "status": 2,
            "log": f"builder: builds only in {builder.folder}, not in {request.get('cwd')}\n",
        }
    args = argparse.Namespace(**request["args"])
    for name in ("output", "previous"):
        if getattr(args, name, None) is not None:
            setattr(args, name, Path(getattr(args, name)))
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)
    try:
        with contextlib.redirect_stderr(captured):
            outcome = builder.build(
                args, request.get("env") or {}, trail=bool(request.get("trail"))
            )
    finally:
        logging.getLogger().removeHandler(handler)
    return {
        "status": outcome.status,
        "log": captured.getvalue(),
        "trailing": outcome.report.trailing,
    }


def _send(connection: socket.socket, answer: dict) -> None:
    with contextlib.suppress(OSError):
        connection.sendall(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
