"""A post's HTML as an lxml tree, and the few ways the rest of the pipeline reads and edits it.

libxml2 builds the tree in C; everything after works on it directly. Two things about lxml's
model matter to the rest of the pipeline:

- text lives on elements: an element's first text is its .text, the text after it its .tail. A
  node's content as a sequence of strings and elements is children(); strings stay apart where
  a comment or a removed element stood between them, as in the page.
- removing an element must not lose the text after it: remove() leaves a childless placeholder
  (tag GONE) that holds it, which every reader here skips like a comment.

White space is read as BeautifulSoup reads it: text that is only white space outside <pre> and
<textarea> becomes one space, or one newline when it holds one. Control characters lxml would
refuse in text set after the parse are taken out before it (a form feed becomes a space).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from lxml import etree

# The tag of a removed element kept for the text after it.
GONE = "wp-import-removed"
# The attribute remove() marks what it takes out with.
_REMOVED = "data-wp-import-removed"
# Elements that stay in the line of the text around them (phrasing content that holds words).
INLINE_ELEMENTS = frozenset("a abbr b bdi bdo big cite code data del dfn em font i img ins kbd label mark q s "
                            "samp small span strike strong sub sup time tt u var".split())
_KEEPS_WHITESPACE = frozenset(("pre", "textarea"))
_ASCII_SPACES = " \n\t\x0c\r"


# libxml2 builds trees at most about 2,000 elements deep and drops what is deeper; fed by events
# (BeautifulSoup's way, loaded only then), it keeps it all. Posts that may nest deeper take that way.
MAX_TREE_DEPTH = 1000


def parse_body(html: str):
    """The <body> element of html."""
    # in <body> from the first character: a post that starts with <meta>, <link> or <style> would
    # otherwise open the page's <head>, and libxml2 keeps the HTML5 elements after it (<figure>,
    # <section>) in the head, out of the body and of the post
    html = "<body>" + html
    # control characters (a PDF's form feeds, a database's stray bytes), written out or as &#1;, that
    # lxml would hold from the parse but refuses in any text set afterwards: out before parsing, so
    # that every edit of the tree can move text freely; a form feed, HTML's white space, is a space
    if _may_hold_non_xml(html):
        html = _NOT_XML.sub(_xml_character, html)
    if "&#" in html:
        html = _CHARACTER_REFERENCE.sub(_xml_reference, html)
    deep = not depth_at_most(html, MAX_TREE_DEPTH)
    if deep:
        body = _parse_by_events(html)
    else:
        parser = etree.HTMLParser(recover=True, huge_tree=True)
        parser.feed(html)  # feed(), not fromstring(): a pasted <?xml encoding=…?> is no error
        document = parser.close()
        body = document.find("body") if document is not None else None
        if body is None:
            body = etree.Element("body")
    _fold_blank_text(body, deep)
    return body


def _fold_blank_text(body, deep: bool = False) -> None:
    """Text that is only white space becomes " " or "\\n", except inside <pre> and <textarea>."""
    # what is inside them, found once (most posts have none), instead of each blank text asking its
    # ancestors (a proxy object made for each one, for every newline between two blocks)
    keeping = list(body.iter(*_KEEPS_WHITESPACE))
    inside = {node for element in keeping for node in element.iterdescendants()}
    for node in list(body.iter()) if deep else body.iter():  # deep: a list, see _parse_by_events
        text = node.text
        if text and node.tag.__class__ is str and not text.strip(_ASCII_SPACES) \
                and not (keeping and (node in inside or node.tag in _KEEPS_WHITESPACE)):
            node.text = "\n" if "\n" in text else " "
        tail = node.tail
        if tail and node is not body and not tail.strip(_ASCII_SPACES) and node not in inside:
            node.tail = "\n" if "\n" in tail else " "


def _parse_by_events(html: str):
    """BeautifulSoup's event-fed lxml parse for posts nested deeper than libxml2 builds trees, copied
    into an lxml tree (which can hold any depth)."""
    from bs4 import BeautifulSoup, Comment, NavigableString  # noqa: PLC0415 - rare, and slow to import

    source = BeautifulSoup(html, "lxml").body
    body = etree.Element("body")
    stack = [(source, body)]
    # Every element made is held until the end. lxml frees an element's Python object by looking up its
    # ancestors for one still held, to the top of the tree: with none held, a walk over 40,000 nested
    # tags looks at 800 million ancestors (minutes). Held in a list, they are let go deepest first, and
    # each finds its parent's at once. Walks of a deep tree elsewhere hold theirs the same way.
    made = []
    while stack:
        node, element = stack.pop()
        last = None
        for child in node.contents:
            if isinstance(child, NavigableString):
                text = str(child) if type(child) in (NavigableString, Comment) else ""
                if type(child) is Comment:
                    try:
                        last = etree.Comment(text)
                    except ValueError:  # "--" or a final "-": a placeholder still keeps the texts apart
                        last = etree.Element(GONE)
                    element.append(last)
                elif last is None:
                    element.text = (element.text or "") + text
                else:
                    last.tail = (last.tail or "") + text
                continue
            last = etree.SubElement(element, _xml_name(child.name))
            made.append(last)
            for key, value in child.attrs.items():
                if _ATTRIBUTE_NAME.match(key):
                    last.set(key, " ".join(value) if isinstance(value, list) else str(value))
            stack.append((child, last))
    return body


_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")


def _xml_name(name: str) -> str:
    return name if _ATTRIBUTE_NAME.match(name) else "span"


# Characters lxml refuses to hold in any text or attribute set through its API.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# The control characters _NOT_XML matches, as bytes: below 0x20 but tab, newline and carriage return.
_CONTROL_BYTES = bytes(code for code in range(0x20) if code not in (0x09, 0x0A, 0x0D))


def _may_hold_non_xml(html: str) -> bool:
    """Whether html holds a character _NOT_XML matches; with a lone surrogate, UTF-8's encoder refuses
    the text, and in UTF-8 no byte but a control character's is below 0x20. A third of the cost of
    that character class's search on typical posts (valgrind)."""
    if "\ufffe" in html or "\uffff" in html:
        return True
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def _xml_character(match: re.Match) -> str:
    return " " if match.group() == "\x0c" else ""


# A numeric character reference, decimal or hexadecimal, its semicolon optional as HTML allows.
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9A-Fa-f]{1,6})|0*([0-9]{1,7}))(;?)")


def _xml_reference(match: re.Match) -> str:
    """A reference to a character lxml refuses, as _xml_character has it; any other stays as it is."""
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code > 0x10FFFF or not _NOT_XML.match(chr(code)):
        return match.group()
    return _xml_character(_NOT_XML.match(chr(code)))


# Tags between < and a name: enough to tell how deep a post may nest, not to parse it.
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
VOID = frozenset("area base br col embed hr img input link meta param source track wbr "
                 "basefont bgsound command frame image isindex keygen menuitem nextid spacer".split())


def depth_at_most(html: str, limit: int) -> bool:
    """False when the tags may nest deeper than limit. A guess on the safe side: a tag counts as open
    until a closing tag of its name, so "<div>x</span>" repeated counts as deep, as parsers read it."""
    if html.count("<") <= limit:
        return True
    depth, open_by_name = 0, Counter()
    for match in _TAG_TOKEN.finditer(html):
        name = match.group(2).lower()
        if name in VOID:
            continue
        if not match.group(1):
            open_by_name[name] += 1
            depth += 1
            if depth > limit:
                return False
        elif open_by_name[name]:
            open_by_name[name] -= 1
            depth -= 1
    return True


# --- reading ------------------------------------------------------------------------------------

def is_element(node) -> bool:
    """An element of the page: not text, a comment, or a removed element's placeholder."""
    return not isinstance(node, str) and node.tag.__class__ is str and node.tag != GONE


def children(element) -> list:
    """element's content in order: strings and elements (comments and removed elements left out)."""
    return children_and_tags(element)[0]


def children_and_tags(element) -> tuple[list, list]:
    """children(element), and beside it each item's tag (None for a string): lxml makes a new string
    at every read of .tag, .text or .tail, so each is read once here."""
    text = element.text
    items, tags = ([text], [None]) if text else ([], [])
    if not len(element):
        return items, tags  # no child: its text alone (most paragraphs), without a walk of its children
    for child in element:
        tag = child.tag
        if tag.__class__ is str and tag != GONE:
            items.append(child)
            tags.append(tag)
        tail = child.tail
        if tail:
            items.append(tail)
            tags.append(None)
    return items, tags


def child_elements(element) -> list:
    return [child for child in element if child.tag.__class__ is str and child.tag != GONE]


def descendants(element):
    """The elements inside element, in document order (not element itself)."""
    for node in element.iterdescendants():
        if node.tag.__class__ is str and node.tag != GONE:
            yield node


def text_of(element, separator: str = "") -> str:
    """The text of element and everything inside it, the pieces joined by separator (not its tail)."""
    return separator.join(element.itertext())


def classes(element) -> list[str]:
    value = element.get("class")
    return value.split() if value else []


def previous_element(element):
    """The nearest element before element among its siblings, or None."""
    node = element.getprevious()
    while node is not None and not is_element(node):
        node = node.getprevious()
    return node


def items_before(element):
    """The strings and elements before element among its siblings, nearest first."""
    node = element.getprevious()
    while node is not None:
        if node.tail:
            yield node.tail
        if is_element(node):
            yield node
        node = node.getprevious()
    parent = element.getparent()
    if parent is not None and parent.text:
        yield parent.text


def items_after(element):
    """The strings and elements after element among its siblings, nearest first."""
    if element.tail:
        yield element.tail
    node = element.getnext()
    while node is not None:
        if is_element(node):
            yield node
        if node.tail:
            yield node.tail
        node = node.getnext()


def was_removed(element) -> bool:
    """Whether element, or an element around it, was taken out of its tree with remove()."""
    while element is not None:
        if element.get(_REMOVED) is not None:
            return True
        element = element.getparent()
    return False


# --- editing ------------------------------------------------------------------------------------

def remove(element) -> None:
    """Take element out of the tree; the text after it stays where it was, as text of its own."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tag.__class__ is str:
        element.set(_REMOVED, "")
    if element.tail:
        # a placeholder in its place keeps the tail: merged into the text before it, the two texts
        # would read as one (spaces folded across them, brackets matched across them)
        placeholder = _placeholder(element.tail)
        element.tail = None
        parent.replace(element, placeholder)
    else:
        parent.remove(element)


def _placeholder(text: str):
    """A GONE element holding text as its tail: the text stays a string of its own where it is put."""
    placeholder = etree.Element(GONE)
    placeholder.tail = text
    return placeholder


def unwrap(element) -> None:
    """Replace element by what it holds."""
    parent = element.getparent()
    if parent is None:
        return
    at = parent.index(element)
    if element.text:
        parent.insert(at, _placeholder(element.text))
        at += 1
    for child in list(element):
        parent.insert(at, child)
        at += 1
    remove(element)


def append(element, item) -> None:
    """Put a string or an element last in element (a string joins the text before it)."""
    if not isinstance(item, str):
        element.append(item)
    elif len(element):
        element[-1].tail = (element[-1].tail or "") + item
    else:
        element.text = (element.text or "") + item


def clear(element) -> None:
    """Empty element of text and children, keeping its tag, attributes and tail."""
    element.text = None
    for child in list(element):
        element.remove(child)


# --- printing -----------------------------------------------------------------------------------

_UNESCAPED_TEXT = frozenset(("script", "style"))
# Attributes that hold a list of space-separated words, printed with single spaces between them:
# the HTML standard's set, by element ("*": any element).
_WORD_LIST_ATTRIBUTES = {"*": frozenset(("class", "accesskey", "dropzone"))}
for _name, _attributes in (("a", ("rel", "rev")), ("link", ("rel", "rev")), ("td", ("headers",)),
                           ("th", ("headers",)), ("form", ("accept-charset",)), ("object", ("archive",)),
                           ("area", ("rel",)), ("icon", ("sizes",)), ("iframe", ("sandbox",)), ("output", ("for",))):
    _WORD_LIST_ATTRIBUTES[_name] = _WORD_LIST_ATTRIBUTES["*"] | frozenset(_attributes)


def escape_text(text: str) -> str:
    """Text as HTML: & < > escaped. (str.replace, not str.translate: translate looks every character
    up in its table, a hundred times slower on text that is not ASCII.)"""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def to_html(element, attributes: Callable | None = None) -> str:
    """element as HTML (without its tail): attributes sorted and quoted, & < > escaped in text and
    values, void elements as <br/>, word lists with single spaces. attributes(node), when given,
    says which (name, value) pairs each element is printed with."""
    if _PLAIN(element):
        # libxml2's own writer prints such a tree exactly as _print does, at a tenth of the cost
        return etree.tostring(element, method="html", encoding=str, with_tail=False)
    out: list[str] = []
    _print(element, out, attributes)
    return "".join(out)


# An element with no attribute, comment, processing instruction or empty element (void elements,
# removed elements' placeholders) in it or on it. libxml2 writes void elements as <br>, not <br/>,
# leaves out the end tag of an empty element whose end tag HTML makes optional (<li>), and quotes
# and escapes attribute values its own way; a tree free of all of them it writes as _print would.
_PLAIN = etree.XPath("not(descendant-or-self::*[@* or not(node())] or .//comment() or .//processing-instruction())")


def inner_html(element) -> str:
    """What element holds, as HTML."""
    out: list[str] = [escape_text(element.text)] if element.text else []
    for child in element:
        _print(child, out, None)
        if child.tail:
            out.append(escape_text(child.tail))
    return "".join(out)


def _print(root, out: list[str], attributes: Callable | None) -> None:
    stack: list = [root]
    pop, push, emit = stack.pop, stack.append, out.append
    while stack:
        node = pop()
        if node.__class__ is str:
            emit(node)
            continue
        tag = node.tag  # read once: lxml makes a new string at every read, as for .text and .tail
        if tag.__class__ is not str:
            if tag is etree.Comment:
                emit(f"<!--{node.text or ''}-->")
            elif tag is etree.ProcessingInstruction:
                emit(f"<?{node.target} {node.text or ''}>")
            continue  # a comment's or placeholder's tail is printed by its parent's loop
        if tag == GONE:
            continue
        start = _start_tag(tag, node.items() if attributes is None else attributes(node))
        text = node.text
        if text is None and tag in VOID and not len(node):
            emit(start[:-1] + "/>")
            continue
        emit(start)
        if text:
            emit(text if tag in _UNESCAPED_TEXT else escape_text(text))
        push(f"</{tag}>")
        for child in reversed(node):
            tail = child.tail
            if tail:
                push(escape_text(tail))
            push(child)


def _start_tag(tag: str, attributes: list[tuple[str, str]]) -> str:
    if not attributes:
        return f"<{tag}>"
    words = _WORD_LIST_ATTRIBUTES.get(tag, _WORD_LIST_ATTRIBUTES["*"])
    printed = []
    for key, value in sorted(attributes):
        if key in words:
            value = " ".join(value.split())
        value = escape_text(value)
        if '"' not in value:
            printed.append(f' {key}="{value}"')
        elif "'" not in value:
            printed.append(f" {key}='{value}'")
        else:
            printed.append(f' {key}="{value.replace(chr(34), "&quot;")}"')
    return f"<{tag}{''.join(printed)}>"
