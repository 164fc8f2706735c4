"""Synthetic WordPress posts for benchmarks and tests: REST API objects with bios, one file each.

usage: python bench/corpus.py N OUTDIR [--arrays | --export] [--seed S]

Writes OUTDIR/post-<id>.json (one /wp/v2/posts/<id>?_embed object each), or with --arrays
OUTDIR/posts-<k>.json holding 100 posts each, as one page of /wp/v2/posts?per_page=100&_embed, or
with --export OUTDIR/export.xml, the same posts as WordPress's Tools > Export writes them.
"""
from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta
from html import escape, unescape
from pathlib import Path

WORDS = ("harbour council ferry budget winter quay island school station survey fishermen season tide "
         "museum choir festival report minister plan vote road bridge storm coast lighthouse market "
         "teachers nurses library river forest hall committee evening morning weekend people town "
         "said would could should after before during because while although since the a of to in "
         "and for on with at by from about into over under between through against among").split()
PEOPLE = [("Ingrid Haugen", "a reporter who covers the council and the town's money"),
          ("Tomasz Wiśniewski", "the data editor, who builds the numbers behind our stories"),
          ("Aisha Bello", "a science writer who covers the coast, its weather and its wildlife"),
          ("Per-Olof Strand", "a sports and culture reporter based on the islands"),
          ("Dr. Helen McCall", "a health correspondent and a former hospital doctor")]
CATEGORIES = {2: "News", 3: "Harbour", 4: "Science", 5: "Culture"}
TAGS = {10 + i: name for i, name in enumerate(["ferry", "budget", "schools", "weather", "fisheries",
                                               "music", "health", "roads"])}


def sentence(rng: random.Random, words: int = 0) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words or rng.randint(8, 22)))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.3:
        word = rng.choice(WORDS)
        parts[0] = parts[0].replace(f" {word} ", f' <a href="https://news.example/{word}/">{word}</a> ', 1)
    if rng.random() < 0.2:
        parts[-1] = parts[-1].replace(".", " &#8212; &#8220;a quote&#8221;.", 1)
    return f"<p>{' '.join(parts)}</p>"


def block(rng: random.Random, number: int) -> str:
    roll = rng.random()
    if roll < 0.6:
        return f"<!-- wp:paragraph -->\n{paragraph(rng)}\n<!-- /wp:paragraph -->"
    if roll < 0.7:
        return f'<h2 class="wp-block-heading">{sentence(rng, 5)[:-1]}</h2>'
    if roll < 0.78:
        items = "".join(f"<li>{sentence(rng, 6)}</li>" for _ in range(rng.randint(2, 5)))
        return f'<ul class="wp-block-list">{items}</ul>'
    if roll < 0.84:
        return (f'<blockquote class="wp-block-quote"><p>{sentence(rng)}</p>'
                f"<cite>{rng.choice(PEOPLE)[0]}</cite></blockquote>")
    if roll < 0.92:
        return (f'<figure class="wp-block-image size-large"><img src="https://news.example/wp-content/uploads/'
                f'2024/0{rng.randint(1, 9)}/photo-{number}-1024x683.jpg" alt="{sentence(rng, 4)[:-1]}"/>'
                f'<figcaption class="wp-element-caption">{sentence(rng, 8)}</figcaption></figure>')
    if roll < 0.96:
        rows = "".join("<tr>" + "".join(f"<td>{rng.randint(1, 999)}</td>" for _ in range(3)) + "</tr>"
                       for _ in range(rng.randint(2, 5)))
        return (f'<figure class="wp-block-table"><table><thead><tr><th>Year</th><th>Boats</th><th>Tonnes</th>'
                f"</tr></thead><tbody>{rows}</tbody></table></figure>")
    code = "\n".join(f"total = total + row[{i}]  # &lt;{i}&gt;" for i in range(rng.randint(2, 5)))
    return f'<pre class="wp-block-code"><code class="language-python">{code}</code></pre>'


def bio(name: str, beat: str) -> str:
    slug = name.lower().replace(".", "").replace(" ", "-")
    return (f'<p><span class="byline-name">{name}</span> is {beat}. '
            f'<a href="https://news.example/by/{slug}/">More about {name}</a></p>')


def make_post(rng: random.Random, post_id: int, when: datetime) -> dict:
    authors = rng.sample(PEOPLE, rng.choice([1, 1, 2]))
    blocks = [block(rng, post_id * 100 + i) for i in range(rng.randint(6, 24))]
    blocks += [bio(name, beat) for name, beat in authors]
    title = sentence(rng, rng.randint(4, 9))[:-1]
    slug = "-".join(title.lower().split()[:7]) + f"-{post_id}"
    category = rng.choice(list(CATEGORIES))
    tags = rng.sample(list(TAGS), rng.randint(0, 3))
    offset = timedelta(hours=2 if 4 <= when.month <= 9 else 1)
    return {
        "id": post_id,
        "date": when.strftime("%Y-%m-%dT%H:%M:%S"),
        "date_gmt": (when - offset).strftime("%Y-%m-%dT%H:%M:%S"),
        "guid": {"rendered": f"https://news.example/?p={post_id}"},
        "modified": when.strftime("%Y-%m-%dT%H:%M:%S"),
        "modified_gmt": (when - offset).strftime("%Y-%m-%dT%H:%M:%S"),
        "slug": slug,
        "status": "publish",
        "type": "post",
        "link": f"https://news.example/{CATEGORIES[category].lower()}/{slug}/",
        "title": {"rendered": title.replace(" and ", " &amp; ", 1)},
        "content": {"rendered": "\n\n".join(blocks), "protected": False},
        "excerpt": {"rendered": f"<p>{sentence(rng)} [&hellip;]</p>\n", "protected": False},
        "author": 1,
        "featured_media": 0,
        "sticky": False,
        "categories": [category],
        "tags": tags,
        "_embedded": {
            "author": [{"id": 1, "name": "Newsroom", "slug": "newsroom", "description": "",
                        "link": "https://news.example/author/newsroom/"}],
            "wp:term": [[{"id": category, "name": CATEGORIES[category], "slug": CATEGORIES[category].lower(),
                          "taxonomy": "category"}],
                        [{"id": t, "name": TAGS[t], "slug": TAGS[t], "taxonomy": "post_tag"} for t in tags]],
        },
    }


def make_posts(count: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    start = datetime(2016, 1, 4, 8, 0, 0)
    return [make_post(rng, 5000 + i, start + timedelta(hours=9 * i + rng.randint(0, 6))) for i in range(count)]


_EXPORT_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>News Example</title>
<link>https://news.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[newsroom]]></wp:author_login>
<wp:author_display_name><![CDATA[Newsroom]]></wp:author_display_name></wp:author>
"""


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def export_items(posts: list[dict]):
    """The posts as Tools > Export writes them (WXR 1.2): the head with the site's authors and terms,
    an <item> a post, the end. The content is the rendered HTML; an export keeps what the editor saved."""
    yield _EXPORT_HEAD
    for term_id, name in CATEGORIES.items():
        yield (f"<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{_cdata(name.lower())}"
               f"</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>{_cdata(name)}"
               "</wp:cat_name></wp:category>\n")
    for term_id, name in TAGS.items():
        yield (f"<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{_cdata(name)}</wp:tag_slug>"
               f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>\n")
    for post in posts:
        terms = [f'<category domain="category" nicename="{CATEGORIES[c].lower()}">{_cdata(CATEGORIES[c])}</category>'
                 for c in post["categories"]]
        terms += [f'<category domain="post_tag" nicename="{TAGS[t]}">{_cdata(TAGS[t])}</category>' for t in post["tags"]]
        dates = "".join(f"<wp:{name}>{_cdata(post[key].replace('T', ' '))}</wp:{name}>" for name, key in
                        (("post_date", "date"), ("post_date_gmt", "date_gmt"), ("post_modified", "modified"),
                         ("post_modified_gmt", "modified_gmt")))
        yield (f"<item><title>{escape(unescape(post['title']['rendered']), quote=False)}</title>"
               f"<link>{post['link']}</link><dc:creator>{_cdata('newsroom')}</dc:creator>"
               f'<guid isPermaLink="false">{post["guid"]["rendered"]}</guid>'
               f"<content:encoded>{_cdata(post['content']['rendered'])}</content:encoded>"
               f"<excerpt:encoded>{_cdata('')}</excerpt:encoded><wp:post_id>{post['id']}</wp:post_id>{dates}"
               f"<wp:post_name>{_cdata(post['slug'])}</wp:post_name><wp:status>{_cdata('publish')}</wp:status>"
               f"<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>"
               f"<wp:post_type>{_cdata('post')}</wp:post_type><wp:post_password>{_cdata('')}</wp:post_password>"
               f"<wp:is_sticky>0</wp:is_sticky>{''.join(terms)}</item>\n")
    yield "</channel>\n</rss>\n"


def write_corpus(count: int, out: Path, arrays: bool = False, seed: int = 1, export: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    posts = make_posts(count, seed)
    written = []
    if export:
        path = out / "export.xml"
        with open(path, "w", encoding="utf-8") as file:
            file.writelines(export_items(posts))
        written.append(path)
    elif arrays:
        for start in range(0, count, 100):
            path = out / f"posts-{start // 100 + 1}.json"
            path.write_text(json.dumps(posts[start:start + 100]))
            written.append(path)
    else:
        for post in posts:
            path = out / f"post-{post['id']}.json"
            path.write_text(json.dumps(post))
            written.append(path)
    return written


def main(argv: list[str]) -> None:
    arrays, export = "--arrays" in argv, "--export" in argv
    args = [a for a in argv if a not in ("--arrays", "--export")]
    seed = 1
    if "--seed" in args:
        at = args.index("--seed")
        seed = int(args[at + 1])
        del args[at:at + 2]
    count, out = int(args[0]), Path(args[1])
    write_corpus(count, out, arrays, seed, export)
    print(f"{count} posts -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
