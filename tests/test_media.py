"""--media: the images posts use, downloaded once each from a real server on 127.0.0.1, linked with {static}."""
import json

import pytest

from helpers import build_site, html, read_markdown
from pelican_wp_import.cli import main
from pelican_wp_import.downloads import MediaLibrary
from pelican_wp_import.htmltree import parse_body, to_html
from pelican_wp_import.media import MediaRef, candidates_for, largest_in_srcset, local_path, origin_of, prepare_images
from pelican_wp_import.retry import RetryPolicy
from pelican_wp_import.write import OutputFolder
from webserver import Answer, Site, serve

UPLOADS = "/wp-content/uploads/2023/09"
JPEG = b"\xff\xd8\xff\xe0" + b"picture" * 50


@pytest.mark.parametrize("url, origin", [
    ("https://i0.wp.com/example.com/wp-content/uploads/a.jpg?resize=300%2C200&ssl=1",
     "https://example.com/wp-content/uploads/a.jpg"),
    ("http://i2.wp.com/example.com/wp-content/uploads/a.jpg?w=640", "http://example.com/wp-content/uploads/a.jpg"),
    ("https://example.com/wp-content/uploads/a.jpg?w=640", "https://example.com/wp-content/uploads/a.jpg?w=640"),
    ("https://i0.wp.com/", "https://i0.wp.com/"),
])
def test_jetpack_addresses_become_the_origin_file(url, origin):
    assert origin_of(url) == origin


@pytest.mark.parametrize("srcset, largest", [
    ("a-300x200.jpg 300w, a-1024x683.jpg 1024w, a-768x512.jpg 768w", "a-1024x683.jpg"),
    ("a.jpg 1x, a@2x.jpg 2x", "a@2x.jpg"),
    ("https://x.org/a,b.jpg 640w", "https://x.org/a,b.jpg"),
    ("", ""),
])
def test_srcset_gives_its_largest_candidate(srcset, largest):
    assert largest_in_srcset(srcset) == largest


def test_a_resized_copy_tries_the_original_first():
    assert candidates_for("https://s.org/wp-content/uploads/2023/09/boat-300x200.jpg") == (
        "https://s.org/wp-content/uploads/2023/09/boat.jpg", "https://s.org/wp-content/uploads/2023/09/boat-300x200.jpg")
    assert candidates_for("https://s.org/wp-content/uploads/boat.jpg") == ("https://s.org/wp-content/uploads/boat.jpg",)
    assert candidates_for("https://cdn.org/img/boat-300x200.jpg") == ("https://cdn.org/img/boat-300x200.jpg",)


@pytest.mark.parametrize("url, path", [
    ("https://s.org/wp-content/uploads/2023/09/boat.jpg", "images/2023/09/boat.jpg"),
    ("https://s.org/blog/wp-content/uploads/2023/09/b%C3%A5t.jpg", "images/2023/09/båt.jpg"),
    ("https://cdn.org/img/boat.png", "images/cdn.org/img/boat.png"),
    ("https://cdn.org/../../etc/passwd", "images/cdn.org/etc/passwd"),
    ("https://cdn.org/a/%2e%2e/%2e%2e/x.jpg", "images/cdn.org/a/x.jpg"),
    ("https://cdn.org/pic.jpg?v=2", "images/cdn.org/pic-f67bbdbf.jpg"),
])
def test_local_paths_stay_in_the_images_folder(url, path):
    assert local_path(url) == path


def test_images_point_at_their_best_address():
    body = parse_body(
        '<figure><a href="https://s.org/wp-content/uploads/b.jpg"><img src="https://s.org/wp-content/uploads/b-300x200.jpg"'
        ' srcset="https://s.org/wp-content/uploads/b-300x200.jpg 300w, https://s.org/wp-content/uploads/b-1024x683.jpg 1024w"'
        ' sizes="100vw" alt="B"></a></figure><img src="https://i0.wp.com/s.org/c.png?ssl=1"><img src="data:x">')
    refs = prepare_images(body)
    assert to_html(body) == (
        '<body><figure><a href="https://s.org/wp-content/uploads/b.jpg"><img alt="B" '
        'src="https://s.org/wp-content/uploads/b-1024x683.jpg"/></a></figure>'
        '<img src="https://s.org/c.png"/><img src="data:x"/></body>')
    assert [r.url for r in refs] == ["https://s.org/wp-content/uploads/b-1024x683.jpg", "https://s.org/c.png",
                                     "https://s.org/wp-content/uploads/b.jpg"]


def _post(post_id, slug, html_body, featured=None):
    post = {"id": post_id, "date": "2023-09-05T10:00:00", "date_gmt": "2023-09-05T08:00:00", "slug": slug,
            "status": "publish", "type": "post", "link": f"https://old.example/{slug}/",
            "title": {"rendered": slug.title()}, "content": {"rendered": html_body}}
    if featured:
        post["_embedded"] = {"wp:featuredmedia": [{"id": 9, "source_url": featured, "alt_text": "Lead"}]}
    return post


@pytest.fixture
def image_site():
    site = Site()
    site.add(f"{UPLOADS}/boat.jpg", JPEG, Content_Type="image/jpeg")
    site.add(f"{UPLOADS}/boat-300x200.jpg", JPEG[:20], Content_Type="image/jpeg")
    site.add(f"{UPLOADS}/net-300x200.jpg", JPEG, Content_Type="image/jpeg")  # its original is gone
    site.answers[f"{UPLOADS}/gull.png"] = Answer(200, b"\x89PNG gull", {"Content-Type": "image/png"}, fail_first=1)
    site.add(f"{UPLOADS}/lead.jpg", JPEG, Content_Type="image/jpeg")
    with serve(site):
        yield site


def _write_posts(folder, site):
    u = site.url + UPLOADS
    jetpack = f"http://i0.wp.com/{site.url.removeprefix('http://')}{UPLOADS}/gull.png?resize=50%2C50"
    posts = [
        _post(1, "ferry", f'<p>Boat:</p><figure class="wp-block-image"><img src="{u}/boat-300x200.jpg" alt="Boat">'
                          f'<figcaption>The boat</figcaption></figure><p><img src="{u}/net-300x200.jpg" alt="Net"></p>'
                          f'<p><img src="{jetpack}" alt="Gull"></p>', featured=f"{u}/lead.jpg"),
        _post(2, "quay", f'<p><img src="{u}/boat-300x200.jpg" alt="Boat again"> and '
                         f'<img src="{u}/missing.jpg" alt="Gone"></p>'),
    ]
    folder.mkdir()
    (folder / "posts.json").write_text(json.dumps(posts))


def test_media_are_downloaded_once_and_linked_with_static(tmp_path, image_site, capsys):
    _write_posts(tmp_path / "json", image_site)
    out = tmp_path / "content"
    assert main(["convert", str(tmp_path / "json"), "-o", str(out), "--media"]) == 0
    err = capsys.readouterr().err
    assert (out / "images/2023/09/boat.jpg").read_bytes() == JPEG  # the original, not the copy
    assert (out / "images/2023/09/net-300x200.jpg").read_bytes() == JPEG  # no original: the copy
    assert (out / "images/2023/09/gull.png").read_bytes() == b"\x89PNG gull"  # Jetpack CDN -> origin, after a 503
    assert image_site.asked[f"{UPLOADS}/boat.jpg"] == 1  # two posts, one download
    assert image_site.asked[f"{UPLOADS}/boat-300x200.jpg"] == 0

    meta, body = read_markdown(out / "ferry.md")
    assert "![Boat]({static}images/2023/09/boat.jpg)" in body or 'src="{static}images/2023/09/boat.jpg"' in body
    assert "![Net]({static}images/2023/09/net-300x200.jpg)" in body
    assert "![Gull]({static}images/2023/09/gull.png)" in body
    assert meta["image"] == "images/2023/09/lead.jpg"
    _, quay = read_markdown(out / "quay.md")
    assert "![Boat again]({static}images/2023/09/boat.jpg)" in quay
    assert f"![Gone]({image_site.url}{UPLOADS}/missing.jpg)" in quay  # a failed download keeps its address

    lines = err.strip().splitlines()
    assert (f"warning: {tmp_path / 'json' / 'posts.json'}: post 2: image not downloaded, its address kept: "
            f"{image_site.url}{UPLOADS}/missing.jpg: HTTP 404") in lines
    assert lines[-1] == ("2 posts converted (2 written, 0 unchanged, 0 kept as edited), 0 skipped, 1 warnings, "
                         "0 errors; 4 images in place, 1 not downloaded")


def test_a_second_run_downloads_nothing_and_writes_nothing(tmp_path, image_site, capsys):
    _write_posts(tmp_path / "json", image_site)
    out = tmp_path / "content"
    main(["convert", str(tmp_path / "json"), "-o", str(out), "--media", "-q"])
    before = sum(image_site.asked.values())
    capsys.readouterr()
    assert main(["convert", str(tmp_path / "json"), "-o", str(out), "--media", "-q"]) == 0
    asked_again = {path for path, n in image_site.asked.items() if n} - {f"{UPLOADS}/missing.jpg"}
    assert sum(image_site.asked.values()) - before == 1  # only the image that failed is tried again
    assert f"{UPLOADS}/missing.jpg" in image_site.asked and asked_again
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith(
        "2 posts converted (0 written, 2 unchanged, 0 kept as edited)")


def test_the_built_site_shows_the_downloaded_images(tmp_path, image_site):
    _write_posts(tmp_path / "json", image_site)
    content = tmp_path / "content"
    main(["convert", str(tmp_path / "json"), "-o", str(content), "--media", "-q"])
    output = build_site(content, tmp_path / "output", WP_IMPORT_KEEP_PERMALINKS=False)
    page = next(output.rglob("ferry*.html"))
    sources = [img["src"] for img in html(page).select(".e-content img")]
    assert any(s.endswith("images/2023/09/boat.jpg") and "{static}" not in s for s in sources), sources
    assert (output / "images/2023/09/boat.jpg").read_bytes() == JPEG
    assert (output / "images/2023/09/lead.jpg").exists()


def test_without_media_nothing_is_downloaded(tmp_path, image_site):
    _write_posts(tmp_path / "json", image_site)
    assert main(["convert", str(tmp_path / "json"), "-o", str(tmp_path / "content"), "-q"]) == 0
    assert sum(image_site.asked.values()) == 0
    _, body = read_markdown(tmp_path / "content" / "ferry.md")
    assert f"{image_site.url}{UPLOADS}/boat-300x200.jpg" in body


def test_a_busy_image_server_is_asked_again_after_the_pause_it_names(tmp_path):
    """429 with Retry-After: the download waits what the server asked (not the 10 ms backoff), then succeeds."""
    path = f"{UPLOADS}/busy.jpg"
    site = Site()
    site.answers[path] = Answer(200, JPEG, {"Content-Type": "image/jpeg"}, fail_first=1, fail_status=429,
                                fail_headers={"Retry-After": "1"})
    with serve(site):
        url = site.url + path
        library = MediaLibrary(OutputFolder(tmp_path), policy=RetryPolicy(retries=2, backoff=0.01, max_wait=5))
        result = library.fetch_all([MediaRef(url, (url,))])
    assert result.local == {url: "images/2023/09/busy.jpg"} and not result.failed
    first, second = site.times[path]
    assert second - first >= 0.9


def test_an_image_server_that_stays_busy_is_listed_as_failed(tmp_path):
    path = f"{UPLOADS}/always-busy.jpg"
    site = Site()
    site.answers[path] = Answer(200, JPEG, fail_first=10, fail_status=503, fail_headers={"Retry-After": "0"})
    with serve(site):
        url = site.url + path
        library = MediaLibrary(OutputFolder(tmp_path), policy=RetryPolicy(retries=2, backoff=0.01))
        result = library.fetch_all([MediaRef(url, (url,))])
    assert result.failed == {url: "HTTP 503"} and site.asked[path] == 3  # the first try and two retries
