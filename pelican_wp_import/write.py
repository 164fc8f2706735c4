"""Write converted posts as Markdown files: safe paths, unique names, atomic writes, hand edits kept."""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISLNK

from .frontmatter import dump
from .links import site_host
from .model import Converted, ImportProblem, where
from .oldsite import MANIFEST_KEY as ADDRESSES

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
        writable_folder(self.root)
        self.real_root = self.root.resolve()
        self._checked: set[Path] = set()
        self.force = force
        self.taken: dict[str, str] = {}  # folded relative path -> who took it
        self.placed_ids: dict[tuple[str, int], str] = {}  # (site's host, WordPress id) -> file, this run
        self.manifest: dict[str, str] = self._read_manifest("files")
        self.owners: dict[str, str] = self._read_manifest("posts")  # relative path -> WordPress post id
        # the old site's addresses no post holds (see oldsite.py): old link -> what it was
        self.addresses: dict[str, dict] = self._read_manifest(ADDRESSES, dict)
        remove_temporary_files(self.root)
        # a folder that held nothing but dot files when the run began holds no file this run did not
        # write: no need to look before writing each new file (a first convert or fetch)
        self.fresh = not any(not name.startswith(".") for name in os.listdir(self.root))
        self.written: set[str] = set()

    def _read_manifest(self, key: str, kind: type = str) -> dict:
        try:
            data = json.loads((self.root / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        files = data.get(key) if isinstance(data, dict) else None
        return {k: v for k, v in files.items() if isinstance(v, kind)} if isinstance(files, dict) else {}

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def save_manifest(self) -> None:
        data = {"note": "written by pelican-wp-import: the sha256 of each file as it wrote it, so that a "
                        "file edited since is never overwritten without --force; and the post each file "
                        "holds, so that a later run never gives its name to another post; and the old site's "
                        "addresses that no post holds (archives, attachment pages), which a build redirects",
                "files": dict(sorted(self.manifest.items())),
                "posts": dict(sorted(self.owners.items()))}
        if self.addresses:
            data[ADDRESSES] = dict(sorted(self.addresses.items()))
        atomic_write(self.manifest_path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode())

    def place(self, post: Converted) -> tuple[str, list[str]]:
        """A relative path that no other post has, in this run or (by the manifest) an earlier one."""
        folder = "pages/" if post.kind == "page" else ""
        warnings = []
        rel = f"{folder}{post.slug}.md"
        number = 1
        while rel.casefold() in self.taken or self._holds_another_post(rel, post):
            number += 1
            rel = f"{folder}{post.slug}-{number}.md"
        wp_id, link = post.metadata.get("wp_id"), post.metadata.get("wp_link")
        key = (site_host(link) if isinstance(link, str) else "", wp_id)  # www.x.example is x.example
        earlier = self.placed_ids.get(key) if isinstance(wp_id, int) else None
        if earlier is not None:
            # the same post twice (in two files, or on two pages of a site that changed while it was
            # fetched): both are kept, in case they differ, and the second is named
            warnings.append(f"the same post (id {wp_id}) was written as {earlier} already; this copy "
                            f"written as {rel}")
        elif number > 1:
            first_rel = f"{folder}{post.slug}.md"
            first = self.taken.get(first_rel.casefold()) or f"post {self.owners[first_rel]} of an earlier run"
            warnings.append(f"slug {post.slug!r} is also used by {first}; written as {rel}")
        if isinstance(wp_id, int):
            self.placed_ids.setdefault(key, rel)
        self.taken[rel.casefold()] = where(post.source, post.post_id).rstrip(": ")
        if post.metadata.get("wp_id") is not None:
            self.owners[rel] = str(post.metadata["wp_id"])
        return rel, warnings

    def _holds_another_post(self, rel: str, post: Converted) -> bool:
        # A run of one new file must not overwrite an earlier run's post that has the same slug.
        owner, wp_id = self.owners.get(rel), post.metadata.get("wp_id")
        return owner is not None and wp_id is not None and owner != str(wp_id)

    def write(self, post: Converted, placed: tuple[str, list[str]] | None = None) -> Outcome:
        """Write a post to the path place() gives it (or gave it already: placed)."""
        rel, warnings = placed or self.place(post)
        target = self.inside(rel)
        metadata = post.metadata
        slug = rel.rpartition("/")[2].removesuffix(".md")
        if metadata.get("slug", slug) != slug:
            # a post renamed to harbour-notes-2.md gets that slug too: with the first post's slug,
            # Pelican would refuse to write two pages to one URL
            metadata = {**metadata, "slug": slug}
        if metadata is post.metadata and post.document:
            data = post.document
        else:
            data = dump(metadata, post.body()).encode("utf-8")
        outcome = Outcome(rel, "written", warnings)
        found = None
        if not self.fresh or rel in self.written:
            try:
                found = os.lstat(target)  # one look: is it there, and is it a symbolic link
            except FileNotFoundError:
                pass
        if found is not None and S_ISLNK(found.st_mode):
            raise ImportProblem(f"{rel} is a symbolic link; not written through", post.source, post.post_id)
        if found is not None:
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
        self.written.add(rel)
        self.manifest[rel] = sha256(data)
        return outcome

    def inside(self, rel: str) -> Path:
        """The path for rel, refusing anything that would land outside the output folder."""
        target = self.root / rel
        if target.name in ("", ".", ".."):
            raise ImportProblem(f"{rel} names no file in the output folder")
        folder = target.parent
        if folder not in self._checked:  # each folder is resolved and made once, not once per file
            if not folder.resolve().is_relative_to(self.real_root):
                # a folder that is a symbolic link to elsewhere is not written through, whatever its name
                how = " through a symbolic link" if _named_inside(folder, self.root) else ""
                raise ImportProblem(f"{rel} would be written outside the output folder{how}")
            folder.mkdir(parents=True, exist_ok=True)
            self._checked.add(folder)
        return target


def _named_inside(path: Path, root: Path) -> bool:
    """Whether path is inside root by its name alone, before any symbolic link is followed."""
    return Path(os.path.normpath(path)).is_relative_to(os.path.normpath(root))


# The temporary file atomic_write writes beside its target: .<name>.<8 random characters>.tmp.
TEMPORARY_SUFFIX = ".tmp"
_TEMPORARY_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename: a killed run leaves no half file.

    A killed run may leave the temporary file: Pelican reads no .tmp file, and the next run removes it.
    The file is made with the mode a plain open() gives (0o666 less the umask), so that a web server or
    a second user building the site can still read it; mkstemp's 0o600 would need a chmod after."""
    folder, name = os.path.split(os.fspath(path))
    tmp = ""  # named before it is made: Ctrl-C right after os.open returns must not leave it behind
    try:
        for _ in range(100):
            tmp = os.path.join(folder, f".{name}.{_random_name()}{TEMPORARY_SUFFIX}")
            try:
                fd = os.open(tmp, _CREATE_NEW, 0o666)
                break
            except FileExistsError:
                tmp = ""  # another file's name: never removed here
        else:
            raise FileExistsError(f"no free temporary name beside {path}")
        try:  # os.write, not a file object: a third of the cost of a small file's write
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        if tmp:
            try:
                os.unlink(tmp)  # gone already when os.replace did its work, or os.open never made it
            except OSError:
                pass
        raise


# O_BINARY: on Windows a descriptor opened without it writes "\n" as "\r\n", whatever fdopen's mode says.
_CREATE_NEW = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_BINARY", 0))
_NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def writable_folder(folder: Path) -> None:
    """Make folder when it is missing, then make and remove a file in it: OSError now, before any post
    is converted, when nothing can be written there (a read-only disk; root writes where the mode bits
    say no one may)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = os.path.join(folder, f".probe.{_random_name()}{TEMPORARY_SUFFIX}")
    os.close(os.open(path, _CREATE_NEW, 0o666))
    os.unlink(path)


def _random_name() -> str:
    return "".join(random.choices(_NAME_CHARACTERS, k=8))


def remove_temporary_files(root: Path) -> int:
    """Remove what a killed run's atomic_write left in root; symbolic links to folders are not followed.
    Two runs into one folder at once are not supported: one would remove the other's files in progress."""
    removed = 0
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if not name.startswith(".")]  # .git and the like: not ours
        for name in files:
            if name.endswith(TEMPORARY_SUFFIX) and _TEMPORARY_NAME.match(name):
                try:
                    os.unlink(os.path.join(folder, name))
                    removed += 1
                except OSError:
                    pass
    return removed
