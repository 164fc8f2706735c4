"""WordPress HTML to Markdown: one walk over the cleaned lxml tree, one convert_<tag> method per construct.

The rules are markdownify's (ATX headings, "-" bullets, <sub>/<sup> kept as HTML), written here for
lxml's tree: white space folded outside <pre>, whitespace-only text dropped next to blocks and at
their edges, newlines between blocks collapsed to a blank line. What Markdown cannot say faithfully
(captions, embeds, tables with block cells) stays as a small block of clean HTML, which every
Markdown processor passes through.
"""
from __future__ import annotations

import re
import threading
from urllib.parse import quote, unquote

from .htmltree import (INLINE_ELEMENTS, child_elements, children, children_and_tags, classes, escape_text,
                       items_after, items_before, previous_element, remove, text_of, to_html)
from .media import srcset_candidates
from .text import split_url, unsafe_url_scheme

# Classes that name a code block's language: language-x, lang-x, brush: x (SyntaxHighlighter).
_LANG_CLASS = re.compile(r"^(?:language|lang)-([\w+#.-]+)$")
_BRUSH = re.compile(r"brush\s*:\s*([\w+#.-]+)")
# Text that Markdown would read as markup. A backslash only before a character Python-Markdown
# escapes (C:\Users stays as it is); a run of underscores only at a word's edge (snake_case_name
# stays, __init__ does not turn bold; a run is matched from its start, or a long one takes quadratic
# time); a bracket unless it closes in the same text and a plain character follows ("[sic] and" stays;
# "[x](y", "[x]: y", "[x] [y]" and a "[x]" that ends the text, where the next element could add "(y)",
# are escaped), and always before a footnote's '^'.
_ESCAPE_CHARS = re.compile(r"(?P<backslash>\\(?=[\\`*_{}\[\]()>#+\-.!|]))|(?P<star>\*)|(?P<tick>`)"
                           r"|(?P<under>(?<!\w)_+|(?<!_)_+(?!\w))|(?P<lt><(?=[A-Za-z/!?]))"
                           r"|(?P<amp>&(?=#?\w+;))|(?P<brace>\{(?=[:#.]))"
                           r"|(?P<bracket>\[(?=\^|(?![^\[\]\n]*\](?:[^(\[:\s]|\s[^\[\s]))))")
# A ']' not escaped yet: after no backslash, or after escaped backslashes (pairs) only.
_UNESCAPED_CLOSING_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\]")
# Text Markdown would read as markup at the start of a line, where block syntax lives: headings
# (Python-Markdown needs no space after '#'), quotes, list markers, rules, setext underlines and the
# colon that starts a definition (Markdown Extra).
_LINE_START = re.compile(r"^(\s*)(#+|>|[-+](?=\s)|(\d{1,9})([.)])(?=\s|$)|=+\s*$|-+\s*$|:(?=[ \t]))")
# What the text must start with (after white space) for the pattern above to match, digits aside.
_LINE_START_CHARACTERS = frozenset("#>-+=:")
# Markers Python-Markdown has no backslash escape for: a backslash would show; a character reference
# does not (CommonMark reads both).
_UNESCAPABLE_MARKERS = {"=": "&#61;", ":": "&#58;"}
_CELLS = frozenset(("td", "th"))
# Hashes at the end of an ATX heading, which Python-Markdown drops as closing hashes ("C#").
_CLOSING_HASHES = re.compile(r"#+$")
_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
_BACKTICKS = re.compile(r"`+")
# An image address that loads something: not missing, not a lazy-load plugin's data: placeholder.
_LOADED_SRC = re.compile(r"(?!data:)\S")
# The bullet of a list item as markdownify writes it, whose width it indents the item's lines by.
_BULLET = re.compile(r"(?:[-*+]|\d+\.) ")
# Python-Markdown (Pelican's reader) nests blocks in a list item only when indented by four spaces.
LIST_INDENT = 4
# Blank lines before a block's first line; stripping spaces too would unindent a code block.
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
# A fenced code block: its spaces and blank lines are the author's and are never tidied.
_FENCED_CODE = re.compile(r"^(`{3,})[^\n]*\n[\s\S]*?\n\1$", re.M)
# Attributes worth keeping on HTML that stays HTML; the rest is theme and editor clutter.
_KEEP_ATTRS = {
    "a": ("href", "title", "rel"),
    "img": ("src", "alt", "title", "width", "height", "srcset", "sizes"),
    "iframe": ("src", "title", "width", "height", "allow", "allowfullscreen", "frameborder"),
    "video": ("src", "controls", "poster", "width", "height"),
    "audio": ("src", "controls"),
    "source": ("src", "type"),
    "td": ("colspan", "rowspan", "align"),
    "th": ("colspan", "rowspan", "align", "scope"),
    "blockquote": ("class", "cite", "data-instgrm-permalink", "lang"),
    "figure": ("class",),
    "ol": ("start", "reversed", "type"),
    "time": ("datetime",),
    "details": ("open",),
    "abbr": ("title",),
}
# Characters of an address that would end a Markdown link early, start its title, or open raw HTML
# after it: white space, quotes and angle brackets are percent-encoded, parentheses and backslashes
# escaped (Python-Markdown reads a title after a quote even with no space before it).
_URL_SPECIAL = re.compile(r"[\s\"'<>()\\]")
# Line breaks with the blanks around them, in what must stay on one line.
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n][\s]*")
# In alt text and titles: a blank line would end the paragraph, and the image with it.
_WHITE_SPACE_RUN = re.compile(r"\s+")
# In alt text: brackets would end it, a backtick open code, a '<' raw HTML, '&' an entity.
_ALT_SPECIAL = re.compile(r"[\\\[\]`]|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
_ALT_ESCAPES = {"<": "&lt;", "&": "&amp;"}
# Attributes of HTML kept as HTML that hold an address.
_URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "cite", "data-instgrm-permalink")
# Inline markup markdownify wraps around its text, and a block kept as HTML starting in that text.
_INLINE_MARKUP = frozenset(("a", "b", "strong", "em", "i", "del", "s", "q", "sub", "sup", "u", "mark", "abbr",
                            "span"))
# A background no one sees, and an underline, in an inline style.
_TRANSPARENT = re.compile(r"background(?:-color)?\s*:\s*(?:transparent|rgba\(\s*0\s*,\s*0\s*,\s*0\s*,\s*0\s*\))", re.I)
_UNDERLINE = re.compile(r"text-decoration(?:-line)?\s*:[^;]*\bunderline", re.I)
_RAW_BLOCK_INSIDE = re.compile(r"\n\n[ \t]*<[A-Za-z]")
# Addresses Python-Markdown makes a link of between angle brackets: web and e-mail addresses.
_AUTOLINK = re.compile(r"^(?:(?:https?|ftp)://[^<>\s]*|mailto:[^<>\s@]+@[^<>\s@]+)$", re.I)
# Where HTML kept as HTML is not at the top level of the Markdown (quoted, in a list, in a line).
_NESTING = frozenset(("blockquote", "li", "dd", "dt", "a", "_inline"))
_TEXT_BETWEEN_TAGS = re.compile(r"(?<=>)[^<]+")
_MARKDOWN_AS_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "[]`*_\\!"}
# An attribute as htmltree.to_html writes it: its name, and its value in double quotes or (when it
# holds a double quote and no single one) in single quotes.
_ATTRIBUTE = re.compile(r"""(\s[^\s="'<>/]+=)(?:"([^"]*)"|'([^']*)')""")
# A line break in a value would let the line after it start a block of its own ("# x {: onclick=…}",
# a heading with attributes): as a reference, it stays the value's.
_LINE_BREAKS_AS_ENTITIES = {ord("\n"): "&#10;", ord("\r"): "&#13;"}
_VALUE_AS_ENTITIES = {**_MARKDOWN_AS_ENTITIES, **_LINE_BREAKS_AS_ENTITIES}
# In an address only brackets are written as references, which are all a link or a picture needs:
# the addresses are looked for as written, to be pointed at the new pages and the downloaded files.
_ADDRESS_AS_ENTITIES = {ord("["): "&#91;", ord("]"): "&#93;", **_LINE_BREAKS_AS_ENTITIES}
# Python-Markdown's block-level tags: raw HTML in any other (audio, source, img) it reads as Markdown
# even at the top level.
_MARKDOWN_BLOCKS = frozenset(
    "address article aside blockquote body canvas center colgroup dd details div dl dt fieldset figcaption figure "
    "footer form group h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li main map math menu nav noscript "
    "object ol option output p pre progress script section style summary table tbody td textarea tfoot th thead "
    "tr ul video".split())


def _as_entities(match: re.Match) -> str:
    return match.group().translate(_MARKDOWN_AS_ENTITIES)


def _attribute_as_entities(match: re.Match) -> str:
    name, double, single = match.groups()
    table = _ADDRESS_AS_ENTITIES if name[1:-1] in _URL_ATTRIBUTES else _VALUE_AS_ENTITIES
    if double is not None:
        return f'{name}"{double.translate(table)}"'
    return f"{name}'{single.translate(table)}'"


_EMBED_QUOTE_CLASSES = {"twitter-tweet", "instagram-media", "tiktok-embed", "twitter-video", "bluesky-embed",
                        "mastodon-embed", "wp-embedded-content"}


class WordPressConverter:
    """Markdown for WordPress markup. convert_post() converts one post; the footnote numbers start
    again with each, so an instance serves any number of posts (one thread at a time)."""

    def __init__(self):
        self.footnotes: dict[str, int] = {}
        self.targets: set[str] = set()
        self._converters: dict[str, object] = {}

    def convert_post(self, root) -> str:
        self.footnotes = {}
        self.targets = fragment_targets(root)
        return self.process_tag(root, set())

    def _anchor(self, node, name: str, parent_tags) -> str:
        """An empty <a id> for an element a link of the post points to (href="#x"): Markdown has no
        ids, and the link would lead nowhere. Once per id; none in WordPress's footnotes ([^n] instead)."""
        ident = node.get("id")
        if ident not in self.targets and name == "a":
            ident = node.get("name")  # the old way to name an anchor
        if ident not in self.targets or "_fn" in parent_tags or "_noformat" in parent_tags:
            return ""
        self.targets.discard(ident)
        return f'<a id="{_attribute_value(ident)}"></a>'

    def _converter(self, name: str):
        """The convert_<name> method for a tag name, or None: headings of any level go to convert_hN."""
        try:
            return self._converters[name]
        except KeyError:
            pass
        method = getattr(self, "convert_" + _METHOD_NAME.sub("_", name), None) if name in _CONVERTED else None
        heading = _HEADING_NAME.match(name)
        if method is None and heading:
            level = int(heading.group(1))
            method = lambda el, text, parent_tags: self.convert_hN(level, el, text, parent_tags)  # noqa: E731
        self._converters[name] = method
        return method

    # --- traversal ----------------------------------------------------------------------------

    def process_tag(self, node, parent_tags: set, name: str | None = None) -> str:
        """The Markdown of node (whose tag is name, when the caller has read it already): its
        children's joined, then its own conversion.

        Whitespace-only text is dropped at the edges of blocks and next to them, newlines between
        children collapse to at most two, and nothing is collapsed inside <pre>.
        """
        if name is None:
            name = node.tag
        anchor = self._anchor(node, name, parent_tags) if self.targets else ""
        if name in _MAYBE_KEPT_AS_HTML and kept_as_html(node):
            # its children are not converted: what they would do to the tree (Markdown escapes in
            # addresses and alt text) must not show in the HTML
            return (f"\n\n{anchor}" if anchor else "") + raw_block(node, parent_tags)
        inner_tags = parent_tags | {name}
        if name in _INLINE_CONTEXT:
            inner_tags.add("_inline")
        if name in _NOFORMAT_CONTEXT:
            inner_tags.add("_noformat")
        trim_inside = name in _WHITESPACE_BLOCKS
        items, tags = children_and_tags(node)  # the text between elements asks for its neighbours' tags
        last = len(items) - 1
        pieces = []
        for index, child in enumerate(items):
            tag = tags[index]
            if tag is None:
                prev_tag = tags[index - 1] if index else None
                after_tag = tags[index + 1] if index < last else None
                if not child.strip() and (trim_inside and (index == 0 or index == last)
                                          or prev_tag in _BLOCKISH or after_tag in _BLOCKISH):
                    continue  # whitespace at a block's edges, or next to a block
                piece = self.process_text(child, items, index, node, inner_tags, name, prev_tag, after_tag)
            else:
                # an empty block still parts the words on either side, whose spaces next to it were dropped
                piece = self.process_tag(child, inner_tags, tag) or (" " if tag in _BLOCKISH else "")
            if piece:
                pieces.append(piece)
        if len(pieces) == 1:
            text = pieces[0]  # one child, the usual case: nothing to join
        elif name == "pre" or "pre" in parent_tags:
            text = "".join(pieces)
        else:
            text = _join_collapsing_newlines(pieces)
        if anchor and name in _ANCHOR_INSIDE:
            text, anchor = anchor + text.lstrip(), ""
        convert = self._converter(name)
        if convert is None:
            result = text
        elif name in _INLINE_MARKUP and "\n\n" in text and _RAW_BLOCK_INSIDE.search(text) \
                and not footnote_target(node):
            # inline markup around a block kept as HTML would end up on the block's last line, and
            # Python-Markdown passes the rest of that line through as HTML (a code span's "<script>" too):
            # the block keeps its own lines, the markup goes
            result = text
        else:
            result = convert(node, text, parent_tags)
        if anchor:  # before a block on a line of its own, else just before the element's text
            return (f"\n\n{anchor}\n\n" if name in _BLOCKISH else anchor) + result
        return result

    # --- text ---------------------------------------------------------------------------------

    @staticmethod
    def escape(text: str, parent_tags) -> str:
        if not text:
            return ""
        # eight searches for one character each take a third of the time of one character-class search
        if "\\" in text or "`" in text or "*" in text or "_" in text or "<" in text or "&" in text \
                or "{" in text or "[" in text:
            text = _ESCAPE_CHARS.sub(_escape_one, text)
        if not parent_tags.isdisjoint(_CELLS):
            text = text.replace("|", "\\|")  # a pipe in a table cell would end the cell
        if "a" in parent_tags and "]" in text:
            text = _UNESCAPED_CLOSING_BRACKET.sub(r"\1\\]", text)  # it would end the link's text
        return text

    def process_text(self, text: str, items: list, index: int, parent, parent_tags, parent_name: str,
                     prev_tag: str | None, after_tag: str | None) -> str:
        """A string among its parent's items: white space folded outside <pre>, Markdown escaped,
        trimmed next to blocks, and a line-start marker escaped where the text starts a line.
        prev_tag and after_tag: the tags of the items either side (None for a string or nothing)."""
        if "pre" not in parent_tags:
            if "\n" in text or "\r" in text:
                text = _NEWLINE_SPACE.sub("\n", text)
            if "\t" in text or "  " in text:
                text = _SPACE_RUN.sub(" ", text)
        inside_block = parent_name in _WHITESPACE_BLOCKS
        ends_line = after_tag in _BLOCKISH or (inside_block and index == len(items) - 1)
        if "_noformat" not in parent_tags:
            # at a line's end nothing can follow a bracket and make it a link: a plain end stands in
            text = self.escape(text + _PLAIN_END, parent_tags)[:-1] if ends_line else self.escape(text, parent_tags)
        if prev_tag in _BLOCKISH or (inside_block and index == 0):
            text = text.lstrip(" \t\r\n")
        if ends_line:
            text = text.rstrip()
        if text and prev_tag == "br" and "pre" not in parent_tags:
            text = text.lstrip(" ")  # the line break already separates the words
        if text and _may_open_block(text) and "_noformat" not in parent_tags \
                and parent_tags.isdisjoint(_HEADINGS) and _starts_line(items, index, parent):
            text = _LINE_START.sub(_escape_line_start, text, count=1)
        return text

    # --- headings and blocks ------------------------------------------------------------------

    def convert_hN(self, n, el, text, parent_tags):
        text = _CLOSING_HASHES.sub(lambda m: "\\#" * len(m.group()), text.rstrip())
        if "_inline" in parent_tags:
            return text
        text = _BLANKS.sub(" ", text.strip())
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_p(self, el, text, parent_tags):
        return _block(text.strip(" \t\r\n"), parent_tags)

    def convert_div(self, el, text, parent_tags):
        return _block(text.strip(), parent_tags)

    convert_article = convert_div
    convert_section = convert_div
    convert_dl = convert_div

    def convert_dt(self, el, text, parent_tags):
        return _block(_BLANKS.sub(" ", text.strip()), parent_tags, after="\n", empty="\n")

    def convert_dd(self, el, text, parent_tags):
        text = text.strip()
        if "_inline" in parent_tags:
            return f" {text} "
        if not text:
            return "\n"
        text = _prefix_lines(text, "    ", "")
        return ":" + text[1:] + "\n"

    def convert_hr(self, el, text, parent_tags):
        return "\n\n---\n\n"

    def convert_br(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return text + " " if text else " "
        return "  \n" + text

    def convert_pre(self, el, text, parent_tags):
        code = _code_text(el)
        if not code.strip():
            return ""
        language = code_language(el)
        fence = "`" * max(3, 1 + max((len(m) for m in _BACKTICKS.findall(code)), default=0))
        if parent_tags & {"li", "blockquote", "td", "th"}:
            # fenced blocks only work at the top level in Python-Markdown: indent instead, and name
            # the language the way CodeHilite reads it in an indented block
            lines = ([f":::{language}"] if language else []) + code.split("\n")
            return "\n\n" + "\n".join("    " + line for line in lines) + "\n\n"
        return f"\n\n{fence}{language}\n{code}\n{fence}\n\n"

    def convert_code(self, el, text, parent_tags):
        if "pre" in parent_tags:
            return text
        if "_noformat" not in parent_tags and next(el.iterdescendants("img", "a"), None) is not None:
            return self._code_around(el, parent_tags)
        return _code_span(_inline_code_text(el))

    def _code_around(self, el, parent_tags) -> str:
        """Inline code holding pictures or links: a code span holds text only, so the words around
        each are spans of their own, and a link's words a span inside the link (API docs link
        function names: <code><a href=…>foo()</a></code> is [`foo()`](…))."""
        pieces: list = [""]
        _code_pieces(el, pieces, links="a" not in parent_tags)
        done = []
        for piece in pieces:
            if piece.__class__ is str:
                done.append(_spaced_code_span(piece))
            elif piece.tag == "img":
                done.append(self.convert_img(piece, "", parent_tags))
            else:
                done.append(self.convert_a(piece, self._code_around(piece, parent_tags | {"a"}), parent_tags))
        return "".join(done)

    convert_kbd = convert_code
    convert_samp = convert_code

    def convert_blockquote(self, el, text, parent_tags):
        text = _LEADING_BLANK_LINES.sub("", text or "").rstrip()
        if "_inline" in parent_tags:
            return " " + text.strip(" \t\r\n") + " "
        if not text.strip(" \t\r\n"):
            return "\n"
        # each line quoted, the first line's indentation kept (it may make a code block)
        quoted = _prefix_lines(text, "> ", ">")
        # two quotes one after the other: Python-Markdown reads them as one (CommonMark does not)
        between = _SEPARATOR if _follows_one_of(el, ("blockquote",)) else ""
        # a blank line before: in a list item, "> " right under the item's text is read as more of that text
        return f"\n\n{between}{quoted}\n\n"

    def convert_cite(self, el, text, parent_tags):
        parent = el.getparent()
        if "blockquote" in parent_tags and parent is not None and parent.tag == "blockquote":
            return f"\n\n<cite>{text.strip()}</cite>\n\n"
        return text

    def convert_figure(self, el, text, parent_tags):
        return text if text.startswith("\n") else f"\n\n{text.strip()}\n\n"

    def convert_figcaption(self, el, text, parent_tags):
        return f"\n\n{text.strip()}\n\n"

    def convert_q(self, el, text, parent_tags):
        return f'"{text}"'

    def convert_script(self, el, text, parent_tags):
        return ""

    convert_style = convert_script

    # --- lists --------------------------------------------------------------------------------

    def convert_ul(self, el, text, parent_tags):
        if "li" in parent_tags:
            return "\n" + text.rstrip()  # a nested list: no newline after it
        following = next((item for item in items_after(el) if item.__class__ is not str or item.strip()), None)
        before_paragraph = following is not None and getattr(following, "tag", None) not in ("ul", "ol")
        # two lists one after the other would be read as one (the second's numbering and kind lost): an
        # HTML comment between them ends the first, in Python-Markdown and CommonMark alike
        between = _SEPARATOR if _follows_one_of(el, ("ul", "ol")) else ""
        return "\n\n" + between + text + ("\n" if before_paragraph else "")

    def convert_ol(self, el, text, parent_tags):
        if "wp-block-footnotes" in classes(el):
            return self._footnote_definitions(el, parent_tags)
        return self.convert_ul(el, text, parent_tags)

    def convert_li(self, el, text, parent_tags):
        if "_fn" in parent_tags:
            return text
        text = text.strip()
        if not text:
            return "\n"
        parent = el.getparent()
        if parent is not None and parent.tag == "ol":
            start = parent.get("start")
            first = int(start) if start and start.isdecimal() else 1
            bullet = f"{first + sum(1 for node in el.itersiblings('li', preceding=True))}. "
        else:
            bullet = "- "
        width = len(bullet)
        # Python-Markdown nests blocks in a list item only when indented by four spaces
        indent = " " * max(LIST_INDENT, width)
        item = bullet + _prefix_lines(text, indent, "")[len(indent):]
        item += "\n"
        if "\n\n" in item.strip():
            # an item of several blocks ends with a blank line, or the next bullet joins its paragraph
            item = item.rstrip("\n") + "\n\n"
        return item

    def _footnote_definitions(self, el, parent_tags):
        lines = []
        for item in child_elements(el):
            if item.tag != "li":
                continue
            number = self.footnotes.setdefault(item.get("id", ""), len(self.footnotes) + 1)
            for back in [node for node in item.iterdescendants("a") if node.get("href") is not None]:
                if back.get("href").startswith("#") and "".join(t.strip() for t in back.itertext()) in (
                        "↩︎", "↩", "↑", "^"):
                    remove(back)
            body = self.process_tag(item, parent_tags | {"_fn"}).strip()
            body = re.sub(r"^\s*-\s*", "", body).replace("\n", "\n    ")
            lines.append(f"[^{number}]: {body}")
        return "\n\n" + "\n".join(lines) + "\n\n"

    # --- tables -------------------------------------------------------------------------------

    def convert_table(self, el, text, parent_tags):
        return "\n\n" + text.strip() + "\n\n"

    def convert_caption(self, el, text, parent_tags):
        return text.strip() + "\n\n"

    def convert_td(self, el, text, parent_tags):
        if "table" not in parent_tags:
            return _stray_cell(text)
        span = el.get("colspan")
        columns = max(1, min(1000, int(span))) if span and span.isdigit() else 1
        return " " + text.strip().replace("\n", " ") + " |" * columns

    convert_th = convert_td

    def convert_tr(self, el, text, parent_tags):
        """A row of a pipe table (only tables is_simple_table accepts get here: no spans, a header
        row of <th> first), with the header's rule under it, or an empty header above a table
        that has none."""
        if "table" not in parent_tags:
            return _stray_cell(text)  # rows apart are blocks apart: "a</tr><tr>b" is not "ab"
        row = f"|{text}\n"
        if previous_element(el) is not None:
            return row  # not the first row: nothing above or below it
        cells = _row_cells(el)
        rule = f"| {' | '.join(['---'] * len(cells))} |\n"
        parent = el.getparent()
        if all(cell.tag == "th" for cell in cells) or (
                parent.tag == "thead" and sum(1 for r in child_elements(parent) if r.tag == "tr") == 1):
            return row + rule
        if parent.tag != "tbody" or not _holds(parent.getparent(), ("thead",)) or previous_element(parent) is None:
            return f"| {' | '.join([''] * len(cells))} |\n" + rule + row  # a table without a header row
        return row

    # --- inline -------------------------------------------------------------------------------

    def convert_sup(self, el, text, parent_tags):
        target = footnote_target(el)
        if target:
            number = self.footnotes.setdefault(target, len(self.footnotes) + 1)
            return f"[^{number}]"
        return _wrap_inline(text, parent_tags, "<sup>", "</sup>")

    def convert_sub(self, el, text, parent_tags):
        return _wrap_inline(text, parent_tags, "<sub>", "</sub>")

    def convert_strong(self, el, text, parent_tags):
        return _wrap_inline(text, parent_tags, "**", "**")

    def convert_em(self, el, text, parent_tags):
        return _wrap_inline(text, parent_tags, "*", "*")

    def convert_del(self, el, text, parent_tags):
        # as HTML: Python-Markdown (Pelican's reader) has no ~~strikethrough~~, and would show the tildes
        return _wrap_inline(text, parent_tags, "<del>", "</del>")

    def convert_s(self, el, text, parent_tags):
        return _wrap_inline(text, parent_tags, "<s>", "</s>")

    def convert_u(self, el, text, parent_tags):
        return _wrap_inline(text, parent_tags, "<u>", "</u>")

    def convert_mark(self, el, text, parent_tags):
        # the block editor's text colour is a <mark> with a transparent background: the colour is
        # the old theme's, the words are not highlighted
        if "has-inline-color" in (el.get("class") or "") and _TRANSPARENT.search(el.get("style") or ""):
            return text
        return _wrap_inline(text, parent_tags, "<mark>", "</mark>")

    def convert_abbr(self, el, text, parent_tags):
        title = _one_line(el.get("title") or "")
        if not title or "_noformat" in parent_tags:
            return text
        return _wrap_inline(text, parent_tags, f'<abbr title="{_attribute_value(title)}">', "</abbr>")

    def convert_span(self, el, text, parent_tags):
        # the classic editor's underline (and its U button until WordPress 4.7)
        style = el.get("style")
        if style and "underline" in style and _UNDERLINE.search(style):
            return self.convert_u(el, text, parent_tags)
        return text

    convert_b = convert_strong
    convert_i = convert_em

    def convert_img(self, el, text, parent_tags):
        src = _lazy_source(el) or el.get("src")
        if unsafe_url_scheme(src or "", image=True):
            src = None
        src = markdown_url(src.strip()) if src else ""
        title = _one_line(el.get("title") or "")
        alt = markdown_alt(el.get("alt") or "")
        if "_inline" in parent_tags and not src:
            return alt  # a heading's or a cell's picture with no address: its words
        return _entity_quoted_title(f"![{alt}]({src}{_title_part(title)})", title)

    def convert_a(self, el, text, parent_tags):
        href = el.get("href")
        if unsafe_url_scheme(href or ""):
            href = None  # the words stay; a script address is no link
        href = markdown_url(href.strip()) if href else href
        title = _one_line(el.get("title") or "")
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = _chomp(text)
        if not text:
            return ""
        # <address> when the text is the address; Python-Markdown reads that as a link only for a
        # web address or an e-mail address, and as raw HTML otherwise: <img/src=x/onerror=…>
        if href and _AUTOLINK.match(href) and text.replace(r"\_", "_") == href and not title:
            return f"<{href}>"
        if not href:
            return text
        return _entity_quoted_title(f"{prefix}[{text}]({href}{_title_part(title)}){suffix}", title)


_METHOD_NAME = re.compile(r"[\[\]:-]")
# Runs of ASCII white space, which a heading's or a term's line folds into one space (a no-break space stays).
_BLANKS = re.compile(r"[\t \r\n]+")
_HEADING_NAME = re.compile(r"h(\d+)")
_CONVERTED = frozenset(name[len("convert_"):] for name in dir(WordPressConverter)
                       if name.startswith("convert_") and name not in ("convert_post", "convert_hN"))


def _block(text: str, parent_tags, after: str = "\n\n", empty: str = "") -> str:
    """A block's stripped text on lines of its own, or between spaces where only a line can be
    (a heading, a table cell)."""
    if "_inline" in parent_tags:
        return f" {text} "
    return f"\n\n{text}{after}" if text else empty


def _chomp(text: str) -> tuple[str, str, str]:
    """Inline markup's text without its edge spaces, and a space for each edge that had one
    (<b> foo</b> is " **foo**", not "** foo**")."""
    prefix = " " if text and text[0] == " " else ""
    suffix = " " if text and text[-1] == " " else ""
    return prefix, suffix, text.strip()


def _wrap_inline(text: str, parent_tags, opening: str, closing: str) -> str:
    if "_noformat" in parent_tags:
        return text
    prefix, suffix, text = _chomp(text)
    return f"{prefix}{opening}{text}{closing}{suffix}" if text else ""


def _title_part(title: str) -> str:
    return ' "%s"' % title.replace('"', r"\"") if title else ""


# Elements around whose edges markdownify drops whitespace-only text (and <pre>, outside it).
_WHITESPACE_BLOCKS = frozenset("p blockquote article div section ol ul li dl dt dd table thead tbody tfoot tr td th "
                               "h1 h2 h3 h4 h5 h6".split())
_INLINE_CONTEXT = frozenset("h1 h2 h3 h4 h5 h6 td th".split())
_NOFORMAT_CONTEXT = frozenset(("pre", "code", "kbd", "samp"))
# A character no escape acts on, put after text that ends a line while escaping it.
_PLAIN_END = "\x00"
# markdownify's white space folding: a line break with the blanks around it, and runs of blanks.
_NEWLINE_SPACE = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_SPACE_RUN = re.compile(r"[\t ]+")


_BLOCKISH = _WHITESPACE_BLOCKS | {"pre", "hr"}
# Elements whose own text an anchor for their id starts; before any other, the anchor stands on its own.
_ANCHOR_INSIDE = _HEADINGS | {"p", "li", "dt", "dd", "td", "th"}


def _join_collapsing_newlines(pieces: list[str]) -> str:
    """Join converted children; where one ends and the next starts with newlines, keep the longer run (max 2)."""
    if len(pieces) < 2:
        return pieces[0] if pieces else ""  # one child, the usual case: nothing between children to collapse
    for index in range(1, len(pieces)):
        if pieces[index][0] == "\n":
            break
    else:
        return "".join(pieces)  # no child starts with a newline: nothing to collapse
    out: list[str] = []
    trailing = 0  # newlines ending the piece before, unless it was nothing but newlines
    for piece in pieces:
        body = piece
        if piece and piece[0] == "\n":  # only then is there a run to collapse, or to copy the piece for
            body = piece.lstrip("\n")
            if trailing:
                out[-1] = out[-1][: len(out[-1]) - trailing]
                piece = ("\n\n" if trailing > 1 or len(piece) - len(body) > 1 else "\n") + body
        # body never starts with a newline, so a body that ends with one is not all newlines
        trailing = len(body) - len(body.rstrip("\n")) if body and body[-1] == "\n" else 0
        out.append(piece)
    return "".join(out)


def _prefix_lines(text: str, prefix: str, empty: str) -> str:
    """Every line of text with prefix before it; an empty line becomes empty."""
    return "\n".join(prefix + line if line else empty for line in text.split("\n"))


def _may_open_block(text: str) -> bool:
    """Whether _LINE_START can match: the first character after white space is a marker or a digit
    (any script's: Python-Markdown's \\d reads "١. " as a list item too)."""
    first = text.lstrip()[:1]
    return first in _LINE_START_CHARACTERS or first.isdecimal()


def _escape_one(match: re.Match) -> str:
    kind = match.lastgroup
    if kind == "lt":
        return "&lt;"
    if kind == "amp":
        return "&amp;"
    return "".join("\\" + char for char in match.group())


def _escape_line_start(match: re.Match) -> str:
    lead, marker, digits, dot = match.group(1), match.group(2), match.group(3), match.group(4)
    if digits:
        return f"{lead}{digits}\\{dot}"
    if marker[0] in _UNESCAPABLE_MARKERS:
        return f"{lead}{_UNESCAPABLE_MARKERS[marker[0]]}{marker[1:]}"
    return f"{lead}\\{marker}"


def markdown_url(url: str) -> str:
    """An address as it can stand between the parentheses of a Markdown link or image."""
    return _URL_SPECIAL.sub(_url_character, url) if _URL_SPECIAL.search(url) else url


def _url_character(match: re.Match) -> str:
    char = match.group()
    return "\\" + char if char in "()\\" else quote(char, safe="")


def markdown_alt(alt: str) -> str:
    """Alt text as it can stand between the brackets of a Markdown image, on one line."""
    return _ALT_SPECIAL.sub(lambda m: _ALT_ESCAPES.get(m.group()) or "\\" + m.group(), _one_line(alt))


def _stray_cell(text: str) -> str:
    """A table cell outside any table (a scraper's leftover) as a block of its own: as a cell, its lines
    would be joined into one, a code block's with them."""
    return "\n\n" + _LEADING_BLANK_LINES.sub("", text).rstrip() + "\n\n"


def _attribute_value(value: str) -> str:
    """value in double quotes' HTML written into Markdown's text: what Python-Markdown would read as
    Markdown there ("[x](y)" a link, whose own quotes would end the value) as character references."""
    return escape_text(value).replace('"', "&quot;").translate(_VALUE_AS_ENTITIES)


def _one_line(text: str) -> str:
    return _WHITE_SPACE_RUN.sub(" ", text).strip()


def _entity_quoted_title(markdown: str, title: str) -> str:
    """A quote in a title written as \\" is kept by Python-Markdown, backslash and all: &quot; instead."""
    if '"' not in title:
        return markdown
    return markdown.replace(' "%s")' % title.replace('"', r'\"'), ' "%s")' % title.replace('"', "&quot;"))


def _starts_line(items: list, index: int, parent) -> bool:
    """Whether items[index], a string of parent's, starts a line of the Markdown."""
    prev = _previous_output(reversed(items[:index]))
    if prev is None:
        # text that opens a block starts a line; text that opens an inline element may too
        while parent is not None and parent.tag in ("span", "strong", "b", "em", "i", "a", "font"):
            if _previous_output(items_before(parent)) is not None:
                return False
            parent = parent.getparent()
        return True
    # after a line break or a block (a rule, a figure), the text starts a line; when in doubt, it does:
    # a needless escape reads the same
    return prev.__class__ is not str and prev.tag not in INLINE_ELEMENTS


# Elements that put something in the Markdown with no text of their own.
_SHOWN_WITHOUT_TEXT = ("img", "br", "hr", "iframe", "video", "audio", "object", "embed", "table")


def _previous_output(before):
    """Of the items before something (nearest first), the nearest that puts something in the Markdown:
    not blank text, not an empty element (an empty <span> before "1. " leaves the number at the start
    of the line)."""
    for prev in before:
        if prev.__class__ is str:
            if prev.strip():
                return prev
        elif prev.tag in _SHOWN_WITHOUT_TEXT or _opens_with_text(prev) or text_of(prev).strip() \
                or next(prev.iterdescendants(*_SHOWN_WITHOUT_TEXT), None) is not None:
            return prev
    return None


def _opens_with_text(tag) -> bool:
    """A quick yes for the usual case, an element whose first child is words (a link, a bold phrase)."""
    first = tag.text
    return bool(first) and not first.isspace()


def _code_text(pre) -> str:
    """The code as its author wrote it: entities decoded, markup around it dropped."""
    # the visual editor writes line breaks in code as <br>, which the text alone would lose
    pieces: list[str] = []
    _text_pieces(pre, pieces, ("br",))
    code = "".join(pieces)
    first = children(pre)[:1]
    if first and first[0].__class__ is str and first[0].startswith("\n"):
        code = code[1:]  # HTML ignores a newline right after <pre>, not one after <pre><code>
    if code.endswith("\n"):  # the closing fence's line ends it
        code = code[:-1]
    return code


def _code_span(text: str) -> str:
    # a code span holds one line: a line break in it could start a heading or end the paragraph,
    # and leave its closing backticks and whatever follows to be read as Markdown
    code = _LINE_BREAKS.sub(" ", text)
    if not code.strip(" "):
        return code  # spaces between pictures stay spaces; a span of nothing is nothing
    ticks = "`" * (1 + max((len(m) for m in _BACKTICKS.findall(code)), default=0))
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _spaced_code_span(text: str) -> str:
    """A code span beside a picture or a link: the white space at its ends goes outside it, where it
    parts the span from them (Python-Markdown drops it inside); a line break or a tab as a space, a
    no-break space as itself."""
    words = text.strip(_SPACES_AROUND_CODE)
    if not words:
        return _LINE_BREAKS.sub(" ", text)
    before = text[:len(text) - len(text.lstrip(_SPACES_AROUND_CODE))]
    after = text[len(text.rstrip(_SPACES_AROUND_CODE)):]
    return _LINE_BREAKS.sub(" ", before) + _code_span(words) + _LINE_BREAKS.sub(" ", after)


_SPACES_AROUND_CODE = " \t\n\r\f\xa0"


def _code_pieces(element, pieces: list, links: bool) -> None:
    """Inline code's text, pictures and (when links) links in document order: runs of text, each
    <img> and <a href> between them."""
    for item in children(element):
        if item.__class__ is str:
            pieces[-1] += item
        elif item.tag == "img" or (links and item.tag == "a" and item.get("href")):
            pieces.extend((item, ""))
        else:
            if item.tag in _BREAKS_IN_CODE:
                pieces[-1] += "\n"
            _code_pieces(item, pieces, links)


def _inline_code_text(code) -> str:
    """The text of inline code, with a line break where a block or <br> inside it parts its words."""
    pieces: list[str] = []
    _text_pieces(code, pieces, _BREAKS_IN_CODE)
    return "".join(pieces)


_BREAKS_IN_CODE = _WHITESPACE_BLOCKS | {"br", "pre"}


def _text_pieces(element, pieces: list[str], breaks) -> None:
    """element's text in document order into pieces, with a newline for each element named in breaks."""
    for item in children(element):
        if item.__class__ is str:
            pieces.append(item)
            continue
        if item.tag in breaks:
            pieces.append("\n")
        _text_pieces(item, pieces, breaks)


def code_language(pre) -> str:
    code = next(pre.iterdescendants("code"), None)
    for tag in [pre] if code is None else [pre, code]:
        for cls in classes(tag):
            match = _LANG_CLASS.match(cls)
            if match:
                return match.group(1)
        brush = _BRUSH.search(" ".join(classes(tag)))
        if brush:
            return brush.group(1)
        if tag.get("lang") and re.fullmatch(r"[\w+#.-]+", tag.get("lang")):
            return tag.get("lang")
        if tag.get("data-lang") and re.fullmatch(r"[\w+#.-]+", tag.get("data-lang")):
            return tag.get("data-lang")
    return ""


def fragment_targets(root) -> set[str]:
    """The ids the post's own links point to: the x of every href="#x"."""
    targets = set()
    for link in root.iter("a"):
        href = link.get("href")
        if href and href[0] == "#" and len(href) > 1:
            targets.add(unquote(href[1:]))
    return targets


def footnote_target(sup) -> str:
    """The id of the footnote a WordPress footnote marker points to, or ''."""
    if not (sup.get("data-fn") is not None or "fn" in classes(sup)):
        return ""
    # the first link that is one: a script address is no link (convert_a writes its words only)
    link = next((node for node in sup.iterdescendants("a")
                 if node.get("href") is not None and not unsafe_url_scheme(node.get("href"))), None)
    if link is None or not link.get("href").startswith("#"):
        return sup.get("data-fn", "")
    return link.get("href")[1:]


def _row_cells(row) -> list:
    """The cells of a table row: its <td> and <th> children."""
    return [cell for cell in child_elements(row) if cell.tag in ("td", "th")]


def _is_embed_quote(el) -> bool:
    return bool(_EMBED_QUOTE_CLASSES.intersection(classes(el)))


# Elements that may stay HTML, and the test for each: embeds always; a table a pipe table cannot
# hold; a figure with a caption or figures inside; a quote that is a social media embed.
_ALWAYS_HTML = frozenset(("iframe", "video", "audio", "object", "details"))
_MAYBE_KEPT_AS_HTML = _ALWAYS_HTML | {"table", "figure", "blockquote", "pre"}


def _follows_one_of(el, names: tuple[str, ...]) -> bool:
    """Whether an element of one of these names comes right before el, with nothing that shows in
    between (white space, empty paragraphs and spacers)."""
    for item in items_before(el):
        if item.__class__ is str:
            if item.strip():
                return False
        elif item.tag in names:
            return True
        elif item.tag not in ("p", "div", "br", "span") or text_of(item).strip() \
                or next(item.iterdescendants("img", "iframe", "video", "audio", "hr", "table"), None) is not None:
            return False
    return False


def kept_as_html(el) -> bool:
    name = el.tag
    if name in _ALWAYS_HTML:
        return True
    if name == "table":
        return not is_simple_table(el)
    if name == "figure":
        return "gallery" in classes(el) or _holds(el, ("figcaption", "figure"))
    if name == "pre":  # a code block would keep a link's text and lose where it points, and lose pictures
        return any(a.get("href") for a in el.iterdescendants("a")) or _holds(el, ("img",))
    return name == "blockquote" and _is_embed_quote(el)


def _holds(el, names: tuple[str, ...]) -> bool:
    """True when an element of one of these names is inside el."""
    return next(el.iterdescendants(*names), None) is not None  # lxml matches the names in C


_BLOCKS_IN_CELLS = ("p", "ul", "ol", "br", "pre", "blockquote", "div", "figure", "table", "img", "hr")


def is_simple_table(table) -> bool:
    """A table a pipe table can hold: a header row first, no spans, one line of text per cell."""
    rows = list(table.iterdescendants("tr"))
    if not rows or _holds(table, ("table",)):
        return False
    first = _row_cells(rows[0])
    if not first or any(cell.tag != "th" for cell in first):
        return False
    width = len(first)
    for row in rows:
        cells = _row_cells(row)
        if len(cells) != width:
            return False
        for cell in cells:
            if cell.get("colspan") not in (None, "1") or cell.get("rowspan") not in (None, "1"):
                return False
            if _holds(cell, _BLOCKS_IN_CELLS):
                return False
    return True


def kept_attributes(tag) -> list[tuple[str, str]]:
    """The attributes HTML that stays HTML keeps: no editor or theme clutter, no script address; a
    lazy-load plugin's placeholder in an image's src gives way to the image it stood in for."""
    name = tag.tag
    keep = _KEEP_ATTRS.get(name)
    if keep is None:
        keep = _CLASS_ONLY if name in _CLASS_KEPT else ()
    kept = [(key, value) for key, value in tag.items()
            if key in keep and not _is_script_address(name, key, value)]
    if name == "iframe" and not (tag.get("title") or "").strip():
        kept = [(key, value) for key, value in kept if key != "title"]
        kept.append(("title", _frame_title(tag)))
    lazy = _lazy_source(tag) if name == "img" else None
    if lazy:
        kept = [(key, value) for key, value in kept if key != "src"]
        if not _is_script_address(name, "src", lazy):
            kept.append(("src", lazy))
    return kept


def _frame_title(iframe) -> str:
    """A name for a frame that has none, which a screen reader announces it by: its embed's caption,
    else the site it shows."""
    figure = next(iframe.iterancestors("figure"), None)
    caption = next(figure.iterdescendants("figcaption"), None) if figure is not None else None
    words = " ".join(text_of(caption).split()) if caption is not None else ""
    if words:
        return words if len(words) <= 120 else words[:119].rstrip() + "…"
    host = (split_url(iframe.get("src") or "").hostname or "").removeprefix("www.")
    return f"Embedded content from {host}" if host else "Embedded content"


_CLASS_ONLY = ("class",)
_CLASS_KEPT = frozenset(("figure", "blockquote", "div"))


def _lazy_source(img) -> str | None:
    """The address a lazy-load plugin keeps in data-src when src holds only its placeholder (nothing,
    or a data: image); None when src is the image."""
    lazy = img.get("data-src") or img.get("data-lazy-src")
    return lazy if lazy and not _LOADED_SRC.match(img.get("src", "")) else None


def _is_script_address(tag: str, name: str, value: str) -> bool:
    """Whether the value of attribute name of a tag element holds an address that runs a script."""
    if name not in _URL_ATTRIBUTES:
        return False
    image = tag in ("img", "source") and name != "href"
    urls = [url for url, _ in srcset_candidates(value)] if name == "srcset" else [value]
    return any(unsafe_url_scheme(url, image=image) for url in urls)


def raw_block(el, parent_tags=frozenset()) -> str:
    """An element kept as HTML, on lines of its own so Markdown passes it through."""
    html = to_html(el, kept_attributes).strip()
    nested = parent_tags & _NESTING
    if nested or el.tag not in _MARKDOWN_BLOCKS:
        # Python-Markdown passes HTML through untouched only at the top level, and only a block of its
        # own tags: elsewhere it reads the text between the tags as Markdown, where "[x](y)" would be
        # a link; in an attribute's value too, where the link's own quotes would end the value and
        # start attributes of their own
        html = _ATTRIBUTE.sub(_attribute_as_entities, _TEXT_BETWEEN_TAGS.sub(_as_entities, html))
    # a blank line inside an HTML block would end it early in Markdown; a <pre> at the top level runs to
    # its closing tag (Python-Markdown, CommonMark), and its blank lines are the author's
    if "\n" in html and (nested or el.tag != "pre"):
        html = _without_blank_lines(html)
    return f"\n\n{html}\n\n"


def _without_blank_lines(html: str) -> str:
    """HTML with no blank line, which would end it in Markdown. Outside <pre> they go; inside one (code
    in a details block or a table) each stays, written as a character reference a browser shows as a
    line break."""
    if "<pre" not in html:
        return _BLANK_LINES_IN_HTML.sub("\n", html)
    pieces = _PRE_ELEMENT.split(html)  # odd pieces are <pre> elements
    return "".join(_LINE_BEFORE_BLANK.sub("&#10;", piece) if index % 2 else _BLANK_LINES_IN_HTML.sub("\n", piece)
                   for index, piece in enumerate(pieces))


_BLANK_LINES_IN_HTML = re.compile(r"\n\s*\n")
_PRE_ELEMENT = re.compile(r"(<pre\b[\s\S]*?</pre>)")
_LINE_BEFORE_BLANK = re.compile(r"\n(?=[ \t]*\n)")
# Between two lists or two quotes that Markdown would read as one: an HTML comment ends the first, in
# Python-Markdown and CommonMark alike.
_SEPARATOR = "<!-- -->\n\n"
_PER_THREAD = threading.local()


def to_markdown(root) -> str:
    """The Markdown of a cleaned post body."""
    converter = getattr(_PER_THREAD, "converter", None)
    if converter is None:
        # one per thread, made once: building one looks up every option and conversion method again
        converter = _PER_THREAD.converter = WordPressConverter()
    text = converter.convert_post(root)
    pieces, done = [], 0
    # a fence opens with ``` (a search for the string is a fraction of the pattern's search)
    for fence in _FENCED_CODE.finditer(text) if "```" in text else ():
        pieces += [_tidy_spaces(text[done:fence.start()]), fence.group()]
        done = fence.end()
    pieces.append(_tidy_spaces(text[done:]))
    # blank lines go from the start, not spaces: they may indent a code block
    return _LEADING_BLANK_LINES.sub("", "".join(pieces)).rstrip() + "\n"


def trim_line_ends(text: str) -> str:
    """Spaces and tabs at line ends out; two spaces or more (a hard break) become two; a line of
    nothing but spaces and tabs becomes empty. What the patterns ^[ \\t]+$ and then [ \\t]+$
    (multi-line) did, line by line: the second one tried a match at every space of the post, a
    seventh of the cost of converting a post with a space before a line break (a test compares)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.endswith((" ", "\t")):
            kept = line.rstrip(" \t")
            lines[index] = kept + "  " if kept and line[len(kept):].startswith("  ") else kept
    return "\n".join(lines)


def _tidy_spaces(text: str) -> str:
    """Markdown text outside code blocks without the spaces and blank lines conversion left over."""
    # each pattern runs only when the text has what it removes: scanning for them is most of the cost
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        text = trim_line_ends(text)
    while "\n\n\n" in text:  # each pass shortens every run of three or more newlines; runs end at two
        text = text.replace("\n\n\n", "\n\n")
    # a hard break (two spaces) with nothing after it: before a blank line or at the very end
    text = text.replace("  \n\n", "\n\n")
    body = text.rstrip("\n")
    return body[:-2] + text[len(body):] if body.endswith("  ") else text
