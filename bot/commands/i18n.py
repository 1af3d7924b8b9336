"""The words the bot says, in English and Chinese, and how it writes times for each."""

from __future__ import annotations

from datetime import date, datetime

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

STRINGS: dict[str, tuple[str, str]] = {
    # key: (English, Chinese)
    "next.title": ("Next up", "接下来"),
    "next.title.at": ("Next after {when}", "{when} 之后"),
    "next.none": ("Nothing more is scheduled after {when}.", "{when} 之后没有安排更多议程。"),
    "next.before": ("The conference starts {when}.", "大会将于 {when} 开始。"),
    "now.title": ("On now", "正在进行"),
    "now.none": ("Nothing is on right now ({when}).", "现在（{when}）没有进行中的议程。"),
    "now.following": ("Up next", "随后"),
    "schedule.title": ("Programme", "议程"),
    "schedule.empty": ("No sessions match {filters}.", "没有符合 {filters} 的议程。"),
    "schedule.wider": ("Try /schedule without {option}, or /tracks to see every track.", "试试去掉 {option} 再用 /schedule，或用 /tracks 查看所有分论坛。"),
    "talk.none": ("No session matches “{query}”.", "没有找到与“{query}”相关的议程。"),
    "talk.none.hint": ("Try fewer or other words, a speaker's name, or /tracks.", "试试更少或别的关键词、讲者姓名，或 /tracks。"),
    "talk.many": ("Sessions matching “{query}”", "与“{query}”相关的议程"),
    "talk.more": ("Pick one with /talk and its title, or star it with /star.", "用 /talk 加标题查看详情，或用 /star 收藏。"),
    "speaker.title": ("Sessions by {name}", "{name} 的议程"),
    "speaker.none": ("No speaker called “{name}”.", "没有名为“{name}”的讲者。"),
    "tracks.title": ("Tracks", "分论坛"),
    "tracks.sessions": ("{n} sessions", "{n} 场"),
    "tracks.chairs": ("Chairs: {names}", "出品人：{names}"),
    "when.title": ("“{text}” means", "“{text}” 的意思是"),
    "unscheduled": ("Time not yet announced", "时间待定"),
    "did_you_mean": ("Did you mean: {names}?", "你是不是要找：{names}？"),
    "unknown.track": ("There is no track “{value}”.", "没有名为“{value}”的分论坛。"),
    "unknown.room": ("There is no room “{value}”.", "没有名为“{value}”的会议室。"),
    "unknown.session": ("No session matches “{value}”.", "没有找到“{value}”对应的议程。"),
    "unscheduled.note": ("{n} more sessions have no time yet; /talk finds them.", "另有 {n} 场议程时间待定，可用 /talk 查找。"),
    "label.room": ("Room", "会议室"),
    "label.track": ("Track", "分论坛"),
    "label.speakers": ("Speakers", "讲者"),
    "label.language": ("Language", "语言"),
    "label.link": ("Link", "链接"),
    "lang.en": ("English", "英文"),
    "lang.zh": ("Chinese", "中文"),
    "format.panel": ("panel", "圆桌"),
    "format.keynote": ("keynote", "主题演讲"),
    "format.lightning": ("lightning talk", "闪电演讲"),
    "format.talk": ("talk", "演讲"),
    "page": ("page {i} of {n}", "第 {i}/{n} 页"),
    "day": ("Day {n}", "第{n}天"),
    "help.title": ("Commands", "命令"),
    "error.needs": ("This command needs {name}: {description}.", "这个命令需要 {name}：{description}。"),
    "error.several": ("“{value}” matches several sessions; pick one from the suggestions.", "“{value}”对应多个议程，请从建议中选择一个。"),
    "error.no_command": ("There is no command /{name}.", "没有 /{name} 这个命令。"),
    "error.commands": ("Commands: {names}", "可用命令：{names}"),
    "error.no_option": ("/{command} has no option “{option}”.", "/{command} 没有“{option}”这个选项。"),
    "error.options": ("Its options: {names}", "它的选项：{names}"),
    "error.organizers": ("/{command} is for organizers only.", "/{command} 仅限组织者使用。"),
    "error.organizers.hint": ("Ask an organizer, or the server admin to give you the organizer role.", "请联系组织者，或请服务器管理员授予你组织者身份组。"),
    "error.apology": ("Sorry, something went wrong on our side; the organizers have been told in the log.", "抱歉，机器人出错了，错误已记录。"),
}


def tr(key: str, lang: str, **kwargs: object) -> str:
    en, zh = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**kwargs) if kwargs else text


def lang_of_locale(locale: str | None, default: str = "en") -> str:
    """Discord locales zh-CN / zh-TW read Chinese; everything else English."""
    if not locale:
        return default
    return "zh" if str(locale).lower().startswith("zh") else "en"


def fmt_day(d: date, lang: str, day_number: int | None = None) -> str:
    if lang == "zh":
        text = f"{d.month}月{d.day}日 {_WEEKDAYS_ZH[d.weekday()]}"
        return f"{tr('day', lang, n=day_number)} · {text}" if day_number else text
    text = f"{_WEEKDAYS_EN[d.weekday()]} {d.day} {d:%b}"
    return f"{tr('day', lang, n=day_number)} · {text}" if day_number else text


def fmt_time(dt: datetime) -> str:
    return f"{dt:%H:%M}"


def fmt_span(start: datetime | None, end: datetime | None, lang: str, with_day: bool = True) -> str:
    """Conference-local time of a session, e.g. "Fri 7 Aug 09:30–10:10"."""
    if start is None:
        return tr("unscheduled", lang)
    span = fmt_time(start) + (f"–{fmt_time(end)}" if end else "")
    return f"{fmt_day(start.date(), lang)} {span}" if with_day else span


def fmt_moment(dt: datetime, lang: str) -> str:
    return f"{fmt_day(dt.date(), lang)} {fmt_time(dt)}"
