"""What a command answers: a Reply of sections of entries, with buttons and a file, that any front end renders."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

MAX_ENTRIES_PER_PAGE = 8
MAX_PAGE_CHARS = 3200  # a page a reader takes in at a glance; well inside a chat message's limits


@dataclass(slots=True)
class Entry:
    """One line of a reply, usually a session: the front end writes its time in the reader's zone."""

    title: str
    start: datetime | None = None
    end: datetime | None = None
    lines: list[str] = field(default_factory=list)
    body: str = ""
    session_id: str | None = None
    speakers: str = ""  # the speakers' bios, shown under a "Speakers" heading of the front end's own

    def weight(self) -> int:
        return len(self.title) + sum(len(x) + 1 for x in self.lines) + len(self.body) + len(self.speakers) + 90


@dataclass(slots=True)
class Section:
    heading: str = ""
    entries: list[Entry] = field(default_factory=list)
    dated: bool = False  # the heading names the day, so entries need only their times


@dataclass(slots=True)
class Action:
    """A button a front end may offer (Star/Unstar on a session)."""

    kind: str  # "star" | "unstar"
    session_id: str
    label: str


@dataclass(slots=True)
class Reply:
    title: str
    text: str = ""
    sections: list[Section] = field(default_factory=list)
    footer: str = ""
    error: bool = False
    ephemeral: bool = True
    actions: list[Action] = field(default_factory=list)
    file: tuple[str, bytes] | None = None
    page: int = 1
    pages_total: int = 1

    def entries(self) -> list[Entry]:
        return [e for s in self.sections for e in s.entries]

    def paginate(self, max_entries: int = MAX_ENTRIES_PER_PAGE, max_chars: int = MAX_PAGE_CHARS) -> list[Reply]:
        """Split into pages that fit a chat message; a section heading repeats on the page it continues on."""
        pages: list[list[Section]] = [[]]
        count = 0
        chars = len(self.text) + len(self.footer)
        for section in self.sections:
            current: Section | None = None
            for entry in section.entries:
                w = entry.weight()
                if count and (count >= max_entries or chars + w + len(section.heading) > max_chars):
                    pages.append([])
                    count, chars, current = 0, len(self.footer), None
                if current is None:
                    current = Section(section.heading, [], section.dated)
                    pages[-1].append(current)
                    chars += len(section.heading) + 2
                current.entries.append(entry)
                count += 1
                chars += w
            if not section.entries and section.heading:
                pages[-1].append(Section(section.heading, [], section.dated))
        total = len(pages)
        return [
            replace(self, sections=secs, text=self.text if i == 0 else "", page=i + 1, pages_total=total)
            for i, secs in enumerate(pages)
        ]


def error_reply(message: str, hint: str = "") -> Reply:
    """A private reply saying what went wrong (`message`) and how to fix it (`hint`)."""
    return Reply(title="", text=message, footer=hint, error=True, ephemeral=True)
