"""Nothing is ever written outside the output folder, whatever a slug, an image's address or a symbolic
link says; an output folder that is itself a symbolic link is the user's choice and is followed."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pelican_wp_import.cli import main
from pelican_wp_import.media import local_path
from pelican_wp_import.model import Converted, ImportProblem
from pelican_wp_import.write import MANIFEST, OutputFolder, atomic_write, remove_temporary_files


def _post(post_id: int, slug: str, kind: str = "post") -> dict:
    return {"id": post_id, "date": "2024-07-01T12:00:00", "slug": slug, "status": "publish", "type": kind,
            "title": {"rendered": f"Post {post_id}"}, "content": {"rendered": f"<p>Body of {post_id}.</p>"}}


def _source(folder: Path, *posts: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "posts.json"
    path.write_text(json.dumps(list(posts)), "utf-8")
    return path


def _converted(slug: str, kind: str = "article") -> Converted:
    return Converted(kind, slug, {"title": "T", "slug": slug}, "Body.\n", "test.json", 1)


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


# --- names ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["../x.md", "/tmp/x.md", "a/../../x.md", "pages/../../../x.md", "..", "../", "."])
def test_a_path_that_leaves_the_folder_is_refused(tmp_path, rel):
    out = OutputFolder(tmp_path / "out")
    with pytest.raises(ImportProblem, match="outside the output folder|names no file"):
        out.inside(rel)


@pytest.mark.parametrize("slug", ["../../escaped", "/tmp/escaped", "pages/../../escaped"])
def test_a_hostile_slug_given_to_the_writer_writes_nothing(tmp_path, slug):
    # the pipeline makes every slug one safe name (tests/test_bad_input.py); the writer refuses on its own too
    out = OutputFolder(tmp_path / "site" / "out")
    with pytest.raises(ImportProblem):
        out.write(_converted(slug))
    assert _files(tmp_path) == []


def test_a_slug_of_dots_is_a_file_of_dots_inside(tmp_path):
    out = OutputFolder(tmp_path / "out")
    out.write(_converted(".."))
    assert _files(tmp_path) == ["out/...md"]


@pytest.mark.parametrize("url", [
    "https://x.example/wp-content/uploads/../../../../etc/passwd",
    "https://x.example/wp-content/uploads/%2e%2e/%2e%2e/%2e%2e/x.jpg",
    "https://x.example/a/..%2f..%2f..%2fb.jpg",
    "https://x.example/wp-content/uploads/a\\..\\..\\b.jpg",
    "https://../../x.jpg",
    "https://x.example/%00/.htaccess",
    "http://[::1",
])
def test_an_image_address_always_names_a_file_under_images(tmp_path, url):
    rel = local_path(url)
    assert rel.startswith("images/") and ".." not in rel.split("/") and "\\" not in rel
    out = OutputFolder(tmp_path / "out")
    assert out.inside(rel).resolve().is_relative_to((tmp_path / "out" / "images").resolve())


# --- symbolic links ------------------------------------------------------------------------------------

def test_an_output_folder_that_is_a_symbolic_link_is_followed(capsys, tmp_path):
    source = _source(tmp_path / "json", _post(1, "one"), _post(2, "about", "page"))
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert main(["convert", str(source), "-o", str(tmp_path / "link")]) == 0
    assert _files(tmp_path / "real") == [MANIFEST, "one.md", "pages/about.md"]
    assert main(["convert", str(source), "-o", str(tmp_path / "link")]) == 0
    assert capsys.readouterr().err.splitlines()[-1].startswith("2 posts converted (0 written, 2 unchanged")
    assert (tmp_path / "link").is_symlink()


def test_a_subfolder_that_links_elsewhere_is_not_written_through(capsys, tmp_path):
    source = _source(tmp_path / "json", _post(1, "one"), _post(2, "about", "page"), _post(3, "three"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "pages").symlink_to(elsewhere)
    assert main(["convert", str(source), "-o", str(out)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"error: {source}: post 2: cannot write: pages/about.md would be written outside the output "
                     "folder through a symbolic link",
                     "2 posts converted (2 written, 0 unchanged, 0 kept as edited), 0 skipped, 0 warnings, 1 errors"]
    assert list(elsewhere.iterdir()) == []
    assert _files(out) == [MANIFEST, "one.md", "pages", "three.md"]


def test_a_markdown_file_that_is_a_symbolic_link_is_not_written_through(capsys, tmp_path):
    source = _source(tmp_path / "json", _post(1, "one"), _post(2, "two"))
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "one.md").symlink_to(target)
    assert main(["convert", str(source), "-o", str(out)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"error: {source}: post 1: cannot write: one.md is a symbolic link; not written through")
    assert target.read_text() == "keep me" and (out / "one.md").is_symlink()
    assert (out / "two.md").read_text().endswith("Body of 2.\n")


def test_a_manifest_that_is_a_symbolic_link_is_replaced_not_written_through(tmp_path):
    target = tmp_path / "precious.json"
    target.write_text("{}")
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).symlink_to(target)
    folder = OutputFolder(out)
    folder.write(_converted("one"))
    folder.save_manifest()
    assert target.read_text() == "{}"
    assert not (out / MANIFEST).is_symlink() and "one.md" in json.loads((out / MANIFEST).read_text())["files"]


def test_an_images_folder_that_links_elsewhere_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "images").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ImportProblem, match="through a symbolic link"):
        OutputFolder(out).inside(local_path("https://x.example/wp-content/uploads/2024/01/a.jpg"))


def test_a_link_inside_the_folder_that_stays_inside_is_followed(tmp_path):
    out = tmp_path / "out"
    (out / "real-pages").mkdir(parents=True)
    (out / "pages").symlink_to(out / "real-pages")
    OutputFolder(out).write(_converted("about", "page"))
    assert (out / "real-pages" / "about.md").is_file()


# --- what a killed run leaves -----------------------------------------------------------------------------

def test_a_killed_writes_temporary_files_are_removed_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    (out / "pages").mkdir(parents=True)
    (out / ".git").mkdir()
    left = [out / ".one.md.ab12cd_9.tmp", out / "pages" / ".about.md.zz99yy00.tmp",
            out / ".wp-import.json.x1y2z3w4.tmp"]
    kept = [out / ".hidden.md", out / "notes.tmp", out / ".one.md.short.tmp", out / ".git" / ".a.md.ab12cd_9.tmp"]
    for path in left + kept:
        path.write_text("x")
    OutputFolder(out)
    assert [p for p in left if p.exists()] == []
    assert all(p.exists() for p in kept)
    assert remove_temporary_files(out) == 0


def test_atomic_write_names_its_temporary_file_as_the_cleanup_expects(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    atomic_write(tmp_path / "post.md", b"x")
    assert len(seen) == 1 and seen[0].startswith(".post.md.") and seen[0].endswith(".tmp")
    (tmp_path / seen[0]).write_text("left by a killed run")
    assert remove_temporary_files(tmp_path) == 1


@pytest.mark.parametrize("step", ["open", "write", "replace"])
def test_ctrl_c_at_any_step_of_a_write_leaves_no_temporary_file(tmp_path, monkeypatch, step):
    """Ctrl-C raises KeyboardInterrupt at the first check after the system call it came during: right
    after os.open made the temporary file, before the caller holds its descriptor, is one such point."""
    real = getattr(os, step)

    def interrupted(*args, **kwargs):
        result = real(*args, **kwargs)
        if step != "open" or str(args[0]).endswith(".tmp"):
            raise KeyboardInterrupt
        return result

    monkeypatch.setattr(os, step, interrupted)
    target = tmp_path / "post.md"
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"whole")
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert not target.exists() or target.read_bytes() == b"whole"


def test_a_new_folder_is_written_without_looking_first_but_a_second_write_still_looks(tmp_path):
    """In a folder that held no file when the run began, a new file is written without a look; a
    file this run wrote already is looked at (unchanged, or edited since), and so is any folder
    that held something."""
    out = OutputFolder(tmp_path / "new")
    assert out.fresh
    post = _converted("harbour")
    assert out.write(post, ("harbour.md", [])).state == "written"
    assert out.write(post, ("harbour.md", [])).state == "unchanged"
    (tmp_path / "new" / "harbour.md").write_text("edited by hand\n")
    assert out.write(post, ("harbour.md", [])).state == "kept"
    assert not OutputFolder(tmp_path / "new").fresh
    (tmp_path / "dots").mkdir()
    (tmp_path / "dots" / ".wp-api").mkdir()
    assert OutputFolder(tmp_path / "dots").fresh


def test_an_output_that_cannot_be_a_folder_is_one_line_and_nothing_converted(capsys, tmp_path):
    source = _source(tmp_path / "json", _post(1, "one"))
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    assert main(["convert", str(source), "-o", str(a_file)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"error: {a_file}: a file, not a folder"]
    assert main(["convert", str(source), "-o", str(a_file / "sub")]) == 1
    assert capsys.readouterr().err.splitlines() == [f"error: {a_file / 'sub'}: cannot write there: Not a directory"]
    assert a_file.read_text() == "mine"


def test_a_file_that_cannot_be_written_is_an_error_naming_it_and_the_run_goes_on(capsys, tmp_path):
    source = _source(tmp_path / "json", _post(1, "one"), _post(2, "two"))
    out = tmp_path / "out"
    (out / "one.md").mkdir(parents=True)  # a folder where the post's file goes
    (out / MANIFEST).mkdir()  # and where the record of written files goes
    assert main(["convert", str(source), "-o", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {source}: post 1: cannot write: one.md: Is a directory",
        f"error: {out / MANIFEST}: cannot keep the record of the files written (a later run will take them for "
        "files written by hand): Is a directory",
        "1 posts converted (1 written, 0 unchanged, 0 kept as edited), 0 skipped, 0 warnings, 2 errors"]
    assert (out / "two.md").read_text().endswith("Body of 2.\n")
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_the_same_post_twice_is_written_twice_and_named_as_such(capsys, tmp_path):
    first = _source(tmp_path / "a", _post(1, "one"), _post(2, "two"))
    again = _source(tmp_path / "b", _post(1, "one"))  # the same post saved again, in another file
    out = tmp_path / "out"
    assert main(["convert", str(first), str(again), "-o", str(out)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {again}: post 1: the same post (id 1) was written as one.md already; this copy written as "
        "one-2.md", "3 posts converted (3 written, 0 unchanged, 0 kept as edited), 0 skipped, 1 warnings, 0 errors"]
    # another site's post 1 is another post: only the slug is shared
    other = _source(tmp_path / "c", {**_post(1, "one"), "link": "https://other.example/one/"})
    assert main(["convert", str(first), str(other), "-o", str(tmp_path / "out2")]) == 0
    assert "slug 'one' is also used by" in capsys.readouterr().err
    # www. or not, and the scheme, do not make another site
    www = _source(tmp_path / "d", {**_post(1, "one"), "link": "https://www.same.example/one/"})
    bare = _source(tmp_path / "e", {**_post(1, "one"), "link": "http://same.example/one/"})
    assert main(["convert", str(www), str(bare), "-o", str(tmp_path / "out3")]) == 0
    assert "the same post (id 1) was written as one.md already" in capsys.readouterr().err
