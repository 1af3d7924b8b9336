"""Announcements as organizers use them: previewed first, sent (now or at the time it resolved to), edited while
waiting, cancelled by whom, in another channel when asked."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.commands import Ctx, User, run_command
from bot.commands.admin import AnnouncementPreview
from bot.frontends.text.sender import ConsoleSender
from bot.runtime import Channels, Runtime
from tests.commands.helpers import at

OLIVIA = User(id=1, name="Olivia", is_organizer=True)
SAM = User(id=2, name="Sam", is_organizer=True)
ANNOUNCEMENTS = 77


@pytest.fixture
async def running(sample_app: App) -> AsyncIterator[tuple[App, io.StringIO]]:
    """The sample app with announcements running in the console (the clock stands at Fri 10:00)."""
    out = io.StringIO()
    runtime = Runtime(
        sample_app,
        ConsoleSender(sample_app.tz, out),
        Channels(announcements=ANNOUNCEMENTS),
        watch=False,
        use_scheduler=False,
    )
    await runtime.start()
    yield sample_app, out
    await runtime.stop()


async def ask(app: App, name: str, options: dict, user: User = OLIVIA, lang: str = "en"):
    return await run_command(Ctx(app, user, app.now(), lang, channel_id=5), name, options)


async def test_announce_previews_and_posts_nothing_until_sent(running):
    """/announce shows the text, says it goes out once sent, and posts nothing; /announce-send posts it once."""
    app, out = running
    preview = await ask(app, "announce", {"message": "Coffee on Pier 2"})
    assert isinstance(preview, AnnouncementPreview) and preview.announcement_id == 1
    assert preview.text == "Preview of announcement #1: nothing is posted until you send it."
    [entry] = preview.entries()
    assert entry.body == "Coffee on Pier 2" and entry.start is None
    assert entry.lines == ["It goes out as soon as you send it.", "Where: the announcements channel."]
    assert preview.channel_id == ANNOUNCEMENTS and out.getvalue() == ""
    sent = await ask(app, "announce-send", {"id": 1})
    assert sent.text == "Posted." and out.getvalue() == "📣 announcement (in channel 77): Coffee on Pier 2\n"
    again = await ask(app, "announce-send", {"id": 1})
    assert again.error and again.text == "There is no preview #1 waiting to be sent."


async def test_a_scheduled_preview_shows_the_time_it_resolved_to(running):
    """ "in 2 hours" at Fri 10:00 shows 12:00 in the preview; sent, it is scheduled for then, not posted yet."""
    app, out = running
    preview = await ask(app, "announce", {"message": "Doors close", "at": "in 2 hours"})
    [entry] = preview.entries()
    assert entry.start == at(7, 12, 0)
    assert entry.lines[0] == "It goes out at the time below, once you send it."
    scheduled = await ask(app, "announce-send", {"id": 1})
    assert scheduled.text == "Scheduled (#1) for:" and scheduled.entries()[0].start == at(7, 12, 0)
    assert out.getvalue() == ""


async def test_a_preview_sent_after_its_time_has_passed_is_refused(running, clock):
    """A preview for 10:30 sent at 10:45 is refused with a hint, not posted late."""
    app, out = running
    await ask(app, "announce", {"message": "Doors close", "at": "10:30"})
    clock.set(at(7, 10, 45))
    late = await ask(app, "announce-send", {"id": 1})
    assert late.error and late.text == "Announcement #1 was to go out at Fri 7 Aug 10:30, which has passed."
    assert out.getvalue() == ""


async def test_announcements_list_who_scheduled_and_edited_each(running):
    """Olivia schedules, Sam edits the text: /announcements shows the new text, by Olivia, edited by Sam."""
    app, _ = running
    await ask(app, "announce", {"message": "Photo at noon", "at": "12:00"})
    await ask(app, "announce-send", {"id": 1})
    edited = await ask(app, "announce-edit", {"id": 1, "message": "Group photo at noon on the quay"}, user=SAM)
    assert edited.text == "Announcement #1 now reads:" and edited.entries()[0].body == "Group photo at noon on the quay"
    listed = await ask(app, "announcements", {})
    [entry] = listed.entries()
    assert entry.title == "#1 · Group photo at noon on the quay"
    assert entry.lines == ["scheduled by Olivia", "edited by Sam"] and entry.start == at(7, 12, 0)
    zh = await ask(app, "announcements", {}, lang="zh")
    assert zh.entries()[0].lines == ["由 Olivia 安排", "由 Sam 修改"]


async def test_unannounce_records_who_cancelled(running):
    """Sam cancels Olivia's waiting announcement: it is gone from the list and the database says Sam did."""
    app, _ = running
    await ask(app, "announce", {"message": "Photo", "at": "12:00"})
    await ask(app, "announce-send", {"id": 1})
    assert (await ask(app, "unannounce", {"id": 1}, user=SAM)).text == "Announcement #1 cancelled."
    a = await (await app.services.open_storage()).get_announcement(1)
    assert a is not None and (a.state, a.cancelled_by, a.cancelled_by_name) == ("cancelled", SAM.id, "Sam")
    assert (await ask(app, "announcements", {})).text == "No announcements are waiting."


async def test_the_channel_option_sends_it_elsewhere(running):
    """channel:#555 posts the announcement in channel 555 instead of the announcements channel."""
    app, out = running
    preview = await ask(app, "announce", {"message": "Room change", "channel": "<#555>"})
    assert isinstance(preview, AnnouncementPreview) and preview.channel_id == 555
    assert preview.entries()[0].lines[1] == "Where: the channel you chose."
    await ask(app, "announce-send", {"id": 1})
    assert out.getvalue() == "📣 announcement (in channel 555): Room change\n"
    wrong = await ask(app, "announce", {"message": "x", "channel": "lobby"})
    assert wrong.error and wrong.text == "channel: expected a channel, got “lobby”"


async def test_an_attendee_cannot_send_edit_or_cancel_announcements(running):
    """The buttons run commands that refuse anyone but an organizer."""
    app, _ = running
    await ask(app, "announce", {"message": "Coffee"})
    bob = User(id=3, name="Bob")
    for name, options in (("announce-send", {"id": 1}), ("announce-edit", {"id": 1, "message": "x"})):
        assert (await ask(app, name, options, user=bob)).error
    a = await (await app.services.open_storage()).get_announcement(1)
    assert a is not None and (a.state, a.text) == ("draft", "Coffee")


async def test_reload_answers_a_chinese_organizer_in_chinese(sample_app):
    """/reload in Chinese: the title, the counts (29 sessions, 27 scheduled, 5 tracks in the sample) and the
    problems heading come from the catalogue, not English."""
    reply = await ask(sample_app, "reload", {}, lang="zh")
    assert reply.title == "🔄 议程已重新加载"
    assert reply.text.startswith("29 场议程（27 场已排期），5 个分论坛，"), reply.text
    assert [s.heading for s in reply.sections] == ["问题"]  # the sample's two files that are not sessions
    english = await ask(sample_app, "reload", {})
    assert english.title == "🔄 Programme reloaded" and english.text.startswith(
        "29 sessions (27 scheduled), 5 tracks, "
    )
    assert [s.heading for s in english.sections] == ["Problems"]
