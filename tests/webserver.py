"""A real HTTP server on 127.0.0.1 for tests: fixed answers by path, a log of what was asked."""
from __future__ import annotations

import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    fail_first: int = 0  # answer fail_status this many times before the real answer
    fail_status: int = 503
    fail_headers: dict = field(default_factory=dict)


@dataclass
class Site:
    answers: dict[str, Answer] = field(default_factory=dict)  # path with query -> answer
    asked: Counter = field(default_factory=Counter)
    times: dict[str, list[float]] = field(default_factory=dict)  # path -> when each request came, monotonic
    url: str = ""

    def add(self, path: str, body: bytes, status: int = 200, **headers) -> None:
        self.answers[path] = Answer(status, body, {k.replace("_", "-"): v for k, v in headers.items()})


@contextmanager
def serve(site: Site):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            with lock:
                site.asked[self.path] += 1
                site.times.setdefault(self.path, []).append(time.monotonic())
                answer = site.answers.get(self.path)
                failing = answer is not None and answer.fail_first > 0
                if failing:
                    answer.fail_first -= 1
            if answer is None:
                status, body, headers = 404, b"<html>not found</html>", {"Content-Type": "text/html"}
            elif failing:
                status, body, headers = answer.fail_status, b"busy", {"Content-Type": "text/plain", **answer.fail_headers}
            else:
                status, body, headers = answer.status, answer.body, answer.headers
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
