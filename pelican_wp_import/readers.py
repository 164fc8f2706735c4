"""Pelican readers: WordPress JSON straight into a build, and Markdown with YAML front matter."""
from __future__ import annotations

import functools
import logging
import os
from datetime import date, datetime

import yaml
from pelican.readers import BaseReader, MarkdownReader

from . import frontmatter, preconvert
from .fields import Options
from .model import Converted, Failed, Skipped, where
from .iframes import IFRAME_HOSTS

logger = logging.getLogger(__name__)

SKIP = {"status": "skip"}
# Keys Pelican turns into its own objects (Tag, Author, Category…) through process_metadata.
_PROCESSED = ("title", "slug", "status", "category", "tags", "authors", "author", "lang", "template",
              "save_as", "url")


def options_from(settings: dict) -> Options:
    return Options(private=settings.get("WP_IMPORT_PRIVATE", "skip"),
                   exclude_types=tuple(settings.get("WP_IMPORT_EXCLUDE_TYPES", ())),
                   category_from_link=settings.get("WP_IMPORT_CATEGORY_FROM_LINK", True),
                   sanitize=bool(settings.get("WP_IMPORT_SANITIZE", True)),
                   iframe_hosts=tuple(settings.get("WP_IMPORT_IFRAME_HOSTS", IFRAME_HOSTS)))


_RENDERERS: dict[int, tuple] = {}  # id(settings) -> (settings, render): one Markdown per build


def markdown_renderer(settings: dict):
    """Pelican's Markdown settings without the 'meta' extension: a body line like 'Note: …' is text."""
    cached = _RENDERERS.get(id(settings))
    if cached is not None and cached[0] is settings:
        return cached[1]
    render = _new_renderer(settings)
    _RENDERERS.clear()
    _RENDERERS[id(settings)] = (settings, render)
    return render


def _new_renderer(settings: dict):
    from markdown import Markdown

    config = dict(settings["MARKDOWN"])
    config["extensions"] = [e for e in config.get("extensions", []) if not str(e).endswith("meta")]
    config["extension_configs"] = {k: v for k, v in config.get("extension_configs", {}).items()
                                   if not k.endswith("meta")}
    md = Markdown(**config)

    def render(text: str) -> str:
        md.reset()
        return md.convert(text)

    return render


def pelican_metadata(meta: dict, reader: BaseReader, render) -> dict:
    """Front matter values as Pelican wants them: its own objects, aware dates, HTML summaries."""
    formatted = {f.lower() for f in reader.settings.get("FORMATTED_FIELDS", ["summary"])}
    out = {}
    for key, value in meta.items():
        name = str(key).lower()
        if value is None:
            continue
        if name in ("date", "modified") and isinstance(value, (datetime, date)):
            out[name] = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        elif name in formatted and isinstance(value, str):
            out[name] = render(value)
        elif name in ("tags", "authors") and isinstance(value, (list, tuple)):
            out[name] = reader.process_metadata(name, [str(v) for v in value])
        elif name in _PROCESSED or name in ("date", "modified"):
            out[name] = reader.process_metadata(name, str(value))
        else:
            out[name] = value
    return out


def in_page_paths(path: str, settings: dict) -> bool:
    """True when the file sits where Pelican looks for pages, so the page generator reads it."""
    content, folders = _page_folders(settings.get("PATH", "."), tuple(settings.get("PAGE_PATHS", ())))
    full = os.path.abspath(path)
    if full.startswith(content):
        rel = full[len(content):]
    else:  # not below the content folder: what relpath makes of it ("../…") is in no page folder
        rel = os.path.relpath(full, content)
    rel = rel.replace(os.sep, "/") + "/"
    return any(rel.startswith(folder) for folder in folders)


@functools.lru_cache(maxsize=8)
def _page_folders(content: str, page_paths: tuple) -> tuple[str, tuple[str, ...]]:
    """The content folder as a prefix of absolute paths, and each page folder as one of relative
    paths ("pages/"); an empty page path, the whole content folder, is "/" and holds nothing."""
    return (os.path.join(os.path.abspath(content), ""),
            tuple(p.strip("/") + "/" for p in page_paths))


def post_kind(data: dict) -> str:
    return "page" if str(data.get("type") or "post") == "page" else "article"


def reader_takes(prepared, source_path: str, settings: dict) -> bool:
    """True for a file of one post whose kind is the kind the generator reading it makes."""
    wanted = "page" if in_page_paths(source_path, settings) else "article"
    return prepared.post_count == 1 and prepared.kinds[0] == wanted


class WordPressJSONReader(BaseReader):
    """Reads a file of WordPress REST API JSON holding one post.

    Files holding several posts, or a post of the other kind (a page among articles), are passed
    over here and added to the build by the expansion step, which can make more than one article
    from one file. A file converted ahead by a worker process (preconvert) is taken from there.
    """

    enabled = True
    file_extensions: list[str] = []  # mapped to .json in the readers_init handler only

    def read(self, source_path):
        prepared = preconvert.take(source_path, keep=True) or preconvert.prepare(
            source_path, self.settings, only_if=lambda p: reader_takes(p, source_path, self.settings))
        for line in prepared.warnings:
            logger.warning("%s", line)
        if prepared.sidecar_kind:
            logger.debug("%s: /wp/v2/%s data, used to resolve ids", source_path, prepared.sidecar_kind)
            return "", dict(SKIP)
        for problem in prepared.problems:
            logger.warning("Skipped %s", problem)
        if not reader_takes(prepared, source_path, self.settings):
            return "", dict(SKIP)  # the expansion step takes it
        preconvert.take(source_path)  # done with it
        return self.to_pelican(prepared.results[0], prepared.rendered)

    def to_pelican(self, result, rendered: dict | None = None) -> tuple[str, dict]:
        log_result(result)
        if not isinstance(result, Converted):
            return "", dict(SKIP)
        render = ahead(markdown_renderer(self.settings), rendered)
        return render(result.markdown), pelican_metadata(result.metadata, self, render)


def ahead(render, rendered: dict | None):
    """render, answering from what a worker rendered ahead when it has the text."""
    if not rendered:
        return render
    return lambda text: rendered[text] if text in rendered else render(text)


def log_result(result) -> None:
    """Every warning, skip and error of a post as one line naming the file and the post."""
    for warning in result.warnings:
        logger.warning("%s%s", where(result.source, result.post_id), warning)
    if isinstance(result, Skipped):
        logger.warning("%snot imported: %s", where(result.source, result.post_id), result.reason)
    elif isinstance(result, Failed):
        logger.error("%snot imported: %s", where(result.source, result.post_id), result.reason)


class YAMLMarkdownReader(MarkdownReader):
    """Markdown with YAML front matter (lists, quoted values, nested data); plain Markdown as before."""

    def read(self, source_path):
        with open(source_path, encoding="utf-8-sig") as handle:
            text = handle.read()
        try:
            parsed = frontmatter.split(text)
        except yaml.YAMLError as exc:
            logger.warning("%s: front matter is not valid YAML (%s); read as plain Markdown", source_path,
                           str(exc).splitlines()[0])
            parsed = None
        if parsed is None:
            return super().read(source_path)
        metadata, body = parsed
        render = markdown_renderer(self.settings)
        return render(body), pelican_metadata(metadata, self, render)
