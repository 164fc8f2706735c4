"""What makes a build from JSON cheap must not change what it builds: worker processes and the cache."""
import copy
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT
from helpers import build_site, html

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402


def _pages(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.html"))}


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """40 single-post files at the root, an array of 100 posts with its sidecars, and a page."""
    content = tmp_path_factory.mktemp("many") / "content"
    write_corpus(40, content)  # at the root: Pelican names them ./post-N.json
    shutil.copytree(CONTENT / "archive", content / "archive")
    write_corpus(100, content / "pages-of-posts", arrays=True, seed=7)
    shutil.copytree(CONTENT / "pages", content / "pages")
    return content


def test_workers_build_the_same_site_as_one_process(many, tmp_path, caplog):
    one = _pages(build_site(many, tmp_path / "one", WP_IMPORT_JOBS=1))
    warnings_alone = sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    caplog.clear()
    two = _pages(build_site(many, tmp_path / "two", WP_IMPORT_JOBS=2))
    assert len(one) > 150
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []
    # each file's warnings once, whichever process converted it
    assert sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING") == warnings_alone


def _record_calls(monkeypatch, module, name: str) -> list[tuple]:
    """The arguments of every call to module.name from now on (the calls still go through)."""
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args: calls.append(args) or real(*args))
    return calls


def _warm(tmp_path) -> dict:
    """Settings for builds that share Pelican's content cache, in the build's own process."""
    return {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache"),
            "WP_IMPORT_JOBS": 1}


def test_a_warm_build_converts_nothing_and_builds_the_same(many, tmp_path, monkeypatch):
    from pelican_wp_import import preconvert

    cache = _warm(tmp_path)
    cold = _pages(build_site(many, tmp_path / "cold", **cache))
    calls = _record_calls(monkeypatch, preconvert, "convert_post")
    warm = _pages(build_site(many, tmp_path / "warm", **cache))
    assert calls == []  # neither the single-post files nor the array's posts were converted again
    assert [k for k in cold if cold[k] != warm.get(k)] == []


def test_a_warm_build_reads_no_json_file_again(many, tmp_path, monkeypatch):
    """Not even to learn that Pelican's reader takes a single-post file: the build says it made content of it."""
    from pelican_wp_import import preconvert

    cache = _warm(tmp_path)
    cold = _pages(build_site(many, tmp_path / "cold", **cache))
    loads = _record_calls(monkeypatch, preconvert, "load_file")
    warm = _pages(build_site(many, tmp_path / "warm", **cache))
    assert loads == []
    assert [k for k in cold if cold[k] != warm.get(k)] == []


def test_a_warm_build_in_a_new_process_looks_into_no_json_file(many, tmp_path, monkeypatch):
    """Which files are sidecars is kept in the cache too: a new build process need not open every file
    to find them again, as long as no file was added to or removed from the folder."""
    from pelican_wp_import import sources

    cache = _warm(tmp_path)
    cold = _pages(build_site(many, tmp_path / "cold", **cache))
    monkeypatch.setattr(sources, "_SIDECAR_FILES", {})  # what a new process starts with
    looked = _record_calls(monkeypatch, sources, "may_be_sidecar")
    warm = _pages(build_site(many, tmp_path / "warm", **cache))
    assert looked == []
    assert [k for k in cold if cold[k] != warm.get(k)] == []
    # a file added to a folder: its sidecars are looked for again
    shutil.copy(many / "archive" / "categories.json", many / "archive" / "more-categories.json")
    try:
        monkeypatch.setattr(sources, "_SIDECAR_FILES", {})
        build_site(many, tmp_path / "again", **cache)
        assert any(Path(path).name == "more-categories.json" for path, in looked)
    finally:
        (many / "archive" / "more-categories.json").unlink()


def test_a_changed_sidecar_reaches_cached_posts(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "archive", content / "archive")
    single = json.loads((content / "archive" / "posts-page-1.json").read_text())[0]
    single.pop("_embedded", None)  # names from the sidecars only
    science = next(t["id"] for t in json.loads((content / "archive" / "categories.json").read_text())
                   if t["name"] == "Science")
    single.update(id=9001, categories=[science], slug="shark-follow-up", link="https://harbourledger.example/2024/07/20/shark-follow-up/",
                  title={"rendered": "The shark, a week on"})
    (content / "archive" / "one-post.json").write_text(json.dumps(single))
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    out = build_site(content, tmp_path / "out1", **cache)
    assert (out / "category" / "science.html").exists()
    categories = content / "archive" / "categories.json"
    data = json.loads(categories.read_text())
    for term in data:
        if term["name"] == "Science":
            term["name"], term["slug"] = "Marine science", "marine-science"
    categories.write_text(json.dumps(data))
    out = build_site(content, tmp_path / "out2", **cache)
    assert not (out / "category" / "science.html").exists()
    listed = html(out / "category" / "marine-science.html").select("main article")
    titles = [a.select_one(".p-name").get_text(" ", strip=True) for a in listed]
    assert "The shark, a week on" in titles and len(titles) == 2  # the single file's post and the array's


def test_a_warm_build_hands_no_cached_file_to_the_workers(many, tmp_path, monkeypatch):
    from pelican_wp_import import preconvert

    cache = {**_warm(tmp_path), "WP_IMPORT_JOBS": 2}
    started = []
    real = preconvert.start
    monkeypatch.setattr(preconvert, "start", lambda generator: started.append(real(generator)) or started[-1])
    cold = _pages(build_site(many, tmp_path / "cold", **cache))
    warm = _pages(build_site(many, tmp_path / "warm", **cache))
    assert started[0] >= 40  # the cold build sent every post file (and the array) to the workers
    assert started[1] == 0  # everything was in the cache
    assert [k for k in cold if cold[k] != warm.get(k)] == []


def test_a_warm_build_hands_no_cached_export_to_the_workers(many, tmp_path, monkeypatch):
    """An export's posts are cached by the expansion step (Pelican's readers never read .xml files)."""
    from pelican_wp_import import preconvert

    content = tmp_path / "content"
    shutil.copytree(many, content)
    write_corpus(30, content / "exported", seed=11, export=True)
    cache = {**_warm(tmp_path), "WP_IMPORT_JOBS": 2}
    started = []
    real = preconvert.start
    monkeypatch.setattr(preconvert, "start", lambda generator: started.append(real(generator)) or started[-1])
    monkeypatch.setattr(preconvert, "MIN_FILES", 1)  # workers for a single file left to convert
    cold = _pages(build_site(content, tmp_path / "cold", **cache))
    warm = _pages(build_site(content, tmp_path / "warm", **cache))
    assert started[0] >= 41 and started[1] == 0  # the export went to the workers once, when not cached
    assert sum("index.html" in page and b"e-content" in cold[page] for page in cold) >= 170
    assert [k for k in cold if cold[k] != warm.get(k)] == []


def test_the_workers_share_one_export_and_build_the_same_site(tmp_path, monkeypatch, caplog):
    """An export is one file but many files' work: its parts go to the workers as separate pieces."""
    from pelican_wp_import import preconvert, stream

    content = tmp_path / "content"
    write_corpus(120, content, seed=5, export=True)
    one = _pages(build_site(content, tmp_path / "one", WP_IMPORT_JOBS=1))
    warnings_alone = sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    caplog.clear()
    monkeypatch.setattr(stream, "BATCH_BYTES", 20_000)
    parts = []
    real = preconvert.batches
    monkeypatch.setattr(preconvert, "batches", lambda path, **kwargs: (parts.append(part) or part
                                                                       for part in real(path, **kwargs)))
    two = _pages(build_site(content, tmp_path / "two", WP_IMPORT_JOBS=2))
    assert len(parts) > 10 and sum(len(part.posts) for part in parts) == 120
    assert len(one) > 120 and one.keys() == two.keys() and [k for k in one if one[k] != two[k]] == []
    assert sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING") == warnings_alone


def _killed(path):
    os._exit(1)  # the converter process reading the export's site dies (out of memory, say)


def test_a_build_survives_the_converter_process_reading_an_export_s_site_dying(tmp_path, monkeypatch):
    """The export's first reading runs in a worker; when it dies, the pool takes no more work and the
    build converts what was not handed over itself: the same site."""
    from pelican_wp_import import wxr

    content = tmp_path / "content"
    write_corpus(30, content, seed=5, export=True)
    one = _pages(build_site(content, tmp_path / "one", WP_IMPORT_JOBS=1))
    monkeypatch.setattr(wxr, "read_site", _killed)
    two = _pages(build_site(content, tmp_path / "two", WP_IMPORT_JOBS=2))
    assert len(one) > 30 and one.keys() == two.keys() and [k for k in one if one[k] != two[k]] == []


def test_the_page_folder_test_agrees_with_relpath(tmp_path):
    """in_page_paths takes its answer from string prefixes; it must say what os.path.relpath says."""
    import os

    from pelican_wp_import.readers import in_page_paths

    content = tmp_path / "content"
    folders = [["pages"], ["pages/"], ["/pages"], [""], ["pages", "extra/more"], ["page"], []]
    files = ["pages/a.json", "pages", "pages2/a.json", "page/a.json", "extra/more/b.json", "extra/b.json",
             "a.json", "./pages/a.json", "../pages/a.json", "../content2/pages/a.json"]
    for page_paths in folders:
        for name in files:
            full = os.path.join(str(content), name)
            rel = os.path.relpath(os.path.abspath(full), str(content))
            expected = any(rel == p.strip("/") or rel.startswith(p.strip("/") + "/") for p in page_paths)
            settings = {"PATH": str(content), "PAGE_PATHS": page_paths}
            assert in_page_paths(full, settings) is expected, (page_paths, name)


def test_a_cold_build_loads_each_json_file_once(many, tmp_path, monkeypatch):
    """The expansion step passes over the one-post files Pelican's reader made content of, instead of
    loading them again to learn that the reader took them. (Files of many posts are loaded by the
    reader, which only counts their posts, and again by the expansion step: holding every post of
    them in between would cost the memory a build of many such files cannot spare.)"""
    from pelican_wp_import import preconvert

    loads = _record_calls(monkeypatch, preconvert, "load_file")
    build_site(many, tmp_path / "out", WP_IMPORT_JOBS=1)
    singles = [Path(path).relative_to(many).as_posix() for path, in loads if Path(path).parent == many]
    assert len(singles) == 40
    assert len(set(singles)) == 40, "a file was loaded twice"


def test_indexed_article_lists_build_the_same_site(many, tmp_path, monkeypatch):
    import pelican_wp_import

    fast = _pages(build_site(many, tmp_path / "fast"))
    monkeypatch.setattr(pelican_wp_import.membership, "index_article_lists", lambda generator: None)
    plain = _pages(build_site(many, tmp_path / "plain"))
    assert any(k.startswith("tag/") for k in plain) and any(k.startswith("author/") for k in plain)
    assert plain.keys() == fast.keys()
    assert [k for k in plain if plain[k] != fast[k]] == []


def test_an_article_list_answers_in_as_a_list_does():
    from pelican_wp_import.membership import ArticleList

    class Post:
        pass

    class Same:
        def __eq__(self, other):
            return isinstance(other, Same)

        __hash__ = object.__hash__

    a, b, c = Post(), Post(), Post()
    items = ArticleList([a, b])
    assert a in items and b in items and c not in items
    items.append(c)
    assert c in items
    items[0] = b
    assert a not in items
    items += [a]
    assert a in items and isinstance(items, ArticleList)
    items.remove(a)
    assert a not in items
    del items[:]
    assert b not in items
    items.extend([a])
    items.insert(0, b)
    assert [x in items for x in (a, b, c)] == [True, True, False]
    items.pop()
    items.clear()
    assert a not in items
    # equality of their own: looked for the list's way, whichever side has it
    assert Same() in ArticleList([a, Same()]) and Same() not in ArticleList([a])
    assert 1 in ArticleList([1.0]) and "x" in ArticleList(["x"]) and [] in ArticleList([[]])
    assert type(copy.copy(ArticleList([a]))) is list
