"""The words the bot says, in English and Chinese, and how it writes times for each."""

from __future__ import annotations

from collections.abc import Iterable
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
    "label.pair": ("{label}: {value}", "{label}：{value}"),
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
    "error.no_command.nearest": (
        "Did you mean /{name}? /help lists every command.",
        "你是不是要用 /{name}？/help 列出所有命令。",
    ),
    "error.no_option": ("/{command} has no option “{option}”.", "/{command} 没有“{option}”这个选项。"),
    "error.options": ("Its options: {names}", "它的选项：{names}"),
    "error.organizers": ("/{command} is for organizers only.", "/{command} 仅限组织者使用。"),
    "error.organizers.hint": (
        "Ask an organizer, or the server admin to give you the organizer role.",
        "请联系组织者，或请服务器管理员授予你组织者身份组。",
    ),
    "error.needs_delivery": (
        "/{command} sends messages, so it needs the running bot or the console; "
        "`python -m bot ask` only reads and writes the database.",
        "/{command} 会发送消息，需要运行中的机器人或控制台；`python -m bot ask` 只读写数据库。",
    ),
    "error.needs_delivery.hint": (
        "Use it in Discord, or in the console: python -m bot console",
        "请在 Discord 里使用，或在控制台里使用：python -m bot console",
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
    # search and names (issue 9): how many sessions /talk found, speakers by part of a name, and options naming
    # a session, track or room by part of it (bot.commands.programme, bot.commands.options)
    "talk.count": ("{n} sessions match.", "{n} 场议程匹配。"),
    "talk.count.one": ("1 session matches.", "1 场议程匹配。"),
    "talk.some": (
        "No session has all of these words; {n} have some of them, those with the most first.",
        "没有议程包含全部关键词；{n} 场包含其中一部分，包含越多越靠前。",
    ),
    "talk.capped": (
        "Listing the best {shown}: add a word to narrow it.",
        "只列出最相关的 {shown} 场：加个关键词可缩小范围。",
    ),
    "talk.clipped": ("Only the start of this long query was read.", "查询太长，只读取了开头部分。"),
    "talk.track": ("Track {name}", "分论坛 {name}"),
    "talk.room": ("Room {name}", "会议室 {name}"),
    "talk.others": ("Other sessions matching “{query}”", "其他与“{query}”相关的议程"),
    "speaker.several": ("Speakers matching “{name}”", "与“{name}”匹配的讲者"),
    "speaker.count": ("{n} speakers match.", "{n} 位讲者匹配。"),
    "speaker.capped": (
        "Listing the first {shown}: type more of the name.",
        "只列出前 {shown} 位：请输入更完整的姓名。",
    ),
    "option.taken.track": ("Track “{value}”: taken as {name}.", "分论坛“{value}”：按 {name} 处理。"),
    "option.taken.room": ("Room “{value}”: taken as {name}.", "会议室“{value}”：按 {name} 处理。"),
    "unknown.track.several": ("“{value}” is part of several tracks' names.", "“{value}”出现在多个分论坛的名称中。"),
    "unknown.room.several": ("“{value}” is part of several rooms' names.", "“{value}”出现在多个会议室的名称中。"),
    "option.pick": ("Pick one: {names}", "请选择其一：{names}"),
    "option.too_long": (
        "{name}: at most {n} characters, got {got}.",
        "{name}：最多 {n} 个字符，收到的是 {got} 个。",
    ),
    "session.several.hint": (
        "Did you mean: {names}? /talk {query} lists all {n}.",
        "你是不是要找：{names}？/talk {query} 可列出全部 {n} 场。",
    ),
    # the programme commands (bot.commands.programme)
    "next.none.hint": ("/schedule shows the whole programme.", "/schedule 可查看完整议程。"),
    "filter.track": ("track {name}", "分论坛 {name}"),
    "filter.room": ("room {name}", "会议室 {name}"),
    "schedule.no_day": ("The conference has no sessions on {day}.", "大会在 {day} 没有议程。"),
    "schedule.days": ("Its days: {days}", "大会日期：{days}"),
    "schedule.from_today": ("From today, {day}.", "从今天（{day}）开始。"),
    "schedule.from_day": ("From {day}, the next day of the conference.", "从大会的下一天（{day}）开始。"),
    "schedule.earlier": ('Earlier days: /schedule day:"day {n}"', '更早的日子：/schedule day:"第{n}天"'),
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
    "when.local.neutral": ("Conference time ({zone})", "大会时间（{zone}）"),
    "conference.neutral": ("the conference", "大会"),
    "when.iso": ("ISO 8601: {value}", "ISO 8601: {value}"),
    "when.utc": ("UTC: {value}", "UTC: {value}"),
    "help.footer": (
        'Options take name:value, with quotes for spaces: /schedule day:"day 2"',
        '选项写作 名称:值，值里有空格时加引号：/schedule day:"第2天"',
    ),
    "action.star": ("☆ Star", "☆ 收藏"),
    "action.unstar": ("Unstar", "取消收藏"),
    "complete.lead": ("{text} → {n} min", "{text} → {n} 分钟"),
    # what each command and option is for: /help, Discord's command list and its zh-CN / zh-TW localizations.
    # Keys are cmd.<command> and cmd.<command>.<option>; the registry finds them by name, so a command module
    # declares its English description as usual and adds its two lines here (tests/test_i18n.py checks both).
    "cmd.agenda": (
        "Your starred sessions in time order, overlaps flagged; export:true gives an iCal file",
        "你收藏的议程，按时间排列并标出时间冲突；export:true 导出 iCal 日历文件",
    ),
    "cmd.agenda.export": ("Attach your agenda as an .ics calendar file", "把你的日程作为 .ics 日历文件附上"),
    "cmd.announce": (
        "Preview an announcement, then send it now or at a typed time (“in 10 minutes”, “明天上午9点”)",
        "预览公告，再立即发送或在按习惯输入的时间发送（如“10分钟后”“明天上午9点”）",
    ),
    "cmd.announce.message": ("What to announce (up to 1,900 characters)", "公告内容（最多 1,900 个字符）"),
    "cmd.announce.at": (
        "When to post it; leave empty for as soon as you send it",
        "何时发布；留空则在你确认发送时立即发布",
    ),
    "cmd.announce.ping": (
        "Let @mentions in the message notify people (off by default)",
        "让公告里的 @ 提及通知到人（默认关闭）",
    ),
    "cmd.announce.channel": (
        "Post it in this channel instead of the announcements channel",
        "发到这个频道，而不是公告频道",
    ),
    "cmd.announce-edit": (
        "Change the text of an announcement that is waiting to be posted",
        "修改一条尚未发布的公告的内容",
    ),
    "cmd.announce-edit.id": ("The announcement's number, from /announcements", "公告编号，见 /announcements"),
    "cmd.announce-edit.message": ("Its new text (up to 1,900 characters)", "新的内容（最多 1,900 个字符）"),
    "cmd.announce-send": (
        "Send an announcement you previewed with /announce (its Send button does the same)",
        "发送用 /announce 预览过的公告（预览下的“发送”按钮作用相同）",
    ),
    "cmd.announce-send.id": ("The announcement's number, from its preview", "公告编号，见预览"),
    "cmd.announcements": (
        "Announcements waiting to be posted, and who scheduled each",
        "等待发布的公告，以及各由谁安排",
    ),
    "cmd.popular": (
        "Sessions by number of stars, with the room each is in, to move a crowded talk before it fills",
        "按收藏人数排列的议程及所在会议室，便于在爆满前给热门议程换大房间",
    ),
    "cmd.popular.day": ("Only this day: “day 2”, “tomorrow”, “8月9日”", "只看这一天：“第2天”“明天”“8月9日”"),
    "cmd.popular.track": ("Only this track", "只看这个分论坛"),
    "cmd.stats": (
        "Stars, reminders, room posts, announcements and the last programme reload",
        "收藏、提醒、会议室播报、公告，以及最近一次议程重新加载",
    ),
    "cmd.help": ("What the bot can do", "机器人能做什么"),
    "cmd.next": (
        "The sessions that start next (after now, or after a time you give)",
        "接下来开始的议程（从现在起，或从你给的时间起）",
    ),
    "cmd.next.track": ("Only this track", "只看这个分论坛"),
    "cmd.next.room": ("Only this room", "只看这个会议室"),
    "cmd.next.at": (
        "Start from this time instead of now, e.g. “tomorrow 9am”, “明天上午9点”",
        "从这个时间起而不是从现在起，例如“明天上午9点”“后天”",
    ),
    "cmd.now": ("What is on right now, and what follows in each room", "正在进行的议程，以及各会议室接下来的议程"),
    "cmd.now.track": ("Only this track", "只看这个分论坛"),
    "cmd.now.room": ("Only this room", "只看这个会议室"),
    "cmd.reload": (
        "Read the programme files again now (the bot also notices changes by itself)",
        "立即重新读取议程文件（机器人也会自动发现改动）",
    ),
    "cmd.remind": (
        "How long before a starred session you are reminded, and how",
        "收藏的议程开始前多久提醒你，以及提醒方式",
    ),
    "cmd.remind.lead": (
        "How long before: “15 minutes”, “1h”, “半小时” (1 minute to 24 hours)",
        "提前多久：“15分钟”“1小时”“半小时”（1 分钟到 24 小时）",
    ),
    "cmd.remind.delivery": (
        "dm: a direct message; channel: a mention in the reminders channel",
        "dm：私信；channel：在提醒频道里 @ 你",
    ),
    "cmd.remind.language": ("Language of your reminders", "提醒使用的语言"),
    "cmd.schedule": (
        "The programme by day in time order, from today during the conference; filter by track, day or room",
        "按天、按时间排列的议程，大会期间从今天开始；可按分论坛、日期或会议室筛选",
    ),
    "cmd.schedule.track": ("Only this track", "只看这个分论坛"),
    "cmd.schedule.day": ("Only this day: “day 2”, “tomorrow”, “8月9日”", "只看这一天：“第2天”“明天”“下周一”"),
    "cmd.schedule.room": ("Only this room", "只看这个会议室"),
    "cmd.speaker": ("A speaker's sessions", "某位讲者的议程"),
    "cmd.speaker.name": ("The speaker's name (any order, English or Chinese)", "讲者姓名（顺序不限，中英文皆可）"),
    "cmd.star": (
        "Star a session: it joins your agenda and you get a reminder before it",
        "收藏议程：加入你的日程，开始前会提醒你",
    ),
    "cmd.star.session": ("The session (start typing its title)", "议程（输入标题的开头）"),
    "cmd.talk": (
        "Find sessions by title, abstract, speaker, track or room (English or Chinese)",
        "按标题、摘要、讲者、分论坛或会议室查找议程（中英文皆可）",
    ),
    "cmd.talk.query": (
        "Words from the title, a speaker's name, a track or a room",
        "标题里的词、讲者姓名、分论坛或会议室",
    ),
    "cmd.tracks": ("The tracks with their names and how many sessions each has", "所有分论坛的名称及各自的议程数"),
    "cmd.unannounce": ("Cancel an announcement that has not been posted", "取消尚未发布的公告"),
    "cmd.unannounce.id": ("The announcement's number, from /announcements", "公告编号（见 /announcements）"),
    "cmd.unstar": ("Remove a session from your agenda and its reminder", "把议程从你的日程中移除，并取消提醒"),
    "cmd.unstar.session": ("The session (start typing its title)", "议程（输入标题的开头）"),
    "cmd.when": (
        "What a typed time means, in conference time and as an exact instant",
        "你输入的时间是什么意思：大会时间和精确时刻",
    ),
    "cmd.when.text": (
        "A time as you would type it: “tomorrow 3pm”, “in 2 hours”, “明天下午3点”",
        "按你习惯输入的时间：“明天下午3点”“2小时后”“明天上午”",
    ),
    # time input refused (bot.core.timeparse): {examples} is a list of inputs that work, already quoted
    "time.what.at": ("a time", "时间"),
    "time.what.day": ("a day", "日期"),
    "time.what.lead": ("a reminder lead time", "提前提醒的时长"),
    "time.or": ("{first} or {last}", "{first} 或 {last}"),
    "time.empty": ("Please type {what}, e.g. {examples}.", "请输入{what}，例如 {examples}。"),
    "time.too_long": ("That is too long to be {what}; try {examples}.", "这段文字太长，不像{what}；试试 {examples}。"),
    "time.twice": (
        "'{first}' and '{second}' both say {slot}; keep one, e.g. {examples}.",
        "'{first}' 和 '{second}' 都在说{slot}；保留一个，例如 {examples}。",
    ),
    "time.slot.date_fn": ("which day", "哪一天"),
    "time.slot.weekday": ("which weekday", "星期几"),
    "time.slot.time": ("what time", "几点"),
    "time.slot.period": ("what part of the day", "哪个时段"),
    "time.slot.zone": ("which time zone", "哪个时区"),
    "time.slot.rel": ("how long from now", "多久以后"),
    "time.not_on_calendar": (
        "'{src}' is not a date on the calendar; try {examples}.",
        "'{src}' 不是日历上的日期；试试 {examples}。",
    ),
    "time.no_month": (
        "'{src}' has no month {month}; try {examples}.",
        "'{src}' 里的 {month} 月不存在；试试 {examples}。",
    ),
    "time.no_days": (
        "The conference days are not set yet, so '{src}' cannot be placed; use a date such as {examples}.",
        "大会日期尚未确定，无法知道 '{src}' 是哪天；请写日期，例如 {examples}。",
    ),
    "time.outside_days": (
        "The conference has {n} days ({first} to {last}); '{src}' is outside them, try {examples}.",
        "大会共 {n} 天（{first} 至 {last}）；'{src}' 不在其中，试试 {examples}。",
    ),
    "time.outside_day": (
        "The conference has one day ({first}); '{src}' is not it, try {examples}.",
        "大会只有一天（{first}）；'{src}' 不是这一天，试试 {examples}。",
    ),
    "time.unlikely_year": (
        "'{src}' has an unlikely year; try {examples}.",
        "'{src}' 的年份不太可能；试试 {examples}。",
    ),
    "time.not_day_of_month": (
        "'{src}' is not a day of the month; try {examples}.",
        "'{src}' 不是一个月中的某一天；试试 {examples}。",
    ),
    "time.not_date": ("'{src}' is not a date; write {examples}.", "'{src}' 不是日期；请写 {examples}。"),
    "time.two_dates": (
        "'{src}' could be {one} or {other}; write {examples}.",
        "'{src}' 可能是 {one}，也可能是 {other}；请写 {examples}。",
    ),
    "time.not_weekday": ("'{src}' is not a weekday; try {examples}.", "'{src}' 不是星期几；试试 {examples}。"),
    "time.unknown_zone": (
        "'{src}' is not a time zone I know; try {examples}.",
        "不认识时区 '{src}'；试试 {examples}。",
    ),
    "time.bad_offset": (
        "'{src}' is not a UTC offset; try {examples}.",
        "'{src}' 不是有效的 UTC 时差；试试 {examples}。",
    ),
    "time.zone.ist": (
        "'IST' could be India, Irish or Israel time; write {examples}.",
        "'IST' 可能是印度、爱尔兰或以色列时间；请写 {examples}。",
    ),
    "time.zone.cst": (
        "'CST' could be China or US Central time; write {examples}.",
        "'CST' 可能是中国时间，也可能是美国中部时间；请写 {examples}。",
    ),
    "time.bad_time": (
        "'{src}' is not a time of day (hours 0-23, minutes 0-59); try {examples}.",
        "'{src}' 不是有效的时刻（小时 0-23，分钟 0-59）；试试 {examples}。",
    ),
    "time.wrong_weekday": (
        "{date} is a {real}, not a {said}; give one of them, e.g. {examples}.",
        "{date}是{real}，不是{said}；只写其中一个，例如 {examples}。",
    ),
    "time.part_mismatch": (
        "'{src}' does not fit the part of day given; try {examples}.",
        "'{src}' 与所说的时段不符；试试 {examples}。",
    ),
    "time.not_noon": ("'{src}' is not around noon; try {examples}.", "'{src}' 不在中午前后；试试 {examples}。"),
    "time.not_evening": ("'{src}' is not in the evening; write {examples}.", "'{src}' 不在晚上；请写 {examples}。"),
    "time.skipped": (
        "{wall} does not exist in {zone} (the clocks go forward that night); try {examples}.",
        "{wall} 在 {zone} 并不存在（那天夜里时钟拨快）；试试 {examples}。",
    ),
    "time.needs_time": (
        "'{text}' needs a time of day too, e.g. {examples}.",
        "'{text}' 还需要说几点，例如 {examples}。",
    ),
    "time.already_moment": (
        "'{src}' is already a moment; drop the day or time, e.g. {examples}.",
        "'{src}' 已经是一个时刻；去掉日期或时间，例如 {examples}。",
    ),
    "time.rel_and_day": (
        "'{src}' and the day given disagree; try {examples}.",
        "'{src}' 与给出的日期矛盾；试试 {examples}。",
    ),
    "time.whole_days": ("Use whole days with a time, e.g. {examples}.", "带时间时请用整天数，例如 {examples}。"),
    "time.unreadable.part": (
        "I could not read '{piece}' in '{text}' as part of {what}; try {examples}.",
        "无法把 '{text}' 里的 '{piece}' 读作{what}的一部分；试试 {examples}。",
    ),
    "time.unreadable": (
        "I could not read '{text}' as {what}; try {examples}.",
        "无法把 '{text}' 读作{what}；试试 {examples}。",
    ),
    "time.too_far.now": ("That is too far from now; try {examples}.", "离现在太远了；试试 {examples}。"),
    "time.too_far.today": ("That is too far from today; try {examples}.", "离今天太远了；试试 {examples}。"),
    "time.not_a_day": (
        "'{text}' is a time, not a day; try {examples}.",
        "'{text}' 是时刻，不是日期；试试 {examples}。",
    ),
    "time.names_no_day": (
        "'{text}' does not name a day; try {examples}.",
        "'{text}' 没有说是哪一天；试试 {examples}。",
    ),
    "time.lead.positive": (
        "A reminder lead time must be more than zero; try {examples}.",
        "提前提醒的时长必须大于零；试试 {examples}。",
    ),
    "time.lead.too_long": (
        "'{text}' is more than a year ahead; try {examples}.",
        "'{text}' 超过一年了；试试 {examples}。",
    ),
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
    # notices (reminders, schedule changes, reports to organizers), announcements and reminder settings:
    # the words both front ends render notices with; each writes the times its own way
    "notice.reminder": ("Reminder: “{title}” starts {when}", "提醒：《{title}》将于 {when}开始"),
    "notice.reminder.late": (
        "Sorry, this reminder is late: “{title}” starts {when}",
        "抱歉，这条提醒晚了：《{title}》将于 {when}开始",
    ),
    "notice.reminder.relative": ("{time} ({relative})", "{time}（{relative}）"),
    "notice.reminder.conference_time": ("Conference time: {moment} ({zone})", "会议时间：{moment}（{zone}）"),
    "notice.reminder.local_time": ("{moment} ({zone})", "{moment}（{zone}）"),
    "notice.reminder.room": (" · Room: {room}", " · 地点：{room}"),
    "notice.reminder.stop": ("Not going? /unstar {id}", "不想再收到？/unstar {id}"),
    "notice.change": ("Schedule change: {what}", "日程变更：{what}"),
    "notice.change.at": (" — {when}", "（{when}）"),
    "notice.change.hint": (
        "You starred this session; /unstar {id} to stop hearing about it.",
        "你收藏了这个议程；/unstar {id} 可不再接收。",
    ),
    "notice.change.title": ("“{title}”", "《{title}》"),
    "notice.change.formerly": ("{title} (formerly {old_title})", "{title}（原名{old_title}）"),
    "notice.change.no_time": ("no time yet", "未定时间"),
    "notice.change.no_room": ("room to be announced", "地点待定"),
    "notice.change.cancelled": ("{title} ({when}) is cancelled", "{title}（{when}）已取消"),
    "notice.change.cancelled.room": ("{title} ({when}, {room}) is cancelled", "{title}（{when}，{room}）已取消"),
    "notice.change.restored": (
        "{title} is back on the programme: {when} ({room})",
        "{title}恢复安排：{when}（{room}）",
    ),
    "notice.change.unscheduled": (
        "{title} no longer has a time (was {old_when})",
        "{title}暂无时间（原定 {old_when}）",
    ),
    "notice.change.scheduled": ("{title} now has a time: {when} ({room})", "{title}定了时间：{when}（{room}）"),
    "notice.change.moved": (
        "{title} moved from {old_when} to {when} ({room})",
        "{title}从 {old_when} 改到 {when}（{room}）",
    ),
    "notice.change.moved.room": (
        "{title} moved from {old_when} ({old_room}) to {when} ({room})",
        "{title}从 {old_when}（{old_room}）改到 {when}（{room}）",
    ),
    "notice.change.re_roomed": (
        "{title} ({when}) moved from {old_room} to {room}",
        "{title}（{when}）换了地点：{old_room} → {room}",
    ),
    "notice.change.renamed": (
        "{old_title} is now called {title} ({when}, {room})",
        "{old_title}更名为{title}（{when}，{room}）",
    ),
    "notice.broken_files": (
        "Programme files that could not be read (attendees still see the last good version of these sessions):",
        "以下议程文件无法读取（参会者仍会看到这些议程上一次正确的版本）：",
    ),
    "notice.broken_files.more": ("… (python -m bot check lists them all)", "……（python -m bot check 可列出全部）"),
    "notice.console.dm": ("DM to user {id}", "私信给用户 {id}"),
    "notice.console.channel": ("in channel {id}", "频道 {id}"),
    "notice.console.mentions": ("for {names}", "提及 {names}"),
    "notice.console.reminder": ("reminder", "提醒"),
    "notice.console.change": ("schedule change", "日程变更"),
    "notice.console.announcement": ("announcement", "公告"),
    "notice.console.broken_files": ("programme files", "议程文件"),
    "announce.too_long": (
        "That announcement is {n:,} characters; the limit is {limit:,}.",
        "这条公告有 {n:,} 个字符，上限是 {limit:,}。",
    ),
    "announce.too_long.hint": ("Shorten it or split it in two.", "请缩短或分成两条。"),
    "announce.past": ("{when} has already passed.", "{when} 已经过去了。"),
    "announce.past.hint": (
        "Leave `at` empty to post now, or give a later time.",
        "`at` 留空即立即发布，或给一个更晚的时间。",
    ),
    "announce.no_channel": ("No announcements channel is configured.", "没有配置公告频道。"),
    "announce.no_channel.hint": (
        "Set discord.announcements_channel_id in the config.",
        "请在配置中设置 discord.announcements_channel_id。",
    ),
    "announce.posted": ("Posted.", "已发布。"),
    "announce.pending": ("Will be posted as soon as Discord accepts it.", "Discord 接受后会立即发布。"),
    "announce.scheduled": ("Scheduled (#{id}) for:", "已安排（#{id}），发布时间："),
    "announce.cancel_hint": ("/unannounce id:{id} cancels it.", "/unannounce id:{id} 可取消。"),
    "announce.none": ("No announcements are waiting.", "没有待发布的公告。"),
    "announce.none.hint": ("/announce message:… at:… schedules one.", "/announce message:… at:… 可安排一条。"),
    "announce.list.hint": ("/unannounce id:N cancels one.", "/unannounce id:N 可取消一条。"),
    "announce.unknown": ("There is no waiting announcement #{id}.", "没有待发布的公告 #{id}。"),
    "announce.unknown.hint": ("/announcements lists them.", "/announcements 可列出它们。"),
    "announce.cancelled": ("Announcement #{id} cancelled.", "公告 #{id} 已取消。"),
    "reload.title": ("🔄 Programme reloaded", "🔄 议程已重新加载"),
    "reload.summary": (
        "{sessions} sessions ({scheduled} scheduled), {tracks} tracks, {rooms} rooms, {problems} problems.",
        "{sessions} 场议程（{scheduled} 场已排期），{tracks} 个分论坛，{rooms} 个会议室，{problems} 个问题。",
    ),
    "reload.summary.changed": (
        "{sessions} sessions ({scheduled} scheduled), {tracks} tracks, {rooms} rooms, {problems} problems. "
        "{changed} starred sessions changed; their stargazers are being told.",
        "{sessions} 场议程（{scheduled} 场已排期），{tracks} 个分论坛，{rooms} 个会议室，{problems} 个问题。"
        "{changed} 场已收藏的议程有变动，正在通知收藏者。",
    ),
    "reload.problems": ("Problems", "问题"),
    "reload.broken": (
        "{n} files could not be read; sessions from them keep their last good version. "
        "Fix them and /reload, or run `python -m bot check`.",
        "{n} 个文件无法读取，其中的议程保留上一个正确版本。修正后请 /reload，或运行 `python -m bot check`。",
    ),
    "star.lead_out_of_range": (
        "A reminder {minutes} minutes ahead is out of range.",
        "提前 {minutes} 分钟的提醒超出范围。",
    ),
    "star.lead_out_of_range.hint": (
        'Pick something from 1 minute to 24 hours, e.g. lead:"15 minutes".',
        '请选择 1 分钟到 24 小时之间，例如 lead:"15 分钟"。',
    ),
    "star.no_channel": (
        "This server has no reminders channel, so reminders come by direct message.",
        "这个服务器没有提醒频道，所以提醒会通过私信发送。",
    ),
    "star.no_channel.hint": (
        "Ask an organizer to set discord.reminders_channel_id.",
        "请组织者设置 discord.reminders_channel_id。",
    ),
    # ---- the conference, live (issue 12): room posts, where to watch, the changes channel, organizers' views,
    # announcements previewed, edited and cancelled
    "live.post.head": ("{place} · starts {when}", "{place} · {when}开始"),
    "live.post.starts": ("starts {when}", "{when}开始"),
    "live.post.late": ("Sorry, this post is late.", "抱歉，这条消息晚了。"),
    "live.post.speakers": ("Speakers: {names}", "讲者：{names}"),
    "live.post.track": ("Track: {name}", "分论坛：{name}"),
    "live.post.room": ("Room: {room}", "地点：{room}"),
    "live.post.conference_time": ("Conference time: {moment} ({zone})", "会议时间：{moment}（{zone}）"),
    "live.post.star": ("☆ Star “{title}”", "☆ 收藏《{title}》"),
    "live.watch.session": ("Watch: {url}", "观看：{url}"),
    "live.watch.room": ("Livestream: {url}", "直播：{url}"),
    "live.changes.title": ("Programme changes", "议程变更"),
    "live.change.added": ("{title} is new on the programme: {when} ({room})", "新增{title}：{when}（{room}）"),
    "live.change.added.unscheduled": ("{title} is new on the programme (no time yet)", "新增{title}（时间待定）"),
    "live.change.replaced": ("{what}; replaced by {title}", "{what}；由{title}替代"),
    "live.setup.title": (
        "Live posts: some of the configuration cannot work:",
        "现场消息：以下配置无法生效：",
    ),
    "live.setup.unknown_room": (
        "discord.room_channels names “{name}”, a room no session of the programme is in",
        "discord.room_channels 中的“{name}”不是议程中的会议室",
    ),
    "live.setup.unknown_track": (
        "discord.track_channels names “{name}”, a track no session of the programme is in",
        "discord.track_channels 中的“{name}”不是议程中的分论坛",
    ),
    "live.setup.unknown_stream": (
        "live.streams names “{name}”, a room no session of the programme is in",
        "live.streams 中的“{name}”不是议程中的会议室",
    ),
    "live.setup.channel_missing": (
        "channel {channel} (for “{name}”) does not exist, or the bot cannot see it",
        "频道 {channel}（“{name}”）不存在，或机器人看不到它",
    ),
    "live.setup.cannot_post": (
        "the bot may not post in channel {channel} (for “{name}”)",
        "机器人无权在频道 {channel}（“{name}”）发消息",
    ),
    "live.setup.no_threads": (
        "the bot may not open threads in channel {channel} (for “{name}”): posts go out without them",
        "机器人无权在频道 {channel}（“{name}”）创建子区：消息将不带子区发出",
    ),
    "live.setup.no_archive": (
        "the bot may not archive threads in channel {channel} (for “{name}”): Discord archives them after an idle hour",
        "机器人无权归档频道 {channel}（“{name}”）的子区：Discord 会在闲置一小时后自动归档",
    ),
    "live.console.changes": ("programme changes", "议程变更"),
    "live.console.setup": ("live configuration", "现场配置"),
    "live.console.announcement_failed": ("announcement failed", "公告发送失败"),
    "announce.failed": (
        "Announcement #{id} could not be posted in {channel}: {error}",
        "公告 #{id} 无法在 {channel} 发布：{error}",
    ),
    "announce.failed.hint": (
        "Check that the bot may post there, then /announce it again.",
        "请确认机器人有权在那里发消息，然后重新 /announce。",
    ),
    "announce.preview": (
        "Preview of announcement #{id}: nothing is posted until you send it.",
        "公告 #{id} 预览：确认发送前不会发布。",
    ),
    "announce.preview.now": ("It goes out as soon as you send it.", "确认发送后立即发布。"),
    "announce.preview.at": ("It goes out at the time below, once you send it.", "确认后将在下方时间发布。"),
    "announce.preview.channel.default": ("Where: the announcements channel.", "发布到：公告频道。"),
    "announce.preview.channel.chosen": ("Where: the channel you chose.", "发布到：你选择的频道。"),
    "announce.preview.ping": ("Its @mentions will notify people.", "其中的 @ 提及会通知相关的人。"),
    "announce.preview.hint": (
        "Send posts it, Cancel drops it (or /announce-send id:{id}, /unannounce id:{id}).",
        "“发送”即发布，“取消”即放弃（或 /announce-send id:{id}、/unannounce id:{id}）。",
    ),
    "announce.button.send": ("Send", "发送"),
    "announce.button.cancel": ("Cancel", "取消"),
    "announce.send.unknown": ("There is no preview #{id} waiting to be sent.", "没有待发送的预览 #{id}。"),
    "announce.send.unknown.hint": ("/announce makes a new one.", "用 /announce 重新创建。"),
    "announce.send.too_late": (
        "Announcement #{id} was to go out at {when}, which has passed.",
        "公告 #{id} 原定在 {when} 发布，这个时间已经过去了。",
    ),
    "announce.send.too_late.hint": (
        "/announce it again with a later time, or with no time to post it now.",
        "请重新 /announce 并给一个更晚的时间，或不填时间立即发布。",
    ),
    "announce.edited": ("Announcement #{id} now reads:", "公告 #{id} 已改为："),
    "announce.edit.unknown": ("There is no waiting announcement #{id} to edit.", "没有可编辑的待发布公告 #{id}。"),
    "announce.by": ("scheduled by {name}", "由 {name} 安排"),
    "announce.edited_by": ("edited by {name}", "由 {name} 修改"),
    "option.channel": ("{name}: expected a channel, got “{value}”", "{name}：应为一个频道，收到的是“{value}”"),
    "popular.title": ("Most starred sessions", "收藏最多的议程"),
    "popular.stars": ("★ {n} · {room}", "★ {n} · {room}"),
    "popular.no_room": ("no room", "未定会议室"),
    "popular.none": ("No session matching this has a star yet.", "符合条件的议程还没有人收藏。"),
    "popular.hint": (
        "A crowded talk can be moved to a bigger room before it fills: edit its file, and stargazers are told.",
        "人多的议程可提前换到更大的会议室：修改它的文件，收藏者会收到通知。",
    ),
    "stats.title": ("Conference stats", "大会统计"),
    "stats.stars": (
        "{users} attendees starred sessions, {stars} stars in all",
        "{users} 位参会者收藏了议程，共 {stars} 次收藏",
    ),
    "stats.reminders": (
        "Reminders: {sent} sent, {failed} failed, {pending} pending, {missed} missed",
        "提醒：已发送 {sent}，失败 {failed}，待发送 {pending}，错过 {missed}",
    ),
    "stats.changes": (
        "Change notices to stargazers: {sent} sent, {failed} failed",
        "变更通知：已发送 {sent}，失败 {failed}",
    ),
    "stats.posts": (
        "Room posts: {sent} sessions posted, {pending} pending, {missed} missed, {failed} failed",
        "会议室消息：已发布 {sent} 场，待发 {pending}，错过 {missed}，失败 {failed}",
    ),
    "stats.announcements": ("Announcements waiting: {n}", "待发布公告：{n}"),
    "stats.reload": (
        "Last programme reload: {when}, {problems} problems, {broken} files unreadable",
        "最近一次重新加载议程：{when}，{problems} 个问题，{broken} 个文件无法读取",
    ),
    "stats.loaded": (
        "Programme as loaded at start: {problems} problems, {broken} files unreadable",
        "启动时加载的议程：{problems} 个问题，{broken} 个文件无法读取",
    ),
    "stats.hint": ("/popular shows which sessions draw the most stars.", "/popular 可查看收藏最多的议程。"),
    # Imported programmes (issue 11): breaks are not starred; spoken languages a programme document may name.
    "star.service": (
        "{title} is a break, not a session to star: it stays in the schedule, with no reminder.",
        "{title} 是休息时段，不是可收藏的议程：它仍在日程中，但不会提醒。",
    ),
    "lang.de": ("German", "德文"),
    "lang.fr": ("French", "法文"),
    "lang.es": ("Spanish", "西班牙文"),
    "lang.it": ("Italian", "意大利文"),
    "lang.nl": ("Dutch", "荷兰文"),
    "lang.pt": ("Portuguese", "葡萄牙文"),
    "lang.ru": ("Russian", "俄文"),
    "lang.ja": ("Japanese", "日文"),
    "lang.ko": ("Korean", "韩文"),
    "lang.pl": ("Polish", "波兰文"),
    "lang.cs": ("Czech", "捷克文"),
}


def tr(key: str, lang: str, **kwargs: object) -> str:
    en, zh = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**kwargs) if kwargs else text


_CLOSING = tuple("。！？；：）」』”")  # Chinese punctuation that ends a sentence and takes no space after it


def listing(items: Iterable[str], lang: str) -> str:
    """Names or values as one list for a reply: "A, B, C" in English, "甲、乙、丙" (the enumeration comma) in Chinese."""
    return ("、" if lang == "zh" else ", ").join(items)


def sentences(parts: Iterable[str | None], lang: str) -> str:
    """Sentences of a reply as one text: a space between them in English; none after a Chinese full stop."""
    out = ""
    for part in parts:
        part = (part or "").strip()
        if not part:
            continue
        if out:
            out += "" if lang == "zh" and out.endswith(_CLOSING) else " "
        out += part
    return out


def tr_or(key: str, lang: str, default: str) -> str:
    """The catalogue's text for `key`, or `default` (in every language) where the catalogue has none."""
    return tr(key, lang) if key in STRINGS else default


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
