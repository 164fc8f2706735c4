"""Front matter is written by our own small emitter: whatever the values, YAML reads back the same."""
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings, strategies as st

from pelican_wp_import.frontmatter import dump, emit, split

# Text as posts carry it: any character, including the ones YAML treats specially.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
WORDS = st.sampled_from(["yes", "No", "null", "~", "2025", "1.5", "0x1F", "-", "- a", "? x", "a: b", "a #b",
                         "#tag", "'q'", '"q"', "&x", "*x", "!x", "|", ">", "@", "`", "2024-01-02", "=",
                         "<<", " lead", "trail ", "tab\there", "line\nbreak", "x\r\ny", "\u2028", "é", ""])
STRINGS = st.one_of(TEXT, WORDS, st.lists(st.one_of(WORDS, TEXT), max_size=4).map("\n".join))
DATES = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)).map(
    lambda d: d.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=60 * (d.day % 5) - 120))))
SCALARS = st.one_of(STRINGS, st.integers(-10**6, 10**6), st.booleans(), DATES)
VALUES = st.one_of(SCALARS, st.lists(STRINGS, max_size=4),
                   st.lists(st.dictionaries(STRINGS, STRINGS, min_size=1, max_size=3), max_size=3),
                   st.dictionaries(STRINGS, STRINGS, max_size=4))
METADATA = st.dictionaries(STRINGS, VALUES, max_size=8)


@settings(max_examples=400, deadline=None)
@given(METADATA)
def test_what_is_written_reads_back_the_same(metadata):
    text = dump(metadata, "Body.\n")
    parsed = split(text)
    assert parsed is not None
    assert parsed[0] == metadata and parsed[1] == "Body.\n"


def test_plain_values_stay_plain_and_readable():
    text = emit({"title": "Council votes to keep the winter ferry", "tags": ["ferry", "Ytterøy"],
                 "date": datetime(2024, 1, 17, 18, 5, tzinfo=timezone(timedelta(hours=1)))})
    assert text == ("title: Council votes to keep the winter ferry\ntags:\n- ferry\n- Ytterøy\n"
                    "date: 2024-01-17 18:05:00+01:00\n")


def test_values_yaml_would_misread_are_quoted():
    assert emit({"slug": "yes", "n": "2025", "t": "Why: a #1 guide"}) == (
        'slug: "yes"\nn: "2025"\nt: "Why: a #1 guide"\n')


def test_paragraphs_are_a_literal_block():
    assert emit({"summary": "One.\n\nTwo."}) == "summary: |-\n  One.\n\n  Two.\n"


def test_the_plain_scalar_check_says_what_its_pattern_said_for_every_character():
    """_not_plain asks str questions before a character class; the pattern it replaced is the reference."""
    import re
    import sys

    from pelican_wp_import.frontmatter import _not_plain

    pattern = re.compile(r": |:$| #|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]|\s$")
    differ = [(hex(cp), value) for cp in range(sys.maxunicode + 1)
              for value in (f"a{chr(cp)}b", f"a{chr(cp)}", f"{chr(cp)}\n")
              if bool(pattern.search(value)) != _not_plain(value)]
    assert differ == []
    assert _not_plain("a: b") and _not_plain("x #y") and _not_plain("end:") and _not_plain("nbsp\u00a0")
    assert not _not_plain("a:b") and not _not_plain("x#y") and not _not_plain("soft\u00adhyphen")


def test_characters_outside_yamls_printable_set_are_written_escaped():
    """U+FFFE and U+FFFF (broken encodings leave them) may not appear in a YAML stream at all."""
    metadata = {"title": "a\ufffeb\uffff", "summary": "one\ntwo\uffff"}
    text = dump(metadata, "Body.\n")
    assert "\ufffe" not in text and "\uffff" not in text
    assert split(text) == (metadata, "Body.\n")
