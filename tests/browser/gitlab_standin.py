"""A stand-in for the HTTP side of a self-managed GitLab, over a real bare repository with the
real publishing door installed (deploy/install-hooks) behind the GL-HOOK-ERR wrapper of
docs/web-editor.md: NOT GitLab.

No GitLab can be installed here (docs/web-editor.md says what was checked). Decap CMS's own
GitLab backend (unchanged) is driven against this stand-in instead. What it answers is modelled
on GitLab's documented REST API (doc/api/oauth2.md, projects.md, repositories.md,
repository_files.md, commits.md, branches.md) and its code (gitlabhq/gitlabhq), as read through
the search tool; only the calls Decap's GitLab backend makes in simple publishing mode:

- OAuth2 with PKCE (`auth_type: pkce`): `GET /oauth/authorize` redirects to the registered
  redirect URI with `code` and `state` (GitLab first asks the user to authorise; the stand-in
  grants at once), `POST /oauth/token` (JSON) checks the client ID, the redirect URI and the S256
  `code_verifier` and returns a bearer token; the API then takes `Authorization: Bearer …`.
- API v4: `GET /user`; `GET /projects/:id` (`:id` the URL-encoded `namespace/project`, with
  `permissions.project_access.access_level` 30 = Developer); `GET|HEAD
  /projects/:id/repository/tree?path=&ref=&recursive=&per_page=&page=` (full paths; paginated
  with `X-Page`, `X-Per-Page`, `X-Total`, `X-Total-Pages`, `X-Next-Page` and a `Link` header);
  `GET …/repository/files/:path/raw?ref=` and `HEAD …/repository/files/:path?ref=` with the
  `X-Gitlab-Blob-Id`, `X-Gitlab-Commit-Id`, `X-Gitlab-Last-Commit-Id`, `X-Gitlab-File-Path`,
  `X-Gitlab-Ref`, `X-Gitlab-Size` headers (lib/api/files.rb, spec/requests/api/files_spec.rb),
  404 `{"message": "404 File Not Found"}`; `GET …/repository/commits?path=&ref_name=`;
  `GET …/repository/branches/:branch`.
- `POST …/repository/commits` (lib/api/commits.rb → Files::MultiService → Commits::CreateService):
  the actions checked first, 400 with GitLab's message: `create` of a file that exists ("A file
  with this name already exists"), `update`/`delete` of one that does not ("A file with this name
  doesn't exist"), an `update`/`move`/`delete` whose `last_commit_id` is not the file's last
  commit ("You are attempting to update a file that has changed since you started editing
  it."); then one commit by the user, pushed into the repository through its hooks (Gitaly runs
  a repository's server hooks for API commits). A refusal is Gitlab::Git::PreReceiveError: only
  the hook's lines that start with `GitLab:` or `GL-HOOK-ERR:` are kept, without the prefix, and
  joined by `<br>` (Gitlab::Utils.nlbr, tags removed); HTTP 400 `{"message": …}`. 201 with the
  commit otherwise.
- CORS as GitLab answers its API (config/application.rb): the site's origin allowed, the
  pagination and `X-Gitlab-*` headers exposed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote, unquote, urlencode

from deploy_site import run
from gitea_standin import (
    OWNER,
    REPO_NAME,
    GiteaStandIn,
    blob_at,
    commit_and_push,
    upload_clone,
)

PROJECT = f"{OWNER}/{REPO_NAME}"
NOT_FOUND = {"message": "404 File Not Found"}
# What a reverse proxy with its own CORS policy might expose instead: pagination only.
PAGINATION_ONLY = "Link, X-Total, X-Total-Pages, X-Per-Page, X-Page, X-Next-Page, X-Prev-Page"
EXPOSED = (
    "Link, X-Total, X-Total-Pages, X-Per-Page, X-Page, X-Next-Page, X-Prev-Page, "
    "X-Gitlab-Blob-Id, X-Gitlab-Commit-Id, X-Gitlab-Content-Sha256, X-Gitlab-Encoding, "
    "X-Gitlab-File-Name, X-Gitlab-File-Path, X-Gitlab-Last-Commit-Id, X-Gitlab-Ref, "
    "X-Gitlab-Size, X-Request-Id, ETag"
)
SAFE_LINE = re.compile(r"^(GitLab:|GL-HOOK-ERR:)\s*(?P<safe>.+)")
CHANGED = "You are attempting to update a file that has changed since you started editing it."


def pre_receive_message(hook_output: str) -> str:
    """Gitlab::Git::PreReceiveError#sanitize, then Gitlab::Utils.nlbr: the safe lines only,
    their prefix removed, tags stripped, joined by <br>."""
    safe = [m.group("safe") for m in map(SAFE_LINE.match, hook_output.split("\n")) if m]
    text = re.sub(r"<[^>]*>", "", "\n".join(safe))
    return html.unescape(text).replace("\n", "<br>")


@dataclass
class GitLabStandIn(GiteaStandIn):
    kind: str = "gitlab"
    allow_headers = "Authorization,Content-Type,X-Requested-With,User-Agent"
    expose_headers = EXPOSED
    user_id: int = 7

    api_base: str = ""  # set by serve(): the API's address, for pagination links

    def serve(self):
        server, base = super().serve()
        self.api_base = f"{base}/api/v4"
        return server, base

    authorize_path = "/oauth/authorize"
    token_path = "/oauth/token"
    api_prefix = "/api/v4"
    token_keyword = "Bearer"
    not_found: ClassVar[dict] = {"message": "404 Not Found"}
    unauthorized: ClassVar[dict] = {"message": "401 Unauthorized"}

    def token_answer(self, answer: dict) -> dict:
        return {**answer, "token_type": "Bearer", "scope": "api", "expires_in": 7200,
                "created_at": int(time.time())}  # fmt: skip

    # -- API v4 --------------------------------------------------------------------------------

    def api(self, method: str, path: str, query: dict[str, str], body: dict | None):
        project = "/projects/" + quote(PROJECT, safe="")
        if path == "/user" and method == "GET":
            return 200, {
                "id": self.user_id, "username": self.login, "name": self.full_name,
                "email": self.email, "public_email": self.email, "state": "active",
                "avatar_url": "", "is_admin": self.admin,
            }, {}  # fmt: skip
        if not path.startswith(project):
            return 404, {"message": "404 Project Not Found"}, {}
        rest = path[len(project) :]
        if rest == "" and method == "GET":
            return 200, {
                "id": 1, "path_with_namespace": PROJECT, "default_branch": "main",
                "permissions": {"project_access": {"access_level": 30, "notification_level": 3},
                                "group_access": None},
                "shared_with_groups": [],
            }, {}  # fmt: skip
        if rest == "/repository/tree" and method in ("GET", "HEAD"):
            return self._tree(query)
        if rest.startswith("/repository/files/"):
            name = unquote(rest[len("/repository/files/") :])
            raw = name.endswith("/raw")
            name = name[: -len("/raw")] if raw else name
            if method == "GET" or method == "HEAD" and not raw:
                return self._file(name, query.get("ref", "main"), "raw" if raw else method)
        if rest == "/repository/commits" and method == "GET":
            return self._commits(query)
        if rest == "/repository/commits" and method == "POST":
            return self.recorded_save(body, self._commit)
        if rest.startswith("/repository/branches/") and method == "GET":
            branch = unquote(rest[len("/repository/branches/") :])
            sha = self.git("rev-parse", "-q", "--verify", f"refs/heads/{branch}", check=False)
            if not sha.stdout.strip():
                return 404, {"message": "404 Branch Not Found"}, {}
            return 200, {
                "name": branch, "commit": {"id": sha.stdout.strip()}, "protected": True,
                "developers_can_push": True, "developers_can_merge": True, "default": True,
            }, {}  # fmt: skip
        return 404, {"message": "404 Not Found"}, {}

    def _tree(self, query: dict[str, str]):
        ref, folder = query.get("ref", "main"), query.get("path", "").strip("/")
        target = f"{ref}:{folder}" if folder else f"{ref}^{{tree}}"
        sha = self.git("rev-parse", "-q", "--verify", target, check=False).stdout.strip()
        if not sha:
            return 404, {"message": "404 Tree Not Found"}, {}
        recursive = query.get("recursive") == "true"
        listing = self.git("ls-tree", *(["-r", "-t"] if recursive else []), sha).stdout
        entries = []
        for line in listing.splitlines():
            info, name = line.split("\t", 1)
            mode, kind, blob = info.split()
            full = f"{folder}/{name}" if folder else name
            entries.append({"id": blob, "name": name.rsplit("/", 1)[-1], "type": kind,
                            "path": full, "mode": mode})  # fmt: skip
        per_page = max(1, min(100, int(query.get("per_page", 20))))
        page = max(1, int(query.get("page", 1)))
        pages = max(1, -(-len(entries) // per_page))
        shown = entries[(page - 1) * per_page : page * per_page]
        base = f"{self.api_base}/projects/{quote(PROJECT, safe='')}/repository/tree?"

        def link(number: int) -> str:
            return base + urlencode({**query, "page": number, "per_page": per_page})

        links = [f'<{link(page + 1)}>; rel="next"'] if page < pages else []
        links += [f'<{link(page - 1)}>; rel="prev"'] if page > 1 else []
        links += [f'<{link(1)}>; rel="first"', f'<{link(pages)}>; rel="last"']
        headers = {
            "X-Page": str(page), "X-Per-Page": str(per_page), "X-Total": str(len(entries)),
            "X-Total-Pages": str(pages), "X-Next-Page": str(page + 1) if page < pages else "",
            "X-Prev-Page": str(page - 1) if page > 1 else "", "Link": ", ".join(links),
        }  # fmt: skip
        return 200, shown, headers

    def _file(self, name: str, ref: str, answer: str):
        """A file's raw bytes ("raw"), its headers only ("HEAD") or its JSON ("GET": the same
        values in the body, the content base64)."""
        blob = self.git("rev-parse", "-q", "--verify", f"{ref}:{name}", check=False).stdout.strip()
        if not blob:
            return 404, NOT_FOUND, {}
        commit = self.git("rev-parse", ref).stdout.strip()
        last = self.git("log", "-1", "--format=%H", ref, "--", name).stdout.strip()
        data = self.git_bytes("cat-file", "blob", blob)
        headers = {
            "X-Gitlab-Blob-Id": blob, "X-Gitlab-Commit-Id": commit,
            "X-Gitlab-Last-Commit-Id": last, "X-Gitlab-File-Path": name,
            "X-Gitlab-File-Name": name.rsplit("/", 1)[-1], "X-Gitlab-Ref": ref,
            "X-Gitlab-Size": str(len(data)), "X-Gitlab-Encoding": "base64",
        }  # fmt: skip
        # A path's bytes go out as they are (UTF-8), as Rails sends a header; http.server
        # writes headers as Latin-1, so the bytes are handed over that way.
        headers = {key: value.encode().decode("latin-1") for key, value in headers.items()}
        if answer == "raw":
            return 200, data, {**headers, "Content-Type": "text/plain; charset=utf-8"}
        if answer == "GET":
            return 200, {
                "file_name": name.rsplit("/", 1)[-1], "file_path": name, "size": len(data),
                "encoding": "base64", "content": base64.b64encode(data).decode(), "ref": ref,
                "blob_id": blob, "commit_id": commit, "last_commit_id": last,
                "content_sha256": hashlib.sha256(data).hexdigest(),
            }, headers  # fmt: skip
        return 200, b"", headers

    def _commits(self, query: dict[str, str]):
        log = self.git(
            "log", "-20", "--format=%H%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%s",
            query.get("ref_name", "main"), "--", query.get("path", ""),
        ).stdout  # fmt: skip
        commits = []
        for line in log.splitlines():
            sha, an, ae, ad, cn, ce, cd, subject = line.split("\0")
            commits.append({
                "id": sha, "short_id": sha[:8], "title": subject, "message": subject,
                "author_name": an, "author_email": ae, "authored_date": ad,
                "committer_name": cn, "committer_email": ce, "committed_date": cd,
                "created_at": cd,
            })  # fmt: skip
        return 200, commits, {}

    def _commit(self, body: dict):
        """Files::MultiService: the actions checked, then one commit through the hooks."""
        branch = body.get("branch") or "main"
        with upload_clone(self.bare, self.user, branch) as work:
            for action in body.get("actions", []):
                path, kind = action.get("file_path", ""), action.get("action")
                exists = bool(blob_at(work, self.user, action.get("previous_path") or path))
                if kind == "create" and exists:
                    return 400, {"message": "A file with this name already exists"}, {}
                if kind in ("update", "move", "delete") and not exists:
                    return 400, {"message": "A file with this name doesn't exist"}, {}
                last = action.get("last_commit_id")
                if last and kind in ("update", "move", "delete"):
                    current = self._last_commit(work, action.get("previous_path") or path)
                    if current != last:
                        return 400, {"message": CHANGED}, {}
                target = work / path
                if kind == "delete":
                    target.unlink()
                    continue
                if kind == "move" and action.get("previous_path"):
                    (work / action["previous_path"]).unlink()
                target.parent.mkdir(parents=True, exist_ok=True)
                content = action.get("content", "")
                data = (
                    base64.b64decode(content)
                    if action.get("encoding") == "base64"
                    else content.encode()
                )
                target.write_bytes(data)
            gitlab_env = {"GL_ID": f"user-{self.user_id}", "GL_USERNAME": self.login,
                          "GL_PROJECT_PATH": PROJECT, "GL_PROTOCOL": "web"}  # fmt: skip
            pushed, sha = commit_and_push(
                work, self.user, branch, body.get("commit_message") or "Update",
                (body.get("author_name") or self.full_name,
                 body.get("author_email") or self.email), gitlab_env,
            )  # fmt: skip
            if pushed.returncode:
                # What the hook printed (git prefixes it with "remote: "; Gitaly hands it over
                # as is), sanitised as Gitlab::Git::PreReceiveError does.
                said = "\n".join(
                    re.sub(r"^remote: ?", "", line).rstrip()
                    for line in pushed.stderr.splitlines()
                    if line.startswith("remote:")
                )
                return 400, {"message": pre_receive_message(said)}, {}
            subject = (body.get("commit_message") or "").split("\n")[0]
            return 201, {"id": sha, "short_id": sha[:8], "title": subject,
                         "message": body.get("commit_message"), "status": None}, {}  # fmt: skip

    def _last_commit(self, work: Path, path: str) -> str:
        return run("git", "log", "-1", "--format=%H", "HEAD", "--", path, cwd=work,
                   as_user=self.user).stdout.strip()  # fmt: skip

    def git_bytes(self, *args: str) -> bytes:
        return subprocess.run(
            ["git", "--git-dir", str(self.bare), *args], capture_output=True, check=True
        ).stdout
