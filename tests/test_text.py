"""Text helpers whose fast forms must keep the meaning of the patterns they replaced."""
import re
import sys

from pelican_wp_import.text import collapse_spaces, plain_text

# What plain_text collapsed with before: every kind of non-breaking or odd space, and runs of white space.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b\ufeff]+")


def test_collapse_spaces_is_the_white_space_pattern_it_replaced_for_every_code_point():
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        text = f"{c}a{c}{c} b{c}"  # at both ends, alone, in a run, beside a space
        assert collapse_spaces(text) == _SPACES.sub(" ", text).strip(), hex(code)
    assert collapse_spaces("\u200b") == "" and collapse_spaces("x") == "x"


def test_plain_text_pairs():
    assert plain_text("<p>Caf&eacute;\u00a0au\u200blait \n</p>") == "Café au lait"
    assert plain_text("&lt;b&gt; stays text") == "<b> stays text"
    assert plain_text({"rendered": "<em>x</em>  y"}) == "x y"
    assert plain_text("\ufeffno\u3000tag") == "no tag"
    assert plain_text(None) == ""


def test_trim_line_ends_is_the_two_patterns_it_replaced_for_every_short_string():
    from itertools import product

    from pelican_wp_import.markdown import trim_line_ends

    blank_line_spaces, line_end_spaces = re.compile(r"^[ \t]+$", re.M), re.compile(r"[ \t]+$", re.M)

    def by_patterns(text: str) -> str:
        text = blank_line_spaces.sub("", text)
        return line_end_spaces.sub(lambda m: "  " if m.group().startswith("  ") else "", text)

    for length in range(8):
        for letters in product(" \ta\n\r", repeat=length):
            text = "".join(letters)
            assert trim_line_ends(text) == by_patterns(text), repr(text)
