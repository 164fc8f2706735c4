"""The convert command: exit codes, the summary, sidecars, pages, parallel runs, the progress bar."""
import os
import pty
import signal
import subprocess
import sys
import time

import pytest

from conftest import CONTENT, ROOT
from helpers import default_sigint, read_markdown, run_on_a_terminal
from pelican_wp_import.cli import INTERRUPTED, main
from pelican_wp_import.frontmatter import split

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402


def run(*args):
    return subprocess.run([sys.executable, "-m", "pelican_wp_import.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)


def test_usage_errors_exit_2():
    assert run("convert", CONTENT).returncode == 2  # no --output
    assert run("convert", "--output", "x", "--bogus", CONTENT).returncode == 2
    assert run().returncode == 2


def test_missing_source_is_named(tmp_path):
    result = run("convert", tmp_path / "nope", "--output", tmp_path / "out")
    assert result.returncode == 2
    assert f"{tmp_path / 'nope'}: no such file or folder" in result.stderr


def test_demo_content_converts_with_a_summary(tmp_path):
    result = run("convert", CONTENT, "--output", tmp_path / "out")
    assert result.returncode == 0
    last = result.stderr.strip().splitlines()[-1]
    assert last == ("13 posts converted (13 written, 0 unchanged, 0 kept as edited), 0 skipped, "
                    "2 warnings, 0 errors")
    assert (tmp_path / "out" / "pages" / "about.md").exists()
    assert len(list((tmp_path / "out").glob("*.md"))) == 12


def test_the_installed_command_runs(tmp_path):
    result = subprocess.run(["pelican-wp-import", "convert", str(CONTENT / "pages"), "-o", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pages" / "about.md").exists()


def test_array_posts_take_names_from_sidecars(tmp_path):
    assert main(["convert", str(CONTENT / "archive"), "--output", str(tmp_path), "-q"]) == 0
    meta, _ = read_markdown(tmp_path / "students-tag-basking-shark.md")
    assert meta["category"] == "Science"
    assert meta["tags"] == ["Marine life", "Research station"]
    assert meta["image"].endswith("basking-shark.jpg") and meta["image_alt"]
    assert meta["authors"] == ["Tobias Lindqvist", "Maren Okonkwo"]
    assert meta["wp_terms"]["Research station"] == "research-station"


def test_parallel_and_serial_runs_write_the_same_bytes(tmp_path):
    write_corpus(150, tmp_path / "in")
    assert main(["convert", str(tmp_path / "in"), "-o", str(tmp_path / "a"), "-j", "1", "-q"]) == 0
    assert main(["convert", str(tmp_path / "in"), "-o", str(tmp_path / "b"), "-j", "2", "-q"]) == 0
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.md")}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").glob("*.md")}
    assert len(a) == 150 and a == b


def test_array_pages_of_posts_convert_like_single_files(tmp_path):
    write_corpus(120, tmp_path / "single")
    write_corpus(120, tmp_path / "arrays", arrays=True)
    assert main(["convert", str(tmp_path / "single"), "-o", str(tmp_path / "a"), "-q"]) == 0
    assert main(["convert", str(tmp_path / "arrays"), "-o", str(tmp_path / "b"), "-q"]) == 0
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.md")}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").glob("*.md")}
    assert len(a) == 120 and a == b


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal_only(tmp_path):
    write_corpus(80, tmp_path / "in")
    code, shown = run_on_a_terminal("convert", tmp_path / "in", "-o", tmp_path / "out")
    assert code == 0
    assert "converting" in shown and "\x1b[" in shown  # a live bar, drawn with terminal codes
    assert "80 posts converted" in shown
    piped = run("convert", tmp_path / "in", "-o", tmp_path / "out2")
    assert "converting" not in piped.stderr and "\x1b[" not in piped.stderr


def test_files_converted_early_give_the_same_results_and_are_let_go(tmp_path):
    """fetch hands page files to converter processes as they land: the results are those of converting
    the finished folder, in file order; at most a few files wait converted ahead of their turn, and
    each file's results are held only until they are given out (a whole site's were, at 10,000 posts)."""
    from pelican_wp_import import cli
    from pelican_wp_import.fields import Options

    files = sorted(write_corpus(1200, tmp_path / "pages", arrays=True))
    options = cli.conversion_options(Options(), False)
    early = cli.EarlyStart(2, options)
    try:
        for path in reversed(files):  # the order pages land in is any order
            early.file_ready(path)
        assert len(early.early) == min(len(files), 2 * cli._EARLY_FILES_PER_JOB)
        cli._SIDECARS.clear()
        got = list(early.results(files))
        assert early.early == {}
    finally:
        early.close()
    expected = list(cli._convert_all(files, 1))
    assert [[(type(r).__name__, getattr(r, "document", r)) for r in per_file] for per_file in got] == \
           [[(type(r).__name__, getattr(r, "document", r)) for r in per_file] for per_file in expected]


def test_ctrl_c_writes_only_whole_files_says_one_line_and_the_next_run_finishes(tmp_path):
    """Ctrl-C reaches the whole process group, converter processes too: one line, no tracebacks,
    every file already written is whole, and running the command again writes only the rest."""
    write_corpus(3000, tmp_path / "json")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pelican_wp_import.cli", "convert", tmp_path / "json", "-o", out, "-q",
               "--jobs", "2"]
    # as from a terminal: its own process group, and Ctrl-C not ignored
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=default_sigint)
    while proc.poll() is None and len(list(out.glob("*.md"))) < 50:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, f"exit {proc.returncode} (0: it ended before Ctrl-C came): {stderr[-800:]}"
    assert stderr.strip().splitlines() == [INTERRUPTED]
    first = sorted(out.glob("*.md"))
    assert 50 <= len(first) < 3000
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    for path in first:
        metadata, body = split(path.read_text("utf-8"))
        assert metadata["title"] and body.strip()
    again = run(*command[3:])
    assert again.returncode == 0
    assert f"3000 posts converted ({3000 - len(first)} written, {len(first)} unchanged" in again.stderr
    assert len(list(out.glob("*.md"))) == 3000


def test_a_post_renamed_for_its_slug_keeps_its_body_when_converted_in_worker_processes(tmp_path, capsys):
    """Workers send a post's file as bytes and leave its Markdown out; a post the main process renames
    (its slug is taken) is written again from the Markdown found at the end of those bytes."""
    import json

    source = tmp_path / "json"
    source.mkdir()
    for number in range(80):  # enough files for the process pool
        slug = "same-slug" if number in (5, 77) else f"post-{number}"
        post = {"id": 100 + number, "date": "2024-01-02T03:04:05", "slug": slug, "status": "publish",
                "type": "post", "link": f"https://example.com/{slug}-{number}/",
                "title": {"rendered": f"Post {number}"},
                "content": {"rendered": f"<p>Body of post {number}, with “curly quotes” and é.</p>"}}
        (source / f"post-{number:03d}.json").write_text(json.dumps(post), "utf-8")
    assert main(["convert", str(source), "-o", str(tmp_path / "out"), "--jobs", "2", "-q"]) == 0
    renamed = (tmp_path / "out" / "same-slug-2.md").read_text("utf-8")
    assert "slug: same-slug-2\n" in renamed
    assert renamed.endswith("\n\nBody of post 77, with “curly quotes” and é.\n")
    first = (tmp_path / "out" / "same-slug.md").read_text("utf-8")
    assert first.endswith("Body of post 5, with “curly quotes” and é.\n")


def test_the_command_loads_no_converter_before_its_workers_fork():
    """fetch forks its converter processes first and each loads lxml, nh3 and PyYAML itself while the
    main process loads httpx: the command's own module must not load them on import."""
    code = ("import sys, pelican_wp_import.cli, pelican_wp_import.fetch; "
            "print(sorted(m for m in ('lxml', 'nh3', 'pelican_wp_import.pipeline', 'pelican_wp_import.markdown', "
            "'pelican_wp_import.sanitize') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_workers_forked_before_the_converter_was_loaded_convert_the_same(tmp_path):
    """Early converter processes, forked by a process that never loaded the converter, load it
    themselves; what they write is what a conversion in one process writes."""
    write_corpus(30, tmp_path / "json")
    code = f"""
import sys
from pathlib import Path
from pelican_wp_import.cli import EarlyStart, run_convert
from pelican_wp_import.fields import Options
assert "lxml" not in sys.modules and "nh3" not in sys.modules
early = EarlyStart(2, Options())
for path in sorted(Path({str(tmp_path / "json")!r}).glob("*.json"))[:8]:
    early.file_ready(path)
code = run_convert([{str(tmp_path / "json")!r}], Path({str(tmp_path / "early")!r}), Options(), jobs=2,
                   quiet=True, early=early)
early.close()
assert "nh3" not in sys.modules  # the workers converted; this process only wrote
sys.exit(code)
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
    assert main(["convert", str(tmp_path / "json"), "-o", str(tmp_path / "one"), "--jobs", "1", "-q"]) == 0
    early_files = sorted(p.name for p in (tmp_path / "early").glob("*.md"))
    assert len(early_files) == 30 and early_files == sorted(p.name for p in (tmp_path / "one").glob("*.md"))
    for name in early_files:
        assert (tmp_path / "early" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
