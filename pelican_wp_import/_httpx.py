"""httpx, imported without its own command-line tool.

When imported, httpx also imports the module of its `httpx` command (click, rich and pygments, when
they are installed): a tenth of a second of every fetch, for a tool this program never runs. httpx
takes a failed import of that module as "not installed"; a None entry in sys.modules is such a
failure. The entry is taken away again at once, so nothing else in the process is affected.
"""
from __future__ import annotations

import sys

if "httpx" not in sys.modules and "httpx._main" not in sys.modules:
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
    try:
        import httpx
    finally:
        del sys.modules["httpx._main"]
else:
    import httpx

__all__ = ["httpx"]
