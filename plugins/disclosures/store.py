"""Releases that share their unchanged folders: the release store.

A release made by the deploy hooks used to be a whole tree of hard links to the live one
(`cp -al`: 42,800 files and 11,600 folders at 10,000 projects, 47 s of wall time on a busy
disk for every edit, and as long again to delete). With a store, a release is a thin tree:

- `RELEASES/.store/<id>/` holds folders that never change once they are there (a year's
  folder, the search bundle, ...), each a whole tree of real files and folders, and
  symbolic links (absolute) to other store folders or to folders inside them;
- a release keeps its own files at the top (Pelican's pages, the theme, index.html), and
  every folder it shares with other releases is a symbolic link into the store.

Making a release from the live one (`seed`) copies only the live release's top: its files
are hard-linked, its links copied. Before anything is written or removed under a shared
folder, that folder and each of its parents are made the release's own (`unshare`): a new
folder whose entries link to the store's (files hard-linked, folders as symbolic links), one
level at a time. An edit thus copies a few hundred entries, not the whole site. When the
build is done, the release's own folders that hold only outputs of the plan go into the
store, each replaced by a link (`intern`); folders holding anything else (Pelican's own
files, static files) stay the release's: nothing but the plan's publisher ever writes where
the store is reached.

Nothing in the store is ever written to: files are replaced by unlink + new file (writer.py),
never written through a link, and folders are unshared before anything in them changes.
The deploy hooks remove old releases, then the store folders no kept release reaches
(`collect`, run as `python -m disclosures.store collect RELEASES`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

STORE = ".store"  # the store's folder name, in the releases folder
REFS = ".refs"  # beside each store folder: the store folders it links to, one a line
# A store folder reached by nothing is removed only when it has been there this long: a
# build outside the publishing lock (the builder's catch-up) may have just moved it there.
GRACE_SECONDS = 3600


class StoreError(OSError):
    """A release's folder cannot be made its own (a link that does not lead into a store)."""


def store_of(releases: Path) -> Path:
    return releases / STORE


def is_layered(site: Path) -> bool:
    """True when `site` (a release) shares folders through a store: a link at its top."""
    try:
        with os.scandir(site) as entries:
            return any(entry.is_symlink() for entry in entries)
    except OSError:
        return False


def _store_target(link: str) -> str:
    """The target of a release's link, refused unless it leads into a store folder."""
    target = os.readlink(link)
    parts = PurePosixPath(target).parts
    if not os.path.isabs(target) or STORE not in parts or ".." in parts:
        raise StoreError(
            f"{link}: 不是版本库链接 / a link that does not lead into a store: {target}"
        )
    return target


def unshare_one(path: str) -> None:
    """Make the shared folder `path` (a link into the store) the release's own folder: the
    same entries, files hard-linked, folders and links pointing into the store."""
    target = _store_target(path)
    fresh = f"{path}.unshare-{secrets.token_hex(4)}"
    os.mkdir(fresh)
    try:
        os.chmod(fresh, os.stat(target).st_mode & 0o7777)
        with os.scandir(target) as entries:
            for entry in entries:
                made = os.path.join(fresh, entry.name)
                if entry.is_symlink():
                    os.symlink(os.readlink(entry.path), made)
                elif entry.is_dir(follow_symlinks=False):
                    os.symlink(entry.path, made)
                else:
                    os.link(entry.path, made)
        os.unlink(path)
        os.rename(fresh, path)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def unshare(site: str, folder: str) -> None:
    """Make `site/folder` and each folder above it (inside `site`) the release's own, where
    they exist; a folder not there yet is made later as a real one."""
    current = site
    for part in PurePosixPath(folder).parts:
        current = os.path.join(current, part)
        if os.path.islink(current):
            unshare_one(current)
        elif not os.path.isdir(current):
            return


def is_own(site: str, folder: str) -> bool:
    """True when neither `site/folder` nor a folder above it is a link (into the store)."""
    current = site
    for part in PurePosixPath(folder).parts:
        current = os.path.join(current, part)
        if os.path.islink(current):
            return False
    return True


def remove_files(site: Path, names: Iterable[str], whole: Iterable[str] = ()) -> None:
    """Remove files from the release `site`, never from the store: their folders are made the
    release's own first. `whole`: folders (of folder outputs) whose every file goes: one
    that is shared is unlinked as it is, without being copied first."""
    root = str(site)
    gone: list[str] = []
    for folder in sorted(whole, key=len):
        folder = folder.rstrip("/")
        path = os.path.join(root, folder)
        if any(folder.startswith(g + "/") for g in gone):
            continue
        unshare(root, str(PurePosixPath(folder).parent))
        if os.path.islink(path):
            os.unlink(path)
            gone.append(folder)
    for name in names:
        if any(name.startswith(g + "/") for g in gone):
            continue
        parent = str(PurePosixPath(name).parent)
        unshare(root, parent)
        try:
            os.unlink(os.path.join(root, name))
        except FileNotFoundError:
            pass


class LayeredSeed:
    """A new release started from a layered live one: the live release's top copied (files
    hard-linked when they are outputs of the plan, links copied, its own folders copied the
    same way), nothing below a shared folder touched. The same interface as publish.Seed:
    `wait` returns the names of the live site's output files the release now holds (every
    file of the live manifest: a shared folder holds its outputs by construction), `removed`
    the files left out (Pelican's own, made again)."""

    def __init__(self, site: Path, live: Path, ours: set[str]) -> None:
        self.removed: list[str] = []
        self.ours = ours
        self.done = False
        try:
            self._copy(str(live), str(site), "")
            self.done = True
        except OSError:
            for child in site.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()

    def _copy(self, source: str, target: str, prefix: str) -> None:
        with os.scandir(source) as entries:
            for entry in entries:
                name = prefix + entry.name
                made = os.path.join(target, entry.name)
                if entry.is_symlink():
                    os.symlink(_store_target(entry.path), made)
                elif entry.is_dir(follow_symlinks=False):
                    os.mkdir(made)
                    self._copy(entry.path, made, name + "/")
                elif name in self.ours:
                    os.link(entry.path, made)
                else:
                    self.removed.append(name)

    def wait(self) -> set[str] | None:
        return set(self.ours) if self.done else None


def intern(site: Path, store: Path, ours: set[str]) -> int:
    """Move the largest folders of the release `site` that are its own and hold only outputs
    of the plan (`ours`: file names; links into the store) into the store, each replaced by
    an absolute link. Returns how many."""
    store.mkdir(exist_ok=True)
    moved: list[int] = [0]
    _intern(str(site), "", ours, store.resolve(), moved)
    return moved[0]


def _intern(folder: str, rel: str, ours: set[str], store: Path, moved: list[int]):
    """(whether `folder` may go into the store whole, the store links at or below it); its
    sub-folders that may are moved now when it may not."""
    ok, found, ready = bool(rel), [], []
    with os.scandir(folder) as entries:
        items = list(entries)
    for entry in items:
        if entry.is_symlink():
            target = _store_link(entry.path)
            if target is None:
                ok = False  # not one of ours: the folder stays the release's
            else:
                found.append(target)
        elif entry.is_dir(follow_symlinks=False):
            sub_ok, sub_found = _intern(entry.path, f"{rel}{entry.name}/", ours, store, moved)
            if sub_ok:
                ready.append((entry.path, sub_found))
                found.extend(sub_found)
            else:
                ok = False
        elif rel + entry.name not in ours:
            ok = False
    if ok:
        return True, found
    for path, links in ready:
        _move(path, store, links)
        moved[0] += 1
    return False, []


def _store_link(path: str) -> str | None:
    try:
        return _store_target(path)
    except OSError:
        return None


def _links_below(path: str) -> list[str]:
    """The store links at or below the folder `path` (not following them)."""
    found = []
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_symlink():
                target = _store_link(entry.path)
                if target is not None:
                    found.append(target)
            elif entry.is_dir(follow_symlinks=False):
                found.extend(_links_below(entry.path))
    return found


def _move(path: str, store: Path, links: list[str]) -> None:
    ident = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{secrets.token_hex(8)}"
    into = store / ident
    ids = sorted({_id_of(t, store) for t in links} - {None})
    (store / (ident + REFS)).write_text("".join(i + "\n" for i in ids), "utf-8")
    os.rename(path, into)
    link = f"{path}.link-{secrets.token_hex(4)}"
    os.symlink(str(into), link)
    os.rename(link, path)


def _id_of(target: str, store: Path) -> str | None:
    try:
        rest = PurePosixPath(target).relative_to(store)
    except ValueError:
        return None
    return rest.parts[0] if rest.parts else None


def collect(releases: Path, now: float | None = None) -> tuple[int, int]:
    """Remove the store folders of `releases` that no folder there (a release, a staging
    folder) reaches, directly or through other store folders, unless they are younger than
    GRACE_SECONDS. Returns (kept, removed)."""
    store = store_of(releases)
    if not store.is_dir():
        return 0, 0
    now = time.time() if now is None else now
    resolved = store.resolve()
    reached: set[str] = set()
    todo: list[str] = []
    for child in releases.iterdir():
        if child.name == STORE or child.is_symlink() or not child.is_dir():
            continue
        for target in _links_below(str(child)):
            ident = _id_of(target, resolved) or _id_of(target, store)
            if ident is not None and ident not in reached:
                reached.add(ident)
                todo.append(ident)
    while todo:
        refs = store / (todo.pop() + REFS)
        try:
            named = refs.read_text("utf-8").split()
        except OSError:
            named = []
        for ident in named:
            if ident not in reached:
                reached.add(ident)
                todo.append(ident)
    kept = removed = 0
    for child in store.iterdir():
        ident = child.name.removesuffix(REFS)
        if ident in reached:
            kept += child.name == ident
            continue
        try:
            if now - child.lstat().st_ctime < GRACE_SECONDS:
                kept += child.name == ident
                continue
        except OSError:
            continue
        if child.name != ident:
            if not (store / ident).exists():
                child.unlink(missing_ok=True)
            continue
        shutil.rmtree(child)
        (store / (ident + REFS)).unlink(missing_ok=True)
        removed += 1
    return kept, removed


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "collect":
        print("usage: python -m disclosures.store collect RELEASES", file=sys.stderr)
        return 2
    kept, removed = collect(Path(argv[1]))
    print(f"版本库 / store: {kept} kept, {removed} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
