"""Read WordPress JSON files tolerantly and sort what they hold into posts and sidecars."""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .model import ImportProblem, RawPost

# Deeper than any real API response; deep enough that the fallback parser's own stack stays small.
MAX_DEPTH = 500

BOM = b"\xef\xbb\xbf"
# Windows PowerShell's Out-File writes UTF-16 with a byte order mark; the JSON in it is as good as any.
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}

# A JSON string body: runs of plain characters or escape pairs, possessive so that an
# unterminated string (a truncated file) fails in linear time.
_STRING_BODY = re.compile(r'(?:[^"\\]++|\\.)*+', re.S)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SPACE = re.compile(r"\s*")
# A trailing escape cut in half by truncation: a lone backslash, a short \u, or the first half of a
# surrogate pair (an emoji cut in two), but not the second backslash of an escaped backslash.
_HALF_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)(?:\\u[dD][89abAB][0-9a-fA-F]{2})?(?:\\(?:u[0-9a-fA-F]{0,3})?)?\Z")
# A surrogate escape anywhere: JSON allows a lone one (\ud83d), UTF-8 cannot hold it, so writing crashes.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# /wp/v2/posts/<id>/revisions and /autosaves answer objects shaped like posts, with these slugs.
_REVISION_SLUG = re.compile(r"-(?:revision|autosave)-v\d+$")
SIDECAR_KINDS = ("users", "categories", "tags", "media")


@dataclass
class LoadedFile:
    """What one JSON file turned out to hold."""

    path: str
    posts: list[RawPost] = field(default_factory=list)
    sidecar_kind: str | None = None  # users, categories, tags or media
    sidecar_items: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)  # things in it that are not posts
    read_to: int = 0  # a part of a file read a part at a time (stream.py): bytes of the file read so far


class Parts:
    """A file's posts gathered into parts (stream.py) of about batch_bytes each (0: all in one)."""

    def __init__(self, source: str, batch_bytes: int):
        self.source, self.batch_bytes = source, batch_bytes
        self.part, self.size = LoadedFile(source), 0  # the part being filled, and its bytes so far

    def filled(self, size: int, read_to: int = 0) -> LoadedFile | None:
        """The part, when what was just put in it (size bytes) fills it: a new part is begun, and the
        full one reaches read_to bytes into the file."""
        self.size += size
        if not self.batch_bytes or self.size < self.batch_bytes:
            return None
        full, self.part, self.size = self.part, LoadedFile(self.source), 0
        full.read_to = read_to
        return full


def load_file(path: str | Path, first_item: int = 0) -> LoadedFile:
    """Read one file; bad input becomes a recorded problem, never an exception. first_item: where a
    list's posts start to be kept (stream.py read those before it from the file already)."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return _unreadable(source, f"cannot read file: {exc.strerror or exc}")
    return load_bytes(raw, source, first_item)


def read_head(path, size: int) -> bytes:
    """A file's first size bytes (all of it when shorter); OSError when it cannot be read. Through the
    os module: open, reads, close, where a file object adds three more system calls, which counts for
    files read by the thousand (every file of a run peeked at, every redirect stub of a build)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        head = os.read(fd, size)
        while len(head) < size:  # a read may give less than asked before the end; the end gives b""
            more = os.read(fd, size - len(head))
            if not more:
                break
            head += more
        return head
    finally:
        os.close(fd)


def load_bytes(raw: bytes, source: str, first_item: int = 0) -> LoadedFile:
    loaded = LoadedFile(source)
    if is_wxr(raw[:WXR_PEEK]):
        from .wxr import load_wxr  # noqa: PLC0415 - only a run that reads an export needs it

        load_wxr(raw, source, loaded)
        return loaded
    return _sorted(loaded, lambda damage: parse_json(raw, source, loaded.warnings, damage), first_item)


def _sorted(loaded: LoadedFile, read: Callable[[list[ImportProblem]], object], first_item: int) -> LoadedFile:
    """loaded with what read(damage) reads sorted into it, from its list's value first_item on; where
    the text was damaged comes after the problems of the values before it, in file order."""
    damage: list[ImportProblem] = []
    try:
        value = read(damage)
    except ImportProblem as problem:
        loaded.problems.append(problem)
        return loaded
    _sort_value(value, loaded, first_item)
    loaded.problems.extend(damage)
    return loaded


# A WordPress export (WXR) names its namespace near its start.
WXR_PEEK = 4096


def is_wxr(head: bytes) -> bool:
    """Whether a file's first bytes are those of a WordPress export (wxr.py reads it): XML declaring
    WordPress's export namespace (not a feed that merely mentions it)."""
    return head.removeprefix(BOM).lstrip()[:1] == b"<" and _WXR_NAMESPACE.search(head) is not None


_WXR_NAMESPACE = re.compile(rb"""xmlns:[\w.-]+\s*=\s*["']http://wordpress\.org/export/""")


def _unreadable(source: str, message: str) -> LoadedFile:
    loaded = LoadedFile(source)
    loaded.problems.append(ImportProblem(message, source))
    return loaded


def encoding_of(raw: bytes) -> tuple[str, int]:
    """(codec, length of its byte order mark): UTF-8 unless a UTF-16 BOM says otherwise."""
    for mark, codec in UTF16_BOMS.items():
        if raw.startswith(mark):
            return codec, len(mark)
    return "utf-8", len(BOM) if raw.startswith(BOM) else 0


def decode(raw: bytes, source: str, warnings: list[str]) -> str:
    """Bytes to text: a BOM is fine, invalid UTF-8 is replaced with a warning."""
    codec, skip = encoding_of(raw)
    try:
        return raw[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        name = codec[:6].upper()  # UTF-8 or UTF-16
        # the offset counts from the start of the file, BOM included: what a hex editor shows
        warnings.append(f"{source}: invalid {name} at byte {skip + exc.start} (and maybe after) "
                        "replaced with U+FFFD")
        return raw[skip:].decode(codec, errors="replace")


def parse_json(raw: bytes, source: str, warnings: list[str], problems: list[ImportProblem]) -> object:
    """Strict JSON when it parses; else the lenient reader, which recovers truncated and damaged files
    and reads values written one after another. ImportProblem when nothing could be read; problems
    gets what was lost of a file read in part."""
    text = decode(raw, source, warnings)
    stripped = text.strip()
    if not stripped:
        raise ImportProblem("empty file, no JSON in it", source)
    if stripped.startswith("<"):
        raise ImportProblem("an HTML page, not JSON (a saved error or login page?)", source)
    return _read_text(text, source, warnings, problems, lambda position: byte_offset(raw, text, position))


def load_array_rest(given: int, rest: str, source: str, file_size: int, surrogates_before: int = 0) -> LoadedFile:
    """What load_bytes would give of a JSON array file from its value number given on. stream.py read
    the values before it (and replaced surrogates_before lone surrogates in them), then met what is
    not plain JSON; rest is the file's text after them."""
    loaded = LoadedFile(source)
    # each value read already stands in as {}: the values after them keep their places and paths
    text = "[" + ",".join(["{}"] * given) + rest

    def offset(position: int) -> int:  # counted from the end of the file, which rest ends
        return file_size - len(text[position:].encode("utf-8", errors="replace"))

    return _sorted(loaded, lambda damage: _read_text(text, source, loaded.warnings, damage, offset,
                                                     surrogates_before), given)


def _read_text(text: str, source: str, warnings: list[str], problems: list[ImportProblem],
               offset: Callable[[int], int], surrogates_before: int = 0) -> object:
    try:
        value = _strict_else_lenient(text, source, warnings, problems, offset)
    except ValueError:
        # int() refuses thousands of digits (sys.get_int_max_str_digits, a guard against slow
        # conversion) with a bare ValueError, which would otherwise stop the whole run
        raise ImportProblem("holds a number thousands of digits long, which no WordPress field does; "
                            "not read", source) from None
    return _without_lone_surrogates(value, text, source, warnings, surrogates_before)


def _strict_else_lenient(text: str, source: str, warnings: list[str], problems: list[ImportProblem],
                         offset: Callable[[int], int]) -> object:
    """offset(position): the byte of the file where a character of text is, for the messages."""
    try:
        return json.loads(text, strict=False)
    except RecursionError:
        raise ImportProblem(f"JSON nested too deep (more than {MAX_DEPTH} levels)", source) from None
    except json.JSONDecodeError as exc:
        strict_error = exc
    values, notes = LenientParser(text).parse()
    if not values:
        raise ImportProblem(f"not JSON: {strict_error.msg} at char {strict_error.pos}", source)
    for note in notes:
        message = note.describe(offset(note.position))
        if note.loses_data:
            problems.append(ImportProblem(message, source))
        else:
            warnings.append(f"{source}: {message}")
    if len(values) == 1:
        return values[0]
    warnings.append(f"{source}: {len(values)} JSON values one after another (JSON Lines, or replies saved "
                    "into one file); read them all")
    merged: list = []
    for value in values:
        if isinstance(value, list):
            merged.extend(value)
        else:
            merged.append(value)
    return merged


def byte_offset(raw: bytes, text: str, position: int) -> int:
    """Where character position of the decoded text starts in the file, counted from its end.

    From the end, because a cut is at the end: a BOM, or bad bytes replaced before the position,
    would make a count from the start wrong.
    """
    codec, _ = encoding_of(raw)
    return len(raw) - len(text[position:].encode(codec, errors="replace"))


def _without_lone_surrogates(value: object, text: str, source: str, warnings: list[str], before: int = 0) -> object:
    """Every lone surrogate (half an emoji) in keys and strings replaced with U+FFFD, with a warning
    (counting the before replaced in the same file already)."""
    replaced = 0
    if may_hold_lone_surrogates(text):  # most files have no surrogate escape: nothing to look for
        value, replaced = replace_lone_surrogates(value)
    if replaced + before:
        warnings.append(surrogates_replaced(source, replaced + before))
    return value


def surrogates_replaced(source: str, count: int) -> str:
    return f"{source}: {count} lone UTF-16 surrogate escapes (half an emoji?) replaced with U+FFFD"


def may_hold_lone_surrogates(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether the JSON text (from start to end) has a surrogate escape (\\ud83d) at all: most files have none."""
    return _SURROGATE_ESCAPE.search(text, start, len(text) if end is None else end) is not None


def replace_lone_surrogates(value: object) -> tuple[object, int]:
    """value with every lone surrogate of its keys and strings replaced with U+FFFD, and how many."""
    replaced = 0

    def fix(string: str) -> str:
        nonlocal replaced
        string, count = _LONE_SURROGATE.subn("\ufffd", string)
        replaced += count
        return string

    if isinstance(value, str):
        value = fix(value)
    stack = [value] if isinstance(value, (dict, list)) else []
    while stack:  # iterative: the value may be nested hundreds of levels deep
        node = stack.pop()
        if isinstance(node, dict) and any(_LONE_SURROGATE.search(key) for key in node):
            fixed = {fix(key): item for key, item in node.items()}
            node.clear()
            node.update(fixed)
        for key in (list(node) if isinstance(node, dict) else range(len(node))):
            item = node[key]
            if isinstance(item, str):
                node[key] = fix(item)
            elif isinstance(item, (dict, list)):
                stack.append(item)
    return value, replaced


@dataclass
class ParseNote:
    """Where and how the lenient parser had to stop or skip."""

    position: int
    kind: str  # truncated, trailing (not JSON after the last value), damaged or unreadable (a value)
    path: str = ""

    @property
    def loses_data(self) -> bool:
        """Whether posts may have been lost: what could not be read looked like JSON."""
        return self.kind in ("damaged", "unreadable")

    def describe(self, offset: int) -> str:
        inside = f" inside {self.path}" if self.path else ""
        if self.kind == "trailing":
            return f"data after the JSON value at byte {offset} ignored"
        if self.kind == "damaged":
            return (f"not JSON from byte {offset}{inside}: kept every complete field before it; the rest of "
                    "the file is not read")
        if self.kind == "unreadable":
            return f"the JSON value at byte {offset} is not readable; it and the rest of the file are not read"
        return (f"file is truncated at byte {offset}{inside}: kept every complete field "
                "and the text up to the cut")


class LenientParser:
    """A JSON reader that forgives raw control characters and recovers a truncated document.

    Iterative, so a hostile nesting depth cannot overflow the stack.
    """

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.stack: list[list] = []  # the containers open where the value being read is

    def parse(self) -> tuple[list, list[ParseNote]]:
        """Every value the text holds, one after another (JSON Lines, replies saved into one file), and
        where reading had to stop. After a value, text that opens no other one is ignored (a page's
        trailing HTML comment); a value that cannot be read keeps what came before the damage in it."""
        values: list = []
        notes: list[ParseNote] = []
        while True:
            start = self.pos
            try:
                values.append(self._value())
            except _Truncated as cut:
                values.append(cut.value)
                notes.append(ParseNote(len(self.text), "truncated", cut.path))
                break
            except _Malformed:
                if self.stack and self.stack[0][0]:  # something read already: keep it
                    path = _path_of(self.stack)
                    values.append(_close_all(self.stack, None))
                    notes.append(ParseNote(self.pos, "damaged", path))
                elif values:
                    notes.append(ParseNote(start, "unreadable"))
                break
            self._skip_space()
            if self.pos >= len(self.text):
                break
            if self.text[self.pos] not in "[{":
                notes.append(ParseNote(self.pos, "trailing"))
                break
        return values, notes

    def _skip_space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()

    def _value(self) -> object:
        # stack of [container, pending_key, path_label]
        stack: list[list] = []
        self.stack = stack
        while True:
            self._skip_space()
            if self.pos >= len(self.text):
                raise _truncated(stack)
            ch = self.text[self.pos]
            if stack and isinstance(stack[-1][0], dict) and stack[-1][1] is None:
                # expecting a key or the end of the object
                if ch == "}":
                    self.pos += 1
                    value = stack.pop()[0]
                elif ch == ",":
                    self.pos += 1
                    continue
                elif ch == '"':
                    key = self._string(stack)
                    self._skip_space()
                    if self.pos >= len(self.text):
                        raise _truncated(stack)
                    if self.text[self.pos] != ":":
                        raise _Malformed
                    self.pos += 1
                    stack[-1][1] = key
                    continue
                else:
                    raise _Malformed
            elif stack and isinstance(stack[-1][0], list) and ch in "],":
                self.pos += 1
                if ch == ",":
                    continue
                value = stack.pop()[0]
            elif ch == "{" or ch == "[":
                if len(stack) >= MAX_DEPTH:
                    raise _Malformed
                self.pos += 1
                stack.append([{} if ch == "{" else [], None])
                continue
            elif ch == '"':
                value = self._string(stack)
            else:
                value = self._scalar(stack)
            if not stack:
                return value
            _attach(stack, value)

    def _string(self, stack: list[list]) -> str:
        start = self.pos + 1
        end = _STRING_BODY.match(self.text, start).end()
        body = self.text[start:end]
        # No closing quote: the file was cut inside this string. The body stops short of the end
        # only at a lone final backslash, which is the first half of an escape, not a quote.
        if end >= len(self.text) or self.text[end] != '"':
            body = _HALF_ESCAPE.sub(r"\1", self.text[start:])
            path = _path_of(stack)
            raise _Truncated(_close_all(stack, _decode_string(body)), path)
        self.pos = end + 1
        return _decode_string(body)

    def _scalar(self, stack: list[list]) -> object:
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return value
        match = _NUMBER.match(self.text, self.pos)
        if not match:
            rest = self.text[self.pos:]
            if any(w.startswith(rest) for w in ("true", "false", "null")) or re.fullmatch(r"-?[\d.eE+-]*", rest):
                raise _truncated(stack)
            raise _Malformed
        self.pos = match.end()
        if match.end() >= len(self.text):  # a number at the very end may have lost digits
            raise _truncated(stack)
        number = match.group()
        return float(number) if any(c in number for c in ".eE") else int(number)


def _truncated(stack: list[list]) -> "_Truncated":
    path = _path_of(stack)
    return _Truncated(_close_all(stack, None), path)


class _Truncated(Exception):
    def __init__(self, value: object, path: str):
        super().__init__(path)
        self.value = value
        self.path = path


class _Malformed(Exception):
    pass


def _decode_string(body: str) -> str:
    try:
        return json.loads(f'"{body}"', strict=False)
    except json.JSONDecodeError:
        # a bad escape somewhere: keep the text, dropping only the backslashes that broke it
        return re.sub(r"\\(.)", r"\1", body, flags=re.S)


def _attach(stack: list[list], value: object) -> None:
    top = stack[-1]
    if isinstance(top[0], dict):
        top[0][top[1]] = value
        top[1] = None
    else:
        top[0].append(value)


def _close_all(stack: list[list], partial: object) -> object:
    """Attach a partial value where the cut happened, close every open container, return the outermost."""
    if not stack:
        return partial
    if partial is not None and (isinstance(stack[-1][0], list) or stack[-1][1] is not None):
        _attach(stack, partial)
    while len(stack) > 1:
        container = stack.pop()[0]
        _attach(stack, container)
    return stack[0][0]


def _path_of(stack: list[list]) -> str:
    parts = []
    for container, key in stack:
        if isinstance(container, dict) and key is not None:
            parts.append(str(key))
        elif isinstance(container, list):
            parts.append(f"[{len(container)}]")
    return ".".join(parts).replace(".[", "[")


# --- what the value holds -------------------------------------------------------------------

def _sort_value(value: object, loaded: LoadedFile, first_item: int = 0) -> None:
    source = loaded.path
    if isinstance(value, list):
        if not value:
            loaded.warnings.append(f"{source}: an empty list, no posts in it")
            return
        kind = sidecar_kind_of_list(value)
        if kind:
            loaded.sidecar_kind, loaded.sidecar_items = kind, [v for v in value if isinstance(v, dict)]
            return
        for index in range(first_item, len(value)):
            sort_item(value[index], loaded, index)
        return
    if isinstance(value, dict):
        kind = sidecar_kind(value)
        if kind:
            loaded.sidecar_kind, loaded.sidecar_items = kind, [value]
            return
        sort_item(value, loaded, None)
        return
    what = "null" if value is None else f"a JSON {type(value).__name__}"
    loaded.problems.append(ImportProblem(f"holds {what}, not a WordPress post or list of posts", source))


def sort_item(item: object, loaded: LoadedFile, index: int | None) -> None:
    """A post into loaded.posts; anything else is a problem naming what it is (index: its place in a list)."""
    source = loaded.path
    label = f"item {index + 1}: " if index is not None else ""
    if isinstance(item, dict) and is_post(item):
        loaded.posts.append(RawPost(item, source, index))
    elif isinstance(item, dict) and is_wp_error(item):
        loaded.problems.append(ImportProblem(
            f"{label}a WordPress error response ({item.get('code')}: {_short(item.get('message'))})", source))
    elif isinstance(item, dict):
        keys = ", ".join(sorted(map(str, item))[:5]) or "no keys"
        loaded.problems.append(ImportProblem(f"{label}not a WordPress post (keys: {keys})", source))
    else:
        loaded.problems.append(ImportProblem(f"{label}not a WordPress post (a JSON {type(item).__name__})", source))


def _short(text: object, limit: int = 80) -> str:
    text = re.sub(r"<[^>]+>", "", str(text or ""))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_wp_error(obj: dict) -> bool:
    return "code" in obj and "message" in obj and "id" not in obj


def is_post(obj: dict) -> bool:
    """A post, page or custom post type object: it has an identity and something to read."""
    if obj.get("type") == "attachment" or "media_type" in obj or "taxonomy" in obj:
        return False
    if "author_name" in obj and "post" in obj:
        return False  # a comment (/wp/v2/comments)
    if "type" not in obj and _REVISION_SLUG.search(str(obj.get("slug") or "")):
        return False  # a revision or an autosave of a post, not the post
    has_identity = any(k in obj for k in ("id", "slug", "guid", "link"))
    has_text = any(k in obj for k in ("content", "title", "excerpt"))
    return has_identity and has_text and not is_wp_error(obj)


def sidecar_kind(obj: dict) -> str | None:
    """Which /wp/v2 collection an object comes from, when it is not a post."""
    if obj.get("type") == "attachment" or "media_type" in obj or "mime_type" in obj:
        return "media"
    taxonomy = obj.get("taxonomy")
    if taxonomy == "category":
        return "categories"
    if taxonomy == "post_tag":
        return "tags"
    if "avatar_urls" in obj or ("name" in obj and "slug" in obj and "title" not in obj
                                and "taxonomy" not in obj and "content" not in obj and "id" in obj):
        return "users"
    return None


def sidecar_kind_of_list(items: list) -> str | None:
    kinds = {sidecar_kind(item) if isinstance(item, dict) else None for item in items}
    if len(kinds) == 1:
        return kinds.pop()
    return None
