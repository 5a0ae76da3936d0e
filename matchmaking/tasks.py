"""Background work of the matchmaking app: embedding texts, then ranking the match store
(matchmaking/suggestions/store.py). Tasks take ids, never objects, and call one service;
they are idempotent (re-embedding an up-to-date owner encodes nothing, re-ranking replaces
a list), so a redelivered message after a worker crash (acks_late) is harmless.

Retries cover what passes: a lost database connection, or two writers of the same owner
colliding on the unique (owner, encoder, chunk) constraint. A deleted owner is not an
error: its rows went with it (CASCADE)."""

from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError

from matchmaking.embedding_service import (
    embedding_candidates,
    embeddings_refresh_many,
    embeddings_stale_among,
)
from matchmaking.kinds import CAPABILITY, KINDS, NEED, ORGANISATION, posting_model
from matchmaking.models import OrganisationImport
from matchmaking.onboarding import services as onboarding
from matchmaking.suggestions.store import (
    AFFECTED_ORGANISATIONS,
    affected_sources,
    matches_explain,
    matches_refresh,
    network_affected_needs,
    organisations_of,
    stale_sources,
)

# Batches of store.BATCH_SIZE sources one run of `matches_catch_up` ranks at most.
CATCH_UP_BATCHES = 1

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}
# Work that serves a person waiting (a saved posting's embedding and its own list) runs
# at the default priority; everything it sets off for others (the lists it may now enter,
# its organisation's profile, imports, rematch batches) at BACKGROUND. Redis hands a free
# worker the most urgent message first (kombu's priority steps: 0 first, 9 last) and a
# worker reserves one message per process (CELERY_WORKER_PREFETCH_MULTIPLIER = 1), so a
# new need waits for at most the background tasks already running, never for a queue.
BACKGROUND = {"priority": 9}
# Sources per background re-ranking task: short tasks keep that wait short.
AFFECTED_BATCH = 10

# Owners per encode call when catching up: one transaction each, so a killed worker loses
# at most one batch of work (which the next run redoes).
CATCH_UP_BATCH = 64


@shared_task(**RETRY)
def posting_embed(kind: str, posting_id: int) -> int:
    """Embed a saved need or capability, then its organisation (whose text lists its open
    postings). Enqueue after commit:
    `transaction.on_commit(lambda: posting_embed.delay("need", need.id))`."""
    model = posting_model(kind)
    encoded = embeddings_refresh_many(kind=kind, ids=[posting_id])
    posting_match.delay(kind, posting_id)
    organisation_id = (
        model.objects.filter(id=posting_id).values_list("organisation_id", flat=True).first()
    )
    if organisation_id is not None:
        organisation_embed.delay(organisation_id)
    return encoded


@shared_task(**RETRY, **BACKGROUND)
def postings_embed(kind: str, posting_ids: list[int]) -> int:
    """Batch form for imports: one encode call per encoder for all the postings, then each
    affected organisation once."""
    model = posting_model(kind)
    encoded = embeddings_refresh_many(kind=kind, ids=posting_ids)
    organisation_ids = sorted(
        set(model.objects.filter(id__in=posting_ids).values_list("organisation_id", flat=True))
    )
    if organisation_ids:
        organisations_embed.delay(organisation_ids)
    return encoded


@shared_task(**RETRY, **BACKGROUND)
def organisation_embed(organisation_id: int) -> int:
    """Embed an organisation's profile and open postings (call after a profile edit),
    then rank its partner organisations again."""
    encoded = embeddings_refresh_many(kind=ORGANISATION, ids=[organisation_id])
    matches_refresh_batch.delay(ORGANISATION, [organisation_id])
    return encoded


@shared_task(**RETRY, **BACKGROUND)
def organisations_embed(organisation_ids: list[int]) -> int:
    return embeddings_refresh_many(kind=ORGANISATION, ids=organisation_ids)


@shared_task(acks_late=True)
def embeddings_catch_up() -> int:
    """Embed everything stale: postings saved while the broker was down, tasks lost with
    a worker, texts of a switched encoder. Run by the beat schedule; idempotent (what is
    up to date is not stale), so overlapping runs only repeat hash checks. Postings
    before organisations, whose text carries the postings."""
    encoded = 0
    for kind in KINDS:
        candidates = embedding_candidates(kind=kind)
        for start in range(0, len(candidates), CATCH_UP_BATCH):
            batch = candidates[start : start + CATCH_UP_BATCH]
            stale = embeddings_stale_among(kind=kind, ids=batch)
            # Refreshing the whole batch also clears the marks of those found current.
            encoded += embeddings_refresh_many(kind=kind, ids=batch)
            if stale:
                # Their lists, if any, were ranked without these vectors (matches_catch_up
                # may have run first): rank them again, as a save's own tasks would.
                matches_refresh_batch.delay(kind, sorted(stale))
    return encoded


@shared_task(**RETRY)
def postings_purge_closed() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): the retention period of closed postings."""
    from django.conf import settings

    from matchmaking.services import postings_purge_closed as purge

    return purge(older_than=timedelta(days=settings.CLOSED_POSTING_RETENTION_DAYS))


@shared_task(**RETRY)
def posting_match(kind: str, posting_id: int) -> int:
    """Rank a saved, embedded posting's own suggestions first (its page stops saying
    "being prepared"), their sentence pairs next, then queue the lists it may now enter
    or leave (background)."""
    written = matches_refresh(kind=kind, ids=[posting_id], explain=False)
    posting_explain.delay(kind, posting_id)
    affected_matches_refresh.delay(kind, posting_id)
    return written


@shared_task(**RETRY)
def posting_explain(kind: str, posting_id: int) -> int:
    """The best sentence pairs of a posting's just-ranked list (store.matches_explain)."""
    return matches_explain(kind=kind, source_id=posting_id)


@shared_task(**RETRY, **BACKGROUND)
def affected_matches_refresh(kind: str, posting_id: int) -> int:
    """Queue the re-ranking of the counterpart postings a saved posting may now be
    suggested to (see store.affected_sources), a few per task, then the partner lists of
    their organisations. Returns how many sources were queued."""
    other = CAPABILITY if kind == NEED else NEED
    sources = affected_sources(kind=kind, posting_id=posting_id)
    for start in range(0, len(sources), AFFECTED_BATCH):
        matches_refresh_batch.delay(other, sources[start : start + AFFECTED_BATCH])
    organisations = organisations_of(kind=other, posting_ids=sources)
    if organisations:
        matches_refresh_batch.delay(ORGANISATION, organisations[:AFFECTED_ORGANISATIONS])
    return len(sources)


@shared_task(acks_late=True)
def matches_catch_up() -> int:
    """Rank lists that are missing or of another engine version (a save whose tasks were
    lost while the broker was down, a weights change): at most CATCH_UP_BATCHES batches per
    run of the beat schedule, needs first, so runs stay short and never pile up."""
    ranked = 0
    for _batch, (kind, ids) in zip(range(CATCH_UP_BATCHES), stale_sources(), strict=False):
        matches_refresh(kind=kind, ids=ids)
        ranked += len(ids)
    return ranked


@shared_task(**RETRY, **BACKGROUND)
def matches_refresh_batch(kind: str, source_ids: list[int]) -> int:
    """Re-rank a batch of sources of one kind (rematch, imports, organisations)."""
    return matches_refresh(kind=kind, ids=source_ids)


@shared_task(**RETRY, **BACKGROUND)
def organisation_import_chunk_embed(import_id: int, index: int) -> int:
    """Embed one chunk of an organisation import (see matchmaking/onboarding/services.py)."""
    record = OrganisationImport.objects.get(id=import_id)
    return onboarding.organisation_import_chunk_embed(record=record, index=index)


@shared_task(**RETRY, **BACKGROUND)
def organisation_import_rank(import_id: int) -> int:
    """Once all its chunks are embedded, queue the ranking of an import's lists in
    batches that every worker process shares."""
    record = OrganisationImport.objects.get(id=import_id)
    return onboarding.organisation_import_rank_enqueue(record=record)


@shared_task(**RETRY, **BACKGROUND)
def organisation_import_rank_batch(import_id: int, kind: str, ids: list[int]) -> int:
    record = OrganisationImport.objects.get(id=import_id)
    return onboarding.organisation_import_rank_batch(record=record, kind=kind, ids=ids)


@shared_task(**RETRY, **BACKGROUND)
def network_matches_refresh(organisation_ids: list[int]) -> int:
    """After a collaboration record changed between these organisations: re-rank the need
    lists whose organisation suggestions the network orders (store.network_affected_needs),
    a few per task. Returns how many lists were queued."""
    needs = network_affected_needs(organisation_ids=organisation_ids)
    for start in range(0, len(needs), AFFECTED_BATCH):
        matches_refresh_batch.delay(NEED, needs[start : start + AFFECTED_BATCH])
    return len(needs)
