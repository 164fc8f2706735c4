"""The project's benchmark, one command: convert, fetch, Pelican builds from JSON and from Markdown, memory.

usage: python bench/run.py [--sizes 1000[,10000]] [--runs R] [--warm-groups G] [--keep DIR]

For each size N, writes N synthetic posts with bench/corpus.py (one file per post, and the same
posts as 100-post pages for the server), then measures, each as a fresh process and R times in
turn (the sizes too take turns in each run) so that the machine's drift hits every figure alike:

  convert      pelican-wp-import convert on the N files                      wall time, peak RSS
  convert arr  the same posts as one JSON array file (read a part at a time)  wall time, peak RSS
  convert wxr  the same posts as a WordPress export (Tools > Export)          wall time, peak RSS
  fetch        pelican-wp-import fetch from a WordPress stand-in on 127.0.0.1 wall time, peak RSS
  build md     pelican on the converted Markdown, cold (no cache)            wall time
  build json   pelican on the JSON files, cold                               wall time
  warm md      the same with CACHE_CONTENT and LOAD_CONTENT_CACHE, second build
  warm json    the same for the JSON

and prints medians with the ratios the performance targets are about: JSON build against
Markdown build (cold and warm), and with two sizes, each figure's growth from the first to the last.
The builds' ratios are given two ways: from the medians, and as the median of each run's own ratio,
whose two sides were measured minutes apart at most (warm builds twice each, in the order A B B A;
--warm-groups G repeats that group G times, for a ratio less at the mercy of one slow build), so
that the machine's drift, which is slower than a run, leaves them alone.
Nothing is deleted until the end (about 1 GB a run at 10,000 posts): see Size.measure.
Peer importers are timed by ../shared/bench/peers.py; see bench/README.md.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bytecode import compile_package  # noqa: E402
sys.path.insert(0, str(ROOT / "tests"))

from corpus import export_items, make_posts  # noqa: E402

SETTINGS = """
import sys
sys.path.insert(0, {root!r})
from pelicanconf import *
THEME = {theme!r}
PLUGINS = ["pelican_wp_import"]
CACHE_CONTENT = {cache}
LOAD_CONTENT_CACHE = {cache}
"""


RSS_WRAPPER = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
               "sys.stderr.write('\\nRSS %.1f\\n' % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)); "
               "sys.exit(p.returncode)")


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and the peak RSS (MB) of the largest process the command ran."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *command], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"exit {result.returncode}: {' '.join(command)}\n{result.stderr[-2000:]}")
    rss = float(result.stderr.rsplit("RSS ", 1)[1].split()[0])
    return wall, rss


def write_inputs(count: int, work: Path) -> tuple[Path, list[dict]]:
    """The posts a file each in work/json, and all of them in work/array.json and work/export.xml."""
    posts = make_posts(count)
    single = work / "json"
    single.mkdir(parents=True)
    for post in posts:
        (single / f"post-{post['id']}.json").write_text(json.dumps(post, ensure_ascii=False))
    (work / "array.json").write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
    with open(work / "export.xml", "w", encoding="utf-8") as file:
        file.writelines(export_items(posts))
    return single, posts


class Site:
    """The posts served as a WordPress REST API on 127.0.0.1, in a thread of this process."""

    def __init__(self, posts: list[dict]):
        from wp_server import WordPress, serve

        self.site = WordPress(items={"posts": posts, "pages": []})
        self._context = serve(self.site)

    def __enter__(self) -> str:
        self._context.__enter__()
        return self.site.url

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)


class Size:
    """One corpus size: its inputs, its settings, its converted Markdown and the figures measured."""

    def __init__(self, count: int, work: Path, warm_groups: int = 1):
        self.count, self.work, self.warm_groups = count, work, warm_groups
        self.single, self.posts = write_inputs(count, work)
        self.converted = work / "md"
        subprocess.run([sys.executable, "-m", "pelican_wp_import.cli", "convert", str(self.single), "-o",
                        str(self.converted), "-q"], check=True)
        for name, cache in (("cold.py", False), ("warm.py", True)):
            (work / name).write_text(SETTINGS.format(root=str(ROOT), theme=str(ROOT / "theme"), cache=cache))
        self.figures: dict[str, list[tuple[float, float]]] = {}
        self.paired: dict[str, list[float]] = {}  # each run's JSON / Markdown build ratio, cold and warm

    def record(self, name: str, value: tuple[float, float]) -> None:
        self.figures.setdefault(name, []).append(value)

    def measure(self, run: int, url: str) -> None:
        """One run of every figure. Every run writes into folders of its own and nothing is deleted
        until the whole benchmark is over: on this machine's ext4, creating files costs up to a
        quarter more for minutes after thousands were deleted, which would bill one run for the
        clean-up of the one before. The builds from Markdown go first in odd runs, those from JSON
        in even ones, so that neither always follows the other."""
        here = self.work / f"run-{run + 1}"
        cli = [sys.executable, "-m", "pelican_wp_import.cli"]
        self.record("convert", timed(cli + ["convert", str(self.single), "-o", str(here / "convert-out"), "-q"]))
        for name, source in (("convert arr", "array.json"), ("convert wxr", "export.xml")):
            out = here / name.replace(" ", "-")
            self.record(name, timed(cli + ["convert", str(self.work / source), "-o", str(out), "-q"]))
        self.record("fetch", timed(cli + ["fetch", url, "-o", str(here / "fetch-out"), "-q"]))
        builds = [(self.converted, "md"), (self.single, "json")]
        order = builds if run % 2 == 0 else builds[::-1]
        warm, cold = {}, {}
        for source, label in order:
            pelican = [sys.executable, "-m", "pelican", str(source), "-o", str(here / f"site-{label}"), "-q", "-s"]
            cold[label] = timed(pelican + [str(self.work / "cold.py")])
            self.record(f"build {label}", cold[label])
            warm[label] = pelican + [str(self.work / "warm.py"), "--cache-path", str(here / f"cache-{label}")]
            timed(warm[label])  # fills the cache
        # Two warm builds of each, in the order A B B A (as many groups as asked for): a drift of the
        # machine's speed within the run (a quarter within minutes here) adds the same to both sides
        # of the run's ratio.
        walls: dict[str, float] = {"md": 0.0, "json": 0.0}
        for _source, label in (order + order[::-1]) * self.warm_groups:
            figure = timed(warm[label])
            walls[label] += figure[0]
            self.record(f"warm {label}", figure)
        self.paired.setdefault("cold", []).append(cold["json"][0] / cold["md"][0])
        self.paired.setdefault("warm", []).append(walls["json"] / walls["md"])

    def medians(self) -> dict[str, dict[str, float]]:
        order = ("convert", "convert arr", "convert wxr", "fetch", "build md", "warm md", "build json", "warm json")
        return {name: {"wall": statistics.median(w for w, _ in self.figures[name]),
                       "best": min(w for w, _ in self.figures[name]),
                       "rss": max(r for _, r in self.figures[name])} for name in order}

    def report(self, figures: dict[str, dict[str, float]]) -> None:
        print(f"\n{self.count} posts")
        for name, f in figures.items():
            print(f"  {name:11s} median {f['wall']:7.2f} s   best {f['best']:7.2f} s   peak RSS {f['rss']:6.0f} MB")
        print("  build from JSON / from Markdown (target: cold <= 1.10, warm <= 1.02)")
        for kind, name in (("cold", "build"), ("warm", "warm")):
            runs = self.paired[kind]
            print(f"    {kind}: {statistics.median(runs):.3f} median of the runs' own ratios "
                  f"({', '.join(f'{r:.3f}' for r in runs)}); "
                  f"{figures[name + ' json']['wall'] / figures[name + ' md']['wall']:.3f} from the medians above")


def main(argv: list[str]) -> None:
    compile_package()  # as an installed package has it: see bytecode.py
    sizes, runs, keep, warm_groups = [1000], 3, None, 1
    if "--sizes" in argv:
        at = argv.index("--sizes")
        sizes = [int(s) for s in argv[at + 1].split(",")]
        del argv[at:at + 2]
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        del argv[at:at + 2]
    if "--warm-groups" in argv:
        at = argv.index("--warm-groups")
        warm_groups = int(argv[at + 1])
        del argv[at:at + 2]
    if "--keep" in argv:
        at = argv.index("--keep")
        keep = Path(argv[at + 1])
        del argv[at:at + 2]
    base = keep or Path(tempfile.mkdtemp(prefix="wp-bench-"))
    print(f"{os.cpu_count()} CPUs, {runs} runs of each ({4 * warm_groups} warm builds a run), medians; "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    # the interpreter's build moves the seconds by a sixth (an optimised one, or pyenv's plain build)
    print(f"Python {sys.version.split()[0]} at {sys.executable}")
    results = {}
    try:
        corpora = []
        for count in sizes:
            work = base / str(count)
            if work.exists():
                raise SystemExit(f"{work} is there from an earlier run: give --keep a new folder")
            corpora.append(Size(count, work, warm_groups))
        # the sizes take turns within each run, so that the machine's drift (a quarter and more within
        # an hour here) hits both ends of the growth figures alike
        with contextlib.ExitStack() as stack:
            urls = [stack.enter_context(Site(size.posts)) for size in corpora]
            for run in range(runs):
                for size, url in zip(corpora, urls):
                    size.measure(run, url)
        for size in corpora:
            results[size.count] = size.medians()
            size.report(results[size.count])
        if len(sizes) > 1:
            first, last = sizes[0], sizes[-1]
            print(f"\ngrowth from {first} to {last} posts ({last / first:.0f}x the posts; target <= "
                  f"{last / first * 1.1:.0f}x the cost)")
            for name in results[first]:
                print(f"  {name:11s} {results[last][name]['wall'] / results[first][name]['wall']:6.1f}x time   "
                      f"{results[last][name]['rss'] / results[first][name]['rss']:5.1f}x peak RSS")
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
