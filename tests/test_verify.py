"""--verify: each post's Markdown, rendered as Pelican renders it, measured against its HTML."""
from __future__ import annotations

import json

import pytest

from pelican_wp_import.cli import main
from pelican_wp_import.htmltree import parse_body
from pelican_wp_import.verify import losses, measure

POST = ('<h2>Harbour</h2><p>The <a href="https://x.example/ferry">ferry</a> runs at <em>six</em>.</p>'
        '<figure><img src="https://x.example/boat.jpg" alt="Boat"><figcaption>The boat</figcaption></figure>'
        "<ul><li>one</li><li>two</li></ul><blockquote><p>Said so.</p></blockquote><pre>x = 1</pre>")
WHOLE = ("## Harbour\n\nThe [ferry](https://x.example/ferry) runs at *six*.\n\n"
         '<figure><img alt="Boat" src="https://x.example/boat.jpg"/><figcaption>The boat</figcaption></figure>\n\n'
         "- one\n- two\n\n> Said so.\n\n```\nx = 1\n```\n")


def test_markdown_that_keeps_everything_is_whole():
    assert losses(measure(parse_body(POST)), WHOLE) == ""


@pytest.mark.parametrize("changed, reported", [
    (WHOLE.replace("![Boat]", "Boat").replace('<img alt="Boat" src="https://x.example/boat.jpg"/>', ""),
     "images 1 before, 0 after"),
    (WHOLE.replace("[ferry](https://x.example/ferry)", "ferry"), "links 1 before, 0 after"),
    (WHOLE.replace("- one\n- two", "- one two"), "list items 2 before, 1 after"),
    (WHOLE.replace("> Said so.", "Said so."), "quotes 1 before, 0 after"),
    (WHOLE.replace("## Harbour", "Harbour"), "headings 1 before, 0 after"),
    (WHOLE.replace("```\nx = 1\n```", "x = 1"), "code blocks 1 before, 0 after"),
    (WHOLE.replace("<figcaption>The boat</figcaption>", ""),
     "words at most 0.92 alike in order (14 before, 12 after); captions 1 before, 0 after"),
    # the same words, one moved far: only the ordered figure tells
    (WHOLE.replace("## Harbour\n\n", "").replace("x = 1\n```", "x = 1 Harbour\n```").replace("## ", ""),
     "words 0.92 alike in order (14 before, 14 after); headings 1 before, 0 after"),
])
def test_what_is_lost_is_named(changed, reported):
    assert losses(measure(parse_body(POST)), changed) == reported


def test_what_shows_nothing_is_no_loss():
    # an empty list item, quote or code block, a picture with no address, an empty link: nothing to see
    html = '<ul><li>a</li><li></li></ul><blockquote> </blockquote><pre></pre><p><img alt=""> <a href="x"></a>b</p>'
    assert losses(measure(parse_body(html)), "- a\n\nb\n") == ""


def test_inline_markup_inside_a_word_does_not_part_it():
    # a drop cap's span, a word-break opportunity and a dropped <font> join their letters, in the HTML as
    # in the Markdown that writes the word whole; a block or a line break parts words
    html = '<p><span class="drop">T</span>he quay<wbr>side <font>har</font>bour</p><p>next<br>line</p>'
    assert losses(measure(parse_body(html)), "The quayside harbour\n\nnext  \nline\n") == ""
    assert losses(measure(parse_body(html)), "The quay side harbour\n\nnextline\n") == (
        "words at most 0.40 alike in order (5 before, 5 after)")


def _post(post_id: int, html: str) -> dict:
    return {"id": post_id, "date": "2024-07-01T12:00:00", "slug": f"p{post_id}", "status": "publish", "type": "post",
            "title": {"rendered": f"Post {post_id}"}, "content": {"rendered": html}}


def test_convert_verify_reports_each_post_that_lost_something(tmp_path, capsys):
    source = tmp_path / "posts.json"
    # a caption whose figure a scraper lost: its words stay, as a paragraph, but it is no caption
    lossy = "<p>The quay:</p><figcaption>The quay at dawn</figcaption>"
    source.write_text(json.dumps([_post(1, POST), _post(2, lossy)]), encoding="utf-8")
    assert main(["convert", str(source), "-o", str(tmp_path / "out"), "--verify"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"warning: {source}: post 2: --verify: the Markdown lost something: captions 1 before, 0 after",
                   "2 posts converted (2 written, 0 unchanged, 0 kept as edited), 0 skipped, 1 warnings, 0 errors; "
                   "verified: 1 posts whole, 1 lost something"]
    # without the flag, nothing is measured and the summary says nothing of it
    assert main(["convert", str(source), "-o", str(tmp_path / "out2"), "-q"]) == 0
    assert "verified" not in capsys.readouterr().err
