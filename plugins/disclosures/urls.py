"""Where every page and download of the site lives, from the settings (Pelican-style).

Each page kind has a `DISCLOSURES_<KIND>_URL` pattern (the address, relative to SITEURL)
and a `DISCLOSURES_<KIND>_SAVE_AS` pattern (the file written; None: the URL, plus
`index.html` when the URL is a folder), as Pelican's ARTICLE_URL / ARTICLE_SAVE_AS. Downloads
have one pattern each (their URL is their file). The defaults are the site's addresses; a
site may move projects to `p/{year}/{slug}/` by setting two values.

The model knows no URL: templates, render.py, plan.py and export/ all ask one `Urls` built
from the settings (templates: `{{ SITEURL }}/{{ urls.project(p) }}`).
"""

from __future__ import annotations

import posixpath
import re
import string
from collections.abc import Mapping
from typing import Any

# kind → (URL pattern, the names it may use). SAVE_AS defaults to the URL (+ index.html).
PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "home": ("", ()),
    "project": ("{year}/{unit}/{slug}/", ("year", "unit", "slug")),
    "year": ("{year}/", ("year",)),
    "year_unit": ("{year}/{unit}/", ("year", "unit")),
    "unit": ("units/{unit}/", ("unit",)),
    "indicators": ("indicators/", ()),
    "indicators_written": ("indicators/as-written/", ()),
    "indicator": ("indicators/{slug}/", ("slug",)),
    "indicator_page": ("indicators/{slug}/{number}/", ("slug", "number")),
    "comparisons": ("compare/", ()),
    "comparison": ("compare/{kind}/", ("kind",)),
    "comparison_year": ("compare/{kind}/{year}/", ("kind", "year")),
    "glossary": ("glossary/", ()),
    "patterns": ("patterns/", ()),
    "search": ("search/", ()),
}
# Files: one pattern each (URL = file).
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "project_json": ("{year}/{unit}/{slug}/project.json", ("year", "unit", "slug")),
    "project_csv": ("{year}/{unit}/{slug}/indicators.csv", ("year", "unit", "slug")),
    # The folder of the site-wide downloads (CSV, workbooks, datapackage.json, SHA256SUMS).
    "downloads": ("downloads/", ()),
    "feed": ("feeds/disclosures.atom.xml", ()),
}


def setting(kind: str, save_as: bool = False) -> str:
    suffix = "SAVE_AS" if save_as or kind in FILES else "URL"
    return f"DISCLOSURES_{kind.upper()}_{suffix}"


def defaults() -> dict[str, Any]:
    """The settings' defaults (settings.py takes them from here)."""
    found: dict[str, Any] = {}
    for kind, (pattern, _) in PAGES.items():
        found[setting(kind)] = pattern
        found[setting(kind, save_as=True)] = None
    for kind, (pattern, _) in FILES.items():
        found[setting(kind)] = pattern
    return found


class UrlError(ValueError):
    """A URL setting that cannot work (unknown name, leaves the site, not a folder …)."""


def _key(value: Any) -> str:
    """A year, unit, indicator or kind given as itself or as its key."""
    return str(getattr(value, "key", value))


def _check(name: str, pattern: Any, allowed: tuple[str, ...], folder: bool = False) -> str:
    if not isinstance(pattern, str):
        raise UrlError(f"{name}: 应为文本 / must be a text pattern, not {pattern!r}")
    used = {field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None}
    unknown = sorted(used - set(allowed))
    if unknown:
        raise UrlError(
            f"{name} “{pattern}”: 未知名称 {unknown}，可用 {list(allowed)} / unknown names "
            f"{unknown}; this pattern may use {list(allowed)}"
        )
    sample = pattern.format(**{field: "x" for field in allowed})
    if sample.startswith("/") or ".." in sample.split("/") or "\\" in sample or "//" in sample:
        raise UrlError(
            f"{name} “{pattern}”: 应为站内相对路径（不以 / 开头，不含 ..）/ must be a path inside "
            "the site, relative to SITEURL (no leading /, no ..)"
        )
    if folder and sample and not sample.endswith("/"):
        raise UrlError(f"{name} “{pattern}”: 应以 / 结尾 / must end with /")
    return pattern


class Urls:
    """URLs (relative to SITEURL) and output paths of the site's pages and files."""

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        settings = settings or {}
        given = defaults() | {k: v for k, v in settings.items() if k.startswith("DISCLOSURES_")}
        self._url: dict[str, str] = {}
        self._save_as: dict[str, str] = {}
        for kind, (_, allowed) in PAGES.items():
            url = _check(setting(kind), given[setting(kind)], allowed)
            save_as = given[setting(kind, save_as=True)]
            if save_as is None:
                save_as = url + "index.html" if url == "" or url.endswith("/") else url
            save_as = _check(setting(kind, save_as=True), save_as, allowed)
            if not save_as or save_as.endswith("/"):
                raise UrlError(
                    f"{setting(kind, save_as=True)} “{save_as}”: 应为文件 / must name a file"
                )
            self._url[kind], self._save_as[kind] = url, save_as
        for kind, (_, allowed) in FILES.items():
            path = _check(setting(kind), given[setting(kind)], allowed, folder=kind == "downloads")
            self._url[kind] = self._save_as[kind] = path
        self.page_url = settings.get("PAGE_URL", "pages/{slug}/")  # Pelican's editorial pages

    def fingerprint(self) -> str:
        """Every pattern, as text: an input of outputs that show URLs."""
        return repr(sorted(self._url.items())) + repr(sorted(self._save_as.items()))

    # --- pages: URL, and `save_as(kind, …)` for the file -----------------------------------

    def url(self, which: str, /, **names: Any) -> str:
        """The URL of page kind `which` (a key of PAGES or FILES) with these names."""
        return self._url[which].format(**names)

    def save_as(self, which: str, /, **names: Any) -> str:
        """The file a page of kind `which` is written to."""
        return self._save_as[which].format(**names)

    def home(self) -> str:
        return self.url("home")

    def project(self, project: Any) -> str:
        return self.url("project", **_project_names(project))

    def year(self, year: Any) -> str:
        return self.url("year", year=_key(year))

    def year_unit(self, year: Any, unit: Any) -> str:
        return self.url("year_unit", year=_key(year), unit=_key(unit))

    def unit(self, unit: Any) -> str:
        """A unit's page over every year (`unit`: an index.Unit, or its key: a project's
        `unit_slug`)."""
        return self.url("unit", unit=_key(unit))

    def indicators(self) -> str:
        return self.url("indicators")

    def indicators_written(self) -> str:
        return self.url("indicators_written")

    def indicator(self, group: Any, number: int = 1) -> str:
        """Page `number` of an indicator's project list (pages past the first: their own)."""
        slug = getattr(group, "slug", group)
        if number == 1:
            return self.url("indicator", slug=slug)
        return self.url("indicator_page", slug=slug, number=number)

    def comparisons(self) -> str:
        return self.url("comparisons")

    def comparison(self, kind: Any, year: Any = None) -> str:
        if year is None:
            return self.url("comparison", kind=_key(kind))
        return self.url("comparison_year", kind=_key(kind), year=_key(year))

    def glossary(self) -> str:
        return self.url("glossary")

    def patterns(self) -> str:
        return self.url("patterns")

    def search(self) -> str:
        return self.url("search")

    def page(self, slug: str) -> str:
        """An editorial page (content/pages) by slug, at Pelican's PAGE_URL."""
        return self.page_url.format(slug=slug)

    # --- files -----------------------------------------------------------------------------

    def project_json(self, project: Any) -> str:
        return self.url("project_json", **_project_names(project))

    def project_csv(self, project: Any) -> str:
        return self.url("project_csv", **_project_names(project))

    @property
    def downloads_folder(self) -> str:
        return self._url["downloads"]

    def download(self, name: str) -> str:
        """A site-wide download by file name (projects.csv, datapackage.json …)."""
        return self._url["downloads"] + name

    def workbook(self, year: Any) -> str:
        """The workbook of one year, or of every year (`year="all"`)."""
        return self.download(f"disclosures-{_key(year)}.xlsx")

    def comparison_csv(self, kind: Any) -> str:
        return self.download(f"compare-{_key(kind)}.csv")

    def feed(self) -> str:
        return self._url["feed"]


# Editorial pages (content/pages) link to the site's own pages and downloads as
# `[全部项目]({disclosures}download/projects.csv)`: `{disclosures}` then a method of Urls and
# its arguments, separated by "/". The Markdown renderer writes the braces as %7B %7D.
_EDITORIAL = re.compile(
    r"""(?P<attribute>\b(?:href|src)=)(?P<quote>["'])(?:\{disclosures\}|%7Bdisclosures%7D)"""
    r"""(?P<what>[^"'#?]*)(?P<rest>[^"']*)(?P=quote)"""
)
EDITORIAL_LINKS = (
    "home", "indicators", "indicators_written", "comparisons", "comparison", "glossary",
    "search", "download", "workbook", "comparison_csv", "feed", "year", "unit", "year_unit",
    "indicator",
)  # fmt: skip


def editorial_links(html: str, save_as: str, settings: Mapping[str, Any]) -> str:
    """`{disclosures}…` links of an editorial page (written to `save_as`) as the settings place
    them: relative to the page with RELATIVE_URLS, else under SITEURL. Unknown: UrlError."""
    if "disclosures" not in html:
        return html
    urls = Urls(settings)
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    folder = posixpath.dirname(save_as) or "."

    def replace(match: re.Match[str]) -> str:
        name, *arguments = match["what"].split("/")
        if name not in EDITORIAL_LINKS:
            raise UrlError(
                f"{save_as}: 链接 {{disclosures}}{match['what']} 未知 / unknown link "
                f"{{disclosures}}{match['what']}; known: {list(EDITORIAL_LINKS)}"
            )
        target = getattr(urls, name)(*arguments)
        if settings.get("RELATIVE_URLS"):
            address = posixpath.relpath(target or ".", folder)
            address += "/" if target.endswith("/") or not target else ""
        else:
            address = f"{siteurl}/{target}"
        quote = match["quote"]
        return f"{match['attribute']}{quote}{address}{match['rest']}{quote}"

    return _EDITORIAL.sub(replace, html)


def _project_names(project: Any) -> dict[str, Any]:
    return {"year": project.year, "unit": project.unit_slug, "slug": project.slug}


__all__ = ["FILES", "PAGES", "UrlError", "Urls", "defaults", "editorial_links", "setting"]
