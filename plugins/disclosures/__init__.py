"""Pelican plugin publishing 项目支出绩效目标表 (project performance-target tables) from YAML.

Pipeline, one module a step: load → validate → model → index → render (generator) → export.
"""

from __future__ import annotations

# Pelican and the exporters are imported only when Pelican registers the plugin, so that the
# `disclosures` command (validate, import, new) starts without loading them.


def _get_generators(pelican_object):
    from .generator import DisclosuresGenerator

    return DisclosuresGenerator


def _add_reader(readers):
    from .markup import MarkdownItReader

    for extension in MarkdownItReader.file_extensions:
        readers.reader_classes[extension] = MarkdownItReader


def _forget_disabled_markdown(generator):
    # Pelican lists its own Markdown reader as "disabled" (the markdown package is not
    # installed) even after ours replaced it, and would warn on every page.
    from .markup import MarkdownItReader

    for extension in MarkdownItReader.file_extensions:
        generator.readers.disabled_readers.pop(extension, None)


def _check_content_folder(pelican_object):
    from .pagecheck import check_content_folder

    check_content_folder(pelican_object)


def _check_site_url(pelican_object):
    from .siteurl import check_site_url

    check_site_url(pelican_object)


def _check_editorial_pages(generators):
    # The wiring hands the check the generated pages, so that pagecheck.py (a check of what was
    # read) does not import the generator (the write side).
    from .generator import DisclosuresGenerator
    from .pagecheck import check_editorial_pages

    ours = next((g for g in generators if isinstance(g, DisclosuresGenerator)), None)
    pages = (
        ours.site_pages() if ours is not None and getattr(ours, "site", None) is not None else []
    )
    check_editorial_pages(generators, pages)


def _editorial_links(content):
    # An editorial page's `{disclosures}…` links to the site's pages and downloads (urls.py).
    from pelican.contents import Page

    from .pagecheck import EditorialPageError
    from .urls import UrlError, editorial_links

    if isinstance(content, Page) and content._content:
        try:
            content._content = editorial_links(content._content, content.save_as, content.settings)
        except UrlError as error:
            raise EditorialPageError(f"{content.source_path}: {error}") from error


def _get_writer(pelican_object):
    from .writer import LinkingWriter

    return LinkingWriter


def register() -> None:
    from pelican import signals

    signals.get_writer.connect(_get_writer)
    signals.get_generators.connect(_get_generators)
    signals.readers_init.connect(_add_reader)
    signals.generator_init.connect(_forget_disabled_markdown)
    signals.initialized.connect(_check_site_url)
    signals.initialized.connect(_check_content_folder)
    signals.all_generators_finalized.connect(_check_editorial_pages)
    signals.content_object_init.connect(_editorial_links)
