"""The archive of raw REST API replies under OUTPUT/.wp-api/: page files, finished pages, merged changes."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from .write import atomic_write

ARCHIVE = ".wp-api"
# A --since run's replies, kept apart (a dot folder, which converting the archive never reads) and merged in.
CHANGES = ".since"
STATE = ".fetch-state.json"  # a dot file, so that converting the archive never takes it for posts
_PAGE_FILE = re.compile(r"page-(\d+)\.json")


def page_name(number: int) -> str:
    return f"page-{number:04d}.json"


class Archive:
    """Page files by post type, and the record of which pages the current run has finished.

    A run that stopped part way (killed, or with pages that kept failing) is resumed by the next run
    with the same settings; a run that finished is followed by a fresh one, which rewrites only the
    page files whose bytes changed.
    """

    def __init__(self, root: Path, run: dict, clear_on_fresh: bool = False):
        self.root = root
        self.run = run
        state = _read_state(root / STATE)
        self.resumed = state.get("run") == run and state.get("complete") is False
        self.done: dict[str, set[int]] = {k: set(v) for k, v in state["done"].items()} if self.resumed else {}
        self.totals: dict[str, int] = dict(state["totals"]) if self.resumed else {}
        if clear_on_fresh and not self.resumed and root.is_dir():
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
        self._save_state(complete=False)

    def page_path(self, kind: str, number: int) -> Path:
        return self.root / kind / page_name(number)

    def is_done(self, kind: str, number: int) -> bool:
        return number in self.done.get(kind, ()) and (self.totals.get(kind) == 0
                                                      or self.page_path(kind, number).is_file())

    def missing_pages(self, kind: str) -> list[int]:
        """Pages still to fetch when the number of pages is known (page 1 answered), else just page 1."""
        total = self.totals.get(kind)
        if total is None:
            return [1]
        return [n for n in range(1, total + 1) if not self.is_done(kind, n)]

    def save_page(self, kind: str, number: int, body: bytes) -> str:
        """Keep a page's bytes; 'written', or 'unchanged' when the file already holds them."""
        path = self.page_path(kind, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() and path.read_bytes() == body:
            return "unchanged"
        atomic_write(path, body)
        return "written"

    def finish_page(self, kind: str, number: int) -> None:
        self.done.setdefault(kind, set()).add(number)
        self._save_state(complete=False)

    def set_total(self, kind: str, total: int) -> None:
        """The number of pages a type has: from page 1's X-WP-TotalPages, or where paging ran out."""
        self.totals[kind] = min(total, self.totals.get(kind, total))
        self._save_state(complete=False)

    def complete(self) -> None:
        """Every page fetched: drop page files past each type's last page, and say the run finished."""
        for kind, total in self.totals.items():
            for number, path in page_files(self.root / kind):
                if number > total:
                    path.unlink()
        self._save_state(complete=True)

    def _save_state(self, complete: bool) -> None:
        state = {"note": "written by pelican-wp-import fetch: the pages of this run already fetched, so that an "
                         "interrupted run goes on where it stopped",
                 "run": self.run, "complete": complete,
                 "totals": dict(sorted(self.totals.items())),
                 "done": {kind: sorted(pages) for kind, pages in sorted(self.done.items())}}
        atomic_write(self.root / STATE, (json.dumps(state, indent=1) + "\n").encode())


def _read_state(path: Path) -> dict:
    """The state file of an earlier run, or {} when there is none or it makes no sense."""
    try:
        state = json.loads(path.read_text("utf-8"))
        done = {str(kind): [int(n) for n in pages] for kind, pages in state["done"].items()}
        totals = {str(kind): int(total) for kind, total in state["totals"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}
    return {"run": state.get("run"), "complete": state.get("complete"), "done": done, "totals": totals}


def page_done_before(root: Path, run: dict, kind: str, number: int) -> bool:
    """Whether the record in root is of an unfinished run like run (which then resumes it) that has the page."""
    state = _read_state(root / STATE)
    return state.get("run") == run and state.get("complete") is False and number in state["done"].get(kind, ())


def has_pages(root: Path, kinds: tuple[str, ...]) -> bool:
    """Whether an archive folder holds any page file of these post types (a --since run may have found
    nothing new)."""
    return any(page_files(root / kind) for kind in kinds)


def page_files(folder: Path) -> list[tuple[int, Path]]:
    """A type folder's page files in page order."""
    if not folder.is_dir():
        return []
    found = ((_PAGE_FILE.fullmatch(path.name), path) for path in folder.iterdir())
    return sorted((int(match.group(1)), path) for match, path in found if match)


# --- a --since run's changes into the archive ---------------------------------------------------

def merge_changes(changes: Path, archive: Path, kinds: list[str]) -> int:
    """Put the posts a --since run fetched into the archive's pages, replacing older copies by id.

    Posts the archive does not hold yet go at the end of its last page. The archive stays the
    whole site, so that converting it offline gives what the live site has. Returns the posts merged.
    """
    merged = 0
    for kind in kinds:
        changed = [post for _, path in page_files(changes / kind) for post in _posts_in(path)]
        if changed:
            _merge_kind(archive / kind, changed)
            merged += len(changed)
    return merged


def _merge_kind(folder: Path, changed: list[dict]) -> None:
    pages = {path: _posts_in(path) for _, path in page_files(folder)}
    where = {post.get("id"): (path, index) for path, posts in pages.items() for index, post in enumerate(posts)}
    touched = set()
    last = next(reversed(pages), folder / page_name(1))
    for post in changed:
        path, index = where.get(post.get("id"), (None, None))
        if path is None:
            pages.setdefault(last, []).append(post)
            where[post.get("id")] = (last, len(pages[last]) - 1)
            touched.add(last)
        else:
            pages[path][index] = post
            touched.add(path)
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(touched):
        atomic_write(path, json.dumps(pages[path], ensure_ascii=False).encode("utf-8"))


def _posts_in(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    except (OSError, ValueError):
        return []
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []
