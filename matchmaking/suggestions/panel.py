"""The suggestions panel: what the views put in the context for
`matchmaking/_suggestions_panel.html` and `matchmaking/suggestions_list.html`. Views build
it (the engine's cost shows in the view, not in a template tag); templates only render."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from accounts.selectors import AnyUser
from matchmaking.kinds import NEED, Item, item_kind, item_organisation_id
from matchmaking.models import Posting
from matchmaking.suggestions import (
    Suggestion,
    suggestion_list_for_capability,
    suggestions_for_need,
)
from matchmaking.suggestions.links import feedback_url, source_url, suggestions_url

PANEL_LIMIT = 5
PANEL_ORGANISATION_LIMIT = 3


@dataclass
class Panel:
    """Suggestions of one source, with the links their cards need."""

    source: Item
    suggestions: list[Suggestion] = field(default_factory=list)
    organisations: list[Suggestion] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return item_kind(self.source)

    @property
    def feedback_url(self) -> str:
        return feedback_url(self.source)

    @property
    def all_url(self) -> str:
        return suggestions_url(self.source)

    @property
    def source_url(self) -> str:
        return source_url(self.source)


def panel_of(
    source: Item, suggestions: Iterable[Suggestion], organisations: Iterable[Suggestion] = ()
) -> Panel:
    """A panel around suggestions already computed (the full suggestion pages)."""
    return Panel(source, list(suggestions), list(organisations))


def posting_panel(
    *, posting: Posting, user: AnyUser, member_of: Collection[int], limit: int = PANEL_LIMIT
) -> Panel | None:
    """The first suggestions of a need or capability, or None unless the viewer is a
    member of its organisation (`member_of`: the viewer's organisation ids, read once
    per request): suggestions are for those who posted."""
    if item_organisation_id(posting) not in member_of:
        return None
    if item_kind(posting) == NEED:
        found = suggestions_for_need(
            need=posting, user=user, limit=limit, organisation_limit=PANEL_ORGANISATION_LIMIT
        )
        return Panel(posting, found.capabilities, found.organisations)
    return Panel(
        posting, suggestion_list_for_capability(capability=posting, user=user, limit=limit)
    )
