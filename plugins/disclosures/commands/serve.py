"""`disclosures serve`: build, serve on http://127.0.0.1:8000, rebuild on every change.

Watches data/, content/, themes/, plugins/ and the settings (Pelican's own autoreload does
not watch data/), keeping the loaded data in memory between builds (cache.Memory: a change
re-reads only the changed files). After a rebuild, open pages reload themselves: the
development server alone adds a small polling script to the HTML it serves; the files in
output/ never contain it.

`--drafts DIR` shows imported drafts, valid or not, at /__drafts/ (drafts.py): rendered on
request by this server only, never written into output/. `--edit` (`make edit`) builds
/admin/ in local mode against this server's own `/api/v1`, which answers Decap's requests
over the checkout's data/ (local_editor.py: no other process, no other port), checks each
save with the site's own validator, names new files in pinyin and commits each save alone;
`POST /__validate` lets the editor show the validator's problems before it saves, and
`POST /__preview` renders the entry being edited as the site's own page (page_preview.py),
shown at that page's address with `?__preview=TOKEN`; /__import/ takes a pasted table or an
uploaded file and runs the importer into data/ (import_desk.py); it lists the drafts still in
data/, removes one the editor confirms and saves one as it is (`POST /__import/drafts`,
`/__import/remove`, `/__import/save`).
POSTs are answered only when they come from the editor's own page (`_own_page`).
`GET /__build/state` says whether the last rebuild worked (a draft with errors in data/ makes
it fail; the previous build is served meanwhile), for the import page to say so.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import ipaddress
import json
import re
import tempfile
import threading
import urllib.parse
from pathlib import Path

from .. import cache
from .. import drafts as draft_pages
from ..editor_messages import for_editors
from ..import_desk import MAX_REQUEST_BYTES as MAX_IMPORT_BYTES
from ..import_desk import SUFFIXES, ImportDesk, ImportRefused, upload_from
from ..local_editor import MAX_REQUEST_BYTES, LocalEditor
from ..page_preview import PagePreview
from ..pipeline import load_project
from . import build as build_command

_WATCHED = ("data", "content", "themes", "plugins", "pelicanconf.py", "publishconf.py")
_RELOAD_SCRIPT = (
    b"<script>(function(){var v=null;setInterval(function(){fetch('/__build').then("
    b"function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}"
    b"v=t}).catch(function(){})},1000)})();</script>"
)


class _State:
    def __init__(self) -> None:
        self.build = 0  # rebuilds that worked (open pages reload when it changes)
        self.failed = False  # the last build failed: the site served is the one before
        self.building = False
        self.lock = threading.Lock()

    def as_json(self) -> bytes:
        with self.lock:
            state = {"build": self.build, "failed": self.failed, "building": self.building}
        return json.dumps(state).encode()


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="本地预览 / build, serve and rebuild on change")
    parser.add_argument("--settings", "-s", default="pelicanconf.py")
    parser.add_argument("--output", "-o", type=Path, default=Path("output"))
    parser.add_argument("--content", default="content")
    parser.add_argument("--data", default=None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-watch", action="store_true", help="serve without rebuilding")
    parser.add_argument(
        "--drafts",
        type=Path,
        default=None,
        help="草稿文件夹：在 /__drafts/ 预览导入的草稿（不发布）/ preview the drafts in DIR at "
        "/__drafts/ (never written into the site)",
    )
    parser.add_argument(
        "--edit",
        action="store_true",
        help="网页编辑器的本地模式：/admin/ 通过本服务器读写本仓库的 data/，每次保存先检查、再单独"
        "提交 / local mode of /admin/: this server is the editor's backend over this checkout's "
        "data/ (make edit)",
    )
    parser.set_defaults(func=run)


_MAX_VALIDATE_BYTES = 2 * 1024 * 1024
_DESK_ACTIONS = (
    "/__import/drafts",
    "/__import/remove",
    "/__import/save",
)  # the import page's other POSTs
_TEMPLATES = Path(draft_pages.__file__).with_name("draft_templates")
_FORM = re.compile(r"^form:\s*[\"']?(\w+)", re.MULTILINE)  # which form's labels to speak


def validate_text(text: str) -> dict[str, list[str]]:
    """The site's validator on a file the web editor is about to save, in the form's words."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entry.yaml"
        path.write_text(text, encoding="utf-8")
        _, problems = load_project(path, "entry.yaml")
    found = _FORM.search(text)
    form = found.group(1) if found else None
    return {
        "errors": [for_editors(p, form) for p in problems if p.is_error],
        "warnings": [for_editors(p, form) for p in problems if not p.is_error],
    }


def _handler(
    directory: Path,
    state: _State,
    drafts: Path | None = None,
    editor: LocalEditor | None = None,
    preview: PagePreview | None = None,
    desk: ImportDesk | None = None,
):
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".yml": "text/yaml; charset=utf-8",
        }

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _own_page(self) -> bool:
            """A request from the editor's own page: for this server's address (a page of
            another site reaching 127.0.0.1 by DNS rebinding names its own host), from its own
            origin, as JSON or YAML (a form or a `text/plain` fetch from another site would
            need no preflight). What writes into the checkout answers nothing else."""
            port = self.server.server_address[1]
            hosts = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
            hosts.add(f"{self.server.server_address[0]}:{port}")
            host = self.headers.get("Host", "")
            origin = self.headers.get("Origin")
            site = self.headers.get("Sec-Fetch-Site")
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            return (
                host in hosts
                and (origin is None or origin == f"http://{host}")
                and site in (None, "same-origin", "none")
                and kind in ("application/json", "text/yaml")
            )

        def _by_address(self) -> bool:
            """The request names this server by an address (`127.0.0.1`, `[::1]`, a LAN
            address when it listens there) or `localhost`, never by another host name: a page
            of another site that rebinds its own name to 127.0.0.1 reads nothing, not the
            unpublished drafts nor the site built from uncommitted data (red-team, ninth
            session: GET /__drafts/ answered `Host: evil.example`)."""
            host = self.headers.get("Host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            name = name.strip("[]")
            if name.lower() == "localhost":
                return True
            try:
                ipaddress.ip_address(name)
            except ValueError:
                return False
            return True

        def _refuse_other_hosts(self) -> bool:
            if self._by_address():
                return False
            body = "只接受本机地址的请求 / only requests to this computer's address are served"
            self._send(403, body.encode("utf-8"), "text/plain; charset=utf-8")
            return True

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
            if not self._refuse_other_hosts():
                super().do_HEAD()

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            if not self._own_page():
                body = "只接受编辑器本页的请求 / only the editor's own page may post here"
                self._send(403, body.encode("utf-8"), "text/plain; charset=utf-8")
                return
            if editor is not None and self.path == "/api/v1":
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_REQUEST_BYTES:
                    self.send_error(413)
                    return
                status, answer = editor.handle(self.rfile.read(length))
                body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self._send(status, body, "application/json; charset=utf-8")
                return
            if desk is not None and self.path in ("/__import", *_DESK_ACTIONS):
                self._import()
                return
            if self.path not in ("/__validate", "/__preview") or (
                self.path == "/__preview" and preview is None
            ):
                self.send_error(404)
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_VALIDATE_BYTES:
                self.send_error(413)
                return
            text = self.rfile.read(length).decode("utf-8", errors="replace")
            if self.path == "/__validate":
                answer, status = validate_text(text), 200
            else:
                answer, status = self._preview(text)
            body = json.dumps(answer, ensure_ascii=False).encode()
            self._send(status, body, "application/json; charset=utf-8")

        def _import(self) -> None:
            assert desk is not None
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_IMPORT_BYTES:
                self.send_error(413)
                return
            try:
                request = json.loads(self.rfile.read(length))
                if self.path == "/__import/drafts":
                    answer = desk.drafts()
                elif self.path == "/__import/remove":
                    answer = desk.remove(request)
                elif self.path == "/__import/save":
                    answer = desk.save(request)
                else:
                    answer = desk.run(upload_from(request))
                status = 200
            except ValueError:
                answer, status = {"error": "请求不是 JSON / request is not JSON"}, 400
            except ImportRefused as refused:
                answer, status = {"error": str(refused)}, refused.status
            body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            self._send(status, body, "application/json; charset=utf-8")

        def _import_page(self) -> bool:
            """/__import/ (the page) and /__import/import.js (its script), in local mode."""
            path = self.path.split("?")[0]
            if desk is None or path not in ("/__import", "/__import/", "/__import/import.js"):
                return False
            if path.endswith(".js"):
                script = (_TEMPLATES / "import.js").read_bytes()
                self._send(200, script, "text/javascript; charset=utf-8")
                return True
            page = draft_pages.render_page(
                "import.html", accept=",".join(SUFFIXES), stylesheet=draft_pages.STYLESHEET
            )
            self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
            return True

        def _preview(self, text: str) -> tuple[dict, int]:
            assert preview is not None
            entry = urllib.parse.unquote(self.headers.get("X-Disclosures-Entry") or "")
            try:
                rendered = preview.render(text, entry or None)
            except Exception as error:  # noqa: BLE001 - the editor shows why, the server goes on
                return {"error": f"预览失败 / preview failed: {error}"}, 500
            return {"url": rendered.url, "errors": rendered.errors}, 200

        def _preview_page(self) -> bool:
            """A preview at its page's address (`?__preview=TOKEN`): relative links work."""
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            token = (query.get("__preview") or [""])[0]
            if preview is None or not token:
                return False
            page = preview.page(token)
            if page is None:
                self.send_error(404, "预览已过期，请在编辑器中再改一下 / preview expired")
                return True
            self._send(200, page, "text/html; charset=utf-8")
            return True

        def _draft(self) -> bool:
            if drafts is None or not self.path.startswith(draft_pages.PREFIX):
                return False
            path = self.path.split("?")[0]
            if path.rstrip("/") == draft_pages.PREFIX.rstrip("/"):
                page = draft_pages.index_page(drafts)
            else:
                draft = draft_pages.by_url(drafts, path)
                if draft is None:
                    self.send_error(404)
                    return True
                page = draft_pages.draft_page(draft)
            self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
            return True

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self._refuse_other_hosts():
                return
            if self._draft() or self._preview_page() or self._import_page():
                return
            if self.path == "/__build/state":
                self._send(200, state.as_json(), "application/json")
                return
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
            # Not the editor: its policy forbids inline script, and it reloads nothing.
            if path.suffix == ".html" and path.is_file() and not self.path.startswith("/admin/"):
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
    editor = preview = desk = None
    if args.edit:
        own_api = f"http://{args.host}:{args.port}/api/v1"
        args.settings_override = {"DISCLOSURES_ADMIN_LOCAL_BACKEND": own_api}
        data = Path(args.data or "data").resolve()
        editor = LocalEditor(root=data.parent, validate=validate_text, folder=data.name)
        preview = PagePreview(
            args.settings, args.content, data, args.settings_override, editor.renamed
        )
        desk = ImportDesk(data, editor)
    # The rebuild loop keeps every loaded file in memory (the long-lived builder's
    # cache.Memory): a change re-reads the changed files only.
    memory = cache.Memory()
    status = build_command.run_build(args, memory).status
    if status != 0 and not args.output.exists():
        return status
    state.failed = status != 0
    server = http.server.ThreadingHTTPServer(
        (args.host, args.port), _handler(args.output, state, args.drafts, editor, preview, desk)
    )
    print(f"预览地址 / serving on http://{args.host}:{args.port}/  (Ctrl-C 退出 / to stop)")
    if args.drafts is not None:
        print(f"草稿预览 / drafts: http://{args.host}:{args.port}{draft_pages.PREFIX}")
    if args.edit:
        print(f"网页编辑器 / web editor: http://{args.host}:{args.port}/admin/")
        print(f"导入表格 / import a table: http://{args.host}:{args.port}/__import/")
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
            with state.lock:
                state.building = True
            with preview.lock if preview is not None else contextlib.nullcontext():
                # not while a preview renders (page_preview)
                built = build_command.run_build(args, memory).status
            with state.lock:
                state.building = False
                state.failed = built != 0
                if built == 0:
                    state.build += 1
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
