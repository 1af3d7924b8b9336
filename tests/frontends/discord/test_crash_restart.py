"""Crash and restart: the real bot process is killed with SIGKILL during a reminder fan-out, started again, and counted.

The fake Discord runs in the test's event loop on 127.0.0.1 with Discord's global limit of 50 requests a
second, so a fan-out of a few hundred DMs (a create-DM request and a message each) takes several seconds and
can be interrupted half-way.  The bot is `python -m bot ... run` in a subprocess, exactly as deployed, on a
database seeded with stars before it starts.

The kill is made from inside the fake, while it records the request that triggers it and before it answers
it: the bot never learns that this DM went through, so its delivery row is certainly left pending, and the
restart must resend it with the same nonce (the fake, like Discord, answers a repeated nonce with the earlier
message instead of posting a second one).  After an outage longer than Discord remembers nonces, the fake
posts a repeat again: then the restarted bot must find the unanswered DMs in their channels' history first.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.storage import Storage
from tests.fakediscord.server import FakeDiscord, FakeUser, Request
from tests.paths import REPO
from tests.seed import star_many

SHANGHAI = ZoneInfo("Asia/Shanghai")
SESSION = "community-301"  # Fri 7 Aug 2026 13:30 in Shanghai, Pier 2
TITLE = "Your First Pull Request Is a Conversation"
DUE = "2026-08-07T13:20:00"  # ten minutes before: the reminder is due the moment the bot starts
RESTART = "2026-08-07T13:20:30"  # back half a minute later, well before the session starts
LONG_OUTAGE_RESTART = "2026-08-07T13:27:00"  # back seven minutes later: Discord no longer knows the nonces
WAIT = 25.0  # seconds: the bound on every wait (the fan-outs here take well under 10 s)


# ---------------------------------------------------------------- the bot as a process


class BotProcess:
    """`python -m bot --config F --now T run` in a subprocess, its output in files."""

    def __init__(self, proc: asyncio.subprocess.Process, log: Path):
        self.proc = proc
        self.log = log

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def problems(self) -> list[str]:
        """Tracebacks and ERROR lines the bot wrote."""
        return [line for line in self.output.splitlines() if "Traceback" in line or " ERROR " in line]

    def kill(self) -> None:
        """SIGKILL now, synchronously: the bot gets no chance to run another instruction or write anything."""
        if self.proc.returncode is None:
            os.kill(self.proc.pid, signal.SIGKILL)

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not gone within 5 s."""
        if self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), 5)
        except TimeoutError:
            self.kill()
            await self.proc.wait()


async def start_bot(config: Path, now: str, log: Path) -> BotProcess:
    env = {**os.environ, "DISCORD_TOKEN": "fake-token", "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "--now",
            now,
            "run",
            cwd=REPO,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
        )
    return BotProcess(proc, log)


async def until(fake: FakeDiscord, bot: BotProcess, predicate: Callable[[Request], bool], what: str) -> Request:
    """The first accepted request the predicate takes (it is called as each request is recorded, before the
    fake answers it); fails at once, with the bot's output, if the bot exits first."""
    waiter = asyncio.ensure_future(fake.wait_for(predicate, timeout=WAIT))
    died = asyncio.ensure_future(bot.proc.wait())
    try:
        done, _ = await asyncio.wait({waiter, died}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for fut in (waiter, died):
            if not fut.done():
                fut.cancel()
    if waiter in done:
        try:
            return waiter.result()
        except TimeoutError as exc:
            pytest.fail(f"{exc}\n\nwaiting for {what}; the bot's output:\n{bot.output}", pytrace=False)
    pytest.fail(f"the bot exited with {bot.proc.returncode} before {what}:\n{bot.output}", pytrace=False)


async def settle(fake: FakeDiscord) -> None:
    """Let the fake finish requests it had already read when the bot died: until its records stop growing."""
    seen, quiet = -1, 0
    for _ in range(200):  # at most 2 s
        if len(fake.requests) == seen:
            quiet += 1
            if quiet >= 10:
                return
        else:
            seen, quiet = len(fake.requests), 0
        await asyncio.sleep(0.01)


# ---------------------------------------------------------------- what the fake and the database saw


def dm_channels(fake: FakeDiscord, users: list[FakeUser]) -> dict[str, FakeUser]:
    return {str(fake.dm_channel(u).id): u for u in users}


def new_dms(fake: FakeDiscord, channels: dict[str, FakeUser]) -> list[Request]:
    """DM messages the fake accepted and posted (not a nonce repeat answered with an earlier message)."""
    return [
        r
        for r in fake.requests
        if r.kind == "channel_message" and r.ok and not r.deduplicated and r.params.get("channel_id") in channels
    ]


def resends(fake: FakeDiscord, channels: dict[str, FakeUser]) -> list[Request]:
    """DM messages the fake dropped because their nonce had been used: resends of a message already posted."""
    return [
        r
        for r in fake.requests
        if r.kind == "channel_message" and r.ok and r.deduplicated and r.params.get("channel_id") in channels
    ]


def delivery_rows(db: Path) -> dict[int, tuple[str, str, int | None]]:
    """user id -> (state, nonce, message id) of each reminder row for the session."""
    con = sqlite3.connect(db, timeout=5)
    try:
        rows = con.execute(
            "SELECT user_id, state, nonce, message_id FROM deliveries WHERE session_id = ? AND kind = 'reminder'",
            (SESSION,),
        ).fetchall()
    finally:
        con.close()
    return {u: (state, nonce, mid) for u, state, nonce, mid in rows}


# ---------------------------------------------------------------- set-up


async def conference(tmp_path: Path, n: int) -> tuple[FakeDiscord, list[FakeUser], Path, Path]:
    """A started fake guild with n attendees who all starred SESSION in a fresh database, and a config for it."""
    fake = FakeDiscord(members={}, token="fake-token")  # rate limit on: 50 requests/second, as Discord
    users = [fake.add_member(f"attendee{i:03d}") for i in range(n)]
    await fake.start()
    db = tmp_path / "confbot.db"
    config = tmp_path / "confbot.toml"
    config.write_text(
        f"""
[conference]
timezone = "Asia/Shanghai"
sessions = "{REPO / "sessions"}"

[database]
path = "{db}"

[reminders]
lead_minutes = 10
delivery = "dm"

[discord]
guild_id = {fake.guild_id}
api_base = "{fake.api_base}"
gateway_url = "{fake.gateway_url}"
""",
        encoding="utf-8",
    )
    storage = await Storage.open(db)
    try:
        assert (
            await star_many(storage, [(u.id, SESSION) for u in users], datetime(2026, 8, 7, 9, 0, tzinfo=SHANGHAI)) == n
        )
    finally:
        await storage.close()
    return fake, users, db, config


def assert_each_reminded_once(fake: FakeDiscord, users: list[FakeUser], db: Path) -> None:
    """Every user has exactly one reminder message, sent with their row's nonce, and every row is closed as sent."""
    channels = dm_channels(fake, users)
    rows = delivery_rows(db)
    ids_per_user: dict[int, set[int | None]] = {u.id: set() for u in users}
    sends = [
        r for r in fake.requests if r.kind == "channel_message" and r.ok and r.params.get("channel_id") in channels
    ]
    for r in sends:
        ids_per_user[channels[r.params["channel_id"]].id].add(r.message_id)
    counts = Counter(len(ids) for ids in ids_per_user.values())
    assert counts == {1: len(users)}, f"message ids per user -> how many users: {dict(counts)} (want 1 for all)"
    for r in sends:
        user = channels[r.params["channel_id"]]
        assert r.json["nonce"] == rows[user.id][1], f"{user.username}: a DM sent without the stored nonce"
        assert r.json.get("enforce_nonce") is True
    for u in users:
        live = fake.dms_to(u)
        assert len(live) == 1, f"{u.username} has {len(live)} DMs"
        assert TITLE in live[0]["content"] and f"/unstar {SESSION}" in live[0]["content"]
    states = Counter(state for state, _, _ in rows.values())
    assert len(rows) == len(users) and states == {"sent": len(users)}, f"delivery rows by state: {dict(states)}"
    for u in users:
        assert rows[u.id][2] == next(iter(ids_per_user[u.id])), f"{u.username}: the row names another message"


async def wait_all_sent(bot: BotProcess, db: Path, n: int) -> None:
    """Poll the database until the bot has closed all n rows as sent (it marks each after Discord answers)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        states = Counter(state for state, _, _ in delivery_rows(db).values())
        if states.get("sent") == n:
            return
        if bot.proc.returncode is not None:
            pytest.fail(f"the bot exited with {bot.proc.returncode}; rows {dict(states)}:\n{bot.output}", pytrace=False)
        if loop.time() > deadline:
            pytest.fail(
                f"after {WAIT}s the delivery rows are {dict(states)}, not {n} sent:\n{bot.output}", pytrace=False
            )
        await asyncio.sleep(0.05)


def assert_clean(*bots: BotProcess) -> None:
    for bot in bots:
        problems = bot.problems()
        assert not problems, "the bot logged errors:\n" + "\n".join(problems) + "\n\nfull output:\n" + bot.output


# ---------------------------------------------------------------- the tests


async def test_sigkill_in_the_middle_of_a_fan_out_then_restart_reminds_everyone_exactly_once(tmp_path):
    """A bot killed half-way through reminding 200 attendees and restarted reminds each of them exactly once."""
    n = 200
    fake, users, db, config = await conference(tmp_path, n)
    channels = dm_channels(fake, users)
    first = second = None
    try:
        first = await start_bot(config, DUE, tmp_path / "first.log")

        def third_delivered(r: Request) -> bool:
            # Called as the fake records each request, before it answers: the kill beats the answer to the bot.
            if (
                r.kind == "channel_message"
                and not r.deduplicated
                and r.params.get("channel_id") in channels
                and len(new_dms(fake, channels)) >= n // 3
            ):
                first.kill()
                return True
            return False

        await until(fake, first, third_delivered, f"{n // 3} DMs were delivered")
        assert await asyncio.wait_for(first.proc.wait(), 5) == -signal.SIGKILL
        await settle(fake)

        delivered = {channels[r.params["channel_id"]].id for r in new_dms(fake, channels)}
        rows = delivery_rows(db)
        pending = {u for u, (state, _, _) in rows.items() if state == "pending"}
        in_flight = delivered & pending  # posted at Discord, but the bot died before it could mark them sent
        print(
            f"\nkilled after {len(delivered)} of {n} DMs; rows {dict(Counter(s for s, _, _ in rows.values()))}; "
            f"{len(in_flight)} posted but still pending; gateway identifies so far: {fake.identifies}"
        )
        assert 0 < len(delivered) < n, f"not mid-fan-out: {len(delivered)} of {n} delivered at the kill"
        assert len(rows) == n and pending, "the whole fan-out is claimed before sending, and the kill left some pending"
        assert in_flight, "the DM whose answer the kill pre-empted must be posted yet pending"
        assert not resends(fake, channels), "no nonce repeat before the crash"

        second = await start_bot(config, RESTART, tmp_path / "second.log")
        await wait_all_sent(second, db, n)
        assert second.proc.returncode is None, "the restarted bot keeps running"
        await second.stop()

        repeats = resends(fake, channels)
        print(
            f"after the restart: {len(new_dms(fake, channels))} DMs posted to {n} users, "
            f"{len(repeats)} resends deduplicated by nonce, {fake.invalid_requests} answered 429"
        )
        assert_each_reminded_once(fake, users, db)
        # Exactly the rows that were posted but not marked sent came again, with the same nonce; none else did.
        assert {channels[r.params["channel_id"]].id for r in repeats} == in_flight and len(repeats) == len(in_flight)
        assert_clean(first, second)
    finally:
        for bot in (first, second):
            if bot is not None:
                bot.kill()
                await bot.proc.wait()
        await fake.close()


async def test_after_an_outage_longer_than_discord_remembers_nonces_nobody_is_reminded_twice(tmp_path):
    """Killed mid-fan-out and back 7 minutes later, when Discord would post a repeat again: the DMs that went out
    unanswered are found in their DM channels and not sent a second time; everyone else is reminded once."""
    n = 60
    fake, users, db, config = await conference(tmp_path, n)
    channels = dm_channels(fake, users)
    first = second = None
    try:
        first = await start_bot(config, DUE, tmp_path / "first.log")

        def third_delivered(r: Request) -> bool:
            if (
                r.kind == "channel_message"
                and not r.deduplicated
                and r.params.get("channel_id") in channels
                and len(new_dms(fake, channels)) >= n // 3
            ):
                first.kill()
                return True
            return False

        await until(fake, first, third_delivered, f"{n // 3} DMs were delivered")
        assert await asyncio.wait_for(first.proc.wait(), 5) == -signal.SIGKILL
        await settle(fake)
        delivered = {channels[r.params["channel_id"]].id for r in new_dms(fake, channels)}
        in_flight = delivered & {u for u, (state, _, _) in delivery_rows(db).items() if state == "pending"}
        assert in_flight, "the DM whose answer the kill pre-empted must be posted yet pending"
        fake.forget_nonces()  # seven minutes on: a repeated nonce would post a second message

        history_before = sum(r.kind == "history" for r in fake.requests)
        second = await start_bot(config, LONG_OUTAGE_RESTART, tmp_path / "second.log")
        await wait_all_sent(second, db, n)
        await second.stop()

        looked = [r for r in fake.requests if r.kind == "history"][history_before:]
        print(
            f"\nkilled after {len(delivered)} of {n} DMs, {len(in_flight)} of them unanswered; the restart looked "
            f"through {len(looked)} DM channels and posted {len(new_dms(fake, channels)) - len(delivered)} DMs"
        )
        assert_each_reminded_once(fake, users, db)
        assert resends(fake, channels) == [], "nothing may rely on Discord's nonce after the outage"
        assert {int(r.params["channel_id"]) for r in looked} >= {fake.dm_channel(u).id for u in in_flight}
        assert_clean(first, second)
    finally:
        for bot in (first, second):
            if bot is not None:
                bot.kill()
                await bot.proc.wait()
        await fake.close()


def _sync(r: Request) -> bool:
    return r.kind == "sync_guild"


def _first_create_dm(r: Request) -> bool:
    return r.kind == "open_dm"


@pytest.mark.parametrize("kill_at", [_sync, _first_create_dm], ids=["at-command-sync", "at-first-create-dm"])
async def test_sigkill_right_after_start_up_then_restart_reminds_everyone_exactly_once(tmp_path, kill_at):
    """A bot killed as it starts, before any reminder went out, reminds everyone exactly once after a restart."""
    n = 40
    fake, users, db, config = await conference(tmp_path, n)
    channels = dm_channels(fake, users)
    first = second = None
    try:
        first = await start_bot(config, DUE, tmp_path / "first.log")

        def kill_now(r: Request) -> bool:
            if kill_at(r):
                first.kill()
                return True
            return False

        await until(fake, first, kill_now, f"a {kill_at.__name__.strip('_')} request")
        assert await asyncio.wait_for(first.proc.wait(), 5) == -signal.SIGKILL
        await settle(fake)
        assert new_dms(fake, channels) == [], "killed before any DM"
        states = Counter(state for state, _, _ in delivery_rows(db).values())
        if kill_at is _first_create_dm:  # the whole fan-out was claimed, none sent
            assert states == {"pending": n}, dict(states)
        else:  # killed before the reminders started: nothing claimed yet
            assert states == {}, dict(states)

        second = await start_bot(config, RESTART, tmp_path / "second.log")
        await wait_all_sent(second, db, n)
        assert second.proc.returncode is None, "the restarted bot keeps running"
        await second.stop()

        assert_each_reminded_once(fake, users, db)
        assert resends(fake, channels) == [], "nothing had been posted, so nothing is a resend"
        assert_clean(first, second)
    finally:
        for bot in (first, second):
            if bot is not None:
                bot.kill()
                await bot.proc.wait()
        await fake.close()


async def test_a_restart_with_reminders_to_catch_up_is_online_while_it_sends_them(tmp_path):
    """A bot started with 100 reminders to send answers slash commands while it sends them, and sends each once."""
    n = 100
    fake, users, db, config = await conference(tmp_path, n)
    channels = dm_channels(fake, users)
    bot = None
    try:
        bot = await start_bot(config, DUE, tmp_path / "bot.log")
        await until(
            fake,
            bot,
            lambda r: r.kind == "channel_message" and r.params.get("channel_id") in channels,
            "the first reminder DM",
        )
        await fake.wait_for_gateway(lambda f: f.get("op") == 2, timeout=WAIT)  # IDENTIFY: online
        interaction = await fake.slash("tracks", user=users[0])
        reply = await fake.wait_for_response(interaction)
        sent_by_then = len(new_dms(fake, channels))
        assert reply.callback_type == 4 and "Tracks" in reply.embeds[0]["title"]
        assert sent_by_then < n, f"the command was answered only after all {n} reminders were out"
        await wait_all_sent(bot, db, n)
        await bot.stop()
        assert_each_reminded_once(fake, users, db)
        assert_clean(bot)
    finally:
        if bot is not None:
            bot.kill()
            await bot.proc.wait()
        await fake.close()
