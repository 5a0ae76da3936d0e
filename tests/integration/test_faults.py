"""Faults survived, on real processes (issue #11): a worker killed mid-batch, Redis down
while members post, the database restarted under a running gunicorn. The scenarios live in
faults.py and are the same ones `make bench-faults` measures; each test starts its own
Redis/PostgreSQL on ports of its own and stops everything it started."""

import pytest
from django.db import connection

from tests.integration.faults import db_restart, redis_down, worker_kill
from tests.integration.processes import ProcessGroup, django_env

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def processes(request):
    group = ProcessGroup(request.node.name)
    yield group
    group.close()


@pytest.fixture
def database_url(db) -> str:
    """The test database, for the processes the test starts."""
    settings = connection.settings_dict
    host = settings["HOST"] or settings["OPTIONS"].get("host", "")
    if host.startswith("/"):
        return f"postgres://{settings['USER']}:@/{settings['NAME']}?host={host}"
    return f"postgres://{settings['USER']}:{settings['PASSWORD']}@{host}:{settings['PORT']}/{settings['NAME']}"


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(processes, database_url):
    outcome = worker_kill(processes, database_url)

    assert outcome.in_flight_at_kill >= 1  # the kill did hit a task in progress
    assert outcome.lost == 0
    assert outcome.duplicated == 0


def test_redis_down_saves_at_once_and_beat_catches_up_without_restarts(processes, database_url):
    outcome = redis_down(processes, database_url)

    assert outcome.statuses == [201] * outcome.total
    assert outcome.said_delayed == outcome.total
    assert outcome.slowest_save_s < 3.0
    assert outcome.lost == 0
    assert not outcome.processes_restarted
    assert not outcome.delayed_after_recovery


def test_a_database_restart_answers_503_then_recovers_without_restarting_the_web(processes):
    database = processes.postgres()
    processes.manage(django_env(database_url=database.url()), "migrate", "--noinput")

    outcome = db_restart(processes, database)

    assert outcome.outage_answers > 0
    assert outcome.clean_503 == outcome.outage_answers, outcome.statuses
    assert outcome.failed_requests == 0
    assert not outcome.web_restarted
