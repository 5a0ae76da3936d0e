"""Writes for embeddings: which text stands for a need, capability or organisation, which
stored vectors are stale, and re-embedding exactly those.

An owner is embedded by every active encoder as chunk 0 (the whole text) plus one chunk
per statement (matchmaking.text.split_statements), because MiniLM reads only the first
~1,000 characters and a profile's best-matching statement is often further down. Every
row keeps the sha256 of its own text; an owner is stale for an encoder when the hash of
its chunk 0 differs from the hash of its current text, or when it has no rows for that
encoder (a new encoder was switched on). After a statement-splitting change, run
`manage.py embed --all`: the whole text is unchanged, so hashes alone cannot tell. After a
change of what an organisation's or posting's text reads (`embedding_texts_for`), add a
migration that marks every owner (as 0008 does): only marked owners are checked.
"""

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Window
from django.db.models.functions import RowNumber, Substr

from accounts.models import Organisation, Visibility
from matchmaking.embedding import active_encoder_names, encoder_by_name
from matchmaking.kinds import MODELS, ORGANISATION, Item, item_kind
from matchmaking.models import Capability, Embedding, EmbeddingMark, Need, Posting
from matchmaking.text import split_statements
from matchmaking.vectors import (
    EmbeddingRow,
    chunk0_hashes,
    embeddings_copy,
    embeddings_delete,
    stored_vectors_by_hash,
)

# An organisation with hundreds of postings would otherwise produce hundreds of rows per
# encoder; the first statements (profile, then newest postings) carry the most weight.
MAX_STATEMENTS = 100
# What an organisation's text reads is bounded, so that one organisation with many or long
# postings cannot make each of its saves slow: the start of its profile, and the start of
# its newest open postings of each kind.
ORGANISATION_PROFILE_CHARS = 5_000
ORGANISATION_POSTINGS = 20
ORGANISATION_POSTING_CHARS = 1_000
DEFAULT_BATCH_SIZE = 256


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _expected_hash(text: str) -> str | None:
    """What chunk 0 should carry; None for a blank text, which has no rows at all."""
    return text_hash(text) if text.strip() else None


def _posting_text(title: str, description: str) -> str:
    return f"{title.strip()}\n{description.strip()}".strip()


def embedding_text_for(owner: Item) -> str:
    """Need/capability: title and description. Organisation: name, description, then
    title and description of each open posting that is not hidden (a hidden posting's text
    must not make its organisation findable), each part bounded (ORGANISATION_*)."""
    if isinstance(owner, Organisation):
        return embedding_texts_for(kind=ORGANISATION, ids=[owner.id]).get(owner.id, "")
    return _posting_text(owner.title, owner.description)


def embedding_texts_for(*, kind: str, ids: Sequence[int]) -> dict[int, str]:
    """`embedding_text_for` for many owners in a few queries; missing ids are left out."""
    model = MODELS[kind]
    if kind != ORGANISATION:
        rows = model.objects.filter(id__in=ids).values_list("id", "title", "description")
        return {
            owner_id: _posting_text(title, description) for owner_id, title, description in rows
        }
    parts: dict[int, list[str]] = {}
    for owner_id, name, description in Organisation.objects.filter(id__in=ids).values_list(
        "id", "name", Substr("description", 1, ORGANISATION_PROFILE_CHARS)
    ):
        parts[owner_id] = [f"{name.strip()}\n{description.strip()}".strip()]
    postings: list[tuple] = []
    for order, posting_model in enumerate((Need, Capability)):
        newest = Window(
            RowNumber(), partition_by=[F("organisation_id")], order_by=[F("created_at").desc()]
        )
        postings.extend(
            (organisation_id, -created.timestamp(), order, posting_id, title, description)
            for organisation_id, created, posting_id, title, description, _rank in (
                posting_model.objects.filter(
                    organisation_id__in=list(parts), status=Posting.Status.OPEN
                )
                .exclude(visibility=Visibility.HIDDEN)
                # An anonymous posting must not make its owner findable.
                .exclude(anonymous=True)
                .annotate(rank=newest)
                .filter(rank__lte=ORGANISATION_POSTINGS)
                .values_list(
                    "organisation_id",
                    "created_at",
                    "id",
                    "title",
                    Substr("description", 1, ORGANISATION_POSTING_CHARS),
                    "rank",
                )
            )
        )
    # Newest first, needs before capabilities on ties: a stable order keeps the hash
    # stable while nothing changes.
    postings.sort()
    for organisation_id, _created, _order, _id, title, description in postings:
        parts[organisation_id].append(_posting_text(title, description))
    return {owner_id: "\n\n".join(texts) for owner_id, texts in parts.items()}


def embedding_pieces(text: str) -> list[str]:
    """Chunk 0 is the whole text, chunks 1..n its statements; a one-statement text has
    only chunk 0, since its statement would repeat it."""
    if not text.strip():
        return []
    statements = split_statements(text)[:MAX_STATEMENTS]
    return [text] if len(statements) <= 1 else [text, *statements]


@dataclass
class _Plan:
    """What one encoder must write for a batch of owners."""

    encoder: str
    owner_ids: list[int] = field(default_factory=list)
    hashes: dict[int, str] = field(default_factory=dict)
    rows: list[EmbeddingRow] = field(default_factory=list)


def _plan_for_encoder(
    *, kind: str, encoder: str, texts: dict[int, str], force: bool
) -> tuple[_Plan, int]:
    """Find the stale owners of the batch and encode what they need; returns the plan and
    how many texts were encoded. Statements whose hash an owner already has are reused."""
    wanted = {owner_id: _expected_hash(text) for owner_id, text in texts.items()}
    stored = chunk0_hashes(kind=kind, encoder=encoder, owner_ids=list(texts))
    plan = _Plan(encoder=encoder)
    for owner_id, expected in wanted.items():
        if force or stored.get(owner_id) != expected:
            plan.owner_ids.append(owner_id)
            plan.hashes[owner_id] = expected or ""
    if not plan.owner_ids:
        return plan, 0
    known = (
        {}
        if force
        else stored_vectors_by_hash(
            kind=kind, encoder=encoder, owner_ids=[i for i in plan.owner_ids if i in stored]
        )
    )
    pieces = {owner_id: embedding_pieces(texts[owner_id]) for owner_id in plan.owner_ids}
    missing: dict[str, str] = {}
    for owner_pieces in pieces.values():
        for piece in owner_pieces:
            digest = text_hash(piece)
            if digest not in known:
                missing.setdefault(digest, piece)
    if missing:
        vectors = encoder_by_name(encoder).encode(list(missing.values()))
        known.update(zip(missing, vectors, strict=True))
    for owner_id, owner_pieces in pieces.items():
        for chunk, piece in enumerate(owner_pieces):
            digest = text_hash(piece)
            plan.rows.append(
                EmbeddingRow(kind, owner_id, encoder, chunk, piece, digest, known[digest])
            )
    return plan, len(missing)


def _write_plans(*, kind: str, plans: list[_Plan], ids: Sequence[int]) -> None:
    """Replace the stale owners' rows, unless an owner's text changed while encoding: then
    a newer task for the newer text is under way and these vectors would be stale. Then
    remove the marks (EmbeddingMark) of the owners among `ids` that are now current."""
    owner_ids = sorted({owner_id for plan in plans for owner_id in plan.owner_ids})
    with transaction.atomic():
        # Locking the owners serialises concurrent writers of the same owner; locking the
        # marks makes a save that marks one again wait for this transaction (or this one
        # for it). The re-read below then sees the latest committed text.
        list(
            MODELS[kind]
            .objects.select_for_update()
            .filter(id__in=owner_ids)
            .order_by("id")
            .values_list("id", flat=True)
        )
        marked = list(
            EmbeddingMark.objects.select_for_update()
            .filter(kind=kind, owner_id__in=ids)
            .order_by("owner_id")
            .values_list("owner_id", flat=True)
        )
        current = embedding_texts_for(kind=kind, ids=sorted({*owner_ids, *marked}))
        for plan in plans:
            keep = {
                owner_id
                for owner_id in plan.owner_ids
                if owner_id in current
                and (_expected_hash(current[owner_id]) or "") == plan.hashes[owner_id]
            }
            if not keep:
                continue
            embeddings_delete(kind=kind, encoder=plan.encoder, owner_ids=keep)
            embeddings_copy(row for row in plan.rows if row.owner_id in keep)
        if marked:
            still_stale = _stale_in(
                kind=kind,
                texts={i: current[i] for i in marked if i in current},
                encoders=active_encoder_names(),
            )
            EmbeddingMark.objects.filter(kind=kind, owner_id__in=set(marked) - still_stale).delete()


def embeddings_refresh_many(
    *,
    kind: str,
    ids: Sequence[int],
    encoders: Sequence[str] | None = None,
    force: bool = False,
) -> int:
    """Re-embed the stale ones among owners `ids` of `kind` with each encoder (default: the
    active ones); `force` re-embeds all of them. Returns how many texts were encoded (0 when
    nothing was stale). One encode call per encoder for the whole batch: pass a few hundred
    ids at a time, not one. Encodes outside any transaction, then writes in one."""
    names = list(encoders) if encoders is not None else active_encoder_names()
    texts = embedding_texts_for(kind=kind, ids=ids)
    plans, encoded = [], 0
    for name in names:
        plan, count = _plan_for_encoder(kind=kind, encoder=name, texts=texts, force=force)
        plans.append(plan)
        encoded += count
    _write_plans(kind=kind, plans=plans, ids=ids)
    return encoded


def embeddings_refresh(
    *, owner: Item, encoders: Sequence[str] | None = None, force: bool = False
) -> int:
    """Re-embed one need, capability or organisation if its text or the encoder set changed;
    returns how many texts were encoded (0: it was up to date)."""
    return embeddings_refresh_many(
        kind=item_kind(owner), ids=[owner.id], encoders=encoders, force=force
    )


def _stale_in(*, kind: str, texts: dict[int, str], encoders: Sequence[str]) -> set[int]:
    """The owners of `texts` whose whole-text row of some encoder does not carry the hash
    of their text (or who have none)."""
    wanted = {owner_id: _expected_hash(text) for owner_id, text in texts.items()}
    stale: set[int] = set()
    for name in encoders:
        stored = chunk0_hashes(kind=kind, encoder=name, owner_ids=list(wanted))
        stale.update(i for i, expected in wanted.items() if stored.get(i) != expected)
    return stale


def embeddings_stale_among(
    *, kind: str, ids: Sequence[int], encoders: Sequence[str] | None = None
) -> set[int]:
    """Which of the owners `ids` of `kind` are stale for at least one encoder (default:
    the active ones), reading their texts and stored hashes."""
    names = list(encoders) if encoders is not None else active_encoder_names()
    return _stale_in(kind=kind, texts=embedding_texts_for(kind=kind, ids=ids), encoders=names)


def embedding_candidates(*, kind: str, encoders: Sequence[str] | None = None) -> list[int]:
    """Owners of `kind` that may be stale: marked (EmbeddingMark: changed since last
    verified) or without a whole-text row of one of the encoders (default: the active
    ones; a new encoder was switched on). Every stale owner is among them, so checking
    these instead of every text gives the same answer; both are indexed queries."""
    names = list(encoders) if encoders is not None else active_encoder_names()
    candidates = set(EmbeddingMark.objects.filter(kind=kind).values_list("owner_id", flat=True))
    model = MODELS[kind]
    for name in names:
        rows = Embedding.objects.filter(encoder=name, chunk=0, **{f"{kind}_id": OuterRef("pk")})
        candidates.update(model.objects.filter(~Exists(rows)).values_list("id", flat=True))
    return sorted(candidates)


def embeddings_stale(
    *,
    kind: str,
    encoders: Sequence[str] | None = None,
    batch_size: int = 2000,
) -> Iterator[list[int]]:
    """Yield batches of ids of owners of `kind` that are stale for at least one encoder
    (default: the active ones). Reads the texts and hashes of the candidates only
    (embedding_candidates), never vectors or models."""
    names = list(encoders) if encoders is not None else active_encoder_names()
    candidates = embedding_candidates(kind=kind, encoders=names)
    for start in range(0, len(candidates), batch_size):
        stale = embeddings_stale_among(
            kind=kind, ids=candidates[start : start + batch_size], encoders=names
        )
        if stale:
            yield sorted(stale)


def embeddings_stale_ids(*, kind: str, encoders: Sequence[str] | None = None) -> list[int]:
    """All stale owner ids of `kind` in one list (small installations, tests)."""
    return [
        owner_id for batch in embeddings_stale(kind=kind, encoders=encoders) for owner_id in batch
    ]


def owner_vectors(*, owner: Item, encoder: str) -> np.ndarray:
    """The owner's stored vectors by `encoder`, one row per chunk in chunk order (for
    query-side max-pooling in the suggestion service). Empty when not embedded."""
    kind = item_kind(owner)
    rows = (
        Embedding.objects.filter(encoder=encoder, **{f"{kind}_id": owner.id})
        .order_by("chunk")
        .values_list("vector", flat=True)
    )
    vectors = [np.asarray(vector, dtype=np.float32) for vector in rows]
    if not vectors:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(vectors)


def embedding_backlog(*, encoders: Sequence[str] | None = None) -> tuple[int, datetime | None]:
    """How many needs, capabilities and organisations wait for embedding, and since when
    the oldest of them has waited (its last change; for an organisation also the last
    change of its postings, whose text it carries). For /health/ and /metrics."""
    from django.db.models import Max
    from django.db.models.functions import Greatest

    count, oldest = 0, None
    for kind, model in MODELS.items():
        stale = [i for batch in embeddings_stale(kind=kind, encoders=encoders) for i in batch]
        if not stale:
            continue
        count += len(stale)
        changed = model.objects.filter(id__in=stale)
        if kind == "organisation":
            changed = changed.annotate(
                changed_at=Greatest(
                    "updated_at", Max("need__updated_at"), Max("capability__updated_at")
                )
            )
        else:
            changed = changed.annotate(changed_at=Max("updated_at"))
        first = changed.order_by("changed_at").values_list("changed_at", flat=True).first()
        if first is not None and (oldest is None or first < oldest):
            oldest = first
    return count, oldest
