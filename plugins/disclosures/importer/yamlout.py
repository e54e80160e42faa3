"""A draft → YAML text in the style of the hand-made files in data/.

Written by hand rather than by yaml.dump: keys in the order fields.py declares them,
comments above keys (the label as printed, the amount as written), narrative text as
block literals, targets and dates always quoted, amounts as plain integers.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from .. import fields as F
from .draft import Draft, Path_, Piece

UNPLACED_HEADING = "# 未识别 / unplaced:"
OUTSIDE_HEADING = "# 表外文字（未导入）/ text outside the table (not imported):"
PERSONAL_HEADING = "# 个人信息（未导入，请自行决定是否录入）/ personal details (not imported):"

_ALWAYS_QUOTED = {F.YEAR, F.DATE, F.PERIOD, F.TARGET}
_QUOTED_KEYS = {"unit", "weight"}  # in indicator rows: "%", "人/次", "4" read better quoted
_INDICATOR_KEYS = {f.key for f in F.INDICATOR}
_UNSAFE_START = tuple("-?:,[]{}#&*!|>'\"%@` ")


def schema_comment(schema_path: str) -> str:
    return f"# yaml-language-server: $schema={schema_path}"


def render(draft: Draft, schema_path: str, origin: str) -> str:
    out = [schema_comment(schema_path), f"# {origin}"]
    if draft.unplaced:
        out.append(UNPLACED_HEADING)
        out.extend(_comment_piece(p) for p in draft.unplaced)
    _mapping(out, draft, F.PROJECT, draft.data, (), 0)
    for heading, pieces in ((PERSONAL_HEADING, draft.personal), (OUTSIDE_HEADING, draft.outside)):
        if pieces:
            out.append(heading)
            out.extend(_comment_piece(p) for p in sorted(pieces, key=lambda p: p.line))
    return "\n".join(out) + "\n"


def _comment_piece(piece: Piece) -> str:
    return "#   " + _one_line(piece.format())


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)


def _mapping(
    out: list[str],
    draft: Draft,
    specs: tuple[F.Field, ...],
    data: dict[str, Any],
    path: Path_,
    indent: int,
    first_prefix: str | None = None,
) -> None:
    pad = " " * indent
    known = [s for s in specs if s.key in data]
    unknown = [k for k in data if k not in {s.key for s in specs}]
    lines_before = len(out)
    for spec in known:
        _field(out, draft, spec, data[spec.key], (*path, spec.key), indent)
    for key in unknown:  # not expected; written rather than dropped
        out.append(f"{pad}{key}: {scalar(str(data[key]), quoted=True)}")
    if first_prefix is not None and len(out) > lines_before:
        # The first key of a list item goes on the "- " line.
        for i in range(lines_before, len(out)):
            if not out[i].lstrip().startswith("#"):
                out[i] = " " * (indent - 2) + first_prefix + out[i][indent:]
                break


def _field(
    out: list[str], draft: Draft, spec: F.Field, value: Any, path: Path_, indent: int
) -> None:
    pad = " " * indent
    for comment in draft.comments.get(path, []):
        out.append(f"{pad}# {_one_line(comment)}")
    if spec.kind == F.MAPPING:
        if not isinstance(value, dict) or not value:
            return
        out.append(f"{pad}{spec.key}:")
        _mapping(out, draft, spec.children, value, path, indent + 2)
        return
    if spec.kind == F.LIST:
        if not value:
            return
        out.append(f"{pad}{spec.key}:")
        for i, item in enumerate(value):
            for comment in draft.comments.get((*path, i), []):
                out.append(f"{pad}  # {_one_line(comment)}")
            _mapping(out, draft, spec.children, item, (*path, i), indent + 4, first_prefix="- ")
        return
    if value is None:
        out.append(f"{pad}{spec.key}:")
        return
    text = str(value)
    if spec.kind == F.MARKDOWN and _literal_ok(text):
        out.append(f"{pad}{spec.key}: |-")
        out.extend(f"{pad}  {line}" if line else "" for line in text.split("\n"))
        return
    if spec.kind == F.MONEY and text.isdigit():
        out.append(f"{pad}{spec.key}: {text}")
        return
    quoted = spec.kind in _ALWAYS_QUOTED or (spec.key in _QUOTED_KEYS and path[0] == "indicators")
    out.append(f"{pad}{spec.key}: {scalar(text, quoted)}")


def _literal_ok(text: str) -> bool:
    """A block literal keeps text as is, but cannot start with a space or hold tabs,
    trailing spaces or control characters."""
    return (
        bool(text)
        and not text[0].isspace()
        and all(line == line.rstrip() for line in text.split("\n"))
        and all(ch.isprintable() or ch == "\n" for ch in text)
    )


def scalar(text: str, quoted: bool = False) -> str:
    if not quoted and _plain_ok(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or text.startswith(_UNSAFE_START):
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False
