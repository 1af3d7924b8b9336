"""What every imported programme format shares (schedule.json, schedule.xml, Sessionize, iCalendar): the zone
times are read and shown in, one document's reading, and the collector that turns each format's events into
sessions the same way (ids kept stable and unique, cancellations and breaks as attendees expect them).

A format module reads its document into `Collector.add(...)` calls, one per event, and never raises: every
fault becomes a Problem located by line (XML, iCalendar) or by JSON path (`at`, for JSON documents).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.model import Problem, ScheduledSession, Session, Track
from bot.core.programme.fields import clean_text, normalise_track, parse_when, plain_text
from bot.core.programme.source import Lengths, _DefaultLengths

__all__ = [
    "LANGUAGES",
    "Collector",
    "Reading",
    "Zones",
    "duration",
    "jpath",
    "language_code",
    "link_kind",
    "text",
    "zone_named",
    "zone_of_offsets",
]

# Spoken languages a session may be marked with: each has a `lang.<code>` entry in bot.i18n.
LANGUAGES = frozenset({"en", "zh", "de", "fr", "es", "it", "nl", "pt", "ru", "ja", "ko", "pl", "cs"})
_LANGUAGE_NAMES = {
    "english": "en",
    "englisch": "en",
    "anglais": "en",
    "chinese": "zh",
    "mandarin": "zh",
    "中文": "zh",
    "german": "de",
    "deutsch": "de",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "italian": "it",
    "italiano": "it",
    "dutch": "nl",
    "nederlands": "nl",
    "portuguese": "pt",
    "português": "pt",
    "russian": "ru",
    "japanese": "ja",
    "日本語": "ja",
    "korean": "ko",
    "polish": "pl",
    "polski": "pl",
    "czech": "cs",
    "čeština": "cs",
}
_KINDS = (("keynote", "keynote"), ("panel", "panel"), ("podium", "panel"), ("lightning", "lightning"))
# A break, a meal, a coffee or a service slot, by its type (or category) as programmes write it.
_SERVICE = re.compile(r"\b(?:break|breaks|pause|meal|lunch|dinner|breakfast|coffee|catering)\b", re.I)
# Cancellations written only in the title: in capitals at either end ("CANCELLED! …", "… -- CANCELLED"), or in
# any case when set apart ("[cancelled] …", "… - cancelled", "Cancelled: …"); never a title that merely uses the word.
_CANCELLED_CAPS = re.compile(r"^\W*(?:CANCEL+ED|ABGESAGT|ENTFÄLLT)\b|\b(?:CANCEL+ED|ABGESAGT)\W*$")
_CANCELLED_ANY = re.compile(
    r"^\s*[\[(【（]\s*(?:cancel+ed|abgesagt|entfällt|已?取消)\s*[\])】）]"
    r"|[\[(【（]\s*(?:cancel+ed|abgesagt|entfällt|已?取消)\s*[\])】）]\W*$"
    r"|(?:^|\s)(?:-+|–|—|:)\s*(?:cancel+ed|abgesagt|entfällt)\W*$"
    r"|^\s*(?:cancel+ed|abgesagt)\s*[:!]",
    re.I,
)
_RECORDING = re.compile(r"recording|video|aufzeichnung|youtube|youtu\.be|media\.ccc\.de|vimeo|mp4|webm", re.I)
_STREAM = re.compile(r"\bstream|livestream|\blive\b|teams\.microsoft|meetup-join|zoom\.us|jitsi|bigbluebutton", re.I)
_OFFSET = re.compile(r"T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*([+-]\d{2}:?\d{2})\s*$")
_HHMM = re.compile(r"^\s*(\d{1,4}):([0-5]\d)(?::([0-5]\d))?\s*$")
_MAX_ID = 200  # characters of a session id: a guid is 36, a UID with its domain seldom 60


@dataclass(frozen=True, slots=True)
class Zones:
    """The conference's zone as configured, and whether it was configured at all (else a document may name it)."""

    configured: ZoneInfo
    given: bool = True

    def shown(self, named: ZoneInfo | None) -> ZoneInfo:
        """The zone sessions are shown in: the configured one when given, else the one the document names."""
        return self.configured if self.given or named is None else named


@dataclass(slots=True)
class Reading:
    """One programme document as read: its sessions in programme order, tracks, rooms, zone and problems.

    `ok` is False when nothing in it is usable (another format, cut short, junk): a running bot then keeps
    the programme it last read well.
    """

    format: str  # what the document is, e.g. "schedule.json (c3voc)"
    tz: ZoneInfo  # the zone its sessions are shown in
    sessions: list[Session] = field(default_factory=list)
    tracks: dict[str, Track] = field(default_factory=dict)
    rooms: list[str] = field(default_factory=list)  # the venue's order, rooms with sessions only
    problems: list[Problem] = field(default_factory=list)
    ok: bool = True
    title: str | None = None  # the conference's name, when the document says it


def text(value: Any) -> str:
    """One line of text from a document's value (None, numbers and junk included): "" when there is none."""
    if value.__class__ is str and len(value) <= 200 and value.isprintable() and "  " not in value:
        return value.strip()  # the common case: a short plain line (a title, a room, a name)
    if value is None or isinstance(value, (dict, bool)):
        return ""
    if isinstance(value, (list, tuple)):
        return clean_text([v for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)])
    return clean_text(value)


def language_code(value: Any) -> str | None:
    """A spoken language the bot can name, from a code ("de", "de-formal", "EN") or a name ("German", "中文")."""
    written = text(value).strip().lower()
    if not written:
        return None
    if written in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[written]
    code = re.split(r"[-_,;/ ]", written, maxsplit=1)[0]
    return code if code in LANGUAGES else _LANGUAGE_NAMES.get(code)


def session_format(kind: str) -> str:
    """talk, panel, keynote or lightning, from a session's type as written ("Keynote", "lightningtalk")."""
    lowered = kind.lower()
    return next((fmt for word, fmt in _KINDS if word in lowered), "talk")


def is_service(kind: str) -> bool:
    """Whether a type or category names a break, a meal or another slot that is not a talk."""
    return bool(kind) and _SERVICE.search(kind) is not None


def is_cancelled(title: str) -> bool:
    """Whether a title says the session is cancelled ("CANCELLED! …", "… -- CANCELLED", "[cancelled] …")."""
    lowered = title.lower()
    if "cancel" not in lowered and "abgesagt" not in lowered and "entfällt" not in lowered and "取消" not in title:
        return False  # nearly every title: no regex
    return _CANCELLED_CAPS.search(title) is not None or _CANCELLED_ANY.search(title) is not None


def link_kind(title: str, url: str) -> str:
    """'recording', 'stream' or 'link': what a listed link is, from its title and address."""
    if _STREAM.search(title) or (not title and _STREAM.search(url)):
        return "stream"
    if _RECORDING.search(title) or _RECORDING.search(url):
        return "recording"
    return "link"


def duration(value: Any) -> timedelta | None:
    """A length written "H:MM", "HH:MM" or "HH:MM:SS" (any number of hours: "100:00" is valid c3voc)."""
    if not isinstance(value, str):
        return None
    m = _HHMM.match(value)
    if not m:
        return None
    return timedelta(hours=int(m.group(1)), minutes=int(m.group(2)), seconds=int(m.group(3) or 0))


def zone_named(name: Any) -> ZoneInfo | None:
    """The IANA zone a document names ("Europe/Berlin"), or None for no name or an unknown one."""
    written = text(name)
    if not written or len(written) > 64:
        return None
    try:
        return ZoneInfo(written)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def zone_of_offsets(written: Iterable[Any]) -> ZoneInfo | None:
    """A zone for a document that names none but writes offsets ("…T11:00:00+01:00"): the fixed zone of the
    offset most of its times carry (Etc/GMT-1 for +01:00), when that is a whole, non-zero number of hours."""
    counts = Counter[str]()
    for value in written:
        if isinstance(value, str):
            m = _OFFSET.search(value)
            if m:
                counts[m.group(1)] += 1
    if not counts:
        return None
    sign, hours, minutes = _split_offset(counts.most_common(1)[0][0])
    if minutes or not hours or hours > 14:
        return None
    return ZoneInfo(f"Etc/GMT{'-' if sign > 0 else '+'}{hours}")


def _split_offset(offset: str) -> tuple[int, int, int]:
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return sign, int(digits[:2]), int(digits[2:4] or 0)


def jpath(base: str, key: str | int) -> str:
    """A JSON path one step further: `$.a.b`, `$.a[3]`, `$.rooms["Saal 1"]`."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if key.isidentifier() else f"{base}[{json.dumps(key, ensure_ascii=False)}]"


@dataclass(slots=True)
class _Draft:
    """One event as a format read it, before ids are made unique and sessions made."""

    id: str
    title: str
    start: datetime | None
    end: datetime | None
    room: str | None
    track: str
    stype: str
    language: str | None
    presenters: tuple[str, ...]
    abstract: str
    url: str | None
    links: tuple[tuple[str, str], ...]
    stream: str | None
    recording: str | None
    service: bool
    where: str | int  # a JSON path, or a line


class Collector:
    """Collects one document's events and makes its sessions, tracks and rooms (see the module's docstring)."""

    def __init__(
        self,
        origin: str,
        fmt: str,
        tz: ZoneInfo,
        lengths: Lengths | None = None,
        *,
        lines: bool = False,
    ):
        self.origin = origin
        self.format = fmt
        self.tz = tz  # the zone sessions are shown in
        self.lengths: Lengths = lengths if lengths is not None else _DefaultLengths()
        self.lines = lines  # problems are located by line (else by JSON path)
        self.problems: list[Problem] = []
        self.room_order: list[str] = []
        self.title: str | None = None
        self.events = 0  # events seen, usable or not
        self.cancelled = 0
        self._drafts: list[_Draft] = []
        self._track_names: dict[str, str] = {}
        self._when: dict[tuple[str, str], datetime | str | None] = {}

    # ------------------------------------------------------------------ problems

    def problem(self, where: str | int, severity: str, message: str, fld: str | None = None) -> None:
        """A problem at a line (int) or a JSON path (str) of the document."""
        if isinstance(where, int):
            self.problems.append(Problem(self.origin, max(where, 1), fld, severity, message))
        else:
            self.problems.append(Problem(self.origin, 0, fld, severity, message, at=where))

    def string(self, where: str | int, value: Any, name: str) -> str:
        """A text field's value as one line: None and "" are nothing; a number is read as written; anything
        else (a list, an object, true/false) is reported and ignored."""
        if value.__class__ is str:
            return text(value)
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.problem(where, "warning", f"{name} is a number, not text: read as {value!r}", name)
            return text(value)
        self.problem(where, "warning", f"{name} is {kind_of(value)}, not text: ignored", name)
        return ""

    def url(self, where: str | int, value: Any, name: str) -> str | None:
        """An http(s) address (a session's page, stream or recording); anything else is reported and ignored."""
        if value is None or value == "":
            return None
        address = text(value) if isinstance(value, str) else ""
        if address.startswith(("http://", "https://")):
            return address
        self.problem(where, "warning", f"{name} {value!r} is not an http(s) address: ignored", name)
        return None

    def floating_times(self, count: int, zone: ZoneInfo, document: str) -> None:
        """`count` times that the document wrote without a zone were read in `zone`: said once, with the remedy."""
        if count:
            self.whole(
                "warning",
                f"the {document} names no time zone: {count} times are read as {zone.key} "
                "(set conference.timezone to the venue's zone)",
            )

    def whole(self, severity: str, message: str) -> None:
        """A problem with the document as a whole."""
        if self.lines:
            self.problems.append(Problem(self.origin, 1, None, severity, message))
        else:
            self.problems.append(Problem(self.origin, 0, None, severity, message, at=""))

    # ------------------------------------------------------------------ values

    def when(self, value: Any, floating: ZoneInfo) -> datetime | str | None:
        """A date-time as written (with an offset, or wall-clock time in `floating`), in the zone shown; None
        when empty; an error message when unusable."""
        if isinstance(value, datetime):
            return (value if value.tzinfo else value.replace(tzinfo=floating)).astimezone(self.tz)
        if not isinstance(value, str):
            return None if value is None else f"{value!r} is not a date and time"
        key = (value, floating.key)
        if key in self._when:  # a programme has far fewer distinct times than events
            return self._when[key]
        parsed = parse_when(value, floating)
        hit = self._when[key] = parsed.astimezone(self.tz) if isinstance(parsed, datetime) else parsed
        return hit

    def track(self, name: str) -> str:
        """The key of a track named `name` (its display name); "general" when the event names none."""
        key = normalise_track(name)[:100]
        if not key:
            return "general"
        self._track_names.setdefault(key, name)
        return key

    # ------------------------------------------------------------------ events

    def add(
        self,
        where: str | int,
        *,
        id: str,
        title: str,
        start: datetime | None,
        end: datetime | None,
        room: str | None = None,
        track: str = "",
        stype: str = "",
        language: str | None = None,
        presenters: Iterable[str] = (),
        abstract: Iterable[str] = (),
        url: str | None = None,
        links: Iterable[tuple[str, str]] = (),
        stream: str | None = None,
        recording: str | None = None,
        service: bool = False,
        cancelled: bool = False,
    ) -> None:
        """One event as the format read it: its text is cleaned here, times are in the zone shown."""
        self.events += 1
        title = title.strip()
        if cancelled or is_cancelled(title):
            self.cancelled += 1
            self.problem(where, "warning", f"{title or id!r} is marked cancelled: left out of the programme", "title")
            return
        if not title:
            self.problem(where, "warning", "no title; shown by its id", "title")
            title = id or "untitled"
        people: list[str] = []
        for person in presenters:
            name = clean_text(person)
            if name and name not in people:
                people.append(name)
        paragraphs: list[str] = []
        for part in abstract:
            body = plain_text(part) if part else ""
            if body and body not in paragraphs:
                paragraphs.append(body)
        listed: list[tuple[str, str]] = []
        for label, address in links:
            if address and (label, address) not in listed:
                listed.append((label, address))
                kind = link_kind(label, address)
                if kind == "recording" and recording is None:
                    recording = address
                elif kind == "stream" and stream is None:
                    stream = address
        self._drafts.append(
            _Draft(
                id=id.strip()[:_MAX_ID],
                title=title,
                start=start,
                end=end,
                room=(room.strip() or None) if room else None,
                track=self.track(track),
                stype=stype,
                language=language,
                presenters=tuple(people),
                abstract="\n\n".join(paragraphs),
                url=url or None,
                links=tuple(listed),
                stream=stream or None,
                recording=recording or None,
                service=service,
                where=where,
            )
        )

    # ------------------------------------------------------------------ the reading

    def finish(self, *, ok: bool = True) -> Reading:
        """The document's sessions (ids unique, ends known), tracks and rooms, with every problem found."""
        drafts = self._drafts
        self._unique_ids(drafts)
        sessions: list[Session] = []
        track_counts = Counter[str]()
        room_counts = Counter[str]()
        for d in drafts:
            sessions.append(self._session(d))
            track_counts[d.track] += 1
            if d.room:
                room_counts[d.room] += 1
        self.problems.sort(key=lambda p: (p.at != "", p.line))  # the document as a whole first, then in order
        far = datetime.max.replace(tzinfo=self.tz)
        sessions.sort(key=lambda s: (s.start is None, s.start or far, s.room or "", s.id))
        tracks: dict[str, Track] = {}
        for s in sessions:  # in the order the programme first shows them
            if s.track not in tracks:
                tracks[s.track] = Track(key=s.track, name=self._track_names.get(s.track, s.track))
        for key, count in track_counts.items():
            tracks[key].count = count
        order = [r for r in dict.fromkeys(self.room_order) if r in room_counts]
        rooms = order + sorted(set(room_counts).difference(order))
        if self.events and not sessions and ok and not self.cancelled:
            self.whole("error", f"none of its {self.events} events could be read as a session")
            ok = False
        return Reading(self.format, self.tz, sessions, tracks, rooms, self.problems, ok, self.title)

    def _unique_ids(self, drafts: list[_Draft]) -> None:
        """Every session keeps its event's id; an event without one gets one from what it is, and events that
        share an id (some feeds reuse UIDs) each keep theirs with a suffix made from their title, so none is lost
        and each keeps its id from one version of the feed to the next."""
        for d in drafts:
            if not d.id:
                d.id = "event-" + _digest(f"{d.title}\x1f{d.start.isoformat() if d.start else ''}\x1f{d.room or ''}")
                self.problem(d.where, "warning", f"no id: known as {d.id} (it changes if the title or time does)", "id")
        counts = Counter(d.id for d in drafts)
        shared = {i for i, n in counts.items() if n > 1}
        if not shared:
            return
        taken = set(counts)
        told: set[str] = set()
        for d in drafts:
            if d.id not in shared:
                continue
            base = d.id
            if base not in told:
                told.add(base)
                message = (
                    f"{counts[base]} events share the id {base!r}: each is kept, under {base}~ and a mark of its title"
                )
                self.problem(d.where, "warning", message, "id")
            candidate = f"{base}~{_digest(d.title)[:8]}"
            if candidate in taken:
                candidate = f"{base}~{_digest(d.title + (d.start.isoformat() if d.start else ''))[:8]}"
            n = 2
            while candidate in taken:
                candidate = f"{base}~{_digest(d.title)[:8]}-{n}"
                n += 1
            taken.add(candidate)
            d.id = candidate

    def _session(self, d: _Draft) -> Session:
        language = d.language if d.language in LANGUAGES else None
        common: dict[str, Any] = {
            "id": d.id,
            "path": self.origin,
            "title": d.title,
            "track": d.track,
            "presenters": d.presenters,
            "room": d.room,
            "stype": d.stype,
            "language": language,
            "format": session_format(d.stype),
            "abstract": d.abstract,
            "link": d.stream or d.recording,
            "url": d.url,
            "stream_url": d.stream,
            "recording_url": d.recording,
            "links": d.links,
            "service": d.service,
        }
        if d.start is None:
            return Session(start=None, end=None, **common)
        end, explicit = d.end, True
        if end is None or end < d.start:
            length = self.lengths.for_track(d.track)
            if end is None:
                message = f"no end or duration: taken to last {int(length.total_seconds() // 60)} minutes"
            else:
                message = f"ends ({end:%Y-%m-%d %H:%M}) before it starts: taken to last {int(length.total_seconds() // 60)} minutes"
            self.problem(d.where, "warning", message, "end")
            end, explicit = d.start + length, False
        return ScheduledSession(start=d.start, end=end, end_explicit=explicit, **common)


def kind_of(value: Any) -> str:
    """What a document's value is, for a problem: "true/false", "an object", "a list", "text", "a number"."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a number" if isinstance(value, (int, float)) else type(value).__name__


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
