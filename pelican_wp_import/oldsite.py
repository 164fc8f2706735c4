"""The old site's addresses that no post carries: the archive of every category, tag and user it
listed, and the attachment page of every picture, from the /categories, /tags, /users and /media
responses saved beside the posts; and the description each category and tag had, which WordPress
themes showed under the archive's title.

A post's own terms and byline already give the archives it appears in; a category whose posts were
not all exported, a user who only wrote pages, and attachment pages (WordPress made one for every
upload, and search engines kept them) are known only here. `convert` keeps them in its manifest;
a build that reads the JSON directly finds the same responses beside the posts.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .resolve import Sidecars, as_int
from .text import display_name, plain_text

MANIFEST_KEY = "addresses"
# Sidecar table -> the kind of page its items' links are.
_KINDS = (("categories", "category"), ("tags", "tag"), ("users", "author"), ("media", "attachment"))


@dataclass(frozen=True)
class OldAddress:
    link: str
    kind: str  # category, tag, author or attachment
    name: str = ""  # the term's or user's name, as the posts' metadata spells it
    post: int | None = None  # an attachment's post (its WordPress id)
    count: int = 0  # the posts a term's archive listed (its /page/N/ went that far)
    description: str = ""  # a category's or tag's, as plain text


def from_sidecars(sidecars: Sidecars) -> list[OldAddress]:
    found = []
    for table, kind in _KINDS:
        for item in getattr(sidecars, table).values():
            link = item.get("link")
            if not isinstance(link, str) or not link.startswith(("http://", "https://", "/")):
                continue
            if kind == "attachment":
                post = as_int(item.get("post"))
                if post:
                    found.append(OldAddress(link, kind, post=post))
                continue
            name = plain_text(item.get("name")) if isinstance(item.get("name"), str) else ""
            if name.strip():
                found.append(OldAddress(link, kind, display_name(name) if kind == "author" else name,
                                        count=_count(item.get("count")),
                                        description=plain_text(item.get("description")) if kind != "author" else ""))
    return found


def _count(value: object) -> int:
    number = as_int(value)
    return number if number is not None and number > 0 else 0


def as_records(addresses: list[OldAddress]) -> dict[str, dict]:
    """old link -> what it was, for the manifest (JSON)."""
    records = {}
    for address in addresses:
        record = {"kind": address.kind}
        if address.name:
            record["name"] = address.name
        if address.post is not None:
            record["post"] = address.post
        if address.count:
            record["count"] = address.count
        if address.description:
            record["description"] = address.description
        records[address.link] = record
    return records


def from_records(records: object) -> list[OldAddress]:
    """The manifest's records; anything malformed (a hand edit) is passed over."""
    found = []
    for link, record in records.items() if isinstance(records, dict) else ():
        if not isinstance(record, dict) or record.get("kind") not in {kind for _, kind in _KINDS}:
            continue
        name = record.get("name") if isinstance(record.get("name"), str) else ""
        description = record.get("description") if isinstance(record.get("description"), str) else ""
        found.append(OldAddress(str(link), record["kind"], name, as_int(record.get("post")),
                                _count(record.get("count")), description))
    return found


def in_build(sources: set[Path], content_root: Path, manifest_name: str) -> list[OldAddress]:
    """What the folders of a build's imported content (sources: their files) say: the manifest of a
    `convert` run in the folder or above it, up to the content root, and the sidecars beside JSON posts."""
    from .sources import cached_sidecars  # noqa: PLC0415 - the reader's, read once per change of a folder

    found: dict[str, OldAddress] = {}
    manifests = set()
    root = content_root.resolve()
    files = {source.resolve() for source in sources}
    for folder in sorted({file.parent for file in files}):
        for place in [folder, *folder.parents]:
            manifests.add(place / manifest_name)
            if place == root or root not in place.parents:
                break
    for folder in sorted({file.parent for file in files if file.suffix == ".json"}):
        for address in from_sidecars(cached_sidecars(folder)):
            found.setdefault(address.link, address)
    for manifest in sorted(manifests):
        try:
            data = json.loads(manifest.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        for address in from_records(data.get(MANIFEST_KEY) if isinstance(data, dict) else None):
            found.setdefault(address.link, address)
    return list(found.values())


# A post of a file of several is file.json#<id> (expand.py): the file is the part before the mark.
_ENTRY_MARK = re.compile(r"#[^/\\]*$")


def of_build(contents: list, settings: dict) -> list[OldAddress]:
    """What the manifests and sidecars of a build's imported content (posts and pages with a
    WordPress link or id) say."""
    from .write import MANIFEST  # noqa: PLC0415

    sources = {Path(_ENTRY_MARK.sub("", str(c.source_path))) for c in contents
               if getattr(c, "source_path", None) and (getattr(c, "wp_link", None) or getattr(c, "wp_id", None))}
    return in_build(sources, Path(settings.get("PATH") or "."), MANIFEST) if sources else []


def describe_terms(generators) -> int:
    """all_generators_finalized: each category and tag the old site described gets its description
    (wp_description), for the theme to show under its name; the number described."""
    from .permalinks import public_contents  # noqa: PLC0415

    articles = next((g for g in generators if hasattr(g, "categories") and hasattr(g, "tags")), None)
    contents = public_contents(generators)
    if articles is None or not contents:
        return 0
    described = {(a.kind, a.name): a.description for a in of_build(contents, articles.settings)
                 if a.description and a.kind in ("category", "tag")}
    if not described:
        return 0
    tags = articles.tags.items() if isinstance(articles.tags, dict) else articles.tags
    count = 0
    for kind, pairs in (("category", articles.categories), ("tag", tags)):
        for term, _ in pairs:
            description = described.get((kind, term.name))
            if description:
                term.wp_description = description
                count += 1
    return count
