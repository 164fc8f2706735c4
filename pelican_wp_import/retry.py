"""How long to wait before trying a request again: the server's Retry-After, else doubling pauses with jitter.

Shared by the REST API client (wpapi) and the image downloads (downloads); imports no HTTP library,
so that a convert run without --media does not pay for one.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 5  # tries after the first
    backoff: float = 0.5  # seconds before the first retry; doubles with each one
    max_wait: float = 60.0  # the longest pause, a server's Retry-After included


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: it is either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def retry_delay(attempt: int, policy: RetryPolicy, retry_after: float | None = None,
                rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number attempt+1: what the server asked for, else doubling with jitter."""
    if retry_after is not None:
        return min(retry_after, policy.max_wait)
    # Jitter spreads out clients that failed together, so they do not all come back at once.
    ceiling = min(policy.backoff * 2 ** attempt, policy.max_wait)
    return ceiling * (0.5 + (rng or random).random() / 2)
