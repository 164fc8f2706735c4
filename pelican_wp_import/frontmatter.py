"""YAML front matter: Markdown files with a '---' fenced header, written and read back."""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

import yaml

_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A '---' line, then YAML, then a '---' (or '...') line; the rest is the body.
_FENCED = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                     re.S | re.M)


class _Dumper(_BaseDumper):
    """Our own subclass, so the representer below does not change PyYAML for anyone else."""


def _str_representer(dumper, value: str):
    # several lines (a summary of paragraphs) read best as a literal block
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
_RESOLVER = yaml.resolver.Resolver()
# Characters that cannot open a plain scalar, and sequences that cannot appear in one.
_PLAIN_FIRST = set("-?:,[]{}#&*!|>'\"%@` \t")
# Characters no plain scalar holds; str.isprintable() is False for each (and for a few more, such as
# U+00A0, which are then looked for with this).
_NOT_PLAIN_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
# What a double-quoted scalar must escape: its delimiters and every character YAML reads specially
# or refuses in a stream (U+FFFE and U+FFFF are outside YAML's printable characters).
_QUOTE_ESCAPES = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')
_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
# A line a literal block (|-) cannot hold as it is.
_NOT_LITERAL = re.compile(r"[ \t]\n|[ \t]$|\A[ \t\n]|\n$"
                          r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


class _Unsupported(Exception):
    """A value this emitter does not write; PyYAML writes the whole header instead."""


@lru_cache(maxsize=4096)  # keys, names and terms come back in every post
def _scalar(value: str) -> str:
    if value and value[0] not in _PLAIN_FIRST and not _not_plain(value) \
            and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str":
        return value
    return '"' + _QUOTE_ESCAPES.sub(_escape_char, value) + '"'


def _not_plain(value: str) -> bool:
    """Whether a non-empty value cannot be a plain scalar: ': ' or ' #' in it, ':' or white space
    at its end, or a character a plain scalar cannot hold."""
    if ": " in value or " #" in value or value[-1] == ":" or value[-1].isspace():
        return True
    return not value.isprintable() and _NOT_PLAIN_CHARACTER.search(value) is not None


def _escape_char(match: re.Match) -> str:
    char = match.group()
    return _SHORT_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def _value(value, indent: str) -> str:
    """The text after 'key:' for one value, starting with a space or a line break."""
    if isinstance(value, str):  # first: most values are strings
        if "\n" in value and not _NOT_LITERAL.search(value):
            inner = indent + "  "
            return " |-\n" + "\n".join(inner + line if line else "" for line in value.split("\n"))
        return " " + _scalar(value)
    if isinstance(value, bool):
        return " true" if value else " false"
    if isinstance(value, int):
        return f" {value}"
    if isinstance(value, datetime):
        return " " + value.isoformat(" ")
    if isinstance(value, list):
        if not value:
            return " []"
        return "".join("\n" + indent + "-" + _item(item, indent) for item in value)
    if isinstance(value, dict):
        if not value:
            return " {}"
        return "".join(f"\n{indent}  {_key(k)}:{_value(v, indent + '  ')}" for k, v in value.items())
    raise _Unsupported(type(value).__name__)


def _item(item, indent: str) -> str:
    """A sequence entry: '- scalar', or a mapping whose first key sits on the dash's line."""
    if isinstance(item, dict) and item:
        lines = [f"{_key(k)}:{_value(v, indent + '  ')}" for k, v in item.items()]
        return " " + ("\n" + indent + "  ").join(lines)
    if isinstance(item, (list, dict)):
        raise _Unsupported("nested collection")
    return _value(item, indent + "  ")


def _key(key) -> str:
    if not isinstance(key, str):
        raise _Unsupported("key " + type(key).__name__)
    return _scalar(key)


def emit(metadata: dict) -> str:
    """YAML for front matter values, written directly: PyYAML's pure-Python representer cost more
    than the rest of writing a post. Any value of another shape goes through PyYAML itself."""
    try:
        return "".join(f"{_key(k)}:{_value(v, '')}\n" for k, v in metadata.items())
    except _Unsupported:
        return yaml.dump(metadata, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                         default_flow_style=False, width=1 << 16)


def dump(metadata: dict, body: str) -> str:
    """A Markdown document with its metadata as YAML front matter."""
    return f"---\n{emit(metadata)}---\n\n{body}"


def split(text: str) -> tuple[dict, str] | None:
    """(metadata, body) of a document with YAML front matter; None when it has none.

    Raises yaml.YAMLError when the header is there but is not YAML.
    """
    match = _FENCED.match(text)
    if not match:
        return None
    metadata = yaml.load(match.group("yaml"), Loader=_Loader)
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise yaml.YAMLError("front matter is not a mapping of keys to values")
    return metadata, text[match.end():].lstrip("\n")
