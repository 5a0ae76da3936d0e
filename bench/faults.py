"""Faults survived, measured: `make bench-faults`.

    .venv/bin/python bench/faults.py

The scenarios of the fault tests (tests/integration/faults.py, on the processes of
tests/integration/processes.py), run on a PostgreSQL and Redis of their own (temporary
folders, free ports; the shared Redis on 6379 and the worktree's database are not touched),
then printed one line each:

    worker_kill lost=0 duplicated=0 caught_up_s=S
        8 postings' embedding tasks queued; the worker SIGKILLed (with its pool) while it
        holds one; a new worker started. caught_up_s: from its start until every posting is
        embedded and ranked (it includes the visibility timeout, 40 s here, after which the
        held message returns to the queue; 600 s by default).
    redis_down saved=N/N caught_up_s=S
        gunicorn, worker and beat; Redis killed; N needs saved through the API (201); Redis
        started again, empty. caught_up_s: from its start until beat's catch-up embedded and
        ranked them all (catch-up every 3 s here, 60 s by default).
    db_restart failed_requests=N recovered_s=S
        gunicorn with persistent connections; PostgreSQL stopped for 3 s under it and
        started again. failed_requests: answers that were neither a clean 503 during the
        outage nor a 200 afterwards. recovered_s: from the database's start until the same
        web process answers 200 again.
    login_bruteforce attempts_before_lockout=N forged_header_bypass=no
        wrong passwords for one account against the token endpoint: N is the attempt
        answered with the lockout (AXES_FAILURE_LIMIT, 5). Then the right password with
        a different X-Forwarded-For on every try, on the token endpoint and the HTML
        login: `yes` if any of them gets in.
"""

import os
import re
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.processes import ProcessGroup, django_env  # noqa: E402

PASSWORD = "bench-faults-2026-horse"  # noqa: S105 (a throw-away account)


def line(text: str) -> None:
    print(text, flush=True)


def _token_attempt(base: str, email: str, password: str, forwarded: str = "") -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return requests.post(
        f"{base}/api/v1/auth/token/",
        json={"email": email, "password": password},
        headers=headers,
        timeout=30,
    ).status_code


def _html_login(base: str, email: str, password: str, forwarded: str) -> bool:
    """True when the HTML login let the user in (redirected to the dashboard)."""
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{base}/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"X-Forwarded-For": forwarded, "Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    return answer.status_code == 302


def login_bruteforce(base: str, email: str) -> tuple[int, bool]:
    """(the number of the wrong password that was answered with the lockout, whether a
    forged X-Forwarded-For got the right password in while locked)."""
    attempts = next(
        (n for n in range(1, 101) if _token_attempt(base, email, f"wrong-{n}") not in (400, 401)),
        0,
    )
    forged = [f"203.0.113.{n}" for n in range(1, 11)]
    bypass = any(_token_attempt(base, email, PASSWORD, ip) == 200 for ip in forged)
    bypass |= any(_html_login(base, email, PASSWORD, ip) for ip in forged)
    return attempts, bypass


def main() -> None:
    groups = {name: ProcessGroup(name) for name in ("bench", "kill", "down", "restart")}
    try:
        database = groups["bench"].postgres()
        env = django_env(database_url=database.url())
        groups["bench"].manage(env, "migrate", "--noinput", "-v", "0")
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connections

        from tests.factories import UserFactory
        from tests.integration import faults

        kill = faults.worker_kill(groups["kill"], database.url())
        line(
            f"worker_kill lost={kill.lost} duplicated={kill.duplicated} "
            f"caught_up_s={kill.caught_up_s:.1f}"
        )
        down = faults.redis_down(groups["down"], database.url())
        line(f"redis_down saved={down.saved}/{down.total} caught_up_s={down.caught_up_s:.1f}")

        UserFactory(email="bruteforce@example.org", password=PASSWORD)
        connections.close_all()  # the database is about to restart under this process too
        restart = faults.db_restart(groups["restart"], database)
        line(
            f"db_restart failed_requests={restart.failed_requests} "
            f"recovered_s={restart.recovered_s:.1f}"
        )
        attempts, bypass = login_bruteforce(restart.base_url, "bruteforce@example.org")
        line(
            f"login_bruteforce attempts_before_lockout={attempts} "
            f"forged_header_bypass={'yes' if bypass else 'no'}"
        )
    finally:
        for group in reversed(groups.values()):
            group.close()


if __name__ == "__main__":
    main()
