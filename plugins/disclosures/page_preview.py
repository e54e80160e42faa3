"""The web editor's preview in local mode (`disclosures serve --edit`, `make edit`): the entry
being edited, shown as the site's own page.

The editor posts the file it would save (the same text as a save); it is checked by the same
pipeline as every data file (`pipeline.load_project`). A file with errors is shown as the
draft preview shows an imported draft (its problems at the top, then the fields, drafts.py).
A valid file replaces its project among the site's projects (a new one is added), the
site's index is built again, and its page is rendered with the project template, the
template context every page gets and the site's stylesheet: the page `make html` would write
after the save, with a banner at the top saying it is a preview and listing the warnings.
Nothing is written into the site; the page lives in this server's memory only.

One preview at a time, and none while the site rebuilds (`lock`, shared with serve's loop):
Pelican's signals and the generator's `gc.freeze()` are process-wide.
"""

from __future__ import annotations

import gc
import logging
import secrets
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from pathlib import Path, PurePosixPath

from jinja2 import Environment, FileSystemLoader

from . import drafts as draft_pages
from .editor_messages import for_editors
from .lint import lint_project
from .model import Project
from .pipeline import LoadResult, cross_checks, load_project
from .problems import Problem

_NEW = "新项目（尚未保存）.yaml"  # a new entry's stand-in name (no project has it)
_KEPT = 16  # previews kept for their frame to load; older ones are forgotten
_BANNER = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("draft_templates")), autoescape=True
).get_template("preview_banner.html")


@dataclass(frozen=True)
class Rendered:
    url: str  # where this server shows it: the page's own address (its relative links work)
    errors: int
    warnings: int


@dataclass
class PagePreview:
    settings_file: str
    content: str
    data: Path  # the data folder (DISCLOSURES_DATA_PATH), resolved
    overrides: dict = field(default_factory=dict)
    # Paths Decap holds for entries it created → their files (local_editor.LocalEditor.renamed).
    renamed: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    pages: OrderedDict[str, bytes] = field(default_factory=OrderedDict)
    # The other projects as last loaded, with the data folder's fingerprint then: read again
    # only when a file changed (2,000 projects: 1.9 s of a preview). The rebuild loop's
    # cache.Memory is not shared: a preview must never change what the next build reuses.
    loaded: tuple[tuple, LoadResult] | None = None

    def page(self, token: str) -> bytes | None:
        return self.pages.get(token)

    def render(self, text: str, entry_path: str | None) -> Rendered:
        """Check and render the posted file; `entry_path` is the file's path in the checkout
        (data/2021/…/x.yaml) when it exists, so that it replaces its project."""
        source = self._source(self.renamed.get(entry_path or "", entry_path))
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder, self.data.name)  # messages name data/…, as validate does
            path = root.joinpath(*PurePosixPath(source).parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            project, problems = load_project(path, f"{root.name}/{source}", root)
            if project is None:  # shown as a draft: problems, then the fields as written
                html = draft_pages.draft_page(draft_pages.load(root, path), preview=True)
                return self._keep(html, "/__preview/", problems)
        with self.lock, _quiet():
            page_url, html, site_problems = self._site_page(project)
        problems = sorted(problems + site_problems, key=Problem.sort_key)
        form = project.form
        banner = _BANNER.render(
            errors=[for_editors(p, form) for p in problems if p.is_error],
            warnings=[for_editors(p, form) for p in problems if not p.is_error],
            source=f"{self.data.name}/{source}" if source != _NEW else None,
        )
        html = _insert_banner(html, banner)
        return self._keep(html, "/" + page_url.lstrip("/"), problems)

    def _keep(self, html: str, url: str, problems: list[Problem]) -> Rendered:
        token = secrets.token_urlsafe(12)
        self.pages[token] = html.encode("utf-8")
        while len(self.pages) > _KEPT:
            self.pages.popitem(last=False)
        errors = sum(1 for p in problems if p.is_error)
        return Rendered(f"{url}?__preview={token}", errors, len(problems) - errors)

    def _source(self, entry_path: str | None) -> str:
        """The entry's path below the data folder ('/'-separated); a new entry gets a name
        no project has."""
        if entry_path:
            parts = PurePosixPath(entry_path).parts
            if parts and parts[0] == self.data.name:
                parts = parts[1:]
            if parts and ".." not in parts and not PurePosixPath(entry_path).is_absolute():
                return PurePosixPath(*parts).as_posix()
        return _NEW

    def _site_page(self, project: Project) -> tuple[str, str, list[Problem]]:
        """(URL, HTML) of the project's page in the site with this project in it, and what
        a whole-site check says of it (the lint, a URL or unit name another file holds)."""
        from pelican import Pelican
        from pelican.settings import read_settings
        from pelican.utils import get_relative_path, path_to_url

        from .generator import DisclosuresGenerator
        from .render import pages

        preview = self

        class PreviewGenerator(DisclosuresGenerator):
            """The site's generator, reading the data folder only when it has changed."""

            def _load(self) -> LoadResult:
                key = _fingerprint(preview.data)
                if preview.loaded is None or preview.loaded[0] != key:
                    preview.loaded = (key, super()._load())
                result = preview.loaded[1]  # shared: this build gets lists of its own
                return dc_replace(
                    result, projects=list(result.projects), problems=list(result.problems)
                )

        with tempfile.TemporaryDirectory() as output:
            settings = read_settings(
                self.settings_file,
                override={
                    **self.overrides,
                    "PATH": self.content,
                    "OUTPUT_PATH": output,
                    # Not built in place (no live site to compare with, nothing reused).
                    "DELETE_OUTPUT_DIRECTORY": True,
                    "DISCLOSURES_PREVIOUS_OUTPUT": None,
                    "DISCLOSURES_DATA_PATH": str(self.data),
                },
            )
            pelican = Pelican(settings)
            # Pelican.run's reading phase (pelican/__init__.py), without writing anything.
            context = settings.copy()
            context.update(
                generated_content={},
                static_links=set(),
                static_content={},
                localsiteurl=settings["SITEURL"],
            )
            generators = [
                cls(
                    context=context,
                    settings=settings,
                    path=pelican.path,
                    theme=pelican.theme,
                    output_path=output,
                )
                for found in pelican._get_generator_classes()  # noqa: SLF001 - as Pelican.run
                for cls in [PreviewGenerator if found is DisclosuresGenerator else found]
            ]
            ours = next(g for g in generators if isinstance(g, DisclosuresGenerator))
            others = [p for p in ours.result.projects if p.source != project.source]
            ours.result.projects = [*others, project]
            checks = cross_checks(ours.result.projects) + lint_project(
                project, ours.result.framework
            )
            site_problems = [p for p in checks if p.path == project.display_path]
            try:
                for generator in generators:
                    if hasattr(generator, "generate_context"):
                        generator.generate_context()
                for generator in generators:
                    if hasattr(generator, "refresh_metadata_intersite_links"):
                        generator.refresh_metadata_intersite_links()
                assert ours.site is not None
                page = next(
                    p
                    for p in pages(ours.site, ours.urls)
                    if p.template == "project" and p.variables.get("project") is project
                )
                # As Pelican's Writer.write_file builds a page's context, without writing.
                local = ours.context.copy()
                if settings["RELATIVE_URLS"]:
                    relative = path_to_url(get_relative_path(page.save_as))
                    local["SITEURL"] = local["localsiteurl"] = relative
                local["output_file"] = page.save_as
                local.update(page_url=page.url, **page.template_variables())
                html = ours.get_template(page.template).render(local)
            finally:
                gc.unfreeze()  # the generator froze the index for a build's lifetime
        return page.url, html, site_problems


def _fingerprint(folder: Path) -> tuple:
    """Every file below `folder` with its size and times (ctime too: it moves on every write,
    whatever the modification time is set to)."""
    found = []
    for path in sorted(folder.rglob("*")):
        info = path.stat()
        found.append((path.as_posix(), info.st_size, info.st_mtime_ns, info.st_ctime_ns))
    return tuple(found)


@contextmanager
def _quiet() -> Iterator[None]:
    """The other files' warnings, which every build logs, are not news on every keystroke."""
    from .generator import logger

    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _insert_banner(html: str, banner: str) -> str:
    """The preview banner as the first thing in the page's <main>."""
    start = html.find("<main")
    end = html.find(">", start) if start >= 0 else -1
    if end < 0:
        return html.replace("<body>", "<body>" + banner, 1)
    return html[: end + 1] + banner + html[end + 1 :]
