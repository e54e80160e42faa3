"""A Pelican writer for the output plan: pages, bytes and links, all counted alike.

Pages are rendered through Pelican's `write_file` as usual; downloads and search bundles,
which are not template renders, go through `write_bytes`; outputs whose inputs are
unchanged since the live site was built are published with `link` (a hard link to the live
site's file: no data written, same inode) or `keep` (already there). All keep Pelican's
bookkeeping (one write per file); files made are announced (`content_written`), unchanged
ones are not (43,000 signals at 10,000 projects): the sitemap is an output of the plan
(sitemap.py), not a list of announced files.
The live site is never modified: a changed file is always a new file in staging.

The plugin returns it from Pelican's `get_writer` signal. It reads DISCLOSURES_REPORT, set
per build by `disclosures build` (counts and progress).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .report import BuildReport
from .store import is_layered, unshare


class LinkingWriter(Writer):
    def __init__(self, output_path: str, settings: dict | None = None) -> None:
        super().__init__(output_path, settings=settings)
        settings = settings or {}
        self.report: BuildReport | None = settings.get("DISCLOSURES_REPORT")
        self.root = os.path.abspath(output_path)
        self._folders: set[str] = set()
        # (file, linked) of every file written, when a child renderer keeps it (parallel.py).
        self.journal: list[tuple[str, bool]] | None = None
        # A release started from one that shares folders through the store (store.py, seeded
        # before the writer is made): a folder is made the release's own before anything in
        # it is written or removed, never written through a link into the store.
        self.layered = is_layered(self.root)
        self._own: set[str] = set()

    def _make_own(self, folder: str) -> None:
        if self.layered and folder not in self._own:
            unshare(self.root, os.path.relpath(folder, self.root))
            self._own.add(folder)

    def write_file(self, name, *args, **kwargs):  # Pelican makes the folder before _open_w
        self._make_own(os.path.dirname(sanitised_join(self.output_path, name)))
        return super().write_file(name, *args, **kwargs)

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        if path is not None:
            self._make_own(os.path.dirname(sanitised_join(self.output_path, path)))
        return super().write_feed(elements, context, path, *args, **kwargs)

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

    def _claim(self, name: str) -> str:
        """The file's path in the output (names outside it are refused), counted as written
        the way Pelican's writer counts its files; its folder made."""
        path = sanitised_join(self.output_path, name)
        if path in self._written_files:
            raise FileOverwriteFailedError(
                f"Failed to overwrite {path!r} as Pelican has already written to it previously"
            )
        self._written_files.add(path)
        folder = os.path.dirname(path)
        if folder not in self._folders:  # 11,000 pages, a few thousand folders
            self._make_own(folder)
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return path

    def write_bytes(self, name: str, data: bytes) -> None:
        """Write a file that is not a template render (a download, a search bundle's file)."""
        path = self._claim(name)
        self.finish(path, data)
        signals.content_written.send(path, context={})

    def link(self, name: str, source: Path) -> bool:
        """Publish `source` (the live site's copy of an unchanged output) as `name`, a hard
        link: no data written. False when it cannot be linked; the caller makes it."""
        path = sanitised_join(self.output_path, name)
        if path in self._written_files:
            return False
        folder = os.path.dirname(path)
        try:
            if folder not in self._folders:
                self._make_own(folder)
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            os.link(source, path)
        except OSError:
            return False
        self._written_files.add(path)
        if self.report is not None:
            self.report.file_done(linked=True)
        if self.journal is not None:  # linked by a worker: the parent counts it
            self.journal.append((path, True))
        return True  # not announced (content_written): unchanged, and the sitemap is planned

    def keep(self, name: str, present: bool = False) -> bool:
        """Publish the file already in the output (building in place, or a release seeded
        with the live site's files: publish.seed): counted and announced like any other.
        False when it is not there; the caller makes it. `present`: the caller has just
        listed it, no need to look again."""
        # A listed name is a file found under the output (publish.Seed): inside it already.
        path = f"{self.root}/{name}" if present else sanitised_join(self.output_path, name)
        if path in self._written_files or not (present or os.path.isfile(path)):
            return False
        self._written_files.add(path)
        if self.report is not None:
            self.report.file_done(linked=True)
        return True  # not announced: see `link`

    def unlink(self, name: str) -> None:
        """Take back a file linked by `link` (a folder output that could not be linked whole)."""
        path = sanitised_join(self.output_path, name)
        self._written_files.discard(path)
        self._make_own(os.path.dirname(path))
        if os.path.lexists(path):
            os.unlink(path)

    def finish(self, filename: str, data: bytes) -> None:
        """Write the bytes as a new file (never through a link into the old site)."""
        self._make_own(os.path.dirname(filename))
        if os.path.lexists(filename):
            os.unlink(filename)
        with open(filename, "wb") as out:
            out.write(data)
        if self.report is not None:
            self.report.file_done(False)
        if self.journal is not None:
            self.journal.append((filename, False))

    def adopt(self, journal: list[tuple[str, bool]]) -> None:
        """Files another process wrote into this output with a copy of this writer: count
        them as written here, as Pelican's writer does for each file it writes."""
        for filename, linked in journal:
            self._written_files.add(filename)
            if not linked:  # as `finish` … `write_bytes` / Pelican's write_file announce it
                signals.content_written.send(filename, context={})
            if self.report is not None:
                self.report.file_done(linked)


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
