"""WordPress HTML to Markdown: a markdownify converter with one convert_<tag> method per construct.

What Markdown cannot say faithfully (captions, embeds, tables with block cells) stays as a small
block of clean HTML, which every Markdown processor passes through.
"""
from __future__ import annotations

import re

from bs4 import NavigableString, Tag
from markdownify import ATX, MarkdownConverter

# Classes that name a code block's language: language-x, lang-x, brush: x (SyntaxHighlighter).
_LANG_CLASS = re.compile(r"^(?:language|lang)-([\w+#.-]+)$")
_BRUSH = re.compile(r"brush\s*:\s*([\w+#.-]+)")
# Text that Markdown would read as markup.
_ESCAPE_CHARS = re.compile(r"(?P<star>\*)|(?P<tick>`)|(?P<under>(?<!\w)_|_(?!\w))|(?P<lt><(?=[A-Za-z/!?]))"
                           r"|(?P<amp>&(?=#?\w+;))|(?P<brace>\{(?=[:#.]))|(?P<caret>\[(?=\^))")
# The same, at the start of a line, where block syntax lives: headings, quotes, list markers, rules.
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s)|(\d{1,9})([.)])(?=\s|$)|=+\s*$|-{3,}\s*$)")
_BACKTICKS = re.compile(r"`+")
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
_EMBED_QUOTE_CLASSES = {"twitter-tweet", "instagram-media", "tiktok-embed", "twitter-video", "bluesky-embed",
                        "mastodon-embed", "wp-embedded-content"}


class WordPressConverter(MarkdownConverter):
    """Markdown for WordPress markup. One instance converts one post (it keeps footnote numbers)."""

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

    # --- text ---------------------------------------------------------------------------------

    def escape(self, text, parent_tags):
        if not text:
            return ""
        return _ESCAPE_CHARS.sub(_escape_one, text)

    def process_text(self, el, parent_tags=None):
        text = super().process_text(el, parent_tags=parent_tags)
        if text and "_noformat" not in (parent_tags or ()) and _starts_line(el):
            text = _LINE_START.sub(_escape_line_start, text, count=1)
        return text

    # --- blocks -------------------------------------------------------------------------------

    def convert_pre(self, el, text, parent_tags):
        code = _code_text(el)
        if not code.strip():
            return ""
        language = code_language(el)
        fence = "`" * max(3, 1 + max((len(m) for m in _BACKTICKS.findall(code)), default=0))
        if parent_tags & {"li", "blockquote", "td", "th"}:
            # fenced blocks only work at the top level in Python-Markdown: indent instead
            return "\n\n" + "\n".join("    " + line for line in code.split("\n")) + "\n\n"
        return f"\n\n{fence}{language}\n{code}\n{fence}\n\n"

    def convert_code(self, el, text, parent_tags):
        if "pre" in parent_tags:
            return text
        code = el.get_text()
        if not code:
            return ""
        ticks = "`" * (1 + max((len(m) for m in _BACKTICKS.findall(code)), default=0))
        pad = " " if code.startswith("`") or code.endswith("`") else ""
        return f"{ticks}{pad}{code}{pad}{ticks}"

    def convert_blockquote(self, el, text, parent_tags):
        if _is_embed_quote(el):
            return raw_block(el)
        return super().convert_blockquote(el, text, parent_tags)

    def convert_cite(self, el, text, parent_tags):
        if "blockquote" in parent_tags and el.parent is not None and el.parent.name == "blockquote":
            return f"\n\n<cite>{text.strip()}</cite>\n\n"
        return text

    def convert_figure(self, el, text, parent_tags):
        if el.find("figcaption") is not None or "gallery" in el.get("class", []) \
                or el.find("figure") is not None:
            return raw_block(el)
        return text if text.startswith("\n") else f"\n\n{text.strip()}\n\n"

    def convert_figcaption(self, el, text, parent_tags):
        return f"\n\n{text.strip()}\n\n"

    def convert_iframe(self, el, text, parent_tags):
        return raw_block(el)

    convert_video = convert_iframe
    convert_audio = convert_iframe
    convert_object = convert_iframe

    def convert_table(self, el, text, parent_tags):
        if is_simple_table(el):
            return super().convert_table(el, text, parent_tags)
        return raw_block(el)

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
        if not el.get("src") and (el.get("data-src") or el.get("data-lazy-src")):
            el["src"] = el.get("data-src") or el.get("data-lazy-src")
        return super().convert_img(el, text, parent_tags)

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
        return super().convert_li(el, text, parent_tags)


def _escape_one(match: re.Match) -> str:
    kind = match.lastgroup
    if kind == "lt":
        return "&lt;"
    if kind == "amp":
        return "&amp;"
    return "\\" + match.group()


def _escape_line_start(match: re.Match) -> str:
    lead, marker, digits, dot = match.group(1), match.group(2), match.group(3), match.group(4)
    if digits:
        return f"{lead}{digits}\\{dot}"
    return f"{lead}\\{marker}"


def _starts_line(el: NavigableString) -> bool:
    prev = el.previous_sibling
    while isinstance(prev, NavigableString) and not prev.strip():
        prev = prev.previous_sibling
    if prev is None:
        parent = el.parent
        # text that opens a block starts a line; text that opens an inline element may too
        while parent is not None and parent.name in ("span", "strong", "b", "em", "i", "a", "font"):
            if parent.previous_sibling is not None:
                return False
            parent = parent.parent
        return True
    return isinstance(prev, Tag) and prev.name == "br"


def _code_text(pre: Tag) -> str:
    """The code as its author wrote it: entities decoded, markup around it dropped."""
    code = pre.get_text()
    if code.startswith("\n"):  # HTML ignores a newline right after <pre>
        code = code[1:]
    if code.endswith("\n"):
        code = code[:-1]
    return code


def code_language(pre: Tag) -> str:
    for tag in [pre] + pre.find_all("code", limit=1):
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


def _is_embed_quote(el: Tag) -> bool:
    return bool(_EMBED_QUOTE_CLASSES & set(el.get("class", [])))


def is_simple_table(table: Tag) -> bool:
    """A table a pipe table can hold: a header row first, no spans, one line of text per cell."""
    rows = table.find_all("tr")
    if not rows or table.find("table") is not None:
        return False
    first = rows[0].find_all(["td", "th"], recursive=False)
    if not first or any(cell.name != "th" for cell in first):
        return False
    width = len(first)
    for row in rows:
        cells = row.find_all(["td", "th"], recursive=False)
        if len(cells) != width:
            return False
        for cell in cells:
            if cell.get("colspan") not in (None, "1") or cell.get("rowspan") not in (None, "1"):
                return False
            if cell.find(["p", "ul", "ol", "br", "pre", "blockquote", "div", "figure", "table", "img", "hr"]):
                return False
    return True


def tidy_for_html(el: Tag) -> Tag:
    """Drop editor and theme attributes from HTML that stays HTML."""
    for tag in [el] + el.find_all(True):
        keep = _KEEP_ATTRS.get(tag.name, ("class",) if tag.name in ("figure", "blockquote", "div") else ())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in keep}
    return el


def raw_block(el: Tag) -> str:
    """An element kept as HTML, on lines of its own so Markdown passes it through."""
    html = str(tidy_for_html(el)).strip()
    # a blank line inside an HTML block would end it early in Markdown
    html = re.sub(r"\n\s*\n", "\n", html)
    return f"\n\n{html}\n\n"


def to_markdown(root: Tag) -> str:
    """The Markdown of a cleaned post body."""
    text = WordPressConverter().convert_soup(root)
    text = re.sub(r"[ \t]+\n", lambda m: "  \n" if m.group().startswith("  ") else "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
