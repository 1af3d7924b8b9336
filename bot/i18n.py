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
    "announce.not_running": ("Announcements are not running in this front end.", "这个前端没有运行公告服务。"),
    "announce.not_running.hint": ("Run the bot (make run) or the console.", "请运行机器人（make run）或控制台。"),
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
