"""The Pelican generator: runs the pipeline and writes pages through Pelican's writer."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from pelican.generators import Generator

from . import cache
from . import settings as S
from .charts import template_globals as chart_globals
from .export import workbook_jobs, write_open_data
from .export.offload import Offloaded
from .export.search import finish_search_index, start_search_index
from .glossary import GlossaryError, load_glossary
from .history import file_histories
from .incremental import Fingerprints, load_manifest
from .index import SiteIndex, build_index
from .parallel import render_all
from .pipeline import LoadResult, load_projects
from .render import Page, pages, template_filters
from .results.pages import template_globals as results_globals

logger = logging.getLogger(__name__)


class DataError(Exception):
    """Invalid data: the build stops before anything is written."""

    exitcode = 1


def data_path(settings: dict) -> Path:
    # Resolved: the same folder spelt another way (relative, with ..) is the same data for
    # the cache and for incremental builds.
    return (Path.cwd() / S.get(settings, "DISCLOSURES_DATA_PATH")).resolve()


def writer_reuses(writer, page) -> bool:
    """Take the page from the live site when the writer can (LinkingWriter.reuse)."""
    reuse = getattr(writer, "reuse", None)
    return bool(reuse and reuse(page.save_as))


class DisclosuresGenerator(Generator):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.env.filters.update(template_filters())
        # Read at construction, not in generate_context: Pelican empties the output folder
        # (DELETE_OUTPUT_DIRECTORY) between constructing generators and generate_context, and
        # invalid data must stop the build before the last good site is touched.
        self.result: LoadResult = self._load()
        self.site: SiteIndex | None = None
        # Reader help (issue 7): charts drawn at build time, the glossary behind the "?" links.
        self.env.globals.update(chart_globals())
        self.env.globals.update(results_globals())  # self-evaluation results (issue 14)
        try:
            self.glossary = load_glossary(data_path(self.settings))
        except GlossaryError as error:
            raise DataError(str(error)) from error

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
        # The loaded projects and their index live until the pages are written: keep the
        # cyclic collector from scanning them over and over (and, in the forked renderers,
        # from copying the memory it would touch). generate_output unfreezes them.
        gc.freeze()
        self.site = build_index(self.result.projects, self.result.framework)
        gc.freeze()
        self.context["disclosures"] = self.site
        self.context["glossary"] = self.glossary
        self.context["glossary_terms"] = self.glossary.lookup()
        # Git history of every data file, one `git log` for all (see history.py).
        self.context["disclosures_changes"] = file_histories(
            data_path(self.settings),
            [p.source for p in self.site.projects],
            S.get(self.settings, "DISCLOSURES_HISTORY_FILE"),
        )
        logger.info(
            "[disclosures] %d projects from %d files", len(self.site.projects), self.result.files
        )

    def generate_output(self, writer) -> None:
        try:
            self._generate_output(writer)
        finally:
            gc.unfreeze()

    def _generate_output(self, writer) -> None:
        assert self.site is not None
        relative = self.settings["RELATIVE_URLS"]
        report = self.settings.get("DISCLOSURES_REPORT")
        previous = self.settings.get("DISCLOSURES_PREVIOUS_OUTPUT")
        cache_dir = cache.directory(S.get(self.settings, "DISCLOSURES_CACHE_PATH"))
        # Pages whose inputs are unchanged come from the live site (incremental.py).
        reusable = load_manifest(cache_dir, Path(previous)) if previous else {}
        fingerprints = Fingerprints(self.settings, self.context, self.theme)
        plan = [
            (page, fingerprints.of(page))
            for page in pages(self.site, S.get(self.settings, "DISCLOSURES_PAGE_SIZE"))
        ]
        # The workbooks of changed years are made on the other core while pages render.
        changed_years = {
            page.variables["year"].key
            for page, fingerprint in plan
            if page.template == "year"
            and (fingerprint is None or reusable.get(page.save_as) != fingerprint)
        }
        offloaded = Offloaded(workbook_jobs([y for y in self.site.years if y.key in changed_years]))
        search = None
        site = Path(self.output_path)
        try:
            # Project pages first: they are all search indexes, which then run while the
            # other pages and the downloads are made.
            projects = [item for item in plan if item[0].template == "project"]
            others = [item for item in plan if item[0].template != "project"]
            unchanged = self._write_pages(writer, projects, reusable, relative)
            if S.get(self.settings, "DISCLOSURES_SEARCH"):
                search = start_search_index(site, Path(previous) if previous else None)
            unchanged |= self._write_pages(writer, others, reusable, relative)
            if report is not None:
                report.pages = {page.save_as: f for page, f in plan if f is not None}
                report.pages_cache = cache_dir
            write_open_data(self, writer, frozenset(unchanged), offloaded)
        except BaseException:
            offloaded.close()
            if search is not None:
                search.kill()
                search.wait()
            raise
        if search is not None:
            finish_search_index(search, site)

    def _write_pages(self, writer, plan, reusable: dict[str, str], relative: bool) -> set[str]:
        """Link unchanged pages from the live site, render the others (on both cores:
        parallel.py); the URLs of the pages linked."""
        unchanged: set[str] = set()
        fresh: list[Page] = []
        for page, fingerprint in plan:
            if (
                fingerprint is not None
                and reusable.get(page.save_as) == fingerprint
                and writer_reuses(writer, page)
            ):
                unchanged.add(page.url)
            else:
                fresh.append(page)

        def render(page: Page) -> None:
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                relative_urls=relative,
                page_url=page.url,
                **page.template_variables(),
            )

        aside = render_all(
            fresh, render, writer, S.get(self.settings, "DISCLOSURES_PARALLEL_PAGES")
        )
        report = self.settings.get("DISCLOSURES_REPORT")
        if report is not None:
            report.rendered_aside += aside
        return unchanged
