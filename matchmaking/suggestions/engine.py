"""The suggestion engine: ranked, explained partnership suggestions, computed on request.
The match store (store.py) runs it in workers and pages read the stored lists
(selectors.py); the engine stays the one ranking code, called directly only by the store,
the offline checks and tests.

    suggestions_for_need(need=, user=)   -> NeedSuggestions(capabilities, organisations)
    suggestion_list_for_capability(capability=, user=)   -> [Suggestion] of needs
    organisation_suggestion_list(organisation=, user=)   -> [Suggestion] of organisations
    suggestion_find(source=, target=, user=)             -> one pair's Suggestion or None

Pipeline (matchmaking/suggestions/): retrieval.py gathers ~100 candidates (HNSW neighbours
per encoder + full-text rank), signals.py turns each pair into ranking.CandidateSignals,
ranking.rank_candidates scores them, sentences.py quotes the best sentence pair of the
shown ones. Callers must have checked that `user` may see the source's suggestions
(matchmaking.suggestions.feedback.access_suggestion_source); everything suggested is visible to
`user`, open, and of an organisation `user` does not belong to.
"""

from accounts.models import Organisation
from accounts.selectors import AnyUser
from matchmaking.kinds import CAPABILITY, NEED, item_kind
from matchmaking.models import Capability, Need
from matchmaking.suggestions.organisations import organisation_suggestions, organisations_for_need
from matchmaking.suggestions.postings import explain_sentences, rank_postings
from matchmaking.suggestions.types import NeedSuggestions, Suggestion

DEFAULT_LIMIT = 10
ORGANISATION_LIMIT = 5


def suggestions_for_need(
    *,
    need: Need,
    user: AnyUser,
    limit: int = DEFAULT_LIMIT,
    organisation_limit: int = ORGANISATION_LIMIT,
    explain: bool = True,
) -> NeedSuggestions:
    """Capabilities of other organisations for a need, and the organisations behind the
    best of them (or whose profile matches), both best first."""
    ranked = rank_postings(sources=[need], user=user)
    capabilities = ranked.by_source.get(need.id, [])[:limit]
    if explain:
        explain_sentences(source=need, suggestions=capabilities)
    organisations = organisations_for_need(
        need=need, user=user, capabilities=ranked, limit=organisation_limit
    )
    return NeedSuggestions(capabilities=capabilities, organisations=organisations)


def suggestion_list_for_need(
    *, need: Need, user: AnyUser, limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    return suggestions_for_need(need=need, user=user, limit=limit).capabilities


def suggestion_list_for_capability(
    *, capability: Capability, user: AnyUser, limit: int = DEFAULT_LIMIT, explain: bool = True
) -> list[Suggestion]:
    """Needs of other organisations that the capability could answer, best first."""
    suggestions = rank_postings(sources=[capability], user=user).by_source.get(capability.id, [])
    suggestions = suggestions[:limit]
    if explain:
        explain_sentences(source=capability, suggestions=suggestions)
    return suggestions


def organisation_suggestion_list(
    *, organisation: Organisation, user: AnyUser, limit: int = DEFAULT_LIMIT, explain: bool = True
) -> list[Suggestion]:
    """Partner organisations for an organisation, reciprocal (see organisations.py)."""
    return organisation_suggestions(
        organisation=organisation, user=user, limit=limit, explain=explain
    )


def suggestions_for(
    *, source: Need | Capability | Organisation, user: AnyUser, limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    """Every suggestion of a source in one list (capabilities before organisations for a
    need): what the feedback views look pairs up in."""
    kind = item_kind(source)
    if kind == NEED:
        return list(suggestions_for_need(need=source, user=user, limit=limit, explain=False))
    if kind == CAPABILITY:
        return suggestion_list_for_capability(
            capability=source, user=user, limit=limit, explain=False
        )
    return organisation_suggestion_list(organisation=source, user=user, limit=limit, explain=False)


def suggestion_find(
    *,
    source: Need | Capability | Organisation,
    target: Need | Capability | Organisation,
    user: AnyUser,
    limit: int = 50,
) -> Suggestion | None:
    """The suggestion of one pair as `user` would see it now (score, rank, signals), or
    None when the pair is not among the first `limit`. Used to store what the user saw
    with their feedback."""
    kind = item_kind(target)
    for suggestion in suggestions_for(source=source, user=user, limit=limit):
        if suggestion.kind == kind and suggestion.target.id == target.id:
            return suggestion
    return None
