"""Find the trailing author-bio paragraphs of a news post, take them out, keep them as data.

Precision beats recall here: a paragraph wrongly taken for a bio deletes the author's words, so a
paragraph is a bio only when the page marks it as one, not because it opens with a capitalised
word and a verb.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .htmltree import child_elements, children, classes, remove, text_of
from .model import AuthorBio, Term
from .text import HONORIFICS, display_name, plain_text

# Name particles that stay lower case inside a name: "Ana de la Cruz", "Ludwig van Beethoven".
_PARTICLES = frozenset("de del della der di da dos du la le van von bin al el ter ten y".split())
# Verbs that open a bio after its subject's name ("Jane Doe is a reporter…").
_BIO_VERB = re.compile(
    r"^(?:is|was|has been|had been|writes|wrote|covers|covered|reports|reported|edits|edited|joined|"
    r"serves|served|leads|led|works|worked|teaches|taught|lives|studies|studied|holds|runs|directs|"
    r"contributed|contributes|previously)\b")
# "More about NAME" (also "More from NAME", "Read more about NAME") at the end of a bio.
_MORE_ABOUT = re.compile(r"(?:Read\s+)?More\s+(?:about|from|by)\s+(?P<name>[^!?]{2,80}?)\s*[.:»›→]?\s*$", re.I)
# "Read more about " and a name of 80 characters, with a space and a mark after it.
_MORE_ABOUT_LONGEST = 110
_AUTHOR_PAGE = re.compile(r"/(?:author|authors|by|byline|people|staff|profile|profiles|contributors?|team)/",
                          re.I)
_ABOUT_HEADING = re.compile(r"^about the authors?\b|^about (?:the )?writers?\b", re.I)
_SET_APART = ("span", "strong", "b", "em", "i", "a")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# The space a paragraph read as text has before punctuation ("Doe , a reporter"): gone, the mark kept.
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:!?])")


@dataclass
class _Lead:
    name: str
    set_apart: bool
    linked: str  # href when the name itself links somewhere


@lru_cache(maxsize=4096)  # the same bylines come back in post after post
def name_key(name: str) -> str:
    """A name for matching: no honorifics, no dots, case folded."""
    words = name.split()
    while words and words[0].lower() in HONORIFICS:
        words = words[1:]
    return " ".join(w.replace(".", "") for w in words).casefold()


def extract_bios(root, known_names: list[str]) -> list[AuthorBio]:
    """Remove the trailing run of bio paragraphs from root and return them, in page order."""
    known = {name_key(n) for n in known_names if n}
    blocks = child_elements(root)
    while blocks and _is_footnotes(blocks[-1]):
        blocks.pop()  # WordPress puts the footnotes block last, after the bios
    container = _bio_container(blocks)
    if container is not None:
        blocks = child_elements(container)
    about_at = _about_marker(blocks)
    found: list[tuple[object, AuthorBio]] = []
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        marked = about_at is not None and index > about_at
        bio = read_bio(block, known, marked) if block.tag in ("p", "div") else None
        if bio is None:
            break
        found.append((block, bio))
    if not found:
        return []
    found.reverse()
    first = blocks.index(found[0][0])
    if about_at is not None and about_at == first - 1:
        remove(blocks[about_at])
    for block, _ in found:
        remove(block)
    if container is not None and not any(text.strip() for text in container.itertext()):
        remove(container)
    return [bio for _, bio in found]


def _is_footnotes(block) -> bool:
    return "wp-block-footnotes" in classes(block) or "footnotes" in classes(block)


def _bio_container(blocks: list):
    """A last block that wraps the bios, like <div class="author-bio">."""
    if not blocks or blocks[-1].tag not in ("div", "section", "aside", "footer"):
        return None
    names = " ".join(classes(blocks[-1])) + " " + (blocks[-1].get("id") or "")
    return blocks[-1] if re.search(r"author|bio|byline|contributor", names, re.I) else None


def _about_marker(blocks: list) -> int | None:
    """Index of an 'About the author' heading or a rule that opens the final run of paragraphs."""
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.tag == "hr":
            return index
        if block.tag in _HEADINGS or (block.tag == "p" and _is_heading_like(block)):
            return index if _ABOUT_HEADING.match(plain_text(text_of(block, " "))) else None
        if block.tag != "p":
            return None
    return None


def _is_heading_like(p) -> bool:
    text = p.text
    if not len(p) or (text and not text.isspace()):
        return False  # no element in it, or words before the first: not one bold line (most paragraphs)
    content = [c for c in children(p) if not (isinstance(c, str) and not c.strip())]
    return len(content) == 1 and not isinstance(content[0], str) and content[0].tag in ("strong", "b")


def read_bio(block, known: set[str], marked: bool) -> AuthorBio | None:
    """An AuthorBio when the paragraph is marked as one; None for article text."""
    text = plain_text(text_of(block, " "))
    if " " in text:  # plain text holds no white space but single spaces
        text = "".join(_SPACE_BEFORE_MARK.split(text))  # the same as sub(r"\1"), without a call per match
    if not text or len(text) > 1500:
        return None
    # the phrase ends the text, and in text with its spaces folded it is at most _MORE_ABOUT_LONGEST long:
    # searched for only there (searching from every position of a long paragraph was most of the cost)
    tail_at = max(0, len(text) - _MORE_ABOUT_LONGEST)
    # the phrase holds "more" in some case: without it (most paragraphs) the pattern is not tried
    more = _MORE_ABOUT.search(text, tail_at) if "more" in text[tail_at:].lower() else None
    more_name = display_name(more.group("name")) if more else ""
    if more and not _looks_like_name(more_name):
        more, more_name = None, ""
    lead = _lead_name(block, text)
    if more and lead and name_key(lead.name) != name_key(more_name):
        lead = None  # the opening words are not the person the link is about
    if not more and not (lead and _verb_follows(text, lead.name)):
        return None  # article text, the usual case: its links are not looked at
    author_link = _author_link(block)
    # with "More about", the paragraph must be about the person the link names
    if more and not (lead or name_key(text).startswith(name_key(more_name)) or author_link):
        return None
    name = display_name(lead.name) if lead else more_name
    score = (2 if more else 0) + bool(author_link) + bool(lead and lead.set_apart) \
        + (name_key(name) in known) + marked
    if score < 2:
        return None
    bio_text = text[: more.start()].strip() if more else text
    return AuthorBio(name=name, bio=bio_text, url=author_link or (lead.linked if lead else ""), source="post")


def _verb_follows(text: str, name: str) -> bool:
    if not name:
        return False
    rest = text[len(name):] if text.startswith(name) else text.split(name, 1)[-1]
    rest = rest.lstrip(" ,")
    return bool(_BIO_VERB.match(rest))


def _lead_name(block, text: str) -> _Lead | None:
    """The name a bio opens with: set apart in its own element, or two to five capitalised words."""
    first = next((c for c in children(block) if not (isinstance(c, str) and not c.strip())), None)
    if first is not None and not isinstance(first, str) and first.tag in _SET_APART:
        name = plain_text(text_of(first, " "))
        if _looks_like_name(name):
            href = first.get("href", "") if first.tag == "a" else ""
            inner_link = next(_links_in(first), None)
            return _Lead(name, True, href or (inner_link.get("href") if inner_link is not None else ""))
    taken: list[str] = []
    for word in text.split(None, 7)[:7]:  # the first seven words; not the whole paragraph cut into words
        bare = word.rstrip(",")
        if bare[:1].isupper() or (taken and bare in _PARTICLES) or bare.lower() in HONORIFICS:
            taken.append(bare)
            if word.endswith(","):
                break
            continue
        break
    # the last capitalised word may be the start of the bio ("Jane Doe Reports…" is rare); keep it
    if len([w for w in taken if w.lower() not in HONORIFICS]) < 2:
        return None
    return _Lead(" ".join(taken), False, "")


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 6 and all(w[:1].isupper() or w in _PARTICLES or w.lower() in HONORIFICS
                                         for w in words) and len(name) <= 80


def _author_link(block) -> str:
    for link in _links_in(block):
        if _AUTHOR_PAGE.search(link.get("href")) or _MORE_ABOUT.match(plain_text(text_of(link, " "))):
            return link.get("href")
    return ""


def _links_in(tag):
    """The <a href> inside tag, in document order."""
    return (node for node in tag.iterdescendants("a") if node.get("href") is not None)


def profile_bios(author: dict | None, coauthors: list[Term]) -> list[AuthorBio]:
    """Bios a site keeps outside the post: Co-Authors Plus terms and the user's description."""
    bios = []
    for term in coauthors:
        bios.append(AuthorBio(display_name(term.name), plain_text(term.description), term.link, "term"))
    if author and isinstance(author.get("name"), str) and author["name"].strip():
        bios.append(AuthorBio(display_name(plain_text(author["name"])), plain_text(author.get("description")),
                              str(author.get("link") or ""), "user"))
    return bios
