"""In a Pelican build, links from one imported post to another's old address follow it to its new page.

`convert` writes such links as {filename} links; a build that reads the JSON directly does the
same here: every imported post is listed in Pelican's generated_content under an alias
(wp-import/<id>), and each old address in a body becomes {filename}/wp-import/<id>, which Pelican
then turns into the new URL (relative or absolute, as the settings say).

Links to the old site's other pages (a category, a tag, an author, a date archive, a feed) go where
the build's redirects send those addresses, by the same means: an alias (wp-import/address/<new
address>) for each page they now lead to.
"""
from __future__ import annotations

import re

from .links import PostIndex, may_be_a_post, site_host
from .permalinks import base_path, old_path
from .text import split_url

ALIAS = "wp-import"
# The address of each link in rendered HTML.
_HREF = re.compile(r"""<a\s[^>]*?href=(["'])(.*?)\1""", re.I | re.S)


def imported(content) -> bool:
    return isinstance(getattr(content, "wp_link", None), str) or getattr(content, "wp_id", None) is not None


def alias_of(content, number: int) -> str:
    wp_id = getattr(content, "wp_id", None)
    return f"{ALIAS}/{wp_id}" if isinstance(wp_id, int) else f"{ALIAS}/n{number}"


def link_imported_posts(contents: list, generated: dict) -> int:
    """Point links between imported posts at their new pages; the number of links changed."""
    index = PostIndex()
    for number, content in enumerate(c for c in contents if imported(c)):
        alias = alias_of(content, number)
        generated.setdefault(alias, content)
        index.add({"wp_link": getattr(content, "wp_link", None), "wp_id": getattr(content, "wp_id", None)}, alias)
    return _relink(contents, lambda href, host: index.file_for(href) if may_be_a_post(href, host) else None)


def _relink(contents: list, target_for) -> int:
    """Each imported content's links for which target_for(address, the content's site host) names a
    key of generated_content become {filename} links to it, fragment kept; the number changed."""
    changed = 0
    for content in contents:
        own = getattr(content, "wp_link", None)
        if not isinstance(own, str) or "href" not in content._content:
            continue
        host = site_host(own)
        mapping = {}
        for match in _HREF.finditer(content._content):
            href = match.group(2)
            target = target_for(href, host)
            if target is not None:
                fragment = split_url(href).fragment
                mapping[href] = "{filename}/" + target + (f"#{fragment}" if fragment else "")
        if mapping:
            content._content = _swap_hrefs(content._content, mapping)
            changed += len(mapping)
    return changed


def _swap_hrefs(html: str, mapping: dict[str, str]) -> str:
    """Each link's address that mapping names, swapped for its target; the same address written out in
    the text (or in a title) stays as it is."""
    def swap(match: re.Match) -> str:
        target = mapping.get(match.group(2))
        if target is None:
            return match.group()
        start, end = match.span(2)
        return match.group()[:start - match.start()] + target + match.group()[end - match.start():]

    return _HREF.sub(swap, html)


class Address:
    """A page of the build that is no content (a category's, an archive, a feed), as {filename} links
    find content in generated_content: by its url."""

    def __init__(self, url: str):
        self.url = url


def link_old_addresses(contents: list, generated: dict, rules: dict[str, str], old_base: object = "") -> int:
    """Point links to the old site's addresses that the redirects map (old path -> new address) at
    the new pages; the number of links changed. old_base: WP_IMPORT_OLD_BASE. Run after the links
    between posts, or before: a link already made a {filename} link is no old address."""
    base = base_path(old_base)
    hosts = {site_host(c.wp_link) for c in contents if isinstance(getattr(c, "wp_link", None), str)} - {""}

    def target_for(href: str, _host: str) -> str | None:
        parts = split_url(href)
        if parts.scheme in ("http", "https"):
            if site_host(href) not in hosts:
                return None
        elif parts.scheme or not href.startswith("/") or href.startswith("//"):
            return None
        path = old_path(href, base)
        new = rules.get(path, rules.get(path + "/")) if path else None
        if new is None:
            return None
        alias = f"{ALIAS}/address/{new}"
        generated.setdefault(alias, Address(new))
        return alias

    return _relink(contents, target_for)
