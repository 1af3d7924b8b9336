"""Benchmark of time input: p50/p99/max per call over the shared table and a wider mixed set, misses included.

Run: .venv/bin/python bench/bench_timeparse.py [--repeat N] [--tsv PATH]

Every expression is parsed --repeat times; each call is timed on its own. Calls that refuse
(TimeParseError) are timed like the rest: a miss that reaches the dateparser fallback is the
slow path worth watching. The very first call that loads dateparser's language data is
reported apart, as "cold".
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.timeparse import TimeParseError, parse

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 8, 7, 10, 0, tzinfo=TZ)
DAYS = (date(2026, 8, 7), date(2026, 8, 8), date(2026, 8, 9))

WIDER = {
    "at": """tonight 8|Tomorrow 3PM|noon tomorrow|midnight|12am|24:00|tomorrow at 9|at 3|3:30 pm|3.30pm|
        quarter past 3pm|half past 9am|this afternoon 4|tomorrow evening 7|friday 3pm|next friday 3pm|
        sat aug 8 3pm|Aug 8 2026 9am|8 August 9am|August the 8th at 3 in the afternoon|2026-08-09T16:15|
        the 9th 3pm|day two 2pm|last day 9am|8/9 3pm|in 1h30m|in 2 days|in 2 days 3pm|in 1 day 2 hours|
        2 hours from now|twenty minutes later|in half an hour|now|9am GMT-5|9am UTC+05:30|3pm Europe/Berlin|
        3pm america/new_york|3pm CET|tomorrow 9am PDT|3pm PT|2026-08-09T16:15:00+02:00|Fri, 8 Aug 2026 15:00|
        the day after tomorrow at noon|3 o'clock tomorrow|a quarter past three tomorrow afternoon|
        8-Aug-2026 3pm|Sat Aug  8 15:00:00 2026|
        现在|明晚8点|１４：３０|十点半|三点|下午3点半|下午3点15分|下午三点一刻|晚上12点|凌晨2点|中午|
        半小时后|一个半小时后|3天后下午3点|下周三下午两点|星期六下午2点|礼拜天上午10点|8月9日 下午4点|
        八月九日下午四点|2026年8月9日 16:15|第二天下午2点|9号下午3点|15:00 北京时间""",
    "day": """Saturday|friday|next friday|mon|today|tonight|yesterday|the day after tomorrow|后天|大后天|
        周日|星期天|礼拜一|这周六|下周六|上周五|8月9号|１２月２５日|2026-08-09|Aug 9|9 Aug|August 9th|
        the 9th|9号|Jan 3|13/8|第2天|day 3|first day|last day|最后一天|in 2 days|3天后|tomorrow 3pm|
        day 2 23:30 UTC|8/9|Sat, August 8th 2026""",
    "lead": """15|45m|1h30|1 hour 30 minutes|an hour and a half|1.5h|90 min|2 days|1 week|a day|one hour|
        twenty-five minutes|quarter of an hour|15 minutes before|一小时|两个小时|一个半小时|1小时30分钟|
        一刻钟|三刻钟|提前15分钟|10分钟前|90 seconds""",
    "bad": """banana|25:99|3:60|13pm|明天下午99点|下午25点|Feb 30 3pm|tomorrow|tomorrow morning|2/3 3pm|
        day 4 3pm|3pm IST|3pm Mars/Olympus|in 2 hours 3pm|Fri Aug 8 3pm|tomorrow banana|15h|
        see you at the keynote|when is lunch|明天见|asdf 123 qwer|the 99th of Smarch at 3|
        August the 8th at quarter to banana|next week sometime|remind me about 3 things|
        一会儿|soon|in a bit|3 3 3 3 3 3 3 3 3 3|2026-99-99 99:99""",
}


def _split(block: str) -> list[str]:
    return [item.strip() for item in block.split("|") if item.strip()]


def _tsv_rows(path: Path | None) -> list[tuple[str, str]]:
    candidates = [path] if path else [Path(__file__).resolve().parents[2] / "shared" / "time-expressions.tsv"]
    if os.environ.get("CONFBOT_SHARED"):
        candidates.append(Path(os.environ["CONFBOT_SHARED"]) / "time-expressions.tsv")
    found = next((c for c in candidates if c and c.is_file()), None)
    if found is None:
        print("(time-expressions.tsv not found; benchmarking the wider set only)")
        return []
    rows = []
    for line in found.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, kind = line.split("\t")[:2]
        if (text, kind) != ("text", "kind"):
            rows.append((text, kind))
    return rows


def _noise(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Random fragments of time words and junk, as a fuzzer would type them."""
    vocab = [
        "tomorrow",
        "3pm",
        "14:30",
        "noon",
        "in",
        "2",
        "hours",
        "day",
        "utc",
        "sat",
        "aug",
        "8",
        "9th",
        "at",
        "next",
        "pm",
        "am",
        "明天",
        "下午",
        "3点",
        "半",
        "后",
        "第",
        "天",
        "周六",
        "月",
        "日",
        "号",
        "两",
        "小时",
        "分钟",
        "?",
        "/",
        ":",
        "-",
        "banana",
        "keynote",
    ]
    out = []
    for _ in range(n):
        words = rng.choices(vocab, k=rng.randint(1, 6))
        out.append((" ".join(words) if rng.random() < 0.7 else "".join(words), rng.choice(["at", "day", "lead"])))
    return out


def _percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200, help="calls per expression (default 200)")
    ap.add_argument("--tsv", type=Path, default=None, help="path to time-expressions.tsv")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    cases: list[tuple[str, str, str]] = []  # (text, kind to parse as, group for the report)
    for text, kind in _tsv_rows(args.tsv):
        cases.append((text, "at" if kind == "bad" else kind, f"tsv-{kind}"))
    for group, block in WIDER.items():
        for text in _split(block):
            cases.append((text, "at" if group == "bad" else group, group))
    for text, kind in _noise(random.Random(args.seed), 200):
        cases.append((text, kind, "noise"))

    started = time.perf_counter()
    with contextlib.suppress(TimeParseError):
        parse("8-Aug-2026 3pm", "at", NOW, TZ, DAYS)  # only the dateparser fallback reads this: loads it
    cold_ms = (time.perf_counter() - started) * 1000

    timings: dict[str, list[float]] = {}
    refused: dict[str, int] = {}
    perf = time.perf_counter
    for text, kind, group in cases:
        bucket = timings.setdefault(group, [])
        for _ in range(args.repeat):
            t0 = perf()
            try:
                parse(text, kind, NOW, TZ, DAYS)
                ok = True
            except TimeParseError:
                ok = False
            bucket.append((perf() - t0) * 1000)
        if not ok:
            refused[group] = refused.get(group, 0) + 1

    print(f"time input benchmark: {len(cases)} expressions x {args.repeat} calls; python {sys.version.split()[0]}")
    print(f"cold first call (dateparser load): {cold_ms:.1f} ms")
    print(f"{'group':<10} {'exprs':>6} {'refused':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    everything: list[float] = []
    order = ["tsv-at", "tsv-day", "tsv-lead", "tsv-bad", "at", "day", "lead", "bad", "noise"]
    for group in [g for g in order if g in timings]:
        ms = sorted(timings[group])
        everything.extend(ms)
        exprs = len(ms) // args.repeat
        print(
            f"{group:<10} {exprs:>6} {refused.get(group, 0):>8} {_percentile(ms, 0.5):>8.3f} "
            f"{_percentile(ms, 0.99):>8.3f} {ms[-1]:>8.3f}"
        )
    everything.sort()
    print(
        f"{'overall':<10} {len(everything) // args.repeat:>6} {sum(refused.values()):>8} "
        f"{_percentile(everything, 0.5):>8.3f} {_percentile(everything, 0.99):>8.3f} {everything[-1]:>8.3f}"
    )


if __name__ == "__main__":
    main()
