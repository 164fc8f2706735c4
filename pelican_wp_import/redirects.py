"""Every old WordPress address of a site pointed at its new one: stub pages, _redirects, an nginx map, an id map.

WordPress answered many addresses besides the posts': /category/<slug>/, /tag/<slug>/,
/author/<user>/ (and their /page/N/ and /feed/), date archives /2023/, /2023/09/, /2023/09/05/,
/feed/, /page/N/, a post's /feed/ and /amp/, and ?p=123 or ?page_id=123 for any post. The map
from each old path to a new address is computed here from plain records (`NewSite`), so it is
tested without Pelican; the plugin fills those records from the build and writes, at the output root:

- a stub `index.html` at every old path the build left empty: a meta refresh, a canonical link
  and a plain link to the new address, noindex (a file the build made is never overwritten);
- `_redirects` (Netlify, Cloudflare Pages): `/old/ /new 301`, and `/ p=123 /new 301` per id,
  in Netlify's query form (Cloudflare Pages ignores those lines: the home page's script and the
  id map answer them there);
- `wp-redirects.nginx.conf`: `map $request_uri $wp_redirect { … }` to include in nginx's http block;
- `wp-ids.json`: post id -> new address, read by the theme's home page for ?p= and ?page_id= links.

Settings (all on by default; False or "" turns one off):

    WP_IMPORT_REDIRECTS = True                          # everything below
    WP_IMPORT_REDIRECT_STUBS = True
    WP_IMPORT_REDIRECTS_FILE = "_redirects"
    WP_IMPORT_NGINX_MAP = "wp-redirects.nginx.conf"
    WP_IMPORT_IDS_MAP = "wp-ids.json"
    WP_IMPORT_CATEGORY_BASE = "category"                # WordPress's Settings → Permalinks bases
    WP_IMPORT_TAG_BASE = "tag"
"""
from __future__ import annotations

import html
import json
import logging
import math
import os
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote

from .load import read_head
from .permalinks import BASE_SETTING, base_path, file_of, is_file_path, old_path
from .resolve import as_int
from .text import split_url

logger = logging.getLogger(__name__)

SETTINGS = {  # setting -> default
    "WP_IMPORT_REDIRECTS": True,
    "WP_IMPORT_REDIRECT_STUBS": True,
    "WP_IMPORT_REDIRECTS_FILE": "_redirects",
    "WP_IMPORT_NGINX_MAP": "wp-redirects.nginx.conf",
    "WP_IMPORT_IDS_MAP": "wp-ids.json",
    "WP_IMPORT_CATEGORY_BASE": "category",
    "WP_IMPORT_TAG_BASE": "tag",
}
CONTEXT_KEY = "wp_ids_json"  # the id map's address, for the theme's home page; absent when there is none
AUTHOR_BASE = "author"  # WordPress has no setting for it
WORDPRESS_PER_PAGE = 10  # WordPress's default "Blog pages show at most": its /page/N/ went this far
# Feeds WordPress serves for the whole site; /comments/feed/ goes to the posts' feed, the nearest there is.
SITE_FEEDS = ("feed/", "feed/atom/", "feed/rss/", "feed/rss2/", "feed/rdf/", "rss/", "comments/feed/")
# Addresses WordPress adds under every post.
POST_SUFFIXES = ("feed/", "amp/")
STUB_MARK = '<meta name="generator" content="pelican_wp_import redirect">'
REDIRECTS_HEADER = "# Old WordPress addresses, written by pelican_wp_import from here on."
NGINX_HEADER = "# Old WordPress addresses, written by pelican_wp_import."
# The target of a stub's meta refresh, as this module writes it.
_REFRESH_TARGET = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]*)">')
# Characters kept as they are in addresses written to files; everything else is percent-encoded.
_URL_SAFE = "/:?#[]@!&'()*+,;=%~"
# Lists of content the public could reach on the old site.
LISTED = ("articles", "translations", "pages")
# Query parameters by which WordPress finds any post or page by id.
ID_PARAMETERS = ("p", "page_id")


# --- the map, from plain records --------------------------------------------------------------------

@dataclass
class Listing:
    """A list of articles on the new site: the address of each of its pages, its feed, how many it holds."""

    pages: list[str]
    feed: str = ""
    count: int = 0


@dataclass
class Entry:
    """A post or page on the new site, and what WordPress knew of it."""

    url: str
    link: str = ""
    wp_id: int | None = None


@dataclass
class NewSite:
    """What the map needs to know of the new site."""

    entries: list[Entry]
    home: Listing
    archives: str  # where anything without a better page goes
    categories: dict[str, Listing] = field(default_factory=dict)  # WordPress slug -> listing
    # a term's old path that is not <base>/<slug>/ (a child category, a base of the site's own) ->
    # ("categories" or "tags", WordPress slug)
    term_paths: dict[str, tuple[str, str]] = field(default_factory=dict)
    tags: dict[str, Listing] = field(default_factory=dict)
    authors: dict[str, Listing] = field(default_factory=dict)
    periods: dict[tuple, str] = field(default_factory=dict)  # (y,), (y, m), (y, m, d) -> period archive
    dates: list[date] = field(default_factory=list)  # every post's date
    profiles: dict[str, str] = field(default_factory=dict)  # a bio's "More about" link on the old site -> author page
    # the old site's archives that no post names (from its /categories, /tags, /users): old link -> listing
    old_listings: dict[str, Listing] = field(default_factory=dict)
    attachments: dict[str, int] = field(default_factory=dict)  # an attachment page's old link -> its post's id


def _target_file(url: str) -> str:
    return file_of(split_url(url).path)


class _Rules(dict):
    """old path -> new address; the first rule for a path wins, and a path that is its own target is left out."""

    def add(self, old: str, new: str) -> None:
        if old and old not in self and file_of(old) != _target_file(new):
            self[old] = new


def _folder(path: str) -> str:
    return path if path.endswith("/") else path + "/"


def _entry_rules(rules: _Rules, entries: list[Entry], base: str) -> None:
    for entry in entries:
        path = old_path(entry.link, base)
        if not path:
            continue
        rules.add(path, entry.url)
        if not is_file_path(path):
            for suffix in POST_SUFFIXES:
                rules.add(_folder(path) + suffix, entry.url)


def _listing_rules(rules: _Rules, prefix: str, listing: Listing) -> None:
    """prefix (e.g. 'category/news/'), its old pages /page/N/ and its feed."""
    rules.add(prefix, listing.pages[0])
    wordpress_pages = math.ceil(listing.count / WORDPRESS_PER_PAGE)
    for number in range(2, max(len(listing.pages), wordpress_pages) + 1):
        rules.add(f"{prefix}page/{number}/", listing.pages[min(number, len(listing.pages)) - 1])
    if prefix:
        rules.add(prefix + "feed/", listing.feed or listing.pages[0])


def _date_rules(rules: _Rules, site: NewSite) -> None:
    """/YYYY/, /YYYY/MM/, /YYYY/MM/DD/ and their /page/N/: the nearest period archive the site has
    (one page, as Pelican writes them), else the archives."""
    posts = Counter()
    for day in site.dates:
        posts.update([(day.year,), (day.year, day.month), (day.year, day.month, day.day)])
    done = set()
    for day in sorted(set(site.dates), reverse=True):
        keys = [(day.year,), (day.year, day.month), (day.year, day.month, day.day)]
        for depth in range(1, 4):
            if keys[depth - 1] in done:  # a year or a month: its rules came with its first day
                continue
            done.add(keys[depth - 1])
            found = next((site.periods[k] for k in reversed(keys[:depth]) if k in site.periods), site.archives)
            path = "/".join(f"{n:02d}" for n in keys[depth - 1]) + "/"
            rules.add(path, found)
            for number in range(2, math.ceil(posts[keys[depth - 1]] / WORDPRESS_PER_PAGE) + 1):
                rules.add(f"{path}page/{number}/", found)


def address_map(site: NewSite, old_base: str = "", category_base: str = "category", tag_base: str = "tag"
                ) -> dict[str, str]:
    """Old path (from the site root, as WordPress answered it) -> new address, for every old address
    whose page moved. Posts come first, then the site's lists, then date archives."""
    rules = _Rules()
    _entry_rules(rules, site.entries, base_path(old_base))
    for link, url in site.profiles.items():
        rules.add(old_path(link, base_path(old_base)), url)
    _listing_rules(rules, "", site.home)
    for path in SITE_FEEDS:
        rules.add(path, site.home.feed or site.home.pages[0])
    for base, listings in ((category_base, site.categories), (tag_base, site.tags), (AUTHOR_BASE, site.authors)):
        for slug, listing in listings.items():  # a slug that is not ASCII comes percent-encoded
            _listing_rules(rules, f"{base.strip('/')}/{unquote(slug)}/", listing)
    for link, (kind, slug) in site.term_paths.items():
        listing = getattr(site, kind).get(slug)
        path = old_path(link, base_path(old_base))
        if listing is not None and path:
            _listing_rules(rules, path if path.endswith("/") else path + "/", listing)
    for link, listing in site.old_listings.items():
        path = old_path(link, base_path(old_base))
        if path:
            _listing_rules(rules, _folder(path), listing)
    posts = id_map(site.entries)
    for link, post in site.attachments.items():  # the page of a picture: the post it was uploaded to
        path = old_path(link, base_path(old_base))
        if path and str(post) in posts:
            rules.add(path, posts[str(post)])
    _date_rules(rules, site)
    return dict(rules)


def id_map(entries: list[Entry]) -> dict[str, str]:
    """WordPress post id (as text) -> new address; ids are unique across posts and pages."""
    ids: dict[str, str] = {}
    for entry in sorted((e for e in entries if e.wp_id is not None), key=lambda e: e.wp_id):
        ids.setdefault(str(entry.wp_id), entry.url)
    return ids


# --- what is written ----------------------------------------------------------------------------------

def encoded(url: str) -> str:
    """An address as it travels in HTTP: non-ASCII and spaces percent-encoded, escapes kept."""
    return quote(url, safe=_URL_SAFE)


def relative_href(from_file: str, to_url: str) -> str:
    """The link from an output file to an address, both from the site root."""
    # posixpath.relpath would ask the system for the working folder twice per call, thousands of times a build
    start, goal = _steps(posixpath.dirname(from_file)), _steps(to_url)
    common = 0
    for a, b in zip(start, goal):
        if a != b:
            break
        common += 1
    target = "/".join([".."] * (len(start) - common) + goal[common:]) or "."
    if to_url.endswith("/") or not to_url:
        target = "./" if target == "." else target + "/"
    return target


def _steps(path: str) -> list[str]:
    path = posixpath.normpath(path or ".")
    return [] if path == "." else path.split("/")


def stub_href(old: str, new: str, site_url: str = "") -> str:
    """Where a stub at an old path sends the reader: absolute under an absolute SITEURL, else relative."""
    if "://" in new or new.startswith("/"):
        return encoded(new)
    if "://" in site_url:
        return encoded(site_url.rstrip("/") + "/" + new)
    return encoded(relative_href(file_of(old), new))


def stub_html(href: str) -> str:
    """A page that sends the reader on at once, tells search engines where the page went, and is not indexed."""
    target = html.escape(href, quote=True)
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"{STUB_MARK}\n"
            '<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n'
            f'<link rel="canonical" href="{target}">\n'
            "<title>Moved</title>\n</head>\n<body>\n"
            f'<p>This page has moved: <a href="{target}">{target}</a></p>\n'
            "</body>\n</html>\n")


def site_path(site_url: str) -> str:
    """The folder a site is published in, from SITEURL: '/pelican-wp-import' for a GitHub project site."""
    return split_url(site_url).path.rstrip("/") if "://" in site_url else ""


def _absolute(url: str, root: str) -> str:
    return url if "://" in url else encoded(f"{root}/{url}")


def redirects_file(rules: dict[str, str], ids: dict[str, str], site_url: str = "") -> str:
    """Netlify and Cloudflare Pages `_redirects`: one `from to 301` per line, ids in Netlify's query form."""
    root = site_path(site_url)
    lines = [REDIRECTS_HEADER, "# The ?p= and ?page_id= lines are Netlify's query form; Cloudflare Pages skips them."]
    lines += [f"{encoded(f'{root}/{old}')} {_absolute(new, root)} 301" for old, new in sorted(rules.items())]
    lines += [f"{root}/ {name}={post_id} {_absolute(new, root)} 301"
              for post_id, new in ids.items() for name in ID_PARAMETERS]
    return "\n".join(lines) + "\n"


def _nginx_string(value: str) -> str:
    # nginx reads $ as a variable even in quotes; a percent escape keeps the address the same
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "%24") + '"'


def _spellings(path: str) -> list[str]:
    """How a request may spell a path: nginx compares $request_uri as it came, and WordPress wrote
    the escapes of its slugs in lower case (%c3%a9) where a browser that escapes a link writes %C3%A9."""
    upper = encoded(path)
    lower = _ESCAPE.sub(lambda m: m.group().lower(), upper)
    return [upper] if lower == upper else [upper, lower]


_ESCAPE = re.compile(r"%[0-9A-F]{2}")


def nginx_map(rules: dict[str, str], ids: dict[str, str], site_url: str = "") -> str:
    """An nginx `map` of old request URIs to new addresses, for `return 301 $wp_redirect;`."""
    root = site_path(site_url)
    pairs = [(uri, _absolute(new, root)) for old, new in sorted(rules.items()) for uri in _spellings(f"{root}/{old}")]
    pairs += [(f"{root}/?{name}={post_id}", _absolute(new, root))
              for post_id, new in ids.items() for name in ID_PARAMETERS]
    body = "".join(f"    {_nginx_string(old)} {_nginx_string(new)};\n" for old, new in pairs)
    return (NGINX_HEADER + " Include this file in nginx's http block, then in\n"
            "# the server block:  if ($wp_redirect) { return 301 $wp_redirect; }\n"
            "map $request_uri $wp_redirect {\n"
            '    default "";\n' + body + "}\n")


_MARK = STUB_MARK.encode("ascii")
_HEAD = 8192  # bytes of a file read to find the mark: a stub holds it in its first hundred


def is_stub(path: Path) -> bool:
    """True for a file this module wrote (and may write again), False for anything else."""
    try:
        return _MARK in read_head(path, _HEAD)
    except OSError:
        return False


def made_by_build(output: Path, old: str, stubs: dict[str, bytes] | None = None) -> bool:
    """True when the build (or a hand) put something at an old path: it is never replaced.
    A stub found there is added to stubs (path -> its first bytes) when given, for the writer."""
    target = os.path.join(output, file_of(old))
    try:
        head = read_head(target, _HEAD)  # one open: is anything there, and is it our stub
    except (FileNotFoundError, NotADirectoryError):
        return os.path.islink(target)  # nothing there, or a dangling link, which is somebody's
    except OSError:  # a folder, a file we may not read: not ours
        return True
    if _MARK not in head:
        return True
    if stubs is not None:
        stubs[target] = head
    return False


def write_stubs(output: Path, rules: dict[str, str], site_url: str = "") -> list[str]:
    """A stub at every old path that holds nothing the build made; the old paths written."""
    return _write_stub_files(output, *_live_rules(output, rules), site_url)


def _live_rules(output: Path, rules: dict[str, str]) -> tuple[dict[str, str], dict[str, bytes]]:
    """The rules whose old path holds nothing the build made, and our stubs found at those paths
    (path -> first bytes), read once here for the writer."""
    stubs: dict[str, bytes] = {}
    return {old: new for old, new in rules.items() if not made_by_build(output, old, stubs)}, stubs


def _write_stub_files(output: Path, rules: dict[str, str], found: dict[str, bytes], site_url: str) -> list[str]:
    """A stub at each old path (none of them holds anything but our stubs); the old paths written.
    found: the stubs already there, as made_by_build read them (path -> first bytes).

    Thousands of them at a time (a few per post), so each costs what it must: a folder made once,
    the file written only when it is new or says something else, and read at most once."""
    written, folders = [], set()
    for old, new in rules.items():
        name = file_of(old)
        target = os.path.join(output, name)
        text = stub_html(stub_href(old, new, site_url)).encode("utf-8")
        try:
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            if len(text) < _HEAD:
                same = found.get(target) == text  # such a file was read whole by made_by_build
            else:
                same = _unchanged(target, text)  # a longer stub: read again
            if same:
                written.append(old)
                continue
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                os.write(fd, text)
            finally:
                os.close(fd)
        except OSError as exc:  # a file where a folder should be, and the like
            logger.warning("No redirect stub at %s: %s", name, exc)
            continue
        written.append(old)
    return written


def _unchanged(target: str, text: bytes) -> bool:
    try:
        return read_head(target, len(text) + 1) == text
    except OSError:
        return False


def merge_redirects(existing: str, ours: str) -> str:
    """A _redirects file the site already has keeps its rules, first; ours replace what we wrote before."""
    at = existing.find(REDIRECTS_HEADER)
    theirs = (existing[:at] if at >= 0 else existing).rstrip("\n")
    return (theirs + "\n\n" if theirs.strip() else "") + ours


def _is_id_map(text: str) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and all(k.isdigit() and isinstance(v, str) for k, v in data.items())


def _write_beside(path: Path, text: str, ours) -> None:
    """Write a file at the output root unless something else is there already."""
    if path.exists() and not ours(path.read_text("utf-8", errors="replace")):
        logger.warning("%s is not one pelican_wp_import wrote; left as it is", path)
        return
    path.write_text(text, encoding="utf-8")


def write_redirects(output: Path, rules: dict[str, str], ids: dict[str, str], settings: dict) -> dict[str, str]:
    """Stubs, _redirects, the nginx map and the id map, as the settings ask; the rules that apply
    (those whose old path holds nothing the build made)."""
    output = Path(output)
    live, stubs = _live_rules(output, rules)
    site_url = str(settings.get("SITEURL") or "")
    if setting(settings, "WP_IMPORT_REDIRECT_STUBS"):
        _write_stub_files(output, live, stubs, "" if settings.get("RELATIVE_URLS") else site_url)
    name = setting(settings, "WP_IMPORT_REDIRECTS_FILE")
    if name:
        path = output / name
        existing = path.read_text("utf-8", errors="replace") if path.is_file() else ""
        path.write_text(merge_redirects(existing, redirects_file(live, ids, site_url)), encoding="utf-8")
    name = setting(settings, "WP_IMPORT_NGINX_MAP")
    if name:
        _write_beside(output / name, nginx_map(live, ids, site_url), lambda text: NGINX_HEADER in text)
    name = setting(settings, "WP_IMPORT_IDS_MAP")
    if name and ids:
        _write_beside(output / name, json.dumps(ids, indent=1) + "\n", _is_id_map)
    return live


def setting(settings: dict, name: str):
    """A redirect setting's value; every one is off when WP_IMPORT_REDIRECTS is."""
    if not settings.get("WP_IMPORT_REDIRECTS", True):
        return None
    return settings.get(name, SETTINGS[name])


# --- checking a built site ------------------------------------------------------------------------------

def _stub_target(path: Path) -> str | None:
    if not is_stub(path):
        return None
    found = _REFRESH_TARGET.search(path.read_text("utf-8"))
    return html.unescape(found.group(1)) if found else ""


def _resolve(href: str, from_file: str, site_url: str) -> str | None:
    """A stub's link as a path from the site root, None when it leaves the site."""
    if "://" in href:
        if not site_url or not href.startswith(site_url.rstrip("/") + "/"):
            return None
        return unquote(href[len(site_url.rstrip("/")) + 1:])
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_file), unquote(href)))
    joined = "" if joined == "." else joined
    return joined + "/" if href.endswith("/") and joined else joined


def resolve_address(output: Path, address: str, site_url: str = "", ids_file: str = "wp-ids.json") -> str:
    """Where an old address ends in a built site: the output file (from the output folder) that answers
    it after following stubs, or a sentence saying why it does not resolve (starting with 'no ')."""
    output = Path(output)
    address = address.lstrip("/")
    if not address.startswith("?"):
        address = unquote(address)  # as a web server reads it: /tag/%c3%a9t%c3%a9/ is tag/été/
    if address.startswith("?"):
        query = parse_qs(address[1:])
        post_id = next((query[name][0] for name in ID_PARAMETERS if name in query), None)
        ids = json.loads((output / ids_file).read_text("utf-8")) if (output / ids_file).exists() else {}
        if post_id not in ids:
            return f"no entry for {address} in {ids_file}"
        address = ids[post_id]
    current = file_of(address)
    for _ in range(5):
        path = output / current
        if not path.is_file():
            return f"no file {current}"
        href = _stub_target(path)
        if href is None:
            return current
        target = _resolve(href, current, site_url)
        if target is None:
            return f"no page on this site at {href} (from {current})"
        current = _target_file(target)
    return f"no end to the stubs from {address}"


def check_addresses(output_dir, addresses, site_url: str = "", ids_file: str = "wp-ids.json") -> list[str]:
    """Every old address that does not resolve in a built site, with the reason; [] when all do.

    Addresses are paths from the site root as WordPress answered them ('category/news/',
    '2023/09/05/some-slug/', 'feed/') or its id links ('?p=123', '?page_id=7'). A path resolves
    when its file exists and, when that file is a stub, the stub's target exists too.
    """
    problems = []
    for address in addresses:
        found = resolve_address(Path(output_dir), address, site_url, ids_file)
        if found.startswith("no "):
            problems.append(f"{address}: {found}")
    return problems


# --- from a Pelican build ---------------------------------------------------------------------------------

def feed_of(settings: dict, prefix: str, slug: str = "") -> str:
    """The address of a feed Pelican writes (Atom first, then RSS), '' when neither is set."""
    for key in (f"{prefix}_ATOM", f"{prefix}_RSS"):
        if settings.get(key):
            return str(settings.get(f"{key}_URL") or settings[key]).format(slug=slug)
    return ""


def listing_of(save_as: str, url: str, articles: list, settings: dict, template: str, feed: str = "") -> Listing:
    """A list page's addresses, page by page, as Pelican's writer paginates it."""
    from pelican.paginator import Paginator

    templates = settings.get("PAGINATED_TEMPLATES") or {}
    per_page = (templates.get(template) or settings.get("DEFAULT_PAGINATION")) if template in templates else None
    paginator = Paginator(save_as, url, articles, settings, per_page)
    return Listing([url] + [paginator.page(n).url for n in paginator.page_range[1:]], feed, len(articles))


def entry_of(content) -> Entry:
    return Entry(content.url, str(getattr(content, "wp_link", "") or ""), as_int(getattr(content, "wp_id", None)))


def _wordpress_slugs(articles: list, key: str, names_key: str = "") -> dict[str, tuple[str, int]]:
    """WordPress slug -> (name, article count) for the categories, tags or authors the articles had
    on the old site: `wp_terms` (name -> slug) for the names in `names_key`, or `wp_authors`."""
    found: dict[str, tuple[str, int]] = {}
    for article in articles:
        slugs = getattr(article, key, None)
        if not isinstance(slugs, dict):
            continue
        names = getattr(article, names_key, None) if names_key else list(slugs)
        for name in names if isinstance(names, (list, tuple)) else []:
            name = str(getattr(name, "name", name))
            slug = slugs.get(name)
            if isinstance(slug, str) and slug:
                first, count = found.get(slug, (name, 0))
                found[slug] = (first, count + 1)
    return found


def _term_paths(articles: list) -> dict[str, tuple[str, str]]:
    """Old path -> ("categories" or "tags", WordPress slug), from `wp_term_paths` (name -> path)."""
    found: dict[str, tuple[str, str]] = {}
    for article in articles:
        paths, slugs = getattr(article, "wp_term_paths", None), getattr(article, "wp_terms", None)
        if not isinstance(paths, dict) or not isinstance(slugs, dict):
            continue
        categories = {str(getattr(c, "name", c)) for c in getattr(article, "categories", None) or []}
        for name, path in paths.items():
            slug = slugs.get(name)
            if isinstance(path, str) and isinstance(slug, str) and slug:
                found.setdefault(path, ("categories" if name in categories else "tags", slug))
    return found


def _built(pairs, settings: dict, template: str, feed_prefix: str) -> dict[str, Listing]:
    """Name -> listing, for each category, tag or author page the build writes."""
    return {item.name: listing_of(item.save_as, item.url, articles, settings, template,
                                  feed_of(settings, feed_prefix, item.slug))
            for item, articles in pairs}


def _pointed(wordpress: dict[str, tuple[str, int]], *built: dict[str, Listing], fallback: str) -> dict[str, Listing]:
    """WordPress slug -> the first built listing of that name, else the fallback page."""
    out = {}
    for slug, (name, count) in wordpress.items():
        out[slug] = next((b[name] for b in built if name in b), None) or Listing([fallback], count=count)
    return out


def _home(settings: dict, articles: list) -> Listing:
    feed = feed_of(settings, "FEED_ALL") or feed_of(settings, "FEED")
    if "index" not in (settings.get("DIRECT_TEMPLATES") or []):
        return Listing([""], feed, len(articles))
    save_as = settings.get("INDEX_SAVE_AS") or "index.html"
    return listing_of(save_as, settings.get("INDEX_URL", save_as), articles, settings, "index", feed)


def site_from_generators(generators) -> NewSite | None:
    """The records the map needs, from a build's generators once every content has its address.

    Hidden posts are left out: WordPress did not show private posts, and the id map is public.
    """
    articles_generator = next((g for g in generators if hasattr(g, "articles") and hasattr(g, "categories")), None)
    if articles_generator is None:
        return None
    settings, articles = articles_generator.settings, articles_generator.articles
    home = _home(settings, articles)
    archives = (settings.get("ARCHIVES_URL") or settings.get("ARCHIVES_SAVE_AS") or "archives.html"
                if "archives" in (settings.get("DIRECT_TEMPLATES") or []) else home.pages[0])
    tags = articles_generator.tags
    built_categories = _built(articles_generator.categories, settings, "category", "CATEGORY_FEED")
    built_tags = _built(tags.items() if isinstance(tags, dict) else tags, settings, "tag", "TAG_FEED")
    built_authors = _built(articles_generator.authors, settings, "author", "AUTHOR_FEED")
    periods = {tuple(p["period_num"]): p["url"]
               for group in (getattr(articles_generator, "period_archives", None) or {}).values() for p in group}
    contents = [c for g in generators for name in LISTED for c in getattr(g, name, None) or []]
    old_listings, attachments = _old_site(contents, settings, archives, {
        "category": (built_categories, built_tags), "tag": (built_tags, built_categories), "author": (built_authors,)})
    return NewSite(
        entries=[entry_of(c) for c in contents],
        home=home, archives=archives,
        categories=_pointed(_wordpress_slugs(articles, "wp_terms", "categories"), built_categories, built_tags,
                            fallback=archives),
        tags=_pointed(_wordpress_slugs(articles, "wp_terms", "tags"), built_tags, built_categories, fallback=archives),
        authors=_pointed(_wordpress_slugs(articles, "wp_authors"), built_authors, fallback=archives),
        term_paths=_term_paths(articles),
        periods=periods, dates=[a.date.date() for a in articles if getattr(a, "date", None)],
        profiles=_profile_links(articles, built_authors), old_listings=old_listings, attachments=attachments)


def _old_site(contents: list, settings: dict, archives: str, built: dict[str, tuple]) -> tuple[dict, dict]:
    """The old site's archives that no post names, each to the new page of that name (else the
    archives), and its attachment pages' posts: from the manifests and sidecars beside the posts."""
    from .oldsite import of_build  # noqa: PLC0415

    listings, attachments = {}, {}
    for address in of_build(contents, settings):
        if address.kind == "attachment":
            attachments[address.link] = address.post
        else:
            found = next((pages[address.name] for pages in built[address.kind] if address.name in pages), None)
            listing = found or Listing([archives])
            # the old archive's own pages went as far as its count of posts, whatever the new one holds
            listings[address.link] = replace(listing, count=max(listing.count, address.count))
    return listings, attachments


def _profile_links(articles: list, built_authors: dict[str, Listing]) -> dict[str, str]:
    """The profile links of the posts' bios that were pages of the old site -> the author's new page."""
    hosts = {split_url(a.wp_link).hostname for a in articles if isinstance(getattr(a, "wp_link", None), str)}
    found: dict[str, str] = {}
    for article in articles:
        for record in getattr(article, "author_bios", None) or []:
            url, name = (record.get("url"), record.get("name")) if isinstance(record, dict) else (None, None)
            if isinstance(url, str) and name in built_authors and split_url(url).hostname in hosts - {None}:
                found.setdefault(url, built_authors[name].pages[0])
    return found


# Maps made when the build's addresses are known, waiting for the end of the build, by settings.
_PREPARED: dict[int, tuple[dict[str, str], dict[str, str]]] = {}


def prepare_redirects(generators) -> dict[str, str]:
    """all_generators_finalized: the map of every old address (returned; {} when there is none or
    redirects are off); the id map's address for the theme."""
    site = site_from_generators(generators)
    if site is None or not any(e.link or e.wp_id is not None for e in site.entries):
        return {}  # nothing came from WordPress: no old addresses
    articles_generator = next(g for g in generators if hasattr(g, "articles") and hasattr(g, "categories"))
    settings = articles_generator.settings
    if not setting(settings, "WP_IMPORT_REDIRECTS"):
        return {}
    rules = address_map(site, settings.get(BASE_SETTING, ""),
                        setting(settings, "WP_IMPORT_CATEGORY_BASE") or "category",
                        setting(settings, "WP_IMPORT_TAG_BASE") or "tag")
    ids = id_map(site.entries)
    _PREPARED[id(settings)] = (rules, ids)
    if ids and setting(settings, "WP_IMPORT_IDS_MAP"):
        articles_generator.context[CONTEXT_KEY] = setting(settings, "WP_IMPORT_IDS_MAP")
    return rules


def write_prepared(pelican) -> None:
    """finalized: every file is written; stubs go where nothing else did, and the maps beside them."""
    rules, ids = _PREPARED.pop(id(pelican.settings), ({}, {}))
    if rules or ids:
        live = write_redirects(Path(pelican.output_path), rules, ids, pelican.settings)
        logger.info("Old WordPress addresses: %d redirected, %d post ids mapped", len(live), len(ids))
