"""The work queue: what was accepted from a platform survives the process that accepted it.

    base.py          `Job` (everything needed to answer on any replica), `Claim`, `JobQueue`
    redis_queue.py   a Redis stream with a consumer group (leases reclaimed with XAUTOCLAIM)
    sqlite_queue.py  a jobs table with a lease column (processes of one machine)
    workers.py       the workers of one `serve` process: bounded concurrency, leases renewed,
                     dead letters, stale jobs answered with an apology

Guarantee: a job is acknowledged only after its answer was posted, and "posted" is recorded
(`JobQueue.mark`) before that, so a job reclaimed from a dead replica is answered once.
"""

from bot.core.jobs.base import Claim, Job, JobQueue, Progress
from bot.core.jobs.workers import Handler, Workers

__all__ = ["Claim", "Handler", "Job", "JobQueue", "Progress", "Workers"]
