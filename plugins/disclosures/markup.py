"""Markdown with markdown-it-py, raw HTML disabled, for narrative fields and editorial pages."""

from __future__ import annotations

import functools
import logging
import re

from markdown_it import MarkdownIt
from markupsafe import Markup
from pelican.readers import BaseReader

from .problems import ValueProblem

logger = logging.getLogger(__name__)


@functools.cache
def _parser() -> MarkdownIt:
    # "commonmark" with html off: tags in the text are shown as text. markdown-it's own
    # link validation refuses javascript:, vbscript:, file: and data: URLs.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        "table"
    )


# Narrative text is mostly plain Chinese paragraphs, and markdown-it-py costs ~1.8 ms for
# each one (10,000 projects: ~100 s). Text that cannot contain any Markdown syntax is turned
# into paragraphs directly, with exactly markdown-it's output: tests/test_markup.py checks
# the two agree on generated text. Anything that might be Markdown goes to markdown-it.
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]<>&|~\r\t\x00\x0b\x0c]")
_BLOCK_START = re.compile(r"^(?:[#=+\-]|\d+[.)])")


def is_plain(text: str) -> bool:
    """True when `text` holds no Markdown syntax and no character markdown-it would change."""
    if _MARKUP_CHARS.search(text):
        return False
    for line in text.split("\n"):
        if line and (line[0].isspace() or line[-1].isspace() or _BLOCK_START.match(line)):
            return False
    return True


def render_plain(text: str) -> str:
    """Paragraphs separated by blank lines, as markdown-it renders plain text."""
    out = []
    for block in re.split(r"\n(?:[^\S\n]*\n)+", text.strip("\n")):
        if block.strip():
            out.append("<p>" + block.replace('"', "&quot;") + "</p>\n")
    return "".join(out)


# Block nesting is written at the start of a line: each enclosing quote or list adds at least
# one character (`>`, a list marker, or indentation) before the deepest block, and one list
# adds at most two token levels (the list and its item). A line starting with fewer than
# maxNesting/2 - 1 = 9 such characters cannot reach the limit: one regex pass decides.
_DEEP_PREFIX = re.compile(r"^[ \t>*+\-0-9.)]{9,}", re.MULTILINE)


def check_markdown(text: str) -> str:
    """`text`, or ValueProblem when markdown-it would not show all of it:
    - nesting at markdown-it's limit (`maxNesting`, 20 token levels, i.e. ten nested lists):
      the block parser stops there and drops everything deeper, silently;
    - a line `[label]: something` is a link reference definition, which renders as nothing.
    Plain text and text with few markup characters are decided without parsing."""
    if "]:" not in text and _DEEP_PREFIX.search(text) is None:
        return text
    limit = _parser().options.maxNesting
    env: dict = {}
    tokens = _parser().parse(text, env)
    depth = max((token.level for token in tokens if token.nesting == 1), default=-1) + 1
    if depth >= limit:
        raise ValueProblem(
            f"Markdown 嵌套 {depth} 层，达到渲染器的上限（{limit} 层），更深的内容不会显示；"
            "请减少引用（>）或列表的嵌套",
            f"Markdown nested {depth} levels deep reaches the renderer's limit ({limit}); "
            "what lies deeper would not be shown. Nest fewer quotes (>) or lists",
        )
    if env.get("references"):
        labels = "、".join(f"[{label}]" for label in env["references"])
        raise ValueProblem(
            f"{labels}: 开头的行是 Markdown 链接定义，不会显示；"
            "如要显示，请写成 \\[…]: 或用全角冒号",
            f"a line starting {labels}: is a Markdown link reference definition and is not "
            "shown; write \\[…]: or use a full-width colon to show it",
        )
    return text


def render_markdown(text: str | None) -> Markup:
    """Markdown → HTML that is safe to insert into an autoescaped template."""
    text = text or ""
    return Markup(render_plain(text) if is_plain(text) else _parser().render(text))


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
        try:
            check_markdown(body)
        except ValueProblem as problem:
            # Pelican logs only "Could not process"; the reason is logged here, and the
            # build then fails on the unread page (pagecheck.py).
            logger.error("%s: %s / %s", source_path, problem.zh, problem.en)
            raise ValueError(f"{source_path}: {problem.en}") from None
        return str(render_markdown(body)), metadata
