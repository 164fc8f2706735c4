"""The demo site in a real browser: Debian's Chromium through Playwright, axe-core, screenshots for a human eye.

The site is served from 127.0.0.1 by a thread of this test. The demo's pictures live on the invented
old site (harbourledger.example); the browser gets a local placeholder of a realistic size for them,
and any other request that leaves 127.0.0.1 fails the test.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT

CHROMIUM = Path("/usr/bin/chromium")
# CI installs Chromium and the test extras: there a missing piece is a failure, not a skip.
IN_CI = os.environ.get("CI", "").lower() == "true"
if not IN_CI:
    pytest.importorskip("playwright.sync_api")
    pytest.importorskip("axe_playwright_python")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Error as PlaywrightError, sync_playwright  # noqa: E402

SCREENSHOTS = ROOT / "tests" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
PAGES = {  # posts at their WordPress permalinks
    "index": "index.html",
    "article": "harbour/electric-ferry-ytteroy-arrives/",  # pictures, two authors, a sticky post
    "article-table": "news/saltvik-2025-budget-explained/",  # a wide table on a phone
    "article-footnotes": "science/kelp-forest-survey-finds-recovery/",  # footnote links inside the text
    "author": "author/maren-okonkwo.html",
    "authors": "authors.html",
    "archives": "archives.html",
}
WIDTHS = (390, 1280)
BAD_IMPACTS = {"serious", "critical"}
# A 3:2 picture the size WordPress serves, so layouts meet a large image as they would on the old site.
PLACEHOLDER = ('<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1067" viewBox="0 0 1600 1067">'
               '<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#9cc3d5"/>'
               '<stop offset="0.55" stop-color="#e9efe9"/><stop offset="0.56" stop-color="#3d6b7d"/>'
               '<stop offset="1" stop-color="#1f3f4c"/></linearGradient></defs>'
               '<rect width="1600" height="1067" fill="url(#g)"/></svg>').encode()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    # the README's build command, in its own process: Pelican's once-per-process warnings stay with it
    out = tmp_path_factory.mktemp("browser") / "output"
    subprocess.run([sys.executable, "-m", "pelican", str(CONTENT), "-s", str(ROOT / "pelicanconf.py"), "-o", str(out),
                    "--fatal", "errors", "-q"], cwd=ROOT, check=True, capture_output=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe():
    return Axe()


def new_context(browser, **options):
    """A browser context whose waits allow 90 s instead of Playwright's 30: a loaded CI machine is slow."""
    context = browser.new_context(**options)
    context.set_default_timeout(90_000)
    return context


class Visit:
    """One page load with everything that went wrong on the way: console errors, failed requests."""

    def __init__(self, browser, site_url: str, width: int, scheme: str):
        self.site_url = site_url
        self.problems: list[str] = []
        self.placeholders: list[str] = []
        self.context = new_context(browser, viewport={"width": width, "height": 900}, color_scheme=scheme,
                                   reduced_motion="reduce")
        self.page = self.context.new_page()
        self.page.route(lambda url: not url.startswith(site_url), self._outside)
        self.page.on("console", lambda msg: msg.type == "error" and self.problems.append(f"console: {msg.text}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda req: self.problems.append(f"failed: {req.url} {req.failure}"))
        self.page.on("response", lambda res: res.status >= 400 and self.problems.append(f"{res.status}: {res.url}"))

    def _outside(self, route):
        if route.request.resource_type == "image":
            self.placeholders.append(route.request.url)
            route.fulfill(status=200, content_type="image/svg+xml", body=PLACEHOLDER)
        else:
            self.problems.append(f"request outside the site: {route.request.url}")
            route.abort()

    def open(self, path: str):
        self.page.goto(self.site_url + path, wait_until="load")
        # scroll through, so lazy pictures load and the screenshot and the request checks see every one
        height = self.page.evaluate("document.documentElement.scrollHeight")
        for top in range(0, height + 900, 600):
            self.page.evaluate(f"window.scrollTo(0, {top})")
        self.page.wait_for_load_state("networkidle")
        # a lazy picture the quick scroll passed over may not have started: bring each such one into view
        # until every picture is in (Chromium 150 left one waiting now and then)
        self.page.wait_for_function("""(() => {
            const waiting = [...document.images].filter(i => !i.complete);
            if (waiting.length) waiting[0].scrollIntoView();
            return waiting.length === 0; })()""")
        self.page.evaluate("window.scrollTo(0, 0)")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    opened = []

    def make(width: int, scheme: str = "light") -> Visit:
        opened.append(Visit(browser, site_url, width, scheme))
        return opened[-1]

    yield make
    for one in opened:
        one.close()


def _serious(results) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in BAD_IMPACTS]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_well(visit, axe, name, width):
    """No console error, no failed request, nothing wider than the screen, no serious axe violation."""
    SCREENSHOTS.mkdir(exist_ok=True)
    one = visit(width)
    page = one.open(PAGES[name])
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    assert one.problems == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than a {width}px screen"
    masthead = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().width")
    assert masthead == page.evaluate("document.documentElement.clientWidth"), "the masthead spans the screen"
    assert _serious(axe.run(page)) == []


@pytest.mark.parametrize("name", ["index", "article", "author", "archives"])
def test_dark_mode_reads_well(visit, axe, name):
    """prefers-color-scheme: dark changes the colours and keeps every contrast axe checks."""
    SCREENSHOTS.mkdir(exist_ok=True)
    one = visit(390, "dark")
    page = one.open(PAGES[name])
    page.screenshot(path=str(SCREENSHOTS / f"{name}-390-dark.png"), full_page=True)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background not in ("rgb(255, 255, 255)", "rgb(251, 250, 247)")
    assert one.problems == []
    assert _serious(axe.run(page)) == []


def test_skip_link_is_first_and_visible_on_focus(visit):
    one = visit(390)
    page = one.open(PAGES["article"])
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_pictures_keep_their_alt_text_and_fit_the_screen(visit):
    one = visit(390)
    page = one.open(PAGES["index"])
    images = page.evaluate("""[...document.querySelectorAll('main img')].map(i => ({
        alt: i.getAttribute('alt'), width: i.getBoundingClientRect().width, loaded: i.complete && i.naturalWidth > 0}))""")
    assert images, "the index shows the featured pictures"
    assert all(i["alt"] for i in images)
    assert all(i["loaded"] for i in images)
    assert all(i["width"] <= 390 for i in images)
    assert one.placeholders and one.problems == []


def test_reads_without_javascript(browser, site_url):
    context = new_context(browser, java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.route(lambda url: not url.startswith(site_url), lambda route: route.abort())
        page.goto(site_url + PAGES["article-table"])
        assert page.locator(".e-content").inner_text().startswith("Saltvik’s council adopted its budget")
        assert page.locator(".bio-box").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("old, new", [
    ("index.html?p=173", "harbour/electric-ferry-ytteroy-arrives/"),  # a post's short link
    ("?page_id=12", "about/"),  # a page's, at the site root as WordPress printed it
    ("category/harbour/", "category/harbour.html"),  # a stub at an old address
    ("2024/05/", "archives/2024/05.html"),
])
def test_old_wordpress_addresses_end_on_the_new_page(visit, old, new):
    one = visit(390)
    page = one.page
    page.goto(one.site_url + old)
    page.wait_for_url(one.site_url + new)
    page.wait_for_load_state("load")
    assert page.locator("h1").first.inner_text()
    # pictures the home page had begun to load are cut off when it moves on; nothing else may fail
    assert [p for p in one.problems if not p.endswith("net::ERR_ABORTED")] == []


def test_a_short_link_without_javascript_shows_the_home_page(browser, site_url):
    context = new_context(browser, java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + "index.html?p=173")
        assert page.url == site_url + "index.html?p=173"
        assert page.locator("main article.card").count() >= 10
    finally:
        context.close()


# The longest full line of each of the first paragraphs, in characters.
LINE_LENGTHS = """[...document.querySelectorAll('.e-content > p')].slice(0, 6).map(p => {
  const counts = {}, walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) counts[Math.round(rect.top)] = (counts[Math.round(rect.top)] || 0) + 1;
    }
  }
  return Math.max(0, ...Object.values(counts).slice(0, -1));
}).filter(n => n > 0)"""


@pytest.mark.parametrize("width", [1280, 1440])
def test_article_lines_keep_a_readable_measure(visit, width):
    page = visit(width).open(PAGES["article-table"])
    lengths = page.evaluate(LINE_LENGTHS)
    assert lengths and all(55 <= n <= 80 for n in lengths), lengths


# For each paragraph of the body after a block that is not a heading: the block's tag, and the space
# between them in ems of the paragraph's text.
PARAGRAPH_GAPS = """() => [...document.querySelectorAll('.e-content > p')].filter(p => p.previousElementSibling
    && !/^H[1-6]$/.test(p.previousElementSibling.tagName)).map(p => {
  const before = p.previousElementSibling, size = parseFloat(getComputedStyle(p).fontSize);
  return [before.tagName, (p.getBoundingClientRect().top - before.getBoundingClientRect().bottom) / size]; })"""


def test_a_paragraph_after_a_list_or_a_picture_is_set_apart(visit):
    # the budget article's list ran straight into the next paragraph: no space at all
    gaps = []
    for name in ("article", "article-table", "article-footnotes"):
        gaps += visit(1280).open(PAGES[name]).evaluate(PARAGRAPH_GAPS)
    assert {"UL", "FIGURE", "BLOCKQUOTE"} <= {tag for tag, _ in gaps}
    assert all(gap >= 0.9 for _, gap in gaps), gaps


# --- hostile content ------------------------------------------------------------------------------

# Each payload, if it ever ran, sets window.__pwned and the page's title, or opens a dialog; most
# would run by themselves on load (onerror, onload, ontoggle, onfocus, srcdoc, refresh).
MARK = "window.__pwned=1;document.title=`pwned`"
SCRIPT = f"<script>{MARK}</script>"
IMG = f"<img src=x onerror=\"{MARK}\">"
HOSTILE_CONTENT = "".join([
    f"<p>Opening words.{SCRIPT}<script src=\"data:text/javascript,{MARK}\"></script></p>",
    f"<p>An image {IMG} and <svg onload=\"{MARK}\"><circle r=\"4\"/></svg> an svg.</p>",
    f"<details open ontoggle=\"{MARK}\"><summary>More</summary><p>Inside.</p></details>",
    f"<p><input autofocus onfocus=\"{MARK}\"><a href=\"javascript:{MARK}\">a script link</a> and "
    "<a href=\"  JaVa&#09;Script:alert(1)\">another</a>.</p>",
    f"<p><a href=\"x) <script>{MARK}</script>\">a link that breaks out</a>; "
    f"<img src=\"x\" alt=\"&lt;script&gt;{MARK}&lt;/script&gt;\"> and [text](javascript:alert(1)).</p>",
    f"<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
    "<iframe src=\"javascript:parent.__pwned=1\"></iframe><iframe src=\"https://evil.example/frame\"></iframe>",
    f"<object data=\"data:text/html,<script>parent.__pwned=1</script>\"></object>",
    f"<embed src=\"data:text/html,<script>parent.__pwned=1</script>\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"><base href=\"javascript:alert(2)//\">",
    "<form action=\"javascript:alert(3)\"><button formaction=\"javascript:alert(4)\">Send</button></form>",
    f"<video><source src=\"x\" onerror=\"{MARK}\"></video>",
    f"<p style=\"background:url(javascript:alert(5))\">Styled.</p>",
    f"<figure class=\"wp-block-table\"><table><tr><td><p>Cell</p>{IMG}<a href=\"javascript:alert(6)\">x</a>"
    "</td></tr></table></figure>",
    f"<pre><code>&lt;script&gt;{MARK}&lt;/script&gt;</code></pre>",
    f"<p><strong>Eve Payload</strong> is a reporter who covers {IMG} security. "
    f"<a href=\"https://hostile.example/author/eve/\">More about Eve Payload</a></p>",
])


def _hostile_post() -> dict:
    eve = f"Eve {IMG}"
    return {
        "id": 666, "date": "2024-06-01T10:00:00", "date_gmt": "2024-06-01T08:00:00", "slug": "hostile",
        "status": "publish", "type": "post", "link": "https://hostile.example/news/hostile/",
        "title": {"rendered": f"Title {SCRIPT} &lt;script&gt;{MARK}&lt;/script&gt;"},
        "content": {"rendered": HOSTILE_CONTENT, "protected": False},
        "excerpt": {"rendered": f"<p>An excerpt of my own {SCRIPT}{IMG} <a href=\"javascript:alert(7)\">x</a>"
                                "</p>", "protected": False},
        "author": 9, "categories": [4], "tags": [5],
        "_embedded": {
            "author": [{"id": 9, "name": eve, "slug": "eve", "link": f"javascript:{MARK}",
                        "description": f"A bio of her own {SCRIPT}{IMG}"}],
            "wp:term": [[{"id": 4, "taxonomy": "category", "slug": "news", "name": f"News {SCRIPT}",
                          "link": "https://hostile.example/category/news/"}],
                        [{"id": 5, "taxonomy": "post_tag", "slug": "tag", "name": f"Tag {IMG}",
                          "link": "https://hostile.example/tag/tag/"}]]},
    }


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    import json

    from helpers import build_site

    content = tmp_path_factory.mktemp("hostile") / "content"
    content.mkdir()
    (content / "hostile.json").write_text(json.dumps(_hostile_post()), "utf-8")
    (content / "fine.json").write_text(json.dumps({**_hostile_post(), "id": 667, "slug": "fine", "title": {
        "rendered": "A fine post"}, "link": "https://hostile.example/news/fine/",
        "content": {"rendered": "<p>Nothing to see.</p>"}, "excerpt": {"rendered": ""}}), "utf-8")
    out = build_site(content, tmp_path_factory.mktemp("hostile") / "output")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", sorted(p.relative_to(out).as_posix()
                                                                   for p in out.rglob("*.html"))
    server.shutdown()
    server.server_close()


# What a page holds that could run a script: handler attributes, script addresses, scripts that are
# not the theme's own (its JSON-LD, and the home page's short-link script).
HOSTILE_DOM = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push(el.tagName + ' ' + a.name);
      if (/^\\s*(javascript|vbscript|data):/i.test(a.value) && a.name !== 'content')
        found.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  for (const s of document.scripts) {
    if (s.type !== 'application/ld+json' && !s.textContent.includes('URLSearchParams(window.location.search)'))
      found.push('script: ' + s.outerHTML.slice(0, 80));
  }
  for (const tag of ['iframe', 'object', 'embed', 'form', 'input', 'button', 'base', 'svg'])
    if (document.querySelector(tag)) found.push('<' + tag + '>');
  return found;
}"""


def _settled_evaluate(page, script):
    """page.evaluate, again on the page a redirect stub's meta refresh moved to while it ran."""
    for _ in range(3):
        try:
            return page.evaluate(script)
        except PlaywrightError as error:
            if "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state("load")
    return page.evaluate(script)


def test_no_script_runs_on_any_page_of_a_hostile_site(browser, hostile_url):
    """Script payloads in the title, content, excerpt, category, tag, author name and bios: built with the
    default settings, no page runs one, shows a dialog, or holds anything that could run one."""
    url, pages = hostile_url
    assert len(pages) > 10 and "news/hostile/index.html" in pages
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.route(lambda address: not address.startswith(url), lambda route: route.abort())
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        for path in pages:
            page.goto(url + path, wait_until="load")
            page.wait_for_timeout(50)  # a handler queued on load (onerror, ontoggle, onfocus) has run by now
            assert _settled_evaluate(page, "window.__pwned === undefined && document.title !== 'pwned'"), path
            assert _settled_evaluate(page, HOSTILE_DOM) == [], path
        assert dialogs == []
        article = page.goto(url + "news/hostile/index.html") and page
        text = article.locator(".e-content").inner_text()
        assert "Opening words." in text and "a script link" in text and "Cell" in text
        assert SCRIPT in text  # the code block shows the code, as text
        assert article.locator("h1").first.inner_text().startswith("Title")
    finally:
        context.close()
