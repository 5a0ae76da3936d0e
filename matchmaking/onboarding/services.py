"""Bulk onboarding: write a checked import file in one transaction, then embed and rank it
in the background, one Celery batch per chunk of organisations, with progress kept on the
`OrganisationImport` row (the upload page and `manage.py import_organisations` read it).

All or nothing: unless `skip_invalid`, a file with any bad row writes nothing and raises
`ImportInvalid` with every error (line and field). With `skip_invalid` the good rows are
imported and the bad ones listed on the import."""

from celery import chain, current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Organisation, User, unique_slug
from matchmaking.embedding_service import embeddings_refresh_many
from matchmaking.kinds import CAPABILITY, NEED, ORGANISATION
from matchmaking.models import Capability, MatchSource, Need, OrganisationImport
from matchmaking.onboarding.rows import EXTENSIONS, ReadResult, RowError, read_import
from matchmaking.suggestions.store import matches_refresh, stale_sources

# Organisations per background batch: one embedding call per encoder and kind each.
CHUNK_SIZE = 200
TASKS = "matchmaking.tasks"


class ImportInvalid(Exception):
    """The file has bad rows and nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def organisations_import(
    *,
    data: bytes,
    filename: str = "",
    skip_invalid: bool = False,
    started_by: User | None = None,
    enqueue: bool = True,
) -> OrganisationImport:
    """Check and write a whole file, then queue its embedding and ranking after commit
    (`enqueue=False`: the caller runs the chunks itself, e.g. with a progress bar). Raises
    ImportInvalid when rows are bad and `skip_invalid` is off, or when nothing is left to
    import."""
    result = read_import(data, filename=filename)
    if result.errors and not skip_invalid:
        raise ImportInvalid(result.errors)
    if not result.rows:
        raise ImportInvalid(result.errors or [RowError(0, "-", "The file holds no organisation.")])
    record = _write(result, filename=filename, started_by=started_by)
    if enqueue:
        transaction.on_commit(lambda: organisation_import_enqueue(record))
    return record


@transaction.atomic
def _write(result: ReadResult, *, filename: str, started_by: User | None) -> OrganisationImport:
    organisation_ids = []
    postings: dict[type, list] = {Need: [], Capability: []}
    for row in result.rows:
        organisation = row.organisation
        organisation.slug = unique_slug(Organisation, organisation.name)
        organisation.save()
        organisation_ids.append(organisation.id)
        for posting in row.postings:
            posting.organisation = organisation
            postings[type(posting)].append(posting)
        for key, items in row.extras.items():
            EXTENSIONS[key].write(organisation, items)
    for model, rows in postings.items():
        model.objects.bulk_create(rows, batch_size=1000)
    # Every other list may now gain candidates: re-rank them after the new ones (their
    # pages keep showing the old lists meanwhile).
    MatchSource.objects.update(version="")
    chunks = [
        organisation_ids[start : start + CHUNK_SIZE]
        for start in range(0, len(organisation_ids), CHUNK_SIZE)
    ]
    return OrganisationImport.objects.create(
        filename=filename[:200],
        started_by=started_by,
        organisations=len(organisation_ids),
        postings=result.postings,
        skipped=[str(error) for error in result.errors],
        chunks=chunks,
        chunks_total=len(chunks),
    )


def organisation_import_enqueue(record: OrganisationImport) -> None:
    """One embedding task per chunk, then the ranking, in order (a chain: ranking must see
    every new vector). Tasks are named, not imported: matchmaking.tasks calls this module."""
    steps = [
        current_app.signature(f"{TASKS}.organisation_import_chunk_embed", args=(record.id, index))
        for index in range(record.chunks_total)
    ]
    steps.append(current_app.signature(f"{TASKS}.organisation_import_rank", args=(record.id,)))
    chain(*(step.set(immutable=True) for step in steps)).delay()


def organisation_import_chunk_embed(*, record: OrganisationImport, index: int) -> int:
    """Embed the postings and profiles of one chunk of imported organisations."""
    organisation_ids = record.chunks[index]
    encoded = 0
    for kind, model in ((NEED, Need), (CAPABILITY, Capability)):
        ids = list(
            model.objects.filter(organisation_id__in=organisation_ids).values_list("id", flat=True)
        )
        encoded += embeddings_refresh_many(kind=kind, ids=ids)
    encoded += embeddings_refresh_many(kind=ORGANISATION, ids=organisation_ids)
    OrganisationImport.objects.filter(id=record.id).update(chunks_embedded=index + 1)
    return encoded


def organisation_import_rank(*, record: OrganisationImport, progress=None) -> int:
    """Rank every stale list (the new ones and those the import may change), needs first,
    in this process, counting progress on the import (and on `progress`, a tqdm bar)."""
    batches = _rank_start(record)
    if progress is not None:
        progress.reset(total=record.sources_total)
    for kind, ids in batches:
        organisation_import_rank_batch(record=record, kind=kind, ids=ids)
        if progress is not None:
            progress.update(len(ids))
    return record.sources_total


def organisation_import_rank_enqueue(*, record: OrganisationImport) -> int:
    """Queue every stale list's ranking, one task per batch (needs first), so that all
    workers rank in parallel; the last batch to finish marks the import finished.
    Returns the number of batches."""
    batches = _rank_start(record)
    for kind, ids in batches:
        current_app.signature(
            f"{TASKS}.organisation_import_rank_batch", args=(record.id, kind, ids)
        ).delay()
    return len(batches)


def organisation_import_rank_batch(*, record: OrganisationImport, kind: str, ids: list[int]) -> int:
    """Rank one batch of an import's lists and count it; the import is finished when every
    source is ranked (counted in the database, so parallel batches agree)."""
    written = matches_refresh(kind=kind, ids=ids)
    imports = OrganisationImport.objects.filter(id=record.id)
    imports.update(sources_ranked=F("sources_ranked") + len(ids))
    imports.filter(finished_at__isnull=True, sources_ranked__gte=F("sources_total")).update(
        finished_at=timezone.now()
    )
    return written


def _rank_start(record: OrganisationImport) -> list[tuple[str, list[int]]]:
    batches = list(stale_sources())
    record.sources_total = sum(len(ids) for _kind, ids in batches)
    record.sources_ranked = 0
    record.finished_at = None if batches else timezone.now()
    record.save(update_fields=["sources_total", "sources_ranked", "finished_at"])
    return batches
