"""Markdown with markdown-it-py, raw HTML disabled, for narrative fields and editorial pages."""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup
from pelican.readers import BaseReader

from . import textpolicy
from .problems import Problem, ValueProblem

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

# A table's body rows are filled out to its columns: 1.5 KB of `|a|a|…` over `|-|-|…` and
# short lines made 65,000 cells (0.9 CPU s, 75 MB of tokens, 660 KB of HTML), and a 200 KB
# page of such tables, which the door let in, ran the build out of time and memory. The
# largest real table (data/, content/, docs/) has ~800 cells. Beyond MAX_TABLE_CELLS, a text
# may hold one cell per TABLE_CHARS_PER_CELL of its characters (a real two-column table of
# one-character cells has one per two): a long real table passes, filled-out rows do not.
MAX_TABLE_CELLS = 10_000
TABLE_CHARS_PER_CELL = 4


def table_limit(text: str) -> int:
    return MAX_TABLE_CELLS + len(text) // TABLE_CHARS_PER_CELL


_DELIMITER_CHARS = "|:- \t"


def table_cells(text: str) -> int:
    """At least the number of cells markdown-it's tables make of `text`, counted without
    parsing: for each line that could be a table's delimiter row (only `|:-` and blanks,
    after any `>` of a quote), its columns times the lines up to the next blank one."""
    if "|" not in text or "-" not in text:
        return 0
    lines = text.split("\n")
    # run[i]: lines from i up to the next blank one (one pass, so no line is read twice)
    run = [0] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        run[i] = run[i + 1] + 1 if lines[i].strip(" \t>") else 0
    total = 0
    for i, line in enumerate(lines):
        bare = line.lstrip(" \t>")
        if "|" in bare and "-" in bare and not bare.strip(_DELIMITER_CHARS):
            columns = bare.strip(" \t").strip("|").count("|") + 1
            total += columns * (run[i + 1] + 1)  # the body, and the header line
    return total


def check_markdown(text: str) -> str:
    """`text`, or ValueProblem when markdown-it would not show all of it:
    - nesting at markdown-it's limit (`maxNesting`, 20 token levels, i.e. ten nested lists):
      the block parser stops there and drops everything deeper, silently;
    - a line `[label]: something` is a link reference definition, which renders as nothing.
    - tables of more cells in all than table_limit (counted before parsing: parsing them is
      the cost).
    - a character reference (`&#x202E;`, `&zwj;`) that the renderer would turn into a
      character the text policy refuses: written as a reference, a bidi override or a
      zero-width character reached the page past the policy (red-team, seventh session).
    Plain text and text with few markup characters are decided without parsing."""
    if "&" in text:
        _check_references(text)
    cells = table_cells(text)
    if cells > (limit := table_limit(text)):
        raise ValueProblem(
            f"Markdown 表格共约 {cells} 个单元格（每行按表头的列数补齐），超过这段文字的上限 "
            f"{limit}；请拆分表格，或把大表作为下载附件",
            f"Markdown tables of about {cells} cells (each row is filled out to the header's "
            f"columns) exceed this text's limit of {limit}; split them, or publish a large "
            "table as a download",
        )
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


_REFERENCE = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,9}|[A-Za-z][A-Za-z0-9]{1,31});")


def _check_references(text: str) -> None:
    import html

    for match in _REFERENCE.finditer(text):
        decoded = html.unescape(match.group())
        if decoded == match.group():
            continue  # not a reference the renderer knows: shown as written
        finding = textpolicy.scan(decoded, multiline=True)
        if finding is not None and finding.is_error:
            raise ValueProblem(
                f"字符引用 {match.group()} 会显示为{finding.kind_zh} {finding.name}（请删除）",
                f"the character reference {match.group()} would be shown as the "
                f"{finding.kind_en} {finding.name}; remove it",
            )


def render_markdown(text: str | None) -> Markup:
    """Markdown → HTML that is safe to insert into an autoescaped template."""
    text = text or ""
    return Markup(render_plain(text) if is_plain(text) else _parser().render(text))


PAGE_MAX_BYTES = 2 * 1024 * 1024  # as a data file (load.MAX_FILE_BYTES)


def split_page(text: str) -> tuple[list[tuple[str, str]], str, int]:
    """An editorial page's `Key: value` lines at the top (Pelican's convention, up to the
    first blank line), its body, and the body's first line number (1-based)."""
    metadata: list[tuple[str, str]] = []
    lines = text.splitlines()
    body_start = len(lines)
    for number, line in enumerate(lines):
        if not line.strip():
            body_start = number + 1
            break
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or " " in key.strip():
            body_start = number
            break
        metadata.append((key.strip().lower(), value.strip()))
    return metadata, "\n".join(lines[body_start:]), body_start + 1


def page_problems(text: str, path: str) -> list[Problem]:
    """What the site refuses in an editorial page (its metadata lines and its body), with
    line and column: a character the text policy refuses (a bidi override in a title that
    every page's menu shows, zero-width or control characters: the same rule as every data
    value), and Markdown that would not be shown (check_markdown). Line ends may be CRLF."""
    text = text.replace("\r\n", "\n")
    problems = []
    finding = textpolicy.scan(text, multiline=True)
    if finding is not None and finding.is_error:
        before = text[: finding.position - 1]
        line = before.count("\n") + 1
        column = finding.position - before.rfind("\n") - 1
        problems.append(
            Problem(
                path,
                line,
                column,
                "",
                f"第 {line} 行第 {column} 个字符是{finding.kind_zh} {finding.name}（请删除）",
                f"line {line}, character {column} is the {finding.kind_en} {finding.name}; "
                "remove it",
            )
        )
    metadata, body, start = split_page(text)
    problems += _metadata_problems(metadata, path)
    try:
        check_markdown(body)
    except ValueProblem as problem:
        problems.append(Problem(path, start, 1, "", problem.zh, problem.en))
    return problems


# What Pelican does with a page's header lines: a value it cannot read (a date that is not
# one) makes the page unreadable, and the build fails (pagecheck.py) after the door let it in.
_STATUSES = ("published", "hidden", "draft")


def _metadata_problems(metadata: list[tuple[str, str]], path: str) -> list[Problem]:
    from pelican.settings import DEFAULT_CONFIG

    reader = BaseReader(dict(DEFAULT_CONFIG))
    problems = []
    for line, (name, value) in enumerate(metadata, start=1):
        zh = en = ""
        if name == "status" and value.lower() not in _STATUSES:
            zh = f"Status 只能是 {'、'.join(_STATUSES)}（否则页面不会发布）"
            en = f"Status must be one of {', '.join(_STATUSES)} (else the page is left out)"
        else:
            try:
                reader.process_metadata(name, value)
            except Exception as exc:  # noqa: BLE001 - Pelican's processors raise many types
                zh = f"{name} 无法读取（{exc}），页面会无法生成"
                en = f"{name} cannot be read ({exc}); the site would not build"
        if zh:
            problems.append(Problem(path, line, 1, "", zh, en))
    return problems


def check_pages(root: Path) -> tuple[int, list[Problem]]:
    """`disclosures validate --pages content`: every Markdown page under `root`, listed as
    the build lists it (paths.regular_files), checked as the build's reader checks it.
    Returns how many pages were read and the problems."""
    from .paths import CONTENT_FOLDER, check_root, regular_files

    if not root.is_dir():
        return 0, []
    bad_root = check_root(root)
    if bad_root is not None:
        return 0, [bad_root]
    from .pagecheck import unread_files

    files, problems = regular_files(root, CONTENT_FOLDER)
    unread = unread_files(root, files, ["pages"])  # what the build would leave out
    problems += unread
    skipped = {Path(p.path) for p in unread}
    count = 0
    for path in files:
        if path in skipped or not path.name.endswith((".md", ".markdown")):
            continue
        count += 1
        name = str(path)
        size = path.stat().st_size
        if size > PAGE_MAX_BYTES:
            problems.append(
                Problem(
                    name,
                    1,
                    1,
                    "",
                    f"文件过大（{size} 字节，上限 {PAGE_MAX_BYTES}）",
                    f"file too large ({size} bytes, limit {PAGE_MAX_BYTES})",
                )  # fmt: skip
            )
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(
                Problem(
                    name,
                    1,
                    1,
                    "",
                    f"不是 UTF-8 文本（第 {exc.start + 1} 个字节）",
                    f"not UTF-8 text (byte {exc.start + 1})",
                )  # fmt: skip
            )
            continue
        problems += page_problems(text, name)
    return count, problems


class MarkdownItReader(BaseReader):
    """Pelican reader for editorial pages (`content/**/*.md`).

    Metadata is the Pelican convention: `Key: value` lines at the top, then a blank line.
    """

    enabled = True
    file_extensions = ["md", "markdown"]

    def read(self, source_path: str) -> tuple[str, dict]:
        with open(source_path, encoding="utf-8-sig") as handle:
            text = handle.read()
        problems = page_problems(text, source_path)
        if problems:
            # Pelican logs only "Could not process"; the reason is logged here, and the
            # build then fails on the unread page (pagecheck.py).
            for problem in problems:
                logger.error("%s", problem.format())
            raise ValueError(f"{source_path}: {problems[0].en}")
        pairs, body, _start = split_page(text)
        metadata = {name: self.process_metadata(name, value) for name, value in pairs}
        return str(render_markdown(body)), metadata
