"""A post's HTML as a BeautifulSoup tree, built straight from lxml's parse.

BeautifulSoup's own lxml builder gets the same parse from libxml2 as a stream of Python callbacks,
and spends most of a post's conversion time in them. Here lxml builds its tree in C, and one walk
over it makes the bs4 objects the rest of the pipeline works on: the same tree, about three times
sooner. What BeautifulSoup does to the parse is done the same way: whitespace-only text outside
<pre> and <textarea> becomes one space or newline, class-like attributes become lists, text in
<script>, <style> and <template> gets their string classes, and void elements print as <br/>.
"""
from __future__ import annotations

import re
from collections import Counter

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import ProcessingInstruction
from lxml import etree

# The builder BeautifulSoup(html, "lxml") would use, for its HTML rules only: it parses nothing here.
_RULES = LXMLTreeBuilder()
_STRING_CLASSES = _RULES.string_containers
_KEEPS_WHITESPACE = frozenset(_RULES.preserve_whitespace_tags)
_VOID = frozenset(_RULES.empty_element_tags)
_ATTRIBUTES = _RULES.attribute_dict_class
_ASCII_SPACES = " \n\t\x0c\r"


class ParsedTag(Tag):
    """A Tag whose find_parent(name) walks the parents directly.

    markdownify asks every element for find_parent('pre'); bs4's general matcher made that a third
    of the conversion time.
    """

    def find_parent(self, name=None, attrs={}, string=None, **kwargs):  # noqa: B006 - bs4's signature
        if isinstance(name, str) and not attrs and string is None and not kwargs:
            node = self.parent
            while node is not None:
                if node.name == name:
                    return node
                node = node.parent
            return None
        return super().find_parent(name, attrs, string, **kwargs)


# libxml2 builds trees at most about 2,000 elements deep and drops what is deeper; BeautifulSoup's
# own builder, fed by events, keeps it all. Posts that may nest deeper than this take that way.
MAX_TREE_DEPTH = 1000


def parse_body(html: str) -> Tag:
    """The <body> of html as a tree of bs4 objects (its parent is None when lxml built it)."""
    # in <body> from the first character: a post that starts with <meta>, <link> or <style> would
    # otherwise open the page's <head>, and libxml2 keeps the HTML5 elements after it (<figure>,
    # <section>) in the head, out of the body and of the post
    html = "<body>" + html
    if not depth_at_most(html, MAX_TREE_DEPTH):
        return _parse_by_events(html)
    parser = etree.HTMLParser(recover=True, huge_tree=True)
    parser.feed(html)  # feed(), not fromstring(): a pasted <?xml encoding=…?> is no error
    document = parser.close()
    body = document.find("body") if document is not None else None
    return _build(body)


def _parse_by_events(html: str) -> Tag:
    return BeautifulSoup(html, "lxml", element_classes={Tag: ParsedTag}).body


# Tags between < and a name: enough to tell how deep a post may nest, not to parse it.
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_VOID_NAMES = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def depth_at_most(html: str, limit: int) -> bool:
    """False when the tags may nest deeper than limit. A guess on the safe side: a tag counts as open
    until a closing tag of its name, so "<div>x</span>" repeated counts as deep, as parsers read it."""
    if html.count("<") <= limit:
        return True
    depth, open_by_name = 0, Counter()
    for match in _TAG_TOKEN.finditer(html):
        name = match.group(2).lower()
        if name in _VOID_NAMES:
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


_EVENTS = ("start", "end", "comment", "pi")


def _build(body) -> Tag:
    """One walk over lxml's tree, without recursion (posts nest thousands deep), in document order.

    Each node is made with its links to its parent, the sibling before it and the node before it in
    document order (bs4 chains every node to the next); only the nodes before it are touched after.
    """
    root = _new_node(ParsedTag, _tag_fields("body", _attributes("body", body.attrib) if body is not None else
                                            _ATTRIBUTES()), None, None, None)
    if body is None:
        return root
    last = root
    # per open element: its bs4 tag, whether it keeps white space, the class of its strings
    stack = [(root, False, NavigableString)]
    parent, keeps, strings = stack[-1]
    text = body.text
    for event, element in etree.iterwalk(body, events=_EVENTS):
        if text:  # the text before this event: an element's first text, or the tail of the one before
            if not keeps and not text.strip(_ASCII_SPACES):
                text = "\n" if "\n" in text else " "
            last = _add(_new_node(strings, _string_fields(), parent, last, text), parent, last)
        if element is body:
            text = None
            continue
        if event == "start":
            name = element.tag
            tag = _new_node(ParsedTag, _tag_fields(name, _attributes(name, element.attrib)), parent, last, None)
            last = _add(tag, parent, last)
            stack.append((tag, keeps or name in _KEEPS_WHITESPACE, _STRING_CLASSES.get(name, strings)))
            parent, keeps, strings = stack[-1]
            text = element.text
            continue
        if event == "end":
            stack.pop()
            parent, keeps, strings = stack[-1]
        elif event == "comment":
            last = _add(_new_node(Comment, _string_fields(), parent, last, element.text or ""), parent, last)
        else:
            last = _add(_new_node(ProcessingInstruction, _string_fields(), parent, last,
                                  f"{element.target} {element.text or ''}"), parent, last)
        text = element.tail
    return root


def _add(node, parent: Tag, last):
    """Put node last in parent and after last in document order; it is the new last."""
    contents = parent.contents
    if contents:
        contents[-1].next_sibling = node
    last.next_element = node
    contents.append(node)
    return node


_new_object = object.__new__
_new_str = str.__new__


def _new_node(cls: type, fields: dict, parent, last, text):
    """A bs4 node with its fields set in one go, as Tag.__init__ or the lxml builder would set them."""
    node = _new_object(cls) if text is None else _new_str(cls, text)
    fields["parent"] = parent
    fields["previous_element"] = last
    fields["previous_sibling"] = parent.contents[-1] if parent is not None and parent.contents else None
    node.__dict__ = fields
    return node


def _tag_fields(name: str, attributes) -> dict:
    fields = _TAG_FIELDS.get(name) or _tag_template(name)
    fields = fields.copy()  # one C-level copy of the fields every tag of this name starts with
    fields["attrs"] = attributes
    fields["contents"] = []
    fields["_namespaces"] = {}
    return fields


_TAG_FIELDS: dict[str, dict] = {}
_MAX_TEMPLATES = 500


def _tag_template(name: str) -> dict:
    """The fields Tag.__init__ would give a tag of this name, its attributes and children aside."""
    fields = {
        "parser_class": None, "name": name, "namespace": None, "_namespaces": None, "prefix": None,
        "sourceline": None, "sourcepos": None, "attribute_value_list_class": _RULES.attribute_value_list_class,
        "attrs": None, "known_xml": False, "contents": None, "next_element": None, "next_sibling": None,
        "hidden": False, "can_be_empty_element": name in _VOID, "cdata_list_attributes": _RULES.cdata_list_attributes,
        "preserve_whitespace_tags": _RULES.preserve_whitespace_tags,
        "interesting_string_types": ({_STRING_CLASSES[name]} if name in _STRING_CLASSES
                                     else Tag.MAIN_CONTENT_STRING_TYPES),
    }
    if len(_TAG_FIELDS) < _MAX_TEMPLATES:  # posts can make up any number of tag names
        _TAG_FIELDS[name] = fields
    return fields


def _string_fields() -> dict:
    return {"hidden": False, "next_element": None, "next_sibling": None}


def _attributes(name: str, attributes):
    """bs4's attribute dict: class, rel and the other space-separated attributes as lists, by bs4's own
    table of them (its method for this looks the table up for every attribute of every element)."""
    if not len(attributes):
        return _ATTRIBUTES()
    values = _ATTRIBUTES(attributes)
    lists = _LIST_ATTRIBUTES.get(name, _UNIVERSAL_LISTS)
    for key in values:  # an element has an attribute or two; the table has more
        if key in lists:
            dict.__setitem__(values, key, _VALUE_LIST(_NON_WHITESPACE.findall(values[key])))
    return values


_UNIVERSAL_LISTS = frozenset(_RULES.cdata_list_attributes.get("*", ()))
_LIST_ATTRIBUTES = {name: _UNIVERSAL_LISTS | names for name, names in _RULES.cdata_list_attributes.items()}
_VALUE_LIST = _RULES.attribute_value_list_class
_NON_WHITESPACE = re.compile(r"\S+")


def dismantle(root: Tag) -> None:
    """Break the links of a tree that is done with, so that it is freed at once.

    Every node points at its parent and its neighbours: a tree is one big reference cycle, left for
    Python's cyclic collector, which on a run of thousands of posts spent a fifth of the time
    finding them. Nothing in the tree may be used afterwards.
    """
    nodes = [root]
    node = root.next_element
    while node is not None:
        nodes.append(node)
        node = node.next_element
    for node in nodes:
        node.__dict__.clear()


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Tags whose text bs4 prints by rules of its own: a tree holding one is left to bs4.
_RAW_TEXT_TAGS = frozenset(("script", "style", "template", "textarea", "title"))


def to_html(root: Tag) -> str:
    """str(root), the way bs4 prints a tree (attributes sorted, & < > escaped, void tags as <br/>),
    in one plain walk; anything bs4 prints by rules of its own (CDATA, scripts) is left to bs4."""
    out: list[str] = []
    stack: list = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if type(node) is NavigableString:
                out.append(node.translate(_ESCAPES))
            elif type(node) is Comment:
                out.append(f"<!--{node}-->")
            elif type(node) is _Closing:
                out.append(node)
            else:
                return str(root)
            continue
        if node.hidden or node.prefix or node.name in _RAW_TEXT_TAGS:
            return str(root)
        attributes = []
        for key, value in sorted(node.attrs.items()):
            if isinstance(value, list):
                value = " ".join(value)
            elif not isinstance(value, str):
                return str(root)
            value = value.translate(_ESCAPES)
            if '"' not in value:
                attributes.append(f' {key}="{value}"')
            elif "'" not in value:
                attributes.append(f" {key}='{value}'")
            else:
                attributes.append(f' {key}="{value.replace(chr(34), "&quot;")}"')
        if not node.contents and node.can_be_empty_element:
            out.append(f"<{node.name}{''.join(attributes)}/>")
            continue
        out.append(f"<{node.name}{''.join(attributes)}>")
        stack.append(_Closing(f"</{node.name}>"))
        stack.extend(reversed(node.contents))
    return "".join(out)


class _Closing(str):
    """A closing tag waiting on to_html's stack."""
