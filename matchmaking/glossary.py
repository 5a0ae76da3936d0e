"""The bilingual glossary and cheap text helpers. Pure functions over strings (no ORM), so
the matching engine can reuse them in explanations and tests run without a database.

data/glossary.json maps German and English terms onto an English canonical phrase and
taxonomy codes (matchmaking/taxonomy.py). Matching is on word stems: a term matches a word
that starts with it, and German terms also match inside compounds ("Schweißnaht" inside
"Schweißnahtprüfung"), because German glues nouns together where English leaves spaces."""

import re
from pathlib import Path

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "glossary.json"

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

# Frequent function words: enough to tell German from English in a sentence or two.
_GERMAN_STOPWORDS = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber nicht mit
    für fur von zu zum zur auf aus bei nach über unter vor durch gegen ohne um ist sind
    war wird werden wurde wurden hat haben kann können soll sollen muss müssen wir ihr
    sie es ich du unser unsere unseren unserer sich auch noch nur sehr wie als wenn dass
    im ins am an vom bis mehr keine kein dieser diese dieses suchen suche bieten wollen
    """.split()
)
_ENGLISH_STOPWORDS = frozenset(
    """
    the a an and or but not with for of to in on at by from into over under about is are
    was were be been being has have had can could should would will shall must we our you
    your they their it its this that these those which who what how as if than also only
    very more no any looking offer provide using based
    """.split()
)


def words(text: str) -> list[str]:
    """Lower-cased words, hyphenated compounds kept whole."""
    return [w.lower() for w in _WORD.findall(text or "")]


def detect_language(text: str) -> str:
    """ "de" or "en" for a posting text; English when unsure. Counts stopwords of each
    language and treats umlauts/ß as German evidence, which suffices for the two languages
    the platform writes in. Not meant for other languages."""
    tokens = words(text)
    if not tokens:
        return "en"
    german = sum(1 for t in tokens if t in _GERMAN_STOPWORDS)
    english = sum(1 for t in tokens if t in _ENGLISH_STOPWORDS)
    german += sum(1 for t in tokens if any(ch in t for ch in "äöüß"))
    return "de" if german > english else "en"
