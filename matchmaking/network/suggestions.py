"""The collaboration network inside the suggestion service: organisation suggestions
re-ranked by `graph.rank_organisations` (the code the evaluation measures), new
partners-of-partners added with a warm introduction, known partners set apart."""

from dataclasses import replace

import numpy as np

from accounts.models import Organisation
from accounts.selectors import AnyUser, organisation_ids_of, organisation_list_visible_to
from matchmaking.network import graph as network
from matchmaking.network.selectors import (
    collaboration_graph_for,
    collaboration_text,
    warm_introductions,
)
from matchmaking.suggestions.types import Contribution, Suggestion

# Text on the site is a posting match (an open need answered), stronger evidence than
# profile similarity in the evaluation, where text only breaks ties. A strong two-way
# posting match (~1) weighs about as much as a few shared partners. Set on the demo
# world, not measured (docs/matching.md).
SITE_TEXT_WEIGHT = 4.0


def _with_network(suggestion: Suggestion, points: float | None, introductions: list) -> Suggestion:
    contributions = list(suggestion.contributions)
    if points is not None:
        contributions.append(Contribution("network", points))
    return replace(
        suggestion,
        contributions=contributions,
        reasons=[i.reason for i in introductions] + list(suggestion.reasons),
        introductions=introductions,
    )


def network_ranking(
    *,
    organisation: Organisation,
    user: AnyUser,
    text: list[Suggestion],
    limit: int,
    dismissed: set[int] = frozenset(),
    new_partners: bool = True,
    graph: network.CollaborationGraph | None = None,
) -> tuple[list[Suggestion], list[Suggestion]]:
    """(new, known): the text suggestions and, with `new_partners`, partners of partners
    ranked for `organisation`, best first, hubs capped; and the text suggestions of
    organisations it worked with before, marked so. A candidate appears only with a
    reason: a text match or a common partner. `graph`: `user`'s graph when the caller
    ranks many lists with it (the match store)."""
    graph = graph or collaboration_graph_for(user=user)
    if organisation.id not in graph.index:
        return text[:limit], []
    by_id = {s.target.id: s for s in text}
    text_scores = np.array([by_id[n].score if n in by_id else 0.0 for n in graph.nodes])
    countries = (
        dict(organisation_list_visible_to(user=user).values_list("id", "country"))
        if new_partners
        else {}
    )
    ranked = network.rank_organisations(
        graph,
        organisation.id,
        text_scores=text_scores,
        countries=[countries.get(n) for n in graph.nodes],
        text_weight=SITE_TEXT_WEIGHT,
    )
    network_points = network.network_scores(
        graph, organisation.id, countries=[countries.get(n) for n in graph.nodes]
    )
    skip = dismissed | set(organisation_ids_of(user)) | {organisation.id}
    partners = graph.partners(organisation.id)
    with_ties = {c for p in partners for c in graph.partners(p)} if new_partners else set()
    chosen = [n for n in ranked if n not in skip and (n in by_id or n in with_ties)][:limit]
    introductions = warm_introductions(graph=graph, query=organisation.id, candidates=chosen)
    targets = Organisation.objects.select_related("region").in_bulk(
        [n for n in chosen if n not in by_id]
    )
    new = []
    for position, node in enumerate(chosen, start=1):
        points = None if network_points is None else float(network_points[graph.index[node]])
        base = by_id.get(node) or Suggestion(
            kind="organisation", target=targets[node], score=points or 0.0
        )
        suggestion = _with_network(base, points, introductions.get(node, []))
        suggestion.rank = position
        new.append(suggestion)
    known = [
        replace(
            s,
            worked_before=[
                collaboration_text(c) for c in graph.shared_records(organisation.id, s.target.id)
            ],
        )
        for s in text
        if s.target.id in partners
    ]
    return new, known
