"""The programme loader never falls over: any bytes in any file give located problems, and good sessions still load.

Property tests (hypothesis) feed `parse_file` and a whole `CatalogLoader` folder junk, broken front matter, odd
encodings and field values of every YAML type; example tests pin the named cases (huge, empty, NUL, BOM, CRLF...).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.programme.hugo import MAX_FILE_BYTES, parse_file
from bot.core.programme.loader import CatalogLoader

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
        return f"{key}: {draw(st.text(alphabet=st.characters(blacklist_categories=('Cs',)), max_size=40))}".replace(
            "\n", " "
        )
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


# ------------------------------------------------------------------------------------------ parse_file props


@PROPS
@given(raw=any_file)
@example(raw=GOOD)
@example(raw=GOOD.replace(b"\n", b"\r\n"))
@example(raw=b"\xef\xbb\xbf" + GOOD)
@example(raw=GOOD.replace(b"\n---\n\n", b"\n\n"))  # never closed
def test_parse_file_never_raises_and_locates_every_problem(raw):
    """Whatever a file holds, reading it gives a result; each problem names the file and a real line."""
    path = "/programme/some-session.md"
    parsed = parse_file(path, raw)
    assert_located(parsed.problems, path, raw)
    if not parsed.ok:
        assert any(p.severity == "error" for p in parsed.problems)
    else:
        assert isinstance(parsed.title, str) and isinstance(parsed.abstract, str)
        if b"\\" not in raw and b"\xef\xbb\xbf" not in raw[3:]:  # (an escape or inner BOM may be meant)
            assert "\r" not in parsed.title and "\ufeff" not in parsed.title
        assert all(isinstance(x, str) and x for x in parsed.presenters)


@PROPS
@given(raw=session_like_files())
def test_parse_file_line_endings_and_bom_do_not_change_the_result(raw):
    """A file saved with CRLF or CR line endings or a BOM reads exactly as the same file with LF and no BOM."""
    if b"\r" in raw or raw.startswith(b"\xef\xbb\xbf") or b"\x00" in raw:
        return  # compare from a plain original only
    try:
        raw.decode("utf-8")
        clean = True
    except UnicodeDecodeError:
        clean = False  # where the undecodable-byte warning lands is pinned by the example tests below
    variants = [raw.replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + raw, b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")]
    if clean:
        variants.append(raw.replace(b"\n", b"\r"))

    def located(parsed):
        return [(p.line if clean or "UTF-8" not in p.message else 0, p.severity, p.message) for p in parsed.problems]

    plain = parse_file("/p/s.md", raw)
    for variant in variants:
        other = parse_file("/p/s.md", variant)
        assert (other.ok, other.title, other.presenters, other.abstract) == (
            plain.ok,
            plain.title,
            plain.presenters,
            plain.abstract,
        )
        assert located(other) == located(plain)


# ------------------------------------------------------------------------------------------------ folder props


def _load(folder: Path):
    loader = CatalogLoader(folder, None, SHANGHAI)
    catalog = loader.load()
    again = loader.load(keep_last_good=True)  # a reload over the same junk must hold up too
    return catalog, again


def _assert_good_session_loaded(catalog, folder: Path) -> None:
    good = catalog.by_id.get("good")
    assert good is not None, [str(p) for p in catalog.problems]
    assert good.title == GOOD_TITLE
    assert good.start == GOOD_START
    assert good.track == "data" and good.room == "Pier 3"
    assert good.presenters == ("Ada Lovelace", "Grace Hopper")
    assert str(folder / "good.md") not in catalog.failed_files


def _assert_catalog_sane(catalog, folder: Path) -> None:
    names = {str(folder / n) for n in os.listdir(folder)}
    for p in catalog.problems:
        assert p.path in names, p
        assert p.line >= 1 and p.severity in ("warning", "error") and p.message
    assert len({s.id for s in catalog.sessions}) == len(catalog.sessions)
    starts = [s.start for s in catalog.scheduled]
    assert starts == sorted(starts)
    for s in catalog.scheduled:
        assert s.start.tzinfo is not None and (s.end is None or s.end >= s.start)
    assert set(catalog.failed_files) <= names


junk_names = st.sampled_from(["junk.md", "junk.zh.md", "good.zh.md", "other junk.md", "日程.md", "-.md", "x.zh.md"])


@PROPS
@given(files=st.lists(st.tuples(junk_names, any_file), min_size=1, max_size=4, unique_by=lambda t: t[0]))
def test_folder_of_junk_still_loads_the_good_session(files):
    """Broken files beside a good session never stop the programme loading, and the good session is all there."""
    folder = Path(tempfile.mkdtemp(prefix="confbot-props-"))
    try:
        (folder / "good.md").write_bytes(GOOD)
        for name, raw in files:
            (folder / name).write_bytes(raw)
        for catalog in _load(folder):
            _assert_good_session_loaded(catalog, folder)
            _assert_catalog_sane(catalog, folder)
    finally:
        shutil.rmtree(folder)


@PROPS
@given(value=dates, quoted=st.booleans(), field=st.sampled_from(["date", "end"]))
def test_any_date_form_is_read_or_reported(value, quoted, field):
    """A date (or end) in any odd form either reads as a conference-time moment or is reported on its line."""
    folder = Path(tempfile.mkdtemp(prefix="confbot-dates-"))
    try:
        (folder / "good.md").write_bytes(GOOD)
        written = json.dumps(value, ensure_ascii=False) if quoted else value
        lines = ['title: "Odd date"', 'date: "2026-08-07T11:00:00"', 'track: "data"', 'presenters: "X Y"']
        if field == "date":
            lines[1] = f"date: {written}"
        else:
            lines.append(f"end: {written}")
        (folder / "odd.md").write_text("---\n" + "\n".join(lines) + "\n---\nBody.\n", encoding="utf-8")
        for catalog in _load(folder):
            _assert_good_session_loaded(catalog, folder)
            _assert_catalog_sane(catalog, folder)
            odd = catalog.by_id.get("odd")
            about = [p for p in catalog.problems if p.path == str(folder / "odd.md")]
            if odd is None:  # YAML itself refused the value: the file is reported as broken
                assert str(folder / "odd.md") in catalog.failed_files and about
            elif field == "date" and odd.start is None and value.strip():
                assert any(p.field == "date" and p.line == 3 for p in about), [str(p) for p in about]
            if odd is not None and odd.start is not None:
                assert odd.start.utcoffset() is not None
    finally:
        shutil.rmtree(folder)


# ------------------------------------------------------------------------------------------- named examples


def test_huge_file_is_skipped_with_a_problem(tmp_path):
    """A file over 2 MB is skipped with an error on line 1; the good session beside it loads."""
    huge = GOOD + b"x" * (MAX_FILE_BYTES + 1)
    parsed = parse_file(str(tmp_path / "huge.md"), huge)
    assert not parsed.ok
    assert [(p.line, p.severity) for p in parsed.problems] == [(1, "error")]
    assert "bytes" in parsed.problems[0].message
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "huge.md").write_bytes(huge)
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)
    assert str(tmp_path / "huge.md") in catalog.failed_files


@pytest.mark.parametrize("raw", [b"", b"\n\n\n", b"   "])
def test_empty_file_is_not_a_session(raw):
    """An empty or blank file is reported on line 1 as not a session."""
    parsed = parse_file("/p/empty.md", raw)
    assert not parsed.ok
    (problem,) = parsed.problems
    assert problem.severity == "error" and "not a session" in problem.message
    assert 1 <= problem.line <= line_count(raw)
    if raw == b"":
        assert problem.line == 1


def test_nul_bytes_mean_a_binary_file():
    """A file with NUL bytes is reported as binary and skipped."""
    parsed = parse_file("/p/image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not parsed.ok
    assert parsed.problems[0].line == 1 and "binary" in parsed.problems[0].message


def test_invalid_utf8_is_a_warning_on_its_line_and_the_session_loads():
    """A stray non-UTF-8 byte in the room line is a warning on that line; the session still reads."""
    raw = GOOD.replace(b'room: "Pier 3"', b'room: "Pier \xff3"')
    parsed = parse_file("/p/s.md", raw)
    assert parsed.ok and parsed.title == GOOD_TITLE
    assert [(p.line, p.severity) for p in parsed.problems] == [(7, "warning")]  # room is line 7


def test_crlf_and_bom_read_like_plain_lf():
    """Windows line endings and a byte order mark change nothing about the session read."""
    plain = parse_file("/p/s.md", GOOD)
    for raw in (GOOD.replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + GOOD, b"\xef\xbb\xbf" + GOOD.replace(b"\n", b"\r\n")):
        other = parse_file("/p/s.md", raw)
        assert (other.ok, other.title, other.presenters, other.abstract, other.lines) == (
            plain.ok,
            GOOD_TITLE,
            ("Ada Lovelace", "Grace Hopper"),
            "Tide tables as open data.",
            plain.lines,
        )
        assert other.problems == []


def test_invalid_utf8_line_with_cr_line_endings():
    """With old Mac (CR) line endings, a stray non-UTF-8 byte is still reported on its own line."""
    raw = GOOD.replace(b'room: "Pier 3"', b'room: "Pier \xff3"').replace(b"\n", b"\r")
    parsed = parse_file("/p/s.md", raw)
    assert [(p.line, p.severity) for p in parsed.problems] == [(7, "warning")]


def test_invalid_utf8_line_with_a_bom():
    """With a byte order mark, a non-UTF-8 byte at the start of line 4 is reported on line 4."""
    parsed = parse_file("/p/s.md", b"\xef\xbb\xbf---\n\n---\n\x80")
    assert [(p.line, p.severity) for p in parsed.problems if "UTF-8" in p.message] == [(4, "warning")]


def test_unclosed_front_matter_is_reported_at_its_opening_line():
    """Front matter that never closes is an error pointing at its opening --- line."""
    raw = b'\n\n---\ntitle: "Never closed"\ndate: "2026-08-07T09:30:00"\n\nBody text.\n'
    parsed = parse_file("/p/s.md", raw)
    assert not parsed.ok
    assert [(p.line, p.severity) for p in parsed.problems] == [(3, "error")]
    assert "never closed" in parsed.problems[0].message


def test_yaml_error_is_reported_near_its_line():
    """A front matter quote left open is reported as invalid YAML on the line it breaks (2 or 3)."""
    raw = b'---\ntitle: "Unclosed\ndate: "2026-08-07T09:30:00"\ntrack: "data"\n---\n'
    parsed = parse_file("/p/s.md", raw)
    assert not parsed.ok
    assert len(parsed.problems) == 1 and parsed.problems[0].line in (2, 3)


def test_yaml_types_in_fields_are_read_as_text():
    """Lists, maps and numbers where text is expected are read without failing: a presenters list, a numeric title."""
    raw = (
        b'---\ntitle: 2026\ndate: "2026-08-07T09:30:00"\ntrack: [data, ai]\n'
        b"presenters:\n  - Ada Lovelace\n  - Grace Hopper\nroom: {name: Pier 3}\nduration: [40]\n---\nBody.\n"
    )
    parsed = parse_file("/p/s.md", raw)
    assert parsed.ok
    assert parsed.title == "2026"
    assert parsed.presenters == ("Ada Lovelace", "Grace Hopper")


def test_folder_with_a_directory_and_a_dangling_link_still_loads(tmp_path):
    """A sub-folder named like a session and a broken symbolic link are skipped, not fatal."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing-target.md")
    (tmp_path / "notes.txt").write_bytes(b"\x00\xff")
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)
    assert [s.id for s in catalog.sessions] == ["good"]


# -------------------------------------------------------------------------------------------- known crashes


@pytest.mark.parametrize("field", ["title", "presenters"])
def test_deeply_nested_field_does_not_raise(field):
    """A field nested hundreds of lists deep is reported or flattened, never an exception."""
    raw = (f"---\n{field}: " + "[" * 500 + "x" + "]" * 500 + '\ndate: "2026-08-07T09:30:00"\n---\n').encode()
    parsed = parse_file("/p/deep.md", raw)
    assert_located(parsed.problems, "/p/deep.md", raw)


def test_yaml_alias_bomb_stays_small():
    """A few hundred bytes of YAML aliases cannot make a megabyte-long title."""
    lines = ["a0: &a0 [" + ",".join(['"lol"'] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 6)]
    raw = ("---\n" + "\n".join(lines) + "\ntitle: *a5\n---\nBody.\n").encode()
    assert len(raw) < 400
    parsed = parse_file("/p/bomb.md", raw)
    assert len(parsed.title) < 10_000


@pytest.mark.parametrize(
    "value",
    ["2026-08-07T10:00:00+99:00", "9999-12-31T23:00:00-10:00", "0001-01-01T00:10:00+14:00", "9999-12-31T23:59:00"],
)
def test_extreme_dates_are_reported_not_raised(tmp_path, value):
    """A date with an impossible offset or at the very end of the calendar is reported; the good session loads."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "odd.md").write_text(
        f'---\ntitle: "Odd"\ndate: "{value}"\ntrack: "data"\npresenters: "X Y"\n---\n', encoding="utf-8"
    )
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)
