"""An export's first reading done in another process while its posts are read (wxr._posts_ahead): the
reading ahead stays bounded, lets go of what it held, survives a disk that fails part way and a
converter process that dies, and gives what the readings in turn give."""
from __future__ import annotations

import errno
import io
import multiprocessing
import os
import tracemalloc
from concurrent.futures import ProcessPoolExecutor

from helpers import AskedLate
from pelican_wp_import import wxr

SITE = "https://shop.example"
HEAD = ('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><title>Shop</title><link>https://shop.example</link>'
        "<wp:wxr_version>1.2</wp:wxr_version>\n")


def _item(number: int, content: str, kind: str = "post", meta: str = "") -> str:
    return (f"<item><title>Item {number}</title><link>{SITE}/item-{number}/</link>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded><wp:post_id>{number}</wp:post_id>"
            f"<wp:post_date>2024-01-01 12:00:00</wp:post_date><wp:post_name>item-{number}</wp:post_name>"
            f"<wp:status>publish</wp:status><wp:post_type>{kind}</wp:post_type>"
            f"<wp:postmeta><wp:meta_key>_elementor_data</wp:meta_key><wp:meta_value><![CDATA[{meta}]]>"
            "</wp:meta_value></wp:postmeta></item>\n")


def _read(path, site_ahead=None, open_file=None) -> list:
    parts = wxr.read_export(open_file or (lambda: open(path, "rb")), str(path), 1, site_ahead)
    return [([(p.index, p.data) for p in part.posts], part.warnings, [p.message for p in part.problems])
            for part in parts]


def test_the_posts_read_ahead_are_bounded_when_they_hold_little_content(tmp_path, monkeypatch):
    """Page builders (Elementor) keep a page in postmeta, orders (WooCommerce) are all postmeta: items
    with no <content:encoded> text count for nothing against _AHEAD_BYTES, so the whole file is held."""
    monkeypatch.setattr(wxr, "_AHEAD_BYTES", 100_000)
    path = tmp_path / "site.xml"
    path.write_text(HEAD + "".join(_item(n, "", "page", "[" + '{"w":1}' * 500 + "]") for n in range(1, 2001))
                    + "</channel></rss>\n", encoding="utf-8")
    opened: list = []

    def open_file():
        opened.append(open(path, "rb"))  # noqa: SIM115
        return opened[-1]

    read_by_then = []
    site_ahead = AskedLate(wxr.read_site, str(path), when_asked=lambda: read_by_then.append(opened[0].tell()))
    assert len(_read(path, site_ahead, open_file)[0][0]) == 1
    size = path.stat().st_size
    assert size > 7_000_000
    # held: everything read before the first reading's result was asked for
    assert read_by_then[0] < 1_000_000, f"{read_by_then[0]} of {size} bytes read and held"


def test_the_posts_read_ahead_are_let_go_before_a_damaged_export_is_read_again(tmp_path):
    """A damaged export: the items read ahead (up to _AHEAD_BYTES of content) are of no use, but stay
    in _posts_ahead's frame (held, and the parse they came from) for the whole second reading."""
    path = tmp_path / "site.xml"
    post = "<p>" + "Harbour news. " * 35_000 + "</p>"  # about 0.5 MB a post
    path.write_text(HEAD + "".join(_item(n, post) for n in range(1, 41)), encoding="utf-8")  # cut: no </rss>

    _held_no_longer_than_in_turn(path)


class _FailsAfter(io.FileIO):
    """A real file whose reading fails part way (EIO: a failing disk, a network file system)."""

    def __init__(self, path, after: int):
        super().__init__(path, "rb")
        self.after = after

    def read(self, size=-1):
        if self.tell() >= self.after:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return super().read(size)


def test_the_second_reading_failing_part_way_gives_what_it_gives_read_in_turn(tmp_path):
    """The file read whole by the first reading, the second one failing after 64 KB: read in turn, the
    posts before the failure and a problem; read ahead, an OSError while reading ahead is taken for the
    first reading's ("cannot read file") and every post is lost."""
    path = tmp_path / "site.xml"
    path.write_text(HEAD + "".join(_item(n, "<p>" + "Quay. " * 400 + "</p>") for n in range(1, 101))
                    + "</channel></rss>\n", encoding="utf-8")

    def opener(failing_call: int):
        calls = []

        def open_file():
            calls.append(1)
            return _FailsAfter(path, 65_536) if len(calls) == failing_call else open(path, "rb")
        return open_file

    in_turn = _read(path, None, opener(2))  # the first reading opens it once, the posts' reading next
    assert sum(len(posts) for posts, _, _ in in_turn) > 0
    assert in_turn[-1][2][0].startswith("the export changed while it was read")

    # read ahead, only the posts' reading opens it
    assert _read(path, AskedLate(wxr.read_site, str(path)), opener(1)) == in_turn


def test_a_converter_process_that_dies_during_the_first_reading_does_not_stop_the_reading(tmp_path):
    """preconvert.take() converts a file itself when a worker died; the export's first reading, now in a
    worker, lets BrokenProcessPool out of read_export (out of preconvert.start: the build stops)."""
    path = tmp_path / "site.xml"
    path.write_text(HEAD + _item(1, "<p>One</p>") + "</channel></rss>\n", encoding="utf-8")
    expected = _read(path)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(os._exit, 1)  # the worker dies (killed for memory, say) before it reads the site
        site_ahead = pool.submit(wxr.read_site, str(path))
        assert _read(path, site_ahead) == expected


def test_the_last_item_read_ahead_is_let_go_before_a_damaged_export_is_read_again(tmp_path):
    """Not only the list of what was read ahead: the last item read, and the parse it came from (the
    damage's traceback holds it), are let go of too."""
    path = tmp_path / "site.xml"
    big = "<p>" + "Harbour news. " * 450_000 + "</p>"  # about 6 MB, the last item before the cut
    path.write_text(HEAD + _item(1, "<p>a</p>") + _item(2, "<p>b</p>") + _item(3, big), encoding="utf-8")

    _held_no_longer_than_in_turn(path)


def _held_no_longer_than_in_turn(path) -> None:
    """While a damaged export's first part is handed on, the reading ahead holds no more memory than the
    readings in turn do (its first part: one post, with the damage's warning)."""

    def memory_at_first_part(site_ahead):
        tracemalloc.start()
        try:
            parts = wxr.read_export(lambda: open(path, "rb"), str(path), 1, site_ahead)
            first = next(parts)
            used = tracemalloc.get_traced_memory()[0]
            assert len(first.posts) == 1 and first.warnings
            parts.close()
            return used
        finally:
            tracemalloc.stop()

    sequential = memory_at_first_part(None)
    ahead = memory_at_first_part(AskedLate(wxr.read_site, str(path)))
    assert ahead - sequential < 2_000_000, f"{ahead - sequential} bytes more while the damaged export is read again"
