"""Nothing is lost: every post of the input ends converted, skipped (with its reason) or an error (with its
reason), and a run killed half way leaves no half-written file, and a rerun finishes what it started."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from fnmatch import fnmatch
from pathlib import Path

from conftest import ROOT
from pelican_wp_import.cli import main
from pelican_wp_import.frontmatter import split

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402


# --- a mixed folder: the summary's counts add up to the input's ---------------------------------------------

def _post(post_id: int, **fields) -> dict:
    post = {"id": post_id, "date": "2024-07-01T12:00:00", "slug": f"post-{post_id}", "status": "publish",
            "type": "post", "title": {"rendered": f"Post {post_id}"},
            "content": {"rendered": f"<p>Words of post {post_id}.</p>"}}
    post.update(fields)
    return post


class Input:
    """The folder the test writes, and what it knows it put there: each post's fate, each file's."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir()
        self.converted: set[int] = set()
        self.skipped: dict[int, str] = {}  # post id -> the words its reason holds
        self.failed: dict[int, str] = {}
        self.bad_files: dict[str, str] = {}  # file name -> the words its error holds

    def file(self, name: str, data) -> None:
        text = data if isinstance(data, str) else json.dumps(data)
        (self.folder / name).write_text(text, "utf-8")

    @property
    def posts(self) -> int:
        return len(self.converted) + len(self.skipped) + len(self.failed)


def _mixed_folder(folder: Path) -> Input:
    made = Input(folder)
    for post_id in (1, 2):
        made.file(f"good-{post_id}.json", _post(post_id, categories=[7], author=3))
        made.converted.add(post_id)
    made.file("page.json", _post(3, type="page"))
    made.converted.add(3)
    made.file("statuses.json", [_post(4, status="draft"), _post(5, status="pending"), _post(6, status="future"),
                                _post(7, status="private"), _post(8, status="trash"),
                                _post(9, content={"rendered": "", "protected": True})])
    made.converted.update((4, 5, 6))
    made.skipped.update({7: "private", 8: "status trash", 9: "password-protected"})
    made.file("product.json", _post(10, type="product"))
    made.skipped[10] = "post type 'product' is excluded"
    made.file("undated.json", [_post(11, date="0000-00-00T00:00:00"), _post(12)])
    made.failed[11] = "no usable date"
    made.converted.add(12)
    made.file("users.json", [{"id": 3, "name": "Ada Quill", "slug": "ada", "link": "https://x.example/author/ada/"}])
    made.file("categories.json", [{"id": 7, "name": "Harbour", "slug": "harbour", "taxonomy": "category",
                                   "link": "https://x.example/category/harbour/"}])
    made.file("settings.json", {"name": "Site", "description": "d", "url": "https://x.example", "home": "h",
                                "gmt_offset": 1, "timezone_string": "Europe/Oslo"})
    made.bad_files["settings.json"] = "not a WordPress post"
    made.file("error.json", {"code": "rest_forbidden", "message": "Sorry.", "data": {"status": 401}})
    made.bad_files["error.json"] = "a WordPress error response"
    made.file("empty.json", "")
    made.bad_files["empty.json"] = "empty file"
    made.file("login.json", "<!DOCTYPE html><html><body>Log in</body></html>")
    made.bad_files["login.json"] = "an HTML page"
    page = json.dumps([_post(13), _post(14), _post(15, content={"rendered": "<p>Cut off in the middle of"})])
    made.file("truncated.json", page[: page.rindex("of")])
    made.converted.update((13, 14, 15))
    made.file("not-posts.json", [{"id": 1, "post": 13, "author_name": "A", "content": {"rendered": "A comment"},
                                  "type": "comment"}])
    made.bad_files["not-posts.json"] = "not a WordPress post"
    return made


def test_every_post_of_a_mixed_folder_ends_converted_skipped_or_an_error(capsys, tmp_path):
    made = _mixed_folder(tmp_path / "in")
    out = tmp_path / "out"
    code = main(["convert", str(made.folder), "-o", str(out), "--exclude-type", "product"])
    lines = capsys.readouterr().err.splitlines()
    assert code == 1

    written = {split(p.read_text("utf-8"))[0]["wp_id"] for p in out.rglob("*.md")}
    skipped = [line for line in lines if line.startswith("skipped: ")]
    errors = [line for line in lines if line.startswith("error: ")]
    post_errors = {int(line.split(": post ")[1].split(":")[0]): line for line in errors if ": post " in line}
    file_errors = {Path(line.split(": ")[1]).name: line for line in errors if ": post " not in line}

    assert written == made.converted
    assert len(skipped) == len(made.skipped)
    for post_id, reason in made.skipped.items():
        assert any(f": post {post_id}: " in line and reason in line for line in skipped), (post_id, skipped)
    assert {pid: made.failed[pid] in line for pid, line in post_errors.items()} == {pid: True for pid in made.failed}
    assert {name: made.bad_files[name] in line for name, line in file_errors.items()} == {
        name: True for name in made.bad_files}

    # the summary's counts add up to the input's: posts, and files that hold none
    assert made.posts == 15
    assert lines[-1] == (f"{len(made.converted)} posts converted ({len(made.converted)} written, 0 unchanged, "
                         f"0 kept as edited), {len(made.skipped)} skipped, 1 warnings, "
                         f"{len(made.failed) + len(made.bad_files)} errors")
    assert len(made.converted) + len(made.skipped) + len(made.failed) == made.posts


# --- a run killed half way -------------------------------------------------------------------------------

def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _convert(corpus: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pelican_wp_import.cli", "convert", str(corpus), "-o", str(out),
                             "-q", "-j", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)  # its own process group: the workers are killed with it


def test_a_killed_convert_leaves_no_half_file_and_a_rerun_finishes_it(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(2500, corpus)
    killed = tmp_path / "killed"
    proc = _convert(corpus, killed)
    deadline = time.monotonic() + 60
    while len(list(killed.glob("*.md"))) < 300 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"

    left = [p for p in killed.rglob("*") if p.is_file()]
    markdown = [p for p in left if p.suffix == ".md"]
    assert 300 <= len(markdown) < 2500
    for path in markdown:  # each file is whole: front matter and a body
        metadata, body = split(path.read_text("utf-8"))
        assert metadata["title"] and metadata["wp_id"] and body.strip(), path
    others = [p.relative_to(killed).as_posix() for p in left if p.suffix != ".md"]
    # a temporary file of a write in progress may be left: hidden, so Pelican (IGNORE_FILES **/.*) never reads it
    assert all(fnmatch(name, "**/.*") or name.startswith(".") for name in others), others

    rerun = _convert(corpus, killed)
    assert rerun.wait() == 0, rerun.stderr.read()
    whole = tmp_path / "whole"
    assert _convert(corpus, whole).wait() == 0
    assert _snapshot(killed) == _snapshot(whole)
    assert len([name for name in _snapshot(whole) if name.endswith(".md")]) == 2500
