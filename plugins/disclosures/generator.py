"""The Pelican generator, in Pelican's two phases: read (load → validate → model → index) in
generate_context; write in generate_output = plan (plan.py) + publish (publish.py)."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache
from pelican import signals
from pelican.generators import Generator

from . import cache
from . import settings as S
from . import sitemap as sitemaps
from .charts import template_globals as chart_globals
from .export import newest_date
from .glossary import GlossaryError, load_glossary
from .history import file_histories
from .index import SiteIndex, build_index
from .pagelist import list_pages
from .pipeline import LoadResult, load_projects
from .plan import Inputs, KeptOutputs, Output, Plan, plan_site, settings_text
from .publish import (
    SHARD_MANIFEST,
    KeptPrints,
    Live,
    Published,
    base_digest,
    forget_manifest,
    input_stamp,
    load_manifest,
    load_shard,
    prune_folders,
    publish,
    save_manifest,
    seed,
    shard_manifest,
    templates_digest,
)
from .reindex import KeptIndex, Touched, index_projects
from .render import Page, pages, template_filters
from .results.pages import template_globals as results_globals
from .status import release_name
from .store import LayeredSeed
from .urls import UrlError, Urls

logger = logging.getLogger(__name__)


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates kept in memory by a long-lived builder (cache.Memory).
    Jinja checks each template's source against the checksum stored with its code."""

    def __init__(self) -> None:
        self.saved: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.saved.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.saved[bucket.key] = bucket.bytecode_to_string()


class DataError(Exception):
    """Invalid data: the build stops before anything is written."""

    exitcode = 1


def data_path(settings: dict) -> Path:
    # Resolved: the same folder spelt another way (relative, with ..) is the same data for
    # the cache and for incremental builds.
    return (Path.cwd() / S.get(settings, "DISCLOSURES_DATA_PATH")).resolve()


class DisclosuresGenerator(Generator):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.env.filters.update(template_filters())
        memory = S.get(self.settings, "DISCLOSURES_MEMORY")
        if memory is not None:  # a long-lived builder: templates compiled once, not per build
            options = repr(sorted(self.settings.get("JINJA_ENVIRONMENT", {}).items()))
            self.env.bytecode_cache = memory.templates.setdefault(options, CompiledTemplates())
        # Where every page and file lives (the URL settings): for the plan and, as `urls` in
        # the context every generator shares (Pelican's pages link to ours too), for the
        # templates: `{{ SITEURL }}/{{ urls.project(p) }}`.
        try:
            self.urls = Urls(self.settings)
        except UrlError as error:
            raise DataError(str(error)) from error
        self.context["urls"] = self.urls
        self.cache_dir = cache.directory(S.get(self.settings, "DISCLOSURES_CACHE_PATH"))
        # The live site: the one `disclosures build` names, or (plain `pelican`) the output
        # folder itself, built in place, unless Pelican empties it first.
        previous = self.settings.get("DISCLOSURES_PREVIOUS_OUTPUT")
        self.in_place = not previous and not self.settings.get("DELETE_OUTPUT_DIRECTORY")
        self.live_dir = Path(previous) if previous else (
            Path(self.output_path) if self.in_place else None
        )  # fmt: skip
        memory = S.get(self.settings, "DISCLOSURES_MEMORY")
        self.live = load_manifest(
            self.cache_dir, self.live_dir, memory.manifest if memory is not None else None
        )
        self.stamp = self._stamp() if self.in_place else None
        # Plain `pelican` with no changed input stops here, as `disclosures build` does
        # before starting Pelican: the files in place are the files a build would make.
        self.unchanged = (
            self.stamp is not None
            and self.live.stamps.get("pelican") == self.stamp
            and all((Path(self.output_path) / name).is_file() for name in self.live.files())
        )
        # Read at construction, not in generate_context: Pelican empties the output folder
        # (DELETE_OUTPUT_DIRECTORY) between constructing generators and generate_context, and
        # invalid data must stop the build before the last good site is touched.
        self.result: LoadResult = LoadResult() if self.unchanged else self._load()
        self.site: SiteIndex | None = None
        self.touched = Touched(everything=True)  # what changed since the builder's last index
        self.kept: KeptIndex | None = None  # the builder's index (reindex.py)
        self._pages: list[Page] | None = None
        self.published: Published | None = None
        self.seeded: set[str] | None = None
        self.unseeded: list[str] = []  # Pelican's files of the live site, taken away
        self.layered = False  # the release shares folders through the store (store.py)
        # Reader help (issue 7): charts drawn at build time, the glossary behind the "?" links.
        self.env.globals.update(chart_globals())
        self.env.globals.update(results_globals())  # self-evaluation results (issue 14)
        try:
            self.glossary = load_glossary(data_path(self.settings))
        except GlossaryError as error:
            raise DataError(str(error)) from error

    def _stamp(self) -> str:
        folders = [Path(self.settings["PATH"]), Path(self.theme)]
        folders += [Path(p) for p in self.settings.get("PLUGIN_PATHS") or []]
        # The web editor (/admin/, cms.py): its scripts and lock file.
        admin = Path.cwd() / S.get(self.settings, "DISCLOSURES_ADMIN_PATH")
        folders.append(admin / "src")
        lock = admin / "package-lock.json"
        text = settings_text(self.settings) + (lock.read_text("utf-8") if lock.is_file() else "")
        # The change history given as a file (deploy hooks) instead of git: its bytes.
        history = S.get(self.settings, "DISCLOSURES_HISTORY_FILE")
        if history and Path(history).is_file():
            text += Path(history).read_text("utf-8")
        return input_stamp(text, data_path(self.settings), folders)

    def _load(self) -> LoadResult:
        root = data_path(self.settings)
        if not root.is_dir():
            raise DataError(f"数据文件夹不存在 / data folder not found: {root}")
        report = self.settings.get("DISCLOSURES_REPORT")
        result = load_projects(
            [root],
            data_root=root,
            cache_path=S.get(self.settings, "DISCLOSURES_CACHE_PATH"),
            progress=report.on_load if report is not None else None,
            memory=S.get(self.settings, "DISCLOSURES_MEMORY"),
        )
        if report is not None:
            report.cache = result.cache_stats
        for problem in result.warnings:
            logger.warning("[disclosures] %s", problem.format())
        if result.errors:
            for problem in result.errors:
                logger.error("[disclosures] %s", problem.format())
            raise DataError(
                f"{len(result.errors)} 处数据错误，未生成网站 / {len(result.errors)} data "
                f"error(s) in {root}: nothing was built"
            )
        return result

    def generate_context(self) -> None:
        if self.unchanged:
            self.context["glossary"] = self.glossary
            self.context["glossary_terms"] = self.glossary.lookup()
            logger.info("[disclosures] nothing changed since %s was built", self.output_path)
            return
        # A new release beside the live site: the live files hard-linked in one go while the
        # index is made (publish.Seed; only its top when it shares folders through the
        # release store: store.LayeredSeed), done before any generator writes; the publisher
        # keeps the unchanged ones.
        seeding = (
            seed(Path(self.output_path), self.live_dir, self.live.outputs)
            if self.live_dir is not None and not self.in_place
            else None
        )
        try:
            self._read_index()
        finally:  # also when it fails: no `cp` left writing into the folder
            self.seeded = seeding.wait() if seeding is not None else None
        self.unseeded = seeding.removed if seeding is not None else []
        self.layered = isinstance(seeding, LayeredSeed) and self.seeded is not None
        logger.info(
            "[disclosures] %d projects from %d files", len(self.site.projects), self.result.files
        )

    def _read_index(self) -> None:
        # The loaded projects and their index live until the pages are written: keep the
        # cyclic collector from scanning them over and over (and, in the forked renderers,
        # from copying the memory it would touch). generate_output unfreezes them.
        gc.freeze()
        memory = S.get(self.settings, "DISCLOSURES_MEMORY")
        if memory is None:
            self.site = build_index(
                self.result.projects, self.result.framework, self.result.comparisons
            )
        else:  # a long-lived builder: its last index, updated per changed project
            kept, memory.index = memory.index, None  # an update that fails is not kept
            kept, self.touched = index_projects(
                kept, self.result.projects, self.result.framework, self.result.comparisons
            )
            memory.index = self.kept = kept
            self.site = kept.site
        gc.freeze()
        self.context["disclosures"] = self.site
        # Templates read the plugin's settings (footer, staff pages) with their defaults.
        for name, value in S.DEFAULTS.items():
            self.context.setdefault(name, value)
        self.context["glossary"] = self.glossary
        self.context["glossary_terms"] = self.glossary.lookup()
        # Git history of every data file, one `git log` for all (see history.py).
        self.context["disclosures_changes"] = file_histories(
            data_path(self.settings),
            [p.source for p in self.site.projects],
            S.get(self.settings, "DISCLOSURES_HISTORY_FILE"),
        )

    def generate_output(self, writer) -> None:
        """Write = plan + publish: every output declared once (plan.py), unchanged ones
        linked from the live site, the others made on the build's workers (publish.py)."""
        if self.unchanged:  # every output in place, the sitemap among them: not touched
            module = sitemaps.registered()
            if module is not None:
                sitemaps.take_over(module)
            return
        try:
            self._publish(writer)
        finally:
            gc.unfreeze()

    def _finalized(self, pelican) -> None:
        signals.finalized.disconnect(self._finalized)
        if self.live_dir is not None:
            save_manifest(self.cache_dir, self.live_dir, self._live_to_save)

    def site_pages(self) -> list[Page]:
        """Every page of the plugin (render.pages), listed once per build: the plan and the
        editorial pages' check (pagecheck.py) read the same list."""
        assert self.site is not None
        if self._pages is not None:
            return self._pages
        size = S.get(self.settings, "DISCLOSURES_PAGE_SIZE")
        rows = S.get(self.settings, "DISCLOSURES_COMPARE_ROWS")
        memory = S.get(self.settings, "DISCLOSURES_MEMORY")
        if memory is None or self.kept is None:
            self._pages = list(pages(self.site, self.urls, size, rows))
        else:  # a long-lived builder: its last list, made again where the index changed
            kept, memory.pages = memory.pages, None
            memory.pages, self._pages = list_pages(
                kept, self.kept, self.touched, self.urls, size, rows
            )
        return self._pages

    def plan(self, newest: dt.datetime | None = None) -> Plan:
        """The plan of every output; with the sitemap (sitemap.py, when pelican-sitemap is
        registered for the build: this takes its place) when `newest` dates the pages."""
        assert self.site is not None
        inputs = Inputs(
            digests=self.result.digests,
            changes=self.context.get("disclosures_changes") or {},
            templates=templates_digest(self.theme, self.context),
            settings={k: S.get(self.settings, k) for k in S.DEFAULTS} | dict(self.settings),
            urls=self.urls,
            release=release_name(os.environ.get("DISCLOSURES_COMMIT"), self.result.contents),
        )
        memory = S.get(self.settings, "DISCLOSURES_MEMORY")
        if memory is None or self.kept is None:
            plan = plan_site(self.site, inputs, self.site_pages())
        else:  # a long-lived builder: the outputs of its last plan, where still the same
            kept, memory.outputs = memory.outputs or KeptOutputs(), None
            plan = plan_site(self.site, inputs, self.site_pages(), kept)
            memory.outputs = kept
        module = sitemaps.registered() if newest is not None else None
        if module is None:
            return plan
        queued = sitemaps.take_over(module)  # what Pelican's generators wrote before ours
        name, text = sitemaps.sitemap_text(
            module,
            self.settings,
            self.output_path,
            [o.path for o in plan if o.page is not None],
            queued,
            newest,
        )
        data = text.encode("utf-8")
        made = Output(name, "file", (sitemaps.digest(data),), make=sitemaps.maker(data))
        return Plan([*plan.outputs, made])

    def _kept_prints(self) -> KeptPrints | None:
        """A long-lived builder's fingerprints of its last plan (publish.KeptPrints)."""
        memory = S.get(self.settings, "DISCLOSURES_MEMORY")
        if memory is None:
            return None
        if memory.prints is None:
            memory.prints = KeptPrints()
        return memory.prints

    def _publish(self, writer) -> None:
        assert self.site is not None
        report = self.settings.get("DISCLOSURES_REPORT")
        relative = self.settings["RELATIVE_URLS"]
        if self.in_place and self.live_dir is not None:
            forget_manifest(self.cache_dir, self.live_dir)  # saved again when finalized

        def render(page: Page) -> None:
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                relative_urls=relative,
                page_url=page.url,
                **page.template_variables(),
            )

        # The sitemap dates the plugin's pages with the newest data date (reproducible).
        newest = newest_date(self.site.projects, self.context.get("disclosures_changes", {}))
        plan = self.plan(newest)
        shard = S.get(self.settings, "DISCLOSURES_SHARD")
        if shard:
            plan = plan.subset(str(shard))
        sources = [(self.live_dir, self.live.outputs)] if self.live_dir is not None else []
        for folder in S.get(self.settings, "DISCLOSURES_MERGE") or []:
            sources.append((Path(folder), load_shard(Path(folder))))
        published = publish(
            plan,
            writer,
            render,
            base_digest(self.settings, data_path(self.settings)),
            Path(self.output_path),
            sources,
            workers=S.get(self.settings, "DISCLOSURES_WORKERS"),
            minimum=S.get(self.settings, "DISCLOSURES_PARALLEL_PAGES"),
            trail=bool(S.get(self.settings, "DISCLOSURES_TRAIL")),
            seeded=self.seeded,
            kept=self._kept_prints(),
            layered=self.layered,
        )
        prune_folders(Path(self.output_path), self.unseeded)  # e.g. a removed editorial page
        if shard:
            writer.write_bytes(SHARD_MANIFEST, shard_manifest(published.manifest))
        self.published = published
        live = Live(published.manifest, {}, newest.isoformat())
        if report is not None:
            report.reused += published.linked_pages
            report.rendered_aside += published.made_aside
            report.live = live
            report.trailing = dict(published.trailing)
            report.made_pages = published.made_pages
            report.manifest_cache = self.cache_dir
        if self.in_place and self.stamp is not None:
            live.stamps["pelican"] = self.stamp
            # Saved once Pelican has written everything (its pages, the sitemap): the
            # folder's identity is then final.
            self._live_to_save = live
            signals.finalized.connect(self._finalized)
        logger.info(
            "[disclosures] %d outputs: %d made, %d unchanged",
            len(published.manifest),
            published.made,
            published.linked,
        )
