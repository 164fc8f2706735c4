"""Links between imported posts follow them: old permalinks and ?p=ID become {filename} links."""
import json

import pytest

from helpers import build_site, html, read_markdown
from pelican_wp_import.cli import main
from pelican_wp_import.htmltree import parse_body
from pelican_wp_import.links import PostIndex, id_in, link_candidates, path_key, replace_urls


@pytest.mark.parametrize("url, key", [
    ("https://old.example/2023/09/05/ferry/", "/2023/09/05/ferry/"),
    ("https://old.example/2023/09/05/ferry", "/2023/09/05/ferry/"),
    ("https://www.old.example/2023//09/05/Ferry/#comments", "/2023/09/05/ferry/"),
    ("https://old.example/%d0%bf%d1%83/", "/пу/"),
    ("/about/", "/about/"),
])
def test_old_addresses_are_compared_by_path(url, key):
    assert path_key(url) == key


@pytest.mark.parametrize("url, wp_id", [
    ("https://old.example/?p=123", 123), ("/?page_id=7&preview=true", 7), ("https://old.example/?p=abc", None),
    ("https://old.example/ferry/", None),
])
def test_ids_in_plain_permalinks(url, wp_id):
    assert id_in(url) == wp_id


def test_candidates_are_links_to_the_same_site():
    body = parse_body(
        '<p><a href="https://old.example/2023/quay/">a</a> <a href="https://www.old.example/b/">b</a> '
        '<a href="/c/">c</a> <a href="//cdn.example/d/">d</a> <a href="https://else.example/e/">e</a> '
        '<a href="https://old.example/">home</a> <a href="https://old.example/?p=12">f</a> '
        '<a href="mailto:x@old.example">m</a> <a href="#top">t</a> <a href="/c/">again</a></p>')
    assert link_candidates(list(body.iter("a")), "https://old.example/2023/ferry/") == [
        "https://old.example/2023/quay/", "https://www.old.example/b/", "/c/", "https://old.example/?p=12"]


def test_targets_are_relative_to_the_linking_file():
    index = PostIndex()
    index.add({"wp_link": "https://old.example/2023/quay/", "wp_id": 12}, "quay.md")
    index.add({"wp_link": "https://old.example/about/", "wp_id": 2}, "pages/about.md")
    found = index.targets(["https://old.example/2023/quay/#map", "/?p=12", "/about", "https://old.example/gone/"],
                          "pages/contact.md")
    assert found == {"https://old.example/2023/quay/#map": "{filename}../quay.md#map",
                     "/?p=12": "{filename}../quay.md", "/about": "{filename}about.md"}


def test_only_whole_addresses_are_replaced():
    text = ('[a](https://o.example/q/) [b](https://o.example/q/more/) <a href="https://o.example/?p=1&amp;x=2">c</a> '
            'see https://o.example/q/x')
    mapping = {"https://o.example/q/": "{filename}q.md", "https://o.example/?p=1&x=2": "{filename}p.md"}
    assert replace_urls(text, mapping) == (
        '[a]({filename}q.md) [b](https://o.example/q/more/) <a href="{filename}p.md">c</a> see https://o.example/q/x')


def _post(post_id, slug, body, kind="post"):
    return {"id": post_id, "date": "2023-09-05T10:00:00", "date_gmt": "2023-09-05T08:00:00", "slug": slug,
            "status": "publish", "type": kind, "link": f"https://old.example/2023/09/05/{slug}/",
            "title": {"rendered": slug.title()}, "content": {"rendered": body}}


@pytest.fixture
def linked(tmp_path):
    folder = tmp_path / "json"
    folder.mkdir()
    posts = [
        _post(1, "ferry", '<p>See <a href="https://old.example/2023/09/05/quay/">the quay</a>, '
                          '<a href="https://old.example/?p=3">the about page</a> and '
                          '<a href="https://old.example/2023/09/05/nowhere/">a lost post</a>.</p>'),
        _post(2, "quay", '<p>Back to <a href="/2023/09/05/ferry/#top">the ferry</a>.</p>'),
    ]
    (folder / "posts.json").write_text(json.dumps(posts))
    (folder / "about.json").write_text(json.dumps(_post(3, "about", '<p><a href="/?p=2">Quay</a></p>', "page")))
    return folder


def test_links_between_posts_become_filename_links(linked, tmp_path):
    out = tmp_path / "content"
    assert main(["convert", str(linked), "-o", str(out), "-q"]) == 0
    _, ferry = read_markdown(out / "ferry.md")
    assert ferry.strip() == ("See [the quay]({filename}quay.md), [the about page]({filename}pages/about.md) and "
                             "[a lost post](https://old.example/2023/09/05/nowhere/).")
    assert read_markdown(out / "quay.md")[1].strip() == "Back to [the ferry]({filename}ferry.md#top)."
    assert read_markdown(out / "pages/about.md")[1].strip() == "[Quay]({filename}../quay.md)"
    # the same input gives the same bytes
    before = {p: p.read_bytes() for p in out.rglob("*.md")}
    assert main(["convert", str(linked), "-o", str(out), "-q"]) == 0
    assert {p: p.read_bytes() for p in out.rglob("*.md")} == before


def test_pelican_resolves_the_links(linked, tmp_path):
    content = tmp_path / "content"
    main(["convert", str(linked), "-o", str(content), "-q"])
    output = build_site(content, tmp_path / "output", WP_IMPORT_KEEP_PERMALINKS=False)
    hrefs = [a["href"] for a in html(output / "ferry.html").select(".e-content a")]
    assert hrefs == ["./quay.html", "./pages/about.html", "https://old.example/2023/09/05/nowhere/"]


def test_a_build_from_the_json_links_the_same_way(linked, tmp_path):
    output = build_site(linked, tmp_path / "output", WP_IMPORT_KEEP_PERMALINKS=False)
    hrefs = [a["href"] for a in html(output / "ferry.html").select(".e-content a")]
    assert hrefs == ["./quay.html", "./pages/about.html", "https://old.example/2023/09/05/nowhere/"]
    assert [a["href"] for a in html(output / "quay.html").select(".e-content a")] == ["./ferry.html#top"]


def test_links_in_a_bio_taken_out_of_the_body_are_not_candidates():
    from pelican_wp_import.fields import Options
    from pelican_wp_import.model import RawPost
    from pelican_wp_import.pipeline import convert_post
    from pelican_wp_import.resolve import Sidecars

    post = _post(5, "harbour", '<p>The quay opens <a href="https://old.example/2023/09/05/quay/">again</a>.</p>'
                               '<p>Jane Doe is a reporter who covers the harbour. '
                               '<a href="https://old.example/author/jane/">More about Jane Doe</a></p>')
    result = convert_post(RawPost(post, "x.json"), Sidecars(), Options())
    assert result.metadata["authors"] == ["Jane Doe"]
    assert result.links == ["https://old.example/2023/09/05/quay/"]
