"""Reminder benchmark: a 10,000-user fan-out against Discord's rate limit, APScheduler lateness, start-up with 100,000 stars.

Run: .venv/bin/python bench/bench_reminders.py [--full] [--users 10000] [--stars 100000] [--sessions 10000]

Real time and real database files in a temporary directory (WAL, as in production). The sender is the tests'
in-memory RecordingSender (tests/doubles.py, which renders each notice as the console would) behind a token bucket that lets through `rate` sends per second, evenly spaced (no burst), like
Discord's global limit of 50 requests a second as a front end's HTTP client enforces it.

Figures:
  fan-out      time from the due instant to the last reminder delivered, and the rate achieved as a share of
               the limit (target >= 90 %). 10,000 DMs at 50/s take 200 s, so by default the full 10,000 run at
               a 5x limit (the pipeline's headroom) and 2,000 at exactly 50/s; --full runs 10,000 at 50/s.
  lateness     single reminders fired by a started AsyncIOScheduler over a short horizon: send time minus
               due time (target p99 < 1 s).
  start-up     ReminderService.start() with 100,000 stars over 10,000 sessions in a real file, first start and
               restart (target < 2 s), and the process's peak RSS afterwards (target < 200 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import FixedClock, SystemClock
from bot.core.model import Session
from bot.core.notices import Notice
from bot.core.programme import Catalog
from bot.core.reminders import ReminderService
from bot.core.scheduling import Jobs
from bot.core.storage import Storage
from tests.doubles import RecordingSender
from tests.seed import star_many

TZ = ZoneInfo("Asia/Shanghai")
LEAD = timedelta(minutes=10)


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def catalog_of(sessions: list[Session]) -> Catalog:
    return Catalog(TZ, sorted(sessions, key=lambda s: (s.start, s.id)), {}, [], [], [], [])


def talk(sid: str, start: datetime, room: str = "Lighthouse Hall") -> Session:
    return Session(
        id=sid,
        path=f"{sid}.md",
        title=f"Small Models on Small Machines #{sid}",
        start=start,
        end=start + timedelta(minutes=40),
        track="ai",
        room=room,
    )


class RateLimitedSender(RecordingSender):
    """A RecordingSender behind an evenly spaced token bucket; notes when each message was delivered."""

    def __init__(self, rate: float):
        super().__init__()
        self.interval = 0.0 if rate == float("inf") else 1.0 / rate
        self._next = 0.0
        self.delivered_at: list[float] = []  # time.monotonic() of each delivery

    async def _take(self) -> None:
        now = time.monotonic()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)

    async def send_dm(self, user_id: int, notice: Notice, *, lang: str, nonce: str) -> int | None:
        await self._take()
        out = await super().send_dm(user_id, notice, lang=lang, nonce=nonce)
        self.delivered_at.append(time.monotonic())
        return out


# ---------------------------------------------------------------- fan-out


async def fan_out(tmp: Path, users: int, rate: float) -> dict[str, float]:
    path = tmp / f"fanout-{users}-{rate}.db"
    store = await Storage.open(path)
    try:
        due_real = datetime.now(UTC) + timedelta(seconds=1)
        start = due_real + LEAD
        programme = catalog_of([talk("keynote", start)])
        await star_many(store, [(10**17 + u, "keynote") for u in range(users)], datetime.now(UTC))
        sender = RateLimitedSender(rate)
        svc = ReminderService(
            storage=store, catalog_getter=lambda: programme, clock=SystemClock(), sender=sender, default_lead=LEAD
        )
        await svc.start()
        assert sender.calls == 0
        t0 = time.monotonic()
        report = await svc.run_due(start - LEAD)  # the instant it falls due
        t_done = time.monotonic() - t0
        t_last = sender.delivered_at[-1] - t0
        assert report.sent_dm == users and sender.dm_count() == users, report
        assert await store.pending_deliveries() == []
        await svc.stop()
    finally:
        await store.close()
    achieved = users / t_last
    return {
        "users": users,
        "rate": rate,
        "last_delivered_s": t_last,
        "run_done_s": t_done,
        "achieved": achieved,
        "share": achieved / rate,
    }


# ---------------------------------------------------------------- APScheduler lateness


async def lateness(tmp: Path, n: int, horizon_s: float, background: int) -> dict[str, float]:
    """n sessions, one stargazer each, whose reminders fall due spread over the next `horizon_s` seconds,
    amid `background` later sessions with ten stars each (so every run looks at a full-size plan)."""
    path = tmp / "lateness.db"
    store = await Storage.open(path)
    scheduler = AsyncIOScheduler(timezone=UTC)
    try:
        base = datetime.now(UTC) + timedelta(seconds=3)
        rng = random.Random(3)
        dues = sorted(base + timedelta(seconds=rng.uniform(0, horizon_s)) for _ in range(n))
        sessions = [talk(f"s{i}", due + LEAD) for i, due in enumerate(dues)]
        later = base + timedelta(days=1)
        sessions += [talk(f"bg{i}", later + timedelta(minutes=i % 600)) for i in range(background)]
        programme = catalog_of(sessions)
        stars = [(1000 + i, f"s{i}") for i in range(n)]
        stars += [(10**6 + rng.randrange(10_000), f"bg{i}") for i in range(background) for _ in range(10)]
        await star_many(store, stars, datetime.now(UTC))
        sent_at: dict[int, datetime] = {}

        class Stamping(RecordingSender):
            async def send_dm(self, user_id: int, notice: Notice, *, lang: str, nonce: str) -> int | None:
                sent_at[user_id] = datetime.now(UTC)
                return await super().send_dm(user_id, notice, lang=lang, nonce=nonce)

        sender = Stamping()
        svc = ReminderService(
            storage=store,
            catalog_getter=lambda: programme,
            clock=SystemClock(),
            sender=sender,
            default_lead=LEAD,
            scheduler=Jobs(scheduler, SystemClock()),
        )
        scheduler.start()
        await svc.start()
        deadline = time.monotonic() + horizon_s + 10
        while len(sent_at) < n and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        await svc.stop()
    finally:
        scheduler.shutdown(wait=False)
        await store.close()
    late = sorted((sent_at[1000 + i] - dues[i]).total_seconds() for i in range(n) if 1000 + i in sent_at)
    assert len(late) == n, f"only {len(late)} of {n} reminders were sent"
    q = statistics.quantiles(late, n=100, method="inclusive")
    return {
        "n": n,
        "horizon_s": horizon_s,
        "p50": statistics.median(late),
        "p99": q[98],
        "max": late[-1],
        "min": late[0],
    }


# ---------------------------------------------------------------- start-up


async def startup(tmp: Path, n_stars: int, n_sessions: int, n_users: int) -> dict[str, float]:
    path = tmp / "startup.db"
    day1 = datetime(2026, 8, 7, 9, 0, tzinfo=TZ)
    rng = random.Random(7)
    sessions = [
        talk(f"s-{i}", day1 + timedelta(days=i % 3, minutes=10 * (i // 3 % 60)), room=f"Room {i % 40}")
        for i in range(n_sessions)
    ]
    programme = catalog_of(sessions)
    pairs: set[tuple[int, str]] = set()
    while len(pairs) < n_stars:
        pairs.add((rng.randint(1, n_users), f"s-{rng.randrange(n_sessions)}"))
    store = await Storage.open(path)
    await star_many(store, pairs, day1 - timedelta(days=10))
    for u in range(1, n_users + 1, 10):  # one user in ten chose another lead time
        await store.update_settings(u, lead_minutes=5 if u % 20 == 1 else 15)
    await store.close()
    del pairs
    gc.collect()

    clock = FixedClock(day1 - timedelta(days=1))  # the evening before the conference
    figures: dict[str, float] = {}
    for label in ("first_start_s", "restart_s"):
        scheduler = AsyncIOScheduler(timezone=UTC)
        scheduler.start(paused=True)  # a running scheduler, as in production; paused so nothing fires
        t0 = time.perf_counter()
        store = await Storage.open(path)
        svc = ReminderService(
            storage=store,
            catalog_getter=lambda: programme,
            clock=clock,
            sender=RecordingSender(),
            default_lead=LEAD,
            scheduler=Jobs(scheduler, clock),
        )
        await svc.start()
        figures[label] = time.perf_counter() - t0
        figures["jobs"] = len(scheduler.get_jobs())
        t0 = time.perf_counter()
        await svc.replan()
        figures["replan_s"] = time.perf_counter() - t0
        await svc.stop()
        scheduler.shutdown(wait=False)
        await store.close()
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        s = await startup(tmp, args.stars, args.sessions, args.users_startup)
        print(
            f"start-up: {args.stars:,} stars over {args.sessions:,} sessions, {args.users_startup:,} users, "
            f"{int(s['jobs']):,} APScheduler jobs"
        )
        print(f"  first start (snapshot written)   {s['first_start_s']:7.2f} s   (target < 2 s)")
        print(f"  restart                          {s['restart_s']:7.2f} s   (target < 2 s)")
        print(f"  replan (after a /star)           {s['replan_s'] * 1000:7.0f} ms")
        print(f"  peak RSS after start-up          {s['peak_rss_mb']:7.1f} MB  (target < 200 MB)")

        runs = [(args.users, 50.0)] if args.full else [(args.users, 250.0), (2000, 50.0)]
        for users, rate in [*runs, (args.users, float("inf"))]:
            f = await fan_out(tmp, users, rate)
            if rate == float("inf"):
                print(f"fan-out: {users:,} DMs for one talk, no limit (the pipeline alone: claim, send, mark_sent)")
                print(f"  due -> run finished (all marked) {f['run_done_s']:7.2f} s   = {f['achieved']:,.0f} DMs/s")
                continue
            print(f"fan-out: {users:,} DMs for one talk, limit {rate:.0f}/s")
            print(f"  due -> last delivered            {f['last_delivered_s']:7.2f} s   (ideal {users / rate:.2f} s)")
            print(f"  due -> run finished (all marked) {f['run_done_s']:7.2f} s")
            print(
                f"  achieved rate                    {f['achieved']:7.1f}/s = {f['share'] * 100:.1f} % of the limit (target >= 90 %)"
            )
        if not args.full:
            print(f"  ({args.users:,} at 50/s would take >= {args.users / 50:.0f} s; --full runs it)")

        lt = await lateness(tmp, args.lateness_n, args.horizon, args.sessions)
        print(
            f"lateness: {lt['n']} single reminders fired by a started AsyncIOScheduler over {lt['horizon_s']:.0f} s, "
            f"amid {args.sessions:,} later sessions"
        )
        print(
            f"  p50 {lt['p50'] * 1000:6.1f} ms   p99 {lt['p99'] * 1000:6.1f} ms   max {lt['max'] * 1000:6.1f} ms   (target p99 < 1 s)"
        )
        print(f"peak RSS of the whole bench        {peak_rss_mb():7.1f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="run the 10,000-user fan-out at exactly 50/s (about 200 s)")
    ap.add_argument("--users", type=int, default=10_000, help="stargazers of the talk in the fan-out")
    ap.add_argument("--stars", type=int, default=100_000)
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--users-startup", type=int, default=10_000)
    ap.add_argument("--lateness-n", type=int, default=200)
    ap.add_argument("--horizon", type=float, default=10.0, help="seconds over which the lateness reminders fall due")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
