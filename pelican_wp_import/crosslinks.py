"""In a Pelican build, links from one imported post to another's old address follow it to its new page.

`convert` writes such links as {filename} links; a build that reads the JSON directly does the
same here: every imported post is listed in Pelican's generated_content under an alias
(wp-import/<id>), and each old address in a body becomes {filename}/wp-import/<id>, which Pelican
then turns into the new URL (relative or absolute, as the settings say).
"""
from __future__ import annotations

import re

from .links import PostIndex, may_be_a_post, replace_urls, site_host
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
    changed = 0
    for content in contents:
        own = getattr(content, "wp_link", None)
        if not isinstance(own, str) or "href" not in content._content:
            continue
        host = site_host(own)
        mapping = {}
        for match in _HREF.finditer(content._content):
            href = match.group(2)
            target = index.file_for(href) if may_be_a_post(href, host) else None
            if target is not None:
                fragment = split_url(href).fragment
                mapping[href] = "{filename}/" + target + (f"#{fragment}" if fragment else "")
        if mapping:
            content._content = replace_urls(content._content, mapping)
            changed += len(mapping)
    return changed
