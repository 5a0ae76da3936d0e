"""Where the sources and targets of suggestions are shown: one place for pages, the API
and the suggestion cards."""

from django.urls import reverse

from matchmaking.kinds import ORGANISATION, Item, item_kind


def source_url(source: Item) -> str:
    """The page a source's suggestions belong to (its detail page, or for an organisation
    its partner suggestions)."""
    kind = item_kind(source)
    if kind == ORGANISATION:
        return reverse("suggestions:organisation", args=[source.slug])
    return reverse(f"matchmaking:{kind}_detail", args=[source.id])


def target_url(target: Item) -> str:
    """The page that shows a suggested need, capability or organisation."""
    kind = item_kind(target)
    if kind == ORGANISATION:
        return reverse("accounts:organisation_detail", args=[target.slug])
    return reverse(f"matchmaking:{kind}_detail", args=[target.id])


def source_key(source: Item) -> int | str:
    """What the suggestion URLs carry for a source: an organisation's slug, else the id."""
    return source.slug if item_kind(source) == ORGANISATION else source.id


def suggestions_url(source: Item) -> str:
    """The page with all suggestions of a source."""
    return reverse(f"suggestions:{item_kind(source)}", args=[source_key(source)])


def feedback_url(source: Item) -> str:
    """Where the feedback forms of a source's suggestions post to."""
    return reverse(f"suggestions:{item_kind(source)}_feedback", args=[source_key(source)])
