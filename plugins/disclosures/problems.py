"""Problems found in editors' files: one type, one format, everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .textpolicy import escape


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem in one file, pointing at a line and column (1-based)."""

    path: str
    line: int
    column: int
    field: str  # dotted path of the field, e.g. "indicators[3].target"; "" for the file
    zh: str  # message for editors, in Chinese
    en: str  # the same in English
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """`path:line:column: field: 中文 / English` (warnings say so), on one line.

        Paths, keys and values quoted in messages come from files: every control, format or
        separator character in them is shown as an escape (`textpolicy.escape`), so a
        hostile name cannot add a line, colour the terminal or reorder the text."""
        level = "" if self.is_error else "警告 warning: "
        where = f"{escape(self.field)}: " if self.field else ""
        return (
            f"{escape(self.path)}:{self.line}:{self.column}: {where}{level}"
            f"{escape(self.zh)} / {escape(self.en)}"
        )

    def format_github(self) -> str:
        """A GitHub Actions workflow annotation, escaped as the Actions toolkit does
        (`%`, CR, LF in the message; also `:` and `,` in properties) after
        `textpolicy.escape`: a key such as `x::error file=y::z` stays inside its own title."""
        kind = "error" if self.is_error else "warning"
        title = _github_property(escape(self.field or "file"))
        path = _github_property(escape(self.path))
        message = _github_data(f"{escape(self.zh)} / {escape(self.en)}")
        return f"::{kind} file={path},line={self.line},col={self.column},title={title}::{message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.field)


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


class ValueProblem(ValueError):
    """Raised by value parsers; the caller adds the location."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
