"""Small text helpers shared by the parsers."""

from __future__ import annotations

import unicodedata

# Glyphs that real tables use for comparison operators, mapped to ASCII.
# NFKC already folds full-width forms (＝ ＞ ＜ ０-９ ％); these remain.
_OPERATOR_GLYPHS = str.maketrans({"═": "=", "≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤"})


def shorten(text: str, limit: int = 60) -> str:
    """`text` for a message: cut to `limit` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text)} 字符 / {len(text)} characters）"


def fold(text: str) -> str:
    """Fold full-width characters and operator glyph variants; strip outer space."""
    return unicodedata.normalize("NFKC", text).translate(_OPERATOR_GLYPHS).strip()
