"""The Atom feed of disclosures, dated from the data and git, never from the build clock.

An entry is a project: `published` is the table's publication date (the data's `published`
field, else the first commit of its file), `updated` the last commit touching its file.
A project with neither date is left out rather than given an invented one.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..history import Change
from ..model import Project
from ..urls import Urls
from .tables import project_key

ATOM = "http://www.w3.org/2005/Atom"
_CHINA = dt.timezone(dt.timedelta(hours=8))  # publication dates are Beijing time


@dataclass(frozen=True)
class Dated:
    project: Project
    published: dt.datetime
    updated: dt.datetime
    last_change: str  # what the latest commit changed, in Chinese (else its subject), or ''


def dated(project: Project, changes: list[Change]) -> Dated | None:
    """The project's dates, or None when neither the data nor git gives one."""
    commits = [dt.datetime.fromisoformat(c.date) for c in changes]
    published = None
    if project.published is not None:
        published = dt.datetime.combine(project.published.first_day(), dt.time(), tzinfo=_CHINA)
    elif commits:
        published = min(commits)
    if published is None:
        return None
    updated = max([published, *commits])
    last = (changes[0].words or changes[0].subject) if changes else ""
    return Dated(project, published, updated, last)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def feed_bytes(entries: list[Dated], title: str, siteurl: str, limit: int, urls: Urls) -> bytes:
    ET.register_namespace("", ATOM)
    ordered = sorted(entries, key=lambda e: (-e.updated.timestamp(), project_key(e.project)))
    ordered = ordered[:limit]
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    _sub(feed, "title", f"{title}：新公开和更新的绩效目标表")
    _sub(feed, "id", f"{siteurl}/{urls.feed()}" if siteurl else "urn:x-disclosures:feed")
    _sub(feed, "link", href=f"{siteurl}/{urls.feed()}", rel="self")
    _sub(feed, "link", href=f"{siteurl}/", rel="alternate")
    # An empty feed still needs <updated>: the Unix epoch, not the build time.
    newest = ordered[0].updated if ordered else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    _sub(feed, "updated", _stamp(newest))
    author = _sub(feed, "author")
    _sub(author, "name", title)
    for entry in ordered:
        project = entry.project
        element = _sub(feed, "entry")
        _sub(element, "title", f"{project.unit}：{project.name}（{project.year}年度）")
        _sub(element, "id", f"urn:x-disclosures:{project_key(project)}")
        _sub(element, "link", href=f"{siteurl}/{urls.project(project)}", rel="alternate")
        _sub(element, "published", _stamp(entry.published))
        _sub(element, "updated", _stamp(entry.updated))
        summary = f"{len(project.indicators)} 项绩效指标"
        if project.amount is not None:
            summary += f"，预算 {project.amount:,} 元"
        if entry.last_change:
            summary += f"。最近修改：{entry.last_change}"
        _sub(element, "summary", summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
