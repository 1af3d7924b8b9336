"""What in the live configuration cannot work: rooms, tracks and streams the programme lacks, channels the bot cannot use."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.core.live.links import room_stream
from bot.core.live.places import resolve
from bot.core.live.ports import ChannelChecker
from bot.core.notices import SetupProblem
from bot.core.programme import Catalog

__all__ = ["channel_problems", "name_problems"]

log = logging.getLogger(__name__)


def name_problems(
    catalog: Catalog,
    room_channels: Mapping[str, int],
    track_channels: Mapping[str, int],
    streams: Mapping[str, str],
) -> list[SetupProblem]:
    """Configured rooms and tracks (with a channel or a stream) that no session of the programme is in."""
    if not catalog.sessions:
        return []  # an unreadable folder: every name would look wrong, and `check` says so already
    places = resolve(catalog, room_channels, track_channels)
    problems = [SetupProblem("unknown_room", name, room_channels[name]) for name in places.unknown_rooms]
    problems += [SetupProblem("unknown_track", key, track_channels[key]) for key in places.unknown_tracks]
    rooms = {(s.room, s.room_zh) for s in catalog.sessions if s.room}
    for name in streams:
        if not any(room_stream(room, {name: "x"}, zh) for room, zh in rooms):
            problems.append(SetupProblem("unknown_stream", name))
    return problems


async def channel_problems(
    checker: ChannelChecker, channels: Mapping[int, str], *, threads: Mapping[int, bool]
) -> list[SetupProblem]:
    """Each configured channel the bot cannot post in (or open and archive threads in, where it should)."""
    problems: list[SetupProblem] = []
    for channel_id, name in channels.items():
        try:
            found = await checker.check_channel(channel_id, threads=threads.get(channel_id, False))
        except Exception:
            log.exception("could not check channel %s", channel_id)
            continue
        problems += [SetupProblem(kind, name, channel_id, detail) for kind, detail in found]
    return problems
