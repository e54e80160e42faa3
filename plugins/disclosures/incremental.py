"""Render only what changed: a project or unit page whose inputs are unchanged since the live
site was built is taken from the live output instead of being rendered again.

A page's fingerprint covers everything its template reads: the plugin code and the theme
(every template file), the settings, the navigation pages, the glossary, the page's URL and
plain variables, and the content digests of the projects it shows (`Page.inputs`, declared
where render.py makes the page): for a project page, the project and the same project in
other years (history, comparison) plus the git history of its file; for a year or unit page,
its projects; for an indicator page, the projects in its rows plus the indicator's totals
(`Page.summary`). The home page,
the indicator index and the site-wide files show figures of the whole site and are always
made anew. The
fingerprints of the live site are kept next to the cache, tied to the identity of the output
folder they describe: if that folder was changed by other hands, or anything cannot be read,
every page is rendered. tests/test_incremental.py checks that an incremental build equals a
cold one after each kind of change.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import code_version
from .model import Project

if TYPE_CHECKING:  # render.py imports Jinja and Pelican: not needed by a no-change build
    from .render import Page

# Settings that differ between two builds of the same site and that no page shows; and
# where the inputs are (spelt relative or absolute), not what they are: the data, templates
# and code are fingerprinted by content.
_VOLATILE = {
    "OUTPUT_PATH",
    "DISCLOSURES_PREVIOUS_OUTPUT",
    "DISCLOSURES_REPORT",
    "PATH",
    "DISCLOSURES_DATA_PATH",
    "DISCLOSURES_CACHE_PATH",
    "THEME",
    "PLUGIN_PATHS",
}


# Manifests of the most recent output folders kept (one per folder a build wrote).
KEEP_MANIFESTS = 10


def _identity(folder: Path) -> str:
    st = folder.stat()
    return f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}"


def manifest_path(cache_dir: Path, output: Path) -> Path:
    """Named after the folder itself (device and inode), not its path: a release built in a
    staging folder and renamed into place keeps its manifest (deploy/hooks)."""
    st = output.stat()
    name = hashlib.sha256(f"{st.st_dev}:{st.st_ino}".encode()).hexdigest()[:16]
    return cache_dir / "pages" / f"{name}.json"


def load_manifest(cache_dir: Path | None, output: Path | None) -> dict[str, str]:
    """Fingerprints of the pages in the live `output`, or {} when they cannot be trusted."""
    if cache_dir is None or output is None or not output.is_dir():
        return {}
    try:
        saved = json.loads(manifest_path(cache_dir, output).read_text(encoding="utf-8"))
        if saved.get("output") != _identity(output):
            return {}
        pages = saved.get("pages")
        return pages if isinstance(pages, dict) else {}
    except (OSError, ValueError):
        return {}


def save_manifest(cache_dir: Path | None, output: Path, pages: dict[str, str]) -> None:
    """Called once the new site is in place (its folder identity is final)."""
    if cache_dir is None:
        return
    try:
        path = manifest_path(cache_dir, output)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"output": _identity(output), "pages": pages}), encoding="utf-8"
        )
        os.replace(temporary, path)
        older = sorted(path.parent.glob("*.json"), key=lambda f: f.stat().st_mtime_ns)
        for stale in older[:-KEEP_MANIFESTS]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # the next build renders everything: slower, never wrong


def _plain(value: Any) -> bool:
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


class Fingerprints:
    """Fingerprints of the pages of one build."""

    def __init__(self, settings: dict, context: dict, theme: str) -> None:
        digest = hashlib.sha256(code_version().encode())
        templates = Path(theme) / "templates"
        for path in sorted(templates.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(templates).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
        plain = {k: v for k, v in settings.items() if k not in _VOLATILE and _plain(v)}
        digest.update(json.dumps(plain, sort_keys=True, default=str).encode())
        navigation = [(p.title, p.url) for p in context.get("pages", [])]
        digest.update(json.dumps(navigation, ensure_ascii=False).encode())
        glossary = context.get("glossary")
        digest.update(repr(getattr(glossary, "terms", None)).encode())
        self.base = digest.hexdigest()
        self.changes = context.get("disclosures_changes") or {}
        self._seen: dict[int, tuple[tuple[Project, ...], bytes]] = {}

    def of(self, page: Page) -> str | None:
        """The fingerprint of a page made from `page.inputs`; None for pages that are always
        rendered (they show site-wide figures)."""
        if page.inputs is None or any(not p.digest for p in page.inputs):
            return None
        digest = hashlib.sha256(self.base.encode())
        digest.update(page.save_as.encode() + b"\0" + page.template.encode() + b"\0")
        # The page's own plain variables (page numbers, sibling page URLs, view); objects are
        # covered by the inputs' digests.
        plain = {k: v for k, v in page.variables.items() if _plain(v)}
        digest.update(json.dumps(plain, sort_keys=True, ensure_ascii=False).encode())
        digest.update(page.summary.encode() + b"\0")
        if page.template == "project":  # the page lists the git history of its file
            digest.update(repr(self.changes.get(page.variables["project"].source)).encode())
        digest.update(self._inputs(page.inputs))
        return digest.hexdigest()

    def _inputs(self, projects: tuple[Project, ...]) -> bytes:
        # The pages of one indicator share one inputs tuple: hash it once.
        key = id(projects)
        cached = self._seen.get(key)
        if cached is None or cached[0] is not projects:
            joined = "\0".join(p.digest for p in projects).encode()
            cached = self._seen[key] = (projects, hashlib.sha256(joined).digest())
        return cached[1]
