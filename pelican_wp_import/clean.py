"""Repair and normalise WordPress HTML before conversion: lost tags, wpautop, captions, clutter."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

MORE_SENTINEL = "WPIMPORTMORESENTINEL"
# Deeper than this, wrapper tags are unwrapped: real posts never nest so far, and the converter
# recurses once per level.
MAX_NESTING = 120

BLOCK_TAGS = frozenset(
    "address article aside blockquote details dialog dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section table tbody td tfoot th "
    "thead tr ul iframe video audio".split())

_P_CLOSE = re.compile(r"</p\s*>", re.I)
_P_OPEN = re.compile(r"<p[\s>/]", re.I)
# A block-level tag: a lost <p> opened right after the last one in a chunk.
_BLOCK_TAG = re.compile(r"</?(?:%s)\b[^>]*>" % "|".join(sorted(BLOCK_TAGS)), re.I)
_INLINE_RESTORABLE = ("span", "strong", "em", "b", "i")
# Where a run of inline text starts: the end of a sentence (not an initial like "E." or a title
# like "Mr."), or the end of a tag.
_RUN_START = re.compile(r"(?:(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSr)(?<!\bMrs)"
                        r"[.!?…][\"'”’)]*\s+|>\s*)")
_CAPTION_SHORTCODE = re.compile(r"\[caption\b([^\]]*)\]([\s\S]*?)\[/caption\]", re.I)
# Literal shortcodes of plugins that are not active: [name attr="x"], [/name], [name_with_underscore].
_SHORTCODE = re.compile(r"\[(/?)([A-Za-z][\w-]*)((?:\s+[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s\]]+))*)\s*/?\]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass
class Cleaned:
    """A post body as a parsed tree, with what cleaning had to say about it."""

    root: Tag
    has_more: bool = False
    warnings: list[str] = field(default_factory=list)


def clean_html(html: str) -> Cleaned:
    warnings: list[str] = []
    html, restored = restore_lost_openings(html)
    if restored:
        warnings.append(f"{restored} paragraph or inline opening tags were missing and were restored")
    html = _CAPTION_SHORTCODE.sub(_caption_shortcode_to_figure, html)
    root = BeautifulSoup(html, "lxml")
    body = root.body or root
    cleaned = Cleaned(body, warnings=warnings)
    flatten_deep_nesting(body, warnings)
    cleaned.has_more = drop_clutter(body)
    wpautop(body)
    normalise_captions(body)
    warn_literal_shortcodes(body, warnings)
    return cleaned


# --- lost tags --------------------------------------------------------------------------------

def restore_lost_openings(html: str) -> tuple[str, int]:
    """Give back <p>, <span>, <em>… openings that a scraper stripped while leaving the closings."""
    closings = len(_P_CLOSE.findall(html))
    if not closings or closings <= len(_P_OPEN.findall(html)) and "</span>" not in html:
        return html, 0
    pieces = _P_CLOSE.split(html)
    restored = 0
    out = []
    for chunk in pieces[:-1]:
        if not _P_OPEN.search(chunk):
            chunk, added = _open_paragraph(chunk)
            restored += added
        chunk, added = _open_inline(chunk)
        restored += added
        out.append(chunk + "</p>")
    out.append(pieces[-1])
    return "".join(out), restored


def _open_paragraph(chunk: str) -> tuple[str, int]:
    start = 0
    for match in _BLOCK_TAG.finditer(chunk):
        start = match.end()
    if not chunk[start:].strip():
        return chunk, 0
    lead = len(chunk[start:]) - len(chunk[start:].lstrip())
    at = start + lead
    return chunk[:at] + "<p>" + chunk[at:], 1


def _open_inline(chunk: str) -> tuple[str, int]:
    added = 0
    for tag in _INLINE_RESTORABLE:
        closing = f"</{tag}>"
        if closing not in chunk:
            continue
        opening = re.compile(rf"<{tag}[\s>]", re.I)
        pos, depth = 0, 0
        while True:
            close_at = chunk.find(closing, pos)
            if close_at < 0:
                break
            depth += len(opening.findall(chunk, pos, close_at))
            if depth > 0:
                depth -= 1
                pos = close_at + len(closing)
                continue
            start = _run_start(chunk, close_at)
            chunk = chunk[:start] + f"<{tag}>" + chunk[start:]
            added += 1
            pos = close_at + len(f"<{tag}>") + len(closing)
    return chunk, added


def _run_start(chunk: str, end: int) -> int:
    start = 0
    for match in _RUN_START.finditer(chunk, 0, end):
        start = match.end()
    return start


def _caption_shortcode_to_figure(match: re.Match) -> str:
    """A literal [caption] shortcode (its plugin filter did not run) becomes the figure it means."""
    inner = match.group(2).strip()
    media = re.match(r"((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)([\s\S]*)", inner, re.I)
    if not media:
        return inner
    caption = media.group(2).strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="wp-caption">{media.group(1)}{figcaption}</figure>'


# --- structure ---------------------------------------------------------------------------------

def flatten_deep_nesting(root: Tag, warnings: list[str]) -> None:
    """Unwrap tags nested deeper than MAX_NESTING, iteratively, keeping all their text."""
    too_deep: list[Tag] = []
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        for child in node.contents:
            if isinstance(child, Tag):
                if depth + 1 > MAX_NESTING:
                    too_deep.append(child)
                stack.append((child, depth + 1))
    if not too_deep:
        return
    for tag in reversed(too_deep):
        tag.unwrap()
    warnings.append(f"HTML nested more than {MAX_NESTING} levels deep; {len(too_deep)} inner tags unwrapped, "
                    "their text kept")


def drop_clutter(root: Tag) -> bool:
    """Remove comments, scripts, spacers and empty paragraphs; mark <!--more-->. True if it was there."""
    has_more = False
    for comment in root.find_all(string=lambda s: isinstance(s, Comment)):
        if comment.strip().lower().startswith("more") and not has_more:
            has_more = True
            marker = BeautifulSoup(f"<p>{MORE_SENTINEL}</p>", "html.parser").p
            _lift_to_top(comment, root).insert_before(marker)
        comment.extract()
    for tag in root.find_all(["script", "style", "noscript"]):
        tag.decompose()
    for tag in root.find_all(class_="wp-block-spacer"):
        tag.decompose()
    for p in root.find_all("p"):
        if not p.find(True) and not p.get_text().strip(" \t\r\n\u00a0"):
            p.decompose()
    return has_more


def _lift_to_top(node, root: Tag):
    """The ancestor of node that is a direct child of root (or node itself)."""
    while node.parent is not None and node.parent is not root:
        node = node.parent
    return node


def wpautop(root: Tag) -> None:
    """Wrap top-level text runs separated by blank lines in paragraphs, as WordPress's wpautop does."""
    run: list = []
    for child in list(root.contents) + [None]:
        if child is not None and (isinstance(child, NavigableString) or child.name not in BLOCK_TAGS):
            run.append(child)
            continue
        if run:
            _wrap_run(run)
        run = []


def _wrap_run(run: list) -> None:
    text = "".join(str(n) for n in run)
    if not text.strip():
        return
    paragraphs = [p for p in _BLANK_LINE.split(text) if p.strip()]
    html = "".join(f"<p>{p.strip()}</p>" for p in paragraphs)
    new = BeautifulSoup(html, "html.parser")
    anchor = run[0]
    for p in list(new.contents):
        anchor.insert_before(p)
    for node in run:
        node.extract()


def normalise_captions(root: Tag) -> None:
    """Every captioned image becomes <figure><img><figcaption>, whatever markup WordPress used."""
    for div in root.find_all(["div", "figure"], class_="wp-caption"):
        caption = div.find(class_="wp-caption-text")
        if caption is not None:
            caption.name = "figcaption"
            caption.attrs = {}
        div.name = "figure"
        div.attrs = {"class": ["wp-caption"]}
    for gallery in root.find_all(["div"], class_="gallery"):
        _classic_gallery(gallery)


def _classic_gallery(gallery: Tag) -> None:
    """A classic [gallery] (dl/dt/dd items) becomes a figure of figures."""
    items = gallery.find_all(class_="gallery-item")
    if not items:
        return
    gallery.name = "figure"
    gallery.attrs = {"class": ["gallery"]}
    for item in items:
        item.name = "figure"
        item.attrs = {}
        for icon in item.find_all(class_="gallery-icon"):
            icon.unwrap()
        caption = item.find(class_="wp-caption-text")
        if caption is not None:
            caption.name = "figcaption"
            caption.attrs = {}
    for br in gallery.find_all("br", recursive=False):
        br.decompose()


def warn_literal_shortcodes(root: Tag, warnings: list[str]) -> None:
    names: list[str] = []
    for text in root.find_all(string=_SHORTCODE):
        if text.find_parent(["pre", "code"]):
            continue
        for match in _SHORTCODE.finditer(text):
            closing, name, attrs = match.groups()
            if closing or attrs or "_" in name or f"[/{name}]" in text:
                if name not in names:
                    names.append(name)
    if names:
        warnings.append("literal shortcodes of plugins that are not active kept as text: "
                        + ", ".join(f"[{n}]" for n in names))
