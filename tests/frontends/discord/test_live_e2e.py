"""End to end: a conference morning, live, against the fake Discord, on a clock set to 08:50 and sped up 1,200 times.

Three rooms are mapped to channels. Each session is posted once in its room's channel five minutes before it,
with a thread named after it that is archived once it ends. Mid-morning a session moves, another is cancelled
and a lightning slot takes its place: the changes channel is told once, the moved session is posted at its new
time and the cancelled one never. The bot is stopped at 09:50 and started again at 10:05: the posts due while it
was down go out late (their sessions are still on), and nothing is lost or repeated.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App
from bot.clock import RunningClock
from bot.config import Config
from bot.core.storage import Storage
from bot.frontends.discord.client import ConfBot
from tests.fakediscord.harness import running_bot
from tests.fakediscord.models import Perm
from tests.fakediscord.server import FakeDiscord

SHANGHAI = ZoneInfo("Asia/Shanghai")
SPEED = 1200.0  # a conference minute passes in 50 ms
ROOMS = {"Lighthouse Hall": "hall", "Pier 2": "pier2", "Pier 3": "pier3"}
SLOTS = ((9, 0), (9, 30), (10, 0), (10, 30))
MOVED, MOVED_TO = "pier3-1000", (11, 0)  # Pier 3's 10:00 talk moves to 11:00
CANCELLED = "hall-1030"  # the hall's 10:30 talk is cancelled; a lightning slot replaces it
LIGHTNING = "hall-lightning"
STREAM = "https://example.org/live/lighthouse"


def at(h: int, m: int = 0) -> datetime:
    return datetime(2026, 8, 7, h, m, tzinfo=SHANGHAI)


def title(sid: str) -> str:
    return f"Talk {sid}"


def write_session(folder: Path, sid: str, room: str, when: tuple[int, int], *, name: str | None = None) -> None:
    h, m = when
    (folder / f"{sid}.md").write_text(
        "---\n"
        f'title: "{name or title(sid)}"\n'
        f'date: "2026-08-07T{h:02}:{m:02}:00"\n'
        'track: "community"\n'
        'presenters: "Ada Lovelace"\n'
        f'room: "{room}"\n'
        "duration: 30\n"
        "---\nAn abstract.\n",
        encoding="utf-8",
    )


def programme(folder: Path) -> list[str]:
    folder.mkdir()
    ids = []
    for room, key in ROOMS.items():
        for h, m in SLOTS:
            sid = f"{key}-{h:02}{m:02}"
            write_session(folder, sid, room, (h, m))
            ids.append(sid)
    return ids


async def until(clock: RunningClock, when: datetime) -> None:
    """Wait (in real time, briefly) until the sped-up clock reads `when`."""
    while clock.now() < when:
        await asyncio.sleep(0.005)


def bot_factory(config: Config, clock: RunningClock):
    def factory(fake: FakeDiscord) -> ConfBot:
        d = config.discord
        d.api_base, d.gateway_url, d.guild_id = fake.api_base, fake.gateway_url, fake.guild_id
        d.announcements_channel_id = fake.channel("announcements").id
        d.organizers_channel_id = fake.channel("organizers").id
        d.changes_channel_id = fake.channel("changes").id
        d.room_channels = {room: fake.channel(key).id for room, key in ROOMS.items()}
        return ConfBot(App(config, clock), watch=False, guild_ready_timeout=0.05)

    return factory


def posts_of(fake: FakeDiscord, key: str) -> list[str]:
    return [m["content"] for m in fake.messages_in(key)]


async def test_a_conference_morning_live(tmp_path):
    """Every session posted once in its room's channel 5 minutes before it (late only across the restart), threads
    opened and archived, a moved session posted at its new time, a cancelled one not at all, the changes channel
    told once, and a restart that loses and repeats nothing."""
    sessions = tmp_path / "sessions"
    ids = programme(sessions)
    config = Config(sessions_dir=sessions, database=tmp_path / "confbot.db")
    config.live.lead = timedelta(minutes=5)
    config.live.threads = True
    config.live.streams = {"Lighthouse Hall": STREAM}
    fake = FakeDiscord(channels=("general", "announcements", "organizers", "changes", *ROOMS.values()))
    bot_role = next(r for r in fake.guild.roles.values() if r.bot_id is not None)
    bot_role.permissions |= Perm.CREATE_PUBLIC_THREADS | Perm.MANAGE_THREADS | Perm.SEND_MESSAGES_IN_THREADS
    clock = RunningClock(at(8, 50), SPEED)
    async with fake:
        # ---- 08:50 to 09:50: the first posts; mid-morning the programme changes
        async with running_bot(bot_factory(config, clock), fake=fake) as (_, first):
            await until(clock, at(9, 12))
            assert re.findall(r"\*\*Talk (\S+?)\*\*", "\n".join(posts_of(fake, "hall"))) == ["hall-0900"]
            [post] = fake.messages_in("hall")  # its ☆ button stars the session for whoever presses it
            starred = await fake.wait_for_response(await fake.click(post, "confbot:star:hall-0900", user="alice"))
            assert starred.ephemeral and "Talk hall-0900" in str(starred.embeds)
            (sessions / f"{CANCELLED}.md").unlink()
            write_session(sessions, LIGHTNING, "Lighthouse Hall", (10, 30), name="Lightning talks")
            text = (sessions / f"{MOVED}.md").read_text(encoding="utf-8")
            (sessions / f"{MOVED}.md").write_text(text.replace("T10:00:00", "T11:00:00"), encoding="utf-8")
            assert isinstance(first, ConfBot)
            await first.app.reload()
            await until(clock, at(9, 50))
        assert fake.connected is False
        # ---- down from 09:50 to 10:05: the 09:55 posts fall due while nobody is there
        await until(clock, at(10, 5))
        async with running_bot(bot_factory(config, clock), fake=fake) as (_, second):
            assert isinstance(second, ConfBot)
            await until(clock, at(11, 35))

    # ---- what each room's channel heard, and when
    expected = {sid for sid in ids if sid != CANCELLED} | {LIGHTNING}
    heard: dict[str, list[str]] = {}
    for key in ROOMS.values():
        for content in posts_of(fake, key):
            for sid in re.findall(r"\*\*Talk (\S+?)\*\*", content):
                heard.setdefault(sid, []).append(key)
            if "Lightning talks" in content:
                heard.setdefault(LIGHTNING, []).append(key)
    assert {sid: len(where) for sid, where in heard.items()} == dict.fromkeys(expected, 1)
    assert all(where == [sid.split("-")[0]] for sid, where in heard.items())  # each in its own room's channel
    moved_post = next(c for c in posts_of(fake, "pier3") if f"Talk {MOVED}" in c)
    assert f"<t:{int(at(*MOVED_TO).timestamp())}:t>" in moved_post
    hall_post = next(c for c in posts_of(fake, "hall") if "Talk hall-0900" in c)
    assert f"📺 Livestream: <{STREAM}>" in hall_post and "Speakers: Ada Lovelace" in hall_post

    # ---- on time: after the due time and before the session; the restart's posts late but while still on
    async with await Storage.open(config.database) as store:
        rows = [p for sid in expected for p in await store.live_posts_for(sid)]
    assert {p.state for p in rows} == {"sent"} and len(rows) == len(expected)
    for p in rows:
        assert p.sent_at is not None and p.sent_at >= p.due_at, f"{p.session_id} posted early"
        if p.due_at == at(9, 55):  # due while the bot was down: posted at the restart, while the session was on
            assert at(10, 5) <= p.sent_at < p.start + timedelta(minutes=30), p
            assert "Sorry, this post is late." in next(
                c for key in ROOMS.values() for c in posts_of(fake, key) if f"Talk {p.session_id}" in c
            )
        else:
            assert p.sent_at < p.start, f"{p.session_id} posted at {p.sent_at}, after its start {p.start}"

    # ---- threads: one per post, named after its session, archived once it ended
    threads = {t.name: t for key in ROOMS.values() for t in fake.threads(key)}
    assert set(threads) == {title(sid) for sid in expected - {LIGHTNING}} | {"Lightning talks"}
    assert all(t.archived for t in threads.values())
    assert not [v for v in fake.violations if v.kind == "active_threads"]

    # ---- the changes channel: one post, each change once
    [changes] = posts_of(fake, "changes")
    assert f"“Talk {MOVED}” moved from Fri 10:00 to Fri 11:00 (Pier 3)" in changes
    assert f"“Talk {CANCELLED}” (Fri 10:30, Lighthouse Hall) is cancelled; replaced by “Lightning talks”" in changes
    assert "“Lightning talks” is new on the programme: Fri 10:30 (Lighthouse Hall)" in changes
    assert posts_of(fake, "organizers") == []  # nothing in the configuration was wrong


async def test_configured_names_and_channels_that_cannot_work_are_reported_at_start(tmp_path, confbot_factory):
    """A room the programme lacks, a channel that does not exist and one where the bot may not open threads are
    reported to the organizers at start, once."""
    config = Config(database=tmp_path / "confbot.db")
    config.live.threads = True
    clock = RunningClock(at(8), 1.0)

    def prepare(fake: FakeDiscord, cfg: Config) -> None:
        cfg.discord.organizers_channel_id = fake.add_channel("organizers").id
        hall = fake.add_channel("hall").id
        cfg.discord.room_channels = {"Ballroom": hall, "Pier 2": 999999999999999999, "Lighthouse Hall": hall}

    async with running_bot(confbot_factory(config, clock, prepare=prepare)) as (fake, _bot):
        report = await fake.wait_for_message("organizers")
        lines = (report.content or "").splitlines()
        hall = fake.channel("hall").id
        assert lines == [
            "⚠ Live posts: some of the configuration cannot work:",
            "• discord.room_channels names “Ballroom”, a room no session of the programme is in",
            f"• the bot may not open threads in channel <#{hall}> (for “Ballroom, Lighthouse Hall”): posts go out without them",
            "• channel <#999999999999999999> (for “Pier 2”) does not exist, or the bot cannot see it",
        ]
        assert len(fake.messages_in("organizers")) == 1
