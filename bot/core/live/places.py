"""Which channel hears of which session: its room's channel, else its track's; and the configured names the programme lacks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.model import Session
from bot.core.programme import Catalog

__all__ = ["Place", "PlaceMap", "Places"]


@dataclass(frozen=True, slots=True)
class Place:
    """A room or a track that has a channel of its own."""

    kind: str  # 'room' | 'track'
    key: str  # the room as sessions spell it, or the track's key
    channel_id: int
    name: str  # as shown: the room's or track's English name
    name_zh: str | None = None

    def name_in(self, lang: str) -> str:
        return (self.name_zh or self.name) if lang == "zh" else self.name


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(slots=True)
class PlaceMap:
    """The configuration resolved against one catalog."""

    rooms: dict[str, Place] = field(default_factory=dict)  # Session.room -> its place
    tracks: dict[str, Place] = field(default_factory=dict)  # track key -> its place
    unknown_rooms: list[str] = field(default_factory=list)  # configured, but no session is in such a room
    unknown_tracks: list[str] = field(default_factory=list)

    def of(self, session: Session) -> Place | None:
        """Where a session is posted: its room's channel, else its track's, else nowhere."""
        if session.room is not None:
            place = self.rooms.get(session.room)
            if place is not None:
                return place
        return self.tracks.get(session.track)

    @property
    def channel_ids(self) -> list[int]:
        return sorted({p.channel_id for p in (*self.rooms.values(), *self.tracks.values())})

    def __bool__(self) -> bool:
        return bool(self.rooms or self.tracks)


class Places:
    """The configured room and track channels; resolved against each catalog as it is loaded (and remembered)."""

    def __init__(self, room_channels: Mapping[str, int], track_channels: Mapping[str, int]):
        self.room_channels = dict(room_channels)
        self.track_channels = dict(track_channels)
        self._resolved: tuple[Catalog, PlaceMap] | None = None

    def __bool__(self) -> bool:
        return bool(self.room_channels or self.track_channels)

    def resolve(self, catalog: Catalog) -> PlaceMap:
        if self._resolved is not None and self._resolved[0] is catalog:
            return self._resolved[1]
        resolved = resolve(catalog, self.room_channels, self.track_channels)
        self._resolved = (catalog, resolved)
        return resolved


def resolve(catalog: Catalog, room_channels: Mapping[str, int], track_channels: Mapping[str, int]) -> PlaceMap:
    """Match configured room names (English or Chinese, any case and spacing) and track keys to the programme."""
    out = PlaceMap()
    names: dict[str, str] = {}  # every spelling -> the room as sessions spell it
    folded: dict[str, str] = {}
    zh: dict[str, str] = {}
    for s in catalog.sessions:
        if not s.room:
            continue
        for spelling in (s.room, s.room_zh):
            if spelling:
                names.setdefault(spelling, s.room)
                folded.setdefault(_fold(spelling), s.room)
        if s.room_zh:
            zh.setdefault(s.room, s.room_zh)
    for name, channel_id in room_channels.items():
        room = names.get(name) or folded.get(_fold(name))
        if room is None:
            out.unknown_rooms.append(name)
        else:
            out.rooms.setdefault(room, Place("room", room, channel_id, room, zh.get(room)))
    for key, channel_id in track_channels.items():
        track = catalog.tracks.get(key) or catalog.tracks.get(key.strip().lower().replace(" ", ""))
        if track is None or not track.count:
            out.unknown_tracks.append(key)
        else:
            out.tracks[track.key] = Place("track", track.key, channel_id, track.name, track.name_zh)
    return out
