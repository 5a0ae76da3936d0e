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
