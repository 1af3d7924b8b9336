"""The text front end: `python -m bot ask '/next'` and `python -m bot console`, the same commands as in Discord.

`parse` (typed command lines), `render` (replies as text), `console` (the interactive shell and one-shot
`ask`), `sender` (reminders and announcements printed in the terminal).
"""
