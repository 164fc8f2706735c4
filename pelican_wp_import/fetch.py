"""The fetch command: download a site's posts and pages from its REST API into OUTPUT/.wp-api, then convert."""
from __future__ import annotations

import argparse
import ipaddress
import json
import math
import os
import re
import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from ._httpx import httpx

from . import cli
from .archive import ARCHIVE, CHANGES, Archive, has_pages, merge_changes, page_done_before
from .retry import RetryPolicy
from .threads import RequestThreads
from .wpapi import Api, FetchFailed, Reply, find_api, get, new_client, site_url, wp_json_root

PER_PAGE = 100  # the most the REST API gives in one page
DEFAULT_TYPES = ("posts", "pages")
# The site's own lists, kept beside the posts' pages: every category's, tag's and author's archive
# and every attachment page was an address of the old site, whether or not an imported post shows
# it, and a category's or tag's description was shown on its archive (oldsite.py). Only the fields
# those need are asked for (a media item is a few KB).
LISTS = {
    "categories": "id,name,slug,link,taxonomy,parent,count,description",
    "tags": "id,name,slug,link,taxonomy,count,description",
    "users": "id,name,slug,link",
    "media": "id,slug,type,link,post,mime_type,media_type",
}
# What a list the site keeps to itself costs: the old addresses then known from elsewhere, or not at all.
_UNLISTED = {"categories": "category archives are known from the posts' own categories only",
             "tags": "tag archives are known from the posts' own tags only",
             "users": "author archives are known from the posts' bylines only",
             "media": "attachment pages (one per upload) get no redirects"}
# What WordPress answers for a page past the last one: rest_post_invalid_page_number for posts,
# pages, custom post types and media, its own code for terms and users.
INVALID_PAGE = "_invalid_page_number"
_REST_BASE = re.compile(r"[a-z0-9][a-z0-9_-]*", re.I)


class UsageError(Exception):
    """A command line that cannot be run as it stands (exit 2)."""


@dataclass(frozen=True)
class FetchSettings:
    site: str
    output: Path
    types: tuple[str, ...] = DEFAULT_TYPES  # REST bases: posts, pages, product, …
    statuses: tuple[str, ...] = ()  # empty: what WordPress shows anyone (published)
    since: str = ""  # ISO 8601; only posts modified after it
    concurrency: int = 4
    timeout: float = 30.0
    policy: RetryPolicy = RetryPolicy()
    auth: tuple[str, str] | None = None
    lists: tuple[str, ...] = tuple(LISTS)  # of LISTS; none with --no-lists

    def query(self, number: int, kind: str = "posts") -> dict:
        """The query of page number of a type's or a list's pages: oldest id first, so that new items do
        not shift pages."""
        params = {"per_page": PER_PAGE, "page": number, "orderby": "id", "order": "asc"}
        if kind in LISTS:
            params["_fields"] = LISTS[kind]
            if self.since and kind == "media":  # terms and users have no modified date
                params["modified_after"] = self.since
            return params
        params["_embed"] = 1
        if self.statuses:
            params["status"] = ",".join(self.statuses)
        if self.since:
            params["modified_after"] = self.since
        return params

    def kinds(self) -> tuple[str, ...]:
        """Everything fetched, post types first."""
        return self.types + self.lists

    def run_key(self, api: Api) -> dict:
        """What makes two runs the same run, so that the second may resume the first."""
        return {"api": api.root, "types": list(self.types), "lists": list(self.lists), "status": list(self.statuses),
                "since": self.since, "per_page": PER_PAGE}


@dataclass
class PageResult:
    kind: str
    number: int
    reply: Reply | None = None
    failure: str = ""


@dataclass
class FetchTally:
    pages: int = 0
    posts: int = 0
    listed: dict[str, int] = field(default_factory=dict)  # list -> its items fetched
    written: int = 0
    unchanged: int = 0
    resumed: int = 0  # fetched by the interrupted run this one resumes
    failed: int = 0
    retries: int = 0

    def summary(self) -> str:
        listed = "".join(f", {self.listed[kind]} {kind}" for kind in LISTS if kind in self.listed)
        return (f"{self.pages} pages fetched ({self.posts} posts{listed}; {self.written} written, {self.unchanged} "
                f"unchanged, {self.resumed} from the interrupted run), {self.failed} failed, "
                f"{self.retries} retries")


class DownloadReporter(cli.Reporter):
    """The convert command's reporter, with a bar whose length grows as page counts become known."""

    def __init__(self, quiet: bool):
        super().__init__(2, quiet)
        self.expect(-2)
        if self.progress is not None:
            self.progress.update(self.task, description="downloading")

    def expect(self, pages: int) -> None:
        if self.progress is not None:
            self.progress.update(self.task, total=(self.progress.tasks[0].total or 0) + pages)


# --- the command ------------------------------------------------------------------------------

def run(args: argparse.Namespace, early: cli.EarlyStart | None = None) -> int:
    """fetch SITE --output DIR: download, then convert exactly as the convert command does.

    early: converter processes the caller started already (before importing this module's httpx);
    else they are started here. Either way they convert pages as they land."""
    try:
        settings = settings_from(args, os.environ)
    except UsageError as problem:
        print(f"error: {problem}", file=sys.stderr)
        if early is not None:
            early.close()
        return 2
    problem = cli.output_problem(settings.output)  # before the site is asked for anything
    if problem:
        print(f"error: {settings.output}: {problem}", file=sys.stderr)
        if early is not None:
            early.close()
        return 1
    options = cli.conversion_options(cli.options_from_args(args), args.media)
    # pages are converted as they land, by processes started before the download's threads;
    # a --since run converts what it merged, once the merge is done
    if settings.since and early is not None:
        early.close()
        early = None
    elif not settings.since and early is None:
        early = cli.EarlyStart(args.jobs, options)
    try:
        try:
            folder, failed = download_site(settings, args.quiet, early.file_ready if early else None)
        except KeyboardInterrupt:
            print("interrupted: run the same command again to go on where it stopped", file=sys.stderr)
            return 130
        if folder is None:
            return 1
        if not has_pages(folder, settings.types):
            print("no posts to convert" + (f" modified since {settings.since}" if settings.since else ""),
                  file=sys.stderr)
            return 1 if failed else 0
        code = cli.run_convert([str(folder)], settings.output, options, force=args.force, jobs=args.jobs,
                               quiet=args.quiet, early=early)
        return max(code, 1 if failed else 0)
    finally:
        if early is not None:
            early.close()


def settings_from(args: argparse.Namespace, env: os._Environ | dict) -> FetchSettings:
    """The fetch settings a command line and the environment ask for; UsageError when they cannot be had."""
    types = tuple(dict.fromkeys(DEFAULT_TYPES + _listed(args.types)))
    bad = [kind for kind in types if not _REST_BASE.fullmatch(kind) or kind in LISTS]
    if bad:
        raise UsageError(f"--types: {bad[0]!r} is not a REST base name of a post type (like product or event)")
    if args.concurrency < 1 or not args.timeout > 0 or not min(args.retries, args.backoff, args.max_wait) >= 0 \
            or not all(math.isfinite(value) for value in (args.timeout, args.backoff, args.max_wait)):
        raise UsageError("--concurrency and --timeout must be positive; --retries, --backoff and --max-wait "
                         "not negative; none of them infinite")
    try:
        site = site_url(args.site)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    auth = credentials(env, site)
    statuses = _listed(args.status)
    if any(status != "publish" for status in statuses) and auth is None:
        raise UsageError(f"--status {','.join(statuses)} needs WP_USERNAME and WP_APP_PASSWORD in the "
                         "environment (an Application Password from your WordPress profile)")
    return FetchSettings(site, Path(args.output), types, statuses, since_param(args.since), args.concurrency,
                         args.timeout, RetryPolicy(args.retries, args.backoff, args.max_wait), auth,
                         () if args.no_lists else tuple(LISTS))


def _listed(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def credentials(env, site: str) -> tuple[str, str] | None:
    """(user, Application Password) from WP_USERNAME and WP_APP_PASSWORD, never sent in clear to another host."""
    user, password = env.get("WP_USERNAME", ""), env.get("WP_APP_PASSWORD", "")
    if not user and not password:
        return None
    if not (user and password):
        raise UsageError("set both WP_USERNAME and WP_APP_PASSWORD, or neither")
    parts = urlsplit(site)
    if parts.scheme != "https" and not _is_loopback(parts.hostname or ""):
        raise UsageError(f"{site}: an Application Password is sent over https only; use https://")
    return user, password


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def since_param(value: str | None) -> str:
    """--since as the REST API's modified_after wants it: 2024-05-01 or 2024-05-01T10:00:00+02:00."""
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value.strip()).isoformat(timespec="seconds")
    except ValueError:
        raise UsageError(f"--since {value!r}: give a date like 2024-05-01 or 2024-05-01T10:00:00") from None


# --- downloading ----------------------------------------------------------------------------------

def download_site(settings: FetchSettings, quiet: bool,
                  on_page: Callable[[Path], None] | None = None) -> tuple[Path | None, int]:
    """Find the API and fetch every page into the archive: (folder to convert or None, pages failed).
    on_page(path) is told of each page file as it is kept."""
    archive_root = settings.output / ARCHIVE
    root = archive_root / CHANGES if settings.since else archive_root
    first_kind = settings.types[0]
    # page 1 of the first type is what finds the API, unless an interrupted run with the API there and
    # these settings, which this one then resumes, has it already
    resumes_with_it = page_done_before(root, settings.run_key(wp_json_root(settings.site)), first_kind, 1)
    first_page = None if resumes_with_it else (f"wp/v2/{first_kind}", settings.query(1))
    with new_client(settings.timeout, settings.concurrency, settings.auth) as client:
        api, first = locate_api(client, settings, first_page)
        if api is None:
            return None, 1
        archive = Archive(root, settings.run_key(api), clear_on_fresh=bool(settings.since))
        reporter = DownloadReporter(quiet)
        try:
            tally = fetch_pages(client, api, archive, settings, reporter, on_page,
                                first=PageResult(first_kind, 1, first) if first is not None else None)
        finally:
            reporter.close()
    if not tally.failed:
        archive.complete()
    if settings.since:
        merge_changes(root, archive_root, list(settings.kinds()))
    print(tally.summary(), file=sys.stderr)
    return root, tally.failed


def locate_api(client: httpx.Client, settings: FetchSettings,
               first_page: tuple[str, dict] | None = None) -> tuple[Api | None, Reply | None]:
    """The API root, or None after saying why there is none; and first_page's answer, when it found it."""
    try:
        api, tried, first = find_api(client, settings.site, settings.policy, first_page)
    except FetchFailed as failure:
        print(f"error: {failure}", file=sys.stderr)
        return None, None
    if api is None:
        print(f"error: {settings.site}: no WordPress REST API found (tried /wp-json/, the home page's "
              f"api.w.org link, ?rest_route=/){''.join('; ' + line for line in tried)}", file=sys.stderr)
    return api, first


def fetch_pages(client: httpx.Client, api: Api, archive: Archive, settings: FetchSettings,
                reporter: DownloadReporter, on_page: Callable[[Path], None] | None = None,
                first: PageResult | None = None) -> FetchTally:
    """Every page of every type, settings.concurrency at a time; page 1 of a type first, then the rest.
    first: a page answered already (while the API was looked for), kept instead of asked for again."""
    tally = FetchTally()
    pool = RequestThreads(settings.concurrency, "fetch")
    pending: dict = {}

    def submit(kind: str, numbers: list[int]) -> None:
        reporter.expect(len(numbers))
        for number in numbers:
            pending[pool.submit(fetch_page, client, api, settings, kind, number)] = number

    try:
        for kind in settings.kinds():
            tally.resumed += sum(1 for n in archive.done.get(kind, ()) if archive.is_done(kind, n))
            numbers = archive.missing_pages(kind)
            if first is not None and first.kind == kind and first.number in numbers:
                numbers.remove(first.number)
                reporter.expect(1)
                numbers += record_page(first, archive, tally, reporter, on_page)
                reporter.advance()
            submit(kind, numbers)
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                del pending[future]
                result = future.result()
                submit(result.kind, record_page(result, archive, tally, reporter, on_page))
                reporter.advance()
    finally:
        pool.shutdown()  # after Ctrl-C, requests in flight are not waited for
    return tally


def fetch_page(client: httpx.Client, api: Api, settings: FetchSettings, kind: str, number: int) -> PageResult:
    """One page of one type's list (in a worker thread)."""
    url = api.url(f"wp/v2/{kind}", settings.query(number, kind))
    try:
        return PageResult(kind, number, get(client, url, settings.policy))
    except FetchFailed as failure:
        return PageResult(kind, number, failure=str(failure))


def record_page(result: PageResult, archive: Archive, tally: FetchTally, reporter: DownloadReporter,
                on_page: Callable[[Path], None] | None = None) -> list[int]:
    """Keep what one page answered; the pages of its type that are to be fetched next because of it."""
    kind, number, reply = result.kind, result.number, result.reply
    if reply is None:
        return _failed(tally, reporter, result.failure + _without_it(kind))
    tally.retries += reply.tries - 1
    code = reply.data.get("code") if isinstance(reply.data, dict) else None
    if reply.status == 400 and isinstance(code, str) and code.endswith(INVALID_PAGE):
        archive.set_total(kind, number - 1)  # fewer pages than page 1 said: posts went away meanwhile
        return []
    if kind in LISTS and number == 1 and reply.status in (400, 401, 403, 404):
        # many sites keep /users (or all but the posts) from visitors: the posts still carry their bylines
        # and terms, so the archives they show are known anyway. Only page 1 says so: a refusal later
        # (a firewall's rate limit) is an error, and the pages fetched stay for the next run to go on from
        reporter.say(f"note: {reply.url}: {_unexpected(reply)}; the site does not list its {kind}, so "
                     f"{_UNLISTED[kind]}")
        archive.set_total(kind, 0)
        return []
    if reply.status == 404 and code == "rest_no_route" and kind in DEFAULT_TYPES:
        reporter.say(f"warning: {reply.url}: this site has no {kind!r} post type; none fetched")
        archive.set_total(kind, 0)
        return []
    if reply.status != 200 or not isinstance(reply.data, list):
        return _failed(tally, reporter, f"{reply.url}: {_unexpected(reply)}{_without_it(kind)}")
    if number > 1 and kind not in archive.totals and reply.data and _same_ids(reply.data, archive, kind, number - 1):
        # paging on with no X-WP-TotalPages, and a cache or proxy that ignores ?page= would never end
        return _failed(tally, reporter, f"{reply.url}: the same posts as page {number - 1}: the site ignores "
                                        "?page=, so no more pages were asked for")
    return _keep_page(result, reply.data, archive, tally, on_page)


def _without_it(kind: str) -> str:
    """What to add to the error of a list's page: the run can do without the list."""
    return f" (the site's list of {kind}: --no-lists goes without it)" if kind in LISTS else ""


def _same_ids(posts: list, archive: Archive, kind: str, number: int) -> bool:
    try:
        before = json.loads(archive.page_path(kind, number).read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(before, list) and _ids(posts) == _ids(before)


def _ids(posts: list) -> list:
    return [p.get("id") if isinstance(p, dict) else None for p in posts]


def _keep_page(result: PageResult, posts: list, archive: Archive, tally: FetchTally,
               on_page: Callable[[Path], None] | None) -> list[int]:
    kind, number, reply = result.kind, result.number, result.reply
    if posts:
        state = archive.save_page(kind, number, reply.body)
        setattr(tally, state, getattr(tally, state) + 1)
        if on_page is not None and kind not in LISTS:  # a list is read when the conversion starts
            on_page(archive.page_path(kind, number))
    tally.pages += 1
    if kind in LISTS:
        tally.listed[kind] = tally.listed.get(kind, 0) + len(posts)
    else:
        tally.posts += len(posts)
    archive.finish_page(kind, number)
    total = total_pages(reply, len(posts)) if number == 1 else None
    if total is not None:
        # known already (a resumed run): every page missing then was asked for with this one
        asked_for = kind in archive.totals
        archive.set_total(kind, total)
        return [] if asked_for else archive.missing_pages(kind)
    if kind in archive.totals:  # the pages were all asked for when page 1 answered
        return []
    # No X-WP-TotalPages (a proxy dropped it): page on until a page is not full.
    if len(posts) < PER_PAGE:
        archive.set_total(kind, number)
        return []
    return [number + 1]


def total_pages(reply: Reply, page_size: int) -> int | None:
    """The number of pages page 1 says there are; where X-WP-Total (posts) needs more pages of
    page 1's size than X-WP-TotalPages says, the larger (a page too many answers "invalid page")."""
    pages, posts = (_header_number(reply, name) for name in ("x-wp-totalpages", "x-wp-total"))
    if pages is not None and posts is not None and page_size:
        return max(pages, -(-posts // page_size))
    return pages


def _header_number(reply: Reply, name: str) -> int | None:
    value = reply.headers.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _failed(tally: FetchTally, reporter: DownloadReporter, line: str) -> list[int]:
    tally.failed += 1
    reporter.say(f"error: {line}")
    return []


def _unexpected(reply: Reply) -> str:
    if isinstance(reply.data, dict) and "code" in reply.data:
        message = str(reply.data.get("message") or "")[:120].rstrip(" .")
        return f"HTTP {reply.status} {reply.data.get('code')}" + (f": {message}" if message else "")
    if reply.status == 200:
        return "HTTP 200 but not a list of posts"
    return f"HTTP {reply.status}"
