"""Repair and normalise WordPress HTML before conversion: lost tags, wpautop, captions, clutter."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .htmltree import parse_body

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
_MORE_SPAN_ID = re.compile(r"^more-\d+$")
# Gutenberg's block delimiters (<!-- wp:paragraph -->): dropped before parsing, as the tree would
# only drop them after; <!--more--> is not one of them and stays.
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
# White space between a block's end and the next tag: Markdown drops it anyway, and not parsing it
# saves an eighth of the conversion. Not done where <pre> or <textarea> could hold it as text.
_SPACE_AFTER_BLOCK = re.compile(r"(</(?:p|h[1-6]|ul|ol|li|blockquote|figure|table|div|pre)>)\s+(?=<)", re.I)


# The end tags of a whole page pasted into a post: lxml would put the text after them outside the body.
_DOCUMENT_END = re.compile(r"</(?:html|body)\s*>", re.I)


@dataclass
class Cleaned:
    """A post body as a parsed tree, with what cleaning had to say about it."""

    root: Tag
    has_more: bool = False
    warnings: list[str] = field(default_factory=list)
    links: list = field(default_factory=list)  # every <a href>, as found before cleaning


def clean_html(html: str, sanitizer=None) -> Cleaned:
    """A post body repaired and parsed. sanitizer(html, warnings) -> html, when given, runs between the
    repairs of the text (which need the HTML as the scraper left it) and the parse."""
    warnings: list[str] = []
    html, restored = restore_lost_openings(html)
    if restored:
        warnings.append(f"{restored} paragraph or inline opening tags were missing and were restored")
    html = _CAPTION_SHORTCODE.sub(_caption_shortcode_to_figure, html)
    html = _BLOCK_COMMENT.sub("", html)
    if sanitizer is not None:
        html = sanitizer(html, warnings)
    html = _DOCUMENT_END.sub("", html)
    if "<pre" not in html and "<textarea" not in html:
        html = _SPACE_AFTER_BLOCK.sub(r"\1", html)
    body = parse_body(html)
    cleaned = Cleaned(body, warnings=warnings)
    found = take_inventory(body)
    cleaned.links = found.links
    flatten_deep_nesting(found.too_deep, warnings)
    cleaned.has_more = drop_clutter(body, found)
    wpautop(body)
    if found.has_captions:
        normalise_captions(found)
    warn_literal_shortcodes(found.bracketed_texts, warnings)
    return cleaned


@dataclass
class Inventory:
    """What one walk over the tree found, so that each cleaning step needs no search of its own."""

    comments: list = field(default_factory=list)
    clutter: list = field(default_factory=list)  # scripts, styles, spacers
    paragraphs: list = field(default_factory=list)
    bracketed_texts: list = field(default_factory=list)  # text with '[' outside code: maybe shortcodes
    too_deep: list = field(default_factory=list)  # tags at MAX_NESTING that still hold tags
    more_span: Tag | None = None  # how the REST API renders <!--more-->: <span id="more-123"></span>
    caption_boxes: list = field(default_factory=list)  # div.wp-caption, figure.wp-caption
    caption_texts: list = field(default_factory=list)  # .wp-caption-text
    galleries: list = field(default_factory=list)  # div.gallery, a classic [gallery]
    links: list = field(default_factory=list)  # <a> with an href

    @property
    def has_captions(self) -> bool:
        return bool(self.caption_boxes or self.caption_texts or self.galleries)


_CLUTTER_TAGS = frozenset(("script", "style", "noscript", "title"))
_CAPTION_CLASSES = frozenset(("wp-caption", "wp-caption-text", "gallery"))


def take_inventory(root: Tag) -> Inventory:
    """Walk the tree once, in document order, without recursion."""
    found = Inventory()
    stack = [(child, 1, False) for child in reversed(root.contents)]
    while stack:
        node, depth, in_code = stack.pop()
        if isinstance(node, Comment):
            found.comments.append(node)
            continue
        if isinstance(node, NavigableString):
            if not in_code and "[" in node:
                found.bracketed_texts.append(node)
            continue
        name = node.name
        classes = node.attrs.get("class") or ()
        if name in _CLUTTER_TAGS or "wp-block-spacer" in classes:
            found.clutter.append(node)
            continue
        if name == "p":
            found.paragraphs.append(node)
        elif name == "a" and "href" in node.attrs:
            found.links.append(node)
        elif name == "span" and found.more_span is None and _MORE_SPAN_ID.match(node.attrs.get("id") or ""):
            found.more_span = node
        if classes and _CAPTION_CLASSES.intersection(classes):
            if "wp-caption" in classes and name in ("div", "figure"):
                found.caption_boxes.append(node)
            if "wp-caption-text" in classes:
                found.caption_texts.append(node)
            if "gallery" in classes and name == "div":
                found.galleries.append(node)
        if depth >= MAX_NESTING:
            if any(isinstance(c, Tag) for c in node.contents):
                found.too_deep.append(node)
            continue
        code = in_code or name in ("pre", "code")
        stack.extend((child, depth + 1, code) for child in reversed(node.contents))
    return found


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

def flatten_deep_nesting(too_deep: list[Tag], warnings: list[str]) -> None:
    """Tags nested deeper than MAX_NESTING keep their text and lose their inner tags.

    Replacing each too-deep subtree by its text is linear; unwrapping tag by tag walked every
    ancestor each time, which took seconds on a scraped page of 20,000 nested <div>s.
    """
    if not too_deep:
        return
    inner = 0
    for tag in too_deep:
        inner += sum(1 for _ in tag.find_all(True))
        text = tag.get_text()
        tag.clear()
        tag.append(text)
    warnings.append(f"HTML nested more than {MAX_NESTING} levels deep; {inner} inner tags unwrapped, "
                    "their text kept")


def drop_clutter(root: Tag, found: Inventory) -> bool:
    """Remove comments, scripts, spacers and empty paragraphs; mark <!--more-->. True if it was there."""
    has_more = False
    for comment in found.comments:
        if not has_more and comment.strip().lower().startswith("more"):
            has_more = True
            _mark_more(comment, root)
        comment.extract()
    for tag in found.clutter:
        tag.decompose()
    for p in found.paragraphs:
        if p.parent is not None and all(isinstance(c, NavigableString) and not c.strip(" \t\r\n\u00a0")
                                        for c in p.contents):
            p.decompose()
    if not has_more and found.more_span is not None:
        has_more = True
        _mark_more(found.more_span, root)
        found.more_span.decompose()
    return has_more


def _mark_more(comment: Comment, root: Tag) -> None:
    """Put the more marker between top-level blocks where <!--more--> was, splitting its paragraph."""
    marker = BeautifulSoup(f"<p>{MORE_SENTINEL}</p>", "html.parser").p
    top = _lift_to_top(comment, root)
    if top is comment or not _has_text_before(comment, top):
        top.insert_before(marker)
        return
    top.insert_after(marker)
    rest = list(comment.next_siblings)
    if comment.parent is top and top.name == "p" and any(str(node).strip() for node in rest):
        after = BeautifulSoup("<p></p>", "html.parser").p
        for node in rest:
            after.append(node.extract())
        marker.insert_after(after)


def _has_text_before(node, top: Tag) -> bool:
    for piece in top.descendants:
        if piece is node:
            return False
        if isinstance(piece, NavigableString) and not isinstance(piece, Comment) and piece.strip():
            return True
    return False


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
    if all(type(node) is NavigableString and not node.strip() for node in run):
        return  # white space between blocks: no paragraph, and no need to print it to find out
    # text as HTML again, entities and all: "&lt;b&gt;" in the text must not come back as a tag
    text = "".join(n.output_ready("minimal") if isinstance(n, NavigableString) else str(n) for n in run)
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


def normalise_captions(found: Inventory) -> None:
    """Every captioned image becomes <figure><img><figcaption>, whatever markup WordPress used."""
    boxes = {id(box) for box in found.caption_boxes}
    captioned: set[int] = set()
    for gallery in found.galleries:
        _classic_gallery(gallery)
    for caption in found.caption_texts:  # in document order: a box's first caption is its caption
        if caption.name == "figcaption":
            continue  # a gallery item's, done above
        box = next((p for p in caption.parents if id(p) in boxes), None)
        if box is None:
            # a caption whose wrapper lost its wp-caption class (themes and migrations drop it)
            box = caption.parent
            if box is None or box.name != "div" or not _holds_image(box):
                continue
            box.name, box.attrs = "figure", {"class": ["wp-caption"]}
        if id(box) in captioned:
            continue
        captioned.add(id(box))
        caption.name, caption.attrs = "figcaption", {}
    for box in found.caption_boxes:
        box.name, box.attrs = "figure", {"class": ["wp-caption"]}


def _holds_image(tag: Tag) -> bool:
    return any(getattr(node, "name", None) == "img" for node in tag.descendants)


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


def warn_literal_shortcodes(texts: list, warnings: list[str]) -> None:
    names: list[str] = []
    for text in texts:
        for match in _SHORTCODE.finditer(text):
            closing, name, attrs = match.groups()
            if closing or attrs or "_" in name or f"[/{name}]" in text:
                if name not in names:
                    names.append(name)
    if names:
        warnings.append("literal shortcodes of plugins that are not active kept as text: "
                        + ", ".join(f"[{n}]" for n in names))
