"""Article lists that answer `in` from a set, for Pelican's tag, category and author pages.

Pelican writes each tag's, category's and author's page with the site's articles in date order
filtered by `article in articles`, where `articles` is that tag's list: every article of the site
is looked for in every such list, one comparison per list item. For 10,000 posts with a few tags,
categories and authors that is some 300 million comparisons, a tenth of a whole build and most of
what makes a build of 10,000 posts cost more than ten builds of 1,000. The same lists, kept as
lists in every other way, find an item by its identity in a set instead.
"""
from __future__ import annotations


class ArticleList(list):
    """A list whose `in` looks an item up by identity in a set of its items' ids.

    Python's `in` on a list asks identity first, then equality; for objects that keep object's
    own equality (Pelican's content classes do) the two are the same question, so the set answers
    it. When the item looked for or any item of the list has an equality of its own, the list is
    searched the list's way. Every change to the list drops the set; the next `in` builds it again.
    """

    __slots__ = ("_ids",)

    def __init__(self, items=()):
        super().__init__(items)
        self._ids: set[int] | None = None

    def __contains__(self, item) -> bool:
        ids = self._ids
        if ids is None:
            ids = self._ids = ({id(x) for x in self} if all(_plain(type(x)) for x in self) else set())
        if not ids and self or not _plain(type(item)):
            return list.__contains__(self, item)
        return id(item) in ids

    def __reduce_ex__(self, protocol):
        return list, (list(self),)  # pickled (Pelican's cache, a copy) as the plain list it stands for


def _plain(cls: type) -> bool:
    """Whether equality between instances of cls is identity (object's own __eq__)."""
    return cls.__eq__ is object.__eq__


def _forgetting(name: str):
    change = getattr(list, name)

    def changed(self, *args):
        self._ids = None
        return change(self, *args)

    changed.__name__ = name
    return changed


for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend", "insert", "pop",
              "remove", "clear"):
    setattr(ArticleList, _name, _forgetting(_name))


def index_article_lists(generator) -> None:
    """article_generator_finalized: each tag's, category's and author's articles as an ArticleList,
    in place, so that the context, which holds the same dict and lists, sees them."""
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, articles in list(tags.items()):
            if type(articles) is list:
                tags[tag] = ArticleList(articles)
    for name in ("categories", "authors"):
        pairs = getattr(generator, name, None)
        if not isinstance(pairs, list):
            continue
        for at, pair in enumerate(pairs):
            if isinstance(pair, tuple) and len(pair) == 2 and type(pair[1]) is list:
                pairs[at] = (pair[0], ArticleList(pair[1]))
