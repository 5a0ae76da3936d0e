"""Template filters that turn stored codes (countries, languages, NACE sections) into
translated labels, so templates never show raw codes."""

from django import template

from accounts import countries
from matchmaking.taxonomy import Language, Sector

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    return countries.country_name(code)


@register.filter
def language_labels(codes: list[str]) -> list[str]:
    labels = dict(Language.choices)
    return [str(labels.get(code, code)) for code in codes or []]


@register.filter
def sector_labels(codes: list[str]) -> list[str]:
    """ "C Manufacturing": the letter helps people who know NACE, the name everyone else."""
    labels = dict(Sector.choices)
    return [f"{code} {labels.get(code, '')}".strip() for code in codes or []]
