"""Front matter as Hugo writes it: the fields between `---` lines (YAML), `+++` lines (TOML) or a JSON object
at the top of a Markdown file, with the line each field is on. Never raises: faults become located problems."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from sys import intern
from typing import Any

from bot.core.model import Problem

__all__ = ["FrontMatter", "InOrder", "decode", "load_yaml", "read_common", "read_front_matter"]


def load_yaml(text: str) -> Any:
    """YAML text as data (safe types only), with libyaml's C loader where it is installed (ten times faster).
    PyYAML is imported here, when a file first needs it: nearly every session file takes the fast path below,
    and `check` then starts without it. Raises what yaml.load raises (yaml.YAMLError and others)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def problem(path: str, line: int, fld: str | None, severity: str, message: str) -> Problem:
    return Problem(path=path, line=line, field=fld, severity=severity, message=message)


class InOrder(Mapping[str, int]):
    """Line numbers of fields written one per line from `first`, worked out only when a problem needs one."""

    __slots__ = ("fields", "first")

    def __init__(self, first: int, fields: Mapping[str, Any]):
        self.first = first
        self.fields = fields

    def __getitem__(self, key: str) -> int:
        for i, name in enumerate(self.fields):
            if name == key:
                return self.first + i
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self) -> tuple[type[InOrder], tuple[int, Mapping[str, Any]]]:
        return InOrder, (self.first, self.fields)  # for the start-up cache: two objects, not four


@dataclass(slots=True)
class FrontMatter:
    """What the top of a file says: its fields (None when unreadable), their lines, the body after them."""

    fields: dict[str, Any] | None
    lines: Mapping[str, int] = field(default_factory=dict)
    body: str = ""
    first: int = 1  # the line of the first field
    problems: list[Problem] = field(default_factory=list)


def decode(raw: bytes, path: str) -> tuple[str, list[Problem]]:
    """A file's text: UTF-8 without its BOM, undecodable bytes replaced (and reported), line ends made LF."""
    problems: list[Problem] = []
    bom = 3 if raw[:3] == b"\xef\xbb\xbf" else 0
    try:
        text = raw[bom:].decode("utf-8") if bom else raw.decode("utf-8")  # the plain codec is the C fast path
    except UnicodeDecodeError as exc:
        line = raw[: exc.start + bom].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        problems.append(problem(path, line, None, "warning", "not valid UTF-8; undecodable bytes replaced with �"))
        text = raw[bom:].decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


def read_front_matter(text: str, path: str) -> FrontMatter:
    """The front matter of a file's (decoded, LF) text, in whichever of Hugo's three notations it is written."""
    head = text.lstrip()[:3]
    if head == "+++" or head[:1] == "{":  # Hugo's TOML or JSON front matter: python-frontmatter reads those
        return _read_other(text, path, toml=head == "+++")
    fm, body, first, problems = _split(text, path)
    if fm is None:
        return FrontMatter(None, first=first, problems=problems)
    simple = _read_simple(fm, first)
    if simple is not None:
        return FrontMatter(simple[0], simple[1], body, first)
    return _read_yaml(fm, body, first, path)


def read_common(raw: bytes) -> tuple[dict[str, Any], InOrder, str, int] | None:
    """(fields, their lines, the text, where its body starts) of a file written as nearly every session file is:
    UTF-8 without a BOM or CR, `---` on the first line, one `key: "value"` a line, `---`. None for anything else,
    which `decode` and `read_front_matter` then read (to the same fields, lines and body for such a file), with
    its problems. One pass, without the objects the general path makes on the way (nor the body, which `check`
    never reads): `check` reads 20,000 such files."""
    if not raw.startswith(b"---\n") or b"\r" in raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    close = text.find("\n---", 3)  # the first line after the fields that starts with ---: the closing one?
    if close <= 3:
        return None
    eol = text.find("\n", close + 4)
    if text[close + 4 : eol if eol != -1 else len(text)].strip(" \t"):
        return None  # "----" or "--- x": the general path looks further
    fm = text[4:close]
    pairs = _QUOTED_LINE.findall(fm)
    if len(pairs) != fm.count("\n") + 1:
        return None
    fields: dict[str, Any] = {intern(k): v for k, v in pairs}
    if len(fields) != len(pairs):
        return None
    return fields, InOrder(2, fields), text, eol + 1 if eol != -1 else len(text)


_FM_COMMON = re.compile(r"---[ \t]*\n((?:[^\n]*\n)*?)---[ \t]*(?:\n|$)")


def _split(text: str, path: str) -> tuple[str | None, str, int, list[Problem]]:
    """(front matter, body, line where the front matter starts, problems). Works on offsets: no copies."""
    m = _FM_COMMON.match(text)
    if m:  # the layout nearly every file has: --- at the very top, --- after the fields
        return m.group(1)[:-1], text[m.end() :], 2, []
    n = len(text)
    pos = 0
    while pos < n and text[pos] in " \t\n":
        pos += 1
    if text.startswith("---", pos):
        eol = text.find("\n", pos)
        if eol != -1 and (eol == pos + 3 or not text[pos + 3 : eol].strip()):
            start_line = text.count("\n", 0, pos) + 2  # 1-based line of the first field
            i = eol + 1
            while True:  # walk the front matter's lines (a handful) to the closing --- or ...
                j = text.find("\n", i)
                end = n if j == -1 else j
                if (text.startswith("---", i) and (end == i + 3 or not text[i + 3 : end].strip())) or (
                    text.startswith("...", i) and not text[i + 3 : end].strip()
                ):
                    return text[eol + 1 : i].rstrip("\n"), ("" if j == -1 else text[j + 1 :]), start_line, []
                if j == -1:
                    break
                i = j + 1
            message = "front matter is never closed: expected a second '---' line after the fields"
            return None, text, 1, [problem(path, start_line - 1, None, "error", message)]
    line = text.count("\n", 0, pos) + 1
    if text[pos:].split("\n", 1)[0].strip() == "+++":
        message = "TOML front matter (+++) is not supported; use YAML between --- lines"
        return None, text, line, [problem(path, line, None, "error", message)]
    message = "not a session: no front matter (expected a first line '---', then title:, date:, track:, presenters:, then '---')"
    return None, text, line, [problem(path, line, None, "error", message)]


# A simple front matter line: `key: "value"` or `key: value` (what almost every real file uses).
_SIMPLE_LINE = re.compile(
    r'^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(?:"((?:[^"\\]|\\.)*)"|\'((?:[^\']|\'\')*)\'|([^"\'\s#\[\{>|&*!%@`][^#]*?|))[ \t]*$'
)
_QUOTED_LINE = re.compile(r'^([A-Za-z_][\w-]*)[ \t]*:[ \t]*"([^"\\\n]*)"[ \t]*$', re.M)
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def _read_simple(fm: str, first_line: int) -> tuple[dict[str, Any], Mapping[str, int]] | None:
    """The fast path for one-line `key: value` fields; None when YAML proper is needed."""
    pairs = _QUOTED_LINE.findall(fm)
    if pairs and len(pairs) == fm.count("\n") + 1:  # every line a `key: "value"`: the common case, no blank lines
        fields: dict[str, Any] = {intern(k): v for k, v in pairs}  # one "title" for 20,000 files, not 20,000
        if len(fields) == len(pairs):
            return fields, InOrder(first_line, fields)
    raw_lines = fm.split("\n")
    if pairs:
        numbered = [i for i, ln in enumerate(raw_lines) if ln and not ln.isspace()]
        if len(numbered) == len(pairs):
            fields = {intern(k): v for k, v in pairs}
            if len(fields) == len(pairs):
                return fields, {k: first_line + i for (k, _), i in zip(pairs, numbered, strict=True)}
    fields = {}
    lines: dict[str, int] = {}
    for n, raw in enumerate(raw_lines):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw[0] in " \t":
            return None
        m = _SIMPLE_LINE.match(raw)
        if not m:
            return None
        key = m.group(1)
        if m.group(2) is not None:
            value = m.group(2)
            if "\\" in value:
                return None
        elif m.group(3) is not None:
            value = m.group(3).replace("''", "'")
        else:
            value = m.group(4)
            if value in ("true", "false", "null", "~") or value.isdigit():
                return None  # let YAML type it
        if key in fields:
            return None
        fields[intern(key)] = value
        lines[key] = first_line + n
    return fields, lines


def _read_yaml(fm: str, body: str, first_line: int, path: str) -> FrontMatter:
    import yaml  # here, where YAML proper is needed (for its error class; see load_yaml)

    try:
        data = load_yaml(fm)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        message = f"front matter is not valid YAML: {reason}; check quotes and colons on this line"
        return FrontMatter(None, first=first_line, problems=[problem(path, line, None, "error", message)])
    except Exception as exc:  # noqa: BLE001 - junk input (deep nesting, huge numbers) must never stop the bot
        message = f"front matter could not be read: {exc}"
        return FrontMatter(None, first=first_line, problems=[problem(path, first_line, None, "error", message)])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        message = "front matter is not a set of fields (expected lines such as 'title: \"...\"')"
        return FrontMatter(None, first=first_line, problems=[problem(path, first_line, None, "error", message)])
    lines: dict[str, int] = {}
    for n, raw in enumerate(fm.split("\n")):
        m = _KEY_LINE.match(raw)
        if m and m.group(1) not in lines:
            lines[m.group(1)] = first_line + n
    return FrontMatter({intern(str(k)): v for k, v in data.items()}, lines, body, first_line)


def _read_other(text: str, path: str, *, toml: bool) -> FrontMatter:
    """TOML (+++) or JSON ({ … }) front matter, as Hugo allows, read with python-frontmatter's handlers."""
    from frontmatter.default_handlers import BaseHandler, JSONHandler

    handler: BaseHandler = _toml_handler() if toml else JSONHandler()
    kind = "TOML" if toml else "JSON"
    try:
        fm, body = handler.split(text.strip())
        data = handler.load(fm)
    except Exception as exc:  # noqa: BLE001 - TOMLDecodeError, JSONDecodeError (ValueErrors), deep nesting: never raise
        line = 1
        m = re.search(r"line (\d+)", str(exc))
        if m:
            line = int(m.group(1)) + (1 if toml else 0)
        what = "never closed" if "not enough values" in str(exc) else str(exc)
        return FrontMatter(
            None, problems=[problem(path, line, None, "error", f"{kind} front matter could not be read: {what}")]
        )
    if not isinstance(data, dict):
        return FrontMatter(
            None, problems=[problem(path, 1, None, "error", f"{kind} front matter is not a set of fields")]
        )
    return FrontMatter({str(k): v for k, v in data.items()}, {}, body, 2)


def _toml_handler() -> Any:
    """python-frontmatter's handler for Hugo's `+++` TOML front matter, on the standard library's tomllib."""
    import tomllib

    from frontmatter.default_handlers import BaseHandler

    class Handler(BaseHandler):
        FM_BOUNDARY = re.compile(r"^\+{3}\s*$", re.MULTILINE)
        START_DELIMITER = END_DELIMITER = "+++"

        def load(self, fm: str, **kwargs: object) -> Any:
            return tomllib.loads(fm)

        def export(self, metadata: dict[str, object], **kwargs: object) -> str:  # pragma: no cover - never written
            raise NotImplementedError

    return Handler()
