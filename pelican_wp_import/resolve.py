"""Turn a post's ids into names: from its _embedded block, else from sidecar files."""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import RawPost, Term
from .text import plain_text, slugify


@dataclass
class Sidecars:
    """Responses of /wp/v2/users, /categories, /tags and /media found beside the posts."""

    users: dict[int, dict] = field(default_factory=dict)
    categories: dict[int, dict] = field(default_factory=dict)
    tags: dict[int, dict] = field(default_factory=dict)
    media: dict[int, dict] = field(default_factory=dict)

    def add(self, kind: str, items: list[dict]) -> None:
        table = getattr(self, kind)
        for item in items:
            key = as_int(item.get("id"))
            if key is not None:
                table[key] = item

    def category_by_slug(self, slug: str) -> dict | None:
        return next((c for c in self.categories.values() if c.get("slug") == slug), None)


@dataclass
class Resolved:
    """The names behind a post's ids."""

    author: dict | None = None
    categories: list[Term] = field(default_factory=list)
    tags: list[Term] = field(default_factory=list)
    coauthors: list[Term] = field(default_factory=list)  # Co-Authors Plus 'author' terms
    image_url: str = ""
    image_alt: str = ""
    image_srcset: str = ""  # the featured image's sizes WordPress made, "url 300w, url 1024w, ..."
    warnings: list[str] = field(default_factory=list)


def as_int(value: object) -> int | None:
    """Ids arrive as ints, numeric strings or junk."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():  # not "²"
        return int(value.strip())
    return None


def resolve(post: RawPost, sidecars: Sidecars) -> Resolved:
    embedded = post.data.get("_embedded")
    if embedded is not None and not isinstance(embedded, dict):
        post.warnings.append("_embedded is not an object; ignored")
        embedded = None
    embedded = embedded or {}
    resolved = Resolved(warnings=post.warnings)
    resolved.author = _author(post, embedded, sidecars)
    _terms(post, embedded, sidecars, resolved)
    _featured_image(post, embedded, sidecars, resolved)
    return resolved


def _author(post: RawPost, embedded: dict, sidecars: Sidecars) -> dict | None:
    authors = embedded.get("author")
    if isinstance(authors, list):
        for user in authors:
            if isinstance(user, dict) and isinstance(user.get("name"), str) and user.get("name").strip():
                return user
        if authors:
            post.warnings.append("_embedded.author holds no usable user; ignored")
    author_id = as_int(post.data.get("author"))
    if author_id:
        user = sidecars.users.get(author_id)
        if user:
            return user
        post.warnings.append(f"author {author_id} has no name (no _embedded author and no sidecar file of "
                             "/wp/v2/users beside the post)")
    return None


def _term_from(obj: object, taxonomy: str) -> Term | None:
    if isinstance(obj, dict):
        name = plain_text(obj.get("name"))
        if not name:
            return None
        return Term(name=name, slug=str(obj.get("slug") or slugify(name)),
                    taxonomy=str(obj.get("taxonomy") or taxonomy),
                    description=str(obj.get("description") or ""), link=str(obj.get("link") or ""))
    if isinstance(obj, str) and obj.strip() and as_int(obj) is None:
        name = plain_text(obj)
        return Term(name=name, slug=slugify(name), taxonomy=taxonomy)
    return None


def _terms(post: RawPost, embedded: dict, sidecars: Sidecars, resolved: Resolved) -> None:
    groups = embedded.get("wp:term")
    by_taxonomy: dict[str, list[Term]] = {}
    if isinstance(groups, list):
        for group in groups:
            if not isinstance(group, list):
                post.warnings.append("_embedded wp:term holds something that is not a list; ignored")
                continue
            for obj in group:
                term = _term_from(obj, "")
                if term and term.taxonomy:
                    by_taxonomy.setdefault(term.taxonomy, []).append(term)
    elif groups is not None:
        post.warnings.append("_embedded wp:term is not a list; ignored")
    resolved.coauthors = by_taxonomy.get("author", [])
    resolved.categories = by_taxonomy.get("category") or _terms_from_ids(post, "categories", sidecars.categories)
    resolved.tags = by_taxonomy.get("post_tag") or _terms_from_ids(post, "tags", sidecars.tags)


def _terms_from_ids(post: RawPost, key: str, table: dict[int, dict]) -> list[Term]:
    """Ids through a sidecar; names given in place of ids are taken as they are."""
    values = post.data.get(key)
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    taxonomy = "category" if key == "categories" else "post_tag"
    terms, unknown = [], []
    for value in values:
        term_id = as_int(value)
        if term_id is not None:
            term = _term_from(table.get(term_id), taxonomy)
            if term:
                terms.append(term)
            else:
                unknown.append(str(term_id))
            continue
        term = _term_from(value, taxonomy)
        if term:
            post.warnings.append(f"{key} holds a name ({term.name!r}) where WordPress puts an id; taken as the name")
            terms.append(term)
        else:
            post.warnings.append(f"{key} holds {value!r}, neither an id nor a name; ignored")
    if unknown:
        post.warnings.append(f"{key} ids {', '.join(unknown)} have no names (no _embedded and no sidecar file "
                             f"of /wp/v2/{key} beside the post)")
    return terms


def _featured_image(post: RawPost, embedded: dict, sidecars: Sidecars, resolved: Resolved) -> None:
    media = None
    found = embedded.get("wp:featuredmedia")
    if isinstance(found, list) and found and isinstance(found[0], dict) and found[0].get("source_url"):
        media = found[0]
    media_id = as_int(post.data.get("featured_media"))
    if media is None and media_id:
        media = sidecars.media.get(media_id)
        jetpack = post.data.get("jetpack_featured_media_url")  # sites with Jetpack give the address itself
        if media is None and isinstance(jetpack, str) and jetpack.strip():
            media = {"source_url": jetpack.strip()}
        if media is None:
            post.warnings.append(f"featured_media {media_id} has no URL (no _embedded media and no media sidecar)")
    if media is None and isinstance(post.data.get("featured_image"), str):  # 2015-era responses
        resolved.image_url = post.data["featured_image"]
        return
    if media:
        resolved.image_url = str(media.get("source_url") or "")
        resolved.image_alt = plain_text(media.get("alt_text"))
        resolved.image_srcset = image_srcset(media)


def image_srcset(media: dict) -> str:
    """A srcset of the sizes WordPress made of an image, where it lists them (media_details.sizes):
    lists of posts can then load a thumbnail, not a photo of 5,000 pixels. Only sizes of the
    original's shape: a square crop would show another picture. "" when there are fewer than two."""
    details = media.get("media_details")
    sizes = details.get("sizes") if isinstance(details, dict) else None
    if not isinstance(sizes, dict):
        return ""
    width, height = as_int(details.get("width")), as_int(details.get("height"))
    if not width or not height:
        return ""
    found = {width: str(media.get("source_url") or "")}
    for size in sizes.values():
        if not isinstance(size, dict):
            continue
        url, w, h = size.get("source_url"), as_int(size.get("width")), as_int(size.get("height"))
        if isinstance(url, str) and url.strip() and w and h and abs(w * height - h * width) < 0.02 * width * h:
            found.setdefault(w, url.strip())
    candidates = [f"{url} {w}w" for w, url in sorted(found.items()) if url and " " not in url and "," not in url]
    return ", ".join(candidates) if len(candidates) > 1 else ""
