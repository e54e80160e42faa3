"""/admin/ in the built site: the browser editor (Decap CMS) and its configuration.

Outputs of the plan (plan.py, `admin_outputs`), made here: the page (with its own
Content-Security-Policy: Decap's React/emotion UI needs inline styles, which the public pages
never allow), config.yml generated from fields.py for the site's backend, the format layout
(fields.js), our scripts (admin/src/) and the vendored Decap bundle. Unchanged, they are
linked from the live site like every other output.
"""

from __future__ import annotations

import json
import logging
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from . import cms
from . import settings as S

logger = logging.getLogger(__name__)

# The editor's scripts, in loading order (admin/index.html).
_SCRIPTS = (
    "init.js",
    "decap-cms.js",
    "js-yaml.min.js",
    "fields.js",
    "format.js",
    "editor.js",
)
_DEFAULT_API = {
    "github": "https://api.github.com",
    "gitlab": "https://gitlab.com",
    "gitea": "https://try.gitea.io",
}


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def connect_sources(settings: dict) -> list[str]:
    """Where the editor may send requests: this site, the git host's API, the local proxy."""
    backend = S.get(settings, "DISCLOSURES_ADMIN_BACKEND")
    found = ["'self'", "blob:"]  # blob: Decap keeps its local draft backups as blobs
    for url in (
        backend.get("api_root") or _DEFAULT_API.get(backend.get("name", ""), ""),
        backend.get("base_url", ""),
        S.get(settings, "DISCLOSURES_ADMIN_LOCAL_BACKEND") or "",
        S.get(settings, "DISCLOSURES_ADMIN_CHECK_URL") or "",
    ):
        origin = _origin(url)
        if origin and origin not in found:
            found.append(origin)
    return found


def csp(settings: dict) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            # Decap compiles its configuration schema with ajv, which evaluates generated code
            # (decaporg/decap-cms#2138, #2343): this page alone allows it; still no inline
            # script and no other host.
            "script-src 'self' 'unsafe-eval'",
            # Decap's interface is React with emotion, which writes <style> elements.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src " + " ".join(connect_sources(settings)),
            "frame-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        )
    )


def index_html(settings: dict) -> str:
    scripts = "\n".join(f'<script src="{name}"></script>' for name in _SCRIPTS)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(csp(settings))}">
<meta name="robots" content="noindex">
<link rel="stylesheet" href="editor.css">
<title>编辑绩效目标表 - {escape(S.get(settings, "DISCLOSURES_SITE_TITLE"))}</title>
</head>
<body>
<noscript>编辑器需要启用 JavaScript。/ The editor needs JavaScript.</noscript>
{scripts}
</body>
</html>
"""


def fields_script(settings: dict) -> str:
    text = cms.format_spec_script()
    if S.get(settings, "DISCLOSURES_ADMIN_LOCAL_BACKEND"):
        # `make edit`: the development server checks a file before the editor saves it.
        text += 'window.DISCLOSURE_VALIDATE_URL = "/__validate";\n'
        # … and renders the entry being edited as the site's own page (page_preview.py).
        text += 'window.DISCLOSURE_PREVIEW_URL = "/__preview";\n'
        # … and imports a published table into data/ (import_desk.py).
        text += 'window.DISCLOSURE_IMPORT_URL = "/__import/";\n'
    elif S.get(settings, "DISCLOSURES_ADMIN_CHECK_URL"):
        # Through a git host: the site's check before saving (deploy/editorcheck.py).
        url = json.dumps(S.get(settings, "DISCLOSURES_ADMIN_CHECK_URL"))
        text += f"window.DISCLOSURE_CHECK_URL = {url};\n"
    return text


def bundle_files(admin: Path) -> dict[str, Path]:
    """Vendored files to publish: Decap's bundle with its chunks, js-yaml, ours."""
    modules = admin / "node_modules"
    dist = modules / "decap-cms" / "dist"
    files = {p.name: p for p in sorted(dist.glob("*decap-cms.js"))}
    files["js-yaml.min.js"] = modules / "js-yaml" / "dist" / "js-yaml.min.js"
    for name in ("init.js", "format.js", "editor.js", "editor.css"):
        files[name] = admin / "src" / name
    return files


def admin_files(settings: dict) -> dict[str, bytes] | None:
    """Every file of /admin/ by name, with its bytes (plan.py declares each as an output:
    linked from the live site when unchanged, written through Pelican's writer otherwise).
    {} when the editor is turned off; None when the vendored bundle is missing (a warning
    says so)."""
    if not S.get(settings, "DISCLOSURES_ADMIN"):
        return {}
    admin = Path.cwd() / S.get(settings, "DISCLOSURES_ADMIN_PATH")
    files = bundle_files(admin)
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing or "decap-cms.js" not in files:
        logger.warning(
            "[disclosures] 没有生成 /admin/（网页编辑器）：缺少 %s；请运行 make admin-deps "
            "/ /admin/ not built: vendored editor missing, run `make admin-deps`",
            missing[0] if missing else admin / "node_modules/decap-cms",
        )
        return None
    made = {name: source.read_bytes() for name, source in files.items()}
    made["index.html"] = index_html(settings).encode("utf-8")
    made["config.yml"] = cms.config_text(settings).encode("utf-8")
    made["fields.js"] = fields_script(settings).encode("utf-8")
    return made
