"""Old WordPress permalinks as addresses of the new site: where each post and page is written.

A post keeps the path of its `wp_link` (https://site.example/2023/09/05/some-slug/ is written to
2023/09/05/some-slug/index.html and linked as 2023/09/05/some-slug/), so every link to the old
site still finds it. Settings:

    WP_IMPORT_KEEP_PERMALINKS = True   # False: Pelican's own addresses (slug.html), old ones redirected
    WP_IMPORT_OLD_BASE = ""            # "/blog/" when WordPress lived in a subfolder of its domain

A post that sets `url` or `save_as` itself keeps them; a plain `?p=123` link, the site root, and a
path that is not safe as file names are not kept (the redirect map still points old ids at the post).
"""
from __future__ import annotations

import logging
import posixpath
from urllib.parse import unquote

from .text import is_safe_name, split_url

KEEP_SETTING = "WP_IMPORT_KEEP_PERMALINKS"
BASE_SETTING = "WP_IMPORT_OLD_BASE"

# Lists of content that have an address of their own; drafts stay in Pelican's drafts/ folder.
PUBLIC_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "pages", "hidden_pages")
# The last path segment of a permalink that names a file rather than a folder.
FILE_SUFFIXES = (".html", ".htm", ".php", ".xml")
_SITE_ROOT = ("", "index.php", "index.html")

logger = logging.getLogger(__name__)


def base_path(base: object) -> str:
    """WP_IMPORT_OLD_BASE as a path prefix: '/blog/', 'blog' and 'https://x/blog' all give 'blog/';
    percent-escapes decoded, as old_path decodes the links."""
    path = unquote(split_url(base).path) if isinstance(base, str) else ""
    path = path.strip("/")
    return path + "/" if path else ""


def old_path(link: object, base: str = "") -> str:
    """The path of a permalink from the site root, '' when it has none to keep.

    'https://site.example/blog/2023/09/x/' with base 'blog/' gives '2023/09/x/'; a link with a
    query (?p=123, ?page_id=4, ?lang=en), the site root, unsafe paths, and with a base, a path
    outside it (another application of the domain, which the new site does not answer for) give ''.
    """
    if not isinstance(link, str) or not link.strip():
        return ""
    parts = split_url(link.strip())
    if parts.query:
        return ""
    path = unquote(parts.path).lstrip("/")
    if base:
        if not (path + "/").lower().startswith(base.lower()):  # /Blog/ for /blog/ is a slip of the setting
            return ""
        path = path[len(base):]
    names = path.split("/")[:-1] if path.endswith("/") else path.split("/")
    if path.lower() in _SITE_ROOT or not all(is_safe_name(name) for name in names):
        return ""
    return path


def is_file_path(path: str) -> bool:
    return not path.endswith("/") and path.lower().endswith(FILE_SUFFIXES)


def url_of(path: str) -> str:
    """The address a kept path is linked as: a folder ends in '/', a file name stays as it is."""
    return path if path.endswith("/") or is_file_path(path) else path + "/"


def file_of(path: str) -> str:
    """The output file that answers a path: 'a/b/' and 'a/b' are 'a/b/index.html'; 'a/b.html' is itself."""
    if not path or path.endswith("/"):
        return path + "index.html"
    return path if is_file_path(path) else path + "/index.html"


def kept_address(metadata: dict, base: str) -> tuple[str, str] | None:
    """(url, save_as) for content that keeps its old permalink, None when it keeps Pelican's."""
    if "url" in metadata or "save_as" in metadata:
        return None
    path = old_path(metadata.get("wp_link"), base)
    if not path:
        return None
    return url_of(path), file_of(path)


def _claimed(content) -> str:
    return posixpath.normpath(content.save_as)


def _direct_template_files(settings: dict) -> set[str]:
    """index.html, archives.html and the like: a permalink such as /archives.html may not take them."""
    return {str(settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html"))
            for name in settings.get("DIRECT_TEMPLATES") or []}


def keep_permalinks(contents: list, settings: dict) -> int:
    """Give each content its old permalink, unless another already has that file; the count moved.

    The first to claim a file wins, and files of content that keeps Pelican's address are never
    taken; the others keep Pelican's address and the redirect map sends their old path there.
    """
    if not settings.get(KEEP_SETTING, True):
        return 0
    base = base_path(settings.get(BASE_SETTING, ""))
    if base:
        _check_base(contents, base, settings.get(BASE_SETTING))
    wanted = [(c, kept_address(getattr(c, "metadata", {}) or {}, base)) for c in contents]
    taken = {_claimed(c) for c, address in wanted if address is None} | _direct_template_files(settings)
    moved = 0
    for content, address in wanted:
        if address is None or address[1] in taken:
            continue
        taken.add(address[1])
        content.override_url, content.override_save_as = address
        moved += 1
    return moved


def _check_base(contents: list, base: str, setting: object) -> None:
    """A warning when WP_IMPORT_OLD_BASE matches none of the posts' links: every old address would be
    lost, most likely to a slip in the setting."""
    links = [link for c in contents if isinstance(link := (getattr(c, "metadata", {}) or {}).get("wp_link"), str)
             and not split_url(link).query]
    if links and not any(old_path(link, base) or _is_base_itself(link, base) for link in links):
        logger.warning("%s = %r: none of the %d posts' WordPress links (such as %s) lies under it, so none "
                       "keeps its old address; set it to the folder WordPress lived in, or to \"\"",
                       BASE_SETTING, setting, len(links), links[0])


def _is_base_itself(link: str, base: str) -> bool:
    return unquote(split_url(link).path).strip("/").lower() + "/" == base.lower()


def public_contents(generators) -> list:
    """Every article and page with an address of its own, articles first, in each list's order."""
    return [c for g in generators for name in PUBLIC_LISTS for c in getattr(g, name, None) or []]


def apply_permalinks(generators) -> None:
    """all_generators_finalized: before anything is written, posts and pages take their old paths."""
    contents = public_contents(generators)
    if contents:
        keep_permalinks(contents, contents[0].settings)
