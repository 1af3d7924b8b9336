"""Replies as plain text for the terminal: every page, times in conference time, wrapped by display width."""

from __future__ import annotations

import textwrap

from bot.commands.reply import Reply
from bot.core.text import display_width
from bot.i18n import fmt_span, tr

WIDTH = 78


def render(reply: Reply, lang: str = "en") -> str:
    """A reply as plain text, every page of it, times in conference time."""
    out: list[str] = []
    pages = reply.paginate()
    for page in pages:
        if reply.error:
            out.append(f"✗ {page.text}")
            if page.footer:
                out.append(f"  {page.footer}")
            continue
        if page.title:
            head = page.title + (
                f"  ({tr('page', lang, i=page.page, n=page.pages_total)})" if page.pages_total > 1 else ""
            )
            out.append(head)
            out.append("=" * min(WIDTH, max(8, display_width(head))))
        if page.text:
            out.extend(textwrap.wrap(page.text, WIDTH) or [""])
        for section in page.sections:
            if section.heading:
                out.append("")
                out.append(f"## {section.heading}")
            for entry in section.entries:
                out.append("")
                when = fmt_span(entry.start, entry.end, lang, with_day=not section.dated) if entry.start else ""
                if not when and entry.session_id:
                    when = tr("unscheduled", lang)
                out.append(f"{when}  {entry.title}" if when else f"• {entry.title}")
                for line in entry.lines:
                    out.append(f"    {line}")
                if entry.body:
                    out.append("")
                    for para in entry.body.split("\n"):
                        out.extend("    " + w for w in (textwrap.wrap(para, WIDTH - 4) or [""]))
                if entry.session_id:
                    out.append("    " + tr("text.session_id", lang, id=entry.session_id))
        if page.footer and page.page == page.pages_total:
            out.append("")
            out.append(page.footer)
        if reply.file and page.page == page.pages_total:
            out.append(tr("text.attachment", lang, name=reply.file[0], size=f"{len(reply.file[1]):,}"))
        out.append("")
    return "\n".join(out).rstrip() + "\n"
