"""The post's lxml tree: the same content and printing BeautifulSoup's parse gives, and edits that
keep the text after what they remove."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from pelican_wp_import.htmltree import (_PLAIN, MAX_TREE_DEPTH, _print, children, escape_text, items_after,
                                        items_before, parse_body, remove, text_of, to_html, unwrap, was_removed)

CASES = [
    "",
    "plain text, no tags",
    '<p class=" lead  wide" id="x">One <em>two</em> three</p>\n\n<p>Four</p>',
    "<p>a<br>b<hr><img src=x alt='y'></p>",
    "<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph --><!--more--><p>y</p>",
    "<pre>  keep\n\n   these  </pre> <textarea> \n </textarea> <p> \n </p>",
    "<script> var a = 1 < 2; </script><style> p {} </style>",
    "<?php echo 1; ?><p>after a processing instruction</p>",
    "<meta charset=utf-8><link rel=stylesheet href=x><figure><img src=a></figure><section>s</section>",
    '<?xml version="1.0" encoding="utf-8"?><p>Word pasted this</p>',
    "<html lang=en><body class=b><p>inside</p></body></html>",
    "&nbsp;&amp;&lt;b&gt; &unknown; &#8217; &#x2014;",
    "<table><tr><td>one<td>two</table><ul><li>a<li>b</ul>",
    '<a rel="nofollow  noopener" href="/x">y</a><td headers="h1 h2">stray</td>',
    "<p>unclosed <b>bold <i>both</p> after",
    "<div>" * 300 + "deep" + "</div>" * 300,
    "\r\n<p>windows\r\nlines</p>\r\n\r\n",
    """<p a="x&y" b='say "hi"' c="it's &quot;both&quot;" d>t &amp; &lt;b&gt; <br> x</p><img src=a alt="">""",
]


@pytest.mark.parametrize("html", CASES)
def test_printed_as_beautifulsoup_prints_its_parse(html):
    """Kept HTML was printed by BeautifulSoup before the tree was lxml's: it prints the same."""
    assert to_html(parse_body(html)) == str(BeautifulSoup("<body>" + html, "lxml").body)


PLAIN_CASES = [
    "<table><tbody><tr><td>to</td><td>it &amp; &lt;b&gt; “q” é 😀\u00a0x</td></tr></tbody></table>",
    "<div><p>a</p>\n<pre>\n  code\n</pre><span>x</span>tail</div>",
    "<ul><li>one</li><li>two <b>bold</b></li></ul><my-widget>w</my-widget>",
]
# Each has what libxml2's writer prints otherwise: a void element, an empty element whose end tag HTML
# makes optional, an attribute, a comment, a removed element's placeholder.
NOT_PLAIN_CASES = [
    ("<p>a<br>b</p>", "<body><p>a<br/>b</p></body>"),
    ("<ul><li></li><li>x</li></ul>", "<body><ul><li></li><li>x</li></ul></body>"),
    ("<p class='a  b'>x</p>", '<body><p class="a b">x</p></body>'),
    ("<p>a<!-- c -->b</p>", "<body><p>a<!-- c -->b</p></body>"),
]


def _printed_by_python(element) -> str:
    out: list[str] = []
    _print(element, out, None)
    return "".join(out)


@pytest.mark.parametrize("html", PLAIN_CASES)
def test_a_plain_tree_is_printed_by_libxml2_as_python_prints_it(html):
    body = parse_body(html)
    assert _PLAIN(body)
    assert to_html(body) == _printed_by_python(body)


def test_every_character_prints_the_same_either_way():
    text = "".join(chr(code) for code in [9, 10, 13, *range(0x20, 0x800), 0x2028, 0xfeff, 0x1f600, 0xe000])
    body = parse_body(f"<div><p>{escape_text(text)}</p>{escape_text(text)}</div>")
    assert _PLAIN(body) and to_html(body) == _printed_by_python(body)


@pytest.mark.parametrize("html, printed", NOT_PLAIN_CASES)
def test_trees_libxml2_would_print_otherwise_are_printed_by_python(html, printed):
    body = parse_body(html)
    assert not _PLAIN(body)
    assert to_html(body) == printed


def test_a_removed_elements_placeholder_keeps_a_tree_from_libxml2():
    body = parse_body("<div><p>a <b>x</b> b</p></div>")
    remove(body.find(".//b"))
    assert not _PLAIN(body)
    assert to_html(body) == "<body><div><p>a  b</p></div></body>"


def test_white_space_only_text_folds_outside_pre():
    body = parse_body("<p>a</p>\n\n  <p>b</p>  <p><em>c</em> \t <em>d</em></p><pre>\n  x \n\n</pre>")
    assert [p.tail for p in body.findall("p")] == ["\n", " ", None]
    assert body.findall("p")[2][0].tail == " "
    assert body.find("pre").text == "\n  x \n\n"


def test_removing_keeps_the_text_after_apart():
    body = parse_body("<p>one <span>x</span> two <b>y</b></p>")
    p = body[0]
    remove(p.find("span"))
    remove(p.find("b"))  # no text after it: simply gone
    assert children(p) == ["one ", " two "]
    assert to_html(body) == "<body><p>one  two </p></body>"
    assert text_of(p, "|") == "one | two "


def test_unwrapping_keeps_the_content_in_place():
    body = parse_body("<p>a <span class=i>b <em>c</em> d</span> e</p>")
    unwrap(body.find(".//span"))
    assert to_html(body) == "<body><p>a b <em>c</em> d e</p></body>"
    assert [x if isinstance(x, str) else x.tag for x in children(body[0])] == ["a ", "b ", "em", " d", " e"]


def test_neighbours_and_removal():
    body = parse_body("<p>a<!--c--><em>b</em>c<span>d</span></p>")
    em, span = body.find(".//em"), body.find(".//span")
    assert [x if isinstance(x, str) else x.tag for x in items_before(span)] == ["c", "em", "a"]
    assert [x if isinstance(x, str) else x.tag for x in items_after(em)] == ["c", "span"]
    assert not was_removed(em)
    remove(body[0])
    assert was_removed(em) and to_html(body) == "<body></body>"


def test_control_characters_are_out_before_the_tree_is_made():
    """lxml refuses them in any text set after the parse, so no edit could move the text holding one."""
    body = parse_body('<p title="a&#1;b">form\x0cfeed&#12;x\x01y&#x0B;z &#65;</p>tail\x02')
    assert to_html(body) == '<body><p title="ab">form feed xyz A</p>tail</body>'
    remove(body[0])  # the tail moves to a placeholder: no error
    assert children(body) == ["tail"]


def test_deeper_than_libxml2_builds_keeps_every_level():
    """libxml2's tree stops near 2,000 levels; such posts take BeautifulSoup's event-fed way and lose nothing."""
    html = "<div>" * (MAX_TREE_DEPTH * 3) + "the words at the bottom" + "</div>" * (MAX_TREE_DEPTH * 3) + "<p>after</p>"
    body = parse_body(html)
    assert "the words at the bottom" in text_of(body)
    assert body.findall(".//p")[-1].text == "after"
    assert sum(1 for node in body.iter("div")) == MAX_TREE_DEPTH * 3
