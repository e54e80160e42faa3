"""Why a file cannot be imported at all, in both languages, with its exit status."""

from __future__ import annotations

# Exit statuses of `disclosures import` (documented in docs/editor-workflow.md).
EXIT_OK = 0
EXIT_NOTHING = 1  # readable text, but no table in it
EXIT_BAD_INPUT = 2  # unreadable: missing, empty, binary, not UTF-8, PDF without text
EXIT_UNPLACED = 3  # drafts written, but some text could not be placed
# Limits of the input door (importer/source.py); nothing is written for the file.
EXIT_TOO_LARGE = 4  # file over the size limit, or an archive that would unpack to too much
EXIT_NOT_A_FILE = 5  # a folder, FIFO, device or socket
EXIT_TIME_LIMIT = 6  # reading took longer than the time limit
EXIT_MEMORY_LIMIT = 7  # reading needed more memory than the limit (compressed data)


class InputRefused(Exception):
    """The file cannot be read as a table; nothing is written for it."""

    def __init__(self, zh: str, en: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.status = status

    def message(self) -> str:
        return f"{self.zh}\n  {self.en}"
