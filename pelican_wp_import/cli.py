"""The pelican-wp-import command: convert saved WordPress JSON into Markdown files."""
from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
import posixpath
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .fields import Options
from .links import PostIndex, replace_urls
from .load import LoadedFile, load_file
from .model import Converted, Failed, ImportProblem, Skipped, one_line, where
from .resolve import Sidecars
from .sources import json_files, sidecars_for

if TYPE_CHECKING:
    from .downloads import MediaLibrary
    from .write import OutputFolder

# Below this much work a process pool costs more than it saves: 64 files, or about 64 posts' worth of
# bytes when they come as a few big pages of posts (a fetch gives 100 posts a file).
_POOL_MIN_FILES = 64
_POOL_MIN_BYTES = 400_000
# Pieces of work per worker process: enough that one slow piece does not leave the others idle.
_PIECES_PER_JOB = 4
# Files (pages of 100 posts, for fetch) converted ahead of their turn, per worker process.
_EARLY_FILES_PER_JOB = 4
_SIDECARS: dict[Path, Sidecars] = {}  # per folder, set before the pool forks
_OPTIONS = Options()


@dataclass
class Tally:
    converted: int = 0
    written: int = 0
    unchanged: int = 0
    kept: int = 0
    skipped: int = 0
    warnings: int = 0
    errors: int = 0
    images: int | None = None  # images in the content folder, when they were asked for
    images_failed: int = 0
    verified: int | None = None  # posts checked whole by --verify, when it was asked for
    verify_failed: int = 0

    def summary(self) -> str:
        line = (f"{self.converted} posts converted ({self.written} written, {self.unchanged} unchanged, "
                f"{self.kept} kept as edited), {self.skipped} skipped, {self.warnings} warnings, "
                f"{self.errors} errors")
        if self.images is not None:
            line += f"; {self.images} images in place, {self.images_failed} not downloaded"
        if self.verified is not None:
            line += f"; verified: {self.verified} posts whole, {self.verify_failed} lost something"
        return line


class Reporter:
    """Messages one line each on stderr, a progress bar when stderr is a terminal."""

    def __init__(self, total: int, quiet: bool, bar: bool | None = None):
        """total: of what advance() counts; bar: whether to draw one on a terminal (for more than one)."""
        self.quiet = quiet
        self.progress = None
        if sys.stderr.isatty() and not quiet and (total > 1 if bar is None else bar):
            from rich.console import Console  # imported only when a person is watching
            from rich.progress import Progress

            self.progress = Progress(console=Console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("converting", total=total)

    def say(self, line: str) -> None:
        line = one_line(line)
        if self.progress is not None:
            self.progress.console.print(line, markup=False, highlight=False)
        elif not self.quiet or line.startswith("error"):
            print(line, file=sys.stderr)

    def advance(self, amount: int = 1) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, amount)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pelican-wp-import",
                                     description="Move a WordPress site to Markdown files and a Pelican site.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    convert = commands.add_parser("convert", help="convert saved WordPress REST API JSON to Markdown",
                                  description="Convert files or folders of WordPress REST API JSON (posts, "
                                              "pages, and users/categories/tags/media beside them) into one "
                                              "Markdown file with YAML front matter per post.")
    convert.add_argument("sources", nargs="+", metavar="SOURCE", help="a JSON file or a folder of them")
    convert.add_argument("-o", "--output", required=True, metavar="DIR", type=_folder_name,
                         help="folder to write Markdown into")
    add_conversion_arguments(convert)
    _add_fetch_parser(commands)
    return parser


def add_conversion_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the conversion, which convert and fetch share."""
    parser.add_argument("--force", action="store_true", help="overwrite files edited since they were written")
    parser.add_argument("--private", choices=("skip", "hidden"), default="skip",
                        help="what to do with private posts (default: skip)")
    parser.add_argument("--exclude-type", action="append", default=[], metavar="TYPE",
                        help="a custom post type not to import (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="worker processes for converting (default: one per CPU)")
    parser.add_argument("--media", action="store_true",
                        help="download the images posts use into OUTPUT/images and link them with {static}")
    parser.add_argument("--no-sanitize", action="store_true",
                        help="keep the posts' HTML as it is (by default scripts, event handlers, forms and "
                             "iframes from unknown hosts are removed, each removal a warning)")
    parser.add_argument("--verify", action="store_true",
                        help="render each post's Markdown again as Pelican does and report any post that lost "
                             "words, images, links, embeds, tables, code, list items, quotes, headings or captions")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors and the summary only")


def _add_fetch_parser(commands) -> None:
    fetch = commands.add_parser("fetch", help="download a site's posts and pages from its REST API and convert them",
                                description="Download every post and page (and custom post types) of a WordPress "
                                            "site through its REST API into DIR/.wp-api/, then convert them as "
                                            "the convert command does. An interrupted run goes on where it "
                                            "stopped. WP_USERNAME and WP_APP_PASSWORD in the environment sign "
                                            "in with an Application Password.")
    fetch.add_argument("site", metavar="SITE_URL", help="the site's address, or its REST API root")
    fetch.add_argument("-o", "--output", required=True, metavar="DIR", type=_folder_name,
                         help="folder to write Markdown into")
    fetch.add_argument("--types", metavar="LIST", help="custom post types to fetch besides posts and pages, "
                                                       "by REST base, comma-separated (product,event)")
    fetch.add_argument("--status", metavar="LIST", help="statuses to fetch, e.g. publish,draft,private "
                                                        "(default: published; others need a sign-in)")
    fetch.add_argument("--since", metavar="DATE", help="only posts modified after DATE (2024-05-01 or an ISO time)")
    fetch.add_argument("--no-lists", action="store_true",
                       help="skip the site's lists of categories, tags, users and media (by default they are "
                            "fetched too, so that archives and attachment pages no imported post shows keep "
                            "their addresses)")
    fetch.add_argument("--concurrency", type=int, default=4, metavar="N", help="requests at a time (default: 4)")
    fetch.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                       help="give up on a request that is silent this long, then retry (default: 30)")
    fetch.add_argument("--retries", type=int, default=5, metavar="N",
                       help="retries of a failing request (default: 5)")
    fetch.add_argument("--backoff", type=float, default=0.5, metavar="SECONDS",
                       help="pause before the first retry, doubled for each next one (default: 0.5)")
    fetch.add_argument("--max-wait", type=float, default=60.0, metavar="SECONDS",
                       help="longest pause before a retry, a server's Retry-After included (default: 60)")
    add_conversion_arguments(fetch)


# What Ctrl-C while converting says: every file written is whole (atomic writes), the record of what was
# written is saved, and a second run writes only what the first did not.
INTERRUPTED = "interrupted: the files written are complete; run the same command again to finish"


def _folder_name(value: str) -> str:
    """An --output that names a folder: an empty one would quietly mean the current folder."""
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty name is no folder (write . for the current folder)")
    return value


def run() -> None:
    """The command: main(), then out at once. What a run writes is on disk when main() returns (each
    file through os.write and os.replace, the manifest too, the converter processes joined), and its
    report is flushed here; the interpreter's teardown, which frees every object and module one by one
    (about 30 ms after 1,000 posts, 4 % of the run), is skipped. An exception leaves the usual way."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (a closed pipe), or the stream closed
            pass
    os._exit(code or 0)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "fetch":
            # the converter processes fork first: they load the converter while this process loads
            # httpx and asks for the first pages (a --since run converts only once it has merged)
            early = None if args.since else EarlyStart(args.jobs, conversion_options(options_from_args(args),
                                                                                     args.media))
            try:
                from . import fetch  # only a fetch pays for importing httpx
            except BaseException:
                if early is not None:
                    early.close()
                raise
            return fetch.run(args, early)
        return run_convert(args.sources, Path(args.output), options_from_args(args), force=args.force,
                           jobs=args.jobs, quiet=args.quiet, media=args.media)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130


def options_from_args(args: argparse.Namespace) -> Options:
    """How posts are mapped, as convert's and fetch's flags ask."""
    return Options(private=args.private, exclude_types=tuple(args.exclude_type), sanitize=not args.no_sanitize,
                   verify=args.verify)


def run_convert(sources: list[str], output: Path, options: Options, force: bool = False, jobs: int = 0,
                quiet: bool = False, media: bool = False, early: EarlyStart | None = None) -> int:
    """Convert every JSON file of sources into output. early: converter processes already at work on
    some of the files (fetch starts them on each page as it lands); the results are the same."""
    files, missing = json_files(sources, skip=output)
    for source in missing:
        print(f"error: {source}: no such file or folder", file=sys.stderr)
    if not files:
        print("error: no .json files or WordPress exports (.xml) to convert", file=sys.stderr)
        return 1 if not missing else 2
    by_folder: dict[Path, list[Path]] = {}
    for path in files:  # each file's folder found once: a Path's parent is a new Path to hash
        by_folder.setdefault(path.parent, []).append(path)
    global _OPTIONS
    _OPTIONS = conversion_options(options, media)
    if early is not None and early.options != _OPTIONS:
        early.close()  # started for other options: its workers would convert by those
        early = None
    _SIDECARS.clear()
    _SIDECARS.update({folder: sidecars_for(folder, by_folder[folder]) for folder in sorted(by_folder)})
    from .write import OutputFolder  # noqa: PLC0415 - see load_converter

    try:
        out = OutputFolder(output, force=force)
    except OSError as exc:
        print(f"error: {output}: {unusable_output(output, exc)}", file=sys.stderr)
        return 1
    out.addresses.update(_old_site_addresses())
    tally = Tally(errors=len(missing))
    sizes = [max(1, _size_of(path)) for path in files]  # the bar counts bytes: one export may be the run
    reporter = Reporter(sum(sizes), quiet, bar=len(files) > 1 or sum(sizes) > 1_000_000)
    recorder = Recorder(out, tally, reporter)
    try:
        sizes_left, read = iter(sizes), 0
        for results in (_convert_all(files, jobs, sizes) if early is None else early.results(files, sizes)):
            for result in results:
                recorder.record(result)
            if isinstance(results, Part):
                reporter.advance(max(0, results.read_to - read))
                read = max(read, results.read_to)
            else:
                reporter.advance(max(0, next(sizes_left) - read))
                read = 0
        reporter.close()
        if _OPTIONS.media:
            from .downloads import MediaLibrary  # noqa: PLC0415

            recorder.finish(MediaLibrary(out))
        else:
            recorder.finish(None)
    finally:
        reporter.close()
        try:
            out.save_manifest()
        except OSError as exc:
            tally.errors += 1
            print(f"error: {out.manifest_path}: cannot keep the record of the files written (a later run will "
                  f"take them for files written by hand): {exc.strerror or exc}", file=sys.stderr)
    print(tally.summary(), file=sys.stderr)
    return 1 if tally.errors else 0


def _old_site_addresses() -> dict[str, dict]:
    """The addresses the sidecars know and no post may hold, kept in the manifest for the build."""
    if all(_no_sidecars(sidecars) for sidecars in _SIDECARS.values()):
        return {}
    from .oldsite import as_records, from_sidecars  # noqa: PLC0415 - see load_converter

    return as_records([address for sidecars in _SIDECARS.values() for address in from_sidecars(sidecars)])


def output_problem(output: Path) -> str:
    """Why nothing can be written into output (made when it is missing), or ""."""
    from .write import writable_folder  # noqa: PLC0415 - see load_converter

    try:
        writable_folder(output)
    except OSError as exc:
        return unusable_output(output, exc)
    return ""


def unusable_output(output: Path, exc: OSError) -> str:
    return "a file, not a folder" if output.is_file() else f"cannot write there: {exc.strerror or exc}"


def conversion_options(options: Options, media: bool) -> Options:
    return replace(options, media=media or options.media)


class EarlyStart:
    """Converter processes started before every file to convert is there: fetch hands each page file
    to them as it lands, so that converting overlaps downloading.

    The processes fork when this is made, before the caller starts any thread (a fork copies a
    thread's locks, not the thread). A file handed over early is converted with no sidecars, which a
    folder of fetched pages never has; if its folder turns out to have some, it is converted again.
    """

    def __init__(self, jobs: int, options: Options):
        global _OPTIONS
        self.options = _OPTIONS = options  # the workers keep what they had at the fork
        self.jobs = jobs or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None
        self.early: dict[Path, list] = {}  # path -> the futures of its parts' results, in order
        context = _fork_context()
        if self.jobs >= 2 and context is not None:
            self.pool = _converter_pool(self.jobs, context)
            # with fork, the first task starts every worker process, at once: no need to wait for it
            # (each then loads the converter, which this process has not)
            self.pool.submit(int)

    def file_ready(self, path: Path) -> None:
        """path is complete and will not change: convert it now, if not too many are waiting already.

        Results are recorded in file order once every file is known, so what is converted early is
        held until then: a few files' worth, not a whole site's (a 10,000-post fetch that converted
        every page early held them all, 70 MB more at its peak)."""
        if self.pool is not None and len(self.early) < _EARLY_FILES_PER_JOB * self.jobs:
            # the first file alone would keep one worker busy while the others wait for the next to
            # land (the first page of a site answers before the rest are asked for): it is cut in
            # one part per worker
            parts = 1 if self.early else self.jobs
            self.early[path] = [self.pool.submit(_convert_one, path, part, parts, Sidecars())
                                for part in range(parts)]

    def results(self, files: list[Path], sizes: list[int] | None = None):
        """Each file's results in file order, as _convert_all gives them."""
        sizes = sizes or [_size_of(path) for path in files]
        if self.pool is None:
            yield from _convert_all(files, self.jobs, sizes)
            return
        usable = {path for path in files if path in self.early and _no_sidecars(_SIDECARS.get(path.parent))}
        # as _convert_all does, with the sidecars given: the workers forked before they were known
        rest = [(path, size) for path, size in zip(files, sizes) if path not in usable]
        later = _in_order(self.pool, [path for path, _ in rest], [size for _, size in rest], self.jobs,
                          send_sidecars=True)
        for path in files:  # each file's results let go once they are out, as Executor.map does
            if path in usable:
                yield [result for future in self.early.pop(path) for result in future.result()]
                continue
            results = Part([])
            while isinstance(results, Part):  # the parts of a file read a part at a time, then its end
                results = next(later)
                yield results

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def _no_sidecars(sidecars: Sidecars | None) -> bool:
    return sidecars is None or not (sidecars.users or sidecars.categories or sidecars.tags or sidecars.media)


class Part(list):
    """Results of a part of a file read a part at a time (stream.py); the file's last part is a plain list."""

    def __init__(self, results: list, read_to: int = 0):
        super().__init__(results)
        self.read_to = read_to  # bytes of the file read when the part was full: for the progress bar


def _convert_all(files: list[Path], jobs: int, sizes: list[int] | None = None):
    """The results of each file in turn, converted in worker processes when there is enough work."""
    from .stream import streams  # noqa: PLC0415 - see load_converter

    jobs = jobs or os.cpu_count() or 1
    sizes = sizes or [_size_of(path) for path in files]
    if jobs < 2 or (len(files) < _POOL_MIN_FILES and sum(sizes) < _POOL_MIN_BYTES):
        for path, size in zip(files, sizes):
            if streams(path, size):
                yield from _streamed(path, None, jobs, None)
            else:
                yield _convert_one(path)
        return
    load_converter()  # before the fork: every worker inherits it
    pool = _converter_pool(jobs, _fork_context())
    try:  # on the way out (Ctrl-C included) what no worker has started is dropped, not run
        yield from _in_order(pool, files, sizes, jobs, send_sidecars=False)
    finally:
        pool.shutdown(cancel_futures=True)


def _in_order(pool: ProcessPoolExecutor, files: list[Path], sizes: list[int], jobs: int, send_sidecars: bool):
    """The files' results through the pool, in file order. A run of whole files (or of parts of them) is
    handed to the pool when its turn comes, as Executor.map does, the first run at once; a file read a
    part at a time (stream.py) gives its results as Part lists. send_sidecars: the workers forked
    before _SIDECARS was set."""
    from .stream import streams  # noqa: PLC0415

    turns: list = []  # in file order: runs of whole files [(path, size), ...], and files read in parts
    for path, size in zip(files, sizes):
        if streams(path, size):
            turns.append(path)
        elif turns and isinstance(turns[-1], list):
            turns[-1].append((path, size))
        else:
            turns.append([(path, size)])
    whole_files = sum(len(turn) for turn in turns if isinstance(turn, list))

    def hand_over(run: list[tuple[Path, int]]):
        pieces = _pieces([path for path, _ in run], [size for _, size in run], jobs, whole_files)
        sidecars = [_SIDECARS.get(path.parent) if send_sidecars else None for path, _, _ in pieces]
        return _by_file(pieces, pool.map(_convert_one, *zip(*pieces), sidecars, chunksize=_chunksize(pieces, jobs)))

    # the first run now: fetch records the files it converted early while the pool converts the rest
    first = hand_over(turns[0]) if turns and isinstance(turns[0], list) else None

    def results():
        for number, turn in enumerate(turns):
            if isinstance(turn, Path):
                sidecars = _SIDECARS.get(turn.parent) if send_sidecars else None
                yield from _streamed(turn, pool, jobs, sidecars)
            else:
                yield from first if number == 0 else hand_over(turn)

    return results()


def _streamed(path: Path, pool: ProcessPoolExecutor | None, jobs: int, sidecars: Sidecars | None):
    """A file read a part at a time: each part's results as a Part, then [] for the file's end. With a
    pool, at most 2 * jobs parts are converted ahead of the one awaited; each is let go of once out."""
    from .stream import batches  # noqa: PLC0415

    waiting: deque = deque()
    for part in batches(path, submit=pool.submit if pool is not None else None):
        if pool is None:
            yield Part(_convert_loaded(part), part.read_to)
            continue
        if len(waiting) == 2 * jobs:
            yield _done(waiting.popleft())
        waiting.append((pool.submit(_convert_loaded, part, sidecars), part.read_to))
    while waiting:
        yield _done(waiting.popleft())
    yield []


def _done(waiting: tuple) -> Part:
    future, read_to = waiting
    return Part(future.result(), read_to)


def _converter_pool(jobs: int, context) -> ProcessPoolExecutor:
    """Converter processes that ignore Ctrl-C: the main process reports it (fetch says how to resume,
    convert that the files written are whole); the workers, in its process group, would each print a
    traceback for it."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                               initargs=(os.getpid(),))


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()
    load_converter()  # now, not at the first file: a worker forked early has it ready when a page lands


def _exit_with(parent: int) -> None:
    """End this worker once the command's process is gone (killed: no Ctrl-C, no clean shutdown).
    A worker sending a big result back would otherwise wait for ever on a pipe no one reads."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def load_converter() -> None:
    """Import what converting runs on: the pipeline's modules, lxml, nh3 and PyYAML (a sixth of a
    second, more than the rest of the command's modules together). The command's own process loads it
    when it converts or is about to fork workers that inherit it; fetch forks its workers before, and
    each loads it while the main process loads httpx and asks for the first pages."""
    from . import frontmatter, pipeline, stream  # noqa: F401, PLC0415


def _fork_context():
    """The fork start method where there is one (workers then inherit _SIDECARS and _OPTIONS), else None."""
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _chunksize(pieces: list, jobs: int) -> int:
    return max(1, min(8, len(pieces) // (jobs * 8)))


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _pieces(files: list[Path], sizes: list[int], jobs: int, among: int = 0) -> list[tuple[Path, int, int]]:
    """(file, part, parts): few big files (pages of 100 posts) are cut in parts, so that every worker has
    work. among: how many files the run's whole files are (for a run among other runs)."""
    parts_wanted = -(-jobs * _PIECES_PER_JOB // max(len(files), among))
    smallest_part = _POOL_MIN_BYTES // 16
    pieces = []
    for path, size in zip(files, sizes):
        parts = max(1, min(parts_wanted, size // smallest_part))
        pieces.extend((path, part, parts) for part in range(parts))
    return pieces


def _by_file(pieces: list[tuple[Path, int, int]], results):
    """The pieces' results joined again into one list per file, in file order."""
    joined: list = []
    for (_, part, parts), result in zip(pieces, results):
        joined.extend(result)
        if part == parts - 1:
            yield joined
            joined = []


def _convert_one(path: Path, part: int = 0, parts: int = 1, sidecars: Sidecars | None = None) -> list:
    """One file's results (or one part's of a file cut in parts); sidecars: its folder's, when the worker
    process forked before they were known."""
    loaded = load_file(path)
    if parts > 1:
        _keep_part(loaded, part, parts)
    return _convert_loaded(loaded, sidecars)


def _convert_loaded(loaded: LoadedFile, sidecars: Sidecars | None = None) -> list:
    """The results of what was loaded of a file: its warnings, then each post's result."""
    results: list = [("warning", line) for line in loaded.warnings]
    if loaded.sidecar_kind:
        return results
    if sidecars is None:
        folder = Path(loaded.path).parent
        sidecars = _SIDECARS.get(folder) or sidecars_for(folder)
    from .frontmatter import dump  # noqa: PLC0415 - see load_converter
    from .pipeline import convert_file  # noqa: PLC0415

    converted = convert_file(loaded, sidecars, _OPTIONS)
    for result in converted:
        if isinstance(result, Converted):
            # the file made here, in the worker; the Markdown is sent apart only for a post that is
            # finished once every post is known (its links and images change it)
            header = dump(result.metadata, "").encode("utf-8")
            result.document = header + result.markdown.encode("utf-8")
            result.body_at = len(header)
            if not (result.links or result.media):
                result.markdown = None
    return results + converted


def _keep_part(loaded: LoadedFile, part: int, parts: int) -> None:
    """Keep one of parts runs of a file's posts, in file order; the file's own problems go with the first."""
    count = len(loaded.posts)
    loaded.posts = loaded.posts[count * part // parts:count * (part + 1) // parts]
    if part:
        loaded.warnings, loaded.problems = [], []


class Recorder:
    """Counts and reports each result, and writes each post once everything it links to is known.

    A post that links to other posts of the site, or whose images are downloaded, is held until
    every post has its file name: its links then become {filename} links and its images {static}
    ones, and it is written once, with its final text.
    """

    def __init__(self, out: OutputFolder, tally: Tally, reporter: Reporter):
        self.out, self.tally, self.reporter = out, tally, reporter
        self.index = PostIndex()
        self.held: list[tuple[Converted, tuple[str, list[str]]]] = []

    def warn(self, result, warning: str) -> None:
        self.tally.warnings += 1
        self.reporter.say(f"warning: {where(result.source, result.post_id)}{warning}")

    def record(self, result) -> None:
        if isinstance(result, tuple):
            self.tally.warnings += 1
            self.reporter.say(f"warning: {result[1]}")
            return
        for warning in result.warnings:
            self.warn(result, warning)
        if isinstance(result, Skipped):
            self.tally.skipped += 1
            self.reporter.say(f"skipped: {where(result.source, result.post_id)}{result.reason}")
        elif isinstance(result, Failed):
            self.tally.errors += 1
            self.reporter.say(f"error: {where(result.source, result.post_id)}{result.reason}")
        elif isinstance(result, Converted):
            if result.verified is not None:
                self.tally.verified = (self.tally.verified or 0) + result.verified
                self.tally.verify_failed += not result.verified
            placed = self.out.place(result)
            self.index.add(result.metadata, placed[0])
            if result.links or result.media:
                self.held.append((result, placed))
            else:
                self.write(result, placed)

    def finish(self, library: MediaLibrary | None) -> None:
        """Download the held posts' images, point their links at files, and write them."""
        from .downloads import MediaResult  # noqa: PLC0415

        media = MediaResult()
        if library is not None:
            wanted = [ref for post, _ in self.held for ref in post.media]
            if wanted:
                self.reporter.say(f"downloading {len({r.url for r in wanted})} images")
            media = library.fetch_all(wanted)
            self.tally.images, self.tally.images_failed = len(media.local), len(media.failed)
        for post, placed in self.held:
            self.write(finished(post, placed[0], self.index, media.local), placed)
        for post, _ in self.held:  # listed at the end, each with the post that uses it
            for url in dict.fromkeys(ref.url for ref in post.media if ref.url in media.failed):
                self.warn(post, f"image not downloaded, its address kept: {url}: {media.failed[url]}")

    def write(self, post: Converted, placed: tuple[str, list[str]]) -> None:
        try:
            outcome = self.out.write(post, placed)
        except (ImportProblem, OSError) as exc:
            self.tally.errors += 1
            # an OSError names the temporary file, when it names one: the post's file is named instead
            reason = exc.message if isinstance(exc, ImportProblem) else f"{placed[0]}: {exc.strerror or exc}"
            self.reporter.say(f"error: {where(post.source, post.post_id)}cannot write: {reason}")
            return
        self.tally.converted += 1
        setattr(self.tally, outcome.state, getattr(self.tally, outcome.state) + 1)
        for warning in outcome.warnings:
            self.warn(post, warning)


def finished(post: Converted, rel: str, index: PostIndex, local: dict[str, str]) -> Converted:
    """The post with links to other posts as {filename} links and downloaded images as {static} ones."""
    here = posixpath.dirname(rel) or "."
    mapping = index.targets(post.links, rel)
    metadata = post.metadata
    for ref in post.media:
        if ref.url in local:
            mapping[ref.url] = "{static}" + posixpath.relpath(local[ref.url], here)
            if metadata.get("image") == ref.url:
                metadata = {**metadata, "image": local[ref.url]}  # the theme reads it from the site root
    if not mapping and metadata is post.metadata:
        return post
    markdown = replace_urls(post.body(), mapping)
    if "summary" in metadata:
        metadata = {**metadata, "summary": replace_urls(metadata["summary"], mapping)}
    return replace(post, metadata=metadata, markdown=markdown, document=b"", body_at=0)


if __name__ == "__main__":
    run()
