"""Shared setup for the command tests: the sample programme's moments and sessions, and asking a command.

The sample is the Harbour Open Source Summit, 7-8 Aug 2026, Asia/Shanghai. Every expected value was read off
the files in sessions/ by hand: session starts from their `date`, ends from the next start in the same room
that day capped at the default 40 minutes, track counts by counting files.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.app import App
from bot.commands import Ctx, Reply, User, run_command

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRI_10 = datetime(2026, 8, 7, 10, 0, tzinfo=SHANGHAI)
ATTENDEE = User(id=42, name="attendee")
PROGRAMME_COMMANDS = ("next", "now", "schedule", "talk", "speaker", "tracks", "when", "help")


def at(day: int, hh: int, mm: int) -> datetime:
    """A conference-local moment on 7 (day=7) or 8 (day=8) August 2026."""
    return datetime(2026, 8, day, hh, mm, tzinfo=SHANGHAI)


# The scheduled sessions, by hand from each file's `date` (27 of them; keynote-108 has an empty date and
# ai-broken-date an impossible one, data-broken-yaml and notes-draft are not sessions).
FRIDAY = {
    "keynote-101": (9, 0),
    "keynote-102": (9, 20),
    "keynote-103": (10, 0),
    "keynote-104": (10, 40),
    "ai-201": (13, 30),
    "community-301": (13, 30),
    "data-401": (13, 30),
    "cloudnative-501": (13, 30),
    "ai-202": (14, 10),
    "community-302": (14, 10),
    "data-402": (14, 10),
    "cloudnative-502": (14, 10),
    "ai-203": (14, 50),
    "community-303": (14, 50),
    "data-403": (14, 50),
    "community-304": (15, 10),
}
SATURDAY = {
    "keynote-105": (9, 30),
    "keynote-106": (10, 10),
    "keynote-107": (10, 50),
    "ai-204": (13, 30),
    "cloudnative-503": (13, 30),
    "community-305": (13, 30),
    "data-404": (13, 30),
    "ai-205": (14, 10),
    "cloudnative-504": (14, 10),
    "community-306": (14, 10),
    "data-405": (14, 10),
}


async def ask(
    app: App, name: str, options: dict | None = None, *, now: datetime = FRI_10, lang: str = "en", user: User = ATTENDEE
) -> Reply:
    return await run_command(Ctx(app, user, now, lang), name, options or {})


def ids(reply: Reply) -> list[str | None]:
    return [e.session_id for e in reply.entries()]


def section_ids(reply: Reply) -> list[tuple[str, list[str | None]]]:
    return [(s.heading, [e.session_id for e in s.entries]) for s in reply.sections]
