"""Which language a posting is written in, and how PostgreSQL should index it.

Detection uses py3langid (a maintained fork of langid.py: a small numpy model shipped in
the wheel, ~0.5 ms per text), restricted to the languages of the network. A text too short
or too mixed to tell (probability below MIN_CONFIDENCE) counts as English, the platform's
lingua franca; the multilingual encoder matches it either way.
"""

from functools import cache

# The languages postings are detected in: the network spans these countries and the
# multilingual encoder (USE v3) covers them all.
SUPPORTED = ("de", "en", "fr", "it", "es", "nl", "pl", "cs")
DEFAULT = "en"
MIN_CONFIDENCE = 0.5
# PostgreSQL text search configuration per language; languages without one (Polish,
# Czech) use `simple` (lower-cased words, no stemming). Migration 0005 maps the same way
# inside the database and falls back to `simple` for a configuration a server lacks.
TEXT_SEARCH_CONFIGS = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "it": "italian",
    "es": "spanish",
    "nl": "dutch",
}
SIMPLE_CONFIG = "simple"


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED))
    return identifier


def detect_language(text: str) -> str:
    """One of SUPPORTED for a posting text; DEFAULT when the text does not tell."""
    if not text or not text.strip():
        return DEFAULT
    language, probability = _identifier().classify(text)
    return language if probability >= MIN_CONFIDENCE else DEFAULT


def text_search_config(language: str) -> str:
    return TEXT_SEARCH_CONFIGS.get(language, SIMPLE_CONFIG)


# Every posting is indexed in these (migration 0002), whatever its language.
BASE_CONFIGS = ("english", "german")


def search_configs(language: str) -> tuple[str, ...]:
    """Configurations to query text of `language` in: English and German always, plus the
    language's own when it is another one (postings are indexed in their own language too,
    migration 0005), so a French query stemmed the French way finds French postings."""
    own = text_search_config(language)
    return BASE_CONFIGS if own in BASE_CONFIGS else (*BASE_CONFIGS, own)
