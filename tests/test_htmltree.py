"""The tree built straight from lxml is the tree BeautifulSoup(html, "lxml") builds, links and all."""
from __future__ import annotations

import gc
import weakref

import pytest
from bs4 import BeautifulSoup, Tag

from pelican_wp_import.htmltree import MAX_TREE_DEPTH, dismantle, parse_body, to_html


def _shape(root: Tag) -> list[tuple]:
    """Every node in document order: depth, kind, name, attributes or text, how it prints when void."""
    out, stack = [], [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Tag):
            attrs = {k: list(v) if isinstance(v, list) else v for k, v in node.attrs.items()}
            out.append((depth, "tag", node.name, attrs, type(node.attrs).__name__, node.can_be_empty_element))
            stack.extend((child, depth + 1) for child in reversed(node.contents))
        else:
            out.append((depth, type(node).__name__, str(node)))
    return out


def _assert_linked(root: Tag) -> None:
    """parent, siblings and the next_element chain agree with contents, as bs4's own methods expect."""
    chain, node = [], root.next_element
    while node is not None:
        chain.append(node)
        assert node.next_element is None or node.next_element.previous_element is node
        node = node.next_element
    assert [id(n) for n in chain] == [id(n) for n in root.descendants]
    for tag in [root, *(n for n in chain if isinstance(n, Tag))]:
        for i, child in enumerate(tag.contents):
            assert child.parent is tag
            assert child.previous_sibling is (tag.contents[i - 1] if i else None)
            assert child.next_sibling is (tag.contents[i + 1] if i + 1 < len(tag.contents) else None)


CASES = [
    "",
    "plain text, no tags",
    '<p class=" lead  wide" id="x">One <em>two</em> three</p>\n\n<p>Four</p>',
    "<p>a<br>b<hr><img src=x alt='y'></p>",
    "<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph --><!--more--><p>y</p>",
    "<pre>  keep\n\n   these  </pre> <textarea> \n </textarea> <p> \n </p>",
    "<script> var a = 1 < 2; </script><style> p {} </style><template><p>t</p></template>",
    "<?php echo 1; ?><p>after a processing instruction</p>",
    "<meta charset=utf-8><link rel=stylesheet href=x><figure><img src=a></figure><section>s</section>",
    '<?xml version="1.0" encoding="utf-8"?><p>Word pasted this</p>',
    "<html lang=en><body class=b><p>inside</p></body></html>",
    "&nbsp;&amp;&lt;b&gt; &unknown; &#8217; &#x2014;",
    "<table><tr><td>one<td>two</table><ul><li>a<li>b</ul>",
    '<a rel="nofollow noopener" href="/x">y</a><td headers="h1 h2">stray</td>',
    '<p xml:lang="en">lang</p><svg viewBox="0 0 1 1"><use xlink:href="#a"/></svg>',
    "<p>unclosed <b>bold <i>both</p> after",
    "<div>" * 300 + "deep" + "</div>" * 300,
    "\r\n<p>windows\r\nlines</p>\r\n\r\n",
    """<p a="x&y" b='say "hi"' c="it's &quot;both&quot;" d>t &amp; &lt;b&gt; <br> x</p><img src=a alt="">""",
]


@pytest.mark.parametrize("html", CASES)
def test_same_tree_as_beautifulsoup(html):
    ours = parse_body(html)
    theirs = BeautifulSoup("<body>" + html, "lxml").body
    assert _shape(ours) == _shape(theirs)
    assert str(ours) == str(theirs)
    _assert_linked(ours)


@pytest.mark.parametrize("html", CASES)
def test_printed_as_bs4_prints_it(html):
    body = parse_body(html)
    for tag in [body, *(node for node in body.descendants if isinstance(node, Tag))]:
        assert to_html(tag) == str(tag)


def test_deeper_than_libxml2_builds_keeps_every_level():
    """libxml2's tree stops near 2,000 levels; such posts take BeautifulSoup's event-fed way and lose nothing."""
    html = "<div>" * (MAX_TREE_DEPTH * 3) + "the words at the bottom" + "</div>" * (MAX_TREE_DEPTH * 3) + "<p>after</p>"
    body = parse_body(html)
    assert "the words at the bottom" in body.get_text()
    assert body.find_all("p")[-1].get_text() == "after"
    assert sum(1 for node in body.descendants if isinstance(node, Tag) and node.name == "div") == MAX_TREE_DEPTH * 3


def test_tree_methods_work_on_the_built_tree():
    body = parse_body('<p>One <a href="/a">link</a></p><!--more--><p>Two</p>')
    link = body.find("a", href=True)
    assert link.find_parent("p") is body.p and link.find_parent("body") is body
    body.p.insert_after(BeautifulSoup("<hr>", "html.parser").hr)
    body.find_all("p")[-1].decompose()
    assert str(body) == '<body><p>One <a href="/a">link</a></p><hr/><!--more--></body>'
    _assert_linked(body)


def test_a_dismantled_tree_is_freed_without_the_cyclic_collector():
    body = parse_body("<p>One <em>two</em></p>" * 50)
    probe = weakref.ref(body.find("em"))
    gc.disable()
    try:
        dismantle(body)
        del body
        assert probe() is None
    finally:
        gc.enable()
