"""The page list kept by a long-lived builder, made again only where the index changed.

render.pages() lists every page from the index: ~31,000 Page objects at 10,000 projects,
~0.9 s of CPU on every edit. A builder keeps the last list here (cache.Memory.pages) with
the index it was made from (reindex.KeptIndex); the next build takes, for each indicator,
year, unit and project, the pages kept for it unless the index update touched it
(reindex.Touched), and makes those with the same functions render.pages() uses, in the
same order. tests/test_reindex.py compares the list with render.pages() after each edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .reindex import KeptIndex, Touched
from .render import (
    Page,
    closing_pages,
    indicator_pages,
    opening_pages,
    pages,
    project_page,
    unit_page,
    year_pages,
)
from .urls import Urls


@dataclass
class KeptPages:
    """The pages of one index generation, by what they show."""

    index: KeptIndex
    generation: int
    options: tuple  # the URL patterns and page sizes they were listed with
    indicators: dict[str, list[Page]] = field(default_factory=dict)  # group key → pages
    years: dict[str, list[Page]] = field(default_factory=dict)  # year key → its pages
    units: dict[str, Page] = field(default_factory=dict)
    projects: dict[int, Page] = field(default_factory=dict)  # id() of the project → page


def list_pages(
    kept: KeptPages | None,
    index: KeptIndex,
    touched: Touched,
    urls: Urls,
    page_size: int,
    compare_rows: int,
) -> tuple[KeptPages, list[Page]]:
    """Every page of the site, in render.pages() order: the kept ones where the index
    update (`touched`, from `kept`'s generation to `index`'s) left what they show alone."""
    site = index.site
    options = (urls.fingerprint(), urls.page_url, page_size, compare_rows)
    usable = (
        kept is not None
        and kept.index is index
        and kept.options == options
        and not touched.everything
        and kept.generation == (index.generation - 1 if touched.anything else index.generation)
    )
    if not usable:
        kept, touched = KeptPages(index, index.generation, options), Touched(everything=True)
    assert kept is not None
    fresh = KeptPages(index, index.generation, options)
    listed: list[Page] = list(opening_pages(urls))
    for group in site.indicators:
        made = kept.indicators.get(group.key)
        if made is None or group.key in touched.indicators:
            made = list(indicator_pages(group, urls, page_size))
        fresh.indicators[group.key] = made
        listed += made
    units = {unit.key: unit for unit in site.units}
    for year in site.years:
        made = kept.years.get(year.key)
        if (
            made is None
            or int(year.key) in touched.years
            or any(unit.key in touched.units for unit in year.units)
        ):
            made = list(year_pages(year, units, urls))
        fresh.years[year.key] = made
        listed += made
    for unit in site.units:
        page = kept.units.get(unit.key)
        if page is None or unit.key in touched.units:
            page = unit_page(unit, urls)
        fresh.units[unit.key] = page
        listed.append(page)
    for project in site.projects:
        page = kept.projects.get(id(project))
        if (
            page is None
            or page.variables["project"] is not project
            or id(project) in touched.projects
            or project.key in touched.links
        ):
            page = project_page(project, site, urls)
        fresh.projects[id(project)] = page
        listed.append(page)
    listed += closing_pages(site, urls, compare_rows)
    return fresh, listed


__all__ = ["KeptPages", "list_pages", "pages"]
