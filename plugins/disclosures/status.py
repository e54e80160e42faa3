"""/status.json: which release each part of the published site is at.

A long-lived builder (builder.py) publishes an edit in two atomic steps: first the pages
(and each project's own files), while the search index and the whole-site downloads are
still the previous release's files; then, when those are made, everything. status.json says
so, for readers and monitors:

    {"release": "<what the pages show>",
     "parts": {"pages":     {"release": "…", "current": true},
               "search":    {"release": "<older>", "current": false},
               "downloads": {"release": "<older>", "current": false}}}

A release is named by the commit being published (DISCLOSURES_COMMIT, set by the deploy
hooks) or else by the data itself (a digest of every data file's bytes by its path in the
data folder): the same data gives the same name wherever it is built. A build that makes
everything (`disclosures build`, `pelican`, the builder once caught up) writes every part
current, the same bytes a cold build writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

PATH = "status.json"
PAGES, SEARCH, DOWNLOADS = "pages", "search", "downloads"
PARTS = (PAGES, SEARCH, DOWNLOADS)
SITE = "site"  # plan.SITE: the shard of outputs that belong to no one year


def part_of(kind: str, shard: str) -> str:
    """The part an output belongs to: the search index, the whole-site downloads (the
    site-wide tables, the workbooks, SHA256SUMS) or the pages (with each project's own
    JSON and CSV, which its page links to, the feed, robots.txt, /admin/)."""
    if kind == "search":
        return SEARCH
    if kind in ("workbook", "checksums") or (kind == "download" and shard == SITE):
        return DOWNLOADS
    return PAGES


def release_name(commit: str | None, contents: Mapping[str, str]) -> str:
    """The commit being published, or a digest of the data: source → sha256 of its bytes."""
    if commit:
        return commit[:12]
    digest = hashlib.sha256()
    for source in sorted(contents):
        digest.update(f"{source}\0{contents[source]}\n".encode("utf-8", "surrogateescape"))
    return "data-" + digest.hexdigest()[:12]


def status_bytes(release: str, behind: Mapping[str, str | None] | None = None) -> bytes:
    """`behind`: part → the release it still shows (trailing parts only)."""
    behind = behind or {}
    parts = {
        part: {"release": behind[part], "current": False}
        if part in behind
        else {"release": release, "current": True}
        for part in PARTS
    }
    text = json.dumps({"release": release, "parts": parts}, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def parts_of(data: bytes) -> dict[str, str | None]:
    """part → release, from a status.json (empty when it cannot be read)."""
    try:
        saved = json.loads(data)
        return {
            part: saved["parts"][part]["release"]
            for part in PARTS
            if isinstance(saved.get("parts", {}).get(part), dict)
        }
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}
