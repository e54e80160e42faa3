"""Open data and discovery files, written at build time from the same SiteIndex as the pages.

Downloads (CSV with BOM, XLSX, JSON, datapackage.json, SHA256SUMS), the Atom feed,
robots.txt and the search page. Every file is a pure function of the data and its git
history: no timestamps, stable ordering, so two builds of the same data are identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import posixpath
from collections.abc import Callable, Mapping

from ..frameworks import Framework
from ..history import Change
from ..model import Project
from ..urls import Urls
from .csvfile import csv_bytes
from .datapackage import datapackage_bytes
from .feed import dated, feed_bytes
from .record import project_json
from .results import RESULTS, results_table_rows
from .tables import (
    BUDGET_LINES,
    COMPARISON,
    INDICATORS,
    PROJECTS,
    budget_line_rows,
    comparison_rows,
    indicator_rows,
    project_rows,
)
from .workbook import workbook_bytes

logger = logging.getLogger(__name__)

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def project_record(
    project: Project, history: list[Change], urls: Urls, framework: Framework | None = None
) -> bytes:
    """/YEAR/UNIT/PROJECT/project.json: the project and the git history of its file."""
    return project_json(project, history, urls.project(project), framework)


def project_csv(project: Project, framework: Framework | None = None) -> bytes:
    """/YEAR/UNIT/PROJECT/indicators.csv: the project's indicator rows (with their levels in
    the national framework: data/_mapping.yaml, part of every output's base digest)."""
    return csv_bytes(INDICATORS, indicator_rows([project], framework))


def projects_csv(projects: list[Project], urls: Urls) -> bytes:
    return csv_bytes(PROJECTS, project_rows(projects, urls.project, urls.project_json))


def site_indicators_csv(project_files: tuple[str, ...], read: Callable[[str], bytes]) -> bytes:
    """Every indicator row of the site. CSV rows are independent of each other: the projects'
    own files joined give byte for byte what csv_bytes(INDICATORS, all rows) gives."""
    empty_table = csv_bytes(INDICATORS, [])
    return empty_table + b"".join(read(path)[len(empty_table) :] for path in project_files)


def results_csv(projects: list[Project]) -> bytes:
    """downloads/results.csv: every self-evaluation result (issue 14)."""
    return csv_bytes(RESULTS, results_table_rows(projects))


def budget_lines_csv(projects: list[Project]) -> bytes:
    """downloads/budget_lines.csv: every line of every project's budget block."""
    return csv_bytes(BUDGET_LINES, budget_line_rows(projects))


def comparison_csv(matches: tuple, urls: Urls) -> bytes:
    """downloads/compare-KIND.csv: every target of one comparison kind (comparisons.py)."""
    return csv_bytes(COMPARISON, comparison_rows(matches, urls.project))


def datapackage_file(title: str, siteurl: str, urls: Urls, kinds: tuple = ()) -> bytes:
    return datapackage_bytes(title, siteurl, urls, kinds)


def feed_file(
    projects: tuple[Project, ...],
    changes: Mapping[str, list[Change]],
    title: str,
    siteurl: str,
    limit: int,
    urls: Urls,
) -> bytes:
    entries = [d for p in projects if (d := dated(p, changes.get(p.source, [])))]
    return feed_bytes(entries, title, siteurl, limit, urls)


def newest_date(projects: list[Project], changes: Mapping[str, list[Change]]) -> dt.datetime:
    """The newest date in the data (publication dates and git commits)."""
    entries = [d for p in projects if (d := dated(p, changes.get(p.source, [])))]
    return max((e.updated for e in entries), default=_EPOCH)


def robots_file(siteurl: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {siteurl}/sitemap.xml\n".encode()


def year_workbook(projects: list[Project], urls: Urls, framework: Framework | None = None) -> bytes:
    """One year's projects and indicators. A workbook per year, not one for the site: Excel
    users read a year at a time, and an edit makes only its year's workbook again (the whole
    site's was a third of a 10,000-project rebuild). Stamped with the newest publication
    date of the year, a fact of the data (git dates are not part of a year's inputs)."""
    dates = [p.published for p in projects if p.published is not None]
    stamp = max(
        (dt.datetime.combine(d.first_day(), dt.time()) for d in dates),
        default=dt.datetime(projects[0].year if projects else 1970, 1, 1),
    )
    return workbook_bytes(
        [
            (PROJECTS, project_rows(projects, urls.project, urls.project_json)),
            (INDICATORS, indicator_rows(projects, framework)),
            (BUDGET_LINES, budget_line_rows(projects)),
            (RESULTS, results_table_rows(projects)),
        ],
        stamp,
    )


def sha256sums(folder: str, paths: tuple[str, ...], read: Callable[[str], bytes]) -> bytes:
    """`sha256sum -c SHA256SUMS` run inside the downloads folder (`folder`, ending with /)
    checks every download."""
    lines = []
    for path in sorted(paths):
        name = posixpath.relpath(path, folder)
        lines.append(f"{hashlib.sha256(read(path)).hexdigest()}  {name}\n")
    return "".join(lines).encode("utf-8")


def date_sitemap(newest: dt.datetime) -> None:
    """pelican-sitemap dates pages it knows no date for with the build time; our pages change
    when the data does, so give it the newest data date instead (reproducible builds)."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # pragma: no cover - plugin not installed
        return
    sitemap.generator.now = newest
