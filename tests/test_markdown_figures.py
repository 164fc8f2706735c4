"""WordPress images, captions, galleries and embeds -> Markdown images, or small blocks of clean HTML."""
from bs4 import BeautifulSoup

from markdown_pairs import md
from roundtrip import render


def _soup(markdown_text):
    return BeautifulSoup(render(markdown_text), "html.parser")


# --- images ----------------------------------------------------------------------------------------

def test_alt_text_that_looks_like_markup_stays_alt_text():
    # found by tests/test_properties.py: brackets or a blank line in the alt text ended the image, and
    # the rest was read as Markdown and raw HTML
    html = '<p><img src="x.jpg" alt="a] [b `c` C:\\d &amp;amp; &lt;script&gt;alert(1)&lt;/script&gt;\n\n&lt;b&gt;"></p>'
    assert md(html) == "![a\\] \\[b \\`c\\` C:\\\\d &amp;amp; &lt;script>alert(1)&lt;/script> &lt;b>](x.jpg)\n"
    assert _soup(md(html)).img["alt"] == "a] [b `c` C:\\d &amp; <script>alert(1)</script> <b>"


def test_image_in_a_heading_stays_an_image():
    # it became its alt text (markdownify's way), and the picture was gone (found by --verify's measure)
    html = "<h2><img src='https://x.example/flag.png' alt='Flag'> Norway</h2>"
    assert md(html) == "## ![Flag](https://x.example/flag.png) Norway\n"
    assert render(md(html)) == '<h2><img alt="Flag" src="https://x.example/flag.png"> Norway</h2>'
    html = "<h2><img src='x.jpg' alt='&lt;script&gt;alert(1)&lt;/script&gt;'> Title</h2>"
    assert md(html) == "## ![&lt;script>alert(1)&lt;/script>](x.jpg) Title\n"
    assert md("<h3><img alt='Only words'> here</h3>") == "### Only words here\n"  # no address: its words


def test_image_with_a_script_address_keeps_no_address():
    assert md('<p><img src="javascript:alert(1)" alt="x"> <img src="data:image/gif;base64,R0lGOD" alt="y"></p>') \
        == "![x]() ![y](data:image/gif;base64,R0lGOD)\n"


def test_image_with_alt_and_title():
    html = '<p><img src="/a.jpg" alt="A cat" title="Cat title"></p>'
    assert md(html) == '![A cat](/a.jpg "Cat title")\n'
    assert render(md(html)) == '<p><img alt="A cat" src="/a.jpg" title="Cat title"></p>'


def test_image_inside_a_link():
    html = '<p><a href="/big.jpg"><img src="/a.jpg" alt="A cat"></a></p>'
    assert md(html) == "[![A cat](/a.jpg)](/big.jpg)\n"
    assert render(md(html)) == '<p><a href="/big.jpg"><img alt="A cat" src="/a.jpg"></a></p>'


def test_lazy_loaded_image_uses_its_real_address():
    html = '<p><img src="data:image/gif;base64,R0lGOD" data-src="/lazy.jpg" alt="Lazy"></p>'
    assert md(html) == "![Lazy](/lazy.jpg)\n"
    assert md('<p><img data-lazy-src="/lazy.jpg" alt="Lazy"></p>') == "![Lazy](/lazy.jpg)\n"


def test_image_block_without_caption_is_a_markdown_image():
    html = '<figure class="wp-block-image size-large"><img src="/a.jpg" alt="A cat" class="wp-image-12"/></figure>'
    assert md(html) == "![A cat](/a.jpg)\n"


def test_linked_image_block_without_caption():
    html = '<figure class="wp-block-image"><a href="/big.jpg"><img src="/a.jpg" alt="A cat"/></a></figure>'
    assert md(html) == "[![A cat](/a.jpg)](/big.jpg)\n"


# --- captions --------------------------------------------------------------------------------------

def test_image_block_with_caption_stays_a_figure():
    html = ('<figure class="wp-block-image size-large"><img src="/a.jpg" alt="A cat" class="wp-image-12"/>'
            '<figcaption class="wp-element-caption">A <em>sleepy</em> cat</figcaption></figure>')
    assert md(html) == ('<figure class="wp-block-image size-large"><img alt="A cat" src="/a.jpg"/>'
                        "<figcaption>A <em>sleepy</em> cat</figcaption></figure>\n")
    figure = _soup(md(html)).figure
    assert figure.img["src"] == "/a.jpg"
    assert figure.figcaption.decode_contents() == "A <em>sleepy</em> cat"


def test_classic_caption_becomes_a_figure():
    html = ('<div id="attachment_5" style="width: 310px" class="wp-caption aligncenter">'
            '<img aria-describedby="caption-attachment-5" src="/a.jpg" alt="A cat" width="300" height="200" '
            'class="size-medium wp-image-5"><p id="caption-attachment-5" class="wp-caption-text">The cat.</p></div>')
    assert md(html) == ('<figure class="wp-caption"><img alt="A cat" height="200" src="/a.jpg" width="300"/>'
                        "<figcaption>The cat.</figcaption></figure>\n")
    assert _soup(md(html)).figure.figcaption.get_text() == "The cat."


def test_caption_whose_wrapper_lost_its_class():
    html = '<div style="width: 610px"><img src="/a.jpg" width="600"/><span class="wp-caption-text">The cat.</span></div>'
    assert md(html) == ('<figure class="wp-caption"><img src="/a.jpg" width="600"/>'
                        "<figcaption>The cat.</figcaption></figure>\n")


def test_literal_caption_shortcode_becomes_a_figure():
    html = ('<p>[caption id="attachment_5" align="aligncenter" width="300"]'
            '<img src="/a.jpg" alt="A cat" width="300" height="200"> The cat sleeps.[/caption]</p>')
    assert md(html) == ('<figure class="wp-caption"><img alt="A cat" height="200" src="/a.jpg" width="300"/>'
                        "<figcaption>The cat sleeps.</figcaption></figure>\n")


def test_literal_caption_shortcode_around_a_linked_image():
    html = ('[caption id="attachment_5" align="aligncenter" width="300"]'
            '<a href="/big.jpg"><img src="/a.jpg" alt="A cat"></a> The cat sleeps.[/caption]')
    assert md(html) == ('<figure class="wp-caption"><a href="/big.jpg"><img alt="A cat" src="/a.jpg"/></a>'
                        "<figcaption>The cat sleeps.</figcaption></figure>\n")


def test_captioned_figure_between_paragraphs():
    html = ('<p>Before.</p><figure class="wp-block-image"><img src="/a.jpg" alt=""/>'
            "<figcaption>Caption</figcaption></figure><p>After.</p>")
    assert md(html) == ('Before.\n\n<figure class="wp-block-image"><img alt="" src="/a.jpg"/>'
                        "<figcaption>Caption</figcaption></figure>\n\nAfter.\n")
    soup = _soup(md(html))
    assert [p.get_text() for p in soup.find_all("p")] == ["Before.", "After."]
    assert soup.figcaption.get_text() == "Caption"


# --- galleries -------------------------------------------------------------------------------------

CLASSIC_GALLERY = (
    '<div id="gallery-1" class="gallery galleryid-9 gallery-columns-2 gallery-size-thumbnail">'
    '<dl class="gallery-item"><dt class="gallery-icon landscape"><a href="/one.jpg"><img width="150" height="150" '
    'src="/one-150.jpg" class="attachment-thumbnail" alt="One" /></a></dt>'
    '<dd class="wp-caption-text gallery-caption" id="gallery-1-10">First caption</dd></dl>'
    '<dl class="gallery-item"><dt class="gallery-icon portrait"><a href="/two.jpg"><img width="150" height="150" '
    'src="/two-150.jpg" class="attachment-thumbnail" alt="Two" /></a></dt>'
    '<dd class="wp-caption-text gallery-caption" id="gallery-1-11">Second caption</dd></dl>'
    '<br style="clear: both" /></div>')


def test_classic_gallery():
    assert md(CLASSIC_GALLERY) == (
        '<figure class="gallery">'
        '<figure><a href="/one.jpg"><img alt="One" height="150" src="/one-150.jpg" width="150"/></a>'
        "<figcaption>First caption</figcaption></figure>"
        '<figure><a href="/two.jpg"><img alt="Two" height="150" src="/two-150.jpg" width="150"/></a>'
        "<figcaption>Second caption</figcaption></figure></figure>\n")


def test_classic_gallery_renders_every_image_and_caption():
    soup = _soup(md(CLASSIC_GALLERY))
    assert [img["src"] for img in soup.find_all("img")] == ["/one-150.jpg", "/two-150.jpg"]
    assert [c.get_text() for c in soup.find_all("figcaption")] == ["First caption", "Second caption"]


def test_a_gallery_linking_to_attachment_pages_links_to_the_pictures_instead():
    # "link to: attachment page": pages the static site will not have
    html = CLASSIC_GALLERY.replace('href="/one.jpg"', 'href="https://x.example/trip/one/"').replace(
        'src="/one-150.jpg"', 'src="https://x.example/wp-content/uploads/2016/11/one-150x150.jpg"').replace(
        'href="/two.jpg"', 'href="https://x.example/trip/two/"').replace(
        'src="/two-150.jpg"', 'src="/two-150.jpg" srcset="/two-150.jpg 150w, /two-1024.jpg 1024w"')
    links = [a["href"] for a in _soup(md(html)).find_all("a")]
    assert links == ["https://x.example/wp-content/uploads/2016/11/one.jpg", "/two-1024.jpg"]


GUTENBERG_GALLERY = (
    '<figure class="wp-block-gallery has-nested-images columns-default is-cropped">'
    '<figure class="wp-block-image size-large"><img src="/one.jpg" alt="One" class="wp-image-10"/>'
    '<figcaption class="wp-element-caption">First caption</figcaption></figure>'
    '<figure class="wp-block-image size-large"><img src="/two.jpg" alt="Two" class="wp-image-11"/></figure>'
    '<figcaption class="blocks-gallery-caption wp-element-caption">Both of them</figcaption></figure>')


def test_gutenberg_gallery():
    assert md(GUTENBERG_GALLERY) == (
        '<figure class="wp-block-gallery has-nested-images columns-default is-cropped">'
        '<figure class="wp-block-image size-large"><img alt="One" src="/one.jpg"/>'
        "<figcaption>First caption</figcaption></figure>"
        '<figure class="wp-block-image size-large"><img alt="Two" src="/two.jpg"/></figure>'
        "<figcaption>Both of them</figcaption></figure>\n")


def test_gutenberg_gallery_renders_every_image_and_caption():
    soup = _soup(md(GUTENBERG_GALLERY))
    assert [img["src"] for img in soup.find_all("img")] == ["/one.jpg", "/two.jpg"]
    assert [c.get_text() for c in soup.find_all("figcaption")] == ["First caption", "Both of them"]


# --- embeds ----------------------------------------------------------------------------------------

def test_youtube_embed_keeps_the_iframe():
    html = ('<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube '
            'wp-embed-aspect-16-9 wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">\n'
            '<iframe title="A video" width="640" height="360" src="https://www.youtube.com/embed/abc123?feature=oembed" '
            'frameborder="0" allow="accelerometer; autoplay" referrerpolicy="strict-origin-when-cross-origin" '
            "allowfullscreen></iframe>\n</div></figure>")
    assert md(html) == ('<iframe allow="accelerometer; autoplay" allowfullscreen="" frameborder="0" height="360" '
                        'src="https://www.youtube.com/embed/abc123?feature=oembed" title="A video" width="640">'
                        "</iframe>\n")
    assert _soup(md(html)).iframe["src"] == "https://www.youtube.com/embed/abc123?feature=oembed"


def test_embed_with_caption_stays_a_figure():
    html = ('<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">'
            '<iframe src="https://www.youtube.com/embed/abc"></iframe></div><figcaption>Watch</figcaption></figure>')
    assert md(html) == ('<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">'
                        '<iframe src="https://www.youtube.com/embed/abc" title="Watch"></iframe></div>'
                        "<figcaption>Watch</figcaption></figure>\n")


def test_a_frame_without_a_title_is_named_by_its_caption_or_its_site():
    # a screen reader announces a frame by its title; embeds pasted as HTML often have none
    assert md('<p>Map:</p><iframe src="https://www.openstreetmap.org/export/embed.html" title=" "></iframe>') == (
        'Map:\n\n<iframe src="https://www.openstreetmap.org/export/embed.html" '
        'title="Embedded content from openstreetmap.org"></iframe>\n')
    caption = "A very long caption " * 10
    titled = _soup(md(f'<figure><iframe src="https://vimeo.com/1"></iframe><figcaption>{caption}</figcaption></figure>'))
    assert titled.iframe["title"] == caption[:119].rstrip() + "…"


def test_tweet_stays_html_without_its_script():
    html = ('<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter">'
            '<div class="wp-block-embed__wrapper">\n<blockquote class="twitter-tweet" data-width="550" data-dnt="true">'
            '<p lang="en" dir="ltr">Hello <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Jane (@jane) '
            '<a href="https://twitter.com/jane/status/1">May 1, 2023</a></blockquote>'
            '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n</div></figure>')
    assert md(html) == ('<blockquote class="twitter-tweet"><p>Hello <a href="https://t.co/x">pic.twitter.com/x</a></p>'
                        "— Jane (@jane) "
                        '<a href="https://twitter.com/jane/status/1">May 1, 2023</a></blockquote>\n')
    rendered = render(md(html))
    assert '<blockquote class="twitter-tweet">' in rendered and "<script" not in rendered


def test_instagram_stays_html_without_its_script():
    html = ('<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/XYZ/" '
            'data-instgrm-version="14" style="background:#FFF;"><div style="padding:16px;">'
            '<a href="https://www.instagram.com/p/XYZ/" target="_blank">View this post on Instagram</a></div></blockquote>\n'
            '<script async src="//www.instagram.com/embed.js"></script>')
    assert md(html) == ('<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/XYZ/">'
                        '<div><a href="https://www.instagram.com/p/XYZ/">View this post on Instagram</a></div>'
                        "</blockquote>\n")
    assert "embed.js" not in render(md(html))


# --- what stays HTML keeps HTML's own spelling -------------------------------------------------------

def test_a_captioned_figure_keeps_addresses_and_alt_text_as_html_spells_them():
    # the figure stays HTML: Markdown's escapes in its addresses (\( and %20) would break the link in a
    # browser, and a backslash in the alt text would be read out
    html = ('<figure class="wp-block-image"><img src="/up/a b.jpg" alt="The [draft] *plan*">'
            '<figcaption>From <a href="https://en.wikipedia.org/wiki/Mercury_(planet)">Wikipedia</a>'
            '</figcaption></figure>')
    assert md(html) == ('<figure class="wp-block-image"><img alt="The [draft] *plan*" src="/up/a b.jpg"/>'
                        '<figcaption>From <a href="https://en.wikipedia.org/wiki/Mercury_(planet)">Wikipedia</a>'
                        '</figcaption></figure>\n')
    page = _soup(md(html))
    assert page.a["href"] == "https://en.wikipedia.org/wiki/Mercury_(planet)"
    assert page.img["alt"] == "The [draft] *plan*"


def test_a_table_kept_as_html_keeps_its_links_whole():
    html = '<table><tr><td><p>One</p><a href="/wiki/A_(b)" title="A &quot;b&quot;">two</a></td></tr></table>'
    assert _soup(md(html)).a.attrs == {"href": "/wiki/A_(b)", "title": 'A "b"'}


def test_a_lazy_loaded_image_in_a_captioned_figure_shows_the_image_not_the_placeholder():
    html = ('<figure class="wp-caption"><img src="data:image/gif;base64,R0lGOD" data-lazy-src="/up/real.jpg" '
            'alt="Real"><figcaption>Caption</figcaption></figure>')
    assert _soup(md(html)).img["src"] == "/up/real.jpg"
