"""sitemap.xml as an output of the plan (issue 17), in pelican-sitemap's format and settings.

pelican-sitemap lists every file announced through Pelican's writer (`content_written`) and
writes the sitemap when the build is finalized: at 10,000 projects it took a path
computation and the exclusion regexes for each of ~43,000 files (a quarter of the CPU of a
one-edit build, with the announcing), and it cannot tell an unchanged sitemap from a
changed one. When it is registered for the build, the plugin takes its place:

- the sitemap lists the site's pages: the plugin's (the plan's page outputs, dated with the
  newest data date, as `date_sitemap` dated them) and Pelican's own (its editorial pages and
  any other file Pelican's generators wrote through the writer before ours, with the object
  they were written for), filtered by SITEMAP's `exclude` and written with its `format`,
  `changefreqs` and `priorities`, in pelican-sitemap's own templates (the same bytes);
- it is one output of the plan whose input is its text: made again only when a page is
  added, removed, renamed or redated; otherwise published as it is, like any output;
- pelican-sitemap's handlers are disconnected for the build (it would otherwise rewrite the
  file at the end: through the hard link of a release seeded with the live site).

Files other than pages (downloads, search bundles, the feed, /admin/) are not listed: the
default SITEMAP `exclude` keeps them out, and nothing else announces them any more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from types import ModuleType
from typing import Any
from urllib.request import pathname2url

import blinker
from pelican import signals

PATH = "sitemap.xml"


def registered() -> ModuleType | None:
    """pelican-sitemap's module when it is registered for this build, else None."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # pragma: no cover - not installed
        return None
    queue = sitemap.generator.queue_page
    if any(r == queue for r in signals.content_written.receivers_for(blinker.ANY)):
        return sitemap
    return None


def take_over(module: ModuleType) -> list[tuple[str, Any]]:
    """Stop pelican-sitemap for this build; return what it had queued so far (the files
    Pelican's own generators wrote before ours), and empty its queue."""
    signals.content_written.disconnect(module.generator.queue_page)
    signals.finalized.disconnect(module.generator.finalize)
    queued = list(module.generator.page_queue)
    module.generator.page_queue = []
    module.generator._main_pelican = None
    return queued


def _clean_url(url: str) -> str:
    return re.sub(r"(?:^|(?<=/))index.html$", "", url)


def sitemap_text(
    module: ModuleType,
    settings: Mapping[str, Any],
    output_path: str,
    pages: Iterable[str],
    queued: Iterable[tuple[str, Any]],
    now: dt.datetime,
) -> tuple[str, str]:
    """(file name, text) of the sitemap pelican-sitemap would write for the plugin's pages
    (`pages`: save_as paths) and the files Pelican wrote (`queued`: (path, object))."""
    config = settings.get("SITEMAP", {})
    excluded = [re.compile(pattern) for pattern in config.get("exclude", ())]
    changefreqs = dict(module.CHANGEFREQ_DEFAULTS, **config.get("changefreqs", {}))
    priorities = dict(module.PRIORITY_DEFAULTS, **config.get("priorities", {}))
    fmt = config.get("format", "xml")
    siteurl = settings["SITEURL"]
    entries: dict[str, tuple[str, Any]] = {}
    for path in pages:
        entries[os.path.normpath(path)] = (_clean_url(pathname2url(os.path.normpath(path))), None)
    for path, obj in queued:
        name = os.path.relpath(path, output_path)
        url = obj.url if obj else pathname2url(name)
        entries[name] = (_clean_url(url), obj)

    def shown(url: str, obj: Any) -> bool:
        return not (
            getattr(obj, "private", "") == "True"
            or getattr(obj, "status", "published") != "published"
            or any(pattern.search(url) for pattern in excluded)
        )

    listed = sorted((item for item in entries.values() if shown(*item)), key=lambda i: i[0])
    if fmt != "xml":
        return "sitemap." + fmt, "".join(f"{siteurl}/{url}\n" for url, _ in listed)
    from pelican import contents

    parts = [module.XML_HEADER]
    stamp = module.format_date(now)
    for url, obj in listed:
        lastmod = (
            stamp
            if obj is None
            else module.format_date(
                getattr(obj, "modified", None) or getattr(obj, "date", None) or now
            )
        )
        kind = (
            "articles"
            if isinstance(obj, contents.Article)
            else "pages"
            if isinstance(obj, contents.Page)
            else "indexes"
        )
        changefreq = getattr(obj, "changefreq", changefreqs[kind])
        if changefreq not in module.CHANGEFREQ_VALUES:
            changefreq = changefreqs[kind]
        try:
            priority = float(getattr(obj, "priority", priorities[kind]))
        except ValueError:
            priority = priorities[kind]
        translations = "".join(
            module.XML_TRANSLATION.format(trans.lang, siteurl, _clean_url(trans.url))
            for trans in getattr(obj, "translations", ())
        )
        parts.append(
            module.XML_URL.format(
                siteurl, url, lastmod, changefreq, priority, translations=translations
            )
        )
    parts.append(module.XML_FOOTER)
    return "sitemap.xml", "".join(parts)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def maker(data: bytes) -> Callable[[Callable[[str], bytes]], bytes]:
    """The plan's maker for the sitemap: its bytes, known when planned."""
    return partial(_same, data)


def _same(data: bytes, read: Callable[[str], bytes]) -> bytes:
    return data
