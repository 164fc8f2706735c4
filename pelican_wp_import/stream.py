"""Big files read a part at a time: a WordPress export, or one JSON array of thousands of posts, is
never held whole (by the command's process, or by each of its converter processes).

batches(path) gives the file's posts as load.LoadedFile parts of about BATCH_BYTES each: the same
posts, in the same places, with the same warnings and problems, as load_file(path) gives at once.
A JSON array is read one value at a time by the json module's own C scanner; where the file stops
being plain JSON (truncated, damaged, values one after another) its rest is read as load.py reads
any damaged file. One difference: a number thousands of digits long, or nesting deeper than 500
levels, makes load.py give up on a whole file, while here the posts before it are kept; and in a
file damaged further on, what the json module reads and load.py's lenient reader does not (NaN, a
number written with leading zeros) is read here.
"""
from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from .load import (BOM, WXR_PEEK, LoadedFile, Parts, is_wxr, load_array_rest, load_file, may_hold_lone_surrogates,
                   read_head, replace_lone_surrogates, sidecar_kind, sort_item, surrogates_replaced)

# A JSON file at least this big is streamed: bigger than any page of 100 posts an API gives.
STREAM_MIN_BYTES = 4_000_000
# About this much post text a part: a few dozen posts, enough to keep a converter process busy for
# the time it takes to hand it over many times.
BATCH_BYTES = 200_000
_READ_BYTES = 1 << 20
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's white space, no more
_NUMBER_GOES_ON = re.compile(r"[0-9.eE+-]*")  # what may still belong to a number the scanner ended


def streams(path: Path, size: int | None = None) -> bool:
    """Whether a file (of size bytes, when known) is read a part at a time: every export, and a big
    file of one JSON array."""
    xml = str(path)[-4:].lower() == ".xml"  # not Path.suffix: this is asked of every file of a run
    try:
        if not xml and (path.stat().st_size if size is None else size) < STREAM_MIN_BYTES:
            return False  # most files of a run: not opened here
        head = read_head(path, WXR_PEEK)
    except OSError:
        return False  # load_file reports it
    if is_wxr(head):
        return True
    return not xml and head.removeprefix(BOM).lstrip(b" \t\n\r")[:1] == b"["


def batches(path: Path, batch_bytes: int = 0, submit: Callable | None = None) -> Iterator[LoadedFile]:
    """The posts of a file streams() chose, a part at a time (of about batch_bytes, else BATCH_BYTES).
    The last part has the file's closing warnings, and its read_to is the file's size. submit: a
    process pool's, to read what an export's posts refer to in one of its processes while this one
    reads the posts (the pool's processes have no part to convert until it is known)."""
    batch_bytes = batch_bytes or BATCH_BYTES
    if is_wxr(read_head(path, WXR_PEEK)):
        from .wxr import read_export, read_site  # noqa: PLC0415

        site_ahead = submit(read_site, str(path)) if submit is not None else None
        # read_export closes each file it opens
        parts = read_export(lambda: open(path, "rb"), str(path), batch_bytes, site_ahead)  # noqa: SIM115
    else:
        parts = _array_batches(path, batch_bytes)
    last = None
    for part in parts:  # each handed on once the next is there: the last one is known for what it is
        if last is not None:
            yield last
        last = part
    if last is not None:
        try:
            last.read_to = max(last.read_to, path.stat().st_size)
        except OSError:
            pass
        yield last


class _NotPlain(Exception):
    """The array is empty, or holds no posts: load.py decides what it is, from all of it."""


class _Rest(Exception):
    """What follows the values read is not plain JSON: rest is the file's text from the end of the last one."""

    def __init__(self, rest: str):
        super().__init__()
        self.rest = rest


def _array_batches(path: Path, batch_bytes: int) -> Iterator[LoadedFile]:
    source = str(path)
    parts, given, replaced = Parts(source, batch_bytes), 0, 0
    try:
        with open(path, "rb") as file:
            for value, length, surrogates in _values(file):
                if given == 0 and (not isinstance(value, dict) or sidecar_kind(value)):
                    raise _NotPlain
                if surrogates:
                    value, count = replace_lone_surrogates(value)
                    replaced += count
                sort_item(value, parts.part, given)
                given += 1
                if full := parts.filled(length, file.tell()):
                    yield full
        rest = None
    except _Rest as cut:  # truncated, damaged, or more after the array: read as load.py reads it
        rest = load_array_rest(given, cut.rest, source, path.stat().st_size, replaced)
    except (_NotPlain, ValueError, RecursionError, OSError):
        # bytes that are no UTF-8, a number thousands of digits long, a list of no posts: the file read
        # again whole, as load.py reads any file, for the values not given yet
        rest = load_file(path, first_item=given)
    if rest is None:
        if replaced:
            parts.part.warnings.append(surrogates_replaced(source, replaced))
        yield parts.part
        return
    # what load.py read of the rest, in parts too: the converter processes share it
    part = parts.part
    part.warnings.extend(rest.warnings)
    part.problems.extend(rest.problems)
    part.sidecar_kind, part.sidecar_items = rest.sidecar_kind, rest.sidecar_items
    for post in rest.posts:
        parts.part.posts.append(post)
        if full := parts.filled(_post_size(post.data)):
            yield full
    yield parts.part


def _post_size(post: dict) -> int:
    content = post.get("content")
    html = content.get("rendered") if isinstance(content, dict) else content
    return (len(html) if isinstance(html, str) else 0) + 1000


def _values(file) -> Iterator[tuple[object, int, bool]]:
    """Each value of the JSON array the file holds: (value, length of its text, whether the text has a
    surrogate escape). _Rest where the file stops being an array of values and nothing else."""
    reader = _Reader(file)
    if reader.next_char() != "[":
        raise _NotPlain
    reader.pos += 1
    reader.kept = reader.pos
    if reader.next_char() == "]":
        raise _NotPlain  # an empty list: load.py says so
    while True:
        reader.next_char()
        try:
            yield reader.value()
        except json.JSONDecodeError:
            raise _Rest(reader.rest()) from None
        after = reader.next_char()
        if after == "]":
            reader.pos += 1
            if reader.next_char():
                raise _Rest(reader.rest())
            return
        if after != ",":
            raise _Rest(reader.rest())
        reader.pos += 1


class _Reader:
    """JSON text read on from a binary file as it is needed. Text before kept (the end of the last value
    read) is let go of."""

    def __init__(self, file):
        self.file = file
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()  # strict: bad bytes are load.py's
        self.scan = json.JSONDecoder(strict=False).raw_decode  # strict=False: as load.py reads files
        self.text = ""
        self.pos = self.kept = 0
        self.ended = False

    def more(self, at_least: int = 0) -> bool:
        """Read on (at least at_least bytes, so that a value read again and again doubles what it has).
        False once the end of the file was reached before."""
        if self.ended:
            return False
        chunk = self.file.read(max(_READ_BYTES, at_least))
        self.ended = not chunk
        self.text = self.text[self.kept:] + self.decoder.decode(chunk, final=self.ended)
        self.pos -= self.kept
        self.kept = 0
        return True

    def next_char(self) -> str:
        """The next character that is not white space ("" at the end of the file); pos is at it."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos:self.pos + 1]

    def value(self) -> tuple[object, int, bool]:
        """The JSON value at pos (which is at no white space), read on as far as it needs."""
        while True:
            try:
                value, end = self.scan(self.text, self.pos)
            except json.JSONDecodeError:
                if self.more(len(self.text) - self.kept):
                    continue  # cut by the end of what was read so far
                raise
            if _NUMBER_GOES_ON.match(self.text, end).end() == len(self.text):
                # a number the end of what was read may have cut (12|34, 1.|5): read on to be sure;
                # a number that ends the file is cut for load.py's reader, as a truncated value
                if self.more():
                    continue
                if isinstance(value, (int, float)) and end == len(self.text):
                    raise json.JSONDecodeError("a number at the end of the file", self.text, self.pos)
            start, self.pos = self.pos, end
            self.kept = end
            return value, end - start, may_hold_lone_surrogates(self.text, start, end)

    def rest(self) -> str:
        """The text from the end of the last value read to the end of the file."""
        while self.more():
            pass
        return self.text[self.kept:]
