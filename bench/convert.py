"""Time `pelican-wp-import convert` on N synthetic posts, side by side with a plain markdownify run.

usage: python bench/convert.py [N] [--runs R] [--corpus gen|own]

The corpus is ../shared/bench/gen_corpus.py's when it is there (--corpus gen, the default), else
this project's own bench/corpus.py. Each tool runs R times in turn (ours, baseline, ours, …) as a
fresh process, so start-up counts; the median and best wall time of each are printed with their
ratios. This machine's speed drifts by a quarter from minute to minute, so compare the ratio.
The baseline reads each file with json and writes markdownify(content.rendered): no repair, no
bios, no front matter. It is what "a naive markdownify run" costs on this machine today.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bytecode import compile_package  # noqa: E402

SHARED_GEN = HERE.parent.parent / "shared" / "bench" / "gen_corpus.py"

BASELINE = r"""
import json, sys
from pathlib import Path
from markdownify import markdownify
out = Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
for path in sorted(Path(sys.argv[1]).glob("*.json")):
    post = json.loads(path.read_text())
    (out / (path.stem + ".md")).write_text(markdownify(post["content"]["rendered"]))
"""


def make_corpus(count: int, work: Path, kind: str) -> Path:
    if kind == "gen" and SHARED_GEN.exists():
        subprocess.run([sys.executable, str(SHARED_GEN), str(count), str(work / "gen")], check=True,
                       stdout=subprocess.DEVNULL)
        return work / "gen" / "json"
    sys.path.insert(0, str(HERE))
    from corpus import write_corpus

    write_corpus(count, work / "own")
    return work / "own"


def timed(command: list[str], out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    compile_package()  # as an installed package has it: see bytecode.py
    runs = 3
    kind = "gen"
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        del argv[at:at + 2]
    if "--corpus" in argv:
        at = argv.index("--corpus")
        kind = argv[at + 1]
        del argv[at:at + 2]
    count = int(argv[0]) if argv else 1000
    work = Path(tempfile.mkdtemp(prefix="wp-bench-"))
    try:
        corpus = make_corpus(count, work, kind)
        ours_cmd = [sys.executable, "-m", "pelican_wp_import.cli", "convert", str(corpus), "-o", str(work / "ours"),
                    "-q"]
        base_cmd = [sys.executable, "-c", BASELINE, str(corpus), str(work / "base")]
        ours, base = [], []
        for _ in range(runs):
            ours.append(timed(ours_cmd, work / "ours"))
            base.append(timed(base_cmd, work / "base"))
        written = len(list((work / "ours").rglob("*.md")))
        o, b = statistics.median(ours), statistics.median(base)
        print(f"corpus      {count} posts ({corpus.parent.name if kind == 'gen' else 'own'}), {runs} runs each, "
              f"{os.cpu_count()} CPUs")
        print(f"convert     median {o:6.2f} s  best {min(ours):6.2f} s  ({written} files, {count / o:,.0f} posts/s)")
        print(f"markdownify median {b:6.2f} s  best {min(base):6.2f} s  (baseline: plain markdownify, one process, "
              "no repair, no bios, no front matter)")
        print(f"ratio convert/markdownify = {o / b:.2f} (medians), {min(ours) / min(base):.2f} (best)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
