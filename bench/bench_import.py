"""Bench: reading a 10,000-session pretalx/frab schedule.json (c3voc schema), against json.load of the same file.

1. Load: the file read into a served Catalog (DocumentLoader: read, recognise, parse, sessions, catalog), against
   `json.loads(path.read_bytes())` of the same file, the floor no reader can beat, measured in the same run:
   the ratio (median of the repeats).
2. Reload of a new version with one session moved: the same work again, and how many session objects were kept.

Run: .venv/bin/python bench/bench_import.py [--sessions 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.programme.document import DocumentLoader
from bot.core.programme.remote import FileOrigin

TZ = ZoneInfo("Europe/Berlin")
WORDS = [
    "hacking",
    "privacy",
    "radio",
    "satellite",
    "kernel",
    "rust",
    "firmware",
    "mesh",
    "energy",
    "archive",
    "protocol",
    "open",
    "data",
    "climate",
]
TRACKS = ["Security", "Hardware", "Ethics, Society & Politics", "Art & Beauty", "Science", "CCC & Community"]


def schedule(n: int, seed: int = 11, moved: int | None = None) -> dict:
    """A congress-like schedule.json: 5 days, 40 rooms, events of 30-120 minutes, people with biographies."""
    rng = random.Random(seed)
    rooms = [f"Room {i:02d}" for i in range(40)]
    days = []
    per_day = n // 5 + 1
    for d in range(5):
        date = datetime(2025, 12, 27, tzinfo=TZ) + timedelta(days=d)
        by_room: dict[str, list[dict]] = {r: [] for r in rooms}
        for k in range(per_day):
            i = d * per_day + k
            if i >= n:
                break
            room = rooms[k % len(rooms)]
            start = date.replace(hour=10) + timedelta(minutes=15 * (k // len(rooms)))
            if i == moved:
                start += timedelta(hours=2)
            title = " ".join(rng.choice(WORDS).capitalize() for _ in range(5))
            by_room[room].append(
                {
                    "guid": f"{i:08d}-0000-4000-8000-{seed:012d}",
                    "code": f"E{i:05d}",
                    "id": i + 1,
                    "date": start.isoformat(),
                    "start": start.strftime("%H:%M"),
                    "duration": f"{rng.choice([0, 1, 1, 2])}:{rng.choice(['00', '30', '45'])}",
                    "room": room,
                    "slug": f"e{i}",
                    "url": f"https://events.example.org/e/{i}",
                    "title": title,
                    "subtitle": None,
                    "track": rng.choice(TRACKS),
                    "type": "Talk",
                    "language": rng.choice(["en", "de"]),
                    "abstract": " ".join(rng.choice(WORDS) for _ in range(60)),
                    "description": " ".join(rng.choice(WORDS) for _ in range(120)),
                    "persons": [
                        {
                            "guid": f"p{i}-{j}",
                            "name": f"Person {i}-{j}",
                            "public_name": f"Person {i}-{j}",
                            "biography": "x" * 200,
                        }
                        for j in range(rng.choice([1, 1, 2, 3]))
                    ],
                    "links": [{"url": f"https://slides.example.org/{i}.pdf", "title": "Slides"}],
                }
            )
        days.append({"index": d, "date": date.date().isoformat(), "day_start": "", "day_end": "", "rooms": by_room})
    conference = {"acronym": "bench", "title": "Bench Congress", "time_zone_name": "Europe/Berlin", "days": days}
    return {"schedule": {"version": "1", "conference": conference}}


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schedule.json"
        path.write_text(json.dumps(schedule(args.sessions)), encoding="utf-8")
        size = path.stat().st_size
        floor = median_seconds(lambda: json.loads(path.read_bytes()), args.repeat)

        def load() -> object:
            catalog = DocumentLoader(FileOrigin(path), TZ).load()
            assert len(catalog.sessions) == args.sessions, (len(catalog.sessions), catalog.problems[:3])
            return catalog

        ours = median_seconds(load, args.repeat)
        print(f"schedule.json: {args.sessions:,} sessions, {size / 1e6:.1f} MB")
        print(f"  json.loads (floor)        {floor * 1000:8.1f} ms")
        print(f"  DocumentLoader.load       {ours * 1000:8.1f} ms   ratio {ours / floor:.2f}x the floor")

        loader = DocumentLoader(FileOrigin(path), TZ)
        first = loader.load()
        path.write_text(json.dumps(schedule(args.sessions, moved=args.sessions // 2)), encoding="utf-8")
        t0 = time.perf_counter()
        second = loader.load(keep_last_good=True)
        reload = time.perf_counter() - t0
        kept = sum(1 for s in second.sessions if first.by_id.get(s.id) is s)
        print(
            f"  reload, one session moved {reload * 1000:8.1f} ms   ratio {reload / floor:.2f}x the floor; "
            f"{kept:,} of {len(second.sessions):,} session objects kept"
        )


if __name__ == "__main__":
    main()
