"""The sanitiser: what it removes and counts, what WordPress posts keep, and how it is switched off."""
from __future__ import annotations

import json

import pytest

from markdown_pairs import md
from pelican_wp_import.cli import main
from pelican_wp_import.clean import clean_html
from pelican_wp_import.fields import Options
from pelican_wp_import.markdown import to_markdown
from pelican_wp_import.model import Converted, RawPost
from pelican_wp_import.pipeline import convert_post
from pelican_wp_import.readers import options_from
from pelican_wp_import.resolve import Sidecars
from pelican_wp_import.sanitize import IFRAME_HOSTS, Sanitizer, refused_iframe_host


def sanitised(html: str, **options) -> tuple[str, list[str]]:
    """(Markdown, warnings) of a post body through the sanitiser and the converter."""
    cleaned = clean_html(html, Sanitizer(**options))
    return to_markdown(cleaned.root), cleaned.warnings


def sanitised_html(html: str) -> str:
    warnings: list[str] = []
    return Sanitizer()(html, warnings)


# --- removed, and counted ----------------------------------------------------------------------------

@pytest.mark.parametrize("html, markdown, warning", [
    ("<p>Hi<script>alert(1)</script><script src=x.js></script></p>", "Hi\n", "2 <script>"),
    ('<p onclick="alert(1)" onmouseover="x()">Hi</p>', "Hi\n", "1 onclick attribute, 1 onmouseover attribute"),
    ('<p><img src="a.jpg" onerror="alert(1)" alt="A"><img src="b.jpg" onerror="x"></p>', "![A](a.jpg)![](b.jpg)\n",
     "2 onerror attributes"),
    ('<p><a href="javascript:alert(1)">a</a> <a href=" JaVa&#09;ScRiPt:x">b</a> <a href="vbscript:x">c</a></p>',
     "a b c\n", "2 javascript: addresses, 1 vbscript: address"),
    ('<p><a href="data:text/html,&lt;script&gt;x">a</a><img src="data:image/png;base64,AAAA" alt="dot"></p>',
     "a![dot](data:image/png;base64,AAAA)\n", "1 data: address"),
    ('<p><img src="a.jpg" srcset="a.jpg 1x, javascript:x 2x" alt="A"></p>', "![A](a.jpg)\n", "1 javascript: address"),
    ('<p><img data-src="javascript:alert(1)" src="data:image/gif;base64,R0" alt="lazy"></p>',
     "![lazy](data:image/gif;base64,R0)\n", "1 javascript: address"),
    ("<object data=x.swf><param name=a value=b><embed src=x.swf>Flash needed</object>", "Flash needed\n",
     "1 <object>, 1 <embed>"),
    ('<form action="/x"><input name=q><button>Go</button><select><option>A</option></select>'
     "<textarea>Text</textarea></form>", "GoAText\n", "1 <form>, 1 <input>, 1 <button>, 1 <select>, 1 <textarea>"),
    ('<meta http-equiv="refresh" content="0;url=x"><base href="https://evil.example/"><link rel=stylesheet href=x>'
     "<p>Body</p>", "Body\n", "1 <meta>, 1 <base>, 1 <link>"),
    ('<iframe srcdoc="&lt;script&gt;x&lt;/script&gt;"></iframe><p>After</p>', "After\n",
     "1 iframe srcdoc attribute, 1 <iframe> without an address"),
    ('<iframe src="https://evil.example/x"></iframe><iframe src="javascript:alert(1)"></iframe><p>After</p>',
     "After\n", "1 <iframe> from evil.example, 1 <iframe> with a javascript: address"),
    ('<p style="background: url(https://evil.example/x.png)">A</p><p style="width: expression(alert(1))">B</p>'
     '<p style="color: red">C</p>', "A\n\nB\n\nC\n", "2 style attributes loading an address"),
    ("<style>@import url(x.css)</style><p>Styled</p>", "Styled\n", "1 <style>"),
    ('<svg onload="alert(1)"><circle r="4"/></svg><p>After</p>', "After\n", "1 <svg>"),
])
def test_hostile_markup_is_removed_and_counted(html, markdown, warning):
    assert sanitised(html) == (markdown, [f"sanitised: removed {warning}"])


def test_every_removal_of_a_post_is_one_warning_line():
    html = ('<p onclick="x()">Hi<script>a()</script><script>b()</script> <a href="javascript:c()">c</a></p>'
            '<iframe src="https://evil.example/"></iframe>')
    assert sanitised(html)[1] == ["sanitised: removed 2 <script>, 1 onclick attribute, 1 javascript: address, "
                                  "1 <iframe> from evil.example"]


def test_tags_in_comments_attributes_and_script_text_are_not_counted():
    html = ("<!-- <script>x</script> --><p title=\"<script>\">A</p>"
            "<script>document.write('<form><script>')</script>")
    assert sanitised(html)[1] == ["sanitised: removed 1 <script>"]


def test_unknown_tags_are_unwrapped_quietly_and_their_text_kept():
    assert sanitised("<p>Word<o:p></o:p> <my-widget>inside</my-widget> <font color=red>red</font></p>") == (
        "Word inside red\n", [])


# --- kept: what posts need ---------------------------------------------------------------------------

KEPT = [
    '<figure class="wp-block-image size-large"><img src="https://x.example/a.jpg" alt="A" width="800" '
    'height="600" srcset="https://x.example/a.jpg 800w, https://x.example/a-300x200.jpg 300w" sizes="(max-width: '
    '800px) 100vw, 800px"/><figcaption class="wp-element-caption">Caption <a href="/p">link</a></figcaption></figure>',
    '<div id="attachment_5" class="wp-caption alignleft"><img src="a.jpg" alt="x"/><p class="wp-caption-text">C</p>'
    "</div>",
    '<figure class="wp-block-table"><table><thead><tr><th scope="col">A</th></tr></thead><tbody><tr>'
    '<td colspan="2" rowspan="1">1</td></tr></tbody></table></figure>',
    '<pre class="wp-block-code"><code class="language-python">print("&lt;hi&gt;")</code></pre>',
    '<pre class="brush: php; title: ; notranslate">echo 1;</pre>',
    '<figure class="wp-block-video"><video controls="" poster="https://x.example/p.jpg" src="https://x.example/v.mp4">'
    '<source src="https://x.example/v.webm" type="video/webm"/><track kind="captions" src="c.vtt" srclang="en"/>'
    "</video></figure>",
    '<audio controls="" src="https://x.example/a.mp3"></audio>',
    '<p>Text<sup data-fn="f1" class="fn"><a href="#f1" id="f1-link">1</a></sup></p><ol class="wp-block-footnotes">'
    '<li id="f1">Note <a href="#f1-link">↩︎</a></li></ol>',
    '<blockquote class="twitter-tweet" data-width="550"><p lang="en" dir="ltr">Tweet</p>&mdash; A '
    '<a href="https://twitter.com/a/status/1">May 1</a></blockquote>',
    '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/x/"><a '
    'href="https://www.instagram.com/p/x/">post</a></blockquote>',
    '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper"><iframe title="V" width="500" '
    'height="281" src="https://www.youtube.com/embed/abc?feature=oembed" frameborder="0" allow="autoplay" '
    'allowfullscreen=""></iframe></div></figure>',
    '<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe><iframe src="//player.vimeo.com/video/1">'
    '</iframe><iframe src="https://www.google.com/maps/embed?pb=x"></iframe>',
    '<p>Intro <span id="more-123"></span>rest</p><p><!--more--></p>',
    '<div class="gallery galleryid-5 gallery-columns-3"><dl class="gallery-item"><dt class="gallery-icon">'
    '<a href="b.jpg"><img src="b-150x150.jpg" alt="b"/></a></dt><dd class="wp-caption-text gallery-caption">Cap</dd>'
    "</dl></div>",
    '<p><img data-src="https://x.example/lazy.jpg" src="data:image/svg+xml,%3Csvg%3E" alt="lazy"/> <a '
    'href="mailto:a@x.example">mail</a> <a href="tel:+4712345678">call</a> <a href="#top">top</a></p>',
    "<details><summary>More</summary><p>Hidden</p></details><dl><dt>Term</dt><dd>Def</dd></dl>",
]


@pytest.mark.parametrize("html", KEPT)
def test_what_posts_need_is_kept_unchanged_in_the_markdown(html):
    assert sanitised(html) == (md(html), [])


def test_the_html_of_a_post_keeps_its_classes_ids_and_data_attributes():
    html = ('<figure class="wp-block-image" id="f" data-id="5" aria-label="x"><img src="a.jpg" class="wp-image-5"/>'
            '</figure>')
    assert sanitised_html(html) == html.replace("/>", ">")


# --- iframes: hosts --------------------------------------------------------------------------------

@pytest.mark.parametrize("src, refused", [
    ("https://www.youtube.com/embed/x", None),
    ("https://youtube.com/embed/x", None),
    ("//www.youtube-nocookie.com/embed/x", None),
    ("https://player.vimeo.com/video/1", None),
    ("https://www.google.com/maps/embed?pb=1", None),
    ("https://www.google.com/search?q=x", "www.google.com"),  # google.com only for /maps
    ("https://open.spotify.com/embed/track/1", None),
    ("https://codepen.io/a/embed/b", None),
    ("https://www.youtube.com.evil.example/embed/x", "www.youtube.com.evil.example"),
    ("https://evilyoutube.com/embed/x", "evilyoutube.com"),
    ("https://evil.example\\@www.youtube.com/", "evil.example"),  # a browser reads \ as /
    ("https://evil.example\t/@www.youtube.com/", "evil.example"),
    ("https://www.youtube.com@evil.example/", "evil.example"),
    ("/wp-content/uploads/map.html", "no host"),
    ("ftp://www.youtube.com/x", "www.youtube.com"),
    ("http://[::1", "an unreadable address"),
])
def test_iframe_hosts(src, refused):
    assert refused_iframe_host(src, IFRAME_HOSTS) == refused


def test_iframe_hosts_can_be_set():
    html = '<iframe src="https://video.example.org/embed/1"></iframe><iframe src="https://www.youtube.com/embed/x">'
    markdown, warnings = sanitised(html + "</iframe>", iframe_hosts=("video.example.org",))
    assert markdown == '<iframe src="https://video.example.org/embed/1" title="Embedded content from video.example.org">' \
                       '</iframe>\n'
    assert warnings == ["sanitised: removed 1 <iframe> from www.youtube.com"]


# --- through the pipeline, the command and Pelican's settings ------------------------------------------

def _post(content: str, excerpt: str = "") -> dict:
    return {"id": 5, "date": "2024-07-01T12:00:00", "slug": "s", "status": "publish", "title": {"rendered": "T"},
            "content": {"rendered": content}, "excerpt": {"rendered": excerpt}}


def test_excerpt_is_sanitised_too_and_says_so():
    result = convert_post(RawPost(_post("<p>Body.</p>", '<p>My own <img src=x onerror="alert(1)">words</p>'),
                                  "p.json"), Sidecars(), Options())
    assert isinstance(result, Converted)
    assert result.metadata["summary"] == "My own ![](x)words"
    assert result.warnings == ["sanitised the excerpt: removed 1 onerror attribute"]


def test_sanitising_can_be_switched_off():
    html = '<p>A</p><iframe src="https://evil.example/x"></iframe>'
    on = convert_post(RawPost(_post(html), "p.json"), Sidecars(), Options())
    off = convert_post(RawPost(_post(html), "p.json"), Sidecars(), Options(sanitize=False))
    assert on.markdown == "A\n" and on.warnings == ["sanitised: removed 1 <iframe> from evil.example"]
    assert off.markdown == ('A\n\n<iframe src="https://evil.example/x" title="Embedded content from evil.example">'
                            '</iframe>\n') and off.warnings == []


def test_pelican_settings_switch_and_set_it():
    assert options_from({}).sanitize is True and options_from({}).iframe_hosts == IFRAME_HOSTS
    options = options_from({"WP_IMPORT_SANITIZE": False, "WP_IMPORT_IFRAME_HOSTS": ["video.example.org"]})
    assert (options.sanitize, options.iframe_hosts) == (False, ("video.example.org",))


def test_command_sanitises_by_default_and_not_with_no_sanitize(capsys, tmp_path):
    source = tmp_path / "post.json"
    source.write_text(json.dumps(_post('<p>A<script>x()</script></p><iframe src="https://evil.example/"></iframe>')))
    assert main(["convert", str(source), "-o", str(tmp_path / "safe")]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"warning: {source}: post 5: sanitised: removed 1 <script>, 1 <iframe> from evil.example")
    assert (tmp_path / "safe" / "s.md").read_text().endswith("\nA\n")
    assert main(["convert", str(source), "-o", str(tmp_path / "raw"), "--no-sanitize"]) == 0
    assert "sanitised" not in capsys.readouterr().err
    assert (tmp_path / "raw" / "s.md").read_text().endswith(
        '\nA\n\n<iframe src="https://evil.example/" title="Embedded content from evil.example"></iframe>\n')


def test_very_deep_nesting_is_flattened_before_nh3_which_is_quadratic_there():
    html = "<div>x</span>" * 30_000  # closed by nothing: 30,000 levels as an HTML parser reads it
    markdown, warnings = sanitised(html)
    assert markdown.count("x") == 30_000
    assert warnings == ["HTML nested more than 120 levels deep; 29880 inner tags unwrapped, their text kept"]
