"""Add to a Pelican build the posts the reader passed over: arrays of posts, pages among articles."""
from __future__ import annotations

import logging
import os

from pelican.contents import Article, Page
from pelican.readers import default_metadata, parse_path_metadata, path_metadata
from pelican.utils import order_content, posixize_path

from .load import load_file
from .model import Converted
from .pipeline import convert_post
from .readers import (WordPressJSONReader, log_result, markdown_renderer, options_from, pelican_metadata,
                      reader_takes)
from .sources import cached_sidecars

logger = logging.getLogger(__name__)

# Pages found among the articles wait here for the page generator, keyed by the build's settings.
_WAITING_PAGES: dict[int, list[Page]] = {}


def deferred_posts(generator, paths_key: str, excludes_key: str):
    """(file, converted post) for every post in the JSON files the reader did not take."""
    settings = generator.settings
    for rel in sorted(generator.get_files(settings[paths_key], exclude=settings[excludes_key],
                                          extensions=("json",))):
        full = os.path.join(generator.path, rel)
        loaded = load_file(full)
        if loaded.sidecar_kind or reader_takes(loaded, full, settings) or not loaded.posts:
            continue
        sidecars = cached_sidecars(os.path.dirname(os.path.abspath(full)))
        options = options_from(settings)
        for post in loaded.posts:
            result = convert_post(post, sidecars, options)
            log_result(result)
            if isinstance(result, Converted):
                yield rel, result


def make_content(generator, rel: str, result: Converted):
    """A Pelican Article or Page for one post of a many-post file."""
    settings = generator.settings
    reader = WordPressJSONReader(settings)
    render = markdown_renderer(settings)
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
    for rel, result in deferred_posts(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES"):
        content = make_content(generator, rel, result)
        if content is None:
            continue
        if isinstance(content, Page):
            pages.append(content)
            continue
        lists.get(content.status, generator.drafts).append(content)
        generator.add_source_path(content)
        added += 1
    if added:
        order_by = generator.settings["ARTICLE_ORDER_BY"]
        generator.articles = order_content(generator.articles, order_by)
        generator.drafts = order_content(generator.drafts, order_by)
        generator.hidden_articles = order_content(generator.hidden_articles, order_by)


def expand_pages(generator) -> None:
    """page_generator_finalized: pages from page folders and those found among the articles."""
    waiting = _WAITING_PAGES.pop(id(generator.settings), [])
    found = [make_content(generator, rel, result)
             for rel, result in deferred_posts(generator, "PAGE_PATHS", "PAGE_EXCLUDES")]
    lists = {"published": generator.pages, "draft": generator.draft_pages, "hidden": generator.hidden_pages}
    for page in waiting + [p for p in found if p is not None]:
        if not isinstance(page, Page):  # a post filed among the pages is shown as a page
            page = Page(page._content, metadata=page.metadata, settings=generator.settings,
                        source_path=page.source_path, context=generator.context)
        lists.get(page.status, generator.draft_pages).append(page)
        generator.add_source_path(page)
    order_by = generator.settings["PAGE_ORDER_BY"]
    for items in lists.values():
        items[:] = order_content(items, order_by)  # in place: the context holds these very lists
