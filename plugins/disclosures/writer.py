"""A Pelican writer that leaves unchanged files unwritten.

`disclosures build` builds into an empty staging folder and swaps it into place. Where a
page's bytes equal the file of the same name in the previous output, this writer links that
file into the staging folder (a hard link: no data written, same inode, same mtime) instead
of writing a copy, so an rsync or a CDN sees only what really changed. The previous output
is never modified: a changed file is always a new file in staging.

The build command connects it to Pelican's `get_writer` signal and sets `previous_output`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

from pelican.writers import FileOverwriteFailedError, Writer

previous_output: Path | None = None
# Set by the `build` command: called with the number of files written so far.
on_progress: Callable[[int], None] | None = None


class Counts:
    written = 0  # new or changed files
    linked = 0  # unchanged: linked from the previous output


counts = Counts()


class LinkingWriter(Writer):
    def _open_w(self, filename: str, encoding: str, override: bool = False) -> io.StringIO:
        # Pelican's bookkeeping, as in Writer._open_w: one write per file unless overridden.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f"Failed to overwrite {filename!r} a second time")
            return io.StringIO()  # Pelican skips it: written nowhere
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f"Failed to overwrite {filename!r} as Pelican has already written to it previously"
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _Pending(filename, encoding)


class _Pending(io.StringIO):
    """Collects a file's text; on close, links the old file or writes the new bytes."""

    def __init__(self, filename: str, encoding: str) -> None:
        super().__init__()
        self.filename = filename
        self.encoding_name = encoding

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue().encode(self.encoding_name)
            if not _link_if_same(self.filename, data):
                if os.path.lexists(self.filename):
                    os.unlink(self.filename)  # never write through a link into the old site
                with open(self.filename, "wb") as out:
                    out.write(data)
                counts.written += 1
            if on_progress is not None:
                on_progress(counts.written + counts.linked)
        super().close()


def get_writer(pelican: object) -> type[Writer]:
    return LinkingWriter


def _link_if_same(filename: str, data: bytes) -> bool:
    if previous_output is None or _staging_root is None:
        return False
    relative = os.path.relpath(filename, _staging_root)
    if relative.startswith(".."):
        return False
    old = previous_output / relative
    try:
        if old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        if os.path.lexists(filename):
            os.unlink(filename)
        os.link(old, filename)
    except OSError:
        return False
    counts.linked += 1
    return True


_staging_root: str | None = None


def start(previous: Path | None, staging: Path) -> None:
    """Compare against `previous` (the live output) while building into `staging`."""
    global previous_output, _staging_root
    previous_output = previous if previous is not None and previous.is_dir() else None
    _staging_root = os.path.abspath(staging)
    counts.written = counts.linked = 0
