"""Junk for the programme reader's property tests: files of every shape, dates of every form, and checks
that each problem a reader reports is located (hypothesis strategies, shared by test_hugo and test_loader)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SHANGHAI = ZoneInfo("Asia/Shanghai")
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GOOD = (
    b'---\ntitle: "Charting the Harbour with Open Data"\ndate: "2026-08-07T09:30:00"\ntrack: "data"\n'
    b'presenters: "Ada Lovelace, Grace Hopper"\nstype: "English Session"\nroom: "Pier 3"\n---\n\n'
    b"Tide tables as open data.\n\n### Speakers:\n\nAda Lovelace: hydrographer\n"
)
GOOD_TITLE = "Charting the Harbour with Open Data"
GOOD_START = datetime(2026, 8, 7, 9, 30, tzinfo=SHANGHAI)

FIELDS = (
    "title",
    "date",
    "track",
    "presenters",
    "stype",
    "room",
    "speechLink",
    "end",
    "duration",
    "draft",
    "weight",
    "id",
    "unknown_field",
)

# ------------------------------------------------------------------------------------------------ strategies

ODD_DATES = [
    "2026-08-07T09:30:00",
    "2026-08-07 09:30",
    "2026-8-7 9:30",
    "2026-08-07T09:30:00Z",
    "2026-08-07T09:30:00+08:00",
    "2026-08-07T09:30:00-0500",
    "2026-08-07T09:30:00.123456",
    "2026-08-07T09:30:00 +08:00",
    "2026-08-07",
    "2026-08",
    "07/08/2026 09:30",
    "Aug 7 2026 9:30am",
    "2026-02-30T10:00:00",
    "2026-08-07T24:00:00",
    "2026-08-07T25:70:00",
    "2026-13-01T10:00:00",
    "0000-00-00T00:00:00",
    "",
    " ",
    "TBD",
    "2026年8月7日 9:30",
    "２０２６-０８-０７T09:30:00",
    "2026-08-07T09:30:00+08",
    "tomorrow",
    "1e10",
    "-1",
    "2026-08-07T09:30:00+00:00 ",
    "\t2026-08-07 09:30:00\t",
]


@st.composite
def generated_dates(draw) -> str:
    """A date-time of plausible shape whose parts may be out of range (month 13, hour 25, minute 61...)."""
    y = draw(st.integers(1900, 2100))
    mo, d = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    h, mi, s = draw(st.integers(0, 25)), draw(st.integers(0, 61)), draw(st.integers(0, 61))
    sep = draw(st.sampled_from(["T", " ", "  ", "t"]))
    off = draw(st.sampled_from(["", "Z", "+08:00", "-05:30", "+0800", "+23:59", "-23:59", "+00:00"]))
    pad = draw(st.booleans())
    date_part = f"{y:04d}-{mo:02d}-{d:02d}" if pad else f"{y}-{mo}-{d}"
    return f"{date_part}{sep}{h:02d}:{mi:02d}" + (f":{s:02d}" if draw(st.booleans()) else "") + off


dates = st.one_of(st.sampled_from(ODD_DATES), generated_dates())
scalars = st.one_of(
    st.text(max_size=40), st.integers(-(10**12), 10**12), st.floats(allow_nan=True), st.booleans(), st.none(), dates
)
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def field_line(draw) -> str:
    """One front matter line: a field written quoted, unquoted, as YAML flow, or as plain junk."""
    key = draw(st.sampled_from(FIELDS))
    how = draw(st.sampled_from(["quoted", "bare", "flow", "junk", "date"]))
    if how == "quoted":
        return f"{key}: {json.dumps(draw(st.text(max_size=40)), ensure_ascii=draw(st.booleans()))}"
    if how == "bare":
        bare = draw(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40))
        return f"{key}: {bare}".replace("\n", " ")
    if how == "flow":
        return f"{key}: {json.dumps(draw(yaml_values), ensure_ascii=False, default=str)}"
    if how == "date":
        value = draw(dates)
        return f"date: {json.dumps(value) if draw(st.booleans()) else value}"
    return draw(st.text(max_size=40)).replace("\n", " ")


@st.composite
def session_like_files(draw) -> bytes:
    """A file shaped like a session, then mangled: unclosed, CRLF or CR, BOM, NUL, bad UTF-8, truncated..."""
    lines = draw(st.lists(field_line(), max_size=8))
    lead = draw(st.sampled_from(["", "\n", "\n\n  \n", " "]))
    opener = draw(st.sampled_from(["---", "---", "--- ", "+++", "----", "...", ""]))
    closer = draw(st.sampled_from(["---", "---", "...", "", "--- trailing", "+++"]))
    body = draw(st.text(max_size=200))
    text = lead + opener + "\n" + "\n".join(lines) + "\n" + closer + "\n" + body
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    raw = text.replace("\n", newline).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    mangle = draw(st.sampled_from(["none", "none", "nul", "bad-utf8", "truncate", "latin1"]))
    pos = draw(st.integers(0, max(len(raw), 0)))
    if mangle == "nul":
        raw = raw[:pos] + b"\x00" + raw[pos:]
    elif mangle == "bad-utf8":
        raw = (
            raw[:pos] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\x80\x80"])) + raw[pos:]
        )
    elif mangle == "truncate":
        raw = raw[:pos]
    elif mangle == "latin1":
        raw = text.encode("latin-1", "replace")
    return raw


any_file = st.one_of(
    session_like_files(),
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"",
            b"---",
            b"---\n",
            b"---\n---\n",
            b"---\n...\n",
            b"\xef\xbb\xbf",
            b"\r\n\r\n",
            b"\x00",
            b"---\n: \n---\n",
            b"---\n- a\n- b\n---\n",
            b"---\n42\n---\n",
            b"---\n&a [*a]\n---\n",
        ]
    ),
)


def line_count(raw: bytes) -> int:
    return len(re.split(rb"\r\n|\r|\n", raw))


def assert_located(problems, path: str, raw: bytes | None = None) -> None:
    """Every problem names its file, a line from 1 (to the file's last line), a severity and a message."""
    for p in problems:
        assert p.path == path
        assert p.severity in ("warning", "error")
        assert p.message.strip()
        assert p.line >= 1
        if raw is not None:
            assert p.line <= line_count(raw) + 1, (p, line_count(raw))
        assert str(p).startswith(f"{path}:{p.line}: {p.severity}: ")


# ------------------------------------------------------------------------------ hostile field values
# Every front matter field gets junk: huge numbers, YAML's special values and tags, dates at the ends of the
# calendar, nested lists and sets of fields, and YAML alias bombs (a few hundred bytes that stand for a
# billion items: anything that prints, compares or walks them whole runs out of time or memory).

ALL_FIELDS = (*FIELDS, "tags", "trackchairs", "speechlink", "description", "slug")

HOSTILE_SCALARS = [
    "99999999999",
    "9999999999999999",
    "-99999999999",
    "1e308",
    "-1e308",
    ".inf",
    "-.inf",
    ".nan",
    "0x7fffffffffffffff",
    "0o777777777777777777777",
    "1_000_000_000_000",
    "~",
    "null",
    "yes",
    "false",
    "9999-12-31 23:59:00",
    "9999-12-31T23:59:00-05:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01",
    "2026-08-07",
    "2024-03-10 02:30:00",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!str 40",
    "!!float 1e400",
    "[a, [b, [c, [d]]]]",
    "{a: {b: {c: 1}}}",
    "'" + "x" * 3000 + "'",
    '"\\u0000\\t\\n"',
    "|\n  line one\n  line two",
    ">\n  folded\n  text",
]


def alias_bomb(kind: str, depth: int = 9, width: int = 10) -> list[str]:
    """YAML lines defining anchors b0..b{depth-1}, each `width` of the one before: b{depth-1} stands for
    width**depth items in a few hundred bytes."""
    if kind == "list":
        lines = ["b0: &b0 [" + ",".join(['"lol"'] * width) + "]"]
        lines += [f"b{i}: &b{i} [" + ",".join([f"*b{i - 1}"] * width) + "]" for i in range(1, depth)]
    else:
        lines = ["b0: &b0 {" + ",".join(f"k{j}: lol" for j in range(width)) + "}"]
        lines += [f"b{i}: &b{i} {{" + ",".join(f"k{j}: *b{i - 1}" for j in range(width)) + "}" for i in range(1, depth)]
    return lines


@st.composite
def hostile_files(draw) -> bytes:
    """A session file whose fields (any of them) hold hostile values, often beside a YAML alias bomb."""
    lines: list[str] = []
    bomb = draw(st.sampled_from(["", "list", "dict"]))
    depth = draw(st.integers(3, 9))
    if bomb:
        lines += alias_bomb(bomb, depth=depth)
    chosen = draw(st.lists(st.sampled_from(ALL_FIELDS), min_size=1, max_size=6, unique=True))
    for key in chosen:
        how = draw(st.sampled_from(["scalar", "scalar", "alias", "generated", "number"]))
        if how == "alias" and bomb:
            value = f"*b{draw(st.integers(0, depth - 1))}"  # the deepest anchor stands for 10**depth items
        elif how == "number":
            value = str(draw(st.one_of(st.integers(-(10**30), 10**30), st.floats(allow_nan=True))))
        elif how == "generated":
            value = json.dumps(draw(yaml_values), ensure_ascii=False, default=str)
        else:
            value = draw(st.sampled_from(HOSTILE_SCALARS))
        lines.append(f"{key}: {value}")
    if draw(st.booleans()):
        lines.append("tags: [a]")  # a line the fast path cannot read: YAML proper reads the whole front matter
    if "title" not in chosen and draw(st.booleans()):
        lines.append('title: "Hostile"')
    body = draw(st.sampled_from(["", "Body.\n", "Abstract.\n ### Speakers: \n <img src=x /><br>Ann: bio\n"]))
    return ("---\n" + "\n".join(lines) + "\n---\n" + body).encode("utf-8", "surrogatepass")


BOUNDED_SECONDS = 3.0  # one file read and made into a session (generous: the machine is shared)
BOUNDED_BYTES = 64_000_000  # the most memory reading one such file may take at its peak


class Bounded:
    """Asserts that what runs inside takes bounded time and memory (tracemalloc's peak of Python's allocations)."""

    def __init__(self, seconds: float = BOUNDED_SECONDS, peak: int = BOUNDED_BYTES):
        self.seconds, self.peak = seconds, peak

    def __enter__(self) -> Bounded:
        import time
        import tracemalloc

        self._tracing = tracemalloc.is_tracing()
        if not self._tracing:
            tracemalloc.start()
        tracemalloc.reset_peak()
        self._base = tracemalloc.get_traced_memory()[0]
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        import time
        import tracemalloc

        took = time.perf_counter() - self._t0
        peak = tracemalloc.get_traced_memory()[1] - self._base
        if not self._tracing:
            tracemalloc.stop()
        if exc[0] is None:
            assert took < self.seconds, f"took {took:.2f} s"
            assert peak < self.peak, f"peaked at {peak:,} bytes"
