"""Reminders before starred sessions and notices of schedule changes: planned from the database, each sent exactly once.

The database is the only record of what is due. The service keeps in memory only what it can rebuild from
the database and the catalog at any moment (which sessions have stargazers at which lead times); the
scheduler holds one job per (session, lead time in use) due in the next hours, rebuilt at start and after
every re-plan, and each job merely says "look now". Sending follows storage's claim → send → mark: a
reminder is claimed for every stargazer in one batch, sent with the claim's nonce, and marked sent; a claim
left pending by a crash is resent with the same nonce at the next start, and Discord drops the duplicate.

Each due instant's sending starts early enough to be done by then at the bot's rate of requests (see
`planning`), and DM channels are opened ahead with spare capacity so that each DM then costs one request.

Modules: `planning` (what is due when, and when its sending starts), `schedule` (the scheduler's jobs),
`preparation` (DM channels opened ahead), `change_notices` (telling stargazers of changes), `store` (what
this needs of storage), `service` (the ReminderService itself).
"""

from bot.core.delivery import RunReport
from bot.core.reminders.planning import Budget, PlannedJob
from bot.core.reminders.service import ReminderService

__all__ = ["Budget", "PlannedJob", "ReminderService", "RunReport"]
