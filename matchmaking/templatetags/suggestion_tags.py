"""Rendering helpers of the suggestion cards. The panel itself comes from the view
(matchmaking.suggestions.panel); nothing here computes suggestions."""

from django import template

from matchmaking.suggestions.links import target_url

register = template.Library()


@register.filter
def suggestion_url(item) -> str:
    """Where a suggested need, capability or organisation is shown."""
    return target_url(item)


@register.filter
def bar_width(points: float) -> int:
    """Width in percent of a contribution bar: 1 point fills a quarter."""
    return max(2, min(100, round(abs(points) * 25)))


@register.filter
def posting_key(posting) -> str:
    """ "need:12" / "capability:7": how the contact request form names a posting."""
    from matchmaking.collaboration.forms import posting_key as key

    return key(posting) if posting is not None else ""
