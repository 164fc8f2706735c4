"""Links between imported posts: old permalinks and ?p=ID addresses to Pelican {filename} links."""
from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qs, unquote

from .text import split_url

# The query keys WordPress answers with a post or page whatever the permalink structure.
_ID_KEYS = ("p", "page_id", "attachment_id")
# An address in Markdown or in kept HTML ends at one of these.
_URL_END = r"(?=[)\"'\s>]|$)"


def _host(url: str) -> str:
    host = (split_url(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def path_key(url: str) -> str:
    """An old address as the index knows it: decoded path, one trailing slash, no host."""
    path = unquote(split_url(url).path or "/")
    if "//" in path:
        path = re.sub(r"/+", "/", path)
    return (path.rstrip("/") + "/").casefold()


def id_in(url: str) -> int | None:
    """The post id of a ?p=123 or ?page_id=123 address."""
    if "?" not in url:
        return None  # no query: most addresses (the main process asks for every post it writes)
    query = parse_qs(split_url(url).query)
    for key in _ID_KEYS:
        value = (query.get(key) or [""])[0]
        if value.isascii() and value.isdigit():  # not "²", which int() refuses
            return int(value)
    return None


def may_be_a_post(href: str, host: str) -> bool:
    """Whether a link could name a post of the site on host: its host, root-relative, or ?p=ID."""
    parts = split_url(href)
    if parts.scheme in ("http", "https"):
        same_site = bool(host) and _host(href) == host
    else:
        same_site = not parts.scheme and href.startswith("/") and not href.startswith("//")
    return same_site and (parts.path not in ("", "/") or id_in(href) is not None)


def link_candidates(anchors: list, own_link: str) -> list[str]:
    """Of a post's <a> elements, the addresses that may point at another post of the same site.

    Anchors taken out of the body since they were listed (a bio's links) are left out."""
    from .htmltree import was_removed  # noqa: PLC0415 - see replace_urls

    host = _host(own_link)
    found = dict.fromkeys(a.get("href").strip() for a in anchors if a.get("href") is not None and not was_removed(a))
    return [href for href in found if may_be_a_post(href, host)]


def site_host(url: str) -> str:
    return _host(url)


class PostIndex:
    """Every written post by its old address and its WordPress id, to the file it was written to."""

    def __init__(self):
        self.by_path: dict[str, str] = {}
        self.by_id: dict[int, str] = {}

    def add(self, metadata: dict, rel: str) -> None:
        link = metadata.get("wp_link")
        if isinstance(link, str) and link and id_in(link) is None:
            self.by_path.setdefault(path_key(link), rel)
        if isinstance(metadata.get("wp_id"), int):
            self.by_id.setdefault(metadata["wp_id"], rel)

    def file_for(self, url: str) -> str | None:
        wp_id = id_in(url)
        if wp_id is not None:
            return self.by_id.get(wp_id)
        return self.by_path.get(path_key(url))

    def targets(self, urls: list[str], from_rel: str) -> dict[str, str]:
        """Each address that names an imported post, as a {filename} link relative to from_rel."""
        found = {}
        here = posixpath.dirname(from_rel)
        for url in urls:
            rel = self.file_for(url)
            if rel is None or rel == from_rel and not split_url(url).fragment:
                continue
            fragment = split_url(url).fragment
            found[url] = "{filename}" + posixpath.relpath(rel, here or ".") + (f"#{fragment}" if fragment else "")
        return found


def replace_urls(text: str, mapping: dict[str, str]) -> str:
    """Every whole occurrence of each address (as Markdown or HTML writes it) swapped for its target."""
    if not mapping:
        return text
    # imported here: the command's main process, which writes files, has no need of the converter's
    # modules (lxml, nh3) otherwise, and its worker processes load them while it downloads
    from .markdown import markdown_url  # noqa: PLC0415

    # kept HTML writes & as &amp;, a Markdown link escapes spaces and parentheses: the same address
    # in those spellings has the same target
    mapping = {**{u.replace("&", "&amp;"): t for u, t in mapping.items() if "&" in u},
               **{markdown_url(u): t for u, t in mapping.items()}, **mapping}
    ordered = sorted(mapping, key=len, reverse=True)  # a longer address before its own prefix
    pattern = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(u) for u in ordered) + ")" + _URL_END)
    return pattern.sub(lambda m: mapping[m.group()], text)
