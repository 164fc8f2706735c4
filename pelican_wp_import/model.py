"""The records that flow through the pipeline: raw posts in, converted posts out."""
from __future__ import annotations

from dataclasses import dataclass, field


class ImportProblem(Exception):
    """Bad input: carries the file, the post (when known) and what was wrong."""

    def __init__(self, message: str, source: str = "", post_id: object = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.post_id = post_id

    def __str__(self) -> str:
        return where(self.source, self.post_id) + self.message

    def __reduce__(self):
        # pickled whole (by worker processes and caches), not as Exception's args alone
        return type(self), (self.message, self.source, self.post_id)


def where(source: str, post_id: object = None) -> str:
    """The 'file: post N: ' prefix every message starts with."""
    prefix = f"{source}: " if source else ""
    if post_id not in (None, ""):
        prefix += f"post {post_id}: "
    return prefix


@dataclass
class RawPost:
    """One post object as found in a file, with what loading it had to forgive."""

    data: dict
    source: str
    index: int | None = None  # position in an array file
    warnings: list[str] = field(default_factory=list)

    @property
    def post_id(self) -> object:
        pid = self.data.get("id")
        if pid in (None, ""):
            return f"#{self.index + 1}" if self.index is not None else None
        return pid


@dataclass
class Term:
    name: str
    slug: str
    taxonomy: str
    description: str = ""
    link: str = ""


@dataclass
class AuthorBio:
    """A byline and what the site says about the person."""

    name: str
    bio: str = ""
    url: str = ""
    source: str = "post"  # post (trailing paragraph), user (profile), term (Co-Authors Plus)

    def as_dict(self) -> dict:
        data = {"name": self.name, "bio": self.bio}
        if self.url:
            data["url"] = self.url
        data["source"] = self.source
        return data


@dataclass
class Converted:
    """A post ready to be written: front matter values and a Markdown body."""

    kind: str  # article or page
    slug: str
    metadata: dict
    markdown: str
    source: str
    post_id: object
    warnings: list[str] = field(default_factory=list)
    document: str = ""  # the file's text, when made ahead (by a worker process) for this slug
    links: list[str] = field(default_factory=list)  # addresses in the body that may be other posts
    media: list = field(default_factory=list)  # MediaRef of each image to download, when asked


@dataclass
class Skipped:
    """A post deliberately not imported, and why."""

    reason: str
    source: str
    post_id: object
    warnings: list[str] = field(default_factory=list)


@dataclass
class Failed:
    """A post or file that could not be converted, and why."""

    reason: str
    source: str
    post_id: object = None
    warnings: list[str] = field(default_factory=list)
