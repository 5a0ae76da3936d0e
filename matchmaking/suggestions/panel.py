"""The suggestions panel: what the views put in the context for
`matchmaking/_suggestions_panel.html` and `matchmaking/suggestions_list.html`. Views build
it (a page's reads show in the view, not in a template tag); templates only render."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from accounts.selectors import AnyUser
from matchmaking.kinds import NEED, Item, item_kind, item_organisation_id
from matchmaking.models import Posting
from matchmaking.suggestions import (
    Suggestion,
    matches_pending,
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
    # The source is saved but not ranked yet: the page says "being prepared".
    pending: bool = False

    @property
    def shown(self) -> int:
        """How many suggestion cards the panel shows (insights counts them)."""
        return len(self.suggestions) + len(self.organisations)

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
    """A panel around suggestions already read (the full suggestion pages)."""
    suggestions, organisations = list(suggestions), list(organisations)
    pending = not (suggestions or organisations) and matches_pending(source=source)
    return Panel(source, suggestions, organisations, pending)


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
            need=posting,
            user=user,
            limit=limit,
            organisation_limit=PANEL_ORGANISATION_LIMIT,
            member_of=member_of,
        )
        return panel_of(posting, found.capabilities, found.organisations)
    return panel_of(
        posting,
        suggestion_list_for_capability(
            capability=posting, user=user, limit=limit, member_of=member_of
        ),
    )
