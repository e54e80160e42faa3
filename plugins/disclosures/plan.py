"""The output plan: every file the plugin publishes, declared once, the same way.

An `Output` is a path in the site, the inputs its bytes depend on, and how it is made:
either a page (a template and its variables: render.Page) or a function returning bytes
(or, for a folder such as a search bundle, a mapping of file names to bytes). Inputs are
plain strings — a project's content digest, the git history of its file, an index summary,
the templates' digest — plus `after`: the outputs whose bytes this one reads (the
site-wide CSV joins the projects' CSVs, SHA256SUMS reads every download, a search bundle
indexes project pages). publish.py fingerprints each output from exactly these, and
nothing else decides whether an output is made again.

Rules for a new output kind: add it here (pages: render.pages(), which this module turns
into outputs); list only what its bytes depend on — an output whose bytes do not depend on
a project never lists it — and, when it reads another output's bytes, name that output in
`after` rather than reading the model again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .admin_output import admin_files
from .export import (
    budget_lines_csv,
    comparison_csv,
    datapackage_file,
    feed_file,
    project_csv,
    project_record,
    projects_csv,
    results_csv,
    robots_file,
    search,
    sha256sums,
    site_indicators_csv,
    year_workbook,
)
from .history import Change
from .index import SiteIndex
from .model import Project
from .render import Page, pages
from .status import PATH as STATUS_PATH
from .status import SITE as _SITE
from .status import status_bytes
from .urls import Urls

# What a maker gets: the bytes of outputs already published in this build, by path.
Read = Callable[[str], bytes]
Maker = Callable[[Read], "bytes | dict[str, bytes]"]


SITE = _SITE  # the shard of outputs that belong to no one year


@dataclass(frozen=True)
class Output:
    path: str  # in the site; a folder output (many files) ends with "/"
    kind: str  # page, download, workbook, feed, search, checksums, file: for reports
    inputs: tuple[str, ...]  # what the bytes depend on, as text (digests, summaries)
    page: Page | None = None  # made by rendering this page's template ...
    make: Maker | None = None  # ... or by this function
    after: tuple[str, ...] = ()  # outputs whose bytes `make` reads
    alone: bool = False  # needs much memory (Pagefind): never two of these at once
    shard: str = SITE  # which shard makes it: a year, or the site-wide rest (see `subset`)

    @property
    def folder(self) -> bool:
        return self.path.endswith("/")


@dataclass
class Inputs:
    """What the plan reads besides the index: the side tables the loader and git give."""

    digests: Mapping[str, str]  # project source → content digest (cache.py)
    changes: Mapping[str, list[Change]]  # project source → git history of its file
    templates: str  # digest of the theme, the navigation and the glossary (publish.py)
    settings: dict[str, Any] = field(default_factory=dict)
    urls: Urls = field(default_factory=Urls)  # where outputs live (the URL settings)
    release: str = ""  # the name of what is published (status.py): the commit, or the data


@dataclass
class KeptOutputs:
    """A long-lived builder's outputs of the last plan that a next plan can take as they are
    (commands/builder.py): a page's, while it is the same Page object (the kept page list,
    pagelist.py), the templates are the same and, for a project page, its file's history;
    a project's downloads, while it is the same Project with the same history, URL patterns
    and framework. Anything else is declared again, the same way."""

    templates: str = ""
    pages: dict[int, tuple[Page, Any, Output]] = field(default_factory=dict)
    context: tuple = ()  # the URL patterns and the framework the downloads were made with
    downloads: dict[int, tuple[Project, Any, tuple[Output, ...]]] = field(default_factory=dict)
    # /admin/'s outputs, by the settings and the stat signatures of the files they read.
    admin: tuple[str, list[Output]] = ("", [])


class Plan:
    """The outputs of one build in an order where `after` comes first."""

    def __init__(self, outputs: list[Output]) -> None:
        self.outputs = outputs
        self.by_path = {output.path: output for output in outputs}
        if len(self.by_path) != len(outputs):
            seen: set[str] = set()
            twice = [o.path for o in outputs if o.path in seen or seen.add(o.path)]
            raise ValueError(f"outputs declared twice: {twice[:5]}")

    def __iter__(self) -> Iterator[Output]:
        return iter(self.outputs)

    def __len__(self) -> int:
        return len(self.outputs)

    def shards(self) -> list[str]:
        return sorted({output.shard for output in self.outputs})

    def subset(self, shard: str) -> Plan:
        """The outputs one shard makes (and what they read, made again: never missing).
        Every shard loads all the data, so an output is the same whichever shard makes it;
        a merge of the shards (publish.py, `disclosures build --merge`) links them all."""
        chosen: dict[str, Output] = {}

        def take(output: Output) -> None:
            if output.path not in chosen:
                for path in output.after:
                    take(self.by_path[path])
                chosen[output.path] = output

        for output in self.outputs:
            if output.shard == shard:
                take(output)
        return Plan([o for o in self.outputs if o.path in chosen])


def _nonce(project: Project) -> str:
    # A project without a digest (cache off and no key): never equal to another build.
    return f"undigested:{id(project)}:{hashlib.sha256(repr(project).encode()).hexdigest()}"


class _Tokens:
    """Input strings for the plan, computed once per build."""

    def __init__(self, site: SiteIndex, inputs: Inputs) -> None:
        self.inputs = inputs
        self._site_digest: str | None = None
        self._site = site

    def project(self, project: Project) -> str:
        return self.inputs.digests.get(project.source) or _nonce(project)

    def history(self, project: Project) -> str:
        changes = self.inputs.changes.get(project.source) or []
        return "history:" + hashlib.sha256(repr(changes).encode()).hexdigest()

    def projects(self, projects) -> tuple[str, ...]:
        return tuple(self.project(p) for p in projects)

    def everything(self) -> str:
        """Every project and every file history: for outputs showing site-wide figures."""
        if self._site_digest is None:
            digest = hashlib.sha256()
            for project in self._site.projects:
                digest.update(self.project(project).encode() + b"\0")
                digest.update(self.history(project).encode() + b"\0")
            self._site_digest = "site:" + digest.hexdigest()
        return self._site_digest


# Settings that differ between two builds of the same site and that no output shows; and
# where the inputs are (spelt relative or absolute), not what they are: the data, templates
# and code are fingerprinted by content.
_VOLATILE = {
    "OUTPUT_PATH",
    "DISCLOSURES_PREVIOUS_OUTPUT",
    "DISCLOSURES_REPORT",
    "DISCLOSURES_PARALLEL_PAGES",
    "DISCLOSURES_WORKERS",
    "DISCLOSURES_SHARD",
    "DISCLOSURES_MERGE",
    "DISCLOSURES_MEMORY",
    "DISCLOSURES_TRAIL",
    "PATH",
    "DISCLOSURES_DATA_PATH",
    "DISCLOSURES_CACHE_PATH",
    "THEME",
    "PLUGIN_PATHS",
}


def plain_value(value: Any) -> bool:
    """A value that JSON states fully (so it can be fingerprinted by its text)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    if isinstance(value, list | tuple):
        return all(plain_value(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_value(v) for k, v in value.items())
    return False


def settings_text(settings: Mapping[str, Any]) -> str:
    """The settings as the fingerprints read them: those JSON states fully, but where the
    build writes and reads (_VOLATILE)."""
    plain = {k: v for k, v in settings.items() if k not in _VOLATILE and plain_value(v)}
    return json.dumps(plain, sort_keys=True, default=str)


def page_output(page: Page, tokens: _Tokens) -> Output:
    """A page: the templates, its URL and plain variables, its summary and its projects
    (for a project page, also the git history it lists). A page declaring no projects
    shows figures of the whole site and depends on all of them."""
    plain = {k: v for k, v in page.variables.items() if plain_value(v)}
    own = [
        "templates:" + tokens.inputs.templates,
        f"template:{page.template}",
        f"url:{page.url}",
        json.dumps(plain, sort_keys=True, ensure_ascii=False),
        "summary:" + page.summary,
    ]
    if page.inputs is None:
        own.append(tokens.everything())
    elif page.shown is not None:  # what it shows of its projects (an indicator page's rows)
        own.append(page.shown())
    else:
        own.extend(tokens.projects(page.inputs))
        if page.template == "project":
            own.append(tokens.history(page.variables["project"]))
    return Output(page.save_as, "page", tuple(own), page=page, shard=_page_shard(page))


def page_outputs(listed: list[Page], tokens: _Tokens, kept: KeptOutputs | None) -> list[Output]:
    """The pages' outputs; with `kept`, a page's output of the last plan when it is the same
    Page with the same templates and history (a page showing site-wide figures: never)."""
    if kept is None:
        return [page_output(page, tokens) for page in listed]
    if kept.templates != tokens.inputs.templates:
        kept.templates, kept.pages = tokens.inputs.templates, {}
    changes = tokens.inputs.changes
    outputs: list[Output] = []
    fresh: dict[int, tuple[Page, Any, Output]] = {}
    for page in listed:
        if page.inputs is None:
            outputs.append(page_output(page, tokens))
            continue
        history = (
            changes.get(page.variables["project"].source) if page.template == "project" else None
        )
        known = kept.pages.get(id(page))
        if known is not None and known[0] is page and known[1] == history:
            output = known[2]
        else:
            output = page_output(page, tokens)
        fresh[id(page)] = (page, history, output)
        outputs.append(output)
    kept.pages = fresh
    return outputs


def _page_shard(page: Page) -> str:
    """A year's pages (its projects, its page, its units' pages for that year) are made by
    that year's shard; the rest by the site shard."""
    if page.template == "project":
        return str(page.variables["project"].year)
    year = page.variables.get("year") if page.template in ("year", "unit") else None
    return str(year.key) if year is not None else SITE


def plan_site(
    site: SiteIndex,
    inputs: Inputs,
    listed: list[Page] | None = None,
    kept: KeptOutputs | None = None,
) -> Plan:
    """Every output of the site, from the index and the side tables (`listed`: the site's
    pages, when the caller has them already; `kept`: a builder's outputs of its last plan,
    taken where their inputs are the same, and updated)."""
    settings = inputs.settings
    tokens = _Tokens(site, inputs)
    if listed is None:
        listed = list(
            pages(
                site,
                inputs.urls,
                settings.get("DISCLOSURES_PAGE_SIZE", 500),
                settings.get("DISCLOSURES_COMPARE_ROWS", 2000),
            )
        )
    outputs = page_outputs(listed, tokens, kept)
    outputs += download_outputs(site, inputs, tokens, kept)
    outputs += admin_outputs(settings, kept)
    if settings.get("DISCLOSURES_SEARCH", True):
        project_pages = [o for o in outputs if o.page and o.page.template == "project"]
        outputs += search_outputs(project_pages)
    # Which release each part of the site is at (status.py): every part, for a whole build;
    # the publisher states the parts that trail when a builder publishes pages first.
    release = inputs.release
    outputs.append(
        Output(STATUS_PATH, "status", (release,), make=_constant(partial(status_bytes, release)))
    )
    return Plan(outputs)


def project_downloads(
    project: Project, history: list[Change], site: SiteIndex, urls: Urls, tokens: _Tokens
) -> tuple[Output, Output]:
    """A project's record (JSON, with its file's history) and its indicators (CSV)."""
    own, shard = tokens.project(project), str(project.year)
    record = Output(
        urls.project_json(project),
        "download",
        (own, tokens.history(project)),
        make=_constant(partial(project_record, project, history, urls, site.framework)),
        shard=shard,
    )
    table = Output(
        urls.project_csv(project),
        "download",
        (own,),
        make=_constant(partial(project_csv, project, site.framework)),
        shard=shard,
    )
    return record, table


def download_outputs(
    site: SiteIndex, inputs: Inputs, tokens: _Tokens, kept: KeptOutputs | None = None
) -> list[Output]:
    """Open data (export/): per project, per year, for the site; the feed and robots.txt.
    With `kept`, a project's two downloads of the last plan while their inputs are the same."""
    settings = inputs.settings
    siteurl = "" if settings.get("RELATIVE_URLS") else settings.get("SITEURL", "")
    siteurl = siteurl.rstrip("/")
    title = settings.get("SITENAME", "")
    urls = inputs.urls
    outputs: list[Output] = []
    per_project_csv = []
    downloads: list[str] = []
    known: dict[int, tuple[Project, Any, tuple[Output, ...]]] = {}
    fresh: dict[int, tuple[Project, Any, tuple[Output, ...]]] = {}
    if kept is not None:
        context = (urls.fingerprint(), urls.page_url, site.framework)
        if kept.context == context:
            known = kept.downloads
        kept.context = context
    for project in site.projects:
        history = inputs.changes.get(project.source, [])
        made = known.get(id(project))
        if made is not None and made[0] is project and made[1] == history:
            record, table = made[2]
        else:
            record, table = project_downloads(project, history, site, urls, tokens)
        fresh[id(project)] = (project, history, (record, table))
        outputs += [record, table]
        per_project_csv.append(table.path)
        downloads += [record.path, table.path]
    if kept is not None:
        kept.downloads = fresh
    projects = urls.download("projects.csv")
    outputs.append(
        Output(
            projects,
            "download",
            tokens.projects(site.projects),
            make=_constant(partial(projects_csv, site.projects, urls)),
        )
    )
    indicators = urls.download("indicators.csv")
    outputs.append(
        Output(
            indicators,
            "download",
            ("joined",),
            make=partial(site_indicators_csv, tuple(per_project_csv)),
            after=tuple(per_project_csv),
        )
    )
    results = urls.download("results.csv")
    outputs.append(
        Output(
            results,
            "download",
            tokens.projects(site.projects),
            make=_constant(partial(results_csv, site.projects)),
        )
    )
    downloads += [projects, indicators, results]
    # Readers' downloads (issue 16): every budget line, one CSV per comparison page, and
    # every year in one workbook while the site is small.
    budget_lines = urls.download("budget_lines.csv")
    outputs.append(
        Output(
            budget_lines,
            "download",
            tokens.projects(site.projects),
            make=_constant(partial(budget_lines_csv, site.projects)),
        )
    )
    downloads.append(budget_lines)
    for comparison in site.comparisons:
        csv_path = urls.comparison_csv(comparison.kind)
        outputs.append(
            Output(
                csv_path,
                "download",
                (repr(comparison.kind), *tokens.projects(comparison.projects)),
                make=_constant(partial(comparison_csv, tuple(comparison.matches), urls)),
            )
        )
        downloads.append(csv_path)
    all_rows = settings.get("DISCLOSURES_WORKBOOK_ALL_ROWS", 20000)
    if site.projects and site.profile.total <= all_rows:
        outputs.append(
            Output(
                urls.workbook("all"),
                "workbook",
                tokens.projects(site.projects),
                make=_constant(partial(year_workbook, site.projects, urls, site.framework)),
            )
        )
        downloads.append(urls.workbook("all"))
    for year in site.years:
        path = urls.workbook(year)
        outputs.append(
            Output(
                path,
                "workbook",
                tokens.projects(year.projects),
                make=_constant(partial(year_workbook, year.projects, urls, site.framework)),
                shard=str(year.key),
            )
        )
        downloads.append(path)
    package = urls.download("datapackage.json")
    outputs.append(
        Output(
            package,
            "download",
            (f"title:{title}", f"siteurl:{siteurl}", repr([c.kind for c in site.comparisons])),
            make=_constant(
                partial(
                    datapackage_file, title, siteurl, urls, tuple(c.kind for c in site.comparisons)
                )
            ),
        )
    )
    downloads.append(package)
    outputs.append(
        Output(
            urls.download("SHA256SUMS"),
            "checksums",
            (),
            make=partial(sha256sums, urls.downloads_folder, tuple(sorted(downloads))),
            after=tuple(sorted(downloads)),
        )
    )
    limit = settings.get("FEED_MAX_ITEMS") or 100
    feed = partial(feed_file, tuple(site.projects), inputs.changes, title, siteurl, limit, urls)
    outputs.append(
        Output(
            urls.feed(),
            "feed",
            (tokens.everything(), f"title:{title}", f"siteurl:{siteurl}", f"limit:{limit}"),
            make=_constant(feed),
        )
    )
    outputs.append(
        Output(
            "robots.txt",
            "file",
            (f"siteurl:{siteurl}",),
            make=_constant(partial(robots_file, siteurl)),
        )
    )
    return outputs


def admin_outputs(settings: dict[str, Any], kept: KeptOutputs | None = None) -> list[Output]:
    """/admin/, the web editor (admin_output.py): a few files generated from the settings and
    fields.py, and the vendored bundle; each output's input is its bytes' digest (cheap next
    to writing 5.8 MB of unchanged bundle again on every build). With `kept` (a long-lived
    builder, whose code does not change), the last build's outputs while the settings and
    the files read are the same: reading and hashing the bundle and writing the editor's
    configuration as YAML took 0.2 s a build."""
    key = _admin_key(settings) if kept is not None else ""
    if kept is not None and key and kept.admin[0] == key:
        return kept.admin[1]
    outputs = []
    for name, data in (admin_files(settings) or {}).items():
        digest = hashlib.sha256(data).hexdigest()
        outputs.append(
            Output(f"admin/{name}", "file", (digest,), make=_constant(partial(bytes, data)))
        )
    if kept is not None:
        kept.admin = (key, outputs)
    return outputs


def _admin_key(settings: dict[str, Any]) -> str:
    """The settings (as the fingerprints' base reads them) and the stat signature of every
    file /admin/ is made from; '' when one cannot be read."""
    from .admin_output import bundle_files
    from .settings import get

    text = [settings_text(settings), str(Path.cwd())]
    admin = Path.cwd() / get(settings, "DISCLOSURES_ADMIN_PATH")
    for name, path in sorted(bundle_files(admin).items()):
        try:
            st = path.stat()
        except OSError:
            return ""
        text.append(f"{name}\0{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}")
    return "\n".join(text)


def search_outputs(project_pages: list[Output]) -> list[Output]:
    """One Pagefind bundle per year (big years split by unit), the list of bundles, and the
    search UI's two files (the same bytes in every bundle: taken from the first)."""
    bundles = search.plan_bundles(
        [
            (o.path, str(o.page.variables["project"].year), o.page.variables["project"].unit_slug)
            for o in project_pages
            if o.page is not None
        ]
    )
    outputs: list[Output] = []
    for bundle in bundles:
        outputs.append(
            Output(
                f"{search.BUNDLE}/{bundle.name}/",
                "search",
                (search.INDEX_VERSION, f"pagefind {search.pagefind_version()}"),
                make=partial(search.make_bundle, bundle),
                after=bundle.pages,
                alone=True,
                shard=bundle.year,
            )
        )
    names = tuple(bundle.name for bundle in bundles)
    outputs.append(
        Output(
            f"{search.BUNDLE}/{search.BUNDLES_LIST}",
            "search",
            names,
            make=_constant(partial(search.bundles_list, names)),
        )
    )
    first = f"{search.BUNDLE}/{names[0]}/" if names else None
    for asset in search.UI_ASSETS:
        outputs.append(
            Output(
                f"{search.BUNDLE}/{asset}",
                "search",
                (f"pagefind {search.pagefind_version()}",),
                make=partial(search.ui_asset, asset, first),
                after=(first,) if first else (),
            )
        )
    return outputs


def _constant(make: Callable[[], Any]) -> Maker:
    """A maker that reads no other output."""
    return partial(_call, make)


def _call(make: Callable[[], Any], read: Read) -> Any:
    return make()


__all__ = ["Inputs", "KeptOutputs", "Output", "Plan", "plan_site", "Path"]
