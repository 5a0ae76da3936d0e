"""Template filters that turn stored taxonomy codes into translated labels, so templates
never show raw codes such as "computer_vision"."""

from django import template
from django.db.models import TextChoices

from matchmaking.taxonomy import (
    BudgetBand,
    CollaborationType,
    Domain,
    Language,
    RegionScope,
    Sovereignty,
    Technique,
)

register = template.Library()

VOCABULARIES: dict[str, type[TextChoices]] = {
    "technique": Technique,
    "domain": Domain,
    "collaboration": CollaborationType,
    "sovereignty": Sovereignty,
    "region_scope": RegionScope,
    "budget": BudgetBand,
    "language": Language,
}


@register.filter
def labels(codes: list[str] | str, vocabulary: str) -> list[str] | str:
    """`{{ posting.techniques|labels:"technique" }}`: one label per code (unknown codes
    are shown as they are); a single code gives a single label."""
    choices = dict(VOCABULARIES[vocabulary].choices)
    if isinstance(codes, str):
        return str(choices.get(codes, codes))
    return [str(choices.get(code, code)) for code in codes or []]
