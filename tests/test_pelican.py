"""The plugin in real Pelican builds: JSON read straight in, arrays with sidecars, Markdown from convert."""
import json
import logging
import os
import shutil

import pytest

from conftest import CONTENT
from helpers import build_site, html, permalink_page
from pelican_wp_import.cli import main
from pelican_wp_import.load import load_file


def _articles(out):
    """slug -> parsed page, for every article and page of a build, at its old permalink (slug/index.html)
    or at Pelican's address (slug.html); list pages and redirect stubs have no entry body."""
    pages = {}
    for path in out.rglob("*.html"):
        rel = path.relative_to(out)
        slug = rel.parent.name if rel.name == "index.html" else rel.stem
        soup = html(path)
        if slug and (soup.find(class_="e-content") or soup.find(class_="entry-content")):
            assert slug not in pages, f"{slug} is built twice"
            pages[slug] = soup
    return pages


def _body(soup):
    return soup.find(class_="e-content") or soup.find(class_="entry-content")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "output"
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(logging.WARNING)
    logging.getLogger().addHandler(handler)
    try:
        build_site(CONTENT, out)
    finally:
        logging.getLogger().removeHandler(handler)
    return out, records


def _post_slugs_in_content():
    slugs = set()
    for path in CONTENT.rglob("*.json"):
        for post in load_file(path).posts:
            if post.data.get("type", "post") == "post":
                slugs.add(post.data["slug"])
    return slugs


def test_demo_builds_without_errors(demo):
    out, records = demo
    errors = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert errors == []
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    # the damaged post says what was wrong with it, and nothing else warns
    assert warnings and all("damaged" in w for w in warnings)


def test_demo_has_every_post_and_the_about_page(demo):
    out, _ = demo
    slugs = _post_slugs_in_content()
    assert len(slugs) >= 12
    assert slugs <= set(_articles(out))
    assert {p.stem for p in (out / "author").glob("*.html")} >= {"maren-okonkwo", "declan-fitzgerald"}
    assert (out / "about" / "index.html").exists()  # the page's WordPress permalink


def test_array_file_posts_get_names_from_sidecars(demo):
    out, _ = demo
    listing = json.loads((CONTENT / "archive" / "posts-page-1.json").read_text())
    assert "_embedded" not in listing[0]
    categories = {c["id"]: c["name"] for c in json.loads((CONTENT / "archive" / "categories.json").read_text())}
    for post in listing:
        page = html(permalink_page(out, post["link"]))
        text = page.get_text(" ")
        category = categories[post["categories"][0]]
        assert category in text
        assert (out / "category" / f"{category.lower()}.html").exists()
        assert "More about" not in _body(page).get_text()


def test_non_post_json_is_skipped_with_one_warning(tmp_path, caplog):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(CONTENT / "2023-01-17-council-votes-to-keep-winter-ferry.json", content / "post.json")
    (content / "error.json").write_text('{"code": "rest_forbidden", "message": "Sorry, you are not allowed.", '
                                        '"data": {"status": 401}}')
    (content / "settings.json").write_text('{"title": "My blog", "timezone": "UTC", "posts_per_page": 10}')
    (content / "saved-page.json").write_text("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")
    (content / "empty.json").write_text("")
    with caplog.at_level(logging.WARNING):
        out = build_site(content, tmp_path / "output")
    assert len(_articles(out)) == 1
    for name in ("error.json", "settings.json", "saved-page.json", "empty.json"):
        lines = [r.getMessage() for r in caplog.records if name in r.getMessage()]
        assert len(lines) == 1, (name, lines)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_commands_own_records_are_not_read_as_content(tmp_path, caplog):
    content = tmp_path / "content"
    assert main(["convert", str(CONTENT / "pages"), "--output", str(content), "--quiet"]) == 0
    assert (content / ".wp-import.json").exists()
    archive = content / ".wp-api" / "posts"  # where fetch keeps the raw API responses
    archive.mkdir(parents=True)
    shutil.copy(CONTENT / "pages" / "about.json", archive / "page-0001.json")
    with caplog.at_level(logging.WARNING):
        out = build_site(content, tmp_path / "output")
    assert list(_articles(out)) == ["about"]
    assert not [r for r in caplog.records if ".wp-" in r.getMessage()]


def test_a_page_among_articles_becomes_a_page(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(CONTENT / "pages" / "about.json", content / "about.json")
    shutil.copy(CONTENT / "2023-01-17-council-votes-to-keep-winter-ferry.json", content / "post.json")
    out = build_site(content, tmp_path / "output")
    assert not (out / "about.html").exists()
    assert html(out / "about" / "index.html").select_one("article.page-article")  # the page template, at its permalink


def test_convert_then_build_gives_the_same_articles_as_json(tmp_path):
    markdown = tmp_path / "md"
    assert main(["convert", str(CONTENT), "--output", str(markdown), "--quiet"]) == 0
    from_json = _articles(build_site(CONTENT, tmp_path / "from-json"))
    from_md = _articles(build_site(markdown, tmp_path / "from-md"))
    assert sorted(from_json) == sorted(from_md)
    for slug, page in from_json.items():
        assert str(_body(page)) == str(_body(from_md[slug])), slug
        assert page.title.get_text() == from_md[slug].title.get_text()


def test_plain_pelican_markdown_still_reads(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "hello.md").write_text("Title: Hello there\nDate: 2024-02-03 10:00\nCategory: Notes\n"
                                      "Tags: one, two\n\nNote: this line is text, *not* metadata.\n")
    (content / "yaml.md").write_text("---\ntitle: 'Quoted: with colon'\ndate: 2024-02-04 10:00:00+01:00\n"
                                     "tags: [alpha, beta]\nauthors:\n- Ada Lovelace\n- Grace Hopper\n---\n\nBody.\n")
    out = build_site(content, tmp_path / "output")
    hello = html(out / "hello-there.html")
    assert "Note: this line is text" in _body(hello).get_text()
    assert (out / "tag" / "one.html").exists()
    yaml_page = html(out / "quoted-with-colon.html")
    assert "Quoted: with colon" in yaml_page.title.get_text()
    assert (out / "author" / "grace-hopper.html").exists()
    assert (out / "tag" / "beta.html").exists()


def test_drafts_are_built_as_drafts(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    post = json.loads((CONTENT / "2023-01-17-council-votes-to-keep-winter-ferry.json").read_text())
    post["status"] = "draft"
    (content / "draft.json").write_text(json.dumps(post))
    out = build_site(content, tmp_path / "output")
    assert (out / "drafts" / f"{post['slug']}.html").exists()
    assert not (out / f"{post['slug']}.html").exists()
    assert not permalink_page(out, post["link"]).exists(), "a draft does not take its permalink"


def test_a_changed_or_new_sidecar_is_read_again_by_the_next_build(tmp_path):
    from pelican_wp_import.sources import cached_sidecars

    folder = tmp_path / "archive"
    shutil.copytree(CONTENT / "archive", folder)
    categories = folder / "categories.json"
    first = cached_sidecars(folder)
    assert cached_sidecars(folder) is first  # asked once per post: read once
    data = json.loads(categories.read_text())
    data[0]["name"] = "Renamed"
    categories.write_text(json.dumps(data))
    os.utime(categories, ns=(1, 1))  # a different time, whatever the clock's resolution
    changed = cached_sidecars(folder)
    assert changed is not first and "Renamed" in {t["name"] for t in changed.categories.values()}
    categories.rename(folder / "old.txt")
    assert not cached_sidecars(folder).categories
