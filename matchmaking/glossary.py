"""The bilingual glossary and cheap text helpers. Pure functions over strings (no ORM), so
the matching engine can reuse them in explanations and tests run without a database.

data/glossary.json maps German and English terms onto an English canonical phrase and
taxonomy codes (matchmaking/taxonomy.py). Matching is on word stems: a term matches a word
that starts with it, and German terms also match inside compounds ("Schweißnaht" inside
"Schweißnahtprüfung"), because German glues nouns together where English leaves spaces."""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "glossary.json"

_WORD_CHARS = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    canonical: str
    en: tuple[str, ...]
    de: tuple[str, ...]
    techniques: frozenset[str]
    domains: frozenset[str]
    exclude: tuple[str, ...] = ()
    generic: bool = False

    @property
    def phrases(self) -> list[str]:
        """Every spelling worth searching for: the canonical phrase, then English, then German."""
        seen: dict[str, None] = {self.canonical: None}
        for term in (*self.en, *self.de):
            seen.setdefault(term.strip("^$"), None)
        return list(seen)


@dataclass(frozen=True)
class _Pattern:
    entry: Entry
    anchor: str  # a plain substring every match contains: a cheap test before the regex
    regex: re.Pattern[str]
    length: int  # of the term itself: of two hits on the same words the longer term wins


# German terms this long also match inside compounds; shorter ones would hit unrelated
# words ("bau" in "Anbau", "ernte" in "Fernteil").
COMPOUND_MIN_LENGTH = 6
# Term words this long match with any ending ("inspection" → "inspections"); shorter
# ones (AI, KI, IoT, CNC) only as whole words.
STEM_MIN_LENGTH = 4


_FOLD_COMMON = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e"})


def fold(text: str) -> str:
    """Lower case without diacritics, ß as ss: "Schweißnähte" → "schweissnahte", so that
    "Krankenhäuser" meets "krankenhaus". Positions refer to the folded text only."""
    text = (text or "").lower().translate(_FOLD_COMMON)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _term_regex(term: str, *, german: bool) -> tuple[str, bool, re.Pattern[str]]:
    """The pattern for one term; its anchor, the longest literal every match contains;
    and whether that anchor always starts a word (true unless the term may sit inside a
    compound), which allows a cheaper test.

    Patterns start with a literal (the word-start check is a lookbehind placed after
    it) so that the regex engine can skip ahead to candidate positions."""
    prefix_only = term.startswith("^")
    whole_word = term.endswith("$")
    parts = [p for p in re.split(r"[\s-]+", fold(term.strip("^$"))) if p]
    pieces = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if len(part) >= STEM_MIN_LENGTH and not (last and whole_word):
            pieces.append(re.escape(part) + r"\w*")
        else:
            pieces.append(re.escape(part) + r"(?!\w)")
    inside_compounds = german and not prefix_only and len(parts[0]) >= COMPOUND_MIN_LENGTH
    if not inside_compounds:
        first = re.escape(parts[0])
        pieces[0] = first + rf"(?<!\w{first})" + pieces[0][len(first) :]
    anchor = max((p for p in parts if _WORD_CHARS.fullmatch(p)), key=len, default=None)
    if anchor is None:
        raise ValueError(f"Glossary term without a plain word: {term!r}")
    return anchor, not inside_compounds, re.compile(r"[\s-]+".join(pieces))


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Entry, ...], dict[tuple[str, bool], tuple[_Pattern, ...]]]:
    """Read and compile the glossary once per process; patterns grouped by anchor (and
    whether it starts a word), so each anchor is looked for once per text."""
    raw = json.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))["entries"]
    entries: list[Entry] = []
    by_anchor: dict[tuple[str, bool], list[_Pattern]] = {}
    for row in raw:
        entry = Entry(
            canonical=row["canonical"],
            en=tuple(row.get("en", ())),
            de=tuple(row.get("de", ())),
            techniques=frozenset(row.get("techniques", ())),
            domains=frozenset(row.get("domains", ())),
            exclude=tuple(fold(x) for x in row.get("exclude", ())),
            generic=row.get("generic", False),
        )
        entries.append(entry)
        # The canonical phrase matches too unless an English term already spells it
        # (possibly with a marker, as "media$" must not match "median").
        english = list(entry.en)
        if entry.canonical not in {t.strip("^$") for t in english}:
            english.insert(0, entry.canonical)
        terms = [(t, False) for t in english] + [(t, True) for t in entry.de]
        seen: set[str] = set()
        for term, german in terms:
            anchor, at_word_start, regex = _term_regex(term, german=german)
            if regex.pattern not in seen:
                seen.add(regex.pattern)
                pattern = _Pattern(entry, anchor, regex, len(term.strip("^$")))
                by_anchor.setdefault((anchor, at_word_start), []).append(pattern)
    return tuple(entries), {anchor: tuple(group) for anchor, group in by_anchor.items()}


def glossary_entries() -> tuple[Entry, ...]:
    return _load()[0]


@dataclass(frozen=True)
class GlossaryMatch:
    """One hit. `start`/`end` index the text as given (not the folded copy), and `text`
    is that slice, so callers can highlight or cut it out."""

    entry: Entry
    start: int
    end: int
    text: str


def _fold_with_positions(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, per folded character, its index in `text` (None when the
    two line up one to one, the usual case: umlauts fold to one letter, only ß grows)."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    chars: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        piece = fold(ch)
        chars.append(piece)
        positions.extend([index] * len(piece))
    return "".join(chars), positions


def glossary_matches(text: str) -> list[GlossaryMatch]:
    """Glossary hits in `text`, in reading order. A hit inside a longer one is dropped, so
    "Schweißnahtprüfung" counts as weld seam inspection and not also as weld seam; hits
    that merely overlap ("visual [inspection] of weld seams") both count."""
    text = text or ""
    folded, positions = _fold_with_positions(text)
    # Anchors lie within one word, so they are tested against the distinct words only:
    # with one set lookup when the anchor starts a word, else by a scan of the words.
    words_seen = set(_WORD_CHARS.findall(folded))
    word_prefixes = {w[:i] for w in words_seen for i in range(1, len(w) + 1)}
    vocabulary = " ".join(words_seen)
    spans: set[tuple[int, int, int, Entry]] = set()
    for (anchor, at_word_start), patterns in _load()[1].items():
        if anchor not in word_prefixes if at_word_start else anchor not in vocabulary:
            continue
        for pattern in patterns:
            for found in pattern.regex.finditer(folded):
                if pattern.entry.exclude and _inside_excluded_word(folded, found, pattern.entry):
                    continue
                spans.add((found.start(), found.end(), pattern.length, pattern.entry))
    # Sorted by start, longer first: a span is inside an earlier one exactly when it
    # ends no later than the furthest end seen so far. Equal spans ("Bilderkennung" as
    # bilderkennung and as bilder-) go to the longer term.
    matches, furthest = [], -1
    ordered = sorted(spans, key=lambda s: (s[0], -s[1], -s[2], s[3].canonical))
    for start, end, _length, entry in ordered:
        if end <= furthest:
            continue
        furthest = end
        if positions is not None:
            start, end = positions[start], positions[end - 1] + 1
        matches.append(GlossaryMatch(entry, start, end, text[start:end]))
    return matches


def _inside_excluded_word(folded: str, found: re.Match[str], entry: Entry) -> bool:
    start, end = _word_bounds(folded, found.start(), found.end())
    word = folded[start:end]
    return any(excluded in word for excluded in entry.exclude)


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words: a compound hit covers the whole compound."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def glossary_tags(text: str) -> tuple[set[str], set[str], list[str]]:
    """Taxonomy codes suggested by a free text, German or English, and the canonical
    (English) phrases that suggested them, in reading order without repeats.

    Generic entries ("artificial intelligence", "research project") give no codes and
    are left out of the phrases: on an AI platform they say nothing about a pairing.
    The signature is shared with the matching engine; keep it stable and free of ORM."""
    techniques, domains, terms = _tags_of(text)
    return set(techniques), set(domains), list(terms)


@lru_cache(maxsize=4096)
def _tags_of(text: str) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """Cached: one suggestion request tags hundreds of candidate texts (the bench measured
    tagging as most of a request's time), and the same postings recur across requests.
    Immutable results, so a caller cannot change what the next one gets."""
    techniques: set[str] = set()
    domains: set[str] = set()
    terms: dict[str, None] = {}
    for match in glossary_matches(text):
        techniques |= match.entry.techniques
        domains |= match.entry.domains
        if not match.entry.generic:
            terms.setdefault(match.entry.canonical, None)
    return frozenset(techniques), frozenset(domains), tuple(terms)


_WEBSEARCH_SYNTAX = re.compile(r'["()]|(?<!\w)-|\b(?:or|OR)\b')


def glossary_expand_query(q: str) -> str:
    """The query in PostgreSQL `websearch_to_tsquery` syntax, widened by the English and
    German spellings of every glossary term it contains: `Schweißnahtprüfung` becomes
    `Schweißnahtprüfung or weld seam inspection or weld inspection or ...`.

    The user's words keep their AND meaning; each added phrase is an alternative (its
    own words ANDed, not a phrase, so word order does not matter). Quotes, minus signs
    and "or" inside added phrases are removed so they cannot change the user's query."""
    q = (q or "").strip()
    if q.count('"') % 2:
        q = q.replace('"', " ")
    alternatives: dict[str, None] = {}
    for match in glossary_matches(q):
        for phrase in match.entry.phrases:
            clean = " ".join(_WEBSEARCH_SYNTAX.sub(" ", phrase).split())
            if clean and fold(clean) != fold(q):
                alternatives.setdefault(clean, None)
    return " or ".join([q, *alternatives]) if q else ""


@dataclass(frozen=True)
class QueryParts:
    """A search query split for a structured full-text search: `rest` is what the
    glossary did not recognise (still in websearch syntax: quotes, -negation, "or"), and
    each group lists interchangeable spellings of one recognised term, the user's own
    words first. Search as: rest AND (any of group 1) AND (any of group 2) ..."""

    rest: str
    groups: tuple[tuple[str, ...], ...]


def glossary_query_parts(q: str) -> QueryParts:
    """Cut the glossary terms out of a query and give each its alternatives, so that
    "Bilderkennung Krankenhaus -Röntgen" finds "image recognition in hospitals" without
    losing the other words or the negation. Terms inside quotes or after a minus are
    left to the user's syntax."""
    q = q or ""
    taken: list[tuple[int, int]] = []
    groups: list[tuple[str, ...]] = []
    for match in glossary_matches(q):
        start, end = _word_bounds(q, match.start, match.end)
        if q[:start].count('"') % 2 or (start > 0 and q[start - 1] == "-"):
            continue
        if taken and start < taken[-1][1]:
            continue
        words = " ".join(_WEBSEARCH_SYNTAX.sub(" ", q[start:end]).split())
        alternatives = [words] if words else []
        for phrase in match.entry.phrases:
            clean = " ".join(_WEBSEARCH_SYNTAX.sub(" ", phrase).split())
            if clean and fold(clean) not in {fold(a) for a in alternatives}:
                alternatives.append(clean)
        taken.append((start, end))
        groups.append(tuple(alternatives))
    rest, cursor = [], 0
    for start, end in taken:
        rest.append(q[cursor:start])
        cursor = end
    rest.append(q[cursor:])
    return QueryParts(rest=" ".join("".join(rest).split()), groups=tuple(groups))
