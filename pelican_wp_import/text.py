"""Small text helpers shared by the rooms: plain text from WordPress HTML strings, and slugs."""
from __future__ import annotations

import functools
import html
import re
import unicodedata
from urllib.parse import SplitResult, unquote, urlsplit

_TAG = re.compile(r"<[^>]*>")
_SLUG_DROP = re.compile(r"[^\w\s-]", re.U)
_SLUG_JOIN = re.compile(r"[-\s]+", re.U)
# Characters no file name may hold on any system people publish from.
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')

MAX_SLUG_BYTES = 200


def plain_text(value: object) -> str:
    """An HTML fragment (or a {'rendered': ...} object) as one line of plain text."""
    if isinstance(value, dict):
        value = value.get("rendered", value.get("raw", ""))
    if not isinstance(value, str):
        return "" if value is None else str(value)
    # tags first, then entities, so an escaped '&lt;b&gt;' stays literal text
    text = html.unescape(_TAG.sub("", value) if "<" in value else value)
    return collapse_spaces(text)


def collapse_spaces(text: str) -> str:
    """Runs of white space as one space, none at the ends. White space: what str.isspace() says (every
    kind of non-breaking or odd space WordPress titles carry, as the pattern [\\s\\u200b\\ufeff]+ once
    found them: a test compares the two), and the zero-width space and BOM, made spaces first."""
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    if "\ufeff" in text:
        text = text.replace("\ufeff", " ")
    return " ".join(text.split())


def slugify(text: str) -> str:
    """A URL slug in the style of WordPress and Pelican: lower case, words joined by hyphens."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _SLUG_DROP.sub("", text)
    return _SLUG_JOIN.sub("-", text).strip("-_")


def safe_slug(slug: str, fallback: str = "post") -> str:
    """A slug that is one safe path segment of at most MAX_SLUG_BYTES bytes."""
    slug = unquote(slug or "")
    slug = _UNSAFE_IN_NAME.sub("-", slug)
    slug = re.sub(r"-{2,}", "-", slug).strip(" .-")
    if not slug or set(slug) <= {"."}:
        slug = fallback
    return truncate_bytes(slug, MAX_SLUG_BYTES).rstrip(" .-") or fallback


def is_safe_name(name: str) -> bool:
    """True for one path segment that is a safe file or folder name as it is."""
    return bool(name) and name not in (".", "..") and not _UNSAFE_IN_NAME.search(name) \
        and len(name.encode("utf-8")) <= MAX_SLUG_BYTES


def truncate_bytes(text: str, limit: int) -> str:
    """Cut text to at most limit UTF-8 bytes without splitting a character."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


# A URL's scheme as a browser reads it: after dropping spaces and control characters at the start
# and tabs and newlines anywhere (so "java&#9;script:" is javascript:).
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_LEADING = "".join(chr(c) for c in range(0x21))
# Schemes whose address runs code where it is opened. data: too, except for a picture.
_SCRIPT_SCHEMES = frozenset(("javascript", "vbscript", "livescript", "data"))


def unsafe_url_scheme(url: str, image: bool = False) -> str:
    """The scheme of an address that would run code (javascript:, vbscript:, data:), or "" for a safe one.

    A data: picture is safe where a picture is expected (image=True)."""
    if url.startswith(("https://", "http://")):
        return ""  # most addresses: their scheme is written plainly at the start
    url = _URL_IGNORED.sub("", url).lstrip(_URL_LEADING)
    match = _URL_SCHEME.match(url)
    if match is None:
        return ""
    scheme = match.group(1).lower()
    if scheme not in _SCRIPT_SCHEMES:
        return ""
    if scheme == "data" and image and url[match.end():].lower().startswith("image/"):
        return ""
    return scheme


_NO_URL = urlsplit("")


def split_url(url: str) -> SplitResult:
    """urlsplit, reading an address it refuses (an unclosed IPv6 bracket: "http://[x") as an empty one."""
    try:
        return urlsplit(url)
    except ValueError:
        return _NO_URL


HONORIFICS = frozenset("dr dr. mr mr. mrs mrs. ms ms. mx mx. prof prof. professor rev rev. sir dame".split())


@functools.lru_cache(maxsize=4096)  # the same bylines come back in post after post
def display_name(name: str) -> str:
    """A byline as shown: honorifics aside, spacing tidied."""
    words = name.split()
    while len(words) > 1 and words[0].lower() in HONORIFICS:
        words = words[1:]
    return " ".join(words).strip(" ,;:")
