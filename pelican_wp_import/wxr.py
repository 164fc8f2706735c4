"""Read a WordPress export file (WXR: Tools → Export) as the REST API's post objects.

A WXR file is RSS with WordPress's own elements: the site's authors, categories and tags, then one
<item> per post, page, attachment, menu item and the like. Each post and page becomes the object
/wp/v2/posts?_embed would have given for it, with its byline, terms and featured image embedded,
so that everything after loading runs as it does for JSON. What differs is the content: the
export holds what the author wrote (no <p> where the classic editor left blank lines, shortcodes
unrendered), which cleaning repairs as it repairs scraped posts (wpautop, [caption]); a [gallery]
is rendered here from the export's attachments.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import BinaryIO
from bisect import bisect_right
from collections import Counter
from html import escape, unescape

from lxml import etree

from .model import ImportProblem, RawPost
from .resolve import as_int

_WP_NAMESPACE = "{http://wordpress.org/export/"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_EXCERPT = re.compile(r"^\{http://wordpress\.org/export/[0-9.]+/excerpt/\}encoded$")
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
# Items that are the site's machinery, not its writing: passed over with one line for the file.
_MACHINERY = frozenset(("nav_menu_item", "revision", "customize_changeset", "custom_css", "oembed_cache",
                        "wp_global_styles", "wp_template", "wp_template_part", "wp_navigation", "wp_block",
                        "wp_font_family", "wp_font_face", "user_request", "scheduled-action"))
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]")
_IDS = re.compile(r"""\bids\s*=\s*["']?([\d,\s]+)""")
_NO_DATE = "0000-00-00 00:00:00"


def load_wxr(raw: bytes, source: str, loaded) -> None:
    """The posts and pages of an export into loaded (a load.LoadedFile), all at once."""
    for part in read_export(lambda: io.BytesIO(raw), source):
        loaded.posts.extend(part.posts)
        loaded.warnings.extend(part.warnings)
        loaded.problems.extend(part.problems)


def read_export(open_file: Callable[[], BinaryIO], source: str, batch_bytes: int = 0,
                site_ahead: Future | None = None) -> Iterator:
    """The posts and pages of an export as load.LoadedFile parts of about batch_bytes of content each
    (0: one part). The items that are neither are counted in one warning, and a file that is no
    readable XML is a problem.

    The file is read twice, one item at a time, never held whole: first for what posts refer to (the
    site's authors and terms, and its attachments, which may come after the posts that show them),
    then for the posts, each handed on as soon as its part is full. open_file gives the file afresh.
    site_ahead: the first reading's result (a future of read_site()) when another process does it;
    the posts are then read at the same time, and held until it is known (see _posts_ahead). Either
    way the parts, warnings and problems are the same."""
    from .load import LoadedFile, Parts  # noqa: PLC0415 - load.py imports this module when it meets an export

    reading = _posts_ahead(open_file, site_ahead) if site_ahead is not None else _posts_after(open_file)
    try:
        site, damage = next(reading)
    except OSError as exc:
        yield LoadedFile(source, problems=[ImportProblem(f"cannot read file: {exc.strerror or exc}", source)])
        return
    if damage is not None and not site.items:
        message = f"a WordPress export that cannot be read as XML: {damage}"
        yield LoadedFile(source, problems=[ImportProblem(message, source)])
        return
    parts, index = Parts(source, batch_bytes), -1
    if damage is not None:
        parts.part.warnings.append(f"{source}: the export is not whole XML ({damage}); read as far as "
                                   f"it goes, {site.items} items")
    passed_over: Counter = Counter()
    try:
        for index, item, read_to in reading:
            if index >= site.items:
                raise _Changed
            if item is None:  # an attachment: read with the site
                continue
            if item["type"] in _MACHINERY or (item["type"] not in ("post", "page") and "post_type=" in item["link"]):
                # a type of no address of its own (contact forms, field groups, orders): nothing a visitor saw
                passed_over[item["type"]] += 1
                continue
            post = RawPost(_as_rest_post(item, site.authors, site.terms, site.media), source, index)
            parts.part.posts.append(post)
            if full := parts.filled(len(item["content"]) + 1000, read_to):  # 1000: the rest of its object
                yield full
        if index + 1 < site.items:
            raise _Changed
    except (_Changed, etree.XMLSyntaxError, OSError):
        # changed since it was first read, when it read whole: the items it gave are kept
        parts.part.problems.append(ImportProblem(
            f"the export changed while it was read: {site.items} items, then "
            f"{'more' if index >= site.items else index + 1}; the first {min(index + 1, site.items)} read", source))
    if passed_over:
        kinds = ", ".join(f"{kind} {count}" for kind, count in passed_over.most_common())
        parts.part.warnings.append(f"{source}: {sum(passed_over.values())} items of the site's machinery, "
                                   f"not posts or pages a visitor saw, passed over ({kinds})")
    yield parts.part


def read_site(path: str) -> tuple[_Site, str | None]:
    """The first reading of the export at path, for a process that does it while another reads the posts."""
    return _read_site(lambda: open(path, "rb"))  # noqa: SIM115 - _read_site closes it


def _read_site(open_file: Callable[[], BinaryIO]) -> tuple[_Site, str | None]:
    """What the posts refer to, and what is wrong with the file as XML (None: nothing). OSError when it
    cannot be read; a damaged file is read again as far as it goes, each item as whole as it came."""
    site = _Site()
    try:
        with open_file() as file:
            site.read(file, recover=False)
        return site, None
    except etree.XMLSyntaxError as exc:
        damage, site = str(exc.msg or exc), _Site()
    try:
        with open_file() as file:
            site.read(file, recover=True)
    except etree.XMLSyntaxError:
        pass
    return site, damage


def _posts_after(open_file: Callable[[], BinaryIO]) -> Iterator:
    """(site, damage) from the first reading, then (index, item, bytes read by then) of each item of the second."""
    site, damage = _read_site(open_file)
    yield site, damage
    yield from _posts_read(open_file, recover=damage is not None)


def _posts_read(open_file: Callable[[], BinaryIO], recover: bool) -> Iterator:
    """(index, item, bytes read by then) of each item of the file, read from its start."""
    with open_file() as file:
        for index, item in _items(file, recover):
            yield index, item, file.tell()


# The posts' reading reads at most this far into the file ahead of the first reading's result.
_AHEAD_BYTES = 8_000_000


def _posts_ahead(open_file: Callable[[], BinaryIO], site_ahead: Future) -> Iterator:
    """As _posts_after, the first reading done elsewhere (site_ahead): meanwhile the items are read
    from the start as whole XML (at most _AHEAD_BYTES of the file) and held. When the file turns out
    damaged they are let go of and read again as the first reading read them (libxml2 mends both
    readings alike). A first reading that did not end (its process died, the pool was shut down) is
    done here."""
    held: list = []
    failed: Exception | None = None  # what stopped the reading ahead: the file is read again, or it is said
    file = items = item = None
    try:
        try:
            file = open_file()
            items = _items(file, recover=False)
            while not site_ahead.done():
                item = next(items, None)
                if item is None:
                    break
                held.append((*item, file.tell()))
                if held[-1][2] >= _AHEAD_BYTES:
                    break
        except (etree.XMLSyntaxError, OSError) as exc:
            failed = exc
        site, damage = _site_of(site_ahead, open_file)
        yield site, damage
        if damage is None and file is not None:
            held.reverse()
            while held:
                yield held.pop()  # each let go of as it is handed on
            if failed is not None:
                raise failed  # whole at the first reading, not at this one: it changed, or the disk failed
            for index, item in items:
                yield index, item, file.tell()
            return
    finally:
        if file is not None:
            file.close()
    if damage is None:
        raise failed  # the file, read whole by the first reading, could not be opened again
    # let go of before the file is read again: what was read ahead, and the parse it came from (which
    # the exception's traceback holds too)
    held = items = item = failed = None
    yield from _posts_read(open_file, recover=True)


def _site_of(site_ahead: Future, open_file: Callable[[], BinaryIO]) -> tuple[_Site, str | None]:
    """The first reading's result; read here when the process reading it died or its pool was shut down.
    An OSError is the file's own: it could not be read."""
    try:
        return site_ahead.result()
    except OSError:
        raise
    except Exception:  # noqa: BLE001 - BrokenProcessPool, CancelledError: the reading is not lost
        return _read_site(open_file)


_OPTIONS = {"huge_tree": True, "resolve_entities": False, "no_network": True}
# Events only for what is read (an item's own children are read from it): the parse runs in C. Both
# readings ask for the same, so that libxml2 mends a damaged file the same way both times.
_WANTED = ("item", "{*}author", "{*}category", "{*}tag", "{*}term")


class _Changed(Exception):
    """The export does not hold the items it held when it was first read."""


class _Site:
    """What the posts of an export refer to: its authors, terms and attachments, and its count of items."""

    def __init__(self):
        self.authors: dict[str, dict] = {}
        self.terms: dict[tuple[str, str], dict] = {}  # (taxonomy, slug) -> term
        self.media: dict[int, dict] = {}  # attachments by id
        self.items = 0

    def read(self, file: BinaryIO, recover: bool) -> None:
        for element in _parse(file, recover):
            if element.tag == "item":
                self.items += 1
                if _item_type(element) == "attachment":
                    item = _read_item(element, "attachment")
                    if item["id"] is not None:  # the last of an id, as a search by id would give
                        self.media[item["id"]] = {key: item[key] for key in ("id", "url", "link", "parent",
                                                                              "menu_order")}
                        self.media[item["id"]]["meta"] = {key: value for key, value in item["meta"].items()
                                                          if key == "_wp_attachment_image_alt"}
                _let_go(element)
                continue
            name = _wp_name(element.tag)
            if element.getparent() is None or element.getparent().tag != "channel":
                continue
            if name == "author":
                _read_author(element, self.authors)
            elif name in ("category", "tag", "term"):
                _read_term(name, element, self.terms)


def _parse(file: BinaryIO, recover: bool) -> Iterator:
    """Each element of _WANTED as the parse finishes it: both readings of an export ask for the same."""
    for _, element in etree.iterparse(file, events=("end",), tag=_WANTED, recover=recover, **_OPTIONS):
        yield element


def _items(file: BinaryIO, recover: bool) -> Iterator[tuple[int, dict | None]]:
    """Each item of the export with its place, read and let go of in turn (None for an attachment,
    which the first reading kept what posts need of)."""
    index = 0
    for element in _parse(file, recover):
        if element.tag == "item":
            kind = _item_type(element)
            item = None if kind == "attachment" else _read_item(element, kind)
            _let_go(element)
            yield index, item
            index += 1


def _let_go(item) -> None:
    """An item read, and the item read before it, out of the tree the parse builds. Nothing else: what
    a damaged file's mending left open around or beside the items is still to be read."""
    item.clear()
    parent = item.getparent()
    previous = item.getprevious()
    while parent is not None and previous is not None and previous.tag == "item":
        parent.remove(previous)
        previous = item.getprevious()


def _item_type(element) -> str:
    """An item's post type: its first <wp:post_type> (or plain <post_type>), else "post"."""
    for child in element.iterchildren("{*}post_type"):  # lxml matches the name in C, in any namespace
        tag = child.tag
        if tag == "post_type" or tag.startswith(_WP_NAMESPACE):
            return (child.text or "").strip() or "post"
    return "post"


def _wp_name(tag: object) -> str:
    """The local name of an element in WordPress's export namespace (…/export/1.2/), else ""."""
    if not isinstance(tag, str) or not tag.startswith(_WP_NAMESPACE):
        return ""
    return tag[tag.index("}") + 1:]


def _children(element) -> dict[str, str]:
    """The texts of an element's children in WordPress's namespace (and the plain ones), by local name."""
    found = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _wp_name(child.tag) or child.tag
        found.setdefault(name, child.text or "")
    return found


def _read_author(element, authors: dict[str, dict]) -> None:
    fields = _children(element)
    login = fields.get("author_login", "").strip()
    if login:
        authors[login] = {"id": _number(fields.get("author_id")), "slug": login,
                          "name": fields.get("author_display_name", "").strip() or login}


def _read_term(kind: str, element, terms: dict) -> None:
    fields = _children(element)
    if kind == "category":
        taxonomy, slug, name = "category", fields.get("category_nicename"), fields.get("cat_name")
    elif kind == "tag":
        taxonomy, slug, name = "post_tag", fields.get("tag_slug"), fields.get("tag_name")
    else:
        taxonomy, slug, name = fields.get("term_taxonomy"), fields.get("term_slug"), fields.get("term_name")
    if taxonomy and slug:
        terms[(taxonomy, slug.strip())] = {"id": _number(fields.get("term_id")), "name": (name or slug).strip(),
                                           "slug": slug.strip(), "taxonomy": taxonomy}


def _read_item(element, kind: str) -> dict:
    """One <item> of post type kind, as plain values (the element is let go of afterwards)."""
    fields: dict[str, str] = {}
    content = excerpt = creator = ""
    terms: list[tuple[str, str, str]] = []
    meta: dict[str, str] = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag.startswith(_WP_NAMESPACE):
            name = tag[tag.index("}") + 1:]
            if name == "postmeta":
                pair = _children(child)
                if pair.get("meta_key"):
                    meta[pair["meta_key"]] = pair.get("meta_value", "")
            elif name not in fields:
                fields[name] = child.text or ""
        elif tag == _CONTENT:
            content = child.text or ""
        elif tag == _CREATOR:
            creator = (child.text or "").strip()
        elif tag == "category":
            if child.get("domain") and child.get("nicename"):
                terms.append((child.get("domain"), child.get("nicename").strip(), (child.text or "").strip()))
        elif _EXCERPT.match(tag):
            excerpt = child.text or ""
        elif tag not in fields:
            fields[tag] = child.text or ""
    item = {
        "id": _number(fields.get("post_id")), "title": fields.get("title", ""), "link": fields.get("link", ""),
        "guid": fields.get("guid", ""), "creator": creator, "content": content, "excerpt": excerpt,
        "type": kind, "status": fields.get("status", "").strip(),
        "slug": fields.get("post_name", "").strip(), "date": fields.get("post_date", ""),
        "date_gmt": fields.get("post_date_gmt", ""), "modified": fields.get("post_modified", ""),
        "modified_gmt": fields.get("post_modified_gmt", ""), "password": fields.get("post_password", ""),
        "sticky": fields.get("is_sticky", "0").strip() == "1", "parent": _number(fields.get("post_parent")),
        "menu_order": _number(fields.get("menu_order")), "url": fields.get("attachment_url", "").strip(),
        "terms": terms, "meta": meta,
    }
    return item


def _as_rest_post(item: dict, authors: dict, terms: dict, media: dict) -> dict:
    """An item as /wp/v2/posts?_embed gives a post."""
    post = {"id": item["id"], "slug": item["slug"], "status": item["status"] or "publish", "type": item["type"],
            "link": item["link"], "guid": {"rendered": item["guid"]}, "title": {"rendered": item["title"]},
            "content": {"rendered": _embeds(_galleries(item["content"], item["id"], media)),
                        "protected": bool(item["password"])},
            "excerpt": {"rendered": item["excerpt"]}, "sticky": item["sticky"]}
    if item["password"]:
        post["password_in_export"] = True
    for key in ("date", "date_gmt", "modified", "modified_gmt"):
        value = item[key].strip()
        if value and value != _NO_DATE:  # a draft has no GMT date yet
            post[key] = value.replace(" ", "T")
    if item["parent"]:
        post["parent"] = item["parent"]
    if item["menu_order"]:
        post["menu_order"] = item["menu_order"]
    embedded: dict = {}
    author = authors.get(item["creator"])
    if author is None and item["creator"]:
        author = {"id": None, "slug": item["creator"], "name": item["creator"]}
    if author is not None:
        if author["id"] is not None:
            post["author"] = author["id"]
        embedded["author"] = [{key: value for key, value in author.items() if value is not None}]
    by_taxonomy: dict[str, list[dict]] = {}
    for domain, slug, name in item["terms"]:
        taxonomy = "post_tag" if domain in ("post_tag", "tag") else domain  # "tag" in WXR 1.0
        term = dict(terms.get((taxonomy, slug)) or {"name": name or slug, "slug": slug, "taxonomy": taxonomy})
        if term.get("id") is None:
            term.pop("id", None)
        by_taxonomy.setdefault(taxonomy, []).append(term)
    if by_taxonomy:
        embedded["wp:term"] = [by_taxonomy.pop("category", []), by_taxonomy.pop("post_tag", []),
                               *by_taxonomy.values()]
    picture = media.get(_number(item["meta"].get("_thumbnail_id")))
    if picture is not None and picture["url"]:
        post["featured_media"] = picture["id"]
        embedded["wp:featuredmedia"] = [{"id": picture["id"], "source_url": picture["url"],
                                         "alt_text": _alt_text(picture),
                                         "link": picture["link"]}]
    if embedded:
        post["_embedded"] = embedded
    return post


def _galleries(content: str, post_id: int | None, media: dict) -> str:
    """[gallery ids="…"] as the figure of images WordPress rendered for it (the export keeps the
    shortcode, and the attachments it names); a [gallery] without ids showed the post's own uploads."""
    if "[gallery" not in content:
        return content

    def render(match: re.Match) -> str:
        ids = _IDS.search(match.group(1))
        if ids:
            pictures = [media.get(_number(n)) for n in ids.group(1).split(",")]
        else:
            pictures = sorted((p for p in media.values() if post_id is not None and p["parent"] == post_id),
                              key=lambda p: (p["menu_order"] or 0, p["id"]))
        images = "".join(f'<figure><img src="{escape(p["url"])}" alt="{escape(_alt_text(p))}"></figure>'
                         for p in pictures if p is not None and p["url"])
        return f'<figure class="gallery">{images}</figure>' if images else match.group()

    return _GALLERY.sub(render, content)


def _alt_text(attachment: dict) -> str:
    return attachment["meta"].get("_wp_attachment_image_alt", "")


# An address alone on its line (or in [embed]…[/embed]), which WordPress shows as what it points at.
_EMBED = re.compile(r"^([ \t]*)(?:\[embed[^\]]*\])?(https?://[^\s<>\"'\[\]]+)(?:\[/embed\])?[ \t]*$", re.M)
# Where an address is no embed: inside a tag (an attribute's value), a comment, code, a link, a
# script (WordPress's auto-embeds likewise skip what is inside tags).
_NO_EMBED = re.compile(r"<!--[\s\S]*?(?:-->|\Z)|<(pre|code|a|script|style|textarea)\b[\s\S]*?(?:</\1\s*>|\Z)"
                       r"|\[code\b[\s\S]*?(?:\[/code\]|\Z)|<[^>]*>?", re.I)
_YOUTUBE = re.compile(r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^#]*&)?v=|shorts/)|youtu\.be/)"
                      r"([\w-]{6,20})")
_VIMEO = re.compile(r"^https?://(?:www\.)?vimeo\.com/(\d+)")


def _embeds(content: str) -> str:
    """Addresses alone on a line, as WordPress's auto-embeds showed them: a YouTube or Vimeo player,
    else a link (the export keeps the bare address; the block editor's embed block holds it too)."""
    if not _may_hold_embed(content) or not _EMBED.search(content):
        return content
    kept = [match.span() for match in _NO_EMBED.finditer(content)]
    starts = [start for start, _ in kept]

    def embed(match: re.Match) -> str:
        at = bisect_right(starts, match.start()) - 1  # the last kept span starting before the address
        if at >= 0 and kept[at][1] > match.start():
            return match.group()
        return _embed(match)

    return _EMBED.sub(embed, content)


def _may_hold_embed(content: str) -> bool:
    """Whether some address starts a line or follows [embed]: str.find skips to each "http", where
    _EMBED's ^ is tried at every character of the post (most addresses are attribute values)."""
    at = content.find("http")
    while at >= 0:
        if at == 0 or content[at - 1] in "\n \t]":
            return True
        at = content.find("http", at + 4)
    return False


def _embed(match: re.Match) -> str:
    indent, url = match.group(1), unescape(match.group(2))
    youtube, vimeo = _YOUTUBE.match(url), _VIMEO.match(url)
    if youtube or vimeo:
        player = (f"https://www.youtube.com/embed/{youtube.group(1)}" if youtube
                  else f"https://player.vimeo.com/video/{vimeo.group(1)}")
        title = "YouTube video" if youtube else "Vimeo video"
        return (f'{indent}<iframe src="{player}" title="{title}" width="640" height="360" '
                'allowfullscreen></iframe>')
    return f'{indent}<a href="{escape(url)}">{escape(url)}</a>'


def _number(value: str | None) -> int | None:
    """An id of the export's text: as_int's, bounded (an id no database holds is no id, and int() of
    thousands of digits would stop the run)."""
    return as_int(value) if value is not None and len(value.strip()) < 19 else None
