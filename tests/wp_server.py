"""A WordPress REST API on 127.0.0.1 for tests: paged lists, the ways to find the API, faults, a request log."""
from __future__ import annotations

import base64
import json
import random
import socket
import struct
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

FAULTS = ("500", "503", "429", "cut", "badjson", "stall", "reset")


@dataclass
class WordPress:
    """What the fake site holds and how it behaves; the test changes it between runs."""

    items: dict[str, list[dict]] = field(default_factory=dict)  # REST base -> posts, in id order
    prefix: str | None = "/wp-json/"  # where pretty API addresses start; None: ?rest_route= only
    index: bool = True  # whether the API root answers its index
    announce: str = ""  # "header" or "html": how the home page names the API root
    total_pages_header: bool = True
    ignores_page: bool = False  # answers page 1 whatever page is asked for (a cache keyed on the path alone)
    extra_pages: int = 0  # pages X-WP-TotalPages claims beyond what there is (posts deleted meanwhile)
    total_pages_says: int | None = None  # X-WP-TotalPages, whatever X-WP-Total says (a stale cache)
    faults: dict[str, list[str]] = field(default_factory=dict)  # "posts page 2" -> faults for its next requests
    always_fail: set[str] = field(default_factory=set)  # "posts page 2": answers 500 every time
    fault_rate: float = 0.0  # that share of all requests fails, no address more than twice running
    hold: dict[str, threading.Event] = field(default_factory=dict)  # "posts page 5": answer when set
    hold_limit: float = 10.0  # seconds a held answer waits at most, should the test never set it
    delay: float = 0.0  # seconds each list page takes to answer
    stall: float = 1.0  # seconds a stalled answer takes: tests that stall set it above the client's timeout
    users: dict[str, str] = field(default_factory=dict)  # who may see other statuses than publish
    refuse: dict[str, tuple[int, str]] = field(default_factory=dict)  # "users" -> (401, "rest_user_cannot_view")
    refuse_pages: dict[str, tuple[int, str]] = field(default_factory=dict)  # "media page 2" -> (403, "rest_forbidden")
    url: str = ""
    log: list[str] = field(default_factory=list)  # every path and query asked, in order
    auth_seen: list[str] = field(default_factory=list)
    faults_served: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(default_factory=lambda: random.Random(5))
    _failed_running: dict[str, int] = field(default_factory=dict)

    def page_requests(self, kind: str = "posts") -> list[int]:
        """The page numbers asked for of a type's list, in order."""
        pages = []
        for entry in self.log:
            route, query = _route_of(entry, self.prefix)
            if route == f"/wp/v2/{kind}" and "page" in query:
                pages.append(int(query["page"][0]))
        return pages


def _route_of(path: str, prefix: str | None) -> tuple[str | None, dict]:
    parts = urlsplit(path)
    query = parse_qs(parts.query)
    if "rest_route" in query:
        return query["rest_route"][0], query
    if prefix and parts.path.startswith(prefix):
        return "/" + parts.path[len(prefix):], query
    return None, query


def make_handler(site: WordPress):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            with site.lock:
                site.log.append(self.path)
                site.auth_seen.append(self.headers.get("Authorization", ""))
                site.in_flight += 1
                site.most_in_flight = max(site.most_in_flight, site.in_flight)
            self.answering = True
            try:
                self.answer()
            finally:
                self.done_answering()

        def done_answering(self):
            """The request no longer counts as in flight: called before its answer is written, since
            the client may read the answer and open its next request before this thread runs again."""
            if self.answering:
                self.answering = False
                with site.lock:
                    site.in_flight -= 1

        def answer(self):
            route, query = _route_of(self.path, site.prefix)
            key = _fault_key(route, query)
            if key in site.hold:
                site.hold[key].wait(site.hold_limit)
            if key in site.refuse_pages:
                status, code = site.refuse_pages[key]
                return self.send_json(status, {"code": code, "message": "Sorry, you are not allowed to do that."})
            fault = self.next_fault(key)
            if fault:
                with site.lock:
                    site.faults_served += 1
                return self.fail(fault)
            if route is None:
                if urlsplit(self.path).path == "/":
                    return self.home()
                return self.send(404, b"<html>no</html>", "text/html")
            if route == "/" and site.index:
                return self.send_json(200, {"name": "Test site", "namespaces": ["wp/v2"], "routes": {}})
            parts = [p for p in route.split("/") if p]
            if len(parts) == 3 and parts[2] in site.refuse:
                status, code = site.refuse[parts[2]]
                return self.send_json(status, {"code": code, "message": "Sorry, you are not allowed to list users."})
            if parts[:2] != ["wp", "v2"] or len(parts) != 3 or parts[2] not in site.items:
                return self.send_json(404, {"code": "rest_no_route", "message": "No route was found"})
            return self.list_page(parts[2], query)

        def next_fault(self, key: str) -> str:
            with site.lock:
                if key in site.always_fail:
                    return "500"
                queued = site.faults.get(key)
                if queued:
                    return queued.pop(0)
                if site.fault_rate and site._failed_running.get(self.path, 0) < 2 \
                        and site.rng.random() < site.fault_rate:
                    site._failed_running[self.path] = site._failed_running.get(self.path, 0) + 1
                    return site.rng.choice(FAULTS)
                site._failed_running[self.path] = 0
                return ""

        def home(self):
            api = f"{site.url}{site.prefix}" if site.prefix else f"{site.url}/?rest_route=/"
            headers = {}
            if site.announce == "header":
                headers["Link"] = f'<{api}>; rel="https://api.w.org/", <{site.url}/feed/>; rel="alternate"'
            html = "<html><head><title>Test</title>"
            if site.announce == "html":
                html += f"<link rel='https://api.w.org/' href='{api}' />"
            self.send(200, (html + "</head><body>Hello</body></html>").encode(), "text/html", headers)

        def list_page(self, kind: str, query: dict):
            items = site.items[kind]
            statuses = (query.get("status") or ["publish"])[0].split(",")
            if statuses != ["publish"] and not self.signed_in():
                return self.send_json(400, {"code": "rest_invalid_param", "message": "Invalid parameter(s): status"})
            items = [p for p in items if p.get("status", "publish") in statuses]
            if "modified_after" in query:
                items = [p for p in items if p.get("modified", "") > query["modified_after"][0]]
            per_page = int(query.get("per_page", ["10"])[0])
            number = 1 if site.ignores_page else int(query.get("page", ["1"])[0])
            pages = -(-len(items) // per_page)
            if number > max(pages, 1):
                return self.send_json(400, {"code": "rest_post_invalid_page_number",
                                            "message": "The page number requested is larger than the number of "
                                                       "pages available."})
            if site.delay:
                time.sleep(site.delay)
            headers = {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(
                pages + site.extra_pages if site.total_pages_says is None else site.total_pages_says)}
            if not site.total_pages_header:
                headers = {}
            items = items[(number - 1) * per_page:number * per_page]
            if "_fields" in query:  # only the fields asked for, as WordPress answers
                wanted = query["_fields"][0].split(",")
                items = [{key: value for key, value in item.items() if key in wanted} for item in items]
            self.send_json(200, items, headers)

        def signed_in(self) -> bool:
            value = self.headers.get("Authorization", "")
            if not value.startswith("Basic "):
                return False
            user, _, password = base64.b64decode(value[6:]).decode().partition(":")
            return site.users.get(user) == password

        def fail(self, fault: str):
            if fault in ("500", "503"):
                return self.send_json(int(fault), {"code": "internal_server_error", "message": "busy"})
            if fault == "429":
                return self.send_json(429, {"code": "too_many"}, {"Retry-After": "1"})
            if fault == "cut":  # a body shorter than its Content-Length, then the connection closes
                self.done_answering()
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b'[{"id": 1, "title": {"rend')
                self.close_connection = True
                return
            if fault == "badjson":  # the right length, but JSON that stops half way
                return self.send(200, b'[{"id": 1, "title": {"rendered": "cut', "application/json")
            if fault == "stall":
                time.sleep(site.stall)
                return self.send_json(503, {"code": "stalled"})
            if fault == "reset":
                self.done_answering()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            if fault == "loop":  # a redirect to itself
                return self.send(302, b"", "text/html", {"Location": self.path})
            if fault == "gzip":  # says gzip, is not
                return self.send(200, b'[{"id": 1}]', "application/json", {"Content-Encoding": "gzip"})
            if fault == "deep":  # JSON nested deeper than a parser's recursion goes
                return self.send(200, b"[" * 100_000 + b"]" * 100_000, "application/json")
            if fault == "latin1":  # a post saved in Latin-1 by a plugin: not UTF-8
                return self.send(200, json.dumps([post(999, title="Caf\u00e9")]).replace(
                    "Caf\\u00e9", "Caf\u00e9").encode("latin-1"), "application/json")
            if fault == "login":  # a 200 with a sign-in page, as some hosts' firewalls answer
                return self.send(200, b"<!DOCTYPE html><html><body>Log in</body></html>", "text/html")
            raise ValueError(fault)

        def send_json(self, status: int, value: object, headers: dict | None = None):
            self.send(status, json.dumps(value).encode(), "application/json; charset=UTF-8", headers)

        def send(self, status: int, body: bytes, kind: str, headers: dict | None = None):
            self.done_answering()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _fault_key(route: str | None, query: dict) -> str:
    """'posts page 2' for a list page, else the route ('/' for the index, None for the home page)."""
    if route and route.startswith("/wp/v2/") and "page" in query:
        return f"{route[7:]} page {query['page'][0]}"
    return str(route)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that timed out and left is what these tests are about


@contextmanager
def serve(site: WordPress, tls=None, port: int = 0):
    """The site on a port of 127.0.0.1 (any free one unless given); over https when tls (a server
    ssl.SSLContext) is given."""
    server = _QuietServer(("127.0.0.1", port), make_handler(site))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    site.url = f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        for event in site.hold.values():
            event.set()
        server.shutdown()
        server.server_close()


def post(post_id: int, status: str = "publish", kind: str = "post", modified: str = "2024-01-01T10:00:00",
         title: str = "") -> dict:
    """A small post or page as the REST API gives it with _embed."""
    title = title or f"Post number {post_id}"
    return {"id": post_id, "date": "2024-01-01T10:00:00", "date_gmt": "2024-01-01T09:00:00",
            "modified": modified, "modified_gmt": modified, "slug": f"post-{post_id}", "status": status,
            "type": kind, "link": f"https://example.org/{kind}-{post_id}/",
            "title": {"rendered": title}, "content": {"rendered": f"<p>Text of {title}.</p>", "protected": False},
            "excerpt": {"rendered": "", "protected": False}, "author": 1, "categories": [], "tags": [],
            "_embedded": {"author": [{"id": 1, "name": "Ada", "slug": "ada"}]}}
