"""WordPress REST API JSON to Markdown and a Pelican site: a reader plugin and a command.

As a Pelican plugin (PLUGINS = ["pelican_wp_import"]) it reads .json files of WordPress posts
and Markdown files with YAML front matter. Nothing heavy is imported until Pelican asks.
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

    everything = [c for g in generators for name in ("articles", "translations", "drafts", "hidden_articles",
                                                     "pages", "hidden_pages", "draft_pages")
                  for c in (getattr(g, name, None) or [])]
    if everything:
        link_imported_posts(everything, generators[0].context.setdefault("generated_content", {}))


def register() -> None:
    from pelican import signals

    signals.readers_init.connect(add_readers)
    signals.article_generator_pretaxonomy.connect(expand_articles)
    signals.page_generator_finalized.connect(expand_pages)
    signals.all_generators_finalized.connect(attach_author_profiles)
    signals.all_generators_finalized.connect(link_between_posts)
