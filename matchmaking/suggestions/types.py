"""What the suggestion service returns: plain data that pages, the API and the feedback
snapshot all read, so the three always show the same explanation."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from matchmaking import ranking
from matchmaking.models import Capability, Need, SuggestionFeedback
from matchmaking.suggestions.feedback import Snapshot

# Labels of ranking's signal names, for the "why" of every suggestion.
SIGNAL_LABELS = {
    ranking.LEXICAL: _("Shared key words"),
    ranking.ENGLISH_WHOLE: _("Similar descriptions (English model)"),
    ranking.ENGLISH_STATEMENT: _("Similar statements (English model)"),
    ranking.MULTILINGUAL_WHOLE: _("Similar descriptions (multilingual model)"),
    ranking.MULTILINGUAL_STATEMENT: _("Similar statements (multilingual model)"),
    ranking.KIND: _("Complementary kind of organisation"),
    ranking.TRACK_RECORD: _("Track record"),
    ranking.TECHNIQUES: _("Shared AI techniques"),
    ranking.DOMAINS: _("Shared application domains"),
    ranking.PROXIMITY: _("Distance within the region scope"),
    ranking.TRL: _("Technology readiness fit"),
    ranking.LANGUAGES: _("Shared working languages"),
    ranking.FEEDBACK: _("Like suggestions you saved"),
    ranking.COLLABORATION: _("Collaborations that came of its contacts here"),
    "forward": _("Their capabilities answer your needs"),
    "backward": _("Your capabilities answer their needs"),
    "reciprocal": _("Both directions match"),
    "network": _("Partners of your partners"),
}


@dataclass(frozen=True)
class Contribution:
    """One signal's share of the score (positive lifts, negative lowers)."""

    signal: str
    points: float

    @property
    def label(self) -> str:
        return str(SIGNAL_LABELS.get(self.signal, self.signal))


@dataclass(frozen=True)
class Term:
    """A taxonomy code with its label in the active language."""

    code: str
    label: str


@dataclass(frozen=True)
class SentencePair:
    """The best-matching statements of the two texts: source side first."""

    source: str
    target: str
    similarity: float


@dataclass
class Suggestion:
    """One ranked suggestion and why. `target` is a Need, Capability or Organisation;
    `via` lists, for organisation suggestions, the posting pairs that earned it."""

    kind: str
    target: Need | Capability | Organisation
    score: float
    rank: int = 0
    # 0–100, comparable across pages (ranking.match_strength); for an organisation pair
    # the stronger of its best posting pairs.
    strength: int = 0
    contributions: list[Contribution] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    shared_techniques: list[Term] = field(default_factory=list)
    shared_domains: list[Term] = field(default_factory=list)
    shared_languages: list[Term] = field(default_factory=list)
    distance_km: float | None = None
    sentence_pair: SentencePair | None = None
    actions: frozenset[str] = frozenset()
    via: list["Suggestion"] = field(default_factory=list)
    source: Need | Capability | None = None
    # Collaboration network (matchmaking/network/): common partners who can introduce
    # you, and, for a partner you already worked with, what you did together.
    introductions: list = field(default_factory=list)
    worked_before: list[str] = field(default_factory=list)
    # What ranking read of the pair (None for reciprocal organisation pairs): the match
    # store keeps it so reasons can be written again in the reader's language.
    signals: ranking.CandidateSignals | None = None

    @property
    def target_id(self) -> int:
        return self.target.id

    @property
    def organisation(self) -> Organisation:
        return self.target if isinstance(self.target, Organisation) else self.target.organisation

    @property
    def weak(self) -> bool:
        return self.strength < ranking.WEAK_STRENGTH

    @property
    def saved(self) -> bool:
        return SuggestionFeedback.Action.SAVED in self.actions

    @property
    def contacted(self) -> bool:
        return SuggestionFeedback.Action.CONTACTED in self.actions

    @property
    def top_contributions(self) -> list[Contribution]:
        """Signals that moved the score noticeably, strongest first (for the page)."""
        shown = [c for c in self.contributions if abs(c.points) >= 0.05]
        return sorted(shown, key=lambda c: -abs(c.points))

    def snapshot(self) -> Snapshot:
        return Snapshot(
            score=round(self.score, 4),
            rank=self.rank,
            explanation={
                "contributions": {c.signal: round(c.points, 4) for c in self.contributions},
                "distance_km": None if self.distance_km is None else round(self.distance_km),
            },
        )

    def as_explanation(self) -> dict[str, Any]:
        """The explanation as plain data (API)."""
        return {
            "contributions": [
                {"signal": c.signal, "label": c.label, "points": round(c.points, 4)}
                for c in self.contributions
            ],
            "reasons": list(self.reasons),
            "shared_techniques": [t.__dict__ for t in self.shared_techniques],
            "shared_domains": [t.__dict__ for t in self.shared_domains],
            "shared_languages": [t.__dict__ for t in self.shared_languages],
            "distance_km": None if self.distance_km is None else round(self.distance_km),
            "sentence_pair": None
            if self.sentence_pair is None
            else {
                "source": self.sentence_pair.source,
                "target": self.sentence_pair.target,
                "similarity": round(self.sentence_pair.similarity, 4),
            },
        }


@dataclass
class NeedSuggestions:
    """A need's suggestions: capabilities, and the organisations behind them."""

    capabilities: list[Suggestion] = field(default_factory=list)
    organisations: list[Suggestion] = field(default_factory=list)

    def __iter__(self):
        yield from self.capabilities
        yield from self.organisations
