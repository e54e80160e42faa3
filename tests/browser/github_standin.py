"""A stand-in for the HTTP side of GitHub Enterprise Server (and of the OAuth helper Decap's
GitHub login needs), over a real bare repository with the real publishing door installed
(deploy/install-hooks) as its pre-receive hook: NOT GitHub.

GitHub cannot be run here (docs/web-editor.md). Decap CMS's own GitHub backend (unchanged;
decap-cms-backend-github 3.x, src/API.ts and implementation.tsx, read in admin/node_modules)
is driven against this stand-in. It answers only the calls that backend makes in simple
publishing mode (REST, `use_graphql` off), as GitHub's REST API documentation describes them
(docs.github.com/rest: users, repos, branches, commits, git/blobs, git/trees, git/commits,
git/refs), found with the search tool:

- The login: Decap opens `<base_url>/auth?provider=github&site_id=…&scope=repo` in a window
  (decap-cms-lib-auth, netlify-auth.js). A Decap-compatible OAuth helper sends the user to
  GitHub and, back from its `/callback`, posts `authorizing:github` to the opener, waits for
  the echo, then posts `authorization:github:success:{"token": …, "provider": "github"}`; the
  opener checks that both messages come from `base_url`'s origin. The stand-in's `/auth` is
  that last page at once (no GitHub consent page, no client secret): the handshake is real.
- REST with `Authorization: token …` under `api_root` (`/api/v3` as on GitHub Enterprise
  Server): `GET /user`; `GET /repos/{owner}/{repo}` (`permissions.push`, `owner.login`);
  `GET …/git/trees/{ref}:{folder}[?recursive=1]`; `GET …/git/blobs/{sha}`;
  `GET …/commits?path=&sha=`; `GET …/branches/{branch}` (`commit.sha`);
  `GET …/contents/{path}?ref=` (the file's blob `sha`; used by editor.js's guard);
  then a save: `POST …/git/blobs` (base64), `POST …/git/trees` (`base_tree` and entries; an
  entry with `sha: null` deletes), `POST …/git/commits` (`message`, `tree`, `parents`; the
  author is the authenticated user when none is given), and `PATCH …/git/refs/heads/{branch}`
  with `force: false`: an update that is not a fast-forward of the branch is refused, 422
  "Update is not a fast forward" (docs: "Leaving this out or setting it to false will make
  sure you're not overwriting work").
- Blobs, trees and commits are written into the repository unreferenced (as GitHub stores
  them); the ref update is a push into the repository, so its pre-receive hook (the door)
  and post-receive run, as GitHub Enterprise Server runs pre-receive hooks for every ref
  update ("Working with pre-receive hooks"; github.com runs none: there the door is CI).
  What GitHub answers a REST ref update its pre-receive hook declined is not documented: the
  stand-in answers GitHub's generic 422 "Reference update failed"
  (github/rest-api-description#4887) and passes none of the hook's lines on, the least an
  editor could be told.
- CORS: the site's origin allowed; `Authorization` and `Content-Type` headers; `PATCH`.
- github.com (`ci=True`): no pre-receive hook runs (github.com runs none), so the ref update
  moves the branch (`git update-ref`, a fast-forward checked as above) and the door is CI: the
  stand-in then runs what `.github/workflows/site.yml` runs as its check,
  `disclosures validate --format github`, on the commit's `data/`, and keeps its result as a
  check run of that commit, its workflow commands (`::error file=…,line=…,title=…::…`) as the
  run's annotations, as GitHub Actions turns them into annotations. Answered as the Checks
  REST API documents them: `GET …/commits/{ref}/check-runs` (`total_count`, `check_runs`
  with `id`, `name`, `head_sha`, `status`, `conclusion`, `output.annotations_count`) and
  `GET …/check-runs/{id}/annotations` (`path`, `start_line`, `end_line`, `annotation_level`
  failure/warning, `title`, `message`). The check runs while the request returns (a real one
  takes minutes, and is `in_progress` meanwhile): the editor polls in both cases. Nothing is
  published (that would be the workflow's deploy job).
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from typing import ClassVar

from deploy_site import git_env, run, world_tmp
from gitea_standin import OWNER, REPO_NAME, GiteaStandIn
from support import DISCLOSURES

DOCS = "https://docs.github.com/rest"
NOT_FAST_FORWARD = "Update is not a fast forward"
REF_UPDATE_FAILED = "Reference update failed"


@dataclass
class GitHubStandIn(GiteaStandIn):
    kind: str = "github"
    login: str = "bianji"
    allow_headers = "Authorization,Content-Type,User-Agent"
    api_prefix = "/api/v3"
    not_found: ClassVar[dict] = {"message": "Not Found", "documentation_url": DOCS}
    unauthorized: ClassVar[dict] = {"message": "Requires authentication", "documentation_url": DOCS}
    hook_output: list[str] = field(default_factory=list)  # what the hooks printed, per update
    ci: bool = False  # github.com: no pre-receive hook; CI checks each commit on the branch
    check_runs: list[dict] = field(default_factory=list)  # CI's results (ci=True)

    # -- the OAuth helper's last page ---------------------------------------------------------

    def helper_page(self, query: dict[str, str]) -> tuple[int, bytes, dict]:
        """The page a Decap-compatible OAuth helper answers after GitHub's callback: the
        postMessage handshake with the editor's window (`site_origin` only)."""
        self.grants.append(query)
        if query.get("provider") != "github":
            return 400, b"unknown provider", {"Content-Type": "text/plain"}
        answer = json.dumps({"token": self.token, "provider": "github"})
        script = (
            "(function () {\n"
            f"  var site = {json.dumps(self.site_origin)};\n"
            f"  var answer = {json.dumps('authorization:github:success:' + answer)};\n"
            "  window.addEventListener('message', function receive(event) {\n"
            "    if (event.origin !== site || event.data !== 'authorizing:github') return;\n"
            "    window.removeEventListener('message', receive);\n"
            "    window.opener.postMessage(answer, site);\n"
            "  });\n"
            "  window.opener.postMessage('authorizing:github', site);\n"
            "})();\n"
        )
        page = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>Authorizing</title>"
            f"<p>Authorizing {html.escape(self.login)}…</p><script>{script}</script></html>"
        )
        return 200, page.encode(), {"Content-Type": "text/html; charset=utf-8"}

    def logged_in_as_documented(self) -> bool:
        """One login through the helper, for GitHub, with the `repo` scope Decap asks."""
        return len(self.grants) == 1 and self.grants[0].get("scope") == "repo"

    def route(self, method: str, path: str, query: dict[str, str], headers, raw: bytes):
        if path == "/auth" and method == "GET":
            status, page, sent = self.helper_page(query)
            return status, page, sent
        return super().route(method, path, query, headers, raw)

    # -- REST ---------------------------------------------------------------------------------

    def api(self, method: str, path: str, query: dict[str, str], body: dict | None):
        repo = f"/repos/{OWNER}/{REPO_NAME}"
        if path == "/user" and method == "GET":
            return 200, {
                "login": self.login, "id": 2, "name": self.full_name, "email": self.email,
                "avatar_url": "", "site_admin": self.admin,
            }  # fmt: skip
        if path == repo and method == "GET":
            return 200, {
                "id": 1, "name": REPO_NAME, "full_name": f"{OWNER}/{REPO_NAME}",
                "owner": {"login": OWNER}, "default_branch": "main", "private": True,
                "permissions": {"admin": False, "maintain": False, "push": True, "pull": True},
            }  # fmt: skip
        if path.startswith(repo + "/branches/") and method == "GET":
            branch = path[len(repo + "/branches/") :]
            sha = self._ref(branch)
            if not sha:
                return 404, {"message": "Branch not found", "documentation_url": DOCS}
            return 200, {"name": branch, "commit": {"sha": sha}, "protected": True}
        if path == repo + "/git/blobs" and method == "POST":
            return self._create_blob(body or {})
        if path == repo + "/git/trees" and method == "POST":
            return self._create_tree(body or {})
        if path == repo + "/git/commits" and method == "POST":
            return self._create_commit(body or {})
        if path.startswith(repo + "/git/refs/heads/") and method == "PATCH":
            branch = path[len(repo + "/git/refs/heads/") :]
            return self.recorded_save(body, lambda asked: self._update_ref(branch, asked))
        checks = re.fullmatch(re.escape(repo) + r"/commits/([0-9a-f]{40})/check-runs", path)
        if checks and method == "GET":
            runs = [run for run in self.check_runs if run["head_sha"] == checks.group(1)]
            public = [{k: v for k, v in run.items() if k != "annotations"} for run in runs]
            return 200, {"total_count": len(public), "check_runs": public}
        notes = re.fullmatch(re.escape(repo) + r"/check-runs/(\d+)/annotations", path)
        if notes and method == "GET":
            for run in self.check_runs:
                if run["id"] == int(notes.group(1)):
                    return 200, run["annotations"]
            return 404, self.not_found
        if method == "GET":  # trees, blobs, commits, contents: answered as Gitea's (its API is
            # modelled on GitHub's), with GitHub's "Not Found"
            status, answer = super().api(method, path, query, body)
            return (status, answer) if status < 400 else (status, self.not_found)
        return 404, self.not_found

    def _ref(self, branch: str) -> str:
        return self.git("rev-parse", "-q", "--verify", f"refs/heads/{branch}^{{commit}}",
                        check=False).stdout.strip()  # fmt: skip

    def _git_in(self, *args: str, data: bytes, env: dict[str, str] | None = None) -> str:
        """git on the repository as the server's user, `data` on its standard input."""
        done = subprocess.run(
            ["git", "--git-dir", str(self.bare), *args], input=data, capture_output=True,
            env={**git_env(), **(env or {})}, **self.user.kwargs(),
        )  # fmt: skip
        if done.returncode:
            raise ValueError(done.stderr.decode(errors="replace"))
        return done.stdout.decode().strip()

    def _create_blob(self, body: dict):
        content = str(body.get("content", ""))
        data = base64.b64decode(content) if body.get("encoding") == "base64" else content.encode()
        sha = self._git_in("hash-object", "-w", "--stdin", data=data)
        return 201, {"sha": sha, "url": f"{DOCS}/git/blobs/{sha}"}

    def _create_tree(self, body: dict):
        index = world_tmp()
        self.user.own(index)
        env = {"GIT_INDEX_FILE": str(index / "index")}
        try:
            base = body.get("base_tree")
            if base:
                self._git_in("read-tree", str(base), data=b"", env=env)
            for entry in body.get("tree", []):
                if entry.get("sha") is None:
                    self._git_in("update-index", "--force-remove", "--", entry["path"],
                                 data=b"", env=env)  # fmt: skip
                else:
                    info = f"{entry.get('mode', '100644')},{entry['sha']},{entry['path']}"
                    self._git_in("update-index", "--add", "--cacheinfo", info, data=b"", env=env)
            sha = self._git_in("write-tree", data=b"", env=env)
        except ValueError as error:
            return 422, {"message": f"GitRPC::BadObjectState: {error}", "documentation_url": DOCS}
        finally:
            shutil.rmtree(index, ignore_errors=True)
        return 201, {"sha": sha, "tree": [], "truncated": False}

    def _create_commit(self, body: dict):
        author = body.get("author") or {"name": self.full_name, "email": self.email}
        committer = body.get("committer") or author
        env = {"GIT_AUTHOR_NAME": author["name"], "GIT_AUTHOR_EMAIL": author["email"],
               "GIT_COMMITTER_NAME": committer["name"],
               "GIT_COMMITTER_EMAIL": committer["email"]}  # fmt: skip
        parents = [arg for parent in body.get("parents", []) for arg in ("-p", parent)]
        try:
            sha = self._git_in("commit-tree", str(body.get("tree")), *parents, data=
                               str(body.get("message", "")).encode(), env=env)  # fmt: skip
        except ValueError:
            return 422, {"message": "Tree SHA does not exist", "documentation_url": DOCS}
        return 201, {"sha": sha, "message": body.get("message"), "tree": {"sha": body.get("tree")},
                     "parents": [{"sha": p} for p in body.get("parents", [])]}  # fmt: skip

    def _update_ref(self, branch: str, body: dict):
        """PATCH git/refs/heads/{branch}: a fast-forward unless `force`; then a push into the
        repository, so the door (pre-receive) decides and post-receive publishes."""
        new, current = str(body.get("sha", "")), self._ref(branch)
        known = self.git("cat-file", "-e", f"{new}^{{commit}}", check=False).returncode == 0
        if not known:
            return 422, {"message": "Object does not exist", "documentation_url": DOCS}
        if current and not body.get("force"):
            ancestor = self.git("merge-base", "--is-ancestor", current, new, check=False)
            if ancestor.returncode:
                return 422, {"message": NOT_FAST_FORWARD, "documentation_url": DOCS}
        if self.ci:  # github.com: no hook; the branch moves, then CI checks the commit
            self._git_in("update-ref", f"refs/heads/{branch}", new, current, data=b"")
            self.check_runs.append(self._ci(new))
            return 200, {"ref": f"refs/heads/{branch}", "object": {"type": "commit", "sha": new}}
        ghes = {"GITHUB_USER_LOGIN": self.login, "GITHUB_REPO_NAME": f"{OWNER}/{REPO_NAME}",
                "GITHUB_VIA": "git refs update api"}  # fmt: skip
        pushed = run("git", "--git-dir", self.bare, "push", "-q", self.bare,
                     f"{new}:refs/heads/{branch}", check=False, as_user=self.user,
                     env=ghes)  # fmt: skip
        self.hook_output.append(pushed.stderr)
        if pushed.returncode:
            return 422, {"message": REF_UPDATE_FAILED, "documentation_url": DOCS}
        return 200, {"ref": f"refs/heads/{branch}", "object": {"type": "commit", "sha": new}}

    def _ci(self, sha: str) -> dict:
        """The workflow's check on commit `sha`: `disclosures validate --format github` on its
        data/, as a check run whose annotations are the workflow commands it printed."""
        tree = subprocess.run(
            ["git", "--git-dir", str(self.bare), "archive", "--format=tar", sha, "data"],
            capture_output=True, env=git_env(), check=True,
        ).stdout  # fmt: skip
        with tempfile.TemporaryDirectory() as folder:
            with tarfile.open(fileobj=io.BytesIO(tree)) as archive:
                archive.extractall(folder, filter="data")
            done = subprocess.run(
                [DISCLOSURES, "validate", "--format", "github", "data"],
                cwd=folder, capture_output=True, text=True, check=False,
            )  # fmt: skip
        annotations = [
            note for line in (done.stdout + done.stderr).splitlines()
            if (note := _annotation(line)) is not None
        ]  # fmt: skip
        failed = done.returncode != 0
        return {
            "id": 1000 + len(self.check_runs), "name": "检查、测试、生成 / validate, test, build",
            "head_sha": sha, "status": "completed",
            "conclusion": "failure" if failed else "success",
            "output": {"title": "validate", "summary": "", "annotations_count": len(annotations)},
            "annotations": annotations,
        }  # fmt: skip


_COMMAND = re.compile(r"^::(error|warning) (?P<props>[^:]*(?:%3A[^:]*)*)::(?P<message>.*)$")


def _unescape(text: str) -> str:
    """The Actions toolkit's escapes undone (%0D, %0A, %3A, %2C, %25 last)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def _annotation(line: str) -> dict | None:
    """A workflow command line → the annotation GitHub makes of it, or None."""
    found = _COMMAND.match(line)
    if found is None:
        return None
    props = dict(part.split("=", 1) for part in found.group("props").split(",") if "=" in part)
    start = int(props.get("line", "1") or 1)
    return {
        "path": _unescape(props.get("file", "")), "start_line": start, "end_line": start,
        "annotation_level": "failure" if found.group(1) == "error" else "warning",
        "title": _unescape(props.get("title", "")), "message": _unescape(found.group("message")),
    }  # fmt: skip
