"""Feed entries that credit every author of a co-written post.

Pelican's feed writer names an entry's author from the article's first author alone (feedgenerator
has room for one name), so a story by "Edward Wong and Julian E. Barnes" read "Edward Wong" in every
feed reader. The entries of co-written articles get the whole byline instead, as the page shows it.
"""
from __future__ import annotations

from urllib.parse import unquote

from .text import split_url

# The co-written articles of the build being written, and (once their addresses are final, when the
# feeds are written) each one's address -> its byline.
_COWRITTEN: list = []
_BYLINES: dict[str, str] = {}


def byline(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def remember_bylines(generator) -> None:
    """article_generator_finalized: the articles with more than one author. Their addresses are read
    later: old permalinks replace Pelican's once every generator is done."""
    _COWRITTEN.clear()
    _BYLINES.clear()
    _COWRITTEN.extend(article for name in ("articles", "translations")
                      for article in getattr(generator, name, None) or []
                      if len(getattr(article, "authors", None) or []) > 1)


def credit_every_author(context, feed) -> None:
    """feed_generated: each co-written article's entry names all its authors."""
    if not _COWRITTEN:
        return
    if not _BYLINES:
        _BYLINES.update((unquote(article.url), byline([str(author) for author in article.authors]))
                        for article in _COWRITTEN)
    site = unquote(split_url(context.get("SITEURL") or "").path).strip("/")
    for item in feed.items:
        found = _BYLINES.get(_address_of(item.get("link") or "", site))
        if found:
            item["author_name"] = found


def _address_of(link: str, site: str) -> str:
    """The article address an entry's link was made of (Pelican joins SITEURL and the article's url,
    or a relative path to the site's root when URLs are relative): its path, less the site's own
    path (a site in a folder of its domain) and any ../ in front."""
    path = unquote(split_url(link).path).lstrip("/")
    while path.startswith(("../", "./")):
        path = path.partition("/")[2]
    if site and path.startswith(site + "/"):
        path = path[len(site) + 1:]
    return path
