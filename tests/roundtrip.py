"""Measure what survives HTML -> Markdown -> HTML: the words in order, and the count of each construct."""
from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from bs4 import BeautifulSoup, Comment
from markdown import Markdown

from pelican_wp_import.htmltree import to_html

# Pelican's default MARKDOWN setting, less the meta extension its reader adds for headers.
PELICAN_MARKDOWN = {
    "extension_configs": {"markdown.extensions.codehilite": {"css_class": "highlight"},
                          "markdown.extensions.extra": {}},
    "output_format": "html5",
}
CONSTRUCTS = ("img", "a", "iframe", "table", "pre", "li", "blockquote", "h", "figcaption")
_WORD = re.compile(r"\w+", re.U)


def render(markdown_text: str) -> str:
    return Markdown(extensions=list(PELICAN_MARKDOWN["extension_configs"]), **PELICAN_MARKDOWN).convert(markdown_text)


def soup_of(html) -> BeautifulSoup:
    """A BeautifulSoup tree of HTML text, of a tree of ours (lxml), or the soup given."""
    if isinstance(html, BeautifulSoup):
        return html
    return BeautifulSoup(html if isinstance(html, str) else to_html(html), "lxml")


def counts(html) -> Counter:
    soup = soup_of(html)
    found = Counter()
    for name in ("img", "iframe", "table", "pre", "li", "blockquote", "figcaption"):
        found[name] = len(soup.find_all(name))
    found["a"] = len(soup.find_all("a", href=True))
    found["h"] = len(soup.find_all(re.compile(r"^h[1-6]$")))
    return found


def words(html) -> list[str]:
    soup = soup_of(html)
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(["script", "style"]):
        tag.decompose()
    return _WORD.findall(soup.get_text(" "))


def similarity(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()
