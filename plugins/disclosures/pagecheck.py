"""Editorial pages (content/pages) are input too.

Before Pelican reads anything (`initialized`), the content folder is listed as the data
folder is (`paths.py`): a link out of it (`pages/x.md -> /etc/passwd` would be published as a
page), a FIFO (Pelican's open would block for ever), a device or a name with control
characters fails the build with the file's name.

Once every generator has read its files, before anything is written:

- a page Pelican could not read (its reader raised: e.g. Markdown nested deeper than the
  renderer shows) fails the build; Pelican alone would log it and publish the site without it;
- a page whose URL or output file belongs to a page the plugin generates (home, year, unit,
  project, indicator pages, downloads …), or lies in a folder the plugin writes, is refused
  with both names: an editor's page must never replace or shadow a published table.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .paths import CONTENT_FOLDER, check_root, regular_files
from .slugs import RESERVED

# Top-level folders the plugin writes into (a year, or a reserved name other than pages/).
_YEAR = re.compile(r"[0-9]{4}")
# admin/ (the web editor) and pagefind/ (the search index) are written by the build too,
# whether or not this build writes them (an editor's page took /admin/ on a server built
# without the editor's bundle: red-team, seventh session).
_PLUGIN_FOLDERS = (RESERVED - {"pages"}) | {"admin", "pagefind"}


class EditorialPageError(Exception):
    """Editorial pages that cannot be published as they are."""


def _normal(save_as: str) -> str:
    return posixpath.normpath("/" + save_as.replace("\\", "/")).lstrip("/")


def _owner(save_as: str, generated: dict[str, str]) -> str | None:
    """What `save_as` belongs to among the generated outputs, or None."""
    if save_as in generated:
        return generated[save_as]
    first = save_as.split("/", 1)[0]
    if _YEAR.fullmatch(first):
        return f"/{first}/ 年度下的页面 / the pages of year {first}"
    if first in _PLUGIN_FOLDERS or first.removesuffix(".html") in _PLUGIN_FOLDERS:
        return f"/{first}/ 由网站生成 / written by the site generator"
    return None


def check_content_folder(pelican_object) -> None:
    """Connected to Pelican's `initialized` signal: refuse what must not be read."""
    root = Path(pelican_object.settings["PATH"])
    if not root.is_dir():
        return
    problems = [p for p in [check_root(root)] if p is not None]
    if not problems:
        problems = regular_files(root, CONTENT_FOLDER)[1]
    if problems:
        raise EditorialPageError(
            "\n".join(p.format() for p in sorted(problems, key=lambda p: p.sort_key()))
        )


def check_editorial_pages(generators: list) -> None:
    """Connected to Pelican's `all_generators_finalized` signal."""
    from .generator import DisclosuresGenerator

    problems: list[str] = []
    context = generators[0].context if generators else {}
    failed = sorted(path for path, value in context.get("generated_content", {}).items()
                    if value is None)  # fmt: skip
    for path in failed:
        problems.append(
            f"{path}: 无法读取，页面不会发布（原因见上方日志）/ could not be read and would "
            "be left out (reason logged above)"
        )
    ours = next((g for g in generators if isinstance(g, DisclosuresGenerator)), None)
    generated: dict[str, str] = {}
    if ours is not None and getattr(ours, "site", None) is not None:
        generated = {page.save_as: f"/{page.url}（{page.template}）" for page in ours.site_pages()}
    editorial = [
        page for key in ("pages", "hidden_pages", "draft_pages") for page in context.get(key, [])
    ]
    for page in editorial:
        for attribute in ("save_as", "url"):
            written = getattr(page, attribute, "") or ""
            if not written:
                continue
            target = _normal(written)
            if attribute == "url" and not target.endswith(".html"):
                target = posixpath.join(target, "index.html") if target else "index.html"
            owner = _owner(target, generated)
            if owner is None and ".." not in written.split("/"):
                continue
            problems.append(
                f"{page.source_path}: {attribute} “{written}” 属于 {owner or '内容文件夹之外'}，"
                f"编辑页面不能占用 / {attribute} {written!r} belongs to "
                f"{owner or 'a place outside the pages folder'}; an editorial page cannot take it"
            )
    if problems:
        raise EditorialPageError("\n".join(problems))
