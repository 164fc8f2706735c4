"""The post this project was made from converts perfectly, from the command and in a Pelican build."""
import shutil
from datetime import datetime, timezone

import pytest

from helpers import build_site, html, read_markdown
from pelican_wp_import.cli import main

TITLE = "Kim Jong-un and Putin Plan to Meet in Russia to Discuss Weapons"
SLUG = "kim-jong-un-and-putin-plan-to-meet-in-russia-to-discuss-weapons"


@pytest.fixture
def converted(seed_path, tmp_path, capsys):
    code = main(["convert", str(seed_path), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    files = list((tmp_path / "out").rglob("*.md"))
    return code, err, files


def test_seed_exits_zero_and_names_the_truncation(converted, seed_path):
    code, err, _ = converted
    assert code == 0
    truncation = [line for line in err.splitlines() if "truncated" in line]
    assert len(truncation) == 1
    assert str(seed_path) in truncation[0] and "byte 9870" in truncation[0]
    assert err.strip().splitlines()[-1].startswith("1 posts converted")


def test_seed_front_matter(converted):
    _, _, files = converted
    assert [f.name for f in files] == [f"{SLUG}.md"]
    meta, _ = read_markdown(files[0])
    assert meta["title"] == TITLE
    assert meta["date"] == datetime(2023, 9, 5, 17, 9, 58, tzinfo=timezone.utc)
    assert meta["date"].utcoffset().total_seconds() == 0
    assert meta["slug"] == SLUG
    assert meta["category"] == "Politics"
    assert meta["authors"] == ["Edward Wong", "Julian E. Barnes"]
    bios = {b["name"]: b["bio"] for b in meta["author_bios"]}
    assert bios["Edward Wong"].startswith("Edward Wong is a diplomatic correspondent")
    assert bios["Edward Wong"].endswith("for Iraq War coverage.")
    assert bios["Julian E. Barnes"].startswith("Julian E. Barnes is a national security reporter")
    assert bios["Julian E. Barnes"].endswith("for The Wall Street Journal.")
    assert not any("More about" in b for b in bios.values())
    assert meta["wp_id"] == 118197


def test_seed_body_is_exactly_the_article(converted):
    _, _, files = converted
    raw = files[0].read_text("utf-8")
    _, body = read_markdown(files[0])
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert len(paragraphs) == 30
    assert paragraphs[0].startswith("Kim Jong-un, the leader of North Korea")
    assert paragraphs[-1].startswith("Iran has supplied drones")
    assert "North Korea’s capital" in body and "“actively advancing.”" in body
    for leftover in ("\\/", "\\u2019", "</span>", "</p>", "More about", "<span"):
        assert leftover not in raw


def test_seed_builds_the_same_article_in_pelican(seed_path, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(seed_path, content / "seed.json")
    out = build_site(content, tmp_path / "output")
    # at its old permalink, https://leviolonrouge.com/politics/<slug>/, and nowhere else
    pages = [p for p in out.rglob("*.html") if SLUG in p.as_posix() and "<article" in p.read_text("utf-8")]
    assert pages == [out / "politics" / SLUG / "index.html"]
    page = html(pages[0])
    assert TITLE in page.title.get_text()
    body = page.find(class_="e-content") or page.find(class_="entry-content")
    paragraphs = [p.get_text() for p in body.find_all("p")
                  if p.get_text().strip() and not p.find_parent(["footer", "aside"])]
    assert len(paragraphs) == 30
    assert paragraphs[0].startswith("Kim Jong-un, the leader of North Korea")
    assert paragraphs[-1].startswith("Iran has supplied drones")
    text = body.get_text()
    assert "More about" not in text and "</span>" not in str(body)
    assert (out / "author" / "edward-wong.html").exists()
    assert (out / "author" / "julian-e-barnes.html").exists()
    assert (out / "category" / "politics.html").exists()
