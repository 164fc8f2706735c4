"""Bad input, one fixture per case in tests/fixtures/bad/: what each file becomes, and what the run says.

Every case ends one of three ways: converted (with these front matter values), skipped (for this
reason) or an error (with this message). Every message is one line naming the file, and the post
when there is one. The command runs in-process through cli.main; one test runs it as a process.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pelican_wp_import.cli import main
from pelican_wp_import.frontmatter import split

BAD = Path(__file__).parent / "fixtures" / "bad"

OSLO_SUMMER = timezone(timedelta(hours=2))
DATE = datetime(2024, 4, 2, 10, 0, tzinfo=OSLO_SUMMER)
MODIFIED = datetime(2024, 4, 3, 9, 30, tzinfo=OSLO_SUMMER)
BODY = ("The tide came in twice, as it does. Nobody on the quay was surprised.\n\n"
        "The net menders met on Thursday and agreed to meet again.\n")


class Run:
    """One run of `pelican-wp-import convert`: its exit code, its stderr lines and its output folder."""

    def __init__(self, capsys, out: Path, *sources: Path | str, flags: tuple[str, ...] = ()):
        self.out = out
        self.code = main(["convert", *map(str, sources), "--output", str(out), *flags])
        self.lines = capsys.readouterr().err.splitlines()

    def said(self, kind: str) -> list[str]:
        return [line for line in self.lines if line.startswith(f"{kind}: ")]

    @property
    def summary(self) -> str:
        return self.lines[-1]

    def markdown_files(self) -> list[str]:
        return sorted(p.relative_to(self.out).as_posix() for p in self.out.rglob("*.md"))

    def read(self, name: str) -> tuple[dict, str]:
        parsed = split((self.out / name).read_text("utf-8"))
        assert parsed is not None, f"{name} has no front matter"
        return parsed


def summary(converted=0, skipped=0, warnings=0, errors=0, written=None, unchanged=0, kept=0) -> str:
    written = converted if written is None else written
    return (f"{converted} posts converted ({written} written, {unchanged} unchanged, {kept} kept as edited), "
            f"{skipped} skipped, {warnings} warnings, {errors} errors")


def assert_complete_fields(meta: dict, slug: str, wp_id: int) -> None:
    """The fields every fixture post has in full before any cut."""
    assert meta["title"] == "A quiet week on the quay"
    assert (meta["date"], meta["modified"], meta["status"]) == (DATE, MODIFIED, "published")
    assert (meta["slug"], meta["wp_id"], meta["wp_link"]) == (slug, wp_id, f"https://tidewater.example/{wp_id}/")


# --- parsing: control characters and truncated files -------------------------------------------

def test_raw_newlines_and_tabs_inside_strings_are_read(capsys, tmp_path):
    source = BAD / "control-characters.json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(source.read_text("utf-8"))  # strict JSON refuses the file
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [summary(converted=1)]
    meta, body = run.read("raw-control-characters.md")
    assert meta["title"] == "Ferry times"
    assert body == "First line of the notice.\n\nSecond line, after a tab.\n"


def truncation_warning(source: Path, inside: str) -> str:
    # the cut is at the end of the file, so the offset is the file's size, BOM included
    where = f" inside {inside}" if inside else ""
    return (f"warning: {source}: file is truncated at byte {source.stat().st_size}{where}: "
            "kept every complete field and the text up to the cut")


@pytest.mark.parametrize("fixture, written, slug, wp_id, inside, body", [
    ("truncated-in-content.json", "cut-in-content.md", "cut-in-content", 102, "content.rendered",
     "The harbour board met at noon and talked about the\n"),
    ("truncated-between-fields.json", "cut-between-fields.md", "cut-between-fields", 103, "", BODY),
    # a \u2019 cut after "\u20": the half escape is dropped, not kept as text
    ("truncated-in-escape.json", "cut-in-escape.md", "cut-in-escape", 106, "content.rendered",
     "Everyone\u2019s boat is in the harbour\n"),
    # an emoji cut between the two halves of its surrogate pair: the half character is dropped
    ("truncated-in-emoji.json", "cut-in-emoji.md", "cut-in-emoji", 135, "content.rendered",
     "The ferry is back\n"),
    ("truncated-with-bom.json", "cut-with-bom.md", "cut-with-bom", 136, "content.rendered", "Saved by\n"),
])
def test_truncated_post_keeps_complete_fields_and_text_up_to_the_cut(capsys, tmp_path, fixture, written, slug,
                                                                     wp_id, inside, body):
    source = BAD / fixture
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [truncation_warning(source, inside), summary(converted=1, warnings=1)]
    meta, text = run.read(written)
    assert_complete_fields(meta, slug, wp_id)
    assert "summary" not in meta  # the excerpt came after the cut
    assert text == body


def test_truncated_in_a_number_drops_the_number_that_lost_digits(capsys, tmp_path):
    source = BAD / "truncated-in-number.json"  # a page ending '"parent": 12, "menu_order": 3' (was 34)
    run = Run(capsys, tmp_path, source)
    assert run.lines == [truncation_warning(source, "menu_order"), summary(converted=1, warnings=1)]
    meta, body = run.read("pages/cut-in-number.md")
    assert_complete_fields(meta, "cut-in-number", 104)
    assert meta["parent"] == 12
    assert "menu_order" not in meta
    assert body == BODY


def test_truncated_in_embedded_keeps_the_terms_before_the_cut(capsys, tmp_path):
    source = BAD / "truncated-in-embedded.json"  # cut inside the name of the second wp:term group's tag
    run = Run(capsys, tmp_path, source)
    assert run.lines == [
        truncation_warning(source, "_embedded.wp:term[1][0].name"),
        f"warning: {source}: post 105: tags ids 9 have no names (no _embedded and no sidecar file of "
        "/wp/v2/tags beside the post)",
        summary(converted=1, warnings=2),
    ]
    meta, body = run.read("cut-in-embedded.md")
    assert_complete_fields(meta, "cut-in-embedded", 105)
    assert (meta["authors"], meta["category"], meta["categories"]) == (["Ada Quill"], "Harbour", ["Harbour"])
    assert "tags" not in meta  # the half-read tag 'Fer…' is not made up into a tag
    assert body == BODY


def test_truncated_array_recovers_the_complete_posts_and_the_partial_one(capsys, tmp_path):
    source = BAD / "truncated-array.json"
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [truncation_warning(source, "[2].content.rendered"), summary(converted=3, warnings=1)]
    assert run.markdown_files() == ["array-first.md", "array-second.md", "array-third.md"]
    assert [run.read(f"array-{n}.md")[0]["title"] for n in ("first", "second", "third")] == [
        "First of three", "Second of three", "Third of three"]
    assert run.read("array-second.md")[1] == BODY
    meta, body = run.read("array-third.md")
    assert (meta["slug"], meta["wp_id"], meta["date"]) == ("array-third", 109, DATE)
    assert body == "The third post was being saved when\n"


def test_trailing_garbage_after_a_post_is_ignored_with_a_warning(capsys, tmp_path):
    source = BAD / "trailing-garbage.json"
    offset = source.read_bytes().index(b"<!--")
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [f"warning: {source}: data after the JSON value at byte {offset} ignored",
                         summary(converted=1, warnings=1)]
    meta, body = run.read("trailing-garbage.md")
    assert (meta["title"], meta["wp_id"], body) == ("Followed by junk", 112, BODY)


def _small_post(number: int) -> str:
    return json.dumps({"id": number, "date": "2023-01-01T00:00:00", "slug": f"post-{number}",
                       "title": {"rendered": f"Post {number}"}, "content": {"rendered": "<p>Body.</p>"}})


@pytest.mark.parametrize("text", [
    "\n".join(_small_post(n) for n in (1, 2, 3)) + "\n",  # JSON Lines
    f"[{_small_post(1)}]\n[{_small_post(2)}, {_small_post(3)}]",  # two replies saved into one file (>>)
    f"[{_small_post(1)}, {_small_post(2)}]{_small_post(3)}",
])
def test_json_values_one_after_another_are_all_read(capsys, tmp_path, text):
    source = tmp_path / "saved.json"
    source.write_text(text)
    run = Run(capsys, tmp_path / "out", source)
    assert run.code == 0
    assert run.lines == [f"warning: {source}: {2 if text.startswith('[') else 3} JSON values one after another "
                         "(JSON Lines, or replies saved into one file); read them all",
                         summary(converted=3, warnings=1)]
    assert run.markdown_files() == ["post-1.md", "post-2.md", "post-3.md"]


def test_damage_in_the_middle_keeps_the_posts_before_it_and_is_an_error(capsys, tmp_path):
    source = tmp_path / "damaged.json"
    before = f"[{_small_post(1)}, {_small_post(2)}, "
    source.write_text(f"{before}X{_small_post(3)}, {_small_post(4)}]")  # a stray byte between posts
    run = Run(capsys, tmp_path / "out", source)
    assert run.code == 1
    assert run.lines == [f"error: {source}: not JSON from byte {len(before)} inside [2]: kept every complete field "
                         "before it; the rest of the file is not read", summary(converted=2, errors=1)]
    assert run.markdown_files() == ["post-1.md", "post-2.md"]


def test_a_second_value_that_cannot_be_read_is_an_error_not_a_warning(capsys, tmp_path):
    source = tmp_path / "lines.json"
    first = _small_post(1) + "\n"
    source.write_text(first + "[nope]\n" + _small_post(3))
    run = Run(capsys, tmp_path / "out", source)
    assert run.code == 1
    assert run.lines == [f"error: {source}: the JSON value at byte {len(first)} is not readable; it and the rest of "
                         "the file are not read", summary(converted=1, errors=1)]


def test_line_breaks_from_the_input_never_break_a_message(capsys, tmp_path):
    source = tmp_path / "forged.json"
    source.write_text(json.dumps([
        {"id": "7\nerror: forged", "date": "2023-01-01T00:00:00", "slug": "p", "title": {"rendered": "T"},
         "content": "<p>Body.</p>"},  # a plain-string content: a warning naming the post
        {"code": "rest_forbidden", "message": "Sorry.\r\nerror: forged"}]))
    run = Run(capsys, tmp_path / "out", source)
    assert run.lines == [
        f"error: {source}: item 2: a WordPress error response (rest_forbidden: Sorry.\\r\\nerror: forged)",
        f"warning: {source}: post 7\\nerror: forged: content is a plain string, not {{'rendered': ...}}; "
        "used as it is",
        summary(converted=1, warnings=1, errors=1)]


# --- encodings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture, written, title", [
    ("bom.json", "with-bom.md", "Marked with a BOM"),
    ("utf16-bom.json", "utf16-bom.md", "Written by PowerShell æøå"),  # Windows PowerShell's Out-File
])
def test_byte_order_mark_is_fine_without_a_warning(capsys, tmp_path, fixture, written, title):
    run = Run(capsys, tmp_path, BAD / fixture)
    assert run.code == 0
    assert run.lines == [summary(converted=1)]
    meta, body = run.read(written)
    assert (meta["title"], body) == (title, BODY)


def test_invalid_utf8_is_replaced_with_a_warning_naming_the_byte(capsys, tmp_path):
    source = BAD / "invalid-utf8.json"
    offset = source.read_bytes().index(b"caf\xe9") + 3
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [
        f"warning: {source}: invalid UTF-8 at byte {offset} (and maybe after) replaced with U+FFFD",
        summary(converted=1, warnings=1)]
    assert run.read("invalid-utf8.md")[1] == "The caf\ufffd on the quay sells waffles.\n"


def test_lone_surrogate_escape_is_replaced_with_a_warning(capsys, tmp_path):
    source = BAD / "lone-surrogate.json"  # valid JSON holding "\ud83d" alone, which UTF-8 cannot encode
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [
        f"warning: {source}: 1 lone UTF-16 surrogate escapes (half an emoji?) replaced with U+FFFD",
        summary(converted=1, warnings=1)]
    assert run.read("lone-surrogate.md")[1] == "Half an emoji: \ufffd\n"


# --- files that hold no post -------------------------------------------------------------------

@pytest.mark.parametrize("fixture, message", [
    ("empty.json", "empty file, no JSON in it"),
    ("whitespace.json", "empty file, no JSON in it"),
    ("null.json", "holds null, not a WordPress post or list of posts"),
    ("number.json", "holds a JSON int, not a WordPress post or list of posts"),
    ("string.json", "holds a JSON str, not a WordPress post or list of posts"),
    ("html-error-page.json", "an HTML page, not JSON (a saved error or login page?)"),
    ("wp-error.json", "a WordPress error response (rest_forbidden: Sorry, you are not allowed to do that.)"),
    ("site-index.json", "not a WordPress post (keys: authentication, description, gmt_offset, home, name)"),
    ("package-json.json", "not a WordPress post (keys: description, license, main, name, scripts)"),
    ("deep-nesting.json", "JSON nested too deep (more than 500 levels)"),  # 100,000 levels, 200 KB
    ("huge-number.json", "holds a number thousands of digits long, which no WordPress field does; not read"),
])
def test_file_that_is_not_a_post_is_one_error(capsys, tmp_path, fixture, message):
    source = BAD / fixture
    run = Run(capsys, tmp_path, source)
    assert run.code == 1
    assert run.lines == [f"error: {source}: {message}", summary(errors=1)]
    assert run.markdown_files() == []


def test_empty_list_is_a_warning_not_an_error(capsys, tmp_path):
    source = BAD / "empty-list.json"
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [f"warning: {source}: an empty list, no posts in it", summary(warnings=1)]
    assert run.markdown_files() == []


def test_sidecar_alone_writes_nothing_and_says_nothing(capsys, tmp_path):
    run = Run(capsys, tmp_path, BAD / "categories.json")  # a /wp/v2/categories response
    assert run.code == 0
    assert run.lines == [summary()]
    assert run.markdown_files() == []


# --- fields ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture, written, expected, warnings", [
    ("title-missing.json", "no-title.md", {"title": "", "slug": "no-title", "wp_id": 113},
     ["post 113: post has no title; written with an empty one"]),
    ("title-plain-string.json", "plain-title.md", {"title": "Harbour notes, plainly", "wp_id": 114},
     ["post 114: title is a plain string, not {'rendered': ...}; used as it is"]),
    # tags dropped, entities decoded, the no-break space made a plain one
    ("title-html.json", "html-title.md", {"title": "Big & bold \u2013 news today", "wp_id": 115}, []),
    ("terms-as-names.json", "terms-as-names.md",
     {"category": "Politics", "categories": ["Politics"], "tags": ["Ferry fares"],
      "wp_terms": {"Politics": "politics", "Ferry fares": "ferry-fares"}},
     ["post 116: categories holds a name ('Politics') where WordPress puts an id; taken as the name",
      "post 116: tags holds a name ('Ferry fares') where WordPress puts an id; taken as the name"]),
    ("embedded-string.json", "embedded-string.md", {"title": "A quiet week on the quay", "wp_id": 117},
     ["post 117: _embedded is not an object; ignored"]),
    ("embedded-junk.json", "embedded-junk.md", {"title": "A quiet week on the quay", "wp_id": 118},
     ["post 118: _embedded.author holds no usable user; ignored",
      "post 118: author 42 has no name (no _embedded author and no sidecar file of /wp/v2/users beside the post)",
      "post 118: _embedded wp:term is not a list; ignored"]),
    ("date-missing.json", "date-missing.md", {"date": MODIFIED, "modified": None, "wp_id": 119},
     ["post 119: no usable date (None); used the modified date"]),
    ("status-draft.json", "status-draft.md", {"status": "draft", "date": DATE}, []),
    ("status-pending.json", "status-pending.md", {"status": "draft"}, []),
    ("status-future.json", "status-future.md",
     {"status": "draft", "date": datetime(2030, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=1)))}, []),
])
def test_odd_field_converts_to(capsys, tmp_path, fixture, written, expected, warnings):
    source = BAD / fixture
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [f"warning: {source}: {w}" for w in warnings] + [
        summary(converted=1, warnings=len(warnings))]
    assert run.markdown_files() == [written]
    meta, body = run.read(written)
    assert {key: meta.get(key) for key in expected} == expected
    assert body == BODY


def test_ids_as_strings_resolve_through_the_sidecar(capsys, tmp_path):
    source = BAD / "ids-as-strings.json"  # "id": "77", "categories": ["3"], "tags": ["4"]
    run = Run(capsys, tmp_path, source, BAD / "categories.json")
    assert run.code == 0
    assert run.lines == [
        f"warning: {source}: post 77: tags ids 4 have no names (no _embedded and no sidecar file of "
        "/wp/v2/tags beside the post)",
        summary(converted=1, warnings=1)]
    meta, _ = run.read("ids-as-strings.md")
    assert meta["category"] == "Harbour"
    assert (meta["categories"], meta["wp_terms"]) == (["Harbour"], {"Harbour": "harbour"})


def test_id_given_as_a_string_is_written_as_a_number(capsys, tmp_path):
    run = Run(capsys, tmp_path, BAD / "ids-as-strings.json")
    assert run.read("ids-as-strings.md")[0]["wp_id"] == 77


def test_zero_date_without_modified_is_an_error_for_that_post_only(capsys, tmp_path):
    source = BAD / "date-zero.json"  # post 120 dated 0000-00-00T00:00:00, then post 121 dated properly
    run = Run(capsys, tmp_path, source)
    assert run.code == 1
    assert run.lines == [
        f"error: {source}: post 120: no usable date (date and modified are missing or zero)",
        summary(converted=1, errors=1)]
    assert run.markdown_files() == ["date-zero-neighbour.md"]
    assert run.read("date-zero-neighbour.md")[0]["title"] == "Dated properly"


# --- slugs -------------------------------------------------------------------------------------

def unsafe(post_id: int, slug: str, used: str) -> str:
    return f"post {post_id}: slug {slug!r} was not safe as a file name; used {used!r}"


@pytest.mark.parametrize("fixture, written, warnings", [
    ("slug-traversal.json", "etc-passwd.md", [unsafe(122, "../../etc/passwd", "etc-passwd")]),
    ("slug-slashes.json", "a-b-c.md", [unsafe(123, "a/b/c", "a-b-c")]),
    ("slug-nul.json", "a-b.md", [unsafe(124, "a\x00b", "a-b")]),
    # 150 Cyrillic letters are 300 bytes: cut to 200 bytes, on a character boundary
    ("slug-long.json", "ж" * 100 + ".md", [unsafe(125, "ж" * 150, "ж" * 100)]),
    ("slug-percent.json", "привет.md", []),  # %d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82, decoded
])
def test_slug_becomes_one_safe_file_name(capsys, tmp_path, fixture, written, warnings):
    source = BAD / fixture
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [f"warning: {source}: {w}" for w in warnings] + [
        summary(converted=1, warnings=len(warnings))]
    assert run.markdown_files() == [written]
    assert run.read(written)[0]["slug"] == written.removesuffix(".md")
    assert len(written.encode("utf-8")) <= 203


def test_missing_slug_comes_from_the_title_else_the_id(capsys, tmp_path):
    source = BAD / "slug-missing.json"  # no slug, no link; the second post has no title either
    run = Run(capsys, tmp_path, source)
    assert run.lines == [f"warning: {source}: post 141: post has no title; written with an empty one",
                         summary(converted=2, warnings=1)]
    assert run.markdown_files() == ["ferry-fares-2024.md", "post-141.md"]
    assert run.read("ferry-fares-2024.md")[0]["title"] == "Ferry & fares: 2024"
    assert run.read("post-141.md")[0]["slug"] == "post-141"


def test_same_slug_in_two_files_gets_a_second_name_and_slug(capsys, tmp_path):
    first, second = BAD / "same-slug-a.json", BAD / "same-slug-b.json"
    run = Run(capsys, tmp_path, first, second)
    assert run.lines == [
        f"warning: {second}: post 128: slug 'harbour-notes' is also used by {first}: post 127; "
        "written as harbour-notes-2.md",
        summary(converted=2, warnings=1)]
    assert run.markdown_files() == ["harbour-notes-2.md", "harbour-notes.md"]
    monday, tuesday = run.read("harbour-notes.md")[0], run.read("harbour-notes-2.md")[0]
    assert (monday["title"], monday["slug"]) == ("Harbour notes, Monday", "harbour-notes")
    # its own slug too: two posts with one slug would make Pelican refuse to build
    assert (tuesday["title"], tuesday["slug"]) == ("Harbour notes, Tuesday", "harbour-notes-2")


def test_same_slug_in_a_later_run_does_not_overwrite_the_earlier_post(capsys, tmp_path):
    first, second = BAD / "same-slug-a.json", BAD / "same-slug-b.json"
    Run(capsys, tmp_path, first)
    run = Run(capsys, tmp_path, second)  # a run of one new file into a folder of earlier posts
    assert run.lines == [
        f"warning: {second}: post 128: slug 'harbour-notes' is also used by post 127 of an earlier run; "
        "written as harbour-notes-2.md",
        summary(converted=1, warnings=1)]
    assert run.read("harbour-notes.md")[0]["title"] == "Harbour notes, Monday"
    assert run.read("harbour-notes-2.md")[0]["title"] == "Harbour notes, Tuesday"
    both = Run(capsys, tmp_path, second, first)  # and the names stay put whatever the order of the files
    assert both.summary == summary(converted=2, written=0, unchanged=2, warnings=1)


# --- statuses that are not imported ----------------------------------------------------------

@pytest.mark.parametrize("fixture, reason", [
    ("status-private.json", "post 132: private (set WP_IMPORT_PRIVATE = 'hidden' or use --private hidden to "
                            "import it)"),
    ("status-trash.json", "post 133: status trash"),
    ("password-protected.json", "post 134: password-protected (its content is not in the API response)"),
])
def test_post_not_meant_for_the_public_is_skipped_with_its_reason(capsys, tmp_path, fixture, reason):
    source = BAD / fixture
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [f"skipped: {source}: {reason}", summary(skipped=1)]
    assert run.markdown_files() == []


def test_private_post_is_hidden_when_asked(capsys, tmp_path):
    run = Run(capsys, tmp_path, BAD / "status-private.json", flags=("--private", "hidden"))
    assert run.lines == [summary(converted=1)]
    assert run.read("status-private.md")[0]["status"] == "hidden"


# --- hostile and odd content ---------------------------------------------------------------------

def test_hostile_content_is_sanitised_and_each_post_says_what_went(capsys, tmp_path):
    source = BAD / "hostile-content.json"  # a script, on* handlers, an iframe from elsewhere, a javascript: link
    run = Run(capsys, tmp_path, source)
    assert run.code == 0
    assert run.lines == [
        f"warning: {source}: post 150: sanitised: removed 1 <script>, 1 onclick attribute, 1 <iframe> from "
        "evil.example, 1 javascript: address, 1 onerror attribute",
        f"warning: {source}: post 150: sanitised the excerpt: removed 1 <script>",
        summary(converted=1, warnings=2)]
    meta, body = run.read("hostile-content.md")
    assert meta["summary"] == "My own words"
    assert body == BODY.rstrip("\n") + "![](x.jpg)\n"  # Thursday stays, as text; the picture loses its handler
    raw = Run(capsys, tmp_path / "raw", source, flags=("--no-sanitize",))
    assert raw.lines == [summary(converted=1)]
    assert ('<iframe src="https://evil.example/frame" title="Embedded content from evil.example"></iframe>'
            in raw.read("hostile-content.md")[1])


@pytest.mark.parametrize("fixture, written, expected, body", [
    # an address urlsplit refuses (an unclosed IPv6 bracket) is kept as it is, and breaks nothing
    ("link-unreadable.json", "link-unreadable.md",
     {"wp_link": "https://[tidewater.example/151/", "wp_guid": "http://[::1/?p=151", "wp_id": 151}, BODY),
    # an id that is digits to str.isdigit() ("²") but no number to int()
    ("id-superscript.json", "id-superscript.md", {"wp_id": "\u00b2"}, BODY),
    # a page builder's <style> first: what follows it is not lost in the page's <head>
    ("page-builder-style.json", "page-builder-style.md", {"wp_id": 153}, BODY),
    # tags written as text, outside any paragraph, stay text
    ("escaped-tags-in-text.json", "escaped-tags-in-text.md", {"wp_id": 154},
     "Write &lt;script> in a post and it stays text.\n\nSo does &lt;b>this&lt;/b>.\n"),
    # text that looks like Markdown links (to scripts) stays text, in a link's text too
    ("text-made-links.json", "text-made-links.md", {"wp_id": 156},
     "\\[ \\[see](javascript:alert(1))\n\n\\[x]: javascript:alert(2)\n\n"
     "and \\[x] [\\[z\\](javascript:alert(3))](/y)\n"),
])
def test_odd_content_converts_to(capsys, tmp_path, fixture, written, expected, body):
    run = Run(capsys, tmp_path, BAD / fixture)
    assert run.code == 0
    assert run.markdown_files() == [written]
    meta, text = run.read(written)
    assert {key: meta.get(key) for key in expected} == expected
    assert text == body


def test_content_that_is_not_html_is_ignored_with_a_warning(capsys, tmp_path):
    source = BAD / "content-not-html.json"  # "content": ["<p>a list, not an object</p>"]
    run = Run(capsys, tmp_path, source)
    assert run.lines == [f"warning: {source}: post 155: content is a JSON list; ignored",
                         f"warning: {source}: post 155: post has no body text", summary(converted=1, warnings=2)]
    assert run.read("content-not-html.md")[1] == ""


# --- posts too big or too deep to commit: generated here into tmp_path ---------------------------

def write_post(folder: Path, post_id: int, html: str) -> Path:
    path = folder / f"generated-{post_id}.json"
    path.write_text(json.dumps({"id": post_id, "date": "2024-04-02T10:00:00", "slug": f"generated-{post_id}",
                                "status": "publish", "title": {"rendered": "Generated"},
                                "content": {"rendered": html}}), "utf-8")
    return path


def test_twenty_thousand_nested_divs_convert_without_recursion_error(capsys, tmp_path):
    depth = 20_000
    source = write_post(tmp_path, 901, "<div>" * depth + "<p>At the very bottom.</p>" + "</div>" * depth)
    run = Run(capsys, tmp_path / "out", source)
    assert run.code == 0
    # the tags below 120 levels are unwrapped: <html>, <body> and 120 divs are kept of 20,003 tags
    assert run.lines == [f"warning: {source}: post 901: HTML nested more than 120 levels deep; 19881 inner tags "
                         "unwrapped, their text kept", summary(converted=1, warnings=1)]
    assert run.read("generated-901.md")[1] == "At the very bottom.\n"


def test_three_megabyte_post_converts_whole(capsys, tmp_path):
    paragraphs = [f"<p>Paragraph {n}: the quay was busy again and the gulls were loud about it. "
                  + "Boats came and went with the tide. " * 12 + "</p>\n" for n in range(6000)]
    html = "".join(paragraphs)
    assert len(html) > 3_000_000
    source = write_post(tmp_path, 902, html)
    run = Run(capsys, tmp_path / "out", source)
    assert run.code == 0
    assert run.lines == [summary(converted=1)]
    body = run.read("generated-902.md")[1]
    assert body.count("the gulls were loud about it.") == 6000
    assert body.startswith("Paragraph 0: ") and "\n\nParagraph 5999: " in body


# --- the whole folder in one run -------------------------------------------------------------

# 57 files. 11 hold no post (one error each); 2 hold nothing to convert and are no error (the
# categories sidecar, the empty list); 44 hold 48 posts (truncated-array 3, date-zero 2,
# slug-missing 2): 44 converted, 3 skipped, 1 error (date-zero's post 120).
# 44 + 3 + 12 = 59 = 48 posts + 11 files that are not posts.
FOLDER_SUMMARY = summary(converted=44, skipped=3, warnings=34, errors=12)


def test_bad_folder_converts_in_one_run_that_goes_on_past_every_error(capsys, tmp_path):
    assert len(list(BAD.glob("*.json"))) == 57
    run = Run(capsys, tmp_path, BAD)
    assert run.code == 1
    assert run.summary == FOLDER_SUMMARY
    assert (len(run.said("error")), len(run.said("skipped")), len(run.markdown_files())) == (12, 3, 44)
    # errors come from files all through the sorted folder; the posts after them were still converted
    assert run.said("error")[0].startswith(f"error: {BAD / 'date-zero.json'}: post 120: ")
    assert run.said("error")[-1].startswith(f"error: {BAD / 'wp-error.json'}: ")
    assert "utf16-bom.md" in run.markdown_files()
    # with the sidecar in the run, string category ids resolve
    assert run.read("ids-as-strings.md")[0]["category"] == "Harbour"
    for line in run.lines[:-1]:
        assert line.split(": ", 1)[0] in ("warning", "error", "skipped")
        assert line.split(": ", 2)[1].startswith(f"{BAD}{os.sep}"), line  # every message names its file


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_second_run_writes_byte_identical_files(capsys, tmp_path):
    Run(capsys, tmp_path, BAD)
    first = snapshot(tmp_path)
    again = Run(capsys, tmp_path, BAD)
    assert again.summary == summary(converted=44, written=0, unchanged=44, skipped=3, warnings=34, errors=12)
    assert snapshot(tmp_path) == first
    assert ".wp-import.json" in first and len(first) == 45


def test_hand_edited_file_is_kept_on_rerun_and_overwritten_with_force(capsys, tmp_path):
    source = BAD / "bom.json"
    Run(capsys, tmp_path, source)
    written = tmp_path / "with-bom.md"
    original = written.read_bytes()
    edited = original + b"\nA line the editor added by hand.\n"
    written.write_bytes(edited)

    kept = Run(capsys, tmp_path, source)
    assert kept.lines == [f"warning: {source}: post 110: with-bom.md was edited since it was written; kept it "
                          "(--force overwrites)", summary(converted=1, written=0, kept=1, warnings=1)]
    assert written.read_bytes() == edited

    forced = Run(capsys, tmp_path, source, flags=("--force",))
    assert forced.lines == [summary(converted=1)]
    assert written.read_bytes() == original


def test_nothing_is_written_outside_the_output_folder(capsys, tmp_path):
    out = tmp_path / "site" / "content"  # ../../etc/passwd from here would land in tmp_path
    run = Run(capsys, out, BAD)
    assert run.code == 1
    everything = [p for p in tmp_path.rglob("*") if p.is_file() or p.is_symlink()]
    assert len(everything) == 45  # 44 posts and the manifest
    for path in everything:
        assert not path.is_symlink()
        assert path.resolve().is_relative_to(out.resolve()), path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["content"]


def test_written_files_are_readable_like_any_other_new_file(capsys, tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    Run(capsys, tmp_path, BAD / "bom.json")
    for path in (tmp_path / "with-bom.md", tmp_path / ".wp-import.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0o600


def test_command_exits_1_when_any_file_fails_and_0_when_none_does(tmp_path):
    command = [sys.executable, "-m", "pelican_wp_import.cli", "convert"]
    failing = subprocess.run([*command, str(BAD), "-o", str(tmp_path / "all")], capture_output=True, text=True)
    assert failing.returncode == 1
    assert failing.stderr.splitlines()[-1] == FOLDER_SUMMARY
    clean = subprocess.run([*command, str(BAD / "bom.json"), "-o", str(tmp_path / "one")],
                           capture_output=True, text=True)
    assert (clean.returncode, clean.stderr) == (0, summary(converted=1) + "\n")
