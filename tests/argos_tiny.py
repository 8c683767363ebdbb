"""Build a tiny but genuine Argos Translate package for tests and benchmarks.

A SentencePiece model trained on sample text (the seed page and its English), a small CTranslate2
Transformer with random weights whose output projection is biased so that decoding produces a few
tokens and then </s> (random weights alone never end a sequence), Argos metadata.json, zipped with
its folder as the top entry (a flat zip would spill model/ into the packages directory).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def sample_text() -> list[str]:
    """Chinese sentences from the seed page and English sentences from its edited translation."""
    raw = (REPO / "source_texts" / "fdc91a8a205b8552" / "raw.txt").read_text(encoding="utf-8")
    po = (REPO / "source_texts" / "fdc91a8a205b8552" / "en.po").read_text(encoding="utf-8")
    chinese = [s for s in re.split(r"(?<=[。；！？])", raw.replace(" ", "").replace("\n", "")) if s]
    english = re.findall(r'^msgstr "(.+)"$', po, flags=re.M)
    return chinese + english


def build_argos_package(workdir: Path, *, version: str = "1.0", d_model: int = 64, layers: int = 1,
                        heads: int = 2, ffn: int = 128, vocab_size: int = 1200, seed: int = 0,
                        name: str = "translate-zh_en", favoured_count: int = 300, end_every: int = 3,
                        cross_scale: float = 1.5, target_prefix: bool = False) -> Path:
    """Build ``<workdir>/<name>-<version>.argosmodel`` and return its path.

    The defaults give short (1-10 piece), input-dependent outputs: 54 distinct translations for the
    72 seed sentences. ``target_prefix=True`` writes a vocabulary piece as the package's target_prefix
    (as multilingual Argos models do) to exercise that code path.
    """
    import ctranslate2
    import numpy as np
    import sentencepiece as spm

    folder_name = f"{name}-{version.replace('.', '_')}"
    package_dir = workdir / folder_name
    package_dir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus.txt"
    corpus.write_text("\n".join(sample_text()) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(package_dir / "sentencepiece"), vocab_size=vocab_size,
        character_coverage=1.0, model_type="unigram", hard_vocab_limit=False, num_threads=1,
        minloglevel=2, seed_sentencepiece_size=100000,
    )
    (package_dir / "sentencepiece.vocab").unlink(missing_ok=True)
    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab[0], vocab[1], vocab[2] = "<unk>", "<s>", "</s>"

    rng = np.random.default_rng(seed)

    def w(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def norm(spec) -> None:
        spec.gamma = np.ones(d_model, dtype=np.float32)
        spec.beta = np.zeros(d_model, dtype=np.float32)

    spec = ctranslate2.specs.TransformerSpec.from_config(layers, heads)
    size = len(vocab)
    spec.encoder.embeddings[0].weight = w(size, d_model, scale=1.0)
    spec.decoder.embeddings.weight = w(size, d_model, scale=1.0)
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = w(3 * d_model, d_model)
        layer.self_attention.linear[1].weight = w(d_model, d_model)
        norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = w(ffn, d_model)
        layer.ffn.linear_1.weight = w(d_model, ffn)
    damp = 1.0 / layers  # deeper decoders: keep the input embedding dominant in the residual stream
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = w(3 * d_model, d_model)
        layer.self_attention.linear[1].weight = w(d_model, d_model, scale=0.2 * damp)
        norm(layer.attention.layer_norm)
        layer.attention.linear[0].weight = w(d_model, d_model)
        layer.attention.linear[1].weight = w(2 * d_model, d_model)
        layer.attention.linear[2].weight = w(d_model, d_model, scale=cross_scale * damp)
        norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = w(ffn, d_model)
        layer.ffn.linear_1.weight = w(d_model, ffn, scale=0.2 * damp)
    # Output projection. Random weights alone never emit </s>, so shape it: the decoder's input
    # embedding dominates its output (residual stream), and </s> is aligned with dimension 0, which
    # every ``end_every``-th favoured English piece carries strongly and <s> lacks. The first tokens
    # therefore depend on the source (through cross-attention) and decoding ends after a few tokens.
    spec.decoder.projection.weight = w(size, d_model, scale=0.3)
    english = [i for i, piece in enumerate(vocab) if piece.strip("▁").isascii() and piece.strip("▁").isalpha()]
    favoured = english[:favoured_count]
    bias = np.full(size, -6.0, dtype=np.float32)
    bias[favoured] = 1.0
    grow = (d_model / 32) ** 0.5  # keep u as strong relative to the embedding norm at any width
    for k, i in enumerate(favoured):
        spec.decoder.embeddings.weight[i, 0] = (3.0 if k % end_every == 1 else -1.0) * grow
    spec.decoder.embeddings.weight[1, 0] = -3.0 * grow  # <s>
    spec.decoder.projection.weight[2] = 0.0
    spec.decoder.projection.weight[2, 0] = 6.0  # </s> follows the pieces that carry u
    bias[2] = -1.0
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    (package_dir / "model").mkdir(exist_ok=True)
    spec.save(str(package_dir / "model"))
    metadata: dict = {
        "package_version": version, "argos_version": "1.9.0", "from_code": "zh", "from_name": "Chinese",
        "to_code": "en", "to_name": "English", "type": "translate", "code": name,
        "languages": [{"code": "zh", "name": "Chinese"}, {"code": "en", "name": "English"}],
    }
    if target_prefix:
        metadata["target_prefix"] = vocab[favoured[0]]  # a piece that does not end the sequence
    (package_dir / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    archive = workdir / f"{folder_name}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(package_dir.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(workdir).as_posix())  # folder is the top entry
    return archive


def argos_env(home: Path) -> dict[str, str]:
    """Environment that points Argos at throwaway directories (never the user's home)."""
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGES_DIR": str(home / "data" / "argos-translate" / "packages"),
        "ARGOS_DEVICE_TYPE": "cpu",
    }
