"""A WordPress export (WXR, Tools → Export) converted as the REST API's JSON is."""
from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from conftest import SHARED
from helpers import AskedLate, read_markdown
from pelican_wp_import.cli import main
from pelican_wp_import import wxr
from pelican_wp_import.wxr import _embeds, _item_type

SITE = "https://ledger.example"

# What WordPress 6 writes, cut to what matters: the site's authors and terms, then one item per post,
# page, attachment and menu item. The classic editor's post has no <p>: WordPress adds them on display.
EXPORT = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>The Ledger</title>
<link>{SITE}</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_id>3</wp:author_id><wp:author_login><![CDATA[maren]]></wp:author_login>
 <wp:author_display_name><![CDATA[Maren Okonkwo]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename><![CDATA[harbour]]></wp:category_nicename>
 <wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Harbour &amp; Quays]]></wp:cat_name>
 <wp:category_description><![CDATA[Ferries and the people who run them.]]></wp:category_description></wp:category>
<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug><![CDATA[ferries]]></wp:tag_slug><wp:tag_name><![CDATA[Ferries]]></wp:tag_name></wp:tag>
<item>
 <title>Dock photo</title><link>{SITE}/2024/05/late-ferry/dock/</link>
 <wp:post_id>31</wp:post_id><wp:post_type><![CDATA[attachment]]></wp:post_type><wp:status><![CDATA[inherit]]></wp:status>
 <wp:post_parent>12</wp:post_parent>
 <wp:attachment_url><![CDATA[{SITE}/wp-content/uploads/2024/05/dock.jpg]]></wp:attachment_url>
 <wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key><wp:meta_value><![CDATA[The dock at dawn]]></wp:meta_value></wp:postmeta>
</item>
<item>
 <title>Quay photo</title><link>{SITE}/2024/05/late-ferry/quay/</link>
 <wp:post_id>32</wp:post_id><wp:post_type><![CDATA[attachment]]></wp:post_type>
 <wp:attachment_url><![CDATA[{SITE}/wp-content/uploads/2024/05/quay.jpg]]></wp:attachment_url>
</item>
<item>
 <title>Late ferry saved &amp; fares frozen</title>
 <link>{SITE}/2024/05/late-ferry/</link>
 <dc:creator><![CDATA[maren]]></dc:creator>
 <guid isPermaLink="false">{SITE}/?p=12</guid>
 <content:encoded><![CDATA[The council voted on Monday.

It was <strong>19 to 12</strong>.
[caption id="attachment_31" align="alignnone" width="300"]<img src="{SITE}/wp-content/uploads/2024/05/dock.jpg" alt="The dock at dawn" width="300" height="200" /> The dock at dawn[/caption]

[gallery ids="31,32"]

Maren Okonkwo is a reporter who covers the harbour. More about Maren Okonkwo]]></content:encoded>
 <excerpt:encoded><![CDATA[]]></excerpt:encoded>
 <wp:post_id>12</wp:post_id>
 <wp:post_date><![CDATA[2024-05-02 10:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2024-05-02 08:00:00]]></wp:post_date_gmt>
 <wp:post_modified><![CDATA[2024-05-03 09:00:00]]></wp:post_modified><wp:post_modified_gmt><![CDATA[2024-05-03 07:00:00]]></wp:post_modified_gmt>
 <wp:post_name><![CDATA[late-ferry]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>
 <wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type><![CDATA[post]]></wp:post_type>
 <wp:post_password><![CDATA[]]></wp:post_password><wp:is_sticky>1</wp:is_sticky>
 <category domain="category" nicename="harbour"><![CDATA[Harbour &amp; Quays]]></category>
 <category domain="post_tag" nicename="ferries"><![CDATA[Ferries]]></category>
 <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[31]]></wp:meta_value></wp:postmeta>
</item>
<item>
 <title>About us</title><link>{SITE}/about/</link><dc:creator><![CDATA[maren]]></dc:creator>
 <content:encoded><![CDATA[<!-- wp:paragraph --><p>We are a newsroom.</p><!-- /wp:paragraph -->]]></content:encoded>
 <wp:post_id>40</wp:post_id><wp:post_date><![CDATA[2020-01-01 12:00:00]]></wp:post_date>
 <wp:post_date_gmt><![CDATA[2020-01-01 11:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[about]]></wp:post_name>
 <wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[page]]></wp:post_type>
</item>
<item>
 <title>Half written</title><link>{SITE}/?p=50</link><dc:creator><![CDATA[maren]]></dc:creator>
 <content:encoded><![CDATA[Not yet.]]></content:encoded>
 <wp:post_id>50</wp:post_id><wp:post_date><![CDATA[2024-06-01 12:00:00]]></wp:post_date>
 <wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[]]></wp:post_name>
 <wp:status><![CDATA[draft]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
</item>
<item>
 <title>Members only</title><link>{SITE}/members/</link>
 <content:encoded><![CDATA[Secret words.]]></content:encoded>
 <wp:post_id>60</wp:post_id><wp:post_date><![CDATA[2024-06-02 12:00:00]]></wp:post_date>
 <wp:post_name><![CDATA[members]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>
 <wp:post_type><![CDATA[post]]></wp:post_type><wp:post_password><![CDATA[hunter2]]></wp:post_password>
</item>
<item>
 <title>Home</title><link>{SITE}/home-2/</link>
 <wp:post_id>70</wp:post_id><wp:post_type><![CDATA[nav_menu_item]]></wp:post_type><wp:status><![CDATA[publish]]></wp:status>
</item>
</channel>
</rss>
"""


def _convert(tmp_path: Path, capsys, text: str = EXPORT, *flags: str) -> tuple[int, list[str], Path]:
    source = tmp_path / "export.xml"
    source.write_text(text, encoding="utf-8")
    code = main(["convert", str(source), "-o", str(tmp_path / "out"), *flags])
    return code, capsys.readouterr().err.splitlines(), tmp_path / "out"


def test_an_export_converts_as_the_rest_api_would_give_it(tmp_path, capsys):
    code, err, out = _convert(tmp_path, capsys)
    assert code == 0
    source = tmp_path / "export.xml"
    assert err == [
        f"warning: {source}: 1 items of the site's machinery, not posts or pages a visitor saw, passed over "
        "(nav_menu_item 1)",
        f"skipped: {source}: post 60: password-protected (a static site would show it to anyone)",
        "3 posts converted (3 written, 0 unchanged, 0 kept as edited), 1 skipped, 1 warnings, 0 errors"], err
    meta, body = read_markdown(out / "late-ferry.md")
    assert meta["title"] == "Late ferry saved & fares frozen"
    assert str(meta["date"]) == "2024-05-02 10:00:00+02:00"  # the local time and its offset from GMT
    assert meta["category"] == "Harbour & Quays" and meta["tags"] == ["Ferries"]
    assert meta["authors"] == ["Maren Okonkwo"]
    assert meta["image"] == f"{SITE}/wp-content/uploads/2024/05/dock.jpg" and meta["image_alt"] == "The dock at dawn"
    assert meta["wp_id"] == 12 and meta["wp_link"] == f"{SITE}/2024/05/late-ferry/"
    # wpautop's paragraphs, the caption as a figure, the gallery from the export's attachments, the bio
    # taken out to the front matter
    assert body.startswith("The council voted on Monday.\n\nIt was **19 to 12**.\n")
    assert f'<img alt="The dock at dawn" height="200" src="{SITE}/wp-content/uploads/2024/05/dock.jpg"' in body
    assert "<figcaption>The dock at dawn</figcaption>" in body
    assert f'src="{SITE}/wp-content/uploads/2024/05/quay.jpg"' in body and "[gallery" not in body
    assert meta["author_bios"][0]["bio"] == "Maren Okonkwo is a reporter who covers the harbour."
    assert "reporter who covers" not in body
    page, page_body = read_markdown(out / "pages" / "about.md")
    assert page["title"] == "About us" and page_body == "We are a newsroom.\n"
    draft, _ = read_markdown(out / "half-written.md")
    assert draft["status"] == "draft" and str(draft["date"]).startswith("2024-06-01 12:00:00")
    assert not (out / "members.md").exists()


def test_an_export_and_the_same_site_s_json_give_the_same_markdown(tmp_path):
    # gen_corpus.py writes one synthetic site both ways
    generator = SHARED / "bench" / "gen_corpus.py"
    if not generator.exists():
        pytest.skip("../shared/bench is not beside the project")
    import subprocess
    import sys

    subprocess.run([sys.executable, str(generator), "60", str(tmp_path / "site"), "--seed", "3"], check=True,
                   stdout=subprocess.DEVNULL)
    assert main(["convert", str(tmp_path / "site" / "export.xml"), "-o", str(tmp_path / "from-xml"), "-q"]) == 0
    assert main(["convert", str(tmp_path / "site" / "json"), "-o", str(tmp_path / "from-json"), "-q"]) == 0
    from_xml = {p.relative_to(tmp_path / "from-xml"): p.read_text() for p in (tmp_path / "from-xml").rglob("*.md")}
    from_json = {p.relative_to(tmp_path / "from-json"): p.read_text() for p in (tmp_path / "from-json").rglob("*.md")}
    assert len(from_xml) == 60 and from_xml == from_json


def test_an_export_found_in_a_folder_and_a_damaged_one(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "site.xml").write_text(EXPORT, encoding="utf-8")
    (folder / "sitemap.xml").write_text('<?xml version="1.0"?><urlset></urlset>', encoding="utf-8")  # not an export
    assert main(["convert", str(folder), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert (tmp_path / "out" / "late-ferry.md").is_file()
    capsys.readouterr()
    cut = EXPORT[:EXPORT.index("<item>\n <title>Members only")] + "<item><title>Cut"
    (folder / "site.xml").write_text(cut, encoding="utf-8")
    code = main(["convert", str(folder / "site.xml"), "-o", str(tmp_path / "out2")])
    err = capsys.readouterr().err.splitlines()
    # the items before the cut are converted; the one cut in half is an error naming what it lacks
    assert code == 1 and (tmp_path / "out2" / "late-ferry.md").is_file()
    assert err[0].startswith(f"warning: {folder / 'site.xml'}: the export is not whole XML (")
    assert err[0].endswith("read as far as it goes, 6 items")
    assert err[-2:] == [f"error: {folder / 'site.xml'}: post #6: no usable date (date and modified are missing or zero)",
                        "3 posts converted (3 written, 0 unchanged, 0 kept as edited), 0 skipped, 1 warnings, 1 errors"]
    (folder / "site.xml").write_text("<?xml version='1.0'?><rss xmlns:wp='http://wordpress.org/export/1.2/'>&&&",
                                     encoding="utf-8")
    assert main(["convert", str(folder / "site.xml"), "-o", str(tmp_path / "out3")]) == 1
    assert "a WordPress export that cannot be read as XML" in capsys.readouterr().err


def test_json_posts_are_unchanged_by_the_export_reader(tmp_path):
    source = tmp_path / "post.json"
    source.write_text(json.dumps({"id": 1, "date": "2024-01-01T10:00:00", "slug": "one", "status": "publish",
                                  "title": {"rendered": "One"}, "content": {"rendered": "<p>x</p>"}}))
    assert main(["convert", str(source), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert read_markdown(tmp_path / "out" / "one.md")[1] == "x\n"


def test_addresses_alone_on_a_line_become_what_wordpress_showed(tmp_path, capsys):
    # auto-embeds: the export keeps the bare address, WordPress showed the player (or a link)
    content = ("Watch this.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n[embed]https://vimeo.com/12345[/embed]"
               "\n\nhttps://twitter.com/ledger/status/1\n\nSee https://x.example/ in a sentence.\n\n"
               "<pre>\nhttps://code.example/stays-text\n</pre>")
    export = EXPORT.replace("<![CDATA[We are a newsroom.", "<![CDATA[" + content).replace(
        "<!-- wp:paragraph --><p>We are a newsroom.</p><!-- /wp:paragraph -->", content)
    code, _, out = _convert(tmp_path, capsys, export, "-q")
    body = read_markdown(out / "pages" / "about.md")[1]
    assert ('<iframe allowfullscreen="" height="360" src="https://www.youtube.com/embed/dQw4w9WgXcQ" '
            'title="YouTube video" width="640"></iframe>') in body
    assert '<iframe allowfullscreen="" height="360" src="https://player.vimeo.com/video/12345" title="Vimeo' in body
    assert "<https://twitter.com/ledger/status/1>" in body  # a link, as its address
    assert "See https://x.example/ in a sentence." in body
    assert "```\nhttps://code.example/stays-text\n```" in body


@pytest.mark.parametrize("content", [
    "https://vimeo.com/12345",  # the first thing in the post
    "Intro\n\t  https://vimeo.com/12345\n",  # indented
    "Intro\n[embed width=\"640\"]https://vimeo.com/12345[/embed]",
    '<p><a href="https://vimeo.com/1">a</a></p>\nhttps://vimeo.com/12345',  # after an address it passes over
])
def test_an_address_alone_on_its_line_is_found_wherever_it_sits(content):
    assert 'src="https://player.vimeo.com/video/12345"' in _embeds(content)


@pytest.mark.parametrize("content", [
    '<p><a href="https://vimeo.com/12345">https://vimeo.com/12345</a></p>',
    "Watch https://vimeo.com/12345 here",
    'x="https://vimeo.com/12345"\n',
])
def test_an_address_that_does_not_stand_alone_is_left_as_it_is(content):
    assert _embeds(content) == content


@pytest.mark.parametrize("children, kind", [
    ('<o:post_type>page</o:post_type><wp:post_type>attachment</wp:post_type>', "attachment"),  # not o:
    ('<post_type> page </post_type><wp:post_type>post</wp:post_type>', "page"),  # the first of either
    ('<o:post_type>page</o:post_type><wp:post_type> </wp:post_type>', "post"),
    ('<title>x</title>', "post"),
])
def test_an_items_post_type_is_its_first_in_wordpress_namespace_or_none(children, kind):
    item = etree.fromstring(f'<item xmlns:wp="http://wordpress.org/export/1.1/" xmlns:o="http://o.example/">'
                            f'{children}</item>')
    assert _item_type(item) == kind


def _item(post_id: int, content: str, kind: str = "page", link: str = "", extra: str = "") -> str:
    return (f"<item><title>Item {post_id}</title><link>{link or f'{SITE}/item-{post_id}/'}</link>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded><wp:post_id>{post_id}</wp:post_id>"
            f"<wp:post_date><![CDATA[2024-01-0{post_id % 9 + 1} 12:00:00]]></wp:post_date>"
            f"<wp:post_name><![CDATA[item-{post_id}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>"
            f"<wp:post_type><![CDATA[{kind}]]></wp:post_type>{extra}</item>")


def _with_items(*items: str) -> str:
    return EXPORT.replace("</channel>", "".join(items) + "</channel>")


def test_addresses_inside_tags_code_comments_and_links_stay_as_they_are(tmp_path, capsys):
    content = ('<img src="https://ex.com/a.jpg" alt="\nhttps://example.com/x\n" width="10">\n'
               '<a title="\nhttps://youtu.be/dQw4w9WgXcQ\n" href="https://ex.com/">link</a>\n\n'
               "<code>\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n</code>\n\n<!--\nhttps://vimeo.com/1\n-->\n\n"
               "https://example.com/a?b=1&amp;c=2")
    code, _, out = _convert(tmp_path, capsys, _with_items(_item(81, content)), "-q")
    body = read_markdown(out / "pages" / "item-81.md")[1]
    assert "<iframe" not in body
    assert "![https://example.com/x](https://ex.com/a.jpg)" in body
    assert "[link](https://ex.com/ \"https://youtu.be/dQw4w9WgXcQ\")" in body
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in body
    assert "<https://example.com/a?b=1&c=2>" in body  # the address once unescaped, as a link


def test_old_tags_plugin_types_and_galleries_of_a_post_s_own_uploads(tmp_path, capsys):
    old_tag = '<category domain="tag" nicename="python"><![CDATA[Python]]></category>'  # WXR 1.0
    form = _item(82, "[text* your-name]", "wpcf7_contact_form", f"{SITE}/?post_type=wpcf7_contact_form&p=82")
    portfolio = _item(83, "<p>A public custom type.</p>", "portfolio", f"{SITE}/portfolio/item-83/")
    upload = ("<item><title>Upload</title><wp:post_id>90</wp:post_id><wp:post_parent>84</wp:post_parent>"
              "<wp:post_type><![CDATA[attachment]]></wp:post_type>"
              f"<wp:attachment_url><![CDATA[{SITE}/wp-content/uploads/own.jpg]]></wp:attachment_url></item>")
    export = _with_items(_item(84, "Look: [gallery]", "post", extra=old_tag), form, portfolio, upload)
    code, err, out = _convert(tmp_path, capsys, export)
    meta, body = read_markdown(out / "item-84.md")
    assert meta["tags"] == ["Python"]
    assert f'<img alt="" src="{SITE}/wp-content/uploads/own.jpg"/>' in body and "[gallery]" not in body
    assert not list(out.rglob("item-82.md")) and list(out.rglob("item-83.md"))
    assert any("passed over (nav_menu_item 1, wpcf7_contact_form 1)" in line for line in err), err


def test_a_feed_that_mentions_the_export_namespace_is_no_export(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "feed.xml").write_text('<?xml version="1.0"?><rss><channel><item><title>How to move a blog with '
                                     "wordpress.org/export/ files</title></item></channel></rss>", encoding="utf-8")
    (folder / "post.json").write_text(json.dumps({"id": 1, "date": "2024-01-01T10:00:00", "slug": "one",
                                                  "title": {"rendered": "One"}, "content": {"rendered": "<p>x</p>"}}))
    assert main(["convert", str(folder), "-o", str(tmp_path / "out"), "-q"]) == 0


_ATTACHMENTS = EXPORT[EXPORT.index("<item>\n <title>Dock photo"):EXPORT.index("<item>\n <title>Late ferry")]


@pytest.fixture(params=["read here", "read in another process", "known after every post is read",
                        "known after a post is read"])
def submit(request, monkeypatch):
    """Who reads what an export's posts refer to, and when its result is known to the posts' reading."""
    if request.param == "read here":
        yield None
    elif request.param == "read in another process":
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool.submit
    else:
        if request.param == "known after a post is read":
            monkeypatch.setattr(wxr, "_AHEAD_BYTES", 1)
        yield AskedLate


@pytest.mark.parametrize("shape", ["whole", "attachments last", "cut", "an item not closed", "an author damaged",
                                   "an author left open", "attachments plain and twice"])
def test_an_export_read_a_part_at_a_time_gives_what_it_gives_read_whole(tmp_path, shape, submit):
    """convert reads an export twice, an item at a time (stream.py), never holding it: once for what the
    posts refer to, which may come after them, then for the posts, handed on a few at a time; with a
    process pool, the first reading in one of its processes while this one reads the posts."""
    from pelican_wp_import import stream
    from pelican_wp_import.load import load_file

    text = {"whole": EXPORT,
            "attachments last": EXPORT.replace(_ATTACHMENTS, "").replace("</channel>", _ATTACHMENTS + "</channel>"),
            "cut": EXPORT[:EXPORT.index("<item>\n <title>Members only")] + "<item><title>Cut",
            # libxml2 mends these by nesting what follows inside the element left open
            "an item not closed": EXPORT.replace("</item>\n<item>\n <title>Half written",
                                                 "/item>\n<item>\n <title>Half written"),
            "an author damaged": EXPORT.replace("maren]]></wp:author_login>", "maren]]></wp:author_logn>"),
            "an author left open": EXPORT.replace("<wp:author_display_name>", "<wp:author<item>_display_name>"),
            # an attachment's type without the namespace, and an id given twice: the last one counts
            "attachments plain and twice": EXPORT.replace(
                "<wp:post_type><![CDATA[attachment]]></wp:post_type>\n <wp:attachment_url>",
                "<post_type>attachment</post_type>\n <wp:attachment_url>").replace(
                "</channel>", _ATTACHMENTS.replace("<wp:post_id>32</wp:post_id>", "<wp:post_id>33</wp:post_id>")
                .replace("dock.jpg", "dock-new.jpg") + "</channel>")}[shape]
    path = tmp_path / "site.xml"
    path.write_text(text, encoding="utf-8")
    whole = load_file(path)
    parts = list(stream.batches(path, batch_bytes=1, submit=submit))
    # how far into the file each part reaches (the progress bar's), whoever read the site
    assert [p.read_to for p in parts] == [p.read_to for p in stream.batches(path, batch_bytes=1)]
    assert len(parts) == len(whole.posts) + 1  # a post a part, then the file's closing line
    assert [(p.index, p.data) for part in parts for p in part.posts] == [(p.index, p.data) for p in whole.posts]
    assert [w for part in parts for w in part.warnings] == whole.warnings
    assert [p.message for part in parts for p in part.problems] == [p.message for p in whole.problems]
    ferry = next(p.data for p in whole.posts if p.data["slug"] == "late-ferry")
    # what the post refers to is found wherever it is in the file
    picture = "dock-new.jpg" if shape == "attachments plain and twice" else "dock.jpg"
    assert ferry["_embedded"]["wp:featuredmedia"][0]["source_url"] == f"{SITE}/wp-content/uploads/2024/05/{picture}"
    assert f"{SITE}/wp-content/uploads/2024/05/quay.jpg" in ferry["content"]["rendered"]
    assert ferry["author"] == 3
    if shape != "an author left open":  # libxml2's mending makes a name of what follows
        assert ferry["_embedded"]["author"][0]["name"] == "Maren Okonkwo"
    if shape not in ("cut", "an author left open"):  # every post and page there is, each with what it holds
        assert sorted(p.data["title"]["rendered"] for p in whole.posts if p.data["type"] == "page") == ["About us"]
        assert len(whole.posts) == 4
    if shape == "cut":
        assert whole.warnings[0].endswith("read as far as it goes, 6 items")


@pytest.mark.parametrize("text", [None, "<rss version=\"2.0\"><channel><wp:wxr_version>1.2", "\x00\x01 no XML"])
def test_an_export_that_cannot_be_read_says_so_whoever_reads_it_first(tmp_path, submit, text):
    path = tmp_path / "site.xml"  # None: no such file (gone since it was found)
    if text is not None:
        path.write_text(text, encoding="utf-8")

    def problems(site_ahead):
        parts = list(wxr.read_export(lambda: open(path, "rb"), str(path), 1, site_ahead))
        assert not any(part.posts for part in parts)
        return [problem.message for part in parts for problem in part.problems]

    expected = problems(None)
    assert len(expected) == 1 and expected[0].startswith("cannot read file" if text is None else
                                                        "a WordPress export that cannot be read as XML")
    assert problems(submit(wxr.read_site, str(path)) if submit else None) == expected


def test_an_export_is_never_read_whole_to_look_for_sidecars(tmp_path):
    from pelican_wp_import.sources import may_be_sidecar

    (tmp_path / "site.xml").write_text(EXPORT, encoding="utf-8")
    (tmp_path / "users.json").write_text('[{"id": 3, "name": "Maren", "slug": "maren"}]', encoding="utf-8")
    assert not may_be_sidecar(tmp_path / "site.xml") and may_be_sidecar(tmp_path / "users.json")


def test_the_pelican_plugin_reads_an_export_straight_into_a_build(tmp_path, caplog):
    import logging

    from helpers import build_site, html

    content = tmp_path / "content"
    content.mkdir()
    (content / "site.xml").write_text(EXPORT, encoding="utf-8")
    (content / "sitemap.xml").write_text('<?xml version="1.0"?><urlset></urlset>', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        out = build_site(content, tmp_path / "out", WP_IMPORT_JOBS=1)
    built = {p.relative_to(out).as_posix(): html(p) for p in out.rglob("*.html")}
    ferry = next(page for path, page in built.items() if "late-ferry" in path and page.find(class_="e-content"))
    assert "19 to 12" in ferry.find(class_="e-content").get_text()
    assert "Maren Okonkwo" in ferry.get_text() and ferry.find("h1").get_text(strip=True) == "Late ferry saved & fares frozen"
    assert "We are a newsroom." in built["about/index.html"].get_text()
    assert not any("members" in path for path in built)  # password-protected: not on a public site
    logged = [r.getMessage() for r in caplog.records]
    assert not any("sitemap" in line for line in logged), logged
    assert any("password" in line for line in logged)  # the skip says why
    # what the command says of the file, the build says too
    assert any("1 items of the site's machinery" in line for line in logged), logged
    caplog.clear()
    (content / "sitemap.xml").unlink()
    one_post = EXPORT[:EXPORT.index("<item>\n <title>About us")] + "</channel></rss>"
    (content / "site.xml").write_text(one_post, encoding="utf-8")
    (content / "broken.xml").write_text(EXPORT[:EXPORT.index("<channel>") + 9], encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        out = build_site(content, tmp_path / "out2", WP_IMPORT_JOBS=1)
    assert (out / "2024" / "05" / "late-ferry" / "index.html").is_file()  # an export of one post
    assert any("broken.xml" in r.getMessage() and "cannot be read as XML" in r.getMessage()
               for r in caplog.records)
