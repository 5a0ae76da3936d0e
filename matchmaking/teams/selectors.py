"""A consortium for a funding call around the coordinator's organisation, computed on
request (nothing is stored): organisations the user may see are scored against the
call's text with the matcher's own fusion (ranking.rank_candidates, so the reasons are the
suggestion reasons), each call sentence is an aspect a partner can cover, and the CP-SAT
solver (teams.solver) picks one organisation per role under the call's rules.

Past collaboration counts through the collaboration network (`network_bonds`): the
same graph the partner suggestions read, as the user may see it (hidden organisations
and hidden projects never count nor show), scored and weighted as the offline measure
does (`teams.evaluation.coordinator_bonds`, `pair_bonds`), with the records as reasons.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from accounts.selectors import AnyUser, organisation_list_visible_to
from matchmaking import ranking
from matchmaking.embedding import active_encoder_names, encoder_by_name
from matchmaking.languages import detect_language
from matchmaking.network.graph import CollaborationGraph
from matchmaking.network.selectors import (
    collaboration_graph_for,
    collaboration_text,
    warm_introductions,
)
from matchmaking.suggestions.signals import ENCODER_FAMILY
from matchmaking.teams.evaluation import coordinator_bonds, pair_bonds
from matchmaking.teams.solver import (
    Candidate,
    Coordinator,
    NoTeam,
    Rules,
    Slot,
    Team,
    propose_team,
)
from matchmaking.text import split_sentences, split_statements

Kind = Organisation.Kind

# What a coordinator can ask for, and the organisation kinds that fill each role.
ROLE_KINDS: dict[str, tuple[object, frozenset[str]]] = {
    "research": (
        gettext_lazy("Research institute or university"),
        frozenset({Kind.RESEARCH_INSTITUTE, Kind.UNIVERSITY}),
    ),
    "sme": (gettext_lazy("SME (e.g. an end user)"), frozenset({Kind.SME})),
    "startup": (gettext_lazy("AI startup"), frozenset({Kind.STARTUP})),
    "large_company": (gettext_lazy("Large company"), frozenset({Kind.LARGE_COMPANY})),
    "public_body": (gettext_lazy("Public body"), frozenset({Kind.PUBLIC_BODY})),
    "cluster": (gettext_lazy("Cluster or network"), frozenset({Kind.CLUSTER})),
    "any": (gettext_lazy("Any kind of partner"), frozenset()),
}
MAX_ROLES = 8
# Call sentences scored as aspects; a partner covers one when its best statement is this
# many standard deviations above typical similarity (ranking.TYPICAL_STATS).
MAX_ASPECTS = 6
ASPECT_MIN_Z = 1.0
ASPECT_WEIGHT = 0.5
POOL_PER_SLOT = 25


@dataclass(frozen=True)
class CallSpec:
    """What a coordinator describes: the call's text, role codes (ROLE_KINDS) and rules."""

    text: str
    roles: tuple[str, ...]
    min_countries: int = 1
    min_smes: int = 0


@dataclass
class Member:
    role: str
    organisation: Organisation
    reasons: list[str]
    covers: list[str] = field(default_factory=list)


@dataclass
class TeamProposal:
    coordinator: Organisation
    members: list[Member]
    alternatives: list[tuple[str, list[Member]]]  # per role, in the members' order
    rules: list[str]
    countries: list[str]
    optimal: bool


@dataclass
class NoTeamProposal:
    coordinator: Organisation
    reason: str


def role_label(code: str) -> str:
    return str(ROLE_KINDS[code][0])


def team_proposal(
    *, user: AnyUser, coordinator: Organisation, call: CallSpec
) -> TeamProposal | NoTeamProposal:
    """The best team for `call` among organisations `user` may see, or why none exists."""
    slots = [Slot(label=role_label(code), kinds=ROLE_KINDS[code][1]) for code in call.roles]
    organisations = [
        o
        for o in organisation_list_visible_to(user=user).exclude(id=coordinator.id)
        if any(slot.accepts(o.kind) for slot in slots)
    ]
    scored = _scored(call.text, coordinator, organisations)
    graph = collaboration_graph_for(user=user)
    bonds = network_bonds(user=user, graph=graph, coordinator=coordinator)
    pool = _pool(slots, organisations, scored.fit, bonds)
    candidates = [
        Candidate(
            id=o.id,
            kind=o.kind,
            country=o.country,
            sme=o.kind == Kind.SME,
            fit=scored.fit[o.id],
            bond=bonds.get(o.id, 0.0),
            aspects=scored.aspects.get(o.id, {}),
        )
        for o in pool
    ]
    result = propose_team(
        coordinator=Coordinator(country=coordinator.country, sme=coordinator.kind == Kind.SME),
        slots=slots,
        candidates=candidates,
        rules=Rules(min_countries=call.min_countries, min_smes=call.min_smes),
        pair_bonds=pair_bonds(graph, [o.id for o in pool]),
        aspect_weights=[ASPECT_WEIGHT] * len(scored.sentences),
    )
    if isinstance(result, NoTeam):
        return NoTeamProposal(coordinator=coordinator, reason=result.reason)
    return _proposal(coordinator, call, slots, result, {o.id: o for o in pool}, scored, graph)


# --- the collaboration network ------------------------------------------------------------


def network_bonds(
    *, user: AnyUser, graph: CollaborationGraph, coordinator: Organisation
) -> dict[int, float]:
    """{organisation id: bond with the coordinator} in standard deviations of the
    matcher's score: the network's score of each organisation for the coordinator (the
    model that ranks new partners), weighted as `evaluate_teams` fits it (`BONDS`)."""
    countries = dict(organisation_list_visible_to(user=user).values_list("id", "country"))
    return coordinator_bonds(
        graph, coordinator.id, countries=[countries.get(node) for node in graph.nodes]
    )


def network_reasons(
    *,
    graph: CollaborationGraph,
    coordinator: Organisation,
    team: Sequence[Organisation],
    shown: Sequence[Organisation],
) -> dict[int, list[str]]:
    """Why the network favours each shown organisation (team members and alternatives),
    in records a person can check: worked with the coordinator or with a member of the
    team (“Worked with X — project Y, 2021.”), else a common partner with the coordinator
    (the warm introduction's reason)."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for organisation in shown:
        for other in (coordinator, *team):
            if other.id == organisation.id:
                continue
            for record in graph.shared_records(organisation.id, other.id)[:1]:
                reasons[organisation.id].append(
                    _("Worked with %(partner)s — %(record)s.")
                    % {"partner": other.name, "record": collaboration_text(record)}
                )
    strangers = [o.id for o in shown if not reasons[o.id]]
    introductions = warm_introductions(graph=graph, query=coordinator.id, candidates=strangers)
    for organisation_id, found in introductions.items():
        reasons[organisation_id].extend(introduction.reason for introduction in found[:1])
    return reasons


@dataclass
class _Scores:
    fit: dict[int, float]
    reasons: dict[int, list[str]]
    aspects: dict[int, dict[int, float]]
    sentences: list[str]


def _scored(text: str, coordinator: Organisation, organisations: Sequence[Organisation]):
    """Fit of every organisation to the call in standard deviations of the matcher's score
    over them, the matcher's reasons, and which call sentences each covers."""
    sentences = split_sentences(text)[:MAX_ASPECTS]
    if not organisations:
        return _Scores({}, {}, {}, sentences)
    call_language = detect_language(text)
    vectors = _organisation_vectors([o.id for o in organisations])
    dense: dict[int, dict[str, float]] = defaultdict(dict)
    aspects: dict[int, dict[int, float]] = defaultdict(dict)
    for encoder in active_encoder_names():
        family = ENCODER_FAMILY.get(encoder, ranking.MULTILINGUAL)
        pieces = encoder_by_name(encoder).encode([text, *sentences])
        for organisation_id, chunks in vectors.get(encoder, {}).items():
            sims = pieces @ chunks.T
            dense[organisation_id][f"{family}_whole"] = float(sims[0, 0])
            dense[organisation_id][f"{family}_statement"] = float(sims.max())
            if family == ranking.MULTILINGUAL:
                mean, spread = ranking.TYPICAL_STATS[ranking.MULTILINGUAL_STATEMENT]
                for aspect, best in enumerate(sims[1:].max(axis=1)):
                    z = (float(best) - mean) / spread
                    if z >= ASPECT_MIN_Z:
                        aspects[organisation_id][aspect] = z
    signals = [
        ranking.CandidateSignals(
            candidate_id=o.id,
            dense=dense.get(o.id, {}),
            cross_language=detect_language(o.description) != call_language,
            statements=len(split_statements(o.description)),
            need_kind=coordinator.kind,
            cap_kind=o.kind,
        )
        for o in organisations
    ]
    ranked = ranking.rank_candidates(signals)
    scores = np.array([match.score for match in ranked])
    spread = float(scores.std()) or 1.0
    fit = {m.candidate_id: (m.score - float(scores.mean())) / spread for m in ranked}
    return _Scores(
        fit=fit,
        reasons={m.candidate_id: list(m.reasons) for m in ranked},
        aspects=dict(aspects),
        sentences=sentences,
    )


def _organisation_vectors(ids: Sequence[int]) -> dict[str, dict[int, np.ndarray]]:
    """{encoder: {organisation id: its stored chunk vectors}} in one query."""
    rows: dict[str, dict[int, list[np.ndarray]]] = defaultdict(lambda: defaultdict(list))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT encoder, organisation_id, vector::real[] FROM matchmaking_embedding "
            "WHERE organisation_id = ANY(%s) AND encoder = ANY(%s) ORDER BY chunk",
            [list(ids), active_encoder_names()],
        )
        for encoder, organisation_id, values in cursor.fetchall():
            rows[encoder][organisation_id].append(np.asarray(values, dtype=np.float32))
    return {
        encoder: {owner: np.vstack(chunks) for owner, chunks in owners.items()}
        for encoder, owners in rows.items()
    }


def _pool(slots, organisations, fit, bonds) -> list[Organisation]:
    chosen: dict[int, Organisation] = {}
    for slot in slots:
        fitting = [o for o in organisations if slot.accepts(o.kind)]
        fitting.sort(key=lambda o: fit.get(o.id, 0.0) + bonds.get(o.id, 0.0), reverse=True)
        for organisation in fitting[:POOL_PER_SLOT]:
            chosen[organisation.id] = organisation
    return list(chosen.values())


def _proposal(
    coordinator: Organisation,
    call: CallSpec,
    slots: Sequence[Slot],
    team: Team,
    organisations: Mapping[int, Organisation],
    scored: _Scores,
    graph: CollaborationGraph,
) -> TeamProposal:
    chosen = [organisations[c.id] for c in team.members.values()]
    alternatives = [organisations[c.id] for found in team.alternatives.values() for c in found]
    network = network_reasons(
        graph=graph, coordinator=coordinator, team=chosen, shown=chosen + alternatives
    )

    def member(slot: Slot, candidate: Candidate) -> Member:
        return Member(
            role=slot.label,
            organisation=organisations[candidate.id],
            reasons=network.get(candidate.id, []) + scored.reasons.get(candidate.id, []),
            covers=[scored.sentences[a] for a in sorted(candidate.aspects)],
        )

    members = [member(slots[s], team.members[s]) for s in range(len(slots))]
    countries = sorted({coordinator.country} | {m.organisation.country for m in members})
    smes = sum(m.organisation.kind == Kind.SME for m in members) + (coordinator.kind == Kind.SME)
    rules = [
        _("Team of %(size)d: the coordinator and one partner per role.") % {"size": len(slots) + 1},
        _("%(count)d countries (at least %(needed)d required): %(list)s.")
        % {"count": len(countries), "needed": call.min_countries, "list": ", ".join(countries)},
    ]
    if call.min_smes:
        rules.append(
            _("%(count)d SMEs (at least %(needed)d required).")
            % {"count": smes, "needed": call.min_smes}
        )
    return TeamProposal(
        coordinator=coordinator,
        members=members,
        alternatives=[
            (slots[s].label, [member(slots[s], c) for c in team.alternatives.get(s, [])])
            for s in range(len(slots))
        ],
        rules=rules,
        countries=countries,
        optimal=team.optimal,
    )
