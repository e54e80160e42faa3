"""Traditional script: match labels in simplified form, keep values as written.

Some published tables reach editors in traditional characters (項目名稱, 績效指標), often from
mirror sites that also leave a tone-marked pinyin reading after some characters
(`學(xué)生`, `目標(biāo)`). The label vocabulary is simplified. The importer therefore reads a
*folded* copy of the text: each traditional character replaced by its simplified one (OpenCC's
t2s table, one character for one, so offsets and line numbers hold) and the pinyin readings
left out. Every value the parsers take from the folded copy is then mapped back to the same
stretch of the text as written, so a draft keeps 學(xué)生資助 where the source says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .draft import Draft, Piece

# A reading a mirror left after a character: (xué), (biāo), (jù). A tone mark is required so
# that ordinary bracketed Latin text (a), (kg) is never taken for one.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_READING = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]+\)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Fold only a text that is really in traditional script: a simplified page may hold the odd
# character that t2s changes (乾 in a name); below this share the text is left as it is.
_MIN_SHARE = 0.02
_MIN_CHANGED = 3  # distinct characters t2s changes
# Between two characters of a value: a wrap, or the border of a cell the parsers joined.
_GAP = r"[\s|｜]*"
_MIN_READINGS = 3


@dataclass(frozen=True)
class Folded:
    """The folded text and, for each of its characters, where it starts in the original."""

    text: str
    original: str
    starts: tuple[int, ...]  # len(text) + 1 offsets into `original`

    def span(self, i: int) -> str:
        """The original text behind folded character i (a character and its reading)."""
        return self.original[self.starts[i] : self.starts[i + 1]]


@lru_cache(maxsize=1)
def _converter():  # noqa: ANN202 - opencc.OpenCC
    import opencc  # imported here: only traditional-script inputs need it

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _simplified(char: str) -> str:
    folded = _converter().convert(char)
    return folded if len(folded) == 1 else char


def fold_script(text: str) -> Folded | None:
    """The folded copy of `text`, or None when the text is not in traditional script."""
    readings = list(_READING.finditer(text))
    cjk = _CJK.findall(text)
    changed = sum(1 for ch in set(cjk) if _simplified(ch) != ch)
    changed_share = sum(1 for ch in cjk if _simplified(ch) != ch) / len(cjk) if cjk else 0.0
    if len(readings) < _MIN_READINGS and (changed < _MIN_CHANGED or changed_share < _MIN_SHARE):
        return None
    out: list[str] = []
    starts: list[int] = []
    position = 0
    for match in [*readings, None]:
        stop = match.start() if match else len(text)
        for offset in range(position, stop):
            ch = text[offset]
            out.append(_simplified(ch) if "\u4e00" <= ch <= "\u9fff" else ch)
            starts.append(offset)
        position = match.end() if match else stop
    starts.append(len(text))
    return Folded("".join(out), text, tuple(starts))


def restore(value: str, folded: Folded) -> str:
    """`value`, read from the folded text, as the original text writes it.

    The value is found again in the folded text (whitespace or cell borders between its
    characters may differ: the parsers join wrapped lines and merged cells); each of its
    characters is then replaced by the original character(s) behind it. A value not found
    there (one the parsers composed, such as an amount in 元) is returned unchanged."""
    chars = [ch for ch in value if not ch.isspace()]
    if not chars or not any(_CJK.match(ch) for ch in chars):
        return value
    pattern = _GAP.join(re.escape(ch) for ch in chars)
    match = re.search(pattern, folded.text)
    if not match:
        return value
    out: list[str] = []
    k = match.start()
    for ch in value:
        if ch.isspace():
            out.append(ch)
            continue
        while folded.text[k] != ch:  # whitespace or a cell border the pattern skipped
            k += 1
        out.append(folded.span(k))
        k += 1
    return "".join(out)


def restore_draft(draft: Draft, folded: Folded) -> None:
    """Every text of the draft back as written: data, unplaced and outside pieces."""
    draft.data = _restore_node(draft.data, folded)
    for pieces in (draft.unplaced, draft.outside, draft.personal):
        pieces[:] = [Piece(p.line, restore(p.text, folded)) for p in pieces]


def _restore_node(node: Any, folded: Folded) -> Any:
    if isinstance(node, str):
        return restore(node, folded)
    if isinstance(node, dict):
        return {key: _restore_node(value, folded) for key, value in node.items()}
    if isinstance(node, list):
        return [_restore_node(item, folded) for item in node]
    return node
