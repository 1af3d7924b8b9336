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

from bot.core.changes import Change
from bot.core.model import Problem, ScheduledSession

__all__ = [
    "PRIORITY",
    "AnnouncementNotice",
    "BrokenFilesNotice",
    "ChangeNotice",
    "Notice",
    "Priority",
    "ReminderNotice",
    "priority_of",
]


@dataclass(frozen=True, slots=True)
class ReminderNotice:
    """A starred session starts soon; `late` when the bot could not send it on time (it says sorry)."""

    session: ScheduledSession
    tz: tzinfo  # the conference's zone: the time attendees read on the programme
    late: bool = False

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


Notice = ReminderNotice | ChangeNotice | AnnouncementNotice | BrokenFilesNotice


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
}


def priority_of(notice: object) -> Priority:
    """How soon the requests that deliver `notice` go, against everything else the bot sends."""
    return PRIORITY.get(type(notice), Priority.URGENT)
