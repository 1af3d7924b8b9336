"""The words the bot says, in English and Chinese, and how it writes times for each."""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

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
    "schedule.wider": (
        "Try /schedule without {option}, or /tracks to see every track.",
        "试试去掉 {option} 再用 /schedule，或用 /tracks 查看所有分论坛。",
    ),
    "talk.none": ("No session matches “{query}”.", "没有找到与“{query}”相关的议程。"),
    "talk.none.hint": (
        "Try fewer or other words, a speaker's name, or /tracks.",
        "试试更少或别的关键词、讲者姓名，或 /tracks。",
    ),
    "talk.many": ("Sessions matching “{query}”", "与“{query}”相关的议程"),
    "talk.more": (
        "Pick one with /talk and its title, or star it with /star.",
        "用 /talk 加标题查看详情，或用 /star 收藏。",
    ),
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
    "unscheduled.note": (
        "{n} more sessions have no time yet; /talk finds them.",
        "另有 {n} 场议程时间待定，可用 /talk 查找。",
    ),
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
    "error.several": (
        "“{value}” matches several sessions; pick one from the suggestions.",
        "“{value}”对应多个议程，请从建议中选择一个。",
    ),
    "error.no_command": ("There is no command /{name}.", "没有 /{name} 这个命令。"),
    "error.commands": ("Commands: {names}", "可用命令：{names}"),
    "error.no_option": ("/{command} has no option “{option}”.", "/{command} 没有“{option}”这个选项。"),
    "error.options": ("Its options: {names}", "它的选项：{names}"),
    "error.organizers": ("/{command} is for organizers only.", "/{command} 仅限组织者使用。"),
    "error.organizers.hint": (
        "Ask an organizer, or the server admin to give you the organizer role.",
        "请联系组织者，或请服务器管理员授予你组织者身份组。",
    ),
    "error.apology": (
        "Sorry, something went wrong on our side; the organizers have been told in the log.",
        "抱歉，机器人出错了，错误已记录。",
    ),
    "error.options.none": ("none", "无"),
    # options as the command layer reads them (bot.commands.options)
    "option.bool": ("{name}: expected yes or no, got “{value}”", "{name}：应为“是”或“否”，收到的是“{value}”"),
    "option.int": ("{name}: expected a whole number, got “{value}”", "{name}：应为整数，收到的是“{value}”"),
    "option.range": (
        "{name}: expected a number from {lo} to {hi}, got {value}",
        "{name}：应为 {lo} 到 {hi} 之间的数，收到的是 {value}",
    ),
    "option.min": (
        "{name}: expected a number of at least {lo}, got {value}",
        "{name}：应为不小于 {lo} 的数，收到的是 {value}",
    ),
    "option.max": (
        "{name}: expected a number of at most {hi}, got {value}",
        "{name}：应为不大于 {hi} 的数，收到的是 {value}",
    ),
    "option.choice": (
        "{name}: expected one of {choices}, got “{value}”",
        "{name}：应为 {choices} 之一，收到的是“{value}”",
    ),
    "option.time": ("{name}: {reason}", "{name}：{reason}"),
    "unknown.track.hint": ("/tracks lists them all.", "/tracks 列出所有分论坛。"),
    "unknown.room.hint": ("Rooms: {names}", "会议室：{names}"),
    "unknown.room.none": ("this programme names no rooms", "本议程没有列出会议室"),
    # the programme commands (bot.commands.programme)
    "next.none.hint": ("/schedule shows the whole programme.", "/schedule 可查看完整议程。"),
    "filter.track": ("track {name}", "分论坛 {name}"),
    "filter.room": ("room {name}", "会议室 {name}"),
    "schedule.no_day": ("The conference has no sessions on {day}.", "大会在 {day} 没有议程。"),
    "schedule.days": ("Its days: {days}", "大会日期：{days}"),
    "schedule.capped": (
        "Showing the first {shown} of {total} sessions: narrow it with day, track or room.",
        "只显示前 {shown} 场（共 {total} 场）：请用 day、track 或 room 缩小范围。",
    ),
    "speaker.none.hint": (
        "Try part of the name, or /talk with a topic.",
        "试试只输入名字的一部分，或用 /talk 搜索主题。",
    ),
    "tracks.hint": ("/schedule track:<name> shows one track.", "/schedule track:<名称> 查看单个分论坛。"),
    "when.local": ("{name} time ({zone})", "{name} 时间（{zone}）"),
    "when.iso": ("ISO 8601: {value}", "ISO 8601: {value}"),
    "when.utc": ("UTC: {value}", "UTC: {value}"),
    "help.footer": (
        'Options take name:value, with quotes for spaces: /schedule day:"day 2"',
        '选项写作 名称:值，值里有空格时加引号：/schedule day:"第2天"',
    ),
    "action.star": ("☆ Star", "☆ 收藏"),
    "complete.lead": ("{text} → {n} min", "{text} → {n} 分钟"),
    # what only the text front end says (bot.frontends.text)
    "text.empty": (
        "Type a command, e.g. /next or /talk kafka. /help lists them.",
        "请输入命令，例如 /next 或 /talk kafka。/help 列出所有命令。",
    ),
    "text.no_slash": ("Commands start with a slash: /{word} …", "命令以斜杠开头：/{word} …"),
    "text.after_slash": ("Type a command after the slash.", "请在斜杠后输入命令。"),
    "text.help": ("/help lists them.", "/help 列出所有命令。"),
    "text.unclosed": (
        "A quote opened at “{at}” is never closed: close the quote.",
        "从“{at}”开始的引号没有闭合：请补上另一半引号。",
    ),
    "text.unclosed.hint": ('For example /schedule day:"day 2"', '例如 /schedule day:"第2天"'),
    "text.extra": ("/{command} does not take “{words}”.", "/{command} 不接受“{words}”。"),
    "text.usage": ("Usage: {usage}", "用法：{usage}"),
    "text.apology": (
        "Sorry, that command failed on our side; the details are in the log.",
        "抱歉，这条命令在我们这边出错了；详情见日志。",
    ),
    "text.attachment": ("[attachment: {name}, {size} bytes]", "[附件：{name}，{size} 字节]"),
    "text.session_id": ("id: {id}", "id: {id}"),
    "console.banner": (
        "confbot console: {name}, {sessions} sessions, {tracks} tracks{problems}.",
        "confbot 控制台：{name}，{sessions} 场议程，{tracks} 个分论坛{problems}。",
    ),
    "console.problems": (", {n} problems (python -m bot check)", "，{n} 个问题（python -m bot check）"),
    "console.clock": (
        "Clock: {time} {zone}. /help lists commands; /quit or Ctrl-D leaves.",
        "时钟：{time} {zone}。/help 列出命令；/quit 或 Ctrl-D 退出。",
    ),
    # what only the Discord front end says (bot.frontends.discord)
    "discord.conference_time": ("Conference time: {zone}", "会议时间：{zone}"),
    "discord.not_your_pages": (
        "These buttons turn the pages of someone else's reply; run the command yourself to get your own.",
        "这些按钮只能由提问的人翻页；请自己运行这条命令。",
    ),
    "discord.organizers_only": (
        "/{name} is for organizers: it needs the “{role}” role or the Manage Server permission.",
        "/{name} 仅限组织者使用：需要“{role}”身份组或“管理服务器”权限。",
    ),
    "discord.organizers_only.no_role": (
        "/{name} is for organizers: it needs the Manage Server permission.",
        "/{name} 仅限组织者使用：需要“管理服务器”权限。",
    ),
    "discord.organizers_only.hint": (
        "Ask a server admin if you should have it.",
        "如果你应当有此权限，请联系服务器管理员。",
    ),
    "discord.server_only": (
        "/{name} works only in the conference server, not in direct messages.",
        "/{name} 只能在大会服务器里使用，不能在私信中使用。",
    ),
    "discord.bad_value": ("“{value}” is not a valid value here.", "“{value}” 不是有效的值。"),
    "discord.bad_value.hint": ("Pick one of the suggestions.", "请从建议中选择。"),
    # buttons pressed after their list or session is gone (bot.frontends.discord.views)
    "discord.list_gone": (
        "This list can no longer be turned: the bot has restarted since it was asked.",
        "这个列表已无法翻页：提问之后机器人重启过。",
    ),
    "discord.list_gone.hint": ("Ask again with {command}.", "请重新使用 {command}。"),
    "discord.session_gone": (
        "That session is no longer in the programme.",
        "这个议程已不在议程表中。",
    ),
    "discord.session_gone.hint": (
        "Look for it again with /talk; it may have been renamed or cancelled.",
        "请用 /talk 重新查找；它可能已改名或取消。",
    ),
    # stars, agenda and reminder settings
    "star.starred": (
        "Starred: {title}. You'll be reminded {lead} min before it starts ({delivery}).",
        "已收藏：{title}。开始前 {lead} 分钟会提醒你（{delivery}）。",
    ),
    "star.already": ("You had already starred {title}.", "你已经收藏过 {title}。"),
    "star.unstarred": ("Unstarred: {title}. No reminder will come for it.", "已取消收藏：{title}，不会再提醒。"),
    "star.not_starred": ("{title} was not starred.", "{title} 还没有被收藏。"),
    "star.past": (
        "{title} has already started; starred anyway, but no reminder will come.",
        "{title} 已经开始；已收藏，但不会再提醒。",
    ),
    "star.unscheduled": (
        "{title} has no time yet; starred, and you'll be reminded once it has one.",
        "{title} 时间待定；已收藏，定下时间后会提醒你。",
    ),
    "star.agenda": ("My agenda", "我的日程"),
    "star.agenda.empty": ("You have not starred any session yet.", "你还没有收藏任何议程。"),
    "star.agenda.hint": (
        "Star sessions with /star or the ☆ button under any session.",
        "用 /star 或议程下方的 ☆ 按钮收藏。",
    ),
    "star.agenda.overlap": ("⚠ overlaps {title}", "⚠ 与 {title} 时间冲突"),
    "star.agenda.export": (
        "Your starred sessions as a calendar file: open it, or import it into your calendar app. Importing again updates the same events.",
        "你收藏的议程日历文件：打开或导入日历应用；再次导入会更新而不会重复。",
    ),
    "star.agenda.gone": ("{n} starred sessions are no longer in the programme.", "{n} 个已收藏的议程已不在议程表中。"),
    "star.remind": (
        "Reminders: {lead} min before each starred session, by {delivery}.",
        "提醒设置：每个收藏的议程开始前 {lead} 分钟，通过{delivery}。",
    ),
    "star.dm": ("direct message", "私信"),
    "star.channel": ("a mention in the reminders channel", "提醒频道里的 @ 提及"),
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
        text = f"{d.month}月{d.day}日 {WEEKDAYS_ZH[d.weekday()]}"
        return f"{tr('day', lang, n=day_number)} · {text}" if day_number else text
    text = f"{WEEKDAYS_EN[d.weekday()]} {d.day} {d:%b}"
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


def fmt_weekday_time(dt: datetime, lang: str) -> str:
    """A moment within the coming week, short: "Fri 10:00", "周五 10:00"."""
    weekdays = WEEKDAYS_ZH if lang == "zh" else WEEKDAYS_EN
    return f"{weekdays[dt.weekday()]} {fmt_time(dt)}"
