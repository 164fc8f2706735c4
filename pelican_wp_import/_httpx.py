"""httpx and its transport, httpcore, imported without what a synchronous client never runs.

- httpx imports the module of its own `httpx` command (click, rich and pygments, when they are
  installed): a tenth of a second of every fetch, for a tool this program never runs. httpx takes a
  failed import of that module as "not installed".
- httpcore imports trio, when it is installed, for its asynchronous locks under trio: 0.14 s, spent
  when the first client is made, before the first request. This program's clients are synchronous
  (threads), which use the threading module's locks. httpcore takes a failed import as "no trio".

A None entry in sys.modules is such a failed import. The entries are taken away again at once. The
one lasting effect: in a process that imports this module before trio, httpcore's asynchronous client
refuses to run under trio, with httpcore's own message; this program has no asynchronous code, and a
trio program has imported trio before it could import this.
"""
from __future__ import annotations

import sys

_NOT_FOR_A_SYNCHRONOUS_CLIENT = ("httpx._main", "trio")
_hidden = [name for name in _NOT_FOR_A_SYNCHRONOUS_CLIENT if name not in sys.modules]
if "httpx" in sys.modules:  # imported already, the way it was imported
    _hidden = []
for _name in _hidden:
    sys.modules[_name] = None  # type: ignore[assignment]
try:
    import httpcore  # noqa: F401  (httpx imports it when the first client is made: now, without trio)
    import httpx
finally:
    for _name in _hidden:
        if sys.modules.get(_name, 0) is None:
            del sys.modules[_name]

__all__ = ["httpx"]
