"""The old site's addresses that no post carries: archives and attachment pages, from the sidecars."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import build_site, html
from pelican_wp_import.cli import main
from pelican_wp_import.oldsite import OldAddress, as_records, from_records, from_sidecars
from pelican_wp_import.redirects import check_addresses, resolve_address
from pelican_wp_import.resolve import Sidecars
from wp_server import WordPress, serve

SITE = "https://old.example"


def _sidecars() -> dict[str, list[dict]]:
    return {
        "categories": [{"id": 2, "name": "News", "slug": "news", "link": f"{SITE}/category/news/"},
                       {"id": 3, "name": "Arts &amp; Crafts", "slug": "arts", "link": f"{SITE}/category/news/arts/",
                        "count": 25},
                       {"id": 4, "name": "Empty", "slug": "empty", "link": f"{SITE}/category/empty/"}],
        "tags": [{"id": 7, "name": "Harbour", "slug": "harbour", "link": f"{SITE}/tag/harbour/"}],
        "users": [{"id": 1, "name": "Dr. Ann Lee", "slug": "ann", "link": f"{SITE}/author/ann/"},
                  {"id": 5, "name": "Pages Only", "slug": "pages-only", "link": f"{SITE}/author/pages-only/"}],
        "media": [{"id": 30, "post": "10", "link": f"{SITE}/2024/05/ferry/dock-photo/"},
                  {"id": 31, "post": 99, "link": f"{SITE}/elsewhere/lost/"},
                  {"id": 32, "post": None, "link": f"{SITE}/unattached/"}],
    }


# What tells the collections apart in the REST API's answers.
_SHAPE = {"categories": {"taxonomy": "category"}, "tags": {"taxonomy": "post_tag"}, "users": {"avatar_urls": {}},
          "media": {"type": "attachment", "media_type": "image", "source_url": f"{SITE}/wp-content/uploads/p.jpg"}}


def _post() -> dict:
    return {"id": 10, "date": "2024-05-02T10:00:00", "slug": "ferry", "status": "publish", "type": "post",
            "link": f"{SITE}/2024/05/ferry/", "author": 1, "categories": [2], "tags": [],
            "title": {"rendered": "Ferry"}, "content": {"rendered": "<p>Body.</p>"}}


def _site(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for kind, items in _sidecars().items():
        (folder / f"{kind}.json").write_text(json.dumps([{**item, **_SHAPE[kind]} for item in items]), encoding="utf-8")
    (folder / "posts.json").write_text(json.dumps([_post()]), encoding="utf-8")
    return folder


def test_what_the_sidecars_know():
    sidecars = Sidecars()
    for kind, items in _sidecars().items():
        sidecars.add(kind, items)
    found = {a.link.removeprefix(SITE): a for a in from_sidecars(sidecars)}
    assert found["/category/news/arts/"] == OldAddress(f"{SITE}/category/news/arts/", "category", "Arts & Crafts",
                                                       count=25)
    assert found["/author/ann/"].name == "Ann Lee"  # as the byline is shown
    assert found["/2024/05/ferry/dock-photo/"].post == 10
    assert "/unattached/" not in found  # an upload of no post: nowhere to send it
    assert from_records(as_records(list(found.values()))) == list(found.values())
    assert from_records({"x": {"kind": "nonsense"}, "y": "text", f"{SITE}/t/": {"kind": "tag", "name": 3}}) == [
        OldAddress(f"{SITE}/t/", "tag", "")]


EXPECTED = {
    "category/news/": "category/news.html",  # the post's category
    "category/news/arts/": "archives.html",  # no post of it imported: the archives
    "category/news/arts/page/3/": "archives.html",  # its 25 posts were three pages on WordPress
    "category/empty/": "archives.html",
    "tag/harbour/": "archives.html",
    "author/ann/": "author/ann-lee.html",
    "author/pages-only/": "archives.html",
    "2024/05/ferry/dock-photo/": "2024/05/ferry/index.html",  # an attachment page: its post
}


@pytest.mark.parametrize("posts", [1, 2])  # a file of several posts is read post by post (file.json#id)
def test_a_build_from_json_keeps_the_addresses_no_post_holds(tmp_path, posts):
    content = _site(tmp_path / "content")
    if posts == 2:
        (content / "posts.json").write_text(json.dumps([_post(), {**_post(), "id": 11, "slug": "later",
                                                                  "link": f"{SITE}/2024/06/later/"}]))
    out = build_site(content, tmp_path / "output")
    assert {address: resolve_address(out, address) for address in EXPECTED} == EXPECTED
    assert check_addresses(out, ["elsewhere/lost/", "category/news/arts/page/4/"]) == [
        "elsewhere/lost/: no file elsewhere/lost/index.html",
        "category/news/arts/page/4/: no file category/news/arts/page/4/index.html"]


def test_convert_keeps_them_for_the_build_of_its_markdown(tmp_path):
    source = _site(tmp_path / "json")
    markdown = tmp_path / "content" / "wp"  # a folder of the site's content, not its root
    assert main(["convert", str(source), "-o", str(markdown), "-q"]) == 0
    manifest = json.loads((markdown / ".wp-import.json").read_text())
    assert manifest["addresses"][f"{SITE}/author/ann/"] == {"kind": "author", "name": "Ann Lee"}
    # a later run of other files adds to what the first kept
    (source / "posts.json").unlink()
    for kind in ("categories", "users", "media"):
        (source / f"{kind}.json").unlink()
    (source / "more.json").write_text(json.dumps([{**_post(), "id": 11, "slug": "later", "categories": [],
                                                   "link": f"{SITE}/2024/06/later/", "date": "2024-06-01T10:00:00"}]))
    assert main(["convert", str(source), "-o", str(markdown), "-q"]) == 0
    assert f"{SITE}/author/ann/" in json.loads((markdown / ".wp-import.json").read_text())["addresses"]
    out = build_site(tmp_path / "content", tmp_path / "output")
    assert {address: resolve_address(out, address) for address in EXPECTED} == EXPECTED


# --- fetch asks the site for the same lists ---------------------------------------------------------

def _fetched_post() -> dict:
    """The post as fetch gets it: with _embed, its byline and terms inside it."""
    return {**_post(), "_embedded": {
        "author": [{"id": 1, "name": "Dr. Ann Lee", "slug": "ann", "link": f"{SITE}/author/ann/"}],
        "wp:term": [[{"id": 2, "name": "News", "slug": "news", "taxonomy": "category",
                      "link": f"{SITE}/category/news/"}], []]}}


def _wordpress(**behaviour) -> WordPress:
    lists = {kind: [{**item, **_SHAPE[kind], "description": "not asked for"} for item in items]
             for kind, items in _sidecars().items()}
    return WordPress(items={"posts": [_fetched_post()], **lists}, **behaviour)


def _fetch(site: WordPress, out: Path, *extra: str) -> int:
    return main(["fetch", site.url, "-o", str(out), "--backoff", "0.01", "--max-wait", "0.02", *extra])


def test_fetch_keeps_the_addresses_its_lists_know_for_the_build(tmp_path, capsys):
    with serve(_wordpress()) as site:
        assert _fetch(site, tmp_path / "content" / "wp") == 0
    err = capsys.readouterr().err
    assert "1 posts, 3 categories, 1 tags, 2 users, 3 media;" in err, err
    lists = [entry for entry in site.log if "/wp/v2/media?" in entry or "/wp/v2/users?" in entry]
    assert len(lists) == 2 and all("_fields=" in entry and "_embed" not in entry for entry in lists), lists
    archive = tmp_path / "content" / "wp" / ".wp-api"
    assert "description" not in (archive / "users" / "page-0001.json").read_text()  # only the fields asked
    assert sorted(path.name for path in (tmp_path / "content" / "wp").glob("**/*.md")) == ["ferry.md"]
    out = build_site(tmp_path / "content", tmp_path / "output")
    assert {address: resolve_address(out, address) for address in EXPECTED} == EXPECTED


def test_a_list_the_site_keeps_to_itself_is_a_note_and_the_rest_is_kept(tmp_path, capsys):
    with serve(_wordpress(refuse={"users": (401, "rest_user_cannot_view")})) as site:
        assert _fetch(site, tmp_path / "wp") == 0
    err = capsys.readouterr().err
    note = [line for line in err.splitlines() if "/wp/v2/users" in line]
    assert len(note) == 1 and note[0].startswith("note: ") and "rest_user_cannot_view" in note[0], err
    assert note[0].endswith("; the site does not list its users, so author archives are known from the posts' "
                            "bylines only")
    assert "0 failed" in err and "3 categories, 1 tags, 3 media;" in err
    addresses = json.loads((tmp_path / "wp" / ".wp-import.json").read_text())["addresses"]
    assert f"{SITE}/category/empty/" in addresses and f"{SITE}/author/pages-only/" not in addresses


def test_lists_are_paged_and_no_lists_asks_for_none(tmp_path):
    many = [{"id": n, "name": f"Tag {n}", "slug": f"tag-{n}", "link": f"{SITE}/tag/tag-{n}/", "taxonomy": "post_tag"}
            for n in range(1, 151)]
    with serve(_wordpress()) as site:
        site.items["tags"] = many
        assert _fetch(site, tmp_path / "a", "-q") == 0
        assert sorted(site.page_requests("tags")) == [1, 2]
        addresses = json.loads((tmp_path / "a" / ".wp-import.json").read_text())["addresses"]
        assert len([link for link in addresses if "/tag/" in link]) == 150
        site.log.clear()
        assert _fetch(site, tmp_path / "b", "-q", "--no-lists") == 0
    assert {entry.partition("?")[0] for entry in site.log} == {"/wp-json/wp/v2/posts", "/wp-json/wp/v2/pages"}
    assert "addresses" not in json.loads((tmp_path / "b" / ".wp-import.json").read_text())


def test_a_list_that_keeps_failing_is_an_error_that_says_the_run_can_do_without_it(tmp_path, capsys):
    with serve(_wordpress(always_fail={"media page 1"})) as site:
        assert _fetch(site, tmp_path / "wp", "--retries", "1") == 1
    err = capsys.readouterr().err
    failed = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(failed) == 1 and "/wp/v2/media?" in failed[0], err
    assert failed[0].endswith("(the site's list of media: --no-lists goes without it)")
    assert (tmp_path / "wp" / "ferry.md").is_file() and "1 failed" in err


def test_a_refusal_after_the_first_page_of_a_list_is_an_error_that_keeps_the_pages_fetched(tmp_path, capsys):
    many = [{"id": n, "slug": f"photo-{n}", "type": "attachment", "media_type": "image", "post": 10,
             "link": f"{SITE}/2024/05/ferry/photo-{n}/"} for n in range(100, 250)]
    with serve(_wordpress()) as site:
        site.items["media"] = many
        site.refuse_pages = {"media page 2": (403, "rest_forbidden")}
        assert _fetch(site, tmp_path / "wp", "--retries", "0") == 1
        err = capsys.readouterr().err
        assert "note:" not in err and "1 failed" in err, err
        assert (tmp_path / "wp" / ".wp-api" / "media" / "page-0001.json").is_file()
        site.refuse_pages = {}
        site.log.clear()
        assert _fetch(site, tmp_path / "wp") == 0  # the next run asks for the page that failed, and only it
    assert site.page_requests("media") == [2]
    addresses = json.loads((tmp_path / "wp" / ".wp-import.json").read_text())["addresses"]
    assert len([link for link in addresses if "/photo-" in link]) == 150


def test_a_term_named_content_does_not_hide_its_list(tmp_path):
    # a list is told from a file of posts by the "content" key every post has; a tag may be named so
    source = _site(tmp_path / "json")
    tags = json.loads((source / "tags.json").read_text())
    tags.append({"id": 8, "name": "Content", "slug": "content", "link": f"{SITE}/tag/content/", "taxonomy": "post_tag"})
    (source / "tags.json").write_text(json.dumps(tags), encoding="utf-8")
    assert main(["convert", str(source), "-o", str(tmp_path / "out"), "-q"]) == 0
    addresses = json.loads((tmp_path / "out" / ".wp-import.json").read_text())["addresses"]
    assert f"{SITE}/tag/content/" in addresses and f"{SITE}/tag/harbour/" in addresses


def test_categories_and_tags_keep_the_descriptions_the_old_site_showed(tmp_path):
    source = _site(tmp_path / "json")
    for kind, described in (("categories", {2: "News from the harbour &amp; the <b>quay</b>."}),
                            ("tags", {7: "Everything about the harbour."})):
        items = json.loads((source / f"{kind}.json").read_text())
        for item in items:
            item["description"] = described.get(item["id"], "")
        (source / f"{kind}.json").write_text(json.dumps(items), encoding="utf-8")
    post = json.loads((source / "posts.json").read_text())
    post[0]["tags"] = [7]
    (source / "posts.json").write_text(json.dumps(post), encoding="utf-8")
    # read straight from the JSON, and from the Markdown convert wrote
    for content in (source, tmp_path / "content"):
        if content != source:
            assert main(["convert", str(source), "-o", str(content / "wp"), "-q"]) == 0
        out = build_site(content, tmp_path / f"out-{content.name}")
        news = html(out / "category" / "news.html").select_one(".page-header .term-description")
        assert news.get_text() == "News from the harbour & the quay."
        harbour = html(out / "tag" / "harbour.html").select_one(".page-header .term-description")
        assert harbour.get_text() == "Everything about the harbour."
        # and it is the page's description for search engines and link previews
        assert html(out / "tag" / "harbour.html").select_one("meta[name=description]")["content"] == (
            "Everything about the harbour.")
        assert not html(out / "author" / "ann-lee.html").select(".term-description")


def test_fetch_asks_for_the_descriptions():
    from pelican_wp_import.fetch import FetchSettings

    for kind in ("categories", "tags"):
        assert "description" in FetchSettings("https://x.example", Path("o")).query(1, kind)["_fields"].split(",")
