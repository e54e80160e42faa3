"""Static full-text search: run Pagefind (extended build, which segments Chinese) over the
project pages. The generator starts it as soon as the pages are written and waits for it
after the downloads are made, so `pelican`, `make html` and `disclosures build` all index the
site (for the CLI, before the staging folder is swapped into place)."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import subprocess
from pathlib import Path
from typing import Any

import cbor2

logger = logging.getLogger(__name__)

BUNDLE = "pagefind"  # output sub-folder: /pagefind/pagefind-ui.js ...
PROJECT_PAGES = "[0-9][0-9][0-9][0-9]/*/*/index.html"  # /YEAR/UNIT/PROJECT/ (render.py)


class SearchIndexError(RuntimeError):
    exitcode = 1


def pagefind_executable() -> Path:
    # The pinned `pagefind-bin-extended` wheel ships the binary inside the package.
    from pagefind_bin_extended import get_executable

    return get_executable()


def start_search_index(site: Path, previous: Path | None = None) -> subprocess.Popen:
    """Start Pagefind on the written project pages; it runs while the downloads are made
    (both cores busy), and `finish_search_index` waits for it."""
    command = [
        str(pagefind_executable()),
        "--site",
        str(site),
        "--output-subdir",
        BUNDLE,
        # Only project pages carry data-pagefind-body; not parsing the other pages at all
        # saves a quarter of Pagefind's time (1,000 projects: 16.4 → 12.2 CPU s).
        "--glob",
        PROJECT_PAGES,
        "--quiet",
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_search_index(process: subprocess.Popen, site: Path) -> None:
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise SearchIndexError(
            f"搜索索引生成失败 / pagefind failed ({process.returncode}): "
            f"{stderr.strip() or stdout.strip()}"
        )
    canonicalise(site / BUNDLE)
    logger.info("[disclosures] search index written to %s/%s", site, BUNDLE)


# --- reproducible bundle ------------------------------------------------------------------
# Pagefind 1.5 writes each filter's values, and so the filter files' names and the metadata
# file naming them, in a run-dependent order (its issue #638). The values are sorted here,
# the files renamed by their content and the references rewritten, so that the same site
# always gives the same bundle. Pagefind's JS loads files by the names the metadata gives.
_SIGNATURE = b"pagefind_dcd"


def _read_pf(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"unexpected Pagefind file format: {path.name}")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _pf_bytes(value: Any) -> bytes:
    return _SIGNATURE + cbor2.dumps(value)


def _write_pf(folder: Path, prefix: str, digits: int, suffix: str, payload: bytes) -> str:
    name = f"{prefix}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(payload, mtime=0))
    return name


def _replace(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_replace(item, names) for item in value]
    return value


def canonicalise(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        names: dict[str, str] = {}
        for path in sorted((bundle / "filter").glob(f"{language}_*.pf_filter")):
            name, values = _read_pf(path)
            payload = _pf_bytes([name, sorted(values, key=lambda v: str(v[0]))])
            path.unlink()
            names[path.name.removesuffix(".pf_filter")] = _write_pf(
                bundle / "filter", language, 7, ".pf_filter", payload
            )
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _replace(_read_pf(meta_path), names)
        renamed = set(names.values())
        meta = [  # the list of (filter name, file) pairs, in a run-dependent order too
            sorted(part)
            if isinstance(part, list)
            and part
            and all(isinstance(p, list) and len(p) == 2 and p[1] in renamed for p in part)
            else part
            for part in meta
        ]
        meta_path.unlink()
        info["hash"] = _write_pf(bundle, f"pagefind.{language}", 13, ".pf_meta", _pf_bytes(meta))
        info["hash"] = info["hash"].removeprefix("pagefind.")
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
