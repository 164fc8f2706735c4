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


# Line breaks and other control characters a message may carry from its input (a post id, a server's
# error text, a folder's name), shown escaped: every message stays one line, and no input can print a
# line of its own that reads like the tool's ("error: ...").
_CONTROL_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(32), 127) if code != 9}
_CONTROL_ESCAPES.update({10: "\\n", 13: "\\r"})


def one_line(message: str) -> str:
    return message.translate(_CONTROL_ESCAPES)


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
    markdown: str | None  # None when a worker process left it out of what it sent back: see body()
    source: str
    post_id: object
    warnings: list[str] = field(default_factory=list)
    # the file as written (UTF-8) when a worker process made it ahead for this slug, and where its
    # Markdown starts: bytes travel between processes as they are, text is encoded and decoded
    document: bytes = b""
    body_at: int = 0
    links: list[str] = field(default_factory=list)  # addresses in the body that may be other posts
    media: list = field(default_factory=list)  # MediaRef of each image to download, when asked
    verified: bool | None = None  # --verify: whether the Markdown kept the whole post; None when not asked

    def body(self) -> str:
        """The Markdown body."""
        return self.markdown if self.markdown is not None else self.document[self.body_at:].decode("utf-8")


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
