"""The catalog: one loaded version of the programme and the questions asked of it (what starts when, which days,
which tracks and rooms). Immutable once made: a reload makes a new catalog and leaves this one whole."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.core.model import Problem, ScheduledSession, Session, Track, is_scheduled

__all__ = ["Catalog"]


@dataclass(slots=True)
class Catalog:
    """One version of the programme: its sessions in time order (unscheduled last), tracks, rooms, days, problems."""

    tz: ZoneInfo
    sessions: list[Session]
    tracks: dict[str, Track]
    rooms: list[str]
    days: list[date]
    problems: list[Problem]
    failed_files: list[str]
    by_id: dict[str, Session] = field(default_factory=dict)
    scheduled: list[ScheduledSession] = field(default_factory=list)
    unscheduled: list[Session] = field(default_factory=list)
    _starts: list[datetime] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {s.id: s for s in self.sessions}
        scheduled: list[ScheduledSession] = []
        unscheduled: list[Session] = []
        for s in self.sessions:
            if is_scheduled(s):
                scheduled.append(s)
            else:
                unscheduled.append(s)
        self.scheduled = scheduled
        self.unscheduled = unscheduled
        self._starts = [s.start for s in scheduled]

    def starting_from(self, when: datetime) -> list[ScheduledSession]:
        """Scheduled sessions starting at or after `when`, in time order."""
        # In UTC: two times in one zone compare by the wall clock, which daylight saving turns back an hour a year.
        return self.scheduled[bisect_left(self._starts, when.astimezone(UTC)) :]

    def on_day(self, day: date) -> list[ScheduledSession]:
        """The sessions starting on `day` (one of `days`), in time order."""
        return [s for s in self.scheduled if s.start.date() == day]

    def day_number(self, day: date) -> int | None:
        """1 for the conference's first day, and so on; None for a day without sessions."""
        try:
            return self.days.index(day) + 1
        except ValueError:
            return None

    def summary(self) -> dict[str, int]:
        return {
            "sessions": len(self.sessions),
            "scheduled": len(self.scheduled),
            "unscheduled": len(self.unscheduled),
            "tracks": len(self.tracks),
            "rooms": len(self.rooms),
            "days": len(self.days),
            "problems": len(self.problems),
        }
