"""Old WordPress addresses keep working: posts at their permalinks, stubs and maps for everything else,
checked on a 200-post build by resolving every address WordPress answered."""
from __future__ import annotations

import json
import math
import os
import shutil
import sys
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import CONTENT, ROOT
from helpers import build_site, html, permalink_page
from pelican_wp_import.cli import main
from pelican_wp_import.permalinks import base_path, file_of, keep_permalinks, old_path
from pelican_wp_import.redirects import (Entry, Listing, NewSite, address_map, check_addresses, id_map,
                                         is_stub, merge_redirects, nginx_map, redirects_file, resolve_address,
                                         stub_href, stub_html, write_stubs)

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_posts  # noqa: E402

# --- old paths and kept permalinks ------------------------------------------------------------------------


@pytest.mark.parametrize("link, base, path", [
    ("https://site.example/2023/09/05/some-slug/", "", "2023/09/05/some-slug/"),
    ("https://site.example/blog/2023/09/05/some-slug/", "blog/", "2023/09/05/some-slug/"),
    ("https://site.example/news/a-post", "", "news/a-post"),
    ("https://site.example/2019/05/post.html", "", "2019/05/post.html"),
    ("https://site.example/%d0%bf%d1%80%d0%b8/", "", "при/"),
    ("https://site.example/?p=123", "", ""),
    ("https://site.example/?page_id=7", "", ""),
    ("https://site.example/news/a-post/?lang=en", "", ""),
    ("https://site.example/", "", ""),
    ("https://site.example/blog/", "blog/", ""),
    ("https://site.example/shop/item/", "blog/", ""),  # not WordPress's: it lived in /blog/
    ("https://site.example/blogroll/x/", "blog/", ""),
    ("https://site.example/blog/a/", "Blog/", "a/"),  # the setting's case is a slip, not another folder
    ("https://site.example/bl%C3%B6g/a/", "blög/", "a/"),
    ("https://site.example/index.php", "", ""),
    ("https://site.example/a/../../etc/", "", ""),
    ("https://site.example/a//b/", "", ""),
    ("https://site.example/a%3Ab/", "", ""),
    ("", "", ""),
])
def test_old_path_of_a_permalink(link, base, path):
    assert old_path(link, base) == path


@pytest.mark.parametrize("setting, base", [("/blog/", "blog/"), ("blog", "blog/"), ("https://x.example/blog", "blog/"),
                                           ("/bl%C3%B6g/", "blög/"),
                                           ("", ""), ("/", ""), (None, "")])
def test_old_base_setting(setting, base):
    assert base_path(setting) == base


@pytest.mark.parametrize("path, output", [("a/b/", "a/b/index.html"), ("a/b", "a/b/index.html"),
                                          ("a/b.html", "a/b.html"), ("", "index.html")])
def test_file_answering_a_path(path, output):
    assert file_of(path) == output


def _content(link="", slug="x", **metadata):
    metadata = {"wp_link": link, **metadata} if link else metadata
    return SimpleNamespace(metadata=metadata, save_as=f"{slug}.html", url=f"{slug}.html")


def test_kept_permalinks_first_claim_wins_and_own_addresses_stay():
    first = _content("https://x.example/news/same/", "first")
    second = _content("https://x.example/news/same/", "second")
    own = _content("https://x.example/news/own/", "own", save_as="custom/own.html")
    plain = _content("https://x.example/?p=5", "plain")
    blocked = _content("https://x.example/taken.html", "blocked")
    holder = _content(slug="taken")  # a hand-written post already writes taken.html
    archives = _content("https://x.example/archives.html")  # Pelican writes archives.html itself
    moved = keep_permalinks([first, second, own, plain, blocked, holder, archives], {"DIRECT_TEMPLATES": ["archives"]})
    assert moved == 1
    assert (first.override_url, first.override_save_as) == ("news/same/", "news/same/index.html")
    for content in (second, own, plain, blocked, holder, archives):
        assert not hasattr(content, "override_save_as")
    assert keep_permalinks([_content("https://x.example/a/")], {"WP_IMPORT_KEEP_PERMALINKS": False}) == 0
    based = _content("https://x.example/blog/a/")
    keep_permalinks([based], {"WP_IMPORT_OLD_BASE": "/blog/"})
    assert based.override_save_as == "a/index.html"


# --- the map, from plain records -------------------------------------------------------------------------

SITE = NewSite(
    entries=[Entry("2023/09/05/ferry/", "https://old.example/2023/09/05/ferry/", 5),  # kept its permalink
             Entry("moved.html", "https://old.example/news/moved/", 6),  # Pelican's address
             Entry("pages/about.html", "https://old.example/?page_id=7", 7),  # a plain link: only its id
             Entry("hand.html")],  # not from WordPress
    home=Listing(["index.html", "index2.html"], "feeds/all.atom.xml", count=12),
    archives="archives.html",
    categories={"news": Listing(["category/news.html"], "feeds/news.atom.xml", count=3)},
    tags={"ferry": Listing(["tag/ferry.html"], count=1)},
    authors={"jdoe": Listing(["author/jane-doe.html", "author/jane-doe2.html"], count=25)},
    periods={(2023,): "archives/2023.html", (2023, 9): "archives/2023/09.html"},
    dates=[date(2023, 9, 5)])


def test_address_map_of_every_old_address():
    assert address_map(SITE) == {
        "2023/09/05/ferry/feed/": "2023/09/05/ferry/",
        "2023/09/05/ferry/amp/": "2023/09/05/ferry/",
        "news/moved/": "moved.html",
        "news/moved/feed/": "moved.html",
        "news/moved/amp/": "moved.html",
        "page/2/": "index2.html",
        "feed/": "feeds/all.atom.xml",
        "feed/atom/": "feeds/all.atom.xml",
        "feed/rss/": "feeds/all.atom.xml",
        "feed/rss2/": "feeds/all.atom.xml",
        "feed/rdf/": "feeds/all.atom.xml",
        "rss/": "feeds/all.atom.xml",
        "comments/feed/": "feeds/all.atom.xml",
        "category/news/": "category/news.html",
        "category/news/feed/": "feeds/news.atom.xml",
        "tag/ferry/": "tag/ferry.html",
        "tag/ferry/feed/": "tag/ferry.html",  # no tag feeds: the tag's page
        "author/jdoe/": "author/jane-doe.html",
        "author/jdoe/page/2/": "author/jane-doe2.html",
        "author/jdoe/page/3/": "author/jane-doe2.html",  # WordPress had 3 pages of 10, the new site 2
        "author/jdoe/feed/": "author/jane-doe.html",
        "2023/": "archives/2023.html",
        "2023/09/": "archives/2023/09.html",
        "2023/09/05/": "archives/2023/09.html",  # no day archives: the month's
    }


def test_a_date_archive_s_later_pages_go_to_the_period_page():
    # WordPress showed 10 posts a page: 25 posts of March 2024 were /2024/03/page/2/ and /page/3/
    days = [date(2024, 3, 1 + n % 28) for n in range(25)] + [date(2024, 4, 2)]
    site = NewSite([], Listing(["index.html"]), "archives.html", periods={(2024, 3): "archives/2024/03.html"},
                   dates=days)
    rules = address_map(site)
    assert rules["2024/03/page/2/"] == rules["2024/03/page/3/"] == "archives/2024/03.html"
    assert "2024/03/page/4/" not in rules and "2024/04/page/2/" not in rules
    assert rules["2024/page/3/"] == "archives.html" and "2024/page/4/" not in rules  # 26 posts that year


def test_a_slug_that_is_not_ascii_is_a_path_a_web_server_finds():
    # WordPress gives such slugs percent-encoded; the stub's folder must be named by the decoded path
    site = NewSite([], Listing(["index.html"]), "archives.html", tags={"%c3%a9t%c3%a9": Listing(["tag/ete.html"])},
                   categories={"%c3%b3pini%c3%b3n": Listing(["category/opinion.html"])})
    rules = address_map(site)
    assert rules["tag/été/"] == "tag/ete.html" and rules["category/ópinión/"] == "category/opinion.html"
    assert not any("%" in old for old in rules)


def test_bases_and_old_folder_and_archives_when_there_are_no_period_pages():
    site = NewSite([Entry("a.html", "https://old.example/blog/topics/a/", 1)], Listing(["index.html"]),
                   "archives.html", categories={"n": Listing(["category/n.html"])}, dates=[date(2024, 1, 2)])
    rules = address_map(site, old_base="/blog/", category_base="topics", tag_base="label")
    assert rules["topics/a/"] == "a.html" and rules["topics/n/"] == "category/n.html"
    assert rules["2024/"] == rules["2024/01/"] == rules["2024/01/02/"] == "archives.html"
    assert rules["feed/"] == "index.html"  # no feed: the home page


def _site_of_one_post(tmp_path: Path, front: str, body: str = "Body.") -> Path:
    """A content folder holding one Markdown post."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
    return content


def test_a_child_category_s_address_and_a_base_of_the_site_s_own_are_kept(tmp_path):
    content = _site_of_one_post(
        tmp_path, "title: A\ndate: 2024-01-02 10:00:00+00:00\nslug: a\nwp_id: 3\ncategory: Apple Event\n"
        "categories: [Apple Event]\ntags: [Cities]\nwp_terms: {Apple Event: apple-event, Cities: cities}\n"
        "wp_term_paths: {Apple Event: /category/liveblogs/apple-event/, Cities: /wp-tag/cities/}\n")
    out = build_site(content, tmp_path / "output")
    assert resolve_address(out, "category/liveblogs/apple-event/") == "category/apple-event.html"
    assert resolve_address(out, "category/apple-event/") == "category/apple-event.html"  # as before
    assert resolve_address(out, "wp-tag/cities/") == "tag/cities.html"


def test_id_map_covers_posts_and_pages():
    assert id_map(SITE.entries) == {"5": "2023/09/05/ferry/", "6": "moved.html", "7": "pages/about.html"}


# --- what is written -------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, site_url, href", [
    ("category/news/", "category/news.html", "", "../news.html"),
    ("2023/09/05/", "archives/2023/09.html", "", "../../../archives/2023/09.html"),
    ("news/moved/feed/", "news/moved/", "", "../"),
    ("feed/", "", "", "../"),
    ("news/moved/", "при/", "", "../../%D0%BF%D1%80%D0%B8/"),
    ("old.html", "new.html", "", "new.html"),
    ("news/moved.html", "news/", "", "./"),
    ("news/moved/", "news/moved/amp.html", "", "amp.html"),
    ("a/b/c/", "a/x/./y/../z.html", "", "../../x/z.html"),
    ("page/2/", "", "", "../../"),
    ("category/news/", "category/news.html", "https://new.example/blog", "https://new.example/blog/category/news.html"),
])
def test_stub_links_are_relative_unless_the_site_url_is_absolute(old, new, site_url, href):
    assert stub_href(old, new, site_url) == href


def test_stub_page_moves_on_at_once_and_is_not_indexed():
    page = stub_html("../news.html?a=1&b=2")
    assert '<meta http-equiv="refresh" content="0; url=../news.html?a=1&amp;b=2">' in page
    assert '<link rel="canonical" href="../news.html?a=1&amp;b=2">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert '<a href="../news.html?a=1&amp;b=2">' in page


RULES = {"category/news/": "category/news.html", "news/при/": "2023/09/при/"}
IDS = {"5": "2023/09/05/ferry/"}


def test_redirects_file_for_netlify_and_cloudflare_pages():
    assert redirects_file(RULES, IDS) == (
        "# Old WordPress addresses, written by pelican_wp_import from here on.\n"
        "# The ?p= and ?page_id= lines are Netlify's query form; Cloudflare Pages skips them.\n"
        "/category/news/ /category/news.html 301\n"
        "/news/%D0%BF%D1%80%D0%B8/ /2023/09/%D0%BF%D1%80%D0%B8/ 301\n"
        "/ p=5 /2023/09/05/ferry/ 301\n"
        "/ page_id=5 /2023/09/05/ferry/ 301\n")
    # a site published in a folder (a GitHub project site) has its old addresses in that folder too
    assert "/blog/category/news/ /blog/category/news.html 301\n" in redirects_file(RULES, IDS, "https://x.example/blog")
    assert "/blog/ p=5 /blog/2023/09/05/ferry/ 301\n" in redirects_file(RULES, IDS, "https://x.example/blog/")


def test_a_sites_own_redirects_come_first_and_ours_are_replaced():
    ours = redirects_file(RULES, IDS)
    merged = merge_redirects("/shop /store 302\n", ours)
    assert merged == "/shop /store 302\n\n" + ours
    assert merge_redirects(merged, redirects_file({}, {})) == "/shop /store 302\n\n" + redirects_file({}, {})
    assert merge_redirects("", ours) == ours


def test_nginx_map():
    assert nginx_map(RULES, IDS) == (
        "# Old WordPress addresses, written by pelican_wp_import. Include this file in nginx's http block, then in\n"
        "# the server block:  if ($wp_redirect) { return 301 $wp_redirect; }\n"
        "map $request_uri $wp_redirect {\n"
        '    default "";\n'
        '    "/category/news/" "/category/news.html";\n'
        '    "/news/%D0%BF%D1%80%D0%B8/" "/2023/09/%D0%BF%D1%80%D0%B8/";\n'
        '    "/news/%d0%bf%d1%80%d0%b8/" "/2023/09/%D0%BF%D1%80%D0%B8/";\n'  # as WordPress wrote it
        '    "/?p=5" "/2023/09/05/ferry/";\n'
        '    "/?page_id=5" "/2023/09/05/ferry/";\n'
        "}\n")
    assert '"/a%24b/" "/x%22y";' in nginx_map({"a$b/": 'x"y'}, {})  # nothing nginx would read as a variable


def test_stubs_never_overwrite_a_page_someone_made(tmp_path):
    built = tmp_path / "category" / "news" / "index.html"
    built.parent.mkdir(parents=True)
    built.write_text("<html>made by the build</html>")
    earlier = tmp_path / "tag" / "ferry" / "index.html"
    earlier.parent.mkdir(parents=True)
    earlier.write_text(stub_html("../old-target.html"))
    (tmp_path / "blocked").write_text("a file where a folder would go")
    written = write_stubs(tmp_path, {"category/news/": "category/news.html", "tag/ferry/": "tag/ferry.html",
                                     "feed/": "feeds/all.atom.xml", "blocked/x/": "a.html"})
    assert written == ["tag/ferry/", "feed/"]
    assert built.read_text() == "<html>made by the build</html>"
    assert "../ferry.html" in earlier.read_text()  # our own stub from an earlier build is brought up to date
    assert is_stub(tmp_path / "feed" / "index.html") and not is_stub(built)


def test_a_stub_that_says_the_same_is_not_written_again(tmp_path):
    rules = {"feed/": "feeds/all.atom.xml", "tag/ferry/": "tag/ferry.html"}
    assert write_stubs(tmp_path, rules) == ["feed/", "tag/ferry/"]
    same, moved = tmp_path / "feed" / "index.html", tmp_path / "tag" / "ferry" / "index.html"
    for stub in (same, moved):
        os.utime(stub, ns=(10**18, 10**18))
    assert write_stubs(tmp_path, {**rules, "tag/ferry/": "tags/ferry.html"}) == ["feed/", "tag/ferry/"]
    assert same.stat().st_mtime_ns == 10**18 and same.read_text() == stub_html("../feeds/all.atom.xml")
    assert moved.stat().st_mtime_ns != 10**18 and moved.read_text() == stub_html("../../tags/ferry.html")


def test_a_build_reads_each_stub_once_and_rewrites_only_what_changed(tmp_path, monkeypatch):
    """write_redirects hands the stubs it read to learn they are ours to the writer, which compares
    them with what it would write instead of opening them again."""
    from pelican_wp_import.redirects import write_redirects

    settings = {"WP_IMPORT_REDIRECT_STUBS": True, "WP_IMPORT_REDIRECTS_FILE": "", "WP_IMPORT_NGINX_MAP": "",
                "WP_IMPORT_IDS_MAP": "", "RELATIVE_URLS": True}
    long_target = "tags/" + "x" * 9000 + ".html"  # a stub longer than what is read to find the mark
    rules = {"feed/": "feeds/all.atom.xml", "tag/ferry/": "tag/ferry.html", "tag/long/": long_target,
             "tag/tail/": "tag/tail.html"}
    write_redirects(tmp_path, rules, {}, settings)
    files = {old: tmp_path / old / "index.html" for old in rules}
    tail = files["tag/tail/"].read_text()
    files["tag/tail/"].write_text(tail + "<!-- and more -->")
    for stub in files.values():
        os.utime(stub, ns=(10**18, 10**18))
    opened = []
    real_open = os.open  # what files are read and written through, stubs included

    def counting_open(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting_open)
    live = write_redirects(tmp_path, {**rules, "tag/ferry/": "tags/ferry.html"}, {}, settings)
    monkeypatch.undo()
    assert live.keys() == rules.keys()
    assert files["feed/"].stat().st_mtime_ns == 10**18  # the same: not written
    assert files["tag/long/"].stat().st_mtime_ns == 10**18 and long_target in files["tag/long/"].read_text()
    assert files["tag/ferry/"].read_text() == stub_html("../../tags/ferry.html")
    assert files["tag/tail/"].read_text() == tail  # more than the stub: written again
    assert sorted(opened).count(str(files["feed/"])) == 1


# --- real builds -------------------------------------------------------------------------------------------

CORPUS_SIZE = 200
COAUTHORS = [("Ingrid Haugen", "cap-ingrid-haugen"), ("Aisha Bello", "cap-aisha-bello")]


def _corpus_posts() -> list[dict]:
    """bench/corpus.py's posts with the permalinks real sites have: category/slug (the corpus's own),
    year/month/day/slug, a plain ?p= link, and Co-Authors Plus bylines."""
    posts = make_posts(CORPUS_SIZE, seed=7)
    for number, post in enumerate(posts):
        when = datetime.fromisoformat(post["date"])
        if number % 3 == 1:
            post["link"] = f"https://news.example/{when:%Y/%m/%d}/{post['slug']}/"
        if number % 50 == 7:
            post["link"] = f"https://news.example/?p={post['id']}"
        if number % 40 == 3:
            post["_embedded"]["wp:term"].append([{"id": 900 + i, "name": name, "slug": slug, "taxonomy": "author"}
                                                 for i, (name, slug) in enumerate(COAUTHORS)])
    return posts


ABOUT = {"id": 4000, "date": "2015-06-01T10:00:00", "date_gmt": "2015-06-01T08:00:00", "slug": "about-us",
         "status": "publish", "type": "page", "link": "https://news.example/about-us/",
         "title": {"rendered": "About us"}, "content": {"rendered": "<p>Who we are.</p>"}}


def _write_corpus(content: Path) -> list[dict]:
    posts = _corpus_posts()
    content.mkdir(parents=True)
    (content / "posts-1.json").write_text(json.dumps(posts[:100]))  # a page of the REST API
    for post in posts[100:]:
        (content / f"post-{post['id']}.json").write_text(json.dumps(post))  # one post a file
    (content / "pages").mkdir()
    (content / "pages" / "about-us.json").write_text(json.dumps(ABOUT))
    return posts


def old_addresses(posts: list[dict]) -> dict[str, str]:
    """Every address WordPress answered for these posts -> the title of the post it shows ('' for a list)."""
    addresses = {"feed/": "", "comments/feed/": "", "rss/": ""}
    listed = [post for post in posts if post.get("type", "post") == "post"]
    addresses.update({f"page/{n}/": "" for n in range(2, math.ceil(len(listed) / 10) + 1)})  # 10 a page
    for post in posts:
        title = post["title"]["rendered"].replace("&amp;", "&")
        link = urlsplit(post["link"])
        addresses[f"?p={post['id']}"] = title
        if not link.query:
            path = link.path.lstrip("/")
            addresses.update({path: title, path + "feed/": title, path + "amp/": title})
        for group in post.get("_embedded", {}).get("wp:term", []):
            for term in group:
                base = {"category": "category", "post_tag": "tag", "author": "author"}[term["taxonomy"]]
                slug = term["slug"].removeprefix("cap-")
                addresses.update({f"{base}/{slug}/": "", f"{base}/{slug}/feed/": ""})
        for user in post.get("_embedded", {}).get("author", []):
            addresses[f"author/{user['slug']}/"] = ""
        if post.get("type") == "page":
            continue  # date archives list posts only
        year, month, day = post["date"][:10].split("-")
        addresses.update({f"{year}/": "", f"{year}/{month}/": "", f"{year}/{month}/{day}/": ""})
    return addresses


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("redirects")
    posts = _write_corpus(root / "content")
    return posts, build_site(root / "content", root / "output")


def _resolves_to_titles(out: Path, addresses: dict[str, str]) -> None:
    assert check_addresses(out, addresses) == []
    for address, title in addresses.items():
        if title:
            page = html(out / resolve_address(out, address))
            assert page.select_one("h1.p-name").get_text(strip=True) == title, address


def test_every_old_address_of_a_200_post_site_resolves(corpus_site):
    posts, out = corpus_site
    addresses = old_addresses(posts + [ABOUT])
    assert len(addresses) > 900
    _resolves_to_titles(out, addresses)
    # posts keep their permalinks as real pages; a ?p= link has only its id
    for post in posts[:20]:
        if "?p=" not in post["link"]:
            assert permalink_page(out, post["link"]).exists() and not is_stub(permalink_page(out, post["link"]))
    assert resolve_address(out, "about-us/") == "about-us/index.html"
    assert resolve_address(out, "category/science/feed/") == "feeds/category/science.atom.xml"
    assert resolve_address(out, "author/ingrid-haugen/") == "author/ingrid-haugen.html"  # a co-author's archive
    assert resolve_address(out, "author/newsroom/") == "archives.html"  # the account no byline names
    assert resolve_address(out, "2016/01/") == "archives/2016/01.html"
    assert resolve_address(out, "page/3/") == "index3.html"


def test_the_check_finds_what_does_not_resolve(corpus_site):
    _, out = corpus_site
    problems = check_addresses(out, ["no-such-post/", "?p=1", "category/science/"])
    assert problems == ["no-such-post/: no file no-such-post/index.html", "?p=1: no entry for ?p=1 in wp-ids.json"]


def test_maps_beside_the_site_agree_with_the_stubs(corpus_site):
    posts, out = corpus_site
    ids = json.loads((out / "wp-ids.json").read_text())
    assert len(ids) == CORPUS_SIZE + 1
    plain = next(p for p in posts if "?p=" in p["link"])
    assert ids[str(plain["id"])] == f"{plain['slug']}.html"  # no permalink to keep: Pelican's address
    redirects = (out / "_redirects").read_text().splitlines()
    nginx = (out / "wp-redirects.nginx.conf").read_text()
    assert f"/ p={plain['id']} /{plain['slug']}.html 301" in redirects
    assert "/category/science/ /category/science.html 301" in redirects
    assert '    "/category/science/" "/category/science.html";\n' in nginx
    rules = [line.split() for line in redirects if line and not line.startswith("#") and "=" not in line]
    for old, new, status in rules:
        assert status == "301"
        assert is_stub(out / file_of(unquote(old.lstrip("/")))), old  # the file has the address's own characters
        assert (out / file_of(unquote(new.lstrip("/")))).exists(), new
    stubs = [p for p in out.rglob("index.html") if is_stub(p)]
    assert len(stubs) == len(rules)


def test_keeping_permalinks_off_redirects_them_instead(tmp_path):
    posts = _write_corpus(tmp_path / "content")[:30]
    out = build_site(tmp_path / "content", tmp_path / "output", WP_IMPORT_KEEP_PERMALINKS=False)
    ferry = posts[1]  # a year/month/day permalink
    assert (out / f"{ferry['slug']}.html").exists()
    old = urlsplit(ferry["link"]).path.lstrip("/")
    assert is_stub(out / old / "index.html")
    assert resolve_address(out, old) == f"{ferry['slug']}.html"
    _resolves_to_titles(out, old_addresses(posts))


def test_a_site_that_lived_in_a_folder(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    post = json.loads((CONTENT / "2023-01-17-council-votes-to-keep-winter-ferry.json").read_text())
    post["link"] = "https://harbourledger.example/blog/news/council-votes-to-keep-winter-ferry/"
    # the blog's own category archive, and the same path outside the blog (another application of the domain)
    post["content"]["rendered"] += ('<p><a href="https://harbourledger.example/blog/category/news/">ours</a> '
                                    '<a href="https://harbourledger.example/category/news/">not ours</a></p>')
    (content / "post.json").write_text(json.dumps(post))
    out = build_site(content, tmp_path / "output", WP_IMPORT_OLD_BASE="/blog/")
    page = out / "news" / "council-votes-to-keep-winter-ferry" / "index.html"
    assert not (out / "blog").exists()
    links = {a.get_text(): a["href"] for a in html(page).select(".prose a")}
    assert links["not ours"] == "https://harbourledger.example/category/news/"
    assert links["ours"] != "https://harbourledger.example/blog/category/news/"
    assert urljoin("https://new.example/news/council-votes-to-keep-winter-ferry/", links["ours"]).endswith(
        "/category/news.html")


def test_a_base_no_post_lies_under_is_a_warning(tmp_path, caplog):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(CONTENT / "2023-01-17-council-votes-to-keep-winter-ferry.json", content / "post.json")
    out = build_site(content, tmp_path / "output", WP_IMPORT_OLD_BASE="/news-archive/")
    warned = [r.getMessage() for r in caplog.records if "WP_IMPORT_OLD_BASE" in r.getMessage()]
    assert warned == ["WP_IMPORT_OLD_BASE = '/news-archive/': none of the 1 posts' WordPress links (such as "
                      "https://harbourledger.example/news/council-votes-to-keep-winter-ferry/) lies under it, so none "
                      "keeps its old address; set it to the folder WordPress lived in, or to \"\""]
    assert (out / "council-votes-to-keep-winter-ferry.html").exists()
    caplog.clear()
    build_site(content, tmp_path / "output2", WP_IMPORT_OLD_BASE="/news/")  # the post's link is under it
    assert not [r for r in caplog.records if "WP_IMPORT_OLD_BASE" in r.getMessage()]


def test_a_page_the_site_made_at_an_old_address_is_kept(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(CONTENT / "2023-01-17-council-votes-to-keep-winter-ferry.json", content / "post.json")
    (content / "news.md").write_text("---\ntitle: Our news desk\ndate: 2024-01-01 10:00:00+01:00\n"
                                     "save_as: category/news/index.html\nurl: category/news/\n---\n\nBy hand.\n")
    out = build_site(content, tmp_path / "output")
    page = out / "category" / "news" / "index.html"
    assert not is_stub(page) and "By hand." in page.read_text()
    assert "/category/news/ " not in (out / "_redirects").read_text()
    assert is_stub(out / "category" / "news" / "feed" / "index.html")


def test_everything_can_be_turned_off(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(CONTENT / "2023-01-17-council-votes-to-keep-winter-ferry.json", content / "post.json")
    out = build_site(content, tmp_path / "output", WP_IMPORT_REDIRECTS=False)
    assert not (out / "_redirects").exists() and not (out / "wp-ids.json").exists()
    assert not (out / "feed").exists() and not [p for p in out.rglob("*.html") if is_stub(p)]
    assert "<script>" not in (out / "index.html").read_text()
    out = build_site(content, tmp_path / "output2", WP_IMPORT_REDIRECT_STUBS=False, WP_IMPORT_NGINX_MAP="")
    assert (out / "_redirects").exists() and not (out / "wp-redirects.nginx.conf").exists()
    assert not [p for p in out.rglob("*.html") if is_stub(p)]


def test_json_and_converted_markdown_give_the_same_addresses(tmp_path):
    assert main(["convert", str(CONTENT), "--output", str(tmp_path / "md"), "--quiet"]) == 0
    from_json = build_site(CONTENT, tmp_path / "from-json")
    from_md = build_site(tmp_path / "md", tmp_path / "from-md")

    def files(out):
        return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and "theme" not in p.parts)

    assert files(from_json) == files(from_md)
    for name in ("_redirects", "wp-redirects.nginx.conf", "wp-ids.json"):
        assert (from_json / name).read_text() == (from_md / name).read_text(), name


def test_demo_home_page_sends_short_links_on(tmp_path):
    out = build_site(CONTENT, tmp_path / "output")
    scripts = html(out / "index.html").select("head script:not([type])")
    assert len(scripts) == 1 and "wp-ids.json" in scripts[0].string
    assert not html(out / "index2.html").select("script:not([type])")  # only the first page of the index
    assert json.loads((out / "wp-ids.json").read_text())["173"] == "harbour/electric-ferry-ytteroy-arrives/"


def test_a_bios_profile_link_on_the_old_site_leads_to_the_author_page(tmp_path):
    out = build_site(CONTENT, tmp_path / "output")
    assert check_addresses(out, ["/by/maren-okonkwo/", "/by/tobias-lindqvist/"]) == []
    assert resolve_address(out, "/by/maren-okonkwo/") == "author/maren-okonkwo.html"
    rules = (out / "_redirects").read_text().splitlines()
    assert "/by/maren-okonkwo/ /author/maren-okonkwo.html 301" in rules


def test_an_unreadable_old_link_does_not_stop_the_build(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "bad" / "link-unreadable.json", content / "post.json")
    shutil.copy(CONTENT / "2023-01-17-council-votes-to-keep-winter-ferry.json", content / "good.json")
    out = build_site(content, tmp_path / "output")
    assert len([p for p in out.rglob("index.html") if not is_stub(p) and p.parent != out]) >= 1
    assert (out / "link-unreadable.html").exists() or any(out.rglob("link-unreadable*"))


def test_addresses_that_are_not_ascii_resolve_as_a_browser_sends_them(tmp_path):
    content = _site_of_one_post(
        tmp_path, "title: Привет\ndate: 2024-01-03 10:00:00+00:00\nslug: privet\ncategory: Ópinión\n"
        "categories: [Ópinión]\ntags: [Été]\nwp_link: https://site.example/2024/01/03/%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82/\n"
        "wp_terms: {Ópinión: \"%c3%b3pini%c3%b3n\", Été: \"%c3%a9t%c3%a9\"}\n")
    out = build_site(content, tmp_path / "output")
    assert (out / "tag" / "été" / "index.html").is_file()
    encoded_forms = ["tag/%c3%a9t%c3%a9/", "tag/%C3%A9t%C3%A9/", "category/%c3%b3pini%c3%b3n/",
                     "2024/01/03/%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82/"]
    assert check_addresses(out, encoded_forms + ["tag/été/", "2024/01/03/привет/"]) == []
    assert resolve_address(out, "tag/%c3%a9t%c3%a9/") == "tag/ete.html"
    assert check_addresses(out, ["tag/%c3%a9/"]) == ["tag/%c3%a9/: no file tag/é/index.html"]


def test_links_to_the_old_site_s_lists_go_to_the_new_ones(tmp_path):
    # a category, a tag, a month, the feed: their old addresses would lead to the old site, gone or not
    content = _site_of_one_post(
        tmp_path, "title: A\ndate: 2024-01-03 10:00:00+00:00\ncategory: News\ncategories: [News]\ntags: [Blue]\n"
        "wp_link: https://www.site.example/2024/01/03/a/\nwp_id: 1\nwp_terms: {News: news, Blue: blue}\n",
        "See [news](https://site.example/category/news/#top), [blue](https://www.site.example/tag/blue), "
        "[January](/2024/01/), [feed](https://site.example/feed/), [elsewhere](https://other.example/tag/blue/) "
        "and [the shop](https://site.example/shop/). The feed is at https://site.example/feed/ as it was.")
    for site_url, root in (("", "../../../../"), ("https://new.example/blog", "https://new.example/blog/")):
        out = build_site(content, tmp_path / "output", SITEURL=site_url, RELATIVE_URLS=not site_url)
        body = html(out / "2024" / "01" / "03" / "a" / "index.html").select_one(".e-content")
        assert [a["href"] for a in body.select("a")] == [
            root + "category/news.html#top", root + "tag/blue.html", root + "archives/2024/01.html",
            root + "feeds/all.atom.xml",
            "https://other.example/tag/blue/",  # another site's
            "https://site.example/shop/",  # no address the old site is known to have had: left as it is
        ], site_url
        assert "The feed is at https://site.example/feed/ as it was." in body.get_text()  # words, not a link
    off = build_site(content, tmp_path / "off", WP_IMPORT_REDIRECTS=False)
    body = html(off / "2024" / "01" / "03" / "a" / "index.html").select_one(".e-content")
    assert body.select("a")[0]["href"] == "https://site.example/category/news/#top"
