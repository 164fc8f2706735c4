"""The old site's addresses that no post carries: archives and attachment pages, from the sidecars."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import build_site
from pelican_wp_import.cli import main
from pelican_wp_import.oldsite import OldAddress, as_records, from_records, from_sidecars
from pelican_wp_import.redirects import check_addresses, resolve_address
from pelican_wp_import.resolve import Sidecars

SITE = "https://old.example"


def _sidecars() -> dict[str, list[dict]]:
    return {
        "categories": [{"id": 2, "name": "News", "slug": "news", "link": f"{SITE}/category/news/"},
                       {"id": 3, "name": "Arts &amp; Crafts", "slug": "arts", "link": f"{SITE}/category/news/arts/"},
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
    assert found["/category/news/arts/"] == OldAddress(f"{SITE}/category/news/arts/", "category", "Arts & Crafts")
    assert found["/author/ann/"].name == "Ann Lee"  # as the byline is shown
    assert found["/2024/05/ferry/dock-photo/"].post == 10
    assert "/unattached/" not in found  # an upload of no post: nowhere to send it
    assert from_records(as_records(list(found.values()))) == list(found.values())
    assert from_records({"x": {"kind": "nonsense"}, "y": "text", f"{SITE}/t/": {"kind": "tag", "name": 3}}) == [
        OldAddress(f"{SITE}/t/", "tag", "")]


EXPECTED = {
    "category/news/": "category/news.html",  # the post's category
    "category/news/arts/": "archives.html",  # no post of it imported: the archives
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
    assert check_addresses(out, ["elsewhere/lost/"]) == ["elsewhere/lost/: no file elsewhere/lost/index.html"]


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
