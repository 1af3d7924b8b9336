"""The Discord sender: every request paced by priority, DM channels opened ahead and remembered, lost answers found, errors mapped."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.delivery import Pacer, PermanentSendError, TransientSendError
from bot.core.live import Place
from bot.core.model import ScheduledSession
from bot.core.notices import AnnouncementNotice, LiveSession, ReminderNotice, RoomPostNotice
from bot.frontends.discord.client import ConfBot
from tests.fakediscord.harness import FakeDiscord, running_bot


def scheduled_session(bot: ConfBot) -> ScheduledSession:
    """A session of the sample programme with a time."""
    return bot.app.catalog.scheduled[0]


@pytest.fixture
def factory_for(confbot_factory):
    """factory_for(sample_config, clock): a running_bot factory for the real ConfBot."""
    return confbot_factory


async def test_a_dm_channel_is_asked_of_discord_once_even_across_a_restart(sample_config, clock, factory_for):
    """The second bot on the same database writes to alice without asking Discord for her DM channel again."""
    async with FakeDiscord() as fake:
        async with running_bot(factory_for(sample_config, clock), fake=fake) as (_, bot):
            assert isinstance(bot, ConfBot)
            alice = fake.user("alice").id
            await bot.sender.send_dm(alice, AnnouncementNotice("first"), lang="en", nonce="n-first")
        opened = lambda: [r for r in fake.requests if r.method == "POST" and r.path == "/users/@me/channels"]  # noqa: E731
        assert len(opened()) == 1
        async with running_bot(factory_for(sample_config, clock), fake=fake) as (_, bot2):
            assert isinstance(bot2, ConfBot)
            await bot2.sender.send_dm(alice, AnnouncementNotice("second"), lang="en", nonce="n-second")
        assert len(opened()) == 1
        assert [m["content"] for m in fake.dms_to("alice")] == ["first", "second"]


async def test_a_5xx_when_opening_a_dm_is_a_transient_error(sample_config, clock, factory_for):
    """Discord failing to open a DM channel is retried later with the same nonce, not reported as a bug."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        fake.fail_next("POST", "/users/@me/channels", status=503)
        with pytest.raises(TransientSendError):
            await bot.sender.send_dm(fake.user("bob").id, AnnouncementNotice("hello"), lang="en", nonce="n-bob")
        assert fake.dms_to("bob") == []


async def test_a_post_discord_refuses_for_good_is_a_permanent_error(sample_config, clock, factory_for):
    """A channel the bot may not post in is reported as never deliverable, so nothing retries it forever."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        channel = fake.channel("general").id
        fake.fail_next("POST", f"/channels/{channel}/messages", status=403, code=50013, message="Missing Permissions")
        with pytest.raises(PermanentSendError):
            await bot.sender.send_channel(channel, AnnouncementNotice("hello"), lang="en", nonce="n-general")
        assert fake.messages_in("general") == []


# ---------------------------------------------------------------- one pacer, by priority


async def test_an_announcement_goes_ahead_of_reminders_already_waiting(sample_config, clock, factory_for):
    """With two dozen reminder DMs queued for the bot's budget, an announcement made after them goes out within a slot."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        bot.sender.pacer = Pacer(limit=5, window=0.1, guard=0.01)  # 45 a second, in slots easy to count
        users = [fake.add_member(f"attendee{i}") for i in range(24)]
        notice = ReminderNotice(scheduled_session(bot), bot.app.tz)
        await asyncio.gather(*(bot.sender.open_dm(u.id) for u in users))  # warm: one request per reminder
        first = len(fake.requests)
        reminders = [
            asyncio.create_task(bot.sender.send_dm(u.id, notice, lang="en", nonce=f"r{u.id}"[:25])) for u in users
        ]
        await asyncio.sleep(0.1)  # a few reminders are out, the others wait
        general = fake.channel("general").id
        await bot.sender.send_channel(general, AnnouncementNotice("Lunch is served"), lang="en", nonce="a-lunch")
        await asyncio.gather(*reminders)
    sent = [r for r in fake.requests[first:] if r.kind == "channel_message"]
    position = next(i for i, r in enumerate(sent) if r.params.get("channel_id") == str(general))
    assert len(sent) == 25 and 0 < position <= 8, f"the announcement went out {position + 1}th of 25"


async def test_every_request_the_bot_makes_waits_its_turn_in_the_one_budget(sample_config, clock, factory_for):
    """Requests the bot makes outside notices (here discord.py fetching a channel) take slots from the same pacer."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        pacer = bot.sender.pacer = Pacer(limit=50, window=1.0)
        before = sum(pacer.granted.values())
        await bot.fetch_channel(fake.channel("general").id)
        assert sum(pacer.granted.values()) == before + 1


# ---------------------------------------------------------------- DM channels ahead, sends whose answer was lost


async def test_a_dm_channel_opened_ahead_makes_the_reminder_one_request(sample_config, clock, factory_for):
    """Opening a DM channel ahead costs one request; the reminder later costs only its message."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        carol = fake.add_member("carol")
        start = len(fake.requests)
        channel_id = await bot.sender.open_dm(carol.id)
        assert channel_id == fake.dm_channel(carol).id
        assert await bot.sender.open_dm(carol.id) == channel_id  # known: no second request
        assert [r.kind for r in fake.requests[start:]] == ["open_dm"]
        storage = bot.app.services.storage
        assert storage is not None and (await storage.dm_channels())[carol.id] == channel_id
        await bot.sender.send_dm(carol.id, AnnouncementNotice("hello"), lang="en", nonce="n-carol")
        assert [r.kind for r in fake.requests[start:]] == ["open_dm", "channel_message"]


async def test_a_message_whose_answer_was_lost_is_found_in_the_channel(sample_config, clock, factory_for):
    """After Discord forgot the nonce, the bot finds its own message by what it says, and only that message."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        dave = fake.add_member("dave")
        session = scheduled_session(bot)
        on_time, late = ReminderNotice(session, bot.app.tz), ReminderNotice(session, bot.app.tz, late=True)
        assert await bot.sender.find_dm(dave.id, [on_time, late], lang="en", nonce="n-dave") is None  # no channel
        sent = await bot.sender.send_dm(dave.id, on_time, lang="en", nonce="n-dave")
        await bot.sender.send_dm(dave.id, AnnouncementNotice("something else"), lang="en", nonce="n-other")
        fake.forget_nonces()
        assert await bot.sender.find_dm(dave.id, [on_time, late], lang="en", nonce="n-dave") == sent
        assert await bot.sender.find_dm(dave.id, [late], lang="en", nonce="n-late") is None
        general = fake.channel("general").id
        posted = await bot.sender.send_channel(general, on_time, lang="en", nonce="n-post", mention_user_ids=[dave.id])
        found = await bot.sender.find_post(
            general, [late, on_time], lang="en", nonce="n-post", mention_user_ids=[dave.id]
        )
        assert found == posted
        assert await bot.sender.find_post(general, [on_time], lang="en", nonce="x", mention_user_ids=[1]) is None
        assert [r.kind for r in fake.requests].count("history") == 4


async def test_a_room_post_whose_answer_was_lost_is_found_among_the_channels_posts(sample_config, clock, factory_for):
    """A room post (text and ☆ button) sent on time is found after Discord forgot its nonce, also when the
    restart would now post it late; another room's post is not taken for it."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        session = scheduled_session(bot)
        hall = fake.channel("general").id
        place = Place("room", session.room or "Hall", hall, session.room or "Hall", None)
        on_time = RoomPostNotice(place, (LiveSession(session, None, None),), bot.app.tz)
        late = RoomPostNotice(place, on_time.sessions, bot.app.tz, late=True)
        other = RoomPostNotice(place, (LiveSession(bot.app.catalog.scheduled[1], None, None),), bot.app.tz)
        posted = await bot.sender.send_channel(hall, on_time, lang="en", nonce="n-room")
        await bot.sender.send_channel(hall, other, lang="en", nonce="n-other")
        fake.forget_nonces()
        found = await bot.sender.find_post(hall, [on_time, late], lang="en", nonce="n-room", mention_user_ids=())
        assert found == posted
        assert await bot.sender.find_post(hall, [late], lang="en", nonce="n-late", mention_user_ids=()) is None
