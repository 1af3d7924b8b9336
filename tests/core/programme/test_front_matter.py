"""The front matter reader's one-pass path for the common file (`read_common`) reads exactly what the general
path (`decode`, then `read_front_matter`) reads from the same bytes, or leaves the file to it."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from bot.core.programme.front_matter import decode, read_common, read_front_matter
from tests.core.programme.junk import FIELDS, GOOD, PROPS, any_file, session_like_files


@st.composite
def quoted_files(draw) -> bytes:
    """Files near the common shape: `key: "value"` lines, now and then a line, closer or key that is not."""
    keys = st.sampled_from([*FIELDS, "title", "title"])  # a repeated key now and then
    value = st.text(max_size=20)
    lines = []
    for _ in range(draw(st.integers(0, 7))):
        lines.append(
            draw(
                st.sampled_from(
                    [
                        f"{draw(keys)}: {json.dumps(draw(value), ensure_ascii=False)}",
                        f'{draw(keys)}:"{draw(st.text(alphabet=" ab", max_size=3))}" ',
                        f"{draw(keys)}: {draw(value)}".replace("\n", " "),
                        draw(st.sampled_from(["", " ", "# a comment", "---x", "  indented: 1"])),
                    ]
                )
            )
        )
    closer = draw(st.sampled_from(["---", "---", "--- ", "---\t", "----", "--- x", "...", ""]))
    body = draw(st.sampled_from(["", "\n", "\nbody\n", "\n---\nmore\n", "body without a newline"]))
    end = draw(st.sampled_from(["\n", ""]))
    return ("---\n" + "\n".join(lines) + "\n" + closer + end + body).encode("utf-8", "surrogatepass")


def _general(raw: bytes):
    text, problems = decode(raw, "x.md")
    fm = read_front_matter(text, "x.md")
    return fm.fields, dict(fm.lines), fm.body, fm.first, problems + fm.problems


@PROPS
@given(raw=st.one_of(quoted_files(), session_like_files(), any_file))
@example(raw=GOOD)
@example(raw=b'---\ntitle: "a"\n---')
@example(raw=b'---\ntitle: "a"\n---  ')
@example(raw=b'---\ntitle: "a"\n----\ndate: "b"\n---\nbody')
@example(raw=b'---\ntitle: "a"\ntitle: "b"\n---\n')
@example(raw=b'---\ntitle: "a \\" b"\n---\n')
@example(raw=b'---\n---\ntitle: "a"\n---\n')
def test_the_common_path_reads_what_the_general_path_reads(raw):
    """A session file reads the same whichever way the reader takes: its fields, their lines, its body."""
    common = read_common(raw)
    if common is None:
        return
    fields, lines, text, body_at = common
    assert _general(raw) == (fields, dict(lines), text[body_at:], 2, [])


def test_the_common_path_takes_the_common_file():
    """The file nearly every programme is made of takes the one-pass path (else `check` is slow, not wrong)."""
    common = read_common(GOOD)
    assert common is not None
    assert common[0]["title"] == "Charting the Harbour with Open Data"
    assert common[1]["room"] == 7
