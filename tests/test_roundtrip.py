"""Markdown rendered back through Pelican's Markdown settings keeps the post.

For every post of the demo content, the project's fixtures and ../shared/wp-samples:
- cleaning loses nothing: the cleaned tree has the constructs of the WordPress HTML;
- conversion loses nothing: the Markdown, rendered again, has the same words in the same order
  (similarity >= 0.99) and the same number of images, links, iframes, tables, code blocks, list
  items, blockquotes, headings and captions as the cleaned tree with its bios taken out.
"""
import json
import re

import pytest

from conftest import CONTENT, FIXTURES, SAMPLES, SEED
from pelican_wp_import.bios import extract_bios
from pelican_wp_import.clean import MORE_SENTINEL, clean_html
from pelican_wp_import.load import is_post, load_file
from pelican_wp_import.markdown import to_markdown
from pelican_wp_import.text import unsafe_url_scheme
from roundtrip import counts, render, similarity, soup_of, words

_CAPTION_SHORTCODE = re.compile(r"\[caption\b", re.I)


def _posts_in(path):
    loaded = load_file(path)
    posts = [(f"{path.name}#{p.post_id}", p.data) for p in loaded.posts]
    if not posts and loaded.problems and path.name.startswith("wpdev"):
        # WordPress's own generated fixtures: a map of model names to objects; take the posts and pages
        data = json.loads(path.read_text())
        for name, value in data.items():
            for obj in value if isinstance(value, list) else [value]:
                if isinstance(obj, dict) and is_post(obj) and obj.get("type") in ("post", "page"):
                    posts.append((f"{path.name}#{name}", obj))
    return posts


def _all_posts():
    files = sorted(CONTENT.rglob("*.json")) + sorted(FIXTURES.rglob("*.json"))
    if SAMPLES.exists():
        files += sorted(SAMPLES.glob("*.json"))
    if SEED.exists():
        files.append(SEED)
    cases = []
    for path in files:
        for name, data in _posts_in(path):
            content = data.get("content")
            html = content.get("rendered") if isinstance(content, dict) else content
            if isinstance(html, str) and html.strip():
                cases.append(pytest.param(html, id=name))
    return cases


CASES = _all_posts()


def test_there_are_posts_to_measure():
    # The project's own demo and fixtures hold 50-odd posts; wp-samples and the seed add the rest.
    assert len(CASES) >= (60 if SAMPLES.exists() and SEED.exists() else 40)


def _original_counts(html):
    """Constructs of the raw WordPress HTML, counting captions however WordPress marked them."""
    found = counts(html)
    soup = __import__("bs4").BeautifulSoup(html, "lxml")
    found["figcaption"] += len(soup.select(".wp-caption-text:not(figcaption)")) + len(_CAPTION_SHORTCODE.findall(html))
    for tag in soup.select(".wp-block-spacer"):
        found -= counts(str(tag))
    return found


@pytest.mark.parametrize("html", CASES)
def test_cleaning_keeps_every_construct(html):
    cleaned = clean_html(html)
    assert counts(cleaned.root) == _original_counts(html)


@pytest.mark.parametrize("html", CASES)
def test_markdown_round_trip_keeps_the_post(html):
    cleaned = clean_html(html)
    extract_bios(cleaned.root, [])
    reference = soup_of(cleaned.root)
    for marker in reference.find_all(string=MORE_SENTINEL):
        marker.parent.decompose()
    for link in reference.find_all("a", href=True):
        if unsafe_url_scheme(link["href"]):
            del link["href"]  # the converter never writes a link to a script address; its words stay
    markdown = to_markdown(cleaned.root).replace(MORE_SENTINEL, "")
    rendered = render(markdown)
    assert counts(rendered) == counts(reference)
    assert similarity(words(reference), words(rendered)) >= 0.99
