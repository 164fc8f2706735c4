"""Field mapping: one WordPress post object in, the front matter values it must give out."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from conftest import SAMPLES
from pelican_wp_import.fields import Options
from pelican_wp_import.load import load_file
from pelican_wp_import.model import Converted, RawPost, Skipped
from pelican_wp_import.pipeline import convert_post
from pelican_wp_import.resolve import Sidecars


def post(**fields):
    data = {"id": 7, "date": "2024-07-01T12:00:00", "date_gmt": "2024-07-01T10:00:00", "slug": "a-post",
            "status": "publish", "type": "post", "link": "https://x.example/news/a-post/",
            "title": {"rendered": "A post"}, "content": {"rendered": "<p>Body text.</p>"}}
    data.update(fields)
    return data


def convert(data, sidecars=None, options=None):
    return convert_post(RawPost(data, "test.json"), sidecars or Sidecars(), options or Options())


def meta(data, **kw):
    result = convert(data, **kw)
    assert isinstance(result, Converted), getattr(result, "reason", result)
    return result.metadata


def test_title_entities_decoded_once_tags_stripped_spaces_normalised():
    m = meta(post(title={"rendered": "<em>Fish</em> &amp; chips &#8211; a&nbsp;guide &amp;amp; more\u00a0"}))
    assert m["title"] == "Fish & chips – a guide &amp; more"


def test_date_carries_its_own_offset_summer_and_winter():
    assert meta(post())["date"] == datetime(2024, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    winter = meta(post(date="2024-01-10T09:30:00", date_gmt="2024-01-10T08:30:00"))["date"]
    assert winter.utcoffset() == timedelta(hours=1)


def test_modified_kept_with_its_offset():
    m = meta(post(modified="2024-07-03T08:00:00", modified_gmt="2024-07-03T06:00:00"))
    assert m["modified"] == datetime(2024, 7, 3, 8, 0, tzinfo=timezone(timedelta(hours=2)))


def test_slug_is_percent_decoded():
    assert meta(post(slug="%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82"))["slug"] == "привет"


@pytest.mark.parametrize("status, expected", [("publish", "published"), ("draft", "draft"),
                                              ("pending", "draft"), ("future", "draft")])
def test_status_mapping(status, expected):
    assert meta(post(status=status))["status"] == expected


@pytest.mark.parametrize("status", ["private", "trash"])
def test_private_and_trash_are_skipped_with_a_reason(status):
    result = convert(post(status=status))
    assert isinstance(result, Skipped) and status in result.reason


def test_private_can_be_imported_hidden():
    assert meta(post(status="private"), options=Options(private="hidden"))["status"] == "hidden"


def test_password_protected_is_skipped():
    result = convert(post(content={"rendered": "", "protected": True}))
    assert isinstance(result, Skipped) and "password" in result.reason


def test_custom_type_is_an_article_carrying_its_type_unless_excluded():
    result = convert(post(type="recipe"))
    assert result.kind == "article" and result.metadata["type"] == "recipe"
    assert isinstance(convert(post(type="recipe"), options=Options(exclude_types=("recipe",))), Skipped)
    assert convert(post(type="page")).kind == "page"


def test_first_real_category_wins_and_all_are_kept():
    terms = [[{"id": 1, "name": "Uncategorized", "slug": "uncategorized", "taxonomy": "category"},
              {"id": 4, "name": "Arts &amp; Crafts", "slug": "arts-crafts", "taxonomy": "category"}],
             [{"id": 9, "name": "Wool", "slug": "wool", "taxonomy": "post_tag"}]]
    m = meta(post(_embedded={"wp:term": terms}))
    assert m["category"] == "Arts & Crafts"
    assert m["categories"] == ["Uncategorized", "Arts & Crafts"] and m["tags"] == ["Wool"]
    assert m["wp_terms"] == {"Uncategorized": "uncategorized", "Arts & Crafts": "arts-crafts", "Wool": "wool"}


def test_a_post_only_in_the_default_category_keeps_it():
    # Pelican would file it under "misc"; WordPress showed "Uncategorized" (or the site's own name for it)
    for name, slug in (("Uncategorized", "uncategorized"), ("Allgemein", "allgemein")):
        terms = [[{"id": 1, "name": name, "slug": slug, "taxonomy": "category"}]]
        m = meta(post(link="https://x.example/2024/07/a-post/", _embedded={"wp:term": terms}))
        assert m["category"] == name and m["categories"] == [name]
    terms = [[{"id": 1, "name": "Uncategorized", "slug": "uncategorized", "taxonomy": "category"}]]
    m = meta(post(link="https://x.example/world-news/a-post/", _embedded={"wp:term": terms}))
    assert m["category"] == "World News"  # the permalink's segment still says more


def test_category_from_the_permalink_when_there_is_none():
    assert meta(post(link="https://x.example/world-news/a-post/"))["category"] == "World News"
    assert "category" not in meta(post(link="https://x.example/2024/07/a-post/"))
    assert "category" not in meta(post(link="https://x.example/a-post/"))


def test_terms_and_media_through_sidecars():
    sidecars = Sidecars()
    sidecars.add("categories", [{"id": 3, "name": "Harbour", "slug": "harbour", "taxonomy": "category"}])
    sidecars.add("tags", [{"id": 8, "name": "Ferry", "slug": "ferry", "taxonomy": "post_tag"}])
    sidecars.add("media", [{"id": 5, "source_url": "https://x.example/a.jpg", "alt_text": "A quay"}])
    sidecars.add("users", [{"id": 2, "name": "Ana Lind", "slug": "ana", "description": "Ana covers boats."}])
    m = meta(post(categories=[3], tags=["8"], featured_media=5, author=2), sidecars=sidecars)
    assert (m["category"], m["tags"], m["image"], m["image_alt"]) == ("Harbour", ["Ferry"],
                                                                      "https://x.example/a.jpg", "A quay")
    assert m["authors"] == ["Ana Lind"]
    assert m["author_bios"] == [{"name": "Ana Lind", "bio": "Ana covers boats.", "source": "user"}]


def test_automatic_excerpt_dropped_hand_written_kept():
    auto = meta(post(excerpt={"rendered": "<p>Body text. [&hellip;]</p>\n"}))
    assert "summary" not in auto
    hand = meta(post(excerpt={"rendered": "<p>A <em>short</em> note on what changed.</p>\n"}))
    assert hand["summary"] == "A *short* note on what changed."


@pytest.mark.parametrize("excerpt", [
    # Twenty Fifteen and the like: the link's text holds the title for screen readers
    '<p>Intro words &hellip; <a href="https://x.example/a/" class="more-link">Continue reading'
    '<span class="screen-reader-text"> &#8220;A&#8221;</span></a></p>\n',
    # Twenty Seventeen: the link in a paragraph of its own
    '<p>Intro words&hellip;</p>\n<p class="link-more"><a href="https://x.example/a/" class="more-link">'
    'Continue reading<span class="screen-reader-text"> "A"</span></a></p>\n',
    # a more-link with no ellipsis before it
    '<p>Intro words <a href="https://x.example/a/" class="more-link">Read more</a></p>\n',
])
def test_automatic_excerpt_with_a_theme_s_continue_reading_link_dropped(excerpt):
    assert "summary" not in meta(post(excerpt={"rendered": excerpt}))


def test_excerpt_that_is_the_post_s_first_words_dropped_whatever_the_markup_between_them():
    body = '<p>Kebumen is a town on <a href="/java/">Java</a>, Indonesia. It is a capital.</p>'
    for excerpt in ("<p>Kebumen is a town on Java, Indonesia.</p>", "<p>Kebumen is a town on Java, Indonesia. It is a capital.</p>"):
        assert "summary" not in meta(post(content={"rendered": body}, excerpt={"rendered": excerpt}))
    # ends inside one of the post's words: written by hand
    kept = meta(post(content={"rendered": "<p>The category of boats.</p>"}, excerpt={"rendered": "<p>The cat</p>"}))
    assert kept["summary"] == "The cat"


def test_more_marks_the_summary_and_stays_out_of_the_body():
    result = convert(post(content={"rendered": "<p>First.</p>\n<!--more-->\n<p>Second.</p>"}))
    assert result.metadata["summary"] == "First."
    assert result.markdown == "First.\n\nSecond.\n"


def test_ids_links_guid_and_sticky_kept():
    m = meta(post(guid={"rendered": "https://x.example/?p=7"}, sticky=True))
    assert (m["wp_id"], m["wp_link"], m["wp_guid"], m["sticky"]) == (
        7, "https://x.example/news/a-post/", "https://x.example/?p=7", True)
    assert "sticky" not in meta(post(sticky=False))


def test_bylines_from_bios_before_coauthors_before_the_author():
    coauthors = [{"id": 30, "name": "Kim Berg", "slug": "kim", "taxonomy": "author", "description": "Kim edits."}]
    embedded = {"author": [{"id": 1, "name": "Staff", "description": ""}], "wp:term": [[], [], coauthors]}
    with_bio = post(_embedded=embedded, content={"rendered": "<p>Body.</p><p><span>Ana Lind</span> is a "
                                                            "reporter. More about Ana Lind</p>"})
    assert meta(with_bio)["authors"] == ["Ana Lind"]
    assert meta(post(_embedded=embedded))["authors"] == ["Kim Berg"]
    assert meta(post(_embedded={"author": embedded["author"]}))["authors"] == ["Staff"]


def test_wordpress_user_slugs_of_bylines_co_authors_and_the_user():
    coauthors = [{"id": 30, "name": "Kim Berg", "slug": "cap-kim-berg", "taxonomy": "author"},
                 {"id": 31, "name": "Ola Nord", "slug": "ola-nord", "taxonomy": "author"}]
    staff = {"id": 1, "name": "Staff", "slug": "staff"}
    assert meta(post(_embedded={"author": [staff], "wp:term": [[], [], coauthors]}))["wp_authors"] == {
        "Kim Berg": "kim-berg", "Ola Nord": "ola-nord", "Staff": "staff"}
    # a byline from the post's bio is matched to the user it names, honorific aside
    with_bio = post(_embedded={"author": [{"id": 2, "name": "Dr. Ana Lind", "slug": "alind"}]},
                    content={"rendered": "<p>Body.</p><p><span>Ana Lind</span> is a reporter. More about Ana Lind</p>"})
    assert meta(with_bio)["authors"] == ["Ana Lind"]
    assert meta(with_bio)["wp_authors"] == {"Ana Lind": "alind"}
    assert "wp_authors" not in meta(post(_embedded={"author": [{"id": 3, "name": "No Slug"}]}))


@pytest.mark.skipif(not SAMPLES.exists(), reason="../shared/wp-samples is not beside the project")
def test_co_authors_plus_sample_gives_each_byline_its_term_bio():
    loaded = load_file(SAMPLES / "ghost-migrate-co-authors-post.json")
    m = meta(loaded.posts[0].data)
    terms = [t for group in json.loads((SAMPLES / "ghost-migrate-co-authors-post.json").read_text())
             ["_embedded"]["wp:term"] for t in group if t.get("taxonomy") == "author"]
    assert len(m["authors"]) == len(terms) >= 2
    assert all(b["source"] == "term" and b["bio"] for b in m["author_bios"])


@pytest.mark.skipif(not SAMPLES.exists(), reason="../shared/wp-samples is not beside the project")
def test_html_in_sample_title_is_stripped():
    loaded = load_file(SAMPLES / "ghost-migrate-single-post-with-html-in-title.json")
    title = meta(loaded.posts[0].data)["title"]
    assert "<" not in title and ">" not in title and title


def test_more_span_of_the_rest_api_marks_the_summary():
    html = '<p>First part.</p>\n<p><span id="more-41"></span></p>\n<p>Second part.</p>'
    result = convert(post(content={"rendered": html}))
    assert result.metadata["summary"] == "First part."
    assert result.markdown == "First part.\n\nSecond part.\n"


@pytest.mark.skipif(not SAMPLES.exists(), reason="../shared/wp-samples is not beside the project")
def test_revisions_autosaves_and_comments_are_not_posts():
    from pelican_wp_import.load import is_post

    data = json.loads((SAMPLES / "wpdev-api-generated-fixtures.json").read_text())
    assert is_post(data["PostModel"]) and is_post(data["PageModel"])
    for name in ("revision", "autosave", "pageRevision", "pageAutosave", "CommentModel", "UserModel",
                 "CategoryModel", "TagModel", "MediaModel", "settings"):
        assert not is_post(data[name]), name


def test_addresses_urlsplit_refuses_and_ids_int_refuses_are_no_crash():
    # found by tests/test_properties.py: "https://[x" (an unclosed IPv6 bracket) made urlsplit raise,
    # and an id of "²" passed isdigit() but not int()
    data = post(id="\u00b2", link="https://[x.example/news/a-post/", guid={"rendered": "http://[::1"},
                content={"rendered": '<p><a href="http://[::1/?p=\u00b2">x</a> <img src="https://[x/a.jpg"></p>'})
    result = convert(data, options=Options(sanitize=False))
    assert isinstance(result, Converted)
    assert result.metadata["wp_id"] == "\u00b2" and result.links == []
    assert result.markdown == "[x](http://[::1/?p=²) ![](https://[x/a.jpg)\n"
    assert convert(data).markdown == "x ![]()\n"  # the sanitiser drops addresses it cannot read
    assert isinstance(convert(data, options=Options(media=True, sanitize=False)), Converted)


def test_author_id_with_no_name_anywhere_is_a_warning():
    result = convert(post(author=9))
    assert "author 9 has no name (no _embedded author and no sidecar file of /wp/v2/users beside the post)" \
        in result.warnings
    assert "authors" not in result.metadata


def test_jetpack_s_featured_image_address_used_when_the_media_is_not_embedded():
    m = meta(post(featured_media=3850, jetpack_featured_media_url="https://x.example/wp-content/a.jpg"))
    assert m["image"] == "https://x.example/wp-content/a.jpg"
    result = convert(post(featured_media=3850, jetpack_featured_media_url="https://x.example/wp-content/a.jpg"))
    assert not any("featured_media" in w for w in result.warnings)


def test_a_page_s_parent_in_its_address_is_not_taken_for_a_category():
    page = meta(post(type="page", link="https://x.example/about/team/", slug="team"))
    assert "category" not in page
    assert meta(post(link="https://x.example/harbour/team/"))["category"] == "Harbour"


def test_the_featured_image_s_sizes_become_a_srcset_of_its_shape():
    media = {"id": 5, "source_url": "https://x.example/up/a.jpg", "alt_text": "A quay",
             "media_details": {"width": 3000, "height": 2000, "sizes": {
                 "thumbnail": {"source_url": "https://x.example/up/a-150x150.jpg", "width": 150, "height": 150},
                 "medium": {"source_url": "https://x.example/up/a-300x200.jpg", "width": 300, "height": 200},
                 "large": {"source_url": "https://x.example/up/a-1024x683.jpg", "width": 1024, "height": 683}}}}
    data = post(featured_media=5, _embedded={"wp:featuredmedia": [media]})
    m = meta(data)
    assert m["image"] == "https://x.example/up/a.jpg"
    assert m["image_srcset"] == ("https://x.example/up/a-300x200.jpg 300w, https://x.example/up/a-1024x683.jpg 1024w, "
                                 "https://x.example/up/a.jpg 3000w")  # the square thumbnail left out
    assert "image_srcset" not in meta(data, options=Options(media=True))  # --media keeps one file
    del media["media_details"]["sizes"]
    assert "image_srcset" not in meta(data)


def test_a_term_s_old_path_is_kept_when_it_is_not_base_slug():
    terms = [[{"id": 3, "name": "Apple Event", "slug": "apple-event", "taxonomy": "category",
               "link": "https://x.example/category/liveblogs/apple-event/"},
              {"id": 4, "name": "Harbour", "slug": "harbour", "taxonomy": "category",
               "link": "https://x.example/blog/category/harbour/"}],
             [{"id": 8, "name": "Cities", "slug": "cities", "taxonomy": "post_tag", "link": "https://x.example/wp-tag/cities/"},
              {"id": 9, "name": "Ferry", "slug": "ferry", "taxonomy": "post_tag", "link": "https://x.example/?tag=ferry"}]]
    m = meta(post(_embedded={"wp:term": terms}))
    assert m["wp_terms"] == {"Apple Event": "apple-event", "Harbour": "harbour", "Cities": "cities", "Ferry": "ferry"}
    assert m["wp_term_paths"] == {"Apple Event": "/category/liveblogs/apple-event/", "Cities": "/wp-tag/cities/"}
