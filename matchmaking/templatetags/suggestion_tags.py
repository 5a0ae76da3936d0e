"""The suggestions panel on need and capability detail pages and on the organisation
dashboard. The pages that include `matchmaking/_suggestions_panel.html` need not know the
service: the tags below compute the panel for the signed-in member, or nothing."""

from dataclasses import dataclass, field

from django import template
from django.urls import reverse

from accounts.models import Organisation
from accounts.selectors import user_is_member
from matchmaking.feedback import NEED, ORGANISATION, item_kind
from matchmaking.suggestion_views import source_url, target_url
from matchmaking.suggestions import (
    Suggestion,
    organisation_suggestion_list,
    suggestion_list_for_capability,
    suggestions_for_need,
)

register = template.Library()

PANEL_LIMIT = 5
PANEL_ORGANISATION_LIMIT = 3


@dataclass
class Panel:
    source: object
    kind: str
    suggestions: list[Suggestion] = field(default_factory=list)
    organisations: list[Suggestion] = field(default_factory=list)

    @property
    def feedback_url(self) -> str:
        key = self.source.slug if self.kind == ORGANISATION else self.source.id
        return reverse(f"suggestions:{self.kind}_feedback", args=[key])

    @property
    def all_url(self) -> str:
        key = self.source.slug if self.kind == ORGANISATION else self.source.id
        return reverse(f"suggestions:{self.kind}", args=[key])

    @property
    def source_url(self) -> str:
        return source_url(self.source)


def _member(context, organisation: Organisation):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user_is_member(user=user, organisation=organisation):
        return None
    return user


@register.simple_tag(takes_context=True)
def posting_suggestions(context, posting, limit: int = PANEL_LIMIT) -> Panel | None:
    """`{% posting_suggestions posting as panel %}`: None unless the viewer is a member
    of the posting's organisation (suggestions are for those who posted)."""
    user = _member(context, posting.organisation)
    if user is None:
        return None
    kind = item_kind(posting)
    if kind == NEED:
        found = suggestions_for_need(
            need=posting, user=user, limit=limit, organisation_limit=PANEL_ORGANISATION_LIMIT
        )
        return Panel(posting, kind, found.capabilities, found.organisations)
    return Panel(
        posting, kind, suggestion_list_for_capability(capability=posting, user=user, limit=limit)
    )


@register.simple_tag(takes_context=True)
def organisation_suggestions(context, organisation, limit: int = PANEL_LIMIT) -> Panel | None:
    """`{% organisation_suggestions organisation as panel %}` for the dashboard."""
    user = _member(context, organisation)
    if user is None:
        return None
    return Panel(
        organisation,
        ORGANISATION,
        organisation_suggestion_list(organisation=organisation, user=user, limit=limit),
    )


@register.simple_tag
def suggestions_panel_for(source, suggestions, organisations=None) -> Panel:
    """A panel around already computed suggestions (the full suggestion pages)."""
    return Panel(source, item_kind(source), list(suggestions), list(organisations or []))


@register.filter
def suggestion_url(item) -> str:
    """Where a suggested need, capability or organisation is shown."""
    return target_url(item)


@register.filter
def bar_width(points: float) -> int:
    """Width in percent of a contribution bar: 1 point fills a quarter."""
    return max(2, min(100, round(abs(points) * 25)))
