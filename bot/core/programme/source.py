"""The seam between programme formats and the loader: a format reads files into session records and problems;
the loader (loader.py) decides which files to read, keeps last good versions and assembles the Catalog.

A new format (pretalx JSON, frab XML, Sessionize, iCal) is one module with one `ProgrammeFormat`:

* `is_source(name)`: which files in the sessions folder it reads;
* `parse(path, raw)`: one file's bytes -> a `ParsedFile` (picklable: the start-up cache keeps it), never raising;
* `group_of(path)`: the files that make sessions together share a group (Hugo: a talk and its translation);
  a one-file format's group is its file;
* `context(...)`: what side files say (tracks, rooms), read once per loader;
* `build(group, files, context)`: the group's readable files -> its sessions, each with its problems.

Records built here carry their end when the file gives one (`end_explicit`), else the longest the session
may last (start + the track's length); the loader shortens that to the next session in the room.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from bot.clock import shift
from bot.core.model import Problem, Session, Track
from bot.core.programme.fields import parse_when

__all__ = ["DEFAULT_LENGTH", "DEFAULT_TZ", "Built", "Context", "Lengths", "ParsedFile", "ProgrammeFormat"]

DEFAULT_LENGTH = timedelta(minutes=40)
DEFAULT_TZ = ZoneInfo("Asia/Shanghai")  # the sample conference's zone, when none is given


class Lengths(Protocol):
    """How long sessions last when the programme does not say (bot.config.Lengths)."""

    def for_track(self, track: str) -> timedelta: ...


class _DefaultLengths:
    def for_track(self, track: str) -> timedelta:
        return DEFAULT_LENGTH

    def __repr__(self) -> str:
        return f"Lengths(default={DEFAULT_LENGTH!r})"


class ParsedFile(Protocol):
    """What one file says, as far as the loader needs to know: whether it is usable, and what is wrong with it."""

    @property
    def path(self) -> str: ...

    @property
    def ok(self) -> bool: ...

    @property
    def problems(self) -> list[Problem]: ...


P = TypeVar("P", bound=ParsedFile)

Built = tuple[Session, list[Problem]]  # a session record and the problems found making it


@dataclass(slots=True)
class Context:
    """What a programme says besides its sessions: tracks, rooms, session lengths, the conference's zone."""

    tz: ZoneInfo
    lengths: Lengths = field(default_factory=_DefaultLengths)
    tracks: dict[str, Track] = field(default_factory=dict)  # from the tracks folder (or the export), by key
    track_problems: list[Problem] = field(default_factory=list)
    track_aliases: dict[str, str] = field(default_factory=dict)  # a track's display name, normalised -> its key
    room_order: list[str] = field(default_factory=list)  # the venue's order of rooms, when known
    rooms_zh: dict[str, str] = field(default_factory=dict)  # English room name -> Chinese
    _when: dict[str, datetime | str] = field(default_factory=dict)
    _latest: dict[tuple[int, timedelta], tuple[datetime, datetime]] = field(default_factory=dict)

    def when(self, value: Any) -> datetime | str | None:
        """parse_when in this zone, remembered: a programme has far fewer distinct start times than sessions."""
        if not isinstance(value, str):
            return parse_when(value, self.tz)
        hit = self._when.get(value)
        if hit is None:
            hit = self._when[value] = parse_when(value, self.tz) or ""
        return hit or None

    def latest(self, start: datetime, track: str) -> datetime:
        """The longest a session starting at `start` in `track` may last, as its end: start + the track's length in
        elapsed time, remembered by the start object (`when` gives one object per start time written)."""
        length = self.lengths.for_track(track)
        key = (id(start), length)
        hit = self._latest.get(key)
        if hit is not None and hit[0] is start:  # the same object (held here, so its id is not reused)
            return hit[1]
        end = shift(start, length)
        if len(self._latest) < _LATEST_KEPT:
            self._latest[key] = (start, end)
        return end


_LATEST_KEPT = 4096  # start times remembered by Context.latest: more than a programme has, fewer than reloads make


class ProgrammeFormat(Protocol[P]):
    """One way of writing a programme down (see the module's docstring); P is what it reads one file into."""

    name: str
    version: str  # changes whenever parse() would read a file differently: cached readings are then ignored

    def is_source(self, name: str) -> bool: ...

    def parse(self, path: str, raw: bytes) -> P: ...

    def unreadable(self, path: str, reason: str) -> P: ...

    def group_of(self, path: str) -> str: ...

    def context(self, sessions_dir: Path, tracks_dir: Path | None, tz: ZoneInfo, lengths: Lengths) -> Context: ...

    def side_files(self, sessions_dir: Path, tracks_dir: Path | None) -> list[Path]: ...

    def build(self, group: str, files: Sequence[P], context: Context) -> list[Built]: ...
