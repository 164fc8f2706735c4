"""Download the images posts use into the content folder: one download per address, failures listed."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable

from .media import MediaRef, local_path
from .model import ImportProblem
from .retry import RetryPolicy, retry_after_seconds, retry_delay
from .threads import RequestThreads
from .write import OutputFolder, atomic_write

# Answers that say "this address has no file": try the next candidate, do not retry.
_GONE = {400, 401, 403, 404, 410, 451}
# Answers worth another try after a pause.
_TRANSIENT = {408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524}


@dataclass
class MediaResult:
    local: dict[str, str] = field(default_factory=dict)  # image address -> path in the content folder
    downloaded: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # image address -> why it could not be had


class MediaLibrary:
    """Fetches images into OUTPUT/images/…, skipping files already there from an earlier run."""

    def __init__(self, out: OutputFolder, concurrency: int = 8, timeout: float = 30.0,
                 policy: RetryPolicy = RetryPolicy(retries=3)):
        self.out = out
        self.concurrency = concurrency
        self.timeout = timeout
        self.policy = policy

    def fetch_all(self, refs: Iterable[MediaRef]) -> MediaResult:
        unique = {ref.url: ref for ref in refs}
        result = MediaResult()
        wanted = []
        for ref in unique.values():
            have = self._already_here(ref)
            if have:
                result.local[ref.url] = have
            else:
                wanted.append(ref)
        if not wanted:
            return result
        from ._httpx import httpx  # only a run that downloads pays for importing it

        with httpx.Client(timeout=self.timeout, follow_redirects=True,
                          headers={"User-Agent": "pelican-wp-import"}) as client, \
                RequestThreads(self.concurrency, "media") as pool:
            for ref, (path, reason) in zip(wanted, pool.map(lambda r: self._download(client, r), wanted)):
                if path:
                    result.local[ref.url] = path
                    result.downloaded += 1
                else:
                    result.failed[ref.url] = reason
        return result

    def _already_here(self, ref: MediaRef) -> str:
        for candidate in ref.candidates:
            rel = local_path(candidate)
            target = self.out.root / rel
            if target.is_file() and not target.is_symlink() and target.stat().st_size > 0:
                return rel
        return ""

    def _download(self, client, ref: MediaRef) -> tuple[str, str]:
        reason = "no address to try"
        for candidate in ref.candidates:
            data, reason = self._get(client, candidate)
            if data is not None:
                rel = local_path(candidate)
                try:
                    target = self.out.inside(rel)
                    if target.is_symlink():
                        return "", f"{rel} is a symbolic link; not written through"
                    atomic_write(target, data)
                except (ImportProblem, OSError) as exc:
                    return "", getattr(exc, "message", None) or str(exc)
                return rel, ""
        return "", reason

    def _get(self, client, url: str) -> tuple[bytes | None, str]:
        """The file's bytes, or None and why not."""
        from ._httpx import httpx

        reason, asked = "", None
        for attempt in range(self.policy.retries + 1):
            if attempt:
                time.sleep(retry_delay(attempt - 1, self.policy, asked))
            asked = None
            try:
                response = client.get(url)
            except httpx.HTTPError as exc:
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                continue
            if response.status_code in _GONE:
                return None, f"HTTP {response.status_code}"
            if response.status_code in _TRANSIENT or response.status_code >= 500:
                reason = f"HTTP {response.status_code}"
                asked = retry_after_seconds(response.headers.get("retry-after"))
                continue
            if response.status_code != 200:
                return None, f"HTTP {response.status_code}"
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind.startswith("text/html"):
                return None, "the server answered with a web page, not an image"
            if not response.content:
                reason = "empty body"
                continue
            expected = response.headers.get("content-length")
            encoded = response.headers.get("content-encoding", "identity") != "identity"
            if expected and expected.isdigit() and not encoded and int(expected) != len(response.content):
                reason = "body cut short"
                continue
            return response.content, ""
        return None, reason
