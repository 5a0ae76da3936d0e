"""The faults of issue #11, each as one scenario on real processes (processes.py), run by
the fault tests (tests/integration/test_faults.py, which assert on the outcome) and by
`make bench-faults` (bench/faults.py, which prints it). The calling process writes and
reads the same database as the processes it starts (Django's default connection and
`database_url` name one database)."""

import base64
import json
import signal
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from celery import Celery
from django.db import connection
from rest_framework.authtoken.models import Token

from matchmaking.embedding import active_encoder_names
from matchmaking.kinds import CAPABILITY, NEED
from matchmaking.models import Embedding, MatchSource
from tests.factories import CapabilityFactory, MembershipFactory, NeedFactory, UserFactory
from tests.integration.processes import Postgres, Process, ProcessGroup, Redis, django_env, wait_for

TOPICS = [
    "Automated weld seam inspection with industrial cameras",
    "Predictive maintenance of hydraulic pumps from vibration data",
    "Quality control of injection moulded parts by image analysis",
    "Demand forecasting for spare parts in machine building",
    "Robot grasping of unsorted metal parts from bins",
    "Energy optimisation of compressed air systems in factories",
    "Anomaly detection in CNC milling spindle currents",
    "Document understanding of supplier delivery notes",
]
# The test's broker settings for workers: an unacknowledged message returns after
# VISIBILITY_S (the first task of a fresh worker loads two models: ~25 s on a busy
# machine), looked for every second.
VISIBILITY_S = 40
CATCH_UP_S = 3
DEADLINE_S = 300


def postings_world(needs: int, capabilities: int) -> list[tuple[str, int]]:
    """An SME with needs and an institute with capabilities on the same topics, nothing
    embedded or ranked yet; returns (kind, id) of every posting."""
    sme = MembershipFactory(user=UserFactory()).organisation
    institute = MembershipFactory(
        user=UserFactory(), organisation__kind="research_institute"
    ).organisation
    made = [(NEED, NeedFactory(organisation=sme, title=f"{TOPICS[i % 8]} ({i})").id)
            for i in range(needs)]  # fmt: skip
    made += [
        (CAPABILITY, CapabilityFactory(organisation=institute, title=f"{TOPICS[i % 8]} ({i})").id)
        for i in range(capabilities)
    ]
    return made


def not_caught_up(postings: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Postings without a whole-text vector of every active encoder or without a ranked
    list in the match store."""
    encoders = len(active_encoder_names())
    missing = []
    for kind, posting_id in postings:
        vectors = Embedding.objects.filter(chunk=0, **{f"{kind}_id": posting_id}).count()
        ranked = MatchSource.objects.filter(kind=kind, source_id=posting_id).exists()
        if vectors < encoders or not ranked:
            missing.append((kind, posting_id))
    return missing


def stored_twice() -> int:
    """Rows stored more than once: vectors per owner, encoder and chunk; match rows per
    pair; ranked lists per source."""
    groups = {
        "matchmaking_embedding": "need_id, capability_id, organisation_id, encoder, chunk",
        "matchmaking_match": "source_kind, source_id, target_kind, target_id",
        "matchmaking_matchsource": "kind, source_id",
    }
    extra = 0
    with connection.cursor() as cursor:
        for table, columns in groups.items():
            cursor.execute(
                f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM {table} "  # noqa: S608
                f"GROUP BY {columns} HAVING count(*) > 1) AS repeated"
            )
            extra += cursor.fetchone()[0]
    return extra


def broker_idle(redis: Redis) -> bool:
    """No message waiting and none delivered but unacknowledged."""
    client = redis.client()
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def _send(broker_url: str, task: str, *args) -> None:
    with Celery(broker=broker_url) as sender:
        sender.send_task(task, args=args)


@dataclass
class WorkerKill:
    postings: int
    in_flight_at_kill: int
    lost: int
    duplicated: int
    caught_up_s: float


def _held_postings(redis: Redis) -> list[tuple[str, int]]:
    """The postings of the embedding messages delivered to a worker and not acknowledged
    (kombu keeps them in the `unacked` hash until the ack)."""
    held = []
    for raw in redis.client().hvals("unacked"):
        message = json.loads(raw)[0]
        body = message["body"]
        if message["properties"].get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args = json.loads(body)[0]
        if message["headers"].get("task") == "matchmaking.tasks.posting_embed":
            held.append((args[0], args[1]))
    return held


def _embedded(kind: str, posting_id: int) -> bool:
    return Embedding.objects.filter(**{f"{kind}_id": posting_id}).exists()


def _kill_mid_batch(worker: Process, redis: Redis, postings: list[tuple[str, int]]) -> int:
    """SIGKILL the worker (with its pool) once it has embedded some postings but not all,
    at a moment it holds the message of a posting whose embedding is not written yet: its
    work is cut off mid-task. To look, the worker is frozen (SIGSTOP), so the moment is
    not a matter of timing luck. Returns how many such messages it held."""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        embedded = sum(1 for posting in postings if _embedded(*posting))
        if 0 < embedded < len(postings):
            worker.signal(signal.SIGSTOP)
            unfinished = [p for p in _held_postings(redis) if not _embedded(*p)]
            if unfinished:
                worker.kill()
                return len(unfinished)
            worker.signal(signal.SIGCONT)
        time.sleep(0.05)
    raise RuntimeError(f"the worker was never caught mid-batch:\n{worker.log()[-3000:]}")


def worker_kill(group: ProcessGroup, database_url: str, postings: int = 8) -> WorkerKill:
    """Each posting's embedding task is queued, as a save queues it; the worker is killed
    (SIGKILL, with its pool) in the middle; a new worker starts. Late acks bring the
    message it held back after the visibility timeout; the tasks are idempotent."""
    redis = group.redis()
    env = django_env(
        database_url=database_url,
        broker_url=redis.url(),
        CELERY_VISIBILITY_TIMEOUT_S=str(VISIBILITY_S),
        CELERY_RESTORE_INTERVAL_S="1",
    )
    world = postings_world(needs=postings // 2, capabilities=postings - postings // 2)
    for kind, posting_id in world:
        _send(redis.url(), "matchmaking.tasks.posting_embed", kind, posting_id)
    held = _kill_mid_batch(group.worker(env, "worker-1"), redis, world)
    started = time.monotonic()
    group.worker(env, "worker-2")
    wait_for(lambda: broker_idle(redis) and not not_caught_up(world), DEADLINE_S, interval=1)
    return WorkerKill(
        postings=len(world),
        in_flight_at_kill=held,
        lost=len(not_caught_up(world)),
        duplicated=stored_twice(),
        caught_up_s=time.monotonic() - started,
    )


def _post_need(base: str, token: str, organisation: str, title: str) -> tuple[int, float, str]:
    """POST /api/v1/needs/ as the member; (status, seconds, Matching-Delayed header)."""
    body = json.dumps(
        {"organisation": organisation, "title": title, "description": title + ".", "trl": 5}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (our own server)
        f"{base}/api/v1/needs/",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            status, delayed = response.status, response.headers.get("Matching-Delayed", "")
    except urllib.error.HTTPError as error:
        status, delayed = error.code, ""
    return status, time.monotonic() - started, delayed


@dataclass
class RedisDown:
    saved: int
    total: int
    slowest_save_s: float
    said_delayed: int
    caught_up_s: float
    lost: int
    processes_restarted: bool
    delayed_after_recovery: bool
    statuses: list[int] = field(default_factory=list)


def redis_down(group: ProcessGroup, database_url: str, postings: int = 5) -> RedisDown:
    """gunicorn, a worker and beat on a Redis of their own; Redis is killed, a member saves
    needs through the API, Redis comes back empty (no persistence). The beat schedule's
    catch-up must embed and rank every one of them, with no process restarted."""
    redis = group.redis()
    env = django_env(
        database_url=database_url, broker_url=redis.url(), CATCH_UP_INTERVAL_S=str(CATCH_UP_S)
    )
    member = MembershipFactory(user=UserFactory())
    organisation, token = member.organisation.slug, Token.objects.create(user=member.user).key
    web, base = group.web(env)
    workers = [web, group.worker(env), group.beat(env)]
    # Normal operation first: loads the language identifier (web) and the models (worker).
    status, _seconds, _delayed = _post_need(base, token, organisation, TOPICS[0])
    assert status == 201, status
    wait_for(lambda: broker_idle(redis) and not not_caught_up(_needs_of(organisation)), 240, 1)

    redis.stop()
    answers = [_post_need(base, token, organisation, TOPICS[1 + i]) for i in range(postings)]
    restarted = time.monotonic()
    redis.start()
    saved = _needs_of(organisation)[1:]
    wait_for(lambda: not not_caught_up(saved), DEADLINE_S, interval=1)
    caught_up_s = time.monotonic() - restarted
    # The web process probes the broker again within seconds: saves stop saying "delayed".
    delayed_after = not wait_for(
        lambda: _post_need(base, token, organisation, f"After {time.monotonic()}")[2] == "", 30, 2
    )
    return RedisDown(
        saved=sum(1 for status, _s, _d in answers if status == 201),
        total=postings,
        slowest_save_s=max(seconds for _st, seconds, _d in answers),
        said_delayed=sum(1 for _st, _s, delayed in answers if delayed == "true"),
        caught_up_s=caught_up_s,
        lost=len(not_caught_up(saved)),
        processes_restarted=not all(process.running() for process in workers),
        delayed_after_recovery=delayed_after,
        statuses=[status for status, _s, _d in answers],
    )


def _needs_of(organisation_slug: str) -> list[tuple[str, int]]:
    from matchmaking.models import Need

    ids = Need.objects.filter(organisation__slug=organisation_slug).order_by("id")
    return [(NEED, need_id) for need_id in ids.values_list("id", flat=True)]


def _get(url: str, accept: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET; status 0 when nothing answered."""
    request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers.get_content_type(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read().decode()
    except OSError:
        return 0, "", ""


# A page that reads the database, and an API list that does.
DB_PAGES = {"/": "text/html", "/api/v1/needs/": "application/json"}


def _clean_outage_answer(status: int, content_type: str, body: str, expected: str) -> bool:
    """503 in the format the client asked for, with a message and no traceback."""
    if status != 503 or content_type != expected or "Traceback" in body:
        return False
    return "detail" in json.loads(body) if expected == "application/json" else "<html" in body


@dataclass
class DbRestart:
    outage_answers: int
    clean_503: int
    failed_requests: int
    recovered_s: float
    web_restarted: bool
    base_url: str
    statuses: list[int] = field(default_factory=list)


def db_restart(group: ProcessGroup, database: Postgres, outage_s: float = 3.0) -> DbRestart:
    """gunicorn with persistent connections (CONN_MAX_AGE=60) on `database` (migrated);
    the database stops under it, stays away for `outage_s`, and starts again. During the
    outage every answer must be a clean 503; afterwards the same web process must answer
    200 again. failed_requests counts answers that are neither: a 500, a traceback, no
    answer at all, or a failure once the database is back."""
    env = django_env(database_url=database.url(), CONN_MAX_AGE="60")
    web, base = group.web(env)
    for path, accept in DB_PAGES.items():
        status = _get(base + path, accept)[0]
        assert status == 200, (path, status)

    database.stop()
    outage_until = time.monotonic() + outage_s
    statuses, clean, failed = [], 0, 0
    while time.monotonic() < outage_until:
        for path, accept in DB_PAGES.items():
            status, content_type, body = _get(base + path, accept)
            statuses.append(status)
            if _clean_outage_answer(status, content_type, body, accept):
                clean += 1
            else:
                failed += 1
    database.start()
    back = time.monotonic()
    recovered = False
    while not recovered and time.monotonic() - back < 60:
        answers = [_get(base + path, accept)[0] for path, accept in DB_PAGES.items()]
        recovered = all(status == 200 for status in answers)
        failed += sum(1 for status in answers if status != 200)
    return DbRestart(
        outage_answers=len(statuses),
        clean_503=clean,
        failed_requests=failed,
        recovered_s=time.monotonic() - back,
        web_restarted=not web.running(),
        base_url=base,
        statuses=statuses,
    )
