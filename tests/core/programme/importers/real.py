"""The real exports in shared/imports and their independently computed facts (FACTS.json), plus what the tests
need to compare against them, worked out here with the standard library only (never with confbot's readers)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.model import ScheduledSession, Session, is_scheduled
from bot.core.programme.catalog import Catalog
from bot.core.programme.document import read_document
from bot.core.programme.imported import Reading
from tests.paths import IMPORTS

FILES = (
    "schedule-json/39c3-everything.json",
    "schedule-json/rc3-channels-2020.json",
    "schedule-json/camp2019.json",
    "schedule-json/33c3-v1-2016-12-27T0925Z.json",
    "schedule-json/33c3-v2-2016-12-27T1345Z.json",
    "schedule-json/33c3-v3-2016-12-27T1602Z.json",
    "schedule-xml/fosdem-2021.xml",
    "schedule-xml/debconf23.xml",
    "sessionize/scottish-summit-2026.json",
    "sessionize/global-azure-bootcamp-linz-2020.json",
    "ics/lca2020.ics",
    "ics/kielux2020.ics",
    "ics/moca2024.ics",
    "ics/33c3-v3-2016-12-27T1602Z.ics",
)
HAVE_IMPORTS = (IMPORTS / "FACTS.json").is_file() and all((IMPORTS / f).is_file() for f in FILES)

# Cancellations written only in the title, as the README of shared/imports names them: left out of the programme.
CANCELLED_TITLES = {
    "schedule-json/33c3-v1-2016-12-27T0925Z.json": ["Back to the 16bit Era -- CANCELLED"],
    "schedule-json/39c3-everything.json": [
        "CANCELLED! Surface Mount Electronics Assembly for Terrified Beginners (Day 2)"
    ],
}


@cache
def facts() -> dict[str, Any]:
    return json.loads((IMPORTS / "FACTS.json").read_text(encoding="utf-8"))["files"]


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(facts()[name]["facts"]["time_zone_used"])


@cache
def reading(name: str) -> Reading:
    """The file read as a running bot reads it, in the venue's zone as configured."""
    path = IMPORTS / name
    return read_document(path.read_bytes(), str(path), zone(name))


def catalog_of(name: str) -> Catalog:
    r = reading(name)
    days = sorted({s.start.date() for s in r.sessions if s.start is not None})
    return Catalog(r.tz, r.sessions, r.tracks, r.rooms, days, r.problems, [])


def scheduled(sessions: list[Session]) -> list[ScheduledSession]:
    return [s for s in sessions if is_scheduled(s)]


def timed(name: str) -> list[ScheduledSession]:
    """The file's sessions that have a time, as read."""
    return scheduled(reading(name).sessions)


def iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


# ---------------------------------------------------------------- counted here, from the raw files


def _c3voc_events(name: str) -> list[dict[str, Any]]:
    data = json.loads((IMPORTS / name).read_text(encoding="utf-8"))
    return [e for day in data["schedule"]["conference"]["days"] for events in day["rooms"].values() for e in events]


def cancelled_events(name: str) -> list[dict[str, Any]]:
    """The events the README says are cancelled (only in their titles), as written in the file."""
    titles = CANCELLED_TITLES.get(name, [])
    if not titles:
        return []
    return [e for e in _c3voc_events(name) if e["title"] in titles]


def room_counts(name: str) -> Counter[str]:
    """Events per room as written in the file (cancelled ones and Sessionize breaks included)."""
    path = IMPORTS / name
    if name.startswith("schedule-json/"):
        return Counter(e["room"] for e in _c3voc_events(name))
    if name.startswith("schedule-xml/"):
        return Counter((e.findtext("room") or "").strip() for e in ET.parse(path).getroot().iter("event"))
    if name.startswith("sessionize/"):
        data = json.loads(path.read_text(encoding="utf-8"))
        rooms = {r["id"]: r["name"] for r in data["rooms"]}
        return Counter(rooms[s["roomId"]] for s in data["sessions"] if s.get("roomId") in rooms)
    text = re.sub(r"\r?\n[ \t]", "", path.read_bytes().decode("utf-8", "replace"))
    counts: Counter[str] = Counter()
    for event in re.findall(r"BEGIN:VEVENT(.*?)END:VEVENT", text, re.S):
        m = re.search(r"^LOCATION(?:;[^:]*)?:(.*)$", event, re.M)
        counts[m.group(1).strip().replace("\\,", ",") if m else ""] += 1
    return counts
