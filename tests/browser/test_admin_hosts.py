"""The web editor set up for each git host, as docs/web-editor.md documents it, in Chromium.

No git host runs here (Debian, PyPI and npm offer no Gitea, Forgejo or GitLab server: see
docs/web-editor.md), so nothing is committed through a host. What is checked is this side of
the host, with the documented settings themselves (read from the document's code blocks):
`/admin/` built from them (admin_output.admin_files: config.yml generated from fields.py, the
page's policy) is accepted by Decap's own configuration check, shows the host's login, and the
login starts against the documented addresses: for Gitea, Forgejo and GitLab the OAuth PKCE
authorisation with the documented client ID and `/admin/` as the redirect address; for GitHub
the OAuth helper's `/auth` with `provider=github`. Every request to another host is stopped in
the browser and recorded; none leaves this machine.
"""

from __future__ import annotations

import ast
import functools
import html
import http.server
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from browser_support import REPO
from disclosures import admin_output, cms

DOC = REPO / "docs" / "web-editor.md"
# The documented values stand in for a real host's: placeholders get test values.
PLACEHOLDERS = {"<client id>": "client-id-from-the-host", "<application id>": "app-id-from-gitlab"}


def documented_backends() -> dict[str, dict]:
    """Every `DISCLOSURES_ADMIN_BACKEND = {…}` block of docs/web-editor.md, by host name."""
    found = {}
    text = DOC.read_text(encoding="utf-8")
    for block in re.findall(r"```python\n(DISCLOSURES_ADMIN_BACKEND = \{.*?\})\n```", text, re.S):
        for placeholder, value in PLACEHOLDERS.items():
            block = block.replace(placeholder, value)
        backend = ast.literal_eval(block.split("=", 1)[1].strip())
        found[backend["name"]] = backend
    return found


BACKENDS = documented_backends()


def test_every_host_is_documented():
    assert sorted(BACKENDS) == ["forgejo", "gitea", "github", "gitlab"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("hosts")
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(root)
    )  # fmt: skip
    handler.log_message = lambda *args: None  # type: ignore[assignment]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _publish_admin(folder: Path, backend: dict) -> dict:
    """/admin/ as a build with these settings publishes it; its config.yml, parsed."""
    settings = {"DISCLOSURES_ADMIN_BACKEND": backend, "DISCLOSURES_ADMIN_PATH": str(REPO / "admin")}
    files = admin_output.admin_files(settings)
    assert files, "the vendored editor is missing: run `make admin-deps` (never skipped)"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return yaml.safe_load(files["config.yml"])


@pytest.mark.parametrize("host", sorted(BACKENDS))
def test_the_documented_settings_start_the_hosts_login(browser, served, host: str):
    root, base = served
    backend = BACKENDS[host]
    config = _publish_admin(root / host / "admin", backend)
    # The generated configuration: the documented backend, the commit messages, the forms.
    assert {k: config["backend"][k] for k in backend} == backend
    assert config["backend"]["commit_messages"] == cms.COMMIT_MESSAGES
    assert [c["name"] for c in config["collections"]] == ["shanghai", "national"]
    policy = html.unescape((root / host / "admin" / "index.html").read_text(encoding="utf-8"))
    api = backend.get("api_root") or {"github": "https://api.github.com"}[host]
    api_origin = "{0.scheme}://{0.netloc}".format(urlsplit(api))
    assert api_origin in re.search(r"connect-src ([^;]*)", policy).group(1)

    context = browser.new_context(locale="zh-CN")
    outside: list[str] = []

    def stop(route) -> None:  # nothing leaves this machine
        outside.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>host</title>")

    context.route(re.compile(r"^(?!http://127\.0\.0\.1:).*"), stop)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/{host}/admin/")
    label = {"github": "GitHub", "gitlab": "GitLab", "gitea": "Gitea", "forgejo": "Forgejo"}[host]
    login = page.get_by_role("button", name=re.compile(label))
    login.wait_for(timeout=60_000)  # Decap shows it only for a configuration it accepts
    assert "Config" not in page.inner_text("body") and "配置" not in page.inner_text("body")
    with context.expect_page() if host == "github" else _nothing() as popup:
        login.click()
        if host != "github":
            page.wait_for_url(re.compile(r"^https://"), timeout=30_000)
    address = urlsplit(popup.value.url if host == "github" else page.url)
    query = {k: v[0] for k, v in parse_qs(address.query).items()}
    if host == "github":
        # The OAuth helper the operator runs (GitHub's OAuth needs a client secret).
        assert f"{address.scheme}://{address.netloc}" == backend["base_url"]
        assert address.path == "/auth"
        assert query["provider"] == "github" and query["scope"] == "repo"
    else:
        # PKCE: no client secret in the page; the host sends the editor back to /admin/.
        host_root = backend.get("base_url") or re.sub(r"/api/v1/?$", "", backend["api_root"])
        auth = backend.get("auth_endpoint", "login/oauth/authorize")
        assert f"{address.scheme}://{address.netloc}{address.path}" == f"{host_root}/{auth}"
        assert query["client_id"] == backend["app_id"]
        assert query["redirect_uri"] == f"{base}/{host}/admin/"
        assert query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
        assert query["scope"] == ("api" if host == "gitlab" else "repository")
    assert all(urlsplit(url).netloc in (urlsplit(backend.get("base_url") or api).netloc,)
               for url in outside), outside  # fmt: skip
    assert not errors, errors
    context.close()


class _nothing:
    value = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return False


def _snippet(marker: str) -> str:
    """The ```sh block of docs/web-editor.md that holds `marker`."""
    text = DOC.read_text(encoding="utf-8")
    return next(b for b in re.findall(r"```sh\n(.*?)```", text, re.S) if marker in b)


def test_the_gitea_hook_snippet_keeps_giteas_own_hooks(tmp_path: Path):
    """The documented moves, on a hooks folder as install-hooks leaves a Gitea repository's:
    Gitea's dispatchers back in place, ours in *.d/, the library beside them not executable."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name, text in {
        "pre-receive": "#!/bin/sh\n# ours: pre-receive\n",
        "post-receive": "#!/bin/sh\n# ours: post-receive\n",
        "pre-receive.before-disclosures": "#!/bin/sh\n# gitea's dispatcher\n",
        "post-receive.before-disclosures": "#!/bin/sh\n# gitea's dispatcher\n",
        "disclosures-lib.sh": "# library\n",
    }.items():
        (hooks / name).write_text(text, encoding="utf-8")
        (hooks / name).chmod(0o755)
    script = re.sub(r"^cd .*$", f"cd {hooks}", _snippet("pre-receive.d"), flags=re.M)
    subprocess.run(["bash", "-euc", script], check=True)
    for hook in ("pre-receive", "post-receive"):
        assert "gitea's dispatcher" in (hooks / hook).read_text(encoding="utf-8")
        ours = hooks / f"{hook}.d" / "disclosures"
        assert f"ours: {hook}" in ours.read_text(encoding="utf-8") and os.access(ours, os.X_OK)
        library = hooks / f"{hook}.d" / "disclosures-lib.sh"
        assert library.is_file() and not os.access(library, os.X_OK)
        assert not (hooks / f"{hook}.before-disclosures").exists()


@pytest.mark.parametrize("refuse", [True, False])
def test_the_gitlab_wrapper_shows_the_hooks_lines(tmp_path: Path, refuse: bool):
    """GitLab shows a hook's refusal only for lines starting `GL-HOOK-ERR: `: the documented
    wrapper, around a stand-in hook that reads the pushed refs, passes them through, prefixes
    every line and keeps the exit status."""
    hook = tmp_path / "pre-receive-disclosures"
    hook.write_text(
        '#!/bin/sh\nwhile read -r old new ref; do echo "推送被拒绝 / push rejected: $ref"; done\n'
        "echo 'data/x.yaml:3:7: year: 年度应为四位数字年份' >&2\n"
        f"exit {1 if refuse else 0}\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)
    wrapper = tmp_path / "pre-receive"
    wrapper.write_text(
        _snippet("GL-HOOK-ERR").replace("/path/to/hooks/pre-receive-disclosures", str(hook))
    )
    wrapper.chmod(0o755)
    done = subprocess.run(
        [str(wrapper)], input="0000 1111 refs/heads/main\n", capture_output=True, text=True
    )
    assert done.returncode == (1 if refuse else 0)
    assert done.stdout.splitlines() == [
        "GL-HOOK-ERR: 推送被拒绝 / push rejected: refs/heads/main",
        "GL-HOOK-ERR: data/x.yaml:3:7: year: 年度应为四位数字年份",
    ]
