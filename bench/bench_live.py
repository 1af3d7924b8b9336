"""How late room posts go out, and what a conference day of them costs against Discord's rate limits.

For each real programme in shared/corpora, its busiest day: every room gets a channel (sessions without a room
go to their track's channel), threads on, lead 5 minutes. The real DiscordSender (discord.py, with the bot's
pacer) posts through the fake Discord on loopback, which enforces Discord's 50 requests a second.

- stepped: the clock is set to each instant something falls due (a post, or a thread to archive) and the
  service runs at once, so the figures are the bot's own work and pacing, not waiting: for each post, how long
  after its due instant the fake received it (p50, p99), as a ratio to a single post alone measured in the same
  run; and the day's requests by kind, the largest burst at one instant, how long the pacer takes to send it,
  and what share of Discord's global 50/s and per-channel 5 messages per 5 s that is.
- scheduled (2026 only, --scheduled): the same day's busiest two hours on a clock sped up 600 times, woken by
  APScheduler as the bot runs, so the lateness includes the scheduler's wake-up (in real milliseconds).

    .venv/bin/python bench/bench_live.py [--scheduled]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App
from bot.clock import FixedClock, RunningClock, elapsed
from bot.config import Config
from bot.core.delivery import Pacer
from bot.core.live import LiveService, Places
from bot.core.programme import Catalog
from bot.core.scheduling import Jobs
from bot.core.storage import Storage
from bot.frontends.discord.client import ConfBot
from tests.fakediscord.harness import running_bot
from tests.fakediscord.models import Perm
from tests.fakediscord.server import FakeDiscord
from tests.paths import CORPORA, PROGRAMMES

SEND_RATE = Pacer().rate  # the pace the bot's one pacer grants when busy
SHANGHAI = ZoneInfo("Asia/Shanghai")
LEAD = timedelta(minutes=5)
DISCORD_GLOBAL = 50  # requests per second, the whole bot
CHANNEL_MESSAGES = 5  # messages per 5 seconds in one channel
SPEED = 600.0


def percentile(values: list[float], fraction: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(fraction * (len(s) - 1))))]


def busiest_day(catalog: Catalog) -> date:
    return Counter(s.start.astimezone(catalog.tz).date() for s in catalog.scheduled).most_common(1)[0][0]


def day_only(catalog: Catalog, day: date) -> Catalog:
    """The programme of one day, as the loader would build it."""
    sessions = [s for s in catalog.sessions if s.start is not None and s.start.astimezone(catalog.tz).date() == day]
    return Catalog(catalog.tz, sessions, catalog.tracks, catalog.rooms, [day], [], [])


def channel_names(catalog: Catalog) -> tuple[dict[str, str], dict[str, str]]:
    """A channel name for every room of the day, and for every track with a session that has no room."""
    rooms = {room: f"room-{i}" for i, room in enumerate(sorted({s.room for s in catalog.sessions if s.room}))}
    tracks = {t: f"track-{i}" for i, t in enumerate(sorted({s.track for s in catalog.sessions if not s.room}))}
    return rooms, tracks


def prepared_fake(catalog: Catalog) -> tuple[FakeDiscord, dict[str, str], dict[str, str]]:
    rooms, tracks = channel_names(catalog)
    fake = FakeDiscord(channels=("general", "announcements", *rooms.values(), *tracks.values()), members={})
    bot_role = next(r for r in fake.guild.roles.values() if r.bot_id is not None)
    bot_role.permissions |= Perm.CREATE_PUBLIC_THREADS | Perm.MANAGE_THREADS | Perm.SEND_MESSAGES_IN_THREADS
    return fake, rooms, tracks


def make_bot(config: Config, clock: FixedClock | RunningClock):
    def factory(fake: FakeDiscord) -> ConfBot:
        d = config.discord
        d.api_base, d.gateway_url, d.guild_id = fake.api_base, fake.gateway_url, fake.guild_id
        return ConfBot(App(config, clock), runtime=False, sync=False, watch=False, guild_ready_timeout=0.05)

    return factory


def corpus_config(name: str, db: Path) -> Config:
    config = Config(sessions_dir=CORPORA / name / "sessions", tracks_dir=CORPORA / name / "tracks", database=db)
    config.timezone = SHANGHAI
    return config


def live_for(bot: ConfBot, storage: Storage, catalog: Catalog, fake: FakeDiscord, rooms, tracks, clock, jobs=None):
    return LiveService(
        storage=storage,
        catalog_getter=lambda: catalog,
        clock=clock,
        sender=bot.sender,
        places=Places(
            {room: fake.channel(name).id for room, name in rooms.items()},
            {track: fake.channel(name).id for track, name in tracks.items()},
        ),
        lead=LEAD,
        threads=True,
        scheduler=jobs,
    )


def whole_programme(config: Config, clock: FixedClock) -> Catalog:
    """The programme as the bot reads it; its start-up cache is written before the folder goes away."""
    app = App(config, clock)
    app.programme.close()
    return app.catalog


async def stepped(name: str) -> dict[str, object]:
    """One programme's busiest day, stepped instant by instant."""
    with tempfile.TemporaryDirectory() as tmp:
        config = corpus_config(name, Path(tmp) / "bench.db")
        clock = FixedClock(datetime(2000, 1, 1, tzinfo=SHANGHAI))
        full = whole_programme(config, clock)
        day = busiest_day(full)
        catalog = day_only(full, day)
        fake, rooms, tracks = prepared_fake(catalog)
        async with fake, running_bot(make_bot(config, clock), fake=fake, wait_for_sync=False) as (_, bot):
            assert isinstance(bot, ConfBot)
            async with await Storage.open(Path(tmp) / "live.db") as storage:
                live = live_for(bot, storage, catalog, fake, rooms, tracks, clock)
                first = min(s.start for s in catalog.scheduled)
                clock.set(first - LEAD - timedelta(minutes=1))
                await live.start()
                instants = sorted({p.due_at for p in live.plan()} | {s.end for s in catalog.scheduled})
                mark = len(fake.requests)
                lateness: list[float] = []
                single: list[float] = []
                bursts: list[int] = []
                per_channel: Counter[tuple[str, datetime]] = Counter()
                for t in instants:
                    if bursts and bursts[-1]:
                        await asyncio.sleep(1 / SEND_RATE)  # minutes pass between instants: the pacer is idle again
                    clock.set(t)
                    begun = len(fake.requests)
                    t0 = time.perf_counter()
                    await live.run_due(t)
                    made = fake.requests[begun:]
                    bursts.append(len(made))
                    posts = [r for r in made if r.kind == "channel_message"]
                    for r in posts:
                        lateness.append((r.at - t0) * 1000)
                        per_channel[(r.params.get("channel_id", ""), t)] += 1
                    if len(posts) == 1:
                        single.append((posts[0].at - t0) * 1000)
                kinds = Counter(r.kind for r in fake.requests[mark:])
                rejected = sum(1 for r in fake.requests[mark:] if r.status >= 400)
        sessions = len(catalog.scheduled)
        return {
            "name": name,
            "day": day,
            "sessions": sessions,
            "channels": len(rooms) + len(tracks),
            "lateness": lateness,
            "single": single,
            "kinds": kinds,
            "burst": max(bursts, default=0),
            "per_channel": max(per_channel.values(), default=0),
            "rejected": rejected,
        }


async def scheduled(name: str) -> list[float]:
    """The busiest two hours of the day on a clock sped up SPEED times, woken by APScheduler as the bot runs."""
    with tempfile.TemporaryDirectory() as tmp:
        config = corpus_config(name, Path(tmp) / "bench.db")
        full = whole_programme(config, FixedClock(datetime(2000, 1, 1, tzinfo=SHANGHAI)))
        catalog = day_only(full, busiest_day(full))
        starts = Counter(s.start for s in catalog.scheduled)
        window_start = max(starts, key=lambda t: sum(n for s, n in starts.items() if t <= s < t + timedelta(hours=2)))
        begin, end = window_start - LEAD - timedelta(minutes=1), window_start + timedelta(hours=2)
        clock = RunningClock(begin, SPEED)
        perf0 = time.perf_counter()
        fake, rooms, tracks = prepared_fake(catalog)
        scheduler = AsyncIOScheduler()
        async with fake, running_bot(make_bot(config, clock), fake=fake, wait_for_sync=False) as (_, bot):
            assert isinstance(bot, ConfBot)
            scheduler.start()
            try:
                async with await Storage.open(Path(tmp) / "live.db") as storage:
                    live = live_for(bot, storage, catalog, fake, rooms, tracks, clock, Jobs(scheduler, clock))
                    mark = len(fake.requests)
                    await live.start()
                    while clock.now() < end:
                        await asyncio.sleep(0.01)
                    scheduler.shutdown(wait=False)
                    await live.stop()
                    due = {p.due_at for p in live.plan(begin) if begin < p.due_at < end}
                    posts = [r for r in fake.requests[mark:] if r.kind == "channel_message"]
            finally:
                if scheduler.running:
                    scheduler.shutdown(wait=False)
        # each post against the real instant at which the sped-up clock reached its due time
        out = []
        for r in posts:
            at_clock = begin + timedelta(seconds=(r.at - perf0) * SPEED)
            owner = max((d for d in due if d <= at_clock + timedelta(seconds=SPEED * 0.005)), default=None)
            if owner is not None:
                due_perf = perf0 + elapsed(begin, owner).total_seconds() / SPEED
                out.append(max(0.0, (r.at - due_perf) * 1000))
        return out


def report(results: list[dict[str, object]], clocked: list[float] | None) -> None:
    print("Room posts over each real programme's busiest day (lead 5 min, threads on), through the fake Discord:")
    print()
    all_late: list[float] = []
    all_single: list[float] = []
    for r in results:
        late = r["lateness"]
        single = r["single"]
        assert isinstance(late, list) and isinstance(single, list)
        kinds = r["kinds"]
        assert isinstance(kinds, Counter)
        burst = r["burst"]
        assert isinstance(burst, int)
        all_late += late
        all_single += single
        total = sum(kinds.values())
        print(
            f"{r['name']}  {r['day']}  {r['sessions']} sessions, {r['channels']} channels: "
            f"{kinds['channel_message']} posts + {kinds['start_thread']} threads + {kinds['edit_channel']} archives "
            f"= {total} requests ({total / max(1, int(str(r['sessions']))):.2f} per session), "
            f"{r['rejected']} refused"
        )
        print(
            f"    lateness p50 {statistics.median(late):6.1f} ms  p99 {percentile(late, 0.99):6.1f} ms  "
            f"max {max(late):6.1f} ms;  largest burst {burst} requests at one instant = "
            f"{burst / SEND_RATE:.2f} s at the pacer's {SEND_RATE:g}/s ({burst / DISCORD_GLOBAL:.0%} of one second "
            f"of Discord's {DISCORD_GLOBAL}/s);  at most {r['per_channel']} post per channel at once "
            f"(Discord allows {CHANNEL_MESSAGES} per 5 s)"
        )
    baseline = statistics.median(all_single) if all_single else float("nan")
    print()
    print(
        f"all days: lateness p50 {statistics.median(all_late):.1f} ms, p99 {percentile(all_late, 0.99):.1f} ms; "
        f"a post alone (baseline, same run) {baseline:.1f} ms: p50 x{statistics.median(all_late) / baseline:.1f}, "
        f"p99 x{percentile(all_late, 0.99) / baseline:.1f}"
    )
    if clocked:
        print(
            f"scheduled ({PROGRAMMES[-1]}, busiest two hours at {SPEED:g}x, APScheduler waking the bot): "
            f"{len(clocked)} posts, lateness p50 {statistics.median(clocked):.1f} ms, "
            f"p99 {percentile(clocked, 0.99):.1f} ms (real time)"
        )


async def main(with_schedule: bool) -> int:
    results = [await stepped(name) for name in PROGRAMMES]
    clocked = await scheduled(PROGRAMMES[-1]) if with_schedule else None
    report(results, clocked)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheduled", action="store_true", help="also run two hours on a sped-up clock")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.scheduled)))
