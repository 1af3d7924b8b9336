"""What the bot tells people, as data: a front end's sender turns each notice into its own words and markup.

The core decides what to say, to whom and when; it never writes text for a front end. A notice carries the
session, the instants and the zone to show them in; the words come from the message catalogue when a front
end renders the notice in the reader's language.

Each kind of notice has a priority in the bot's one budget of requests to Discord (`PRIORITY`, read by
`priority_of`): a front end's sender sends a notice's requests at it. A new kind adds its row; a kind
without one is URGENT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import IntEnum
from typing import TYPE_CHECKING

from bot.core.changes import Change
from bot.core.model import Problem, ScheduledSession, Session, Track

if TYPE_CHECKING:  # value types of the live module; imported for annotations only (it imports this module)
    from bot.core.live.links import WatchLink
    from bot.core.live.places import Place

__all__ = [
    "PRIORITY",
    "AnnouncementFailedNotice",
    "AnnouncementNotice",
    "BrokenFilesNotice",
    "ChangeNotice",
    "LiveSession",
    "LiveSetupNotice",
    "Notice",
    "Priority",
    "ProgrammeChangeNotice",
    "PublicChange",
    "ReminderNotice",
    "RoomPostNotice",
    "SetupProblem",
    "priority_of",
]


@dataclass(frozen=True, slots=True)
class ReminderNotice:
    """A starred session starts soon; `late` when the bot could not send it on time (it says sorry)."""

    session: ScheduledSession
    tz: tzinfo  # the conference's zone: the time attendees read on the programme
    late: bool = False
    watch: WatchLink | None = None  # where to watch it (bot.core.live.links), when known

    @property
    def start(self) -> datetime:
        return self.session.start


@dataclass(frozen=True, slots=True)
class ChangeNotice:
    """A starred session moved, changed room or name, was cancelled or came back."""

    change: Change

    @property
    def session_id(self) -> str:
        return self.change.session_id


@dataclass(frozen=True, slots=True)
class AnnouncementNotice:
    """An organizer's own words, posted as written; the mentions in them ping only when `ping`."""

    text: str
    ping: bool = False


@dataclass(frozen=True, slots=True)
class BrokenFilesNotice:
    """For the organizers: programme files that could not be read; attendees still see their last good version."""

    problems: tuple[Problem, ...]


# ---------------------------------------------------------------- the conference, live (bot.core.live)


@dataclass(frozen=True, slots=True)
class LiveSession:
    """One session in a room post: the session, its track, and where to watch it."""

    session: ScheduledSession
    track: Track | None = None
    watch: WatchLink | None = None


@dataclass(frozen=True, slots=True)
class RoomPostNotice:
    """A room's (or track's) channel hears that its next sessions start soon; sessions starting together share it.

    `late` when the bot was down at the time and posts it while the sessions are still on.
    """

    place: Place
    sessions: tuple[LiveSession, ...]
    tz: tzinfo  # the conference's zone
    late: bool = False

    @property
    def start(self) -> datetime:
        return min(s.session.start for s in self.sessions)


@dataclass(frozen=True, slots=True)
class PublicChange:
    """One programme change for everyone: moved, re-roomed, renamed, cancelled (and what took its slot), added."""

    change: Change  # `kinds` may also hold 'added' (a session new to the programme; `old` is None)
    replaced_by: Session | None = None  # a cancelled session's slot, taken in the same room by this one


@dataclass(frozen=True, slots=True)
class ProgrammeChangeNotice:
    """The public changes channel hears of a burst of programme changes, together."""

    changes: tuple[PublicChange, ...]
    tz: tzinfo


@dataclass(frozen=True, slots=True)
class AnnouncementFailedNotice:
    """For the organizers: Discord refused an announcement for good (the channel is gone, or the bot may not post)."""

    announcement_id: int
    channel_id: int
    text: str
    error: str


@dataclass(frozen=True, slots=True)
class SetupProblem:
    """Something in the live configuration that cannot work, found at start."""

    kind: str  # 'unknown_room' | 'unknown_track' | 'unknown_stream' | 'channel_missing' | 'cannot_post' | 'no_threads' | 'no_archive'
    name: str  # the room, track or channel as configured
    channel_id: int | None = None
    detail: str = ""  # what Discord said, for the log


@dataclass(frozen=True, slots=True)
class LiveSetupNotice:
    """For the organizers: configured rooms, tracks or channels that will not get their posts."""

    problems: tuple[SetupProblem, ...]


Notice = (
    ReminderNotice
    | ChangeNotice
    | AnnouncementNotice
    | BrokenFilesNotice
    | RoomPostNotice
    | ProgrammeChangeNotice
    | AnnouncementFailedNotice
    | LiveSetupNotice
)


class Priority(IntEnum):
    """Who goes first when the bot's one budget of requests to Discord is short: the lower, the sooner."""

    URGENT = 0  # announcements, room posts, reports to organizers, and anything a person is waiting for
    REMINDER = 1  # reminders and change notices, planned to fit before they are due
    PREPARE = 2  # work done ahead (opening DM channels): only with capacity nothing else wants


# The priority of each kind of notice; a kind not listed is URGENT.
PRIORITY: dict[type, Priority] = {
    AnnouncementNotice: Priority.URGENT,
    BrokenFilesNotice: Priority.URGENT,
    ReminderNotice: Priority.REMINDER,
    ChangeNotice: Priority.REMINDER,
    RoomPostNotice: Priority.URGENT,  # worthless once its session began
    ProgrammeChangeNotice: Priority.URGENT,
    AnnouncementFailedNotice: Priority.URGENT,
    LiveSetupNotice: Priority.URGENT,
}


def priority_of(notice: object) -> Priority:
    """How soon the requests that deliver `notice` go, against everything else the bot sends."""
    return PRIORITY.get(type(notice), Priority.URGENT)
