"""The Hugo format reads any bytes in any file: a session's fields, or problems located like a compiler's, never
an exception. Property tests (hypothesis) feed `parse_file` junk, broken front matter, odd encodings and field
values of every YAML type; example tests pin the named cases (huge, empty, NUL, BOM, CRLF, TOML, JSON...)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import example, given

from bot.core.programme.hugo import HUGO, parse_file, session_stem
from bot.core.programme.loader import load_catalog
from bot.core.programme.source import Context
from tests.core.programme.junk import (
    GOOD,
    GOOD_TITLE,
    PROPS,
    SHANGHAI,
    Bounded,
    alias_bomb,
    any_file,
    assert_located,
    hostile_files,
    line_count,
    session_like_files,
)

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


# ------------------------------------------------------------------------------------------- named examples


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


# ------------------------------------------------------------------------------- TOML and JSON front matter


def test_toml_front_matter_is_a_session(tmp_path):
    """A +++ TOML session gives its title, time, room and a list of presenters."""
    (tmp_path / "t1.md").write_text(
        '+++\ntitle = "TOML talk"\ndate = "2026-08-07T11:00:00"\ntrack = "ai"\n'
        'presenters = ["A One", "B Two"]\nroom = "Pier 2"\n+++\nAbstract here.\n',
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path)
    s = catalog.by_id["t1"]
    assert (s.title, s.room, s.presenters) == ("TOML talk", "Pier 2", ("A One", "B Two"))
    assert s.start == datetime(2026, 8, 7, 11, 0, tzinfo=SHANGHAI)
    assert s.abstract == "Abstract here."
    assert catalog.problems == [] and catalog.failed_files == []


def test_json_front_matter_is_a_session(tmp_path):
    """A JSON front matter session loads too."""
    (tmp_path / "t2.md").write_text(
        '{\n "title": "JSON talk",\n "date": "2026-08-07 12:00:00",\n "track": "ai",\n'
        ' "presenters": "C Three"\n}\nBody.\n',
        encoding="utf-8",
    )
    (s,) = load_catalog(tmp_path).scheduled
    assert (s.id, s.title, s.presenters, s.start.hour) == ("t2", "JSON talk", ("C Three",), 12)


def test_broken_toml_is_reported_with_its_kind_and_never_raises():
    """An unclosed TOML string is an error naming TOML; the file is skipped, not fatal."""
    parsed = parse_file("/p/t3.md", b'+++\ntitle = "broken\n+++\n')
    assert not parsed.ok
    assert [(p.severity, "TOML front matter" in p.message) for p in parsed.problems] == [("error", True)]
    parsed = parse_file("/p/t4.md", b"{ not json\n}\n")
    assert not parsed.ok and "JSON front matter" in parsed.problems[0].message


# ----------------------------------------------------------------------------------- hostile field values


def _made(path: str, raw: bytes):
    """A file read and made into a session as the loader would (its translation absent)."""
    parsed = parse_file(path, raw)
    built = HUGO.build(parsed.stem, [parsed], Context(SHANGHAI)) if parsed.ok else []
    return parsed, built


@PROPS
@given(raw=hostile_files())
@example(raw=b'---\ntitle: "T"\ndate: "2026-08-07T09:30:00"\nduration: 99999999999\ntags: [a]\n---\n')
@example(raw=b'---\ntitle: "T"\ndate: 9999-12-31 23:59:00\ntags: [a]\n---\n')
@example(raw=("---\n" + "\n".join(alias_bomb("list")) + "\ntitle: T\nduration: *b8\n---\n").encode())
def test_any_field_may_hold_anything_and_reading_stays_small_and_quick(raw):
    """Whatever any field holds (huge numbers, YAML tags, far dates, lists, sets of fields, alias bombs), reading
    the file and making its session raises nothing, takes bounded time and memory, and locates every problem."""
    path = "/programme/hostile.md"
    with Bounded():
        parsed, built = _made(path, raw)
        for session, problems in built:
            assert_located(problems, path)
            assert len(session.title) <= 2000 and len(session.room or "") <= 2000 and len(session.stype) <= 2000
            assert all(len(p) <= 2000 for p in session.presenters) and len(session.presenters) <= 100
            if session.start is not None:
                assert session.end is not None and session.end > session.start
                assert 1900 <= session.start.year <= 2200
            assert all(len(p.message) < 1000 for p in problems)
    assert_located(parsed.problems, path, raw)


@pytest.mark.parametrize(
    "field", ["duration", "date", "end", "title", "presenters", "room", "stype", "track", "speechLink"]
)
@pytest.mark.parametrize("kind", ["list", "dict"])
def test_a_yaml_alias_bomb_in_any_field_costs_nothing(field, kind):
    """A few hundred bytes of YAML aliases standing for a billion items, in any field, are refused or cut short
    at once: the session reads in bounded time and memory."""
    lines = alias_bomb(kind)
    start = "" if field == "date" else 'date: "2026-08-07T09:30:00"\n'
    raw = ("---\n" + "\n".join(lines) + f'\ntitle: "Bomb"\ntrack: "data"\n{start}{field}: *b8\n---\nBody.\n').encode()
    assert len(raw) < 1500
    with Bounded():
        parsed, built = _made("/p/bomb.md", raw)
        ((session, problems),) = built
    assert parsed.ok and len(session.title) < 5000
    if field in ("duration", "date", "end"):
        assert any(p.field == field for p in problems), [str(p) for p in problems]


# ------------------------------------------------------------------------------------------ file names


@pytest.mark.parametrize(
    ("name", "stem", "lang"),
    [("talk .md", "talk", "en"), ("talk.zh.zh.md", "talk", "zh"), ("talk .zh.md", "talk", "zh")],
)
def test_an_odd_file_name_is_a_warning_and_reads_as_its_session(name, stem, lang):
    """A stray space before ".md" or a doubled ".zh" is a warning on line 1 naming the proper name; the file is
    read as the session (and language) it was meant for, so no second session appears."""
    parsed = parse_file(f"/p/{name}", GOOD)
    assert (parsed.ok, parsed.stem, parsed.lang) == (True, stem, lang)
    assert session_stem(f"/p/{name}") == stem
    (note,) = [p for p in parsed.problems if p.line == 1 and p.severity == "warning"]
    assert (f"{stem}.zh.md" if lang == "zh" else f"{stem}.md") in note.message


# ----------------------------------------------------------------------------------- abstract and bios


def test_an_indented_speakers_heading_ends_the_abstract_and_starts_the_bios():
    """As most 2022 and 2024 files write it (" ### Speakers: "), the heading and the bios stay out of the abstract
    and come out, as text, in the bios."""
    raw = GOOD.replace(b"### Speakers:\n\nAda Lovelace: hydrographer\n", b"")
    raw += b' ### Speakers: \n <img src="images/speaker/1.png" width="200" /><br>Ada Lovelace: hydrographer\n'
    parsed = parse_file("/p/s.md", raw)
    assert parsed.abstract == "Tide tables as open data."
    assert parsed.bios == "Ada Lovelace: hydrographer"
