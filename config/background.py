"""Enqueueing background work from a web request without ever blocking or failing it.

`enqueue_after_commit(task, *args)` sends the task once the write commits. When the broker
is down (or, without a broker, the eager run fails) the write still stands: the failure
is logged, the request is marked, and the beat schedule's catch-up task finds the stale
work later (config/celery.py). `BackgroundDelayMiddleware` tells the user: a message on
pages, a `Matching-Delayed: true` header on every answer (API clients read that)."""

import logging
import socket
import time
from contextvars import ContextVar

from celery import Celery, Task
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from kombu import Connection

log = logging.getLogger("partnering.background")

_delayed: ContextVar[bool] = ContextVar("background_delayed", default=False)


# After a failed probe, the broker counts as down for this long in this process: each
# request then skips it at once instead of waiting for a connection again.
BROKER_RECHECK_S = 5.0
BROKER_PROBE_TIMEOUT_S = 0.5
_broker_down_until = 0.0


def _broker_reachable(app: Celery) -> bool:
    """A bare TCP connect to the broker, short and without retries: the Redis client
    below kombu retries a refused connection with backoff (~2 s), too long for a request.
    Eager mode (no broker) is always reachable."""
    global _broker_down_until
    if app.conf.task_always_eager:
        return True
    if time.monotonic() < _broker_down_until:
        return False
    broker = Connection(app.conf.broker_url)
    try:
        socket.create_connection(
            (broker.hostname or "127.0.0.1", broker.port or broker.default_port),
            timeout=BROKER_PROBE_TIMEOUT_S,
        ).close()
        _broker_down_until = 0.0
        return True
    except OSError:
        _broker_down_until = time.monotonic() + BROKER_RECHECK_S
        return False


def enqueue(task: Task, *args) -> bool:
    """Send `task` now; False (logged, request marked) when it could not be sent. Web
    requests never read task results, so none are stored."""
    try:
        if not _broker_reachable(task.app):
            raise ConnectionError("broker unreachable")
        task.apply_async(args=args, retry=False, ignore_result=True)
        return True
    except Exception:
        log.warning("could not enqueue %s%r; the catch-up schedule will do it", task.name, args)
        _delayed.set(True)
        return False


def enqueue_after_commit(task: Task, *args) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))


class BackgroundDelayMiddleware:
    """Place after MessageMiddleware: its message must be stored by that middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _delayed.set(False)
        try:
            response = self.get_response(request)
            if _delayed.get():
                response["Matching-Delayed"] = "true"
                if hasattr(request, "_messages") and not request.path.startswith("/api/"):
                    messages.warning(
                        request,
                        _(
                            "Saved. Suggestions for it are delayed: the background service "
                            "is unavailable and will catch up on its own."
                        ),
                    )
            return response
        finally:
            _delayed.reset(token)
