"""What a capability offers on data sovereignty, read from its ticked boxes and its text.

A requirement of a need is, for one capability, in one of three states:
- OFFERED: the box is ticked, or the text says so ("deployed on-premises", "in der EU
  gehostet", "open weights");
- EXCLUDED: the text contradicts it ("cloud-only", "hosted in the US", "proprietary
  model") and the box is not ticked;
- NOT_STATED: neither. Such a capability may still be right (many never tick boxes), so it
  is ranked below those that offer it, with the reason shown, instead of being dropped.

Patterns cover English and German (the platform's two writing languages); a negation right
before an offer ("no on-premises option", "kein On-Premises") turns it into an exclusion.
"""

import re
from collections.abc import Iterable
from functools import cache

from matchmaking.taxonomy import Sovereignty

OFFERED = "offered"
NOT_STATED = "not_stated"
EXCLUDED = "excluded"

_OFFERS = {
    Sovereignty.ON_PREMISES: (
        r"on[- ]?prem(?:ise|ises|isses)?\b",
        r"self[- ]hosted",
        r"air[- ]gapped",
        r"runs? (?:entirely |fully )?(?:locally|on site|on your (?:own )?(?:servers|hardware))",
        r"(?:deployed|installed|operated|runs?) (?:at|on) (?:the )?(?:customer'?s? )?"
        r"(?:site|premises)",
        r"in your own data ?cent(?:er|re)",
        r"vor[- ]ort[- ]?(?:betrieb|installation|installiert|betrieben)",
        r"lokal (?:betrieben|installiert|betreibbar)",
        r"im eigenen rechenzentrum",
        r"auf (?:ihren|eigenen) servern",
    ),
    Sovereignty.EU_HOSTED: (
        r"\beu[- ]hosted",
        r"hosted (?:in|within) (?:the )?(?:eu|european union|europe|germany)",
        r"(?:eu|european|german) (?:data ?cent(?:er|re)s?|cloud|servers?)",
        r"in (?:der eu|europa|deutschland) gehostet",
        r"rechenzentren? in (?:der eu|europa|deutschland)",
        r"\beu[- ]cloud",
        r"gaia-?x",
    ),
    Sovereignty.OPEN_WEIGHTS: (
        r"open[- ]weights?",
        r"open[- ]source (?:ai |language |foundation )?models?",
        r"offene (?:modell)?gewichte",
        r"open[- ]source[- ]modell",
    ),
}
_CONTRADICTIONS = {
    Sovereignty.ON_PREMISES: (
        r"cloud[- ]only",
        r"(?:only|exclusively) (?:as )?(?:a )?(?:cloud|saas|hosted) (?:service|offering|solution)",
        r"saas[- ]only",
        r"nur (?:als )?(?:cloud|saas)",
    ),
    Sovereignty.EU_HOSTED: (
        r"hosted (?:in|on) (?:the )?(?:us|usa|united states)",
        r"\bus[- ](?:based )?(?:data ?cent(?:er|re)s?|cloud|servers?)",
        r"in den usa gehostet",
    ),
    Sovereignty.OPEN_WEIGHTS: (
        r"proprietary (?:ai |language )?models?",
        r"closed[- ](?:source|weights?) models?",
        r"proprietäre[nm]? modell",
    ),
}
_NEGATION = r"(?:\bno|\bnot|\bwithout|\bkein\w*|\bnicht|\bohne)\s+(?:\S+\s+){0,2}?"


@cache
def _patterns():
    def compile_all(table, prefix=""):
        return {
            code: re.compile("|".join(f"(?:{prefix}{p})" for p in patterns), re.IGNORECASE)
            for code, patterns in table.items()
        }

    return compile_all(_OFFERS), compile_all(_CONTRADICTIONS), compile_all(_OFFERS, _NEGATION)


def sovereignty_in_text(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(offered, excluded) sovereignty codes stated in a text."""
    offers, contradictions, negated = _patterns()
    text = text or ""
    excluded = {code for code, p in contradictions.items() if p.search(text)}
    excluded |= {code for code, p in negated.items() if p.search(text)}
    offered = {code for code, p in offers.items() if p.search(text)} - excluded
    return frozenset(offered), frozenset(excluded)


def sovereignty_states(required: Iterable[str], ticked: Iterable[str], text: str) -> dict[str, str]:
    """{requirement: OFFERED | NOT_STATED | EXCLUDED} for one capability."""
    required = list(required or ())
    if not required:
        return {}
    ticked = set(ticked or ())
    offered, excluded = sovereignty_in_text(text)
    return {
        code: OFFERED
        if code in ticked or code in offered
        else EXCLUDED
        if code in excluded
        else NOT_STATED
        for code in required
    }


def sovereignty_label(code: str) -> str:
    return str(Sovereignty(code).label) if code in Sovereignty.values else code
