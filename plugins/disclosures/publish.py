"""The publisher: fingerprint every output of the plan, link the unchanged ones from the live
site, make the others on the build's workers, all through Pelican's writer.

One function decides whether an output is unchanged: `fingerprint`, a sha256 over the
build's base (plugin code, settings, site-wide data files), the output's path and kind, its
declared inputs (plan.py) and the fingerprints of the outputs it reads (`after`). One
manifest records the fingerprint of every output of a site (and a folder output's files);
it is kept next to the cache, named after the identity of the folder it describes (device,
inode), so a release built in a staging folder and renamed into place keeps its manifest,
and a folder changed by other hands (its mtime moved) gets none: everything is made.
Unreadable or missing manifests cost time, never correctness.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from .cache import code_version
from .manifest import (  # noqa: F401 - the publisher's API: the manifest lives in manifest.py
    KEEP_MANIFESTS,
    Live,
    Manifest,
    forget_manifest,
    input_stamp,
    load_manifest,
    load_stamps,
    manifest_path,
    save_manifest,
)
from .parallel import Job, run_jobs
from .plan import _VOLATILE, Output, Plan, plain_value
from .status import PAGES, part_of, parts_of, status_bytes
from .status import PATH as STATUS_PATH
from .store import LayeredSeed, is_layered, remove_files, unshare


def base_digest(settings: Mapping[str, Any], data_root: Path | None) -> str:
    """What every output may depend on: the plugin code, the settings, the site-wide data
    files (data/_*.yaml: the glossary, the national framework mapping)."""
    digest = hashlib.sha256(code_version().encode())
    plain = {k: v for k, v in settings.items() if k not in _VOLATILE and plain_value(v)}
    digest.update(json.dumps(plain, sort_keys=True, default=str).encode())
    if data_root is not None and data_root.is_dir():
        for path in sorted(data_root.glob("_*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def templates_digest(theme: str, context: Mapping[str, Any]) -> str:
    """What every page may show besides its own inputs: every template file, the navigation
    (Pelican's pages) and the glossary behind the "?" links."""
    digest = hashlib.sha256()
    templates = Path(theme) / "templates"
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    navigation = [(p.title, p.url) for p in context.get("pages", [])]
    digest.update(json.dumps(navigation, ensure_ascii=False).encode())
    glossary = context.get("glossary")
    digest.update(repr(getattr(glossary, "terms", None)).encode())
    return digest.hexdigest()


def fingerprint(output: Output, base: str, made: Mapping[str, str]) -> str:
    """The one notion of "unchanged": equal fingerprints, equal bytes."""
    digest = hashlib.sha256(base.encode())
    digest.update(f"{output.path}\0{output.kind}\0".encode())
    for token in output.inputs:
        digest.update(token.encode("utf-8", "surrogateescape") + b"\0")
    for path in output.after:
        digest.update(made[path].encode() + b"\0")
    return digest.hexdigest()


@dataclass
class KeptPrints:
    """A long-lived builder's fingerprints of its last plan: an output of the kept plan
    (plan.KeptOutputs: the same object, so the same inputs) with the same base and the same
    fingerprints of what it reads has the same fingerprint, not hashed again."""

    base: str = ""
    prints: dict[str, tuple[Output, tuple[str, ...], str]] = field(default_factory=dict)


def fingerprints(plan: Plan, base: str, kept: KeptPrints | None = None) -> dict[str, str]:
    made: dict[str, str] = {}
    known = kept.prints if kept is not None and kept.base == base else {}
    fresh: dict[str, tuple[Output, tuple[str, ...], str]] = {}
    for output in plan:  # `after` comes first in a plan
        read = tuple(made[path] for path in output.after)
        last = known.get(output.path)
        if last is not None and last[0] is output and last[1] == read:
            made[output.path] = last[2]
        else:
            made[output.path] = fingerprint(output, base, made)
        if kept is not None:
            fresh[output.path] = (output, read, made[output.path])
    if kept is not None:
        kept.base, kept.prints = base, fresh
    return made


# --- shards ---------------------------------------------------------------------------------
# A shard's folder carries its own manifest (it travels as a CI artifact, where folder
# identities mean nothing): the merge trusts it as it trusts its own cache.
SHARD_MANIFEST = ".disclosures-shard.json"


def shard_manifest(outputs: Manifest) -> bytes:
    return json.dumps({"outputs": outputs}, sort_keys=True).encode()


def load_shard(folder: Path) -> Manifest:
    try:
        saved = json.loads((folder / SHARD_MANIFEST).read_text(encoding="utf-8"))
        outputs = saved.get("outputs")
        return outputs if isinstance(outputs, dict) else {}
    except (OSError, ValueError):
        return {}


# --- publishing ---------------------------------------------------------------------------


@dataclass
class Published:
    manifest: Manifest = field(default_factory=dict)
    linked: int = 0  # outputs linked from the live site
    linked_pages: int = 0  # of those, pages (not rendered)
    made: int = 0  # outputs made
    made_aside: int = 0  # of those, by other processes
    trailing: dict[str, int] = field(default_factory=dict)  # part → outputs still the live's
    made_pages: int = 0  # outputs of the pages part made (status.json aside)


def publish(
    plan: Plan,
    writer,
    render: Callable[[Any], None],
    base: str,
    site: Path,
    sources: list[tuple[Path, Manifest]] | None = None,
    workers: int = 2,
    minimum: int = 200,
    trail: bool = False,
    seeded: set[str] | None = None,
    kept: KeptPrints | None = None,
    layered: bool = False,
) -> Published:
    """Publish every output of `plan` into `site` (the writer's output folder). `render(page)`
    writes a page through the writer. `sources` are folders holding outputs already made,
    each with its manifest, looked up in order: the live site (hard-linked from; or `site`
    itself, plain `pelican` building in place: kept, and stale files removed), then the
    shards being merged (`disclosures build --merge`).

    `trail` (a long-lived builder publishing pages first): changed outputs of the search
    index and the whole-site downloads are the live site's files, unchanged, and status.json
    says which parts trail; the next complete build makes them (`trailing_outputs`).

    `seeded`: `site` already holds the live site's files, hard links made in one go by
    `seed` (these names): an unchanged output's files are announced where they are, and
    the files of every other output of the live site are taken away before it is made.

    `kept`: a long-lived builder's fingerprints of its last plan (`KeptPrints`).

    `layered`: `site` shares folders with the live release through the store (store.py):
    every folder a file is removed from or made in is made the release's own first."""
    prints = fingerprints(plan, base, kept)
    sources = sources or []
    in_place = bool(sources) and _same_folder(sources[0][0], site)
    seeded = seeded if sources and not in_place else None
    result = Published()
    late = trailing_outputs(plan, prints, sources[0]) if trail and sources and not in_place else {}

    kept: set[str] = set()  # seeded files published as they are

    def link_all(folder: Path, files: list[str], number: int = 0) -> bool:
        if seeded is not None and number == 0:
            if not all(name in seeded for name in files):
                return False
            for name in files:
                writer.keep(name, present=True)
                kept.add(name)
            return True
        if seeded is None:
            return _link_all(writer, folder, files)
        for name in files:  # a shard's copy replaces the live one seeded here
            if name in seeded and name not in kept:
                (site / name).unlink(missing_ok=True)
        if not _link_all(writer, folder, files):
            return False
        kept.update(files)  # in place now: not to be taken away below
        return True

    to_make: list[Output] = []
    for output in plan:
        if output.path in late:
            folder, manifest = sources[0]
            entry = manifest[output.path]
            if not link_all(folder, _entry_files(output, entry)):
                raise OSError(f"cannot link {output.path} from {folder}")
            result.manifest[output.path] = entry  # its old fingerprint: made next time
            result.trailing[late[output.path]] = result.trailing.get(late[output.path], 0) + 1
            continue
        if late and output.path == STATUS_PATH:
            behind = parts_of(_read_or_empty(sources[0][0] / STATUS_PATH))
            trailing = {part: behind.get(part) for part in set(late.values())}
            to_make.append(replace(output, make=partial(_status, output.inputs[0], trailing)))
            continue
        for number, (folder, manifest) in enumerate(sources):
            old = manifest.get(output.path)
            old_print, files = (old[0], old[1]) if isinstance(old, list) else (old, [output.path])
            if old_print != prints[output.path]:
                continue
            if in_place and number == 0:
                published = all(writer.keep(name) for name in files)
            else:
                published = link_all(folder, files, number)
            if published:
                result.linked += 1
                result.linked_pages += output.page is not None
                result.manifest[output.path] = old
                break
        else:
            to_make.append(output)
    taken = seeded - kept if seeded is not None else set()
    if in_place:
        taken = _remove_stale(site, sources[0][1], plan, {o.path for o in to_make})
    if layered:  # never removed from, nor written into, a folder the store holds
        whole = [o.path for o in to_make if o.folder and not _holds_any(o.path, kept)]
        remove_files(site, taken, whole)
        for output in to_make:
            unshare(str(site), output.path.rstrip("/") if output.folder else _parent(output.path))
    else:
        for name in taken:  # before they are made again: never written through a link
            (site / name).unlink(missing_ok=True)
    read = _reader(site)
    # An output that reads others (a search bundle its pages …) whose fingerprint changed
    # because one of them was made again may still read the same bytes: compared by its
    # content key once they exist, it is then linked from the live site, not made.
    live = sources[0] if sources and not in_place else None
    # Pages first, project pages first among them: the search bundles wait for those.
    order = sorted(
        range(len(to_make)),
        key=lambda n: (to_make[n].page is None, not _is_project_page(to_make[n])),
    )
    order = _topological(to_make, order)
    position = {to_make[n].path: i for i, n in enumerate(order)}
    jobs = [
        Job(
            run=_maker(to_make[n], writer, render, read, _previous(to_make[n], live), base),
            after=tuple(position[a] for a in to_make[n].after if a in position),
            alone=to_make[n].alone,
        )
        for n in order
    ]
    result.made_aside = run_jobs(jobs, writer, workers, minimum)
    result.made = len(jobs)
    prune_folders(site, taken)  # a removed project's folder is not left empty
    result.made_pages = sum(
        part_of(o.kind, o.shard) == PAGES and o.path != STATUS_PATH for o in to_make
    )
    for output in to_make:
        print_ = prints[output.path]
        if late and output.path == STATUS_PATH:  # never equal to a complete build's
            result.manifest[output.path] = "trailing:" + print_
            continue
        files = _files_under(site, output.path) if output.folder else [output.path]
        if _cuts_off(output):
            result.manifest[output.path] = [print_, files, content_key(output, base, read)]
        else:
            result.manifest[output.path] = [print_, files] if output.folder else print_
    return result


def trailing_outputs(
    plan: Plan, prints: Mapping[str, str], live: tuple[Path, Manifest]
) -> dict[str, str]:
    """Outputs that may trail the pages (path → part): the changed outputs of the search
    index and the whole-site downloads (status.part_of), and any output reading one of them.
    Their live files are published as they are; every page and project file is current.
    Nothing trails (an empty mapping: everything is made now) when one of them is missing
    from the live site (a new year's bundle or workbook: a page would link to a missing
    file) or when a page would read one."""
    folder, manifest = live
    if any(path not in plan.by_path for path in manifest):
        return {}  # an output removed (a project deleted): the old index would point at it
    late: dict[str, str] = {}
    for output in plan:
        part = part_of(output.kind, output.shard)
        reads_late = [late[path] for path in output.after if path in late]
        if part == PAGES:
            if reads_late:
                return {}
            continue
        entry = manifest.get(output.path)
        if entry is None:
            return {}
        old = entry[0] if isinstance(entry, list) else entry
        if old == prints[output.path] and not reads_late:
            continue
        if not all((folder / name).is_file() for name in _entry_files(output, entry)):
            return {}
        late[output.path] = part
    return late


def _holds_any(folder: str, names: set[str]) -> bool:
    """Whether any of `names` lies in `folder` (a folder output's path, ending with "/")."""
    return any(name.startswith(folder) for name in names)


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


def seed(site: Path, live: Path, manifest: Manifest) -> Seed | LayeredSeed:
    """The new release `site` started from the live one: its top only when the live release
    shares folders through the store (store.LayeredSeed), else every file (`Seed`)."""
    if manifest and is_layered(live):
        ours = {name for path, entry in manifest.items() for name in _entry_files_of(path, entry)}
        return LayeredSeed(site, live, ours)
    return Seed(site, live, manifest)


def _entry_files(output: Output, entry: Any) -> list[str]:
    return entry[1] if isinstance(entry, list) else [output.path]


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _status(release: str, behind: Mapping[str, str | None], read: Callable) -> bytes:
    return status_bytes(release, behind)


def _cuts_off(output: Output) -> bool:
    """Outputs compared by the bytes they read: those reading files (not folders)."""
    return bool(output.after) and not any(path.endswith("/") for path in output.after)


def content_key(output: Output, base: str, read: Callable[[str], bytes]) -> str:
    """What an output that reads other outputs is made from, by their bytes: its own
    inputs and the digest of every file it reads (equal keys, equal bytes)."""
    digest = hashlib.sha256(base.encode())
    digest.update(f"{output.path}\0{output.kind}\0".encode())
    for token in output.inputs:
        digest.update(token.encode("utf-8", "surrogateescape") + b"\0")
    for path in output.after:
        digest.update(path.encode() + b"\0" + hashlib.sha256(read(path)).digest())
    return "content:" + digest.hexdigest()


def _previous(
    output: Output, live: tuple[Path, Manifest] | None
) -> tuple[Path, list[str], str] | None:
    """The live site's copy of `output` with its content key, when it has one."""
    if live is None or not _cuts_off(output):
        return None
    entry = live[1].get(output.path)
    if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], str)):
        return None
    return live[0], entry[1], entry[2]


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False


def _remove_stale(site: Path, live: Manifest, plan: Plan, remade: set[str]) -> set[str]:
    """In place: files of outputs the plan no longer has, and the old files of folder
    outputs about to be made again (a bundle's file names change with its content). Returns
    their names (their folders are removed once empty: prune_folders)."""
    removed: set[str] = set()
    for path, entry in live.items():
        if path in plan.by_path and path not in remade:
            continue
        if path in plan.by_path and not isinstance(entry, list):
            continue  # a changed file is replaced when it is written
        for name in entry[1] if isinstance(entry, list) else [path]:
            target = site / name
            unshare(str(site), _parent(name))  # a folder shared through the store: copied first
            if target.is_file() or target.is_symlink():
                target.unlink()
                removed.add(name)
    return removed


class Seed:
    """A new release folder filled with the live site's files before anything is written
    into it: `cp -al` makes every hard link in one process (no Python call per file) while
    the build reads its data; `wait` then takes away every file the live site's manifest
    does not list (Pelican's own pages, its theme files, the sitemap: those are written
    again, never through a link into the live site) and returns the names left, each an
    output file of the live site; or None when it could not be done (the publisher then
    links file by file)."""

    def __init__(self, site: Path, live: Path, manifest: Manifest) -> None:
        self.site, self.manifest = site, manifest
        self.process: subprocess.Popen | None = None
        self.removed: list[str] = []  # files not of the manifest, taken away (prune_folders)
        if not manifest or not live.is_dir() or any(site.iterdir()):
            return
        try:
            self.process = subprocess.Popen(
                ["cp", "-al", "--", f"{live}/.", f"{site}/"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.process = None

    def wait(self) -> set[str] | None:
        if self.process is None:
            return None
        try:
            done = self.process.wait() == 0
            listed = subprocess.run(
                ["find", ".", "(", "-type", "f", "-o", "-type", "l", ")", "-print0"],
                cwd=self.site,
                check=True,
                capture_output=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            done = False
        finally:
            self.process = None
        if not done:
            _empty(self.site)
            return None
        ours = {
            name for path, entry in self.manifest.items() for name in _entry_files_of(path, entry)
        }
        present: set[str] = set()
        for line in listed.decode("utf-8", "surrogateescape").split("\0")[:-1]:
            name = line[2:]  # "./"
            if name in ours:
                present.add(name)
            else:
                os.unlink(self.site / name)
                self.removed.append(name)
        return present


def prune_folders(site: Path, names: Iterable[str]) -> None:
    """Remove the folders of the files `names` (taken away from a seeded release) that hold
    nothing now, up to `site`: a cold build would not have them."""
    folders = {Path(name).parent for name in names}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder.parts:
            try:
                (site / folder).rmdir()
            except OSError:  # not empty (or gone): its parents are not empty either
                break
            folder = folder.parent


def _entry_files_of(path: str, entry: Any) -> list[str]:
    return entry[1] if isinstance(entry, list) else [path]


def _empty(site: Path) -> None:
    for child in site.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _is_project_page(output: Output) -> bool:
    return output.page is not None and output.page.template == "project"


def _topological(outputs: list[Output], order: list[int]) -> list[int]:
    """`order`, moved just enough that every output comes after the ones it reads."""
    index = {outputs[n].path: n for n in order}
    placed: set[int] = set()
    result: list[int] = []

    def place(n: int) -> None:
        if n in placed:
            return
        placed.add(n)
        for path in outputs[n].after:
            if path in index:
                place(index[path])
        result.append(n)

    for n in order:
        place(n)
    return result


def _link_all(writer, previous: Path, files: list[str]) -> bool:
    for number, name in enumerate(files):
        if not writer.link(name, previous / name):
            for done in files[:number]:  # a folder output half linked: make it whole
                writer.unlink(done)
            return False
    return True


def _reader(site: Path) -> Callable[[str], bytes]:
    def read(path: str) -> bytes:
        return (site / path).read_bytes()

    return read


def _maker(
    output: Output,
    writer,
    render,
    read,
    previous: tuple[Path, list[str], str] | None = None,
    base: str = "",
) -> Callable[[], None]:
    def make() -> None:
        if previous is not None:
            folder, files, key = previous
            if key == content_key(output, base, read) and _link_all(writer, folder, files):
                return
        if output.page is not None:
            render(output.page)
            return
        assert output.make is not None
        data = output.make(read)
        if isinstance(data, dict):
            for name in sorted(data):
                writer.write_bytes(f"{output.path}{name}", data[name])
        else:
            writer.write_bytes(output.path, data)

    return make


def _files_under(site: Path, folder: str) -> list[str]:
    root = site / folder
    return sorted(
        (Path(dirpath) / name).relative_to(site).as_posix()
        for dirpath, _, names in os.walk(root)
        for name in names
    )
