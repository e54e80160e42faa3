"""A draft: the data found for one project table, and every piece of text not placed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Piece:
    """Some text of the source, with the line it starts on (1-based)."""

    line: int
    text: str

    def format(self) -> str:
        return f"第 {self.line} 行 / line {self.line}: {self.text}"


@dataclass
class Draft:
    form: str
    data: dict[str, Any] = field(default_factory=dict)
    # Comment lines written above a key, e.g. the label as printed, or a converted amount.
    comments: dict[Path_, list[str]] = field(default_factory=dict)
    unplaced: list[Piece] = field(default_factory=list)  # table text not placed: editor must look
    outside: list[Piece] = field(default_factory=list)  # page furniture around the table
    personal: list[Piece] = field(default_factory=list)  # clerks' names and phones: not imported
    first_line: int = 1

    def set(self, path: Path_, value: Any, comment: str | None = None) -> None:
        """Set a value at a dotted path, creating mappings on the way."""
        node = self.data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
        if comment:
            self.comment(path, comment)

    def comment(self, path: Path_, text: str) -> None:
        lines = self.comments.setdefault(path, [])
        if text not in lines:
            lines.append(text)

    def has(self, path: Path_) -> bool:
        node: Any = self.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return False
            node = node[key]
        return True

    def unplace(self, line: int, text: str) -> None:
        text = text.strip()
        if text:
            self.unplaced.append(Piece(line, text))

    @property
    def name(self) -> str:
        return str(self.data.get("name") or "")

    @property
    def year(self) -> str:
        return str(self.data.get("year") or "")
