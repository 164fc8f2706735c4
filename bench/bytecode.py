"""Compile the package's modules to bytecode before timing it, as an installed package has them.

pip compiles the modules of a package it installs; an editable install on a machine that sets
PYTHONDONTWRITEBYTECODE (this one does) has no bytecode for the modules that changed, and every run
compiles them again: a quarter of `convert`'s start-up here (valgrind: 730 → 538 million instructions).
"""
from __future__ import annotations

import compileall
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pelican_wp_import"


def compile_package() -> None:
    compileall.compile_dir(str(PACKAGE), quiet=1)
