"""Trailing author bios: taken out when the page marks them as bios, never when they are article text."""
import pytest
from bs4 import BeautifulSoup

from pelican_wp_import.bios import display_name, extract_bios, name_key, profile_bios
from pelican_wp_import.htmltree import parse_body, to_html
from pelican_wp_import.model import Term


def bios_of(html, known=()):
    root = parse_body(html)
    bios = extract_bios(root, list(known))
    left = [p.get_text(" ", strip=True) for p in BeautifulSoup(to_html(root), "lxml").find_all(["p", "h3", "hr"])]
    return [(b.name, b.bio, b.url) for b in bios], left


BODY = "<p>The ferry will run until midnight from June, the council said on Tuesday.</p>"


def test_more_about_link_marks_a_bio():
    bios, left = bios_of(BODY + '<p><span>Jane Doe</span> is a reporter who covers the harbour. '
                                '<a href="https://x.example/by/jane-doe/">More about Jane Doe</a></p>')
    assert bios == [("Jane Doe", "Jane Doe is a reporter who covers the harbour.", "https://x.example/by/jane-doe/")]
    assert left == ["The ferry will run until midnight from June, the council said on Tuesday."]


def test_two_bios_in_page_order_with_middle_initials():
    bios, left = bios_of(BODY + "<p><span>Edward Ng</span> is a correspondent. More about Edward Ng</p>"
                                "<p><span>Julia E. Barnes</span> is a reporter based in Oslo. "
                                "More about Julia E. Barnes</p>")
    assert [b[0] for b in bios] == ["Edward Ng", "Julia E. Barnes"]
    assert bios[1][1] == "Julia E. Barnes is a reporter based in Oslo."
    assert len(left) == 1


def test_more_about_without_a_link_or_span_still_marks_a_bio():
    bios, _ = bios_of(BODY + "<p>Jane Doe is a reporter who covers schools. More about Jane Doe</p>")
    assert bios == [("Jane Doe", "Jane Doe is a reporter who covers schools.", "")]


@pytest.mark.parametrize("paragraph", [
    "Iran has supplied drones and is helping Russia build a drone factory.",
    "Mr. Putin has characterized the talks as productive.",
    "Kim Jong-un, the leader of North Korea, plans to travel to Russia.",
    "Mayor Ingrid Solberg is a careful politician who rarely commits herself early.",
    "The harbourmaster is a patient man who rarely raises his voice.",
    "Jane Doe is a teacher at the island school, where she has worked for twenty years.",
])
def test_article_text_that_looks_like_a_bio_stays(paragraph):
    bios, left = bios_of(BODY + f"<p>{paragraph}</p>")
    assert bios == []
    assert left[-1] == paragraph


def test_a_name_set_apart_alone_is_not_enough():
    bios, left = bios_of(BODY + "<p><strong>Jane Doe</strong> is a teacher who has lived here for years.</p>")
    assert bios == [] and len(left) == 2


def test_a_name_set_apart_that_is_the_posts_author_is_a_bio():
    bios, _ = bios_of(BODY + "<p><strong>Jane Doe</strong> is a reporter who covers the council.</p>",
                      known=["Jane Doe"])
    assert bios == [("Jane Doe", "Jane Doe is a reporter who covers the council.", "")]


def test_honorifics_do_not_stop_a_name_matching():
    bios, _ = bios_of(BODY + "<p><strong>Dr. Ana Lind</strong> is a science writer.</p>", known=["Ana Lind"])
    assert bios == [("Ana Lind", "Dr. Ana Lind is a science writer.", "")]
    assert name_key("Dr. Ana Lind") == name_key("ana lind") and display_name("Ms. Ana Lind") == "Ana Lind"


def test_about_the_author_heading_marks_the_run_and_goes_with_it():
    bios, left = bios_of(BODY + "<h3>About the author</h3><p><strong>Ana Lind</strong> writes about science.</p>")
    assert bios == [("Ana Lind", "Ana Lind writes about science.", "")]
    assert left == ["The ferry will run until midnight from June, the council said on Tuesday."]


def test_a_rule_before_the_run_marks_it():
    bios, left = bios_of(BODY + "<hr/><p><em>Ana Lind</em> is a science writer based in Bergen.</p>")
    assert bios == [("Ana Lind", "Ana Lind is a science writer based in Bergen.", "")]
    assert len(left) == 1


def test_a_link_to_an_author_page_with_the_name_set_apart():
    bios, _ = bios_of(BODY + '<p><a href="https://x.example/author/ana-lind/">Ana Lind</a> covers the coast.</p>')
    assert bios == [("Ana Lind", "Ana Lind covers the coast.", "https://x.example/author/ana-lind/")]


def test_only_the_trailing_run_is_taken():
    html = ("<p><span>Jane Doe</span> is a reporter. More about Jane Doe</p>" + BODY
            + "<p><span>Jo Bloggs</span> is an editor. More about Jo Bloggs</p>")
    bios, left = bios_of(html)
    assert [b[0] for b in bios] == ["Jo Bloggs"]
    assert left[0].startswith("Jane Doe is a reporter")


def test_footnotes_after_the_bios_are_left_in_place():
    html = (BODY + "<p><span>Jane Doe</span> is a reporter. More about Jane Doe</p>"
            '<ol class="wp-block-footnotes"><li id="a">A note.</li></ol>')
    root = parse_body(html)
    assert [b.name for b in extract_bios(root, [])] == ["Jane Doe"]
    assert BeautifulSoup(to_html(root), "lxml").find("ol").get_text() == "A note."


def test_profile_bios_from_terms_and_users():
    terms = [Term("Ana Lind", "ana-lind", "author", "Ana writes about the sea.", "https://x.example/author/ana/")]
    user = {"name": "Ledger Staff", "description": "", "link": "https://x.example/author/staff/"}
    bios = profile_bios(user, terms)
    assert [(b.name, b.bio, b.source) for b in bios] == [("Ana Lind", "Ana writes about the sea.", "term"),
                                                          ("Ledger Staff", "", "user")]
