"""Problems found in editors' files: one type, one format, everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
        """`path:line:column: field: 中文 / English` (warnings say so)."""
        level = "" if self.is_error else "警告 warning: "
        where = f"{self.field}: " if self.field else ""
        return f"{self.path}:{self.line}:{self.column}: {where}{level}{self.zh} / {self.en}"

    def format_github(self) -> str:
        """A GitHub Actions workflow annotation."""
        kind = "error" if self.is_error else "warning"
        title = self.field or "file"
        message = f"{self.zh} / {self.en}".replace("%", "%25").replace("\n", "%0A")
        return (
            f"::{kind} file={self.path},line={self.line},col={self.column},title={title}::{message}"
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.field)


class ValueProblem(ValueError):
    """Raised by value parsers; the caller adds the location."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
