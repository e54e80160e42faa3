"""Write drafts: file names from year, unit and project, atomic writes, no clobbering."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..schema import SCHEMA_PATH
from ..slugs import slugify
from .draft import Draft

_PACKAGE_ROOT = Path(__file__).resolve().parents[3]  # the checkout, for an editable install


def draft_path(out: Path, draft: Draft, source: Path, index: int) -> Path:
    """out/<year>/<unit>/<project>.yaml, the layout of data/."""
    year = draft.year or "nian-du-wei-zhi"
    unit = (
        slugify(str(draft.data.get("unit") or "")) if draft.data.get("unit") else "dan-wei-wei-zhi"
    )
    name = slugify(draft.name) if draft.name else f"{slugify(source.stem)}-{index + 1}"
    return out / year / unit / f"{name}.yaml"


def schema_reference(target: Path) -> str:
    """The schema path relative to the file written, so that editors find it from anywhere."""
    schema = _find_schema(target.parent)
    return Path(os.path.relpath(schema, target.parent.resolve())).as_posix()


def _find_schema(start: Path) -> Path:
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / SCHEMA_PATH
        if candidate.is_file():
            return candidate
    for root in (Path.cwd(), _PACKAGE_ROOT):
        if (root / SCHEMA_PATH).is_file():
            return (root / SCHEMA_PATH).resolve()
    return (Path.cwd() / SCHEMA_PATH).resolve()


def write_atomic(path: Path, text: str, overwrite: bool = False) -> None:
    """Write through a temporary file in the same folder, then link or rename it into place:
    a reader never sees half a file, and without `overwrite` an existing file is never touched
    (FileExistsError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the path exists: no race with another writer
            tmp.unlink()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
