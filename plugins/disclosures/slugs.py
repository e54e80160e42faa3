"""ASCII URL slugs from Chinese names (pinyin), and the rules an explicit slug must obey."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .problems import ValueProblem
from .text import shorten

MAX_SLUG = 60
# Matched whole (fullmatch): with match(), "$" also matches before a final newline.
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A unit code as tables print it (433001, 015001, 91-A3): ASCII letters and digits in groups
# joined by single hyphens, matched whole. Other scripts' digits (٤٣٣) or full-width ones
# (４３３) would read the same and be another code.
MAX_CODE = 40
CODE_PATTERN = re.compile(r"[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*")
# Names that would shadow a folder or file the site itself writes at the same level.
_LEADING_CODE = re.compile(r"^\s*[\[(【]\s*\d+\s*[\])】]\s*")
RESERVED = frozenset(
    {
        "index",
        "static",
        "theme",
        "downloads",
        "data",
        "feeds",
        "feed",
        "search",
        "pages",
        "indicators",
        "units",
        "as-written",
        "con",
        "nul",
        "aux",
        "prn",
    }
)


def slugify(text: str) -> str:
    """`上海科学会堂` → `shang-hai-ke-xue-hui-tang`; long names are cut at a syllable and
    given a short hash of the full name so that two long names stay distinct."""
    # pypinyin loads its phrase dictionaries (0.4 s) on import: only when a slug is needed.
    from pypinyin import Style, lazy_pinyin

    text = unicodedata.normalize("NFKC", text)
    # A leading code in brackets, "(433001)乌海市…" or "[015001]…", is not part of the name.
    text = _LEADING_CODE.sub("", text) or text
    words = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [chars])
    parts: list[str] = []
    for word in words:
        ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        parts.extend(p for p in re.split(r"[^a-z0-9]+", ascii_word.lower()) if p)
    slug = "-".join(parts)
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
        slug = slug[: MAX_SLUG - 7].rsplit("-", 1)[0] + "-" + digest
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    if slug in RESERVED:
        slug += "-1"
    return slug


def check_slug(written: str) -> str:
    """An explicit slug from YAML: refused unless plainly safe."""
    if len(written) > MAX_SLUG or not SLUG_PATTERN.fullmatch(written):
        raise ValueProblem(
            f"网址标识“{shorten(written)}”只能由小写字母、数字和连字符组成"
            f"（不超过 {MAX_SLUG} 个字符）",
            f"slug {shorten(written)!r} may hold only a-z, 0-9 and single hyphens (max {MAX_SLUG})",
        )
    if written in RESERVED:
        raise ValueProblem(f"网址标识“{written}”是保留名称", f"slug {written!r} is reserved")
    return written


def check_code(written: str) -> str:
    """A unit code, matched whole in ASCII (`CODE_PATTERN`); ValueProblem otherwise."""
    if len(written) <= MAX_CODE and CODE_PATTERN.fullmatch(written):
        return written
    folded = unicodedata.normalize("NFKC", written)
    hint_zh = hint_en = ""
    if folded != written and len(folded) <= MAX_CODE and CODE_PATTERN.fullmatch(folded):
        hint_zh, hint_en = f"（是不是 {folded}？请用半角字符）", f" (did you mean {folded!r}?)"
    raise ValueProblem(
        f"单位编码只能由半角字母、数字和连字符组成（至多 {MAX_CODE} 个），"
        f"而不是“{shorten(written)}”{hint_zh}",
        f"a unit code is ASCII letters and digits joined by hyphens (at most {MAX_CODE}), "
        f"not {shorten(written)!r}{hint_en}",
    )
