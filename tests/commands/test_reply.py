"""Replies split into pages that fit a chat message: at most eight entries, within Discord's embed limits."""

from __future__ import annotations

from bot.commands import Reply
from bot.commands.reply import Entry, Section
from tests.commands.helpers import (
    ask,
    at,
    ids,
)

DISCORD_TITLE = 256
DISCORD_DESCRIPTION = 4096
DISCORD_FIELD_NAME = 256
DISCORD_FOOTER = 2048
DISCORD_EMBED_TOTAL = 6000


def description_size(page: Reply) -> int:
    """A generous estimate of the page as an embed description: text, headings, and per entry its time
    (up to ~30 characters with markup), title, lines, abstract and separators."""
    size = len(page.text)
    for section in page.sections:
        size += len(section.heading) + 8
        for e in section.entries:
            size += 40 + len(e.title) + sum(len(line) + 5 for line in e.lines) + len(e.body) + 4
    return size


def assert_fits_discord(pages: list[Reply]) -> None:
    for page in pages:
        assert sum(len(s.entries) for s in page.sections) <= 8
        assert len(page.title) + 20 <= DISCORD_TITLE  # room for "(page i of n)"
        assert description_size(page) < DISCORD_DESCRIPTION
        assert len(page.footer) <= DISCORD_FOOTER
        assert len(page.title) + description_size(page) + len(page.footer) < DISCORD_EMBED_TOTAL
        for e in page.entries():
            assert len(e.title) <= DISCORD_FIELD_NAME


async def test_whole_schedule_splits_into_pages_of_at_most_eight(sample_app):
    """The 27-session programme comes in four pages of at most eight, each with its day heading, none lost."""
    reply = await ask(sample_app, "schedule")
    pages = reply.paginate()
    assert len(pages) == 4  # ceil(27 / 8)
    assert_fits_discord(pages)
    assert [p.page for p in pages] == [1, 2, 3, 4] and {p.pages_total for p in pages} == {4}
    assert [e.session_id for p in pages for e in p.entries()] == ids(reply)
    for p in pages:
        assert all(s.heading in ("Day 1 · Fri 7 Aug", "Day 2 · Sat 8 Aug") for s in p.sections)
        assert all(s.dated for s in p.sections)


def _long_reply(n_sections: int = 3, per_section: int = 13) -> Reply:
    words = "harbour lighthouse pier quay tide ferry crane manifest "
    sections = []
    for k in range(n_sections):
        entries = [
            Entry(
                title=f"Session {k}-{i} " + "x" * 150,
                start=at(7, 9, 0),
                end=at(7, 9, 40),
                lines=["Lighthouse Hall · Keynote " + "y" * 60, "Speaker " * 10],
                body=(words * 40)[:1500],
                session_id=f"s{k}-{i}",
            )
            for i in range(per_section)
        ]
        sections.append(Section(f"Day {k + 1}", entries, dated=True))
    return Reply(title="Programme", text="Intro " * 50, sections=sections, footer="footer " * 20)


def test_long_entries_split_into_pages_within_discord_limits():
    """A reply of 39 long entries is split so that every page fits a Discord embed, in order, nothing lost."""
    reply = _long_reply()
    pages = reply.paginate()
    assert len(pages) > 39 // 8
    assert_fits_discord(pages)
    assert [e.session_id for p in pages for e in p.entries()] == [e.session_id for e in reply.entries()]
    assert pages[0].text == reply.text and all(p.text == "" for p in pages[1:])
    for p in pages:  # a section continued on a page repeats its heading there
        for s in p.sections:
            k = int(s.heading.split()[1]) - 1
            assert s.entries and all((e.session_id or "").startswith(f"s{k}-") for e in s.entries)
            assert s.dated
    assert [p.page for p in pages] == list(range(1, len(pages) + 1))


def test_short_reply_is_one_page():
    """A reply of a few entries stays one page, unchanged."""
    reply = Reply(title="T", sections=[Section("h", [Entry(title="a"), Entry(title="b")])])
    (page,) = reply.paginate()
    assert (page.page, page.pages_total) == (1, 1)
    assert [e.title for e in page.entries()] == ["a", "b"]


async def test_long_query_title_fits_discord(sample_app):
    """A very long /talk query still gives a reply whose title fits Discord's 256 characters."""
    reply = await ask(sample_app, "talk", {"query": "zq" * 150})
    assert all(len(p.title) <= DISCORD_TITLE for p in reply.paginate())
