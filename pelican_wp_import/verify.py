"""Proof that a post lost nothing on its way to Markdown (`--verify`).

The post's cleaned HTML (what the converter reads, its author bios already taken to the front
matter) is measured; its Markdown is rendered as Pelican renders it by default (Python-Markdown with
the extra extension) and measured the same way. A post is whole when the words come back in the
same order (similarity at least 0.99) and every image, link, embed, table, code block, list item,
quote, heading and caption is still there, as many of each as before.
"""
from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from difflib import SequenceMatcher

from lxml import etree
from lxml import html as lxml_html

from .clean import MORE_SENTINEL
from .htmltree import INLINE_ELEMENTS
from .text import unsafe_url_scheme

SIMILARITY = 0.99
# What is counted, and how a reader would name it in a report.
_COUNTED = {"img": "images", "a": "links", "iframe": "embeds", "table": "tables", "pre": "code blocks",
            "li": "list items", "blockquote": "quotes", "h": "headings", "figcaption": "captions"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_WORD = re.compile(r"\w+")
# Elements that sit inside a word without parting it: "<b>W</b>ord", "c<wbr>d" and "<span>a</span>b" are
# one word each, however the Markdown writes them; every other element parts the words around it.
_INLINE = INLINE_ELEMENTS | {"wbr"}
_PER_THREAD = threading.local()


@dataclass(frozen=True)
class Measure:
    words: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]  # (element, how many), in _COUNTED's order


def measure(root) -> Measure:
    """Words and constructs of a tree (lxml), as a reader sees them: an element that shows nothing (an
    empty list item, a picture with no address) is no loss when it goes."""
    counts = []
    for name in _COUNTED:
        if name == "img":
            found = sum(1 for img in root.iter("img") if (img.get("src") or "").strip())
        elif name == "a":  # a link to a script address is never written as one: its words stay
            found = sum(1 for a in root.iter("a") if a.get("href") is not None
                        and not unsafe_url_scheme(a.get("href")) and _shows(a))
        elif name == "iframe":
            found = sum(1 for frame in root.iter("iframe") if (frame.get("src") or "").strip())
        else:
            found = sum(1 for element in root.iter(*(_HEADINGS if name == "h" else (name,))) if _shows(element))
        counts.append((name, found))
    words = tuple(word for word in _WORD.findall(_text(root)) if word != MORE_SENTINEL)
    return Measure(words, tuple(counts))


def _text(root) -> str:
    """The words of a tree as a reader sees them: blocks apart, inline elements run into their words."""
    pieces = []
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):  # not shown; the words after it are
            if element.tail:
                pieces.append(element.tail)
            continue
        if element.tag not in _INLINE:
            pieces.append(" ")
        if event == "start":
            if element.text:
                pieces.append(element.text)
        elif element.tail and element is not root:
            pieces.append(element.tail)
    return "".join(pieces)


def _shows(element) -> bool:
    """Whether an element shows anything: words, or a picture or an embed with an address."""
    if "".join(element.itertext()).strip():
        return True
    return any((media.get("src") or "").strip() for media in element.iter("img", "iframe", "video", "audio"))


def rendered(markdown: str) -> Measure:
    """The measure of Markdown as Pelican's default settings render it."""
    converter = getattr(_PER_THREAD, "markdown", None)
    if converter is None:
        from markdown import Markdown  # noqa: PLC0415 - only a run that verifies needs it

        converter = _PER_THREAD.markdown = Markdown(extensions=["markdown.extensions.extra"], output_format="html5")
    html = converter.reset().convert(markdown)
    root = lxml_html.fragment_fromstring(html, create_parent="div") if html.strip() else lxml_html.Element("div")
    etree.strip_elements(root, etree.Comment, with_tail=False)  # the converter's <!-- --> between lists
    return measure(root)


def losses(before: Measure, markdown: str) -> str:
    """What the Markdown lost of a post measured before it was converted: "" when nothing."""
    after = rendered(markdown)
    found = []
    ratio, exact = _similarity(before.words, after.words)
    if ratio < SIMILARITY:
        shown = math.floor(ratio * 100) / 100  # never rounded up to a figure that would have passed
        found.append(f"words {'' if exact else 'at most '}{shown:.2f} alike in order "
                     f"({len(before.words)} before, {len(after.words)} after)")
    for (name, was), (_, now) in zip(before.counts, after.counts):
        if was != now:
            found.append(f"{_COUNTED[name]} {was} before, {now} after")
    return "; ".join(found)


def _similarity(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[float, bool]:
    """How alike two runs of words are, in order (0 to 1), and whether that is the figure itself or
    a bound above it."""
    if a == b:
        return 1.0, True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # the words alone, in any order, bound the figure from above, in time linear in the post: when that
    # bound fails already, the ordered figure (quadratic at worst: a minute for a long post that lost
    # words here and there) is not needed to know it fails
    bound = matcher.quick_ratio()
    return (bound, False) if bound < SIMILARITY else (matcher.ratio(), True)
