"""A Pelican writer that leaves unchanged files unwritten.

`disclosures build` builds into an empty staging folder and swaps it into place. Where a
page's bytes equal the file of the same name in the previous output, this writer links that
file into the staging folder (a hard link: no data written, same inode, same mtime) instead
of writing a copy, so an rsync or a CDN sees only what really changed. The previous output
is never modified: a changed file is always a new file in staging.

The plugin returns it from Pelican's `get_writer` signal. It reads two settings, both set per
build by `disclosures build`: DISCLOSURES_PREVIOUS_OUTPUT (without it, every file is
written, as by Pelican's own writer) and DISCLOSURES_REPORT (counts and progress).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .report import BuildReport


class LinkingWriter(Writer):
    def __init__(self, output_path: str, settings: dict | None = None) -> None:
        super().__init__(output_path, settings=settings)
        settings = settings or {}
        previous = settings.get("DISCLOSURES_PREVIOUS_OUTPUT")
        self.previous: Path | None = Path(previous) if previous else None
        if self.previous is not None and not self.previous.is_dir():
            self.previous = None
        self.report: BuildReport | None = settings.get("DISCLOSURES_REPORT")
        self.root = os.path.abspath(output_path)
        self._folders: set[str] = set()
        # (file, linked) of every file written, when a child renderer keeps it (parallel.py).
        self.journal: list[tuple[str, bool]] | None = None

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
        return _Pending(self, filename, encoding)

    def reuse(self, name: str) -> bool:
        """Link the live site's copy of `name` unrendered (its inputs are unchanged: see
        incremental.py). False when there is none, and the caller renders the page."""
        if self.previous is None:
            return False
        path = sanitised_join(self.output_path, name)  # refuses names outside the output
        old = os.path.join(self.previous, path[len(self.root) + 1 :])
        if path in self._written_files:
            return False
        try:
            folder = os.path.dirname(path)
            if folder not in self._folders:  # 11,000 pages, a few thousand folders
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            os.link(old, path)
        except OSError:  # no such file in the live site (or no hard links): render it
            return False
        self._written_files.add(path)
        if self.report is not None:
            self.report.reused += 1
            self.report.file_done(linked=True)
        # As Pelican's writer does for every file: the sitemap plugin lists pages from this.
        signals.content_written.send(path, context={})
        return True

    def finish(self, filename: str, data: bytes) -> None:
        """Link the previous file when its bytes are the same, else write the new bytes."""
        linked = self._link_if_same(filename, data)
        if not linked:
            if os.path.lexists(filename):
                os.unlink(filename)  # never write through a link into the old site
            with open(filename, "wb") as out:
                out.write(data)
        if self.report is not None:
            self.report.file_done(linked)
        if self.journal is not None:
            self.journal.append((filename, linked))

    def adopt(self, journal: list[tuple[str, bool]]) -> None:
        """Files another process wrote into this output with a copy of this writer: count
        them as written here, as Pelican's writer does for each file it writes."""
        for filename, linked in journal:
            self._written_files.add(filename)
            signals.content_written.send(filename, context={})
            if self.report is not None:
                self.report.file_done(linked)

    def _link_if_same(self, filename: str, data: bytes) -> bool:
        if self.previous is None:
            return False
        relative = os.path.relpath(filename, self.root)
        if relative.startswith(".."):
            return False
        old = self.previous / relative
        try:
            if old.stat().st_size != len(data) or old.read_bytes() != data:
                return False
            if os.path.lexists(filename):
                os.unlink(filename)
            os.link(old, filename)
        except OSError:
            return False
        return True


class _Pending(io.StringIO):
    """Collects a file's text; on close, hands the bytes to the writer."""

    def __init__(self, writer: LinkingWriter, filename: str, encoding: str) -> None:
        super().__init__()
        self.writer = writer
        self.filename = filename
        self.encoding_name = encoding

    def close(self) -> None:
        if not self.closed:
            self.writer.finish(self.filename, self.getvalue().encode(self.encoding_name))
        super().close()


def get_writer(pelican: object) -> type[Writer]:
    return LinkingWriter
