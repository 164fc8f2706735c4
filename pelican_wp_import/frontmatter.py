"""YAML front matter: Markdown files with a '---' fenced header, written and read back."""
from __future__ import annotations

import re

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


def dump(metadata: dict, body: str) -> str:
    """A Markdown document with its metadata as YAML front matter."""
    header = yaml.dump(metadata, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                       default_flow_style=False, width=1 << 16)
    return f"---\n{header}---\n\n{body}"


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
