"""The readiness checks ``/readyz`` answers and ``kaifaqu doctor`` prints.

Each check answers True (ok) or False (failed) and never raises: a probe must get an answer
while the database is away. What failed and why is for ``kaifaqu doctor`` on the server, never for
the unauthenticated probe (``detail``).
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kaifaqu.jobs.actions import last_worker_beat


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str


def database() -> Outcome:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return Outcome(True, f"{connection.vendor} {connection.settings_dict['NAME']}")


def migrations() -> Outcome:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        return Outcome(False, f"{len(plan)} 个迁移未执行({names}…):请运行 kaifaqu migrate")
    return Outcome(True, "全部迁移已执行")


def worker() -> Outcome:
    seen = last_worker_beat()
    limit = timedelta(seconds=settings.KAIFAQU_JOB_STALE_SECONDS)
    if seen is None:
        return Outcome(False, "从未收到任务进程(kaifaqu worker)的心跳:请启动 kaifaqu-worker 服务")
    age = timezone.now() - seen
    if age > limit:
        return Outcome(
            False, f"任务进程已 {age.total_seconds():.0f} 秒无心跳(上限 {limit.seconds} 秒)"
        )
    return Outcome(True, f"{age.total_seconds():.0f} 秒前收到心跳")


def disk() -> Outcome:
    free_mb = shutil.disk_usage(settings.VAR_DIR).free // 2**20
    floor = settings.KAIFAQU_DISK_FREE_MIN_MB
    return Outcome(free_mb >= floor, f"{settings.VAR_DIR} 剩余 {free_mb} MB(下限 {floor} MB)")


CHECKS: dict[str, Callable[[], Outcome]] = {
    "database": database,
    "migrations": migrations,
    "worker": worker,
    "disk": disk,
}


def run_checks() -> dict[str, Outcome]:
    """Every check's outcome, in order; a check that raises has failed with the error as detail."""
    outcomes = {}
    for name, check in CHECKS.items():
        try:
            outcomes[name] = check()
        except (DatabaseError, OSError) as error:
            outcomes[name] = Outcome(False, f"{type(error).__name__}: {error}".strip())
    if not outcomes["database"].ok:
        # a broken connection is not reused: the next probe connects afresh
        connection.close()
    return outcomes
