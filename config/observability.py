"""Metrics and structured log lines shared by the web and worker processes.

Prometheus metrics live in prometheus_client's default registry. Under `make serve` every
process (gunicorn workers, the Celery worker) writes them to PROMETHEUS_MULTIPROC_DIR and
/metrics adds them up; without it each process counts for itself (runserver, tests)."""

import logging
import time

from celery.signals import task_postrun, task_prerun
from prometheus_client import Histogram

REQUEST_SECONDS = Histogram(
    "partnering_request_seconds",
    "Time to answer an HTTP request, by method, route and status class.",
    ["method", "route", "status"],
)
TASK_SECONDS = Histogram(
    "partnering_task_seconds",
    "Run time of a Celery task, by task name and outcome.",
    ["task", "state"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, float("inf")),
)

task_log = logging.getLogger("partnering.task")
_task_started: dict[str, float] = {}


@task_prerun.connect
def _task_start(task_id: str | None = None, **_kwargs) -> None:
    _task_started[task_id] = time.monotonic()


@task_postrun.connect
def _task_finish(task_id: str | None = None, task=None, state: str | None = None, **_kw) -> None:
    """One log line and one observation per task run, whatever its outcome."""
    started = _task_started.pop(task_id, None)
    if started is None or task is None:
        return
    seconds = time.monotonic() - started
    TASK_SECONDS.labels(task=task.name, state=state or "UNKNOWN").observe(seconds)
    task_log.info(
        "%s %s %.1fms",
        task.name,
        state,
        seconds * 1000,
        extra={
            "task": task.name,
            "task_id": task_id,
            "state": state,
            "duration_ms": round(seconds * 1000, 1),
        },
    )
