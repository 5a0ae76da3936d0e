"""Background work of the matchmaking app. Tasks take ids, never objects, and call one
service; they are idempotent (re-embedding an up-to-date owner encodes nothing), so a
redelivered message after a worker crash (acks_late) costs one hash check.

Retries cover what passes: a lost database connection, or two writers of the same owner
colliding on the unique (owner, encoder, chunk) constraint. A deleted owner is not an
error: its rows went with it (CASCADE)."""

from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError

from matchmaking.embedding_service import embeddings_refresh_many, embeddings_stale
from matchmaking.kinds import KINDS, ORGANISATION, posting_model

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}
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
    organisation_id = (
        model.objects.filter(id=posting_id).values_list("organisation_id", flat=True).first()
    )
    if organisation_id is not None:
        organisation_embed.delay(organisation_id)
    return encoded


@shared_task(**RETRY)
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


@shared_task(**RETRY)
def organisation_embed(organisation_id: int) -> int:
    """Embed an organisation's profile and open postings; call after a profile edit."""
    return embeddings_refresh_many(kind=ORGANISATION, ids=[organisation_id])


@shared_task(**RETRY)
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
        for ids in embeddings_stale(kind=kind):
            for start in range(0, len(ids), CATCH_UP_BATCH):
                encoded += embeddings_refresh_many(
                    kind=kind, ids=ids[start : start + CATCH_UP_BATCH]
                )
    return encoded


@shared_task(**RETRY)
def postings_purge_closed() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): the retention period of closed postings."""
    from django.conf import settings

    from matchmaking.services import postings_purge_closed as purge

    return purge(older_than=timedelta(days=settings.CLOSED_POSTING_RETENTION_DAYS))
