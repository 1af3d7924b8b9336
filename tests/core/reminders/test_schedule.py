"""The scheduler's jobs: one per session and lead time at its due time, following every re-plan, plus housekeeping."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import FixedClock
from tests.core.reminders.helpers import TZ, Programme, at, service, session
from tests.doubles import RecordingSender
from tests.seed import star_many

A10 = session("a", at(10))
B14 = session("b", at(14))


async def test_transient_failure_schedules_a_retry_run(store):
    """After a failed send the bot wakes itself up a little later to try again, without waiting for the next reminder."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    sender.fail_transiently(1, user_id=1)
    scheduler = AsyncIOScheduler(timezone=TZ)
    svc = service(store, Programme(A10), clock, sender, scheduler=scheduler, retry_delay=timedelta(seconds=30))
    await star_many(store, [(1, "a")], clock.now())
    await svc.start()
    retry = scheduler.get_job("reminder-retry")
    assert retry.trigger.run_date == at(9, 50, 30)
    clock.set(at(9, 50, 30))
    await retry.func(*retry.args)
    assert len(sender.dms_to(1)) == 1


async def test_starring_after_the_reminder_time_reminds_at_once_without_apology(store):
    """Starring a session a few minutes before it starts brings the reminder right away, not an apology."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    scheduler = AsyncIOScheduler()
    svc = service(store, Programme(A10), clock, sender, scheduler=scheduler)
    await star_many(store, [(1, "a")], clock.now())
    await svc.start()
    clock.set(at(9, 55))
    await store.star(2, "a", clock.now())
    await svc.replan()
    catchup = scheduler.get_job("reminder-catchup")
    assert catchup is not None
    await catchup.func(*catchup.args)
    assert sender.dms_to(2)[0].startswith("Reminder:") and len(sender.dms_to(1)) == 1


async def test_apscheduler_jobs_follow_the_plan(store):
    """APScheduler holds one job per session and lead time at the due time, moved and removed with the plan."""
    clock = FixedClock(at(9))
    sender = RecordingSender()
    programme = Programme(A10, B14)
    scheduler = AsyncIOScheduler(timezone=TZ)  # never started: jobs are inspected, not waited for
    svc = service(store, programme, clock, sender, scheduler=scheduler)
    await star_many(store, [(1, "a"), (2, "a"), (1, "b")], clock.now())
    await store.update_settings(2, lead_minutes=30)
    await svc.start()
    assert scheduler.get_job("reminder-heartbeat") is not None
    jobs = {j.id: j.trigger.run_date for j in scheduler.get_jobs() if j.id != "reminder-heartbeat"}
    assert jobs == {
        "reminder:a:30": at(9, 30),
        "reminder:a:10": at(9, 50),
        "reminder:b:10": at(13, 50),
        "reminder-horizon": at(12),
    }

    programme.set(session("a", at(11)), B14)  # the talk moved an hour later
    await store.unstar(1, "b")
    await svc.replan()
    jobs = {j.id: j.trigger.run_date for j in scheduler.get_jobs() if j.id != "reminder-heartbeat"}
    assert jobs == {"reminder:a:30": at(10, 30), "reminder:a:10": at(10, 50), "reminder-horizon": at(12)}

    for job_id, when, user in (("reminder:a:30", at(10, 30), 2), ("reminder:a:10", at(10, 50), 1)):
        job = scheduler.get_job(job_id)
        clock.set(when)
        await job.func(*job.args)  # what APScheduler would run at that time
        assert [m.target for m in sender.messages][-1:] == [user]
    assert sender.dm_count() == 2 and sender.dms_to(1)[0].startswith("Reminder:")
    await svc.stop()
    assert scheduler.get_jobs() == []


async def test_apscheduler_holds_only_the_next_hours_and_the_horizon_job_brings_in_the_rest(store):
    """A talk tomorrow is not yet in APScheduler; when the horizon job runs the next day, its reminder is."""
    clock = FixedClock(at(9))
    scheduler = AsyncIOScheduler(timezone=TZ)
    tomorrow = session("b", at(9) + timedelta(days=1))
    svc = service(store, Programme(A10, tomorrow), clock, RecordingSender(), scheduler=scheduler)
    await star_many(store, [(1, "a"), (1, "b")], clock.now())
    await svc.start()
    ids = {j.id for j in scheduler.get_jobs()}
    assert "reminder:a:10" in ids and "reminder:b:10" not in ids
    clock.set(at(9) + timedelta(hours=20))
    horizon = scheduler.get_job("reminder-horizon")
    await horizon.func(*horizon.args)
    job = scheduler.get_job("reminder:b:10")
    assert job is not None and job.trigger.run_date == at(9) + timedelta(days=1, minutes=-10)
    await svc.stop()


async def test_a_job_fired_before_a_hand_set_clock_gets_there_sends_nothing(store):
    """A reminder job run early (the clock is set by hand, not running) waits for whoever moves the clock."""
    clock = FixedClock(at(9))
    sender = RecordingSender()
    scheduler = AsyncIOScheduler(timezone=TZ)
    svc = service(store, Programme(A10), clock, sender, scheduler=scheduler)
    await star_many(store, [(1, "a")], clock.now())
    await svc.start()
    job = scheduler.get_job("reminder:a:10")
    await job.func(*job.args)  # fired at 9:00 for 9:50
    assert sender.calls == 0
    clock.set(at(9, 50))
    await job.func(*job.args)
    assert sender.dm_count() == 1
