"""Text helpers for table text: wrapped lines, spaced-out labels, CJK-aware joins."""

from __future__ import annotations

import re
import unicodedata

from ..text import fold

__all__ = ["fold", "is_cjk", "join_wrapped", "squash", "strip_cell"]

_SPACE = re.compile(r"\s+")


def is_cjk(char: str) -> bool:
    """Chinese characters and the full-width punctuation that sits between them."""
    if not char:
        return False
    code = ord(char)
    return (
        0x3000 <= code <= 0x303F  # CJK punctuation （、。《》“”）
        or 0x3400 <= code <= 0x9FFF  # ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms （），：％
        or 0x2010 <= code <= 0x206F  # dashes, quotes, ellipsis used in Chinese text
        or unicodedata.east_asian_width(char) in ("W", "F")
    )


def join_wrapped(lines: list[str]) -> str:
    """Join lines that a PDF or a narrow cell wrapped: no space inside Chinese text or numbers,
    one space where two Latin words met. Spaces written inside a line are kept."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and _needs_space(out[-1], line[0]):
            out += " "
        out += line
    return out


def _needs_space(left: str, right: str) -> bool:
    # A wrap between two Latin letters was a space the line break ate; anything touching
    # Chinese text, a digit or punctuation was cut mid-word.
    return left.isascii() and right.isascii() and left.isalpha() and right.isalpha()


def squash(text: str) -> str:
    """Folded and without any whitespace: the key used to compare labels."""
    return _SPACE.sub("", fold(text))


def strip_cell(text: str) -> str:
    """A cell's text without the separators around it."""
    return text.strip().strip("|").strip()
