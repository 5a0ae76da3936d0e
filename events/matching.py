"""The matching engine inside an event: which registered participants should meet.

Each participant's needs and capabilities brought to the event are ranked by the
platform's engine (matchmaking.suggestions.postings.rank_postings) from that participant's
own point of view, so visibility holds: a hidden posting is never a candidate for anyone
outside its organisation. Suggestions whose target another participant brought become a
pair score (the best posting pair of the two, either direction). The engine leaves out
organisations excluded by either side ("never suggest X", matchmaking/collaboration), so
excluded pairs get no score and are neither suggested nor scheduled from suggestions.
Scores are normalised to [0, 1] within the event for the optimiser; the signals that
lifted the best pair are kept as its explanation.

Limits: retrieval looks at the engine's ~100 nearest candidates per posting over the whole
platform, so a weak pair inside a big platform may go unscored; participants imported
without an account are only scored from the other side.
"""

from collections import defaultdict

from django.db import transaction

from events.models import Event, PairScore, Participant
from events.selectors import pair_key, participant_list
from matchmaking.models import Capability, Need
from matchmaking.selectors import posting_list_visible_to
from matchmaking.suggestions.postings import rank_postings

# Signals shown as the reasons of a pair: the strongest positive contributions.
REASONS_SHOWN = 4


def event_pairs_score(*, event: Event) -> int:
    """Recomputes every pair score of the event; returns how many pairs scored."""
    participants = list(participant_list(event=event).prefetch_related("needs", "capabilities"))
    brought_need: dict[int, list[Participant]] = defaultdict(list)
    brought_capability: dict[int, list[Participant]] = defaultdict(list)
    for participant in participants:
        for need in participant.needs.all():
            brought_need[need.id].append(participant)
        for capability in participant.capabilities.all():
            brought_capability[capability.id].append(participant)

    best: dict[tuple[int, int], tuple[float, list[str], list]] = {}
    for participant in participants:
        if participant.user is None:
            continue
        for model, brought, owners in (
            (Need, participant.needs, brought_capability),
            (Capability, participant.capabilities, brought_need),
        ):
            sources = list(
                posting_list_visible_to(model=model, user=participant.user).filter(
                    id__in=brought.values("id"), status="open"
                )
            )
            if not sources or not owners:
                continue
            ranking = rank_postings(sources=sources, user=participant.user)
            for suggestions in ranking.by_source.values():
                for suggestion in suggestions:
                    for other in owners.get(suggestion.target.id, []):
                        if other.organisation_id == participant.organisation_id:
                            continue
                        key = pair_key(participant, other)
                        if key in best and best[key][0] >= suggestion.score:
                            continue
                        lifted = sorted(
                            (c for c in suggestion.contributions if c.points > 0),
                            key=lambda c: -c.points,
                        )
                        best[key] = (
                            suggestion.score,
                            [c.signal for c in lifted[:REASONS_SHOWN]],
                            [
                                [
                                    suggestion.source.__class__.__name__.lower(),
                                    suggestion.source.id,
                                ],
                                [suggestion.kind, suggestion.target.id],
                            ],
                        )
    top = max((score for score, _r, _p in best.values()), default=0.0)
    with transaction.atomic():
        PairScore.objects.filter(event=event).delete()
        PairScore.objects.bulk_create(
            PairScore(
                event=event,
                low_id=low,
                high_id=high,
                raw_score=score,
                score=round(max(0.0, score) / top, 4) if top > 0 else 0.0,
                reasons=reasons,
                postings=postings,
            )
            for (low, high), (score, reasons, postings) in best.items()
        )
    return len(best)
