"""Injected faults and Discord's rate limits: answers a test asks for, 429s with `Via` and `retry_after`, bans.

- `fail_next` answers the next requests matching a method and path with a chosen status.
- The global bucket: 50 requests per second for the whole bot, interaction responses exempt,
  on real time (discord.py sleeps real time on a 429).
- Channel name and topic edits: 2 per 10 minutes per channel, on the fake's clock.
- Invalid requests (401, 403, 429): 10,000 in 10 minutes on the fake's clock and Cloudflare bans
  the bot for an hour, answering 429 without `Via`, which discord.py raises at once.
A 429 from Discord carries a `Via` header and a JSON `retry_after`; without them discord.py takes
it for a Cloudflare ban and gives up at once.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from tests.fakediscord.errors import Reply
from tests.fakediscord.models import API_PREFIX
from tests.fakediscord.records import Request


@dataclass(eq=False)
class Fault:
    """Answer the next `times` requests matching method and path with `status` instead of serving them."""

    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    retry_after: float
    body: dict[str, Any] | None
    is_global: bool = False
    hits: list[Request] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.times - len(self.hits)

    def matches(self, method: str, path: str) -> bool:
        return self.remaining > 0 and self.method in ("*", method) and self.pattern.fullmatch(path) is not None

    def reply(self) -> Reply:
        if self.status == 429:
            return rate_limit_reply(
                self.retry_after,
                is_global=self.is_global,
                scope="global" if self.is_global else "user",
                limit=50 if self.is_global else 5,
            )
        return Reply(self.status, self.body or {"code": 0, "message": f"{self.status}: injected by the test"})


def path_pattern(pattern: str) -> re.Pattern[str]:
    """`/channels/{id}/messages`, `/webhooks/*` or a literal path, matched against the path after /api/v10."""
    if pattern.startswith(API_PREFIX):
        pattern = pattern[len(API_PREFIX) :]
    out = []
    for token in re.split(r"(\{[^}/]+\}|\*)", pattern):
        if token == "*":
            out.append(".*")
        elif token.startswith("{") and token.endswith("}"):
            out.append("[^/]+")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out))


def rate_limit_reply(retry_after: float, *, is_global: bool, scope: str, limit: int) -> Reply:
    """Discord's 429: `Via`, `Retry-After`, the X-RateLimit headers and a JSON body with `retry_after`."""
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(max(1, int(retry_after + 0.999))),
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Scope": scope,
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    else:
        headers["X-RateLimit-Bucket"] = "fake-bucket"
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global, "code": 0}
    return Reply(429, body, headers)


def cloudflare_ban_reply() -> Reply:
    """What a banned bot gets: a 429 with neither `Via` nor JSON (discord.py raises it as HTTPException)."""
    return Reply(429, None, {"Content-Type": "text/html"})


class SlidingWindow:
    """At most `limit` events in any `window` seconds of a clock: `take()` says how long to wait, or None."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._times: deque[float] = deque()

    def take(self, now: float) -> float | None:
        self._forget(now)
        if len(self._times) >= self.limit:
            return max(0.001, self._times[0] + self.window - now)
        self._times.append(now)
        return None

    def add(self, now: float) -> int:
        """Count an event that happened anyway; how many fall in the window now."""
        self._forget(now)
        self._times.append(now)
        return len(self._times)

    def _forget(self, now: float) -> None:
        while self._times and self._times[0] <= now - self.window:
            self._times.popleft()


class Faults:
    """The faults a test injected, and the rate limits the fake enforces."""

    def __init__(
        self,
        *,
        rate_limit_per_second: int,
        rate_limit_window: float,
        channel_edits: int = 2,
        channel_edit_window: float = 600.0,
        invalid_request_limit: int = 10_000,
        invalid_request_window: float = 600.0,
        ban_seconds: float = 3600.0,
    ) -> None:
        self.injected: list[Fault] = []
        self.global_bucket = SlidingWindow(rate_limit_per_second, rate_limit_window)
        self.channel_edits = channel_edits
        self.channel_edit_window = channel_edit_window
        self._channel_edits: dict[int, SlidingWindow] = {}
        self.invalid = SlidingWindow(invalid_request_limit, invalid_request_window)
        self.ban_seconds = ban_seconds
        self.banned_until: float | None = None

    def inject(self, fault: Fault) -> Fault:
        self.injected.append(fault)
        return fault

    def matching(self, method: str, path: str) -> Fault | None:
        return next((f for f in self.injected if f.matches(method, path)), None)

    def global_wait(self) -> float | None:
        """Seconds to wait if this request overflows the global bucket (real time), else None."""
        return self.global_bucket.take(time.monotonic())

    def channel_edit_wait(self, channel_id: int, now: float) -> float | None:
        """Seconds to wait if this name or topic edit is the third within 10 minutes in this channel, else None."""
        window = self._channel_edits.setdefault(channel_id, SlidingWindow(self.channel_edits, self.channel_edit_window))
        return window.take(now)

    def banned(self, now: float) -> bool:
        if self.banned_until is not None and now >= self.banned_until:
            self.banned_until = None
        return self.banned_until is not None

    def count_invalid(self, now: float) -> bool:
        """Count a 401/403/429 answer; True when it is the one that gets the bot banned."""
        if self.invalid.add(now) < self.invalid.limit or self.banned(now):
            return False
        self.banned_until = now + self.ban_seconds
        return True
