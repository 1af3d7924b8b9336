"""What each room's and track's channel hears when: one post per channel and start time, `lead` before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import shift
from bot.core.live.places import Place, PlaceMap
from bot.core.model import ScheduledSession
from bot.core.nonce import derived_nonce
from bot.core.programme import Catalog
from bot.core.storage.times import to_db

__all__ = ["PlannedPost", "due_posts", "next_due", "plan", "post_nonce"]


@dataclass(frozen=True, slots=True)
class PlannedPost:
    """One post: a channel hears of the sessions that start there together."""

    place: Place  # the room (or track) of the first session; a channel may serve several
    start: datetime
    due_at: datetime
    sessions: tuple[ScheduledSession, ...]  # in programme order

    @property
    def channel_id(self) -> int:
        return self.place.channel_id

    @property
    def end(self) -> datetime:
        """When the last of its sessions ends: the post is worth sending until then."""
        return max(s.end for s in self.sessions)


def post_nonce(channel_id: int, start: datetime, session_ids: list[str] | tuple[str, ...]) -> str:
    """A post's nonce: a function of where, when and what it announces, so a resend after a crash reuses it."""
    return derived_nonce("live", channel_id, to_db(start), ",".join(sorted(session_ids)), prefix="l")


def plan(catalog: Catalog, places: PlaceMap, lead: timedelta, now: datetime) -> list[PlannedPost]:
    """Every post for a session not yet ended, earliest due first: sessions that start together in one channel
    share a post."""
    groups: dict[tuple[int, datetime], list[tuple[Place, ScheduledSession]]] = {}
    for session in catalog.scheduled:
        if session.end <= now:
            continue
        place = places.of(session)
        if place is None:
            continue
        groups.setdefault((place.channel_id, session.start), []).append((place, session))
    posts = [
        PlannedPost(members[0][0], start, shift(start, -lead), tuple(s for _, s in members))
        for (_, start), members in groups.items()
    ]
    posts.sort(key=lambda p: (p.due_at, p.channel_id))
    return posts


def due_posts(posts: list[PlannedPost], now: datetime) -> list[PlannedPost]:
    """The planned posts due by `now` whose sessions have not all ended."""
    return [p for p in posts if p.due_at <= now < p.end]


def next_due(posts: list[PlannedPost], now: datetime) -> datetime | None:
    """When the next post not yet due falls due."""
    return min((p.due_at for p in posts if p.due_at > now), default=None)
