"""One post through every room: resolve, clean, bios, markdown; out comes a Converted record."""
from __future__ import annotations

from collections.abc import Callable

from .bios import extract_bios, name_key, profile_bios
from .clean import MORE_SENTINEL, clean_html
from .fields import (Options, category_of, dates_of, is_automatic_excerpt, kind_of, link_of, slug_of,
                     status_of, title_of)
from .htmltree import text_of
from .links import link_candidates
from .load import LoadedFile
from .markdown import to_markdown
from .media import featured_image, prepare_images
from .model import AuthorBio, Converted, Failed, ImportProblem, RawPost, Skipped
from .resolve import Resolved, Sidecars, as_int, resolve
from .sanitize import Sanitizer
from .text import display_name, plain_text, split_url


def convert_file(loaded: LoadedFile, sidecars: Sidecars, options: Options) -> list:
    """Every post of a loaded file as Converted, Skipped or Failed, in file order."""
    results: list = [Failed(problem.message, problem.source, problem.post_id) for problem in loaded.problems]
    for post in loaded.posts:
        results.append(convert_post(post, sidecars, options))
    return results


def convert_post(post: RawPost, sidecars: Sidecars, options: Options) -> Converted | Skipped | Failed:
    try:
        return _convert(post, sidecars, options)
    except ImportProblem as problem:
        return Failed(problem.message, post.source, post.post_id, post.warnings)
    except RecursionError:
        return Failed("HTML too deeply nested to convert", post.source, post.post_id, post.warnings)


def _convert(post: RawPost, sidecars: Sidecars, options: Options) -> Converted | Skipped:
    kind, post_type = kind_of(post, options)
    if kind is None:
        return Skipped(f"post type {post_type!r} is excluded", post.source, post.post_id, post.warnings)
    status, reason = status_of(post, options)
    if status is None:
        return Skipped(reason, post.source, post.post_id, post.warnings)
    title = title_of(post)
    date, modified = dates_of(post)
    slug = slug_of(post, title)
    resolved = resolve(post, sidecars)

    html = _content_html(post)
    sanitizer = Sanitizer(options.iframe_hosts) if options.sanitize else None
    cleaned = clean_html(html, sanitizer)
    post.warnings.extend(cleaned.warnings)
    known = [t.name for t in resolved.coauthors] + ([resolved.author["name"]] if resolved.author else [])
    bios = extract_bios(cleaned.root, known)
    links = link_candidates(cleaned.links, link_of(post.data.get("link")))
    media = prepare_images(cleaned.root) if options.media else []
    measured = None
    if options.verify:
        from .verify import measure  # noqa: PLC0415 - Python-Markdown and difflib, for a run that verifies

        measured = measure(cleaned.root)
    body = to_markdown(cleaned.root)
    summary = ""
    if cleaned.has_more:
        before, _, after = body.partition(MORE_SENTINEL)
        summary, body = before.strip(), (before.rstrip() + "\n\n" + after.lstrip()).strip() + "\n"
    excerpt = _hand_written_excerpt(post, lambda: text_of(cleaned.root, " "), sanitizer)
    if excerpt:
        summary = excerpt
    if not body.strip():
        post.warnings.append("post has no body text")
    lost = ""
    if measured is not None:
        from .verify import losses  # noqa: PLC0415

        lost = losses(measured, body)
    if lost:
        post.warnings.append(f"--verify: the Markdown lost something: {lost}")

    metadata = _metadata(post, title, date, modified, slug, status, post_type, resolved, bios, summary, sidecars,
                         options)
    featured = featured_image(metadata["image"]) if options.media and metadata.get("image") else None
    if featured is not None:
        metadata["image"] = featured.url
        media.append(featured)
    return Converted(kind, slug, metadata, body, post.source, post.post_id, post.warnings, links=links, media=media,
                     verified=None if measured is None else not lost)


def _content_html(post: RawPost) -> str:
    content = post.data.get("content")
    if isinstance(content, dict):
        html = content.get("rendered")
        if not isinstance(html, str):
            html = content.get("raw") if isinstance(content.get("raw"), str) else ""
        return html
    if isinstance(content, str):
        post.warnings.append("content is a plain string, not {'rendered': ...}; used as it is")
        return content
    if content is not None:
        post.warnings.append(f"content is a JSON {type(content).__name__}; ignored")
    return ""


def _hand_written_excerpt(post: RawPost, content_text: Callable[[], str], sanitizer) -> str:
    raw = post.data.get("excerpt")
    html = raw.get("rendered") if isinstance(raw, dict) else raw
    if not isinstance(html, str) or not plain_text(html) or is_automatic_excerpt(html, content_text):
        return ""
    cleaned = clean_html(html, sanitizer)
    post.warnings.extend(w.replace("sanitised:", "sanitised the excerpt:", 1) for w in cleaned.warnings
                         if w.startswith("sanitised:"))
    return to_markdown(cleaned.root).strip()


def bylines(bios: list[AuthorBio], resolved: Resolved) -> list[str]:
    """Names from the bios when there are any; else Co-Authors Plus terms; else the post's author."""
    if bios:
        names = [b.name for b in bios]
    elif resolved.coauthors:
        names = [b.name for b in profile_bios(None, resolved.coauthors)]
    else:
        names = [b.name for b in profile_bios(resolved.author, [])]
    seen, unique = set(), []
    for name in names:
        if name and name_key(name) not in seen:
            seen.add(name_key(name))
            unique.append(name)
    return unique


# Whose words describe a byline best: the post's own bio, then the Co-Authors Plus profile, then the user's.
_BIO_RANK = {"user": 0, "term": 1, "post": 2}


def author_records(authors: list[str], bios: list[AuthorBio], resolved: Resolved) -> list[dict]:
    """One record per byline, from the best source that has words about the person."""
    by_name: dict[str, AuthorBio] = {}
    for bio in profile_bios(resolved.author, resolved.coauthors) + bios:
        key = name_key(bio.name)
        current = by_name.get(key)
        if current is None or bio.bio and (not current.bio or _BIO_RANK[bio.source] >= _BIO_RANK[current.source]):
            by_name[key] = bio
    records = []
    for name in authors:
        bio = by_name.get(name_key(name))
        if bio and (bio.bio or bio.url):
            records.append(AuthorBio(name, bio.bio, bio.url, bio.source).as_dict())
    return records


# Co-Authors Plus names its author terms after the user: "cap-" + the user's slug.
_COAUTHOR_PREFIX = "cap-"


def wp_author_slugs(authors: list[str], resolved: Resolved) -> dict[str, str]:
    """Byline name -> WordPress user slug (the /author/<slug>/ archive), for the user and every co-author.

    A person WordPress credits who is not among the bylines (a "Staff" account whose posts carry
    their writers' bios) keeps their own name, so the old archive still has an entry.
    """
    by_key = {name_key(name): name for name in authors}
    people = [(t.name, t.slug.removeprefix(_COAUTHOR_PREFIX)) for t in resolved.coauthors]
    if resolved.author and isinstance(resolved.author.get("slug"), str):
        people.append((plain_text(resolved.author.get("name")), resolved.author["slug"]))
    slugs: dict[str, str] = {}
    for name, slug in people:
        name = display_name(name) if name else ""
        if name and slug.strip():
            slugs.setdefault(by_key.get(name_key(name), name), slug.strip())
    return slugs


_DEFAULT_TERM_BASES = {"category": "category", "post_tag": "tag"}


def unusual_term_path(term) -> str:
    """The path of a term's archive on the old site, when it is not /category/<slug>/ or /tag/<slug>/
    (under any folder): a child category's /category/parent/child/, or a category base of the
    site's own (/topics/<slug>/). The build keeps those addresses too."""
    parts = split_url(term.link) if term.link else None
    path = parts.path if parts and not parts.query else ""  # ?cat=3: plain permalinks, kept by ids
    base = _DEFAULT_TERM_BASES.get(term.taxonomy)
    if not path.strip("/") or not base or path.rstrip("/").endswith(f"/{base}/{term.slug}"):
        return ""
    return path if path.endswith("/") else path + "/"


def _metadata(post, title, date, modified, slug, status, post_type, resolved, bios, summary, sidecars,
              options) -> dict:
    data = post.data
    authors = bylines(bios, resolved)
    meta: dict = {"title": title, "date": date}
    if modified is not None and modified != date:
        meta["modified"] = modified
    meta["slug"] = slug
    meta["status"] = status
    if post_type not in ("post", "page"):
        meta["type"] = post_type
    # a page's address holds its parent pages (/audio-test/about-us/), never a category
    link = data.get("link") if options.category_from_link and post_type != "page" else None
    category = category_of(resolved.categories, link, sidecars.category_by_slug)
    if category:
        meta["category"] = category
    if resolved.categories:
        meta["categories"] = [t.name for t in resolved.categories]
    if resolved.tags:
        meta["tags"] = [t.name for t in resolved.tags]
    if authors:
        meta["authors"] = authors
        records = author_records(authors, bios, resolved)
        if records:
            meta["author_bios"] = records
    wp_authors = wp_author_slugs(authors, resolved)
    if wp_authors:
        meta["wp_authors"] = wp_authors
    if summary:
        meta["summary"] = summary
    if resolved.image_url:
        meta["image"] = resolved.image_url
        if resolved.image_alt:
            meta["image_alt"] = resolved.image_alt
        if resolved.image_srcset and not options.media:  # --media keeps one file of each image
            meta["image_srcset"] = resolved.image_srcset
    if data.get("sticky") is True:
        meta["sticky"] = True
    if resolved.categories or resolved.tags:
        meta["wp_terms"] = {t.name: t.slug for t in resolved.categories + resolved.tags}
        paths = {t.name: path for t in resolved.categories + resolved.tags if (path := unusual_term_path(t))}
        if paths:
            meta["wp_term_paths"] = paths
    wp_id = as_int(data.get("id"))
    for key, value in (("wp_id", data.get("id") if wp_id is None else wp_id), ("wp_link", link_of(data.get("link"))),
                       ("wp_guid", link_of(data.get("guid")))):
        if value not in (None, ""):
            meta[key] = value
    if post_type == "page":
        for key in ("parent", "menu_order"):
            if isinstance(data.get(key), int) and data.get(key):
                meta[key] = data[key]
    return meta

