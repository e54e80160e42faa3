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
        where = f"{cut_message(escape(self.field))}: " if self.field else ""
        return (
            f"{escape(self.path)}:{self.line}:{self.column}: {where}{level}"
            f"{cut_message(escape(self.zh))} / {cut_message(escape(self.en))}"
        )

    def format_github(self, title: str | None = None, text: str | None = None) -> str:
        """A GitHub Actions workflow annotation, escaped as the Actions toolkit does
        (`%`, CR, LF in the message; also `:` and `,` in properties) after
        `textpolicy.escape`: a key such as `x::error file=y::z` stays inside its own title.
        `title` and `text` say the field and the message otherwise (editor_messages.for_github:
        in the form's words); they are escaped the same way."""
        kind = "error" if self.is_error else "warning"
        title = _github_property(cut_message(escape(title or self.field or "file")))
        path = _github_property(escape(self.path))
        said = text or f"{cut_message(escape(self.zh))} / {cut_message(escape(self.en))}"
        message = _github_data(escape(said))
        return f"::{kind} file={path},line={self.line},col={self.column},title={title}::{message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.field)


# A message quotes values from the file; whatever quotes a whole value (a 30,000-character
# target) is cut here, so one line stays a line.
MAX_MESSAGE = 500


def cut_message(text: str) -> str:
    """`text` cut to MAX_MESSAGE characters, saying so."""
    if len(text) <= MAX_MESSAGE:
        return text
    return f"{text[:MAX_MESSAGE]}…（截断 / cut, {len(text)}）"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


# A file's checks stop at this many problems (errors and warnings): a hostile file with a
# million mistakes costs what one with fifty costs, and its editor reads the first ones.
MAX_PER_FILE = 50


class TooManyProblems(Exception):
    """Raised by `add_capped` when a file reaches MAX_PER_FILE problems."""


def add_capped(problems: list[Problem], problem: Problem, before: int = 0) -> None:
    """Append `problem`; raise TooManyProblems once the file holds MAX_PER_FILE
    (`before`: problems of the same file already counted elsewhere)."""
    problems.append(problem)
    if before + len(problems) >= MAX_PER_FILE:
        raise TooManyProblems


def stopped(problems: list[Problem], path: str) -> Problem:
    """The error that ends a file's capped list, placed at its last problem: the file was
    not checked to the end, so it cannot be published."""
    line, column = (problems[-1].line, problems[-1].column) if problems else (1, 1)
    return Problem(
        path,
        line,
        column,
        "",
        f"……另有更多问题：检查在第 {MAX_PER_FILE} 个问题处停止，其余部分未检查；请先改正以上问题",
        f"… and more: checking stopped after {MAX_PER_FILE} problems, the rest of the file "
        "was not checked; fix these first",
    )


class ValueProblem(ValueError):
    """Raised by value parsers; the caller adds the location."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
