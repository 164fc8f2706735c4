"""Time `pelican-wp-import fetch` against ../shared/bench/fake_wp.py, and where its time goes.

usage: python bench/fetch.py [N] [--runs R] [--faults F]

N synthetic posts (default 1,000) from ../shared/bench/gen_corpus.py are served on 127.0.0.1 by
fake_wp.py (with FAULTS=F, that share of requests fails). Each run, as a fresh process:
a fetch into an empty folder, a second fetch into the same folder (everything asked for again,
nothing rewritten), the download alone (fetch's first phase, no conversion) and `convert` of the
kept archive alone (no network). Prints the median and best of R runs of each.
For the comparison with @11ty/import, use ../shared/bench/peers.py (see bench/README.md).
"""
from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bytecode import compile_package  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("fake_wp.py did not start")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        sys.stderr.write(f"exit {done.returncode}: {' '.join(command)}\n{done.stderr[-1500:]}\n")
    return time.perf_counter() - start


# The fetch command's first phase on its own: find the API, fetch every page into the archive.
DOWNLOAD_ONLY = """
import sys
from pelican_wp_import import cli, fetch
args = cli.build_parser().parse_args(["fetch", sys.argv[1], "-o", sys.argv[2], "-q"])
fetch.download_site(fetch.settings_from(args, {}), True)
"""


def main(argv: list[str]) -> None:
    compile_package()  # as an installed package has it: see bytecode.py
    runs, faults = 3, "0"
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        del argv[at:at + 2]
    if "--faults" in argv:
        at = argv.index("--faults")
        faults = argv[at + 1]
        del argv[at:at + 2]
    count = int(argv[0]) if argv else 1000
    work = Path(tempfile.mkdtemp(prefix="bench-fetch-"))
    subprocess.run([sys.executable, str(SHARED / "gen_corpus.py"), str(count), str(work / "corpus")], check=True,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([sys.executable, str(SHARED / "fake_wp.py"), str(work / "corpus"), str(port)],
                              env={**os.environ, "FAULTS": faults})
    command = [sys.executable, "-m", "pelican_wp_import.cli"]
    times: dict[str, list[float]] = {"fetch": [], "fetch again": [], "download only": [], "convert archive": []}
    try:
        wait_for(port)
        for _ in range(runs):
            out = work / "out"
            shutil.rmtree(out, ignore_errors=True)
            times["fetch"].append(timed(command + ["fetch", f"http://127.0.0.1:{port}/", "-o", str(out), "-q"]))
            written = sum(1 for _ in out.rglob("*.md"))
            if written != count:
                print(f"the fetch wrote {written} Markdown files, not {count}", file=sys.stderr)
            times["fetch again"].append(timed(command + ["fetch", f"http://127.0.0.1:{port}/", "-o", str(out),
                                                         "-q"]))
            shutil.rmtree(work / "download", ignore_errors=True)
            times["download only"].append(timed([sys.executable, "-c", DOWNLOAD_ONLY, f"http://127.0.0.1:{port}/",
                                                 str(work / "download")]))
            shutil.rmtree(work / "offline", ignore_errors=True)
            times["convert archive"].append(timed(command + ["convert", str(out / ".wp-api"), "-o",
                                                             str(work / "offline"), "-q"]))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{count} posts, FAULTS={faults}, {runs} runs")
    for name, values in times.items():
        print(f"{name:16s} median {statistics.median(values):6.2f} s   best {min(values):6.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
