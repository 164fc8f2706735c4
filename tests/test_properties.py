"""Properties that hold for any input, checked on random HTML trees and random, cut or mangled JSON.

- conversion never raises anything but the project's own ImportProblem: a post ends Converted,
  Skipped or Failed;
- converting twice gives the same bytes;
- the words of the HTML appear, in order, in the Markdown rendered back;
- what is rendered from the Markdown runs no script, sanitised or not.
"""
from __future__ import annotations

import html as html_lib
import json
import os
import re

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican_wp_import.clean import MORE_SENTINEL, clean_html
from pelican_wp_import.fields import Options
from pelican_wp_import.frontmatter import dump, split
from pelican_wp_import.load import load_file
from pelican_wp_import.markdown import to_markdown
from pelican_wp_import.model import Converted, Failed, ImportProblem, RawPost, Skipped
from pelican_wp_import.pipeline import convert_file, convert_post
from pelican_wp_import.resolve import Sidecars
from pelican_wp_import.sanitize import Sanitizer, refused_iframe_host
from pelican_wp_import.text import unsafe_url_scheme
from roundtrip import render, words

# PROPERTY_EXAMPLES=20 runs twenty times the examples, to hunt for bugs rather than guard against them.
SCALE = int(os.environ.get("PROPERTY_EXAMPLES", "1"))
# The suite's own runs draw the same examples every time, so a CI run fails only for a change in
# the code; a bug hunt (PROPERTY_EXAMPLES set) draws new ones each run.
HUNTING = "PROPERTY_EXAMPLES" in os.environ
FEW = settings(deadline=None, max_examples=60 * SCALE, suppress_health_check=[HealthCheck.too_slow],
               derandomize=not HUNTING, database=None if not HUNTING else settings.default.database)
SOME = settings(deadline=None, max_examples=150 * SCALE, suppress_health_check=[HealthCheck.too_slow],
                derandomize=not HUNTING, database=None if not HUNTING else settings.default.database)

# --- random WordPress-ish HTML ---------------------------------------------------------------------

WORDS = "harbour ferry quay tide gull net boat island council vote school storm Ørsta café 2024 x".split()
# Text that Markdown or HTML would read as markup, and entities.
JUNK_TEXT = ["*", "**", "_", "__init__", "`", "``", "\\", "[", "]", "[x](y)", "![a](b)", "(", ")", "#", "# ",
             "> ", "1.", "2)", "- ", "+", "=", "---", "|", "{", "}", "{:", "<", "< b", "&", "&amp;", "&lt;b&gt;",
             "&#8217;", "&nbsp;", "\u00a0", "\n", "\n\n", "\t", "   ", "[^1]", "[su_note]", ":", "~~~", "<3",
             "[x](javascript:alert(1))", "<javascript:alert(1)>", "&lt;script&gt;alert(1)&lt;/script&gt;"]
# Markup a scraper or an editor leaves broken.
JUNK_MARKUP = ["</p>", "<p>", "<b>", "</b>", "</div>", "<li>", "</td>", "</span>", "<br>", "<br/>", "<hr>",
               "<!--more-->", "<!-- wp:paragraph -->", "<!-- x -->", "<!DOCTYPE html>", "<?php echo 1; ?>",
               "<![CDATA[x]]>", "]]>", "-->", "<", "</", "<p", "<img", "<a href='x'", "<o:p></o:p>", "</html>",
               "<body onload=alert(1)>", "<span id='more-12'></span>"]
CLASSES = ["wp-block-image", "wp-block-table", "wp-block-quote", "wp-block-code", "wp-block-gallery", "wp-caption",
           "wp-caption-text", "gallery", "gallery-item", "gallery-icon", "wp-block-embed", "is-type-video",
           "language-python", "lang-js", "brush: php", "twitter-tweet", "instagram-media", "alignleft",
           "size-large", "has-text-align-center", "author-bio", "x"]
# Classes (and data-fn) that move or drop words by design: footnote markers and lists, spacers.
WORD_MOVING_CLASSES = ["fn", "wp-block-footnotes", "wp-block-spacer"]
URLS = ["https://example.org/a", "/p/1", "?p=12", "#fn1", "", " https://example.org/b ", "mailto:a@example.org",
        "javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "vbscript:x", "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,AAAA", "http://x.example/a b (1).jpg", "a) <script>alert(1)</script>",
        'x" onerror="alert(1)', "x'y", "https://www.youtube.com/embed/abc", "//player.vimeo.com/video/1",
        "https://evil.example/frame", "http://[::1", "https://evil.example\\@www.youtube.com/", "{filename}a.md",
        "http://x.example/a_b*c`d[e]f"]
TEXTS = st.lists(st.sampled_from(WORDS) | st.sampled_from(JUNK_TEXT), min_size=1, max_size=5).map(
    lambda parts: " " + " ".join(parts) + " ")


ATTRIBUTES = ["class", "href", "src", "srcset", "alt", "title", "id", "style", "onclick", "onerror", "data-src",
              "lang", "colspan", "srcdoc", "poster", "width"]


def attributes(classes: list[str], names: list[str]):
    value = st.sampled_from(URLS)
    prose = TEXTS | st.sampled_from(["a]b", 'q"uote', "line\n\nbreak", "<script>alert(1)</script>", ""])
    return st.dictionaries(st.sampled_from(names),
                           st.sampled_from([" ".join(classes[:1])]) | st.sampled_from(classes) | value | prose,
                           max_size=3)


def _attrs(attrs: dict) -> str:
    return "".join(f' {name}="{html_lib.escape(str(value), quote=True)}"' for name, value in attrs.items())


BLOCK_TAGS = ["p", "div", "blockquote", "figure", "figcaption", "ul", "ol", "li", "table", "tr", "td", "th",
              "pre", "h2", "h3", "section", "details", "summary", "dl", "dt", "dd", "center"]
INLINE_TAGS = ["span", "strong", "em", "b", "i", "a", "code", "sup", "sub", "cite", "mark", "small", "font",
               "o:p", "my-widget", "u", "kbd", "abbr"]
HOSTILE_TAGS = ["form", "button", "select", "option", "textarea", "object", "label"]
# The sanitiser drops an <svg> with its text (nh3 keeps no element of another namespace it is not told to).
FOREIGN_TAGS = ["svg"]
VOID_TAGS = ["img", "br", "hr", "input", "embed", "meta", "link", "base", "wbr", "source"]
# Elements whose content is code or a copy for browsers without scripts: no words in them.
EMPTY_TAGS = ["script", "style", "iframe", "noscript", "template", "video", "audio"]


def html_trees(classes: list[str], names: list[str], tags: list[str]):
    attrs = attributes(classes, names)
    leaves = (TEXTS | st.sampled_from(JUNK_MARKUP)
              | st.builds(lambda tag, a: f"<{tag}{_attrs(a)}>", st.sampled_from(VOID_TAGS), attrs)
              | st.builds(lambda tag, a: f"<{tag}{_attrs(a)}></{tag}>", st.sampled_from(EMPTY_TAGS), attrs)
              | st.just("<script>var s = '</p><b>';</script>"))

    def element(children):
        return st.builds(lambda tag, a, inner: f"<{tag}{_attrs(a)}>{''.join(inner)}</{tag}>",
                         st.sampled_from(tags), attrs, st.lists(children, max_size=4))

    return st.lists(st.recursive(leaves, element, max_leaves=25), min_size=1, max_size=4).map("".join)


ELEMENTS = BLOCK_TAGS + INLINE_TAGS + HOSTILE_TAGS
ANY_HTML = html_trees(CLASSES + WORD_MOVING_CLASSES, ATTRIBUTES + ["data-fn"], ELEMENTS + FOREIGN_TAGS)
WORD_KEEPING_HTML = html_trees(CLASSES, ATTRIBUTES, ELEMENTS)


def _markdown(html: str, sanitize: bool) -> str:
    cleaned = clean_html(html, Sanitizer() if sanitize else None)
    return to_markdown(cleaned.root).replace(MORE_SENTINEL, "")


def _words_of_input(html: str) -> list[str]:
    # block delimiters and a page's end tags are dropped from the text before it is parsed, even where
    # HTML would read them as text (in a <textarea>)
    soup = BeautifulSoup(re.sub(r"<!-- wp:paragraph -->|</html>", "", html), "lxml")
    for tag in soup.find_all(EMPTY_TAGS + ["title"]):
        tag.decompose()
    return words(soup)


def _read_back(document: str) -> tuple[dict, str]:
    metadata, body = split(document)
    return metadata, body.strip()


def _in_order(wanted: list[str], got: list[str]) -> bool:
    remaining = iter(got)
    return all(word in remaining for word in wanted)


# --- the converter -------------------------------------------------------------------------------

@SOME
@given(html=ANY_HTML, sanitize=st.booleans())
def test_conversion_of_any_html_ends_in_a_record(html, sanitize):
    post = RawPost(_post_data(html), "random.json")
    result = convert_post(post, Sidecars(), Options(sanitize=sanitize))
    assert isinstance(result, (Converted, Skipped, Failed))


@SOME
@given(html=ANY_HTML, sanitize=st.booleans())
def test_converting_twice_gives_the_same_bytes(html, sanitize):
    options = Options(sanitize=sanitize)
    first = convert_post(RawPost(_post_data(html), "random.json"), Sidecars(), options)
    again = convert_post(RawPost(_post_data(html), "random.json"), Sidecars(), options)
    assert isinstance(first, Converted) and isinstance(again, Converted)
    document = dump(first.metadata, first.markdown)
    assert document.encode() == dump(again.metadata, again.markdown).encode()
    assert (first.warnings, first.links) == (again.warnings, again.links)
    assert _read_back(document) == (first.metadata, first.markdown.strip())  # the file reads back as it was


@SOME
@given(html=WORD_KEEPING_HTML, sanitize=st.booleans())
def test_words_of_the_html_appear_in_order_in_the_markdown_rendered_back(html, sanitize):
    rendered = BeautifulSoup(render(_markdown(html, sanitize)), "lxml")
    for pre in rendered.find_all("pre"):  # highlighting cuts a code word into spans: "Ø" "rsta"
        pre.string = pre.get_text()
    wanted, got = _words_of_input(html), words(rendered)
    assert _in_order(wanted, got), (wanted, got)


# What could run a script in rendered HTML, as a browser reads it.
_SCRIPT_TAGS = ["script", "object", "embed", "applet", "base", "meta", "link", "form", "frame", "frameset"]


def _runnable(rendered: str, sanitized: bool) -> list[str]:
    soup = BeautifulSoup(rendered, "html.parser")
    found = [f"<{tag.name}>" for tag in soup.find_all(_SCRIPT_TAGS if sanitized else ["script"])]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.startswith("on") or name == "srcdoc":
                found.append(f"{tag.name} {name}")
            elif name in ("href", "src", "srcset", "poster", "action", "formaction", "data", "cite") and \
                    unsafe_url_scheme(value, image=tag.name == "img" and name != "href"):
                found.append(f"{tag.name} {name}={value}")
        if sanitized and tag.name == "iframe" and refused_iframe_host(tag.get("src", ""), Sanitizer().iframe_hosts):
            found.append(f"iframe from {tag.get('src')}")
    return found


@SOME
@given(html=ANY_HTML, sanitize=st.booleans())
def test_nothing_rendered_from_the_markdown_can_run_a_script(html, sanitize):
    rendered = render(_markdown(html, sanitize))
    assert _runnable(rendered, sanitize) == [], rendered


# --- random, cut and mangled JSON ----------------------------------------------------------------

SCALARS = st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20)
FIELD_VALUES = (SCALARS | st.lists(SCALARS, max_size=3)
                | st.dictionaries(st.sampled_from(["rendered", "raw", "protected"]), SCALARS, max_size=2))


def _post_data(html: str) -> dict:
    return {"id": 7, "date": "2024-07-01T12:00:00", "date_gmt": "2024-07-01T10:00:00", "slug": "random",
            "status": "publish", "type": "post", "link": "https://x.example/news/random/",
            "title": {"rendered": "Random"}, "content": {"rendered": html},
            "excerpt": {"rendered": "<p>An excerpt of its own</p>"}}


@st.composite
def posts(draw):
    """A post object whose fields may hold anything: the right shape, another shape, or junk."""
    data = _post_data(draw(ANY_HTML))
    for key in draw(st.lists(st.sampled_from(["id", "date", "date_gmt", "modified", "slug", "status", "type",
                                              "link", "title", "content", "excerpt", "categories", "tags",
                                              "author", "_embedded", "sticky", "parent", "guid"]), max_size=5)):
        data[key] = draw(FIELD_VALUES)
    return data


@st.composite
def damaged_json(draw):
    """A file of one post or a page of posts, then cut, and bytes changed, put in or taken out."""
    data = draw(st.lists(posts(), min_size=1, max_size=3)) if draw(st.booleans()) else draw(posts())
    raw = json.dumps(data, ensure_ascii=draw(st.booleans())).encode()
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(raw)))
        junk = draw(st.binary(max_size=4) | st.sampled_from([b'"', b"{", b"}", b"[", b",", b"\\", b"\\u12",
                                                             b"\xff", b"\x00", b"\xef\xbb\xbf"]))
        cut = draw(st.integers(0, 3))
        raw = raw[:at] + junk + raw[at + cut:]
    if draw(st.booleans()):
        raw = raw[:draw(st.integers(0, len(raw)))]
    return raw


@FEW
@given(raw=damaged_json())
def test_any_json_ends_in_records_never_in_a_crash(tmp_path_factory, raw):
    path = tmp_path_factory.getbasetemp() / "damaged.json"
    path.write_bytes(raw)
    try:
        loaded = load_file(path)
        results = convert_file(loaded, Sidecars(), Options())
    except ImportProblem:
        return
    assert all(isinstance(r, (Converted, Skipped, Failed)) for r in results)
    for result in results:
        if isinstance(result, Converted):
            document = dump(result.metadata, result.markdown)
            assert _read_back(document) == (result.metadata, result.markdown.strip())


def test_the_words_check_can_fail():
    assert not _in_order(["harbour", "ferry"], ["ferry", "harbour"])
    assert _in_order(["harbour", "ferry"], ["the", "harbour", "and", "the", "ferry"])
    assert re.fullmatch(r"\w+", "Ørsta")
