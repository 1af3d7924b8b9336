"""Search and names on the four real programmes in shared/corpora (issue 9), in English and Chinese: /talk lists
every match and says how many, title and speaker matches first; a session opens in full only for its id or its
whole title; a track, room or speaker named lists theirs; words joined or apart, typos and Chinese substrings
match; /star names no unrelated sessions; tracks and rooms by a part of their name; /speaker by a part of a name,
headed in the reader's language; and no input, however long, breaks a command.

Expected values come from the files by an independent reading (regular expressions over each session file's
front matter and body, below), never from the code under test.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.clock import FixedClock
from bot.commands import Reply
from bot.commands.reply import Entry
from bot.config import Config
from tests.commands.helpers import ask
from tests.paths import CORPORA, PROGRAMMES, needs_shared

pytestmark = needs_shared

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRONT = re.compile(r"\A---\s*\n(.*?)\n---[ \t]*\n?(.*)\Z", re.S)
FIELD = re.compile(r"^(\w+):[ \t]*(.*?)[ \t]*$", re.M)
PEOPLE = re.compile(r"\s*(?:[,，、;；/&]|\band\b)\s*")
SPEAKERS = re.compile(r"^[ \t]*#+[ \t]*(?:speakers?|讲师|讲者)[ \t]*[:：]?", re.I | re.M)
HAN = re.compile(r"[\u4e00-\u9fff]+")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
STOP = {"the", "and", "for", "with", "from", "into", "your", "what", "this", "that", "how", "based", "using"}


def _value(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        raw = raw[1:-1]
    return raw.strip()


@dataclass
class Doc:
    """One session as its files (NAME.md, NAME.zh.md) say."""

    stem: str
    title: str = ""
    title_zh: str = ""
    people: list[str] = field(default_factory=list)
    people_zh: list[str] = field(default_factory=list)
    track: str = ""
    rooms: list[str] = field(default_factory=list)
    about: str = ""  # the bodies before the speakers' heading
    files: str = ""  # everything the files hold

    @property
    def titles(self) -> str:
        return f"{self.title}\n{self.title_zh}"


@dataclass
class Programme:
    docs: dict[str, Doc]
    tracks: dict[str, tuple[str, str]]  # track file stem -> (title, Chinese title)

    def track_of(self, key: str) -> list[str]:
        return sorted(s for s, d in self.docs.items() if d.track == key)


@cache
def read(programme: str) -> Programme:
    folder = CORPORA / programme
    docs: dict[str, Doc] = {}
    for path in sorted((folder / "sessions").glob("*.md")):
        zh = path.name.endswith(".zh.md")
        stem = path.name[: -len(".zh.md")] if zh else path.name[: -len(".md")]
        text = path.read_text(encoding="utf-8")
        m = FRONT.match(text)
        assert m, path
        meta = {k: _value(v) for k, v in FIELD.findall(m.group(1))}
        body = m.group(2)
        doc = docs.setdefault(stem, Doc(stem))
        people = [p.strip(" .") for p in PEOPLE.split(meta.get("presenters", "")) if p.strip(" .")]
        if zh:
            doc.title_zh, doc.people_zh = meta.get("title", ""), people
        else:
            doc.title, doc.people = meta.get("title", ""), people
        doc.track = doc.track or meta.get("track", "").strip().lower()
        if meta.get("room"):
            doc.rooms.append(meta["room"])
        cut = SPEAKERS.search(body)
        doc.about += "\n" + (body[: cut.start()] if cut else body)
        doc.files += "\n" + text
    tracks = {}
    for path in sorted((folder / "tracks").glob("*.md")):
        if path.name.endswith(".zh.md"):
            continue
        zh_path = path.with_name(path.stem + ".zh.md")
        title = _value(_front(path).get("title", path.stem))
        title_zh = _value(_front(zh_path).get("title", "")) if zh_path.exists() else ""
        tracks[path.stem.lower()] = (title, title_zh or title)
    return Programme(docs, tracks)


def _front(path: Path) -> dict[str, str]:
    m = FRONT.match(path.read_text(encoding="utf-8"))
    assert m, path
    return dict(FIELD.findall(m.group(1)))


def spaced(text: str) -> str:
    """Runs of white space as one space."""
    return " ".join(text.split())


def word_at_start(word: str, text: str) -> bool:
    """`word` begins a word of `text` (any case), or a part of a word written in camel case ("Scheduler")."""
    if re.search(r"(?<![a-z0-9])" + re.escape(word.lower()), text.lower()):
        return True
    return re.search(r"(?<=[a-z])" + re.escape(word[:1].upper() + word[1:].lower()), text) is not None


OPENED: list[App] = []


def app_for(programme: str, tmp_path: Path, sessions: Path | None = None) -> App:
    """The bot serving a programme (closed after the test: /star opens its database)."""
    folder = sessions or CORPORA / programme / "sessions"
    config = Config(sessions_dir=folder, tracks_dir=CORPORA / programme / "tracks", database=tmp_path / "c.db")
    first = min(
        datetime.fromisoformat(m.group(1).replace(" ", "T"))
        for p in folder.glob("*.md")
        if (m := re.search(r'^date:\s*"?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d)', p.read_text(encoding="utf-8"), re.M))
    )
    app = App(config, FixedClock(datetime.combine(first.date(), time(8, 0), SHANGHAI)))
    OPENED.append(app)
    return app


@pytest.fixture(autouse=True)
async def _close_apps():
    yield
    while OPENED:
        await OPENED.pop().close()


@pytest.fixture(params=PROGRAMMES)
def programme(request) -> str:
    return request.param


@pytest.fixture
def app(programme, tmp_path):
    return app_for(programme, tmp_path)


def listed(reply: Reply) -> list[str]:
    return ids_in(reply.entries())


def ids_in(entries: list[Entry]) -> list[str]:
    return [e.session_id for e in entries if e.session_id]


def count_text(n: int, lang: str = "en") -> str:
    if lang == "zh":
        return f"{n} 场议程匹配。"
    return "1 session matches." if n == 1 else f"{n} sessions match."


def frequent_title_words(p: Programme, n: int) -> list[str]:
    """The n most frequent words of English titles (5+ letters, no small words), each in 3+ sessions."""
    counts: Counter[str] = Counter()
    for d in p.docs.values():
        counts.update({w.lower() for w in LATIN.findall(d.title) if len(w) >= 5 and w.lower() not in STOP})
    return [w for w, c in counts.most_common(n) if c >= 3]


def frequent_title_han(p: Programme, n: int) -> list[str]:
    """The n most frequent three-character runs of Chinese titles, each in 3+ sessions."""
    counts: Counter[str] = Counter()
    for d in p.docs.values():
        counts.update({run[i : i + 3] for run in HAN.findall(d.title_zh) for i in range(len(run) - 2)})
    return [w for w, c in counts.most_common(n) if c >= 3]


# ------------------------------------------------------------------------------ /talk never hides a match


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_talk_lists_every_title_match_first_and_says_how_many(programme, app, lang):
    """For the programme's most frequent title words (English and Chinese), /talk lists every session whose
    title or speakers hold the word, before any other, lists only sessions whose files hold it, and its count
    is the number listed."""
    p = read(programme)
    names = {n.lower() for k, ns in p.tracks.items() for n in (k, *ns)}  # a track's name lists the track first
    queries = [w for w in frequent_title_words(p, 4) + frequent_title_han(p, 2) if w.lower() not in names]
    assert len(queries) >= 4
    for word in queries:
        han = HAN.fullmatch(word) is not None

        def holds(text: str, word: str = word, han: bool = han) -> bool:
            return word in text if han else word_at_start(word, text)

        strong = {s for s, d in p.docs.items() if holds(d.titles) or holds(" ".join(d.people + d.people_zh))}
        named_tracks = {k for k, names in p.tracks.items() if any(holds(n) for n in names)}
        anywhere = {s for s, d in p.docs.items() if holds(d.files) or d.track in named_tracks}
        reply = await ask(app, "talk", {"query": word}, lang=lang)
        got = listed(reply)
        assert len(got) == len(set(got)), word
        assert set(got[: len(strong)]) == strong, word
        assert set(got) <= anywhere, word
        assert reply.text == count_text(len(got), lang), word
        assert all(e.body == "" for e in reply.entries()), word  # a list, nobody opened in full


async def test_cloud_native_in_chinese_lists_all_fourteen_titles_first(tmp_path):
    """/talk 云原生 on coc-asia-2022 lists every session with 云原生 in a title (14 by the files) first, then
    the ones that mention it elsewhere, and says how many in all."""
    p = read("coc-asia-2022")
    titles = {s for s, d in p.docs.items() if "云原生" in d.titles}
    assert len(titles) == 14
    app = app_for("coc-asia-2022", tmp_path)
    for lang in ("en", "zh"):
        reply = await ask(app, "talk", {"query": "云原生"}, lang=lang)
        got = listed(reply)
        assert set(got[:14]) == titles
        assert len(got) > 14 and set(got) <= {s for s, d in p.docs.items() if "云原生" in d.files}
        assert reply.text == count_text(len(got), lang)


async def test_observability_in_2026_lists_the_track_the_title_then_every_mention(tmp_path):
    """/talk observability on coc-asia-2026 no longer opens the one session with the word in its title: it names
    a track, so it lists the Observability track, then the session with the word in its title, then every other
    session whose abstract mentions it, and says how many."""
    p = read("coc-asia-2026")
    assert p.tracks["observability"][0] == "Observability"
    track = p.track_of("observability")
    title = {s for s, d in p.docs.items() if word_at_start("observability", d.titles)} - set(track)
    assert len(title) == 1
    mention = {s for s, d in p.docs.items() if "observability" in d.about.lower()}
    reply = await ask(app_for("coc-asia-2026", tmp_path), "talk", {"query": "observability"})
    assert [s.heading for s in reply.sections] == ["Track Observability", "Other sessions matching “observability”"]
    assert sorted(ids_in(reply.sections[0].entries)) == track
    others = [e.session_id for e in reply.sections[1].entries]
    assert others[0] in title and mention <= set(track) | set(others)
    assert set(others) <= {s for s, d in p.docs.items() if "observability" in d.files.lower()}
    assert reply.title == "Sessions matching “observability”" and reply.text == count_text(len(listed(reply)))


async def test_k8s_in_2024_lists_all_six_sessions(tmp_path):
    """/talk k8s on coc-asia-2024 lists the six sessions whose files mention K8s, the one with it in its title first."""
    p = read("coc-asia-2024")
    mention = {s for s, d in p.docs.items() if re.search(r"(?i)\bk8s\b", d.files)}
    assert len(mention) == 6
    reply = await ask(app_for("coc-asia-2024", tmp_path), "talk", {"query": "k8s"})
    got = listed(reply)
    assert set(got) == mention
    assert word_at_start("k8s", p.docs[got[0]].titles)
    assert reply.text == "6 sessions match."


async def test_every_match_is_on_some_page_and_ask_prints_them_all(tmp_path):
    """A long /talk list pages through every match, and the console's `ask` prints every page."""
    from bot.frontends.text.render import render

    app = app_for("coc-asia-2022", tmp_path)
    reply = await ask(app, "talk", {"query": "apache"})
    pages = reply.paginate()
    assert len(pages) > 3
    assert [e.session_id for page in pages for e in page.entries()] == listed(reply)
    printed = render(reply, "en")
    assert all(f"id: {sid}" in printed for sid in listed(reply))
    assert f"page {len(pages)} of {len(pages)}" in printed


# ------------------------------------------------------------------------- what opens a session in full


async def test_an_id_or_a_whole_title_opens_the_session_in_full(programme, app):
    """A session's id, or its whole title as written (any case, in either language), shows it in full."""
    p = read(programme)
    title_counts = Counter(d.title.lower() for d in p.docs.values())
    zh_counts = Counter(d.title_zh for d in p.docs.values())
    chosen = [d for d in p.docs.values() if d.title and title_counts[d.title.lower()] == 1][::17][:6]
    for d in chosen:
        for query in (d.stem, d.title, d.title.upper()):
            reply = await ask(app, "talk", {"query": query})
            assert listed(reply) == [d.stem], query
            assert spaced(reply.title) == spaced(d.title) and reply.actions[0].session_id == d.stem
    for d in [d for d in p.docs.values() if d.title_zh and zh_counts[d.title_zh] == 1][::19][:3]:
        reply = await ask(app, "talk", {"query": d.title_zh}, lang="zh")
        assert listed(reply) == [d.stem] and spaced(reply.title) == spaced(d.title_zh)


async def test_a_long_id_clipped_by_discord_opens_its_session(tmp_path):
    """A session whose id is over 100 characters, picked from autocomplete (Discord keeps its first 100), opens."""
    folder = tmp_path / "sessions"
    shutil.copytree(CORPORA / "coc-asia-2024" / "sessions", folder)
    long_id = "webserver-" + "tomcat-and-friends-" * 7 + "1133"
    for suffix in (".md", ".zh.md"):
        (folder / f"webserver-1133{suffix}").rename(folder / f"{long_id}{suffix}")
    app = app_for("coc-asia-2024", tmp_path, folder)
    title = read("coc-asia-2024").docs["webserver-1133"].title
    reply = await ask(app, "talk", {"query": long_id[:100]})
    assert listed(reply) == [long_id] and reply.title == title
    starred = await ask(app, "star", {"session": long_id[:100]})
    assert not starred.error and title in starred.text


async def test_a_track_name_lists_that_track(programme, app):
    """/talk with a track's name (English or Chinese) lists that track's sessions first, under its name."""
    p = read(programme)
    for key, (name, name_zh) in list(p.tracks.items())[:8]:
        sessions = p.track_of(key)
        if not sessions:
            continue
        for query, lang, shown in ((name, "en", name), (name_zh, "zh", name_zh)):
            reply = await ask(app, "talk", {"query": query}, lang=lang)
            first = reply.sections[0]
            assert first.heading == (f"Track {shown}" if lang == "en" else f"分论坛 {shown}"), query
            assert sorted(ids_in(first.entries)) == sessions, query


async def test_a_speakers_name_lists_their_sessions(programme, app):
    """/talk with a speaker's full name lists their sessions under their name, never one opened alone."""
    p = read(programme)
    by_person: dict[str, set[str]] = {}
    for d in p.docs.values():
        for person in d.people:
            by_person.setdefault(person, set()).add(d.stem)
    chosen = [n for n in sorted(by_person) if re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", n)][::23][:4]
    for name in chosen:
        reply = await ask(app, "talk", {"query": name})
        assert reply.sections[0].heading == f"Sessions by {name}"
        assert {e.session_id for e in reply.sections[0].entries} >= by_person[name]
        assert all(e.body == "" for e in reply.entries())


# ------------------------------------------------------------- joined or apart, typos, Chinese substrings


def camel_words(p: Programme) -> list[str]:
    """Words of titles written in camel case (DolphinScheduler, SkyWalking), each in 2+ sessions' titles."""
    counts: Counter[str] = Counter()
    for d in p.docs.values():
        counts.update(set(re.findall(r"\b[A-Z][a-z]+[A-Z][a-z]+\b", d.title)))
    return [w for w, c in counts.most_common() if c >= 2][:4]


async def test_words_written_joined_or_apart_match_each_other(programme, app):
    """A camel-case title word (SkyWalking) found as typed, in lower case joined, and written apart ("Sky
    Walking"): each lists every session whose title holds it, first."""
    p = read(programme)
    words = camel_words(p)
    for word in words:
        parts = re.findall(r"[A-Z][a-z]+", word)
        titled = {s for s, d in p.docs.items() if re.search(rf"(?i){parts[0]}[ -]?{parts[1]}", d.titles)}
        for query in (word, word.lower(), " ".join(parts), " ".join(parts).lower()):
            got = listed(await ask(app, "talk", {"query": query}))
            assert set(got[: len(titled)]) == titled, query


async def test_dolphin_scheduler_and_kafka_connect_either_way(tmp_path):
    """ "DolphinScheduler" and "Dolphin Scheduler" (2022), "KafkaConnect" and "Kafka Connect" (2022, 2024) find
    the sessions that write them the other way."""
    p22, p24 = read("coc-asia-2022"), read("coc-asia-2024")
    apart = {s for s, d in p22.docs.items() if re.search(r"Dolphin Scheduler", d.about)}
    joined = {s for s, d in p22.docs.items() if re.search(r"(?i)dolphinscheduler", d.titles)}
    assert apart and joined
    app22 = app_for("coc-asia-2022", tmp_path)
    assert apart | joined <= set(listed(await ask(app22, "talk", {"query": "DolphinScheduler"})))
    assert apart | joined <= set(listed(await ask(app22, "talk", {"query": "dolphin scheduler"})))
    connect_apart = {s for s, d in p22.docs.items() if "Kafka Connect" in d.about}
    assert connect_apart
    assert connect_apart <= set(listed(await ask(app22, "talk", {"query": "KafkaConnect"})))
    connect_joined = {s for s, d in p24.docs.items() if "KafkaConnect" in d.title}
    assert connect_joined
    app24 = app_for("coc-asia-2024", tmp_path / "b")
    (tmp_path / "b").mkdir()
    assert connect_joined <= set(listed(await ask(app24, "talk", {"query": "Kafka Connect"})))


def typo(word: str) -> str:
    """The word with two letters in its middle swapped."""
    i = len(word) // 2
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


async def test_a_typo_still_lists_the_sessions_meant(programme, app):
    """A long title word with two letters swapped lists the sessions whose titles hold the word, first."""
    p = read(programme)
    counts: Counter[str] = Counter()
    for d in p.docs.values():
        counts.update({w.lower() for w in LATIN.findall(d.title) if len(w) >= 9 and w.isalpha()})
    for word in [w for w, c in counts.most_common(6) if c >= 2][:3]:
        titled = {s for s, d in p.docs.items() if word_at_start(word, d.titles)}
        got = listed(await ask(app, "talk", {"query": typo(word)}))
        assert set(got[: len(titled)]) == titled, typo(word)


async def test_chinese_matches_by_substring(programme, app):
    """Two characters from inside a Chinese title word list every session with them in a title, first."""
    p = read(programme)
    names = {n for k, ns in p.tracks.items() for n in (k, *ns)}
    for run in frequent_title_han(p, 3):
        part = run[1:]
        if any(part in n for n in names):
            continue  # every session of that track matches too
        titled = {s for s, d in p.docs.items() if part in d.titles}
        got = listed(await ask(app, "talk", {"query": part}, lang="zh"))
        assert set(got[: len(titled)]) == titled, part
        assert set(got) <= {s for s, d in p.docs.items() if part in d.files}, part


# ------------------------------------------------------------------------- options that name a session


async def test_star_with_words_that_match_nothing_says_so(programme, app):
    """/star with words no session holds says no session matches them, suggesting nothing."""
    for text in ("zzqx vvkj", "qqqqqqqq", "完全不存在的议程名字"):
        reply = await ask(app, "star", {"session": text})
        assert reply.error and reply.text == f"No session matches “{text}”.", text
        assert "Did you mean" not in reply.footer


async def test_star_with_a_word_several_sessions_hold_names_only_those(programme, app):
    """/star with a word several titles hold is refused, suggesting only sessions whose files hold the word."""
    p = read(programme)
    word = frequent_title_words(p, 1)[0]
    reply = await ask(app, "star", {"session": word})
    assert reply.error and "matches several sessions" in reply.text
    suggested = re.findall(r"“([^”]+)”", reply.footer)
    assert suggested
    holders = [d.title for d in p.docs.values() if word_at_start(word, d.files)]
    assert all(any(t.startswith(s.rstrip("…")) for t in holders) for s in suggested)


# ------------------------------------------------------------------- tracks and rooms by part of a name


def distinctive_words(names: dict[str, list[str]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Words of 4+ letters from the names held (as a part, any case) by exactly one thing's names -> it; and
    by several -> them."""
    holders: dict[str, set[str]] = {}
    words = {w.lower() for forms in names.values() for form in forms for w in LATIN.findall(form) if len(w) >= 4}
    for w in words:
        holders[w] = {key for key, forms in names.items() if any(w in f.lower() for f in forms)}
    one = {w: next(iter(ks)) for w, ks in holders.items() if len(ks) == 1}
    many = {w: sorted(ks) for w, ks in holders.items() if len(ks) > 1}
    return one, many


async def test_a_part_of_a_track_name_is_taken_and_said(programme, app):
    """/schedule track:<a word only one track's name holds> shows that track and says which it took; a word
    several tracks' names hold lists them all."""
    p = read(programme)
    names = {k: [n, nz] for k, (n, nz) in p.tracks.items() if p.track_of(k)}
    one, many = distinctive_words(names)
    exact = {n.lower() for forms in names.values() for n in forms} | set(names)
    for word, key in [(w, k) for w, k in sorted(one.items()) if w not in exact][:5]:
        reply = await ask(app, "schedule", {"track": word}, now=datetime(2020, 1, 1, tzinfo=SHANGHAI))
        assert not reply.error, word
        assert reply.text.startswith(f"Track “{word}”: taken as {p.tracks[key][0]}."), word
        dated = [s for s in p.track_of(key) if re.search(r"^date:\s*\S", p.docs[s].files, re.M)]
        assert sorted(listed(reply)) == dated, word
    for word, keys in sorted(many.items())[:3]:
        if word in exact:
            continue
        reply = await ask(app, "schedule", {"track": word})
        assert reply.error and reply.text == f"“{word}” is part of several tracks' names.", word
        assert reply.footer.startswith("Pick one: "), word
        assert set(reply.footer.removeprefix("Pick one: ").split(", ")) == {p.tracks[k][0] for k in keys}, word


async def test_tomcat_is_taken_for_web_server_tomcat(tmp_path):
    """/schedule track:tomcat on coc-asia-2024 shows the Web Server/Tomcat track and says so, in both languages."""
    app = app_for("coc-asia-2024", tmp_path)
    webserver = read("coc-asia-2024").track_of("webserver")
    reply = await ask(app, "schedule", {"track": "tomcat"})
    assert reply.text.startswith("Track “tomcat”: taken as Web Server/Tomcat.")
    assert sorted(listed(reply)) == webserver
    zh = await ask(app, "schedule", {"track": "tomcat"}, lang="zh")
    assert zh.text.startswith("分论坛“tomcat”：按 Web Server/Tomcat 处理。")


async def test_a_part_of_a_room_name_is_taken_in_2026(tmp_path):
    """/schedule room:<a word only one room's name holds> on coc-asia-2026 shows that room's sessions."""
    p = read("coc-asia-2026")
    rooms: dict[str, list[str]] = {}
    for d in p.docs.values():
        if d.rooms:
            rooms.setdefault(d.rooms[0], []).extend(d.rooms)
    one, _ = distinctive_words(rooms)
    app = app_for("coc-asia-2026", tmp_path)
    for word, room in [(w, r) for w, r in sorted(one.items()) if w not in {"hall"}][:4]:
        held = {s for s, d in p.docs.items() if d.rooms and d.rooms[0] == room}
        reply = await ask(app, "schedule", {"room": word}, now=datetime(2020, 1, 1, tzinfo=SHANGHAI))
        assert not reply.error, word
        assert reply.text.startswith(f"Room “{word}”: taken as {room}."), word
        assert {e.session_id for e in reply.entries()} == held, word


# ------------------------------------------------------------------------------ speakers by part of a name


def people_with_word(p: Programme, word: str) -> set[str]:
    """Sessions with a presenter who has `word` as a whole word of their name (either language)."""
    return {
        s
        for s, d in p.docs.items()
        if any(word.lower() in re.findall(r"[a-z]+", n.lower()) for n in d.people + d.people_zh)
    }


async def test_speaker_by_a_family_name_lists_everyone_it_may_mean(programme, app):
    """/speaker with the programme's most common family name lists each person with it, with their sessions."""
    p = read(programme)
    counts: Counter[str] = Counter()
    for d in p.docs.values():
        for n in set(d.people + d.people_zh):
            words = re.findall(r"[A-Za-z]+", n)
            if len(words) == 2:
                counts[words[-1].lower()] += 1
    word, _ = counts.most_common(1)[0]
    reply = await ask(app, "speaker", {"name": word})
    assert not reply.error
    assert len(reply.sections) >= 2 and reply.title == f"Speakers matching “{word}”"
    assert set(listed(reply)) == people_with_word(p, word)
    assert all(word in s.heading.lower() for s in reply.sections)
    assert reply.text == f"{len(reply.sections)} speakers match."


async def test_wang_in_2024_lists_every_wang(tmp_path):
    """/speaker wang on coc-asia-2024 lists every Wang with their sessions (not "no speaker called wang")."""
    p = read("coc-asia-2024")
    reply = await ask(app_for("coc-asia-2024", tmp_path), "speaker", {"name": "wang"})
    assert set(listed(reply)) == people_with_word(p, "wang") and len(reply.sections) > 5


def translated_names(p: Programme) -> list[tuple[str, str, str]]:
    """(English name, Chinese name, session) for sessions listing one person, written differently in the
    translation, each name found in that session only."""
    seen: Counter[str] = Counter()
    for d in p.docs.values():
        seen.update(set(d.people + d.people_zh))
    out = []
    for d in p.docs.values():
        if len(d.people) == len(d.people_zh) == 1 and d.people != d.people_zh:
            en, zh = d.people[0], d.people_zh[0]
            if seen[en] == seen[zh] == 1 and HAN.search(zh) and not HAN.search(en):
                out.append((en, zh, d.stem))
    return out


async def test_speaker_heading_names_the_person_in_the_readers_language(programme, app):
    """Asked by their English name in Chinese, or by their Chinese name in English, /speaker heads the reply
    with the person's name as the reader's language writes it (a person and their translation are one)."""
    pairs = translated_names(read(programme))[:4]
    if not pairs:
        pytest.skip(f"{programme} names nobody differently in translation")
    for en, zh, stem in pairs:
        in_zh = await ask(app, "speaker", {"name": en}, lang="zh")
        assert in_zh.title == f"{zh} 的议程" and listed(in_zh) == [stem]
        in_en = await ask(app, "speaker", {"name": zh}, lang="en")
        assert in_en.title == f"Sessions by {en}" and listed(in_en) == [stem]


# ------------------------------------------------------------------------- no input breaks a command


HOSTILE = [
    "a" * 6000,
    ("kafka flink apache data " * 300)[:6000],
    " ".join(f"w{i}" for i in range(3000)),
    "数据" * 3000,
    "!?.,;:-_/()[]{}" * 400,
    "1234567890" * 600,
]


async def test_no_input_breaks_a_command(programme, app):
    """Thousands of characters, thousands of words, all-CJK, repeated characters, punctuation, digits: every
    command with a text option answers (a list or a plain refusal), repeating at most 80 characters of it."""
    for text in HOSTILE:
        for command, option in (
            ("talk", "query"),
            ("speaker", "name"),
            ("schedule", "track"),
            ("next", "room"),
            ("star", "session"),
            ("when", "text"),
        ):
            reply = await ask(app, command, {option: text})
            shown = reply.title + reply.text + reply.footer
            assert text[:200] not in shown, (command, text[:20])
            assert reply.error or reply.entries() or reply.text, (command, text[:20])
