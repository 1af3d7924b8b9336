"""The running services as commands see them: what delivery exists decides what /remind and /announce may do."""

from __future__ import annotations

import io

import pytest

from bot.commands import Ctx, User, run_command
from bot.core.storage import DatabaseGoneError
from bot.frontends.text.sender import ConsoleSender
from bot.runtime import Channels, Runtime

ORGANIZER = User(id=1, name="olivia", is_organizer=True)
ATTENDEE = User(id=2, name="alice")


async def ask(app, name: str, options: dict, user: User = ATTENDEE, channel_id: int | None = None):
    return await run_command(Ctx(app, user, app.now(), "en", channel_id=channel_id), name, options)


async def test_channel_reminders_are_refused_where_no_reminders_channel_exists(sample_app):
    """Asking for reminders in a channel when no front end offers one says so, and keeps DMs."""
    reply = await ask(sample_app, "remind", {"delivery": "channel"})
    assert reply.error and reply.text == "This server has no reminders channel, so reminders come by direct message."
    storage = await sample_app.services.open_storage()
    assert (await storage.get_settings(ATTENDEE.id)).delivery is None


async def test_channel_reminders_are_accepted_where_the_front_end_has_a_reminders_channel(sample_app):
    """With a front end running reminders and naming a reminders channel, /remind delivery:channel is kept."""
    runtime = Runtime(sample_app, ConsoleSender(sample_app.tz, io.StringIO()), Channels(reminders=9), watch=False)
    await runtime.start()
    try:
        assert sample_app.services.reminders_channel_available
        reply = await ask(sample_app, "remind", {"delivery": "channel"})
        assert not reply.error and "a mention in the reminders channel" in reply.text
    finally:
        await runtime.stop()
    assert not sample_app.services.reminders_channel_available  # stopped: no delivery any more


async def test_announcing_without_a_running_announcer_says_so(sample_app):
    """An organizer's /announce where no front end runs announcements is refused with a clear reason."""
    reply = await ask(sample_app, "announce", {"message": "Lunch"}, user=ORGANIZER, channel_id=5)
    assert reply.error and reply.text.startswith("/announce sends messages, so it needs the running bot or the console")


async def test_an_announcement_goes_to_the_announcements_channel_else_where_it_was_asked(sample_app):
    """The front end's announcements channel takes an announcement; without one it is posted where it was asked."""
    out = io.StringIO()
    runtime = Runtime(
        sample_app, ConsoleSender(sample_app.tz, out), Channels(announcements=77), watch=False, use_scheduler=False
    )
    await runtime.start()
    try:
        assert not (await ask(sample_app, "announce", {"message": "Lunch"}, user=ORGANIZER, channel_id=5)).error
        assert (await ask(sample_app, "announce-send", {"id": 1}, user=ORGANIZER, channel_id=5)).text == "Posted."
    finally:
        await runtime.stop()
    runtime = Runtime(sample_app, ConsoleSender(sample_app.tz, out), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        assert not (await ask(sample_app, "announce", {"message": "Tea"}, user=ORGANIZER, channel_id=5)).error
        assert (await ask(sample_app, "announce-send", {"id": 2}, user=ORGANIZER, channel_id=5)).text == "Posted."
    finally:
        await runtime.stop()
    assert out.getvalue() == "📣 announcement (in channel 77): Lunch\n📣 announcement (in channel 5): Tea\n"


async def test_a_star_is_not_acknowledged_once_the_database_file_is_gone(sample_app, sample_config):
    """Delete the database under the running bot: /star fails instead of saying "starred" into a lost file."""
    first = await ask(sample_app, "star", {"session": "community-301"})
    assert not first.error
    sample_config.database.unlink()
    with pytest.raises(DatabaseGoneError):
        await ask(sample_app, "star", {"session": "keynote-104"})
