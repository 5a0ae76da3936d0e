"""Partnership suggestions: ranked, explained needs, capabilities and organisations.

The package is one room for the feature:
    engine.py, postings.py, organisations.py, retrieval.py, signals.py, sentences.py
        the ranking engine (the same ranking code `evaluate_matching` measures);
    store.py       runs the engine in workers and stores the lists (Match rows);
    selectors.py   reads the stored lists per reader: the public API below;
    feedback.py, services.py   save, dismiss, contact; links.py, panel.py, views.py,
    api.py, urls.py, api_urls.py   the pages and the REST API.
See docs/matching.md ("Match store") for the design.
"""

from matchmaking.suggestions.selectors import (
    match_scores,
    matches_for,
    matches_pending,
    organisation_suggestion_list,
    suggestion_find,
    suggestion_list_for_capability,
    suggestion_list_for_need,
    suggestions_for_need,
)
from matchmaking.suggestions.types import (
    Contribution,
    NeedSuggestions,
    SentencePair,
    Suggestion,
    Term,
)

__all__ = [
    "Contribution",
    "NeedSuggestions",
    "SentencePair",
    "Suggestion",
    "Term",
    "match_scores",
    "matches_for",
    "matches_pending",
    "organisation_suggestion_list",
    "suggestion_find",
    "suggestion_list_for_capability",
    "suggestion_list_for_need",
    "suggestions_for_need",
]
