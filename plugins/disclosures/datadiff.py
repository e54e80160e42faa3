"""What one commit changed in a project file, said in a reader's words (修改记录).

Readers read Chinese; commit messages are whatever an editor typed (often English, sometimes
empty or hostile). So each entry of a page's change history says what changed from the data
itself: the file's text before and after the commit, compared top-level field by top-level
field (绩效指标, 项目资金, 文字部分 …), list fields item by item (改 2 行、增 1 行).

The comparison is textual, not a YAML parse: a site may have 10,000 files with several
versions each, and an old version may not even be valid any more. Comment lines and
trailing blanks are left out, so a commit that only touched comments or layout says so.
Only keys the format knows are named (fields.py); anything else is "其他内容", so no text
from a file reaches the page through this summary.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .fields import PROJECT

ADDED = "added"  # the file appears (new, or copied from another)
CHANGED = "changed"  # some fields differ
RENAMED = "renamed"  # moved, same content
LAYOUT = "layout"  # only comments, blank lines or trailing spaces differ
UNKNOWN = ""  # not known (an older history file, an unreadable object)
ACTIONS = (ADDED, CHANGED, RENAMED, LAYOUT, UNKNOWN)

OTHER = "_other"  # a top-level key the format does not know

# Reader's names for the top-level fields: the printed label where it is one word, a
# shorter common name where the form prints several (申报单位名称 / 实施单位 / 预算单位).
_SHORT = {
    "unit": "单位",
    "category": "项目类别",
    "period": "实施期",
    "labels": "栏目名称",
    "selfeval": "绩效自评表",
}
LABELS: dict[str, str] = {
    spec.key: _SHORT.get(spec.key, spec.label.split(" / ")[0]) for spec in PROJECT
}
LABELS[OTHER] = "其他内容"
_ORDER = {key: n for n, key in enumerate(LABELS)}

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t\n]|$)")
_ITEM = re.compile(r"([ \t]*)-(?:[ \t\n]|$)")


@dataclass(frozen=True, slots=True)
class Part:
    """One top-level field a commit changed; for a list field, how many of its items."""

    key: str  # a key of fields.PROJECT, or OTHER
    changed: int = 0
    added: int = 0
    removed: int = 0

    def as_dict(self) -> dict[str, str | int]:
        return {
            "key": self.key,
            "changed": self.changed,
            "added": self.added,
            "removed": self.removed,
        }

    @classmethod
    def from_dict(cls, value: object) -> Part | None:
        """A part read back from a history file, or None when it is not one."""
        if not isinstance(value, dict):
            return None
        key = value.get("key")
        counts = [value.get(name, 0) for name in ("changed", "added", "removed")]
        if key not in LABELS or not all(type(n) is int and 0 <= n < 10**6 for n in counts):
            return None
        return cls(str(key), *counts)

    def words(self) -> str:
        """绩效指标（改 2 行、增 1 行）"""
        counts = [
            f"{verb} {n} 行"
            for verb, n in (("改", self.changed), ("增", self.added), ("删", self.removed))
            if n
        ]
        return LABELS[self.key] + (f"（{'、'.join(counts)}）" if counts else "")


_COMMENT_LINE = re.compile(r"^[ \t]*#.*\n?", re.M)
_TRAILING = re.compile(r"[ \t]+$", re.M)
_BLANK_LINES = re.compile(r"\n{2,}")
# A line at the margin starts a top-level entry, except a list item (YAML lets a field's
# items start at the margin), a comment, a blank line and the document markers.
# (A line starting with '-' is taken as an item: '---' and '-x: 1' keys are not worth a
# slower pattern; '...' pools with unknown keys.) A newline first, so the scan is fast.
_TOP = re.compile(r"\n(?=[^ \t#\r\n-])")


def _meaningful(text: str) -> str:
    """The lines that carry data: no comment-only or blank line, no trailing blanks."""
    text = _COMMENT_LINE.sub("", text.replace("\r\n", "\n"))
    return _BLANK_LINES.sub("\n", _TRAILING.sub("", text)).strip("\n") + "\n"


def blocks(text: str) -> dict[str, str]:
    """Each top-level key's text as written (comment lines after it included), by key;
    unknown keys pooled. Lines before the first key (a header comment, '---') are none of
    the data's. Regular expressions over the whole text, not a loop over lines: files run
    to 20 KB and a site's history to thousands of versions."""
    first = [0] if text[:1] not in ("", " ", "\t", "#", "\r", "\n", "-") else []
    starts = first + [m.end() for m in _TOP.finditer(text)] + [len(text)]
    found: dict[str, list[str]] = {}
    for begin, end in zip(starts, starts[1:], strict=False):
        block = text[begin:end]
        match = _KEY.match(block)
        key = match.group(1) if match and match.group(1) in LABELS else OTHER
        found.setdefault(key, []).append(block)
    return {key: "".join(parts) for key, parts in found.items()}


def _items(block: str) -> list[str] | None:
    """The items of a block holding a block list (one text per item), else None."""
    _head, _, body = block.partition("\n")
    first = _ITEM.match(body)
    if first is None:
        return None
    indent = re.escape(first.group(1))
    starts = [m.start() for m in re.finditer(rf"^{indent}-(?:[ \t]|$)", body, re.M)]
    ends = [*starts[1:], len(body)]
    return [body[a:b].rstrip("\n") for a, b in zip(starts, ends, strict=True)]


def _part(key: str, before: str | None, after: str | None) -> Part:
    old = _items(before) if before else []
    new = _items(after) if after else []
    if old is None or new is None:
        return Part(key)
    removed = Counter(old) - Counter(new)
    added = Counter(new) - Counter(old)
    out, into = sum(removed.values()), sum(added.values())
    both = min(out, into)
    return Part(key, both, into - both, out - both)


def compare(before: str | None, after: str) -> tuple[str, tuple[Part, ...]]:
    """(action, parts) for a file going from `before` (None: it did not exist) to `after`."""
    if before is None:
        return ADDED, ()
    if before == after:
        return RENAMED, ()
    old, new = blocks(before), blocks(after)
    keys = sorted(old.keys() | new.keys(), key=lambda k: _ORDER[k])
    # Only the blocks whose text differs are cleaned of comments and blanks and compared.
    changed = {k: (old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)}
    cleaned = {k: tuple(_meaningful(b) if b else None for b in pair) for k, pair in changed.items()}
    parts = tuple(_part(k, *pair) for k, pair in cleaned.items() if pair[0] != pair[1])
    if parts:
        return CHANGED, parts
    return LAYOUT, ()


def words(action: str, parts: tuple[Part, ...]) -> str:
    """The change said to a reader, in Chinese; '' when not known."""
    if action == ADDED:
        return "录入本表"
    if action == RENAMED:
        return "数据文件改名，内容未变"
    if action == LAYOUT:
        return "只改了文件中的注释或排版，数据未变"
    if action == CHANGED and parts:
        return "修改了" + "、".join(part.words() for part in parts)
    return ""
