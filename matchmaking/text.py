"""Plain-text helpers shared by ranking, embedding and evaluation: statement splitting,
sentences for explanations, and tokens for the lexical signal. The language guess lives
in matchmaking.glossary.detect_language.

Pure functions over strings; no Django, no model. They must stay cheap: the evaluation
runs them over ~7,000 profiles and the suggestion service over every posting it embeds.
"""

import re
import unicodedata

# A profile is a list of statements: past projects, bullet points, paragraphs. Encoders
# read only the first ~256 word pieces (~1,000 characters) of a text, so each statement
# is scored on its own and max-pooled; a statement longer than this is cut into sentence
# groups so its tail is not lost either.
MAX_STATEMENT_CHARS = 900
MIN_STATEMENT_CHARS = 40

_STATEMENT_BREAK = re.compile(r"\s+\|\s+|\n\s*\n|\n\s*(?:[-*•·]|\d+[.)])\s+|\n")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(\[]?[A-ZÄÖÜ0-9])")
_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)

ENGLISH_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into is
    it its itself just more most my no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours within via well new use used
    using based project projects aim aims objective objectives overall main""".split()
)

GERMAN_STOPWORDS = frozenset(
    """aber alle allem allen aller alles als also am an ander andere anderen auch auf aus
    bei bin bis bist da damit dann das dass dein deine dem den der des dessen deshalb die
    dies diese diesem diesen dieser dieses doch dort du durch ein eine einem einen einer
    eines er es etwa euer für gegen hat hatte haben hier hin hinter ich ihr ihre im in ist
    ja jede jedem jeden jeder jedes jetzt kann kein keine können könnte machen man mehr
    mit muss nach nicht noch nun nur ob oder ohne sehr sein seine sich sie sind so soll
    sollen sowie über um und uns unser unter viel vom von vor wann war waren warum was
    weil welche welchem welchen welcher welches wenn wer werden wie wir wird wo wurde
    wurden zu zum zur zwischen sowohl neue neuen neuer neues soll projekt projekts ziel
    dabei daher mittels werden""".split()
)

STOPWORDS = ENGLISH_STOPWORDS | GERMAN_STOPWORDS


def split_statements(text: str, *, max_chars: int = MAX_STATEMENT_CHARS) -> list[str]:
    """Cut a profile into statements (` | `-joined projects, lines, bullets, paragraphs),
    then cut any statement longer than `max_chars` into groups of whole sentences.

    Fragments shorter than MIN_STATEMENT_CHARS are glued to their neighbour: a bare
    heading scored on its own matches everything that shares one word with it."""
    pieces = [piece.strip() for piece in _STATEMENT_BREAK.split(text or "")]
    pieces = [piece for piece in pieces if piece]
    merged: list[str] = []
    for piece in pieces:
        if merged and len(merged[-1]) < MIN_STATEMENT_CHARS:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    statements: list[str] = []
    for piece in merged:
        statements.extend(_sentence_groups(piece, max_chars=max_chars))
    return statements


def split_sentences(text: str) -> list[str]:
    """Sentences of a short text, for explanations ("this sentence matched that one")."""
    sentences = []
    for statement in split_statements(text, max_chars=10**9):
        sentences.extend(s.strip() for s in _SENTENCE_END.split(statement) if s.strip())
    return sentences


def _sentence_groups(text: str, *, max_chars: int) -> list[str]:
    if len(text) <= max_chars:
        return [text]
    groups: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + 1 + len(sentence) > max_chars:
            groups.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        groups.append(current)
    return groups


def tokens(text: str) -> list[str]:
    """Lower-cased, accent-folded word tokens without stop words (English and German),
    English plurals folded: the evaluation's approximation of the tsvector the database
    builds with its english and german configurations."""
    folded = _fold(text.lower())
    words = _TOKEN.findall(folded)
    return [stem(word) for word in words if word not in _FOLDED_STOPWORDS and len(word) > 1]


def stem(word: str) -> str:
    """Strip English plural endings only. Fuller suffix stripping measured worse on the
    dev sets (it merges German words with unrelated English stems); words of 4 letters or
    fewer are left alone so acronyms (IoT, LED, TRL) survive."""
    if len(word) <= 4 or word.isdigit():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _fold(text: str) -> str:
    text = text.replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_FOLDED_STOPWORDS = frozenset(_fold(word) for word in STOPWORDS)
