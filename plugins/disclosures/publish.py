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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import code_version
from .parallel import Job, run_jobs
from .plan import Output, Plan

# Settings that differ between two builds of the same site and that no output shows; and
# where the inputs are (spelt relative or absolute), not what they are: the data, templates
# and code are fingerprinted by content.
_VOLATILE = {
    "OUTPUT_PATH",
    "DISCLOSURES_PREVIOUS_OUTPUT",
    "DISCLOSURES_REPORT",
    "DISCLOSURES_PARALLEL_PAGES",
    "DISCLOSURES_WORKERS",
    "PATH",
    "DISCLOSURES_DATA_PATH",
    "DISCLOSURES_CACHE_PATH",
    "THEME",
    "PLUGIN_PATHS",
}

KEEP_MANIFESTS = 10  # manifests of the most recent output folders kept

Manifest = dict[str, Any]  # output path → fingerprint, or [fingerprint, files] for a folder


def _plain(value: Any) -> bool:
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def base_digest(settings: Mapping[str, Any], data_root: Path | None) -> str:
    """What every output may depend on: the plugin code, the settings, the site-wide data
    files (data/_*.yaml: the glossary, the national framework mapping)."""
    digest = hashlib.sha256(code_version().encode())
    plain = {k: v for k, v in settings.items() if k not in _VOLATILE and _plain(v)}
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


def fingerprints(plan: Plan, base: str) -> dict[str, str]:
    made: dict[str, str] = {}
    for output in plan:  # `after` comes first in a plan
        made[output.path] = fingerprint(output, base, made)
    return made


# --- the manifest -------------------------------------------------------------------------


def _identity(folder: Path) -> str:
    st = folder.stat()
    return f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}"


def manifest_path(cache_dir: Path, output: Path) -> Path:
    st = output.stat()
    name = hashlib.sha256(f"{st.st_dev}:{st.st_ino}".encode()).hexdigest()[:16]
    return cache_dir / "manifests" / f"{name}.json"


def load_manifest(cache_dir: Path | None, output: Path | None) -> Manifest:
    """The manifest of the live `output`, or {} when it cannot be trusted."""
    if cache_dir is None or output is None or not output.is_dir():
        return {}
    try:
        saved = json.loads(manifest_path(cache_dir, output).read_text(encoding="utf-8"))
        if saved.get("output") != _identity(output):
            return {}
        outputs = saved.get("outputs")
        return outputs if isinstance(outputs, dict) else {}
    except (OSError, ValueError):
        return {}


def save_manifest(cache_dir: Path | None, output: Path, manifest: Manifest) -> None:
    """Called once the new site is in place (its folder identity is final)."""
    if cache_dir is None:
        return
    try:
        path = manifest_path(cache_dir, output)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"output": _identity(output), "outputs": manifest}), encoding="utf-8"
        )
        os.replace(temporary, path)
        older = sorted(path.parent.glob("*.json"), key=lambda f: f.stat().st_mtime_ns)
        for stale in older[:-KEEP_MANIFESTS]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # the next build makes everything: slower, never wrong


# --- publishing ---------------------------------------------------------------------------


@dataclass
class Published:
    manifest: Manifest = field(default_factory=dict)
    linked: int = 0  # outputs linked from the live site
    linked_pages: int = 0  # of those, pages (not rendered)
    made: int = 0  # outputs made
    made_aside: int = 0  # of those, by other processes


def publish(
    plan: Plan,
    writer,
    render: Callable[[Any], None],
    base: str,
    site: Path,
    previous: Path | None = None,
    live: Manifest | None = None,
    workers: int = 2,
    minimum: int = 200,
) -> Published:
    """Publish every output of `plan` into `site` (the writer's output folder). `render(page)`
    writes a page through the writer; `previous` is the live site described by `live`."""
    prints = fingerprints(plan, base)
    live = live or {}
    result = Published()
    to_make: list[Output] = []
    for output in plan:
        old = live.get(output.path)
        old_print, files = (old[0], old[1]) if isinstance(old, list) else (old, [output.path])
        if previous is not None and old_print == prints[output.path]:
            if _link_all(writer, previous, files):
                result.linked += 1
                result.linked_pages += output.page is not None
                result.manifest[output.path] = old
                continue
        to_make.append(output)
    read = _reader(site)
    # Pages first, project pages first among them: the search bundles wait for those.
    order = sorted(
        range(len(to_make)),
        key=lambda n: (to_make[n].page is None, not _is_project_page(to_make[n])),
    )
    order = _topological(to_make, order)
    position = {to_make[n].path: i for i, n in enumerate(order)}
    jobs = [
        Job(
            run=_maker(to_make[n], writer, render, read),
            after=tuple(position[a] for a in to_make[n].after if a in position),
            alone=to_make[n].alone,
        )
        for n in order
    ]
    result.made_aside = run_jobs(jobs, writer, workers, minimum)
    result.made = len(jobs)
    for output in to_make:
        print_ = prints[output.path]
        result.manifest[output.path] = (
            [print_, _files_under(site, output.path)] if output.folder else print_
        )
    return result


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


def _maker(output: Output, writer, render, read) -> Callable[[], None]:
    def make() -> None:
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
