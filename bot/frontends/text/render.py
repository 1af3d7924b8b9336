"""Replies as plain text for the terminal: every page, times in conference time, wrapped by display width."""

from __future__ import annotations

import re

from bot.commands.reply import Reply
from bot.core.text import CJK, display_width
from bot.i18n import fmt_span, tr

WIDTH = 78
INDENT = "    "

# A run of spaces, one character of a script written without spaces (a line may break after any of them), or a
# run of anything else: an English word with its punctuation, a number, a URL, never broken.
_TOKEN = re.compile(rf"(\s+)|([{CJK}])|([^\s{CJK}]+)")
# Punctuation that may not start a line, and brackets that may not end one (the usual CJK line-breaking rules).
_NO_START = set("，。、；：！？）」』】》〉”’…·,.;:!?)]}%")
_NO_END = set("（「『【《〈“‘([{")


def _units(text: str) -> list[str]:
    """The pieces a line may break between: words, single Chinese characters, and the runs of spaces between."""
    units: list[str] = []
    glue = False  # the last piece ends with an opening bracket: what follows sticks to it
    for m in _TOKEN.finditer(text):
        space, char, word = m.groups()
        if space is not None:
            if units:
                units.append(" " * len(space))
            glue = False
            continue
        piece = char or word
        if units and not units[-1].isspace() and (glue or piece[0] in _NO_START):
            units[-1] += piece
        else:
            units.append(piece)
        glue = piece[-1] in _NO_END
    if units and units[-1].isspace():
        units.pop()
    return units


def wrap(text: str, width: int = WIDTH, indent: str = "", subsequent: str | None = None) -> list[str]:
    """`text` in lines of at most `width` terminal columns (a Chinese character takes two), each paragraph on its
    own lines. Lines break at spaces and between Chinese characters, never inside an English word: a word longer
    than a line stands alone on its line."""
    rest = indent if subsequent is None else subsequent
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = indent if not lines else rest
        used, start, gap = display_width(line), True, ""
        for unit in _units(paragraph):
            if unit.isspace():
                gap = unit
                continue
            w = display_width(unit)
            if start:
                line, used, start = line + unit, used + w, False
            elif used + len(gap) + w <= width:
                line, used = line + gap + unit, used + len(gap) + w
            else:  # the spaces at a break go with it
                lines.append(line)
                line, used = rest + unit, display_width(rest) + w
            gap = ""
        lines.append("" if start else line)
    return lines


def render(reply: Reply, lang: str = "en") -> str:
    """A reply as plain text, every page of it, times in conference time."""
    out: list[str] = []
    pages = reply.paginate()
    for page in pages:
        if reply.error:
            out.extend(wrap(page.text, indent="✗ ", subsequent="  "))
            if page.footer:
                out.extend(wrap(page.footer, indent="  "))
            continue
        if page.title:
            head = page.title + (
                f"  ({tr('page', lang, i=page.page, n=page.pages_total)})" if page.pages_total > 1 else ""
            )
            heads = wrap(head)
            out.extend(heads)
            out.append("=" * min(WIDTH, max(8, *(display_width(h) for h in heads))))
        if page.text:
            out.extend(wrap(page.text))
        for section in page.sections:
            if section.heading:
                out.append("")
                out.append(f"## {section.heading}")
            for entry in section.entries:
                out.append("")
                when = fmt_span(entry.start, entry.end, lang, with_day=not section.dated) if entry.start else ""
                if not when and entry.session_id:
                    when = tr("unscheduled", lang)
                head = f"{when}  {entry.title}" if when else f"• {entry.title}"
                out.extend(wrap(head, subsequent=INDENT))
                for line in entry.lines:
                    out.extend(wrap(line, indent=INDENT))
                if entry.body:
                    out.append("")
                    out.extend(wrap(entry.body, indent=INDENT))
                if entry.speakers:  # the speakers' bios, under a heading of our own
                    out.append("")
                    out.append(INDENT + tr("label.speakers", lang))
                    out.extend(wrap(entry.speakers, indent=INDENT))
                if entry.session_id:
                    out.append(INDENT + tr("text.session_id", lang, id=entry.session_id))
        if page.footer and page.page == page.pages_total:
            out.append("")
            out.extend(wrap(page.footer))
        if reply.file and page.page == page.pages_total:
            out.append(tr("text.attachment", lang, name=reply.file[0], size=f"{len(reply.file[1]):,}"))
        out.append("")
    return "\n".join(out).rstrip() + "\n"
