"""What pages the site has, and what each template receives (the template contract).

Every page is a `Page(save_as, url, template, variables)`; the generator hands them to
Pelican's writer. Template variables are listed in docs/templates.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .compare import KIND_LABELS as CHANGE_LABELS
from .compare import compare
from .comparisons import unique_projects
from .index import IndicatorGroup, SiteIndex, profile_of
from .markup import render_markdown
from .model import Project
from .money import format_wan, format_yuan
from .patterns import pattern_variables
from .results.pages import results_summary
from .rows import table_rows
from .targets import KIND_LABELS, format_number


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

    def template_variables(self) -> dict[str, Any]:
        return {**self.variables, **self.derived()} if self.derived else self.variables


def pages(site: SiteIndex, page_size: int = 500, compare_rows: int = 2000) -> Iterator[Page]:
    """Every page of the site. `page_size`: rows per indicator page (DISCLOSURES_PAGE_SIZE);
    `compare_rows`: rows of a comparison page before it is split by year."""
    yield Page("index.html", "", "home", {"page_kind": "home"})
    yield Page(
        "indicators/index.html",
        "indicators/",
        "indicators",
        {"page_kind": "indicators", "view": "national"},
    )
    yield Page(
        "indicators/as-written/index.html",
        "indicators/as-written/",
        "indicators",
        {"page_kind": "indicators", "view": "written"},
    )
    for group in site.indicators:
        yield from indicator_pages(group, page_size)
    units = {unit.key: unit for unit in site.units}  # one lookup per year-unit page
    for year in site.years:
        yield Page(
            f"{year.url}index.html",
            year.url,
            "year",
            {"year": year, "page_kind": "year"},
            tuple(year.projects),
        )
        for unit in year.units:
            url = f"{year.key}/{unit.key}/"
            yield Page(
                f"{url}index.html",
                url,
                "unit",
                {"unit": unit, "year": year, "all_years": units[unit.key], "page_kind": "unit"},
                (*unit.projects, *units[unit.key].projects),
            )
    for unit in site.units:
        yield Page(
            f"{unit.url}index.html",
            unit.url,
            "unit",
            {"unit": unit, "year": None, "all_years": unit, "page_kind": "unit"},
            tuple(unit.projects),
        )
    for project in site.projects:
        previous = site.previous.get(project.key)
        history = site.history(project)
        yield Page(
            f"{project.url}index.html",
            project.url,
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
    # --- reader help (issue 7): glossary and pattern pages; the pattern page is not in the nav.
    # These three show no project's data: they depend on no project (plan.py).
    yield Page("glossary/index.html", "glossary/", "glossary", {"page_kind": "glossary"}, ())
    yield Page("patterns/index.html", "patterns/", "patterns", pattern_variables(), ())
    yield Page("search/index.html", "search/", "search", {"page_kind": "search"}, ())
    # --- end reader help
    yield from comparison_pages(site, compare_rows)
    yield Page("404.html", "404.html", "404", {"page_kind": "404"})


def comparison_pages(site: SiteIndex, limit: int) -> Iterator[Page]:
    """/compare/: the kinds; /compare/KIND/: every target of the kind, or, past `limit` rows
    (DISCLOSURES_COMPARE_ROWS), the newest year's, with one page per other year."""
    if not site.comparisons:
        return
    yield Page("compare/index.html", "compare/", "comparisons", {"page_kind": "comparisons"})
    for comparison in site.comparisons:
        kind = comparison.kind
        years = comparison.years
        split = len(comparison.matches) > limit and len(years) > 1
        chunks = (
            [(year, [m for m in comparison.matches if m.project.year == year]) for year in years]
            if split
            else [(None, comparison.matches)]
        )
        year_urls = (
            {year: kind.url if n == 0 else f"{kind.url}{year}/" for n, year in enumerate(years)}
            if split
            else {}
        )
        for number, (year, matches) in enumerate(chunks):
            url = kind.url if number == 0 else f"{kind.url}{year}/"
            yield Page(f"{url}index.html", url, "comparison", {
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


def indicator_pages(group: IndicatorGroup, page_size: int) -> Iterator[Page]:
    """An indicator's projects, newest year first, `page_size` rows a page: a common indicator
    of a big site is set by thousands of projects (3 MB as one page)."""
    uses = sorted(group.uses, key=lambda u: -u.project.year)  # stable: table order within a year
    chunks = [uses[i : i + page_size] for i in range(0, len(uses), page_size)] or [[]]
    urls = [group.url if n == 0 else f"{group.url}{n + 1}/" for n in range(len(chunks))]
    # Every page shows the indicator's totals over all its projects, and its own rows: an
    # edit that leaves the totals alone makes only the page holding the edited project.
    summary = repr((group.key, group.names, group.project_count, group.distribution()))
    summary += results_summary(group.uses)  # its self-evaluation record (issue 14)
    for number, (chunk, url) in enumerate(zip(chunks, urls, strict=True)):
        yield Page(f"{url}index.html", url, "indicator", {
            "page_kind": "indicator",
            "group": group,
            "uses": chunk,
            "page_number": number + 1,
            "page_urls": urls,
        }, tuple(use.project for use in chunk), summary=summary)  # fmt: skip


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
