"""The Discord front end: slash commands generated from the command layer, replies as embeds with buttons.

`client` (the discord.py client and its error handling), `slash` (commands and their autocomplete from the
registry), `render` (embeds), `views` (buttons), `sender` (reminders and announcements through discord.py).
"""
