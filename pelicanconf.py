"""Pelican settings for the demo site: a small newsroom's WordPress posts, read straight from JSON."""

AUTHOR = "The Harbour Ledger"
SITENAME = "The Harbour Ledger"
SITESUBTITLE = "News from Saltvik and the islands"
SITEURL = ""

PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"

PLUGINS = ["pelican_wp_import", "pelican.plugins.sitemap"]
THEME = "theme"

# Development builds: relative links, so the site reads from disk or any local server.
RELATIVE_URLS = True

# Atom feeds: the whole site, each category, each author (publishconf.py points FEED_DOMAIN at SITEURL).
FEED_DOMAIN = "http://localhost:8000"  # where `pelican --listen` serves the site
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
AUTHOR_FEED_ATOM = "feeds/author/{slug}.atom.xml"
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

STATIC_PATHS = ["images"]  # where `convert --media` puts the images it downloads
EXTRA_PATH_METADATA: dict = {}

# Pelican's Markdown settings, plus sane_lists: an ordered list WordPress started at 5 starts at 5.
MARKDOWN = {
    "extension_configs": {"markdown.extensions.codehilite": {"css_class": "highlight"},
                          "markdown.extensions.extra": {}, "markdown.extensions.meta": {},
                          "markdown.extensions.sane_lists": {}},
    "output_format": "html5",
}

DEFAULT_PAGINATION = 10
DEFAULT_DATE_FORMAT = "%-d %B %Y"
SUMMARY_MAX_PARAGRAPHS = 1  # a list shows the first paragraph of a post without an excerpt

# Archives for each year and each month, beside the full archive.
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL = "archives/{date:%Y}.html"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL = "archives/{date:%Y}/{date:%m}.html"

DIRECT_TEMPLATES = ["index", "archives", "authors", "categories", "tags", "404"]
DISPLAY_CATEGORIES_ON_MENU = True
DISPLAY_PAGES_ON_MENU = True
MENUITEMS = (("Archives", "archives.html"), ("Authors", "authors.html"))  # links from the site root

SITEMAP = {"format": "xml", "exclude": [r"^404\.html$"]}

# Bios, photos and links set by hand for authors whose posts say nothing about them (see
# pelican_wp_import/authors.py); what the posts say is used otherwise.
WP_IMPORT_AUTHORS: dict = {}
