"""Author profiles across a site: every byline's newest bio, profile link and hand-set extras, by slug.

The posts carry `author_bios` records ({name, bio, url, source}); an author page should show the
bio of the newest post that has one, and keep the profile link found beside a bio. Settings add or
override by hand, for authors whose posts say nothing about them:

    WP_IMPORT_AUTHORS = {
        "Maren Okonkwo": {
            "bio": "Maren Okonkwo edits the Ledger's politics pages.",   # replaces the bio from the posts
            "photo": "images/maren.jpg",            # a URL, or a path from the site root
            "url": "https://example.org/maren",     # replaces the profile link from the posts
            "links": {"Mastodon": "https://example.social/@maren"},
        },
    }

Names are matched by slug, so "Ruth A. Petersen" and "ruth a petersen" are the same person.
The theme reads the result as attributes of Pelican's Author objects (`author.bio`,
`author.short_bio`, `author.profile_url`, `author.photo`, `author.links`, `author.article_count`)
and as the context variable `author_profiles` (slug -> AuthorProfile). Each article and page also
gets `post_bios` (author slug -> the bio as that post printed it), so an old article's bio box can
show the words it was published with while the author page shows the newest; a bio set by hand
replaces both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from typing import Callable, Iterable

from .links import site_host

SETTING = "WP_IMPORT_AUTHORS"
CONTEXT_KEY = "author_profiles"
SHORT_BIO_LIMIT = 220

# A sentence ends at . ! ? (and any closing quote) before a space and a capital letter…
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-ZÀ-Þ])")
# …unless the word before the dot is an initial or a title: "Ruth A. Petersen", "Dr. Lindqvist".
_NOT_AN_END = re.compile(r"(?:^|\s)(?:[A-Z]|Dr|Mr|Mrs|Ms|Mx|Prof|Rev|St|Jr|Sr|Mt|Capt|Col|Gen|Gov|Lt|Sen|Rep|No)\.$")
# Only web addresses become links: a bio's href could say javascript:.
_WEB_URL = re.compile(r"^https?://", re.I)


@dataclass
class AuthorProfile:
    """What the site knows about one byline, gathered from every post and the settings."""

    name: str
    slug: str
    bio: str = ""
    bio_source: str = ""  # post, term or user (where WordPress had it), or settings
    bio_date: datetime | None = None  # date of the post the bio was taken from
    profile_url: str = ""  # the author's page on the old site, found beside a bio
    photo: str = ""
    links: dict[str, str] = field(default_factory=dict)
    article_count: int = 0

    @property
    def short_bio(self) -> str:
        return first_sentence(self.bio)


def first_sentence(text: str, limit: int = SHORT_BIO_LIMIT) -> str:
    """The bio's first sentence, cut at a word and marked with … when even that is too long."""
    text = " ".join((text or "").split())
    for match in _SENTENCE_END.finditer(text):
        candidate = text[:match.start() + 1]
        if not _NOT_AN_END.search(candidate):
            text = text[:match.end()].rstrip()
            break
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def web_url(value: object) -> str:
    """The value when it is an http(s) address, else nothing."""
    return value.strip() if isinstance(value, str) and _WEB_URL.match(value.strip()) else ""


def _newest_first(articles: Iterable) -> list:
    return sorted(articles, key=lambda a: a.date.timestamp() if getattr(a, "date", None) else 0, reverse=True)


def gather_profiles(articles: Iterable, slug_of: Callable[[str], str], count: bool = True) -> dict[str, AuthorProfile]:
    """One profile per byline; the bio (and profile link) of the newest post that has one wins."""
    profiles: dict[str, AuthorProfile] = {}
    for article in _newest_first(articles):
        for author in getattr(article, "authors", None) or []:
            profile = profiles.setdefault(author.slug, AuthorProfile(author.name, author.slug))
            if count:
                profile.article_count += 1
        for record in getattr(article, "author_bios", None) or []:
            if isinstance(record, dict) and record.get("name"):
                _take_record(profiles, record, article, slug_of)
    return profiles


def _take_record(profiles: dict[str, AuthorProfile], record: dict, article, slug_of) -> None:
    slug = slug_of(str(record["name"]))
    if not slug:
        return
    profile = profiles.setdefault(slug, AuthorProfile(str(record["name"]), slug))
    bio = " ".join(str(record.get("bio") or "").split())
    if bio and not profile.bio:
        profile.bio, profile.bio_source = bio, str(record.get("source") or "post")
        profile.bio_date = getattr(article, "date", None)
    if not profile.profile_url:
        profile.profile_url = web_url(record.get("url"))


def apply_settings(profiles: dict[str, AuthorProfile], hand_set: dict, slug_of: Callable[[str], str]) -> None:
    """WP_IMPORT_AUTHORS: bio, photo, url and links set by hand win over what the posts say."""
    for name, extra in (hand_set or {}).items():
        if not isinstance(extra, dict) or not slug_of(str(name)):
            continue
        slug = slug_of(str(name))
        profile = profiles.setdefault(slug, AuthorProfile(str(name), slug))
        if extra.get("bio"):
            profile.bio, profile.bio_source, profile.bio_date = " ".join(str(extra["bio"]).split()), "settings", None
        if extra.get("url"):
            profile.profile_url = str(extra["url"])
        if extra.get("photo"):
            profile.photo = str(extra["photo"])
        if isinstance(extra.get("links"), dict):
            profile.links = {str(label): str(href) for label, href in extra["links"].items() if href}


_SHOWN = [f.name for f in fields(AuthorProfile) if f.name not in ("name", "slug")] + ["short_bio"]


def post_bios(content, slug_of: Callable[[str], str]) -> dict[str, str]:
    """author slug -> the bio as this post printed it."""
    bios: dict[str, str] = {}
    for record in getattr(content, "author_bios", None) or []:
        if isinstance(record, dict) and record.get("name") and record.get("bio"):
            bios.setdefault(slug_of(str(record["name"])), " ".join(str(record["bio"]).split()))
    return bios


def decorate(author, profile: AuthorProfile | None) -> None:
    """Copy a profile onto a Pelican Author, so a template can say author.bio wherever it has one."""
    profile = profile or AuthorProfile(author.name, author.slug)
    for key in _SHOWN:
        setattr(author, key, getattr(profile, key))


# Lists of content each generator keeps; Authors found in any of them are decorated.
_CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                  "drafts_translations", "pages", "hidden_pages", "draft_pages", "draft_translations")
# Posts that are not on the site's lists: they only fill in people who have no published post.
_UNLISTED = ("translations", "hidden_articles", "drafts")


def site_profiles(articles_generator, slug_of: Callable[[str], str]) -> dict[str, AuthorProfile]:
    """Profiles from the published articles, then unlisted ones (a draft's bio stays private), then settings."""
    profiles = gather_profiles(articles_generator.articles, slug_of)
    unlisted = [item for name in _UNLISTED for item in getattr(articles_generator, name, None) or []]
    for slug, profile in gather_profiles(unlisted, slug_of, count=False).items():
        profiles.setdefault(slug, profile)
    _unlink_this_site(profiles, articles_generator.settings.get("SITEURL"))
    apply_settings(profiles, articles_generator.settings.get(SETTING) or {}, slug_of)
    return profiles


def _unlink_this_site(profiles: dict[str, AuthorProfile], site_url: object) -> None:
    """No profile link to the address the site itself now answers at: a site that kept its old domain
    sends the old author page's address to the new author page, which would link back to itself."""
    host = site_host(site_url) if isinstance(site_url, str) else ""
    for profile in profiles.values() if host else ():
        if profile.profile_url and site_host(profile.profile_url) == host:
            profile.profile_url = ""


def _decorate_content(content, profiles: dict[str, AuthorProfile], slug_of) -> None:
    content.post_bios = {slug: bio for slug, bio in post_bios(content, slug_of).items()
                         if slug not in profiles or profiles[slug].bio_source != "settings"}
    for author in getattr(content, "authors", None) or []:
        decorate(author, profiles.get(author.slug))


def attach_profiles(generators) -> None:
    """all_generators_finalized: profiles into the context and onto every Author object of the build."""
    from pelican.urlwrappers import Author

    articles_generator = next((g for g in generators if hasattr(g, "authors") and hasattr(g, "articles")), None)
    if articles_generator is None:
        return

    @lru_cache(maxsize=None)
    def slug_of(name: str) -> str:
        return Author(name, articles_generator.settings).slug

    profiles = site_profiles(articles_generator, slug_of)
    for author, _ in articles_generator.authors:
        decorate(author, profiles.get(author.slug))
    for generator in generators:
        for content in (c for name in _CONTENT_LISTS for c in getattr(generator, name, None) or []):
            _decorate_content(content, profiles, slug_of)
    articles_generator.context[CONTEXT_KEY] = profiles
