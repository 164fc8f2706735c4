"""WordPress REST API JSON to Markdown and a Pelican site: a reader plugin and a command.

As a Pelican plugin (PLUGINS = ["pelican_wp_import"]) it reads .json files of WordPress posts,
WordPress exports (.xml) and Markdown files with YAML front matter, keeps each post at its old
permalink and redirects every other old WordPress address. Nothing heavy is imported until Pelican asks.
"""


def add_readers(readers) -> None:
    """readers_init: .json through the WordPress reader, Markdown through the YAML-aware one."""
    from .readers import WordPressJSONReader, YAMLMarkdownReader

    readers.reader_classes["json"] = WordPressJSONReader
    # The command's own records in a content folder are not posts: its manifest of written files
    # and fetch's archive of raw API responses (which would otherwise be read a second time).
    ignored = readers.settings.setdefault("IGNORE_FILES", [])
    for name in (".wp-import.json", ".wp-api"):
        if name not in ignored:
            ignored.append(name)
    if not YAMLMarkdownReader.enabled:
        return  # the markdown package is missing; Pelican says so itself
    own = readers.settings.get("READERS") or {}
    for ext in YAMLMarkdownReader.file_extensions:
        if ext not in own:
            readers.reader_classes[ext] = YAMLMarkdownReader


def expand_articles(generator) -> None:
    from .expand import expand_articles as expand

    expand(generator)


def expand_pages(generator) -> None:
    from .expand import expand_pages as expand

    expand(generator)


def attach_author_profiles(generators) -> None:
    """all_generators_finalized: every byline's bio, profile link and article count, for the theme."""
    from .authors import attach_profiles

    attach_profiles(generators)


def link_between_posts(generators) -> None:
    """all_generators_finalized: links to another imported post's old address go to its new page."""
    from .crosslinks import link_imported_posts

    everything = _every_content(generators)
    if everything:
        link_imported_posts(everything, generators[0].context.setdefault("generated_content", {}))


def _every_content(generators) -> list:
    return [c for g in generators for name in ("articles", "translations", "drafts", "hidden_articles",
                                               "pages", "hidden_pages", "draft_pages")
            for c in (getattr(g, name, None) or [])]


def keep_old_addresses(generators) -> None:
    """all_generators_finalized: posts and pages take their old permalinks; every other old address is
    mapped, and the posts' links to those addresses go where they lead now."""
    from .crosslinks import link_old_addresses
    from .permalinks import BASE_SETTING, apply_permalinks
    from .redirects import prepare_redirects

    apply_permalinks(generators)
    rules = prepare_redirects(generators)
    if rules:
        link_old_addresses(_every_content(generators), generators[0].context.setdefault("generated_content", {}),
                           rules, generators[0].settings.get(BASE_SETTING, ""))


def write_redirects(pelican) -> None:
    """finalized: redirect stubs at the old addresses the build left empty, and the redirect maps."""
    from .redirects import write_prepared

    write_prepared(pelican)


def mark_neighbours(generator) -> None:
    """article_generator_finalized: each article's neighbours in the date order, for the theme's
    previous/next links (found there by position, each page would search the list: quadratic)."""
    dates = getattr(generator, "dates", None) or []
    for index, article in enumerate(dates):
        before = dates[index - 1] if index else None
        after = dates[index + 1] if index + 1 < len(dates) else None
        article.wp_neighbours = (before, after)
    for name in ("drafts", "hidden_articles", "translations", "drafts_translations", "hidden_translations"):
        for article in getattr(generator, name, None) or []:
            article.wp_neighbours = None  # not in the date order: no neighbours


def index_article_lists(generator) -> None:
    """article_generator_finalized: tags', categories' and authors' article lists answer `in` from a
    set (Pelican looks for every article in each of them to write their pages: quadratic)."""
    from .membership import index_article_lists as index

    index(generator)


def remember_bylines(generator) -> None:
    """article_generator_finalized: co-written articles' bylines, for their feed entries."""
    from .feeds import remember_bylines as remember

    remember(generator)


def credit_every_author(context, feed) -> None:
    """feed_generated: an entry names every author of its article, not the first alone."""
    from .feeds import credit_every_author as credit

    credit(context, feed)


def describe_terms(generators) -> None:
    """all_generators_finalized: categories and tags get the descriptions the old site gave them."""
    from .oldsite import describe_terms as describe

    describe(generators)


def convert_ahead(generator) -> None:
    """article_generator_init: JSON files not in the content cache go to worker processes."""
    from .expand import forget_stale
    from .preconvert import start

    forget_stale(generator)
    start(generator)


def forget_stale_pages(generator) -> None:
    """page_generator_init: pages cached with names from sidecars that changed since are read again."""
    from .expand import forget_stale

    forget_stale(generator)


def stop_converting_ahead(*_args) -> None:
    """all_generators_finalized: every file has been read; the workers can go."""
    import sys

    if "pelican_wp_import.preconvert" in sys.modules:  # nothing to stop in a build that never started them
        sys.modules["pelican_wp_import.preconvert"].finish()


def register() -> None:
    from pelican import signals

    signals.readers_init.connect(add_readers)
    signals.article_generator_init.connect(convert_ahead)
    signals.article_generator_finalized.connect(mark_neighbours)
    signals.article_generator_finalized.connect(index_article_lists)
    signals.article_generator_finalized.connect(remember_bylines)
    signals.feed_generated.connect(credit_every_author)
    signals.page_generator_init.connect(forget_stale_pages)
    signals.article_generator_pretaxonomy.connect(expand_articles)
    signals.page_generator_finalized.connect(expand_pages)
    signals.all_generators_finalized.connect(keep_old_addresses)
    signals.all_generators_finalized.connect(attach_author_profiles)
    signals.all_generators_finalized.connect(describe_terms)
    signals.finalized.connect(write_redirects)
    signals.all_generators_finalized.connect(link_between_posts)
    signals.all_generators_finalized.connect(stop_converting_ahead)
