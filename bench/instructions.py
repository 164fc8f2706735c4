"""Instructions one post costs `convert`, counted by valgrind: a figure that does not drift with the machine.

usage: python bench/instructions.py [N]

Writes a corpus (../shared/bench/gen_corpus.py's when it is there, else bench/corpus.py's), then
runs the convert command's own function in one process (jobs=1) under
`valgrind --tool=callgrind` on 0 and on N posts (default 40), and prints the start-up count and
(count(N) − count(0)) / N. Takes about a minute; needs valgrind (Debian's package).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bytecode import compile_package  # noqa: E402

from convert import SHARED_GEN, make_corpus  # noqa: E402

RUN = """
import sys
from pathlib import Path
from pelican_wp_import.cli import load_converter, run_convert
from pelican_wp_import.fields import Options
load_converter()  # start-up, not the posts: the command's module no longer imports the converter itself
files = sorted(Path(sys.argv[1]).glob("*.json"))[: int(sys.argv[2])]
if files:
    run_convert([str(f) for f in files], Path(sys.argv[3]), Options(), jobs=1, quiet=True)
"""


def instructions(corpus: Path, count: int, out: Path) -> int:
    shutil.rmtree(out, ignore_errors=True)
    python = os.path.realpath(sys.executable)  # valgrind would count a wrapper script's shell instead
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, "-c", RUN,
                             str(corpus), str(count), str(out)], capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    if result.returncode or not found:
        sys.exit(f"valgrind run failed: {result.stderr[-500:]}")
    return int(found.group(1))


def main() -> None:
    compile_package()  # as an installed package has it: see bytecode.py
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = make_corpus(count, work, "gen")
        # the two corpora cost different instructions a post (7 % apart once): say which one this is
        print("corpus:", "../shared/bench/gen_corpus.py" if SHARED_GEN.exists() else
              "bench/corpus.py (../shared/bench/gen_corpus.py is not beside the project)")
        start = instructions(corpus, 0, work / "out")
        total = instructions(corpus, count, work / "out")
    print(f"start-up {start / 1e6:,.0f} million instructions")
    print(f"one post {(total - start) / count / 1e6:.2f} million instructions (mean of {count})")


if __name__ == "__main__":
    main()
