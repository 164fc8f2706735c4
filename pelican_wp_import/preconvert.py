"""Convert a build's WordPress JSON ahead, across the machine's cores, before Pelican reads it file by file.

Pelican reads content one file at a time in one process. A post read from JSON costs more than one
read from Markdown (the HTML is parsed, cleaned and converted before the Markdown is rendered), so
when a build has many JSON files not in Pelican's content cache, they are handed to a pool of
worker processes as the article generator starts; the reader and the expansion step then take each
file's result instead of doing the work themselves. Small builds, one-core machines and
WP_IMPORT_JOBS = 1 do everything in the build's own process, as before.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .load import load_file
from .model import Converted
from .pipeline import convert_post
from .sources import cached_sidecars, holds_posts
from .stream import batches, streams

logger = logging.getLogger(__name__)

# Below this many files to convert, starting worker processes costs more than it saves.
MIN_FILES = 24


@dataclass
class Prepared:
    """A JSON file read and its posts converted: all a reader needs, and nothing it must log yet."""

    warnings: list[str] = field(default_factory=list)  # about the file: truncation, encoding
    problems: list = field(default_factory=list)  # ImportProblem of what in the file is not a post
    sidecar_kind: str = ""
    post_count: int = 0
    kinds: list[str] = field(default_factory=list)  # "page" or "article", per post
    results: list = field(default_factory=list)  # Converted, Skipped or Failed, per post
    rendered: dict[str, str] = field(default_factory=dict)  # Markdown text -> HTML, when rendered ahead


def prepare(path: str, settings: dict, render=None, only_if=None) -> Prepared:
    """Load one JSON file and convert each of its posts (rendering their Markdown when given render;
    only when only_if(prepared) says so, when given)."""
    return prepare_loaded(load_file(path), path, settings, render, only_if)


def prepare_loaded(loaded, path: str, settings: dict, render=None, only_if=None) -> Prepared:
    """prepare() of what was loaded of the file at path (all of it, or a part: stream.py)."""
    from .readers import options_from, post_kind  # the Pelican glue imports this module

    prepared = Prepared(loaded.warnings, loaded.problems, loaded.sidecar_kind or "", len(loaded.posts),
                        [post_kind(p.data) for p in loaded.posts])
    if loaded.sidecar_kind or not loaded.posts or only_if is not None and not only_if(prepared):
        return prepared
    sidecars = cached_sidecars(os.path.dirname(os.path.abspath(path)))
    options = options_from(settings)
    prepared.results = [convert_post(post, sidecars, options) for post in loaded.posts]
    if render is not None:
        formatted = {f.lower() for f in settings.get("FORMATTED_FIELDS", ["summary"])}
        for result in prepared.results:
            if isinstance(result, Converted):
                texts = [result.markdown] + [v for k, v in result.metadata.items()
                                             if k in formatted and isinstance(v, str)]
                for text in texts:
                    prepared.rendered[text] = render(text)
    return prepared


# Work handed out for the build under way: absolute path -> the future of its Prepared.
_PENDING: dict[str, Future] = {}
_POOL: ProcessPoolExecutor | None = None
_SETTINGS: dict = {}  # the build's settings, for the forked workers


def _prepare_in_worker(path: str) -> Prepared:
    from .readers import markdown_renderer

    return prepare(path, _SETTINGS, markdown_renderer(_SETTINGS))


def _prepare_part_in_worker(part) -> Prepared:
    from .readers import markdown_renderer

    return prepare_loaded(part, part.path, _SETTINGS, markdown_renderer(_SETTINGS))


class _Parts:
    """The futures of a big file's parts (an export, a big JSON array), answering as one future of
    the whole file's Prepared would."""

    def __init__(self, futures: list[Future]):
        self.futures = futures
        self.joined: Prepared | None = None

    def result(self) -> Prepared:
        if self.joined is None:
            joined = Prepared()
            for future in self.futures:
                part = future.result()
                joined.warnings += part.warnings
                joined.problems += part.problems
                joined.sidecar_kind = joined.sidecar_kind or part.sidecar_kind
                joined.post_count += part.post_count
                joined.kinds += part.kinds
                joined.results += part.results
                joined.rendered.update(part.rendered)
            self.joined = joined
        return self.joined

    def cancel(self) -> None:
        for future in self.futures:
            future.cancel()


def start(generator) -> int:
    """article_generator_init: hand the articles' JSON files that are not in the cache to workers."""
    global _POOL
    finish()
    settings = generator.settings
    jobs = int(settings.get("WP_IMPORT_JOBS") or os.cpu_count() or 1)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    files = [rel for rel in generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"],
                                                extensions=("json", "xml"))
             if holds_posts(os.path.join(generator.path, rel)) and not _in_cache(generator, rel)]
    paths = [os.path.abspath(os.path.join(generator.path, rel)) for rel in files]
    # a file read in parts (an export, a big array) is many files' work: the workers share it
    in_parts = {path for path in paths if streams(Path(path))}
    if len(files) < MIN_FILES and not in_parts:
        return 0
    _SETTINGS.clear()
    _SETTINGS.update(settings)
    _POOL = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
    # exports first: the pool runs its tasks in turn, and an export's first reading (see stream.batches)
    # must not wait behind every file's conversion while this process reads the export's posts ahead
    try:
        for path in sorted(paths, key=lambda path: path not in in_parts):
            if path in in_parts:
                _PENDING[path] = _Parts([_POOL.submit(_prepare_part_in_worker, part)
                                          for part in batches(Path(path), submit=_POOL.submit)])
            else:
                _PENDING[path] = _POOL.submit(_prepare_in_worker, path)
    except (BrokenProcessPool, RuntimeError) as exc:
        # a worker died (an export's first reading was in it): the pool takes no more, and take()
        # gives None for every file not handed over, which the build then converts itself
        logger.debug("converting ahead stopped (%s); the rest is converted as it is read", exc)
    logger.debug("converting %d JSON files in %d worker processes", len(files), jobs)
    return len(files)


def _in_cache(generator, rel: str) -> bool:
    """Whether Pelican will take this file from its content cache instead of reading it."""
    if rel.lower().endswith(".xml"):  # no reader of Pelican's reads an export: the expansion step caches it
        from .expand import array_cache  # noqa: PLC0415 - expand.py imports this module

        return array_cache(generator).get_cached_data(os.path.join(generator.path, rel), None) is not None
    if generator.settings.get("CONTENT_CACHING_LAYER") == "generator":
        return generator.get_cached_data(rel, None) is not None
    path = os.path.abspath(os.path.join(generator.path, rel))  # the cache's key: rel may start with ./
    entries = getattr(generator.readers, "_cache", None)
    if isinstance(entries, dict) and path not in entries:
        return False  # never cached: no need to look at the file's time
    return generator.readers.get_cached_data(path, (None, None))[0] is not None


def take(path: str, keep: bool = False) -> Prepared | None:
    """The worker's result for a file, when one was asked for (None: do the work here)."""
    key = os.path.abspath(path)
    future = _PENDING.get(key) if keep else _PENDING.pop(key, None)
    if future is None:
        return None
    try:
        return future.result()
    except Exception as exc:  # a worker that died: the file is done here instead
        logger.debug("%s: converting ahead failed (%s); converting it now", path, exc)
        _PENDING.pop(key, None)
        return None


def finish(*_args) -> None:
    """finalized, or a new build: stop the workers and forget what was not taken."""
    global _POOL
    for future in _PENDING.values():
        future.cancel()
    _PENDING.clear()
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None
