"""What pages the site has, and what each template receives (the template contract).

Every page is a `Page(save_as, url, template, variables)`; the generator hands them to
Pelican's writer. Template variables are listed in docs/templates.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .compare import KIND_LABELS as CHANGE_LABELS
from .compare import compare
from .comparisons import unique_projects
from .index import IndicatorGroup, SiteIndex, Unit, Year, profile_of
from .markup import render_markdown
from .model import Project
from .money import format_wan, format_yuan
from .patterns import pattern_variables
from .results.pages import results_summary
from .rows import table_rows
from .targets import KIND_LABELS, format_number
from .urls import Urls


@dataclass
class Page:
    save_as: str
    url: str
    template: str
    variables: dict[str, Any] = field(default_factory=dict)
    # The projects whose data the page shows: inputs of the page's output (plan.py). None:
    # it shows site-wide figures (home, indicator index …) and depends on every project;
    # (): on none.
    inputs: tuple[Project, ...] | None = None
    # Figures the page shows that come from beyond its inputs (an indicator's totals over all
    # its projects), as text for the fingerprint.
    summary: str = ""
    # Variables derived from the inputs that cost time to compute (the comparison with last
    # year, table rowspans): computed only for a page that is rendered, not reused.
    derived: Callable[[], dict[str, Any]] | None = None
    # What the page shows of its inputs, when it is less than their whole data (an indicator
    # page shows one row of each project): this text stands for the projects in the page's
    # fingerprint (plan.py), so an edit elsewhere in a project leaves the page as it is.
    shown: Callable[[], str] | None = None

    def template_variables(self) -> dict[str, Any]:
        return {**self.variables, **self.derived()} if self.derived else self.variables


def pages(
    site: SiteIndex, urls: Urls, page_size: int = 500, compare_rows: int = 2000
) -> Iterator[Page]:
    """Every page of the site, at the addresses `urls` gives (the URL settings).
    `page_size`: rows per indicator page (DISCLOSURES_PAGE_SIZE); `compare_rows`: rows of a
    comparison page before it is split by year."""
    yield from opening_pages(urls)
    for group in site.indicators:
        yield from indicator_pages(group, urls, page_size)
    units = {unit.key: unit for unit in site.units}  # one lookup per year-unit page
    for year in site.years:
        yield from year_pages(year, units, urls)
    for unit in site.units:
        yield unit_page(unit, urls)
    for project in site.projects:
        yield project_page(project, site, urls)
    yield from closing_pages(site, urls, compare_rows)


def opening_pages(urls: Urls) -> Iterator[Page]:
    """The home page and the indicator index's two views."""
    yield Page(urls.save_as("home"), urls.home(), "home", {"page_kind": "home"})
    yield Page(
        urls.save_as("indicators"),
        urls.indicators(),
        "indicators",
        {"page_kind": "indicators", "view": "national"},
    )
    yield Page(
        urls.save_as("indicators_written"),
        urls.indicators_written(),
        "indicators",
        {"page_kind": "indicators", "view": "written"},
    )


def closing_pages(site: SiteIndex, urls: Urls, compare_rows: int) -> Iterator[Page]:
    """The pages listed after the projects' (reader help, comparisons, 404)."""
    # --- reader help (issue 7): glossary and pattern pages; the pattern page is not in the nav.
    # These three show no project's data: they depend on no project (plan.py).
    yield Page(urls.save_as("glossary"), urls.glossary(), "glossary", {"page_kind": "glossary"}, ())
    yield Page(urls.save_as("patterns"), urls.patterns(), "patterns", pattern_variables(), ())
    yield Page(urls.save_as("search"), urls.search(), "search", {"page_kind": "search"}, ())
    # --- end reader help
    yield from comparison_pages(site, urls, compare_rows)
    yield Page("404.html", "404.html", "404", {"page_kind": "404"})


def year_pages(year: Year, units: dict[str, Unit], urls: Urls) -> Iterator[Page]:
    """A year's page and its units' pages for that year (`units`: every unit, by key)."""
    yield Page(
        urls.save_as("year", year=year.key),
        urls.year(year),
        "year",
        {"year": year, "page_kind": "year"},
        tuple(year.projects),
    )
    for unit in year.units:
        yield Page(
            urls.save_as("year_unit", year=year.key, unit=unit.key),
            urls.year_unit(year, unit),
            "unit",
            {"unit": unit, "year": year, "all_years": units[unit.key], "page_kind": "unit"},
            (*unit.projects, *units[unit.key].projects),
        )


def unit_page(unit: Unit, urls: Urls) -> Page:
    return Page(
        urls.save_as("unit", unit=unit.key),
        urls.unit(unit),
        "unit",
        {"unit": unit, "year": None, "all_years": unit, "page_kind": "unit"},
        tuple(unit.projects),
    )


def project_page(project: Project, site: SiteIndex, urls: Urls) -> Page:
    previous = site.previous.get(project.key)
    history = site.history(project)
    return Page(
        urls.save_as("project", year=project.year, unit=project.unit_slug, slug=project.slug),
        urls.project(project),
        "project",
        {
            "project": project,
            "history": history,
            "previous": previous,
            "following": site.following.get(project.key),
            "page_kind": "project",
        },
        (project, *history),
        # The summary block lists the targets of the kinds declared in _comparisons.yaml.
        summary=site.comparison_kinds.fingerprint(),
        derived=partial(_project_details, project, previous, site),
    )


def comparison_pages(site: SiteIndex, urls: Urls, limit: int) -> Iterator[Page]:
    """/compare/: the kinds; /compare/KIND/: every target of the kind, or, past `limit` rows
    (DISCLOSURES_COMPARE_ROWS), the newest year's, with one page per other year."""
    if not site.comparisons:
        return
    yield Page(
        urls.save_as("comparisons"), urls.comparisons(), "comparisons", {"page_kind": "comparisons"}
    )
    for comparison in site.comparisons:
        kind = comparison.kind
        years = comparison.years
        split = len(comparison.matches) > limit and len(years) > 1
        chunks = (
            [(year, [m for m in comparison.matches if m.project.year == year]) for year in years]
            if split
            else [(None, comparison.matches)]
        )
        # The newest year on the kind's own page, each other year on a page of its own.
        pages_ = [
            (urls.save_as("comparison", kind=kind.key), urls.comparison(kind))
            if n == 0
            else (urls.save_as("comparison_year", kind=kind.key, year=y), urls.comparison(kind, y))
            for n, (y, _) in enumerate(chunks)
        ]
        year_urls = {y: pages_[n][1] for n, y in enumerate(years)} if split else {}
        for (year, matches), (save_as, url) in zip(chunks, pages_, strict=True):
            yield Page(save_as, url, "comparison", {
                "page_kind": "comparison",
                "comparison": comparison,
                "matches": matches,
                "shown_year": year,
                "year_urls": {str(y): u for y, u in year_urls.items()},
            }, unique_projects(matches), summary=repr(kind))  # fmt: skip


def _project_details(project: Project, previous: Project | None, site: SiteIndex) -> dict[str, Any]:
    changes, unchanged = compare(previous, project) if previous else ([], 0)
    return {
        "summary_targets": site.comparison_kinds.summary_targets(project, site.framework),
        "changes": changes,
        "unchanged": unchanged,
        "rows": table_rows(project.indicators),
        "profile": profile_of(project.indicators),
    }


def indicator_pages(group: IndicatorGroup, urls: Urls, page_size: int) -> Iterator[Page]:
    """An indicator's projects, newest year first, `page_size` rows a page: a common indicator
    of a big site is set by thousands of projects (3 MB as one page)."""
    uses = sorted(group.uses, key=lambda u: -u.project.year)  # stable: table order within a year
    chunks = [uses[i : i + page_size] for i in range(0, len(uses), page_size)] or [[]]
    page_urls = [urls.indicator(group, n + 1) for n in range(len(chunks))]
    saved = [
        urls.save_as("indicator", slug=group.slug)
        if n == 0
        else urls.save_as("indicator_page", slug=group.slug, number=n + 1)
        for n in range(len(chunks))
    ]
    # Every page shows the indicator's totals over all its projects, and its own rows: an
    # edit that leaves the totals alone makes only the page holding the edited project.
    summary = repr((group.key, group.names, group.project_count, group.distribution()))
    summary += results_summary(group.uses)  # its self-evaluation record (issue 14)
    for number, (chunk, url, save_as) in enumerate(zip(chunks, page_urls, saved, strict=True)):
        yield Page(save_as, url, "indicator", {
            "page_kind": "indicator",
            "group": group,
            "uses": chunk,
            "page_number": number + 1,
            "page_urls": page_urls,
        }, tuple(use.project for use in chunk), summary=summary,
        shown=partial(indicator_rows, tuple(chunk)))  # fmt: skip


# The fields of a project and of its indicator that a row of indicator.html shows (its link
# is made from the year, unit slug and slug). A field the row starts to show goes here:
# tests/test_templates_contract.py reads the template against these lists.
INDICATOR_ROW_PROJECT = ("name", "unit", "unit_slug", "year", "slug")
INDICATOR_ROW_INDICATOR = ("level1", "level2", "name", "target")
INDICATOR_ROW_TARGET = ("written", "kind", "operator", "number", "unit")


def indicator_rows(uses) -> str:
    """What an indicator page shows of its projects, one row per use, as text for the page's
    fingerprint: a project's other indicators, its text or its budget are not on the page.
    The indicator's totals and self-evaluation record are the page's summary."""
    digest = hashlib.sha256()
    for use in uses:
        project, indicator = use.project, use.indicator
        target = indicator.target
        row = [getattr(project, name) for name in INDICATOR_ROW_PROJECT]
        row += [indicator.level1, indicator.level2, indicator.name]
        row += [getattr(target, name) for name in INDICATOR_ROW_TARGET]
        digest.update("\0".join(map(str, row)).encode("utf-8", "surrogateescape") + b"\n")
    return "rows:" + digest.hexdigest()


def _yuan(value: int | None) -> str:
    return "—" if value is None else format_yuan(value)


def _wan(value: int | None) -> str:
    return "—" if value is None else format_wan(value)


def _date(value) -> str:
    return "—" if value is None else value.iso()


def template_filters() -> dict[str, Any]:
    return {
        "yuan": _yuan,
        "wan": _wan,
        "markdown": render_markdown,
        "isodate": _date,
        "kind_label": lambda kind: KIND_LABELS.get(kind, kind),
        "change_label": lambda kind: CHANGE_LABELS.get(kind, kind),
        "number": format_number,
    }


__all__ = ["Page", "pages", "table_rows", "template_filters", "Project"]
