"""What the HTML -> Markdown pair tests share: the public conversion path and a look inside <pre>."""
from __future__ import annotations

import html as html_lib
import re

from pelican_wp_import.clean import clean_html
from pelican_wp_import.markdown import to_markdown

_PRE = re.compile(r"<pre\b[^>]*>([\s\S]*?)</pre>")
_TAG = re.compile(r"<[^>]+>")


def md(html: str) -> str:
    """The Markdown of a WordPress HTML body, as the importer writes it."""
    return to_markdown(clean_html(html).root)


def pre_texts(rendered: str) -> list[str]:
    """The text of every <pre> in rendered HTML, highlighting markup and entities taken out."""
    return [html_lib.unescape(_TAG.sub("", body)) for body in _PRE.findall(rendered)]
