"""Ranked postings for postings: capabilities for a need, needs for a capability.

One pass serves one source (a detail page) or many (an organisation's dashboard): the
queries are per pass or per source, never per candidate, so a page costs the same with
ten candidates or a hundred."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db.models import QuerySet

from accounts.selectors import AnyUser, organisation_ids_of
from matchmaking import ranking
from matchmaking.collaboration.selectors import (
    collaboration_record_for,
    excluded_organisation_ids,
)
from matchmaking.kinds import counterpart, kind_of
from matchmaking.models import Need, Posting, SuggestionFeedback
from matchmaking.network.graph import CollaborationGraph
from matchmaking.network.selectors import collaboration_graph_for
from matchmaking.selectors import posting_list_visible_to
from matchmaking.sovereignty import sovereignty_states
from matchmaking.suggestions.feedback import feedback_actions_for_sources, liked_item_list
from matchmaking.suggestions.retrieval import (
    NEIGHBOURS_PER_ENCODER,
    TextSignals,
    eligible_targets,
    fulltext_candidates,
    fulltext_query,
    fulltext_ranks,
    lexical_signal,
    open_targets,
    semantic_candidates,
    semantic_signals,
    source_vectors,
)
from matchmaking.suggestions.sentences import sentence_pairs
from matchmaking.suggestions.signals import (
    Profile,
    candidate_signals,
    distance_km,
    feedback_value,
    posting_profile,
    terms,
)
from matchmaking.suggestions.types import Contribution, Suggestion
from matchmaking.taxonomy import Domain, Language, Technique

DISMISSED = SuggestionFeedback.Action.DISMISSED


def posting_text(posting: Posting) -> str:
    return f"{posting.title}\n{posting.description}"


@dataclass
class Pool:
    """The candidates of one source and what retrieval learnt about them."""

    source: Posting
    query: SearchQuery | None
    lexical: dict[int, float] = field(default_factory=dict)
    ids: set[int] = field(default_factory=set)
    vectors: dict = field(default_factory=dict)
    actions: dict[tuple[str, int], set[str]] = field(default_factory=dict)


@dataclass
class Ranking:
    """The outcome of one pass: ranked suggestions per source id, plus the loaded
    candidates and their profiles (organisation suggestions build on them)."""

    by_source: dict[int, list[Suggestion]]
    candidates: dict[int, Posting]
    profiles: dict[int, Profile]
    pools: dict[int, Pool]
    excluded_organisation_ids: set[int] = field(default_factory=set)
    visible: QuerySet | None = None


def rank_postings(
    *,
    sources: Sequence[Posting],
    user: AnyUser,
    neighbours: int = NEIGHBOURS_PER_ENCODER,
    graph: CollaborationGraph | None = None,
) -> Ranking:
    """Rank the counterpart postings of each source (all of one model) for `user`
    (`graph`: `user`'s collaboration graph when the caller ranks many passes with it).

    Candidates are visible to the user, open, not of any organisation the user or the
    source belongs to, and do not contradict the need's sovereignty requirements (those
    that do not state them rank lower); pairs the user dismissed are gone. Sentence pairs
    are left to `explain_sentences`, for the few suggestions a caller shows."""
    if not sources:
        return Ranking(by_source={}, candidates={}, profiles={}, pools={})
    source_model = type(sources[0])
    target_model = counterpart(source_model)
    source_kind, target_kind = kind_of(source_model), kind_of(target_model)
    source_organisations = {s.organisation_id for s in sources}
    # Exclusions declared by or against the source's organisation hold both ways.
    excluded = (
        set(organisation_ids_of(user))
        | source_organisations
        | excluded_organisation_ids(organisation_ids=source_organisations)
    )
    visible = posting_list_visible_to(model=target_model, user=user)
    actions = feedback_actions_for_sources(
        user=user, source_kind=source_kind, source_ids=[s.id for s in sources]
    )
    liked = liked_item_list(user=user, kind=target_kind)

    pools: dict[int, Pool] = {}
    for source in sources:
        pool = Pool(source=source, query=fulltext_query(posting_text(source)))
        pool.actions = actions[source.id]
        eligible = eligible_targets(
            visible=visible,
            target_model=target_model,
            source=source,
            excluded_organisation_ids=excluded,
        )
        pool.lexical = fulltext_candidates(postings=eligible, query=pool.query)
        pool.vectors = source_vectors(kind=source_kind, source_id=source.id)
        found = semantic_candidates(vectors=pool.vectors, target_kind=target_kind, k=neighbours)
        dismissed = {
            target_id
            for (kind, target_id), done in pool.actions.items()
            if kind == target_kind and DISMISSED in done
        }
        pool.ids = (set(pool.lexical) | found) - dismissed
        pools[source.id] = pool

    wanted = set().union(*(pool.ids for pool in pools.values()))
    candidates = (
        {
            posting.id: posting
            for posting in open_targets(visible=visible, excluded_organisation_ids=excluded)
            .filter(id__in=wanted)
            .order_by()
        }
        if wanted
        else {}
    )
    # Sovereignty differs per source, so the pass above loads without it and each pair
    # is checked below (ranking drops those that fail).
    profiles = {posting_id: posting_profile(p) for posting_id, p in candidates.items()}
    for pool in pools.values():
        pool.ids &= candidates.keys()
        missing = pool.ids - pool.lexical.keys()
        if missing:
            pool.lexical.update(fulltext_ranks(model=target_model, ids=missing, query=pool.query))
    pairs = [(pool.source.id, target_id) for pool in pools.values() for target_id in pool.ids]
    semantic = semantic_signals(source_kind=source_kind, target_kind=target_kind, pairs=pairs)
    record = collaboration_record_for(
        organisation_ids={posting.organisation_id for posting in candidates.values()}
    )
    # Past partners of each pool's best matches rank higher (ranking.partner_values).
    if candidates and graph is None:
        graph = collaboration_graph_for(user=user)

    by_source: dict[int, list[Suggestion]] = {}
    for pool in pools.values():
        source_profile = posting_profile(pool.source)
        signals = [
            candidate_signals(
                candidate_id=target_id,
                source=source_profile,
                target=profiles[target_id],
                source_is_need=source_model is Need,
                text=TextSignals(
                    lexical=None
                    if pool.query is None
                    else lexical_signal(pool.lexical.get(target_id, 0.0)),
                    semantic=semantic.get((pool.source.id, target_id), {}),
                ),
                feedback=feedback_value(
                    target_kind=target_kind, target=candidates[target_id], liked=liked
                ),
                collaboration=record.get(candidates[target_id].organisation_id, 0.0),
                sovereignty=_sovereignty_states(pool.source, candidates[target_id]),
            )
            for target_id in sorted(pool.ids)
        ]
        ranked = ranking.rank_candidates(
            signals,
            ties=graph.ties_between(
                [candidates[target_id].organisation_id for target_id in sorted(pool.ids)]
            )
            if graph is not None
            else None,
        )
        signals_of = {candidate.candidate_id: candidate for candidate in signals}
        by_source[pool.source.id] = [
            _suggestion(
                source=pool.source,
                kind=target_kind,
                target=candidates[match.candidate_id],
                match=match,
                rank=position,
                source_profile=source_profile,
                target_profile=profiles[match.candidate_id],
                actions=pool.actions.get((target_kind, match.candidate_id), set()),
                signals=signals_of[match.candidate_id],
            )
            for position, match in enumerate(ranked, start=1)
        ]
    return Ranking(
        by_source=by_source,
        candidates=candidates,
        profiles=profiles,
        pools=pools,
        excluded_organisation_ids=excluded,
        visible=visible,
    )


def _sovereignty_states(source: Posting, target: Posting) -> dict[str, str]:
    need, capability = (source, target) if isinstance(source, Need) else (target, source)
    return sovereignty_states(need.sovereignty, capability.sovereignty, posting_text(capability))


def _suggestion(
    *,
    source: Posting,
    kind: str,
    target: Posting,
    match: ranking.ScoredMatch,
    rank: int,
    source_profile: Profile,
    target_profile: Profile,
    actions: set[str],
    signals: ranking.CandidateSignals,
) -> Suggestion:
    return Suggestion(
        signals=signals,
        kind=kind,
        target=target,
        source=source,
        score=match.score,
        strength=match.strength,
        rank=rank,
        contributions=[
            Contribution(signal=name, points=points) for name, points in match.contributions.items()
        ],
        reasons=list(match.reasons),
        shared_techniques=terms(source_profile.techniques & target_profile.techniques, Technique),
        shared_domains=terms(source_profile.domains & target_profile.domains, Domain),
        shared_languages=terms(source_profile.languages & target_profile.languages, Language),
        distance_km=distance_km(source_profile.organisation, target_profile.organisation),
        actions=frozenset(actions),
    )


def explain_sentences(*, source: Posting, suggestions: Sequence[Suggestion]) -> None:
    """Attach the best sentence pair to each shown suggestion of a posting target."""
    pairs = sentence_pairs(
        source_text=posting_text(source),
        target_texts={s.target.id: posting_text(s.target) for s in suggestions},
    )
    for suggestion in suggestions:
        suggestion.sentence_pair = pairs.get(suggestion.target.id)
