"""Repair and normalise WordPress HTML before conversion: lost tags, wpautop, captions, clutter."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .htmltree import (GONE, append, child_elements, children, classes, clear, descendants, escape_text, is_element,
                       items_after, parse_body, remove, text_of, to_html, unwrap)
from .media import full_size_of, points_at_an_image_file

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
_INLINE_OPENINGS = {tag: re.compile(rf"<{tag}[\s>]", re.I) for tag in _INLINE_RESTORABLE}
# Their closings, exactly as written (lower case, no space): one search for all of them.
_INLINE_CLOSING = re.compile("</(%s)>" % "|".join(_INLINE_RESTORABLE))
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
    """A post body as a parsed tree (its <body> element), with what cleaning had to say about it."""

    root: etree._Element
    has_more: bool = False
    warnings: list[str] = field(default_factory=list)
    links: list = field(default_factory=list)  # every <a href>, as found before cleaning
    # every element as parsed, held for as long as the post is converted: lxml then hands each walk
    # of the tree the same Python object for an element instead of making a new one at every visit
    elements: list = field(default_factory=list, repr=False)


def clean_html(html: str, sanitizer=None) -> Cleaned:
    """A post body repaired and parsed. sanitizer(html, warnings) -> html, when given, runs between the
    repairs of the text (which need the HTML as the scraper left it) and the parse."""
    warnings: list[str] = []
    html, restored = restore_lost_openings(html)
    if restored:
        warnings.append(f"{restored} paragraph or inline opening tags were missing and were restored")
    if "[" in html:  # a search for one character is a fraction of the pattern's search
        html = _CAPTION_SHORTCODE.sub(_caption_shortcode_to_figure, html)
    if "<!--" in html:
        html = _BLOCK_COMMENT.sub("", html)
    if sanitizer is not None:
        html = sanitizer(html, warnings)  # a fragment: never an </html> or </body> tag
    else:
        html = _DOCUMENT_END.sub("", html)
    if "<pre" not in html and "<textarea" not in html:
        # split() keeps the captured closing tag and drops the white space after it: the same text as
        # sub(r"\1"), without the Python call a group-reference template costs for every match
        html = "".join(_SPACE_AFTER_BLOCK.split(html))
    body = parse_body(html)
    cleaned = Cleaned(body, warnings=warnings, elements=list(body.iter()))
    found = take_inventory(body, texts=may_hold_bracket(html))
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
    more_span: etree._Element | None = None  # how the REST API renders <!--more-->: <span id="more-123"></span>
    caption_boxes: list = field(default_factory=list)  # div.wp-caption, figure.wp-caption
    caption_texts: list = field(default_factory=list)  # .wp-caption-text
    galleries: list = field(default_factory=list)  # div.gallery, a classic [gallery]
    links: list = field(default_factory=list)  # <a> with an href

    @property
    def has_captions(self) -> bool:
        return bool(self.caption_boxes or self.caption_texts or self.galleries)


_CLUTTER_TAGS = frozenset(("script", "style", "noscript", "title"))
_CAPTION_CLASSES = frozenset(("wp-caption", "wp-caption-text", "gallery"))


def take_inventory(root, texts: bool = True) -> Inventory:
    """Walk the tree once, in document order: lxml's own walk (iterwalk), which can skip a subtree.

    texts=False: no text of the tree holds a '[' (the caller knows from the HTML), so no text needs
    reading. Unless some element sits MAX_NESTING deep, the walk then looks at each element once,
    reading no string but its tag and class: most posts go that way."""
    if texts or _HAS_TOO_DEEP(root):
        return _inventory_with_texts(root)
    found = Inventory()
    walker = etree.iterwalk(root, events=("start", "comment", "pi"))
    next(walker)  # the root itself
    for event, node in walker:
        if event == "start":
            if _sort_into(found, node, node.tag):
                walker.skip_subtree()
        elif event == "comment":
            found.comments.append(node)
    return found


# A '[' written as a character reference (&#91;, &#x5B;), which the parse makes a '['.
_BRACKET_REFERENCE = re.compile(r"&#(?:0*91(?!\d)|[xX]0*5[bB](?![0-9A-Fa-f]))")


def may_hold_bracket(html: str) -> bool:
    """Whether the text parsed from html may hold a '['; False only when it cannot."""
    return "[" in html or "&#" in html and _BRACKET_REFERENCE.search(html) is not None


# Whether an element sits MAX_NESTING levels below the root.
_HAS_TOO_DEEP = etree.XPath("boolean(%s)" % "/".join(["*"] * MAX_NESTING))


def _sort_into(found: Inventory, node, name: str) -> bool:
    """List an element where cleaning will want it; True for clutter, whose inside is not looked at."""
    class_value = node.get("class")  # get(), not .attrib: no attribute object made per element
    classes = class_value.split() if class_value else ()
    if name in _CLUTTER_TAGS or "wp-block-spacer" in classes:
        found.clutter.append(node)
        return True
    if name == "p":
        found.paragraphs.append(node)
    elif name == "a" and node.get("href") is not None:
        found.links.append(node)
    elif name == "span" and found.more_span is None and _MORE_SPAN_ID.match(node.get("id") or ""):
        found.more_span = node
    if classes and _CAPTION_CLASSES.intersection(classes):
        if "wp-caption" in classes and name in ("div", "figure"):
            found.caption_boxes.append(node)
        if "wp-caption-text" in classes:
            found.caption_texts.append(node)
        if "gallery" in classes and name == "div":
            found.galleries.append(node)
    return False


def _inventory_with_texts(root) -> Inventory:
    """take_inventory's walk with every text read (for '[' outside code) and the depth counted."""
    found = Inventory()
    bracketed = found.bracketed_texts  # text with '[' outside code, in document order, root's text last
    code = 0  # <pre> and <code> elements open around the current position
    depth = -1  # the root's
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "end":
            depth -= 1
            name = node.tag
            if name == "pre" or name == "code":
                code -= 1
            # .text and .tail read once each: lxml makes a new string at every read
            text = node.tail if depth >= 0 else node.text
            if text and not code and "[" in text:
                bracketed.append(text)
            continue
        if event != "start":  # a comment or processing instruction: no end event, its tail now
            if event == "comment":
                found.comments.append(node)
            tail = node.tail
            if tail and not code and "[" in tail:
                bracketed.append(tail)
            continue
        depth += 1
        if not depth:
            continue  # the root: its text is listed at its end
        name = node.tag
        skip = _sort_into(found, node, name)
        if not skip and depth >= MAX_NESTING:
            if any(is_element(child) for child in node):
                found.too_deep.append(node)
            skip = True
        if name == "pre" or name == "code":
            code += 1  # undone at its end event, which comes for a skipped element too
        if skip:
            walker.skip_subtree()  # neither its text nor anything inside it is looked at
            continue
        text = node.text
        if text and not code and "[" in text:
            bracketed.append(text)
    return found


# --- lost tags --------------------------------------------------------------------------------

def restore_lost_openings(html: str) -> tuple[str, int]:
    """Give back <p>, <span>, <em>… openings that a scraper stripped while leaving the closings."""
    if "</span>" not in html:  # only paragraph openings can be missing: when fewer than the closings
        closings = len(_P_CLOSE.findall(html))
        if not closings or closings <= len(_P_OPEN.findall(html)):
            return html, 0
    # else an inline opening may be missing anywhere: every paragraph is looked at
    pieces = _P_CLOSE.split(html)
    if len(pieces) == 1:
        return html, 0
    restored = 0
    out = []
    # only the inline tags whose closing is somewhere in the post can be missing an opening
    present = set(_INLINE_CLOSING.findall(html))
    inline = [tag for tag in _INLINE_RESTORABLE if tag in present]
    for chunk in pieces[:-1]:
        if not _P_OPEN.search(chunk):
            chunk, added = _open_paragraph(chunk)
            restored += added
        if inline:
            chunk, added = _open_inline(chunk, inline)
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


def _open_inline(chunk: str, inline: list[str]) -> tuple[str, int]:
    added = 0
    for tag in inline:
        closing = f"</{tag}>"
        if closing not in chunk:
            continue
        opening = _INLINE_OPENINGS[tag]
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

def flatten_deep_nesting(too_deep: list, warnings: list[str]) -> None:
    """Tags nested deeper than MAX_NESTING keep their text and lose their inner tags.

    Replacing each too-deep subtree by its text is linear; unwrapping tag by tag walked every
    ancestor each time, which took seconds on a scraped page of 20,000 nested <div>s.
    """
    if not too_deep:
        return
    inner = 0
    for tag in too_deep:
        inner += sum(1 for _ in descendants(tag))
        text = text_of(tag)
        clear(tag)
        tag.text = text or None
    warnings.append(f"HTML nested more than {MAX_NESTING} levels deep; {inner} inner tags unwrapped, "
                    "their text kept")


# What an empty paragraph may hold: white space, no-break spaces included (the editor's &nbsp;).
_BLANK_IN_PARAGRAPH = " \t\r\n\u00a0"


def drop_clutter(root, found: Inventory) -> bool:
    """Remove comments, scripts, spacers and empty paragraphs; mark <!--more-->. True if it was there."""
    has_more = False
    for comment in found.comments:
        if not has_more and (comment.text or "").strip().lower().startswith("more"):
            has_more = True
            _mark_more(comment, root)
        remove(comment)
    for tag in found.clutter:
        remove(tag)
    for p in found.paragraphs:
        text = p.text
        if text and text.strip(_BLANK_IN_PARAGRAPH):
            continue  # words from the start, the usual paragraph: not empty
        if p.getparent() is not None and all(isinstance(c, str) and not c.strip(_BLANK_IN_PARAGRAPH)
                                             for c in children(p)):
            remove(p)
    if not has_more and found.more_span is not None:
        has_more = True
        _mark_more(found.more_span, root)
        remove(found.more_span)
    return has_more


def _new_paragraph(text: str | None = None):
    p = etree.Element("p")
    p.text = text
    return p


def _mark_more(comment, root) -> None:
    """Put the more marker between top-level blocks where <!--more--> was, splitting its paragraph."""
    marker = _new_paragraph(MORE_SENTINEL)
    top = _lift_to_top(comment, root)
    if top is comment or not _has_text_before(comment, top):
        top.addprevious(marker)
        return
    # right after top, before the text that follows it
    marker.tail, top.tail = top.tail, None
    top.addnext(marker)
    if comment.getparent() is top and top.tag == "p" and not _inside_a_word(comment) and any(
            not isinstance(node, str) or node.strip() for node in items_after(comment)):
        after = _new_paragraph()
        after.text = comment.tail
        comment.tail = None
        for node in list(comment.itersiblings()):
            after.append(node)
        after.tail, marker.tail = marker.tail, None
        marker.addnext(after)


def _inside_a_word(comment) -> bool:
    """Whether a comment sits between two letters of one word ("Harbour<!--more-->master"): the
    paragraph is then kept whole, the teaser running to its end, rather than the word parted."""
    previous = comment.getprevious()
    if previous is None:
        before = comment.getparent().text or ""
    else:  # right after an element's own words ("<b>Harbour</b><!--more-->master") when it has no tail
        before = previous.tail or "".join(previous.itertext())
    return _spaced_letter(before[-1:]) and _spaced_letter((comment.tail or "")[:1])


def _spaced_letter(char: str) -> bool:
    """A letter or digit of a script that parts its words with spaces: Chinese, Japanese, Thai and
    the like run words together, so that any two of their letters may stand in different ones."""
    return char.isalnum() and (ord(char) < 0x0E00 or 0x1E00 <= ord(char) < 0x2000)


def _has_text_before(node, top) -> bool:
    for event, element in etree.iterwalk(top, events=("start", "end", "comment")):
        if event == "start":
            if element is node:
                return False
            if element.text and element.text.strip():
                return True
        elif event == "comment":
            if element is node:
                return False
            if element.tail and element.tail.strip():
                return True
        elif element is not top and element.tail and element.tail.strip():
            return True
    return False


def _has_loose_inline(root) -> bool:
    """Whether root holds words or an inline element outside any block (comments and removed
    elements aside), read in one pass over its children."""
    text = root.text
    if text and text.strip():
        return True
    for child in root:
        tag = child.tag
        if tag.__class__ is str and tag not in BLOCK_TAGS and tag != GONE:
            return True
        tail = child.tail
        if tail and tail.strip():
            return True
    return False


def _lift_to_top(node, root):
    """The ancestor of node that is a direct child of root (or node itself)."""
    parent = node.getparent()
    while parent is not None and parent is not root:
        node, parent = parent, parent.getparent()
    return node


def wpautop(root) -> None:
    """Wrap top-level text runs separated by blank lines in paragraphs, as WordPress's wpautop does."""
    if not _has_loose_inline(root):
        return  # blocks and the white space between them: the usual post
    # the top level again, each run of text and inline elements between blocks wrapped
    text = root.text
    items: list = [text] if text else []
    for child in root:
        items.append(child)
        tail = child.tail
        if tail:
            items.append(tail)
    sequence: list = []
    run: list = []
    for item in items + [None]:
        if item is not None and (isinstance(item, str) or item.tag not in BLOCK_TAGS):
            run.append(item)
            continue
        if run:
            sequence.extend(_wrap_run(run))
        run = []
        if item is not None:
            sequence.append(item)
    root.text = None
    for child in list(root):
        child.tail = None
        root.remove(child)
    for item in sequence:
        append(root, item)


def _wrap_run(run: list) -> list:
    """The paragraphs a run of top-level text and inline elements makes (or the run, if only space)."""
    if all(not node.strip() if isinstance(node, str) else not is_element(node) for node in run):
        return run  # white space between blocks (and what removed elements left): no paragraph
    if any(is_element(node) and _splits_at_blank_lines(node) for node in run if not isinstance(node, str)):
        return _wrap_run_as_text(run)
    paragraphs: list[list] = [[]]
    for node in run:
        if not isinstance(node, str):
            if is_element(node):
                paragraphs[-1].append(node)
            continue
        pieces = _BLANK_LINE.split(node)
        for index, piece in enumerate(pieces):
            if index:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(piece)
    made = []
    for pieces in paragraphs:
        if pieces and isinstance(pieces[0], str):
            pieces[0] = pieces[0].lstrip()
        if pieces and isinstance(pieces[-1], str):
            pieces[-1] = pieces[-1].rstrip()
        pieces = [piece for piece in pieces if piece != ""]
        if not pieces:
            continue
        p = _new_paragraph()
        for piece in pieces:
            if not isinstance(piece, str):
                piece.tail = None  # its tail is among the pieces already
                _join_texts(piece)
            append(p, piece)
        made.append(p)
    return made


def _join_texts(element) -> None:
    """Texts inside element that a removed element kept apart become one (wpautop writes the run out
    as HTML and reads it again, and these were the same text in what it wrote)."""
    for placeholder in [node for node in element.iter(GONE)]:
        parent = placeholder.getparent()
        previous = placeholder.getprevious()
        if placeholder.tail:
            if previous is None:
                parent.text = (parent.text or "") + placeholder.tail
            else:
                previous.tail = (previous.tail or "") + placeholder.tail
        parent.remove(placeholder)


# Elements whose text is kept as it is (libxml2 reads the first ones' content as raw text): a blank
# line in them parts no paragraphs.
_RAW_TEXT = ("pre", "textarea", "iframe", "xmp", "noembed", "noframes", "plaintext", "script", "style", "title")


def _splits_at_blank_lines(element) -> bool:
    """Whether an inline element at the top level holds a blank line that parts paragraphs: not one in
    code or other raw text, where splitting the printed HTML would put "</p><p>" into the text."""
    if any(_BLANK_LINE.search(raw.text or "") for raw in element.iter(*_RAW_TEXT)):
        return False
    return bool(_BLANK_LINE.search(to_html(element)))


def _wrap_run_as_text(run: list) -> list:
    """A run whose inline elements hold blank lines (scraped posts without <p>: <span>One.\n\nTwo.</span>):
    split as text at every blank line, as wpautop does, and parsed again, which closes and reopens
    the elements around each break."""
    text = "".join(escape_text(node) if isinstance(node, str) else to_html(node) for node in run)
    paragraphs = [p for p in _BLANK_LINE.split(text) if p.strip()]
    body = parse_body("".join(f"<p>{p.strip()}</p>" for p in paragraphs))
    made: list = [body.text] if body.text else []
    for child in list(body):
        tail, child.tail = child.tail, None
        made.append(child)
        if tail:
            made.append(tail)
    return made



def normalise_captions(found: Inventory) -> None:
    """Every captioned image becomes <figure><img><figcaption>, whatever markup WordPress used."""
    boxes = set(found.caption_boxes)
    captioned: set = set()
    for gallery in found.galleries:
        _classic_gallery(gallery)
    for caption in found.caption_texts:  # in document order: a box's first caption is its caption
        if caption.tag == "figcaption":
            continue  # a gallery item's, done above
        box = next((p for p in caption.iterancestors() if p in boxes), None)
        if box is None:
            # a caption whose wrapper lost its wp-caption class (themes and migrations drop it)
            box = caption.getparent()
            if box is None or box.tag != "div" or not _holds_image(box):
                continue
            _rename(box, "figure", "wp-caption")
        if box in captioned:
            continue
        captioned.add(box)
        _rename(caption, "figcaption")
    for box in found.caption_boxes:
        _rename(box, "figure", "wp-caption")


def _rename(tag, name: str, class_name: str = "") -> None:
    """A new name, and no attributes but the class given."""
    tag.tag = name
    tag.attrib.clear()
    if class_name:
        tag.set("class", class_name)


def _holds_image(tag) -> bool:
    return next(tag.iterdescendants("img"), None) is not None


def _with_class(tag, name: str) -> list:
    return [node for node in descendants(tag) if name in classes(node)]


def _classic_gallery(gallery) -> None:
    """A classic [gallery] (dl/dt/dd items) becomes a figure of figures."""
    items = _with_class(gallery, "gallery-item")
    if not items:
        return
    _rename(gallery, "figure", "gallery")
    for item in items:
        _rename(item, "figure")
        for icon in _with_class(item, "gallery-icon"):
            unwrap(icon)
        caption = next(iter(_with_class(item, "wp-caption-text")), None)
        if caption is not None:
            _rename(caption, "figcaption")
        for link in item.iterdescendants("a"):
            # "link to: attachment page", a WordPress page that the static site does not have: the
            # thumbnail links to the picture itself instead
            img = next(link.iterdescendants("img"), None)
            href = link.get("href")
            picture = full_size_of(img) if img is not None and href and not points_at_an_image_file(href) else ""
            if picture:
                link.set("href", picture)
    for br in [child for child in child_elements(gallery) if child.tag == "br"]:
        remove(br)


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
