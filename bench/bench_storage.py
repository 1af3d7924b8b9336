"""Storage benchmark: a large conference's worth of stars and a 10,000-user reminder fan-out (DMs and channel posts).

Run: .venv/bin/python bench/bench_storage.py [--stars 100000] [--sessions 10000] [--users 20000]
Uses a real database file in a temporary directory (WAL, as in production).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.storage import Claim, Storage, reminder_key
from tests.seed import star_many

NOW = datetime(2026, 8, 7, 2, 0, tzinfo=UTC)


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def make_stars(n_stars: int, n_sessions: int, n_users: int, hot: int, seed: int = 7) -> list[tuple[int, str]]:
    """`hot` users star session s-0; the rest are spread at random, without duplicates."""
    rng = random.Random(seed)
    pairs: set[tuple[int, str]] = {(u, "s-0") for u in range(1, hot + 1)}
    while len(pairs) < n_stars:
        pairs.add((rng.randint(1, n_users), f"s-{rng.randint(1, n_sessions - 1)}"))
    out = list(pairs)
    rng.shuffle(out)
    return out


async def run(n_stars: int, n_sessions: int, n_users: int, hot: int) -> None:
    pairs = make_stars(n_stars, n_sessions, n_users, hot)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = await Storage.open(path)
        for u in range(1, n_users + 1, 7):  # some users chose another lead time
            await store.update_settings(u, lead_minutes=5)

        t = time.perf_counter()
        added = await star_many(store, pairs, NOW)
        t_insert = time.perf_counter() - t
        assert added == n_stars, added
        await store.close()

        t = time.perf_counter()
        store = await Storage.open(path)
        demand = await store.reminder_demand(10)  # what a start reads to plan every reminder
        t_read = time.perf_counter() - t
        leads = set().union(*demand.values())
        t = time.perf_counter()
        cold = await store.cold_stars()
        t_cold = time.perf_counter() - t
        assert len(cold) == n_stars  # no DM channel known yet

        t = time.perf_counter()
        audience = await store.users_for_reminder("s-0", 10, default_lead=10)
        audience5 = await store.users_for_reminder("s-0", 5, default_lead=10)
        t_audience = time.perf_counter() - t
        assert len(audience) + len(audience5) == hot

        due = NOW + timedelta(hours=3)
        claims = [Claim(u, "s-0", "reminder", reminder_key(due), due) for u in range(1, hot + 1)]
        t = time.perf_counter()
        got = await store.claim_deliveries(claims, now=NOW)
        t_claim = time.perf_counter() - t
        assert len(got) == hot and all(d.pending for d in got)

        t = time.perf_counter()
        again = await store.claim_deliveries(claims, now=NOW)
        t_reclaim = time.perf_counter() - t
        assert [d.id for d in again] == [d.id for d in got]

        t = time.perf_counter()
        for d in got[:1000]:
            await store.note_sending([d.id], due)  # before each DM: when its send began
        t_note = (time.perf_counter() - t) / 1000

        t = time.perf_counter()
        for d in got[:1000]:
            await store.mark_sent(d.id, due, message_id=d.id, channel_id=1)
        t_mark = (time.perf_counter() - t) / 1000

        posts = [(f"post-{i}", [d.id for d in got[1000 + i * 75 : 1000 + (i + 1) * 75]]) for i in range(40)]
        t = time.perf_counter()
        assigned = await store.assign_posts(posts)  # 3,000 channel users in 40 posts, fixed at once
        t_assign = time.perf_counter() - t
        assert sum(len(rows) for rows in assigned.values()) == 3000
        t = time.perf_counter()
        for post, _ in posts:
            await store.mark_post_sent(post, due, message_id=1, channel_id=1)
        t_post = (time.perf_counter() - t) / len(posts)

        t = time.perf_counter()
        pending = await store.pending_deliveries()
        t_pending = time.perf_counter() - t
        assert len(pending) == hot - 4000

        await store.close()
        size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6

    print(f"stars: {n_stars:,} over {n_sessions:,} sessions and {n_users:,} users; hot session {hot:,} stars")
    print(f"  insert all stars (one transaction)      {t_insert * 1000:8.1f} ms")
    print(f"  open + reminder_demand -> leads {sorted(leads)!s:<8} {t_read * 1000:8.1f} ms")
    print(f"  cold_stars (DM channels to open ahead)  {t_cold * 1000:8.1f} ms")
    print(f"  users_for_reminder, both leads ({hot:,})  {t_audience * 1000:8.1f} ms")
    print(f"  claim_deliveries {hot:,} new              {t_claim * 1000:8.1f} ms")
    print(f"  claim_deliveries {hot:,} again (existing) {t_reclaim * 1000:8.1f} ms")
    print(f"  note_sending, per delivery              {t_note * 1e6:8.1f} us")
    print(f"  mark_sent, per delivery                 {t_mark * 1e6:8.1f} us")
    print(f"  assign_posts, 3,000 users in 40 posts   {t_assign * 1000:8.1f} ms")
    print(f"  mark_post_sent, per post of 75          {t_post * 1e6:8.1f} us")
    print(f"  pending_deliveries ({hot - 4000:,})             {t_pending * 1000:8.1f} ms")
    print(f"  database files                          {size_mb:8.1f} MB")
    print(f"  peak RSS                                {peak_rss_mb():8.1f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stars", type=int, default=100_000)
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--users", type=int, default=20_000)
    ap.add_argument("--hot", type=int, default=10_000, help="stars on the most popular session")
    args = ap.parse_args()
    if args.hot > args.users or args.hot > args.stars:
        ap.error("--hot must not exceed --users or --stars")
    asyncio.run(run(args.stars, args.sessions, args.users, args.hot))


if __name__ == "__main__":
    main()
