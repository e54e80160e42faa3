"""Markdown with markdown-it-py, raw HTML disabled, for narrative fields and editorial pages."""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

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
    if "]:" not in text and _DEEP_PREFIX.search(text) is None and _LINKISH.search(text) is None:
        return text
    limit = _parser().options.maxNesting
    env: dict = {}
    tokens = _parser().parse(text, env)
    _check_links(tokens)
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


# Text that may hold a link or an image: `](`, or an autolink `<scheme:`.
_LINKISH = re.compile(r"\]\(|<[A-Za-z][A-Za-z0-9+.-]{1,31}:")

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


# A link's text that reads as a web address (`https://www.hunan.gov.cn/`, `www.hunan.gov.cn`).
# A link's text that reads as a web address: with a scheme, starting www., or a host name
# ending in a top-level domain readers know (not `附件1.xlsx`).
_TLDS = "cn|com|net|org|gov|edu|int|info|top|xyz|site|online|cc|io|hk|mo|tw|中国|网|公司|政务|公益"
_ADDRESS_TEXT = re.compile(
    rf"[a-z][a-z0-9+.-]*://\S+|www\.\S+|(?:[^\s/?#@:]+\.)+(?:{_TLDS})\.?(?::[0-9]+)?(?:[/?#]\S*)?",
    re.IGNORECASE,
)
_EMAIL_TEXT = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+")
# An address inside other words (`湖南省财政厅（www.hunan.gov.cn）`): ASCII host names only.
_ADDRESS_INSIDE = re.compile(
    rf"(?<![a-z0-9.-])(?:[a-z][a-z0-9+.-]*://)?(?:[a-z0-9-]+\.)+(?:{_TLDS})(?![a-z0-9-])",
    re.IGNORECASE,
)
# Dots IDNA reads as dots: a browser goes to `www.hunan.gov.cn` for `www。hunan。gov。cn`.
_DOTS = str.maketrans({"\u3002": ".", "\uff61": ".", "\uff0e": "."})


def _as_read(text: str) -> str:
    """Link text as a reader reads an address in it: full-width letters and ideographic dots
    as the ASCII a browser would use (`ｗｗｗ．ｈｕｎａｎ．ｇｏｖ．ｃｎ`)."""
    return unicodedata.normalize("NFKC", text).translate(_DOTS)


def _host(address: str) -> tuple[str, str] | None:
    """(host as a reader sees it, the network location) of an absolute or protocol-relative
    web address, or None."""
    if address.startswith("//"):
        address = "https:" + address
    # `https:evil.example`, `https:/evil.example`, `https:\\evil.example`: browsers read a host
    # after a web scheme however many slashes follow it (ninth session).
    special = re.match(r"(?i)(https?):[/\\]*", address)
    if special is not None:
        address = f"{special.group(1)}://{address[special.end() :]}"
    try:
        parts = urlsplit(address)
        host = parts.hostname or ""
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    labels = []
    for label in host.split("."):
        try:
            labels.append(
                label.encode("ascii").decode("idna") if label.startswith("xn--") else label
            )
        except UnicodeError:
            labels.append(label)
    return ".".join(labels).casefold(), parts.netloc


def _link_problem(href: str, text: str) -> tuple[str, str] | None:
    """Why a link goes elsewhere than it says, or None: a user part before `@`
    (`https://www.hunan.gov.cn@evil.example/`), a host mixing look-alike scripts (a Cyrillic
    а, written as punycode by the renderer), a text that is another web or mail address than
    the link's (`[https://www.hunan.gov.cn/](https://evil.example/)`). The `source` field
    has the same rule (validate.check_source); Markdown links had none."""
    found = _host(href)
    if found is not None:
        host, netloc = found
        if "@" in netloc:
            return (
                f"链接“{href[:80]}”中“@”前的部分不是网站，链接实际指向 {host}",
                f"in the link {href[:80]!r} what stands before '@' is not the site: it goes "
                f"to {host}",
            )
        lookalike = textpolicy.mixed_scripts(host)
        if lookalike is not None:
            return (f"链接的网站 {host}：{lookalike[0]}", f"the link's site {host}: {lookalike[1]}")
    shown = _as_read(text).strip()
    if href.lower().startswith("mailto:") and _EMAIL_TEXT.fullmatch(shown):
        target = href[7:].split("?", 1)[0]
        if target.casefold() != shown.casefold():
            return (
                f"链接文字显示的邮箱是 {shown}，实际却发给 {target}；请让两者一致",
                f"the link's text shows the address {shown} but mail goes to {target}; make "
                "them agree",
            )
    if found is not None and _ADDRESS_TEXT.fullmatch(shown):
        written = shown if "://" in shown else "https://" + shown
        said = _host(written)
        if said is not None and said[0].removeprefix("www.") != found[0].removeprefix("www."):
            return (
                f"链接文字显示的是 {said[0]}，实际却指向 {found[0]}；请让链接文字和网址一致",
                f"the link's text shows {said[0]} but it goes to {found[0]}; make the text and "
                "the address agree",
            )
    if found is not None:
        # An address among other words of the text or the link's title (ninth session).
        for match in _ADDRESS_INSIDE.finditer(shown):
            written = match.group() if "://" in match.group() else "https://" + match.group()
            said = _host(written)
            if said is not None and said[0].removeprefix("www.") != found[0].removeprefix("www."):
                return (
                    f"链接文字或提示中写着 {said[0]}，实际却指向 {found[0]}；"
                    "请让链接文字和网址一致",
                    f"the link's text or title says {said[0]} but it goes to {found[0]}; make "
                    "the text and the address agree",
                )
    return None


def _check_links(tokens: list) -> None:
    """Links a reader would take at their word (red-team, eighth session): see _link_problem;
    images from elsewhere than the site."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        href = None
        text: list[str] = []
        title = ""
        for child in token.children:
            if child.type == "link_open":
                href, text = str(child.attrGet("href") or ""), []
                title = str(child.attrGet("title") or "")  # the tooltip reads as text too
            elif child.type == "link_close" and href is not None:
                problem = _link_problem(href, "".join(text)) or _link_problem(href, title)
                if problem is not None:
                    raise ValueProblem(*problem)
                href = None
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                if re.match(r"[a-z][a-z0-9+.-]*:|//", src, re.IGNORECASE):
                    raise ValueProblem(
                        f"图片“{src[:60]}”不是本站的文件：外站的图片不会显示（本站的安全策略），"
                        "data: 图片会绕过文字检查；请用文字说明，或链接到原表",
                        f"the image {src[:60]!r} is not a file of this site: images from other "
                        "sites are blocked (the site's security policy) and data: images go round "
                        "the text checks; describe it in words, or link to the source",
                    )
            elif href is not None and child.type in ("text", "code_inline"):
                text.append(child.content)


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
