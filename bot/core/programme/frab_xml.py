"""The pretalx / frab / Pentabarf / wafer schedule.xml format (the c3voc `schedule.xml.xsd`):
`<schedule><conference/><day date><room name><event id guid>…`.

What real exports do, and how it is read: Pentabarf (FOSDEM) writes no `<date>`, no `guid` and no zone, so
an event's time is its `<day date>` and `<start>` in the conference's zone, a start before `day_change`
falling on the next calendar day; wafer (DebConf) writes `<date>` in UTC while `<start>` is local and its
`<day>` containers are UTC days, so `<date>` (an absolute instant) is preferred whenever it is there. Meals
and breaks are events with an empty `<type>` and no persons: kept in the programme as service slots.
Abstracts are escaped HTML. Problems are located by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from xml.parsers import expat
from zoneinfo import ZoneInfo

from bot.core.programme.imported import Collector, Reading, Zones, duration, is_service, language_code, text, zone_named
from bot.core.programme.source import Lengths

__all__ = ["FORMAT", "read", "recognise"]

FORMAT = "schedule.xml (pretalx/frab/Pentabarf)"
_ROOT = re.compile(rb"^(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*<\s*([A-Za-z_][\w.-]*)", re.S)


@dataclass(slots=True)
class Node:
    """An XML element with the line it starts on (ElementTree keeps no lines)."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findtext(self, tag: str) -> str:
        child = self.find(tag)
        return child.text.strip() if child is not None else ""

    def all(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]


class _NotAllowed(Exception):
    """A DTD declares entities: refused (entity expansion is how XML files become memory bombs)."""


def root_tag(raw: bytes) -> str | None:
    """The name of an XML document's root element, read from its first bytes; None when it is not XML."""
    m = _ROOT.match(raw[:4096].lstrip(b"\xef\xbb\xbf"))
    return m.group(1).decode("ascii", "replace") if m else None


def recognise(raw: bytes) -> bool:
    """Whether a document is XML whose root element is <schedule>."""
    return root_tag(raw) == "schedule"


def parse_tree(raw: bytes) -> Node:
    """The document as a tree of Nodes with their lines; raises ValueError (with the line) on bad XML."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    root = Node("#document", {}, 1)
    stack = [root]

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = Node(tag, attrs, parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def data(chunk: str) -> None:
        stack[-1].parts.append(chunk)

    def entity(*args: object) -> None:
        raise _NotAllowed

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(raw, True)
    except _NotAllowed:
        raise ValueError(
            f"line {parser.CurrentLineNumber}: the document declares entities, which are not read"
        ) from None
    except expat.ExpatError as exc:
        raise ValueError(f"line {exc.lineno}: {expat.errors.messages.get(exc.code, str(exc))}") from None
    if not root.children:
        raise ValueError("line 1: no root element")
    return root.children[0]


def read(raw: bytes, origin: str, zones: Zones, lengths: Lengths | None = None) -> Reading:
    """A schedule.xml document as sessions; never raises."""
    try:
        tree = parse_tree(raw)
    except (ValueError, RecursionError) as exc:
        out = Collector(origin, FORMAT, zones.configured, lengths, lines=True)
        line = _line_of(str(exc))
        out.problem(line, "error", f"not well-formed XML ({exc})")
        return out.finish(ok=False)
    conference = tree.find("conference")
    written_zone = conference.findtext("time_zone_name") if conference is not None else ""
    named = zone_named(written_zone)
    tz = zones.shown(named)
    out = Collector(origin, FORMAT, tz, lengths, lines=True)
    if tree.tag != "schedule":
        out.problem(tree.line, "error", f"the root element is <{tree.tag}>, not <schedule>")
        return out.finish(ok=False)
    floating = named or zones.configured
    day_change = timedelta(0)
    if conference is not None:
        out.title = text(conference.findtext("title")) or None
        if written_zone and named is None:
            out.problem(conference.line, "warning", f"unknown time zone {written_zone!r}", "time_zone_name")
        change = conference.findtext("day_change")
        day_change = (duration(change) if change else None) or timedelta(0)
    days = tree.all("day")
    if not days:
        out.problem(tree.line, "error", "no <day> elements: expected <schedule><day><room><event>")
        return out.finish(ok=False)
    floating_times = 0
    for day in days:
        day_date = _date(day.attrs.get("date", ""))
        for room in day.all("room"):
            room_name = room.attrs.get("name", "").strip()
            out.room_order.append(room_name)
            for event in room.all("event"):
                floating_times += _event(out, event, room_name, day_date, day_change, floating)
    if named is None and not zones.given:
        out.floating_times(floating_times, floating, "file")
    return out.finish()


def _event(
    out: Collector, event: Node, room: str, day_date: date | None, day_change: timedelta, floating: ZoneInfo
) -> int:
    """One <event>; returns 1 when its time was wall-clock time without a zone (0 otherwise)."""
    line = event.line
    ident = (event.attrs.get("guid") or event.findtext("guid") or event.attrs.get("id") or "").strip()
    start: datetime | None = None
    floated = 0
    written = event.findtext("date")
    start_text = event.findtext("start")
    if written:
        when = out.when(written, floating)
        if isinstance(when, datetime):
            start = when
        else:
            out.problem(_line(event, "date"), "error", f"{when}; kept as unscheduled", "date")
    elif day_date is not None and start_text:
        at = duration(start_text)
        if at is None or at >= timedelta(days=1):
            out.problem(
                _line(event, "start"), "error", f'start {start_text!r} is not "HH:MM"; kept as unscheduled', "start"
            )
        else:
            if at < day_change:  # Pentabarf: the small hours belong to the day before
                at += timedelta(days=1)
            naive = datetime.combine(day_date, datetime.min.time()) + at
            start = naive.replace(tzinfo=floating).astimezone(out.tz)
            floated = 1
    else:
        out.problem(line, "error", "no <date>, or no <start> within a dated <day>: kept as unscheduled", "date")
    end: datetime | None = None
    written_end = event.findtext("end")
    if written_end:
        when = out.when(written_end, floating)
        if isinstance(when, datetime):
            end = when
    length = event.findtext("duration")
    if end is None and start is not None and length:
        d = duration(length)
        if d is None:
            out.problem(_line(event, "duration"), "warning", f'duration {length!r} is not "HH:MM"', "duration")
        else:
            end = start + d
    persons_node = event.find("persons")
    people = [p.text.strip() for p in persons_node.all("person")] if persons_node is not None else []
    links: list[tuple[str, str]] = []
    links_node = event.find("links")
    if links_node is not None:
        for link in links_node.all("link"):
            address = link.attrs.get("href", "").strip()
            if address.startswith(("http://", "https://")):
                links.append((link.text.strip() or address, address))
    kind = event.findtext("type")
    url = event.findtext("url")
    out.add(
        line,
        id=ident,
        title=text(event.findtext("title")),
        start=start,
        end=end,
        room=text(event.findtext("room")) or room,
        track=text(event.findtext("track")),
        stype=kind,
        language=language_code(event.findtext("language")),
        presenters=people,
        abstract=(event.findtext("subtitle"), event.findtext("abstract"), event.findtext("description")),
        url=url if url.startswith(("http://", "https://")) else None,
        links=links,
        recording=_http(event.findtext("video_download_url")),
        stream=_http(event.findtext("stream_url")),
        service=is_service(kind) or (not kind and not people),  # wafer's meals and breaks: no type, nobody
    )
    return floated


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _line(event: Node, tag: str) -> int:
    child = event.find(tag)
    return child.line if child is not None else event.line


def _line_of(message: str) -> int:
    m = re.match(r"line (\d+)", message)
    return int(m.group(1)) if m else 1


def _http(value: str) -> str | None:
    return value if value.startswith(("http://", "https://")) else None
