"""What the bot tells people, as data: a front end's sender turns each notice into its own words and markup.

The core decides what to say, to whom and when; it never writes text for a front end. A notice carries the
session, the instants and the zone to show them in; the words come from the message catalogue when a front
end renders the notice in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.core.changes import Change
from bot.core.model import Problem, ScheduledSession

__all__ = ["AnnouncementNotice", "BrokenFilesNotice", "ChangeNotice", "Notice", "ReminderNotice"]


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
