"""Write converted posts as Markdown files: safe paths, unique names, atomic writes, hand edits kept."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .frontmatter import dump
from .model import Converted, ImportProblem, where

MANIFEST = ".wp-import.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Outcome:
    path: str  # relative to the output folder
    state: str  # written, unchanged or kept (edited by hand since it was written)
    warnings: list[str] = field(default_factory=list)


class OutputFolder:
    """The folder posts are written into, and the record of what this tool wrote there."""

    def __init__(self, root: str | Path, force: bool = False):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.real_root = self.root.resolve()
        self.force = force
        self.taken: dict[str, str] = {}  # folded relative path -> who took it
        self.manifest: dict[str, str] = self._read_manifest()

    def _read_manifest(self) -> dict[str, str]:
        try:
            data = json.loads((self.root / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        files = data.get("files") if isinstance(data, dict) else None
        return {k: v for k, v in files.items() if isinstance(v, str)} if isinstance(files, dict) else {}

    def save_manifest(self) -> None:
        data = {"note": "written by pelican-wp-import: the sha256 of each file as it wrote it, so that a "
                        "file edited since is never overwritten without --force",
                "files": dict(sorted(self.manifest.items()))}
        atomic_write(self.root / MANIFEST, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode())

    def place(self, post: Converted) -> tuple[str, list[str]]:
        """A relative path for the post that no earlier post of this run has."""
        folder = "pages/" if post.kind == "page" else ""
        warnings = []
        rel = f"{folder}{post.slug}.md"
        number = 1
        while rel.casefold() in self.taken:
            number += 1
            rel = f"{folder}{post.slug}-{number}.md"
        if number > 1:
            first = self.taken[f"{folder}{post.slug}.md".casefold()]
            warnings.append(f"slug {post.slug!r} is also used by {first}; written as {rel}")
        self.taken[rel.casefold()] = where(post.source, post.post_id).rstrip(": ")
        return rel, warnings

    def write(self, post: Converted) -> Outcome:
        rel, warnings = self.place(post)
        target = self.inside(rel)
        data = dump(post.metadata, post.markdown).encode("utf-8")
        outcome = Outcome(rel, "written", warnings)
        if target.is_symlink():
            raise ImportProblem(f"{rel} is a symbolic link; not written through", post.source, post.post_id)
        if target.exists():
            current = sha256(target.read_bytes())
            if current == sha256(data):
                self.manifest[rel] = current
                outcome.state = "unchanged"
                return outcome
            if self.manifest.get(rel) != current and not self.force:
                outcome.state = "kept"
                why = "edited since it was written" if rel in self.manifest else "not written by this tool"
                outcome.warnings.append(f"{rel} was {why}; kept it (--force overwrites)")
                return outcome
        atomic_write(target, data)
        self.manifest[rel] = sha256(data)
        return outcome

    def inside(self, rel: str) -> Path:
        """The path for rel, refusing anything that would land outside the output folder."""
        target = (self.root / rel)
        real = target.parent.resolve() / target.name
        if not real.is_relative_to(self.real_root):
            raise ImportProblem(f"{rel} would be written outside the output folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename: a killed run leaves no half file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
