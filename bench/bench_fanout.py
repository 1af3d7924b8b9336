"""Reminders for the talks everyone starred, through the real discord.py bot and the fake Discord at 50 requests a second.

    .venv/bin/python bench/bench_fanout.py [--users 10000] [--others 2000] [--speed 1] [--only cold|warm|ahead]
                                           [--ahead] [--singles 30]

Fan-out: `--users` attendees (default 10,000) star one talk and `--others` (default 2,000) another that starts
the same minute; the real ConfBot runs in-process against the fake Discord on loopback (Discord's global limit
of 50 requests in any second, answered with 429 + retry_after), with a real APScheduler and a clock that runs
on from before the reminders' window, so the bot decides on its own when to start sending.  Runs:
  cold: no DM channel known and none opened ahead (a fresh database, preparation off): each reminder costs
        a create-DM request and the message, and the window is planned for both;
  warm: every DM channel known (opened ahead, as the bot does when people star): one request per reminder;
  ahead (--ahead): a fresh database, the bot started 5 s before the cold window with preparation on: it
        opens DM channels with the capacity nothing else wants and moves the window later as it goes.
Printed for each: how early the first and last DM arrived before their due time (goal: the last one not
late), the planned margin (how long before the due time sending starts), the requests per second the bot
spent against Discord's limit over the fan-out (goal >= 95 %), and the 429s (goal 0).

`--speed K` runs K times faster than real time: the fake allows 50 requests per 1/K s, the bot's clock runs
K times as fast and its pacer spends the same budget (guard scaled too), so the planning is checked in
minutes instead of a quarter of an hour; the figures to report are those at --speed 1 (the default), where
the pacer is exactly the production one and the jitter it absorbs is real.

Single reminders: `--singles` talks (default 30) due one second apart, one stargazer each, sent by the bot's
own scheduler: how early each DM arrives before its due time (goal: none late; each before by at most its
small margin, about 2 s).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import App
from bot.clock import RunningClock
from bot.config import Config
from bot.core.delivery import Pacer
from bot.core.delivery.pacer import GUARD
from bot.core.reminders import ReminderService
from bot.core.storage import Storage
from bot.frontends.discord.client import ConfBot
from tests.fakediscord.harness import running_bot
from tests.fakediscord.models import FakeUser
from tests.fakediscord.server import FakeDiscord, Request
from tests.seed import star_many

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIMIT = 50  # requests per second, the fake's global bucket (Discord's)
RATE_TARGET = 0.95
LEAD = timedelta(minutes=10)
START = datetime(2026, 8, 7, 10, 0, tzinfo=SHANGHAI)  # both talks start then: their reminders are due at 9:50

SESSION_FILE = """---
title: "{title}"
date: "{date}"
track: "ai"
presenters: "Probe Speaker"
stype: "English Session"
room: "{room}"
---
A talk that many people starred.
"""


def write_sessions(folder: Path, talks: dict[str, datetime]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, (sid, start) in enumerate(talks.items()):
        text = SESSION_FILE.format(
            title=f"Talk {sid}", date=start.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M:%S"), room=f"Hall {i}"
        )
        (folder / f"{sid}.md").write_text(text, encoding="utf-8")


def configure(fake: FakeDiscord, db: Path, sessions: Path) -> Config:
    cfg = Config()
    cfg.database = db
    cfg.sessions_dir = sessions
    cfg.tracks_dir = None
    cfg.reminders.lead = LEAD
    cfg.reminders.delivery = "dm"
    cfg.discord.api_base = fake.api_base
    cfg.discord.gateway_url = fake.gateway_url
    cfg.discord.guild_id = fake.guild_id
    return cfg


def people(fake: FakeDiscord, first_id: int, n: int) -> list[int]:
    """Attendees the fake knows (without a member event each: the bot asks for no member list)."""
    ids = list(range(first_id, first_id + n))
    for uid in ids:
        fake.guild.users[uid] = FakeUser(uid, f"attendee{uid}")
    return ids


def reminders(bot: ConfBot) -> ReminderService:
    service = bot.app.services.reminders
    assert service is not None, "the bot runs no reminder service"
    return service


@dataclass
class FanOut:
    label: str
    dms: int
    expected: int
    margin_s: float  # planned at start: how long before due sending starts
    final_margin_s: float  # as planned when the last DM went (DM channels opened ahead shorten it)
    first_s: float  # first DM before due (positive: early)
    last_s: float  # last DM before due (negative: late)
    busy_s: float  # real seconds from the first request of the fan-out to the last DM
    accepted: int  # requests answered 2xx in that time
    open_dm: int
    opened_ahead: int  # DM channels opened before the window, with spare capacity
    rejected_429: int
    speed: float

    def lines(self) -> list[str]:
        share = self.accepted / (self.busy_s * LIMIT * self.speed) if self.busy_s else 0.0
        late = -self.last_s
        return [
            f"{self.label}: {self.dms:,} of {self.expected:,} DMs; planned margin {self.margin_s:.1f} s before due"
            + (
                f" at start, {self.final_margin_s:.1f} s by the time it sent"
                if self.final_margin_s != self.margin_s
                else ""
            ),
            f"  first DM {self.first_s:.1f} s before due, last DM "
            + (
                f"{self.last_s:.1f} s before due (goal: none late: met)"
                if late <= 0
                else f"{late:.1f} s LATE (goal: none late: MISSED)"
            ),
            f"  requests accepted while sending: {self.accepted:,} ({self.open_dm:,} create-DM), "
            f"{share:.1%} of the {LIMIT}/s limit (goal >= {RATE_TARGET:.0%}: {'met' if share >= RATE_TARGET else 'MISSED'}); "
            f"DM channels opened before the first DM: {self.opened_ahead:,}",
            f"  answered 429: {self.rejected_429} (goal 0: {'met' if self.rejected_429 == 0 else 'MISSED'})",
        ]

    @property
    def ok(self) -> bool:
        share = self.accepted / (self.busy_s * LIMIT * self.speed) if self.busy_s else 0.0
        return self.dms == self.expected and self.last_s >= 0 and share >= RATE_TARGET and self.rejected_429 == 0


async def fan_out(work: Path, label: str, users: int, others: int, speed: float, warm: bool, prepare: bool) -> FanOut:
    fake = FakeDiscord(members={}, rate_limit_per_second=LIMIT, rate_limit_window=1 / speed)
    keynote, panel = people(fake, 10**17, users), people(fake, 2 * 10**17, others)
    sessions = work / f"sessions-{label}"
    write_sessions(sessions, {"keynote": START, "panel": START})
    db = work / f"{label}.db"
    storage = await Storage.open(db)
    try:
        await star_many(
            storage, [(u, "keynote") for u in keynote] + [(u, "panel") for u in panel], START - timedelta(days=2)
        )
        if warm:
            for uid in keynote + panel:
                await storage.remember_dm_channel(uid, fake.dm_channel(uid).id)
    finally:
        await storage.close()
    due = START - LEAD
    pacer = Pacer(limit=LIMIT, window=1 / speed, guard=GUARD / speed)
    requests = (users + others) * (1 if warm else 2)
    planned = timedelta(seconds=requests / (pacer.rate / speed * 0.9) + 2)
    clock = RunningClock(due - planned - timedelta(seconds=5), speed=speed)  # just before the window

    def make_bot(fake: FakeDiscord) -> ConfBot:
        bot = ConfBot(App(configure(fake, db, sessions), clock), watch=False, guild_ready_timeout=0.05)
        bot.sender.pacer = pacer
        assert bot.runtime is not None
        bot.runtime.prepare_dms = prepare
        return bot

    channels = {str(fake.dm_channel(u).id) for u in keynote + panel}
    expected = users + others
    pc0 = time.perf_counter()
    t0 = clock.now()
    margin = final = 0.0
    async with running_bot(make_bot, fake=fake, check_violations=False, ready_timeout=60) as (_, bot):
        assert isinstance(bot, ConfBot)
        await bot.app.services.caught_up()
        jobs = [j for j in reminders(bot).plan() if j.session_id in ("keynote", "panel")]
        margin = final = max(j.margin.total_seconds() for j in jobs)
        deadline = time.monotonic() + (planned.total_seconds() + 120) / speed
        dms: list[Request] = []
        while time.monotonic() < deadline:
            dms = [
                r
                for r in fake.requests
                if r.kind == "channel_message" and r.ok and r.params.get("channel_id") in channels
            ]
            if len(dms) >= expected:
                break
            await asyncio.sleep(0.25)
        final = max(j.margin.total_seconds() for j in reminders(bot).plan() if j.session_id in ("keynote", "panel"))
    on_clock = sorted(t0 + timedelta(seconds=(r.recorded_at - pc0) * speed) for r in dms)
    first_dm = min((r.at for r in dms), default=pc0)
    last_dm = max((r.recorded_at for r in dms), default=pc0)
    busy = [r for r in fake.requests if first_dm <= r.at <= last_dm]
    opened_ahead = sum(1 for r in fake.requests if r.kind == "open_dm" and r.ok and r.at < first_dm)
    reminders_opened = sum(1 for r in busy if r.kind == "open_dm" and r.ok)
    return FanOut(
        label=label,
        dms=len(dms),
        expected=expected,
        margin_s=margin,
        final_margin_s=final,
        first_s=(due - on_clock[0]).total_seconds() if on_clock else float("nan"),
        last_s=(due - on_clock[-1]).total_seconds() if on_clock else float("nan"),
        busy_s=last_dm - first_dm,
        accepted=sum(1 for r in busy if r.ok),
        open_dm=reminders_opened,
        opened_ahead=opened_ahead,
        rejected_429=sum(1 for r in fake.requests if r.status == 429),
        speed=speed,
    )


# ---------------------------------------------------------------- single reminders


async def singles(work: Path, k: int) -> list[float]:
    """k talks due one second apart, one stargazer each: seconds before due each DM arrived (negative: late)."""
    fake = FakeDiscord(members={})
    users = people(fake, 3 * 10**17, k)
    clock = RunningClock(datetime.now(UTC))  # real time, readable from here
    first_due = clock.now().replace(microsecond=0) + timedelta(seconds=8)
    due = {f"probe-{i:03d}": first_due + timedelta(seconds=i) for i in range(k)}
    sessions = work / "sessions-singles"
    write_sessions(sessions, {sid: at + LEAD for sid, at in due.items()})
    db = work / "singles.db"
    storage = await Storage.open(db)
    try:
        await star_many(storage, [(u, f"probe-{i:03d}") for i, u in enumerate(users)], clock.now())
    finally:
        await storage.close()
    channel_of = {str(fake.dm_channel(u).id): f"probe-{i:03d}" for i, u in enumerate(users)}

    def make_bot(fake: FakeDiscord) -> ConfBot:
        return ConfBot(App(configure(fake, db, sessions), clock), watch=False, guild_ready_timeout=0.05)

    got: dict[str, Request] = {}
    async with running_bot(make_bot, fake=fake, check_violations=False) as (_, bot):
        assert isinstance(bot, ConfBot)
        await bot.app.services.caught_up()
        deadline = time.monotonic() + (max(due.values()) - clock.now()).total_seconds() + 10
        while len(got) < k and time.monotonic() < deadline:
            for r in fake.requests:
                sid = channel_of.get(r.params.get("channel_id", ""))
                if r.kind == "channel_message" and sid is not None and sid not in got:
                    got[sid] = r
            await asyncio.sleep(0.05)
    offset = clock.now() - timedelta(seconds=time.perf_counter())
    return sorted((due[sid] - (offset + timedelta(seconds=r.recorded_at))).total_seconds() for sid, r in got.items())


# ---------------------------------------------------------------- main


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.ERROR)
    import discord

    ok = True
    print(
        f"discord.py {discord.__version__}; fake Discord on 127.0.0.1 enforcing {LIMIT} requests/s (429 + retry_after)"
        + (f"; {args.speed:g}x real time" if args.speed != 1 else "")
    )
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        work = Path(tmp)
        runs = [("cold", False, False), ("warm", True, False)] + ([("ahead", False, True)] if args.ahead else [])
        for label, warm, prepare in runs:
            if args.only not in (None, label):
                continue
            t = time.perf_counter()
            result = await fan_out(work, label, args.users, args.others, args.speed, warm, prepare)
            print("\n".join(result.lines()))
            print(f"  ({time.perf_counter() - t:.0f} s of real time)")
            ok &= result.ok
        if args.singles:
            early = await singles(work, args.singles)
            if early:
                print(
                    f"single reminders ({len(early)}, one second apart, create-DM + message each): DM arrived "
                    f"{statistics.median(early):.2f} s before due (median), {early[0]:.2f} s at the latest, "
                    f"{early[-1]:.2f} s at the earliest (goal: none late: {'met' if early[0] >= 0 else 'MISSED'})"
                )
                ok &= early[0] >= 0 and len(early) == args.singles
            else:
                print("single reminders: none arrived")
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10_000, help="stargazers of the first talk (default 10,000)")
    parser.add_argument("--others", type=int, default=2_000, help="stargazers of the second talk, same minute (2,000)")
    parser.add_argument("--speed", type=float, default=1.0, help="times faster than real time (default 1: the figures)")
    parser.add_argument("--only", choices=("cold", "warm", "ahead"), help="run one of the fan-outs")
    parser.add_argument("--ahead", action="store_true", help="also run cold with DM channels opened ahead")
    parser.add_argument("--singles", type=int, default=30, help="single reminders timed (default 30; 0: none)")
    sys.exit(asyncio.run(main(parser.parse_args())))
