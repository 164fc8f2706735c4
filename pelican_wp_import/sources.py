"""Find the JSON files a run reads and the sidecar files beside them."""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from .load import WXR_PEEK, is_wxr, load_file, read_head
from .resolve import Sidecars

# Only files whose first bytes lack a "content" key can be sidecars: every post object has one
# near its start, so post files are never parsed twice. A key, not a value: a tag, a user or an
# upload may well be named "content".
_PEEK_BYTES = 1 << 16
_CONTENT_KEY = re.compile(rb'"content"\s*:')


def json_files(sources: list[str], skip: Path | None = None) -> tuple[list[Path], list[str]]:
    """Every file named, and every .json file and export found below the sources, sorted; and the
    sources that do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    skip_real = skip.resolve() if skip else None
    for source in sources:
        path = Path(source)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and (skip_real is None or Path(folder, d).resolve() != skip_real))
                # dot files are this tool's own records (.wp-import.json) or editors' leftovers
                found.extend(Path(folder, f) for f in sorted(files)
                             if not f.startswith(".") and holds_posts(Path(folder, f)))
        else:
            missing.append(source)
    if len(sources) == 1:
        return found, missing  # one file, or one folder's walk: no path twice
    return list(dict.fromkeys(found)), missing


def is_export(path: Path) -> bool:
    """Whether an .xml file is a WordPress export (WXR), which convert reads as it reads JSON."""
    try:
        return is_wxr(read_head(path, WXR_PEEK))
    except OSError:
        return False


def holds_posts(path: str | Path) -> bool:
    """Whether a file found in a folder is one convert and the plugin read: a .json file, or an .xml
    file that is an export (not a sitemap or a feed kept beside them)."""
    name = str(path).lower()
    return name.endswith(".json") or name.endswith(".xml") and is_export(path)


def may_be_sidecar(path: Path) -> bool:
    """Whether a file may be a sidecar: False for one that is none (a post file, or unreadable)."""
    try:
        head = read_head(path, _PEEK_BYTES)  # the main process peeks into every file of a run
    except OSError:
        return False
    if is_wxr(head[:WXR_PEEK]):
        return False  # an export: reading it whole to learn that it is no sidecar cost a second parse of it
    return b'"content"' not in head or _CONTENT_KEY.search(head) is None


def sidecars_for(folder: Path, files: list[Path] | None = None) -> Sidecars:
    """The sidecars of one folder (users, categories, tags, media), however their files are named."""
    sidecars = Sidecars()
    candidates = files if files is not None else sorted(folder.glob("*.json"))
    for path in candidates:
        if may_be_sidecar(path):
            loaded = load_file(path)
            if loaded.sidecar_kind:
                sidecars.add(loaded.sidecar_kind, loaded.sidecar_items)
    return sidecars


# (folder, its time) -> its sidecar files: found by looking into every file, or told by remember_stamps.
_SIDECAR_FILES: dict[tuple[str, int], tuple[str, ...]] = {}
_MAX_FOLDERS = 64


def _sidecar_files(folder: str, folder_mtime: int) -> tuple[str, ...]:
    """The sidecar files of a folder as it was at folder_mtime (adding or removing a file changes it)."""
    key = (folder, folder_mtime)
    found = _SIDECAR_FILES.get(key)
    if found is None:
        if len(_SIDECAR_FILES) >= _MAX_FOLDERS:
            _SIDECAR_FILES.clear()
        found = _SIDECAR_FILES[key] = tuple(str(p) for p in sorted(Path(folder).glob("*.json"))
                                            if may_be_sidecar(p) and load_file(p).sidecar_kind)
    return found


def remember_stamps(stamps: dict[str, tuple]) -> None:
    """What an earlier build's folder_stamp found, kept in Pelican's cache: each folder's sidecar files
    while the folder keeps the time it had then, so that a warm build looks into none of its files."""
    for folder, stamp in stamps.items():
        if stamp and len(_SIDECAR_FILES) < _MAX_FOLDERS:
            _SIDECAR_FILES.setdefault((folder, stamp[0]), tuple(entry[0] for entry in stamp[1:]))


def folder_stamp(folder: Path) -> tuple:
    """What changes when a folder's sidecars may have: the folder's time, and the size and time of
    each sidecar file. Only the sidecars are looked at, so asking once per post stays cheap."""
    try:
        stamp = [os.stat(folder).st_mtime_ns]
        for name in _sidecar_files(str(folder), stamp[0]):
            info = os.stat(name)
            stamp.append((name, info.st_size, info.st_mtime_ns))
    except OSError:
        return ()
    return tuple(stamp)


@functools.lru_cache(maxsize=64)
def _cached_sidecars(folder: str, stamp: tuple) -> Sidecars:
    # the stamp names the sidecar files: the folder's other files need no second look
    return sidecars_for(Path(folder), [Path(entry[0]) for entry in stamp[1:]]) if stamp else sidecars_for(Path(folder))


def cached_sidecars(folder: Path) -> Sidecars:
    """Sidecars of a folder, read once per change of the folder (the Pelican reader asks per file)."""
    return _cached_sidecars(str(folder), folder_stamp(folder))
