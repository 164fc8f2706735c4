"""Big files read a part at a time give what reading them whole gives: the same posts in the same
places, the same warnings and problems, and the same Markdown out of convert."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import read_markdown
from pelican_wp_import import cli, stream
from pelican_wp_import.cli import main
from pelican_wp_import.load import load_file


def _post(n: int, body: str = "") -> dict:
    return {"id": n, "date": f"2024-01-{n % 28 + 1:02d}T10:00:00", "slug": f"post-{n}", "status": "publish",
            "title": {"rendered": f"Post {n} &amp; more"}, "content": {"rendered": body or f"<p>Words of post {n}.</p>"}}


POSTS = ",\n ".join(json.dumps(_post(n)) for n in range(1, 6))
ARRAY = f"[\n {POSTS}\n]\n"
# each shape as the file would hold it: what load.py reads whole, stream.py must read the same
SHAPES = {
    "plain": ARRAY,
    "no white space": json.dumps([_post(n) for n in range(1, 6)], separators=(",", ":")),
    "not posts among them": ARRAY.replace('"slug": "post-3"', '"code": "rest_forbidden", "message": "<b>No</b>"')
                                 .replace('{"id": 4', '{"iden": 4'),
    "numbers and lists among them": ARRAY[:-3] + ", 12345678, [1, 2], \"x\"\n]\n",
    "control characters in strings": ARRAY.replace("Words of post 2.", "Words\tof\npost 2."),
    "a byte order mark": "\ufeff" + ARRAY,
    "cut inside a post": ARRAY[:ARRAY.index("Words of post 4") + 5],
    "cut after a comma": ARRAY[:ARRAY.index('{"id": 3')],
    "cut after the last post": ARRAY[:ARRAY.rindex("}") + 1],
    "cut in an escape": ARRAY.replace("Words of post 5", "Words \\u00e9 of post 5")[:ARRAY.index("Words of post 5") + 8],
    "a comma missing": ARRAY.replace(',\n {"id": 3', '\n {"id": 3'),
    "a trailing comma": ARRAY.replace("\n]", ",\n]"),
    "damaged in a post": ARRAY.replace('"slug": "post-4"', '"slug": post-4'),
    "values one after another": ARRAY + ARRAY.replace('"id": ', '"id": 10'),
    "data after the array": ARRAY + "<!-- served in 0.2 s -->\n",
    "a lone surrogate": ARRAY.replace("Words of post 2", "Words \\ud83d of post 2"),
    "lone surrogates before and after a cut": ARRAY.replace("Words of post 2", "Words \\ud83d of post 2")
                                                   .replace("Words of post 5", "Words \\udc00 of post 5")[:-40],
    "a number at the end": ARRAY[:ARRAY.rindex("}") + 1] + ", 3",
    "numbers a read may cut": ARRAY[:-3] + ", 1.25e+3, -0.5, 12345678901234567890\n]\n",
    "not posts, then damage": '[{"x": 1}, ' + json.dumps(_post(1)) + ", {oops}]",
    "the first a list of users": '[{"id": 1, "name": "Ann", "slug": "ann", "avatar_urls": {}}]',
    "empty": "[  ]",
}


def _read(path: Path, batch_bytes: int) -> tuple[list, list[str], list[str], object, int]:
    posts, warnings, problems, kinds, parts = [], [], [], set(), 0
    for part in stream.batches(path, batch_bytes):
        parts += 1
        posts += [(post.index, post.data) for post in part.posts]
        warnings += part.warnings
        problems += [problem.message for problem in part.problems]
        kinds.add(part.sidecar_kind)
    return posts, warnings, problems, max(kinds, key=bool), parts


def _whole(path: Path) -> tuple[list, list[str], list[str], object]:
    whole = load_file(path)
    return ([(post.index, post.data) for post in whole.posts], whole.warnings,
            [problem.message for problem in whole.problems], whole.sidecar_kind)


@pytest.mark.parametrize("read_bytes", [7, 64])
@pytest.mark.parametrize("shape", SHAPES)
def test_a_file_read_a_part_at_a_time_gives_what_it_gives_read_whole(tmp_path, monkeypatch, shape, read_bytes):
    path = tmp_path / "posts.json"
    path.write_text(SHAPES[shape], encoding="utf-8")
    monkeypatch.setattr(stream, "_READ_BYTES", read_bytes)  # values and numbers cut by the reads
    posts, warnings, problems, kind, parts = _read(path, batch_bytes=1)
    assert (posts, warnings, problems, kind) == _whole(path)
    if shape == "plain":
        assert len(posts) == 5 and parts == 6  # a post a part, and the last with the file's closing lines


def test_a_file_cut_anywhere_gives_what_it_gives_read_whole(tmp_path, monkeypatch):
    text = ('[{"id": 1, "date": "2024-01-01T10:00:00", "title": {"rendered": "A \\ud83d"}, "content": "<p>x</p>", '
            '"n": [1.5e3, -2, true, null]},\n {"id": 2, "title": "B", "content": {"rendered": "\\u00e9\\"q"}}, 7]')
    monkeypatch.setattr(stream, "_READ_BYTES", 5)
    path = tmp_path / "posts.json"
    for cut in range(1, len(text) + 1):
        path.write_text(text[:cut], encoding="utf-8")
        assert _read(path, batch_bytes=1)[:4] == _whole(path), text[:cut]


def test_bytes_that_are_no_utf8_are_replaced_as_in_any_file(tmp_path, monkeypatch):
    path = tmp_path / "posts.json"
    path.write_bytes(ARRAY.encode().replace(b"Words of post 4", b"Words \xff of post 4"))
    monkeypatch.setattr(stream, "_READ_BYTES", 7)
    whole = load_file(path)
    assert _read(path, 1)[:4] == ([(p.index, p.data) for p in whole.posts], whole.warnings, [], None)
    assert "invalid UTF-8 at byte" in whole.warnings[0] and len(whole.posts) == 5


def test_the_messages_of_a_cut_file_name_the_byte_and_the_post(tmp_path):
    path = tmp_path / "posts.json"
    path.write_text(SHAPES["cut inside a post"], encoding="utf-8")
    posts, warnings, problems, _, _ = _read(path, 1)
    assert [n for n, _ in posts] == [0, 1, 2, 3]
    assert warnings == [f"{path}: file is truncated at byte {path.stat().st_size} inside [3].content.rendered: "
                        "kept every complete field and the text up to the cut"]


def test_which_files_are_read_a_part_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "STREAM_MIN_BYTES", 100)
    array, one, small = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    export, feed = tmp_path / "site.xml", tmp_path / "feed.xml"
    array.write_text("\ufeff \n" + ARRAY, encoding="utf-8")
    one.write_text(json.dumps(_post(1, "x" * 200)), encoding="utf-8")
    small.write_text('[{"id": 1}]', encoding="utf-8")
    export.write_text('<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
                      "</channel></rss>", encoding="utf-8")
    feed.write_text('<?xml version="1.0"?><rss><channel><item><title>x</title></item></channel></rss>' * 10,
                    encoding="utf-8")
    assert [stream.streams(p, p.stat().st_size) for p in (array, one, small, export, feed)] == \
           [True, False, False, True, False]
    assert not stream.streams(tmp_path / "gone.json", 10**9)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_convert_streams_a_big_array_into_the_same_files(tmp_path, monkeypatch, capsys, jobs):
    posts = [_post(n, f"<p>Words of post {n}.</p><p>See <a href='https://old.example/post-{n - 1}/'>the one "
                      "before</a>.</p>") for n in range(1, 121)]
    for post in posts:
        post["link"] = f"https://old.example/post-{post['id']}/"
    source = tmp_path / "in" / "all.json"
    source.parent.mkdir()
    source.write_text(json.dumps(posts)[:-1] + ', {"id": 999, "title": {"rendered": "cut', encoding="utf-8")
    assert main(["convert", str(source), "-o", str(tmp_path / "whole"), "-q", "--jobs", jobs]) == 1
    whole_err = capsys.readouterr().err
    assert "post 999: no usable date" in whole_err and "1 warnings, 1 errors" in whole_err  # the cut
    monkeypatch.setattr(stream, "STREAM_MIN_BYTES", 1000)
    monkeypatch.setattr(stream, "BATCH_BYTES", 2000)
    monkeypatch.setattr(cli, "_POOL_MIN_BYTES", 1000)  # a pool for it, when there are two jobs
    parts = []
    real_batches = stream.batches

    def batches(path, **kwargs):
        for part in real_batches(path, **kwargs):
            parts.append(len(part.posts))
            yield part

    monkeypatch.setattr(stream, "batches", batches)
    assert main(["convert", str(source), "-o", str(tmp_path / "parts"), "-q", "--jobs", jobs]) == 1
    assert capsys.readouterr().err == whole_err
    assert len(parts) > 10 and sum(parts) == 121  # read and converted a part at a time
    whole = sorted(p.name for p in (tmp_path / "whole").glob("*.md"))
    assert len(whole) == 120 and sorted(p.name for p in (tmp_path / "parts").glob("*.md")) == whole
    for name in whole:
        assert read_markdown(tmp_path / "parts" / name) == read_markdown(tmp_path / "whole" / name)
    # links between posts of different parts became links to their files
    assert "[the one before]({filename}post-7.md)" in read_markdown(tmp_path / "parts" / "post-8.md")[1]


def test_parts_say_how_far_into_the_file_they_reach(tmp_path, monkeypatch):
    """What the progress bar of a run that is one big file counts by."""
    monkeypatch.setattr(stream, "STREAM_MIN_BYTES", 1000)
    monkeypatch.setattr(stream, "BATCH_BYTES", 2000)
    monkeypatch.setattr(stream, "_READ_BYTES", 4096)
    source = tmp_path / "all.json"
    source.write_text(json.dumps([_post(n, "<p>" + "words " * 200 + "</p>") for n in range(60)]), encoding="utf-8")
    got = list(cli._convert_all([source], 1))
    reached = [results.read_to for results in got[:-1]]
    assert all(isinstance(results, cli.Part) for results in got[:-1]) and type(got[-1]) is list
    assert len(reached) > 5 and reached == sorted(reached) and 0 < reached[0] < reached[-2] <= source.stat().st_size
    assert sum(len(results) for results in got) == 60
