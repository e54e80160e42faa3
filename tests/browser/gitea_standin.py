"""A stand-in for the HTTP side of a Gitea server, over a real bare repository that has the
real publishing door installed (deploy/install-hooks): NOT Gitea.

No Gitea can be installed or built on this machine (docs/web-editor.md says what was tried),
so the web editor's Gitea backend (Decap CMS's own code, unchanged) is driven against this
stand-in. What it answers, and how, is taken from Gitea's code (go-gitea/gitea), not guessed:

- OAuth2 with PKCE for a public (not confidential) client: `GET /login/oauth/authorize`
  redirects to the registered redirect URI with `code` and `state` (Gitea first shows its
  consent page; the stand-in grants at once), `POST /login/oauth/access_token` (JSON) checks
  the client ID, the redirect URI and the S256 `code_verifier`, and returns a bearer token.
- API v1 with `Authorization: token …`, the calls Decap's Gitea and Forgejo backends make in
  simple publishing mode: `GET /user`, `GET /repos/{owner}/{repo}`,
  `GET …/git/trees/{ref}:{folder}[?recursive=1]`, `GET …/git/blobs/{sha}`,
  `GET …/contents/{path}?ref=…` (Forgejo's way to a file's blob), `GET …/commits?path=…&sha=…`
  and `POST …/contents`. Forgejo's API is Gitea's (a fork of it).
- `POST …/contents` as services/repository/files/update.go (ChangeRepoFiles) does it: a
  temporary clone of the branch; an update must name the blob it replaces (422 otherwise), a
  create must not find the file (422); one commit with the request's message, the user as
  author and committer; `git push` into the repository, so its pre-receive and post-receive
  hooks run, as for any push. A push the hook refuses is Gitea's ErrPushRejected, which
  routers/api/v1/repo/file.go (handleChangeRepoFilesError) answers with APIErrorInternal:
  HTTP 500 whose `message` (services/context/api.go) is the error text only when the server
  does not run in production mode or the user is a site administrator, and is empty
  otherwise.
- CORS as `[cors] ENABLED = true`, `ALLOW_DOMAIN = <the site>` sets it: the API allows the
  `Authorization` header; the token endpoint answers the site's origin too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from deploy_site import Pusher, run, world_tmp

OWNER, REPO_NAME = "yusuan", "disclosures"
SWAGGER = "/api/swagger"


@contextmanager
def upload_clone(bare: Path, user: Pusher, branch: str) -> Iterator[Path]:
    """A temporary clone of `branch`, owned by the server's user: where a host's web/API
    commit is made before it is pushed into the repository (Gitea's ChangeRepoFiles, GitLab's
    Files::MultiService through Gitaly: both end in the repository's hooks)."""
    temporary = world_tmp()
    user.own(temporary)
    work = temporary / "upload"
    try:
        run("git", "clone", "-q", "--branch", branch, "--single-branch", bare, work,
            as_user=user)  # fmt: skip
        yield work
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def blob_at(work: Path, user: Pusher, path: str, ref: str = "HEAD") -> str:
    """The blob `path` has at `ref` in the clone, or "" when it has none."""
    return run("git", "rev-parse", "-q", "--verify", f"{ref}:{path}", cwd=work, check=False,
               as_user=user).stdout.strip()  # fmt: skip


def commit_and_push(
    work: Path, user: Pusher, branch: str, message: str, author: tuple[str, str],
    push_env: dict[str, str],
) -> tuple[subprocess.CompletedProcess[str], str]:  # fmt: skip
    """One commit of everything changed in the clone, by `author`, pushed through the hooks;
    the push's result and the new commit ("" when refused)."""
    user.own(work.parent)
    name, email = author
    identity = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}  # fmt: skip
    run("git", "add", "-A", cwd=work, as_user=user)
    run("git", "commit", "-q", "-m", message, cwd=work, as_user=user, env=identity)
    pushed = run("git", "push", "origin", f"HEAD:refs/heads/{branch}", cwd=work, check=False,
                 as_user=user, env=push_env)  # fmt: skip
    sha = "" if pushed.returncode else run("git", "rev-parse", "HEAD", cwd=work,
                                           as_user=user).stdout.strip()  # fmt: skip
    return pushed, sha


@dataclass
class GiteaStandIn:
    bare: Path  # the repository, its hooks installed by deploy/install-hooks
    user: Pusher  # the Unix user the server runs as: git and the hooks run as this user
    site_origin: str  # the one origin CORS allows (ALLOW_DOMAIN)
    kind: str = "gitea"  # the backend /admin/ is built for: "gitea" or "forgejo"
    client_id: str = "client-id-from-the-host"
    redirect_uri: str = ""  # the OAuth2 application's registered redirect URI
    production: bool = True  # RUN_MODE = prod, Gitea's default for an installed server
    admin: bool = False  # whether the editor's account is a site administrator
    login: str = "bianji"
    full_name: str = "区财政局编辑"
    email: str = "bianji@example.org"
    token: str = field(default_factory=lambda: secrets.token_hex(20))
    grants: list[dict] = field(default_factory=list)  # every authorisation asked for
    saves: list[dict] = field(default_factory=list)  # every POST /contents, with its answer
    _codes: dict[str, dict] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run("git", "--git-dir", self.bare, *args, check=check)

    # -- OAuth2 -------------------------------------------------------------------------------

    def authorize(self, query: dict[str, str]) -> tuple[int, dict, bytes]:
        self.grants.append(query)
        if (
            query.get("client_id") != self.client_id
            or query.get("redirect_uri") != self.redirect_uri
        ):
            return 400, {}, b"unregistered client or redirect URI"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, {}, b"PKCE S256 is required for a public client"
        code = secrets.token_urlsafe(24)
        self._codes[code] = query
        back = self.redirect_uri + "?" + urlencode({"code": code, "state": query.get("state", "")})
        return 303, {"Location": back}, b""

    def logged_in_as_documented(self) -> bool:
        """One authorisation was asked for, with PKCE (S256)."""
        return len(self.grants) == 1 and self.grants[0].get("code_challenge_method") == "S256"

    def access_token(self, body: dict) -> tuple[int, dict]:
        asked = self._codes.pop(str(body.get("code")), None)
        verifier = str(body.get("code_verifier", ""))
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if (
            asked is None
            or body.get("grant_type") != "authorization_code"
            or body.get("client_id") != self.client_id
            or body.get("redirect_uri") != self.redirect_uri
            or challenge != asked["code_challenge"]
        ):
            return 400, {"error": "invalid_grant", "error_description": "bad code or verifier"}
        return 200, {"access_token": self.token, "token_type": "bearer", "expires_in": 3600}

    # -- API v1 -------------------------------------------------------------------------------

    def api(self, method: str, path: str, query: dict[str, str], body: dict | None):
        repo = f"/repos/{OWNER}/{REPO_NAME}"
        if path == "/user":
            return 200, {
                "id": 2, "login": self.login, "full_name": self.full_name, "email": self.email,
                "avatar_url": "", "is_admin": self.admin,
            }  # fmt: skip
        if path == repo:
            return 200, {
                "id": 1, "name": REPO_NAME, "full_name": f"{OWNER}/{REPO_NAME}",
                "owner": {"login": OWNER}, "default_branch": "main",
                "permissions": {"admin": False, "push": True, "pull": True},
            }  # fmt: skip
        if path.startswith(repo + "/git/trees/") and method == "GET":
            return self._tree(unquote(path[len(repo + "/git/trees/") :]), "recursive" in query)
        if path.startswith(repo + "/contents/") and method == "GET":  # Forgejo's file sha
            name = unquote(path[len(repo + "/contents/") :])
            ref = query.get("ref", "main")
            sha = self.git("rev-parse", "-q", "--verify", f"{ref}:{name}", check=False).stdout
            if not sha.strip():
                return 404, {"message": "object does not exist", "url": SWAGGER}
            return 200, {"type": "file", "path": name, "name": name.rsplit("/", 1)[-1],
                         "sha": sha.strip()}  # fmt: skip
        if path.startswith(repo + "/git/blobs/") and method == "GET":
            sha = path.rsplit("/", 1)[1]
            got = subprocess.run(
                ["git", "--git-dir", str(self.bare), "cat-file", "blob", sha], capture_output=True
            )
            if got.returncode:
                return 404, {"message": "not found", "url": SWAGGER}
            raw = got.stdout
            content = base64.b64encode(raw).decode()
            return 200, {"sha": sha, "size": len(raw), "encoding": "base64", "content": content}
        if path == repo + "/commits" and method == "GET":
            log = self.git(
                "log", "-1", "--format=%H%x00%an%x00%ae%x00%aI%x00%s",
                query.get("sha", "main"), "--", query.get("path", ""),
            ).stdout.strip()  # fmt: skip
            if not log:
                return 200, []
            sha, name, email, date, subject = log.split("\0")
            author = {"name": name, "email": email, "date": date}
            return 200, [{"sha": sha, "commit": {"author": author, "message": subject}}]
        if path == repo + "/contents" and method == "POST":
            return self.recorded_save(body, self._change_files)
        return 404, {"message": "not found", "url": SWAGGER}

    def _tree(self, spec: str, recursive: bool):
        ref, _, folder = spec.partition(":")
        target = f"{ref}:{folder}" if folder else f"{ref}^{{tree}}"
        sha = self.git("rev-parse", "-q", "--verify", target, check=False).stdout.strip()
        if not sha:
            return 404, {"message": "sha not found", "url": SWAGGER}
        listing = self.git("ls-tree", "-l", *(["-r", "-t"] if recursive else []), sha).stdout
        tree = []
        for line in listing.splitlines():
            info, name = line.split("\t", 1)
            mode, kind, blob, size = info.split()
            tree.append({
                "path": name, "mode": mode, "type": kind, "sha": blob,
                "size": 0 if size == "-" else int(size),
            })  # fmt: skip
        return 200, {"sha": sha, "tree": tree, "truncated": False, "page": 1,
                     "total_count": len(tree)}  # fmt: skip

    def _change_files(self, body: dict) -> tuple[int, dict]:
        """ChangeRepoFiles: one commit of the request's files, pushed through the hooks."""
        branch = body.get("branch") or "main"
        with upload_clone(self.bare, self.user, branch) as work:
            for change in body.get("files", []):
                target = work / change["path"]
                current = blob_at(work, self.user, change["path"])
                operation = change.get("operation")
                if operation == "create" and current:
                    exists = f"repository file already exists [path: {change['path']}]"
                    return 422, {"message": exists, "url": SWAGGER}
                if operation in ("update", "delete") and current != change.get("sha"):
                    return 422, {"message": f"sha does not match [given: {change.get('sha')}, "
                                 f"expected: {current}]", "url": SWAGGER}  # fmt: skip
                if operation == "delete":
                    target.unlink()
                    continue
                if change.get("from_path") and change["from_path"] != change["path"]:
                    (work / change["from_path"]).unlink()
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(change["content"]))
            pushing = {"GITEA_PUSHER_NAME": self.login, "GITEA_REPO_USER_NAME": OWNER,
                       "GITEA_REPO_NAME": REPO_NAME}  # fmt: skip
            pushed, sha = commit_and_push(
                work, self.user, branch, body.get("message") or "Update",
                (self.full_name, self.email), pushing,
            )  # fmt: skip
            if pushed.returncode:
                # modules/git: ErrPushRejected.Error(), then APIErrorInternal hides it in prod.
                text = (f"PushRejected Error: exit status {pushed.returncode}: "
                        f"{pushed.stderr}\n{pushed.stdout}")  # fmt: skip
                shown = text if (not self.production or self.admin) else ""
                return 500, {"message": shown, "url": SWAGGER}
            files = [{"path": c["path"], "type": "file"} for c in body.get("files", [])]
            return 201, {"files": files, "commit": {"sha": sha, "message": body.get("message")}}

    def recorded_save(self, body: dict | None, save) -> tuple:
        """One write that runs the repository's hooks (`save(body)`), one at a time, timed and
        kept in `saves` with its answer: the tests read what reached the host."""
        started = time.monotonic()
        with self._lock:
            answer = save(body or {})
        seconds = round(time.monotonic() - started, 1)  # the hooks run inside the request
        self.saves.append(
            {"request": body, "status": answer[0], "answer": answer[1], "seconds": seconds}
        )
        return answer

    # -- HTTP ---------------------------------------------------------------------------------

    allow_headers = "Authorization,X-Gitea-OTP,Content-Type,User-Agent"
    expose_headers = ""
    # Where each host has its login, its API and which token keyword it takes (the other
    # stand-ins change these, and answer in their own words).
    authorize_path = "/login/oauth/authorize"
    token_path = "/login/oauth/access_token"
    api_prefix = "/api/v1"
    token_keyword = "token"
    not_found: ClassVar[dict] = {"message": "not found"}
    unauthorized: ClassVar[dict] = {"message": "token is required", "url": SWAGGER}

    def token_answer(self, answer: dict) -> dict:
        return answer

    def route(self, method: str, path: str, query: dict[str, str], headers, raw: bytes):
        """(status, payload, headers) for one request: the login, then the API with the token."""
        if path == self.authorize_path and method == "GET":
            status, sent, text = self.authorize(query)
            return status, text, sent
        if path == self.token_path and method == "POST":
            status, answer = self.access_token(json.loads(raw or b"{}"))
            return status, self.token_answer(answer) if status == 200 else answer, {}
        if not path.startswith(self.api_prefix + "/"):
            return 404, self.not_found, {}
        if headers.get("Authorization") != f"{self.token_keyword} {self.token}":
            return 401, self.unauthorized, {}
        body = json.loads(raw) if raw else None
        answer = self.api(method, path[len(self.api_prefix) :], query, body)
        return answer if len(answer) == 3 else (*answer, {})

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        host = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _cors(self) -> None:
                if self.headers.get("Origin") == host.site_origin:
                    self.send_header("Access-Control-Allow-Origin", host.site_origin)
                    self.send_header("Vary", "Origin")
                    if host.expose_headers:
                        self.send_header("Access-Control-Expose-Headers", host.expose_headers)

            def _answer(self, status: int, payload, headers: dict | None = None,
                        head: bool = False) -> None:  # fmt: skip
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self._cors()
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                if not isinstance(payload, bytes):
                    self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    if not head:
                        self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    # The browser left the page (navigation) before reading the answer, as a
                    # real host sees too; not a failure of the stand-in.
                    return

            def do_OPTIONS(self) -> None:  # CORS preflight
                self.send_response(200)
                self._cors()
                self.send_header("Access-Control-Allow-Methods",
                                 "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS")  # fmt: skip
                self.send_header("Access-Control-Allow-Headers", host.allow_headers)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _handle(self, method: str) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, payload, headers = host.route(method, parts.path, query, self.headers, raw)
                self._answer(status, payload, headers, head=method == "HEAD")

            def do_GET(self) -> None:
                self._handle("GET")

            def do_HEAD(self) -> None:
                self._handle("HEAD")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PATCH(self) -> None:
                self._handle("PATCH")

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"http://127.0.0.1:{server.server_address[1]}"
