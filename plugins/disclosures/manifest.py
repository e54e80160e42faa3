"""The manifest of a live site and the input stamp: the publisher's memory between builds,
in a module of its own so that the no-change check (`disclosures build`, commands/build.py)
needs neither Pelican nor the plan to decide that nothing changed.

One manifest per live folder records the fingerprint of every output (and a folder output's
files); it is kept next to the cache, named after the identity of the folder it describes
(device, inode), so a release built in a staging folder and renamed into place keeps its
manifest, and a folder changed by other hands (its mtime moved) gets none. Its input stamps
are also written to a small file beside it (`load_stamps`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import code_version

KEEP_MANIFESTS = 10  # manifests of the most recent output folders kept

Manifest = dict[str, Any]  # output path → fingerprint, or [fingerprint, files] for a folder


# --- the manifest -------------------------------------------------------------------------


@dataclass
class Live:
    """What the manifest of a live site says: every output's fingerprint (a folder output's
    also its files), the input stamps of the commands that built it, the newest data date."""

    outputs: Manifest = field(default_factory=dict)
    stamps: dict[str, str] = field(default_factory=dict)
    newest: str | None = None

    def files(self) -> list[str]:
        return [
            name
            for path, entry in self.outputs.items()
            for name in (entry[1] if isinstance(entry, list) else [path])
        ]


@dataclass
class KeptManifest:
    """A long-lived builder's last saved manifest (cache.Memory): its next build's live
    site is usually the release it has just made, whose manifest (megabytes of JSON at
    10,000 projects) it need not read back. Trusted while the manifest file is the one it
    wrote (inode, size, mtime) and the folder is the one it described."""

    signature: tuple[int, int, int] | None = None
    identity: str = ""
    live: Live | None = None


def _file_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _identity(folder: Path) -> str:
    st = folder.stat()
    return f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}"


def manifest_path(cache_dir: Path, output: Path) -> Path:
    st = output.stat()
    name = hashlib.sha256(f"{st.st_dev}:{st.st_ino}".encode()).hexdigest()[:16]
    return cache_dir / "manifests" / f"{name}.json"


def load_manifest(
    cache_dir: Path | None, output: Path | None, kept: KeptManifest | None = None
) -> Live:
    """The manifest of the live `output`, or an empty one when it cannot be trusted.
    `kept`: a builder's last saved manifest, taken instead of reading the file when it is
    that file and that folder."""
    if cache_dir is None or output is None or not output.is_dir():
        return Live()
    try:
        path = manifest_path(cache_dir, output)
        if (
            kept is not None
            and kept.live is not None
            and kept.signature is not None
            and kept.signature == _file_signature(path)
            and kept.identity == _identity(output)
        ):
            return kept.live
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("output") != _identity(output):
            return Live()
        outputs, stamps = saved.get("outputs"), saved.get("stamps")
        if not isinstance(outputs, dict) or not isinstance(stamps, dict):
            return Live()
        return Live(outputs, stamps, saved.get("newest"))
    except (OSError, ValueError):
        return Live()


def forget_manifest(cache_dir: Path | None, output: Path) -> None:
    """Before a build changes `output` in place: if it stops half-way, no manifest vouches
    for the files."""
    if cache_dir is not None and output.is_dir():
        path = manifest_path(cache_dir, output)
        path.unlink(missing_ok=True)
        _stamps_path(path).unlink(missing_ok=True)


def _stamps_path(manifest: Path) -> Path:
    return manifest.with_suffix(".stamps")


def load_stamps(cache_dir: Path | None, output: Path | None) -> dict[str, str]:
    """Only the input stamps of the live `output`'s manifest, from a small file of their own:
    what the no-change check reads (the manifest itself is megabytes at 10,000 projects)."""
    if cache_dir is None or output is None or not output.is_dir():
        return {}
    try:
        saved = json.loads(_stamps_path(manifest_path(cache_dir, output)).read_text("utf-8"))
        stamps = saved.get("stamps")
        return (
            stamps if saved.get("output") == _identity(output) and isinstance(stamps, dict) else {}
        )
    except (OSError, ValueError, AttributeError):
        return {}


def save_manifest(
    cache_dir: Path | None, output: Path, live: Live, kept: KeptManifest | None = None
) -> None:
    """Called once the new site is in place (its folder identity is final). `kept`: a
    builder's, to hold what was saved (`load_manifest`)."""
    if cache_dir is None:
        return
    if kept is not None:
        kept.live = kept.signature = None  # until the file is written
    try:
        path = manifest_path(cache_dir, output)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        saved = {
            "output": _identity(output),
            "outputs": live.outputs,
            "stamps": live.stamps,
            "newest": live.newest,
        }
        temporary.write_text(json.dumps(saved), encoding="utf-8")
        os.replace(temporary, path)
        if kept is not None:
            kept.signature, kept.identity, kept.live = _file_signature(path), saved["output"], live
        short = {"output": saved["output"], "stamps": live.stamps}
        temporary.write_text(json.dumps(short), encoding="utf-8")
        os.replace(temporary, _stamps_path(path))
        older = sorted(path.parent.glob("*.json"), key=lambda f: f.stat().st_mtime_ns)
        for stale in older[:-KEEP_MANIFESTS]:
            stale.unlink(missing_ok=True)
            _stamps_path(stale).unlink(missing_ok=True)
    except OSError:
        pass  # the next build makes everything: slower, never wrong


# --- the input stamp: a shortcut that proves every fingerprint unchanged --------------------
# Computing fingerprints needs the projects loaded (their digests). Before loading anything,
# a stamp of every input file's size and mtime (data, content, theme, plugin code), the data
# repository's git HEAD (the change history pages show), the settings and the code version
# tells whether anything at all may have changed. Equal to the stamp recorded in the live
# site's manifest by the same command: every fingerprint is equal too, and the build stops.


def _tree(digest: Any, folder: Path) -> None:
    digest.update(f"\0{folder}\0".encode("utf-8", "surrogateescape"))
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # written by imports
        for name in sorted(files):
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                continue
            digest.update(
                f"{root}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode(
                    "utf-8", "surrogateescape"
                )
            )


def _git_head(folder: Path) -> str:
    for parent in (folder, *folder.parents):
        git = parent / ".git"
        if git.is_dir():
            try:
                head = (git / "HEAD").read_text().strip()
                if head.startswith("ref: "):
                    ref = git / head[5:]
                    packed = git / "packed-refs"
                    head += (
                        ref.read_text()
                        if ref.exists()
                        else (packed.read_text() if packed.exists() else "")
                    )
                return head
            except OSError:
                return "?"
    return ""


def input_stamp(settings: str, data: Path, folders: list[Path]) -> str:
    """`settings`: the settings as text (whatever the command read them as); `data`: the data
    folder; `folders`: content, theme, plugin folders."""
    digest = hashlib.sha256(settings.encode("utf-8", "surrogateescape"))
    digest.update(
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("DISCLOSURES_"))).encode()
    )
    for folder in (data, *folders):
        _tree(digest, folder)
    digest.update(_git_head(data).encode())
    digest.update(code_version().encode())  # the plugin code that runs, wherever it is
    return digest.hexdigest()
