"""Which images a post uses, the address worth downloading for each, and where its copy goes."""
from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlunsplit

from .htmltree import descendants
from .text import split_url

# Jetpack's image CDN: i0.wp.com/example.com/wp-content/uploads/x.jpg?resize=300%2C200&ssl=1
_JETPACK_HOST = re.compile(r"^i[0-3]\.wp\.com$", re.I)
# The size WordPress appends to a resized copy: photo-300x200.jpg, of photo.jpg.
_RESIZED = re.compile(r"-\d{1,5}x\d{1,5}(?=\.[A-Za-z0-9]{2,5}$)")
# Files a link can point at and still be the picture itself (a gallery linking to the full size).
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$", re.I)
_SRCSET_GAP = re.compile(r"[\s,]*")
_SRCSET_URL = re.compile(r"\S+")
# A srcset descriptor: a width (480w) or a density (2x).
_DESCRIPTOR = re.compile(r"^(\d+(?:\.\d+)?)[wx]$")
# Characters a downloaded file's name keeps (letters of any script, digits, . _ -); the rest become "-".
_UNSAFE_NAME = re.compile(r"[^\w.-]+")
# Where WordPress keeps uploads: the part of the path after this is kept as the local path.
_UPLOADS = "/wp-content/uploads/"
MEDIA_FOLDER = "images"


@dataclass(frozen=True)
class MediaRef:
    """One image a post uses: the address its text now holds, and the addresses to try, best first."""

    url: str
    candidates: tuple[str, ...]


def origin_of(url: str) -> str:
    """A Jetpack CDN address as the origin file's address; any other address as it is."""
    parts = split_url(url)
    if not _JETPACK_HOST.match(parts.hostname or ""):
        return url
    host, _, path = parts.path.lstrip("/").partition("/")
    if not host or not path:
        return url
    scheme = "https" if parse_qs(parts.query).get("ssl") == ["1"] or parts.scheme == "https" else "http"
    return urlunsplit((scheme, host, "/" + path, "", ""))


def srcset_candidates(srcset: str) -> list[tuple[str, float]]:
    """A srcset's (address, size) pairs, read as HTML reads them: an address is a run of
    non-space characters (commas inside it included, trailing ones not), its descriptors run to
    the next comma."""
    found, text, pos = [], srcset or "", 0
    while True:
        pos = _SRCSET_GAP.match(text, pos).end()
        if pos >= len(text):
            return found
        url = _SRCSET_URL.match(text, pos).group()
        pos += len(url)
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = text.find(",", pos)
            end = len(text) if end < 0 else end
            descriptor, pos = text[pos:end], end + 1
        size = _DESCRIPTOR.match(descriptor.strip())
        found.append((url, float(size.group(1)) if size else 1.0))


def largest_in_srcset(srcset: str) -> str:
    """The candidate of a srcset with the largest width (or density); "" when it holds none."""
    best, best_size = "", -1.0
    for url, size in srcset_candidates(srcset):
        if size > best_size:
            best, best_size = url, size
    return best


def points_at_an_image_file(url: str) -> bool:
    return bool(_IMAGE_FILE.search(split_url(url).path))


def full_size_of(img) -> str:
    """The address of an image's largest version: its srcset's largest, else the original a resized
    copy was made from (photo-150x150.jpg: photo.jpg); "" when the image has no address."""
    src = largest_in_srcset(img.get("srcset", "")) or (img.get("src") or "").strip()
    return candidates_for(src)[0] if src else ""


def candidates_for(url: str) -> tuple[str, ...]:
    """Addresses to try for an image: the original of a resized copy first, then the copy."""
    parts = split_url(url)
    original = _RESIZED.sub("", parts.path)
    if original != parts.path and _UPLOADS in parts.path:
        return urlunsplit(parts._replace(path=original)), url
    return (url,)


def local_path(url: str) -> str:
    """Where a downloaded image goes, relative to the content folder: images/2023/09/photo.jpg.

    Uploads keep their year/month folders; files from elsewhere go under their host name. Every
    segment is reduced to safe characters, so no address can name a path outside the folder.
    """
    parts = split_url(url)
    path = unquote(parts.path)
    if _UPLOADS in path:
        path = path.split(_UPLOADS, 1)[1]
    else:
        path = f"{parts.hostname or 'local'}/{path.lstrip('/')}"
    segments = [_UNSAFE_NAME.sub("-", s).strip(".-") for s in path.split("/")]
    segments = [s for s in segments if s] or ["image"]
    if parts.query:  # two addresses differing only in their query are two files
        stem, ext = posixpath.splitext(segments[-1])
        segments[-1] = f"{stem}-{hashlib.sha1(parts.query.encode()).hexdigest()[:8]}{ext}"
    return posixpath.join(MEDIA_FOLDER, *segments)


def is_remote(url: str) -> bool:
    return split_url(url).scheme in ("http", "https")


def prepare_images(root) -> list[MediaRef]:
    """Point each image at its best address and list what to download.

    srcset gives its largest candidate and is dropped (one file per image is kept); Jetpack CDN
    addresses become the origin file's; a link around an image to an image file is downloaded too.
    """
    refs: dict[str, MediaRef] = {}
    elements = list(descendants(root))
    for img in elements:
        if img.tag != "img":
            continue
        lazy = img.get("data-src") or img.get("data-lazy-src")
        src = largest_in_srcset(img.get("srcset", "")) or lazy or img.get("src", "")
        src = origin_of(src.strip())
        if not is_remote(src):
            continue
        img.set("src", src)
        for attribute in ("srcset", "sizes", "data-src", "data-lazy-src", "data-srcset"):
            img.attrib.pop(attribute, None)
        refs.setdefault(src, MediaRef(src, candidates_for(src)))
    for link in elements:
        if link.tag != "a" or link.get("href") is None:
            continue
        href = origin_of(link.get("href").strip())
        if is_remote(href) and points_at_an_image_file(href) \
                and next(link.iterdescendants("img"), None) is not None:
            link.set("href", href)
            refs.setdefault(href, MediaRef(href, candidates_for(href)))
    return list(refs.values())


def featured_image(url: str) -> MediaRef | None:
    url = origin_of(url.strip())
    return MediaRef(url, candidates_for(url)) if is_remote(url) else None
