"""Markdown with markdown-it-py, raw HTML disabled, for narrative fields and editorial pages."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markupsafe import Markup
from pelican.readers import BaseReader


@functools.cache
def _parser() -> MarkdownIt:
    # "commonmark" with html off: tags in the text are shown as text. markdown-it's own
    # link validation refuses javascript:, vbscript:, file: and data: URLs.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        "table"
    )


def render_markdown(text: str | None) -> Markup:
    """Markdown → HTML that is safe to insert into an autoescaped template."""
    return Markup(_parser().render(text or ""))


class MarkdownItReader(BaseReader):
    """Pelican reader for editorial pages (`content/**/*.md`).

    Metadata is the Pelican convention: `Key: value` lines at the top, then a blank line.
    """

    enabled = True
    file_extensions = ["md", "markdown"]

    def read(self, source_path: str) -> tuple[str, dict]:
        with open(source_path, encoding="utf-8-sig") as handle:
            text = handle.read()
        metadata: dict = {}
        lines = text.splitlines()
        body_start = 0
        for number, line in enumerate(lines):
            if not line.strip():
                body_start = number + 1
                break
            key, sep, value = line.partition(":")
            if not sep or not key.strip() or " " in key.strip():
                body_start = number
                break
            name = key.strip().lower()
            metadata[name] = self.process_metadata(name, value.strip())
        else:
            body_start = len(lines)
        body = "\n".join(lines[body_start:])
        return str(render_markdown(body)), metadata
