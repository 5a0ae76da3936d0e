"""The match store, writes: the suggestion engine (engine.py, the same ranking code
`evaluate_matching` measures) runs here, in Celery workers, and its ranked, explained
lists are stored as `Match` rows that pages and the API read (selectors.py).

A need's organisation list is stored in the collaboration network's order (warm
introductions, former partners last: matchmaking/network/), as any signed-in member sees
the network; the collaboration records behind it are stored as data, so a reader gets
them in their language and never one that became hidden since (selectors.py). Partner
lists of organisations are stored as the text ranks them and the network is applied when
read. What is stored is computed for any signed-in member of the source's organisation
(accounts.selectors.SIGNED_IN_OUTSIDER as the reader: public and members-only postings of
other organisations, no hidden ones); the reader's own organisations, dismissals, feedback
and visibility changes since are applied when read. Each source keeps its best
STORED_PER_KIND targets per kind; the sentence pairs of the first SENTENCE_PAIRS are
computed here too, so no web process encodes a sentence.

Freshness: a saved posting gets its own list first (`matches_refresh`, its sentence pairs
right after: `matches_explain`), then, at background priority, the sources
it may now appear for are recomputed (`affected_sources`: found the way the engine finds
candidates, the posting's nearest counterparts per encoder plus full text, plus those
that list it today). `match_version` (weights + encoders + ENGINE_REVISION) tells stale
lists from fresh ones (`manage.py rematch --stale`)."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, fields

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from accounts.models import Organisation
from accounts.selectors import SIGNED_IN_OUTSIDER
from matchmaking import ranking
from matchmaking.embedding import active_encoder_names
from matchmaking.kinds import (
    CAPABILITY,
    NEED,
    ORGANISATION,
    POSTING_KINDS,
    counterpart,
    kind_of,
    posting_model,
)
from matchmaking.models import Match, MatchSource, Posting
from matchmaking.network import graph as network
from matchmaking.network.selectors import collaboration_graph_for
from matchmaking.selectors import posting_list_visible_to
from matchmaking.suggestions.organisations import (
    organisation_suggestions_by_text,
    organisations_for_need_by_text,
    with_network_for_need,
)
from matchmaking.suggestions.postings import explain_sentences, posting_text, rank_postings
from matchmaking.suggestions.retrieval import (
    eligible_targets,
    fulltext_candidates,
    fulltext_query,
    semantic_candidates,
    source_vectors,
)
from matchmaking.suggestions.sentences import sentence_pairs
from matchmaking.suggestions.types import SentencePair, Suggestion

# Bump when the engine changes in a way that weights and encoders do not show.
ENGINE_REVISION = "2"
# Targets kept per source and target kind: the API's largest page.
STORED_PER_KIND = 50
# Suggestions per source that get their best sentence pair (a page shows 20).
SENTENCE_PAIRS = 20
# Sources recomputed per engine pass (and per Celery batch of `rematch`).
BATCH_SIZE = 50
# Organisations whose partner lists a saved posting refreshes besides its own.
AFFECTED_ORGANISATIONS = 20
# CandidateSignals fields stored as codes in `explanation` instead (labels are per language).
_LABELLED = ("shared_techniques", "shared_domains", "shared_languages")


def match_version() -> str:
    """A short fingerprint of what decides a ranking: the weights, the active encoders
    and the engine revision."""
    payload = json.dumps(
        {
            "weights": asdict(ranking.WEIGHTS),
            "encoders": active_encoder_names(),
            "engine": ENGINE_REVISION,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def matches_refresh(*, kind: str, ids: Sequence[int], explain: bool = True) -> int:
    """Recompute the stored matches of these sources (all of `kind`) and replace theirs
    in one transaction; sources that no longer exist lose their rows. Returns the number
    of rows written. Sources are ranked per organisation, since the engine leaves the
    source's organisation out of each pass. `explain=False` (postings only) leaves the
    sentence pairs to `matches_explain`: a saved posting's list is readable sooner."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    version, now = match_version(), timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        if kind == ORGANISATION:
            found, rows = _organisation_rows(ids, version, now)
        else:
            found, rows = _posting_rows(posting_model(kind), ids, version, now, explain)
    with transaction.atomic():
        Match.objects.filter(source_kind=kind, source_id__in=ids).delete()
        Match.objects.bulk_create(rows, batch_size=1000)
        MatchSource.objects.filter(kind=kind, source_id__in=ids).delete()
        MatchSource.objects.bulk_create(
            [MatchSource(kind=kind, source_id=i, version=version, computed_at=now) for i in found]
        )
    return len(rows)


def matches_explain(*, kind: str, source_id: int) -> int:
    """Add the best sentence pairs to a posting's list stored without them, exactly as
    `matches_refresh` would have (its first SENTENCE_PAIRS targets, and the organisation
    suggestions through their best posting pair). Returns the number of rows updated."""
    source = posting_model(kind).objects.filter(id=source_id).first()
    if source is None:
        return 0
    target_kind = kind_of(counterpart(posting_model(kind)))
    rows = list(Match.objects.filter(source_kind=kind, source_id=source_id))
    first = [r for r in rows if r.target_kind == target_kind and r.rank <= SENTENCE_PAIRS]
    targets = posting_model(target_kind).objects.in_bulk([r.target_id for r in first])
    pairs = sentence_pairs(
        source_text=posting_text(source),
        target_texts={i: posting_text(target) for i, target in targets.items()},
    )
    for row in first:
        row.sentence_pair = _pair_data(pairs.get(row.target_id))
    for row in rows:
        for pair in row.explanation.get("via", ()) if row.target_kind == ORGANISATION else ():
            if pair["source_id"] == source_id and pair["target_kind"] == target_kind:
                # An organisation suggestion quotes its best posting pair.
                pair["sentence_pair"] = row.sentence_pair = _pair_data(pairs.get(pair["target_id"]))
    Match.objects.bulk_update(rows, ["sentence_pair", "explanation"], batch_size=500)
    return len(rows)


def matches_forget(*, kind: str, item_id: int) -> None:
    """Drop a source's list and every row that suggests it (a deleted posting)."""
    Match.objects.filter(
        Q(source_kind=kind, source_id=item_id) | Q(target_kind=kind, target_id=item_id)
    ).delete()
    MatchSource.objects.filter(kind=kind, source_id=item_id).delete()


def matches_drop(*, kind: str, item_id: int) -> None:
    """Drop a source's own list (a changed text): its page says "being prepared" until
    the worker has ranked it again."""
    Match.objects.filter(source_kind=kind, source_id=item_id).delete()
    MatchSource.objects.filter(kind=kind, source_id=item_id).delete()


def affected_sources(*, kind: str, posting_id: int) -> list[int]:
    """Counterpart postings whose lists a saved posting may enter or leave: its nearest
    counterparts per encoder and its best full-text matches (the engine's own candidate
    generation, run from the other side), plus every source that lists it today."""
    posting = posting_model(kind).objects.filter(id=posting_id).first()
    listing = set(
        Match.objects.filter(target_kind=kind, target_id=posting_id).values_list(
            "source_id", flat=True
        )
    )
    if posting is None:
        return sorted(listing)
    other = counterpart(type(posting))
    reachable = eligible_targets(
        visible=posting_list_visible_to(model=other, user=SIGNED_IN_OUTSIDER),
        target_model=other,
        source=posting,
        excluded_organisation_ids=[posting.organisation_id],
    )
    found = set(
        fulltext_candidates(postings=reachable, query=fulltext_query(posting_text(posting)))
    )
    found |= semantic_candidates(
        vectors=source_vectors(kind=kind, source_id=posting_id), target_kind=kind_of(other)
    )
    found = set(
        other.objects.filter(id__in=found)
        .exclude(organisation_id=posting.organisation_id)
        .values_list("id", flat=True)
    )
    return sorted(found | listing)


def network_affected_needs(*, organisation_ids: Sequence[int]) -> list[int]:
    """Needs whose stored organisation list a changed collaboration between these
    organisations may reorder: the network ranks a need's organisations by partners and
    partners of partners of its own organisation, so the needs of the organisations
    themselves and of their partners."""
    graph = collaboration_graph_for(user=SIGNED_IN_OUTSIDER)
    reach = set(organisation_ids)
    for organisation_id in organisation_ids:
        reach |= graph.partners(organisation_id)
    return sorted(
        posting_model(NEED).objects.filter(organisation_id__in=reach).values_list("id", flat=True)
    )


def organisations_of(*, kind: str, posting_ids: Sequence[int]) -> list[int]:
    return sorted(
        set(
            posting_model(kind)
            .objects.filter(id__in=list(posting_ids))
            .values_list("organisation_id", flat=True)
        )
    )


def stale_sources(*, every: bool = False) -> Iterator[tuple[str, list[int]]]:
    """(kind, ids) batches of sources without a current list (all of them with `every`),
    needs first: the lists people look at most."""
    version = match_version()
    for kind in (NEED, CAPABILITY, ORGANISATION):
        model = posting_model(kind) if kind in POSTING_KINDS else Organisation
        ids = model.objects.order_by("id").values_list("id", flat=True)
        if not every:
            fresh = MatchSource.objects.filter(kind=kind, version=version).values("source_id")
            ids = ids.exclude(id__in=fresh)
        ids = list(ids)
        for start in range(0, len(ids), BATCH_SIZE):
            yield kind, ids[start : start + BATCH_SIZE]


# Rows -----------------------------------------------------------------------------------


def _posting_rows(
    model: type[Posting], ids: list[int], version: str, now, explain: bool
) -> tuple[list, list]:
    sources = list(
        model.objects.filter(id__in=ids).select_related("organisation", "organisation__region")
    )
    by_organisation: dict[int, list[Posting]] = defaultdict(list)
    for source in sources:
        by_organisation[source.organisation_id].append(source)
    kind = kind_of(model)
    # The collaboration network, built once per pass (it spans every organisation).
    graph = collaboration_graph_for(user=SIGNED_IN_OUTSIDER) if sources else None
    rows = []
    for group in by_organisation.values():
        ranked = rank_postings(sources=group, user=SIGNED_IN_OUTSIDER, graph=graph)
        for source in group:
            found = ranked.by_source.get(source.id, [])[:STORED_PER_KIND]
            if explain:
                explain_sentences(source=source, suggestions=found[:SENTENCE_PAIRS])
            rows += [_row(kind, source.id, s, version, now) for s in found]
            if kind == NEED:
                rows += _need_organisation_rows(source, ranked, graph, version, now)
    return [s.id for s in sources], rows


def _need_organisation_rows(need, ranked, graph, version: str, now) -> list[Match]:
    """The organisations for a need by text, in the network's order (the same calls as on
    request), with the records behind each network reason kept as data."""
    text = organisations_for_need_by_text(need=need, user=SIGNED_IN_OUTSIDER, capabilities=ranked)
    found = with_network_for_need(
        need=need, user=SIGNED_IN_OUTSIDER, text=text, limit=STORED_PER_KIND, graph=graph
    )
    rows = []
    for position, suggestion in enumerate(found, start=1):
        suggestion.rank = position
        row = _row(NEED, need.id, suggestion, version, now)
        row.explanation["network"] = _network_records(graph, need.organisation_id, suggestion)
        rows.append(row)
    return rows


def _network_records(graph: network.CollaborationGraph, query: int, suggestion) -> dict:
    """The collaborations behind a suggestion's warm introductions and its "worked with
    before" (the same graph calls as matchmaking.network.suggestions)."""
    target = suggestion.target.id
    return {
        "introductions": [
            {
                "via": found.partner,
                "ours": _collaboration(found.with_query),
                "theirs": _collaboration(found.with_candidate),
            }
            for found in (
                network.introductions(graph, query, target) if suggestion.introductions else ()
            )
        ],
        "worked_before": [
            _collaboration(record)
            for record in (graph.shared_records(query, target) if suggestion.worked_before else ())
        ],
    }


def _collaboration(record: network.Collaboration) -> dict:
    return {
        "key": list(record.key),
        "label": record.label,
        "year": record.year,
        "source": record.source,
    }


def _organisation_rows(ids: list[int], version: str, now) -> tuple[list, list]:
    organisations = list(Organisation.objects.filter(id__in=ids).select_related("region"))
    graph = collaboration_graph_for(user=SIGNED_IN_OUTSIDER) if organisations else None
    rows = []
    for organisation in organisations:
        found = organisation_suggestions_by_text(
            organisation=organisation, user=SIGNED_IN_OUTSIDER, graph=graph
        )[:STORED_PER_KIND]
        for suggestion in found[:SENTENCE_PAIRS]:
            for pair in suggestion.via:
                explain_sentences(source=pair.source, suggestions=[pair])
        rows += [_row(ORGANISATION, organisation.id, s, version, now) for s in found]
    return [o.id for o in organisations], rows


def _row(source_kind: str, source_id: int, suggestion: Suggestion, version: str, now) -> Match:
    return Match(
        source_kind=source_kind,
        source_id=source_id,
        target_kind=suggestion.kind,
        target_id=suggestion.target.id,
        rank=suggestion.rank,
        score=suggestion.score,
        contributions={c.signal: c.points for c in suggestion.contributions},
        reasons=[str(reason) for reason in suggestion.reasons],
        signals=_signals(suggestion.signals),
        explanation={
            "techniques": [t.code for t in suggestion.shared_techniques],
            "domains": [t.code for t in suggestion.shared_domains],
            "languages": [t.code for t in suggestion.shared_languages],
            "distance_km": suggestion.distance_km,
            "via": [_via(pair) for pair in suggestion.via],
            "strength": suggestion.strength,
        },
        sentence_pair=_sentence_pair(suggestion),
        version=version,
        computed_at=now,
    )


def _signals(signals: ranking.CandidateSignals | None) -> dict:
    if signals is None:
        return {}
    return {
        field.name: getattr(signals, field.name)
        for field in fields(signals)
        if field.name not in (*_LABELLED, "candidate_id")
    }


def _via(pair: Suggestion) -> dict:
    return {
        "source_kind": kind_of(type(pair.source)),
        "source_id": pair.source.id,
        "target_kind": pair.kind,
        "target_id": pair.target.id,
        "score": pair.score,
        "strength": pair.strength,
        "sentence_pair": _sentence_pair(pair),
    }


def _sentence_pair(suggestion: Suggestion) -> dict | None:
    return _pair_data(suggestion.sentence_pair)


def _pair_data(pair: SentencePair | None) -> dict | None:
    if pair is None:
        return None
    return {"source": pair.source, "target": pair.target, "similarity": pair.similarity}
