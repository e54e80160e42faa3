"""Draft preview (`disclosures serve --drafts DIR`): imported drafts shown before they validate.

Drafts are rendered by the development server on request, at /__drafts/, and never written
into the built site: `make html`, the deploy hooks and CI read data/ only, so a draft cannot
be published by accident. Each page says 草稿 at the top and lists the file's problems (the
same messages `disclosures validate` prints), then shows what the draft holds, field by field
with the labels of fields.py, including text the importer could not place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader

from . import fields as F
from .editor_messages import for_editors
from .importer.yamlout import UNPLACED_HEADING
from .load import load_file
from .problems import Problem
from .validate import check_document

STYLESHEET = "/theme/css/site.css"
PREFIX = "/__drafts/"


@dataclass(frozen=True)
class Draft:
    path: Path
    name: str  # path below the drafts folder, posix
    title: str
    problems: tuple[Problem, ...]
    data: Any
    text: str

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def unplaced(self) -> list[str]:
        """The `# 未识别 / unplaced:` comment block the importer wrote."""
        lines = self.text.splitlines()
        if UNPLACED_HEADING not in lines:
            return []
        found = []
        for line in lines[lines.index(UNPLACED_HEADING) + 1 :]:
            if not line.startswith("#   "):
                break
            found.append(line[4:])
        return found


def find(folder: Path) -> list[Draft]:
    return [load(folder, path) for path in sorted(folder.rglob("*.yaml")) if path.is_file()]


def load(folder: Path, path: Path) -> Draft:
    name = path.relative_to(folder).as_posix()
    display = f"{folder.name}/{name}"
    doc, problems = load_file(path, display)
    data = doc.data if doc is not None else None
    if doc is not None and not any(p.is_error for p in problems):
        problems = problems + check_document(doc)[1]
    title = str(data.get("name") or name) if isinstance(data, dict) else name
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return Draft(path, name, title, tuple(sorted(problems, key=Problem.sort_key)), data, text)


def url(draft: Draft) -> str:
    return PREFIX + quote(draft.name)


def by_url(folder: Path, path: str) -> Draft | None:
    """The draft a /__drafts/<name> URL names, only ever inside the drafts folder."""
    for draft in find(folder):
        if url(draft) == path.rstrip("/"):
            return draft
    return None


# -- pages ----------------------------------------------------------------------------------
def _rows(specs: tuple[F.Field, ...], data: Any, form: str) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return []
    rows = []
    for spec in specs:
        value = data.get(spec.key)
        if spec.kind in (F.MAPPING, F.LIST) or value is None or value == "":
            continue
        rows.append((spec.label_for(form), str(value)))
    return rows


def _context(draft: Draft, preview: bool = False) -> dict[str, Any]:
    data = draft.data if isinstance(draft.data, dict) else {}
    form = data.get("form") if data.get("form") in F.FORMS else "national"
    # The web editor's preview speaks the form's words (no file, no YAML key); a draft's
    # page is read by whoever ran the importer, beside the file: the validator's own lines.
    said = (lambda p: for_editors(p, form)) if preview else Problem.format
    sections = data.get("sections") if isinstance(data.get("sections"), dict) else {}
    budget = data.get("budget") if isinstance(data.get("budget"), dict) else {}
    indicators = data.get("indicators") if isinstance(data.get("indicators"), list) else []
    return {
        "draft": draft,
        "preview": preview,
        "problem_lines": [said(p) for p in draft.problems],
        "header": _rows(F.PROJECT, data, form),
        "sections": _rows(F.SECTIONS, sections, form),
        "budget": _rows(F.BUDGET, budget, form)
        + [
            (str(line.get("label", "")), str(line.get("amount") or "—"))
            for line in budget.get("lines") or []
            if isinstance(line, dict)
        ],
        "indicators": [row for row in indicators if isinstance(row, dict)],
        "indicator_specs": [s for s in F.INDICATOR if form in s.forms],
        "extra": [e for e in data.get("extra") or [] if isinstance(e, dict)],
        "stylesheet": STYLESHEET,
    }


# Templates of their own (not the theme's): these pages exist only in the development server.
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("draft_templates")), autoescape=True
)


def render_page(template: str, **context: Any) -> str:
    """Another page of the development server's own (the import page: import_desk.py)."""
    return _ENV.get_template(template).render(**context)


def index_page(folder: Path) -> str:
    return _ENV.get_template("index.html").render(
        drafts=find(folder), url=url, title="全部草稿", stylesheet=STYLESHEET
    )


def draft_page(draft: Draft, preview: bool = False) -> str:
    """A draft's page; `preview`: the web editor's preview of an entry with errors (said as
    an unsaved entry of the form, not as a draft file)."""
    return _ENV.get_template("page.html").render(title=draft.title, **_context(draft, preview))
