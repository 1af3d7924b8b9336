"""A small programme for the search tests (English and Chinese, co-presented talks, a surname written first),
and a reader for a real one."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from bot.core.model import Session, Track
from tests.paths import CORPORA

TZ = timezone(timedelta(hours=8))
DAY1 = datetime(2026, 8, 7, 9, 0, tzinfo=TZ)
CORPUS = CORPORA / "coc-asia-2024" / "sessions"


def mk(sid: str, title: str, *, minutes: int | None = 0, track: str = "general", **kw) -> Session:
    start = None if minutes is None else DAY1 + timedelta(minutes=minutes)
    return Session(id=sid, path=f"sessions/{sid}.md", title=title, start=start, end=None, track=track, **kw)


TRACKS = {
    "streaming": Track(key="streaming", name="Streaming", name_zh="流处理"),
    "datalake": Track(key="datalake", name="Data Lake & Data Warehouse", name_zh="数据湖/数据仓库"),
    "ai": Track(key="ai", name="AI / machine learning", name_zh="人工智能 / 机器学习"),
    "general": Track(key="general", name="General", name_zh="通用"),
}


SESSIONS = [
    mk(
        "ob-1",
        "My Open Source Experience in OceanBase Community",
        minutes=0,
        track="general",
        presenters=("Ziyi Li",),
        abstract="How I became a contributor.",
        title_zh="我在 OceanBase 社区的开源经历",
    ),
    mk(
        "kafka-1",
        "Kafka Streams in Production",
        minutes=30,
        track="streaming",
        presenters=("Wentao Liu",),
        room="JingMing Hall",
        room_zh="静明厅",
        abstract="Lessons from running stream processing at scale.",
    ),
    mk(
        "kafka-2",
        "Migrating a Message Queue",
        minutes=60,
        track="general",
        presenters=("Anna Berg",),
        abstract="We moved our event bus to Kafka and learned about streaming semantics.",
    ),
    mk("kafka-3", "Kafkaesque Bureaucracy in Open Source", minutes=90, track="general", presenters=("Tom Tan",)),
    mk(
        "obs-1",
        "Observability for Large Models",
        minutes=120,
        track="ai",
        presenters=("Li Yanhong",),
        abstract="Tracing and metrics with OpenTelemetry.",
    ),
    mk(
        "obs-2",
        "Cost Control for Clusters",
        minutes=150,
        track="ai",
        presenters=("Mark Obs",),
        abstract="Observability data is expensive; here is how to keep it cheap.",
    ),
    mk(
        "pulsar-1",
        "Apache Pulsar Geo-Replication",
        minutes=180,
        track="streaming",
        presenters=("Zoltán Borók-Nagy", "Péter Rózsa"),
    ),
    mk(
        "doris-1",
        "Apache Doris for Semi-Structured Data",
        minutes=210,
        track="datalake",
        presenters=("高赟,张智鹏",),
        presenters_zh=("高赟,张智鹏",),
        title_zh="Apache Doris 半结构化数据分析",
    ),
    mk(
        "db-1",
        "Time Series at Scale",
        minutes=240,
        track="datalake",
        presenters=("Xinyu Tan",),
        title_zh="时序数据库的分区与共识",
        abstract_zh="介绍一个分布式时序数据库的架构。",
        room="YuanMing Hall",
        room_zh="圆明厅",
    ),
    mk(
        "cn-1",
        "Community Building in China",
        minutes=270,
        track="general",
        presenters=("Shaoting Duan",),
        presenters_zh=("段少婷",),
        title_zh="中国开源社区建设",
    ),
    mk(
        "wa-1",
        "Data Pipelines with Hop",
        minutes=300,
        track="datalake",
        presenters=("Wombacher, Andreas",),
        abstract="Date handling and data quality.",
    ),
    mk("kafka-4", "Kafka Internals", minutes=330, track="general", presenters=("Ron Bell",)),
    mk("late-1", "The Art of Lightning Talks", minutes=None, track="general", presenters=("Ann Other",)),
]


def ids(hits) -> list[str]:
    return [h.session.id for h in hits]


def ids_of(sessions) -> list[str]:
    return [s.id for s in sessions]


def read_programme(folder: Path) -> list[Session]:
    """Just enough of a front-matter reader: title, date, track, presenters, room, body."""
    by_id: dict[str, Session] = {}
    for path in sorted(folder.glob("*.md")):
        zh = path.name.endswith(".zh.md")
        sid = path.name[: -len(".zh.md")] if zh else path.stem
        match = re.match(r"---\n(.*?)\n---\n?(.*)", path.read_text(encoding="utf-8"), re.S)
        if not match:
            continue
        meta, body = yaml.safe_load(match.group(1)) or {}, match.group(2)
        body = re.sub(r"<[^>]+>", " ", body.split("### ")[0]).strip()
        people = tuple(p.strip() for p in str(meta.get("presenters") or "").split(",") if p.strip())
        s = by_id.get(sid) or Session(
            id=sid, path=str(path), title="", start=None, end=None, track=str(meta.get("track") or "")
        )
        if s.start is None and meta.get("date"):
            s.start = datetime.fromisoformat(str(meta["date"]).strip().replace(" ", "T")).replace(tzinfo=TZ)
        if zh:
            s.title_zh, s.presenters_zh, s.room_zh, s.abstract_zh = (
                str(meta.get("title") or ""),
                people,
                meta.get("room"),
                body,
            )
        else:
            s.title, s.presenters, s.room, s.abstract = str(meta.get("title") or ""), people, meta.get("room"), body
        by_id[sid] = s
    return list(by_id.values())
