"""Offline replay of the collaboration signal on logged feedback.

Every logged verdict kept the score the user saw. For each (user, source) with both a
positive verdict (saved or contacted) and a dismissal, each (positive, dismissed) pair is
ordered once by the logged scores and once with the collaboration signal added, taken as
the target organisation's record *at the time of that verdict* (no peeking at outcomes
recorded later). The share of pairs where the positive one ranks above is the pairwise
accuracy; the difference is the signal's effect on what users actually chose."""

from collections import defaultdict
from dataclasses import dataclass
from itertools import product

from matchmaking import ranking
from matchmaking.collaboration.selectors import collaboration_record_for
from matchmaking.models import SuggestionFeedback
from matchmaking.suggestions.feedback import POSITIVE_ACTIONS

DISMISSED = SuggestionFeedback.Action.DISMISSED


@dataclass(frozen=True)
class ReplayResult:
    verdicts: int
    sources: int
    pairs: int
    accuracy_without: float | None
    accuracy_with: float | None

    @property
    def measurable(self) -> bool:
        return self.pairs > 0


def replay_logged_feedback(*, weight: float = ranking.WEIGHTS.collaboration) -> ReplayResult:
    rows = SuggestionFeedback.objects.exclude(score=None).values_list(
        "user_id",
        "source_need_id",
        "source_capability_id",
        "source_organisation_id",
        "target_need__organisation_id",
        "target_capability__organisation_id",
        "target_organisation_id",
        "action",
        "score",
        "created_at",
    )
    groups: dict[tuple, list[tuple[str, float, float]]] = defaultdict(list)
    verdicts = 0
    for user, s_need, s_cap, s_org, t_need_org, t_cap_org, t_org, action, score, at in rows:
        verdicts += 1
        organisation = t_need_org or t_cap_org or t_org
        record = collaboration_record_for(organisation_ids=[organisation], before=at)
        boosted = score + weight * record.get(organisation, 0.0)
        groups[(user, s_need, s_cap, s_org)].append((action, score, boosted))
    sources = pairs = right_without = right_with = 0
    for verdicts_of_source in groups.values():
        positives = [v for v in verdicts_of_source if v[0] in POSITIVE_ACTIONS]
        negatives = [v for v in verdicts_of_source if v[0] == DISMISSED]
        if not positives or not negatives:
            continue
        sources += 1
        for positive, negative in product(positives, negatives):
            pairs += 1
            right_without += positive[1] > negative[1]
            right_with += positive[2] > negative[2]
    return ReplayResult(
        verdicts=verdicts,
        sources=sources,
        pairs=pairs,
        accuracy_without=right_without / pairs if pairs else None,
        accuracy_with=right_with / pairs if pairs else None,
    )
