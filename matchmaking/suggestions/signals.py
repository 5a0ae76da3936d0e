"""From model objects to ranking's plain `CandidateSignals`: taxonomy overlap (the
postings' own codes plus glossary tags of either language), distance between region
centroids, TRL, working languages and the viewer's earlier feedback. No queries here:
callers load everything with select_related before."""

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from accounts.geo import haversine_km
from accounts.models import Organisation
from matchmaking import ranking
from matchmaking.glossary import glossary_tags
from matchmaking.models import Capability, Posting
from matchmaking.sovereignty import EXCLUDED, NOT_STATED, sovereignty_label
from matchmaking.suggestions.feedback import LikedItem
from matchmaking.suggestions.retrieval import TextSignals
from matchmaking.suggestions.types import Term
from matchmaking.taxonomy import Domain, Language, Technique
from matchmaking.text import split_statements

ENCODER_FAMILY = {"all-MiniLM-L6-v2": ranking.ENGLISH}


@dataclass(frozen=True)
class Profile:
    """What the structured signals read of one side of a pair."""

    organisation: Organisation
    techniques: frozenset[str]
    domains: frozenset[str]
    text_language: str
    trl: int | None = None
    statements: int = 1
    region_scope: str = "eu"

    @property
    def languages(self) -> frozenset[str]:
        """Working languages: those the organisation lists plus the one it wrote in."""
        return frozenset(self.organisation.languages or ()) | {self.text_language}


def posting_profile(posting: Posting) -> Profile:
    techniques, domains, _terms = glossary_tags(f"{posting.title}\n{posting.description}")
    return Profile(
        organisation=posting.organisation,
        techniques=frozenset(posting.techniques or ()) | techniques,
        domains=frozenset(posting.domains or ()) | domains,
        text_language=posting.language,
        trl=posting.trl,
        statements=len(split_statements(posting.description)),
        region_scope=posting.region_scope,
    )


def organisation_profile(organisation: Organisation, capabilities: Sequence[Capability]) -> Profile:
    """An organisation as a candidate for a need: its profile text and its open
    capabilities (their codes, the best TRL; each capability counts as track record)."""
    techniques, domains, _terms = glossary_tags(organisation.description)
    for capability in capabilities:
        profile = posting_profile(capability)
        techniques |= profile.techniques
        domains |= profile.domains
    return Profile(
        organisation=organisation,
        techniques=frozenset(techniques),
        domains=frozenset(domains),
        text_language=capabilities[0].language if capabilities else "",
        trl=max((c.trl for c in capabilities), default=None),
        statements=len(split_statements(organisation.description)) + len(capabilities),
    )


def distance_km(a: Organisation, b: Organisation) -> float | None:
    """Great-circle km between the region centroids; None when a region is unknown."""
    if a.region is None or b.region is None:
        return None
    return haversine_km(
        a.region.latitude, a.region.longitude, b.region.latitude, b.region.longitude
    )


def terms(codes: Iterable[str], choices: type[Technique | Domain | Language]) -> list[Term]:
    """Codes with labels in the active language, in the vocabulary's order."""
    wanted = set(codes)
    if not wanted:
        return []
    return [
        Term(code=value, label=str(label))
        for value, label in _vocabulary(choices)
        if value in wanted
    ]


@functools.cache
def _vocabulary(choices: type[Technique | Domain | Language]) -> tuple:
    """(code, lazy label) pairs: Django rebuilds `choices` on every access."""
    return tuple(choices.choices)


def feedback_value(*, target_kind: str, target: Posting, liked: Sequence[LikedItem]) -> float:
    """In [0, 1]: 1 for a target the user saved or contacted before; otherwise its
    likeness to the best such item (same organisation counts half, shared codes the
    other half, as a Jaccard share)."""
    best = 0.0
    codes = set(target.techniques or ()) | set(target.domains or ())
    for item in liked:
        if item.kind != target_kind:
            continue
        if item.id == target.id:
            return 1.0
        theirs = item.techniques | item.domains
        union = codes | theirs
        jaccard = len(codes & theirs) / len(union) if union else 0.0
        best = max(best, 0.5 * (item.organisation_id == target.organisation_id) + 0.5 * jaccard)
    return best


def candidate_signals(
    *,
    candidate_id: object,
    source: Profile,
    target: Profile,
    source_is_need: bool,
    text: TextSignals,
    feedback: float = 0.0,
    collaboration: float = 0.0,
    sovereignty: Mapping[str, str] | None = None,
) -> ranking.CandidateSignals:
    """Ranking reads every pair as (need, capability holder); a capability's suggestions
    are needs, so the roles swap there. `sovereignty` holds the state of each of the
    need's requirements for the capability side (matchmaking.sovereignty)."""
    need, offer = (source, target) if source_is_need else (target, source)
    states = dict(sovereignty or {})
    dense = {}
    # MiniLM is an English model: between two German texts its cosine is high for almost
    # any pair (shared German function words), so it would rank German candidates by
    # language rather than topic. Ranking damps it for German-English pairs; between two
    # non-English texts it is left out.
    english_readable = "en" in (source.text_language, target.text_language)
    for encoder, values in text.semantic.items():
        family = ENCODER_FAMILY.get(encoder, ranking.MULTILINGUAL)
        if family == ranking.ENGLISH and not english_readable:
            continue
        dense[f"{family}_whole"] = values.whole
        dense[f"{family}_statement"] = values.statement
    shared_languages = source.languages & target.languages
    return ranking.CandidateSignals(
        candidate_id=candidate_id,
        dense=dense,
        lexical=text.lexical,
        cross_language=bool(
            source.text_language
            and target.text_language
            and source.text_language != target.text_language
        ),
        statements=target.statements,
        need_kind=need.organisation.kind,
        cap_kind=offer.organisation.kind,
        shared_techniques=[
            t.label for t in terms(source.techniques & target.techniques, Technique)
        ],
        shared_domains=[t.label for t in terms(source.domains & target.domains, Domain)],
        distance_km=distance_km(source.organisation, target.organisation),
        region_scope=need.region_scope,
        same_country=source.organisation.country == target.organisation.country,
        need_trl=need.trl,
        cap_trl=offer.trl,
        shared_languages=[t.label for t in terms(shared_languages, Language)],
        languages_known=bool(source.languages and target.languages),
        sovereignty_satisfied=EXCLUDED not in states.values(),
        sovereignty_required=len(states),
        sovereignty_unstated=[
            sovereignty_label(code) for code, state in states.items() if state == NOT_STATED
        ],
        feedback=feedback,
        collaboration=collaboration,
    )
