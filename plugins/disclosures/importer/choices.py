"""Tick-box cells: `新增项目□ 延续项目√`, `□ 常年性项目 ■ 一次性项目`.

Forms print every option of a choice with a box and tick the one that applies. The value of
such a field is the ticked option alone. A list of options wrapped onto the next line of the
form (and so left unplaced) is joined to the field it continues. A list with nothing ticked is
the blank form, not data: it leaves the field and is listed with the unplaced text, with a note.
"""

from __future__ import annotations

import re

from .draft import Draft, Piece

_BOX = "□☐▢"
_TICK = "√☑✓✔■☒▣"
_MARK = f"[{_BOX}{_TICK}]"
_AFTER = re.compile(rf"([^{_BOX}{_TICK}\s]+)\s*({_MARK})")  # option then its box
_BEFORE = re.compile(rf"({_MARK})\s*([^{_BOX}{_TICK}\s]+)")  # box then its option


def options(text: str) -> list[tuple[str, bool]] | None:
    """[(option, ticked)] when `text` is a list of boxed options (two at least), else None."""
    text = text.strip()
    if len(re.findall(_MARK, text)) < 2:
        return None
    before = bool(re.match(_MARK, text))
    found = (
        [(m.group(2), m.group(1) in _TICK) for m in _BEFORE.finditer(text)]
        if before
        else [(m.group(1), m.group(2) in _TICK) for m in _AFTER.finditer(text)]
    )
    rest = (_BEFORE if before else _AFTER).sub("", text).strip()
    return found if len(found) >= 2 and not rest else None


def resolve(draft: Draft) -> None:
    """Each tick-box value of the draft's header and extra rows → the ticked option."""
    fields = [(draft.data, key) for key, value in draft.data.items() if isinstance(value, str)]
    fields += [(row, "value") for row in draft.data.get("extra") or [] if isinstance(row, dict)]
    pending = [(node, key) for node, key in fields if options(str(node.get(key) or ""))]
    unticked = [p for p in pending if not any(t for _, t in options(str(p[0][p[1]])) or [])]
    for node, key in pending:
        listed = options(str(node[key])) or []
        if not any(ticked for _, ticked in listed):
            continuation = _ticked_continuation(draft)
            if continuation is not None and len(unticked) == 1:
                draft.unplaced.remove(continuation)
                listed += options(continuation.text) or []
        ticked = [option for option, is_ticked in listed if is_ticked]
        if len(ticked) == 1:
            node[key] = ticked[0]
        elif not ticked:
            written = node.pop(key)
            if node is not draft.data:  # an extra row: label and value go together
                draft.data["extra"].remove(node)
                written = f"{node.get('label', '')} {written}".strip()
            draft.unplaced.append(
                Piece(draft.first_line, f"{written}（表上未勾选 / nothing ticked）")
            )
    if "extra" in draft.data and not draft.data["extra"]:
        del draft.data["extra"]


def _ticked_continuation(draft: Draft) -> Piece | None:
    """An unplaced line that is only boxed options, one of them ticked."""
    for piece in draft.unplaced:
        listed = options(piece.text)
        if listed and any(ticked for _, ticked in listed):
            return piece
    return None
