"""WordPress post fields to front matter values: title, dates, slug, status, kind, terms, links."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

from .model import ImportProblem, RawPost, Term
from .iframes import IFRAME_HOSTS
from .text import plain_text, safe_slug, slugify, split_url

_ZERO_DATE = re.compile(r"^0000-00-00")
# The end of WordPress's own excerpt: "[&hellip;]", or an ellipsis and the theme's "Continue reading" link
# (its text may hold markup, a screen-reader span with the title; it may stand in a paragraph of its own),
# or a link of class more-link alone.
_MORE_LINK = r"<a\b[^>]*>(?:(?!</a>)[\s\S]){0,500}</a>"
_AUTOMATIC_EXCERPT_END = re.compile(
    r"(?:\[(?:&hellip;|…|\.\.\.|&#8230;)\]|(?:&hellip;|…|&#8230;)\s*(?:</p>\s*<p\b[^>]*>\s*)?"
    rf"(?:{_MORE_LINK})?|<a\b[^>]*\bmore-link\b[^>]*>(?:(?!</a>)[\s\S]){{0,500}}</a>)\s*(?:</p>)?\s*$", re.I)
# First path segments of a permalink that are not a category.
_NOT_A_CATEGORY = re.compile(r"^(?:\d+|index\.php|blog|archives?|p|\?.*)$", re.I)
UNCATEGORIZED = {"uncategorized", "uncategorised", "non classé", "sin categoría", "allgemein", "unkategorisiert"}


@dataclass
class Options:
    """How a post is mapped; the Pelican settings and command flags both fill this in."""

    private: str = "skip"  # skip, or hidden: import private posts as hidden
    exclude_types: tuple[str, ...] = ()  # custom post types not to import
    category_from_link: bool = True
    media: bool = False  # point images at the address worth downloading and list them
    sanitize: bool = True  # hostile markup out of content and excerpts (sanitize.py)
    iframe_hosts: tuple[str, ...] = IFRAME_HOSTS  # iframes kept when sanitising
    verify: bool = False  # measure each post's Markdown against its HTML (verify.py)
    extra: dict = field(default_factory=dict)


def title_of(post: RawPost) -> str:
    raw = post.data.get("title")
    if isinstance(raw, str):
        post.warnings.append("title is a plain string, not {'rendered': ...}; used as it is")
    elif raw is not None and not isinstance(raw, dict):
        post.warnings.append(f"title is a JSON {type(raw).__name__}; ignored")
        raw = None
    title = plain_text(raw)
    if not title:
        post.warnings.append("post has no title; written with an empty one")
    return title


def _parse_wp_date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip() or _ZERO_DATE.match(value.strip()):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed


def _local_with_offset(local: datetime | None, gmt: datetime | None) -> datetime | None:
    """A local time given its UTC twin: the offset is their difference, so each post gets its own DST."""
    if local is None:
        return None
    if local.tzinfo is not None:
        return local
    if gmt is None:
        return local
    gmt = gmt.replace(tzinfo=None)
    minutes = round((local - gmt).total_seconds() / 900) * 15
    if abs(minutes) > 14 * 60:
        return local
    return local.replace(tzinfo=timezone(timedelta(minutes=minutes)))


def dates_of(post: RawPost) -> tuple[datetime, datetime | None]:
    """(date, modified); a post without a usable date falls back to its modified date."""
    data = post.data
    modified = _local_with_offset(_parse_wp_date(data.get("modified")), _parse_wp_date(data.get("modified_gmt")))
    date = _local_with_offset(_parse_wp_date(data.get("date")), _parse_wp_date(data.get("date_gmt")))
    if date is not None and date.tzinfo is None and modified is not None and modified.tzinfo is not None:
        # a draft has no date_gmt: borrow the offset its modified date has
        date = date.replace(tzinfo=modified.tzinfo)
    if date is None:
        if modified is None:
            raise ImportProblem("no usable date (date and modified are missing or zero)", post.source, post.post_id)
        post.warnings.append(f"no usable date ({data.get('date')!r}); used the modified date")
        date = modified
    return date, modified


def slug_of(post: RawPost, title: str) -> str:
    raw = post.data.get("slug")
    fallback = slugify(title) or f"post-{post.data.get('id') or (post.index or 0) + 1}"
    if not isinstance(raw, str) or not raw.strip():
        link_slug = _last_segment(post.data.get("link"))
        raw = link_slug or fallback
    decoded = unquote(raw)
    slug = safe_slug(decoded, fallback)
    if slug != decoded:
        post.warnings.append(f"slug {raw!r} was not safe as a file name; used {slug!r}")
    return slug


def _last_segment(link: object) -> str:
    if not isinstance(link, str):
        return ""
    parts = [p for p in split_url(link).path.split("/") if p]
    return parts[-1] if parts and "?" not in parts[-1] else ""


def status_of(post: RawPost, options: Options) -> tuple[str | None, str]:
    """(Pelican status, reason): status None means the post is not imported, for that reason."""
    data = post.data
    content = data.get("content")
    if isinstance(content, dict) and content.get("protected"):
        if not plain_text(content.get("rendered")):
            return None, "password-protected (its content is not in the API response)"
        if data.get("password_in_export"):  # wxr.py: the words are there, but a static page asks for no password
            return None, "password-protected (a static site would show it to anyone)"
    status = str(data.get("status") or "publish").lower()
    if status == "publish":
        return "published", ""
    if status in ("draft", "pending", "future", "auto-draft"):
        return "draft", ""
    if status == "private":
        if options.private == "hidden":
            return "hidden", ""
        return None, "private (set WP_IMPORT_PRIVATE = 'hidden' or use --private hidden to import it)"
    if status in ("trash", "inherit"):
        return None, f"status {status}"
    post.warnings.append(f"unknown status {status!r}; imported as a draft")
    return "draft", ""


def kind_of(post: RawPost, options: Options) -> tuple[str | None, str]:
    """(article or page, post type); kind None when the type is excluded."""
    post_type = str(post.data.get("type") or "post")
    if post_type in options.exclude_types:
        return None, post_type
    return ("page" if post_type == "page" else "article"), post_type


def category_of(categories: list[Term], link: object, category_by_slug) -> str:
    """The first real category; else the permalink's first segment, when permalinks carry one; else
    the site's default category (Uncategorized, Allgemein...) when that was the post's only one: the
    label WordPress showed, and the address it had, where Pelican would file the post under "misc"."""
    for term in categories:
        if term.name.casefold() not in UNCATEGORIZED and term.slug.casefold() not in UNCATEGORIZED:
            return term.name
    from_link = _category_in_link(link, category_by_slug) if isinstance(link, str) else ""
    return from_link or (categories[0].name if categories else "")


def _category_in_link(link: str, category_by_slug) -> str:
    parts = [unquote(p) for p in split_url(link).path.split("/") if p]
    if len(parts) < 2 or _NOT_A_CATEGORY.match(parts[0]):
        return ""
    known = category_by_slug(parts[0])
    if known:
        return plain_text(known.get("name"))
    return " ".join(w[:1].upper() + w[1:] for w in re.split(r"[-_]+", parts[0]) if w)


def is_automatic_excerpt(excerpt_html: str, content_text: Callable[[], str]) -> bool:
    """WordPress's own excerpt: the post's first words, ending in [&hellip;] or a 'read more' link.
    content_text gives the post's text, asked for only when the excerpt's end does not tell."""
    if _AUTOMATIC_EXCERPT_END.search(excerpt_html):
        return True
    # compared without white space: the post's text is read with a space between any two elements'
    # strings ("<a>Java</a>, Indonesia" reads "Java , Indonesia"), the excerpt's as WordPress printed it;
    # the excerpt must end where one of the post's words does ("The cat" is not "The category")
    excerpt = "".join(plain_text(excerpt_html).split())
    if not excerpt:
        return False
    read = []
    length = 0
    for word in content_text().split():
        read.append(word)
        length += len(word)
        if length >= len(excerpt):
            break
    return length == len(excerpt) and "".join(read) == excerpt


def link_of(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value if isinstance(value, str) else ""
