"""WordPress HTML to Markdown: a markdownify converter with one convert_<tag> method per construct.

What Markdown cannot say faithfully (captions, embeds, tables with block cells) stays as a small
block of clean HTML, which every Markdown processor passes through.
"""
from __future__ import annotations

import re
import threading
from urllib.parse import quote

from bs4 import Comment, Doctype, NavigableString, Tag
from bs4.element import PreformattedString
from markdownify import ATX, MarkdownConverter

from .htmltree import to_html
from .media import srcset_candidates
from .text import unsafe_url_scheme

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
# Any character the pattern above can act on: most text has none and skips it.
_MAYBE_SPECIAL = re.compile(r"[\\`*_<&{\[]")
# The same, at the start of a line, where block syntax lives: headings (Python-Markdown needs no
# space after '#'), quotes, list markers, rules and setext underlines.
_LINE_START = re.compile(r"^(\s*)(#+|>|[-+](?=\s)|(\d{1,9})([.)])(?=\s|$)|=+\s*$|-+\s*$)")
# What the text must start with (after white space) for the pattern above to match, digits aside.
_LINE_START_CHARACTERS = frozenset("#>-+=")
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
# Each line of a quote, to put the quote marker before.
_QUOTED_LINE = re.compile(r"^(.*)", re.M)
# A fenced code block: its spaces and blank lines are the author's and are never tidied.
_FENCED_CODE = re.compile(r"^(`{3,})[^\n]*\n[\s\S]*?\n\1$", re.M)
# Lines of nothing but spaces, spaces at a line's end (two or more are a hard break, fewer are
# noise), and runs of blank lines.
_BLANK_LINE_SPACES = re.compile(r"^[ \t]+$", re.M)
_LINE_END_SPACES = re.compile(r"[ \t]+$", re.M)
_BLANK_LINES = re.compile(r"\n{3,}")
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
_INLINE_MARKUP = frozenset(("a", "b", "strong", "em", "i", "del", "s", "q", "sub", "sup"))
_RAW_BLOCK_INSIDE = re.compile(r"\n\n[ \t]*<[A-Za-z]")
# Addresses Python-Markdown makes a link of between angle brackets: web and e-mail addresses.
_AUTOLINK = re.compile(r"^(?:(?:https?|ftp)://[^<>\s]*|mailto:[^<>\s@]+@[^<>\s@]+)$", re.I)
# Where HTML kept as HTML is not at the top level of the Markdown (quoted, in a list, in a line).
_NESTING = frozenset(("blockquote", "li", "dd", "dt", "a", "_inline"))
_TEXT_BETWEEN_TAGS = re.compile(r"(?<=>)[^<]+")
_MARKDOWN_AS_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "[]`*_\\!"}
_EMBED_QUOTE_CLASSES = {"twitter-tweet", "instagram-media", "tiktok-embed", "twitter-video", "bluesky-embed",
                        "mastodon-embed", "wp-embedded-content"}


class WordPressConverter(MarkdownConverter):
    """Markdown for WordPress markup. convert_post() converts one post; the footnote numbers start
    again with each, so an instance serves any number of posts (one thread at a time)."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        sub_symbol = "<sub>"
        sup_symbol = "<sup>"
        escape_asterisks = False  # escape() below does it, with the rest of Markdown's syntax
        escape_underscores = False
        bs4_options = "lxml"

    def __init__(self, **options):
        super().__init__(**options)
        self.footnotes: dict[str, int] = {}

    def convert_post(self, root: Tag) -> str:
        self.footnotes = {}
        return self.convert_soup(root)

    # --- traversal ----------------------------------------------------------------------------

    def process_tag(self, node, parent_tags=None):
        """The same walk as markdownify's, with the per-child work it repeats done once.

        markdownify decides for every child whether its neighbours are blocks, runs a regex over
        every converted child to find its newlines, and copies sets it could share; on a news
        post that was most of the conversion. The rules are unchanged: whitespace-only text is
        dropped at the edges of blocks and next to them, newlines between children collapse to
        at most two, and nothing is collapsed inside <pre>.
        """
        parent_tags = parent_tags if parent_tags is not None else set()
        name = node.name
        if name in _MAYBE_KEPT_AS_HTML and kept_as_html(node):
            # its children are not converted: what they would do to the tree (Markdown escapes in
            # addresses and alt text) must not show in the HTML
            return raw_block(node, parent_tags)
        inner_tags = parent_tags | {name}
        if name in _INLINE_CONTEXT:
            inner_tags.add("_inline")
        if name in _NOFORMAT_CONTEXT:
            inner_tags.add("_noformat")
        trim_inside = name in _WHITESPACE_BLOCKS
        children = node.contents
        last = len(children) - 1
        pieces = []
        for index, child in enumerate(children):
            if isinstance(child, Tag):
                # an empty block still parts the words on either side, whose spaces next to it were dropped
                piece = self.process_tag(child, inner_tags) or (" " if _blockish(child) else "")
            elif isinstance(child, (Comment, Doctype)):
                continue
            else:
                if not child.strip() and _drop_whitespace(children, index, last, trim_inside):
                    continue
                piece = self.process_text(child, inner_tags)
            if piece:
                pieces.append(piece)
        if name == "pre" or "pre" in parent_tags:
            text = "".join(pieces)
        else:
            text = _join_collapsing_newlines(pieces)
        convert = self.get_conv_fn_cached(name)
        if convert is None:
            return text
        if name in _INLINE_MARKUP and _RAW_BLOCK_INSIDE.search(text) and not footnote_target(node):
            # inline markup around a block kept as HTML would end up on the block's last line, and
            # Python-Markdown passes the rest of that line through as HTML (a code span's "<script>" too):
            # the block keeps its own lines, the markup goes
            return text
        return convert(node, text, parent_tags=parent_tags)

    # --- text ---------------------------------------------------------------------------------

    def escape(self, text, parent_tags):
        if not text:
            return ""
        if _MAYBE_SPECIAL.search(text):
            text = _ESCAPE_CHARS.sub(_escape_one, text)
        if not parent_tags.isdisjoint(_CELLS):
            text = text.replace("|", "\\|")  # a pipe in a table cell would end the cell
        if "a" in parent_tags and "]" in text:
            text = _UNESCAPED_CLOSING_BRACKET.sub(r"\1\\]", text)  # it would end the link's text
        return text

    def process_text(self, el, parent_tags=None):
        """markdownify's text rules (fold white space outside <pre>, escape, trim next to blocks),
        checking cheaply whether each applies before running it, then ours for line starts."""
        parent_tags = parent_tags or set()
        text = str(el)
        if "pre" not in parent_tags:
            if "\n" in text or "\r" in text:
                text = _NEWLINE_SPACE.sub("\n", text)
            if "\t" in text or "  " in text:
                text = _SPACE_RUN.sub(" ", text)
        prev, after, parent = el.previous_sibling, el.next_sibling, el.parent
        inside_block = parent is not None and parent.name in _WHITESPACE_BLOCKS
        ends_line = _blockish(after) or (inside_block and not after)
        if "_noformat" not in parent_tags:
            # at a line's end nothing can follow a bracket and make it a link: a plain end stands in
            text = self.escape(text + _PLAIN_END, parent_tags)[:-1] if ends_line else self.escape(text, parent_tags)
        if _blockish(prev) or (inside_block and not prev):
            text = text.lstrip(" \t\r\n")
        if ends_line:
            text = text.rstrip()
        if text and _follows_break(el) and "pre" not in parent_tags:
            text = text.lstrip(" ")  # the line break already separates the words
        if text and _may_open_block(text) and "_noformat" not in parent_tags \
                and parent_tags.isdisjoint(_HEADINGS) and _starts_line(el):
            text = _LINE_START.sub(_escape_line_start, text, count=1)
        return text

    def convert_hN(self, n, el, text, parent_tags):
        text = _CLOSING_HASHES.sub(lambda m: "\\#" * len(m.group()), text.rstrip())
        return super().convert_hN(n, el, text, parent_tags)

    # --- blocks -------------------------------------------------------------------------------

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
        # a code span holds one line: a line break in it could start a heading or end the paragraph,
        # and leave its closing backticks and whatever follows to be read as Markdown
        code = _LINE_BREAKS.sub(" ", _inline_code_text(el))
        if not code:
            return ""
        ticks = "`" * (1 + max((len(m) for m in _BACKTICKS.findall(code)), default=0))
        pad = " " if code.startswith("`") or code.endswith("`") else ""
        return f"{ticks}{pad}{code}{pad}{ticks}"

    convert_kbd = convert_code
    convert_samp = convert_code

    def convert_blockquote(self, el, text, parent_tags):
        text = _LEADING_BLANK_LINES.sub("", text or "").rstrip()
        if "_inline" in parent_tags or not text:
            return super().convert_blockquote(el, text, parent_tags)
        # markdownify strips the first line's spaces too, which would take it out of a code block
        quoted = _QUOTED_LINE.sub(lambda m: "> " + m.group(1) if m.group(1) else ">", text)
        return f"\n{quoted}\n\n"

    def convert_cite(self, el, text, parent_tags):
        if "blockquote" in parent_tags and el.parent is not None and el.parent.name == "blockquote":
            return f"\n\n<cite>{text.strip()}</cite>\n\n"
        return text

    def convert_figure(self, el, text, parent_tags):
        return text if text.startswith("\n") else f"\n\n{text.strip()}\n\n"

    def convert_figcaption(self, el, text, parent_tags):
        return f"\n\n{text.strip()}\n\n"

    def convert_td(self, el, text, parent_tags):
        if "table" not in parent_tags:
            return _stray_cell(text)
        return super().convert_td(el, text, parent_tags)

    def convert_th(self, el, text, parent_tags):
        if "table" not in parent_tags:
            return _stray_cell(text)
        return super().convert_th(el, text, parent_tags)

    def convert_tr(self, el, text, parent_tags):
        """A row of a pipe table (only tables is_simple_table accepts get here: no spans, a header
        row of <th> first), with the header's rule under it, or an empty header above a table
        that has none. markdownify's rules, with its searches of the tree done as plain walks."""
        if "table" not in parent_tags:
            return _stray_cell(text)  # rows apart are blocks apart: "a</tr><tr>b" is not "ab"
        row = f"|{text}\n"
        if _previous_tag(el) is not None:
            return row  # not the first row: nothing above or below it
        cells = _row_cells(el)
        rule = f"| {' | '.join(['---'] * len(cells))} |\n"
        parent = el.parent
        if all(cell.name == "th" for cell in cells) or (
                parent.name == "thead" and sum(1 for r in _child_tags(parent) if r.name == "tr") == 1):
            return row + rule
        if parent.name != "tbody" or not _holds(parent.parent, ("thead",)) or _previous_tag(parent) is None:
            return f"| {' | '.join([''] * len(cells))} |\n" + rule + row  # a table without a header row
        return row

    def convert_ol(self, el, text, parent_tags):
        if "wp-block-footnotes" in el.get("class", []):
            return self._footnote_definitions(el, parent_tags)
        return self.convert_list(el, text, parent_tags)

    def convert_sup(self, el, text, parent_tags):
        target = footnote_target(el)
        if target:
            number = self.footnotes.setdefault(target, len(self.footnotes) + 1)
            return f"[^{number}]"
        return super().convert_sup(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        _load_lazy_image(el)
        if unsafe_url_scheme(el.get("src") or "", image=True):
            del el["src"]
        _markdown_safe_attributes(el, "src")
        if isinstance(el.get("alt"), str):
            el["alt"] = markdown_alt(el["alt"])
        return _entity_quoted_title(super().convert_img(el, text, parent_tags), el)

    def convert_a(self, el, text, parent_tags):
        if unsafe_url_scheme(el.get("href") or ""):
            del el["href"]  # the words stay; a script address is no link
        _markdown_safe_attributes(el, "href")
        # markdownify writes <href> when the text is the address; Python-Markdown reads that as a link
        # only for a web address or an e-mail address, and as raw HTML otherwise: <img/src=x/onerror=…>
        autolinks = self.options["autolinks"]
        self.options["autolinks"] = autolinks and bool(_AUTOLINK.match(el.get("href") or ""))
        try:
            return _entity_quoted_title(super().convert_a(el, text, parent_tags), el)
        finally:
            self.options["autolinks"] = autolinks

    def _footnote_definitions(self, el, parent_tags):
        lines = []
        for item in el.find_all("li", recursive=False):
            number = self.footnotes.setdefault(item.get("id", ""), len(self.footnotes) + 1)
            for back in item.find_all("a", href=True):
                if back["href"].startswith("#") and back.get_text(strip=True) in ("↩︎", "↩", "↑", "^"):
                    back.decompose()
            body = self.process_tag(item, parent_tags=parent_tags | {"_fn"}).strip()
            body = re.sub(r"^\s*-\s*", "", body).replace("\n", "\n    ")
            lines.append(f"[^{number}]: {body}")
        return "\n\n" + "\n".join(lines) + "\n\n"

    def convert_li(self, el, text, parent_tags):
        if "_fn" in parent_tags:
            return text
        item = super().convert_li(el, text, parent_tags)
        bullet = _BULLET.match(item)
        if bullet is None:
            return item
        width = len(bullet.group())
        item = re.sub(rf"(?m)^ {{{width}}}", " " * max(LIST_INDENT, width), item)
        if "\n\n" in item.strip():
            # an item of several blocks ends with a blank line, or the next bullet joins its paragraph
            item = item.rstrip("\n") + "\n\n"
        return item


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


def _is_content(node) -> bool:
    """A tag, or text that is not only whitespace (comments and doctypes are not content)."""
    if isinstance(node, Tag):
        return True
    if isinstance(node, (Comment, Doctype)) or node is None:
        return False
    return bool(node.strip())


def _blockish(node) -> bool:
    return isinstance(node, Tag) and (node.name in _WHITESPACE_BLOCKS or node.name in ("pre", "hr"))


def _drop_whitespace(children: list, index: int, last: int, trim_inside: bool) -> bool:
    """Whether whitespace-only text at children[index] is dropped, by markdownify's rule."""
    if trim_inside and (index == 0 or index == last):
        return True
    return (index > 0 and _blockish(children[index - 1])) or (index < last and _blockish(children[index + 1]))


def _join_collapsing_newlines(pieces: list[str]) -> str:
    """Join converted children; where one ends and the next starts with newlines, keep the longer run (max 2)."""
    for index in range(1, len(pieces)):
        if pieces[index][0] == "\n":
            break
    else:
        return "".join(pieces)  # no child starts with a newline: nothing to collapse
    out: list[str] = []
    trailing = 0
    for piece in pieces:
        body = piece.lstrip("\n")
        leading = len(piece) - len(body)
        if leading and trailing:
            out[-1] = out[-1][: len(out[-1]) - trailing]
            leading = min(2, max(trailing, leading))
            piece = "\n" * leading + body
        elif leading:
            piece = "\n" * leading + body
        stripped = body.rstrip("\n")
        trailing = len(body) - len(stripped) if stripped else 0
        out.append(piece)
    return "".join(out)


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


def _one_line(text: str) -> str:
    return _WHITE_SPACE_RUN.sub(" ", text).strip()


def _markdown_safe_attributes(el: Tag, url_attribute: str) -> None:
    """The address and title of a link or image as Markdown can hold them (markdownify writes them as they are)."""
    if isinstance(el.get(url_attribute), str):
        el[url_attribute] = markdown_url(el[url_attribute].strip())
    if isinstance(el.get("title"), str):
        el["title"] = _one_line(el["title"])


def _entity_quoted_title(markdown: str, el: Tag) -> str:
    """markdownify writes a quote in a title as \\", which Python-Markdown keeps, backslash and all."""
    title = el.get("title") or ""
    if '"' not in title:
        return markdown
    return markdown.replace(' "%s")' % title.replace('"', r'\"'), ' "%s")' % title.replace('"', "&quot;"))


def _follows_break(el: NavigableString) -> bool:
    prev = el.previous_sibling
    return isinstance(prev, Tag) and prev.name == "br"


def _starts_line(el: NavigableString) -> bool:
    prev = _previous_output(el)
    if prev is None:
        parent = el.parent
        # text that opens a block starts a line; text that opens an inline element may too
        while parent is not None and parent.name in ("span", "strong", "b", "em", "i", "a", "font"):
            if _previous_output(parent) is not None:
                return False
            parent = parent.parent
        return True
    # after a line break or a block (a rule, a figure), the text starts a line; when in doubt, it does:
    # a needless escape reads the same
    return isinstance(prev, Tag) and prev.name not in _INLINE_ELEMENTS


# Elements that stay in the line of the text around them.
_INLINE_ELEMENTS = frozenset("a abbr b bdi bdo big cite code data del dfn em font i img ins kbd label mark q s "
                             "samp small span strike strong sub sup time tt u var".split())
# Elements that put something in the Markdown with no text of their own.
_SHOWN_WITHOUT_TEXT = ("img", "br", "hr", "iframe", "video", "audio", "object", "embed", "table")


def _previous_output(node):
    """The nearest sibling before node that puts something in the Markdown: not blank text, not an
    empty element (an empty <span> before "1. " leaves the number at the start of the line)."""
    prev = node.previous_sibling
    while prev is not None:
        if isinstance(prev, NavigableString):
            if prev.strip():
                return prev
        elif prev.name in _SHOWN_WITHOUT_TEXT or _opens_with_text(prev) or prev.get_text().strip() \
                or prev.find(_SHOWN_WITHOUT_TEXT):
            return prev
        prev = prev.previous_sibling
    return None


def _opens_with_text(tag: Tag) -> bool:
    """A quick yes for the usual case, an element whose first child is words (a link, a bold phrase)."""
    contents = tag.contents
    if not contents or type(contents[0]) is not NavigableString:
        return False
    return bool(contents[0]) and not contents[0].isspace()


def _code_text(pre: Tag) -> str:
    """The code as its author wrote it: entities decoded, markup around it dropped."""
    # the visual editor writes line breaks in code as <br>, which get_text() would drop
    code = "".join("\n" if isinstance(node, Tag) else str(node) for node in pre.descendants
                   if isinstance(node, Tag) and node.name == "br"
                   or isinstance(node, NavigableString) and not isinstance(node, PreformattedString))
    first = pre.contents[0] if pre.contents else None
    if isinstance(first, NavigableString) and first.startswith("\n"):
        code = code[1:]  # HTML ignores a newline right after <pre>, not one after <pre><code>
    if code.endswith("\n"):  # the closing fence's line ends it
        code = code[:-1]
    return code


def _inline_code_text(code: Tag) -> str:
    """The text of inline code, with a line break where a block or <br> inside it parts its words."""
    pieces = []
    for node in code.descendants:
        if isinstance(node, Tag):
            if node.name in _WHITESPACE_BLOCKS or node.name in ("br", "pre"):
                pieces.append("\n")
        elif not isinstance(node, PreformattedString):  # comments are no text
            pieces.append(str(node))
    return "".join(pieces)


def code_language(pre: Tag) -> str:
    code = next((tag for tag in _tags_in(pre) if tag.name == "code"), None)
    for tag in [pre] if code is None else [pre, code]:
        for cls in tag.get("class", []):
            match = _LANG_CLASS.match(cls)
            if match:
                return match.group(1)
        brush = _BRUSH.search(" ".join(tag.get("class", [])))
        if brush:
            return brush.group(1)
        if tag.get("lang") and re.fullmatch(r"[\w+#.-]+", tag["lang"]):
            return tag["lang"]
        if tag.get("data-lang") and re.fullmatch(r"[\w+#.-]+", tag["data-lang"]):
            return tag["data-lang"]
    return ""


def footnote_target(sup: Tag) -> str:
    """The id of the footnote a WordPress footnote marker points to, or ''."""
    if not (sup.has_attr("data-fn") or "fn" in sup.get("class", [])):
        return ""
    link = sup.find("a", href=True)
    if link is None or not link["href"].startswith("#"):
        return sup.get("data-fn", "")
    return link["href"][1:]


def _child_tags(el: Tag):
    return (child for child in el.contents if isinstance(child, Tag))


def _row_cells(row: Tag) -> list[Tag]:
    """The cells of a table row: its <td> and <th> children."""
    return [cell for cell in _child_tags(row) if cell.name in ("td", "th")]


def _previous_tag(el: Tag):
    """The nearest sibling before el that is an element (text between rows does not count)."""
    node = el.previous_sibling
    while node is not None and not isinstance(node, Tag):
        node = node.previous_sibling
    return node


def _is_embed_quote(el: Tag) -> bool:
    return bool(_EMBED_QUOTE_CLASSES & set(el.get("class", [])))


# Elements that may stay HTML, and the test for each: embeds always; a table a pipe table cannot
# hold; a figure with a caption or figures inside; a quote that is a social media embed.
_ALWAYS_HTML = frozenset(("iframe", "video", "audio", "object"))
_MAYBE_KEPT_AS_HTML = _ALWAYS_HTML | {"table", "figure", "blockquote"}


def kept_as_html(el: Tag) -> bool:
    name = el.name
    if name in _ALWAYS_HTML:
        return True
    if name == "table":
        return not is_simple_table(el)
    if name == "figure":
        return "gallery" in el.get("class", []) or _holds(el, ("figcaption", "figure"))
    return name == "blockquote" and _is_embed_quote(el)


def _load_lazy_image(img: Tag) -> None:
    """A lazy-load plugin's placeholder in src gives way to the image it stood in for."""
    lazy = img.get("data-src") or img.get("data-lazy-src")
    if lazy and not _LOADED_SRC.match(img.get("src", "")):
        img["src"] = lazy


def _holds(el: Tag, names: tuple[str, ...]) -> bool:
    """True when a tag of one of these names is inside el (a plain walk: bs4's find() is slow here)."""
    return any(getattr(node, "name", None) in names for node in el.descendants)


def _tags_in(el: Tag):
    return (node for node in el.descendants if isinstance(node, Tag))


_BLOCKS_IN_CELLS = ("p", "ul", "ol", "br", "pre", "blockquote", "div", "figure", "table", "img", "hr")


def is_simple_table(table: Tag) -> bool:
    """A table a pipe table can hold: a header row first, no spans, one line of text per cell."""
    rows = [tag for tag in _tags_in(table) if tag.name == "tr"]
    if not rows or _holds(table, ("table",)):
        return False
    first = _row_cells(rows[0])
    if not first or any(cell.name != "th" for cell in first):
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


def tidy_for_html(el: Tag) -> Tag:
    """Drop editor and theme attributes, and any script address, from HTML that stays HTML."""
    for tag in [el, *_tags_in(el)]:
        if tag.name == "img":
            _load_lazy_image(tag)
        keep = _KEEP_ATTRS.get(tag.name, ("class",) if tag.name in ("figure", "blockquote", "div") else ())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in keep and not _is_script_address(tag, k, v)}
    return el


def _is_script_address(tag: Tag, name: str, value) -> bool:
    if name not in _URL_ATTRIBUTES or not isinstance(value, str):
        return False
    image = tag.name in ("img", "source") and name != "href"
    urls = [url for url, _ in srcset_candidates(value)] if name == "srcset" else [value]
    return any(unsafe_url_scheme(url, image=image) for url in urls)


def raw_block(el: Tag, parent_tags=frozenset()) -> str:
    """An element kept as HTML, on lines of its own so Markdown passes it through."""
    html = to_html(tidy_for_html(el)).strip()
    if parent_tags & _NESTING:
        # Python-Markdown passes HTML through untouched only at the top level: elsewhere it reads the
        # text between the tags as Markdown, where "[x](y)" would be a link
        html = _TEXT_BETWEEN_TAGS.sub(lambda m: m.group().translate(_MARKDOWN_AS_ENTITIES), html)
    # a blank line inside an HTML block would end it early in Markdown
    html = re.sub(r"\n\s*\n", "\n", html)
    return f"\n\n{html}\n\n"


_PER_THREAD = threading.local()


def to_markdown(root: Tag) -> str:
    """The Markdown of a cleaned post body."""
    converter = getattr(_PER_THREAD, "converter", None)
    if converter is None:
        # one per thread, made once: building one looks up every option and conversion method again
        converter = _PER_THREAD.converter = WordPressConverter()
    text = converter.convert_post(root)
    pieces, done = [], 0
    for fence in _FENCED_CODE.finditer(text):
        pieces += [_tidy_spaces(text[done:fence.start()]), fence.group()]
        done = fence.end()
    pieces.append(_tidy_spaces(text[done:]))
    # blank lines go from the start, not spaces: they may indent a code block
    return _LEADING_BLANK_LINES.sub("", "".join(pieces)).rstrip() + "\n"


def _tidy_spaces(text: str) -> str:
    """Markdown text outside code blocks without the spaces and blank lines conversion left over."""
    # each pattern runs only when the text has what it removes: scanning for them is most of the cost
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        text = _BLANK_LINE_SPACES.sub("", text)
        text = _LINE_END_SPACES.sub(lambda m: "  " if m.group().startswith("  ") else "", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    # a hard break (two spaces) with nothing after it: before a blank line or at the very end
    text = text.replace("  \n\n", "\n\n")
    body = text.rstrip("\n")
    return body[:-2] + text[len(body):] if body.endswith("  ") else text
