"""The theme's promises, checked on real Pelican builds: microformats, author pages from the posts' bios,
archives, feeds, <head> metadata, and every printed value escaped."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlparse

import pytest

from conftest import CONTENT, ROOT
from helpers import build_site, html, permalink_page, read_markdown
from pelican_wp_import.authors import AuthorProfile, apply_settings, first_sentence, gather_profiles, web_url
from pelican_wp_import.cli import main
from pelican_wp_import.load import load_file
from pelican_wp_import.redirects import is_stub

ATOM = "{http://www.w3.org/2005/Atom}"
MAREN_NEW = "Maren Okonkwo is the Ledger’s local politics editor."
MAREN_OLD = "Maren Okonkwo is a reporter who covers the council"
PROFILE = "https://harbourledger.example/by/{slug}/"


@pytest.fixture(scope="module", autouse=True)
def fresh_pelican_warnings():
    """Pelican's LimitFilter drops any warning already seen in this process; forget ours afterwards,
    so a later build (tests/test_pelican.py counts the demo's warnings) still hears its own."""
    from pelican.log import LimitFilter

    seen, groups = set(LimitFilter._raised_messages), dict(LimitFilter._group_count)
    yield
    LimitFilter._raised_messages.intersection_update(seen)
    LimitFilter._group_count.clear()
    LimitFilter._group_count.update(groups)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return build_site(CONTENT, tmp_path_factory.mktemp("theme") / "output")


def _posts():
    """slug -> WordPress post data, for every published post of the demo content."""
    posts = {}
    for path in CONTENT.rglob("*.json"):
        for post in load_file(path).posts:
            if post.data.get("type", "post") == "post":
                posts[post.data["slug"]] = post.data
    return posts


def _page(out: Path, slug: str) -> Path:
    """A demo post's page, at its WordPress permalink: https://…/science/<slug>/ is science/<slug>/index.html."""
    return permalink_page(out, _posts()[slug]["link"])


def _target(out: Path, page: Path, href: str) -> Path:
    """The output file a relative link of a built page points at."""
    base = "http://site/" + page.relative_to(out).as_posix()
    path = urlparse(urljoin(base, href)).path.lstrip("/")
    return out / (path + "index.html" if path.endswith("/") or not path else path)


def _cards(soup):
    return soup.select("main article.card.h-entry")


def _card_slug(card) -> str:
    return Path(card.select_one(".p-name a.u-url")["href"]).stem


def _index_pages(out: Path) -> list[Path]:
    pages = [out / "index.html"]
    while (nxt := html(pages[-1]).select_one("a[rel=next]")) is not None:
        pages.append(_target(out, pages[-1], nxt["href"]))
    return pages


# --- index ----------------------------------------------------------------------------------------

def test_index_lists_every_article_once_sticky_first_then_newest(demo):
    pages = _index_pages(demo)
    assert len(pages) == 2, "12 articles at 10 a page"
    cards = [card for page in pages for card in _cards(html(page))]
    slugs = [_card_slug(card) for card in cards]
    assert sorted(slugs) == sorted(_posts())
    assert slugs[0] == "electric-ferry-ytteroy-arrives"  # the sticky post
    assert cards[0].find_parent(class_="pinned") is not None
    dates = [datetime.fromisoformat(c.select_one("time.dt-published")["datetime"]) for c in cards[1:]]
    assert dates == sorted(dates, reverse=True)


def test_index_cards_carry_title_date_bylines_summary_and_picture(demo):
    posts = _posts()
    for card in _cards(html(demo / "index.html")):
        slug = _card_slug(card)
        assert card.select_one(".p-name").get_text(strip=True)
        assert card.select_one("time.dt-published[datetime]")
        assert card.select(".p-author.h-card") and all(a["href"].startswith("./author/")
                                                       for a in card.select(".p-author"))
        assert card.select_one(".p-summary").get_text(strip=True)
        picture = card.select_one("img.card-image")
        assert (picture is not None) == bool(posts[slug].get("featured_media")), slug
    choir = next(c for c in _cards(html(demo / "index.html")) if _card_slug(c) == "ytteroy-choir-wins-national-prize")
    assert choir.select_one("img")["alt"].startswith("About thirty singers in dark clothes")


# --- article --------------------------------------------------------------------------------------

def test_article_is_an_h_entry(demo):
    page = _page(demo, "students-tag-basking-shark")
    entry = html(page).select_one("article.h-entry")
    assert entry.select_one(".p-name").get_text(strip=True).startswith("Students tag basking shark")
    published = entry.select_one("time.dt-published")["datetime"]
    assert datetime.fromisoformat(published) == datetime.fromisoformat("2024-07-15T19:40:00+02:00")
    assert entry.select_one("time.dt-updated")["datetime"]
    authors = entry.select(".article-header .p-author.h-card")
    assert [a.get_text() for a in authors] == ["Tobias Lindqvist", "Maren Okonkwo"]
    assert all(_target(demo, page, a["href"]).exists() for a in authors)
    assert entry.select_one(".article-header .p-category").get_text() == "Science"
    tags = [a.get_text() for a in entry.select("a.p-category[rel=tag]")]
    assert "Marine life" in tags
    body = entry.select_one(".e-content")
    assert "satellite tag" in body.get_text()
    assert not body.select(".bio-box, .p-author"), "bios sit after the body, not in it"


def test_article_ends_with_a_bio_box_per_author_in_the_words_of_that_post(demo):
    page = _page(demo, "fish-landings-fall-third-year")
    boxes = html(page).select("article.h-entry footer .bio-box.h-card")
    assert [b.select_one(".p-name").get_text() for b in boxes] == ["Declan Fitzgerald", "Ruth A. Petersen"]
    assert boxes[1].select_one(".p-note").get_text().startswith("Ruth A. Petersen is the Ledger’s data editor")
    assert all(_target(demo, page, b.select_one("a.p-name")["href"]).exists() for b in boxes)
    old = html(_page(demo, "council-votes-to-keep-winter-ferry")).select_one(".bio-box .p-note").get_text()
    new = html(_page(demo, "saltvik-2025-budget-explained")).select_one(".bio-box .p-note").get_text()
    assert old.startswith(MAREN_OLD) and new.startswith(MAREN_NEW)


def test_articles_link_to_the_previous_and_next(demo):
    newest, oldest = _page(demo, "ytteroy-choir-wins-national-prize"), _page(demo, "council-votes-to-keep-winter-ferry")
    assert html(newest).select_one("a[rel=next]") is None
    assert html(oldest).select_one("a[rel=prev]") is None
    middle = _page(demo, "saltvik-2025-budget-explained")
    soup = html(middle)
    # from news/saltvik-2025-budget-explained/ to culture/ytteroy-choir-wins-national-prize/
    assert soup.select_one("a[rel=next]")["href"] == "../../culture/ytteroy-choir-wins-national-prize/"
    assert _target(demo, middle, soup.select_one("a[rel=next]")["href"]) == newest
    previous = _page(demo, "krakeholmen-station-budget-cut")
    assert _target(demo, middle, soup.select_one("a[rel=prev]")["href"]) == previous


def _neighbour_links(out: Path) -> dict[str, list[tuple[str, str]]]:
    return {page.relative_to(out).as_posix(): [(a["rel"][0], a["href"]) for a in html(page).select("nav.neighbours a")]
            for page in sorted(out.rglob("post-*.html"))}


@pytest.mark.parametrize("newest_first", [True, False])
def test_previous_and_next_are_the_same_without_the_plugin(tmp_path, newest_first):
    """The plugin gives each article its neighbours once for all; the theme alone finds them itself."""
    content = tmp_path / "content"
    content.mkdir()
    for day in (3, 1, 4, 2):
        (content / f"post-{day}.md").write_text(f"Title: Post {day}\nDate: 2024-01-0{day}\n\nText {day}.\n")
    built = {}
    for plugins in ('["pelican_wp_import"]', "[]"):
        out = tmp_path / f"out-{len(plugins)}"
        # separate processes: a plugin's signal handlers stay connected for the rest of a process
        subprocess.run([sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"), "-o",
                        str(out), "-q", "-e", f"PLUGINS={plugins}", f"NEWEST_FIRST_ARCHIVES={str(newest_first).lower()}",
                        "ARTICLE_SAVE_AS=\"{slug}.html\"", "ARTICLE_URL=\"{slug}.html\""],
                       check=True, cwd=ROOT, capture_output=True)
        built[plugins] = _neighbour_links(out)
    assert built["[]"] == built['["pelican_wp_import"]']
    assert built["[]"]["post-2.html"] == [("prev", "./post-1.html"), ("next", "./post-3.html")]
    assert built["[]"]["post-1.html"] == [("next", "./post-2.html")]


def test_the_plugin_gives_each_article_its_neighbours_in_date_order():
    from pelican_wp_import import mark_neighbours

    first, second, third, draft = (SimpleNamespace(title=t) for t in ("first", "second", "third", "draft"))
    mark_neighbours(SimpleNamespace(dates=[first, second, third], drafts=[draft]))
    assert first.wp_neighbours == (None, second)
    assert second.wp_neighbours == (first, third)
    assert third.wp_neighbours == (second, None)
    assert draft.wp_neighbours is None


def test_featured_picture_shows_once_with_its_alt_text(demo):
    # the ferry post has its picture in the body too: the page shows it once
    ferry = html(_page(demo, "electric-ferry-ytteroy-arrives")).select("article img")
    assert len(ferry) == 1
    lanterns = html(_page(demo, "lanternfest-2023-review")).select_one("figure.lead-image img.u-featured")
    assert lanterns["alt"] == "Paper lanterns drifting past the breakwater at dusk"


def test_page_from_wordpress_is_in_the_navigation(demo):
    nav = html(demo / "index.html").select_one("nav[aria-label=Main]")
    assert "About the Ledger" in [a.get_text() for a in nav.select("a")]
    about = html(demo / "about" / "index.html")  # its WordPress permalink, /about/
    assert about.select_one("h1.p-name").get_text() == "About the Ledger"
    assert about.select_one(".e-content").get_text(strip=True).startswith("The Harbour Ledger is an independent")


# --- authors --------------------------------------------------------------------------------------

def test_author_page_is_an_h_card_with_the_newest_bio(demo):
    page = demo / "author" / "maren-okonkwo.html"
    card = html(page).select_one(".h-card.author-card")
    assert card.select_one(".p-name").get_text() == "Maren Okonkwo"
    assert card.select_one(".p-note").get_text().startswith(MAREN_NEW)
    assert card.select_one("a.u-url")["href"] == PROFILE.format(slug="maren-okonkwo")
    feed = card.select_one("a.feed-link")
    assert _target(demo, page, feed["href"]) == demo / "feeds" / "author" / "maren-okonkwo.atom.xml"
    assert (demo / "feeds" / "author" / "maren-okonkwo.atom.xml").exists()
    slugs = {_card_slug(c) for c in _cards(html(page))}
    written = {slug for slug, post in _posts().items() if "Maren Okonkwo" in json.dumps(post)}
    assert slugs == written and len(slugs) == 5


def test_every_author_page_shows_the_bio_of_their_newest_post_that_has_one(demo, tmp_path):
    # what the posts say, read independently through the command's Markdown front matter
    assert main(["convert", str(CONTENT), "--output", str(tmp_path / "md"), "--quiet"]) == 0
    newest: dict[str, tuple[datetime, str]] = {}
    for path in (tmp_path / "md").rglob("*.md"):
        meta, _ = read_markdown(path)
        for record in meta.get("author_bios") or []:
            if record.get("bio") and (record["name"] not in newest or meta["date"] > newest[record["name"]][0]):
                newest[record["name"]] = (meta["date"], record["bio"])
    pages = sorted((demo / "author").glob("*.html"))
    assert len(pages) == len(newest) == 5
    for page in pages:
        card = html(page).select_one(".author-card")
        name = card.select_one(".p-name").get_text()
        assert card.select_one(".p-note").get_text() == newest[name][1], name


def test_profile_link_survives_when_the_newest_bio_has_none(demo):
    # Tobias's newest post has his bio without a link; an older one had the link
    card = html(demo / "author" / "tobias-lindqvist.html").select_one(".author-card")
    assert card.select_one(".p-note").get_text().startswith("Dr. Tobias Lindqvist is the Ledger’s science")
    assert card.select_one("a.u-url")["href"] == PROFILE.format(slug="tobias-lindqvist")


def test_authors_index_has_everyone_with_a_short_bio_and_count(demo):
    items = html(demo / "authors.html").select("li.h-card")
    found = {i.select_one(".p-name").get_text(): (i.select_one(".p-note").get_text(), i.select_one(".count").get_text())
             for i in items}
    assert len(found) == len(items) == 5
    assert found["Maren Okonkwo"] == (MAREN_NEW, "5 articles")
    assert found["Tobias Lindqvist"][0] == "Dr. Tobias Lindqvist is the Ledger’s science correspondent."
    assert found["Ruth A. Petersen"][0] == "Ruth A. Petersen is the Ledger’s data editor."
    assert found["Ana Ruiz-Castillo"][1] == "3 articles"


def test_seed_authors_get_pages_with_their_bios(seed_path, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(seed_path, content / "seed.json")
    out = build_site(content, tmp_path / "output")
    wong = html(out / "author" / "edward-wong.html").select_one(".author-card")
    barnes = html(out / "author" / "julian-e-barnes.html").select_one(".author-card")
    assert wong.select_one(".p-name").get_text() == "Edward Wong"
    assert wong.select_one(".p-note").get_text().startswith("Edward Wong is a diplomatic correspondent")
    assert barnes.select_one(".p-note").get_text().startswith("Julian E. Barnes is a national security reporter")
    assert barnes.select_one(".p-note").get_text().endswith("for The Wall Street Journal.")
    authors = {i.select_one(".p-name").get_text() for i in html(out / "authors.html").select("li.h-card")}
    assert authors == {"Edward Wong", "Julian E. Barnes"}


def _post(folder: Path, name: str, front: str, body: str = "Body text.") -> None:
    (folder / name).write_text(f"---\n{front.strip()}\n---\n\n{body}\n", encoding="utf-8")


def test_settings_add_and_override_bio_photo_and_links(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    _post(content, "one.md", """
title: One
date: 2024-02-03 10:00:00+01:00
authors: [Ada Lovelace, Grace Hopper]
author_bios:
  - {name: Ada Lovelace, bio: Ada Lovelace writes in the post., source: post}
""")
    out = build_site(content, tmp_path / "output", WP_IMPORT_AUTHORS={
        "Grace Hopper": {"bio": "Grace Hopper, set by hand.", "photo": "images/grace.jpg",
                         "links": {"Website": "https://grace.example/"}},
        "ada lovelace": {"bio": "Ada, corrected by hand.", "url": "https://ada.example/"}})
    grace = html(out / "author" / "grace-hopper.html").select_one(".author-card")
    assert grace.select_one(".p-note").get_text() == "Grace Hopper, set by hand."
    assert grace.select_one("img.u-photo")["src"] == "../images/grace.jpg"
    assert grace.select_one("img.u-photo")["alt"] == "Grace Hopper"
    assert [a["href"] for a in grace.select("a.u-url")] == ["https://grace.example/"]
    ada = html(out / "author" / "ada-lovelace.html").select_one(".author-card")
    assert ada.select_one(".p-note").get_text() == "Ada, corrected by hand."
    assert ada.select_one("a.u-url")["href"] == "https://ada.example/"
    boxes = {b.select_one(".p-name").get_text(): b.select_one(".p-note").get_text()
             for b in html(out / "one.html").select(".bio-box")}
    assert boxes == {"Ada Lovelace": "Ada, corrected by hand.", "Grace Hopper": "Grace Hopper, set by hand."}


def test_a_site_that_keeps_its_old_domain_does_not_link_the_old_author_page(tmp_path):
    # the build sends the old /by/ada/ to the new author page: linked from there, it would lead back
    content = tmp_path / "content"
    content.mkdir()
    _post(content, "one.md", """
title: One
date: 2024-02-03 10:00:00+01:00
authors: [Ada Lovelace]
wp_link: https://www.ledger.example/2024/02/one/
author_bios:
  - {name: Ada Lovelace, bio: Ada Lovelace writes., url: "https://www.ledger.example/by/ada/", source: post}
""")
    for site_url, linked in (("https://ledger.example", []), ("https://ada.github.io/ledger", ["https://www.ledger.example/by/ada/"])):
        out = build_site(content, tmp_path / "output", SITEURL=site_url, RELATIVE_URLS=True)
        card = html(out / "author" / "ada-lovelace.html").select_one(".author-card")
        assert [a["href"] for a in card.select("a.u-url")] == linked, site_url
        data = json.loads(html(permalink_page(out, "https://www.ledger.example/2024/02/one/")).select_one("script[type='application/ld+json']").string)
        assert data["author"][0].get("sameAs") == (linked[0] if linked else None), site_url


def test_a_post_with_no_title_is_still_a_link_everywhere_it_is_listed(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    _post(content, "untitled.md", 'title: ""\ndate: 2016-07-15 10:00:00+00:00\nslug: "448"\nauthors: [Ana Lind]')
    _post(content, "named.md", "title: Named\ndate: 2016-07-16 10:00:00+00:00\nslug: named\nauthors: [Ana Lind]")
    out = build_site(content, tmp_path / "output")
    untitled = "448.html"
    for page in ("index.html", "archives.html", "author/ana-lind.html"):
        links = {a.get_text(): a["href"] for a in html(out / page).select("a.u-url")}
        assert links.get("(no title)", "").endswith(untitled), page
    article = html(out / untitled)
    assert article.select_one("h1").get_text() == "(no title)"
    assert article.title.get_text().startswith("(no title) · ")
    assert html(out / "named.html").select_one(".neighbour-older .neighbour-title").get_text() == "(no title)"


def test_the_demo_settings_keep_a_numbered_list_s_start_and_two_lists_apart(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    _post(content, "lists.md", "title: Lists\ndate: 2016-07-15 10:00:00+00:00\nslug: lists",
          "Steps:\n\n5. five\n6. six\n\n<!-- -->\n\n- apart")
    body = html(build_site(content, tmp_path / "output") / "lists.html").select_one(".e-content")
    assert [(ol.get("start"), len(ol.select("li"))) for ol in body.select("ol")] == [("5", 2)]
    assert len(body.select("ul > li")) == 1


def test_updated_shows_only_when_the_day_differs(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    _post(content, "fixed.md", "title: Fixed\ndate: 2021-12-07 10:00:00+00:00\nmodified: 2021-12-07 10:00:17+00:00\n"
                               "slug: fixed")
    _post(content, "later.md", "title: Later\ndate: 2021-12-07 10:00:00+00:00\nmodified: 2022-01-03 09:00:00+00:00\n"
                               "slug: later")
    out = build_site(content, tmp_path / "output")
    assert html(out / "fixed.html").select_one(".updated") is None
    assert html(out / "later.html").select_one(".updated time")["datetime"].startswith("2022-01-03")


def test_lists_load_the_featured_image_s_smaller_sizes_where_wordpress_made_them(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    srcset = "https://x.example/a-300x200.jpg 300w, https://x.example/a.jpg 3000w"
    _post(content, "pictured.md", "title: Pictured\ndate: 2016-07-15 10:00:00+00:00\nslug: pictured\n"
                                  f"image: https://x.example/a.jpg\nimage_srcset: {srcset}")
    out = build_site(content, tmp_path / "output")
    card = html(out / "index.html").select_one("img.card-image")
    assert (card["src"], card["srcset"]) == ("https://x.example/a.jpg", srcset) and "6.5rem" in card["sizes"]
    featured = html(out / "pictured.html").select_one("img.u-featured")
    assert featured["srcset"] == srcset and featured["sizes"].endswith("100vw")


# --- author data, without Pelican -----------------------------------------------------------------

def _article(when: str, names: list[str], bios: list[dict]):
    authors = [SimpleNamespace(name=n, slug=_slug(n)) for n in names]
    return SimpleNamespace(date=datetime.fromisoformat(when), authors=authors, author_bios=bios)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def test_newest_bio_wins_whatever_the_order_of_the_articles():
    old = _article("2023-01-01T00:00:00+00:00", ["Jo Doe"], [{"name": "Jo Doe", "bio": "Old words.", "url": "https://a/"}])
    new = _article("2024-01-01T00:00:00+00:00", ["Jo Doe"], [{"name": "Jo Doe", "bio": "New words."}])
    none = _article("2025-01-01T00:00:00+00:00", ["Jo Doe"], [])
    for articles in ([old, new, none], [none, new, old]):
        profile = gather_profiles(articles, _slug)["jo-doe"]
        assert (profile.bio, profile.profile_url, profile.article_count) == ("New words.", "https://a/", 3)
        assert profile.bio_date == new.date


def test_a_bio_url_that_is_not_a_web_address_is_dropped():
    assert web_url("javascript:alert(1)") == ""
    assert web_url(" https://example.org/a ") == "https://example.org/a"
    post = _article("2024-01-01T00:00:00+00:00", ["Jo"], [{"name": "Jo", "bio": "B.", "url": "javascript:x"}])
    assert gather_profiles([post], _slug)["jo"].profile_url == ""


def test_settings_match_names_by_slug():
    profiles = {"jo-doe": AuthorProfile("Jo Doe", "jo-doe", bio="From a post.", bio_source="post")}
    apply_settings(profiles, {"JO DOE": {"bio": "By hand."}, "New Person": {"photo": "p.jpg"}}, _slug)
    assert profiles["jo-doe"].bio == "By hand." and profiles["jo-doe"].bio_source == "settings"
    assert profiles["new-person"].photo == "p.jpg"


@pytest.mark.parametrize("bio, short", [
    ("Dr. Tobias Lindqvist is a correspondent. He dives.", "Dr. Tobias Lindqvist is a correspondent."),
    ("Ruth A. Petersen is the data editor. She counts.", "Ruth A. Petersen is the data editor."),
    ("One sentence only", "One sentence only"),
    ("“Quoted.” Then more.", "“Quoted.”"),
    ("word " * 80, ("word " * 80)[:220].rsplit(" ", 1)[0] + "…"),
    ("", ""),
])
def test_short_bio_is_the_first_sentence(bio, short):
    assert first_sentence(bio) == short


def test_author_pages_are_paginated(tmp_path):
    out = build_site(CONTENT, tmp_path / "output", DEFAULT_PAGINATION=2)
    first = out / "author" / "maren-okonkwo.html"
    pages = [first]
    while (nxt := html(pages[-1]).select_one("nav.pagination a[rel=next]")) is not None:
        pages.append(_target(out, pages[-1], nxt["href"]))
    assert len(pages) == 3
    slugs = [_card_slug(card) for page in pages for card in _cards(html(page))]
    assert len(slugs) == len(set(slugs)) == 5
    last = html(pages[-1])
    assert _target(out, pages[-1], last.select_one("nav.pagination a[rel=prev]")["href"]) == pages[1]
    assert last.select_one(".author-card .p-note").get_text().startswith(MAREN_NEW)
    assert _target(out, pages[1], html(pages[1]).select_one("link[rel=canonical]")["href"]) == pages[1]


# --- archives -------------------------------------------------------------------------------------

def test_archives_list_every_article_once_by_year_and_month(demo):
    soup = html(demo / "archives.html")
    links = [Path(a["href"]).stem for a in soup.select(".title-list a.p-name")]
    assert sorted(links) == sorted(_posts())
    years = soup.select("section.archive-year")
    assert [y.h2.a.get_text() for y in years] == ["2025", "2024", "2023"]
    for year in years:
        count = int(year.select_one("h2 .count").get_text().split()[0])
        assert count == len(year.select(".title-list li"))
        for month in year.select("section.archive-month"):
            assert int(month.select_one("h3 .count").get_text()) == len(month.select(".title-list li"))
            assert _target(demo, demo / "archives.html", month.h3.a["href"]).exists()
        assert _target(demo, demo / "archives.html", year.h2.a["href"]).exists()


def test_period_archives_for_each_year_and_month(demo):
    posts = _posts()
    for year in ("2023", "2024", "2025"):
        page = html(demo / "archives" / f"{year}.html")
        assert page.h1.get_text() == year
        listed = sorted(Path(a["href"]).stem for a in page.select(".title-list a.p-name"))
        assert listed == sorted(s for s, p in posts.items() if p["date"].startswith(year))
    may = html(demo / "archives" / "2024" / "05.html")
    assert may.h1.get_text() == "May 2024"
    assert [Path(a["href"]).stem for a in may.select(".title-list a.p-name")] == ["electric-ferry-ytteroy-arrives"]


# --- categories and tags --------------------------------------------------------------------------

def test_categories_and_tags_with_counts(demo):
    categories = {a.get_text(): a.find_next_sibling(class_="count").get_text()
                  for a in html(demo / "categories.html").select(".term-list a")}
    assert categories["Harbour"] == "4 articles"
    harbour = html(demo / "category" / "harbour.html")
    assert len(_cards(harbour)) == 4
    assert harbour.select_one("link[rel=alternate][href$='feeds/category/harbour.atom.xml']")
    tags = [a.get_text() for a in html(demo / "tags.html").select(".term-list a")]
    assert tags == sorted(tags, key=str.casefold) and "Ferry" in tags
    assert html(demo / "tag" / "ferry.html").h1.get_text() == "Ferry"


def test_not_found_page(demo):
    soup = html(demo / "404.html")
    assert soup.h1.get_text() == "Page not found"
    assert soup.select(".title-list a.p-name")
    for time in soup.select(".title-list time"):  # the latest articles span years: each date says which
        assert time.get_text().endswith(time["datetime"][:4])


# --- feeds, sitemap, <head> -----------------------------------------------------------------------

def test_feeds_for_all_each_category_and_each_author(demo):
    entries = ET.parse(demo / "feeds" / "all.atom.xml").getroot().findall(ATOM + "entry")
    assert len(entries) == len(_posts())
    for path in ("category/harbour", "author/maren-okonkwo", "author/tobias-lindqvist"):
        assert ET.parse(demo / "feeds" / f"{path}.atom.xml").getroot().findall(ATOM + "entry")
    maren = ET.parse(demo / "feeds" / "author" / "maren-okonkwo.atom.xml").getroot().findall(ATOM + "entry")
    assert len(maren) == 5
    # a co-written article's entry credits both authors (Pelican's writer names the first alone)
    for feed in ("all", "author/maren-okonkwo", "author/tobias-lindqvist"):
        entries = ET.parse(demo / "feeds" / f"{feed}.atom.xml").getroot().findall(ATOM + "entry")
        shark = next(e for e in entries if e.findtext(ATOM + "title").startswith("Students tag basking shark"))
        assert [name.text for name in shark.iter(ATOM + "name")] == ["Tobias Lindqvist and Maren Okonkwo"]
    single = next(e for e in maren if not e.findtext(ATOM + "title").startswith("Students tag"))
    assert [name.text for name in single.iter(ATOM + "name")] == ["Maren Okonkwo"]


def test_a_feed_entry_finds_its_byline_on_a_site_in_a_folder_of_its_domain():
    from types import SimpleNamespace

    from pelican_wp_import import feeds

    three = SimpleNamespace(url="annual-report/", authors=["Ann", "Bo", "Cy"])
    feeds.remember_bylines(SimpleNamespace(articles=[three, SimpleNamespace(url="2019/12/annual-report/",
                                                                            authors=["Di"])]))
    feed = SimpleNamespace(items=[{"link": "https://x.example/blog/annual-report/?ref=feed", "author_name": "Ann"},
                                  {"link": "https://x.example/blog/2019/12/annual-report/", "author_name": "Di"}])
    feeds.credit_every_author({"SITEURL": "https://x.example/blog"}, feed)
    # the second entry's address ends with the first's: only the whole address counts
    assert [item["author_name"] for item in feed.items] == ["Ann, Bo and Cy", "Di"]
    relative = SimpleNamespace(items=[{"link": "../../annual-report/", "author_name": "Ann"}])
    feeds.credit_every_author({"SITEURL": "../.."}, relative)  # RELATIVE_URLS
    assert relative.items[0]["author_name"] == "Ann, Bo and Cy"


@pytest.mark.parametrize("page, feeds", [
    ("index.html", ["feeds/all.atom.xml"]),
    ("author/maren-okonkwo.html", ["feeds/all.atom.xml", "feeds/author/maren-okonkwo.atom.xml"]),
    ("category/science.html", ["feeds/all.atom.xml", "feeds/category/science.atom.xml"]),
    ("science/kelp-forest-survey-finds-recovery/index.html", ["feeds/all.atom.xml", "feeds/category/science.atom.xml"]),
])
def test_feed_autodiscovery(demo, page, feeds):
    links = html(demo / page).select("head link[rel=alternate][type='application/atom+xml']")
    targets = [_target(demo, demo / page, link["href"]) for link in links]
    assert targets == [demo / f for f in feeds]
    assert all(t.exists() for t in targets) and all(link.get("title") for link in links)


def test_sitemap_lists_articles_and_pages(demo):
    root = ET.parse(demo / "sitemap.xml").getroot()
    locs = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {urlparse(post["link"]).path for post in _posts().values()} <= locs  # the old permalinks
    assert "/about/" in locs and "/404.html" not in locs
    assert not [loc for loc in locs if loc.endswith(("/feed/", "/amp/"))], "redirect stubs are not listed"


def test_every_page_links_to_files_that_exist_at_any_depth(demo):
    """Relative links, stylesheets and pictures work from the site root, from archives/2024/05.html and
    from a post at its old permalink three folders down (science/<slug>/index.html)."""
    pages = [p for p in demo.rglob("*.html") if not is_stub(p)]
    assert _page(demo, "kelp-forest-survey-finds-recovery") in pages and demo / "archives" / "2024" / "05.html" in pages
    for page in pages:
        soup = html(page)
        stylesheet = soup.select_one("link[rel=stylesheet]")["href"]
        assert _target(demo, page, stylesheet) == demo / "theme" / "css" / "site.css"
        for node in soup.select("a[href], link[href], img[src]"):
            href = node.get("href") or node.get("src")
            if urlparse(href).scheme or href.startswith(("#", "//")):
                continue
            assert _target(demo, page, href.split("#")[0]).exists(), (page.relative_to(demo), href)


def test_head_has_canonical_opengraph_and_json_ld(demo):
    page = _page(demo, "fish-landings-fall-third-year")
    soup = html(page)
    assert _target(demo, page, soup.select_one("link[rel=canonical]")["href"]) == page
    meta = {m["property"]: m["content"] for m in soup.select("meta[property]")}
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Landings at Saltvik’s fish plant fall for a third year"
    assert meta["article:published_time"] == "2024-03-12T06:00:00+01:00"
    assert soup.select_one("meta[name=description]")["content"]
    [script] = soup.select("script[type='application/ld+json']")
    data = json.loads(script.string)
    assert data["@type"] == "Article" and data["headline"] == meta["og:title"]
    assert [(p["@type"], p["name"]) for p in data["author"]] == [("Person", "Declan Fitzgerald"),
                                                                  ("Person", "Ruth A. Petersen")]
    assert data["author"][1]["sameAs"] == PROFILE.format(slug="ruth-a-petersen")
    assert datetime.fromisoformat(data["datePublished"]) == datetime(2024, 3, 12, 5, 0, tzinfo=timezone.utc)


def test_published_site_uses_absolute_addresses(tmp_path):
    out = build_site(CONTENT, tmp_path / "output", SITEURL="https://news.example", RELATIVE_URLS=False,
                     FEED_DOMAIN="https://news.example")
    soup = html(_page(out, "lanternfest-2023-review"))
    assert soup.select_one("link[rel=canonical]")["href"] == "https://news.example/culture/lanternfest-2023-review/"
    assert soup.select_one("meta[property='og:url']")["content"] == soup.select_one("link[rel=canonical]")["href"]
    assert soup.select_one("meta[property='og:image']")["content"].startswith("https://harbourledger.example/")
    data = json.loads(soup.select_one("script[type='application/ld+json']").string)
    assert data["author"][0]["url"] == "https://news.example/author/ana-ruiz-castillo.html"
    assert html(out / "index.html").select_one("link[rel=canonical]")["href"] == "https://news.example/"


# --- escaping -------------------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script>"
HOSTILE_NAME = "Eve <img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("hostile") / "content"
    content.mkdir()
    _post(content, "evil.md", f"""
title: '{HOSTILE}'
slug: evil
date: 2024-02-03 10:00:00+01:00
category: '<b>Cat</b>'
tags: ['"><svg onload=alert(3)>', plain]
authors: ['{HOSTILE_NAME}']
author_bios:
  - name: '{HOSTILE_NAME}'
    bio: '<b onmouseover=alert(4)>Bold</b> & more'
    url: 'javascript:alert(5)'
    source: post
summary: 'A summary with *emphasis* & "quotes" and <i>a tag</i>.'
image: https://example.org/a.jpg
image_alt: '" onerror="alert(6)'
""")
    _post(content, "fine.md", "title: Fine\nslug: fine\ndate: 2024-02-04 10:00:00+01:00\nauthors: [Eve Plain]")
    return build_site(content, tmp_path_factory.mktemp("hostile") / "output")


def _every_page(out: Path):
    for path in sorted(out.rglob("*.html")):
        yield path, path.read_text("utf-8")


def test_hostile_metadata_is_printed_as_text(hostile):
    pages = list(_every_page(hostile))
    assert len(pages) > 10
    for path, text in pages:
        soup = html(path)
        scripts = soup.find_all("script")
        assert all(s.get("type") == "application/ld+json" for s in scripts), path
        assert not soup.select("svg, [onerror], [onload], [onmouseover], b[onmouseover]"), path
        assert "javascript:" not in text, path
        assert "alert(1)</script>" not in text.replace("\\u003c", "<"), path
    article = html(hostile / "evil.html")
    assert article.select_one("h1.p-name").get_text() == HOSTILE
    assert article.title.get_text().startswith(HOSTILE)
    assert article.select_one(".p-author").get_text() == HOSTILE_NAME
    assert article.select_one(".bio-box .p-note").get_text() == "<b onmouseover=alert(4)>Bold</b> & more"
    assert article.select_one(".article-header .p-category").get_text() == "<b>Cat</b>"
    assert '"><svg onload=alert(3)>' in [a.get_text() for a in article.select("a[rel=tag]")]
    assert article.select_one("meta[property='og:image:alt']")["content"] == '" onerror="alert(6)'


def test_hostile_metadata_in_json_ld_and_meta_tags(hostile):
    soup = html(hostile / "evil.html")
    data = json.loads(soup.select_one("script[type='application/ld+json']").string)
    assert data["headline"] == HOSTILE and data["author"][0]["name"] == HOSTILE_NAME
    assert "sameAs" not in data["author"][0]
    description = soup.select_one("meta[name=description]")["content"]
    assert description == 'A summary with emphasis & "quotes" and a tag.'
    author = _target(hostile, hostile / "evil.html", soup.select_one(".p-author")["href"])
    card = html(author).select_one(".author-card")
    assert card.select_one(".p-name").get_text() == HOSTILE_NAME
    assert not card.select("a.u-url")  # the javascript: link is not kept
    listed = [i.select_one(".p-name").get_text() for i in html(hostile / "authors.html").select("li.h-card")]
    assert HOSTILE_NAME in listed
