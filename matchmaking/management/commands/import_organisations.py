"""Import a network's member list: organisations with their needs and capabilities.

    manage.py import_organisations members.csv
    manage.py import_organisations members.jsonl --skip-invalid

The columns and the JSON Lines shape are documented in matchmaking/onboarding/rows.py and
docs/onboarding.md. Every row is checked first; one bad row and nothing is imported
(each error names its line and field) unless --skip-invalid, which imports the good rows
and lists the others. Then the new texts are embedded and every affected suggestion list
ranked: here with progress bars when tasks run eagerly (no broker), else by the workers,
one Celery batch per chunk of organisations, while this command shows their progress.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from matchmaking.models import OrganisationImport
from matchmaking.onboarding.services import (
    ImportInvalid,
    organisation_import_chunk_embed,
    organisation_import_rank,
    organisations_import,
)

POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = "Import organisations with needs and capabilities from a CSV or JSON Lines file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows and list the invalid ones instead of importing nothing",
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="with a broker: return once the batches are queued",
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        inline = settings.CELERY_TASK_ALWAYS_EAGER
        started = time.monotonic()
        try:
            record = organisations_import(
                data=path.read_bytes(),
                filename=path.name,
                skip_invalid=options["skip_invalid"],
                enqueue=not inline,
            )
        except ImportInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Nothing imported: {len(invalid.errors)} errors. Fix them or use --skip-invalid."
            ) from None
        for skipped in record.skipped:
            self.stderr.write(f"skipped: {skipped}")
        self.stdout.write(
            f"Imported {record.organisations} organisations with {record.postings} needs and "
            f"capabilities in {time.monotonic() - started:.1f} s (import {record.id})."
        )
        if inline:
            self._run_here(record)
        elif not options["no_wait"]:
            self._follow(record)

    def _run_here(self, record: OrganisationImport) -> None:
        for index in tqdm(range(record.chunks_total), desc="embed", unit="chunk"):
            organisation_import_chunk_embed(record=record, index=index)
        with tqdm(desc="rank", unit="source") as progress:
            ranked = organisation_import_rank(record=record, progress=progress)
        self.stdout.write(f"Embedded and ranked: {ranked} suggestion lists.")

    def _follow(self, record: OrganisationImport) -> None:
        with tqdm(total=100, desc="embed and rank", unit="%") as progress:
            while True:
                record.refresh_from_db()
                progress.update(record.progress - progress.n)
                if record.finished_at is not None:
                    break
                time.sleep(POLL_SECONDS)
        self.stdout.write(f"Embedded and ranked: {record.sources_ranked} suggestion lists.")
