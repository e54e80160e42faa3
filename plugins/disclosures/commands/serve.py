"""`disclosures serve`: build, serve on http://127.0.0.1:8000, rebuild on every change.

Watches data/, content/, themes/, plugins/ and the settings (Pelican's own autoreload does
not watch data/). After a rebuild, open pages reload themselves: the development server
alone adds a small polling script to the HTML it serves; the files in output/ never
contain it.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from . import build as build_command

_WATCHED = ("data", "content", "themes", "plugins", "pelicanconf.py", "publishconf.py")
_RELOAD_SCRIPT = (
    b"<script>(function(){var v=null;setInterval(function(){fetch('/__build').then("
    b"function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}"
    b"v=t}).catch(function(){})},1000)})();</script>"
)


class _State:
    def __init__(self) -> None:
        self.build = 0
        self.lock = threading.Lock()


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="本地预览 / build, serve and rebuild on change")
    parser.add_argument("--settings", "-s", default="pelicanconf.py")
    parser.add_argument("--output", "-o", type=Path, default=Path("output"))
    parser.add_argument("--content", default="content")
    parser.add_argument("--data", default=None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-watch", action="store_true", help="serve without rebuilding")
    parser.set_defaults(func=run)


def _handler(directory: Path, state: _State):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path == "/__build":
                body = str(state.build).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                body = path.read_bytes().replace(b"</body>", _RELOAD_SCRIPT + b"</body>", 1)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    return functools.partial(Handler, directory=str(directory))


def run(args: argparse.Namespace) -> int:
    state = _State()
    status = build_command.run(args)
    if status != 0 and not args.output.exists():
        return status
    server = http.server.ThreadingHTTPServer((args.host, args.port), _handler(args.output, state))
    print(f"预览地址 / serving on http://{args.host}:{args.port}/  (Ctrl-C 退出 / to stop)")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        if args.no_watch:
            threading.Event().wait()
        from watchfiles import watch

        chosen = [args.data, args.content, args.settings]  # may point outside the defaults
        paths = sorted(
            {str(Path(p).resolve()) for p in (*_WATCHED, *chosen) if p and Path(p).exists()}
        )
        for changes in watch(*paths, debounce=300):
            names = sorted({Path(p).name for _, p in changes})
            print(f"变更 / changed: {', '.join(names[:5])} → 重新生成 / rebuilding")
            if build_command.run(args) == 0:
                with state.lock:
                    state.build += 1
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
