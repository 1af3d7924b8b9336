"""Benchmark of search: its quality on the real programmes in shared/corpora, then the index on a synthetic
10,000-session programme: build time, the update a reload makes after one session changed (as a ratio to a full
build), search and autocomplete latency.

Quality (issue 9), per programme: every pair of words of a title (English or Chinese) and every speaker's name,
as queries. For each, the sessions the files say it should find are read from the files with regular
expressions (not by the code under test): for a word pair, the sessions whose title holds both words; for a
name, the sessions that person presents. Reported: recall (of all such (query, session) pairs, the share
the reply lists; goal 100%) and the share of queries whose first result is one of them. Word pairs and names are
asked of /talk, names also of /speaker (first ok: the first person listed presents all of them), through the
command handlers, as an attendee would.

Run: .venv/bin/python bench/bench_search.py [--sessions N] [--seed S] [--quality-only]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from itertools import combinations, pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import App
from bot.clock import FixedClock
from bot.commands import Ctx, User, run_command
from bot.config import Config
from bot.core.model import Session, Track
from bot.core.search import Change, SearchIndex

# shared/ beside the repository, or where CONFBOT_SHARED says (as the tests find it)
CORPORA = Path(os.environ.get("CONFBOT_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "corpora"
PROGRAMMES = ("coc-asia-2022", "coc-asia-2024", "coc-asia-2025", "coc-asia-2026")

TECH = [
    "apache",
    "kafka",
    "pulsar",
    "flink",
    "spark",
    "doris",
    "iceberg",
    "hudi",
    "paimon",
    "streaming",
    "batch",
    "lakehouse",
    "warehouse",
    "observability",
    "tracing",
    "metrics",
    "logging",
    "skywalking",
    "opentelemetry",
    "kubernetes",
    "cloud",
    "native",
    "serverless",
    "database",
    "storage",
    "query",
    "engine",
    "optimizer",
    "vector",
    "search",
    "llm",
    "agent",
    "inference",
    "training",
    "gpu",
    "scheduler",
    "dolphinscheduler",
    "airflow",
    "seatunnel",
    "rocketmq",
    "zookeeper",
    "hadoop",
    "hdfs",
    "ozone",
    "hbase",
    "cassandra",
    "iotdb",
    "community",
    "governance",
    "incubator",
    "mentor",
    "release",
    "security",
    "compliance",
    "performance",
    "latency",
    "throughput",
    "realtime",
    "analytics",
    "olap",
    "materialized",
    "view",
    "index",
    "compaction",
    "replication",
    "consensus",
    "raft",
    "paxos",
    "migration",
    "upgrade",
    "practice",
    "journey",
    "lessons",
    "scale",
    "production",
    "billions",
    "cluster",
    "multi",
    "tenant",
    "python",
    "rust",
    "java",
    "go",
    "wasm",
    "webassembly",
    "runtime",
    "jvm",
    "memory",
    "cache",
    "network",
    "gateway",
    "apisix",
    "api",
    "data",
    "pipeline",
    "integration",
    "lineage",
    "catalog",
    "metadata",
    "schema",
    "evolution",
    "transaction",
    "isolation",
]
GLUE = [
    "the",
    "of",
    "and",
    "in",
    "for",
    "with",
    "at",
    "on",
    "to",
    "from",
    "how",
    "we",
    "our",
    "building",
    "towards",
    "beyond",
]
ZH_WORDS = [
    "数据库",
    "流处理",
    "实时",
    "分析",
    "湖仓",
    "一体",
    "云原生",
    "可观测性",
    "性能",
    "优化",
    "社区",
    "开源",
    "实践",
    "架构",
    "存储",
    "计算",
    "引擎",
    "大模型",
    "智能体",
    "推理",
    "调度",
    "消息",
    "队列",
    "安全",
    "治理",
    "迁移",
    "升级",
    "集群",
    "多租户",
    "向量",
    "检索",
    "元数据",
    "索引",
    "事务",
    "网关",
    "边缘",
    "物联网",
    "时序",
    "日志",
    "链路",
    "追踪",
    "指标",
    "容器",
    "编排",
    "服务",
    "网格",
    "内存",
    "缓存",
    "网络",
    "生态",
    "孵化",
    "贡献",
    "者",
    "经验",
    "挑战",
    "未来",
]
SURNAMES_ZH = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_ZH = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红志建国文斌宇浩凯鹏飞鑫波辉婷雪琳晨阳欣怡子轩梓涵少宏"
FIRST = [
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Li",
    "Qiang",
    "Lei",
    "Jun",
    "Yang",
    "Yong",
    "Yan",
    "Jie",
    "Juan",
    "Tao",
    "Ming",
    "Chao",
    "Xiu",
    "Ping",
    "Gang",
    "Hua",
    "Yu",
    "Hao",
    "Kai",
    "Peng",
    "Fei",
    "Xin",
    "Bo",
    "Hui",
    "Ting",
    "Xue",
    "Lin",
    "Chen",
    "Yi",
    "Zhe",
    "Anna",
    "Peter",
    "Maria",
    "John",
    "Zoltán",
    "Péter",
    "Rachel",
    "Attila",
    "Nicolas",
    "Andreas",
    "Miley",
    "Bobur",
    "Ayush",
    "Navendu",
    "Kevin",
]
LAST = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Gao",
    "Lin",
    "Luo",
    "Zheng",
    "Liang",
    "Xie",
    "Song",
    "Tang",
    "Han",
    "Feng",
    "Deng",
    "Cao",
    "Peng",
    "Zeng",
    "Xiao",
    "Tian",
    "Dong",
    "Pan",
    "Yuan",
    "Jiang",
    "Cai",
    "Du",
    "Ye",
    "Cheng",
    "Su",
    "Wei",
    "Lu",
    "Ding",
    "Ren",
    "Shen",
    "Yao",
    "Cui",
    "Tan",
    "Fan",
    "Jin",
    "Shi",
    "Liao",
    "Xia",
    "Wombacher",
    "Borók-Nagy",
    "Rózsa",
    "Turóczy",
    "Fränkel",
    "Yordán",
    "Umurzokov",
    "Das",
    "Pottekkat",
]
ROOMS = [
    ("MainRoom - YiHe Hall", "主会场 - 颐和厅"),
    ("YuanMing Hall", "圆明厅"),
    ("WanChun Hall", "万春厅"),
    ("JingMing Hall", "静明厅"),
    ("JingYi Hall", "静宜厅"),
    ("Mtn WanShou Hall", "万寿山会议室"),
    ("Mtn BaiWang Hall", "百望山会议室"),
    ("Mtn YuQuan Hall", "玉泉山会议室"),
    ("Mtn Yang Hall", "阳山会议室"),
    ("Room A", "A 厅"),
    ("Room B", "B 厅"),
    ("Room C", "C 厅"),
]
TRACK_NAMES = [
    ("ai", "AI / machine learning", "人工智能 / 机器学习"),
    ("streaming", "Streaming", "流处理"),
    ("olap", "OLAP & Data Analysis", "OLAP 与数据分析"),
    ("datalake", "Data Lake & Data Warehouse", "数据湖/数据仓库"),
    ("cloudnative", "Cloud Native", "云原生"),
    ("community", "Community", "开源社区"),
    ("messaging", "Messaging", "消息系统"),
    ("iot", "IoT and IIoT", "物联网（IoT）和工业物联网（IIoT）"),
    ("observability", "Observability", "可观测性"),
    ("datastorage", "Data Storage & Computing", "数据存储与计算"),
    ("performance", "Performance", "性能"),
    ("incubator", "Incubator", None),
    ("keynote", "Keynote", "主题演讲"),
    ("api", "API / Microservice", "API / 微服务"),
    ("dataops", "DataOps", None),
    ("webserver", "Web Server/Tomcat", None),
    ("rust", "Rust", None),
    ("security", "Security", "安全"),
    ("general", "General", "通用"),
    ("agents", "AI Agents", "智能体"),
]
TZ = timezone(timedelta(hours=8))


def pseudo_words(rng: random.Random, n: int) -> list[str]:
    """Made-up but pronounceable words, so the vocabulary is as large as a real programme's."""
    cons, vows = "bcdfghjklmnprstvwxyz", "aeiou"
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(cons) + rng.choice(vows) for _ in range(rng.randint(2, 5))))
    return sorted(out)


def make_programme(n: int, seed: int) -> tuple[list[Session], dict[str, Track]]:
    rng = random.Random(seed)
    vocab = TECH + pseudo_words(rng, 6000)
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(vocab))]  # Zipf-like: a few words are everywhere

    def words(k: int) -> list[str]:
        return rng.choices(vocab, weights, k=k)

    def english(k: int) -> str:
        out = []
        for w in words(k):
            out.append(w)
            if rng.random() < 0.35:
                out.append(rng.choice(GLUE))
        return " ".join(out)

    def chinese(k: int) -> str:
        return "".join(
            rng.choice(ZH_WORDS) + (rng.choice("的和在与，。") if rng.random() < 0.4 else "") for _ in range(k)
        )

    def person() -> tuple[str, str | None]:
        if rng.random() < 0.5:
            name_zh = rng.choice(SURNAMES_ZH) + "".join(rng.choice(GIVEN_ZH) for _ in range(rng.randint(1, 2)))
            return f"{rng.choice(FIRST)} {rng.choice(LAST)}", name_zh
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}", None

    tracks = {k: Track(key=k, name=en, name_zh=zh) for k, en, zh in TRACK_NAMES}
    day0 = datetime(2026, 8, 7, 9, 0, tzinfo=TZ)
    sessions = []
    for i in range(n):
        key = rng.choice(TRACK_NAMES)[0]
        room, room_zh = rng.choice(ROOMS)
        start = day0 + timedelta(days=rng.randint(0, 2), minutes=30 * rng.randint(0, 18))
        people = [person() for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        has_zh = rng.random() < 0.6
        title = english(rng.randint(3, 9)).title()
        sessions.append(
            Session(
                id=f"{key}-{100000 + i}",
                path=f"sessions/{key}-{100000 + i}.md",
                title=title,
                start=start if rng.random() < 0.97 else None,
                end=None,
                track=key,
                presenters=tuple(p for p, _ in people),
                room=room,
                abstract=english(rng.randint(40, 110)),
                title_zh=(chinese(rng.randint(2, 6)) + " " + " ".join(words(2))) if has_zh else None,
                presenters_zh=tuple(z or p for p, z in people) if has_zh else (),
                room_zh=room_zh if has_zh else None,
                abstract_zh=chinese(rng.randint(30, 90)) if has_zh else "",
            )
        )
    return sessions, tracks


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("swap", "drop", "sub"))
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice("aeiourstn") + word[i + 1 :]


def make_queries(rng: random.Random, sessions: list[Session], n: int) -> list[str]:
    qs: list[str] = []
    while len(qs) < n:
        s = rng.choice(sessions)
        words = [w for w in s.title.split() if len(w) > 2]
        kind = rng.randrange(9)
        if kind == 0:
            qs.append(rng.choice(words))
        elif kind == 1:
            qs.append(" ".join(rng.sample(words, min(2, len(words)))))
        elif kind == 2:
            qs.append(" ".join(words[:4]))
        elif kind == 3:
            long = [w for w in words if len(w) >= 5]
            qs.append(typo(rng, rng.choice(long)) if long else rng.choice(TECH))
        elif kind == 4:
            text = (s.title_zh or "数据库实时分析").split()[0]
            j = rng.randrange(max(1, len(text) - 2))
            qs.append(text[j : j + rng.randint(1, 4)])
        elif kind == 5:
            name = rng.choice(s.presenters)
            qs.append(" ".join(reversed(name.split())) if rng.random() < 0.5 else name.split()[0])
        elif kind == 6:
            qs.append(
                rng.choice(("data", "apache kafka streaming", "cloud native", "the future of data", "performance"))
            )
        elif kind == 7:
            qs.append(rng.choice(TECH) + " " + rng.choice(ZH_WORDS))
        else:
            qs.append(rng.choice(TECH[:40]) + " " + rng.choice(TECH))
    return qs


def make_prefixes(rng: random.Random, sessions: list[Session], n: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"session": [], "speaker": [], "track": [], "room": []}
    for _ in range(n):
        s = rng.choice(sessions)
        source = s.title if rng.random() < 0.7 or not s.title_zh else s.title_zh
        cut = rng.randint(1, min(20, len(source)))
        if rng.random() < 0.25:  # a word from the middle of the title
            w = rng.choice(source.split())
            out["session"].append(w[: rng.randint(1, len(w))])
        elif rng.random() < 0.1:
            w = max(s.title.split(), key=len)
            out["session"].append(typo(rng, w) if len(w) > 4 else w)
        else:
            out["session"].append(source[:cut])
        name = rng.choice(s.presenters_zh or s.presenters)
        if rng.random() < 0.3:
            name = name.split()[-1]
        out["speaker"].append(name[: rng.randint(1, len(name))])
        key, en, zh = rng.choice(TRACK_NAMES)
        t = rng.choice([key, en, zh or en])
        out["track"].append(t[: rng.randint(0, len(t))])
        r = rng.choice(rng.choice(ROOMS))
        out["room"].append(r[: rng.randint(0, len(r))])
    return out


def timed(fn, args_list) -> tuple[list[float], list[float]]:
    """Milliseconds per call, wall clock and this thread's CPU time, in call order.

    CPU time is what the code costs; wall time also holds whatever else the machine was doing. A full
    collection runs first, so one phase's garbage is not billed to the next.
    """
    gc.collect()
    wall, cpu = [], []
    for args in args_list:
        t, c = time.perf_counter(), time.thread_time()
        fn(*args)
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return wall, cpu


def quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, times: tuple[list[float], list[float]]) -> None:
    for kind, ms in zip(("wall", "cpu"), times, strict=True):
        s = sorted(ms)
        p50, p99 = quantile(s, 0.50), quantile(s, 0.99)
        print(f"{name:<17} {kind:<4} n={len(s):<4} p50={p50:6.3f} ms  p99={p99:6.3f} ms  max={s[-1]:6.3f} ms")


# ---------------------------------------------------------------------------------- quality on real programmes

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---[ \t]*\n?(.*)\Z", re.S)
_FIELD = re.compile(r"^(title|presenters|track):[ \t]*(.*?)[ \t]*$", re.M)
_PEOPLE = re.compile(r"\s*(?:[,，、;；/&]|\band\b)\s*")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]+|[\u4e00-\u9fff]{2,}")
_SMALL = {"the", "and", "for", "with", "from", "into", "your", "our", "its", "how", "what", "of", "in", "on", "to"}
_SMALL |= {"at", "by", "an", "as", "is", "are", "be", "or", "we", "it", "this", "that"}


def _unquoted(raw: str) -> str:
    raw = raw.strip()
    return raw[1:-1].strip() if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" else raw


class Files:
    """A programme as its files say, read with regular expressions: each session's titles (English and Chinese,
    one text), track and people; the tracks' names; who is who across a session and its translation."""

    def __init__(self, folder: Path) -> None:
        self.titles: dict[str, str] = {}
        self.track: dict[str, str] = {}
        listed: dict[str, dict[bool, list[str]]] = {}
        for path in sorted((folder / "sessions").glob("*.md")):
            zh = path.name.endswith(".zh.md")
            stem = path.name[: -len(".zh.md")] if zh else path.name[: -len(".md")]
            m = _FRONT.match(path.read_text(encoding="utf-8"))
            if not m:
                continue
            meta = {k: _unquoted(v) for k, v in _FIELD.findall(m.group(1))}
            self.titles[stem] = (self.titles.get(stem, "") + "\n" + meta.get("title", "")).strip()
            self.track.setdefault(stem, meta.get("track", "").strip().lower())
            listed.setdefault(stem, {})[zh] = _people(meta.get("presenters", ""))
        self.track_names: dict[str, str] = {}  # a track's key or name, letters and digits only, lower case -> key
        for path in sorted((folder / "tracks").glob("*.md")):
            key = path.name.split(".")[0].lower()
            m = _FRONT.match(path.read_text(encoding="utf-8"))
            title = dict(_FIELD.findall(m.group(1))).get("title") if m else None
            for name in (key, _unquoted(title or "")):
                if name:
                    self.track_names[_compact(name)] = key
        # One person may be written differently in a session and its translation: the i-th name of one list is
        # the i-th of the other when both list as many people.
        # A name is the same name whatever its case, accents or word order.
        same: dict[str, set[str]] = {}
        self.sessions_of: dict[str, set[str]] = {}  # a name, as written -> its sessions
        held: dict[str, set[str]] = {}  # the same, by person key
        for stem, by_lang in listed.items():
            for names in by_lang.values():
                for name in names:
                    same.setdefault(_person(name), {_person(name)})
                    self.sessions_of.setdefault(name, set()).add(stem)
                    held.setdefault(_person(name), set()).add(stem)
            english, chinese = by_lang.get(False, []), by_lang.get(True, [])
            if english and len(english) == len(chinese):
                for a, b in zip(english, chinese, strict=True):
                    joined = same[_person(a)] | same[_person(b)]
                    for key in joined:
                        same[key] = joined
        self.person = same  # a person key -> every key of that person
        self.held = held

    def sessions_by(self, name: str) -> set[str]:
        return {sid for key in self.person[_person(name)] for sid in self.held[key]}


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _person(name: str) -> str:
    """A name as a key: case, accents, spacing and word order do not matter."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    return " ".join(sorted(re.findall(r"\w+", plain)))


def _people(field: str) -> list[str]:
    """The people a presenters field names; "Thomas, Mark" (one comma, two single words) is one person."""
    if re.fullmatch(r"\s*[A-Za-z]+\s*,\s*[A-Za-z]+\s*", field):
        return [field.strip()]
    return [p.strip(" .") for p in _PEOPLE.split(field) if p.strip(" .")]


def _holds(title: str, token: str) -> bool:
    """A title holds a word: a Latin word begins one of its words or of its camel-case parts ("GenAI" and
    "AIOps" hold "AI"), written as one word or as two ("gray scale" holds "grayscale"), or, of two letters,
    is one; CJK, anywhere."""
    if not token.isascii():
        return token in title
    end = r"(?![a-z0-9])" if len(token) <= 2 else ""
    word = re.escape(token.lower())
    if re.search(r"(?<![a-z0-9])" + word + end, title.lower()):
        return True
    rest = f"(?i:{re.escape(token[1:])})" if token[1:] else ""
    camel = re.escape(token[:1].upper()) + rest
    if re.search(r"(?<=[a-z])" + camel + end, title) or re.search(
        r"(?<![A-Za-z0-9])" + camel + "(?=[A-Z][a-z])", title
    ):
        return True
    words = re.findall(r"[a-z0-9]+", title.lower())
    return any(a + b == token.lower() for a, b in pairwise(words))  # written apart


async def quality(programme: str) -> dict[str, float]:
    """The quality figures of one programme, asking the /talk and /speaker commands as an attendee would."""
    files = Files(CORPORA / programme)
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(sessions_dir=CORPORA / programme / "sessions", database=Path(tmp) / "q.db")
        app = App(config, FixedClock(datetime(2020, 1, 1, tzinfo=TZ)))
        ctx = Ctx(app, User(id=1), app.now(), "en")

        async def shown(command: str, option: str, query: str) -> list[str]:
            reply = await run_command(ctx, command, {option: query})
            return [e.session_id for e in reply.entries() if e.session_id]

        pairs: set[str] = set()
        for titles in files.titles.values():
            for title in titles.split("\n"):
                tokens = list(dict.fromkeys(t for t in _TOKEN.findall(title) if t.lower() not in _SMALL))
                pairs.update(f"{a} {b}" for a, b in combinations(tokens, 2))
        stats: dict[str, float] = {"pairs": len(pairs)}
        wanted = found = first = asked = 0
        for query in sorted(pairs):
            a, b = query.split(" ")
            joined = a + b
            expected = {sid for sid, t in files.titles.items() if (_holds(t, a) and _holds(t, b)) or _holds(t, joined)}
            hits = await shown("talk", "query", query)
            wanted += len(expected)
            found += len(expected.intersection(hits))
            track = files.track_names.get(_compact(query))  # a track's key or name lists that track first
            if expected or track:
                asked += 1
                first += bool(hits) and (hits[0] in expected if track is None else files.track[hits[0]] == track)
        stats.update(pair_recall=found / wanted, pair_first=first / asked)
        people = {name: files.sessions_by(name) for name in files.sessions_of}
        wanted = found = first = found_speaker = first_speaker = 0
        for name, expected in sorted(people.items()):
            hits = await shown("talk", "query", name)
            wanted += len(expected)
            found += len(expected.intersection(hits))
            first += bool(hits) and hits[0] in expected
            reply = await run_command(ctx, "speaker", {"name": name})
            found_speaker += len(expected.intersection(e.session_id for e in reply.entries()))
            head = reply.sections[0].entries if reply.sections else []
            first_speaker += expected <= {e.session_id for e in head}
        await app.close()
    stats.update(
        names=len(people),
        name_recall=found / wanted,
        name_first=first / len(people),
        speaker_recall=found_speaker / wanted,
        speaker_first=first_speaker / len(people),
    )
    return stats


def report_quality() -> None:
    if not all((CORPORA / p / "sessions").is_dir() for p in PROGRAMMES):
        print(f"quality: {CORPORA} is missing; skipped")
        return
    print("search quality on the real programmes (goal: recall 100%)")
    print(
        f"  {'programme':<14} {'word pairs':>10} {'recall':>8} {'first ok':>9}   {'names':>6} {'recall':>8} "
        f"{'first ok':>9}   {'/speaker recall':>15} {'first ok':>9}"
    )
    for programme in PROGRAMMES:
        q = asyncio.run(quality(programme))
        print(
            f"  {programme:<14} {q['pairs']:>10.0f} {q['pair_recall']:>8.2%} {q['pair_first']:>9.2%}   "
            f"{q['names']:>6.0f} {q['name_recall']:>8.2%} {q['name_first']:>9.2%}   "
            f"{q['speaker_recall']:>15.2%} {q['speaker_first']:>9.2%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--quality-only", action="store_true", help="only the quality figures")
    args = parser.parse_args()
    report_quality()
    if args.quality_only:
        return

    sessions, tracks = make_programme(args.sessions, args.seed)
    builds, build_cpu = [], []
    index = SearchIndex([])
    for _ in range(3):
        del index
        gc.collect()
        t, c = time.perf_counter(), time.thread_time()
        index = SearchIndex(sessions, tracks)
        build_cpu.append(time.thread_time() - c)
        builds.append(time.perf_counter() - t)
    terms = index._terms
    print(f"{args.sessions} sessions, {len(terms.vocab)} distinct words, {len(terms.postings)} index terms")
    print(
        f"build             wall best={min(builds):.3f} s worst={max(builds):.3f} s; "
        f"cpu best={min(build_cpu):.3f} s worst={max(build_cpu):.3f} s"
    )
    edit_rng = random.Random(args.seed + 2)
    edits: list[list[Change]] = []
    first = min(s.start for s in sessions if s.start is not None)
    for i in range(60):  # what reloads bring: a retitled talk, a moved one, a new speaker, a new talk
        old = edit_rng.choice(sessions)
        kind = i % 4
        if kind == 0:
            edits.append([(old, replace(old, title=f"{old.title} {edit_rng.choice(TECH)}"))])
        elif kind == 1:
            start = (old.start or first) + timedelta(minutes=edit_rng.choice((-45, 30, 90)))
            edits.append([(old, replace(old, start=start))])
        elif kind == 2:
            edits.append([(old, replace(old, presenters=(*old.presenters, "Nova Person")))])
        else:
            edits.append([(None, replace(old, id=f"new-{i}", title=f"New {old.title}"))])
    updates = timed(lambda changes: index.updated(changes, tracks), [(e,) for e in edits])
    report("update (1 change)", updates)
    median = sorted(updates[1])[len(edits) // 2] / 1000
    print(f"update / build    cpu {median / min(build_cpu):.4f}  (one session changed vs the whole index)")

    rng = random.Random(args.seed + 1)
    queries = make_queries(rng, sessions, args.queries)
    prefixes = make_prefixes(rng, sessions, args.queries)
    report("search", timed(index.search, [(q,) for q in queries]))
    report(
        "complete_session",
        timed(index.complete_session, [(p, 25, rng.choice(("en", "zh"))) for p in prefixes["session"]]),
    )
    report("complete_speaker", timed(index.complete_speaker, [(p,) for p in prefixes["speaker"]]))
    report("complete_track", timed(index.complete_track, [(p, 25, "en") for p in prefixes["track"]]))
    report("complete_room", timed(index.complete_room, [(p,) for p in prefixes["room"]]))
    misses = sum(1 for q in queries if not index.search(q, 1))
    print(f"queries with no hit: {misses}/{len(queries)}")


if __name__ == "__main__":
    main()
