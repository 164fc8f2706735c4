"""Hostile markup out of a post's HTML before it is parsed: nh3 (Ammonia), with what WordPress posts need kept.

Removed: scripts and styles with their content, event-handler attributes (on*), javascript:,
vbscript: and data: addresses (data: pictures aside), <object>, <embed>, forms and their controls,
<meta>, <base>, <link>, iframe srcdoc, inline styles that load an address, and iframes from hosts
outside an allowlist. Tags nh3 does not know (Word's <o:p>, custom elements) are unwrapped: their
text stays. Kept: figures and captions, tables, code with its language classes, video and audio,
footnotes, and every class and data- attribute the cleaning and the converter read.

Every removal worth a word is counted into one warning line for the post.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3

from .htmltree import depth_at_most, inner_html, parse_body
from .iframes import IFRAME_HOSTS
from .media import srcset_candidates
from .text import unsafe_url_scheme

__all__ = ["IFRAME_HOSTS", "Sanitizer", "refused_iframe_host"]

# What posts are made of. Anything else is unwrapped, its text kept.
KEPT_TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "iframe", "video", "audio", "source", "track", "picture", "figure", "figcaption", "section", "main",
    "address", "font", "big", "tfoot", "label", "fieldset", "legend",
}
# Removed with everything inside them: their content is code, a copy for browsers without scripts, or
# the title of a whole page pasted into the post.
_DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "title"}
# Removed tags worth naming in the warning; others (Word's <o:p>, custom elements) go silently.
_NAMED_TAGS = ("script", "style", "object", "embed", "applet", "form", "input", "button", "select", "textarea",
               "meta", "base", "link", "frame", "frameset", "svg", "math", "template")
# Where one of them may start, searched in the post's UTF-8 lowered to ASCII lower case: html5ever
# reads tag names that way, and a search of bytes skips to each '<' at once, where a search of text
# holding any character above U+00FF (curly quotes) looks at every character. (A case-insensitive
# search of the text also took "<ſcript" for a script, which html5ever does not.)
_NAMED_TAG = re.compile(rb"<(?:%s)[\t\n\f\r />]" % b"|".join(name.encode() for name in _NAMED_TAGS))
# In the output of a pass that keeps only the named tags (bare): a script or style with its text, or a tag.
_NAMED_IN_OUTPUT = re.compile(r"<(script|style)>[\s\S]*?</\1>|<(%s)>" % "|".join(_NAMED_TAGS))

_ANY = {"class", "id", "title", "lang", "dir", "style", "role", "align", "width", "height", "hidden", "translate",
        "itemprop", "itemscope", "itemtype"}
_TABLE_CELL = {"colspan", "rowspan", "valign", "headers", "scope", "abbr", "nowrap", "bgcolor"}
_ATTRIBUTES = {
    "*": _ANY,
    "a": {"href", "name", "rel", "target", "hreflang", "type", "download"},
    "area": {"href", "alt", "coords", "shape", "rel", "target"},
    "img": {"src", "srcset", "sizes", "alt", "loading", "decoding", "border", "usemap"},
    "iframe": {"src", "srcdoc", "allow", "allowfullscreen", "frameborder", "loading", "referrerpolicy", "scrolling",
               "name", "sandbox", "marginwidth", "marginheight", "webkitallowfullscreen", "mozallowfullscreen"},
    "video": {"src", "poster", "controls", "autoplay", "loop", "muted", "playsinline", "preload"},
    "audio": {"src", "controls", "autoplay", "loop", "muted", "preload"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "td": _TABLE_CELL, "th": _TABLE_CELL,
    "table": {"border", "cellpadding", "cellspacing", "summary", "bgcolor"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "ul": {"type"}, "li": {"value", "type"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "time": {"datetime"}, "data": {"value"}, "font": {"color", "face", "size"}, "hr": {"size", "noshade"},
    "details": {"open"}, "bdo": {"dir"},
}
# data- and aria- attributes are kept (the converter reads data-src, data-fn, data-lang); on* ones
# are let through to the filter only to be counted and removed.
_ATTRIBUTE_PREFIXES = {"data-", "aria-", "on"}
# Schemes nh3 lets through to the filter; an address with any other scheme is dropped by nh3.
# The script schemes are listed so that the filter sees, counts and removes them.
_URL_SCHEMES = set(nh3.ALLOWED_URL_SCHEMES) | {
    "javascript", "vbscript", "livescript", "data", "about", "skype", "callto", "whatsapp", "viber", "tg",
    "signal", "spotify", "steam", "zoommtg", "zoomus", "msteams", "slack", "facetime", "facetime-audio", "maps",
    "itms-apps", "market", "fb-messenger", "feed", "rtmp", "rtsp",
}
# Attributes that hold an address (or, for srcset, several), lazy-loading copies included.
_URL_ATTRIBUTE = re.compile(r"^(?:href|src|srcset|poster|cite|action|formaction|background|longdesc|lowsrc|"
                            r"dynsrc|codebase|ping|xlink:href)$|^data-[\w-]*(?:src|href|url|srcset|permalink|file)$")
# An inline style that loads something: url(), image-set(), IE's expression() and filters, @import,
# bindings. A backslash (a CSS escape can spell any of these) counts too.
_STYLE_LOADS = re.compile(r"\\|url\s*\(|image-set\s*\(|image\s*\(|src\s*\(|cross-fade\s*\(|element\s*\(|"
                          r"expression\s*\(|@import|behavior\s*:|-moz-binding|progid\s*:|javascript\s*:", re.I)
_CSS_COMMENT = re.compile(r"/\*[\s\S]*?(?:\*/|\Z)")
# An iframe as nh3 writes it (attribute values always in double quotes).
_IFRAME = re.compile(r'<iframe((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*>[\s\S]*?</iframe>')
_HAS_SRC = re.compile(r'\ssrc="')
# Void elements newer than libxml2's HTML parser, which nh3 writes without a closing slash: unclosed,
# libxml2 would put what follows them inside them.
_HTML5_VOID = re.compile(r"<(source|track|wbr)((?:\s+[^\s=>]+(?:=\"[^\"]*\")?)*)\s*>")
# html5ever takes quadratic time on very deep nesting (20,000 <div>s: a second; 100,000: half a
# minute): deeper posts are flattened first, as cleaning would flatten them anyway.
MAX_DEPTH = 1000


@dataclass(frozen=True)
class Sanitizer:
    """Sanitises a post's HTML string; cleaning calls it between its text repairs and its parse."""

    iframe_hosts: tuple[str, ...] = IFRAME_HOSTS

    def __call__(self, html: str, warnings: list[str]) -> str:
        html = _flatten_if_too_deep(html, warnings)
        removed = Counter()
        if _may_name_a_tag(html):  # the few posts that may hold one are looked at again by html5ever
            removed.update(_named_tags(html))
        cleaner, attribute_filter = _cleaner(tuple(self.iframe_hosts))
        attribute_filter.removed = removed
        try:
            clean = cleaner.clean(html)
        finally:
            attribute_filter.removed = Counter()
        if "<iframe" in clean:
            clean = _drop_iframes_without_source(clean, removed)
        if "<source" in clean or "<track" in clean or "<wbr" in clean:
            clean = _HTML5_VOID.sub(r"<\1\2/>", clean)
        if removed:
            warnings.append("sanitised: removed " + ", ".join(_described(key, n) for key, n in removed.items()))
        return clean


_PER_THREAD = threading.local()


def _cleaner(iframe_hosts: tuple[str, ...]) -> tuple[nh3.Cleaner, _AttributeFilter]:
    """The nh3 cleaner for these iframe hosts, made once per thread (its filter counts one post's removals
    at a time): building one converts every allowlist to Rust's types, a third of a call's cost."""
    made = getattr(_PER_THREAD, "cleaners", None)
    if made is None:
        made = _PER_THREAD.cleaners = {}
    if iframe_hosts not in made:
        attribute_filter = _AttributeFilter(iframe_hosts, Counter())
        made[iframe_hosts] = nh3.Cleaner(
            tags=set(KEPT_TAGS), clean_content_tags=set(_DROPPED_WITH_CONTENT), attributes=_ATTRIBUTES,
            generic_attribute_prefixes=_ATTRIBUTE_PREFIXES, attribute_filter=attribute_filter, strip_comments=False,
            link_rel=None, url_schemes=_URL_SCHEMES), attribute_filter
    return made[iframe_hosts]


# Allowed attributes that hold no address, no script and no style: the filter lets them through at once.
_PLAIN_ATTRIBUTES = frozenset(
    name for names in _ATTRIBUTES.values() for name in names
    if name not in ("style", "srcdoc") and not name.startswith("on") and not _URL_ATTRIBUTE.match(name))


class _AttributeFilter:
    """nh3's attribute callback: removes and counts what the allowlists alone cannot judge."""

    def __init__(self, iframe_hosts: tuple[str, ...], removed: Counter):
        self.iframe_hosts = iframe_hosts
        self.removed = removed

    def __call__(self, tag: str, name: str, value: str) -> str | None:
        if name in _PLAIN_ATTRIBUTES:
            return value  # most attributes: nothing in them can load or run anything
        if tag not in KEPT_TAGS:
            return None  # the element goes: nh3 asks about its attributes all the same
        if name.startswith("on"):
            self.removed[_noun(f"{name} attribute")] += 1
            return None
        if name == "srcdoc":
            self.removed[_noun("iframe srcdoc attribute")] += 1
            return None
        if name == "style" and _STYLE_LOADS.search(_CSS_COMMENT.sub("", value)):
            self.removed[("style attribute loading an address", "style attributes loading an address")] += 1
            return None
        if _URL_ATTRIBUTE.match(name):
            return self._address(tag, name, value)
        return value

    def _address(self, tag: str, name: str, value: str) -> str | None:
        image = tag in ("img", "source") and "src" in name
        urls = [url for url, _ in srcset_candidates(value)] if name.endswith("srcset") else [value]
        for url in urls:
            scheme = unsafe_url_scheme(url, image=image)
            if scheme:
                iframe = tag == "iframe" and name == "src"
                self.removed[_noun(f"<iframe> with a {scheme}: address") if iframe else
                             (f"{scheme}: address", f"{scheme}: addresses")] += 1
                return None
        if tag == "iframe" and name == "src":
            host = refused_iframe_host(value, self.iframe_hosts)
            if host is not None:
                self.removed[_noun(f"<iframe> from {host}")] += 1
                return None
        return value


def refused_iframe_host(src: str, hosts: tuple[str, ...]) -> str | None:
    """None when an iframe's address is on an allowed host; else the host, or a word for its absence."""
    # as a browser reads it: no tabs or newlines, no spaces at the ends, backslashes as slashes
    src = re.sub(r"[\t\n\r]", "", src).strip(" \x00\x0b\x0c").replace("\\", "/")
    try:
        parts = urlsplit(src)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return "an unreadable address"
    if parts.scheme not in ("http", "https", "") or not host:
        return "no host" if not host else host
    for entry in hosts:
        domain, _, path = entry.lower().partition("/")
        if (host == domain or host.endswith("." + domain)) and parts.path.startswith("/" + path):
            return None
    return host


# A pass that keeps the named tags only, bare (no thread keeps state in it).
_NAMED_ONLY = nh3.Cleaner(tags=set(_NAMED_TAGS), clean_content_tags=set(), attributes={}, link_rel=None)


def _may_name_a_tag(html: str) -> bool:
    """Whether html may hold one of the named tags (a few posts do; _named_tags then tells)."""
    return _NAMED_TAG.search(html.encode("utf-8", "surrogatepass").lower()) is not None


def _named_tags(html: str):
    """The names of the removed tags worth a word, found by html5ever itself (not in comments, attribute
    values or script text), in a second pass."""
    bare = _NAMED_ONLY.clean(html)
    for match in _NAMED_IN_OUTPUT.finditer(bare):
        yield _noun(f"<{match.group(1) or match.group(2)}>")


def _drop_iframes_without_source(html: str, removed: Counter) -> str:
    if _every_iframe_has_a_source(html):
        return html
    refused = sum(n for (key, _), n in removed.items() if key.startswith("<iframe>"))
    dropped = 0

    def drop(match: re.Match) -> str:
        nonlocal dropped
        if _HAS_SRC.search(match.group(1)):
            return match.group()
        dropped += 1
        return ""

    html = _IFRAME.sub(drop, html)
    if dropped > refused:
        removed[_noun("<iframe> without an address")] += dropped - refused
    return html


def _every_iframe_has_a_source(html: str) -> bool:
    """True when each <iframe's start tag, up to the first '>', has a src: nothing for _IFRAME to drop
    (its pattern looks at every character of the post; str.find skips ahead)."""
    at = html.find("<iframe")
    while at >= 0:
        end = html.find(">", at)
        if end < 0 or ' src="' not in html[at:end]:
            return False
        at = html.find("<iframe", end)
    return True


def _noun(one: str) -> tuple[str, str]:
    """What a removal is called, once and more than once: '<script>' stays, 'attribute' takes an s."""
    return one, one + "s" if one.endswith("attribute") else one


def _described(noun: tuple[str, str], count: int) -> str:
    return f"{count} {noun[count > 1]}"


def _flatten_if_too_deep(html: str, warnings: list[str]) -> str:
    """The HTML with tags nested deeper than cleaning keeps unwrapped, when it nests deeper than MAX_DEPTH."""
    if depth_at_most(html, MAX_DEPTH):
        return html
    from .clean import flatten_deep_nesting, take_inventory  # cleaning's own rule, one way to do it

    body = parse_body(html)
    held = list(body.iter())  # each element's Python object held while the tree is walked: see parse_body
    flatten_deep_nesting(take_inventory(body).too_deep, warnings)
    del held
    return inner_html(body)
