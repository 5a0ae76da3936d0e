"""The embedding backlog (/health/, /metrics) and the catch-up check only the candidates
(owners marked by the database triggers of migration 0008, and owners without vectors of
an encoder), never every text: the answer is the same as checking every owner, and its
cost does not grow with the number of up-to-date owners."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaking.embedding_service import (
    embedding_backlog,
    embedding_candidates,
    embeddings_refresh_many,
    embeddings_stale_among,
    embeddings_stale_ids,
)
from matchmaking.kinds import KINDS, MODELS
from matchmaking.models import Capability, Embedding, Need
from tests.factories import CapabilityFactory, NeedFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _embed_everything() -> None:
    for kind in KINDS:
        embeddings_refresh_many(
            kind=kind, ids=list(MODELS[kind].objects.values_list("id", flat=True))
        )


def _world(size: int) -> list:
    organisations = [OrganisationFactory(description=f"Lab {n} for vision.") for n in range(size)]
    return [
        posting
        for n, organisation in enumerate(organisations)
        for posting in (
            NeedFactory(organisation=organisation, title=f"Weld seam inspection {n}"),
            CapabilityFactory(organisation=organisation, title=f"Defect detection {n}"),
        )
    ]


def _every_owner_checked(kind: str) -> list[int]:
    """The answer without candidates: every owner's text against its stored hashes."""
    ids = list(MODELS[kind].objects.values_list("id", flat=True))
    return sorted(embeddings_stale_among(kind=kind, ids=ids))


def test_nothing_is_a_candidate_once_everything_is_embedded(encoders):
    _world(3)
    assert embedding_candidates(kind="need")  # fresh postings are marked

    _embed_everything()

    assert all(embedding_candidates(kind=kind) == [] for kind in KINDS)
    assert embedding_backlog() == (0, None)


def test_candidates_give_the_same_stale_owners_as_checking_every_text(encoders, settings):
    postings = _world(4)
    _embed_everything()
    need, capability = postings[0], postings[3]
    # Changes that bypass the services (no task is queued for them):
    Need.objects.filter(id=need.id).update(description="Now about pump maintenance.")
    Need.objects.filter(id=postings[2].id).update(trl=3)  # not part of the text
    Capability.objects.filter(id=capability.id).delete()  # its organisation's text changes
    NeedFactory(title="A need saved while the broker was down")
    Embedding.objects.filter(organisation=postings[4].organisation, encoder="usem3").delete()

    for kind in KINDS:
        assert embeddings_stale_ids(kind=kind) == _every_owner_checked(kind=kind)
    assert embeddings_stale_ids(kind="need") != []
    assert embeddings_stale_ids(kind="organisation") != []
    expected = sum(len(_every_owner_checked(kind=kind)) for kind in KINDS)
    assert embedding_backlog()[0] == expected


def test_the_backlog_costs_the_same_whatever_the_number_of_current_owners(encoders):
    _world(2)
    _embed_everything()
    with CaptureQueriesContext(connection) as small:
        assert embedding_backlog() == (0, None)

    _world(10)
    _embed_everything()
    with CaptureQueriesContext(connection) as large:
        assert embedding_backlog() == (0, None)

    assert len(large.captured_queries) == len(small.captured_queries)


def test_refreshing_clears_the_marks_of_current_owners_only(encoders):
    postings = _world(2)
    _embed_everything()
    Need.objects.filter(id=postings[0].id).update(trl=2)
    Need.objects.filter(id=postings[2].id).update(title="Another text")

    embeddings_refresh_many(kind="need", ids=[postings[0].id], encoders=["all-MiniLM-L6-v2"])

    assert embedding_candidates(kind="need") == [postings[2].id]
