"""Talk to a WordPress REST API over HTTP: find its root, build its addresses, GET with retries."""
from __future__ import annotations

import json
import re
import ssl
import threading
import time
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ._httpx import httpx

from .retry import RetryPolicy, retry_after_seconds, retry_delay

# The rel WordPress gives its API root, in the home page's Link header and <link> element.
API_REL = "https://api.w.org/"
USER_AGENT = "pelican-wp-import"
# Answers worth another try after a pause (besides every 5xx); other 4xx are the server's last word.
TRANSIENT_STATUS = frozenset({408, 425, 429})
# One <url>; params entry of a Link header. Addresses may hold commas, so split on the brackets.
_LINK_ENTRY = re.compile(r"<([^>]*)>([^<]*)")
_REL_API = re.compile(r"""rel\s*=\s*["']?https://api\.w\.org/["']?(?:\s|;|,|$)""")
# A URL that names an API root itself: …/wp-json or …?rest_route=…
_ROOT_PATH = re.compile(r"/wp-json/?$")


class FetchFailed(Exception):
    """A request that failed for good: the address and why, for one error line."""

    def __init__(self, url: str, reason: str, unreachable: bool = False):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.unreachable = unreachable  # the host itself could not be reached, not just this address


@dataclass
class Reply:
    url: str  # where the answer came from, after redirects
    status: int
    headers: httpx.Headers
    body: bytes
    data: object = None  # the parsed JSON, when it was JSON
    tries: int = 1


@dataclass(frozen=True)
class Api:
    """A REST API root: https://example.com/wp-json/ or, on hosts without pretty links, …/?rest_route=/."""

    root: str

    def url(self, route: str, params: dict | None = None) -> str:
        parts = urlsplit(self.root)
        query = parse_qsl(parts.query, keep_blank_values=True)
        path = parts.path
        if any(key == "rest_route" for key, _ in query):
            query = [(key, "/" + route if key == "rest_route" else value) for key, value in query]
        else:
            path = path.rstrip("/") + "/" + route
        query += [(key, str(value)) for key, value in (params or {}).items()]
        return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query, safe="/,:"), ""))


def new_client(timeout: float, concurrency: int, auth: tuple[str, str] | None = None) -> httpx.Client:
    """One client for a run: keep-alive connections, as many as requests may be in flight."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, auth=auth,
                        transport=TransportByScheme(limits),
                        headers={"User-Agent": USER_AGENT, "Accept": "application/json, */*;q=0.5"})


class TransportByScheme(httpx.BaseTransport):
    """httpx's own transport, with the certificate store loaded at the first https request, not before.

    Loading it (a fifth of a megabyte of certificates) took 0.05 s before every fetch's first request;
    a site served over plain http, such as a local copy, never needs it. Plain-http requests go through
    a transport whose TLS context trusts no certificate: it never makes a TLS connection, and would
    refuse one. https requests go through a transport made as httpx makes its default one, which
    verifies certificates (SSL_CERT_FILE and SSL_CERT_DIR honoured)."""

    def __init__(self, limits: httpx.Limits):
        self._limits = limits
        self._plain = httpx.HTTPTransport(limits=limits, verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
        self._secure: httpx.HTTPTransport | None = None
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme == "http":
            return self._plain.handle_request(request)
        return self.secure().handle_request(request)

    def secure(self) -> httpx.HTTPTransport:
        with self._lock:  # the download's threads may all ask at once
            if self._secure is None:
                self._secure = httpx.HTTPTransport(limits=self._limits)
            return self._secure

    def close(self) -> None:
        self._plain.close()
        if self._secure is not None:
            self._secure.close()


# --- one GET, tried again while the failure looks passing --------------------------------------

def get(client: httpx.Client, url: str, policy: RetryPolicy, want_json: bool = True) -> Reply:
    """The reply to GET url: transient failures are retried with backoff; FetchFailed when they last."""
    for attempt in range(policy.retries + 1):
        reply, reason, retry_after = _try_once(client, url, want_json)
        if reply is not None:
            reply.tries = attempt + 1
            return reply
        if attempt < policy.retries:
            time.sleep(retry_delay(attempt, policy, retry_after))
    tries = policy.retries + 1
    raise FetchFailed(url, f"{reason} (tried {tries} time{'s' if tries > 1 else ''})",
                      unreachable=reason.startswith("cannot connect"))


def _try_once(client: httpx.Client, url: str, want_json: bool) -> tuple[Reply | None, str, float | None]:
    """(reply, "", None) when the answer is final; (None, why, Retry-After) when it is worth another try."""
    try:
        response = client.get(url)
    except httpx.TimeoutException:
        return None, "timed out", None
    except httpx.ConnectError as exc:
        if _certificate_refused(exc):  # the same certificate would be refused on every try
            raise FetchFailed(url, f"cannot connect: the site's certificate is not trusted ({exc})",
                              unreachable=True) from None
        return None, f"cannot connect ({exc})", None
    except httpx.TooManyRedirects:  # a redirect loop: the same loop on every try
        raise FetchFailed(url, "redirected in a loop (or more than 20 times)") from None
    except httpx.TransportError as exc:  # reset connections, bodies shorter than their Content-Length
        return None, f"connection failed mid-reply ({exc or type(exc).__name__})", None
    except httpx.HTTPError as exc:  # a body its Content-Encoding cannot decode, and the like
        return None, f"unreadable reply ({exc or type(exc).__name__})", None
    status = response.status_code
    if status in TRANSIENT_STATUS or status >= 500:
        return None, f"HTTP {status}", retry_after_seconds(response.headers.get("retry-after"))
    body = response.content
    if cut_short(response.headers, body):
        return None, f"reply cut short ({len(body)} of {response.headers['content-length']} bytes)", None
    reply = Reply(str(response.url), status, response.headers, body)
    if want_json or _says_json(response.headers):
        try:
            reply.data = parse_json(body)
        except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
            if want_json and 200 <= status < 300:
                what = "an HTML page, not JSON" if body.lstrip()[:1] == b"<" else "not complete JSON (cut off?)"
                return None, f"reply is {what}", None
    return reply, "", None


def _certificate_refused(exc: BaseException) -> bool:
    """Whether a failed connection failed on the server's certificate (expired, self-signed, another name)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def cut_short(headers: httpx.Headers, body: bytes) -> bool:
    """A body of another length than Content-Length says (compressed bodies are measured before decoding)."""
    expected = headers.get("content-length", "")
    encoded = headers.get("content-encoding", "identity").lower() not in ("", "identity")
    return expected.isdigit() and not encoded and int(expected) != len(body)


def parse_json(body: bytes) -> object:
    # Some hosts send a UTF-8 byte order mark before the JSON; json.loads refuses it.
    body = body.removeprefix(b"\xef\xbb\xbf")
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        # a post saved with bytes that are not UTF-8: the page is kept as it came, and converting
        # it replaces them with a warning naming the byte, as convert does for any file
        return json.loads(body.decode("utf-8", errors="replace"))


def _says_json(headers: httpx.Headers) -> bool:
    return "json" in headers.get("content-type", "").lower()


# --- finding the API root --------------------------------------------------------------------

def site_url(text: str) -> str:
    """What the user typed as a site address, with a scheme and ending in a slash when it is a folder."""
    text = text.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - read for its ValueError on a port that is no number
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a web address: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{text!r} is not a web address (http:// or https:// and a host name)")
    path = parts.path if parts.path.endswith("/") or parts.query else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def find_api(client: httpx.Client, site: str, policy: RetryPolicy,
             first_page: tuple[str, dict] | None = None) -> tuple[Api | None, list[str], Reply | None]:
    """The site's API root, tried the ways WordPress offers; what each way said when none worked; and
    the answer to first_page (a route and its query), when asking for it is what found the API.

    first_page is asked for first, where WordPress serves its API unless told otherwise: a list in
    answer finds the API and is the run's first page, one request where the index (a few hundred
    kilobytes on a site with plugins) and then the page took two, one after the other. It is asked
    once, never again after a failure of any kind (a connection refused included): the ways below,
    each tried as often as the policy says, follow it as they would have, one request later."""
    given = given_root(site)
    if given:
        return given, [], None
    tried = []
    if first_page is not None:
        api = wp_json_root(site)
        try:
            reply = get(client, api.url(*first_page), replace(policy, retries=0))
        except FetchFailed as failure:  # unreachable too: the next way's tries tell whether it lasts
            tried.append(str(failure))
        else:
            if _lists_posts(reply):
                return api, tried, reply
    for finder in (_index_at_wp_json, _linked_from_home, _index_at_rest_route, _posts_at_wp_json,
                   _posts_at_rest_route):
        try:
            api = finder(client, site, policy)
        except FetchFailed as failure:
            if failure.unreachable:
                raise
            api, tried = None, tried + [str(failure)]
        if api:
            return api, tried, None
    return None, tried, None


def wp_json_root(site: str) -> Api:
    """Where WordPress serves a site's API unless told otherwise: /wp-json/ below the site's address."""
    return Api(urljoin(site, "wp-json/"))


def given_root(site: str) -> Api | None:
    """The address itself, when it already is an API root (…/wp-json/ or …?rest_route=/)."""
    parts = urlsplit(site)
    if _ROOT_PATH.search(parts.path):
        return Api(urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", parts.query, "")))
    if "rest_route" in dict(parse_qsl(parts.query, keep_blank_values=True)):
        return Api(site)
    return None


def _index_at_wp_json(client: httpx.Client, site: str, policy: RetryPolicy) -> Api | None:
    return _index_at(client, wp_json_root(site).root, policy)


def _index_at_rest_route(client: httpx.Client, site: str, policy: RetryPolicy) -> Api | None:
    return _index_at(client, Api(urljoin(site, "?rest_route=/")).url(""), policy)


def _index_at(client: httpx.Client, url: str, policy: RetryPolicy) -> Api | None:
    reply = get(client, url, policy)
    return Api(url) if reply.status == 200 and is_api_index(reply.data) else None


def is_api_index(data: object) -> bool:
    """The JSON a REST API root answers: the site's name and the namespaces and routes it serves."""
    return isinstance(data, dict) and ("namespaces" in data or "routes" in data)


def _linked_from_home(client: httpx.Client, site: str, policy: RetryPolicy) -> Api | None:
    reply = get(client, site, policy, want_json=False)
    if reply.status == 200 and is_api_index(reply.data):
        return Api(reply.url)
    href = api_link_in_header(reply.headers.get_list("link")) or api_link_in_html(reply)
    return Api(urljoin(reply.url, href)) if href else None


def api_link_in_header(values: list[str]) -> str:
    """The address a Link: <…>; rel="https://api.w.org/" header gives, or ""."""
    for value in values:
        for href, params in _LINK_ENTRY.findall(value):
            if _REL_API.search(params):
                return href
    return ""


class _ApiLinkFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.href = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and not self.href and (attributes.get("rel") or "").strip() == API_REL:
            self.href = attributes.get("href") or ""


def api_link_in_html(reply: Reply) -> str:
    """The href of <link rel="https://api.w.org/"> in a web page, or ""."""
    if b"api.w.org" not in reply.body:
        return ""
    finder = _ApiLinkFinder()
    finder.feed(reply.body.decode("utf-8", "replace"))
    return finder.href


def _posts_at_wp_json(client: httpx.Client, site: str, policy: RetryPolicy) -> Api | None:
    return _posts_answer(client, wp_json_root(site), policy)


def _posts_at_rest_route(client: httpx.Client, site: str, policy: RetryPolicy) -> Api | None:
    return _posts_answer(client, Api(urljoin(site, "?rest_route=/")), policy)


def _posts_answer(client: httpx.Client, api: Api, policy: RetryPolicy) -> Api | None:
    """Hosts that hide the API index still answer its routes: ask for one post."""
    reply = get(client, api.url("wp/v2/posts", {"per_page": 1}), policy)
    return api if _lists_posts(reply) else None


def _lists_posts(reply: Reply) -> bool:
    """Whether a reply to a post type's list route is the API answering: a JSON list."""
    return reply.status == 200 and isinstance(reply.data, list)
