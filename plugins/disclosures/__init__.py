"""Pelican plugin publishing 项目支出绩效目标表 (project performance-target tables) from YAML.

Pipeline, one module a step: load → validate → model → index → render (generator) → export.
"""

from __future__ import annotations

from pelican import signals

from .export.search import on_finalized as _index_for_search
from .generator import DisclosuresGenerator
from .markup import MarkdownItReader


def _get_generators(pelican_object):
    return DisclosuresGenerator


def _add_reader(readers):
    for extension in MarkdownItReader.file_extensions:
        readers.reader_classes[extension] = MarkdownItReader


def _forget_disabled_markdown(generator):
    # Pelican lists its own Markdown reader as "disabled" (the markdown package is not
    # installed) even after ours replaced it, and would warn on every page.
    for extension in MarkdownItReader.file_extensions:
        generator.readers.disabled_readers.pop(extension, None)


def register() -> None:
    signals.get_generators.connect(_get_generators)
    signals.readers_init.connect(_add_reader)
    signals.generator_init.connect(_forget_disabled_markdown)
    signals.finalized.connect(_index_for_search)
