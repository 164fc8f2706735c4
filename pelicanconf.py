"""Pelican settings for the demo site: a small newsroom's WordPress posts, read straight from JSON."""

AUTHOR = "The Harbour Ledger"
SITENAME = "The Harbour Ledger"
SITESUBTITLE = "News from Saltvik and the islands"
SITEURL = ""

PATH = "content"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"

PLUGINS = ["pelican_wp_import"]

# Development builds: no feeds, relative links (publishconf.py turns feeds on).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
RELATIVE_URLS = True

DEFAULT_PAGINATION = 10
DEFAULT_DATE_FORMAT = "%-d %B %Y"
