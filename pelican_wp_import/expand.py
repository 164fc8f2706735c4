"""Add to a Pelican build the posts the reader passed over: arrays of posts, pages among articles."""
from __future__ import annotations

import logging
import os

from pelican.cache import FileStampDataCacher
from pelican.contents import Article, Page
from pelican.readers import default_metadata, parse_path_metadata, path_metadata
from pelican.utils import order_content, posixize_path

from . import preconvert
from .sources import folder_stamp, holds_posts, remember_stamps
from .model import Converted
from .readers import WordPressJSONReader, ahead, log_result, markdown_renderer, pelican_metadata, reader_takes

logger = logging.getLogger(__name__)

# Pages found among the articles wait here for the page generator, keyed by the build's settings.
_WAITING_PAGES: dict[int, list[Page]] = {}


def deferred_posts(generator, paths_key: str, excludes_key: str):
    """(file, converted post, what was rendered ahead) for every post in the JSON files the reader did not take."""
    settings = generator.settings
    cache = array_cache(generator)
    stamps: dict[str, tuple] = {}  # per folder, looked at once per build
    # Files Pelican made content of (or failed to) in this build, read or taken from its cache, are
    # the reader's: passed over without a look, so a build of one-post files costs nothing here.
    made = generator.context.get("generated_content", {})
    for rel in sorted(generator.get_files(settings[paths_key], exclude=settings[excludes_key],
                                          extensions=("json", "xml"))):
        if posixize_path(os.path.normpath(rel)) in made:
            continue
        full = os.path.join(generator.path, rel)
        if not holds_posts(full):
            continue  # a sitemap or a feed kept in the content folder: no posts, nothing to say
        export = rel.lower().endswith(".xml")  # Pelican's readers never see it: all of it is read here

        def reader_took(prepared, full=full) -> bool:
            return not export and reader_takes(prepared, full, settings)

        folder = os.path.dirname(os.path.abspath(full))
        stamp = stamps.get(folder)
        if stamp is None:
            stamp = stamps[folder] = folder_stamp(folder)
        cached = cache.get_cached_data(full, None)
        prepared = cached[1] if cached is not None and cached[0] == stamp else None
        taken = prepared is not None and reader_took(prepared)
        if prepared is not None and prepared.post_count and not prepared.results and not taken:
            prepared = None  # cached as the reader's file, which the reader no longer takes
        if prepared is None:
            prepared = preconvert.take(full) or preconvert.prepare(
                full, settings, render=markdown_renderer(settings), only_if=lambda p: not reader_took(p))
            # a file the reader takes but made nothing of (a skipped post) is cached too (a few
            # numbers): a warm build opens no file
            cache.cache_data(full, (stamp, prepared))
            taken = reader_took(prepared)
            if export:  # what the reader says of a JSON file, said here (once: not from the cache)
                for line in prepared.warnings:
                    logger.warning("%s", line)
                for problem in prepared.problems:
                    logger.warning("Skipped %s", problem)
        if prepared.sidecar_kind or not prepared.post_count or taken:
            continue
        for result in prepared.results:
            log_result(result)
            if isinstance(result, Converted):
                yield rel, result, prepared.rendered


def array_cache(generator) -> FileStampDataCacher:
    """Converted posts of many-post files, kept with Pelican's content cache (CACHE_CONTENT,
    LOAD_CONTENT_CACHE, CHECK_MODIFIED_METHOD), since Pelican caches only what its readers return."""
    cache = getattr(generator, "_wp_import_arrays", None)
    if cache is None:
        settings = generator.settings
        cache = FileStampDataCacher(settings, f"{type(generator).__name__}-WordPressPosts",
                                    settings.get("CACHE_CONTENT", False), settings.get("LOAD_CONTENT_CACHE", False))
        generator._wp_import_arrays = cache
    return cache


def forget_stale(generator) -> None:
    """article_generator_init: posts cached by Pelican's reader whose folder's sidecars changed are
    read again, since their names for authors and terms came from those sidecars."""
    cache = array_cache(generator)
    known = cache._cache.get(_SIDECAR_STAMPS, (None, {}))[1]
    remember_stamps(known)
    readers_cache = getattr(generator.readers, "_cache", None)
    by_folder: dict[str, list[str]] = {}
    for rel in generator.get_files(generator.settings["ARTICLE_PATHS"] + generator.settings["PAGE_PATHS"],
                                   extensions=("json",)):
        by_folder.setdefault(os.path.dirname(rel), []).append(rel)
    current: dict[str, tuple] = {}
    for rel_folder, rels in by_folder.items():
        folder = os.path.abspath(os.path.join(generator.path, rel_folder))
        if folder not in current:
            current[folder] = folder_stamp(folder)
        if known.get(folder, current[folder]) != current[folder] and isinstance(readers_cache, dict):
            for rel in rels:
                readers_cache.pop(os.path.abspath(os.path.join(generator.path, rel)), None)
    cache._cache[_SIDECAR_STAMPS] = (None, current)  # read directly, never through the file-stamp check


_SIDECAR_STAMPS = "wp-import: sidecar stamps by folder"


def make_content(generator, rel: str, result: Converted, rendered: dict | None = None):
    """A Pelican Article or Page for one post of a many-post file."""
    settings = generator.settings
    reader = WordPressJSONReader(settings)
    render = ahead(markdown_renderer(settings), rendered)
    full = os.path.abspath(os.path.join(generator.path, rel))
    source_path = posixize_path(os.path.relpath(full, generator.path))
    metadata = default_metadata(settings=settings, process=reader.process_metadata)
    metadata.update(path_metadata(full_path=full, source_path=source_path, settings=settings))
    metadata.update(parse_path_metadata(source_path=source_path, settings=settings,
                                        process=reader.process_metadata))
    metadata["reader"] = "wordpressjson"
    metadata.update(pelican_metadata(result.metadata, reader, render))
    cls = Page if result.kind == "page" else Article
    content = cls(render(result.markdown), metadata=metadata, settings=settings,
                  source_path=f"{full}#{result.post_id}", context=generator.context)
    return content if content.is_valid() else None


def expand_articles(generator) -> None:
    """article_generator_pretaxonomy: articles join the lists; pages wait for the page generator."""
    pages = _WAITING_PAGES.setdefault(id(generator.settings), [])
    pages.clear()
    lists = {"published": generator.articles, "draft": generator.drafts, "hidden": generator.hidden_articles}
    added = 0
    for rel, result, rendered in deferred_posts(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES"):
        content = make_content(generator, rel, result, rendered)
        if content is None:
            continue
        if isinstance(content, Page):
            pages.append(content)
            continue
        lists.get(content.status, generator.drafts).append(content)
        generator.add_source_path(content)
        added += 1
    array_cache(generator).save_cache()
    if added:
        order_by = generator.settings["ARTICLE_ORDER_BY"]
        generator.articles = order_content(generator.articles, order_by)
        generator.drafts = order_content(generator.drafts, order_by)
        generator.hidden_articles = order_content(generator.hidden_articles, order_by)


def expand_pages(generator) -> None:
    """page_generator_finalized: pages from page folders and those found among the articles."""
    waiting = _WAITING_PAGES.pop(id(generator.settings), [])
    found = [make_content(generator, rel, result, rendered)
             for rel, result, rendered in deferred_posts(generator, "PAGE_PATHS", "PAGE_EXCLUDES")]
    lists = {"published": generator.pages, "draft": generator.draft_pages, "hidden": generator.hidden_pages}
    for page in waiting + [p for p in found if p is not None]:
        if not isinstance(page, Page):  # a post filed among the pages is shown as a page
            page = Page(page._content, metadata=page.metadata, settings=generator.settings,
                        source_path=page.source_path, context=generator.context)
        lists.get(page.status, generator.draft_pages).append(page)
        generator.add_source_path(page)
    array_cache(generator).save_cache()
    order_by = generator.settings["PAGE_ORDER_BY"]
    for items in lists.values():
        items[:] = order_content(items, order_by)  # in place: the context holds these very lists
