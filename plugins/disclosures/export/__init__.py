"""Open data and discovery files, written at build time from the same SiteIndex as the pages.

Downloads (CSV with BOM, XLSX, JSON, datapackage.json, SHA256SUMS), the Atom feed,
robots.txt and the search page. Every file is a pure function of the data and its git
history: no timestamps, stable ordering, so two builds of the same data are identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..history import Change
from ..index import SiteIndex, Year
from ..model import Project
from .csvfile import csv_bytes
from .datapackage import datapackage_bytes
from .feed import FEED_PATH, dated, feed_bytes
from .offload import Jobs, Offloaded
from .record import project_json
from .results import RESULTS, results_table_rows
from .tables import INDICATORS, PROJECTS, indicator_rows, project_rows
from .workbook import workbook_bytes

logger = logging.getLogger(__name__)

DOWNLOADS = "downloads"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def open_data_files(
    site: SiteIndex,
    changes: dict[str, list[Change]],
    title: str,
    siteurl: str,
    feed_limit: int = 100,
    reuse: Callable[[str], bytes | None] | None = None,
    made: dict[str, bytes] | None = None,
) -> tuple[dict[str, bytes], dt.datetime]:
    """Every file by its path in the output folder, and the newest date in the data.

    `reuse(path)` gives the live site's bytes of a file whose inputs are unchanged (a
    project's files when its page was not re-rendered, a year's workbook when the year page
    was not: incremental.py), or None; those are not made again. `made`: files already made
    by another process (offload.py)."""
    reuse = reuse or (lambda path: None)
    made = made or {}
    files: dict[str, bytes] = {}
    empty_table = csv_bytes(INDICATORS, [])
    bodies: list[bytes] = []  # each project's indicator rows, for the site-wide CSV
    for project in site.projects:
        json_path, csv_path = f"{project.url}project.json", f"{project.url}indicators.csv"
        old_json = reuse(json_path)
        old_csv = reuse(csv_path) if old_json is not None else None
        if old_json is not None and old_csv is not None and old_csv.startswith(empty_table):
            files[json_path], files[csv_path] = old_json, old_csv
        else:
            history = changes.get(project.source, [])
            files[json_path] = project_json(project, history)
            files[csv_path] = csv_bytes(INDICATORS, indicator_rows([project]))
        bodies.append(files[csv_path][len(empty_table) :])
    entries = [d for p in site.projects if (d := dated(p, changes.get(p.source, [])))]
    newest = max((e.updated for e in entries), default=_EPOCH)
    files[f"{DOWNLOADS}/projects.csv"] = csv_bytes(PROJECTS, project_rows(site.projects))
    # CSV rows are independent of each other: the site-wide file is the projects' own files
    # joined, byte for byte what csv_bytes(INDICATORS, all rows) gives.
    files[f"{DOWNLOADS}/indicators.csv"] = empty_table + b"".join(bodies)
    files[f"{DOWNLOADS}/results.csv"] = csv_bytes(RESULTS, results_table_rows(site.projects))
    for year in site.years:
        path = workbook_path(year.key)
        files[path] = reuse(path) or made.get(path) or year_workbook(year.projects)
    files[f"{DOWNLOADS}/datapackage.json"] = datapackage_bytes(title, siteurl)
    files[f"{DOWNLOADS}/SHA256SUMS"] = sha256sums(files)
    files[FEED_PATH] = feed_bytes(entries, title, siteurl, feed_limit)
    files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {siteurl}/sitemap.xml\n".encode()
    return files, newest


def workbook_jobs(years: list[Year]) -> Jobs:
    """The workbooks of these years, to be made while pages render (offload.py)."""
    return {workbook_path(year.key): partial(year_workbook, year.projects) for year in years}


def workbook_path(year: str) -> str:
    return f"{DOWNLOADS}/disclosures-{year}.xlsx"


def year_workbook(projects: list[Project]) -> bytes:
    """One year's projects and indicators. A workbook per year, not one for the site: Excel
    users read a year at a time, and an edit makes only its year's workbook again (the whole
    site's was a third of a 10,000-project rebuild). Stamped with the newest publication
    date of the year, a fact of the data (git dates are not part of a year's inputs)."""
    dates = [p.published for p in projects if p.published is not None]
    stamp = max(
        (dt.datetime(d.year, d.month, d.day or 1) for d in dates),
        default=dt.datetime(projects[0].year if projects else 1970, 1, 1),
    )
    return workbook_bytes(
        [
            (PROJECTS, project_rows(projects)),
            (INDICATORS, indicator_rows(projects)),
            (RESULTS, results_table_rows(projects)),
        ],
        stamp,
    )


def sha256sums(files: dict[str, bytes]) -> bytes:
    """`sha256sum -c SHA256SUMS` run inside downloads/ checks every download."""
    lines = []
    for path in sorted(files):
        name = path[len(DOWNLOADS) + 1 :] if path.startswith(DOWNLOADS + "/") else "../" + path
        lines.append(f"{hashlib.sha256(files[path]).hexdigest()}  {name}\n")
    return "".join(lines).encode("utf-8")


def _page_of(path: str) -> str:
    """The URL of the page whose inputs a file shares: a project's files → the project page,
    a year's workbook → the year page."""
    name = path.rsplit("/", 1)[-1]
    if path.startswith(f"{DOWNLOADS}/disclosures-") and name.endswith(".xlsx"):
        return name.removeprefix("disclosures-").removesuffix(".xlsx") + "/"
    return path.rsplit("/", 1)[0] + "/"


def write_open_data(
    generator,
    writer,
    unchanged: frozenset[str] = frozenset(),
    offloaded: Offloaded | None = None,
) -> None:
    """Called once from DisclosuresGenerator.generate_output. `unchanged`: URLs of pages
    taken from the live site; the files made from the same inputs are taken from it too.
    `offloaded`: workbooks being made in another process since before the pages."""
    settings = generator.settings
    siteurl = "" if settings.get("RELATIVE_URLS") else settings.get("SITEURL", "")
    previous = settings.get("DISCLOSURES_PREVIOUS_OUTPUT")
    linked: set[str] = set()

    def reuse(path: str) -> bytes | None:
        if previous is None or _page_of(path) not in unchanged:
            return None
        try:
            data = (Path(previous) / path).read_bytes()
        except OSError:
            return None
        linked.add(path)
        return data

    files, newest = open_data_files(
        generator.site,
        generator.context.get("disclosures_changes", {}),
        settings.get("SITENAME", ""),
        siteurl.rstrip("/"),
        settings.get("FEED_MAX_ITEMS") or 100,
        reuse,
        offloaded.results() if offloaded is not None else None,
    )
    output = Path(generator.output_path)
    for path, data in files.items():
        target = output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if path in linked:
            try:
                os.link(Path(previous) / path, target)  # unchanged: no copy written
                continue
            except OSError:
                pass
        target.write_bytes(data)
    _date_sitemap(newest)
    writer.write_file(
        "search/index.html",
        generator.get_template("search"),
        generator.context,
        relative_urls=settings.get("RELATIVE_URLS"),
        page_url="search/",
        page_kind="search",
    )
    logger.info("[disclosures] wrote %d open-data files", len(files))


def _date_sitemap(newest: dt.datetime) -> None:
    """pelican-sitemap dates pages it knows no date for with the build time; our pages change
    when the data does, so give it the newest data date instead (reproducible builds)."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # pragma: no cover - plugin not installed
        return
    sitemap.generator.now = newest
