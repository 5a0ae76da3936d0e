"""Organisations as suggestions.

For a need: the organisations that could answer it, ranked like capabilities but on the
organisation's profile vector (its description and open postings) and what its open
capabilities offer; the best capability comes along as `via`.

Organisation to organisation: reciprocal. A's needs are ranked against everyone's
capabilities and A's capabilities against everyone's needs; each other organisation B
keeps its best pair in each direction, and the two are combined so that a partner
useful both ways ranks above an equally strong one-way match (see `reciprocal_score`)."""

from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.selectors import AnyUser, organisation_list_visible_to
from matchmaking import ranking
from matchmaking.collaboration.anonymity import is_masked
from matchmaking.kinds import NEED, ORGANISATION
from matchmaking.models import Capability, Need, Posting, SuggestionFeedback
from matchmaking.network.graph import CollaborationGraph
from matchmaking.network.suggestions import network_ranking
from matchmaking.sovereignty import sovereignty_states
from matchmaking.suggestions.feedback import feedback_actions_for_source
from matchmaking.suggestions.postings import (
    Ranking,
    explain_sentences,
    posting_text,
    rank_postings,
)
from matchmaking.suggestions.retrieval import (
    TextSignals,
    lexical_signal,
    open_targets,
    semantic_candidates,
    semantic_signals,
)
from matchmaking.suggestions.signals import (
    candidate_signals,
    distance_km,
    organisation_profile,
    posting_profile,
    terms,
)
from matchmaking.suggestions.types import Contribution, Suggestion
from matchmaking.taxonomy import Domain, Language, Technique

DISMISSED = SuggestionFeedback.Action.DISMISSED
ORGANISATION_NEIGHBOURS = 30
# An organisation page ranks from at most this many of its newest open postings per side.
MAX_SOURCES = 20
# Neighbours per encoder and source on the organisation page: fewer than on a posting
# page, since many sources add up.
NEIGHBOURS_PER_SOURCE = 30


def organisations_for_need(
    *, need: Need, user: AnyUser, capabilities: Ranking, limit: int
) -> list[Suggestion]:
    """Organisations for a need, by text (`organisations_for_need_by_text`), then as the
    collaboration network ranks them for `user` (`with_network_for_need`)."""
    text = organisations_for_need_by_text(need=need, user=user, capabilities=capabilities)
    return with_network_for_need(need=need, user=user, text=text, limit=limit)


def with_network_for_need(
    *,
    need: Need,
    user: AnyUser,
    text: list[Suggestion],
    limit: int,
    graph: CollaborationGraph | None = None,
) -> list[Suggestion]:
    """The network's order of a need's organisation suggestions, former partners last."""
    new, known = network_ranking(
        organisation=need.organisation,
        user=user,
        text=text,
        limit=limit,
        new_partners=False,
        graph=graph,
    )
    return new + known


def organisations_for_need_by_text(
    *, need: Need, user: AnyUser, capabilities: Ranking
) -> list[Suggestion]:
    """Organisations for a need, best first, from the capability pass already made for it
    (its pool, loaded candidates and exclusions) plus the HNSW neighbours of the need
    among organisation profiles."""
    pool = capabilities.pools.get(need.id)
    if pool is None:
        return []
    dismissed = {
        i for (kind, i), done in pool.actions.items() if kind == ORGANISATION and DISMISSED in done
    }
    # An anonymous capability must not lead to its owner: it is left out of everything an
    # organisation suggestion is built from.
    organisation_ids = {
        capabilities.candidates[cap_id].organisation_id
        for cap_id in pool.ids
        if not is_masked(capabilities.candidates[cap_id])
    } | semantic_candidates(
        vectors=pool.vectors, target_kind=ORGANISATION, k=ORGANISATION_NEIGHBOURS
    )
    organisation_ids -= capabilities.excluded_organisation_ids | dismissed
    if not organisation_ids:
        return []
    organisations = {
        o.id: o for o in organisation_list_visible_to(user=user).filter(id__in=organisation_ids)
    }
    offered: dict[int, list[Capability]] = defaultdict(list)
    for capability in open_targets(
        visible=capabilities.visible,
        excluded_organisation_ids=capabilities.excluded_organisation_ids,
    ).filter(organisation_id__in=list(organisations)):
        if not is_masked(capability):
            offered[capability.organisation_id].append(capability)
    semantic = semantic_signals(
        source_kind=NEED,
        target_kind=ORGANISATION,
        pairs=[(need.id, organisation_id) for organisation_id in organisations],
    )
    need_profile = posting_profile(need)
    profiles = {i: organisation_profile(o, offered[i]) for i, o in organisations.items()}
    signals = []
    for organisation_id in sorted(organisations):
        ranks = [pool.lexical[c.id] for c in offered[organisation_id] if c.id in pool.lexical]
        signals.append(
            candidate_signals(
                candidate_id=organisation_id,
                source=need_profile,
                target=profiles[organisation_id],
                source_is_need=True,
                text=TextSignals(
                    lexical=lexical_signal(max(ranks)) if ranks else None,
                    semantic=semantic.get((need.id, organisation_id), {}),
                ),
                sovereignty=sovereignty_states(
                    need.sovereignty,
                    {code for c in offered[organisation_id] for code in c.sovereignty or ()},
                    "\n".join(
                        [organisations[organisation_id].description]
                        + [posting_text(c) for c in offered[organisation_id]]
                    ),
                ),
            )
        )
    best_capability = {}
    for suggestion in capabilities.by_source[need.id]:
        if not is_masked(suggestion.target):
            best_capability.setdefault(suggestion.organisation.id, suggestion)
    signals_of = {candidate.candidate_id: candidate for candidate in signals}
    suggestions = []
    for position, match in enumerate(ranking.rank_candidates(signals), start=1):
        organisation = organisations[match.candidate_id]
        profile = profiles[match.candidate_id]
        via = best_capability.get(organisation.id)
        suggestions.append(
            Suggestion(
                kind=ORGANISATION,
                target=organisation,
                score=match.score,
                strength=match.strength,
                rank=position,
                contributions=[Contribution(n, p) for n, p in match.contributions.items()],
                reasons=list(match.reasons),
                shared_techniques=terms(need_profile.techniques & profile.techniques, Technique),
                shared_domains=terms(need_profile.domains & profile.domains, Domain),
                shared_languages=terms(need_profile.languages & profile.languages, Language),
                distance_km=distance_km(need.organisation, organisation),
                sentence_pair=via.sentence_pair if via else None,
                actions=frozenset(pool.actions.get((ORGANISATION, organisation.id), ())),
                via=[via] if via else [],
                source=need,
                signals=signals_of[match.candidate_id],
            )
        )
    return suggestions


def saturated(score: float) -> float:
    """A ranking score (a sum of z-scores and weighted signals) mapped onto [0, 1): 0 for
    a below-average match, saturating above, so that a second direction adds more than a
    stronger first one (half strength at ranking.WEIGHTS.reciprocal_half_strength)."""
    return max(score, 0.0) / (max(score, 0.0) + ranking.WEIGHTS.reciprocal_half_strength)


def reciprocal_score(forward: float | None, backward: float | None) -> tuple[float, float, float]:
    """(forward part, backward part, bonus) of an organisation pair's score: the sum of
    the best pair's strength in each direction, plus ranking.WEIGHTS.reciprocal_bonus
    times the weaker one when both directions exist."""
    f = saturated(forward) if forward is not None else 0.0
    b = saturated(backward) if backward is not None else 0.0
    return f, b, ranking.WEIGHTS.reciprocal_bonus * min(f, b)


def _open_postings(model: type[Posting], organisation: Organisation) -> list[Posting]:
    return list(
        model.objects.filter(organisation=organisation, status=Posting.Status.OPEN)
        .select_related("organisation", "organisation__region")
        .order_by("-updated_at", "-id")[:MAX_SOURCES]
    )


def _best_per_organisation(ranked: Ranking) -> dict[int, Suggestion]:
    best: dict[int, Suggestion] = {}
    for suggestions in ranked.by_source.values():
        for suggestion in suggestions:
            if is_masked(suggestion.target):
                continue
            key = suggestion.organisation.id
            if key not in best or suggestion.score > best[key].score:
                best[key] = suggestion
    return best


def organisation_suggestions(
    *, organisation: Organisation, user: AnyUser, limit: int = 10, explain: bool = True
) -> list[Suggestion]:
    """Reciprocal partner organisations for `organisation`, best first, as the
    collaboration network ranks them (`with_network_for_organisation`); each carries the
    best posting pair of each direction in `via` (ours first)."""
    text = organisation_suggestions_by_text(organisation=organisation, user=user)
    suggestions = with_network_for_organisation(
        organisation=organisation, user=user, text=text, limit=limit
    )
    if explain:
        for suggestion in suggestions:
            for pair in suggestion.via:
                explain_sentences(source=pair.source, suggestions=[pair])
    return suggestions


def with_network_for_organisation(
    *, organisation: Organisation, user: AnyUser, text: list[Suggestion], limit: int
) -> list[Suggestion]:
    """Text suggestions re-ranked with partners of partners added; ranks are positions."""
    actions = feedback_actions_for_source(user=user, source=organisation)
    dismissed = {
        i for (kind, i), done in actions.items() if kind == ORGANISATION and DISMISSED in done
    }
    suggestions, _known = network_ranking(
        organisation=organisation, user=user, text=text, limit=limit, dismissed=dismissed
    )
    for position, suggestion in enumerate(suggestions, start=1):
        suggestion.rank = position
    return suggestions


def organisation_suggestions_by_text(
    *, organisation: Organisation, user: AnyUser, graph: CollaborationGraph | None = None
) -> list[Suggestion]:
    """Partner organisations by their posting pairs, reciprocal (module docstring), best
    first, dismissed ones left out. `graph`: as for `rank_postings`."""
    forward = _best_per_organisation(
        rank_postings(
            sources=_open_postings(Need, organisation),
            user=user,
            neighbours=NEIGHBOURS_PER_SOURCE,
            graph=graph,
        )
    )
    backward = _best_per_organisation(
        rank_postings(
            sources=_open_postings(Capability, organisation),
            user=user,
            neighbours=NEIGHBOURS_PER_SOURCE,
            graph=graph,
        )
    )
    actions = feedback_actions_for_source(user=user, source=organisation)
    suggestions = []
    for partner_id in forward.keys() | backward.keys():
        done = actions.get((ORGANISATION, partner_id), set())
        if DISMISSED in done:
            continue
        there, back = forward.get(partner_id), backward.get(partner_id)
        f, b, bonus = reciprocal_score(there.score if there else None, back.score if back else None)
        via = [s for s in (there, back) if s is not None]
        suggestions.append(
            Suggestion(
                kind=ORGANISATION,
                target=via[0].organisation,
                score=f + b + bonus,
                strength=max(s.strength for s in via),
                contributions=[
                    Contribution("forward", f),
                    Contribution("backward", b),
                    Contribution("reciprocal", bonus),
                ],
                reasons=reciprocal_reasons(there, back),
                shared_techniques=_union_terms(via, "shared_techniques"),
                shared_domains=_union_terms(via, "shared_domains"),
                shared_languages=via[0].shared_languages,
                distance_km=via[0].distance_km,
                actions=frozenset(done),
                via=via,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.target.name))
    for position, suggestion in enumerate(suggestions, start=1):
        suggestion.rank = position
    return suggestions


def _union_terms(suggestions: Sequence[Suggestion], attribute: str) -> list:
    seen = {}
    for suggestion in suggestions:
        for term in getattr(suggestion, attribute):
            seen.setdefault(term.code, term)
    return list(seen.values())


def reciprocal_reasons(there: Suggestion | None, back: Suggestion | None) -> list[str]:
    reasons = []
    if there is not None:
        reasons.append(
            _("Their “%(theirs)s” answers your need “%(ours)s”.")
            % {"theirs": there.target.title, "ours": there.source.title}
        )
    if back is not None:
        reasons.append(
            _("Your “%(ours)s” answers their need “%(theirs)s”.")
            % {"ours": back.source.title, "theirs": back.target.title}
        )
    if there is not None and back is not None:
        reasons.append(_("Both directions match: each side can help the other."))
    return reasons
