"""End to end: the programme changes under a running bot; stargazers hear once, organizers hear of broken files."""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.core.reminders import ReminderService
from bot.frontends.discord.client import ConfBot
from tests.fakediscord.harness import running_bot
from tests.paths import SAMPLE as REPO_SESSIONS

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_PR = "community-301"  # "Your First Pull Request Is a Conversation", Fri 7 Aug 13:30 in Pier 2


@pytest.fixture
def editable_factory(confbot_factory):
    """editable_factory(sample_config, clock, tmp_path) -> (factory, sessions folder, state)."""
    return lambda sample_config, clock, tmp_path: _editable_factory(confbot_factory, sample_config, clock, tmp_path)


def _editable_factory(confbot_factory, sample_config, clock, tmp_path):
    """A bot on a copy of the sample programme that the test may edit, with an organizers' channel."""
    sessions = tmp_path / "sessions"
    shutil.copytree(REPO_SESSIONS, sessions)
    state = {}

    def prepare(fake, cfg):
        cfg.sessions_dir = sessions
        state["organizers"] = fake.add_channel("organizers")
        cfg.discord.organizers_channel_id = state["organizers"].id

    factory = confbot_factory(sample_config, clock, prepare=prepare)
    return factory, sessions, state


def confbot(client: discord.Client) -> ConfBot:
    assert isinstance(client, ConfBot)
    return client


def pause(bot: ConfBot) -> None:
    """The test says when jobs run."""
    assert bot.runtime is not None and bot.runtime.scheduler is not None
    bot.runtime.scheduler.pause()


def reminders(bot: ConfBot) -> ReminderService:
    service = bot.app.services.reminders
    assert service is not None, "the bot runs no reminder service"
    return service


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def test_moved_session_is_announced_once_to_its_stargazer_and_its_reminder_follows(
    sample_config, clock, tmp_path, editable_factory
):
    """Alice starred a talk; it moves to 15:30: she gets one DM saying so, and her reminder moves to 15:20."""
    factory, sessions, _ = editable_factory(sample_config, clock, tmp_path)
    async with running_bot(factory) as (fake, client):
        bot = confbot(client)
        pause(bot)  # the test says when jobs run
        star = await fake.wait_for_response(await fake.slash("star", {"session": FIRST_PR}, user="alice"))
        assert star.ok
        assert [j.due_at for j in reminders(bot).plan() if j.session_id == FIRST_PR] == [
            datetime(2026, 8, 7, 13, 20, tzinfo=SHANGHAI)
        ]

        edit(sessions / f"{FIRST_PR}.md", "2026-08-07T13:30:00", "2026-08-07T15:30:00")
        result = await bot.app.reload(changed=[str(sessions / f"{FIRST_PR}.md")])
        assert [c.session_id for c in result.changes] == [FIRST_PR]

        notice = await fake.wait_for_dm("alice")
        assert "Your First Pull Request" in (notice.content or "") and "moved" in (notice.content or "").lower()
        new_start = int(datetime(2026, 8, 7, 15, 30, tzinfo=SHANGHAI).timestamp())
        assert f"<t:{new_start}:" in (notice.content or "")
        assert notice.json.get("allowed_mentions") == {"parse": []}

        await bot.app.reload()  # nothing changed since: no second notice
        assert len(fake.dms_to("alice")) == 1
        assert fake.dms_to("bob") == []  # bob starred nothing
        assert [j.due_at for j in reminders(bot).plan() if j.session_id == FIRST_PR] == [
            datetime(2026, 8, 7, 15, 20, tzinfo=SHANGHAI)
        ]

        clock.set(datetime(2026, 8, 7, 13, 20, tzinfo=SHANGHAI))  # the old reminder time: nothing is due
        report = await reminders(bot).run_due()
        assert report.sent == 0
        clock.set(datetime(2026, 8, 7, 15, 20, tzinfo=SHANGHAI))
        report = await reminders(bot).run_due()
        assert report.sent == 1
        reminder = fake.dms_to("alice")[-1]
        assert f"<t:{new_start}:" in reminder["content"] and len(fake.dms_to("alice")) == 2


async def test_cancelled_session_is_announced_to_its_stargazers(sample_config, clock, tmp_path, editable_factory):
    """A starred talk whose file is deleted is announced as cancelled, to each stargazer once."""
    factory, sessions, _ = editable_factory(sample_config, clock, tmp_path)
    async with running_bot(factory) as (fake, client):
        bot = confbot(client)
        pause(bot)
        for user in ("alice", "bob"):
            assert (await fake.wait_for_response(await fake.slash("star", {"session": FIRST_PR}, user=user))).ok
        (sessions / f"{FIRST_PR}.md").unlink()
        await bot.app.reload(changed=[str(sessions / f"{FIRST_PR}.md")])
        for user in ("alice", "bob"):
            notice = await fake.wait_for_dm(user)
            assert "cancel" in (notice.content or "").lower()
        await bot.app.reload()
        assert len(fake.dms_to("alice")) == 1 and len(fake.dms_to("bob")) == 1
        assert FIRST_PR not in {j.session_id for j in reminders(bot).plan()}


async def test_broken_file_keeps_its_session_and_organizers_are_told_which_and_why(
    sample_config, clock, tmp_path, editable_factory
):
    """An organizer's typo breaks a file: attendees still see the session, the organizers' channel names the file and line."""
    factory, sessions, state = editable_factory(sample_config, clock, tmp_path)
    async with running_bot(factory) as (fake, client):
        bot = confbot(client)
        pause(bot)
        path = sessions / f"{FIRST_PR}.md"
        raw = path.read_bytes()
        path.write_bytes(
            raw.replace(b'title: "', b'title: "Unclosed ', 1).replace(b'Conversation"', b"Conversation", 1)
        )
        result = await bot.app.reload(changed=[str(path)])
        assert str(path) in result.broken
        assert FIRST_PR in bot.app.catalog.by_id  # the last good version stays
        post = await fake.wait_for_message(state["organizers"])
        assert f"{FIRST_PR}.md" in (post.content or "") and "YAML" in (post.content or "")
        assert post.json.get("allowed_mentions") == {"parse": []}
        await bot.app.reload()  # still broken, nothing new to say
        assert len(fake.messages_in(state["organizers"])) == 1

        talk = await fake.wait_for_response(await fake.slash("talk", {"query": FIRST_PR}))
        assert "Your First Pull Request Is a Conversation" in talk.embeds[0]["title"]

        olivia_reload = await fake.wait_for_response(await fake.slash("reload", user="olivia"))
        text = olivia_reload.embeds[0].get("description", "") + olivia_reload.embeds[0].get("footer", {}).get(
            "text", ""
        )
        assert f"{FIRST_PR}.md" in text and "last good version" in text
