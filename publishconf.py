"""Settings for publishing the demo site: everything in pelicanconf.py, plus absolute URLs."""
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))  # pelicanconf.py beside this file
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("SITEURL", "https://example.github.io/pelican-wp-import")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

DELETE_OUTPUT_DIRECTORY = True

# A custom domain: put its name in content/extra/CNAME and it is published at the site root.
STATIC_PATHS = [*STATIC_PATHS, "extra"]  # noqa: F405
EXTRA_PATH_METADATA = {**EXTRA_PATH_METADATA,  # noqa: F405
                       "extra/CNAME": {"path": "CNAME"}, "extra/robots.txt": {"path": "robots.txt"}}
