"""The best-matching sentence pair of two texts, for the shown suggestions only.

Stored vectors cover whole texts and statements (paragraphs, bullets), which are too long
to quote as "this sentence matches that one"; so the sentences of the source and of the
few shown targets are encoded here, by the multilingual encoder where it is active (it
pairs a German sentence with an English one). Vectors are cached per process, so a page
reload encodes nothing."""

import hashlib
import threading
from collections import OrderedDict

import numpy as np
from django.conf import settings

from matchmaking import ranking
from matchmaking.embedding import OFF, encoder_by_name
from matchmaking.suggestions.types import SentencePair
from matchmaking.text import split_sentences

MAX_SENTENCES = 12
MIN_SENTENCE_CHARS = 12
CACHE_SIZE = 4096

_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_lock = threading.Lock()


def explanation_encoder_name() -> str | None:
    """The multilingual encoder if switched on, else the English one, else none."""
    for name in (settings.MULTILINGUAL_EMBEDDING_MODEL, settings.EMBEDDING_MODEL):
        if name and name != OFF:
            return name
    return None


def sentences_of(text: str) -> list[str]:
    """Sentences worth quoting; a text too short to split stands for itself."""
    sentences = [s for s in split_sentences(text) if len(s) >= MIN_SENTENCE_CHARS]
    if sentences:
        return sentences[:MAX_SENTENCES]
    return [text.strip()] if text.strip() else []


def _vectors(encoder: str, sentences: list[str]) -> np.ndarray:
    keys = [(encoder, hashlib.sha256(s.encode()).hexdigest()) for s in sentences]
    with _lock:
        missing = [s for s, key in zip(sentences, keys, strict=True) if key not in _cache]
    if missing:
        unique = list(dict.fromkeys(missing))
        encoded = encoder_by_name(encoder).encode(unique)
        with _lock:
            for sentence, vector in zip(unique, encoded, strict=True):
                _cache[(encoder, hashlib.sha256(sentence.encode()).hexdigest())] = vector
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    with _lock:
        return np.vstack([_cache[key] for key in keys])


def sentence_pairs(*, source_text: str, target_texts: dict[int, str]) -> dict[int, SentencePair]:
    """{target id: best sentence pair} (source sentence first). Empty without an encoder."""
    encoder = explanation_encoder_name()
    source_sentences = sentences_of(source_text)
    if encoder is None or not source_sentences or not target_texts:
        return {}
    per_target = {target_id: sentences_of(text) for target_id, text in target_texts.items()}
    everything = source_sentences + [s for sentences in per_target.values() for s in sentences]
    matrix = _vectors(encoder, everything)
    source_vectors = matrix[: len(source_sentences)]
    pairs, offset = {}, len(source_sentences)
    for target_id, sentences in per_target.items():
        target_vectors = matrix[offset : offset + len(sentences)]
        offset += len(sentences)
        best = ranking.best_sentence_pair(
            source_sentences, sentences, source_vectors @ target_vectors.T
        )
        if best is not None:
            pairs[target_id] = SentencePair(source=best[0], target=best[1], similarity=best[2])
    return pairs
