"""The site's glossary: short plain-language explanations of the form's terms.

One file, data/_glossary.yaml (a `_` file: site-wide data, not a project). Templates look a
term up by any of its written forms (`help(label)` in _help.html) and link to /glossary/#slug.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .load import load_file
from .slugs import slugify

GLOSSARY_FILE = "_glossary.yaml"


class GlossaryError(ValueError):
    """The glossary file is not a list of {term, text, aliases?} entries."""


@dataclass(frozen=True)
class Term:
    term: str
    slug: str
    text: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()

    def lookup(self) -> dict[str, Term]:
        """Every written form (term and aliases) → its entry."""
        found: dict[str, Term] = {}
        for term in self.terms:
            for written in (term.term, *term.aliases):
                found.setdefault(written, term)
        return found


def load_glossary(data_root: Path) -> Glossary:
    """The glossary under `data_root`, or an empty one when the file does not exist."""
    path = data_root / GLOSSARY_FILE
    if not (path.exists() or path.is_symlink()):
        return Glossary()
    # The same safe loader as project files: text stays text, aliases, tags, duplicate keys
    # and deep nesting are refused with file and line.
    doc, problems = load_file(path, within=data_root)  # links out and FIFOs refused
    if doc is None or problems:
        raise GlossaryError("; ".join(p.format() for p in problems))
    document = doc.data
    entries = document.get("terms") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise GlossaryError(f"{path}: 需要 terms: 列表 / expected a `terms:` list")
    terms: list[Term] = []
    for number, entry in enumerate(entries, start=1):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("term"), str)
            and isinstance(entry.get("text"), str)
            and entry["term"].strip()
        ):
            line = doc.where(("terms", number - 1))[0]
            raise GlossaryError(
                f"{path}:{line}: 第 {number} 条需要 term 和 text / entry {number} needs `term` "
                "and `text`"
            )
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            line = doc.where(("terms", number - 1, "aliases"))[0]
            raise GlossaryError(
                f"{path}:{line}: 第 {number} 条 aliases 应为列表 / entry {number}: "
                "`aliases` must be a list of text"
            )
        term = entry["term"].strip()
        terms.append(
            Term(term, slugify(term), entry["text"].strip(), tuple(a.strip() for a in aliases))
        )
    return Glossary(tuple(terms))
