"""Helpers the site and command tests share: run a real Pelican build, read written Markdown."""
from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from conftest import ROOT
from pelican_wp_import.frontmatter import split


def build_site(content: Path, output: Path, config: str = "pelicanconf.py", **overrides) -> Path:
    """Build a site with the project's settings into output, as `pelican content -s pelicanconf.py` would."""
    from pelican import Pelican
    from pelican.log import LimitFilter
    from pelican.settings import read_settings

    # Pelican drops a log message it has shown before in the same process; each build here
    # stands for a separate `pelican` run, so it starts with a clean slate.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()

    settings = read_settings(str(ROOT / config), override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False, "DELETE_OUTPUT_DIRECTORY": True, **overrides})
    Pelican(settings).run()
    return output


def permalink_page(out: Path, link: str) -> Path:
    """The page a build writes for a post at its old permalink: https://x/news/slug/ is news/slug/index.html."""
    return out / urlsplit(link).path.strip("/") / "index.html"


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "lxml")


def read_markdown(path: Path) -> tuple[dict, str]:
    parsed = split(path.read_text("utf-8"))
    assert parsed is not None, f"{path} has no YAML front matter"
    return parsed


def run_on_a_terminal(*args) -> tuple[int, str]:
    """Run the command with its stderr on a pseudo-terminal, as a person would; its exit code and what it drew."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pelican_wp_import.cli", *map(str, args)], stderr=follower,
                            stdout=subprocess.DEVNULL, cwd=ROOT, env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(leader)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def default_sigint() -> None:
    """preexec_fn for a command started as from a terminal: Ctrl-C not ignored (a shell's background
    job, which may have started these tests, passes an ignored SIGINT down to what it runs)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class AskedLate(Future):
    """A future that is not done until its result is asked for: fn(*args) runs then, in this process,
    and its exception, if any, is the future's. Reading an export's posts ahead of such a result runs
    as far as it may (to the end of the file, or to wxr._AHEAD_BYTES). when_asked(), if given, runs first."""

    def __init__(self, fn, *args, when_asked=None):
        super().__init__()
        self._call, self._when_asked = (fn, args), when_asked

    def result(self, timeout=None):
        if not self.done():
            if self._when_asked is not None:
                self._when_asked()
            try:
                self.set_result(self._call[0](*self._call[1]))
            except Exception as exc:  # noqa: BLE001 - handed on as a future hands on its call's exception
                self.set_exception(exc)
        return super().result(timeout)
